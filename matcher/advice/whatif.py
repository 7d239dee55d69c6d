"""What-if changes to a scenario: the resources a blind-spot fix adds, and applying them.

A :class:`Change` is one resource change in the planners' terms. :func:`apply_changes` returns
the changed scenario, validated like any scenario file, so a fix can be confirmed by solving
it. New resources are ring-fenced to the needs they are for (a new team serves only its town
and skills, a top-up pays only its category and villages), so a re-solve cannot spend them
elsewhere and the fix's promise can be checked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from matcher.intake.loading import parse_scenario
from matcher.reports.shapes import ChangeKind, FixChange
from matcher.scenario import Scenario

__all__ = ["Change", "ChangeKind", "apply_changes"]


@dataclass(frozen=True)
class Change:
    """One resource change.

    - ``extra_hours``: a new team of ``amount`` hours at base ``target`` holding ``skills``,
      serving only ``town``, travelling at most ``minutes``;
    - ``provider_hours``: ``amount`` more hours for provider ``target``;
    - ``longer_travel``: provider ``target``'s travel limit raised to ``amount`` minutes;
    - ``extra_funding``: ``amount`` yuan ring-fenced for ``categories`` in ``villages``, from
      pool ``target``'s department (``department`` when no pool admits the needs);
    - ``village_cap``: village ``target``'s funding cap raised by ``amount`` yuan.
    """

    kind: ChangeKind
    target: str
    amount: float
    skills: dict[str, int] = field(default_factory=dict)
    town: str | None = None
    minutes: float | None = None
    department: str | None = None
    categories: tuple[str, ...] = ()
    villages: tuple[str, ...] = ()
    max_per_need: int | None = None

    @property
    def unit(self) -> str:
        """hours, minutes or yuan."""
        return {
            "extra_hours": "hours",
            "provider_hours": "hours",
            "longer_travel": "minutes",
        }.get(self.kind, "yuan")

    def to_dict(self) -> FixChange:
        """The change as JSON-ready data (only the fields its kind uses)."""
        data: FixChange = {
            "kind": self.kind,
            "target": self.target,
            "amount": self.amount,
            "unit": self.unit,
        }
        if self.kind == "extra_hours":
            data["skills"] = self.skills
            data["town"] = self.town
            data["max_travel_minutes"] = self.minutes
        if self.kind == "extra_funding":
            data["department"] = self.department
            data["categories"] = list(self.categories)
            data["villages"] = list(self.villages)
            data["max_per_need"] = self.max_per_need
        return data


def _fresh_id(prefix: str, taken: set[str]) -> str:
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    taken.add(f"{prefix}{number}")
    return f"{prefix}{number}"


def _check_target(
    change: Change,
    providers: dict[str, Any],
    villages: dict[str, Any],
    pools: dict[str, Any],
    data: dict[str, Any],
) -> None:
    known: dict[str, Any]
    if change.kind in ("provider_hours", "longer_travel"):
        known, what = providers, "provider"
    elif change.kind == "village_cap":
        known, what = villages, "village"
    elif change.kind == "extra_funding" and change.department is None:
        known, what = pools, "pool"
    elif change.kind == "extra_hours":
        known = {b: 1 for b in [*(p["id"] for p in data["places"]), *villages]}
        what = "base"
    else:
        return
    if change.target not in known:
        raise ValueError(f"{change.kind}: no {what} {change.target!r} in the scenario")
    if change.amount < 0:
        raise ValueError(f"{change.kind} of {change.target}: amount must be 0 or more")


def apply_changes(scenario: Scenario, changes: list[Change] | tuple[Change, ...]) -> Scenario:
    """The scenario with the changes made, validated like a scenario file. A change naming
    something the scenario lacks raises ValueError naming it."""
    data: dict[str, Any] = scenario.model_dump(mode="json", by_alias=True)
    providers = {p["id"]: p for p in [*data["cadres"], *data["organizations"]]}
    villages = {v["id"]: v for v in data["villages"]}
    pools = {p["id"]: p for p in data["pools"]}
    taken = {*providers, *pools}
    default_cap = scenario.policy.village_funding_cap
    for change in changes:
        _check_target(change, providers, villages, pools, data)
        if change.kind == "extra_hours":
            data["organizations"].append(
                {
                    "id": _fresh_id("FIX-TEAM-", taken),
                    "name": "fix: extra hours",
                    "kind": "volunteer",
                    "base": change.target,
                    "skills": dict(change.skills),
                    "hours": change.amount,
                    "max_travel_minutes": math.ceil(change.minutes or 0.0),
                    "towns": [change.town] if change.town else None,
                }
            )
        elif change.kind == "provider_hours":
            providers[change.target]["hours"] += change.amount
        elif change.kind == "longer_travel":
            provider = providers[change.target]
            provider["max_travel_minutes"] = max(provider["max_travel_minutes"], change.amount)
        elif change.kind == "extra_funding":
            department = change.department
            if department is None:
                department = pools[change.target]["department"]
            data["pools"].append(
                {
                    "id": _fresh_id("FIX-FUND-", taken),
                    "name": f"fix: top-up of {change.target}",
                    "department": department,
                    "amount": int(change.amount),
                    "categories": list(change.categories) or None,
                    "villages": list(change.villages) or None,
                    "max_per_need": change.max_per_need,
                }
            )
        elif change.kind == "village_cap":
            village = villages[change.target]
            cap = village.get("funding_cap")
            village["funding_cap"] = int((default_cap if cap is None else cap) + change.amount)
    return parse_scenario(data).scenario
