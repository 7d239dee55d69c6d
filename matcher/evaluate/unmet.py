"""Why each open need stayed open: the reason codes of DESIGN §6 (and §9's
``no_day_available`` with the schedule on), most structural first.

The reason names the binding resource in the detail (which providers are in reach and how many
hours they have left, which pools or caps ran short), so a planner knows what would close it.
Each detail is made from the message catalogue twice: ``detail`` in English with ids only (as
plans have always carried it) and ``detail_zh`` in Chinese, naming villages, providers and
pools as people know them (名称（编号）, :func:`named`) and categories by their labels.
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np

from matcher.evaluate.timing import calendar_of
from matcher.evaluate.unmet_days import DayRoom, day_reach
from matcher.evaluate.usage import PlanUsage
from matcher.i18n import MESSAGES, Lang, label, t
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

_SEPARATOR: dict[Lang, str] = {"en": ", ", "zh": "、"}


def _names(
    ids: list[str], limit: int = 4, total: int | None = None, lang: Lang = "en", joiner: str = ""
) -> str:
    """The first ``limit`` ids, and how many more of ``total`` (default: all ``ids``), joined
    by ``joiner`` (default: the language's list separator)."""
    total = len(ids) if total is None else total
    shown = (joiner or _SEPARATOR[lang]).join(ids[:limit])
    if total <= limit:
        return shown
    return t("unmet.detail.list_more", lang, shown=shown, more=total - limit)


def _named_all(index: ScenarioIndex) -> dict[str, str]:
    """Every named item of the scenario as 名称（编号）, once per index."""

    def build() -> dict[str, str]:
        s = index.scenario
        ids = [
            *(x.id for x in s.places),
            *(x.id for x in s.villages),
            *(x.id for x in s.cadres),
            *(x.id for x in s.organizations),
            *(x.id for x in s.pools),
        ]
        return {i: f"{name}（{i}）" for i in ids if (name := index.name_of(i)) and name != i}

    return index.memo("unmet.named", build)


def named(index: ScenarioIndex, item_id: str) -> str:
    """A village, provider, place or pool as people know it: ``平坪村（V027）`` when the
    scenario names it, else its id."""
    return _named_all(index).get(item_id, item_id)


def _at(village: str, detail: str) -> str:
    """A Chinese detail that does not name the need's village (``village``, named), with it
    in front: what the sentence is about when it is read alone."""
    return t("unmet.detail.at_village", "zh", village=village, detail=detail)


def _zh(code: str) -> str:
    """A category's (or skill's) Chinese label."""
    return label("category", code, "zh")


def _already_aided(index: ScenarioIndex, need: Need) -> Unmet | None:
    records = index.blocked.get(need.id)
    if not records:
        return None
    # A village-level need can meet thousands of records: the first three are named.
    shown = records[:3]
    who = _names(
        [t("unmet.detail.aid_record", "en", provider=r.provider, date=r.date) for r in shown],
        limit=3,
        total=len(records),
        joiner=" and ",
    )
    who_zh = _names(
        [
            t(
                "unmet.detail.aid_record",
                "zh",
                provider=_provider_zh(index, r.provider),
                date=r.date,
            )
            for r in shown
        ],
        limit=3,
        total=len(records),
        lang="zh",
    )
    village = named(index, need.village)
    if need.household:
        whom, whom_zh = (
            need.household,
            t("unmet.detail.household", "zh", village=village, household=need.household),
        )
    else:
        whom = t("unmet.detail.village", "en", village=need.village)
        whom_zh = t("unmet.detail.village", "zh", village=village)
    key, category = "unmet.detail.already_aided", need.category.value
    return Unmet(
        need=need.id,
        reason="already_aided",
        detail=t(key, "en", category=category, whom=whom, who=who),
        detail_zh=t(key, "zh", category=_zh(category), whom=whom_zh, who=who_zh),
    )


def _provider_zh(index: ScenarioIndex, provider: str) -> str:
    """An aid record's provider in Chinese: a named provider, else a department's label."""
    found = named(index, provider)
    return found if found != provider else label("department", provider, "zh")


def _merged(index: ScenarioIndex, need: Need) -> Unmet | None:
    merge = index.merged.get(need.id)
    if merge is None:
        return None
    return Unmet(
        need=need.id,
        reason="not_chosen",
        detail=t("unmet.detail.merged", "en", kept=merge.kept),
        detail_zh=_at(named(index, need.village), t("unmet.detail.merged", "zh", kept=merge.kept)),
        merged_into=merge.kept,
    )


def _no_provider(index: ScenarioIndex, need: Need) -> Unmet | None:
    if index.server_count(need.id):
        return None
    skill, level = need.required_skill.value, need.level
    en: dict[str, object] = {"skill": skill, "level": level, "village": need.village}
    zh: dict[str, object] = {"skill": _zh(skill), "village": named(index, need.village)}
    holders = [p for p in index.providers if holds_skill(p, need)]
    if not index.village_reachable.get(need.village, True):
        key = "unmet.detail.unreachable"
    elif not holders:
        key = "unmet.detail.no_holder"
    else:
        available = [p for p in holders if is_available(p)]
        if not available:
            ids = [p.id for p in holders]
            en["who"] = _names(ids)
            zh["who"] = _names([named(index, i) for i in ids[:4]], total=len(ids), lang="zh")
            key = (
                "unmet.detail.only_one_unavailable"
                if len(holders) == 1
                else "unmet.detail.all_unavailable"
            )
        else:
            nearest = min(available, key=lambda p: index.minutes(p, need.village))
            minutes = index.minutes(nearest, need.village)
            en |= {
                "count": len(available),
                "nearest": nearest.id,
                "minutes": f"{minutes:.0f}",
                "limit": f"{nearest.max_travel_minutes:g}",
            }
            zh["nearest"] = named(index, nearest.id)
            key = "unmet.detail.out_of_reach"
    return Unmet(
        need=need.id,
        reason="no_provider_in_reach",
        detail=t(key, "en", **en),
        detail_zh=t(key, "zh", **(en | zh))
        if key in ("unmet.detail.unreachable", "unmet.detail.out_of_reach")
        else _at(str(zh["village"]), t(key, "zh", **(en | zh))),
    )


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
    ids = [p.id for p in in_reach]
    en: dict[str, object] = {"count": len(ids), "who": _names(ids)}
    village = named(index, need.village)
    zh: dict[str, object] = {
        "village": village,
        "who": _names([named(index, i) for i in ids[:4]], total=len(ids), lang="zh"),
    }
    last = calendar.end - dt.timedelta(days=1)
    if not any(d >= day for p in in_reach for d in calendar.provider_days(p)[-1:]):
        key = "unmet.detail.no_workday"
        en |= {"day": day, "last": last}
    else:
        key = "unmet.detail.no_long_day"
        en |= {"hours": f"{need.hours:g}", "village": need.village}
    return Unmet(
        need=need.id,
        reason="no_day_available",
        detail=t(key, "en", **en),
        detail_zh=t(key, "zh", **(en | zh))
        if key == "unmet.detail.no_long_day"
        else _at(village, t(key, "zh", **(en | zh))),
    )


def _no_room(index: ScenarioIndex, need: Need, days: DayRoom) -> Unmet | None:
    """DESIGN §9 (schedule on), the plan's part: every day a provider in reach works from the
    need's submission on is too full for the need's hours, travel aside."""
    fits, most = days.of(need.id)
    if fits:
        return None
    room, hours = f"{max(0.0, most):.1f}", f"{need.hours:g}"
    return Unmet(
        need=need.id,
        reason="no_day_available",
        village=need.village,
        category=need.category.value,
        detail=t("unmet.detail.days_full", "en", most=room, hours=hours),
        detail_zh=_at(
            named(index, need.village), t("unmet.detail.days_full", "zh", most=room, hours=hours)
        ),
    )


def _no_eligible_funding(index: ScenarioIndex, need: Need) -> Unmet | None:
    if need.cost <= 0:
        return None
    village = index.villages[need.village]
    if index.admitting_pools(need.id):
        return None
    key, category, region = "unmet.detail.no_pool", need.category.value, str(village.region)
    return Unmet(
        need=need.id,
        reason="no_eligible_funding",
        detail=t(key, "en", cost=need.cost, category=category, region=region, village=village.id),
        detail_zh=t(
            key,
            "zh",
            cost=need.cost,
            category=_zh(category),
            region=label("region", region, "zh"),
            village=named(index, village.id),
        ),
    )


def _unfundable(index: ScenarioIndex, need: Need) -> Unmet | None:
    """Funding that no plan could find: the cost exceeds the cap or the pools' per-need limits."""
    if need.cost <= 0:
        return None
    cap = index.village_cap(need.village)
    if need.cost > cap:
        key = "unmet.detail.over_cap"
        return Unmet(
            need=need.id,
            reason="funding_exhausted",
            detail=t(key, "en", cost=need.cost, village=need.village, cap=cap),
            detail_zh=t(key, "zh", cost=need.cost, village=named(index, need.village), cap=cap),
        )
    pools = index.admitting_pools(need.id)
    most = sum(pool_limit_per_need(p) for p in pools)
    if need.cost > most:
        ids, key = [p.id for p in pools], "unmet.detail.over_pool_limits"
        shown_zh = _names([named(index, i) for i in ids[:4]], total=len(ids), lang="zh")
        return Unmet(
            need=need.id,
            reason="funding_exhausted",
            detail=t(key, "en", cost=need.cost, pools=_names(ids), most=most),
            detail_zh=_at(
                named(index, need.village),
                t(key, "zh", cost=need.cost, pools=shown_zh, most=most),
            ),
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
        self.names = _named_all(index)  # 名称（编号） by id, for the Chinese details
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


@functools.cache
def _templates(key: str) -> tuple[str, str]:
    """A reason's English and Chinese templates, the Chinese with the need's village in
    front (:func:`_at`): made once, for the reasons of tens of thousands of needs."""
    zh, en = MESSAGES[key]
    return en, t("unmet.detail.at_village", "zh", village="{village}", detail=zh)


def _capacity(index: ScenarioIndex, need: Need, hours: HoursLeft) -> Unmet | None:
    fits, most_left = hours.of(need)
    if fits:
        return None
    count, nearest = hours.in_reach(need, first=4)
    names = hours.names
    en, zh = _templates("unmet.detail.hours_short")
    skill, most, needed = need.required_skill.value, f"{max(0.0, most_left):.1f}", f"{need.hours:g}"
    if count <= 4:
        who, who_zh = ", ".join(nearest), "、".join([names.get(i, i) for i in nearest])
    else:
        who = _names(nearest, total=count)
        who_zh = _names([names.get(i, i) for i in nearest], total=count, lang="zh")
    village = need.village
    return Unmet(
        need=need.id,
        reason="capacity_exhausted",
        village=village,
        category=need.category.value,
        detail=en.format(
            count=count, skill=skill, level=need.level, who=who, most=most, hours=needed
        ),
        detail_zh=zh.format(
            village=names.get(village, village),
            count=count,
            skill=_zh(skill),
            level=need.level,
            who=who_zh,
            most=most,
            hours=needed,
        ),
    )


def _funding_left(index: ScenarioIndex, need: Need, usage: PlanUsage) -> Unmet | None:
    if need.cost <= 0:
        return None
    cap_left = index.village_cap(need.village) - usage.village_funded.get(need.village, 0)
    if cap_left < need.cost:
        key, left_yuan = "unmet.detail.cap_short", max(0, cap_left)
        return Unmet(
            need=need.id,
            reason="funding_exhausted",
            village=need.village,
            category=need.category.value,
            detail=t(key, "en", village=need.village, left=left_yuan, cost=need.cost),
            detail_zh=t(
                key, "zh", village=named(index, need.village), left=left_yuan, cost=need.cost
            ),
        )
    pools = index.admitting_pools(need.id)
    left = {p.id: max(0, p.amount - usage.pool_spent.get(p.id, 0)) for p in pools}
    payable = sum(min(left[p.id], pool_limit_per_need(p)) for p in pools)
    if payable < need.cost:
        shown = ", ".join(f"{pid} {amount}" for pid, amount in left.items())
        shown_zh = "、".join(f"{named(index, pid)} {amount}" for pid, amount in left.items())
        key = "unmet.detail.pools_short"
        return Unmet(
            need=need.id,
            reason="funding_exhausted",
            village=need.village,
            category=need.category.value,
            detail=t(key, "en", cost=need.cost, shown=shown),
            detail_zh=_at(named(index, need.village), t(key, "zh", cost=need.cost, shown=shown_zh)),
        )
    return None


_NOT_CHOSEN_EN = t("unmet.detail.not_chosen", "en")
_NOT_CHOSEN_ZH = t("unmet.detail.not_chosen", "zh")

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
        found = _no_room(index, need, days or DayRoom(index, usage.routes))
    if found is None:
        found = _funding_left(index, need, usage)
    if found is not None:
        return found
    return Unmet(
        need=need.id,
        reason="not_chosen",
        detail=_NOT_CHOSEN_EN,
        detail_zh=_at(named(index, need.village), _NOT_CHOSEN_ZH),
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
