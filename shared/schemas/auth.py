"""Accounts and tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, EmailStr, Field

from shared.schemas.common import ReadModel


class UserCreate(BaseModel):
    email: EmailStr
    password: str = Field(min_length=8, max_length=256)
    display_name: str = Field(default="", max_length=200)


class UserRead(ReadModel):
    id: int
    email: str
    display_name: str
    created_at: datetime


class LoginRequest(BaseModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(max_length=4096)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int
