"""The API's reference pages, ``/docs`` and ``/redoc``, with local assets
(:mod:`api.docs_pages`), and the pages of the problem types (:mod:`api.problem_types`). No
key is needed and none of them is part of the OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api import docs_pages, problem_types

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI: every operation, with "Try it out" against this service."""
    return docs_pages.swagger_ui(request)


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc: the same document as a reference to read."""
    return docs_pages.redoc(request)


@router.get(docs_pages.ASSETS_URL + "/{name}")
def reference_asset(name: str) -> Response:
    """Swagger UI's and ReDoc's scripts and styles, from the installed package."""
    return docs_pages.asset(name)


@router.get(problem_types.BASE)
def problem_types_index(request: Request) -> Response:
    """Every kind of problem the API answers: HTML, or JSON for ``Accept: application/json``."""
    return problem_types.index_page(request.headers.get("accept"))


@router.get(problem_types.BASE + "/{kind}")
def problem_type(kind: str, request: Request) -> Response:
    """What one kind of problem means and what to do (the ``type`` of its documents)."""
    return problem_types.problem_page(kind, request.headers.get("accept"))
