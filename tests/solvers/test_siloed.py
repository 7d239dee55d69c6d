"""The siloed status quo: departments and organisations planning alone, within every hard rule."""

from __future__ import annotations

import copy
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from matcher.evaluate.evaluator import Evaluation, evaluate
from matcher.generator import generate_scenario
from matcher.plan import Assignment, DuplicateService, Plan, SolverInfo
from matcher.prepare.departments import CATEGORY_DEPARTMENT
from matcher.problem.arrays import Problem
from matcher.problem.assemble import solution_to_plan
from matcher.problem.compile import compile_problem
from matcher.problem.solution import SolveParams, SolveResult
from matcher.scenario import CATEGORIES, Scenario
from solvers.greedy import GreedySolver
from solvers.siloed import SiloedSolver, category_owner, common_pools

CONTRACT = Path(__file__).parents[1] / "data" / "contract"
CONTRACT_OPTIMUM = 4571.666666666667


@dataclass(frozen=True)
class Run:
    scenario: Scenario
    problem: Problem
    result: SolveResult
    plan: Plan
    evaluation: Evaluation


def _run(data: dict[str, Any], solver: SiloedSolver | GreedySolver | None = None) -> Run:
    scenario = Scenario.model_validate(data)
    problem = compile_problem(scenario)
    result = (solver or SiloedSolver()).solve(problem, SolveParams(time_limit=None))
    info = SolverInfo(name=result.solver, status=result.status)
    plan = solution_to_plan(problem, result.solution, info, scenario.policy)
    return Run(scenario, problem, result, plan, evaluate(scenario, plan))


def _contract() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CONTRACT / "tiny-county.json").read_text(encoding="utf-8"))
    return data


def _need(
    i: int,
    village: str,
    category: str,
    hours: float,
    cost: int,
    priority: int,
    vulnerable: tuple[str, ...] = (),
    household: bool = True,
    level: int = 1,
) -> dict[str, Any]:
    return {
        "id": f"N{i:02d}",
        "village": village,
        "household": f"H-{village}-{i:02d}" if household else None,
        "category": category,
        "level": level,
        "hours": hours,
        "cost": cost,
        "priority": priority,
        "vulnerable": list(vulnerable),
        "submitted": "2026-12-02",
    }


def _cadre(
    cid: str,
    department: str,
    base: str,
    skills: dict[str, int],
    hours: float,
    travel: float,
    max_villages: int,
    paired: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "id": cid,
        "department": department,
        "base": base,
        "skills": skills,
        "hours": hours,
        "max_travel_minutes": travel,
        "max_villages": max_villages,
        "paired_villages": list(paired),
    }


def _pool(
    pid: str,
    department: str,
    amount: int,
    categories: list[str] | None,
    max_per_need: int | None = None,
    regions: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "id": pid,
        "department": department,
        "amount": amount,
        "categories": categories,
        "regions": regions,
        "max_per_need": max_per_need,
    }


def _aid(i: int, need: int, village: str, provider: str, date: str) -> dict[str, Any]:
    return {
        "id": f"A{i}",
        "household": f"H-{village}-{need:02d}",
        "village": village,
        "category": "hardship_relief",
        "provider": provider,
        "cost": 1000,
        "hours": 2,
        "date": date,
    }


