"""A realistic synthetic county: places, villages, roads, providers, pools, needs and ledgers.

:func:`generate_scenario` returns a JSON-ready dict of scenario schema_version 1 (DESIGN §3),
calibrated to the reported figures of DESIGN §1 so that benchmarks and demos face the problems
the product exists for: too few cadres per village, a small share of social helpers, money
that is scarce but not absurdly so, departments' ledgers that pay the same household twice, and
blind spots (an unreachable village, remote mountain villages, categories such as after-school
care for left-behind children that few providers can serve). Every draw comes from one
``numpy.random.default_rng(seed)``, so a seed always gives the same county.
:func:`calibration_figures` measures the calibrated figures of any scenario.

The module is longer than most because the calibration tables belong next to the code that
uses them; each table says where its figures come from.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_array
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from matcher.departments import CATEGORY_DEPARTMENT
from matcher.eligibility import aid_key, blocking_records, pairing_hours, travel_hours
from matcher.network import travel_times
from matcher.scenario import CATEGORIES, REGIONS, Policy, Scenario

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# ---- calibration: DESIGN §1 reported figures ------------------------------------------------
CADRES_PER_VILLAGE = 1.8  # §1: 1.8 cadres per village on average
SOCIAL_SHARE = 0.12  # §1: 12% of helpers from enterprises and social organisations
LEDGER_DUPLICATION_SHARE = 0.30  # §1: about 30% of aid money wasted on duplication

# ---- calibration: the brief's targets for a hard but not hopeless county ---------------------
POOL_MONEY_SHARE = (0.62, 0.78)  # pool money 60-80% of the cost of all needs: money is scarce
CAPACITY_RATIO = 0.80  # deliverable hours ≈ 70-90% of need hours incl. travel (blind spots)
NEED_HOURS_SCALE = (0.6, 1.6)  # how far need effort may be stretched to reach CAPACITY_RATIO
BLOCKED_NEED_SHARE = 0.05  # needs held back by recent aid (H8): aim 3-8%
UNREACHABLE_SHARE = 0.01  # about 1 village in 100 has no road at all
AID_EVENTS_PER_NEED = 0.5  # ledger episodes (household x category) in 90 days, per open need
AID_LEDGER_DAYS = 90  # ledgers cover the quarter before the horizon
DUPLICATE_WINDOW_DAYS = 30  # DESIGN §3 policy default; ledgers are drawn for this window
AID_EXTRA_PROVIDERS = (0.7, 0.3)  # a duplicated episode has 1 or 2 extra providers
AID_FOLLOW_UP_SHARE = 0.10  # single-payer episodes repeated by the same team 35-44 days apart
AID_PERSONAL_PROVIDER = 0.12  # ledger lines naming a cadre or organisation instead of a team

# ---- geography: a county of ~300 villages is ~60 km across; 乡镇 hold 10-15 villages -------
CENTER_LON, CENTER_LAT = 104.0, 30.0  # a hill county of the Sichuan basin rim
COUNTY_RADIUS_KM = 30.0  # at REFERENCE_VILLAGES; the area grows with the village count
REFERENCE_VILLAGES = 300
MIN_RADIUS_KM = 20.0  # small counties keep real distances: remote villages stay remote
VILLAGES_PER_TOWN = 12
KM_PER_DEG_LAT = 110.574
# road class: (speed km/h, detour factor). Mountain village roads are the slow ones.
ROAD_CLASSES: dict[str, tuple[float, float]] = {
    "expressway": (80.0, 1.15),
    "highway": (60.0, 1.25),
    "county": (40.0, 1.35),
    "village": (25.0, 1.45),
    "mountain": (15.0, 1.80),
}
VILLAGE_LINK_SHARE = 0.3  # villages with an extra road to their nearest neighbour village

# ---- villages: 2020 census rural household size ~3.6; 24% of rural people are 60+ ------------
PERSONS_PER_HOUSEHOLD = 3.6
HOUSEHOLDS_RANGE = (100, 600)
OTHER_REGION_SHARE = 0.2  # villages whose region class differs from the county's
COUNTY_REGION_ODDS = (0.25, 0.35, 0.40)  # east, central, west: the product targets the interior
LOW_CAP_SHARE = 0.1  # villages that already used part of their annual funding

# ---- cadres: county departments in 包村 work; agriculture and civil affairs send the most ----
DEPARTMENTS = ("agriculture", "education", "civil_affairs", "health", "human_resources", "culture")
DEPARTMENT_SHARES = (0.28, 0.15, 0.25, 0.13, 0.10, 0.09)
# (skill, probability of holding it); the first skill is the department's own.
CADRE_SKILLS: dict[str, tuple[tuple[str, float], ...]] = {
    "agriculture": (("agri_tech", 1.0), ("e_commerce", 0.35), ("infrastructure", 0.4)),
    "education": (("education", 1.0), ("child_care", 0.55)),
    "civil_affairs": (
        ("hardship_relief", 0.85),
        ("elderly_care", 0.7),
        ("policy_service", 0.6),
        ("dispute_mediation", 0.45),
    ),
    "health": (("medical", 1.0), ("mental_health", 0.35), ("elderly_care", 0.2)),
    "human_resources": (("employment", 1.0), ("policy_service", 0.6)),
    "culture": (("culture", 1.0), ("education", 0.15)),
}
EXTRA_SKILLS = ("policy_service", "dispute_mediation", "hardship_relief", "e_commerce", "culture")
EXTRA_SKILL_SHARE = 0.15
OWN_LEVELS = (0.3, 0.45, 0.25)  # level 1/2/3 of a department's own skill
OTHER_LEVELS = (0.5, 0.4, 0.1)
CADRE_AT_SEAT = 0.4  # county-department staff; the rest sit in town stations
CADRE_HOURS = (24, 28, 32, 36, 40)  # hours for the month beside their desk work
CADRE_TRAVEL = ((45, 60, 75, 90), (0.3, 0.35, 0.2, 0.15))
CADRE_MAX_VILLAGES = ((1, 2, 3), (0.3, 0.5, 0.2))
PAIRED_SHARE = 0.85  # cadres already paired (existing 包村 list) ...
SECOND_PAIRING_SHARE = 0.3  # ... with a second village: ~1.8 pairings per village, unevenly
PAIRING_NEARNESS_MINUTES = 40.0  # pairings favour villages near the base: weight e^(-t/40)
UNAVAILABLE_SHARE = 0.05  # on leave, seconded, ill

# ---- organisations ---------------------------------------------------------------------------
ORG_KINDS = ("enterprise", "ngo", "volunteer", "cooperative")
ORG_KIND_SHARES = (0.25, 0.3, 0.25, 0.2)
ORG_SKILLS: dict[str, tuple[tuple[str, float], ...]] = {
    "enterprise": (("employment", 0.7), ("e_commerce", 0.6), ("infrastructure", 0.3)),
    "ngo": (
        ("child_care", 0.7),
        ("mental_health", 0.5),
        ("elderly_care", 0.5),
        ("education", 0.3),
    ),
    "volunteer": (("elderly_care", 0.6), ("child_care", 0.5), ("culture", 0.4), ("medical", 0.1)),
    "cooperative": (("agri_tech", 0.9), ("e_commerce", 0.6), ("employment", 0.3)),
}
ORG_LEVELS = (0.35, 0.45, 0.2)
# name of an organisation: its base's name, a brand, and a word for what it mainly does
ORG_BRANDS = ("阳光", "同心", "春晖", "惠民", "益农", "金穗", "暖阳", "启航", "新禾", "善行")
ORG_NAMES: dict[str, dict[str, str]] = {
    "enterprise": {
        "employment": "劳务服务有限公司",
        "e_commerce": "电子商务有限公司",
        "infrastructure": "建设工程有限公司",
    },
    "ngo": {
        "child_care": "儿童关爱服务中心",
        "mental_health": "心理健康服务中心",
        "elderly_care": "社会工作服务中心",
        "education": "助学公益协会",
    },
    "volunteer": {
        "elderly_care": "助老志愿服务队",
        "child_care": "巾帼志愿服务队",
        "culture": "文化志愿服务队",
        "medical": "医疗志愿服务队",
    },
    "cooperative": {
        "agri_tech": "种植专业合作社",
        "e_commerce": "电商专业合作社",
        "employment": "劳务专业合作社",
    },
}
ORG_HOURS = (80, 200)
ORG_TRAVEL = (60, 75, 90, 105, 120)
ORG_RESTRICTED = 0.4  # organisations that work in a few towns only

# ---- pools: (id, department, categories, max_per_need, name) -------------------------------
DEPARTMENT_POOLS: tuple[tuple[str, str, tuple[str, ...], int | None, str], ...] = (
    ("P-agri", "agriculture", ("agri_tech", "e_commerce", "infrastructure"), 20000, "农业农村局"),
    ("P-edu", "education", ("education", "child_care"), None, "教育局"),
    (
        "P-civil",
        "civil_affairs",
        ("elderly_care", "hardship_relief", "dispute_mediation", "policy_service"),
        5000,
        "民政局",
    ),
    ("P-health", "health", ("medical", "mental_health"), None, "卫生健康局"),
    ("P-hr", "human_resources", ("employment", "policy_service"), 3000, "人力资源和社会保障局"),
    ("P-culture", "culture", ("culture",), None, "文化广电旅游局"),
)
POOL_SPLIT = (0.70, 0.20, 0.07, 0.03)  # departments, P-west tilt, P-charity, P-donor
CHARITY_CATEGORIES = ("child_care", "elderly_care", "hardship_relief")
DONOR_CATEGORIES = ("education", "medical", "infrastructure")
DONOR_VILLAGE_SHARE = 0.15  # villages paired with an east-coast donor (东西部协作)
DEPARTMENT_BUDGET_NOISE = 0.35  # siloed budgets do not follow the needs (lognormal sigma)

# ---- needs: per category (base weight, per left-behind child per household, per elderly
# share of population); this makes child care follow 留守儿童 and elderly care follow 空巢老人.
NEED_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "agri_tech": (0.15, 0.0, 0.0),
    "e_commerce": (0.06, 0.0, 0.0),
    "employment": (0.08, 0.0, 0.0),
    "infrastructure": (0.03, 0.0, 0.0),
    "child_care": (0.0, 0.7, 0.0),
    "education": (0.03, 0.25, 0.0),
    "elderly_care": (0.0, 0.0, 0.35),
    "medical": (0.03, 0.0, 0.2),
    "mental_health": (0.015, 0.1, 0.04),
    "culture": (0.03, 0.0, 0.0),
    "dispute_mediation": (0.04, 0.0, 0.0),
    "policy_service": (0.08, 0.0, 0.0),
    "hardship_relief": (0.09, 0.0, 0.0),
}
# hours for the month (low, high), before the capacity scaling
NEED_HOURS: dict[str, tuple[float, float]] = {
    "agri_tech": (2, 8),
    "e_commerce": (2, 8),
    "employment": (2, 6),
    "infrastructure": (4, 8),
    "child_care": (3, 8),
    "education": (2, 6),
    "elderly_care": (2, 6),
    "medical": (1, 4),
    "mental_health": (1, 4),
    "culture": (2, 5),
    "dispute_mediation": (1, 4),
    "policy_service": (1, 3),
    "hardship_relief": (1, 4),
}
# (probability the need costs money, low yuan, high yuan), log-uniform between low and high
NEED_COST: dict[str, tuple[float, int, int]] = {
    "agri_tech": (0.6, 500, 5000),
    "e_commerce": (0.5, 300, 3000),
    "employment": (0.3, 200, 2000),
    "infrastructure": (1.0, 3000, 20000),
    "child_care": (0.5, 200, 1500),
    "education": (0.5, 300, 3000),
    "elderly_care": (0.4, 200, 2000),
    "medical": (0.6, 300, 5000),
    "mental_health": (0.2, 200, 1000),
    "culture": (0.3, 500, 5000),
    "dispute_mediation": (0.0, 0, 0),
    "policy_service": (0.0, 0, 0),
    "hardship_relief": (1.0, 500, 5000),
}
VULNERABLE_TAGS = ("left_behind_child", "elderly_alone", "disabled", "low_income")
# probability of each tag per category; unlisted categories use VULNERABLE_DEFAULT
VULNERABLE_ODDS: dict[str, tuple[float, float, float, float]] = {
    "child_care": (0.85, 0.0, 0.03, 0.15),
    "education": (0.45, 0.0, 0.03, 0.15),
    "mental_health": (0.35, 0.25, 0.05, 0.1),
    "elderly_care": (0.0, 0.55, 0.08, 0.15),
    "medical": (0.0, 0.3, 0.12, 0.15),
    "hardship_relief": (0.05, 0.15, 0.15, 0.75),
    "employment": (0.0, 0.0, 0.05, 0.25),
    "infrastructure": (0.0, 0.0, 0.0, 0.0),
}
VULNERABLE_DEFAULT = (0.0, 0.0, 0.03, 0.08)
NEED_LEVELS = (0.72, 0.21, 0.07)
NEED_PRIORITIES = (0.34, 0.28, 0.2, 0.12, 0.06)  # skewed low; vulnerable needs rise by one
VILLAGE_LEVEL_CULTURE = 0.5  # culture needs of the whole village (a festival, a library)

# ---- ledgers: the team that pays for a category, and who else pays for it ------------------
HOME_TEAM: dict[str, str] = CATEGORY_DEPARTMENT  # a category's own department pays first
AID_HOME_SHARE = 0.85  # first payer of an episode is the category's own department
AID_PAID_SHARE = 0.8  # ledger lines of money-bearing categories that carry money
OTHER_TEAMS: dict[str, tuple[str, ...]] = {
    "agri_tech": ("rural_revitalization", "township", "charity"),
    "e_commerce": ("commerce", "rural_revitalization", "township"),
    "employment": ("rural_revitalization", "township", "civil_affairs"),
    "infrastructure": ("rural_revitalization", "transport", "township"),
    "child_care": ("womens_federation", "civil_affairs", "charity", "township"),
    "education": ("womens_federation", "charity", "civil_affairs"),
    "elderly_care": ("health", "charity", "township", "red_cross"),
    "medical": ("civil_affairs", "red_cross", "charity"),
    "mental_health": ("education", "womens_federation", "charity"),
    "culture": ("township", "education"),
    "dispute_mediation": ("township", "justice"),
    "policy_service": ("township", "rural_revitalization", "human_resources"),
    "hardship_relief": ("charity", "rural_revitalization", "red_cross", "township"),
}

HORIZON_START = "2026-12-01"
HORIZON_DAYS = 31
DEMO_SEED = 2027
DEMO_NAME = "Demo County (演示县), December 2026"
DEMO_VILLAGES, DEMO_NEEDS = 30, 600

_NAME_FIRST = (
    "上下大小东西南北新老高长石青白黄金龙凤双马杨柳桃花松竹梅兰清安和平兴福永太丰乐宝云明光红"
)
_VILLAGE_LAST = "坝坪沟湾河山岭林溪塘桥庄寨冲岗田湖堰口坡岩水井园坎垭台峰"
_TOWN_LAST = "水山河江溪阳场坪桥关市滩"


@dataclass(frozen=True)
class _Geography:
    towns: int
    town_xy: FloatArray  # (k, 2) km east/north of the seat
    village_xy: FloatArray  # (V, 2)
    village_town: IntArray  # (V,) 0..k-1
    roads: list[tuple[int, int, float]]  # node indices: 0 seat, 1..k towns, k+1.. villages
    minutes: FloatArray  # (k+1, V) shortest minutes from each place, inf when unreachable


def _levels(rng: np.random.Generator, odds: Sequence[float]) -> int:
    return int(rng.choice(3, p=odds)) + 1


def _lonlat(xy: FloatArray) -> tuple[list[float], list[float]]:
    km_per_deg_lon = 111.320 * math.cos(math.radians(CENTER_LAT))
    lon = np.round(CENTER_LON + xy[:, 0] / km_per_deg_lon, 5)
    lat = np.round(CENTER_LAT + xy[:, 1] / KM_PER_DEG_LAT, 5)
    return lon.tolist(), lat.tolist()


def _names(rng: np.random.Generator, count: int, last: str, suffix: str) -> list[str]:
    """Distinct Chinese place names from syllable lists, three syllables when two run short."""
    names = [a + b for a in _NAME_FIRST for b in last]
    if count > len(names) // 2:
        names += [a + c + b for a in _NAME_FIRST for c in _NAME_FIRST for b in last if a != c]
    picked = rng.choice(len(names), size=count, replace=False)
    return [names[i] + suffix for i in picked.tolist()]


def _road_minutes(km: FloatArray, road_class: npt.NDArray[np.str_]) -> FloatArray:
    speed = np.array([ROAD_CLASSES[c][0] for c in road_class.tolist()])
    detour = np.array([ROAD_CLASSES[c][1] for c in road_class.tolist()])
    minutes: FloatArray = np.maximum(np.round(km * detour / speed * 60.0, 1), 0.1)
    return minutes


def _geography(rng: np.random.Generator, villages: int, towns: int) -> _Geography:
    """Towns on a jittered sunflower around the seat, villages around their town, roads."""
    radius = max(MIN_RADIUS_KM, COUNTY_RADIUS_KM * math.sqrt(villages / REFERENCE_VILLAGES))
    i = np.arange(towns)
    r = np.maximum(radius * 0.85 * np.sqrt((i + 0.5) / towns) + rng.normal(0, 1.0, towns), 4.0)
    theta = i * math.pi * (3 - math.sqrt(5)) + rng.uniform(0, 2 * math.pi) + rng.normal(0, 0.2)
    town_xy = np.column_stack([r * np.cos(theta), r * np.sin(theta)])

    reach = radius / math.sqrt(towns)  # radius of a town's equal share of the county
    village_town = rng.permutation(np.arange(villages) % towns)
    d = reach * 0.9 * (0.12 + 0.88 * np.sqrt(rng.random(villages)))
    phi = rng.uniform(0, 2 * math.pi, villages)
    order = np.lexsort((d, village_town))  # number villages town by town, nearest first
    village_town, d, phi = village_town[order], d[order], phi[order]
    village_xy = town_xy[village_town] + np.column_stack([d * np.cos(phi), d * np.sin(phi)])
    # The west of the county rises into the mountains; remote villages are more often uphill.
    p_mountain = 0.25 - 0.35 * village_xy[:, 0] / radius + 0.2 * (d / reach - 0.5)
    mountain = rng.random(villages) < np.clip(p_mountain, 0.05, 0.75)

    unreachable = np.zeros(villages, bool)
    blind = max(1 if villages >= 30 else 0, round(villages * UNREACHABLE_SHARE))
    if blind:
        weight = d * np.where(mountain, 3.0, 1.0)
        unreachable[rng.choice(villages, size=blind, replace=False, p=weight / weight.sum())] = True

    edges: list[tuple[IntArray, IntArray, FloatArray, npt.NDArray[np.str_]]] = []
    seat_km = np.hypot(town_xy[:, 0], town_xy[:, 1])
    fast = (seat_km > 0.4 * radius) & (rng.random(towns) < 0.5)
    edges.append(
        (np.zeros(towns, np.int64), i + 1, seat_km, np.where(fast, "expressway", "highway"))
    )
    if towns > 1:
        _, near = cKDTree(town_xy).query(town_xy, k=min(3, towns))
        pairs = {(min(a, b), max(a, b)) for a, row in enumerate(near.tolist()) for b in row[1:]}
        ta, tb = (np.array(x, np.int64) for x in zip(*sorted(pairs), strict=True))
        km = np.hypot(*(town_xy[ta] - town_xy[tb]).T)
        edges.append((ta + 1, tb + 1, km, np.full(len(ta), "county")))
    ok = np.flatnonzero(~unreachable)
    slow = np.where(mountain, "mountain", "village")
    edges.append((village_town[ok] + 1, ok + towns + 1, d[ok], slow[ok]))
    if len(ok) > 1:
        _, nearest = cKDTree(village_xy[ok]).query(village_xy[ok], k=2)
        linked = rng.random(len(ok)) < VILLAGE_LINK_SHARE
        pairs = {
            (int(min(ok[a], ok[b])), int(max(ok[a], ok[b])))
            for a, b in zip(np.flatnonzero(linked), nearest[linked, 1], strict=True)
        }
        if pairs:
            va, vb = (np.array(x, np.int64) for x in zip(*sorted(pairs), strict=True))
            km = np.hypot(*(village_xy[va] - village_xy[vb]).T)
            cls = np.where(mountain[va] | mountain[vb], "mountain", "village")
            edges.append((va + towns + 1, vb + towns + 1, km, cls))

    a = np.concatenate([e[0] for e in edges])
    b = np.concatenate([e[1] for e in edges])
    minutes = np.concatenate([_road_minutes(e[2], e[3]) for e in edges])
    nodes = 1 + towns + villages
    graph = coo_array((minutes, (a, b)), shape=(nodes, nodes)).tocsr()
    dist = dijkstra(graph, directed=False, indices=np.arange(towns + 1))[:, towns + 1 :]
    roads = list(zip(a.tolist(), b.tolist(), minutes.tolist(), strict=True))
    return _Geography(towns, town_xy, village_xy, village_town, roads, np.asarray(dist, np.float64))


@dataclass(frozen=True)
class _Needs:
    """The open needs as arrays, in submission order (household 0: a village-level need)."""

    village: IntArray
    household: IntArray
    category: IntArray
    level: IntArray
    hours: FloatArray
    cost: IntArray
    priority: IntArray
    tags: BoolArray  # (N, len(VULNERABLE_TAGS))
    day: IntArray  # days after the horizon's start


@dataclass(frozen=True)
class _Staff:
    """What the calibration and the ledgers need to know of the cadres or organisations."""

    ids: list[str]
    base: IntArray  # place index
    hours: IntArray
    available: BoolArray
    skills: list[dict[str, int]]
    pair_minutes: list[float]  # minutes from base of each existing pairing (available cadres)


def _category_weights(lbc_rate: FloatArray, eld_share: FloatArray) -> FloatArray:
    """(V, categories) need-mix weights of each village from its demography."""
    table = np.array([NEED_WEIGHTS[c] for c in CATEGORIES])  # (C, 3)
    weights: FloatArray = (
        table[:, 0] + np.outer(lbc_rate, table[:, 1]) + np.outer(eld_share, table[:, 2])
    )
    return weights


def _draw_categories(rng: np.random.Generator, weights: FloatArray, village: IntArray) -> IntArray:
    cum = np.cumsum(weights, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(village))
    drawn: IntArray = np.minimum((u[:, None] > cum[village]).sum(axis=1), len(CATEGORIES) - 1)
    return drawn


def _draw_households(
    rng: np.random.Generator, households: FloatArray, village: IntArray, category: IntArray
) -> IntArray:
    """1-based household numbers skewed to a needy few; 0 for village-level categories."""
    number = 1 + np.floor(households[village] * rng.random(len(village)) ** 1.5).astype(np.int64)
    village_level = (category == CATEGORIES.index("infrastructure")) | (
        (category == CATEGORIES.index("culture"))
        & (rng.random(len(village)) < VILLAGE_LEVEL_CULTURE)
    )
    return np.where(village_level, 0, number)


def _draw_costs(rng: np.random.Generator, category: IntArray, paid_share: float | None) -> IntArray:
    """Whole yuan, rounded to 10, log-uniform per category; ``paid_share`` overrides the odds."""
    table = np.array([NEED_COST[c] for c in CATEGORIES], dtype=np.float64)
    odds, lo, hi = table[category].T
    if paid_share is not None:
        odds = np.where(odds > 0, paid_share, 0.0)
    u = rng.random(len(category))
    paid = rng.random(len(category)) < odds
    log_lo, log_hi = np.log(np.maximum(lo, 1)), np.log(np.maximum(hi, 1))
    cost = np.round(np.exp(log_lo + (log_hi - log_lo) * u) / 10) * 10
    return np.where(paid, cost, 0).astype(np.int64)


def _needs(
    rng: np.random.Generator,
    weights: FloatArray,
    households: FloatArray,
    count: int,
    days: int,
) -> _Needs:
    """Needs spread over villages by households, their mix by each village's demography."""
    share = households * rng.gamma(3.0, 1 / 3, len(households))
    village = np.repeat(np.arange(len(households)), rng.multinomial(count, share / share.sum()))
    category = _draw_categories(rng, weights, village)
    household = _draw_households(rng, households, village, category)
    level = rng.choice(3, size=count, p=NEED_LEVELS) + 1
    lo, hi = np.array([NEED_HOURS[c] for c in CATEGORIES], dtype=np.float64)[category].T
    hours = lo + (hi - lo) * rng.random(count) + 0.5 * (level - 1)
    cost = _draw_costs(rng, category, None)
    odds = np.array([VULNERABLE_ODDS.get(c, VULNERABLE_DEFAULT) for c in CATEGORIES])
    tags = (rng.random((count, len(VULNERABLE_TAGS))) < odds[category]) & (household > 0)[:, None]
    priority = rng.choice(5, size=count, p=NEED_PRIORITIES) + 1
    priority += tags.any(axis=1) & (rng.random(count) < 0.5)
    priority += category == CATEGORIES.index("hardship_relief")
    day = rng.integers(0, days, count)
    order = np.lexsort((village, day))
    return _Needs(
        village[order],
        household[order],
        category[order],
        level[order],
        hours[order],
        cost[order],
        np.minimum(priority, 5)[order],
        tags[order],
        day[order],
    )


