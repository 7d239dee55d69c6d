"""Every error as RFC 9457 ``application/problem+json``, with every problem's JSON path.

A problem's ``type`` is ``/problems/{kind}``, a page of this service that explains the kind
(:mod:`api.problem_types`, where every kind is registered); ``about:blank`` when the HTTP
status says it all (an unknown path, a method not served).

A caller whose ``Accept-Language`` prefers Chinese (``zh``, ``zh-CN``, ``zh-Hans``...) reads
``title``, ``detail`` and each listed problem's ``message`` in Chinese, from the message
catalogue (:mod:`matcher.i18n.messages`, the ``api.`` and ``intake.`` keys), with the English
kept in each problem's ``message_en``; every other caller reads them in English, as before.
Problem documents say which in ``Content-Language``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import PrivateAttr
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.problem_types import type_uri
from api.schemas import ProblemDetails, ProblemItem
from matcher.i18n import MESSAGES, Lang, t
from matcher.intake.issues import Both, Issue, Words, json_path

log = logging.getLogger("matcher.api")

MEDIA_TYPE = "application/problem+json"

Said = str | Words | Both
"""A title or detail: English text (said in Chinese when the catalogue knows its words), or
words of the catalogue."""


# ----------------------------------------------------------------------------- the language


def accepted_lang(header: str | None) -> Lang:
    """The language an ``Accept-Language`` header prefers of the two the API speaks: ``zh``
    for any Chinese tag (``zh``, ``zh-CN``, ``zh-Hans``), ``en`` for English, the highest
    q-value first (RFC 9110 §12.5.4; ``q=0`` refuses), ties in the order given. English when
    the header is absent, speaks neither or cannot be read: callers that never sent it see
    the API as it always answered."""
    if not header:
        return "en"
    ranked: list[tuple[float, int, Lang]] = []
    for position, part in enumerate(header.split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        primary = tag.lower().split("-", 1)[0]
        if weight > 0 and primary in ("zh", "en"):
            ranked.append((-weight, position, "zh" if primary == "zh" else "en"))
    return min(ranked)[2] if ranked else "en"


def request_lang(request: Request) -> Lang:
    """The language of a request's answer (:func:`accepted_lang` of its header)."""
    return accepted_lang(request.headers.get("accept-language"))


# ----------------------------------------------------------------------------- the words


class SaidItem(ProblemItem):
    """A listed problem that knows its Chinese words too (a scenario problem's)."""

    _message_zh: str | None = PrivateAttr(default=None)


def item_of(problem: Issue, path: str | None = None) -> ProblemItem:
    """A scenario problem as a listed problem (at ``path``, its own by default), keeping its
    Chinese words for a caller who asks for them."""
    item = SaidItem(
        path=problem.path if path is None else path,
        message=problem.message,
        id=problem.id,
        severity=problem.severity,
    )
    item._message_zh = problem.message_zh
    return item


