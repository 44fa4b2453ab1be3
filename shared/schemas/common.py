"""Shared bounds on what clients send, and the base of every read model."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Bounds on what clients send: a database id fits a signed 64-bit integer (SQLite, PostgreSQL bigint), so
# a larger number is a 422 instead of an OverflowError; lists of ids are short.
MAX_ID = 2**63 - 1
MAX_IDS = 500
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
IdList = Annotated[list[DbId], Field(max_length=MAX_IDS)]


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)