def _skills(
    rng: np.random.Generator, profile: tuple[tuple[str, float], ...], own: bool
) -> dict[str, int]:
    """Skills from a profile: at least the first; ``own`` gives the first the higher levels."""
    skills: dict[str, int] = {}
    for i, (skill, odds) in enumerate(profile):
        if rng.random() < odds:
            skills[skill] = _levels(rng, OWN_LEVELS if own and i == 0 else OTHER_LEVELS)
    if not skills:
        skills[profile[0][0]] = _levels(rng, OWN_LEVELS if own else OTHER_LEVELS)
    return skills


def _cadres(
    rng: np.random.Generator, geo: _Geography, village_ids: list[str], place_ids: list[str]
) -> tuple[list[dict[str, object]], _Staff]:
    """Cadres of county departments, mostly already paired with villages near their base."""
    n = max(1, round(CADRES_PER_VILLAGE * len(village_ids)))
    department = rng.choice(len(DEPARTMENTS), size=n, p=DEPARTMENT_SHARES)
    base = np.where(rng.random(n) < CADRE_AT_SEAT, 0, rng.integers(1, geo.towns + 1, n))
    hours = rng.choice(CADRE_HOURS, size=n)
    travel = rng.choice(CADRE_TRAVEL[0], size=n, p=CADRE_TRAVEL[1])
    max_villages = rng.choice(CADRE_MAX_VILLAGES[0], size=n, p=CADRE_MAX_VILLAGES[1])
    available = rng.random(n) >= UNAVAILABLE_SHARE
    paired = available & (rng.random(n) < PAIRED_SHARE)
    wanted = np.minimum(max_villages, 1 + (rng.random(n) < SECOND_PAIRING_SHARE))
    width = max(4, len(str(n)))
    cadres: list[dict[str, object]] = []
    staff = _Staff([], base, hours, available, [], [])
    for c in range(n):
        dep = DEPARTMENTS[department[c]]
        skills = _skills(rng, CADRE_SKILLS[dep], own=True)
        if rng.random() < EXTRA_SKILL_SHARE:
            extra = str(rng.choice(EXTRA_SKILLS))
            skills.setdefault(extra, 1 + int(rng.random() < 0.3))
        villages: list[str] = []
        if paired[c]:
            minutes = geo.minutes[base[c]]
            near = np.flatnonzero(minutes <= travel[c])
            if len(near):
                w = np.exp(-minutes[near] / PAIRING_NEARNESS_MINUTES)
                size = min(int(wanted[c]), len(near))
                pick = rng.choice(near, size=size, replace=False, p=w / w.sum())
                villages = sorted(village_ids[v] for v in pick.tolist())
                staff.pair_minutes.extend(minutes[pick].tolist())
        staff.ids.append(f"C{c + 1:0{width}d}")
        staff.skills.append(skills)
        cadres.append(
            {
                "id": staff.ids[-1],
                "department": dep,
                "base": place_ids[base[c]],
                "skills": dict(sorted(skills.items(), key=lambda s: CATEGORIES.index(s[0]))),
                "hours": int(hours[c]),
                "max_travel_minutes": int(travel[c]),
                "max_villages": int(max_villages[c]),
                "paired_villages": villages,
                "available": bool(available[c]),
            }
        )
    return cadres, staff


