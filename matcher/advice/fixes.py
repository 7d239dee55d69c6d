"""Blind-spot fixes: the smallest changes that would serve a group of unmet needs, or give a
village the pairings it lacks, each with the value the LP prices say it adds.

For a group of unmet needs (town × category) three kinds of fix are sized exactly against
what the plan leaves free:

- a new team of the group's skills at the base nearest the group's villages, with the hours
  the open needs take (``extra_hours``);
- a longer travel limit for a provider with hours to spare (``longer_travel``);
- money alone, where a provider with hours reaches the need but the pools or the village cap
  fall short (``extra_funding``, ``village_cap``).

Each fix carries the funding changes its needs also lack. Its estimated value is the LP
reduced cost of the services it makes possible, with the prices of the rows it relaxes set
to zero: ``value − travel penalty − Σ price × use`` over the rows it does not relax. Prices
come from :mod:`solvers.pricing` through the orchestration (this module imports no solver).
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from matcher.advice.whatif import Change
from matcher.evaluate.evaluator import Evaluation
from matcher.prepare.departments import CATEGORY_DEPARTMENT
from matcher.prepare.eligibility import (
    HOURS_TOLERANCE,
    Provider,
    in_area,
    is_available,
    pool_limit_per_need,
    travel_hours,
)
from matcher.prepare.eligibility import pairing_hours as pairing_hours_of
from matcher.problem.index import ScenarioIndex
from matcher.reports.shapes import GroupFix, PairingFix, ShortVillage, UnmetGroup
from matcher.scenario import CATEGORIES, Category, Need

FIXES_SHOWN = 3  # per group, best first
_DECIMALS = 2
_NOT_FIXABLE = frozenset({"already_aided"})


@dataclass(frozen=True)
class Prices:
    """LP dual prices by id (missing: free)."""

    hours: dict[str, float] = field(default_factory=dict)
    pool: dict[str, float] = field(default_factory=dict)
    cap: dict[str, float] = field(default_factory=dict)
    need: dict[str, float] = field(default_factory=dict)
    pairing: dict[str, float] = field(default_factory=dict)
    converged: bool = False
    seconds: float = 0.0


@dataclass(frozen=True)
class Fix:
    """Changes, the needs they would serve, and their LP-estimated value."""

    kind: str
    description: str
    changes: tuple[Change, ...]
    need_ids: tuple[str, ...]
    served_by: tuple[str | None, ...]  # per need: the existing provider, or None (a new team)
    value_open: float
    estimated_value: float
    prices: dict[str, float]

    def to_dict(self, rank: int) -> GroupFix:
        """JSON-ready, with its rank among the group's fixes."""
        return {
            "rank": rank,
            "kind": self.kind,
            "description": self.description,
            "changes": [c.to_dict() for c in self.changes],
            "needs_promised": len(self.need_ids),
            "need_ids": list(self.need_ids),
            "served_by": list(self.served_by),
            "value_open": round(self.value_open, _DECIMALS),
            "estimated_value": round(self.estimated_value, _DECIMALS),
            "prices": {k: round(v, 4) for k, v in self.prices.items()},
            "confirmed": None,
        }


