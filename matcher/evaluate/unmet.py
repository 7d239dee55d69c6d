"""Why each open need stayed open: the reason codes of DESIGN §6 (and §9's
``no_day_available`` with the schedule on), most structural first.

The reason names the binding resource in the detail (which providers are in reach and how many
hours they have left, which pools or caps ran short), so a planner knows what would close it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from matcher.evaluate.timing import calendar_of
from matcher.evaluate.unmet_days import DayRoom, day_reach
from matcher.evaluate.usage import PlanUsage
from matcher.plan import Plan, Unmet
from matcher.prepare.eligibility import (
    HOURS_TOLERANCE,
    holds_skill,
    is_available,
    pool_limit_per_need,
)
from matcher.problem.index import ScenarioIndex
from matcher.scenario import Need
from matcher.schedule.calendar import submitted


def _names(ids: list[str], limit: int = 4, total: int | None = None) -> str:
    """The first ``limit`` ids, and how many more of ``total`` (default: all ``ids``)."""
    total = len(ids) if total is None else total
    shown = ", ".join(ids[:limit])
    return shown + (f" and {total - limit} more" if total > limit else "")


def _already_aided(index: ScenarioIndex, need: Need) -> Unmet | None:
    records = index.blocked.get(need.id)
    if not records:
        return None
    who = " and ".join(f"{r.provider} on {r.date.isoformat()}" for r in records[:3])
    if len(records) > 3:  # a village-level need can meet thousands of records
        who += f" and {len(records) - 3} more"
    whom = need.household or f"village {need.village}"
    return Unmet(
        need=need.id, reason="already_aided", detail=f"{need.category.value} for {whom} by {who}"
    )


def _merged(index: ScenarioIndex, need: Need) -> Unmet | None:
    merge = index.merged.get(need.id)
    if merge is None:
        return None
    return Unmet(need=need.id, reason="not_chosen", detail=merge.detail, merged_into=merge.kept)


def _no_provider(index: ScenarioIndex, need: Need) -> Unmet | None:
    if index.server_count(need.id):
        return None
    skill, level = need.required_skill.value, need.level
    holders = [p for p in index.providers if holds_skill(p, need)]
    if not index.village_reachable.get(need.village, True):
        detail = f"village {need.village} is unreachable by road"
    elif not holders:
        detail = f"no provider holds {skill} level {level}"
    else:
        available = [p for p in holders if is_available(p)]
        if not available:
            who = _names([p.id for p in holders])
            detail = f"{skill} level {level}: only {who} " + (
                f"holds it and {who} is unavailable"
                if len(holders) == 1
                else "hold it and all are unavailable"
            )
        else:
            nearest = min(available, key=lambda p: index.minutes(p, need.village))
            minutes = index.minutes(nearest, need.village)
            detail = (
                f"{len(available)} providers hold {skill} level {level}; none reaches "
                f"{need.village} within its travel limit or area (nearest {nearest.id}: "
                f"{minutes:.0f} min, limit {nearest.max_travel_minutes:g})"
            )
    return Unmet(need=need.id, reason="no_provider_in_reach", detail=detail)


def _no_day(index: ScenarioIndex, need: Need) -> Unmet | None:
    """DESIGN §9 (schedule on): some provider could serve the need (H2, H3, availability), but
    none works a day, from the need's submission to the horizon's end, that could hold it
    (:mod:`matcher.evaluate.unmet_days`). Runs before :func:`_no_provider`, which takes the
    needs nobody could serve on any day."""
    if not index.scenario.policy.schedule:
        return None
    n = index.need_position[need.id]
    if index.server_count(need.id):
        if day_reach(index).long_enough[n]:
            return None
        in_reach = list(index.servers(need.id))
    elif not index.village_reachable.get(need.village, True):
        return None
    else:  # the compiled problem kept no arc: find who reaches it on no particular day
        in_reach = [p for p in index.providers if index.can_serve(p, need)]
        if not in_reach:
            return None
    calendar = calendar_of(index)
    day = submitted(need, calendar)
    who = _names([p.id for p in in_reach])
    last = calendar.end - dt.timedelta(days=1)
    if not any(d >= day for p in in_reach for d in calendar.provider_days(p)[-1:]):
        detail = (
            f"{len(in_reach)} providers in reach ({who}); none works a day from {day} to the "
            f"horizon's last day {last}"
        )
    else:
        detail = (
            f"{len(in_reach)} providers in reach ({who}); none has a day long enough for "
            f"{need.hours:g} h plus the round trip to {need.village}"
        )
    return Unmet(need=need.id, reason="no_day_available", detail=detail)


def _no_room(need: Need, days: DayRoom) -> Unmet | None:
    """DESIGN §9 (schedule on), the plan's part: every day a provider in reach works from the
    need's submission on is too full for the need's hours, travel aside."""
    fits, most = days.of(need.id)
    if fits:
        return None
    return Unmet(
        need=need.id,
        reason="no_day_available",
        village=need.village,
        category=need.category.value,
        detail=f"the working days of the providers in reach are full (most room left in a "
        f"day: {max(0.0, most):.1f} h; {need.hours:g} h needed)",
    )


def _no_eligible_funding(index: ScenarioIndex, need: Need) -> Unmet | None:
    if need.cost <= 0:
        return None
    village = index.villages[need.village]
    if index.admitting_pools(need.id):
        return None
    return Unmet(
        need=need.id,
        reason="no_eligible_funding",
        detail=f"cost {need.cost}: no pool admits {need.category.value} "
        f"in {village.region} village {village.id}",
    )


def _unfundable(index: ScenarioIndex, need: Need) -> Unmet | None:
    """Funding that no plan could find: the cost exceeds the cap or the pools' per-need limits."""
    if need.cost <= 0:
        return None
    cap = index.village_cap(need.village)
    if need.cost > cap:
        return Unmet(
            need=need.id,
            reason="funding_exhausted",
            detail=f"cost {need.cost} exceeds village {need.village}'s funding cap {cap}",
        )
    pools = index.admitting_pools(need.id)
    most = sum(pool_limit_per_need(p) for p in pools)
    if need.cost > most:
        return Unmet(
            need=need.id,
            reason="funding_exhausted",
            detail=f"cost {need.cost} exceeds what the admitting pools "
            f"{_names([p.id for p in pools])} may pay for one need ({most})",
        )
    return None


