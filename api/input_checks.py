"""Every request's text and JSON body checked once, before FastAPI and the store see them.

The path, the query and the headers the service reads (``Idempotency-Key``,
``Last-Event-ID``) must be clean text (:func:`matcher.intake.bounds.text_problem`): a NUL in a
job id reaches PostgreSQL as a query parameter it refuses (a 500 where SQLite says 404), so
unclean text is a located 422 before any route runs, the same on every store.

FastAPI answers a body it cannot parse with a bare 400 ("There was an error parsing the body")
for anything but a syntax error — invalid UTF-8, a number past Python's 4,300-digit limit,
100,000 levels of nesting — and passes lone surrogates and control characters on to handlers,
stores and renderers that then fail with a 500. This middleware parses the body with
:func:`matcher.intake.loading.parse_json_bytes` and checks every value with
:func:`matcher.intake.bounds.unsafe_values`, so each of those is a problem document with a
location (422, as FastAPI answers a JSON syntax error), then replays the
body unchanged to the application.

A body sent as another media type passes on untouched: the JSON routes answer it 415
(:func:`api.deps.require_json`), a route that reads the bytes itself takes it.
"""

from __future__ import annotations

import email.message
from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.keys import KeyRing
from api.limits import BodyTooLarge
from api.problem_details import item_of, problem_response
from api.schemas import ProblemItem
from matcher.intake.bounds import printable, text_problem_words, unsafe_values
from matcher.intake.issues import Both, Issue, ScenarioInvalid, words
from matcher.intake.loading import decode_utf8, parse_json_bytes

_BODY = words("intake.the_request_body")

_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def is_json(content_type: str | None) -> bool:
    """Whether a Content-Type names JSON (``application/json``, ``application/*+json``)."""
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _items(issues: Sequence[Issue]) -> list[ProblemItem]:
    return [item_of(issue) for issue in issues]


_CHECKED_HEADERS = ("idempotency-key", "last-event-id")


def unclean_text(request: Request) -> list[Issue]:
    """The parts of a request's path, query and read headers that are not clean text."""
    found = []
    problem = text_problem_words(request.url.path)
    if problem is not None:
        found.append(Issue.said("path", "api.unclean.path", problem=problem))
    for key, value in request.query_params.multi_items():
        problem = text_problem_words(key) or text_problem_words(value)
        if problem is not None:
            where = f"query.{printable(key)}"
            found.append(Issue.said(where, "api.unclean.query", problem=problem))
    for header in _CHECKED_HEADERS:
        sent = request.headers.get(header)
        problem = None if sent is None else text_problem_words(sent)
        if problem is not None:
            found.append(Issue.said(f"header.{header}", "api.unclean.header", problem=problem))
    return found


def _has_a_key(request: Request) -> bool:
    ring: KeyRing = request.app.state.keys
    return ring.tenant_of(request.headers.get("x-api-key")) is not None


class InputCheck:
    """ASGI middleware: refuse unclean text in the path, query or read headers, and a JSON body
    that is not JSON or holds values no field accepts, each located."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if not _has_a_key(request):
            # Callers without a valid key learn nothing but 401 (or a page's 404): the routes
            # refuse them before reading anything, so nothing unclean reaches a store.
            await self.app(scope, receive, send)
            return
        unclean = unclean_text(request)
        if unclean:
            await problem_response(
                request,
                422,
                words("api.title.request_invalid"),
                "request-invalid",
                words("api.detail.unclean"),
                errors=_items(unclean),
            )(scope, receive, send)
            return
        if scope["method"] not in _WITH_BODY or not is_json(request.headers.get("content-type")):
            await self.app(scope, receive, send)
            return
        try:
            body = await request.body()
        except BodyTooLarge as too_large:  # BodyLimit counts what is read here
            await problem_response(
                request,
                413,
                words("api.status.413"),
                "body-too-large",
                str(too_large.detail),
            )(scope, receive, send)
            return
        if body:
            answer = _unreadable(request, body)
            if answer is not None:
                await answer(scope, receive, send)
                return
        await self.app(scope, _replay(body, receive), send)


def _unreadable(request: Request, body: bytes) -> Response | None:
    """The problem answer to a JSON body that cannot be used, or None: 400 when it is not
    UTF-8 text (FastAPI's status for an undecodable body), 422 when it is not JSON (FastAPI's
    for a syntax error) or holds values no field accepts; each with its location."""
    try:
        decode_utf8(body, _BODY)
    except ScenarioInvalid as invalid:
        return _problem(request, 400, "api.title.body_not_utf8", "body-not-json", invalid)
    try:
        document = parse_json_bytes(body, _BODY)
    except ScenarioInvalid as invalid:
        return _problem(request, 422, "api.title.body_not_json", "body-not-json", invalid)
    unsafe = unsafe_values(document)
    if unsafe:
        return problem_response(
            request,
            422,
            words("api.title.request_invalid"),
            "request-invalid",
            words("api.detail.unsafe_values", count=len(unsafe)),
            errors=_items(unsafe),
        )
    return None


def _problem(
    request: Request, status: int, title: str, kind: str, invalid: ScenarioInvalid
) -> Response:
    first = invalid.errors[0]
    detail = Both(first.text("zh"), first.message)
    return problem_response(
        request, status, words(title), kind, detail, errors=_items(invalid.errors)
    )


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body already read, then waits on the client as before."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
