"""Plan diff (issue 5, item 3): two plans of the contract county compared in domain terms.

Plan B is the contract's optimal plan A with N2 moved from O1 to C2, N1 dropped, the pairing
C3–V2 removed and N2's 800 yuan split between two pools. The diff reads plans as they are: it
does not check the rules, so B need not be feasible.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.plan import FundingLine, Plan, Unmet, write_plan
from matcher.problem.index import ScenarioIndex
from matcher.reports.diff import plan_diff, render_diff_text
from matcher.scenario import Scenario

from ...conftest import CONTRACT

runner = CliRunner()
SECTIONS = [
    "diff_version",
    "scenario",
    "needs",
    "households",
    "pairings",
    "money",
    "hours",
    "kpis",
    "solver",
    "summary",
]


@pytest.fixture
def index(tiny: Scenario) -> ScenarioIndex:
    return ScenarioIndex.build(tiny)


@pytest.fixture
def plan_a(tiny_plan: Plan) -> Plan:
    """The contract's optimal plan, with a few KPIs and solver figures to compare."""
    tiny_plan.kpis = {
        "objective": 4571.5,
        "needs_served": 5,
        "unmet_by_reason": {"already_aided": 1, "funding_exhausted": 1},
        "organization_kinds": ["ngo"],
    }
    tiny_plan.solver.bound = 4600.0
    tiny_plan.solver.seconds = 2.0
    return tiny_plan


@pytest.fixture
def plan_b(plan_a: Plan) -> Plan:
    """Plan A with N2 moved, N1 dropped, pairing C3–V2 removed and N2's funding split."""
    b = plan_a.model_copy(deep=True)
    b.solver.name, b.solver.status, b.solver.objective = "greedy", "feasible", 4000.0
    b.solver.bound, b.solver.seconds = None, 0.5
    b.assignments = [a for a in b.assignments if a.need != "N1"]
    n2 = next(a for a in b.assignments if a.need == "N2")
    n2.provider, n2.travel_minutes, n2.hours = "C2", 25.0, 4.8333
    n2.funding = [FundingLine(pool="P-west", amount=500), FundingLine(pool="P-agri", amount=300)]
    b.unmet.append(Unmet(need="N1", reason="not_chosen"))
    b.pairings = [p for p in b.pairings if (p.cadre, p.village) != ("C3", "V2")]
    b.kpis = {
        "objective": 4000.0,
        "needs_served": 4,
        "unmet_by_reason": {"already_aided": 1, "not_chosen": 1},
        "organization_kinds": ["ngo"],
        "pairings": 4,
    }
    return b


def test_a_plan_against_itself_is_empty(plan_a: Plan, index: ScenarioIndex) -> None:
    """Diffing a plan with itself: nothing gained, lost, moved, paired, funded or spent."""
    diff = plan_diff(plan_a, plan_a, index)
    summary = diff["summary"]
    assert summary["identical"] is True
    for key in (
        "needs_gained",
        "needs_lost",
        "needs_moved",
        "households_gained",
        "households_lost",
        "pairings_added",
        "pairings_removed",
        "funding_shift",
        "pools_changed",
        "villages_funding_changed",
        "providers_hours_changed",
        "kpis_changed",
    ):
        assert summary[key] == 0, key
    assert diff["needs"]["unchanged"] == 5
    assert diff["hours"]["providers"] == {"count": 0, "items": []}
    assert all(r["delta"] in (0, None) for r in diff["kpis"])


def test_needs_lost_moved_and_unchanged(plan_a: Plan, plan_b: Plan, index: ScenarioIndex) -> None:
    """A need served only in A is lost (with B's reason); one served by another provider moved."""
    needs = plan_diff(plan_a, plan_b, index)["needs"]
    assert needs["gained"] == {"count": 0, "value": 0.0, "items": []}
    assert needs["lost"] == {
        "count": 1,
        "value": 400.0,
        "items": [
            {
                "need": "N1",
                "village": "V1",
                "category": "agri_tech",
                "value": 400.0,
                "provider": "C1",
                "travel_minutes": 6.0,
                "reason_b": "not_chosen",
            }
        ],
    }
    assert needs["moved"] == {
        "count": 1,
        "items": [
            {
                "need": "N2",
                "village": "V2",
                "category": "child_care",
                "value": 1560.0,
                "from": "O1",
                "to": "C2",
                "travel_minutes_a": 7.0,
                "travel_minutes_b": 25.0,
            }
        ],
    }
    assert needs["unchanged"] == 3


