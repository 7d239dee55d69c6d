"""The three lists of 包村联户, read by the people who carry a plan out (issue 16, item 2).

* the **pairing roster** (包村名单): every village with the cadres paired with it, their names,
  posts and departments, whether the pairing is an existing one or new, the travel and the
  hours their visits take over the horizon; and the existing pairings the plan releases;
* the **service list** (联户服务清单): every served need, for a household (its label, else its
  pseudonymous id) or the village as a whole, with its category, the provider (name, and
  department or kind), the hours and the money by pool; in a village, village-level needs
  first, then by household id (a household's needs together);
* each **provider's own list** (一人一单): per cadre and organisation, what they do, where and
  for whom, and the hours it all takes against the hours they have.

Each list is sorted by town, then village (the scenario's own order of places and villages),
and reads without lookups: names beside ids, labels of categories, departments and kinds in the
chosen language. :func:`rosters` builds them from the scenario and a plan; without the scenario
(``index`` None) they are built from the plan's own naming fields
(:data:`matcher.plan.NAMING_FIELDS`), with towns, departments, posts and hours available left
empty. The shapes are JSON-ready typed dicts, served as they are by the API.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Literal, get_args

# typing_extensions' TypedDict: pydantic reads no other before Python 3.12 (the API documents
# its response schema from these classes).
from typing_extensions import TypedDict

from matcher.evaluate.usage import service_hours
from matcher.i18n import Lang, label, t
from matcher.plan import Assignment, Pairing, Plan
from matcher.prepare.eligibility import Provider, pairing_hours
from matcher.problem.index import ScenarioIndex
from matcher.scenario import Cadre

RosterKind = Literal["pairing", "service", "provider"]
ROSTER_KINDS: tuple[RosterKind, ...] = get_args(RosterKind)
ProviderType = Literal["cadre", "organization"]
TaskKind = Literal["pairing", "service"]


class UnknownTown(ValueError):
    """A town filter that names no place of the scenario (by id or by name)."""


# The shapes


class RosterTown(TypedDict):
    """A town the rosters cover: its place id and name (both null when not known)."""

    town: str | None
    town_name: str | None


class PairedCadre(TypedDict):
    """A cadre paired with a village, as the pairing roster shows it."""

    cadre: str
    name: str | None
    title: str | None  # the cadre's post (乡镇干部, 驻村第一书记)
    department: str | None
    department_label: str | None
    existing: bool | None  # listed in the cadre's paired_villages before this plan
    minutes: float | None  # one-way travel from the cadre's base
    visits: int | None  # policy.visits_per_pairing
    hours: float | None  # visits x (visit hours + travel hours) over the horizon


class RosterVillage(TypedDict):
    """One village of the pairing roster (包村名单)."""

    town: str | None
    town_name: str | None
    village: str
    village_name: str | None
    households: int | None
    required: int | None  # policy.min_cadres_per_village
    shortfall: int | None  # cadres the village still lacks
    cadres: list[PairedCadre]
    released: list[PairedCadre]  # existing pairings this plan does not keep (no visits, hours)


class FundingShare(TypedDict):
    """Whole yuan one pool pays towards one need, with the pool's name and owner."""

    pool: str
    pool_name: str | None
    department_label: str | None
    amount: int


class ServiceLine(TypedDict):
    """One served need of the service list (联户服务清单)."""

    town: str | None
    town_name: str | None
    village: str | None
    village_name: str | None
    household: str | None  # pseudonymous id; null for a village-level need (or not known)
    household_label: str | None  # the county's own label (三组12号)
    village_level: bool | None  # null when the plan does not say
    need: str
    category: str | None
    category_label: str | None
    vulnerable_labels: list[str]
    priority: int | None
    provider: str
    provider_name: str | None
    provider_type: ProviderType | None
    provider_unit: str | None  # the cadre's department or the organisation's kind, labelled
    minutes: float | None
    need_hours: float | None  # the work, travel excluded
    hours: float | None  # the work plus the visit's travel
    yuan: int
    funding: list[FundingShare]
    submitted: str | None  # when the need was raised (YYYY-MM-DD)


class ProviderTask(TypedDict):
    """One line of a provider's own list: a village to visit, or a need to serve."""

    task: TaskKind
    what: str  # "包村联系：走访 2 次", or the need's category label
    town: str | None
    town_name: str | None
    village: str | None
    village_name: str | None
    need: str | None
    household: str | None
    household_label: str | None
    village_level: bool | None
    minutes: float | None
    hours: float | None
    yuan: int


