"""Dependencies of the routes: settings, the store, and the caller's tenant."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from api.keys import KeyRing
from api.problem_details import ApiProblem
from api.settings import Settings
from api.store import JobStore

_api_key = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="The county's key (one tenant per key)."
)


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> JobStore:
    """The app's job store."""
    store: JobStore = request.app.state.store
    return store


def get_tenant(request: Request, key: Annotated[str | None, Security(_api_key)]) -> str:
    """The tenant of the presented key, or 401."""
    ring: KeyRing = request.app.state.keys
    tenant = ring.tenant_of(key)
    if tenant is None:
        raise ApiProblem(
            401,
            "unauthorised",
            "Unauthorised",
            "send a valid X-API-Key header" if key else "the X-API-Key header is missing",
            headers={"WWW-Authenticate": 'ApiKey header="X-API-Key"'},
        )
    return tenant


def get_optional_tenant(
    request: Request, key: Annotated[str | None, Security(_api_key)]
) -> str | None:
    """The tenant of the presented key, or None without a valid key (no 401)."""
    ring: KeyRing = request.app.state.keys
    return ring.tenant_of(key)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[JobStore, Depends(get_store)]
TenantDep = Annotated[str, Depends(get_tenant)]
OptionalTenantDep = Annotated[str | None, Depends(get_optional_tenant)]
