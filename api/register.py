"""What the register's routes call (DESIGN §10): the county's versions, needs and their events,
register re-plans, publishing, responsibility lists, service KPIs and the register file.

The rules are :mod:`matcher.register`'s and the transactions :class:`api.register_store.
RegisterStore`'s; this module checks requests against the county, turns the rules' errors into
problem documents (in Chinese too: the rules carry their own Chinese words) and the records
into wire shapes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Literal

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from api.problem_details import ApiProblem, items_of
from api.register_store import (
    BadCursor,
    BatchKeyReused,
    ConcurrentUpdate,
    CountyVersion,
    EventKeyReused,
    NeedExists,
    NeedNotFound,
    RegisterStore,
    StoredNeed,
    fingerprint,
)
from api.register_store import NeedPage as StoredPage
from api.schemas import (
    CountyDetail,
    CountyVersionInfo,
    EventRequest,
    FundingLine,
    HistoryEntry,
    NeedPage,
    NeedsAdded,
    NeedsRequest,
    PlaceRef,
    PlanRequest,
    ProviderWork,
    PublishAnswer,
    RegisterNeed,
    ResponsibilityList,
    SkippedAssignment,
    WorkDay,
    WorkItem,
)
from api.settings import Settings
from api.store import JobStore
from matcher.i18n.codes import CATEGORY
from matcher.intake.bounds import unsafe_values
from matcher.intake.issues import Both, Issue, ScenarioInvalid
from matcher.intake.loading import (
    LoadedScenario,
    canonical_json,
    parse_scenario,
    pydantic_problems,
)
from matcher.plan import Plan
from matcher.register.files import county_json, event_json, register_json
from matcher.register.kpis import ServiceKpis, service_kpis
from matcher.register.model import NeedEvent, received
from matcher.register.scenario import period_start, scenario_from_register
from matcher.register.transitions import BadEvent, IllegalTransition
from matcher.scenario import Need, Scenario
from matcher.schedule.calendar import WorkCalendar


def today() -> dt.date:
    """The server's date: the day a need is received or an event happens unless it says."""
    return dt.date.today()


def _both(en: str, zh: str) -> Both:
    return Both(zh=zh, en=en)


# ----------------------------------------------------------------------------- the county


def _refuse_needs(body: dict[str, Any]) -> None:
    """422 at ``$.needs`` when the standing data carries needs: they are posted apart."""
    if "needs" not in body or body["needs"] == []:
        return
    raise ApiProblem(
        422,
        "scenario-invalid",
        "The scenario is not valid",
        _both(
            "the county's standing data has no needs: post them to /v1/needs",
            "县的基础数据不含需求：请通过 /v1/needs 提交需求",
        ),
        errors=items_of(
            [
                Issue.of(
                    "$.needs",
                    _both(
                        "leave needs out, or give an empty list (post them to /v1/needs)",
                        "请去掉 needs 或给出空列表（需求通过 /v1/needs 提交）",
                    ),
                )
            ]
        ),
    )


def _county_invalid(errors: Sequence[Issue], warnings: Sequence[Issue] = ()) -> ApiProblem:
    return ApiProblem(
        422,
        "scenario-invalid",
        "The scenario is not valid",
        f"{len(errors)} problem(s); nothing was stored",
        errors=items_of(errors),
        warnings=items_of(warnings),
    )


def loaded_county(body: dict[str, Any]) -> LoadedScenario:
    """The standing data validated as a scenario without needs, each value of the JSON type
    its schema says; 422 with every problem located otherwise."""
    _refuse_needs(body)
    try:
        loaded = parse_scenario({**body, "needs": []})
    except ScenarioInvalid as invalid:
        raise _county_invalid(invalid.errors, invalid.warnings) from None
    coerced = coerced_values(body, loaded.scenario.model_dump(mode="json"))
    if coerced:
        raise _county_invalid(coerced)
    return loaded


def put_county(rstore: RegisterStore, tenant: str, body: dict[str, Any]) -> CountyVersionInfo:
    """PUT /v1/county: store the checked standing data as the county's next version."""
    loaded = loaded_county(body)
    standing = county_json(loaded.scenario)
    text = canonical_json(standing).decode("utf-8")
    version = rstore.put_county(tenant, text, fingerprint(standing))
    return CountyVersionInfo(
        version=version.version,
        sha256=version.sha256,
        name=loaded.scenario.name or "",
        created_at=version.created_at,
        warnings=items_of(p for p in loaded.warnings if p.path != "$.needs"),
    )