class ProviderSheet(TypedDict):
    """One provider's own list (一人一单)."""

    provider: str
    name: str | None
    provider_type: ProviderType | None
    title: str | None
    unit: str | None  # department (cadre) or kind (organisation) code
    unit_label: str | None
    base: str | None
    base_name: str | None
    town: str | None  # the town of the provider's base: the page its list is printed on
    town_name: str | None
    villages: int  # pairings
    needs: int  # needs served
    hours_total: float | None  # the hours of its tasks
    hours_available: float | None  # the provider's hours over the horizon
    hours_left: float | None
    yuan: int
    tasks: list[ProviderTask]


class Rosters(TypedDict):
    """The three lists of a plan. A list not asked for (``kinds``) is empty."""

    scenario: str | None
    horizon_start: str | None
    horizon_days: int | None
    lang: Lang
    kinds: list[RosterKind]
    town: str | None  # the town filter, as a place id; null for the whole county
    complete: bool  # built with the scenario; false: from the plan's own fields alone
    towns: list[RosterTown]  # the towns covered, in the scenario's order
    pairing: list[RosterVillage]
    service: list[ServiceLine]
    provider: list[ProviderSheet]


# Looking things up


def _hours(value: float | None) -> float | None:
    """Hours or minutes as written: 4 decimals, null when missing or infinite."""
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 4)


def _set(item: Assignment | Pairing, field: str) -> bool:
    """Whether the plan states ``field`` of ``item`` (a null stated means "none", an absent
    one "not said": a plan that predates the naming fields)."""
    return field in item.model_fields_set


class _Places:
    """Towns and villages in the scenario's order, with names: what every list sorts by."""

    def __init__(self, index: ScenarioIndex | None, plan: Plan) -> None:
        self.index = index
        self.town_order: dict[str | None, int] = {}
        self.village_order: dict[str, int] = {}
        self.village_names: dict[str, str | None] = {}
        if index is not None:
            s = index.scenario
            self.town_order = {p.id: i for i, p in enumerate(s.places)}
            self.village_order = {v.id: i for i, v in enumerate(s.villages)}
            return
        # Without the scenario: the names the plan carries, villages by id.
        items: list[Pairing | Assignment] = [*plan.pairings, *plan.assignments]
        for item in items:
            if item.village and item.village_name is not None:
                self.village_names.setdefault(item.village, item.village_name)

    def town_of_village(self, village_id: str | None) -> str | None:
        """The village's town (None when unknown)."""
        if self.index is None or village_id is None:
            return None
        village = self.index.villages.get(village_id)
        return village.town if village is not None else None

    def town_of_base(self, base: str | None) -> str | None:
        """The town of a base: the place itself, or a village's town."""
        if self.index is None or base is None:
            return None
        if base in self.town_order:
            return base
        return self.town_of_village(base)

    def name(self, item_id: str | None) -> str | None:
        """A place's, village's or provider's name (None when unknown)."""
        if item_id is None:
            return None
        if self.index is not None:
            return self.index.name_of(item_id)
        return self.village_names.get(item_id)

    def where(self, village_id: str | None) -> tuple[str | None, str | None, str, str | None]:
        """(town, town name, village, village name) of a village."""
        town = self.town_of_village(village_id)
        return town, self.name(town), village_id or "", self.name(village_id)

    def key(self, town: str | None, village: str | None) -> tuple[int, str, int, str]:
        """Sort key: the town's then the village's position in the scenario, ids after."""
        big = 1 << 30
        return (
            self.town_order.get(town, big),
            town or "",
            self.village_order.get(village or "", big),
            village or "",
        )


def _provider_type(provider: Provider | None) -> ProviderType | None:
    """Cadre or organisation (None for a provider the scenario lacks)."""
    if provider is None:
        return None
    return "cadre" if isinstance(provider, Cadre) else "organization"


def _unit(provider: Provider | None, lang: Lang) -> tuple[str | None, str | None]:
    """The provider's department (a cadre) or kind (an organisation), code and label."""
    if provider is None:
        return None, None
    if isinstance(provider, Cadre):
        return provider.department, label("department", provider.department, lang)
    return provider.kind, label("organization_kind", provider.kind, lang)


# The pairing roster


