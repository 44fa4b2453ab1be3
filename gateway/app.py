"""The gateway's composition root: ``create_app(settings)``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import sqlalchemy.exc
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.body_limit import BodySizeLimitMiddleware
from gateway.container import Container
from gateway.metrics import make_registry
from gateway.proxies import TrustedProxyMiddleware
from gateway.responses import HTTP_CODES, error_body
from gateway.responses import error_response as _error_response
from gateway.routes import (
    auth,
    browser_session,
    chat,
    documents,
    flashcards,
    generation,
    health,
    jobs,
    lectures,
    runtime,
    shares,
    stats,
    study_plan,
    subjects,
    ws,
)
from gateway.webhooks import run_delivery_loop
from shared.errors import AppError
from shared.keys import ensure_secrets
from shared.logging import REQUEST_ID_HEADER, configure_logging, request_id, request_id_var
from shared.settings import Settings, get_settings

API_PREFIX = "/api/v1"

log = logging.getLogger("gateway")

# re-exported for the modules that imported them from here
__all__ = ["API_PREFIX", "HTTP_CODES", "app_factory", "create_app", "error_body"]


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(_: Request, exc: AppError) -> JSONResponse:
        return _error_response(exc.status_code, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return _error_response(400, "MALFORMED_JSON", "The request body is not valid JSON.")
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")} for e in errors
        ]
        return _error_response(422, "VALIDATION_ERROR", "Some fields are missing or invalid.", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = getattr(exc, "code", None) or HTTP_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
        return _error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(sqlalchemy.exc.DataError)
    async def data_error(_: Request, exc: sqlalchemy.exc.DataError) -> JSONResponse:
        # What the schemas let through but the database cannot store: a NUL character in a PostgreSQL text
        # column, a number out of the column's range. The client's input, so a 422, never a 500.
        log.info("database refused a value: %s", exc.orig)
        return _error_response(
            422,
            "INVALID_VALUE",
            "A value is out of range or contains a character that cannot be stored (such as NUL).",
        )

    @app.exception_handler(Exception)
    async def unhandled(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return _error_response(500, "INTERNAL_ERROR", "Something went wrong on our side; it has been logged.")


def create_app(settings: Settings | None = None, *, start_background: bool = True) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(level=settings.log_level, json_logs=settings.log_json, service="gateway")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        container = Container.build(settings)
        app.state.container = container
        app.state.metrics_registry, app.state.latency = make_registry(container)
        stop = asyncio.Event()
        webhook_task = asyncio.create_task(run_delivery_loop(container, stop)) if start_background else None
        try:
            yield
        finally:
            stop.set()
            if webhook_task is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(webhook_task, timeout=5)
            with contextlib.suppress(Exception):
                await container.aredis.aclose()
            container.close()

    app = FastAPI(
        title="MySmartNotes API",
        version="1",
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    # Innermost of the middlewares: a too-large body is refused before any route, dependency or
    # authentication reads it (and before a multipart upload is spooled to disk).
    app.add_middleware(BodySizeLimitMiddleware, settings=settings)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=[REQUEST_ID_HEADER],
    )

    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        rid = request_id(request.headers.get(REQUEST_ID_HEADER, ""))
        token = request_id_var.set(rid)
        start = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            response.headers[REQUEST_ID_HEADER] = rid
            return response
        finally:
            elapsed = time.perf_counter() - start
            route = request.scope.get("route")
            path = getattr(route, "path", "unmatched")
            latency = getattr(request.app.state, "latency", None)
            if latency is not None:
                latency.labels(request.method, path, str(status)).observe(elapsed)
            log.info(
                "%s %s %s %.1f ms",
                request.method,
                path,
                status,
                elapsed * 1000,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": status,
                    "ms": round(elapsed * 1000, 1),
                },
            )
            request_id_var.reset(token)

    # Outermost: every layer below sees the client address the trusted proxy vouched for.
    app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxy_networks)

    _install_error_handlers(app)
    app.include_router(health.router)
    for router in (
        auth.router,
        browser_session.router,
        subjects.router,
        lectures.router,
        jobs.router,
        documents.router,
        chat.router,
        generation.router,
        flashcards.router,
        shares.router,
        study_plan.router,
        runtime.router,
        stats.router,
        ws.router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    return app


def app_factory() -> FastAPI:
    """Entry point for `uvicorn --factory gateway.app:app_factory`.

    Without SMARTNOTES_SECRET_KEY (outside production, which refuses to start so), the key generated into
    the data dir is used, as `make run` does: never the published placeholder."""
    return create_app(ensure_secrets(get_settings()))
