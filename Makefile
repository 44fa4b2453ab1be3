# MySmartNotes: `make run` starts the product, `make test` checks it. Both install what is missing first.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PG_BIN ?= /usr/lib/postgresql/15/bin
# Debian packages the product needs at run time, and the extra ones its tests need.
APT_RUN  := redis-server graphviz tesseract-ocr tesseract-ocr-eng tesseract-ocr-hin tesseract-ocr-chi-sim tesseract-ocr-rus tesseract-ocr-spa tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-ita tesseract-ocr-por poppler-utils fonts-dejavu-core fonts-dejavu-extra fonts-noto-core fonts-noto-cjk libgl1 libglib2.0-0 libreoffice-impress libreoffice-writer libreoffice-math
APT_TEST := chromium nginx
QUIET_PIP := sed '/is ignored: it is neither a file nor a directory/d'

.PHONY: help setup setup-test apt apt-test venv run test lint format unit integration e2e clean

help:
	@echo "make run   - install what is missing, then start the whole stack (gateway :8000, app :8501)"
	@echo "make test  - install what is missing, then lint (ruff, mypy) and run every test"

define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "apt-get install$$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "need root to install:$$missing" >&2; exit 1; fi; \
		apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null; \
	fi
endef

apt:
	$(call apt_install,$(APT_RUN))

apt-test:
	$(call apt_install,$(APT_TEST))
	@if [ ! -x $(PG_BIN)/postgres ]; then $(MAKE) --no-print-directory _apt-postgres; fi
	@# npm fetches axe-core for the browser test; it may come with a nodejs package of its own (NodeSource's),
	@# which Debian's npm package conflicts with, so Debian's is installed only when there is no npm at all.
	@if ! command -v npm >/dev/null; then $(MAKE) --no-print-directory _apt-npm; fi

_apt-postgres:
	$(call apt_install,postgresql)

_apt-npm:
	$(call apt_install,npm)

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@echo "installing Python packages into $(VENV) (first time: a few minutes)"
	@# torch first, from the CPU wheel: otherwise a dependency's plain "torch" pulls several GB of CUDA builds.
	$(PIP) install -q torch==2.13.0 2>&1 | $(QUIET_PIP)
	@echo "(llama-cpp-python compiles once, about 12 minutes on 2 cores; pip caches the wheel)"
	$(PIP) install -q -e '.[frontend,workers,dev]' 2>&1 | $(QUIET_PIP)
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

setup: apt venv

setup-test: setup apt-test

run: setup
	$(PY) -m smartnotes_tools.launcher

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup-test lint
	@# --cov: coverage of the product's packages; below pyproject's [tool.coverage.report] fail_under it fails
	$(PY) -m pytest -q -p no:cacheprovider --cov --cov-report=term

unit: venv
	$(PY) -m pytest -q -p no:cacheprovider tests/unit

integration: setup-test
	$(PY) -m pytest -q -p no:cacheprovider tests/integration

e2e: setup-test
	$(PY) -m pytest -q -p no:cacheprovider tests/e2e

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
