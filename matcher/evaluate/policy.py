"""The figures a county reports upward, each against its policy target (DESIGN §1).

A planner is asked how many households were reached, whether every village has its two
cadres, how much of the help comes from society, how much work money each village gets,
whether central and western villages get their tilt, how much duplicate aid was avoided and
which needs are still open and why — not for an objective value. These are computed once, by
the evaluator, from the same figures as the KPIs, and every surface (command line, reports,
pages, exports, API) shows them first, in this order.
"""

from __future__ import annotations

from typing import Literal, NotRequired

from typing_extensions import TypedDict

from matcher.evaluate.usage import PlanUsage
from matcher.problem.index import ScenarioIndex

HOUSEHOLDS_REACHED_TARGET = 0.9  # at least 90% of households reached
VILLAGES_WITH_CADRES_TARGET = 1.0  # every village paired with its minimum of cadres
WORK_FUNDS_PER_VILLAGE_YEAR = 20_000  # yuan per village per year
REGIONAL_TILT = 1.3  # 30% more money toward central and western villages

FigureKey = Literal[
    "households_reached",
    "villages_with_min_cadres",
    "social_share",
    "funds_per_village",
    "central_west_money",
    "duplicate_aid_avoided",
    "needs_unmet",
]
Unit = Literal["share", "yuan", "count"]


class PolicyFigure(TypedDict):
    """One reported figure: its value, the target when the policy sets one, and whether the
    plan meets it (None without a target)."""

    key: FigureKey
    value: float
    unit: Unit
    target: float | None
    met: bool | None
    detail: NotRequired[dict[str, int]]  # the parts a count is made of


def _figure(key: FigureKey, value: float, unit: Unit, target: float | None) -> PolicyFigure:
    met = None if target is None else value >= target - 1e-9
    return {"key": key, "value": value, "unit": unit, "target": target, "met": met}


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else 0.0


def central_west_target(index: ScenarioIndex) -> float:
    """The share of the money central and western villages would get if each of them counted
    :data:`REGIONAL_TILT` times an eastern one (1.0 in a county with no eastern village)."""
    villages = index.scenario.villages
    inland = sum(1 for v in villages if v.region != "east")
    weighted = REGIONAL_TILT * inland
    return _share(weighted, weighted + (len(villages) - inland))


def policy_figures(
    index: ScenarioIndex,
    usage: PlanUsage,
    *,
    households_reached_share: float,
    villages_with_min_cadres_share: float,
    social_share: float,
    unmet_by_reason: dict[str, int],
) -> list[PolicyFigure]:
    """The policy figures of a plan, from its usage and the KPIs the evaluator computed."""
    s = index.scenario
    villages = len(s.villages)
    funded = usage.village_funded
    funding = sum(funded.values())
    inland_money = sum(
        yuan
        for v, yuan in funded.items()
        if v in index.villages and index.villages[v].region != "east"
    )
    per_year = WORK_FUNDS_PER_VILLAGE_YEAR * s.horizon.days / 365
    avoided = {
        "held_back_by_recent_aid": len(index.blocked),
        "duplicate_submissions_merged": len(index.merged),
    }
    unmet = {reason: n for reason, n in unmet_by_reason.items() if n}
    return [
        _figure("households_reached", households_reached_share, "share", HOUSEHOLDS_REACHED_TARGET),
        _figure(
            "villages_with_min_cadres",
            villages_with_min_cadres_share,
            "share",
            VILLAGES_WITH_CADRES_TARGET,
        ),
        _figure("social_share", social_share, "share", s.policy.social_share_target),
        _figure("funds_per_village", _share(funding, villages), "yuan", round(per_year, 2)),
        _figure(
            "central_west_money", _share(inland_money, funding), "share", central_west_target(index)
        ),
        {
            **_figure("duplicate_aid_avoided", sum(avoided.values()), "count", None),
            "detail": avoided,
        },
        {**_figure("needs_unmet", sum(unmet.values()), "count", None), "detail": unmet},
    ]