def silo_county() -> dict[str, Any]:
    """Five villages, three staffed departments (agriculture, civil affairs, education), a
    health department with a pool but nobody, no employment staff at all, one NGO in the
    western town, common charity and finance pools, and ledgers that hold three needs back.

    Roads: S0-T1 10, S0-T2 30, T1-V1 5, T1-V2 8, S0-V5 12, T2-V3 10, T2-V4 45 (remote V4 is
    beyond every cadre's reach; V3 is 40 min from the seat).
    """

    def village(vid: str, town: str, region: str) -> dict[str, Any]:
        return {
            "id": vid,
            "town": town,
            "lon": 104.0,
            "lat": 30.0,
            "households": 200,
            "region": region,
        }

    roads = [
        ("S0", "T1", 10),
        ("S0", "T2", 30),
        ("T1", "V1", 5),
        ("T1", "V2", 8),
        ("T2", "V3", 10),
        ("T2", "V4", 45),
        ("S0", "V5", 12),
    ]
    return {
        "schema_version": 1,
        "name": "Silo County",
        "horizon": {"start": "2026-12-01", "days": 31},
        "places": [
            {"id": "S0", "kind": "county_seat", "lon": 104.0, "lat": 30.0},
            {"id": "T1", "kind": "town", "lon": 104.1, "lat": 30.0},
            {"id": "T2", "kind": "town", "lon": 103.7, "lat": 30.0},
        ],
        "villages": [
            village("V1", "T1", "central"),
            village("V2", "T1", "central"),
            village("V3", "T2", "west"),
            village("V4", "T2", "west"),
            village("V5", "T1", "central"),
        ],
        "roads": [{"from": a, "to": b, "minutes": m} for a, b, m in roads],
        "cadres": [
            # A1 holds hardship_relief too, but agriculture does not own it: the silo wastes it.
            _cadre(
                "A1",
                "agriculture",
                "T1",
                {"agri_tech": 3, "e_commerce": 2, "hardship_relief": 2},
                30,
                60,
                2,
                ("V1",),
            ),
            _cadre("A2", "agriculture", "S0", {"agri_tech": 2, "infrastructure": 2}, 30, 60, 2),
            _cadre(
                "C1",
                "civil_affairs",
                "S0",
                {"hardship_relief": 3, "elderly_care": 2, "policy_service": 2},
                30,
                60,
                2,
                ("V5",),
            ),
            _cadre(
                "C2", "civil_affairs", "T1", {"hardship_relief": 2, "elderly_care": 2}, 24, 45, 2
            ),
            _cadre("E1", "education", "S0", {"education": 3, "child_care": 1}, 12, 45, 1),
        ],
        "organizations": [
            {
                "id": "O1",
                "kind": "ngo",
                "base": "T2",
                "skills": {"child_care": 3, "elderly_care": 2},
                "hours": 30,
                "max_travel_minutes": 60,
                "towns": ["T2"],
            },
        ],
        "pools": [
            _pool(
                "P-agri", "agriculture", 30000, ["agri_tech", "e_commerce", "infrastructure"], 10000
            ),
            _pool(
                "P-civil",
                "civil_affairs",
                6000,
                ["elderly_care", "hardship_relief", "dispute_mediation", "policy_service"],
                3000,
            ),
            _pool("P-edu", "education", 3000, ["education", "child_care"]),
            _pool("P-health", "health", 5000, ["medical", "mental_health"]),
            _pool("P-charity", "charity", 4000, ["child_care", "elderly_care", "hardship_relief"]),
            _pool("P-west", "finance", 5000, None, regions=["central", "west"]),
        ],
        "needs": [
            _need(1, "V1", "agri_tech", 4, 2000, 3, level=2),
            _need(2, "V1", "hardship_relief", 2, 1500, 4, ("low_income",)),
            _need(3, "V1", "medical", 2, 500, 4),
            _need(4, "V1", "e_commerce", 3, 800, 2),
            _need(5, "V2", "hardship_relief", 2, 1000, 3),
            _need(6, "V2", "elderly_care", 3, 0, 4, ("elderly_alone",)),
            _need(7, "V2", "child_care", 4, 600, 4, ("left_behind_child",)),
            _need(8, "V2", "employment", 3, 0, 2),
            _need(9, "V3", "elderly_care", 3, 500, 5, ("elderly_alone",)),
            _need(10, "V3", "child_care", 4, 400, 4, ("left_behind_child",)),
            _need(11, "V3", "hardship_relief", 2, 2000, 4),
            _need(12, "V3", "agri_tech", 5, 3000, 2),
            _need(13, "V3", "medical", 2, 300, 3),
            _need(14, "V4", "child_care", 5, 300, 5, ("left_behind_child",)),
            _need(15, "V4", "elderly_care", 3, 0, 4),
            _need(16, "V4", "hardship_relief", 2, 1200, 4),
            _need(17, "V4", "infrastructure", 8, 9000, 3, household=False),
            _need(18, "V5", "policy_service", 1, 0, 1),
            _need(19, "V5", "education", 2, 0, 2),
            _need(20, "V5", "child_care", 3, 0, 3),
        ],
        "aid_records": [
            _aid(1, 2, "V1", "civil_affairs", "2026-11-20"),
            _aid(2, 5, "V2", "charity", "2026-11-28"),
            _aid(3, 11, "V3", "rural_revitalization", "2026-12-03"),
            _aid(4, 5, "V2", "township", "2026-11-15"),
        ],
        "policy": {},
    }