def coerced_values(raw: object, read: object, path: str = "$") -> list[Issue]:
    """Values of the body that the scenario read as another JSON type: ``true`` or ``"7"``
    where a number is meant (the schema's types; the scenario's lax reading would take them).
    ``raw`` is the body, ``read`` the validated scenario dumped as JSON."""
    if isinstance(raw, dict) and isinstance(read, dict):
        return [
            issue
            for key, value in raw.items()
            if key in read
            for issue in coerced_values(value, read[key], f"{path}.{key}")
        ]
    if isinstance(raw, list) and isinstance(read, list) and len(raw) == len(read):
        return [
            issue
            for i, (value, got) in enumerate(zip(raw, read, strict=True))
            for issue in coerced_values(value, got, f"{path}[{i}]")
        ]
    number = (int, float)
    if isinstance(read, number) and not isinstance(read, bool) and (isinstance(raw, bool | str)):
        return [Issue.of(path, _both("must be a JSON number", "须为 JSON 数字"))]
    if isinstance(read, bool) and not isinstance(raw, bool):
        return [Issue.of(path, _both("must be true or false", "须为 true 或 false"))]
    return []


def county_scenario(version: CountyVersion) -> Scenario:
    """The stored county version as a scenario (with no needs)."""
    return Scenario.model_validate({**json.loads(version.scenario_json), "needs": []})


def latest_county(rstore: RegisterStore, tenant: str) -> tuple[CountyVersion, Scenario]:
    """The county's latest version, or 409 when none was put yet."""
    version = rstore.county(tenant)
    if version is None:
        raise ApiProblem(
            409,
            "county-missing",
            "Put the county first",
            _both(
                "this county has no standing data yet: PUT /v1/county first",
                "本县还没有基础数据：请先 PUT /v1/county",
            ),
        )
    return version, county_scenario(version)


def county_detail(rstore: RegisterStore, tenant: str) -> CountyDetail:
    """GET /v1/county: the latest version and its standing data."""
    version, county = latest_county(rstore, tenant)
    return CountyDetail(
        version=version.version,
        sha256=version.sha256,
        name=county.name or "",
        created_at=version.created_at,
        county=json.loads(version.scenario_json),
    )


# ----------------------------------------------------------------------------- needs


class _Batch(BaseModel):
    """Needs validated together, so that each error's location starts ``needs[i]``."""

    needs: list[Need]


def _providers(county: Scenario) -> dict[str, tuple[str | None, Literal["cadre", "organization"]]]:
    found: dict[str, tuple[str | None, Literal["cadre", "organization"]]] = {}
    for cadre in county.cadres:
        found[cadre.id] = (cadre.name, "cadre")
    for organization in county.organizations:
        found[organization.id] = (organization.name, "organization")
    return found


def _schema_problems(raw: list[Any]) -> tuple[list[Need], list[Issue]]:
    """The batch as needs, or the problems of its fields at ``$.needs[i].field``."""
    document = {"needs": raw}
    unsafe = unsafe_values(document)
    if unsafe:
        return [], unsafe
    try:
        needs = _Batch.model_validate(document).needs
    except ValidationError as error:
        return [], pydantic_problems(error, document, skip_reported=False)
    read = {"needs": [n.model_dump(mode="json") for n in needs]}
    coerced = coerced_values(document, read)
    return ([], coerced) if coerced else (needs, [])


def _county_problems(needs: Sequence[Need], county: Scenario) -> list[Issue]:
    """Needs whose village or pinned provider the county does not have, and ids given twice."""
    villages = {v.id for v in county.villages}
    providers = _providers(county)
    problems: list[Issue] = []
    seen: set[str] = set()
    for i, need in enumerate(needs):
        at = f"$.needs[{i}]"
        if need.id in seen:
            problems.append(
                Issue.of(
                    f"{at}.id",
                    _both(f"need {need.id} is given twice", f"需求 {need.id} 重复提交"),
                    id=need.id,
                )
            )
        seen.add(need.id)
        if need.village not in villages:
            problems.append(
                Issue.of(
                    f"{at}.village",
                    _both(
                        f"village {need.village} is not in the county (PUT /v1/county)",
                        f"村 {need.village} 不在本县的基础数据中",
                    ),
                    id=need.id,
                )
            )
        if need.pinned_provider is not None and need.pinned_provider not in providers:
            problems.append(
                Issue.of(
                    f"{at}.pinned_provider",
                    _both(
                        f"provider {need.pinned_provider} is not a cadre or organisation of "
                        "the county",
                        f"服务者 {need.pinned_provider} 不是本县的干部或社会组织",
                    ),
                    id=need.id,
                )
            )
    return problems