def test_the_reverse_diff_gains_what_was_lost(
    plan_a: Plan, plan_b: Plan, index: ScenarioIndex
) -> None:
    """B against A: N1 and its household are gained (with A's unmet reason), C3–V2 added."""
    diff = plan_diff(plan_b, plan_a, index)
    gained = diff["needs"]["gained"]
    assert [(r["need"], r["provider"], r["reason_a"]) for r in gained["items"]] == [
        ("N1", "C1", "not_chosen")
    ]
    assert gained["value"] == 400.0
    assert diff["needs"]["moved"]["items"][0]["from"] == "C2"
    assert diff["households"]["gained"]["items"] == [
        {"household": "H-V1-001", "village": "V1", "needs": 1}
    ]
    assert diff["pairings"]["added"] == {"count": 1, "items": [{"cadre": "C3", "village": "V2"}]}


def test_households_gained_and_lost(plan_a: Plan, plan_b: Plan, index: ScenarioIndex) -> None:
    """Households with a served need in one plan and none in the other, from the scenario."""
    households = plan_diff(plan_a, plan_b, index)["households"]
    assert households == {
        "available": True,
        "note": None,
        "a": 4,
        "b": 3,
        "gained": {"count": 0, "items": []},
        "lost": {"count": 1, "items": [{"household": "H-V1-001", "village": "V1", "needs": 1}]},
    }


def test_households_need_the_scenario(plan_a: Plan, plan_b: Plan) -> None:
    """Without the scenario the households section says it needs --scenario; counts are null."""
    diff = plan_diff(plan_a, plan_b)
    households = diff["households"]
    assert households["available"] is False
    assert "--scenario" in households["note"]
    assert households["gained"] is None and households["lost"] is None
    assert diff["summary"]["households_gained"] is None
    assert diff["needs"]["lost"]["value"] is None  # values need the scenario too


def test_pairings_removed_by_village(plan_a: Plan, plan_b: Plan, index: ScenarioIndex) -> None:
    """A removed pairing is listed, and its village's pairing count goes from 2 to 1."""
    pairings = plan_diff(plan_a, plan_b, index)["pairings"]
    assert pairings == {
        "added": {"count": 0, "items": []},
        "removed": {"count": 1, "items": [{"cadre": "C3", "village": "V2"}]},
        "by_village": {
            "count": 1,
            "items": [{"village": "V2", "a": 2, "b": 1, "added": [], "removed": ["C3"]}],
        },
    }


def test_money_per_pool_and_village(plan_a: Plan, plan_b: Plan, index: ScenarioIndex) -> None:
    """Yuan per pool (every pool, biggest shift first) and per village whose funding changed."""
    money = plan_diff(plan_a, plan_b, index)["money"]
    assert money == {
        "by_pool": [
            {"pool": "P-agri", "a": 3000, "b": 300, "shift": -2700},
            {"pool": "P-west", "a": 800, "b": 500, "shift": -300},
        ],
        "by_village": {
            "count": 1,
            "items": [{"village": "V1", "a": 3000, "b": 0, "shift": -3000}],
        },
        "total": {"a": 3800, "b": 800, "shift": -3000},
        "note": None,
    }


def test_money_without_the_scenario_is_per_pool_only(plan_a: Plan, plan_b: Plan) -> None:
    """Plans that do not name needs' villages give money per pool only, and say why."""
    money = plan_diff(plan_a, plan_b)["money"]
    assert money["by_village"] is None
    assert "--scenario" in money["note"]
    assert [r["shift"] for r in money["by_pool"]] == [-2700, -300]


def test_money_per_village_from_the_villages_plans_state(plan_a: Plan, plan_b: Plan) -> None:
    """Without the scenario, the villages that plans state on assignments are used."""
    villages = {"N1": "V1", "N2": "V2", "N3": "V2", "N4": "V3", "N8": "V2"}
    for plan in (plan_a, plan_b):
        for a in plan.assignments:
            a.village = villages[a.need]
    money = plan_diff(plan_a, plan_b)["money"]
    assert money["note"] is None
    assert money["by_village"]["items"] == [{"village": "V1", "a": 3000, "b": 0, "shift": -3000}]


def test_hours_per_provider_where_changed(plan_a: Plan, plan_b: Plan, index: ScenarioIndex) -> None:
    """Service hours per provider in A and B, only where they changed, biggest shift first."""
    hours = plan_diff(plan_a, plan_b, index)["hours"]
    rows = hours["providers"]["items"]
    assert hours["providers"]["count"] == 3
    assert [(r["provider"], r["capacity"]) for r in rows] == [
        ("C2", 16.0),
        ("O1", 12.0),
        ("C1", 24.0),
    ]
    assert [(r["a"], r["b"], r["shift"]) for r in rows] == [
        pytest.approx((2.8333, 7.6666, 4.8333)),
        pytest.approx((6.4666, 2.2333, -4.2333)),
        pytest.approx((3.2, 0.0, -3.2)),
    ]
    assert hours["total"] == pytest.approx({"a": 16.8332, "b": 14.2332, "shift": -2.6})


