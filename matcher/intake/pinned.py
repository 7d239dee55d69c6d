"""Pinned needs (``pinned_provider``): the provider can serve each one, and together they fit.

A pin is a decision the planner already made; a plan must keep it (H1). So a pin that no plan
can keep is refused when the scenario is read, with the rule it breaks, instead of a plan that
comes back ``error``: each pin must be one its provider may serve (H2, H3, availability, H8),
and the pins together must fit what they draw on, which pins fix exactly — their providers'
hours (H4, with the round trip) and the money of their villages' caps and admitting pools
(H5, H6: a small flow problem, since a need may be paid from several pools).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import networkx as nx

from matcher.i18n import label
from matcher.intake.issues import Both, Issue, Words, json_path, words
from matcher.prepare.eligibility import (
    blocking_records,
    holds_skill,
    in_area,
    is_available,
    pool_admits,
    pool_limit_per_need,
    travel_hours,
    within_travel,
)
from matcher.prepare.network import TravelTimes, travel_times
from matcher.scenario import AidRecord, Cadre, Need, Organization, Scenario, Village
from matcher.schedule.calendar import WorkCalendar
from matcher.schedule.days import daily_minutes, fits_day

Provider = Cadre | Organization


class _Pins:
    """The pinned needs of a scenario with what checking them needs: their villages, their
    providers, and travel minutes from those providers' bases only (unknown references are
    left to the reference checks)."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.pinned = [(i, n) for i, n in enumerate(scenario.needs) if n.pinned_provider]
        self.villages: dict[str, Village] = {}
        for village in scenario.villages:
            self.villages.setdefault(village.id, village)
        self.providers: dict[str, Provider] = {}
        everyone: list[Provider] = [*scenario.cadres, *scenario.organizations]
        for provider in everyone:
            self.providers.setdefault(provider.id, provider)
        nodes = {p.id for p in scenario.places} | self.villages.keys()
        self.wanted = {
            pid
            for _, need in self.pinned
            if (pid := need.pinned_provider) in self.providers and self.providers[pid].base in nodes
        }
        self.times: TravelTimes | None = None
        if self.wanted:
            reduced = scenario.model_copy(
                update={
                    "cadres": tuple(c for c in scenario.cadres if self._kept(c)),
                    "organizations": tuple(o for o in scenario.organizations if self._kept(o)),
                }
            )
            self.times = travel_times(reduced)

    def _kept(self, provider: Provider) -> bool:
        return provider.id in self.wanted and self.providers[provider.id] is provider

    def checked(self) -> list[tuple[int, Need, Provider, Village, float]]:
        """Each pinned need whose provider and village are known, with the minutes between."""
        if self.times is None:
            return []
        base_row = {base: row for row, base in enumerate(self.times.base_ids)}
        column: dict[str, int] = {}
        for j, village_id in enumerate(self.times.village_ids):
            column.setdefault(village_id, j)
        found = []
        for index, need in self.pinned:
            pid, village = need.pinned_provider, self.villages.get(need.village)
            if pid is None or pid not in self.wanted or village is None:
                continue
            provider = self.providers[pid]
            minutes = float(self.times.minutes[base_row[provider.base], column[village.id]])
            found.append((index, need, provider, village, minutes))
        return found


def check_pinned_can_serve(scenario: Scenario) -> list[Issue]:
    """A pinned provider can serve its need: available, skilled, in area, within reach, and the
    need is not held back by recent aid (the rules H2, H3, H4 and H8 that bind every plan).

    Needs whose provider or village is unknown are skipped: the reference checks report them.
    """
    pins = _Pins(scenario)
    blocked = blocking_records(scenario) if pins.pinned else {}
    problems: list[Issue] = []
    for index, need, provider, village, minutes in pins.checked():
        reasons = _pinned_reasons(provider, need, village, minutes, blocked.get(need.id, ()))
        if scenario.policy.schedule and not reasons:
            reasons = _pinned_day_reasons(scenario, provider, need, minutes)
        path = json_path(("needs", index, "pinned_provider"))
        problems.extend(Issue.of(path, reason, id=need.id) for reason in reasons)
    return problems


def check_pins_fit(scenario: Scenario) -> list[Issue]:
    """The pins that each could be kept can also be kept together: their providers' hours
    hold their services with travel (H4), and the village caps and admitting pools can pay
    their costs in full (H5, H6). Pins refused for another reason are left out."""
    pins = _Pins(scenario)
    blocked = blocking_records(scenario) if pins.pinned else {}
    servable = [
        (index, need, provider, village, minutes)
        for index, need, provider, village, minutes in pins.checked()
        if not _pinned_reasons(provider, need, village, minutes, blocked.get(need.id, ()))
    ]
    return _hours_overrun(scenario, servable) + _money_short(scenario, servable)


Servable = list[tuple[int, Need, Provider, Village, float]]