def _needs_invalid(problems: list[Issue]) -> ApiProblem:
    return ApiProblem(
        422,
        "request-invalid",
        "The request is not valid",
        f"{len(problems)} problem(s); nothing was stored",
        errors=items_of(problems),
    )


def add_needs(
    rstore: RegisterStore,
    settings: Settings,
    tenant: str,
    request: NeedsRequest,
    idempotency_key: str | None,
) -> JSONResponse:
    """POST /v1/needs: check the needs against the county's latest version and store them as
    ``open``, all or none; 201 with their ids (the first answer again for a repeated
    Idempotency-Key, with ``Idempotent-Replayed: true``)."""
    if len(request.needs) > settings.max_needs_per_post:
        raise ApiProblem(
            422,
            "request-invalid",
            "The request is not valid",
            errors=items_of(
                [
                    Issue.of(
                        "$.needs",
                        _both(
                            f"at most {settings.max_needs_per_post} needs per request",
                            f"每次最多提交 {settings.max_needs_per_post} 项需求",
                        ),
                    )
                ]
            ),
        )
    version, county = latest_county(rstore, tenant)
    needs, problems = _schema_problems(list(request.needs))
    if not problems:
        problems = _county_problems(needs, county)
    if problems:
        raise _needs_invalid(problems)
    day = today()
    try:
        ids, replayed = rstore.add_needs(
            tenant,
            [received(n, day) for n in needs],
            version.version,
            idempotency_key,
            fingerprint({"needs": request.needs}),
        )
    except NeedExists as exists:
        raise ApiProblem(
            409,
            "need-exists",
            "The need is already in the register",
            _both(
                f"need {exists.need_id} is already in the register; nothing was stored",
                f"需求 {exists.need_id} 已在登记簿中；本次未保存任何需求",
            ),
            errors=items_of(
                [
                    Issue.of(
                        f"$.needs[{[n.id for n in needs].index(exists.need_id)}].id",
                        _both("already in the register", "已在登记簿中"),
                        id=exists.need_id,
                    )
                ]
            ),
        ) from None
    except BatchKeyReused as reused:
        first = ", ".join(reused.first_ids[:5])
        raise ApiProblem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused with another request",
            f"the key was first used for the needs {first} with a different body",
        ) from None
    except ConcurrentUpdate as busy:
        raise _busy(busy) from None
    answer = NeedsAdded(ids=ids, county_version=version.version)
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return JSONResponse(answer.model_dump(mode="json"), status_code=201, headers=headers)


def _busy(error: ConcurrentUpdate) -> ApiProblem:
    return ApiProblem(
        409,
        "register-busy",
        "The register changed meanwhile",
        _both(str(error), "登记簿正被同时修改；请重试"),
    )


def need_view(stored: StoredNeed) -> RegisterNeed:
    """A stored need as the API shows it."""
    need = stored.need
    return RegisterNeed(
        need=need.need.model_dump(mode="json", exclude_none=True),
        status=need.status,
        provider=need.provider,
        date=need.date,
        funding=[FundingLine(pool=p, amount=a) for p, a in need.funding],
        county_version=stored.county_version,
        history=[HistoryEntry.model_validate(event_json(e)) for e in need.history],
    )


def _not_found(need_id: str) -> ApiProblem:
    return ApiProblem(404, "not-found", "Not found", f"no need {need_id} for this key")


def need_detail(rstore: RegisterStore, tenant: str, need_id: str) -> RegisterNeed:
    """GET /v1/needs/{id}: the need, or 404 (another county's id is unknown too)."""
    stored = rstore.get(tenant, need_id)
    if stored is None:
        raise _not_found(need_id)
    return need_view(stored)


