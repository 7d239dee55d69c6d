"""Every kind of problem the API answers, and the page each problem document's ``type`` names.

A problem document (RFC 9457) says what kind of problem it is in ``type``: here the relative
URI reference ``/problems/{kind}``, which resolves against the request's own address to a page
of this service that says what the problem means and what to do, in HTML for a person and in
JSON for a program (``Accept: application/json``). ``/problems`` lists them all.

:data:`PROBLEM_TYPES` is the one registry: every ``kind`` given to
:class:`api.problem_details.ApiProblem` or :func:`api.problem_details.problem_response`
anywhere in ``api/`` must be in it (a test reads the source to check).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

BASE = "/problems"


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem: the statuses it comes with, its title, what it means and what
    the caller can do about it."""

    kind: str
    statuses: tuple[int, ...]
    title: str
    meaning: str
    what_to_do: str

    @property
    def uri(self) -> str:
        """The ``type`` of its problem documents."""
        return type_uri(self.kind)

    def as_json(self) -> dict[str, object]:
        """The machine-readable description."""
        return {
            "type": self.uri,
            "kind": self.kind,
            "status": list(self.statuses),
            "title": self.title,
            "meaning": self.meaning,
            "what_to_do": self.what_to_do,
        }


def type_uri(kind: str) -> str:
    """A problem document's ``type`` for ``kind``: a page of this service."""
    return f"{BASE}/{kind}"