@cache
def _templates() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The English of every ``api.`` message as a pattern that reads its fields back."""
    found = []
    for key, (_, en) in MESSAGES.items():
        if not key.startswith("api.") or "{" not in en:
            continue
        pattern, names = "", set()
        for literal, name in re.findall(r"([^{]*)(?:\{(\w+)\})?", en):
            pattern += re.escape(literal)
            if name:
                pattern += f"(?P={name})" if name in names else f"(?P<{name}>.+?)"
                names.add(name)
        found.append((re.compile(pattern + r"\Z", re.DOTALL), key))
    return tuple(found)


@cache
def _plain() -> dict[str, str]:
    """The Chinese of every ``api.`` message without fields, by its English."""
    return {
        en: zh for key, (zh, en) in MESSAGES.items() if key.startswith("api.") and "{" not in en
    }


def in_chinese(english: str) -> str:
    """The Chinese of an English title, detail or message the API answers with, read back
    from the catalogue's ``api.`` messages (the texts are made where the errors are, in
    English); the English itself when the catalogue does not have it."""
    plain = _plain()
    if english in plain:
        return plain[english]
    for pattern, key in _templates():
        found = pattern.match(english)
        if found is not None:
            fields = {name: plain.get(value, value) for name, value in found.groupdict().items()}
            return t(key, "zh", **fields)
    return english


def said(text: Said | None, lang: Lang) -> str | None:
    """A title or detail in ``lang``."""
    if text is None or isinstance(text, str):
        return text if lang == "en" or text is None else in_chinese(text)
    return text.text(lang)


def _items_in(items: list[ProblemItem] | None, lang: Lang) -> list[dict[str, Any]] | None:
    if items is None:
        return None
    out = []
    for item in items:
        row = item.model_dump(exclude_none=True)
        if lang == "zh":
            zh = getattr(item, "_message_zh", None)
            row["message"] = zh if zh is not None else in_chinese(item.message)
            row["message_en"] = item.message
        out.append(row)
    return out


class ApiProblem(Exception):
    """An error the API answers with a problem document (``title`` and ``detail`` in English
    or as catalogue words: said in the language the caller accepts)."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: Said,
        detail: Said | None = None,
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
        super().__init__(said(detail, "en") or said(title, "en"))


def problem_response(
    request: Request,
    status: int,
    title: Said,
    kind: str | None = None,
    detail: Said | None = None,
    errors: list[ProblemItem] | None = None,
    warnings: list[ProblemItem] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The problem document of an error, in the language the request accepts
    (:func:`request_lang`): English unless it prefers Chinese."""
    lang = request_lang(request)
    body = ProblemDetails(
        type=type_uri(kind) if kind else "about:blank",
        title=said(title, lang) or "",
        status=status,
        detail=said(detail, lang),
        instance=request.url.path,
    ).model_dump(exclude_none=True)
    for name, items in (("errors", errors), ("warnings", warnings)):
        listed = _items_in(items, lang)
        if listed is not None:
            body[name] = listed
    return JSONResponse(
        body,
        status_code=status,
        media_type=MEDIA_TYPE,
        headers={**dict(headers or {}), "Content-Language": lang, "Vary": "Accept-Language"},
    )


def items_of(problems: Iterable[Issue], prefix: str = "$") -> list[ProblemItem]:
    """Scenario problems as items, their paths put under ``prefix`` (the request body's
    field that holds the scenario), each with its Chinese words for a caller who wants them."""
    return [item_of(p, prefix + p.path[1:]) for p in problems]


def _location(loc: Sequence[int | str]) -> str:
    where, *rest = loc if loc else ("body",)
    if where == "body":
        return json_path(rest)
    return f"{where}:{'.'.join(str(part) for part in rest)}"


_PHRASES = {
    status: t(f"api.status.{status}", "en")
    for status in (400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 429, 500, 503)
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
        items: list[ProblemItem] = [_request_item(e) for e in error.errors()]
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
        title = _PHRASES.get(error.status_code, t("api.status.other", "en"))
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
            "description": _PHRASES.get(status, t("api.status.other", "en")),
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}},
        }
        for status in statuses
    }


def _request_item(error: Mapping[str, Any]) -> ProblemItem:
    """One of FastAPI's request errors as a listed problem: pydantic's own English, and the
    catalogue's Chinese for its kind (:func:`matcher.intake.loading.pydantic_words`)."""
    from matcher.intake.loading import pydantic_words

    loc = tuple(error.get("loc", ()))
    item = SaidItem(path=_location(loc), message=str(error.get("msg", "")))
    field = tuple(part for part in loc if isinstance(part, str | int))
    try:
        phrase = pydantic_words(error, field[1:] or field)  # type: ignore[arg-type]
    except Exception:  # an error of a kind this cannot read: pydantic's English stays
        phrase = None
    if phrase is not None and phrase.text("zh") != phrase.text("en"):
        item._message_zh = phrase.text("zh")
    return item
