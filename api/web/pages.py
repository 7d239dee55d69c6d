"""The page routes, the templates' context and the static files' mount."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from api.web.report import router as report_router
from matcher import __version__

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
STRINGS = HERE / "strings"
STATIC_URL = "/app/static"
LANGUAGES = ("en", "zh")

# Nothing from another origin, ever. The report is shown in a sandboxed frame from the
# job's HTML text (``srcdoc``), which inherits this policy: its inline script and styles
# need 'unsafe-inline'; the pages' own scripts are files.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'self' blob: about:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=HERE / "templates")


@cache
def strings() -> dict[str, dict[str, str]]:
    """The labels of each language, one dictionary per language (``strings/*.json``)."""
    return {
        lang: json.loads((STRINGS / f"{lang}.json").read_text(encoding="utf-8"))
        for lang in LANGUAGES
    }


@cache
def static_url(name: str) -> str:
    """A static file's URL, with its content hash so that a browser never keeps an old one."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    return f"{STATIC_URL}/{name}?v={digest}"


def _label(key: str) -> str:
    """The English label, the text a page has before its script applies the chosen one."""
    return strings()["en"].get(key, key)


def _page(request: Request, page: str, **context: object) -> HTMLResponse:
    response = templates.TemplateResponse(
        request,
        f"{page}.html",
        {
            "page": page,
            "t": _label,
            "strings": strings(),
            "static": static_url,
            "version": __version__,
            **context,
        },
    )
    response.headers.update(HEADERS)
    assert isinstance(response, HTMLResponse)
    return response


@router.get("/")
def root() -> RedirectResponse:
    """The pages start at the job list."""
    return RedirectResponse("/app/", status_code=307)


@router.get("/app")
def app_root() -> RedirectResponse:
    """``/app`` is ``/app/``."""
    return RedirectResponse("/app/", status_code=307)


@router.get("/app/", response_class=HTMLResponse)
def job_list(request: Request) -> HTMLResponse:
    """The county's jobs: status, objective, gap, households reached, created."""
    return _page(request, "list")


@router.get("/app/new", response_class=HTMLResponse)
def new_plan(request: Request) -> HTMLResponse:
    """Upload a scenario, see its problems located, pick the options, submit."""
    return _page(request, "new")


@router.get("/app/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    """One job: live progress, stop, then the report and the downloads."""
    return _page(request, "job", job_id=job_id)


@router.get("/app/compare", response_class=HTMLResponse)
def compare(request: Request) -> HTMLResponse:
    """Two plans side by side: the plan diff and the KPIs."""
    return _page(request, "compare")


@router.get("/app/service", response_class=HTMLResponse)
def service(request: Request) -> HTMLResponse:
    """The service loop's dashboard: received, on time, response days, resolution,
    satisfaction and changes per publish, by town and category (DESIGN §10)."""
    return _page(request, "service")


def install(app: FastAPI) -> None:
    """Serve the pages and their static files on ``app``."""
    app.include_router(router)
    app.include_router(report_router)  # the job page's report, in the page's language
    app.mount(STATIC_URL, StaticFiles(directory=STATIC), name="web-static")
