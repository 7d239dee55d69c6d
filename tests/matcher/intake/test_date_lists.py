"""Lists of dates (holidays, make-up days, days off) are bounded, refused at their path in
both languages when longer."""

from __future__ import annotations

import json

import pytest

from matcher.intake.issues import ScenarioInvalid
from matcher.intake.loading import parse_scenario
from matcher.scenario import MAX_DATES
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (("horizon", "holidays"), "$.horizon.holidays"),
        (("cadres", 0, "days_off"), "$.cadres[0].days_off"),
    ],
)
def test_a_list_of_dates_too_long_is_refused_at_its_path(
    where: tuple[str | int, ...], path: str
) -> None:
    raw = json.loads((ROOT / "scenarios" / "demo-county.json").read_text(encoding="utf-8"))
    item = raw
    for key in where[:-1]:
        item = item[key]
    item[where[-1]] = ["2026-12-01"] * (MAX_DATES + 1)
    with pytest.raises(ScenarioInvalid) as refused:
        parse_scenario(raw)
    found = [p for p in refused.value.errors if p.path == path]
    assert found, [p.path for p in refused.value.errors]
    assert f"at most {MAX_DATES} items" in found[0].text("en")
    assert f"最多列出 {MAX_DATES} 项" in found[0].text("zh")
    item[where[-1]] = ["2026-12-01"] * MAX_DATES
    parse_scenario(raw)  # at the bound: accepted
