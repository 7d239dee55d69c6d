"""The duplicate-aid report (DESIGN §6, 重复帮扶): who helped the same household twice.

Built from the aid ledgers alone, so it shows the waste of the siloed status quo whatever plan
is read with it: runs of records of one household (or one village, for village-level aid) and
one category inside ``policy.duplicate_window_days`` that involve more than one provider. The
money and hours beyond a run's first record are waste, totalled by department pair, village,
category and town, and as a share of the ledger's money and hours. Also listed: near-duplicates
(related categories, :mod:`matcher.reports.near_duplicates`; flagged, never waste), the needs
H8 held back because of recent aid, the duplicate submissions merged before solving
(:mod:`matcher.prepare.merging`) and whether the plan serves one anyway, and the duplicate
services a siloed plan itself spent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matcher.evaluate.usage import service_hours
from matcher.plan import Plan
from matcher.prepare.eligibility import aid_key
from matcher.problem.index import ScenarioIndex
from matcher.reports.merged_submissions import merged_submissions, town_of
from matcher.reports.near_duplicates import (
    RELATED_CATEGORIES,
    category_pair,
    near_duplicate_groups,
    windowed_runs,
)
from matcher.reports.shapes import (
    DuplicateAidReport,
    DuplicateAidTotals,
    DuplicateGroup,
    HeldBackNeed,
    NearDuplicateGroup,
    NearDuplicates,
    NearDuplicateTally,
    PlanDuplicates,
    PlanDuplicateService,
    ProviderKind,
    RecordDetail,
    RunFields,
    ServiceTally,
    WasteTally,
)
from matcher.scenario import AidRecord

# Hours and values in reports are rounded like the plan file's hours.
_DECIMALS = 4
RECORDS_SHOWN = 10  # records listed per held-back need; the count is kept when more


def provider_department(index: ScenarioIndex, provider: str) -> str:
    """The silo a ledger's provider belongs to.

    A cadre's department; an organisation is its own silo (its id: it keeps its own ledger, and
    two NGOs repeating each other are as wasteful as two departments); any other provider string
    is already a department's or donor's team name ("civil_affairs", "charity").
    """
    cadre = index.cadres.get(provider)
    if cadre is not None:
        return cadre.department
    return provider


def provider_kind(index: ScenarioIndex, provider: str) -> ProviderKind:
    """What a provider is: a "cadre", an "organization" or a "team" named by a ledger."""
    if provider in index.cadres:
        return "cadre"
    if provider in index.organizations:
        return "organization"
    return "team"


def department_pair(a: str, b: str) -> str:
    """The sorted pair key "a|b" (one department with itself is "a|a")."""
    first, second = sorted((a, b))
    return f"{first}|{second}"


@dataclass(frozen=True)
class _LedgerPart:
    """The report's parts that do not depend on the plan (shared by every plan of an index:
    read, never changed)."""

    groups: list[DuplicateGroup]
    totals: DuplicateAidTotals
    by_department_pair: dict[str, WasteTally]
    by_village: dict[str, WasteTally]
    by_category: dict[str, WasteTally]
    by_town: dict[str, WasteTally]
    near: NearDuplicates
    held_back: list[HeldBackNeed]


def _record_detail(index: ScenarioIndex, record: AidRecord) -> RecordDetail:
    return {
        "id": record.id,
        "provider": record.provider,
        "provider_kind": provider_kind(index, record.provider),
        "department": provider_department(index, record.provider),
        "date": record.date.isoformat(),
        "cost": record.cost,
        "hours": round(record.hours, _DECIMALS),
    }


def _distinct(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def duplicate_runs(records: Sequence[AidRecord], window_days: int) -> list[list[AidRecord]]:
    """Runs of one key's records that are duplicates, earliest first.

    A run starts at a record and takes every later record dated at most ``window_days`` after
    it (inclusive, like H8's window: records exactly ``window_days`` apart are one run). A run
    with more than one distinct provider is a duplicate group and its records are used up; a
    run of one provider only (a scheduled repeat by the same team) is not, and the next run
    starts at its second record, so a later provider still pairs with the nearest earlier one.
    """
    return windowed_runs(records, window_days, lambda run: len({r.provider for r in run}) > 1)


def duplicate_groups(
    records: Sequence[AidRecord], window_days: int
) -> list[tuple[tuple[str, str, str], list[AidRecord]]]:
    """Every duplicate group of a ledger, with its :func:`~matcher.prepare.eligibility.aid_key`.

    Records are keyed by household (or village, for village-level aid) and category; each key's
    records are split into :func:`duplicate_runs`. Keys come in the order of their first record
    in ``records``, each key's groups earliest first. The money and hours beyond a group's first
    record are waste (the report's ``waste_yuan`` and ``waste_hours``).
    """
    by_key: dict[tuple[str, str, str], list[AidRecord]] = defaultdict(list)
    for record in records:
        by_key[aid_key(record.household, record.village, record.category.value)].append(record)
    return [
        (key, run)
        for key, keyed in by_key.items()
        if len(keyed) >= 2
        for run in duplicate_runs(keyed, window_days)
    ]


def _run_fields(run: list[AidRecord], details: list[RecordDetail]) -> RunFields:
    """What an exact and a near-duplicate group both say of their run of records (their
    ``needs`` come last, after the group's own figures)."""
    first = run[0]
    return {
        "records": [r.id for r in run],
        "providers": _distinct([r.provider for r in run]),
        "departments": _distinct([d["department"] for d in details]),
        "first_date": first.date.isoformat(),
        "last_date": run[-1].date.isoformat(),
        "span_days": (run[-1].date - first.date).days,
        "details": details,
        "total_yuan": sum(r.cost for r in run),
        "total_hours": round(sum(r.hours for r in run), _DECIMALS),
    }


def _beyond_first(run: list[AidRecord]) -> tuple[int, float]:
    """Money and hours of the records after the run's first."""
    later = run[1:]
    return sum(r.cost for r in later), round(sum(r.hours for r in later), _DECIMALS)


def _group(index: ScenarioIndex, run: list[AidRecord], needs: list[str]) -> DuplicateGroup:
    first = run[0]
    waste_yuan, waste_hours = _beyond_first(run)
    return {
        "household": first.household,
        "village": first.village,
        "category": first.category.value,
        **_run_fields(run, [_record_detail(index, r) for r in run]),
        "waste_yuan": waste_yuan,
        "waste_hours": waste_hours,
        "needs": needs,  # last, as the report has always listed it
    }


def _tally() -> WasteTally:
    return {"groups": 0, "records": 0, "waste_yuan": 0, "waste_hours": 0.0}


def _sorted_tallies(tallies: dict[str, WasteTally]) -> dict[str, WasteTally]:
    """Biggest waste first; hours rounded."""
    for tally in tallies.values():
        tally["waste_hours"] = round(tally["waste_hours"], _DECIMALS)
    order = sorted(tallies.items(), key=lambda kv: (-kv[1]["waste_yuan"], -kv[1]["waste_hours"]))
    return dict(order)


def _by_department_pair(index: ScenarioIndex, runs: list[list[AidRecord]]) -> dict[str, WasteTally]:
    """Groups and waste per department pair.

    A group counts once for every pair it touches: each pair of distinct departments present in
    it, and the pair a later record's waste goes to (that record's department with the first
    record's, "a|a" when the same department sent two providers). So the pairs' waste adds up
    to the total waste.
    """
    pairs: dict[str, WasteTally] = defaultdict(_tally)
    for run in runs:
        departments = [provider_department(index, r.provider) for r in run]
        distinct = _distinct(departments)
        touched = {department_pair(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1 :]}
        for record, department in zip(run[1:], departments[1:], strict=True):
            key = department_pair(departments[0], department)
            touched.add(key)
            pairs[key]["waste_yuan"] += record.cost
            pairs[key]["waste_hours"] += record.hours
        for key in touched:
            pairs[key]["groups"] += 1
            pairs[key]["records"] += len(run)
    return _sorted_tallies(dict(pairs))


def _by_field(
    runs: list[list[AidRecord]], key_of: Callable[[AidRecord], str]
) -> dict[str, WasteTally]:
    """Groups and waste per key of each group's first record (its village, category, town)."""
    tallies: dict[str, WasteTally] = defaultdict(_tally)
    for run in runs:
        tally = tallies[key_of(run[0])]
        tally["groups"] += 1
        tally["records"] += len(run)
        tally["waste_yuan"] += sum(r.cost for r in run[1:])
        tally["waste_hours"] += sum(r.hours for r in run[1:])
    return _sorted_tallies(dict(tallies))


def _held_back(index: ScenarioIndex) -> list[HeldBackNeed]:
    """The needs H8 held back, each with the records that hold it back (scenario order)."""
    held: list[HeldBackNeed] = []
    for need in index.scenario.needs:
        records = index.blocked.get(need.id)
        if not records:
            continue
        held.append(
            {
                "need": need.id,
                "household": need.household,
                "village": need.village,
                "category": need.category.value,
                "value": round(index.value(need), _DECIMALS),
                "records": [r.id for r in records[:RECORDS_SHOWN]],
                "providers": _distinct([r.provider for r in records]),
                # Compact: held-back needs can number in the thousands.
                "details": [
                    {"id": r.id, "provider": r.provider, "date": r.date.isoformat()}
                    for r in records[:RECORDS_SHOWN]
                ],
            }
        )
        if len(records) > RECORDS_SHOWN:  # a village-level need can meet thousands of records
            held[-1]["records_total"] = len(records)
    return held


def _plan_duplicates(index: ScenarioIndex, plan: Plan) -> PlanDuplicates:
    """Aid a (siloed) plan spent on needs already aided or served by another silo."""
    services: list[PlanDuplicateService] = []
    by_why: dict[str, ServiceTally] = {
        why: {"services": 0, "hours": 0.0, "yuan": 0}
        for why in ("already_aided", "served_by_other")
    }
    by_department: dict[str, ServiceTally] = defaultdict(
        lambda: {"services": 0, "hours": 0.0, "yuan": 0}
    )
    for service in plan.duplicate_services:
        need = index.needs.get(service.need)
        hours = service_hours(index, service)
        yuan = sum(line.amount for line in service.funding)
        department = provider_department(index, service.provider)
        services.append(
            {
                "need": service.need,
                "provider": service.provider,
                "department": department,
                "why": service.why,
                "household": need.household if need else None,
                "village": need.village if need else None,
                "category": need.category.value if need else None,
                "hours": round(hours, _DECIMALS),
                "yuan": yuan,
            }
        )
        for tally in (by_why[service.why], by_department[department]):
            tally["services"] += 1
            tally["hours"] += hours
            tally["yuan"] += yuan
    for tally in (*by_why.values(), *by_department.values()):
        tally["hours"] = round(tally["hours"], _DECIMALS)
    hours_total = round(float(sum(s["hours"] for s in services)), _DECIMALS)
    yuan_total = sum(s["yuan"] for s in services)
    if services:
        note = (
            f"the plan spent {yuan_total} yuan and {hours_total:g} hours on "
            f"{len(services)} services that repeat aid already given or planned by another silo"
        )
    else:
        note = (
            "none: the plan serves each need at most once (H1) and plans no service that "
            "repeats recent aid"
        )
    return {
        "services": services,
        "totals": {"services": len(services), "hours": hours_total, "yuan": yuan_total},
        "by_why": by_why,
        "by_department": dict(
            sorted(by_department.items(), key=lambda kv: (-kv[1]["yuan"], -kv[1]["hours"]))
        ),
        "note": note,
    }


def _near_group(
    index: ScenarioIndex, pair: tuple[str, str], run: list[AidRecord], needs: list[str]
) -> NearDuplicateGroup:
    first = run[0]
    details = [_record_detail(index, r) for r in run]
    for detail, record in zip(details, run, strict=True):
        detail["category"] = record.category.value
    overlap_yuan, overlap_hours = _beyond_first(run)
    return {
        "household": first.household,
        "village": first.village,
        "category_pair": category_pair(*pair),
        "categories": list(pair),
        "relation": RELATED_CATEGORIES[pair],
        **_run_fields(run, details),
        "overlap_yuan": overlap_yuan,
        "overlap_hours": overlap_hours,
        "needs": needs,
    }


def _near_duplicates(
    index: ScenarioIndex, needs_by_key: dict[tuple[str, str, str], list[str]], ledger_yuan: int
) -> NearDuplicates:
    """Records of one household in related categories from different providers in the window.

    Flagged, not waste: ``overlap_yuan``/``overlap_hours`` (beyond a group's first record) are
    what would be waste if the services proved to overlap. Totals count each record once.
    """
    scenario = index.scenario
    window = scenario.policy.duplicate_window_days
    groups: list[NearDuplicateGroup] = []
    records: dict[str, AidRecord] = {}
    by_pair: dict[str, NearDuplicateTally] = defaultdict(
        lambda: {
            "groups": 0,
            "records": 0,
            "total_yuan": 0,
            "overlap_yuan": 0,
            "overlap_hours": 0.0,
        }
    )
    for pair, run in near_duplicate_groups(scenario.aid_records, window):
        first = run[0]
        needs = [
            need
            for category in pair
            for need in needs_by_key.get(aid_key(first.household, first.village, category), [])
        ]
        group = _near_group(index, pair, run, needs)
        groups.append(group)
        records.update((r.id, r) for r in run)
        tally = by_pair[group["category_pair"]]
        tally["groups"] += 1
        tally["records"] += len(run)
        tally["total_yuan"] += group["total_yuan"]
        tally["overlap_yuan"] += group["overlap_yuan"]
        tally["overlap_hours"] += group["overlap_hours"]
    for tally in by_pair.values():
        tally["overlap_hours"] = round(tally["overlap_hours"], _DECIMALS)
    groups.sort(
        key=lambda g: (-g["overlap_yuan"], -g["overlap_hours"], g["first_date"], g["records"][0])
    )
    total_yuan = sum(r.cost for r in records.values())
    overlap_yuan = sum(g["overlap_yuan"] for g in groups)
    return {
        "counted_as_waste": False,
        "relations": {category_pair(*pair): why for pair, why in RELATED_CATEGORIES.items()},
        "groups": groups,
        "totals": {
            "groups": len(groups),
            "records": len(records),
            "households": len({g["household"] for g in groups if g["household"] is not None}),
            "total_yuan": total_yuan,
            "total_hours": round(float(sum(r.hours for r in records.values())), _DECIMALS),
            "overlap_yuan": overlap_yuan,
            "overlap_hours": round(float(sum(g["overlap_hours"] for g in groups)), _DECIMALS),
            "share_of_ledger_yuan": total_yuan / ledger_yuan if ledger_yuan > 0 else 0.0,
        },
        "by_category_pair": dict(
            sorted(by_pair.items(), key=lambda kv: (-kv[1]["overlap_yuan"], -kv[1]["groups"]))
        ),
    }


def _ledger_part(index: ScenarioIndex) -> _LedgerPart:
    """Everything of the report that the ledger and the needs decide, not the plan: the
    duplicate groups and their tallies, the near duplicates and the needs H8 holds back."""
    scenario = index.scenario
    window = scenario.policy.duplicate_window_days
    needs_by_key: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for need in scenario.needs:
        needs_by_key[aid_key(need.household, need.village, need.category.value)].append(need.id)

    runs: list[list[AidRecord]] = []
    groups: list[DuplicateGroup] = []
    for key, run in duplicate_groups(scenario.aid_records, window):
        runs.append(run)
        groups.append(_group(index, run, needs_by_key.get(key, [])))
    groups.sort(
        key=lambda g: (-g["waste_yuan"], -g["waste_hours"], g["first_date"], g["records"][0])
    )

    ledger_yuan = sum(r.cost for r in scenario.aid_records)
    ledger_hours = sum(r.hours for r in scenario.aid_records)
    waste_yuan = sum(g["waste_yuan"] for g in groups)
    waste_hours = sum(sum(r.hours for r in run[1:]) for run in runs)
    held_back = _held_back(index)
    near = _near_duplicates(index, needs_by_key, ledger_yuan)
    return _LedgerPart(
        groups=groups,
        totals={
            "groups": len(groups),
            "records": sum(len(run) for run in runs),
            "households": len({g["household"] for g in groups if g["household"] is not None}),
            "villages": len({g["village"] for g in groups}),
            "village_level_groups": sum(1 for g in groups if g["household"] is None),
            "ledger_records": len(scenario.aid_records),
            "ledger_yuan": ledger_yuan,
            "ledger_hours": round(ledger_hours, _DECIMALS),
            "group_yuan": sum(g["total_yuan"] for g in groups),
            "group_hours": round(float(sum(sum(r.hours for r in run) for run in runs)), _DECIMALS),
            "waste_yuan": waste_yuan,
            "waste_hours": round(waste_hours, _DECIMALS),
            "waste_share_of_ledger_yuan": waste_yuan / ledger_yuan if ledger_yuan > 0 else 0.0,
            "waste_share_of_ledger_hours": (
                waste_hours / ledger_hours if ledger_hours > 0 else 0.0
            ),
            "held_back_needs": len(held_back),
            "near_duplicate_groups": near["totals"]["groups"],
            "needs_merged": 0,  # the plan's: filled in by duplicate_aid_report
        },
        by_department_pair=_by_department_pair(index, runs),
        by_village=_by_field(runs, lambda r: r.village),
        by_category=_by_field(runs, lambda r: r.category.value),
        by_town=_by_field(runs, lambda r: town_of(index, r.village)),
        near=near,
        held_back=held_back,
    )


def ledger_part(index: ScenarioIndex) -> _LedgerPart:
    """The plan-independent part of the report, built once per index (see
    :meth:`ScenarioIndex.memo`): found before the search, every plan of the scenario shares it,
    and a stopped run only adds its own merged submissions and duplicate services."""
    return index.memo("reports.duplicate_aid.ledger", lambda: _ledger_part(index))


def duplicate_aid_report(index: ScenarioIndex, plan: Plan) -> DuplicateAidReport:
    """The duplicate-aid report of DESIGN §6 as JSON-ready data (biggest waste first)."""
    ledger = ledger_part(index)
    merged = merged_submissions(index, plan)
    return {
        "window_days": index.scenario.policy.duplicate_window_days,
        "groups": ledger.groups,
        "totals": {**ledger.totals, "needs_merged": merged["totals"]["needs_merged"]},
        "by_department_pair": ledger.by_department_pair,
        "by_village": ledger.by_village,
        "by_category": ledger.by_category,
        "by_town": ledger.by_town,
        "near_duplicates": ledger.near,
        "held_back": ledger.held_back,
        "merged_submissions": merged,
        "plan_duplicates": _plan_duplicates(index, plan),
    }
