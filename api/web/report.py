"""The report a job's page shows inline, in the page's language.

The worker renders a job's HTML report once, when the job ends, in the server's language
(:func:`matcher.i18n.choose_lang`), and the API serves it as stored
(``GET /v1/plans/{id}/report.html``). The page asks here with its own language instead
(``GET /app/jobs/{id}/report.html?lang=zh``, with the county's key like every data call of the
pages): the stored report when it is in that language, else the same report rendered from the
job's stored plan and scenario in the language asked (:func:`matcher.reports.html.render_html`:
the plan's own KPIs and reports, the same figures). A few renderings are kept in memory, since a
job's plan never changes once stored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections import OrderedDict
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api import jobs
from api.deps import JobId, StoreDep, TenantDep
from api.store import JobStore
from matcher.i18n import Lang

router = APIRouter(include_in_schema=False)

_LANG_OF = re.compile(r'<html lang="(zh|en)"')
_KEPT = 8  # renderings kept: a county's report is a few hundred kilobytes
_kept: OrderedDict[tuple[str, str, str, Lang], str] = OrderedDict()
_lock = threading.Lock()


def stored_lang(html: str) -> str | None:
    """The language a rendered report is in (its ``<html lang>``), or None."""
    found = _LANG_OF.search(html[:500])
    return found.group(1) if found else None


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """A stored time as the worker's clock showed it (local, naive), for the report's date."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone().replace(tzinfo=None)


def _rendered(store: JobStore, tenant: str, job_id: str, lang: Lang) -> str | None:
    """The job's report rendered in ``lang`` from its stored plan and scenario (None when the
    store lacks either)."""
    from matcher.intake.loading import parse_scenario
    from matcher.plan import Plan
    from matcher.problem.index import ScenarioIndex
    from matcher.reports.html import render_html

    plan_text = store.payload(tenant, job_id, "plan")
    scenario_text = store.payload(tenant, job_id, "scenario")
    job = store.get(tenant, job_id)
    if plan_text is None or scenario_text is None or job is None:
        return None
    index = ScenarioIndex.build(parse_scenario(json.loads(scenario_text)).scenario)
    plan = Plan.model_validate(json.loads(plan_text))
    return render_html(index, plan, generated=_local(job.finished_at), lang=lang)


def report_in(store: JobStore, tenant: str, job_id: str, lang: Lang | None) -> str:
    """The job's HTML report in ``lang`` (as stored when ``lang`` is None); 404 as the API's
    report route answers when the job has none (yet)."""
    stored = jobs.report_html(store, tenant, job_id)
    if lang is None or stored_lang(stored) == lang:
        return stored
    key = (str(store.engine.url), tenant, job_id, lang)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    html = _rendered(store, tenant, job_id, lang)
    if html is None:
        return stored
    with _lock:
        _kept[key] = html
        while len(_kept) > _KEPT:
            _kept.popitem(last=False)
    return html


def report_answer(store: JobStore, tenant: str, job_id: str, lang: Lang | None) -> HTMLResponse:
    """:func:`report_in` as the route answers it, saying its language."""
    html = report_in(store, tenant, job_id, lang)
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}
    shown = stored_lang(html)
    if shown is not None:
        headers["Content-Language"] = shown
    return HTMLResponse(html, headers=headers)


@router.get("/app/jobs/{job_id}/report.html", response_class=HTMLResponse)
def job_report(
    job_id: JobId,
    tenant: TenantDep,
    store: StoreDep,
    lang: Annotated[Lang | None, Query(description="zh or en; as stored when absent.")] = None,
) -> HTMLResponse:
    """The job's HTML report in the page's language, for the job page's inline frame."""
    return report_answer(store, tenant, job_id, lang)