def _check_silo_discipline(run: Run) -> None:
    """Every non-pinned service of a cadre is of a category its department owns, paid from its
    department's pools or common pools; organisations are paid from common pools only."""
    s, p = run.scenario, run.problem
    needs = {n.id: n for n in s.needs}
    cadres = {c.id: c for c in s.cadres}
    pool_department = {q.id: q.department for q in s.pools}
    common = {p.pool_ids[int(q)] for q in common_pools(p)}
    services: list[Assignment | DuplicateService] = [
        *run.plan.assignments,
        *run.plan.duplicate_services,
    ]
    for service in services:
        need = needs[service.need]
        if need.pinned_provider is not None:
            continue
        cadre = cadres.get(service.provider)
        own = {cadre.department} if cadre is not None else set()
        if cadre is not None:
            assert CATEGORY_DEPARTMENT[need.category.value] == cadre.department, service
        for line in service.funding:
            assert line.pool in common or pool_department[line.pool] in own, (service, line)


# ----------------------------------------------------------------------------------- the table


def test_every_category_has_one_owning_department() -> None:
    """The ownership table covers the 13 categories of DESIGN §3 and names six departments."""
    assert set(CATEGORY_DEPARTMENT) == set(CATEGORIES)
    assert set(CATEGORY_DEPARTMENT.values()) == {
        "agriculture",
        "human_resources",
        "education",
        "civil_affairs",
        "health",
        "culture",
    }


# ------------------------------------------------------------------------ the contract county


def test_contract_plan_keeps_every_rule_and_stays_below_the_optimum() -> None:
    """On the contract county the siloed plan breaks no rule and scores at most the optimum;
    the evaluator agrees with the solver's claimed objective."""
    run = _run(_contract())
    assert run.result.status == "feasible"
    assert run.evaluation.violations == ()
    assert run.evaluation.objective <= CONTRACT_OPTIMUM + 1e-9
    assert run.result.claimed_objective == pytest.approx(run.evaluation.objective)
    _check_silo_discipline(run)


def test_contract_n6_cannot_be_wasted_because_no_pool_admits_it() -> None:
    """N6 (hardship_relief, held back by A1/A2) is in C3's reach (civil_affairs, 39 min <= 60),
    but it costs 1000 yuan in east village V1 and no pool admits it (P-agri is agri only, P-west
    central/west only): the civil-affairs silo cannot pay for it, so it plans no duplicate of it.
    """
    run = _run(_contract())
    p = run.problem
    n6 = p.need_ids.index("N6")
    assert p.need_blocked[n6]
    assert "C3" in {p.provider_ids[int(p.arc_provider[a])] for a in p.arcs_of(n6)}
    assert len(p.pools_of(n6)) == 0
    assert all(d.need != "N6" for d in run.plan.duplicate_services)
    assert {u.need: u.reason for u in run.evaluation.unmet}["N6"] == "already_aided"


def test_contract_n6_is_an_already_aided_duplicate_once_civil_affairs_has_money() -> None:
    """With a civil-affairs pool the silo, blind to the ledgers, sends C3 to N6 anyway: a
    duplicate service of 2 h + 2 x 39 min = 3.3 h and 1000 yuan, counted in hours and pools."""
    data = _contract()
    data["pools"].append(_pool("P-civil", "civil_affairs", 2000, ["hardship_relief"]))
    run = _run(data)
    assert run.evaluation.violations == ()
    wasted = [d for d in run.plan.duplicate_services if d.need == "N6"]
    assert len(wasted) == 1
    assert (wasted[0].provider, wasted[0].why) == ("C3", "already_aided")
    assert wasted[0].hours == pytest.approx(3.3)
    assert [(f.pool, f.amount) for f in wasted[0].funding] == [("P-civil", 1000)]
    assert run.evaluation.usage.pool_spent["P-civil"] == 1000
    assert "N6" not in {a.need for a in run.plan.assignments}


