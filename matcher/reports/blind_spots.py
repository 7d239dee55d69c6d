"""The blind-spot report (DESIGN §6, 帮扶盲区): who and what a plan leaves out, and why.

Villages short of paired cadres (with the reason: unreachable, nobody in reach, too few in
reach, the cadres in reach busy, or merely not chosen), unreachable villages, households with no
served need in an unpaired village, unmet needs grouped by town × category, and need categories
that nobody serves. Each unmet group is a plain dict (:class:`~matcher.reports.shapes.UnmetGroup`)
so that the smallest change closing it (a later ``fixes`` list) can be added without changing
the shape.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import get_args

import numpy as np

from matcher.evaluate.evaluator import Evaluation
from matcher.plan import UNMET_REASONS, Plan
from matcher.prepare.eligibility import HOURS_TOLERANCE, pairing_hours
from matcher.problem.index import ScenarioIndex
from matcher.reports.shapes import (
    BlindSpotsReport,
    CadreInReach,
    ReasonTally,
    ShortReason,
    ShortVillage,
    UnmetGroup,
    UnreachableVillage,
    UnreachedHouseholds,
    UnreachedVillage,
    UnservedCategory,
    VillageHead,
)
from matcher.scenario import Cadre, Village

_DECIMALS = 4
# Long lists in a JSON report are capped; the counts next to them stay exact.
NEED_IDS_SHOWN = 20
CADRES_SHOWN = 5

SHORT_REASONS: tuple[ShortReason, ...] = get_args(ShortReason)  # most structural first


class _CadreReach:
    """Pairable cadres (available, max_villages > 0) against every village, as numpy arrays:
    minutes, whether each is within the cadre's travel limit, and what each cadre has left."""

    def __init__(self, index: ScenarioIndex, evaluation: Evaluation) -> None:
        times, policy, usage = index.times, index.scenario.policy, evaluation.usage
        self.cadres: list[Cadre] = [
            c for c in index.scenario.cadres if c.available and c.max_villages > 0
        ]
        base_row = {b: i for i, b in enumerate(times.base_ids)}
        self.village_col = {v: j for j, v in enumerate(times.village_ids)}
        self.row_of = {c.id: i for i, c in enumerate(self.cadres)}
        rows = [base_row.get(c.base, -1) for c in self.cadres]
        minutes = np.full((len(self.cadres), len(times.village_ids)), np.inf)
        known = [i for i, r in enumerate(rows) if r >= 0]
        if known:
            minutes[known] = times.minutes[[rows[i] for i in known]]
        limits = np.array([c.max_travel_minutes for c in self.cadres], dtype=np.float64)
        self.minutes = minutes
        self.in_reach = np.isfinite(minutes) & (minutes <= limits[:, None] + 1e-9)
        self.hours_left = np.array(
            [c.hours - usage.provider_hours.get(c.id, 0.0) for c in self.cadres], dtype=np.float64
        )
        self.slots_left = np.array(
            [c.max_villages - usage.pairings_of_cadre.get(c.id, 0) for c in self.cadres],
            dtype=np.int64,
        )
        self.policy = policy

    def candidates(
        self, village_id: str, paired: set[str], shown: int
    ) -> tuple[int, int, bool, list[CadreInReach]]:
        """For a village: cadres in reach, how many are not yet paired with it, whether one of
        those could still be paired (a slot and the hours), and the ``shown`` most promising."""
        col = self.village_col.get(village_id)
        if col is None:
            return 0, 0, False, []
        reach = np.flatnonzero(self.in_reach[:, col])
        paired_rows = [self.row_of[c] for c in paired if c in self.row_of]
        others = reach[~np.isin(reach, paired_rows)] if paired_rows else reach
        if len(others) == 0:
            return len(reach), 0, False, []
        minutes = self.minutes[others, col]
        cost = pairing_hours(minutes, self.policy)
        hours_left, slots_left = self.hours_left[others], self.slots_left[others]
        free = (slots_left > 0) & (hours_left + HOURS_TOLERANCE >= cost)
        # Free cadres first (they would close the gap), then those short only of hours, by how
        # few hours they lack, then those with no pairing slot left; nearest first among equals.
        order = np.lexsort((minutes, cost - hours_left, slots_left <= 0, ~free))[:shown]
        top: list[CadreInReach] = [
            {
                "cadre": self.cadres[int(others[k])].id,
                "department": self.cadres[int(others[k])].department,
                "minutes": round(float(minutes[k]), _DECIMALS),
                "hours_left": round(max(0.0, float(hours_left[k])), _DECIMALS),
                "pairings_left": max(0, int(slots_left[k])),
                "pairing_hours": round(float(cost[k]), _DECIMALS),
                "free": bool(free[k]),
            }
            for k in order
        ]
        return len(reach), len(others), bool(free.any()), top


