"""Settings for every process: environment variables (``SMARTNOTES_*``) and an optional ``.env`` file.

A few well-known deployment variables (``DATABASE_URL``, ``REDIS_URL``, ``CHROMA_URL``, ``OLLAMA_HOST``)
are accepted without the prefix as well, so a compose file or a PaaS can set them the usual way.
"""

from __future__ import annotations

import ipaddress
import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev-secret-change-me"}
DEV_SECRET = "dev-secret-change-me"
UPLOAD_OVERHEAD_BYTES = 1024 * 1024  # multipart framing, title and webhook_url around the file


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SMARTNOTES_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    secret_key: str = Field(
        default=DEV_SECRET,
        description="signs login tokens; `make run` generates one in data_dir/secret_key when unset",
    )
    webhook_secret: str = Field(
        default="",
        description="signs outgoing webhooks (never the token key); empty: data_dir/webhook_secret, "
        "generated on first use and kept with mode 0600",
    )
    webhook_allow_private: bool = Field(
        default=False,
        description="let webhook_url point at loopback, private, link-local or reserved addresses "
        "(on-premise receivers); off: only globally routable addresses",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="addresses or networks (CIDR) whose X-Forwarded-For / X-Forwarded-Proto are believed; "
        "empty: none (the peer address is the client)",
    )
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="browser origins allowed to open the WebSocket; empty: the app's own "
        "(the frontend on api_host/localhost/127.0.0.1 and the API URL)",
    )
    ws_session_check_seconds: float = Field(
        default=60.0, gt=0, le=3600, description="how often an open WebSocket re-checks its session"
    )
    max_json_body_kb: int = Field(
        default=1024, ge=16, le=65536, description="request bodies other than uploads, in KiB"
    )

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
    rate_limit_login: str = Field(
        default="10/minute", description="sign-in and registration attempts per client address"
    )
    rate_limit_login_failures: str = Field(
        default="5/15minutes", description="failed sign-ins per email and client address together"
    )
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
    fsrs_optimize_interval_seconds: int = Field(
        default=7 * 24 * 3600,
        ge=0,
        description="how often beat re-fits the FSRS parameters of users with enough reviews; 0 = never",
    )

    # Ingestion (workers/ocr)
    layout_detector: Literal["rapid_layout", "none"] = "rapid_layout"
    ocr_engine: Literal["tesserocr", "tesseract"] = Field(
        default="tesserocr",
        description="tesserocr: Tesseract in-process (fast); tesseract: the CLI via pytesseract",
    )
    ocr_fallback: Literal["rapidocr", "none"] = Field(
        default="rapidocr",
        description="a second OCR engine for pages Tesseract reads badly (handwriting, photos): rapidocr "
        "(PP-OCRv4, bundled ONNX models; Latin and Chinese script); none: Tesseract only",
    )
    ocr_fallback_max_side: int = Field(
        default=1100, ge=400, le=4000, description="longest side (pixels) of a page the second engine reads"
    )
    ocr_parallel_pages: int = Field(default=2, ge=1, le=16, description="pages read at once in one task")
    onnx_threads: int = Field(default=1, ge=1, le=16)
    ocr_dpi: int = Field(default=150, ge=72, le=400)
    figure_min_area: float = Field(default=0.015, ge=0.0, le=1.0, description="share of the page")
    libreoffice_timeout: int = 180
    libreoffice_memory_mb: int = Field(
        default=2048, ge=256, description="address-space limit (RLIMIT_AS) of each LibreOffice conversion"
    )
    libreoffice_user: str = Field(
        default="nobody",
        description="when the worker runs as root, LibreOffice runs as this user; empty: never switch",
    )
    max_render_px: int = Field(
        default=4000, ge=500, le=20000, description="longest side of any rendered page (dpi scaled down)"
    )

    # Uploaded archives (PPTX / DOCX / ODP are zip files), judged from the zip directory before queuing
    archive_max_entries: int = Field(default=5000, ge=10, description="files inside one upload")
    archive_max_uncompressed_mb: int = Field(default=300, ge=1, description="their total expanded size")
    archive_max_ratio: int = Field(
        default=200, ge=10, description="expanded/compressed size of one file (files above 10 MiB)"
    )

    # Worker memory: a ceiling per task (prefork child) and bounded redelivery of tasks whose worker died
    worker_memory_mb: int = Field(
        default=4096, ge=0, description="data-segment limit (RLIMIT_DATA) of each task process; 0 = none"
    )
    worker_max_memory_per_child_mb: int = Field(
        default=2048, ge=0, description="a worker child above this resident size is replaced; 0 = never"
    )
    task_max_deliveries: int = Field(
        default=2, ge=1, description="deliveries of one task whose worker died before its job fails"
    )
    max_active_ingest_per_user: int = Field(
        default=2,
        ge=0,
        description="a user's ingest jobs in the ocr queue at once; the rest wait their turn; 0 = no cap",
    )

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

    @field_validator("trusted_proxies", "allowed_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        """Environment values: a comma-separated list (or a JSON list)."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [item.strip() for item in text.split(",") if item.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for item in value:
            ipaddress.ip_network(item, strict=False)  # ValueError names the bad entry
        return value

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
    def trusted_proxy_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(item, strict=False) for item in self.trusted_proxies]

    @property
    def max_json_body_bytes(self) -> int:
        return self.max_json_body_kb * 1024

    @property
    def max_upload_request_bytes(self) -> int:
        """An upload request's whole body: the file plus the multipart framing and form fields."""
        return self.max_upload_bytes + UPLOAD_OVERHEAD_BYTES

    @property
    def websocket_origins(self) -> list[str]:
        if self.allowed_origins:
            return [o.rstrip("/") for o in self.allowed_origins]
        wildcard = {"0.0.0.0", "::"}  # noqa: S104 (a listening address, never an origin)
        hosts = [h for h in dict.fromkeys([self.api_host, "127.0.0.1", "localhost"]) if h not in wildcard]
        origins = [f"http://{h}:{self.frontend_port}" for h in hosts]
        origins += [f"http://{h}:{self.api_port}" for h in hosts]
        origins.append(self.api_url.rstrip("/"))
        return list(dict.fromkeys(origins))

    @property
    def api_url(self) -> str:
        return self.public_api_url or f"http://{self.api_host}:{self.api_port}"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; composition roots call this once, tests build their own."""
    return Settings()
