"""Plan diff: what changes from plan A to plan B, in the words of the field.

:func:`plan_diff` returns JSON-ready plain data (``diff_version`` 1) that the CLI prints with
:func:`render_diff_text` and that a compare page can read. The shape is a contract: keys are
only ever added. Every key is always present; a figure that needs the scenario is ``null``
without it (a need's village and category then come from what the plans state). A capped list
is ``{"count": exact number, "items": the first ``shown``}``, biggest effect first, then by id.

- ``scenario``: ``a``, ``b`` (``{name, sha256}`` as each plan states them), ``same`` (the
  sha256 agree; ``null`` when a plan states none), ``given`` (``{name, sha256}`` of the
  scenario passed in, or ``null``) and ``warnings`` (plans of different scenarios are allowed,
  a what-if, but said).
- ``needs``: ``gained`` (served in B, not in A; items ``need, village, category, value,
  provider, travel_minutes, reason_a`` = A's unmet reason) and ``lost`` (served in A, not in B;
  ``provider`` and ``travel_minutes`` of A, ``reason_b``), each also with ``value`` in total;
  ``moved`` (served in both by different providers: ``from, to, travel_minutes_a,
  travel_minutes_b``, largest change of travel first); ``unchanged`` (a count).
- ``households``: ``available``, ``note``, ``a`` and ``b`` (households with a served need),
  ``gained`` and ``lost`` (items ``household, village, needs`` = its needs served in the plan
  that has it); needs the scenario (plans do not name households).
- ``pairings``: ``added`` and ``removed`` (items ``cadre, village``), ``by_village`` (villages
  whose pairings changed: ``village, a, b, added, removed``).
- ``money`` (whole yuan the pools pay, duplicate services included): ``by_pool`` (every pool
  of either plan: ``pool, a, b, shift``; not capped), ``by_village`` (villages whose funding
  changed, or ``null`` when a need's village is unknown), ``total`` (``a, b, shift``), ``note``.
- ``hours``: ``providers`` whose service hours changed (``provider, a, b, shift, capacity``;
  hours as the plans state them, pairing visits not included) and ``total`` (``a, b, shift``).
- ``kpis``: a list, in the plans' order, of ``{kpi, a, b, delta}`` for every KPI of either
  plan; nested figures are flattened with dots (``funding_by_pool.P-agri.used``); ``delta`` is
  B − A when both are numbers, else ``null``; a reason missing from ``unmet_by_reason`` is 0.
- ``solver``: ``a`` and ``b``: ``name, status, objective, bound, gap, seconds``.
- ``summary``: the headline counts and ``identical`` (no need, pairing, money or hours change).

The shapes are typed in :mod:`matcher.reports.diff_shapes` (:class:`PlanDiff`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from matcher.evaluate.usage import service_hours
from matcher.intake.loading import scenario_sha256
from matcher.plan import Assignment, DuplicateService, Plan, ScenarioRef, Unmet
from matcher.problem.index import ScenarioIndex
from matcher.reports.diff_shapes import (
    Capped,
    DiffSummary,
    GainedNeed,
    HoursChanges,
    HouseholdRow,
    HouseholdsChanges,
    HouseholdsUnknown,
    KpiChange,
    LostNeed,
    MoneyChanges,
    MovedNeed,
    NeedHead,
    NeedsChanges,
    PairingRow,
    PairingsChanges,
    PlanDiff,
    PoolShift,
    ProviderHours,
    ScenarioCheck,
    ScenarioNames,
    SolverFigures,
    SolverPair,
    ValuedCapped,
    VillagePairings,
    VillageShift,
)
from matcher.reports.diff_text import render_diff_text

DIFF_VERSION = 1
# Long lists are capped; the counts next to them stay exact.
ITEMS_SHOWN = 50
_DECIMALS = 4
_EPSILON = 1e-9
# KPI mappings that leave out zero counts: a missing entry there means 0.
_COUNT_MAPPINGS = frozenset({"unmet_by_reason"})

Service = Assignment | DuplicateService
Row = TypeVar("Row")
ChangedNeed = TypeVar("ChangedNeed", GainedNeed, LostNeed)
Number = TypeVar("Number", int, float)

__all__ = ["DIFF_VERSION", "ITEMS_SHOWN", "PlanDiff", "plan_diff", "render_diff_text"]


def _capped(rows: list[Row], shown: int) -> Capped[Row]:
    return {"count": len(rows), "items": rows[:shown]}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _delta(a: Any, b: Any) -> Any:
    if not (_is_number(a) and _is_number(b)):
        return None
    return b - a if isinstance(a, int) and isinstance(b, int) else round(b - a, 9)


class _Needs:
    """What is known of a need: from the scenario when given, else what the plans state."""

    def __init__(self, a: Plan, b: Plan, index: ScenarioIndex | None) -> None:
        self.index = index
        self.village: dict[str, str] = {}
        self.category: dict[str, str] = {}
        for plan in (a, b):
            entries: list[Assignment | Unmet] = [*plan.assignments, *plan.unmet]
            for entry in entries:
                if entry.village is not None:
                    self.village.setdefault(entry.need, entry.village)
                if entry.category is not None:
                    self.category.setdefault(entry.need, entry.category)
        if index is not None:
            for need in index.scenario.needs:
                self.village[need.id] = need.village
                self.category[need.id] = need.category.value

    def value(self, need_id: str) -> float | None:
        need = self.index.needs.get(need_id) if self.index is not None else None
        return None if need is None or self.index is None else round(self.index.value(need), 4)

    def household(self, need_id: str) -> tuple[str, str] | None:
        need = self.index.needs.get(need_id) if self.index is not None else None
        return None if need is None or need.household is None else (need.village, need.household)

    def head(self, need_id: str) -> NeedHead:
        return {
            "need": need_id,
            "village": self.village.get(need_id),
            "category": self.category.get(need_id),
            "value": self.value(need_id),
        }


def _served(plan: Plan) -> dict[str, Assignment]:
    served: dict[str, Assignment] = {}
    for assignment in plan.assignments:
        served.setdefault(assignment.need, assignment)  # H1: the first one counts
    return served


def _minutes(service: Service, index: ScenarioIndex | None) -> float | None:
    if service.travel_minutes is not None or index is None:
        return service.travel_minutes
    provider, need = index.provider(service.provider), index.needs.get(service.need)
    if provider is None or need is None:
        return None
    minutes = index.minutes(provider, need.village)
    return round(minutes, _DECIMALS) if minutes != float("inf") else None


def _by_value(row: NeedHead) -> tuple[float, str]:
    return -(row["value"] or 0.0), row["need"]


def _needs_section(a: Plan, b: Plan, facts: _Needs, shown: int) -> NeedsChanges:
    served_a, served_b = _served(a), _served(b)
    reason_a = {u.need: u.reason for u in a.unmet}
    reason_b = {u.need: u.reason for u in b.unmet}
    index = facts.index
    gained: list[GainedNeed] = [
        {
            **facts.head(n),
            "provider": s.provider,
            "travel_minutes": _minutes(s, index),
            "reason_a": reason_a.get(n),
        }
        for n, s in served_b.items()
        if n not in served_a
    ]
    lost: list[LostNeed] = [
        {
            **facts.head(n),
            "provider": s.provider,
            "travel_minutes": _minutes(s, index),
            "reason_b": reason_b.get(n),
        }
        for n, s in served_a.items()
        if n not in served_b
    ]
    moved: list[MovedNeed] = [
        {
            **facts.head(n),
            "from": s.provider,
            "to": served_b[n].provider,
            "travel_minutes_a": _minutes(s, index),
            "travel_minutes_b": _minutes(served_b[n], index),
        }
        for n, s in served_a.items()
        if n in served_b and served_b[n].provider != s.provider
    ]
    gained.sort(key=_by_value)
    lost.sort(key=_by_value)
    moved.sort(
        key=lambda r: (
            -abs((r["travel_minutes_b"] or 0.0) - (r["travel_minutes_a"] or 0.0)),
            r["need"],
        )
    )

    def with_value(rows: list[ChangedNeed]) -> ValuedCapped[ChangedNeed]:
        total = round(float(sum(r["value"] or 0.0 for r in rows)), _DECIMALS) if index else None
        return {"count": len(rows), "value": total, "items": rows[:shown]}

    unchanged = sum(
        1 for n, s in served_a.items() if n in served_b and served_b[n].provider == s.provider
    )
    return {
        "gained": with_value(gained),
        "lost": with_value(lost),
        "moved": _capped(moved, shown),
        "unchanged": unchanged,
    }


def _households_section(
    a: Plan, b: Plan, facts: _Needs, shown: int
) -> HouseholdsChanges | HouseholdsUnknown:
    if facts.index is None:
        note = "this section needs the scenario (--scenario): plans do not name households"
        return {
            "available": False,
            "note": note,
            "a": None,
            "b": None,
            "gained": None,
            "lost": None,
        }
    counts = [
        Counter(h for n in _served(plan) if (h := facts.household(n)) is not None)
        for plan in (a, b)
    ]

    def only(
        mine: Counter[tuple[str, str]], other: Counter[tuple[str, str]]
    ) -> Capped[HouseholdRow]:
        rows: list[HouseholdRow] = [
            {"household": h, "village": v, "needs": n}
            for (v, h), n in mine.items()
            if (v, h) not in other
        ]
        rows.sort(key=lambda r: (-r["needs"], r["household"], r["village"]))
        return _capped(rows, shown)

    return {
        "available": True,
        "note": None,
        "a": len(counts[0]),
        "b": len(counts[1]),
        "gained": only(counts[1], counts[0]),
        "lost": only(counts[0], counts[1]),
    }


def _pairings_section(a: Plan, b: Plan, shown: int) -> PairingsChanges:
    pa = {(p.cadre, p.village) for p in a.pairings}
    pb = {(p.cadre, p.village) for p in b.pairings}

    def rows(pairs: set[tuple[str, str]]) -> list[PairingRow]:
        return [{"cadre": c, "village": v} for c, v in sorted(pairs, key=lambda p: (p[1], p[0]))]

    by_village: list[VillagePairings] = []
    for village in sorted({v for _, v in pa ^ pb}):
        added = sorted(c for c, v in pb - pa if v == village)
        removed = sorted(c for c, v in pa - pb if v == village)
        count_a = sum(1 for _, v in pa if v == village)
        count_b = sum(1 for _, v in pb if v == village)
        by_village.append(
            {"village": village, "a": count_a, "b": count_b, "added": added, "removed": removed}
        )
    by_village.sort(
        key=lambda r: (-abs(r["b"] - r["a"]), -len(r["added"]) - len(r["removed"]), r["village"])
    )
    return {
        "added": _capped(rows(pb - pa), shown),
        "removed": _capped(rows(pa - pb), shown),
        "by_village": _capped(by_village, shown),
    }


def _services(plan: Plan) -> list[Service]:
    return [*plan.assignments, *plan.duplicate_services]


def _shifts(
    a: Mapping[str, Number], b: Mapping[str, Number], keep: Iterable[str], zero: Number
) -> list[tuple[str, Number, Number, Number]]:
    """``(name, a, b, shift)`` for each name kept, biggest shift first (then by name);
    ``zero`` when absent. A float shift is rounded."""
    rows: list[tuple[str, Number, Number, Number]] = []
    for name in sorted(set(keep)):
        va, vb = a.get(name, zero), b.get(name, zero)
        shift = vb - va if isinstance(zero, int) else round(vb - va, _DECIMALS)
        rows.append((name, va, vb, shift))
    rows.sort(key=lambda r: (-abs(r[3]), r[0]))
    return rows


def _money_section(a: Plan, b: Plan, facts: _Needs, shown: int) -> MoneyChanges:
    pools: list[Counter[str]] = [Counter(), Counter()]
    villages: list[Counter[str]] = [Counter(), Counter()]
    known = True
    for plan, by_pool, by_village in zip((a, b), pools, villages, strict=True):
        for service in _services(plan):
            for line in service.funding:
                by_pool[line.pool] += line.amount
                village = facts.village.get(service.need)
                known = known and village is not None
                by_village[village or "?"] += line.amount
    pool_rows: list[PoolShift] = [
        {"pool": name, "a": va, "b": vb, "shift": shift}
        for name, va, vb, shift in _shifts(pools[0], pools[1], [*pools[0], *pools[1]], 0)
    ]
    changed = [v for v in {*villages[0], *villages[1]} if villages[0][v] != villages[1][v]]
    village_rows: list[VillageShift] = [
        {"village": name, "a": va, "b": vb, "shift": shift}
        for name, va, vb, shift in _shifts(villages[0], villages[1], changed, 0)
    ]
    total_a, total_b = sum(pools[0].values()), sum(pools[1].values())
    note = None if known else "money per village needs the scenario (--scenario)"
    return {
        "by_pool": pool_rows,
        "by_village": _capped(village_rows, shown) if known else None,
        "total": {"a": total_a, "b": total_b, "shift": total_b - total_a},
        "note": note,
    }


def _hours_of(plan: Plan, index: ScenarioIndex | None) -> dict[str, float]:
    hours: dict[str, float] = defaultdict(float)
    for service in _services(plan):
        stated = service.hours
        if stated is None and index is not None:
            stated = service_hours(index, service)
        hours[service.provider] += stated or 0.0
    return {p: round(h, _DECIMALS) for p, h in hours.items()}


def _capacity(index: ScenarioIndex | None, provider_id: str) -> float | None:
    provider = index.provider(provider_id) if index is not None else None
    return provider.hours if provider is not None else None


def _hours_section(a: Plan, b: Plan, index: ScenarioIndex | None, shown: int) -> HoursChanges:
    ha, hb = _hours_of(a, index), _hours_of(b, index)
    changed = [p for p in {*ha, *hb} if abs(ha.get(p, 0.0) - hb.get(p, 0.0)) > _EPSILON]
    rows: list[ProviderHours] = [
        {"provider": name, "a": va, "b": vb, "shift": shift, "capacity": _capacity(index, name)}
        for name, va, vb, shift in _shifts(ha, hb, changed, 0.0)
    ]
    total_a, total_b = round(sum(ha.values()), _DECIMALS), round(sum(hb.values()), _DECIMALS)
    return {
        "providers": _capped(rows, shown),
        "total": {"a": total_a, "b": total_b, "shift": round(total_b - total_a, _DECIMALS)},
    }


def _flatten(kpis: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """KPIs (any plan's: read as they are) flattened to dotted keys."""
    flat: dict[str, Any] = {}
    for key, value in kpis.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _kpis_section(a: Plan, b: Plan) -> list[KpiChange]:
    fa, fb = _flatten(a.kpis), _flatten(b.kpis)
    for mapping in _COUNT_MAPPINGS:
        if isinstance(a.kpis.get(mapping), dict) and isinstance(b.kpis.get(mapping), dict):
            for key in [*fa, *fb]:
                if key.startswith(f"{mapping}."):
                    fa.setdefault(key, 0)
                    fb.setdefault(key, 0)
    keys = [*fa, *(k for k in fb if k not in fa)]
    return [
        {"kpi": k, "a": fa.get(k), "b": fb.get(k), "delta": _delta(fa.get(k), fb.get(k))}
        for k in keys
    ]


def _scenario_section(a: Plan, b: Plan, index: ScenarioIndex | None) -> ScenarioCheck:
    def ref(r: ScenarioRef) -> ScenarioNames:
        return {"name": r.name, "sha256": r.sha256}

    warnings = []
    same = None
    if a.scenario.sha256 is not None and b.scenario.sha256 is not None:
        same = a.scenario.sha256 == b.scenario.sha256
        if not same:
            warnings.append(
                "the plans are of different scenarios (their sha256 differ): a what-if "
                "comparison; needs, villages and KPIs may not correspond"
            )
    for label, r in (("A", a.scenario), ("B", b.scenario)):
        if r.sha256 is None:
            warnings.append(f"plan {label} states no scenario sha256: the scenarios may differ")
    given: ScenarioNames | None = None
    if index is not None:
        given = {"name": index.scenario.name, "sha256": scenario_sha256(index.scenario)}
        for label, r in (("A", a.scenario), ("B", b.scenario)):
            if r.sha256 is not None and r.sha256 != given["sha256"]:
                warnings.append(f"the scenario given is not plan {label}'s (sha256 differ)")
    return {
        "a": ref(a.scenario),
        "b": ref(b.scenario),
        "same": same,
        "given": given,
        "warnings": warnings,
    }


def _solver(plan: Plan) -> SolverFigures:
    s = plan.solver
    return {
        "name": s.name,
        "status": s.status,
        "objective": s.objective if s.objective is not None else plan.kpis.get("objective"),
        "bound": s.bound,
        "gap": s.gap,
        "seconds": s.seconds,
    }


def plan_diff(
    a: Plan, b: Plan, index: ScenarioIndex | None = None, *, shown: int = ITEMS_SHOWN
) -> PlanDiff:
    """What changes from plan A to plan B (see the module docstring for the shape).

    With ``index`` (the scenario), needs get their value and households, and money is also
    counted per village; without it, what the plans state is used. Lists keep ``shown`` items.
    """
    facts = _Needs(a, b, index)
    needs = _needs_section(a, b, facts, shown)
    households = _households_section(a, b, facts, shown)
    pairings = _pairings_section(a, b, shown)
    money = _money_section(a, b, facts, shown)
    hours = _hours_section(a, b, index, shown)
    kpis = _kpis_section(a, b)
    scenario = _scenario_section(a, b, index)
    solver: SolverPair = {"a": _solver(a), "b": _solver(b)}
    by_village = money["by_village"]
    objective_a, objective_b = solver["a"]["objective"], solver["b"]["objective"]
    pools_changed = sum(1 for r in money["by_pool"] if r["shift"] != 0)
    villages_funding_changed = by_village["count"] if by_village is not None else None
    summary: DiffSummary = {
        "same_scenario": scenario["same"],
        "needs_gained": needs["gained"]["count"],
        "needs_lost": needs["lost"]["count"],
        "needs_moved": needs["moved"]["count"],
        "needs_unchanged": needs["unchanged"],
        "value_gained": needs["gained"]["value"],
        "value_lost": needs["lost"]["value"],
        "households_gained": households["gained"]["count"] if households["available"] else None,
        "households_lost": households["lost"]["count"] if households["available"] else None,
        "pairings_added": pairings["added"]["count"],
        "pairings_removed": pairings["removed"]["count"],
        "villages_pairings_changed": pairings["by_village"]["count"],
        "funding_a": money["total"]["a"],
        "funding_b": money["total"]["b"],
        "funding_shift": money["total"]["shift"],
        "pools_changed": pools_changed,
        "villages_funding_changed": villages_funding_changed,
        "providers_hours_changed": hours["providers"]["count"],
        "objective_a": objective_a,
        "objective_b": objective_b,
        "objective_delta": _delta(objective_a, objective_b),
        "kpis_changed": sum(1 for r in kpis if r["a"] != r["b"]),
        "identical": not any(
            (
                needs["gained"]["count"],
                needs["lost"]["count"],
                needs["moved"]["count"],
                pairings["added"]["count"],
                pairings["removed"]["count"],
                pools_changed,
                villages_funding_changed,
                hours["providers"]["count"],
            )
        ),
    }
    return {
        "diff_version": DIFF_VERSION,
        "scenario": scenario,
        "needs": needs,
        "households": households,
        "pairings": pairings,
        "money": money,
        "hours": hours,
        "kpis": kpis,
        "solver": solver,
        "summary": summary,
    }