def test_kpis_side_by_side(plan_a: Plan, plan_b: Plan) -> None:
    """Every KPI of either plan, flattened, in the plans' order; a delta only for numbers."""
    kpis = plan_diff(plan_a, plan_b)["kpis"]
    assert kpis == [
        {"kpi": "objective", "a": 4571.5, "b": 4000.0, "delta": -571.5},
        {"kpi": "needs_served", "a": 5, "b": 4, "delta": -1},
        {"kpi": "unmet_by_reason.already_aided", "a": 1, "b": 1, "delta": 0},
        {"kpi": "unmet_by_reason.funding_exhausted", "a": 1, "b": 0, "delta": -1},
        {"kpi": "organization_kinds", "a": ["ngo"], "b": ["ngo"], "delta": None},
        {"kpi": "unmet_by_reason.not_chosen", "a": 0, "b": 1, "delta": 1},
        {"kpi": "pairings", "a": None, "b": 4, "delta": None},
    ]


def test_solver_figures_of_both_plans(plan_a: Plan, plan_b: Plan) -> None:
    """Each plan's solver name, status, objective, bound and seconds; objective from the KPIs
    when the plan's solver states none."""
    solver = plan_diff(plan_a, plan_b)["solver"]
    assert solver["a"] == {
        "name": "hand",
        "status": "optimal",
        "objective": 4571.5,
        "bound": 4600.0,
        "gap": None,
        "seconds": 2.0,
    }
    assert solver["b"]["name"] == "greedy" and solver["b"]["objective"] == 4000.0
    assert plan_diff(plan_a, plan_b)["summary"]["objective_delta"] == -571.5


def test_scenarios_compared_by_sha256(plan_a: Plan, plan_b: Plan, index: ScenarioIndex) -> None:
    """Same sha256: no warning. Different: allowed, but a warning says so; a scenario given
    that is not a plan's is warned about too."""
    plan_a.scenario.sha256 = plan_b.scenario.sha256 = "ab" * 32
    same = plan_diff(plan_a, plan_b)["scenario"]
    assert same["same"] is True and same["warnings"] == []
    plan_b.scenario.sha256 = "cd" * 32
    other = plan_diff(plan_a, plan_b, index)["scenario"]
    assert other["same"] is False
    assert other["given"]["name"] == "Tiny County (contract example)"
    assert any("different scenarios" in w for w in other["warnings"])
    assert any("not plan A's" in w for w in other["warnings"])
    assert any("not plan B's" in w for w in other["warnings"])


def test_long_lists_are_capped_with_exact_counts(
    plan_a: Plan, plan_b: Plan, index: ScenarioIndex
) -> None:
    """A capped list keeps its first items, biggest effect first, and the exact count."""
    diff = plan_diff(plan_a, plan_b, index, shown=1)
    assert diff["hours"]["providers"]["count"] == 3
    assert [r["provider"] for r in diff["hours"]["providers"]["items"]] == ["C2"]
    assert len(diff["money"]["by_pool"]) == 2  # pools are few: never capped


def test_the_diff_is_json_ready_with_a_stable_shape(
    plan_a: Plan, plan_b: Plan, index: ScenarioIndex
) -> None:
    """Plain data that survives a JSON round trip, with the documented sections in order."""
    diff = plan_diff(plan_a, plan_b, index)
    assert list(diff) == SECTIONS
    assert diff["diff_version"] == 1
    assert json.loads(json.dumps(diff)) == diff


def test_text_shows_kpis_side_by_side_and_the_sections(
    plan_a: Plan, plan_b: Plan, index: ScenarioIndex
) -> None:
    """The text has A, B and the change of each KPI chosen, and a line per section, in
    English and in Chinese."""
    diff = plan_diff(plan_a, plan_b, index)
    text = render_diff_text(diff, [("needs_served", "served", False)], lang="en")
    served = next(line for line in text.splitlines() if line.strip().startswith("served"))
    assert served.split() == ["served", "5", "4", "-1"]
    assert "needs: 0 gained, 1 lost (value 400.0), 1 moved, 3 unchanged" in text
    assert "households with a served need: A 4, B 3; 0 gained, 1 lost" in text
    assert "pairings: 0 added, 1 removed, in 1 village(s)" in text
    assert "money (yuan): A 3,800, B 800, change -3,000" in text
    chinese = render_diff_text(
        diff, [("needs_served", "served", False)], lang="zh", names=index.name_of
    )
    assert "需求：新增服务 0，不再服务 1（价值 400.0），换人服务 1，不变 3" in chinese
    assert "有需求被服务的户：A 4，B 3；新增 0，减少 1" in chinese
    assert "资金（元）：A 3,800，B 800，变化 -3,000" in chinese
    assert "Dongpo (V1)" in chinese  # names beside ids, from the scenario


