"""With days on, a pin no working day can keep is refused when the scenario is read (H10),
with its path and id, rather than a solve that comes back infeasible."""

from __future__ import annotations

import json
from typing import Any

from matcher.intake.issues import ScenarioInvalid
from matcher.intake.loading import parse_scenario
from tests.conftest import ROOT

COUNTY = ROOT / "tests" / "data" / "contract-scheduled" / "scheduled-county.json"


def _problems(raw: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    try:
        parse_scenario(raw)
    except ScenarioInvalid as invalid:
        return [(p.path, p.id, p.text("en")) for p in invalid.errors]
    return []


def _county() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(COUNTY.read_text())
    return raw


def test_a_pin_kept_on_a_working_day_is_accepted() -> None:
    raw = _county()
    raw["needs"][0]["pinned_provider"] = "C1"  # N1, elderly care in V1: C1 serves it in a day
    assert _problems(raw) == []


def test_a_pin_whose_provider_has_no_day_left_is_refused() -> None:
    """N1 submitted on the 8th; C1 is off on the 8th, 9th and 10th, the horizon's last days."""
    raw = _county()
    raw["needs"][0]["pinned_provider"] = "C1"
    raw["needs"][0]["submitted"] = "2026-12-08"
    raw["cadres"][0]["days_off"] = ["2026-12-08", "2026-12-09", "2026-12-10"]
    found = _problems(raw)
    assert [(path, id_) for path, id_, _ in found] == [("$.needs[0].pinned_provider", "N1")]
    assert "no working day in the horizon on or after this need's submission" in found[0][2]


def test_a_pin_longer_than_a_day_is_refused() -> None:
    """N7 asks 9 hours of C1, whose day is 8 hours."""
    raw = _county()
    raw["needs"][6]["pinned_provider"] = "C1"
    found = _problems(raw)
    assert [(path, id_) for path, id_, _ in found] == [("$.needs[6].pinned_provider", "N7")]
    assert "do not fit one day" in found[0][2]


def test_without_days_the_same_pin_is_only_checked_for_hours() -> None:
    raw = _county()
    raw["policy"]["schedule"] = False
    raw["needs"][6]["pinned_provider"] = "C1"
    assert not any("fit one day" in text for _, _, text in _problems(raw))