_TYPES = (
    ProblemType(
        "body-not-json",
        (400, 422),
        "The body is not valid JSON",
        "The body of a route that reads JSON could not be read: it is not UTF-8 text (400), "
        "or it has a syntax error, a key given twice, or nesting deeper than any request "
        "needs (422). The first item of `errors` names the line and column.",
        "Send the body as UTF-8 JSON text and check it at the line and column given.",
    ),
    ProblemType(
        "body-too-large",
        (413,),
        "Request body too large",
        "The body is over the service's limit (`MATCHER_MAX_BODY_MB`, 64 MiB unless set): "
        "refused from its Content-Length before it was read, or as soon as a streamed body "
        "passed the limit. Nothing was stored.",
        "Send a smaller body (a county's scenario is a few megabytes), or ask the service's "
        "operator to raise MATCHER_MAX_BODY_MB.",
    ),
    ProblemType(
        "unsupported-media-type",
        (415,),
        "Unsupported media type",
        "The route reads a JSON body (POST /v1/plans, POST /v1/scenarios/validate), and the "
        "body was sent with another Content-Type, or with none.",
        "Send the body with `Content-Type: application/json`. To send a workbook, a YAML file "
        "or a file's bytes as they are, use POST /v1/scenarios/import, which takes any type.",
    ),
    ProblemType(
        "unauthorised",
        (401,),
        "Unauthorised",
        "The `X-API-Key` header is missing, or it is not a key of this service. Every route "
        "but /v1/health needs one.",
        "Send your county's key in the `X-API-Key` header; the service's operator issues "
        "them. A key sees only its own county's jobs.",
    ),
    ProblemType(
        "not-found",
        (404,),
        "Not found",
        "Your county has no job (or need) with this id: the id is unknown, or it is another "
        "county's (the two look the same on purpose).",
        "Check the id (as POST /v1/plans answered it, 32 hex characters) and that you use "
        "the key of the county that submitted the job. GET /v1/plans lists your jobs.",
    ),
    ProblemType(
        "no-report",
        (404,),
        "The job has no HTML report",
        "The job has no HTML report (yet): it has no plan so far, or its page could not be "
        "rendered.",
        "Follow the job until its final status (GET /v1/plans/{id}/events); the plan and its "
        "reports are also at GET /v1/plans/{id} and /reports/…, as JSON.",
    ),
    ProblemType(
        "no-plan",
        (409,),
        "The job has no plan",
        "The route reads the job's plan, and the job has none: it is queued or running, was "
        "stopped before it ran, or failed before a plan existed.",
        "Follow the job's events (GET /v1/plans/{id}/events) or poll GET /v1/plans/{id} until "
        "its status is final; while it runs, GET /v1/plans/{id} shows its best plan so far.",
    ),
    ProblemType(
        "no-schedule",
        (409,),
        "The plan has no schedule",
        "The route reads the days of the job's plan (its schedule, docs/plan.md), and the "
        "plan has none: its scenario does not turn `policy.schedule` on, so the plan says who "
        "serves what but not on which day.",
        'Submit the scenario again with `"policy": {"schedule": true}` (or as a '
        "policy override); the plan's assignments, rosters and reports are there meanwhile.",
    ),
    ProblemType(
        "no-provider",
        (404,),
        "No such provider",
        "The job's scenario and its plan's schedule have no provider with the id asked for "
        "(`provider=`): a cadre's or a social organisation's id, as the scenario lists it.",
        "Check the id (GET /v1/plans/{id}/rosters?kind=provider lists the plan's providers "
        "with their ids).",
    ),
    ProblemType(
        "scenario-invalid",
        (422,),
        "The scenario is not valid",
        "The scenario breaks its schema or its cross-references (DESIGN §3). Every problem is "
        "listed in `errors`, each with its JSON path and the id of the item it lies in; "
        "`warnings` lists what does not stop it. Nothing was stored.",
        "Fix each problem at its path and send it again. POST /v1/scenarios/validate (or "
        "`matcher validate`) checks a scenario without submitting it.",
    ),
    ProblemType(
        "request-invalid",
        (422,),
        "The request is not valid",
        "The request's own fields, not the scenario, are wrong: an unknown field, a wrong "
        "type, a value out of range, a time limit over the service's maximum, a label that is "
        "not clean text, a cursor this service did not issue; or text in the path, query, "
        "headers or body that is not clean (control characters, lone surrogates, direction "
        "controls) or a number no field accepts. `errors` locates each problem.",
        "Fix each problem at its path (`$.field` in the body, `query.name`, `header.name`, "
        "`path`); the OpenAPI document at /openapi.json gives every field's type and range.",
    ),
    ProblemType(
        "idempotency-key-reused",
        (422,),
        "Idempotency-Key reused with another request",
        "Your county used this `Idempotency-Key` before, for a request with a different "
        "scenario, solver, time limit, seed, options or label (or a batch of needs with other "
        "needs); `detail` names the first job or needs. Nothing was stored.",
        "Use a new key for a new request. To retry a request, send it again exactly, with the "
        "same key: you get the first job back (202, `Idempotent-Replayed: true`).",
    ),
    ProblemType(
        "workbook-invalid",
        (422,),
        "The workbook is not a valid scenario",
        "The uploaded workbook cannot be read as a scenario: each problem is listed with its "
        "sheet, row and column (`path` names the cell, e.g. `needs!G8`). Nothing was stored.",
        "Fix the cells named and upload it again; `matcher template --xlsx` writes an empty "
        "workbook in the expected form.",
    ),
    ProblemType(
        "queue-full",
        (429,),
        "The solve queue is full",
        "Your county's queue of waiting jobs, or the whole service's, is at its limit "
        "(`detail` says which). Nothing was stored.",
        "Wait the seconds the `Retry-After` header gives, then send the same request with the "
        "same `Idempotency-Key`.",
    ),
    ProblemType(
        "county-missing",
        (409,),
        "Put the county first",
        "The register's routes check needs against the county's standing data, and your county "
        "has none yet.",
        "PUT /v1/county with the county's scenario without needs (places, villages, roads, "
        "cadres, organisations, pools, aid records, policy), then try again.",
    ),
    ProblemType(
        "need-exists",
        (409,),
        "The need is already in the register",
        "A need of the batch has an id your county's register holds already; `errors` names "
        "it. Nothing of the batch was stored.",
        "Give new needs new ids. To retry a batch, send it again with the same "
        "`Idempotency-Key`: you get its ids back.",
    ),
    ProblemType(
        "illegal-transition",
        (409,),
        "The event is not allowed in the present status of the need",
        "Needs go open → assigned (by publishing a plan) → started → resolved; open, assigned "
        "or started → closed with a reason; resolved or closed → open by `reopened`; "
        "`feedback` only on resolved or closed needs. `detail` says the need's status and "
        "where the event is allowed from.",
        "Read the need (GET /v1/needs/{id}) to see its status and history; someone may have "
        "posted the same event already.",
    ),
    ProblemType(
        "not-publishable",
        (409,),
        "The plan cannot be published",
        "Only a finished re-plan from the register (POST /v1/plans with `register`) that has "
        "a plan can be published.",
        "Publish a job that succeeded (or was stopped with a plan) and was made from the "
        "register; follow a running one until it ends.",
    ),
    ProblemType(
        "register-busy",
        (409,),
        "The register changed meanwhile",
        "Other writes kept changing the same needs while this one was tried several times. "
        "Nothing was written.",
        "Send the same request again.",
    ),
    ProblemType(
        "internal",
        (500,),
        "Internal server error",
        "Something unexpected failed in the service. Its message is never shown (it may quote "
        "scenario content); the server's log has the details.",
        "Try again later; if it goes on, tell the service's operator the time and the "
        "`instance` of the answer.",
    ),
    ProblemType(
        "store-unavailable",
        (503,),
        "Service unavailable",
        "The health check could not reach the job store (the database).",
        "Try again later. Operators: check the database that MATCHER_DATABASE_URL names.",
    ),
)