def _paired_cadre(
    index: ScenarioIndex | None, pairing: Pairing | None, cadre_id: str, village: str, lang: Lang
) -> PairedCadre:
    """A paired cadre's line: from the scenario when given, else from the pairing's fields."""
    cadre = index.cadres.get(cadre_id) if index is not None else None
    if index is None or cadre is None:
        return {
            "cadre": cadre_id,
            "name": pairing.cadre_name if pairing is not None else None,
            "title": None,
            "department": None,
            "department_label": None,
            "existing": pairing.existing if pairing is not None else None,
            "minutes": _hours(pairing.minutes) if pairing is not None else None,
            "visits": None,
            "hours": None,
        }
    policy = index.scenario.policy
    minutes = index.minutes(cadre, village)
    return {
        "cadre": cadre_id,
        "name": cadre.name,
        "title": cadre.title,
        "department": cadre.department,
        "department_label": label("department", cadre.department, lang),
        "existing": village in cadre.paired_villages,
        "minutes": _hours(minutes),
        "visits": policy.visits_per_pairing,
        "hours": _hours(pairing_hours(minutes, policy)),
    }


def _pairing_roster(
    index: ScenarioIndex | None, plan: Plan, places: _Places, lang: Lang
) -> list[RosterVillage]:
    """Every village (of the scenario; of the plan's pairings without it) with its cadres."""
    by_village: dict[str, dict[str, Pairing]] = defaultdict(dict)
    for p in plan.pairings:
        by_village[p.village].setdefault(p.cadre, p)
    released: dict[str, list[str]] = defaultdict(list)
    villages: list[str] = list(by_village)
    required: int | None = None
    if index is not None:
        villages = [v.id for v in index.scenario.villages]
        required = index.scenario.policy.min_cadres_per_village
        for cadre in index.scenario.cadres:
            for v in cadre.paired_villages:
                if cadre.id not in by_village.get(v, {}):
                    released[v].append(cadre.id)
    roster: list[RosterVillage] = []
    for village_id in villages:
        town, town_name, _, village_name = places.where(village_id)
        pairs = by_village.get(village_id, {})
        cadres = [
            _paired_cadre(index, pairs[c], c, village_id, lang)
            for c in sorted(pairs, key=lambda c: (pairs[c].existing is not True, c))
        ]
        village = index.villages.get(village_id) if index is not None else None
        roster.append(
            {
                "town": town,
                "town_name": town_name,
                "village": village_id,
                "village_name": village_name,
                "households": village.households if village is not None else None,
                "required": required,
                "shortfall": None if required is None else max(0, required - len(cadres)),
                "cadres": cadres,
                "released": [
                    {
                        **_paired_cadre(index, None, c, village_id, lang),
                        "visits": None,
                        "hours": None,
                    }
                    for c in sorted(released.get(village_id, []))
                ],
            }
        )
    roster.sort(key=lambda r: places.key(r["town"], r["village"]))
    return roster


# The service list


def _funding(index: ScenarioIndex | None, a: Assignment, lang: Lang) -> list[FundingShare]:
    """The assignment's funding lines with each pool's name and owning department."""
    shares: list[FundingShare] = []
    for line in a.funding:
        pool = index.pools.get(line.pool) if index is not None else None
        shares.append(
            {
                "pool": line.pool,
                "pool_name": pool.name if pool is not None else None,
                "department_label": (
                    label("department", pool.department, lang) if pool is not None else None
                ),
                "amount": int(line.amount),
            }
        )
    return shares


def _service_line(
    index: ScenarioIndex | None, a: Assignment, places: _Places, lang: Lang
) -> ServiceLine:
    """A served need: from the scenario when given (and the need is in it), else from the
    assignment's own fields."""
    need = index.needs.get(a.need) if index is not None else None
    provider = index.provider(a.provider) if index is not None else None
    village_id = need.village if need is not None else a.village
    town, town_name, _, village_name = places.where(village_id)
    if village_name is None:
        village_name = a.village_name
    category = need.category.value if need is not None else a.category
    minutes: float | None = a.travel_minutes
    hours: float | None = a.hours
    if index is not None and need is not None and provider is not None:
        minutes = index.minutes(provider, need.village)
        hours = service_hours(index, a)
    if need is not None:
        household, household_label = need.household, need.household_label
        village_level: bool | None = need.household is None
    elif _set(a, "household"):
        household, household_label = a.household, a.household_label
        village_level = a.household is None
    else:
        household, household_label, village_level = None, None, None
    _, unit_label = _unit(provider, lang)
    return {
        "town": town,
        "town_name": town_name,
        "village": village_id,
        "village_name": village_name,
        "household": household,
        "household_label": household_label,
        "village_level": village_level,
        "need": a.need,
        "category": category,
        "category_label": label("category", category, lang) if category else None,
        "vulnerable_labels": (
            [label("vulnerable", tag, lang) for tag in need.vulnerable] if need else []
        ),
        "priority": need.priority if need is not None else None,
        "provider": a.provider,
        "provider_name": provider.name if provider is not None else a.provider_name,
        "provider_type": _provider_type(provider),
        "provider_unit": unit_label,
        "minutes": _hours(minutes),
        "need_hours": _hours(need.hours) if need is not None else None,
        "hours": _hours(hours),
        "yuan": sum(int(line.amount) for line in a.funding),
        "funding": _funding(index, a, lang),
        "submitted": need.submitted.isoformat() if need and need.submitted else None,
    }