def needs_page(
    rstore: RegisterStore,
    tenant: str,
    limit: int,
    cursor: str | None,
    status: str | None,
    village: str | None,
    provider: str | None,
) -> NeedPage:
    """GET /v1/needs: a page of the register, filtered; 422 for a cursor never given."""
    try:
        page: StoredPage = rstore.page(tenant, limit, cursor, status, village, provider)
    except BadCursor as bad:
        raise ApiProblem(422, "request-invalid", "The request is not valid", str(bad)) from None
    return NeedPage(items=[need_view(n) for n in page.needs], next_cursor=page.next_cursor)


def post_event(
    rstore: RegisterStore,
    tenant: str,
    need_id: str,
    request: EventRequest,
    idempotency_key: str | None = None,
) -> JSONResponse:
    """POST /v1/needs/{id}/events: 201 with the need after the event; 409 when its status
    does not allow it, 422 at the field an event of its type lacks or must not carry. A
    repeated ``Idempotency-Key`` answers 201 with the need as it is and
    ``Idempotent-Replayed: true``, writing nothing (422 when the key was used on this need for
    another event)."""
    event = NeedEvent(
        type=request.type,
        at=request.at or today(),
        reason=request.reason,
        note=request.note,
        satisfaction=request.satisfaction,
    )
    try:
        stored, replayed = rstore.post_event(tenant, need_id, event, idempotency_key)
    except EventKeyReused as reused:
        raise ApiProblem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused with another request",
            f"the key was first used for a {reused.first_type} event of need {reused.need_id}",
        ) from None
    except NeedNotFound:
        raise _not_found(need_id) from None
    except IllegalTransition as illegal:
        raise ApiProblem(
            409,
            "illegal-transition",
            "The event is not allowed in the present status of the need",
            _both(illegal.message, illegal.message_zh),
        ) from None
    except BadEvent as bad:
        raise ApiProblem(
            422,
            "request-invalid",
            "The request is not valid",
            errors=items_of(
                [Issue.of(f"$.{bad.field}", _both(bad.message, bad.message_zh), id=bad.need_id)]
            ),
        ) from None
    except ConcurrentUpdate as busy:
        raise _busy(busy) from None
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    answer = need_view(stored).model_dump(mode="json")
    return JSONResponse(answer, status_code=201, headers=headers)


# ----------------------------------------------------------------------------- re-plans


def register_replan(
    store: JobStore, tenant: str, request: PlanRequest
) -> tuple[dict[str, Any], PlanRequest, dict[str, Any]]:
    """The scenario of a register re-plan (:func:`matcher.register.scenario.
    scenario_from_register` of the county's latest version and the register), the request with
    the published plan as its previous plan (unless it names one; none when the published job
    has no plan, and then no ``max_changes``: nothing published can change), and the options
    the job records: ``register`` (date, county version, urgent, pinned, left out) and
    ``register_changes: true``."""
    assert request.from_register is not None
    rstore = RegisterStore(store.engine)
    version, county = latest_county(rstore, tenant)
    date = request.from_register.date
    built = scenario_from_register(county, rstore.needs(tenant), date)
    previous = request.previous_plan_id
    if previous is None:
        published = rstore.published_plan_id(tenant)
        if published is not None and store.has_plan(tenant, published):
            previous = published
    update: dict[str, Any] = {"previous_plan_id": previous}
    if previous is None:
        update["max_changes"] = None
    info = {
        "date": date.isoformat(),
        "county_version": version.version,
        "period_start": built.period_start.isoformat(),
        "needs": len(built.scenario.needs),
        "urgent": list(built.urgent),
        "pinned": list(built.pinned),
        "left_out": [{"need": i, "why": why} for i, why in built.left_out],
    }
    scenario = built.scenario.model_dump(mode="json", exclude_none=True)
    options = {"register": info, "register_changes": True}
    return scenario, request.model_copy(update=update), options


# ----------------------------------------------------------------------------- publishing