def _village_head(index: ScenarioIndex, village: Village) -> VillageHead:
    return {
        "village": village.id,
        "name": village.name,
        "town": village.town,
        "households": village.households,
    }


def _short_villages(index: ScenarioIndex, plan: Plan, evaluation: Evaluation) -> list[ShortVillage]:
    """Villages with fewer pairings than ``min_cadres_per_village``, biggest shortfall first."""
    policy = index.scenario.policy
    usage = evaluation.usage
    required = policy.min_cadres_per_village
    paired_here: dict[str, set[str]] = defaultdict(set)
    for pairing in plan.pairings:
        paired_here[pairing.village].add(pairing.cadre)
    cadre_ids = set(index.cadres)
    reach: _CadreReach | None = None
    short: list[ShortVillage] = []
    for village in index.scenario.villages:
        pairings = usage.pairings_of_village.get(village.id, 0)
        if pairings >= required:
            continue
        reach = reach or _CadreReach(index, evaluation)
        in_reach, others, any_free, candidates = reach.candidates(
            village.id, paired_here[village.id], CADRES_SHOWN
        )
        why: ShortReason
        if not index.village_reachable.get(village.id, True):
            why = "unreachable"
        elif not in_reach:
            why = "nobody_in_reach"
        elif not others:
            why = "too_few_in_reach"
        elif any_free:
            why = "not_chosen"
        else:
            why = "cadres_busy"
        short.append(
            {
                # _village_head's keys, spelt out: its ** would not let the row take "fixes" later
                "village": village.id,
                "name": village.name,
                "town": village.town,
                "households": village.households,
                "pairings": pairings,
                "required": required,
                "shortfall": required - pairings,
                "why": why,
                "paired_cadres": sorted(paired_here[village.id] & cadre_ids),
                "cadres_in_reach": in_reach,
                "candidates": candidates,
            }
        )
    short.sort(key=lambda v: (-v["shortfall"], -v["households"], v["village"]))
    return short


def _unreachable_villages(index: ScenarioIndex) -> list[UnreachableVillage]:
    needs = Counter(n.village for n in index.scenario.needs)
    return [
        {**_village_head(index, v), "needs": needs.get(v.id, 0)}
        for v in index.scenario.villages
        if not index.village_reachable.get(v.id, True)
    ]


def _unreached_households(
    index: ScenarioIndex, plan: Plan, evaluation: Evaluation
) -> UnreachedHouseholds:
    """Households with no served need in villages with no pairing (as the KPI counts reach)."""
    served: dict[str, set[str]] = defaultdict(set)
    for assignment in plan.assignments:
        need = index.needs.get(assignment.need)
        if need is not None and need.household is not None:
            served[need.village].add(need.household)
    rows: list[UnreachedVillage] = []
    for village in index.scenario.villages:
        if evaluation.usage.pairings_of_village.get(village.id, 0) > 0:
            continue
        with_served = len(served[village.id])
        unreached = max(0, village.households - with_served)
        if unreached > 0:
            rows.append(
                {
                    **_village_head(index, village),
                    "households_with_served_need": with_served,
                    "unreached": unreached,
                }
            )
    rows.sort(key=lambda r: (-r["unreached"], r["village"]))
    total = sum(r["unreached"] for r in rows)
    households = sum(v.households for v in index.scenario.villages)
    return {
        "total": total,
        "households_total": households,
        "share": total / households if households > 0 else 0.0,
        "villages": rows,
    }


@dataclass
class _GroupCount:
    """An unmet group while its needs are counted (reasons, villages and sums still open)."""

    town: str
    category: str
    needs: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    need_ids: list[str] = field(default_factory=list)
    villages: set[str] = field(default_factory=set)
    value_open: float = 0.0
    hours_open: float = 0.0
    yuan_open: int = 0

    def row(self) -> UnmetGroup:
        """The report's row (reasons most structural first, the main one last)."""
        reasons = self.reasons
        return {
            "town": self.town,
            "category": self.category,
            "needs": self.needs,
            "reasons": {r: reasons[r] for r in UNMET_REASONS if reasons[r]},
            "need_ids": self.need_ids,
            "villages": len(self.villages),
            "value_open": round(self.value_open, _DECIMALS),
            "hours_open": round(self.hours_open, _DECIMALS),
            "yuan_open": self.yuan_open,
            "main_reason": min(reasons, key=lambda r: (-reasons[r], UNMET_REASONS.index(r))),
        }