class _State:
    """What the plan leaves free, and the prices, for sizing fixes."""

    def __init__(self, index: ScenarioIndex, evaluation: Evaluation, prices: Prices) -> None:
        usage = evaluation.usage
        self.index = index
        self.prices = prices
        self.policy = index.scenario.policy
        self.hours_left = {
            p.id: p.hours - usage.provider_hours.get(p.id, 0.0) for p in index.providers
        }
        self.pool_left = {
            q.id: q.amount - usage.pool_spent.get(q.id, 0) for q in index.scenario.pools
        }
        self.cap_left = {
            v: index.village_cap(v) - usage.village_funded.get(v, 0) for v in index.villages
        }
        self.reach = _Reach(index)

    def gain(self, need: Need, minutes: float) -> float:
        """Value less the travel penalty of serving ``need`` from ``minutes`` away."""
        return self.index.value(need) - self.policy.travel_penalty_per_hour * travel_hours(
            minutes, self.policy
        )

    def funding(self, needs: list[Need], group_category: str) -> tuple[list[Change], float]:
        """Money changes that pay for ``needs`` beyond what pools and caps have left (a missing
        pool gets a new ring-fenced one), and the price of the money they take from existing
        pools."""
        changes: list[Change] = []
        cost_by_village: dict[str, int] = defaultdict(int)
        pool_left = dict(self.pool_left)
        short: dict[str | None, list[tuple[Need, int]]] = defaultdict(list)
        price = 0.0
        for need in needs:
            if need.cost <= 0:
                continue
            cost_by_village[need.village] += need.cost
            owed = need.cost
            pools = sorted(
                self.index.admitting_pools(need.id),
                key=lambda q: (self.prices.pool.get(q.id, 0.0), -pool_left[q.id], q.id),
            )
            for pool in pools:
                take = min(owed, max(0, pool_left[pool.id]), pool_limit_per_need(pool))
                if take > 0:
                    pool_left[pool.id] -= take
                    owed -= take
                    price += take * self.prices.pool.get(pool.id, 0.0)
            if owed > 0:
                widest = max(pools, key=pool_limit_per_need, default=None)
                short[widest.id if widest else None].append((need, owed))
        for pool_id, owed_needs in sorted(short.items(), key=lambda kv: str(kv[0])):
            department = None if pool_id else CATEGORY_DEPARTMENT.get(group_category, "county")
            changes.append(
                Change(
                    "extra_funding",
                    pool_id or f"new pool of {department}",
                    float(sum(o for _, o in owed_needs)),
                    department=department,
                    categories=tuple(sorted({n.category.value for n, _ in owed_needs})),
                    villages=tuple(sorted({n.village for n, _ in owed_needs})),
                    max_per_need=max(n.cost for n, _ in owed_needs),
                )
            )
        for village, cost in sorted(cost_by_village.items()):
            lacking = cost - self.cap_left[village]
            if lacking > 0:
                changes.append(Change("village_cap", village, float(lacking)))
        return changes, price


def _hours_of(state: _State, need: Need, minutes: float) -> float:
    return need.hours + travel_hours(minutes, state.policy)


def _describe(changes: Iterable[Change], index: ScenarioIndex) -> str:
    parts: list[str] = []
    for c in changes:
        if c.kind == "extra_hours":
            skills = ", ".join(f"{s} ≥ {lvl}" for s, lvl in sorted(c.skills.items()))
            parts.append(
                f"a team of {c.amount:g} h ({skills}) at base {c.target} for town {c.town} "
                f"(longest trip {c.minutes:.0f} min)"
            )
        elif c.kind == "provider_hours":
            parts.append(f"{c.amount:g} more hours for {c.target}")
        elif c.kind == "longer_travel":
            provider = index.provider(c.target)
            was = f" from {provider.max_travel_minutes:g}" if provider else ""
            parts.append(f"{c.target}'s travel limit raised{was} to {c.amount:g} min")
        elif c.kind == "extra_funding":
            source = f"pool {c.target}" if c.department is None else f"a new {c.department} pool"
            parts.append(
                f"{c.amount:,.0f} yuan in {source} for {', '.join(c.categories)} in "
                f"{len(c.villages)} village(s)"
            )
        elif c.kind == "village_cap":
            parts.append(f"village {c.target}'s funding cap raised by {c.amount:,.0f} yuan")
    return "; ".join(parts)


def _fix(
    state: _State,
    kind: str,
    main: list[Change],
    served: list[tuple[Need, float, Provider | None]],
    category: str,
) -> Fix | None:
    """A fix of ``main`` changes serving ``served`` (need, minutes, existing provider)."""
    if not served:
        return None
    needs = [n for n, _, _ in served]
    money, money_price = state.funding(needs, category)
    changes = (*main, *money)
    relaxed_hours = kind == "extra_hours"
    estimate = 0.0
    prices: dict[str, float] = {}
    for need, minutes, provider in served:
        rc = state.gain(need, minutes) - state.prices.need.get(need.id, 0.0)
        if provider is not None and not relaxed_hours:
            hour_price = state.prices.hours.get(provider.id, 0.0)
            prices[f"{provider.id} hours"] = hour_price
            rc -= hour_price * _hours_of(state, need, minutes)
        if need.cost > 0 and not any(c.kind == "village_cap" for c in money):
            cap_price = state.prices.cap.get(need.village, 0.0)
            if cap_price:
                prices[f"{need.village} cap"] = cap_price
            rc -= cap_price * need.cost
        estimate += max(0.0, rc)
    estimate = max(0.0, estimate - money_price)
    return Fix(
        kind=kind,
        description=_describe(changes, state.index),
        changes=changes,
        need_ids=tuple(n.id for n in needs),
        served_by=tuple(p.id if p is not None else None for _, _, p in served),
        value_open=sum(state.index.value(n) for n in needs),
        estimated_value=estimate,
        prices=prices,
    )