def test_contract_ngo_duplicates_the_education_silo() -> None:
    """Education serves N2 (child care in V2) with C2; NGO O1, not seeing that plan, serves
    N2 again from the common pool P-west: a served_by_other duplicate of 800 yuan."""
    run = _run(_contract())
    served = {a.need: a.provider for a in run.plan.assignments}
    assert served["N2"] == "C2"
    assert served["N8"] == "O1"  # pinned, kept
    dups = [(d.need, d.provider, d.why) for d in run.plan.duplicate_services]
    assert dups == [("N2", "O1", "served_by_other")]
    assert run.evaluation.kpis["duplicate_service_yuan"] == 800


# ---------------------------------------------------------------------- a multi-silo county


def test_silo_county_keeps_every_rule_and_silo_discipline() -> None:
    """The siloed plan of a multi-department county breaks no rule, and every cadre works only
    on its department's categories with its department's or common money."""
    run = _run(silo_county())
    assert run.evaluation.violations == ()
    _check_silo_discipline(run)


def test_silo_county_plans_duplicate_aid() -> None:
    """Blind to the ledgers, civil affairs plans the three held-back hardship needs; the NGO
    serves an elderly need civil affairs already serves."""
    run = _run(silo_county())
    why = Counter(d.why for d in run.plan.duplicate_services)
    aided = {d.need for d in run.plan.duplicate_services if d.why == "already_aided"}
    assert aided == {"N02", "N05", "N11"}
    assert why["served_by_other"] >= 1
    assert run.evaluation.kpis["duplicate_service_yuan"] > 0
    assert run.evaluation.kpis["duplicate_service_hours"] > 0


def test_silo_county_leaves_blind_spots() -> None:
    """Medical (health has a pool but nobody) and employment (no department staff) needs stay
    open with no provider in reach; child care in V5 waits for education's one cadre, whose
    hours are used up (capacity_exhausted)."""
    run = _run(silo_county())
    reasons = {u.need: u.reason for u in run.evaluation.unmet}
    assert reasons["N03"] == reasons["N13"] == reasons["N08"] == "no_provider_in_reach"
    assert reasons["N20"] == "capacity_exhausted"
    blind = {
        CATEGORY_DEPARTMENT[n.category.value]
        for n in run.scenario.needs
        if reasons.get(n.id) in ("no_provider_in_reach", "capacity_exhausted")
    }
    assert {"health", "human_resources", "education"} <= blind


def test_silo_county_pairs_near_villages_twice_over_and_remote_ones_not_at_all() -> None:
    """Each cadre pairs with its nearest villages whatever the others did: V1 gets four cadres,
    V3 (40 min from the seat, in reach) and V4 (out of reach) none."""
    run = _run(silo_county())
    per_village = Counter(p.village for p in run.plan.pairings)
    assert per_village["V1"] == 4
    assert per_village["V3"] == per_village["V4"] == 0
    assert any(count > run.scenario.policy.min_cadres_per_village for count in per_village.values())


def test_integrated_greedy_beats_the_silos() -> None:
    """The integrated greedy plan keeps the rules, plans no duplicate service and serves at
    least the value the silos serve."""
    siloed = _run(silo_county())
    greedy = _run(silo_county(), GreedySolver())
    assert greedy.evaluation.violations == ()
    assert greedy.plan.duplicate_services == []
    assert greedy.evaluation.kpis["duplicate_service_yuan"] == 0
    assert greedy.evaluation.kpis["value_served"] >= siloed.evaluation.kpis["value_served"]
    assert greedy.evaluation.objective >= siloed.evaluation.objective