class HoursLeft:
    """Each provider's hours left in a plan, and for every need of the compiled problem
    whether a provider in reach still has its hours with the round trip (what H4 charges) and
    the most hours any of them has left: computed for all needs in one vectorised pass over
    the arcs, so a county of 50,000 open needs is judged in milliseconds."""

    def __init__(self, index: ScenarioIndex, usage: PlanUsage) -> None:
        problem = index.problem
        self.problem = problem
        self.position = index.need_position
        used = np.array([usage.provider_hours.get(p, 0.0) for p in problem.provider_ids])
        self.left = problem.provider_capacity - used.reshape(len(problem.provider_ids))
        n_needs = len(problem.need_ids)
        self.fits = np.zeros(n_needs, dtype=bool)
        self.most_left = np.full(n_needs, -np.inf)
        starts = problem.need_arc_start[:-1]
        has_arcs = problem.need_arc_start[1:] > starts
        if problem.arc_provider.size and has_arcs.any():
            left = self.left[problem.arc_provider]
            fit = (left + HOURS_TOLERANCE >= problem.arc_hours).astype(np.int8)
            # reduceat over the non-empty segments only: an empty one would read its neighbour.
            at = starts[has_arcs]
            self.fits[has_arcs] = np.maximum.reduceat(fit, at) > 0
            self.most_left[has_arcs] = np.maximum.reduceat(left, at)

    def of(self, need: Need) -> tuple[bool, float]:
        """Whether a provider in reach still has the hours of ``need`` with its travel, and
        the most hours any of them has left."""
        n = self.position[need.id]
        return bool(self.fits[n]), float(self.most_left[n])

    def in_reach(self, need: Need, first: int) -> tuple[int, list[str]]:
        """How many providers can serve ``need``, and the ids of the ``first`` nearest."""
        n = self.position[need.id]
        start, end = int(self.problem.need_arc_start[n]), int(self.problem.need_arc_start[n + 1])
        ids = self.problem.provider_ids
        return end - start, [
            ids[p] for p in self.problem.arc_provider[start : min(end, start + first)].tolist()
        ]