def _new_team(state: _State, needs: list[Need], town: str, category: str) -> Fix | None:
    """A new team at the base nearest the needs' villages, with just the hours they take."""
    index = state.index
    times = index.times
    columns = {v: j for j, v in enumerate(times.village_ids)}
    villages = [columns.get(n.village) for n in needs]
    known = [col for col in villages if col is not None]
    if not known or len(times.base_ids) == 0:
        return None
    block = times.minutes[:, known]
    finite = np.isfinite(block)
    reached = finite.sum(axis=1)
    total = np.where(finite, block, 0.0).sum(axis=1)
    # Most of the needs reached, then the least travel.
    row = int(np.lexsort((total, -reached))[0])
    if reached[row] == 0:
        return None
    served: list[tuple[Need, float, Provider | None]] = []
    for need, col in zip(needs, villages, strict=True):
        minutes = float(times.minutes[row, col]) if col is not None else math.inf
        if math.isfinite(minutes):
            served.append((need, minutes, None))
    skills: dict[str, int] = {}
    for need, _, _ in served:
        skill = need.required_skill.value
        skills[skill] = max(skills.get(skill, 0), need.level)
    hours = math.ceil(2 * sum(_hours_of(state, n, m) for n, m, _ in served)) / 2
    longest = max(m for _, m, _ in served)
    team = Change(
        "extra_hours",
        times.base_ids[row],
        hours,
        skills=skills,
        town=town,
        minutes=float(math.ceil(longest)),
    )
    return _fix(state, "extra_hours", [team], served, category)


class _Reach:
    """Every provider against every village as arrays: minutes from its base, whether it may
    work there (available, in area) and its skill levels, so that one group's candidates for
    a longer travel limit are one mask, not a loop over providers times needs."""

    def __init__(self, index: ScenarioIndex) -> None:
        providers, villages = index.providers, index.scenario.villages
        self.village_col = {v.id: j for j, v in enumerate(villages)}
        self.minutes = np.array(
            [[index.minutes(p, v.id) for v in villages] for p in providers], dtype=np.float64
        ).reshape(len(providers), len(villages))
        self.may_work = np.array(
            [[is_available(p) and in_area(p, v) for v in villages] for p in providers],
            dtype=np.bool_,
        ).reshape(len(providers), len(villages))
        self.limit = np.array([p.max_travel_minutes for p in providers], dtype=np.float64)
        self.skill_col = {c: k for k, c in enumerate(CATEGORIES)}
        self.levels = np.array(
            [[p.skills.get(Category(c), 0) for c in CATEGORIES] for p in providers], np.int64
        ).reshape(len(providers), len(CATEGORIES))

    def beyond_limit(self, needs: list[Need]) -> npt.NDArray[np.bool_]:
        """Providers × needs: holds the skill, may work in the village, and the village is
        reachable but beyond the provider's travel limit (H2 and H3's area kept, H3's
        limit broken)."""
        cols = np.array([self.village_col[n.village] for n in needs], dtype=np.int64)
        skills = np.array([self.skill_col[n.required_skill] for n in needs], dtype=np.int64)
        levels = np.array([n.level for n in needs], dtype=np.int64)
        minutes = self.minutes[:, cols]
        with np.errstate(invalid="ignore"):
            far = np.isfinite(minutes) & (minutes > self.limit[:, None])
        return far & self.may_work[:, cols] & (self.levels[:, skills] >= levels[None, :])


