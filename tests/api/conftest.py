"""Fixtures of the API tests: stores on SQLite and on a real PostgreSQL server, and clients
of the app with thread workers.

PostgreSQL comes from ``MATCHER_TEST_POSTGRES_URL`` (``.ci/run`` starts a throwaway server
and sets it). Without it the PostgreSQL cases are skipped, except under CI, where they fail:
a store test that did not run must never look green there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from api.app import create_app
from api.database import make_engine, migrate, normalise_url
from api.settings import Settings
from api.store import JobStore

KEYS = "county-a=key-a,county-b=key-b"
A = {"X-API-Key": "key-a"}
B = {"X-API-Key": "key-b"}


def _postgres_base() -> str:
    url = os.environ.get("MATCHER_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("MATCHER_TEST_POSTGRES_URL is not set under CI (.ci/run sets it)")
        pytest.skip("no PostgreSQL server: set MATCHER_TEST_POSTGRES_URL (see .ci/postgres.sh)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jobs.db'}"
        return
    base = sa.engine.make_url(normalise_url(_postgres_base()))
    name = f"matcher_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[JobStore]:
    """A migrated, empty job store."""
    engine = make_engine(database_url)
    migrate(engine)
    try:
        yield JobStore(engine)
    finally:
        engine.dispose()


def settings(tmp_path: Path, **overrides: object) -> Settings:
    """Service settings over a SQLite file in ``tmp_path``, one thread worker."""
    values: dict[str, object] = {
        "api_keys": KEYS,
        "database_url": f"sqlite:///{tmp_path / 'service.db'}",
        "worker_mode": "thread",
        "workers": 1,
        "solver_threads": 1,
        "lease_seconds": 2.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """A client of the app with one thread worker that solves."""
    with TestClient(create_app(settings(tmp_path))) as test_client:
        yield test_client


@pytest.fixture
def idle_client(tmp_path: Path) -> Iterator[TestClient]:
    """A client of the app with no workers: jobs stay queued."""
    with TestClient(create_app(settings(tmp_path), start_workers=False)) as test_client:
        yield test_client
