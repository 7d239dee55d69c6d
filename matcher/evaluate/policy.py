"""The figures a county reports upward, each against its policy target (DESIGN §1).

A planner is asked how many households were reached, whether every village has its two
cadres, how much of the help comes from society, how much work money each village gets,
whether central and western villages get their tilt, how much duplicate aid was avoided and
which needs are still open and why — not for an objective value. These are computed once, by
the evaluator, from the same figures as the KPIs, and every surface (command line, reports,
pages, exports, API) shows them first, in this order.

With ``policy.schedule`` on (DESIGN §9) one more figure comes before the needs left open: the
share of served needs answered by their deadline (响应时限达标率, "response within 3 working
days"), against :data:`RESPONSE_ON_TIME_TARGET`. Its key is a :data:`ScheduleFigureKey`, not a
:data:`FigureKey`: those are the figures every plan has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NotRequired

from typing_extensions import TypedDict

from matcher.evaluate.usage import PlanUsage
from matcher.problem.index import ScenarioIndex

HOUSEHOLDS_REACHED_TARGET = 0.9  # at least 90% of households reached
VILLAGES_WITH_CADRES_TARGET = 1.0  # every village paired with its minimum of cadres
WORK_FUNDS_PER_VILLAGE_YEAR = 20_000  # yuan per village per year
REGIONAL_TILT = 1.3  # 30% more money toward central and western villages
# DESIGN §9: needs answered within their deadline. The policy asks every need to be answered
# within 3 working days and sets no share; 95% is the figure the county's planning question
# is asked against ("what would 95% on time cost?"), short of an unreachable 100%.
RESPONSE_ON_TIME_TARGET = 0.95

FigureKey = Literal[
    "households_reached",
    "villages_with_min_cadres",
    "social_share",
    "funds_per_village",
    "central_west_money",
    "duplicate_aid_avoided",
    "needs_unmet",
]
"""The figures of every plan."""
ScheduleFigureKey = Literal["response_on_time"]
"""The figures only a plan with ``policy.schedule`` on has (DESIGN §9)."""
Unit = Literal["share", "yuan", "count"]


class PolicyFigure(TypedDict):
    """One reported figure: its value, the target when the policy sets one, and whether the
    plan meets it (None without a target)."""

    key: FigureKey | ScheduleFigureKey
    value: float
    unit: Unit
    target: float | None
    met: bool | None
    detail: NotRequired[dict[str, int]]  # the parts a count is made of


@dataclass(frozen=True)
class OnTime:
    """The parts of the response figure (DESIGN §9): the share of served needs on time, and
    how many were on time and late."""

    share: float
    on_time: int
    late: int


def _figure(
    key: FigureKey | ScheduleFigureKey, value: float, unit: Unit, target: float | None
) -> PolicyFigure:
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
    on_time: OnTime | None = None,
) -> list[PolicyFigure]:
    """The policy figures of a plan, from its usage and the KPIs the evaluator computed
    (``on_time``: the response figure's parts, only with the schedule on)."""
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
    response: list[PolicyFigure] = []
    if on_time is not None:
        response.append(
            {
                **_figure("response_on_time", on_time.share, "share", RESPONSE_ON_TIME_TARGET),
                "detail": {
                    "on_time": on_time.on_time,
                    "late": on_time.late,
                    "days": s.policy.response_working_days,
                },
            }
        )
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
        *response,
        {**_figure("needs_unmet", sum(unmet.values()), "count", None), "detail": unmet},
    ]