def _hours_overrun(scenario: Scenario, servable: Servable) -> list[Issue]:
    """H4: per provider, its pinned services and their round trips within its hours."""
    by_provider: dict[str, list[tuple[int, Need, float]]] = defaultdict(list)
    hours_of: dict[str, float] = {}
    for index, need, provider, _, minutes in servable:
        service = need.hours + travel_hours(minutes, scenario.policy)
        by_provider[provider.id].append((index, need, service))
        hours_of[provider.id] = provider.hours
    problems: list[Issue] = []
    for pid, services in by_provider.items():
        hours = hours_of[pid]
        taken = sum(h for _, _, h in services)
        if taken <= hours + 1e-6:
            continue
        items = [
            words("intake.pin.hours_item", need=n.id, hours=f"{h:.1f}") for _, n, h in services
        ]
        listed = Both(
            "、".join(item.text("zh") for item in items),
            ", ".join(item.text("en") for item in items),
        )
        message = words(
            "intake.pin.hours_over",
            provider=pid,
            taken=f"{taken:.1f}",
            listed=listed,
            hours=f"{hours:g}",
        )
        problems.extend(
            Issue.of(json_path(("needs", index, "pinned_provider")), message, id=need.id)
            for index, need, _ in services
        )
    return problems


def _money_short(scenario: Scenario, servable: Servable) -> list[Issue]:
    """H5 and H6: the pinned needs' costs paid in full from their villages' caps and their
    admitting pools (each within its amount and its limit per need), all at once: a maximum
    flow source → village (cap) → need (cost) → pool (limit per need) → sink (amount)."""
    costly = [(i, n, v) for i, n, _, v, _ in servable if n.cost > 0]
    if not costly:
        return []
    graph = nx.DiGraph()
    for _, need, village in costly:
        graph.add_edge("source", ("village", village.id), capacity=scenario.village_cap(village))
        graph.add_edge(("village", village.id), ("need", need.id), capacity=need.cost)
        for pool in scenario.pools:
            if pool_admits(pool, need, village):
                graph.add_edge(
                    ("need", need.id), ("pool", pool.id), capacity=pool_limit_per_need(pool)
                )
                graph.add_edge(("pool", pool.id), "sink", capacity=pool.amount)
    if "sink" not in graph:
        paid: dict[object, dict[object, int]] = {}
    else:
        _, paid = nx.maximum_flow(graph, "source", "sink")
    problems = []
    for index, need, village in costly:
        got = paid.get(("village", village.id), {}).get(("need", need.id), 0)
        if got >= need.cost:
            continue
        problems.append(
            Issue.said(
                json_path(("needs", index, "pinned_provider")),
                "intake.pin.money_short",
                id=need.id,
                cost=need.cost,
                got=got,
                village=village.id,
            )
        )
    return problems


def _pinned_day_reasons(
    scenario: Scenario, provider: Cadre | Organization, need: Need, minutes: float
) -> list[Words]:
    """With days on (H10): the provider works some day of the horizon on or after the need's
    submission, and the need with one round trip fits such a day."""
    calendar = WorkCalendar.of(scenario)
    submitted = need.submitted or calendar.start
    who = provider.id
    if not any(day >= submitted for day in calendar.provider_days(provider)):
        return [words("intake.pin.no_day", provider=who, submitted=submitted.isoformat())]
    day = daily_minutes(provider, scenario.policy)
    if not fits_day(60.0 * need.hours + 2.0 * minutes, day):
        return [
            words(
                "intake.pin.day_too_short",
                provider=who,
                day=f"{day / 60:g}",
                hours=f"{need.hours:g}",
                trip=f"{2.0 * minutes / 60:.1f}",
            )
        ]
    return []


def _pinned_reasons(
    provider: Cadre | Organization,
    need: Need,
    village: Village,
    minutes: float,
    blocking: Sequence[AidRecord],
) -> list[Words]:
    """Why a pinned provider cannot serve its need, one plain sentence per reason."""
    who = provider.id
    reasons = []
    if not is_available(provider):
        reasons.append(words("intake.pin.unavailable", provider=who))
    if not holds_skill(provider, need):
        code = need.required_skill.value
        skill = Both(label("category", code, "zh"), code)
        level = provider.skills.get(need.required_skill, 0)
        if level == 0:
            reasons.append(words("intake.pin.no_skill", provider=who, skill=skill))
        else:
            reasons.append(
                words(
                    "intake.pin.low_level",
                    provider=who,
                    skill=skill,
                    level=level,
                    need_level=need.level,
                )
            )
    if not in_area(provider, village):
        towns = tuple(provider.towns or ()) if isinstance(provider, Organization) else ()
        where = {"provider": who, "village": village.id, "town": village.town}
        if towns:
            listed = Both("、".join(towns), ", ".join(towns))
            reasons.append(words("intake.pin.other_towns", towns=listed, **where))
        else:
            reasons.append(words("intake.pin.no_towns", **where))
    if math.isinf(minutes):
        reasons.append(
            words("intake.pin.unreachable", provider=who, village=village.id, base=provider.base)
        )
    elif not within_travel(provider, minutes):
        reasons.append(
            words(
                "intake.pin.too_far",
                provider=who,
                minutes=f"{minutes:.1f}",
                village=village.id,
                limit=f"{provider.max_travel_minutes:g}",
            )
        )
    if blocking:
        records = Both(
            "、".join(record.id for record in blocking), ", ".join(record.id for record in blocking)
        )
        reasons.append(words("intake.pin.held_back", provider=who, records=records))
    return reasons
