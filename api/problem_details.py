"""Every error as RFC 9457 ``application/problem+json``, with every problem's JSON path.

A problem's ``type`` is ``/problems/{kind}``, a page of this service that explains the kind
(:mod:`api.problem_types`, where every kind is registered); ``about:blank`` when the HTTP
status says it all (an unknown path, a method not served).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.problem_types import type_uri
from api.schemas import ProblemDetails, ProblemItem
from matcher.intake.issues import Issue, json_path

log = logging.getLogger("matcher.api")

MEDIA_TYPE = "application/problem+json"


class ApiProblem(Exception):
    """An error the API answers with a problem document."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str | None = None,
        errors: Iterable[ProblemItem] | None = None,
        warnings: Iterable[ProblemItem] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.errors = list(errors) if errors is not None else None
        self.warnings = list(warnings) if warnings is not None else None
        self.headers = dict(headers or {})
        super().__init__(detail or title)


def problem_response(
    request: Request,
    status: int,
    title: str,
    kind: str | None = None,
    detail: str | None = None,
    errors: list[ProblemItem] | None = None,
    warnings: list[ProblemItem] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The problem document of an error."""
    body = ProblemDetails(
        type=type_uri(kind) if kind else "about:blank",
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
        warnings=warnings,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=dict(headers or {}),
    )


def items_of(problems: Iterable[Issue], prefix: str = "$") -> list[ProblemItem]:
    """Scenario problems as items, their paths put under ``prefix`` (the request body's
    field that holds the scenario)."""
    return [
        ProblemItem(path=prefix + p.path[1:], message=p.message, id=p.id, severity=p.severity)
        for p in problems
    ]


def _location(loc: Sequence[int | str]) -> str:
    where, *rest = loc if loc else ("body",)
    if where == "body":
        return json_path(rest)
    return f"{where}:{'.'.join(str(part) for part in rest)}"


_PHRASES = {
    400: "Bad request",
    401: "Unauthorised",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


_KINDS = {413: "body-too-large"}
"""Kinds of the framework's HTTP errors that are more than their status: the body limit is
the service's own setting (raised while a route reads the body)."""

_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> str | None:
    """Every method the request's path is served with. Starlette's 405 names only the
    methods of the first route whose path matched (``POST`` for ``/v1/plans``, though ``GET``
    is served there too); RFC 9110 §15.5.6 wants all of the resource's methods."""
    allowed = []
    for method in _METHODS:
        scope = {
            "type": "http",
            "path": request.scope["path"],
            "root_path": request.scope.get("root_path", ""),
            "method": method,
        }
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed) or None


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, error: ApiProblem) -> JSONResponse:
        return problem_response(
            request,
            error.status,
            error.title,
            error.kind,
            error.detail,
            error.errors,
            error.warnings,
            error.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        items = [
            ProblemItem(path=_location(tuple(e.get("loc", ()))), message=str(e.get("msg", "")))
            for e in error.errors()
        ]
        return problem_response(
            request,
            422,
            "The request is not valid",
            "request-invalid",
            f"{len(items)} problem(s) in the request",
            items,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        title = _PHRASES.get(error.status_code, "Error")
        detail = error.detail if isinstance(error.detail, str) else None
        headers = dict(error.headers or {})
        if error.status_code == 405:
            allow = _allowed_methods(request)
            if allow:
                headers["Allow"] = allow
        kind = _KINDS.get(error.status_code)
        return problem_response(request, error.status_code, title, kind, detail, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        # Never the message: it may quote scenario content.
        log.error("%s %s: %s", request.method, request.url.path, type(error).__name__)
        return problem_response(request, 500, "Internal server error", "internal")


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries of the problem documents a route may answer with."""
    return {
        status: {
            "model": ProblemDetails,
            "description": _PHRASES.get(status, "Error"),
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}},
        }
        for status in statuses
    }