def test_pinned_need_is_served_by_its_provider_whatever_the_silo() -> None:
    """A hardship need pinned to agriculture cadre A1 is served by A1 (re-planning keeps it),
    and civil affairs, knowing the decision, does not plan it again."""
    data = silo_county()
    pinned = _need(21, "V2", "hardship_relief", 2, 500, 2)
    pinned["pinned_provider"] = "A1"
    data["needs"].append(pinned)
    run = _run(data)
    assert run.evaluation.violations == ()
    assert {a.need: a.provider for a in run.plan.assignments}["N21"] == "A1"
    assert all(d.need != "N21" for d in run.plan.duplicate_services)
    _check_silo_discipline(run)


def test_siloed_plan_is_deterministic() -> None:
    """The same problem always gives the same plan."""
    data = silo_county()
    first, second = _run(data), _run(copy.deepcopy(data))
    assert first.plan.model_dump() == second.plan.model_dump()


# -------------------------------------------------------------------------- generated counties


@pytest.fixture(scope="module")
def generated() -> tuple[Run, Run]:
    """The siloed and the integrated greedy plan of one generated 30-village county."""
    data = generate_scenario(villages=30, needs=600, seed=1)
    return _run(data), _run(data, GreedySolver())


def test_generated_county_keeps_every_rule(generated: tuple[Run, Run]) -> None:
    """The siloed plan of a generated county breaks no rule and keeps the silo discipline."""
    siloed, _ = generated
    assert siloed.result.status == "feasible"
    assert siloed.evaluation.violations == ()
    assert siloed.result.claimed_objective == pytest.approx(siloed.evaluation.objective)
    _check_silo_discipline(siloed)


def test_generated_county_shows_duplicate_aid(generated: tuple[Run, Run]) -> None:
    """Silos blind to the ledgers plan held-back needs (already_aided), and the wasted services
    spend hours and money; the integrated greedy plans no duplicate service."""
    siloed, greedy = generated
    why = Counter(d.why for d in siloed.plan.duplicate_services)
    assert why["already_aided"] > 0
    blocked = {siloed.problem.need_ids[int(n)] for n in siloed.problem.need_blocked.nonzero()[0]}
    assert {d.need for d in siloed.plan.duplicate_services if d.why == "already_aided"} <= blocked
    assert siloed.evaluation.kpis["duplicate_service_hours"] > 0
    assert greedy.plan.duplicate_services == []
    assert greedy.evaluation.kpis["duplicate_service_hours"] == 0


def test_generated_county_shows_blind_spots(generated: tuple[Run, Run]) -> None:
    """Some needs stay open with nobody in reach or nobody with hours (no_provider_in_reach,
    capacity_exhausted) in a category whose owning department has no cadre in reach of them."""
    siloed, _ = generated
    p = siloed.problem
    owner = category_owner(p)[p.need_category]
    index = {need: i for i, need in enumerate(p.need_ids)}

    def department_lacks_people(need: int) -> bool:
        return all(
            p.arc_provider[a] >= p.n_cadres
            or p.provider_department[p.arc_provider[a]] != owner[need]
            for a in p.arcs_of(need)
        )

    blind = [
        u.need
        for u in siloed.evaluation.unmet
        if u.reason in ("no_provider_in_reach", "capacity_exhausted")
        and department_lacks_people(index[u.need])
    ]
    assert blind


def test_generated_county_pairings_pile_up_near_towns(generated: tuple[Run, Run]) -> None:
    """Nearest-first pairing leaves some village short of the minimum while another has more."""
    siloed, _ = generated
    per_village = Counter(p.village for p in siloed.plan.pairings)
    least = siloed.scenario.policy.min_cadres_per_village
    counts = [per_village[v] for v in siloed.problem.village_ids]
    assert min(counts) < least < max(counts)


def test_generated_county_integrated_greedy_serves_more(generated: tuple[Run, Run]) -> None:
    """Integrated planning (greedy) keeps the rules and serves at least the siloed value."""
    siloed, greedy = generated
    assert greedy.evaluation.violations == ()
    assert greedy.evaluation.kpis["value_served"] >= siloed.evaluation.kpis["value_served"]