def household_shown(line: ServiceLine | ProviderTask, lang: Lang) -> str:
    """Who a service is for, as people read it: the household's label, else its id, else
    "village-level need" (a dash when the plan does not say)."""
    if line["household_label"]:
        return line["household_label"]
    if line["household"]:
        return line["household"]
    return t("roster.village_level", lang) if line["village_level"] else "—"


def _service_list(
    index: ScenarioIndex | None, plan: Plan, places: _Places, lang: Lang
) -> list[ServiceLine]:
    """Every served need, by town and village; in a village, village-level needs first, then
    by household id, so that a household's needs stand together."""
    lines = [_service_line(index, a, places, lang) for a in plan.assignments]
    lines.sort(
        key=lambda s: (
            places.key(s["town"], s["village"]),
            not s["village_level"],
            s["household"] or "",
            s["need"],
        )
    )
    return lines


# Each provider's own list


def _pairing_task(village: RosterVillage, cadre: PairedCadre, lang: Lang) -> ProviderTask:
    """A cadre's visits to a village it is paired with, as a line of its own list."""
    visits = cadre["visits"]
    what = (
        t("roster.task_pairing", lang, visits=visits)
        if visits is not None
        else t("roster.task_pairing_plain", lang)
    )
    return {
        "task": "pairing",
        "what": what,
        "town": village["town"],
        "town_name": village["town_name"],
        "village": village["village"],
        "village_name": village["village_name"],
        "need": None,
        "household": None,
        "household_label": None,
        "village_level": None,
        "minutes": cadre["minutes"],
        "hours": cadre["hours"],
        "yuan": 0,
    }


def _service_task(line: ServiceLine) -> ProviderTask:
    """A served need as a line of its provider's own list."""
    return {
        "task": "service",
        "what": line["category_label"] or line["category"] or "",
        "town": line["town"],
        "town_name": line["town_name"],
        "village": line["village"],
        "village_name": line["village_name"],
        "need": line["need"],
        "household": line["household"],
        "household_label": line["household_label"],
        "village_level": line["village_level"],
        "minutes": line["minutes"],
        "hours": line["hours"],
        "yuan": line["yuan"],
    }


def _total(values: Iterable[float | None]) -> float | None:
    """The sum, or None when any part is unknown."""
    total = 0.0
    for v in values:
        if v is None:
            return None
        total += v
    return round(total, 4)


def _provider_list(
    index: ScenarioIndex | None,
    pairing: list[RosterVillage],
    service: list[ServiceLine],
    places: _Places,
    lang: Lang,
) -> list[ProviderSheet]:
    """Every provider with a task, its tasks in town and village order (visits first)."""
    tasks: dict[str, list[ProviderTask]] = defaultdict(list)
    names: dict[str, str | None] = {}
    for village in pairing:
        for cadre in village["cadres"]:
            tasks[cadre["cadre"]].append(_pairing_task(village, cadre, lang))
            names.setdefault(cadre["cadre"], cadre["name"])
    for line in service:
        tasks[line["provider"]].append(_service_task(line))
        names.setdefault(line["provider"], line["provider_name"])
    sheets: list[ProviderSheet] = []
    for provider_id, own in tasks.items():
        provider = index.provider(provider_id) if index is not None else None
        unit, unit_label = _unit(provider, lang)
        base = provider.base if provider is not None else None
        town = places.town_of_base(base)
        total = _total(task["hours"] for task in own)
        available = float(provider.hours) if provider is not None else None
        sheets.append(
            {
                "provider": provider_id,
                "name": provider.name if provider is not None else names.get(provider_id),
                "provider_type": _provider_type(provider),
                "title": provider.title if isinstance(provider, Cadre) else None,
                "unit": unit,
                "unit_label": unit_label,
                "base": base,
                "base_name": places.name(base),
                "town": town,
                "town_name": places.name(town),
                "villages": sum(1 for task in own if task["task"] == "pairing"),
                "needs": sum(1 for task in own if task["task"] == "service"),
                "hours_total": total,
                "hours_available": available,
                "hours_left": (
                    None if total is None or available is None else round(available - total, 4)
                ),
                "yuan": sum(task["yuan"] for task in own),
                "tasks": own,
            }
        )
    sheets.sort(
        key=lambda p: (
            places.key(p["town"], None)[:2],
            p["provider_type"] != "cadre",
            p["provider"],
        )
    )
    return sheets


