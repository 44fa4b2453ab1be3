"""Secrets kept in the data directory: generated once at random, then read back (mode 0600).

`make run` (smartnotes_tools/launcher.py) uses them when ``SMARTNOTES_SECRET_KEY`` /
``SMARTNOTES_WEBHOOK_SECRET`` are
not set, so a fresh install never signs with a published default key."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from shared.settings import PLACEHOLDER_SECRETS, Settings

SECRET_KEY_FILE = "secret_key"
WEBHOOK_SECRET_FILE = "webhook_secret"
MIN_LENGTH = 32


def load_or_create_secret(path: Path) -> str:
    """The secret stored at ``path``; a new random one (64 hex characters) when there is none yet.

    Created with O_EXCL and mode 0600, so two processes starting together agree on one value and no other
    local user can read it; a file left with looser permissions is tightened."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    value = path.read_text().strip()
    for _ in range(20):  # another process created it a moment ago and is still writing
        if len(value) >= MIN_LENGTH:
            break
        time.sleep(0.05)
        value = path.read_text().strip()
    if len(value) < MIN_LENGTH:
        # empty (a writer still busy, or a truncated file): never sign with a short key
        raise RuntimeError(f"{path} holds no usable secret (under {MIN_LENGTH} characters); delete it")
    return value


def ensure_secrets(settings: Settings) -> Settings:
    """Never sign with the published default: without SMARTNOTES_SECRET_KEY (or SMARTNOTES_WEBHOOK_SECRET),
    a random key is generated on the first run and kept in the data dir (mode 0600) for the next ones."""
    updates: dict[str, str] = {}
    if settings.secret_key.strip().lower() in PLACEHOLDER_SECRETS:
        updates["secret_key"] = load_or_create_secret(settings.data_dir / SECRET_KEY_FILE)
    if not settings.webhook_secret:
        updates["webhook_secret"] = load_or_create_secret(settings.data_dir / WEBHOOK_SECRET_FILE)
    return settings.model_copy(update=updates) if updates else settings
