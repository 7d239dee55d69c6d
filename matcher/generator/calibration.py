"""The generator's calibration: every named constant and table a county is drawn from.

Each figure says where it comes from: DESIGN §1's reported figures, the brief's targets for a
hard but not hopeless county, the 2020 census, or how county departments and social
organisations work in 包村 practice. The stages of :mod:`matcher.generator` import them from
here, so the tables stay in one place.
"""

from __future__ import annotations

from matcher.prepare.departments import CATEGORY_DEPARTMENT

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

# ---- days of a scheduled county (DESIGN §9, `matcher generate --schedule`) -----------------
# Needs are submitted over the 3 weeks before the horizon and inside it (the backlog a month
# starts with: the reported average response is 15 days, issue 17), uniformly.
SUBMITTED_WEEKS_BEFORE = 3
# About one provider in ten takes 1-3 working days off in the month (leave, training,
# meetings at the county seat): a brief's figure, not a survey's.
DAYS_OFF_SHARE = 0.1
DAYS_OFF_RANGE = (1, 3)
# The days' draws use their own generator, seeded (seed, this salt), so that a scheduled
# county is its unscheduled twin plus days.
SCHEDULE_SEED_SALT = 9

# ---- county shapes (`matcher generate --terrain`) -------------------------------------------
# "hills" is everything above: the calibrated county of DESIGN §1, and the default. The other
# shapes change a few stages so benchmarks cover more than one kind of county; their figures
# are judgements from the geography of real counties, said on each line, not survey figures.
TERRAINS = ("hills", "valley", "plain", "money")

# valley: villages strung along a few long mountain valleys that radiate from the seat, like
# the counties of western Hunan, Guizhou and Yunnan (e.g. 沅陵, 从江, 贡山): one road follows each
# river, side roads are few, and the far villages are 1-2 hours from the seat.
VALLEY_COUNT = (3, 6)  # valleys per county: one per 4 towns, between these bounds
VALLEY_REACH = 1.0  # valley length as a share of COUNTY_RADIUS_KM: 30 km at 300 villages
VALLEY_WIDTH_KM = 1.5  # villages sit within a km or two of the river (sd across the valley)
VALLEY_MEANDER = 0.12  # sd (radians) of each valley's bend per town station
# the valley road between towns winds along the river; village roads in the valley are slower
VALLEY_ROAD_CLASSES: dict[str, tuple[float, float]] = {
    "trunk": (40.0, 1.5),  # seat to the first town of a valley: a provincial road
    "valley": (30.0, 1.6),  # town to town up the valley
    "village": (20.0, 1.6),  # village to village along the river
    "mountain": (12.0, 1.9),  # over a ridge: a pass between valleys, a side valley
}
VALLEY_CROSS_LINKS = 0.15  # share of town pairs in neighbouring valleys joined by a pass
VALLEY_SIDE_SHARE = 0.35  # villages up a side valley: reached by a mountain road ...
VALLEY_SIDE_KM = (1.5, 4.0)  # ... this far across from the river
VALLEY_CUT_TOWN_SHARE = 0.08  # towns no road reaches (landslide-cut, boat or footpath only)
VALLEY_SCARCE_TOWN_SHARE = 0.4  # towns whose station lacks whole skill families ...
VALLEY_MISSING_FAMILIES = 2  # ... this many of SKILL_FAMILIES (no doctor, no teacher, ...)
# families of skills a township station holds together: the station's doctor, care worker,
# teacher, agronomist and labour officer
SKILL_FAMILIES: dict[str, tuple[str, ...]] = {
    "health": ("medical", "mental_health"),
    "care": ("child_care", "elderly_care"),
    "schooling": ("education",),
    "farming": ("agri_tech", "e_commerce", "infrastructure"),
    "jobs": ("employment",),
}
FALLBACK_SKILL = "policy_service"  # every cadre can explain policy (level 1)
# narrow pools: department money tied to project villages (项目库) of some towns, 衔接资金 to
# industry (national guidance: at least 60% for industrial development), charity to a few
# villages it has adopted
VALLEY_POOL_TOWN_SHARE = (0.3, 0.6)  # share of towns whose villages a department pool admits
VALLEY_WEST_CATEGORIES = ("agri_tech", "e_commerce", "employment", "infrastructure")
VALLEY_CHARITY_VILLAGE_SHARE = 0.1
# hours bind hard: need hours about 1.6-2x what providers can deliver after pairing visits
VALLEY_CAPACITY_RATIO = 0.5
VALLEY_NEED_HOURS_SCALE = (0.6, 2.2)
# When need hours reach the 8-hour maximum short of that ratio (few needs per village), the
# providers' hours shrink instead, to no less than this share: December is the mountains'
# forest-fire watch (森林防火, November-April) and a valley posting's duty rosters take hours.
# A calibration device, not a survey figure.
VALLEY_HOURS_FLOOR = 0.6
MIN_PROVIDER_HOURS = 8  # a trimmed provider keeps at least one working day

# plain: a flat county of the North China Plain (Henan, Shandong, Hebei): villages close
# together (about 4 km² each rather than the hills' 9), every village on a paved grid of
# roads (村村通 is complete), fast roads; reach is plentiful, hours and money bind.
PLAIN_RADIUS_KM = 20.0  # at REFERENCE_VILLAGES
PLAIN_ROAD_CLASSES: dict[str, tuple[float, float]] = {
    "expressway": (90.0, 1.1),
    "highway": (70.0, 1.15),
    "county": (50.0, 1.2),
    "village": (35.0, 1.2),
}
PLAIN_GRID_NEIGHBOURS = 4  # each village has a road to its 4 nearest villages
PLAIN_TOWN_LINKS = 3  # a town's roads into the grid: its nearest villages

# money: the hills' geography and providers, but money binds rather than hours: more needs
# cost money (a county whose requests are mostly for subsidies and materials) and pools hold
# a third of it, while providers have hours to spare.
MONEY_PAID_BOOST = 1.5  # odds that a need costs money, times this (at most 1)
MONEY_POOL_SHARE = (0.30, 0.40)  # pool money as a share of the cost of all needs
MONEY_CAPACITY_RATIO = 1.1  # deliverable hours 110% of need hours plus travel