# Filters and the whole


def resolve_town(index: ScenarioIndex, town: str) -> str:
    """The place id a town filter names: a place's id, else its name (exact, then ignoring
    case and surrounding space). Raises :class:`UnknownTown` for no match or an ambiguous
    name."""
    places = index.scenario.places
    if any(p.id == town for p in places):
        return town
    wanted = town.strip().casefold()
    for exact in (True, False):
        found = [
            p.id
            for p in places
            if (p.name == town if exact else (p.name or "").strip().casefold() == wanted)
            or (not exact and p.id.casefold() == wanted)
        ]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UnknownTown(f"town {town!r} names {len(found)} places: {', '.join(found)}")
    known = ", ".join(f"{p.id} {p.name}" if p.name else p.id for p in places[:12])
    more = f" and {len(places) - 12} more" if len(places) > 12 else ""
    raise UnknownTown(f"no town {town!r} (by id or name); the towns are {known}{more}")


def _towns(found: Iterable[str | None], index: ScenarioIndex | None) -> list[str | None]:
    """The towns the rosters found, in the scenario's order (an unknown one last)."""
    wanted = set(found)
    if index is None:
        return sorted(wanted, key=lambda town: town or "")
    known = [p.id for p in index.scenario.places if p.id in wanted]
    return [*known, *([None] if None in wanted else [])]


def rosters(
    index: ScenarioIndex | None,
    plan: Plan,
    lang: Lang = "zh",
    *,
    kind: RosterKind | None = None,
    town: str | None = None,
) -> Rosters:
    """The pairing roster, the service list and each provider's own list of ``plan``.

    ``index`` is the plan's scenario; None builds the lists from the plan's own naming fields
    (``complete`` false). ``kind`` keeps one list (the others are empty); ``town`` (a place id
    or name, which needs the scenario) keeps the villages and services of that town and the
    providers based there or with a task there, each with their whole list. Raises
    :class:`UnknownTown` for a town the scenario does not have."""
    town_id = None
    if town is not None:
        if index is None:
            raise UnknownTown("a town filter needs the plan's scenario")
        town_id = resolve_town(index, town)
    places = _Places(index, plan)
    pairing = _pairing_roster(index, plan, places, lang)
    service = _service_list(index, plan, places, lang)
    providers = _provider_list(index, pairing, service, places, lang)
    if town_id is not None:
        pairing = [v for v in pairing if v["town"] == town_id]
        service = [s for s in service if s["town"] == town_id]
        providers = [
            p
            for p in providers
            if p["town"] == town_id or any(task["town"] == town_id for task in p["tasks"])
        ]
    kinds = list(ROSTER_KINDS) if kind is None else [kind]
    pairing = pairing if "pairing" in kinds else []
    service = service if "service" in kinds else []
    providers = providers if "provider" in kinds else []
    found = (
        [town_id]
        if town_id is not None
        else [*(v["town"] for v in pairing), *(s["town"] for s in service)]
        + [p["town"] for p in providers]
    )
    horizon = index.scenario.horizon if index is not None else None
    return {
        "scenario": index.scenario.name if index is not None else plan.scenario.name,
        "horizon_start": horizon.start.isoformat() if horizon is not None else None,
        "horizon_days": horizon.days if horizon is not None else None,
        "lang": lang,
        "kinds": kinds,
        "town": town_id,
        "complete": index is not None,
        "towns": [{"town": z, "town_name": places.name(z)} for z in _towns(found, index)],
        "pairing": pairing,
        "service": service,
        "provider": providers,
    }
