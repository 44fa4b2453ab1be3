"""BM25 over the subject's slides: enough to find the slides a past-paper question is about, with no index
to build (the chat issue's vector store can replace it behind the same call)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.schemas import SourceRef
from shared.text import BM25Index, content_tokens, detect_language
from workers.generation.material import LectureMaterial


@dataclass(frozen=True)
class Passage:
    text: str
    title: str
    ref: SourceRef


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float


class SlideIndex:
    """The subject's slides in a BM25 index (shared.text.BM25Index, bm25s) over the toolkit's stemmed
    content tokens, stemmed in the notes' language."""

    def __init__(self, lectures: list[LectureMaterial], *, k1: float = 1.5, b: float = 0.75) -> None:
        self.passages: list[Passage] = []
        for lec in lectures:
            for slide in lec.slides:
                body = "\n".join(x for x in (slide.text, slide.notes) if x.strip())
                body += "".join(f"\n{f.caption}" for f in slide.figures if f.caption)
                if body.strip():
                    self.passages.append(Passage(body, slide.title, slide.ref))
        texts = [f"{p.title} {p.text}" for p in self.passages]
        self.lang = detect_language("\n".join(texts))
        self.index = BM25Index([content_tokens(t, self.lang) for t in texts], k1=k1, b=b)

    def search(self, query: str, k: int = 3) -> list[Hit]:
        found = self.index.search(content_tokens(query, self.lang), k)
        return [Hit(self.passages[i], score) for i, score in found]
