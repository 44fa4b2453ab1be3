"""One fact once between a closing slide and the sections it sums up: a recap's line ("MISO channels with slow
fading: No beamforming gain, but diversity gain can be achieved") that restates a section's point already on
the sheet ("Transmit diversity versus receive diversity: Diversity gain, but no beamforming gain"), or a
section's point that a chosen recap line already says, is a duplicate a student would not keep twice (blind
dev judges, rubric W3). Only a closing slide's lines are compared with other sections' points: a section's
own points are its own, in its order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from workers.generation.candidates import Group, Point
from workers.generation.sheet_cover import RecapGroup
from workers.generation.sheet_dedupe import covered, said


class Entry(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def group(self) -> Group | None: ...

    @property
    def point(self) -> Point | None: ...


def _recap(e: Entry) -> bool:
    return isinstance(e.group, RecapGroup)


def recap_repeat(item: Entry, chosen: Sequence[Entry]) -> bool:
    """True when a chosen point of another section, one of the two a closing slide's line, says (nearly)
    every content word of ``item``: the first of two such lines stays, a line that says more is no repeat."""
    if item.kind != "point" or item.point is None:
        return False
    mine = said(item.point.text)
    for c in chosen:
        if c.kind != "point" or c.point is None or c.group is item.group:
            continue
        if not (_recap(item) or _recap(c)):
            continue
        if covered(mine, said(c.point.text)):
            return True
    return False