def _longer_travel(state: _State, needs: list[Need], category: str) -> list[Fix]:
    """Providers with hours to spare that hold the skill but stop short of the villages."""
    index = state.index
    fixes: list[Fix] = []
    candidates = state.reach.beyond_limit(needs) if needs else None
    for row, provider in enumerate(index.providers):
        left = state.hours_left[provider.id]
        if candidates is None or not candidates[row].any() or left <= HOURS_TOLERANCE:
            continue
        options = []
        for k in np.flatnonzero(candidates[row]):
            need = needs[int(k)]
            minutes = index.minutes(provider, need.village)
            options.append((state.gain(need, minutes) / _hours_of(state, need, minutes), need))
        if not options:
            continue
        served: list[tuple[Need, float, Provider | None]] = []
        for _, need in sorted(options, key=lambda o: (-o[0], o[1].id)):
            minutes = index.minutes(provider, need.village)
            hours = _hours_of(state, need, minutes)
            if hours <= left + HOURS_TOLERANCE:
                served.append((need, minutes, provider))
                left -= hours
        if not served:
            continue
        limit = float(math.ceil(max(m for _, m, _ in served)))
        fix = _fix(
            state,
            "longer_travel",
            [Change("longer_travel", provider.id, limit)],
            served,
            category,
        )
        if fix is not None:
            fixes.append(fix)
    fixes.sort(key=lambda f: (-f.estimated_value, f.description))
    return fixes[:FIXES_SHOWN]


def _money_only(state: _State, needs: list[Need], category: str) -> Fix | None:
    """Needs a provider with hours already reaches, short of money only."""
    left = dict(state.hours_left)
    served: list[tuple[Need, float, Provider | None]] = []
    for need in sorted(needs, key=lambda n: (-state.index.value(n), n.id)):
        if need.cost <= 0:
            continue
        for provider in state.index.servers(need.id):
            minutes = state.index.minutes(provider, need.village)
            hours = _hours_of(state, need, minutes)
            if hours <= left[provider.id] + HOURS_TOLERANCE:
                left[provider.id] -= hours
                served.append((need, minutes, provider))
                break
    fix = _fix(state, "extra_funding", [], served, category)
    if fix is None or not fix.changes:
        return None
    return replace(fix, kind=fix.changes[0].kind)


def _fixable_by_group(
    index: ScenarioIndex, evaluation: Evaluation
) -> dict[tuple[str, str], list[Need]]:
    """The open needs a change could serve, by (town, category), in the plan's unmet order:
    one pass for all groups, so a county of many groups and needs stays linear."""
    groups: dict[tuple[str, str], list[Need]] = {}
    for u in evaluation.unmet:
        need = index.needs.get(u.need)
        if need is None or u.reason in _NOT_FIXABLE or getattr(u, "merged_into", None):
            continue
        key = (index.villages[need.village].town, need.category.value)
        groups.setdefault(key, []).append(need)
    return groups


def _group_fixes(state: _State, needs: list[Need], group: UnmetGroup) -> list[GroupFix]:
    index = state.index
    town, category = group["town"], group["category"]
    if not needs:
        return []
    candidates = [
        _money_only(state, needs, category),
        *_longer_travel(state, needs, category),
        _new_team(state, needs, town, category),
    ]
    found = [f for f in candidates if f is not None]
    order = {"village_cap": 0, "extra_funding": 1, "longer_travel": 2, "extra_hours": 3}
    found.sort(key=lambda f: (-round(f.estimated_value, 6), order.get(f.kind, 9), f.description))
    rows = [f.to_dict(rank) for rank, f in enumerate(found[:FIXES_SHOWN], start=1)]
    cut_off = [n for n in needs if not index.village_reachable.get(n.village, True)]
    if cut_off:
        rows.append(_road(index, cut_off, len(rows) + 1))
    return rows


def _road(index: ScenarioIndex, needs: list[Need], rank: int) -> GroupFix:
    """Needs in villages no road reaches: no hours, travel limit or money serves them."""
    villages = sorted({n.village for n in needs})
    value = sum(index.value(n) for n in needs)
    return {
        "rank": rank,
        "kind": "road",
        "description": f"{len(needs)} need(s) in {', '.join(villages)}, which no road reaches: "
        "only a road (or a base inside the village) serves them",
        "changes": [],
        "needs_promised": 0,
        "need_ids": [n.id for n in needs],
        "served_by": [],
        "value_open": round(value, _DECIMALS),
        "estimated_value": None,
        "prices": {},
        "confirmed": None,
    }


