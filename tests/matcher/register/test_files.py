"""The register file round-trips every record exactly."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from matcher.plan import Assignment, FundingLine, Plan, SolverInfo
from matcher.register.files import dumps, register_json, register_of
from matcher.register.memory import MemoryRegister
from matcher.register.model import NeedEvent
from matcher.scenario import Scenario

DAY = dt.date(2026, 12, 7)


def test_a_register_file_reads_back_as_the_same_register(tiny: Scenario) -> None:
    register = MemoryRegister()
    register.add(tiny.needs, DAY)
    plan = Plan(
        solver=SolverInfo(name="t", status="feasible"),
        assignments=[
            Assignment(need="N1", provider="C1", funding=[FundingLine(pool="P-agri", amount=5)])
        ],
    )
    register.publish(plan, "p1", DAY, DAY)
    register.post("N1", NeedEvent("resolved", DAY, note="修好了", satisfaction=5))
    register.post("N2", NeedEvent("closed", DAY, reason="duplicate"))
    county = tiny.model_copy(update={"needs": ()})
    text = dumps(register_json(county, register.needs(), register.publishes()))
    back = register_of(json.loads(text))
    assert back.needs == tuple(register.needs())
    assert back.publishes == tuple(register.publishes())
    assert back.county == county
    assert "修好了" in text  # Chinese kept readable


def test_a_file_of_another_kind_is_refused_at_its_schema() -> None:
    with pytest.raises(ValueError, match="schema"):
        register_of({"schema": "something-else", "county": {}})
