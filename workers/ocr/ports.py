"""Ports of the ingestion worker: small interfaces, with adapters chosen from settings."""

from __future__ import annotations

import abc
from dataclasses import dataclass

import layoutparser as lp
from PIL import Image


@dataclass(frozen=True)
class OcrWord:
    """One word as the engine read it: its confidence (0..1) and box in the image's pixels; ``line`` and
    ``paragraph`` number the lines and paragraphs of the page in reading order."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]
    line: int
    paragraph: int


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float  # 0..1, the mean word confidence; 0 when nothing was read
    words: int
    word_boxes: tuple[OcrWord, ...] = ()  # filled by engines that can (tesserocr); empty otherwise


class LayoutDetector(abc.ABC):
    """Finds text, title, figure, caption, table, header, footer and equation regions on a page image.

    Returns layoutparser types (``lp.Layout`` of ``lp.TextBlock`` in the image's pixel coordinates), so a
    better detector can be swapped in behind the same interface."""

    @abc.abstractmethod
    def detect(self, image: Image.Image) -> lp.Layout: ...


class OcrEngine(abc.ABC):
    @abc.abstractmethod
    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> OcrResult: ...

    def read_line(self, image: Image.Image, *, languages: str) -> OcrResult:
        """An image holding one line or word of text (engines that can say so to the engine do)."""
        return self.read(image, languages=languages)

    @abc.abstractmethod
    def available_languages(self) -> set[str]: ...
