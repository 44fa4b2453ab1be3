"""What this installation runs: the providers and limits the app shows on its Settings page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from pydantic import BaseModel

from gateway.deps import AppContainer, CurrentUser

router = APIRouter(prefix="/settings", tags=["settings"])
BUNDLED_LLM = "SmolLM2-135M-Instruct (bundled)"


class RuntimeRead(BaseModel):
    llm_provider: str
    llm_model: str
    embedding_provider: str
    ocr_engine: str
    layout_detector: str
    max_upload_mb: int
    max_pages: int  # pages (or image frames) one upload may have


@router.get("/runtime")
def runtime(user: CurrentUser, container: AppContainer) -> RuntimeRead:
    """The providers in use (never secrets such as API keys or URLs with credentials)."""
    settings = container.settings
    model = settings.llm_model
    if settings.llm_provider == "llamacpp":  # a GGUF path: its file name says enough
        model = Path(model).name if model else BUNDLED_LLM
    return RuntimeRead(
        llm_provider=settings.llm_provider,
        llm_model=model,
        embedding_provider=settings.embedding_provider,
        ocr_engine=settings.ocr_engine,
        layout_detector=settings.layout_detector,
        max_upload_mb=settings.max_upload_mb,
        max_pages=settings.max_pages,
    )
