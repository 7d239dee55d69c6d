"""Dependencies of the routes: settings, the store, and the caller's tenant."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request, Security
from fastapi.security import APIKeyHeader

from api.input_checks import is_json
from api.keys import KeyRing
from api.problem_details import ApiProblem
from api.register_store import RegisterStore
from api.schemas import CLEAN_TEXT as CLEAN_TEXT  # the routes' pattern, with the wire shapes
from api.settings import Settings
from api.store import JobStore
from matcher.intake.bounds import printable

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


def get_register_store(request: Request) -> RegisterStore:
    """The app's need register (over the job store's database)."""
    store: RegisterStore = request.app.state.register_store
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


def require_json(request: Request, _tenant: Annotated[str, Depends(get_tenant)]) -> None:
    """415 unless the body is sent as JSON (``application/json``, ``application/*+json``):
    the dependency of the routes that read a JSON body, rather than FastAPI's 422 for "no
    object". It depends on the key, so a caller without one still learns only 401; a route
    that reads the raw bytes (the import) does not use it and takes any content type."""
    sent = request.headers.get("content-type")
    if not is_json(sent):
        raise ApiProblem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            "this route reads a JSON body: send it with Content-Type application/json (or "
            f"application/*+json), not {printable(sent[:100]) if sent else 'no Content-Type'}",
        )


def get_optional_tenant(request: Request) -> str | None:
    """The tenant of the ``X-API-Key`` sent, or None without a valid one (no 401). Read from
    the request, not declared as the security scheme: the route is open to all, and a key
    only adds to its answer."""
    ring: KeyRing = request.app.state.keys
    return ring.tenant_of(request.headers.get("x-api-key"))


JobId = Annotated[
    str, Path(max_length=64, pattern=CLEAN_TEXT, description="A job's id, as POST gave it.")
]

NeedId = Annotated[
    str, Path(max_length=128, pattern=CLEAN_TEXT, description="A need's id, as it was posted.")
]

SettingsDep = Annotated[Settings, Depends(get_settings)]
RegisterDep = Annotated[RegisterStore, Depends(get_register_store)]
StoreDep = Annotated[JobStore, Depends(get_store)]
TenantDep = Annotated[str, Depends(get_tenant)]
OptionalTenantDep = Annotated[str | None, Depends(get_optional_tenant)]
JSON_BODY = Depends(require_json)
"""In a route's ``dependencies``: its body must be sent as JSON (else 415)."""
