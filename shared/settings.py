"""Settings for every process: environment variables (``SMARTNOTES_*``) and an optional ``.env`` file.

A few well-known deployment variables (``DATABASE_URL``, ``REDIS_URL``, ``CHROMA_URL``, ``OLLAMA_HOST``)
are accepted without the prefix as well, so a compose file or a PaaS can set them the usual way.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev-secret-change-me"}
DEV_SECRET = "dev-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SMARTNOTES_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    secret_key: str = DEV_SECRET
    webhook_secret: str = ""

    data_dir: Path = Path("data")
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("SMARTNOTES_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL; empty means a SQLite file in data_dir.",
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0",
        validation_alias=AliasChoices("SMARTNOTES_REDIS_URL", "REDIS_URL"),
    )
    chroma_url: str = Field(default="", validation_alias=AliasChoices("SMARTNOTES_CHROMA_URL", "CHROMA_URL"))
    ollama_host: str = Field(
        default="", validation_alias=AliasChoices("SMARTNOTES_OLLAMA_HOST", "OLLAMA_HOST")
    )

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    frontend_port: int = 8501
    public_api_url: str = Field(default="", description="URL the frontend uses to reach the gateway.")

    access_token_minutes: int = 15
    refresh_token_days: int = 30

    max_upload_mb: int = 50
    max_pages: int = 500
    rate_limit_login: str = "10/minute"
    rate_limit_upload: str = "30/minute"

    task_soft_time_limit: int = 1800
    task_time_limit: int = 1900
    task_max_retries: int = 3
    webhook_max_attempts: int = 5
    webhook_backoff_seconds: float = 1.0
    broker_visibility_timeout: int = Field(
        default=0,
        ge=0,
        description="seconds until Redis redelivers a task whose worker died; 0: task_time_limit + 600",
    )

    # Operations: worker metrics, the beat's maintenance task
    worker_metrics_port: int = Field(
        default=0, ge=0, le=65535, description="Prometheus port of each worker process; 0 = off"
    )
    maintenance_interval_seconds: int = Field(
        default=3600, ge=0, description="how often beat runs maintenance.cleanup; 0 = never"
    )

    # Ingestion (workers/ocr)
    layout_detector: Literal["rapid_layout", "none"] = "rapid_layout"
    ocr_engine: Literal["tesserocr", "tesseract"] = Field(
        default="tesserocr",
        description="tesserocr: Tesseract in-process (fast); tesseract: the CLI via pytesseract",
    )
    ocr_parallel_pages: int = Field(default=2, ge=1, le=16, description="pages read at once in one task")
    onnx_threads: int = Field(default=1, ge=1, le=16)
    ocr_dpi: int = Field(default=150, ge=72, le=400)
    figure_min_area: float = Field(default=0.015, ge=0.0, le=1.0, description="share of the page")
    libreoffice_timeout: int = 180

    # Chat and generation (workers/ai, workers/generation)
    llm_provider: Literal["llamacpp", "ollama", "openai"] = "llamacpp"
    llm_model: str = Field(default="", description="a GGUF path for llamacpp (default: bundled), else a name")
    llm_base_url: str = Field(default="", description="OpenAI-compatible server, e.g. http://host:8080/v1")
    llm_api_key: str = ""
    llm_threads: int = Field(default=2, ge=1, le=64)
    answer_style: Literal["auto", "extractive", "model"] = Field(
        default="auto",
        description="chat answers: the slides' own sentences (extractive) or the model's; auto: extractive "
        "with the bundled tiny model only",
    )
    embedding_provider: Literal["minilm", "ollama"] = "minilm"
    embedding_model: str = Field(default="", description="ollama: the embedding model name")
    embedding_precision: Literal["auto", "fp32", "bf16"] = Field(
        default="auto",
        description="minilm: bf16 is about 2.7x faster where the CPU has bf16 kernels (auto picks it there)",
    )
    generation_llm_seconds: float = Field(
        default=12.0, ge=0, le=600, description="LLM time per generated document; the rest is extractive"
    )
    fsrs_enable_fuzzing: bool = Field(
        default=False, description="FSRS interval fuzz (off: the next-due dates shown are the ones applied)"
    )

    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.environment == "production" and self.secret_key.strip().lower() in PLACEHOLDER_SECRETS:
            raise ValueError(
                "SMARTNOTES_SECRET_KEY is a placeholder; set a long random value outside development"
            )
        if self.environment == "production" and len(self.secret_key) < 32:
            raise ValueError("SMARTNOTES_SECRET_KEY must be at least 32 characters in production")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Heroku-style URLs name the scheme "postgres"; SQLAlchemy wants "postgresql".
            if url.startswith("postgres://"):
                url = "postgresql://" + url[len("postgres://") :]
            return url
        return f"sqlite:///{(self.data_dir / 'smartnotes.db').resolve()}"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def generated_dir(self) -> Path:
        return self.data_dir / "generated"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def signing_secret(self) -> str:
        return self.webhook_secret or self.secret_key

    @property
    def api_url(self) -> str:
        return self.public_api_url or f"http://{self.api_host}:{self.api_port}"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; composition roots call this once, tests build their own."""
    return Settings()