def test_text_leads_with_both_plans_policy_figures(
    plan_a: Plan, plan_b: Plan, index: ScenarioIndex
) -> None:
    """With plans that carry the policy figures, the figures table opens with them, A and B
    side by side with met or short and the change in percentage points; then the solver in
    plain words."""
    plan_a.kpis = {**plan_a.kpis, "policy_figures": [_figure(0.95, True)]}
    plan_b.kpis = {**plan_b.kpis, "policy_figures": [_figure(0.85, False)]}
    text = render_diff_text(plan_diff(plan_a, plan_b, index), lang="en")
    lines = text.splitlines()
    assert lines[1:3] == [
        "warning: plan A states no scenario sha256: the scenarios may differ",
        "warning: plan B states no scenario sha256: the scenarios may differ",
    ]
    rows = [line.strip() for line in lines[4:]]
    assert rows[0].split()[:3] == ["figure", "A", "B"]
    assert rows[2].startswith("households reached")
    assert rows[2].split()[-6:] == ["95.0%", "met", "85.0%", "short", "-10.0", "pp"]
    assert rows[3].startswith("solver / status") and "hand / optimal" in rows[3]
    assert rows[4].startswith("how good") and "proven the best possible plan" in rows[4]
    chinese = render_diff_text(plan_diff(plan_a, plan_b, index), lang="zh")
    assert chinese.splitlines()[1] == "警告：方案 A 未记载情景的 sha256：情景可能不同"
    assert chinese.splitlines()[6].split()[:5] == ["户覆盖率", "95.0%", "达标", "85.0%", "未达标"]


def _figure(value: float, met: bool) -> dict[str, Any]:
    return {"key": "households_reached", "value": value, "unit": "share", "target": 0.9,
            "met": met}  # fmt: skip


# ----------------------------------------------------------------------------- CLI


def _write(tmp_path: Path, plan_a: Plan, plan_b: Plan) -> tuple[Path, Path]:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_plan(plan_a, a)
    write_plan(plan_b, b)
    return a, b


def test_cli_diff_prints_and_writes_json(
    tmp_path: Path, plan_a: Plan, plan_b: Plan, index: ScenarioIndex
) -> None:
    """`matcher diff A B --scenario S --json OUT` exits 0, prints KPIs side by side and the
    sections, and writes the full diff; --lang zh prints the same in Chinese."""
    a, b = _write(tmp_path, plan_a, plan_b)
    out = tmp_path / "diff.json"
    scenario = CONTRACT / "tiny-county.json"
    result = runner.invoke(
        app,
        ["diff", str(a), str(b), "--scenario", str(scenario), "--json", str(out), "--lang", "en"],
    )
    assert result.exit_code == 0, result.output
    assert "needs served" in result.output and "change" in result.output
    assert "1 lost" in result.output and "H-V1-001" in result.output
    assert f"diff written to {out}" in result.output
    written: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    expected = json.loads(json.dumps(plan_diff(plan_a, plan_b, index)))
    assert written == expected
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    chinese = runner.invoke(app, ["diff", str(a), str(b), "--scenario", str(scenario),
                                  "--lang", "zh"])  # fmt: skip
    assert chinese.exit_code == 0, chinese.output
    assert "已满足需求数" in chinese.output and "不再服务 1" in chinese.output


def test_cli_diff_without_scenario_says_what_it_needs(
    tmp_path: Path, plan_a: Plan, plan_b: Plan
) -> None:
    """Without --scenario the diff still runs; the households section asks for --scenario."""
    a, b = _write(tmp_path, plan_a, plan_b)
    result = runner.invoke(app, ["diff", str(a), str(b), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "households: this section needs the scenario (--scenario)" in result.output
    result = runner.invoke(app, ["diff", str(a), str(b), "--lang", "zh"])
    assert "户：此部分需要情景文件（--scenario）" in result.output


def test_cli_diff_missing_plan_exits_1(tmp_path: Path, plan_a: Plan) -> None:
    """A missing plan file: exit 1, a message naming the file, no traceback."""
    a, _ = _write(tmp_path, plan_a, plan_a)
    missing = tmp_path / "nowhere.json"
    result = runner.invoke(app, ["diff", str(a), str(missing)])
    assert result.exit_code == 1
    assert "nowhere.json" in result.output
    assert "Traceback" not in result.output


def test_cli_diff_unreadable_plan_exits_1(tmp_path: Path, plan_a: Plan) -> None:
    """A file that is not a plan: exit 1 with a message naming it."""
    a, _ = _write(tmp_path, plan_a, plan_a)
    bad = tmp_path / "not-a-plan.json"
    bad.write_text('{"assignments": "many"}', encoding="utf-8")
    result = runner.invoke(app, ["diff", str(bad), str(a)])
    assert result.exit_code == 1
    assert "not-a-plan.json" in result.output
    assert "Traceback" not in result.output
