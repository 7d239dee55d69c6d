"""The FastAPI application: routers, error handling, limits, and the store and workers it
starts and stops with itself."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import problem_details
from api.database import make_engine, migrate
from api.input_checks import InputCheck
from api.keys import load_key_ring
from api.limits import BodyLimit
from api.register_store import RegisterStore
from api.routes import docs, files, plans, register, rosters, scenarios, schedule, service
from api.settings import Settings
from api.store import JobStore
from api.web import install as install_pages
from api.worker import WorkerConfig, WorkerPool
from matcher import __version__

log = logging.getLogger("matcher.api")


def create_app(settings: Settings | None = None, start_workers: bool = True) -> FastAPI:
    """The service. ``start_workers=False`` serves the API over the store without solving
    (tests of the routes alone; a web tier in front of separate workers)."""
    settings = settings or Settings()
    keys = load_key_ring(settings.api_keys, settings.api_keys_file)
    if not keys:
        log.warning("no API keys configured: every request but /v1/health gets 401")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        migrate(engine)
        store = JobStore(engine)
        pool = None
        if start_workers:
            config = WorkerConfig(settings.database_url, settings.threads_per_solve)
            pool = WorkerPool(
                store,
                config,
                settings.workers,
                settings.worker_mode,
                settings.lease_seconds,
                settings.max_attempts,
            )
            pool.start()
        app.state.store = store
        app.state.register_store = RegisterStore(engine)
        app.state.pool = pool
        try:
            yield
        finally:
            if pool is not None:
                pool.stop()
            engine.dispose()

    app = FastAPI(
        title="Baolian Matcher API",
        version=__version__,
        description=(
            "Solve county 包村联户 matching scenarios as durable jobs, follow their progress, "
            "and read the plans' duplicate-aid and blind-spot reports. Every route but "
            "/v1/health needs an `X-API-Key`; each key sees only its county's jobs. Errors "
            "are RFC 9457 `application/problem+json`, whose `type` is a page of this "
            "service saying what the problem means and what to do (`/problems` lists them)."
        ),
        lifespan=lifespan,
        # FastAPI's own /docs and /redoc load their scripts from a CDN; api.routes.docs
        # serves both with local assets (api.docs_pages).
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.keys = keys
    app.state.pool = None
    problem_details.install(app)
    app.add_middleware(InputCheck)  # inside BodyLimit: it reads what BodyLimit counts
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["X-API-Key", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
        )
    for router in (
        plans.router,
        files.plans_router,
        rosters.router,
        schedule.router,
        scenarios.router,
        files.scenarios_router,
        register.county_router,
        register.needs_router,
        register.router,
        service.router,
    ):
        app.include_router(router)
    install_pages(app)  # the planners' pages at /app/ (no data in them: no key to load)
    app.include_router(docs.router)  # /docs, /redoc and /problems: no key, not in the document
    _problem_documents_only(app)
    return app


def _problem_documents_only(app: FastAPI) -> None:
    """Errors are documented as ``application/problem+json`` only: FastAPI would also list
    their model under the route's own media type (JSON, HTML), which they never use."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for path in schema.get("paths", {}).values():
                for operation in path.values():
                    for status, answer in operation.get("responses", {}).items():
                        content = answer.get("content", {})
                        if status.startswith(("4", "5")) and problem_details.MEDIA_TYPE in content:
                            answer["content"] = {
                                problem_details.MEDIA_TYPE: content[problem_details.MEDIA_TYPE]
                            }
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