def _unmet_groups(
    index: ScenarioIndex, evaluation: Evaluation
) -> tuple[list[UnmetGroup], dict[str, ReasonTally]]:
    """Unmet needs by town × category (most value left open first), and totals by reason."""
    groups: dict[tuple[str, str], _GroupCount] = {}
    by_reason: dict[str, ReasonTally] = {r: {"needs": 0, "value_open": 0.0} for r in UNMET_REASONS}
    for unmet in evaluation.unmet:
        need = index.needs.get(unmet.need)
        if need is None:
            continue
        town = index.villages[need.village].town
        key = (town, need.category.value)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _GroupCount(town, key[1])
        value = index.value(need)
        group.needs += 1
        group.reasons[unmet.reason] += 1
        if len(group.need_ids) < NEED_IDS_SHOWN:
            group.need_ids.append(need.id)
        group.villages.add(need.village)
        group.value_open += value
        group.hours_open += need.hours
        group.yuan_open += need.cost
        by_reason[unmet.reason]["needs"] += 1
        by_reason[unmet.reason]["value_open"] += value
    rows = [group.row() for group in groups.values()]
    rows.sort(key=lambda g: (-g["value_open"], g["town"], g["category"]))
    for tally in by_reason.values():
        tally["value_open"] = round(tally["value_open"], _DECIMALS)
    return rows, by_reason


def _categories_served_by_nobody(
    index: ScenarioIndex, plan: Plan, evaluation: Evaluation
) -> list[UnservedCategory]:
    """Categories with servable needs (not held back by H8) of which the plan serves none."""
    served = {
        need.category.value
        for a in plan.assignments
        if (need := index.needs.get(a.need)) is not None
    }
    reason_of: dict[str, str] = {u.need: u.reason for u in evaluation.unmet}
    open_needs: dict[str, list[str]] = defaultdict(list)
    for need in index.scenario.needs:
        category = need.category.value
        if category not in served and need.id not in index.blocked:
            open_needs[category].append(need.id)
    rows: list[UnservedCategory] = []
    for category, need_ids in open_needs.items():
        reasons: Counter[str] = Counter(reason_of.get(n, "not_chosen") for n in need_ids)
        providers = {p.id for n in need_ids for p in index.servers(n)}
        rows.append(
            {
                "category": category,
                "needs": len(need_ids),
                "value_open": round(sum(index.value(index.needs[n]) for n in need_ids), _DECIMALS),
                "reasons": {r: reasons[r] for r in UNMET_REASONS if reasons[r]},
                "providers_in_reach": len(providers),
                "need_ids": need_ids[:NEED_IDS_SHOWN],
            }
        )
    rows.sort(key=lambda r: (-r["value_open"], r["category"]))
    return rows


def blind_spots_report(
    index: ScenarioIndex, plan: Plan, evaluation: Evaluation
) -> BlindSpotsReport:
    """The blind-spot report of DESIGN §6 as JSON-ready data (worst first in every list)."""
    short = _short_villages(index, plan, evaluation)
    unreachable = _unreachable_villages(index)
    households = _unreached_households(index, plan, evaluation)
    groups, by_reason = _unmet_groups(index, evaluation)
    categories = _categories_served_by_nobody(index, plan, evaluation)
    short_by_why = Counter(v["why"] for v in short)
    return {
        "min_cadres_per_village": index.scenario.policy.min_cadres_per_village,
        "short_villages": short,
        "unreachable_villages": unreachable,
        "unreached_households": households,
        "unmet_groups": groups,
        "unmet_by_reason": by_reason,
        "categories_served_by_nobody": categories,
        "totals": {
            "villages": len(index.scenario.villages),
            "villages_short": len(short),
            "pairings_short": sum(v["shortfall"] for v in short),
            "villages_short_by_why": {w: short_by_why[w] for w in SHORT_REASONS if short_by_why[w]},
            "villages_unreachable": len(unreachable),
            "households_unreached": households["total"],
            "households_unreached_share": households["share"],
            "needs_unmet": sum(t["needs"] for t in by_reason.values()),
            "value_open": round(sum(t["value_open"] for t in by_reason.values()), _DECIMALS),
            "unmet_groups": len(groups),
            "categories_served_by_nobody": len(categories),
        },
    }
