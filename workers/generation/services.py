"""The generation worker's services, built from settings on first use and kept for the process (the
worker's composition root, workers/generation/bootstrap.py, builds one of these)."""

from __future__ import annotations

import logging
import threading
from functools import cached_property

from shared.errors import AppError
from shared.llm import LLM, make_llm
from shared.settings import Settings
from workers.ocr.adapters import OcrModels
from workers.ocr.ports import OcrEngine
from workers.runtime.metrics import count_tokens

log = logging.getLogger(__name__)


class GenerationServices:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._llm: LLM | None = None
        self._ocr = OcrModels(settings)

    def llm(self) -> tuple[LLM | None, str]:
        """The LLM and "", or None and why there is none (then everything is extractive, and the document
        says so). A provider that failed is tried again on the next job."""
        with self._lock:
            if self._llm is None:
                try:
                    self._llm = make_llm(self.settings, on_tokens=count_tokens)
                except AppError as exc:
                    log.warning("no LLM for generation: %s", exc.message)
                    return None, exc.message
            return self._llm, ""

    @cached_property
    def ocr(self) -> OcrEngine:
        """Reads scanned past papers."""
        return self._ocr.ocr
