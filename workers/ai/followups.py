"""Follow-up questions ("why?", "give an example", "and the third one?", "what about X?") resolved against
the previous turn of the conversation.

The history the gateway sends holds the previous question and the product's answer to it, whose sentences
end with their slide's label ("[Lecture, slide 12]"). A follow-up is searched together with the previous
question; one that adds no words of its own ("why?", "an example?") is answered from the slide the previous
answer cited first; an ordinal ("the third one") names the n-th item of the previous answer's list, which
becomes the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import regex

from shared.llm import Message
from shared.text import sentences as split_sentences
from shared.text import tokens

Kind = Literal["why", "example", "ordinal", "short", "refers"]
SHORT_WORDS = 6  # a question this short, after a first one, leans on it ("And at low SNR?")
LABEL = re.compile(r"\s*\[([^\[\]]*), slide (\d+)\]")
_BULLET = re.compile(r"^[\s•◦▪‣●○■□►▶❖◆➢➤✓✔*–—-]+|^\(?\d{1,2}[.)]\s+")
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "last": -1,
    "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3, "cuarto": 4,
    "cuarta": 4, "quinto": 5, "quinta": 5, "último": -1, "última": -1,
    "premier": 1, "première": 1, "deuxième": 2, "troisième": 3, "quatrième": 4, "dernier": -1,
    "первый": 1, "первая": 1, "первое": 1, "второй": 2, "вторая": 2, "второе": 2, "третий": 3, "третья": 3,
    "третье": 3, "четвёртый": 4, "четвертый": 4, "четвёртая": 4, "последний": -1, "последняя": -1,
    "पहला": 1, "पहली": 1, "दूसरा": 2, "दूसरी": 2, "तीसरा": 3, "तीसरी": 3, "चौथा": 4, "चौथी": 4,
}  # fmt: skip
_ORDINAL = regex.compile(
    r"(?<!\w)(" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r")(?!\w)", regex.I
)
_WHY = regex.compile(
    r"^\W*(and\s+|y\s+|et\s+|а\s+|и\s+)?(why|how come|por\s*qué|pourquoi|почему|зачем|क्यों)\b", regex.I
)
_EXAMPLE = regex.compile(r"\b(example|examples|instance|ejemplos?|exemples?|пример\w*|उदाहरण)\b", regex.I)
# A question that opens with "and"/"but" or points back ("that analogy", "в этом примере") continues the
# previous one, however long it is.
_CONTINUES = regex.compile(r"^\W*(and|but|so|y|pero|et|mais|а|и|но|और)\s", regex.I)
_POINTS_BACK = regex.compile(
    r"(?<!\w)(that|this|these|those|the same|ese|esa|esos|esas|este|esta|ce|cette|ces|этом|этот|эта|это|"
    r"этого|этой|उस|इस)\s+\w+",
    regex.I,
)
# Words that only make the follow-up ("give", "one", "what about") and say nothing about the topic.
_FILLER_WORDS = (
    "give show tell one ones item point step why how come example examples instance about more explain "
    "please another some dame ejemplo ejemplos exemple exemples пример примеры приведи приведите дай "
    "उदाहरण दीजिए"
)
FILLER = frozenset(_FILLER_WORDS.split()) | frozenset(ORDINALS)


@dataclass
class FollowUp:
    kind: Kind
    query: str  # what retrieval searches
    question: str  # what the answer is extracted for
    previous_question: str
    cited_pages: list[int] = field(default_factory=list)  # slides the previous answer cited, in order
    item: str = ""  # the n-th item of the previous answer (an ordinal follow-up)

    @property
    def pin_previous_slide(self) -> bool:
        """A follow-up without words of its own is about the slide the previous answer came from."""
        return self.kind in ("why", "example", "ordinal")


def previous_turn(history: list[Message]) -> tuple[str, str]:
    """The last question asked and the answer given to it ("" when there is none)."""
    question = answer = ""
    for turn in history:
        if turn["role"] == "user":
            question, answer = turn["content"], ""
        elif turn["role"] == "assistant" and question:
            answer = turn["content"]
    return question, answer


def cited_pages(answer: str) -> list[int]:
    return list(dict.fromkeys(int(page) for _, page in LABEL.findall(answer)))


def answer_items(answer: str) -> list[str]:
    """The previous answer's list: its sentences or bullets (labels, bullet marks and lead-ins such as "The
    three types are:" dropped); one sentence that enumerates ("A, B and C") gives its parts."""
    text = LABEL.sub("", answer)
    items = []
    for line in text.splitlines():
        for piece in split_sentences(line):
            piece = _BULLET.sub("", piece).strip()
            if piece and tokens(piece) and not piece.endswith(":"):
                items.append(piece)
    if len(items) == 1:
        parts = [p.strip(" .") for p in re.split(r",|;|\band\b|\bor\b", items[0].split(":")[-1])]
        if len([p for p in parts if p]) >= 3:
            return [p for p in parts if p]
    return items


def own_words(question: str, previous: str) -> set[str]:
    """The follow-up's content words that neither make the follow-up nor repeat the previous question."""
    return set(tokens(question)) - FILLER - set(tokens(previous))


def resolve(question: str, history: list[Message]) -> FollowUp | None:
    """The follow-up this question is, or None (no previous turn, or a question that stands alone)."""
    previous, answer = previous_turn(history)
    if not previous:
        return None
    pages = cited_pages(answer)
    own = own_words(question, previous)
    short = len(question.split()) < SHORT_WORDS
    ordinal = _ORDINAL.search(question)
    n = ORDINALS.get(ordinal.group(1).casefold()) if ordinal else None  # casefold: regex.I matches a long s
    if n is not None and len(question.split()) <= 8 and len(own) <= 1:
        items = answer_items(answer)
        if items and (n == -1 or n <= len(items)):
            item = items[n - 1] if n > 0 else items[-1]
            return FollowUp("ordinal", f"{previous} {item}", item, previous, pages, item)
    if _WHY.search(question) and not own:
        return FollowUp("why", f"{previous} {question}", f"{previous} {question}", previous, pages)
    if _EXAMPLE.search(question) and not own:
        return FollowUp("example", f"{previous} {question}", f"{previous} {question}", previous, pages)
    if short:  # "And at low SNR?", "What about X?": the previous question's topic, with the new words
        return FollowUp("short", f"{previous} {question}", f"{previous} {question}", previous, pages)
    if _CONTINUES.search(question) or _POINTS_BACK.search(question):
        return FollowUp("refers", f"{previous} {question}", question, previous, pages)
    return None
