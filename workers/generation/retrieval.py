"""BM25 over the subject's slides: enough to find the slides a past-paper question is about, with no index
to build (the chat issue's vector store can replace it behind the same call)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from shared.study_schemas import SourceRef
from workers.generation.material import LectureMaterial
from workers.generation.textutil import content_tokens


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
    def __init__(self, lectures: list[LectureMaterial], *, k1: float = 1.5, b: float = 0.75) -> None:
        self.passages: list[Passage] = []
        for lec in lectures:
            for slide in lec.slides:
                body = "\n".join(x for x in (slide.text, slide.notes) if x.strip())
                body += "".join(f"\n{f.caption}" for f in slide.figures if f.caption)
                if body.strip():
                    self.passages.append(Passage(body, slide.title, slide.ref))
        self.docs = [Counter(content_tokens(f"{p.title} {p.text}")) for p in self.passages]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lengths) / max(1, len(self.lengths))
        df: Counter[str] = Counter()
        for d in self.docs:
            df.update(d.keys())
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def search(self, query: str, k: int = 3) -> list[Hit]:
        terms = set(content_tokens(query))
        scored: list[Hit] = []
        for passage, doc, length in zip(self.passages, self.docs, self.lengths, strict=True):
            score = 0.0
            for t in terms:
                tf = doc.get(t, 0)
                if tf:
                    norm = tf + self.k1 * (1 - self.b + self.b * length / max(self.avg, 1e-9))
                    score += self.idf[t] * tf * (self.k1 + 1) / norm
            if score > 0:
                scored.append(Hit(passage, score))
        scored.sort(key=lambda h: -h.score)
        return scored[:k]
