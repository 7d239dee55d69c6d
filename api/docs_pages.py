"""The API's reference pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served whole by
this service: their scripts and styles come from the ``fastapi-offline`` package (it ships
Swagger UI's and ReDoc's bundles) at :data:`ASSETS_URL`, never from a CDN, so the reference
opens on a county network without the internet. FastAPI's own pages are turned off
(``docs_url=None``): they load the bundles from jsDelivr.

ReDoc's bundle names one remote file of its own, the "API docs by Redocly" logo on
``cdn.redoc.ly``, which it loads whatever its options: the bundle is served with that address
replaced by the service's icon. A content security policy keeps the pages on this origin, so
anything else that reached out would fail in the browser (and the browser test), not quietly
load.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from fastapi import Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

ASSETS_URL = "/static-docs"
"""Where Swagger UI's and ReDoc's bundles are served."""
FAVICON_URL = "/app/static/favicon.svg"  # the planners' pages' icon (api.web)
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
}
"""The bundles served, with their media types."""
_REMOTE = {"redoc.standalone.js": {"https://cdn.redoc.ly/redoc/logo-mini.svg": FAVICON_URL}}
"""Remote addresses a bundle names, and what is served in their place."""

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",  # the pages' inline start-up script
        "style-src 'self' 'unsafe-inline'",  # styles the bundles inject
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",  # /openapi.json and Swagger UI's "Try it out"
        "worker-src 'self' blob:",  # ReDoc's search
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def assets() -> Path:
    """The folder of the bundles (``swagger-ui-bundle.js``, ``swagger-ui.css``,
    ``redoc.standalone.js``) in the installed ``fastapi-offline`` package."""
    return Path(str(files("fastapi_offline") / "static"))


@cache
def asset_bytes(name: str) -> bytes:
    """A bundle as served: the package's file, its remote addresses made local (read once)."""
    data = (assets() / name).read_bytes()
    for remote, local in _REMOTE.get(name, {}).items():
        data = data.replace(remote.encode(), local.encode())
    return data


def asset(name: str) -> Response:
    """``/static-docs/{name}``: one of :data:`ASSETS`, or 404."""
    media_type = ASSETS.get(name)
    if media_type is None:
        raise HTTPException(404, "no such asset of the API reference")
    return Response(
        asset_bytes(name),
        media_type=media_type,
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


def _root(request: Request) -> str:
    root: str = request.scope.get("root_path", "")
    return root


def swagger_ui(request: Request) -> HTMLResponse:
    """``/docs``: Swagger UI over this service's OpenAPI document, from local assets. The
    spec validator badge is off (it would send the document to validator.swagger.io)."""
    root = _root(request)
    page = get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} — Swagger UI",
        swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{root}{FAVICON_URL}",
        oauth2_redirect_url=None,
        swagger_ui_parameters={**(request.app.swagger_ui_parameters or {}), "validatorUrl": None},
    )
    page.headers.update(HEADERS)
    return page


def redoc(request: Request) -> HTMLResponse:
    """``/redoc``: ReDoc over this service's OpenAPI document, from local assets and without
    Google Fonts."""
    root = _root(request)
    page = get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} — ReDoc",
        redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{root}{FAVICON_URL}",
        with_google_fonts=False,
    )
    page.headers.update(HEADERS)
    return page