def all_group_fixes(
    index: ScenarioIndex,
    evaluation: Evaluation,
    prices: Prices,
    groups: list[UnmetGroup],
    deadline: float | None = None,
    stop: threading.Event | None = None,
) -> tuple[list[list[GroupFix]], int]:
    """Ranked fixes (best estimated value first) for every unmet group of the blind-spot
    report, sized against the plan's free resources (one sizing state for all), and how many
    groups were sized: the groups with the most needs go first, and sizing ends at the
    ``time.monotonic()`` ``deadline`` or at the caller's ``stop`` (the rest get no fixes), so
    a county whose shape makes fixes slow still ends within its time limit."""
    state = _State(index, evaluation, prices)
    fixable = _fixable_by_group(index, evaluation)
    ranked: list[list[GroupFix]] = [[] for _ in groups]
    order = sorted(range(len(groups)), key=lambda i: (-groups[i]["needs"], i))
    sized = 0
    for i in order:
        if (deadline is not None and time.monotonic() > deadline) or (
            stop is not None and stop.is_set()
        ):
            break
        g = groups[i]
        ranked[i] = _group_fixes(state, fixable.get((g["town"], g["category"]), []), g)
        sized += 1
    return ranked, sized


def village_fixes(
    index: ScenarioIndex, evaluation: Evaluation, prices: Prices, village: ShortVillage
) -> list[PairingFix]:
    """For a village short of pairings: which cadres, from where, at what cost in hours, and
    what must change for each (hours, a slot, a longer travel limit)."""
    state = _State(index, evaluation, prices)
    usage = evaluation.usage
    village_id = village["village"]
    paired = set(village.get("paired_cadres", ()))
    need_pairings = int(village.get("shortfall", 0))
    if need_pairings <= 0:
        return []
    options = []
    for cadre in index.scenario.cadres:
        if not cadre.available or cadre.max_villages <= 0 or cadre.id in paired:
            continue
        minutes = index.minutes(cadre, village_id)
        if not math.isfinite(minutes):
            continue
        hours = pairing_hours_of(minutes, state.policy)
        changes: list[Change] = []
        if minutes > cadre.max_travel_minutes:
            changes.append(Change("longer_travel", cadre.id, float(math.ceil(minutes))))
        lacking = hours - state.hours_left[cadre.id]
        if lacking > HOURS_TOLERANCE:
            changes.append(Change("provider_hours", cadre.id, math.ceil(lacking * 2) / 2))
        slots = cadre.max_villages - usage.pairings_of_cadre.get(cadre.id, 0)
        price = state.prices.hours.get(cadre.id, 0.0)
        options.append((len(changes), slots <= 0, price * hours, minutes, cadre.id, hours, changes))
    options.sort()
    chosen = options[:need_pairings]
    if not chosen:
        return []
    pairing_price = state.prices.pairing.get(village_id, 0.0)
    rows: list[PairingFix] = []
    for rank, (_, no_slot, opportunity, minutes, cadre_id, hours, changes) in enumerate(chosen, 1):
        cadre = index.cadres[cadre_id]
        what = f"pair {cadre_id} (base {cadre.base}, {minutes:.0f} min away, {hours:.1f} h)"
        if no_slot:
            what += f"; it has no pairing slot left (max_villages {cadre.max_villages})"
        if changes:
            what += "; " + _describe(changes, index)
        rows.append(
            {
                "rank": rank,
                "kind": "pairing",
                "cadre": cadre_id,
                "base": cadre.base,
                "minutes": round(minutes, 1),
                "hours": round(hours, _DECIMALS),
                "description": what,
                "changes": [c.to_dict() for c in changes],
                "estimated_value": round(max(0.0, pairing_price - opportunity), _DECIMALS),
                "prices": {f"{village_id} pairing": round(pairing_price, 4)},
            }
        )
    return rows
