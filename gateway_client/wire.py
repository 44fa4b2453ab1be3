"""Wire shapes of the answers the gateway passes through from the ai worker without a response model
(``POST /search``, ``POST /chat``). Fields beyond the ones named are kept (``extra="allow"``).

They belong beside the other chat schemas in ``shared.schemas`` once the gateway declares them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class SearchHit(_Wire):
    lecture: int
    file: str
    page: int
    score: int | float  # kept as the gateway sent it (an int stays an int in the output)
    text: str
    figure_ids: list[int] = Field(default_factory=list)


class SearchResults(_Wire):
    hits: list[SearchHit]


class Citation(_Wire):
    lecture: int
    file: str
    page: int
    quote: str


class ChatAnswer(_Wire):
    answer: str
    citations: list[Citation]
    seconds_to_first_token: int | float | None = None