def _organizations(
    rng: np.random.Generator,
    geo: _Geography,
    place_ids: list[str],
    place_names: list[str],
    n_cadres: int,
) -> tuple[list[dict[str, object]], _Staff]:
    """Social forces: SOCIAL_SHARE of all helpers, some working in a few towns only."""
    n = max(1, round(n_cadres * SOCIAL_SHARE / (1 - SOCIAL_SHARE)))
    kind = rng.choice(len(ORG_KINDS), size=n, p=ORG_KIND_SHARES)
    base = np.where(rng.random(n) < CADRE_AT_SEAT, 0, rng.integers(1, geo.towns + 1, n))
    hours = rng.integers(ORG_HOURS[0] // 10, ORG_HOURS[1] // 10 + 1, n) * 10
    travel = rng.choice(ORG_TRAVEL, size=n)
    restricted = rng.random(n) < ORG_RESTRICTED
    xy = np.vstack([np.zeros((1, 2)), geo.town_xy])
    width = max(3, len(str(n)))
    orgs: list[dict[str, object]] = []
    staff = _Staff([], base, hours, np.ones(n, bool), [], [])
    for o in range(n):
        k = ORG_KINDS[kind[o]]
        towns: list[str] | None = None
        if restricted[o]:
            # the base's town and its nearest neighbours (the seat is no town of its own)
            dist = np.hypot(*(xy[1:] - xy[base[o]]).T)
            count = min(geo.towns, int(rng.integers(1, 4)))
            towns = sorted(place_ids[t + 1] for t in np.argsort(dist, kind="stable")[:count])
        skills = _skills(rng, ORG_SKILLS[k], own=False)
        main = next(skill for skill, _ in ORG_SKILLS[k] if skill in skills)
        brand = ORG_BRANDS[int(rng.integers(len(ORG_BRANDS)))]
        staff.ids.append(f"O{o + 1:0{width}d}")
        staff.skills.append(skills)
        orgs.append(
            {
                "id": staff.ids[-1],
                "name": place_names[base[o]].removesuffix("镇") + brand + ORG_NAMES[k][main],
                "kind": k,
                "base": place_ids[base[o]],
                "skills": dict(sorted(skills.items(), key=lambda s: CATEGORIES.index(s[0]))),
                "hours": int(hours[o]),
                "max_travel_minutes": int(travel[o]),
                "towns": towns,
            }
        )
    return orgs, staff


def _existing_pairing_hours(
    pair_minutes: Sequence[float], reachable_villages: int, policy: Policy
) -> float:
    """Hours of pairing visits: the existing pairings, plus the pairings still missing to give
    every reachable village ``min_cadres_per_village``, at the existing pairings' mean."""
    per = [pairing_hours(m, policy) for m in pair_minutes]
    mean = sum(per) / len(per) if per else pairing_hours(0.0, policy)
    missing = max(0, policy.min_cadres_per_village * reachable_villages - len(per))
    return sum(per) + missing * mean


def _scale_need_hours(
    needs: _Needs, geo: _Geography, staffs: Sequence[_Staff], policy: Policy
) -> FloatArray:
    """Need hours stretched (within NEED_HOURS_SCALE, 1-8 h, half hours) so the providers'
    deliverable hours are CAPACITY_RATIO of the need hours plus travel from the nearest base."""
    bases = np.unique(np.concatenate([staff.base for staff in staffs]))
    nearest = geo.minutes[bases].min(axis=0)
    travel = np.where(np.isfinite(nearest), travel_hours(1.0, policy) * nearest, 0.0)
    need_travel = float(travel[needs.village].sum())
    pair_minutes = [m for staff in staffs for m in staff.pair_minutes]
    reachable = int(np.isfinite(geo.minutes[0]).sum())
    supply = sum(float(staff.hours[staff.available].sum()) for staff in staffs)
    supply -= _existing_pairing_hours(pair_minutes, reachable, policy)
    target = supply / CAPACITY_RATIO - need_travel
    scale, scaled = 1.0, needs.hours
    for _ in range(4):  # a few fixed-point steps make up for the 1-8 h clip and rounding
        got = float(scaled.sum())
        if got <= 0:
            break
        scale = min(max(scale * target / got, NEED_HOURS_SCALE[0]), NEED_HOURS_SCALE[1])
        scaled = np.clip(np.round(needs.hours * scale * 2) / 2, 1.0, 8.0)
    return scaled


def _pools(
    rng: np.random.Generator,
    needs: _Needs,
    village_region: npt.NDArray[np.str_],
    village_ids: list[str],
) -> list[dict[str, object]]:
    """Department pools split by their categories' cost with siloed noise, a central/west tilt
    pool, a charity pool and a donor pool, together POOL_MONEY_SHARE of all need cost."""
    cost = needs.cost.astype(np.float64)
    money = float(cost.sum()) * rng.uniform(*POOL_MONEY_SHARE)
    cat_names = np.array(CATEGORIES)[needs.category]
    dept_cost = np.array(
        [cost[np.isin(cat_names, cats)].sum() for _, _, cats, _, _ in DEPARTMENT_POOLS]
    )
    dept_weight = (dept_cost + 1.0) * rng.lognormal(0, DEPARTMENT_BUDGET_NOISE, len(dept_cost))
    dept_weight *= POOL_SPLIT[0] / dept_weight.sum()
    interior = np.flatnonzero(village_region != "east")
    donor_from = interior if len(interior) else np.arange(len(village_ids))
    donor_count = min(len(donor_from), max(2, round(len(village_ids) * DONOR_VILLAGE_SHARE)))
    donor = sorted(rng.choice(donor_from, size=donor_count, replace=False).tolist())

    def amount(weight: float) -> int:
        return int(money * weight // 1000) * 1000

    pools: list[dict[str, object]] = [
        {
            "id": pid,
            "name": f"{office}帮扶资金",
            "department": dep,
            "amount": amount(float(w)),
            "categories": list(cats),
            "villages": None,
            "regions": None,
            "max_per_need": cap,
        }
        for (pid, dep, cats, cap, office), w in zip(DEPARTMENT_POOLS, dept_weight, strict=True)
    ]
    pools += [
        {
            "id": "P-west",
            "name": "财政衔接推进乡村振兴补助资金（中西部倾斜）",
            "department": "finance",
            "amount": amount(POOL_SPLIT[1]),
            "categories": None,
            "villages": None,
            "regions": ["central", "west"],
            "max_per_need": 10000,
        },
        {
            "id": "P-charity",
            "name": "县慈善总会专项",
            "department": "charity",
            "amount": amount(POOL_SPLIT[2]),
            "categories": list(CHARITY_CATEGORIES),
            "villages": None,
            "regions": None,
            "max_per_need": 3000,
        },
        {
            "id": "P-donor",
            "name": "东西部协作企业捐赠",
            "department": "donor",
            "amount": amount(POOL_SPLIT[3]),
            "categories": list(DONOR_CATEGORIES),
            "villages": [village_ids[v] for v in donor],
            "regions": None,
            "max_per_need": None,
        },
    ]
    return pools


def _aid_records(
    rng: np.random.Generator,
    needs: _Needs,
    weights: FloatArray,
    households: FloatArray,
    village_ids: list[str],
    start: dt.date,
    staffs: Sequence[_Staff],
) -> list[dict[str, object]]:
    """Departments' and charities' ledgers of the AID_LEDGER_DAYS before the horizon.

    An episode is one household (or village) and category: paid by its own department, and in
    a calibrated share of episodes by one or two more providers within 29 days (duplicate aid,
    LEDGER_DUPLICATION_SHARE of the money). BLOCKED_NEED_SHARE of the open needs get an episode
    in the last 30 days, so H8 holds them back. Some single-payer episodes repeat 35+ days apart
    (regular service, not duplication).
    """
    n_random = round(AID_EVENTS_PER_NEED * len(needs.village))
    own = np.flatnonzero(needs.household > 0)
    size = min(len(own), round(BLOCKED_NEED_SHARE * len(needs.village)))
    blocked = np.sort(rng.choice(own, size=size, replace=False))
    rv = rng.choice(len(households), size=n_random, p=households / households.sum())
    rc = _draw_categories(rng, weights, rv)
    village = np.concatenate([rv, needs.village[blocked]])
    category = np.concatenate([rc, needs.category[blocked]])
    household = np.concatenate(
        [_draw_households(rng, households, rv, rc), needs.household[blocked]]
    )
    is_block = np.arange(len(village)) >= n_random
    n = len(village)

    # Duplicated share q of episodes so that extras' money / all money = LEDGER_DUPLICATION_SHARE,
    # with m extras per duplicated episode and follow-ups f of the single-payer episodes.
    m = float(np.dot((1, 2), AID_EXTRA_PROVIDERS))
    s, f = LEDGER_DUPLICATION_SHARE, AID_FOLLOW_UP_SHARE
    q = s * (1 + f) / (m * (1 - s) + s * f)
    extra = np.where(rng.random(n) < q, rng.choice((1, 2), size=n, p=AID_EXTRA_PROVIDERS), 0)
    offset = rng.integers(1, DUPLICATE_WINDOW_DAYS, (n, 2))
    span = np.where(extra >= 1, offset[:, 0], 0)
    span = np.maximum(span, np.where(extra == 2, offset[:, 1], 0))
    first = np.where(
        is_block,
        rng.integers(-DUPLICATE_WINDOW_DAYS, 0, n) - span,
        -AID_LEDGER_DAYS + rng.integers(0, AID_LEDGER_DAYS - span),
    )
    # 35-44 days after the first record, or before it when the ledger ends first: both fit.
    follow = rng.integers(35, 45, n)
    follow = np.where(first + follow <= -1, first + follow, first - follow)
    follow_up = (extra == 0) & (rng.random(n) < f)
    cost = _draw_costs(rng, category, AID_PAID_SHARE)
    factor = rng.uniform(0.6, 1.4, (n, 3))
    hours = rng.integers(1, 7, (n, 4)) * 0.5
    u = rng.random((n, 3, 3)).tolist()

    skilled: dict[str, list[str]] = defaultdict(list)
    for staff in staffs:
        for helper, skills in zip(staff.ids, staff.skills, strict=True):
            for skill in skills:
                skilled[skill].append(helper)
    lines: list[tuple[int, int, int, str, str, int, float]] = []
    for e in range(n):
        cat = CATEGORIES[category[e]]
        teams = [HOME_TEAM[cat], *OTHER_TEAMS[cat]]
        used: list[str] = []
        for j in range(int(extra[e]) + 1):
            u_person, u_which, u_home = u[e][j]
            people = [p for p in skilled[cat] if p not in used]
            if u_person < AID_PERSONAL_PROVIDER and people:
                provider = people[int(u_which * len(people))]
            elif j == 0 and u_home < AID_HOME_SHARE:
                provider = teams[0]
            else:
                left = [t for t in teams if t not in used]
                provider = left[int(u_which * len(left))]
            used.append(provider)
            paid = int(cost[e]) if j == 0 else int(round(cost[e] * factor[e, j] / 10) * 10)
            day = int(first[e]) + (0 if j == 0 else int(offset[e, j - 1]))
            lines.append(
                (day, int(village[e]), int(household[e]), cat, provider, paid, hours[e, j])
            )
        if follow_up[e]:
            paid = int(round(cost[e] * factor[e, 2] / 10) * 10)
            day = int(follow[e])
            lines.append((day, int(village[e]), int(household[e]), cat, used[0], paid, hours[e, 3]))
    lines.sort(key=lambda line: line[:5])
    width = max(6, len(str(len(lines))))
    return [
        {
            "id": f"A{i + 1:0{width}d}",
            "household": _household_id(village_ids[v], h),
            "village": village_ids[v],
            "category": cat,
            "provider": provider,
            "cost": paid,
            "hours": float(spent),
            "date": (start + dt.timedelta(days=day)).isoformat(),
        }
        for i, (day, v, h, cat, provider, paid, spent) in enumerate(lines)
    ]


def _household_id(village: str, number: int) -> str | None:
    """A pseudonymous household id like ``H-V001-0042`` (never a long digit run)."""
    return None if number <= 0 else f"H-{village}-{number:04d}"


def generate_scenario(
    villages: int = 30,
    needs: int = 600,
    seed: int = 0,
    name: str | None = None,
    *,
    towns: int | None = None,
    region: str | None = None,
    start: str = HORIZON_START,
    days: int = HORIZON_DAYS,
    policy: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """A county scenario (schema_version 1, JSON-ready) with ``villages`` villages and ``needs``
    open needs, identical for identical arguments, so that runs and benchmarks can be repeated.

    ``towns`` defaults to one per VILLAGES_PER_TOWN villages; ``region`` (the county's class) is
    drawn when not given; ``policy`` is written into the scenario as given (``{}``: defaults) and
    its pairing settings enter the capacity calibration. Raises ``ValueError`` on bad sizes.
    """
    if villages < 1 or needs < 0 or days < 1:
        raise ValueError("villages must be >= 1, needs >= 0 and days >= 1")
    if region is not None and region not in REGIONS:
        raise ValueError(f"region must be one of {', '.join(REGIONS)}")
    k = towns if towns is not None else max(1, math.ceil(villages / VILLAGES_PER_TOWN))
    if not 1 <= k <= villages:
        raise ValueError("towns must be between 1 and the number of villages")
    rng = np.random.default_rng(seed)
    horizon_start = dt.date.fromisoformat(start)
    resolved_policy = Policy.model_validate(dict(policy or {}))
    geo = _geography(rng, villages, k)
    place_ids = ["S0", *(f"T{t + 1:0{max(2, len(str(k)))}d}" for t in range(k))]
    village_ids = [f"V{v + 1:0{max(3, len(str(villages)))}d}" for v in range(villages)]
    place_names = ["城关镇", *_names(rng, k, _TOWN_LAST, "镇")]
    village_names = _names(rng, villages, _VILLAGE_LAST, "村")
    county_name = _names(rng, 1, _TOWN_LAST, "县")[0]

    # Households and people, and one latent out-migration factor per village that drives both
    # its left-behind children and its elderly share (the villages young adults left).
    households = np.clip(np.round(rng.lognormal(math.log(300), 0.4, villages)), *HOUSEHOLDS_RANGE)
    population = np.round(households * PERSONS_PER_HOUSEHOLD * rng.normal(1, 0.06, villages))
    migration = rng.beta(2, 3, villages)
    lbc_rate = np.clip(0.02 + 0.25 * migration * rng.gamma(4, 0.25, villages), 0.01, 0.45)
    eld_share = np.clip(0.13 + 0.22 * migration + rng.normal(0, 0.02, villages), 0.08, 0.45)
    left_behind = np.round(households * lbc_rate)
    elderly = np.round(population * eld_share)
    county_region = region or str(rng.choice(REGIONS, p=COUNTY_REGION_ODDS))
    others = [r for r in REGIONS if r != county_region]
    village_region = np.where(
        rng.random(villages) < OTHER_REGION_SHARE, rng.choice(others, villages), county_region
    )

    cadres, cadre_staff = _cadres(rng, geo, village_ids, place_ids)
    orgs, org_staff = _organizations(rng, geo, place_ids, place_names, len(cadres))
    staffs = (cadre_staff, org_staff)
    weights = _category_weights(left_behind / households, elderly / population)
    drawn = _needs(rng, weights, households, needs, days)
    hours = _scale_need_hours(drawn, geo, staffs, resolved_policy)

    cost_by_village = np.bincount(drawn.village, weights=drawn.cost, minlength=villages)
    caps: list[int | None] = [None] * villages
    candidates = np.flatnonzero(cost_by_village > 0)
    low = min(len(candidates), round(villages * LOW_CAP_SHARE))
    for v in sorted(rng.choice(candidates, size=low, replace=False).tolist()):
        caps[v] = max(1000, int(cost_by_village[v] * rng.uniform(0.35, 0.7) // 1000) * 1000)
    pools = _pools(rng, drawn, village_region, village_ids)
    aid = _aid_records(rng, drawn, weights, households, village_ids, horizon_start, staffs)

    lon_p, lat_p = _lonlat(np.vstack([np.zeros((1, 2)), geo.town_xy]))
    places: list[dict[str, object]] = [
        {
            "id": pid,
            "name": place_names[p],
            "kind": "county_seat" if p == 0 else "town",
            "lon": lon_p[p],
            "lat": lat_p[p],
        }
        for p, pid in enumerate(place_ids)
    ]
    lon_v, lat_v = _lonlat(geo.village_xy)
    village_rows: list[dict[str, object]] = [
        {
            "id": vid,
            "name": village_names[v],
            "town": place_ids[int(geo.village_town[v]) + 1],
            "lon": lon_v[v],
            "lat": lat_v[v],
            "households": int(households[v]),
            "population": int(population[v]),
            "left_behind_children": int(left_behind[v]),
            "elderly": int(elderly[v]),
            "region": str(village_region[v]),
            "funding_cap": caps[v],
        }
        for v, vid in enumerate(village_ids)
    ]
    node_ids = place_ids + village_ids
    roads = [{"from": node_ids[a], "to": node_ids[b], "minutes": m} for a, b, m in geo.roads]
    width = max(5, len(str(needs)))
    category = [CATEGORIES[c] for c in drawn.category.tolist()]
    need_rows: list[dict[str, object]] = [
        {
            "id": f"N{i + 1:0{width}d}",
            "village": village_ids[v],
            "household": _household_id(village_ids[v], h),
            "category": category[i],
            "skill": category[i],
            "level": level,
            "hours": spent,
            "cost": paid,
            "priority": priority,
            "vulnerable": [t for t, on in zip(VULNERABLE_TAGS, tags, strict=True) if on],
            "submitted": (horizon_start + dt.timedelta(days=day)).isoformat(),
            "pinned_provider": None,
        }
        for i, (v, h, level, spent, paid, priority, tags, day) in enumerate(
            zip(
                drawn.village.tolist(),
                drawn.household.tolist(),
                drawn.level.tolist(),
                hours.tolist(),
                drawn.cost.tolist(),
                drawn.priority.tolist(),
                drawn.tags.tolist(),
                drawn.day.tolist(),
                strict=True,
            )
        )
    ]
    month = horizon_start.strftime("%B %Y")
    return {
        "schema_version": 1,
        "name": name
        or f"Generated county {county_name} ({villages} villages, seed {seed}), {month}",
        "horizon": {"start": horizon_start.isoformat(), "days": days},
        "places": places,
        "villages": village_rows,
        "roads": roads,
        "cadres": cadres,
        "organizations": orgs,
        "pools": pools,
        "needs": need_rows,
        "aid_records": aid,
        "policy": dict(policy or {}),
    }


def demo_scenario() -> dict[str, object]:
    """The bundled ``scenarios/demo-county.json`` (the DEMO_* constants), for regeneration."""
    return generate_scenario(DEMO_VILLAGES, DEMO_NEEDS, DEMO_SEED, DEMO_NAME)


def ledger_duplication(scenario: Scenario) -> tuple[int, int]:
    """(duplicated yuan, all yuan) of the aid ledgers: per household (or village) and category,
    records within ``duplicate_window_days`` of a group's first record form a group; when a
    group has more than one provider, the money beyond its first record is duplication."""
    window = scenario.policy.duplicate_window_days
    groups: dict[tuple[str, str, str], list[tuple[dt.date, str, int]]] = defaultdict(list)
    for r in scenario.aid_records:
        groups[aid_key(r.household, r.village, r.category)].append((r.date, r.provider, r.cost))
    wasted = 0
    for records in groups.values():
        records.sort()
        i = 0
        while i < len(records):
            j = i
            while j + 1 < len(records) and (records[j + 1][0] - records[i][0]).days <= window:
                j += 1
            if len({p for _, p, _ in records[i : j + 1]}) > 1:
                wasted += sum(c for _, _, c in records[i + 1 : j + 1])
            i = j + 1
    return wasted, sum(r.cost for r in scenario.aid_records)


def calibration_figures(scenario: Scenario) -> dict[str, float]:
    """The figures the generator is calibrated to, measured on any scenario (for tests,
    benchmarks and the README): provider mix, hours, money, H8 hold-backs, ledger duplication."""
    times = travel_times(scenario)
    policy = scenario.policy
    villages = {v.id: v for v in scenario.villages}
    column = {v: i for i, v in enumerate(times.village_ids)}
    nearest = times.minutes.min(axis=0) if len(times.base_ids) else np.full(len(villages), np.inf)
    need_travel = sum(
        travel_hours(float(nearest[column[n.village]]), policy)
        for n in scenario.needs
        if np.isfinite(nearest[column[n.village]])
    )
    available = [c for c in scenario.cadres if c.available]
    pair_minutes = [times.lookup(c.base, v) for c in available for v in c.paired_villages]
    pairing = _existing_pairing_hours(
        [m for m in pair_minutes if math.isfinite(m)],
        int(times.village_reachable.sum()),
        policy,
    )
    supply = sum(c.hours for c in available) + sum(o.hours for o in scenario.organizations)
    need_hours = sum(n.hours for n in scenario.needs)
    need_cost = sum(n.cost for n in scenario.needs)
    touched = {r.from_ for r in scenario.roads or ()} | {r.to for r in scenario.roads or ()}
    wasted, ledger = ledger_duplication(scenario)
    helpers = len(scenario.cadres) + len(scenario.organizations)
    per_household = {
        v.id: (v.left_behind_children or 0) / max(1, v.households) for v in scenario.villages
    }
    ranked = sorted(per_household, key=per_household.__getitem__)
    third = max(1, len(ranked) // 3)

    def child_care_share(ids: Sequence[str]) -> float:
        chosen = set(ids)
        own = [n for n in scenario.needs if n.village in chosen]
        return sum(n.category == "child_care" for n in own) / max(1, len(own))

    return {
        "villages": float(len(villages)),
        "cadres_per_village": len(scenario.cadres) / max(1, len(villages)),
        "social_share": len(scenario.organizations) / max(1, helpers),
        "existing_pairings_per_village": len(pair_minutes) / max(1, len(villages)),
        "unreachable_villages": float(sum(v not in touched for v in villages)),
        "provider_hours": float(supply),
        "pairing_hours": pairing,
        "need_hours": float(need_hours),
        "need_travel_hours": need_travel,
        "capacity_ratio": (supply - pairing) / max(1e-9, need_hours + need_travel),
        "pool_money": float(sum(p.amount for p in scenario.pools)),
        "need_cost": float(need_cost),
        "money_ratio": sum(p.amount for p in scenario.pools) / max(1, need_cost),
        "blocked_share": len(blocking_records(scenario)) / max(1, len(scenario.needs)),
        "ledger_duplication_share": wasted / max(1, ledger),
        "child_care_share_high_lbc": child_care_share(ranked[-third:]),
        "child_care_share_low_lbc": child_care_share(ranked[:third]),
    }
