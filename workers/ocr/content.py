"""What a reader produces (a page's text, figures, thumbnail, line hints) and how it reads (ReadOptions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from shared import office
from shared.files import (
    ArchiveLimits,
    FileStore,
)
from workers.ocr.fallback import SecondOpinion, Tally
from workers.ocr.line_cues import LineHint
from workers.ocr.ports import LayoutDetector, OcrEngine, OcrResult
from workers.ocr.scripts import AUTO, AutoLanguages


@dataclass
class FigureContent:
    bbox: list[float]  # page points, origin top-left: x0, y0, x1, y1
    image_key: str
    caption: str = ""
    text: str = ""
    source: str = "layout"
    hash: str = ""


@dataclass
class TextBox:
    """Where a text line's ink is: its parts apart by wide gaps, x0, y0, x1, y1 as fractions of the page's
    width and height (workers/ocr/figure_trim.py cuts footers and titles out of figure boxes with them)."""

    text: str
    boxes: list[list[float]] = field(default_factory=list)


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    text: str
    title: str = ""
    source: str = "text_layer"
    confidence: float | None = None
    notes: str = ""
    figures: list[FigureContent] = field(default_factory=list)
    thumbnail_key: str | None = None
    hints: list[LineHint] = field(default_factory=list)  # per text line: layout class and position
    roles: list[str] = field(default_factory=list)  # per line of ``text`` (workers.ocr.roles)
    text_boxes: list[TextBox] = field(default_factory=list)  # rendered pages: where each text line is
    edge_marks: list[list[int]] = field(default_factory=list)  # rendered pages: [cell, hash] of band ink


@dataclass
class ReadOptions:
    store: FileStore
    prefix: str  # e.g. uploads/<user>/<lecture>
    languages: str
    layout: LayoutDetector | None
    ocr: OcrEngine
    second_opinion: SecondOpinion | None = None  # a second engine for pages Tesseract reads badly
    dpi: int = 150
    parallel: int = 2
    figure_min_area: float = 0.015
    libreoffice_timeout: int = 180
    libreoffice_memory_mb: int = 2048
    libreoffice_user: str = "nobody"
    max_render_px: int = 4000  # the longest side of any rendered page or thumbnail
    max_pages: int = 500
    archive: ArchiveLimits = field(default_factory=ArchiveLimits)
    hidden_dirs: tuple[str, ...] = ()  # never visible to LibreOffice (the data dir)
    auto: AutoLanguages = field(init=False)  # languages == "auto": the packs each page needs
    tally: Tally = field(init=False, default_factory=Tally)  # the second OCR engine on this deck

    @property
    def office(self) -> office.OfficeOptions:
        return office.OfficeOptions(
            timeout=self.libreoffice_timeout,
            memory_mb=self.libreoffice_memory_mb,
            user=self.libreoffice_user,
            archive=self.archive,
            hidden=self.hidden_dirs,
        )

    def __post_init__(self) -> None:
        self.auto = AutoLanguages(self.ocr)

    def read(self, image: Image.Image, *, languages: str, sparse: bool = False) -> tuple[OcrResult, str]:
        """OCR with these languages, or with the ones that fit the image when they are "auto"."""
        if languages == AUTO:
            return self.auto.read(image, sparse=sparse)
        return self.ocr.read(image, languages=languages, sparse=sparse), languages

    def key(self, *parts: str) -> str:
        return "/".join((self.prefix, *parts))

    def save(self, key: str, data: bytes) -> str:
        target = self.store.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return key