PROBLEM_TYPES: dict[str, ProblemType] = {t.kind: t for t in _TYPES}
"""Every kind of problem the API answers, by kind."""

_JSON_TYPES = ("application/json", "application/problem+json", "application/*")
_HTML_TYPES = ("text/html", "text/*")


def wants_json(accept: str | None) -> bool:
    """Whether an ``Accept`` header prefers JSON to HTML (HTML when they tie, as for
    ``*/*`` or no header)."""
    best = {"json": 0.0, "html": 0.0}
    for part in (accept or "*/*").split(","):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        for side, names in (("json", _JSON_TYPES), ("html", _HTML_TYPES)):
            if media in names or media == "*/*":
                best[side] = max(best[side], quality)
    return best["json"] > best["html"]


_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "color:#1d2733}code{background:#eef1f4;padding:0 .2em;border-radius:3px}"
    "dt{font-weight:600;margin-top:1rem}a{color:#0b5cad}"
)
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Vary": "Accept",
}


def _code(text: str) -> str:
    """Escaped text with its `backticks` as <code>."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def _html(title: str, body: str) -> HTMLResponse:
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · Baolian Matcher API</title><style>{_STYLE}</style>"
        f"</head><body>{body}</body></html>"
    )
    return HTMLResponse(page, headers=_HEADERS)


def _page_of(problem: ProblemType) -> HTMLResponse:
    statuses = ", ".join(str(s) for s in problem.statuses)
    body = (
        f'<p><a href="{BASE}">All problem types</a> · <a href="/docs">API reference</a></p>'
        f"<h1>{html.escape(problem.title)}</h1>"
        f"<p>Problem type <code>{html.escape(problem.uri)}</code>, HTTP {statuses}.</p>"
        f"<dl><dt>What it means</dt><dd>{_code(problem.meaning)}</dd>"
        f"<dt>What to do</dt><dd>{_code(problem.what_to_do)}</dd></dl>"
    )
    return _html(problem.title, body)


def problem_page(kind: str, accept: str | None) -> Response:
    """``/problems/{kind}``: the problem type's page, or its JSON when the caller prefers
    JSON; 404 for a kind the API never answers."""
    problem = PROBLEM_TYPES.get(kind)
    if problem is None:
        raise HTTPException(404, "there is no problem type of that name; see /problems")
    if wants_json(accept):
        return JSONResponse(problem.as_json(), headers=_HEADERS)
    return _page_of(problem)


def index_page(accept: str | None) -> Response:
    """``/problems``: every problem type, as a page or as JSON."""
    if wants_json(accept):
        return JSONResponse([t.as_json() for t in _TYPES], headers=_HEADERS)
    rows = "".join(
        f'<li><a href="{html.escape(t.uri)}">{html.escape(t.title)}</a> '
        f"(<code>{html.escape(t.kind)}</code>, HTTP {', '.join(str(s) for s in t.statuses)})"
        "</li>"
        for t in _TYPES
    )
    body = (
        "<h1>Problem types</h1><p>Every error of the API is an RFC 9457 problem document "
        "(<code>application/problem+json</code>) whose <code>type</code> is one of these "
        "pages; a <code>type</code> of <code>about:blank</code> means the HTTP status says it "
        f'all. <a href="/docs">API reference</a>.</p><ul>{rows}</ul>'
    )
    return _html("Problem types", body)