def _capacity(index: ScenarioIndex, need: Need, hours: HoursLeft) -> Unmet | None:
    fits, most_left = hours.of(need)
    if fits:
        return None
    count, nearest = hours.in_reach(need, first=4)
    return Unmet(
        need=need.id,
        reason="capacity_exhausted",
        village=need.village,
        category=need.category.value,
        detail=f"{count} providers with {need.required_skill.value} >= {need.level} "
        f"within reach ({_names(nearest, total=count)}); all have too few "
        "hours left "
        f"(most: {max(0.0, most_left):.1f} h; {need.hours:g} h plus travel needed)",
    )


def _funding_left(index: ScenarioIndex, need: Need, usage: PlanUsage) -> Unmet | None:
    if need.cost <= 0:
        return None
    cap_left = index.village_cap(need.village) - usage.village_funded.get(need.village, 0)
    if cap_left < need.cost:
        return Unmet(
            need=need.id,
            reason="funding_exhausted",
            village=need.village,
            category=need.category.value,
            detail=f"village {need.village} has {max(0, cap_left)} yuan of its cap left; "
            f"cost {need.cost}",
        )
    pools = index.admitting_pools(need.id)
    left = {p.id: max(0, p.amount - usage.pool_spent.get(p.id, 0)) for p in pools}
    payable = sum(min(left[p.id], pool_limit_per_need(p)) for p in pools)
    if payable < need.cost:
        shown = ", ".join(f"{pid} {amount}" for pid, amount in left.items())
        return Unmet(
            need=need.id,
            reason="funding_exhausted",
            village=need.village,
            category=need.category.value,
            detail=f"cost {need.cost}; admitting pools have too little left ({shown} yuan)",
        )
    return None


_STRUCTURAL = (
    _already_aided,
    _merged,
    _no_day,
    _no_provider,
    _no_eligible_funding,
    _unfundable,
)


def _located(found: Unmet, need: Need) -> Unmet:
    """The reason with the need's village and category, as the plan lists it."""
    return found.model_copy(update={"village": need.village, "category": need.category.value})


def structural_reasons(index: ScenarioIndex) -> dict[str, Unmet]:
    """The needs no plan could serve, each with its reason (H8's recent aid, a merged
    submission, no provider in reach, no pool, a cost beyond any funding): they depend on the
    scenario alone, so they are found once per index — before the search, when
    :func:`prepare_unmet` is called — and a stopped search need not wait for them."""

    def build() -> dict[str, Unmet]:
        found: dict[str, Unmet] = {}
        for need in index.scenario.needs:
            for structural in _STRUCTURAL:
                reason = structural(index, need)
                if reason is not None:
                    found[need.id] = _located(reason, need)
                    break
        return found

    return index.memo("unmet.structural", build)


def prepare_unmet(index: ScenarioIndex) -> None:
    """Find the scenario's structural reasons now (see :func:`structural_reasons`)."""
    structural_reasons(index)


def unmet_reason(
    index: ScenarioIndex,
    need: Need,
    usage: PlanUsage,
    hours: HoursLeft | None = None,
    days: DayRoom | None = None,
) -> Unmet:
    """The most structural reason a need is not served in a plan of this usage (``hours``:
    the plan's hours left, ``days``: its days' room with the schedule on, shared by the calls
    of one plan)."""
    found = structural_reasons(index).get(need.id)
    if found is not None:
        return found
    # The plan's own reasons carry the need's village and category as they are made.
    found = _capacity(index, need, hours or HoursLeft(index, usage))
    if found is None and index.scenario.policy.schedule:
        found = _no_room(need, days or DayRoom(index, usage.routes))
    if found is None:
        found = _funding_left(index, need, usage)
    if found is not None:
        return found
    return Unmet(
        need=need.id,
        reason="not_chosen",
        detail="a provider in reach has the hours and the pools can pay; "
        "the objective preferred other needs",
        village=need.village,
        category=need.category.value,
    )


def unmet_needs(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Unmet]:
    """A reason for every need the plan leaves open, in scenario order."""
    served = {a.need for a in plan.assignments}
    hours = HoursLeft(index, usage)
    days = DayRoom(index, usage.routes) if index.scenario.policy.schedule else None
    return [
        unmet_reason(index, need, usage, hours, days)
        for need in index.scenario.needs
        if need.id not in served
    ]