def publish(store: JobStore, tenant: str, job_id: str) -> PublishAnswer:
    """POST /v1/plans/{id}/publish: the job's plan becomes the county's current plan (DESIGN
    §10); 404 for a job the tenant does not have, 409 unless it is a finished re-plan from the
    register with a plan."""
    job = store.get(tenant, job_id)
    if job is None:
        raise ApiProblem(404, "not-found", "Not found", f"no job {job_id} for this key")
    info = job.options.get("register")
    text = store.payload(tenant, job_id, "plan") if job.status in ("succeeded", "stopped") else None
    if not isinstance(info, dict) or text is None:
        why = (
            "it was not made from the register (POST /v1/plans with register)"
            if not isinstance(info, dict)
            else f"it is {job.status} and has no finished plan"
        )
        why_zh = (
            "它不是由需求登记簿生成的方案" if not isinstance(info, dict) else "它没有完成的方案"
        )
        raise ApiProblem(
            409,
            "not-publishable",
            "The plan cannot be published",
            _both(f"job {job_id} cannot be published: {why}", f"作业 {job_id} 不能发布：{why_zh}"),
        )
    plan = Plan.model_validate_json(text)
    rstore = RegisterStore(store.engine)
    try:
        outcome = rstore.publish(tenant, plan, job_id, today(), dt.date.fromisoformat(info["date"]))
    except ConcurrentUpdate as busy:
        raise _busy(busy) from None
    record = outcome.record
    return PublishAnswer(
        plan_id=record.plan_id,
        day=record.day,
        assigned=record.assigned,
        changed=record.changed,
        before=record.before,
        changed_share=record.changed_share,
        skipped=[SkippedAssignment(need=i, why=why) for i, why in outcome.skipped],
    )


# ----------------------------------------------------------------------------- lists, KPIs


def _work_item(stored: StoredNeed, villages: dict[str, str | None]) -> WorkItem:
    need = stored.need.need
    return WorkItem(
        id=need.id,
        village=PlaceRef(id=need.village, name=villages.get(need.village)),
        household_label=need.household_label,
        category=need.category,
        category_zh=CATEGORY.get(need.category, (need.category, need.category))[0],
        hours=need.hours,
        status=stored.need.status,
    )


def responsibility(
    rstore: RegisterStore,
    tenant: str,
    provider: str | None,
    start: dt.date | None,
    end: dt.date | None,
) -> ResponsibilityList:
    """GET /v1/lists/responsibility: each provider's published work by day."""
    _, county = latest_county(rstore, tenant)
    villages = {v.id: v.name for v in county.villages}
    providers = _providers(county)
    by_day: dict[str, dict[dt.date, list[WorkItem]]] = defaultdict(lambda: defaultdict(list))
    for stored in rstore.assigned_between(tenant, provider, start, end):
        need = stored.need
        assert need.provider is not None and need.date is not None
        by_day[need.provider][need.date].append(_work_item(stored, villages))
    work = []
    for provider_id, days in by_day.items():
        name, kind = providers.get(provider_id, (None, "unknown"))
        work.append(
            ProviderWork(
                id=provider_id,
                name=name,
                kind=kind,
                days=[
                    WorkDay(date=day, hours=round(sum(i.hours for i in items), 6), needs=items)
                    for day, items in sorted(days.items())
                ],
            )
        )
    return ResponsibilityList(start=start, end=end, providers=work)


def kpis(
    rstore: RegisterStore, tenant: str, start: dt.date | None, end: dt.date | None
) -> ServiceKpis:
    """GET /v1/service-kpis: :func:`matcher.register.kpis.service_kpis` of the needs received
    in ``[start, end]`` (default: the county's current planning period up to today)."""
    _, county = latest_county(rstore, tenant)
    end = end or today()
    start = start or period_start(county.horizon, end)
    if start > end:
        raise ApiProblem(
            422,
            "request-invalid",
            "The request is not valid",
            errors=items_of(
                [Issue.of("query:from", _both("from is after to", "起始日期晚于结束日期"))]
            ),
        )
    return service_kpis(
        rstore.needs(tenant),
        rstore.publishes(tenant),
        start=start,
        end=end,
        calendar=WorkCalendar.of(county),
        policy=county.policy,
        town_of={v.id: v.town for v in county.villages},
        town_names={p.id: p.name for p in county.places if p.name},
    )


def export(rstore: RegisterStore, tenant: str) -> dict[str, Any]:
    """GET /v1/register/export: the register file (:func:`matcher.register.files.
    register_json`) of the county's latest version, its needs and its publishes."""
    _, county = latest_county(rstore, tenant)
    return register_json(county, rstore.needs(tenant), rstore.publishes(tenant))
