"""The duplicate submissions merged before solving (:mod:`matcher.prepare.merging`), as the
``merged_submissions`` section of the duplicate-aid report."""

from __future__ import annotations

from matcher.evaluate.usage import service_hours
from matcher.plan import Plan
from matcher.prepare.merging import REASON as MERGE_REASON
from matcher.problem.index import ScenarioIndex
from matcher.reports.shapes import MergedServed, MergedSubmission, MergedSubmissions

_DECIMALS = 4


def town_of(index: ScenarioIndex, village: str) -> str:
    """The town of a village ("?" for a village the scenario does not know)."""
    found = index.villages.get(village)
    return found.town if found is not None else "?"


def merged_submissions(index: ScenarioIndex, plan: Plan) -> MergedSubmissions:
    """The duplicate submissions merged before solving, and any the plan serves anyway.

    Serving a merged need breaks no hard rule, but it aids one household twice for one category
    (``served_twice`` when the kept need is served too): the report is where that shows.
    """
    served = {a.need: a for a in plan.assignments}
    merges: list[MergedSubmission] = []
    # One entry per merge, in first-seen order, keyed by its kept need: hashing the merge
    # itself would hash its list of merged needs once per need (quadratic in a household).
    for merge in {m.kept: m for m in index.merged.values()}.values():
        merged = [index.needs[n] for n in merge.merged]
        kept_by = served.get(merge.kept)
        merges.append(
            {
                "kept": merge.kept,
                "merged": list(merge.merged),
                "household": merge.household,
                "village": merge.village,
                "town": town_of(index, merge.village),
                "category": merge.category,
                "kept_served_by": kept_by.provider if kept_by is not None else None,
                "merged_value": round(sum(index.value(n) for n in merged), _DECIMALS),
                "merged_hours": round(float(sum(n.hours for n in merged)), _DECIMALS),
                "merged_cost": sum(n.cost for n in merged),
            }
        )
    in_plan: list[MergedServed] = []
    for a in plan.assignments:
        found = index.merged.get(a.need)
        if found is None:
            continue
        kept_by = served.get(found.kept)
        in_plan.append(
            {
                "need": a.need,
                "kept": found.kept,
                "provider": a.provider,
                "kept_served_by": kept_by.provider if kept_by is not None else None,
                "served_twice": kept_by is not None,
                "household": found.household,
                "village": found.village,
                "category": found.category,
                "hours": round(service_hours(index, a), _DECIMALS),
                "yuan": sum(line.amount for line in a.funding),
            }
        )
    twice = [s for s in in_plan if s["served_twice"]]
    if in_plan:
        note = (
            f"the plan serves {len(in_plan)} merged submissions ({len(twice)} besides the kept "
            "need): no hard rule is broken, but the household is aided twice for one need"
        )
    else:
        note = "none: the plan serves no merged submission"
    return {
        "rule": (
            "open needs of one household (not village-level) and one category are one need "
            f"({MERGE_REASON}); kept: a pinned need, then the highest value, the most hours, the "
            "earliest submitted, the first in the scenario; needs H8 holds back and pinned needs "
            "are not merged"
        ),
        "merges": merges,
        "served_in_plan": in_plan,
        "totals": {
            "merges": len(merges),
            "needs_merged": sum(len(m["merged"]) for m in merges),
            "households": len({m["household"] for m in merges}),
            "merged_value": round(float(sum(m["merged_value"] for m in merges)), _DECIMALS),
            "merged_hours": round(float(sum(m["merged_hours"] for m in merges)), _DECIMALS),
            "merged_cost": sum(m["merged_cost"] for m in merges),
            "served_in_plan": len(in_plan),
            "served_twice": len(twice),
            "served_in_plan_hours": round(float(sum(s["hours"] for s in in_plan)), _DECIMALS),
            "served_in_plan_yuan": sum(s["yuan"] for s in in_plan),
        },
        "note": note,
    }
