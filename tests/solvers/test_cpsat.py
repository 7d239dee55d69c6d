"""Tests of the exact CP-SAT solver against the contract example and a brute-force optimiser."""

from __future__ import annotations

import functools
import json
import random
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from matcher.problem.arrays import Problem
from matcher.problem.compile import compile_problem
from matcher.problem.solution import Funding, Progress, Solution, SolveParams, SolveResult
from matcher.scenario import Scenario
from solvers.cpsat import CpSatSolver, solve

from . import brute_force as bf

CONTRACT = Path(__file__).resolve().parents[1] / "data" / "contract"
CONTRACT_OBJECTIVE = 4571.666666666667
TOL = 1e-6
CATS = ("agri_tech", "child_care", "elderly_care")


def _contract() -> Problem:
    return compile_problem(
        Scenario.model_validate(json.loads((CONTRACT / "tiny-county.json").read_text()))
    )


def _contract_plan(problem: Problem) -> Solution:
    """The contract's optimal plan file as a raw Solution."""
    plan = json.loads((CONTRACT / "tiny-plan.json").read_text())
    need = {x: i for i, x in enumerate(problem.need_ids)}
    prov = {x: i for i, x in enumerate(problem.provider_ids)}
    pool = {x: i for i, x in enumerate(problem.pool_ids)}
    vill = {x: i for i, x in enumerate(problem.village_ids)}
    need_provider = np.full(problem.n_needs, -1, dtype=np.int64)
    funding = []
    for a in plan["assignments"]:
        need_provider[need[a["need"]]] = prov[a["provider"]]
        funding += [Funding(need[a["need"]], pool[f["pool"]], f["amount"]) for f in a["funding"]]
    pairings = tuple((prov[p["cadre"]], vill[p["village"]]) for p in plan["pairings"])
    return Solution(need_provider, tuple(funding), pairings)


def _compile(data: dict[str, Any]) -> Problem:
    return compile_problem(Scenario.model_validate(data))


def _params(**kwargs: Any) -> SolveParams:
    kwargs.setdefault("time_limit", 20.0)
    kwargs.setdefault("workers", 2)
    return SolveParams(**kwargs)


def _check_result(problem: Problem, result: SolveResult) -> float:
    """The plan obeys H1-H8 (funding lines included); claimed and bound agree with it."""
    assert bf.violations(problem, result.solution) == []
    value = bf.objective(problem, result.solution)
    assert result.claimed_objective == pytest.approx(value, abs=TOL)
    assert result.bound is not None and result.bound >= value - TOL
    return value


# --------------------------------------------------------------------------- random scenarios


def random_scenario(rng: random.Random, n_needs: int = 8, n_providers: int = 3) -> dict[str, Any]:
    """A random county with ≤ 3 villages: roads with whole minutes, random pools, caps, pinned
    and blocked needs, pairings and fairness."""
    n_towns = rng.randint(1, 2)
    places = [{"id": "S0", "kind": "county_seat", "lon": 104.0, "lat": 30.0}]
    places += [
        {"id": f"T{t}", "kind": "town", "lon": 104.0 + t / 10, "lat": 30.0} for t in range(n_towns)
    ]
    n_vill = rng.randint(1, 3)
    villages, roads = [], []
    for t in range(n_towns):
        roads.append({"from": "S0", "to": f"T{t}", "minutes": rng.randint(5, 15)})
    for v in range(n_vill):
        town = f"T{rng.randrange(n_towns)}"
        villages.append(
            {
                "id": f"V{v}",
                "town": town,
                "lon": 104.0,
                "lat": 30.0 + v / 100,
                "households": 100,
                "region": rng.choice(["east", "central", "west"]),
                "funding_cap": rng.choice([None, 1500, 2500]),
            }
        )
        if rng.random() < 0.92:  # else unreachable
            roads.append({"from": town, "to": f"V{v}", "minutes": rng.randint(2, 30)})
    vill_ids = [v["id"] for v in villages]
    n_prov = rng.randint(1, n_providers)
    n_orgs = rng.randint(0, 1) if n_prov >= 2 else 0
    bases = [p["id"] for p in places]
    cadres, orgs = [], []
    for c in range(n_prov - n_orgs):
        cadres.append(
            {
                "id": f"C{c}",
                "department": rng.choice(["agri", "edu"]),
                "base": rng.choice(bases),
                "skills": {k: rng.randint(1, 3) for k in rng.sample(CATS, rng.randint(2, 3))},
                "hours": rng.choice([8, 12, 16, 20, 24]),
                "max_travel_minutes": rng.choice([30, 45, 60, 90]),
                "max_villages": rng.randint(0, 2),
                "paired_villages": rng.sample(vill_ids, rng.randint(0, min(2, n_vill))),
                "available": rng.random() < 0.9,
            }
        )
    for o in range(n_orgs):
        orgs.append(
            {
                "id": f"O{o}",
                "kind": "ngo",
                "base": rng.choice(bases),
                "skills": {k: rng.randint(1, 3) for k in rng.sample(CATS, rng.randint(2, 3))},
                "hours": rng.choice([6, 8, 12]),
                "max_travel_minutes": rng.choice([45, 90]),
                "towns": rng.choice([None, [f"T{rng.randrange(n_towns)}"]]),
            }
        )
    providers = cadres + orgs
    pools = []
    for q in range(rng.choice([0, 1, 2, 2, 3])):
        pools.append(
            {
                "id": f"P{q}",
                "department": "fin",
                "amount": rng.choice([1000, 2000, 3000, 5000]),
                "categories": rng.choice([None, None, rng.sample(CATS, rng.randint(1, 2))]),
                "regions": rng.choice([None, None, ["central", "west"]]),
                "villages": rng.choice([None, None, rng.sample(vill_ids, 1)]),
                "max_per_need": rng.choice([None, 500, 1000, 1000, 2000]),
            }
        )
    needs, records = [], []
    for n in range(rng.randint(1, n_needs)):
        v = rng.choice(vill_ids)
        household = rng.choice([None, f"H{v}-1", f"H{v}-2", f"H{v}-3"])
        category = rng.choice(CATS)
        skilled = [p["id"] for p in providers if category in p["skills"]]
        pinned = rng.choice(skilled or [p["id"] for p in providers])
        needs.append(
            {
                "id": f"N{n}",
                "village": v,
                "household": household,
                "category": category,
                "level": rng.randint(1, 2),
                "hours": rng.randint(1, 3),
                "cost": rng.choice([0, 500, 1000, 1500, 2500]),
                "priority": rng.randint(1, 5),
                "vulnerable": ["elderly_alone"] if rng.random() < 0.3 else [],
                "pinned_provider": pinned if rng.random() < 0.06 else None,
            }
        )
        if rng.random() < 0.12:
            records.append(
                {
                    "id": f"A{n}",
                    "household": household,
                    "village": v,
                    "category": category,
                    "provider": "somebody",
                    "date": rng.choice(["2026-11-20", "2026-09-01"]),
                }
            )
    policy = {
        "min_cadres_per_village": rng.randint(0, 2),
        "visits_per_pairing": rng.randint(1, 2),
        "visit_hours": rng.choice([1.0, 2.0]),
        "round_trip": rng.random() < 0.7,
        "village_funding_cap": rng.choice([2000, 200000]),
        "pairing_shortfall_penalty": rng.choice([100.0, 1000.0]),
        "pairing_change_penalty": rng.choice([0.0, 50.0]),
        "fairness_floor_share": rng.choice([0.0, 0.3, 0.6]),
        "fairness_weight": rng.choice([0.0, 0.5, 1.0, 2.0]),
    }
    return {
        "schema_version": 1,
        "horizon": {"start": "2026-12-01", "days": 31},
        "places": places,
        "villages": villages,
        "roads": roads,
        "cadres": cadres,
        "organizations": orgs,
        "pools": pools,
        "needs": needs,
        "aid_records": records,
        "policy": policy,
    }


def _plans(problem: Problem) -> int:
    sizes = [len(problem.arcs_of(n)) + 1 for n in range(problem.n_needs)]
    return int(np.prod(sizes, dtype=np.int64)) * 2 ** len(problem.pair_cadre)


@functools.cache
def tiny_random_problem(seed: int) -> Problem:
    """A random tiny problem small enough for the brute force (≤ 60k plans), and mostly not so
    small that it is trivial (≥ 100 plans, or by a 1-in-5 chance fewer)."""
    rng = random.Random(seed)
    while True:
        problem = _compile(random_scenario(rng))
        plans = _plans(problem)
        if plans <= 60_000 and (plans >= 100 or rng.random() < 0.2):
            return problem


# --------------------------------------------------------------------------- tests


def test_contract_example_is_optimal() -> None:
    """The contract example solves to optimal with objective 4571.666..., serving exactly N1, N2,
    N3, N4 and N8 with N2 and N8 by O1, and a bound no lower than the objective."""
    problem = _contract()
    result = CpSatSolver().solve(problem, _params())
    assert result.status == "optimal"
    assert result.solver == "cpsat"
    value = _check_result(problem, result)
    assert value == pytest.approx(CONTRACT_OBJECTIVE, abs=TOL)
    served = {
        problem.need_ids[n]: problem.provider_ids[p]
        for n, p in enumerate(result.solution.need_provider.tolist())
        if p >= 0
    }
    assert set(served) == {"N1", "N2", "N3", "N4", "N8"}
    assert served["N2"] == "O1" and served["N8"] == "O1"
    assert result.bound is not None and result.bound >= value - TOL
    assert result.stats["cpsat_status"] == "OPTIMAL"
    assert result.stats["arcs"] == problem.n_arcs


def test_brute_force_agrees_with_contract() -> None:
    """The brute-force helper finds the contract's optimum 4571.666... and scores the contract's
    optimal plan file at the same figure with no violation."""
    problem = _contract()
    best = bf.brute_force(problem)
    assert best is not None
    assert best.objective == pytest.approx(CONTRACT_OBJECTIVE, abs=TOL)
    solution = _contract_plan(problem)
    assert bf.violations(problem, solution) == []
    assert bf.objective(problem, solution) == pytest.approx(CONTRACT_OBJECTIVE, abs=TOL)


@functools.cache
def _brute(seed: int) -> bf.BruteResult | None:
    return bf.brute_force(tiny_random_problem(seed))


RANDOM_SEEDS = range(40)


def test_random_problems_exercise_every_rule() -> None:
    """The random problems are not trivial: among them are infeasible ones, feasible ones with a
    pinned need, blocked needs, needs two pools may split, village caps and pools that bind the
    brute-force optimum's choices, pairings and an active fairness term."""
    problems = [tiny_random_problem(s) for s in RANDOM_SEEDS]
    results = [_brute(s) for s in RANDOM_SEEDS]
    feasible = [p for p, r in zip(problems, results, strict=True) if r is not None]
    assert len(feasible) >= 30
    assert len(problems) - len(feasible) >= 2
    assert sum(bool((p.need_pinned >= 0).any()) for p in feasible) >= 2
    assert sum(bool(p.need_blocked.any()) for p in problems) >= 5
    assert sum(p.fairness_weight * p.fairness_floor > 0 for p in feasible) >= 5
    assert sum(len(p.pair_cadre) > 0 for p in feasible) >= 15
    split = [
        any(p.need_cost[n] > 0 and len(p.pools_of(n)) > 1 for n in range(p.n_needs))
        for p in feasible
    ]
    assert sum(split) >= 5
    served = [int((r.need_provider >= 0).sum()) for r in results if r is not None]
    assert sum(served) >= 40


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_random_tiny_problems_match_brute_force(seed: int) -> None:
    """On random tiny problems (≤ 8 needs, ≤ 3 providers, ≤ 3 villages, random pools, caps,
    pinned and blocked needs, fairness) CP-SAT is optimal, its plan obeys every rule, its
    objective equals the brute-force optimum and its bound is at least that optimum; when the
    brute force finds no plan, CP-SAT reports infeasible."""
    problem = tiny_random_problem(seed)
    best = _brute(seed)
    result = solve(problem, _params(seed=seed))
    if best is None:
        assert result.status == "infeasible"
        assert (result.solution.need_provider == -1).all()
        return
    assert result.status == "optimal", result.stats
    value = _check_result(problem, result)
    assert value == pytest.approx(best.objective, abs=TOL)
    assert result.bound is not None and result.bound >= best.objective - TOL


def _pinned_scenario(cadre_hours: float) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "horizon": {"start": "2026-12-01", "days": 31},
        "places": [{"id": "T1", "kind": "town", "lon": 104.0, "lat": 30.0}],
        "villages": [
            {
                "id": "V1",
                "town": "T1",
                "lon": 104.0,
                "lat": 30.0,
                "households": 10,
                "region": "west",
            }
        ],
        "roads": [{"from": "T1", "to": "V1", "minutes": 15}],
        "cadres": [
            {
                "id": "C1",
                "department": "agri",
                "base": "T1",
                "skills": {"agri_tech": 2},
                "hours": cadre_hours,
                "max_travel_minutes": 60,
            }
        ],
        "needs": [
            {
                "id": "N1",
                "village": "V1",
                "category": "agri_tech",
                "hours": 5,
                "pinned_provider": "C1",
            }
        ],
    }


def test_pinned_need_beyond_capacity_is_infeasible() -> None:
    """A need pinned to a cadre whose hours cannot hold it (5 h + 0.5 h travel > 4 h) makes the
    problem infeasible: status "infeasible", the empty plan and no bound; with enough hours the
    same pinned need is served by its cadre."""
    result = solve(_compile(_pinned_scenario(4)), _params())
    assert result.status == "infeasible"
    assert (result.solution.need_provider == -1).all()
    assert result.bound is None
    ok = solve(_compile(_pinned_scenario(6)), _params())
    assert ok.status == "optimal"
    assert ok.solution.need_provider.tolist() == [0]


def test_pinned_blocked_need_is_infeasible_without_search() -> None:
    """A pinned need that H8 holds back cannot be served by its provider: "infeasible" at once."""
    data = _pinned_scenario(10)
    data["aid_records"] = [
        {
            "id": "A1",
            "village": "V1",
            "category": "agri_tech",
            "provider": "agri",
            "date": "2026-11-25",
        }
    ]
    result = solve(_compile(data), _params())
    assert result.status == "infeasible"
    assert result.stats["cpsat_status"] == "NOT_RUN"


def _medium_problem(seed: int = 7, n_needs: int = 60) -> Problem:
    """A random county of 3 villages, 8 providers, 2 pools and ``n_needs`` needs."""
    rng = random.Random(seed)
    data = random_scenario(rng, n_needs=1, n_providers=1)
    data["villages"] = [
        {
            "id": f"V{v}",
            "town": "T0",
            "lon": 104.0,
            "lat": 30.0,
            "households": 100,
            "region": rng.choice(["east", "west"]),
        }
        for v in range(3)
    ]
    data["roads"] = [{"from": "S0", "to": "T0", "minutes": 10}] + [
        {"from": "T0", "to": f"V{v}", "minutes": rng.randint(5, 30)} for v in range(3)
    ]
    data["cadres"] = [
        {
            "id": f"C{c}",
            "department": "agri",
            "base": rng.choice(["S0", "T0"]),
            "skills": {k: rng.randint(1, 3) for k in rng.sample(CATS, 2)},
            "hours": rng.choice([10, 15, 20]),
            "max_travel_minutes": 60,
            "paired_villages": [f"V{rng.randrange(3)}"],
        }
        for c in range(6)
    ]
    data["organizations"] = [
        {
            "id": f"O{o}",
            "kind": "ngo",
            "base": "T0",
            "skills": {k: 2 for k in CATS},
            "hours": 12,
            "max_travel_minutes": 60,
        }
        for o in range(2)
    ]
    data["pools"] = [
        {"id": "P0", "department": "fin", "amount": 8000, "max_per_need": 1000},
        {"id": "P1", "department": "agri", "amount": 6000, "categories": ["agri_tech"]},
    ]
    data["needs"] = [
        {
            "id": f"N{n}",
            "village": f"V{rng.randrange(3)}",
            "category": rng.choice(CATS),
            "level": rng.randint(1, 2),
            "hours": rng.randint(1, 4),
            "cost": rng.choice([0, 500, 1000, 1500]),
            "priority": rng.randint(1, 5),
        }
        for n in range(n_needs)
    ]
    data["aid_records"] = []
    return _compile(data)


def _fairness_scenario(weight: float) -> dict[str, Any]:
    need = {"category": "agri_tech", "hours": 3, "priority": 3}
    return {
        "schema_version": 1,
        "horizon": {"start": "2026-12-01", "days": 31},
        "places": [{"id": "T1", "kind": "town", "lon": 104.0, "lat": 30.0}],
        "villages": [
            {"id": v, "town": "T1", "lon": 104.0, "lat": 30.0, "households": 9, "region": "east"}
            for v in ("V1", "V2")
        ],
        "roads": [
            {"from": "T1", "to": "V1", "minutes": 6},
            {"from": "T1", "to": "V2", "minutes": 6},
        ],
        "cadres": [
            {
                "id": "C1",
                "department": "agri",
                "base": "T1",
                "skills": {"agri_tech": 1},
                "hours": 7,
                "max_travel_minutes": 60,
                "max_villages": 0,
            }
        ],
        "needs": [
            {"id": "A1", "village": "V1", **need},
            {"id": "A2", "village": "V1", **need},
            {**need, "id": "B", "village": "V2", "priority": 2, "vulnerable": ["disabled"]},
        ],
        "policy": {
            "min_cadres_per_village": 0,
            "fairness_floor_share": 0.5,
            "fairness_weight": weight,
        },
    }


def test_fairness_changes_the_choice() -> None:
    """One cadre has hours for two of three needs (A1, A2 worth 400 in V1; B worth 300 in V2).
    Without fairness the two V1 needs win (796); with a floor of half each village's value and
    weight 2, V1 is at its floor with one need, so one V1 need and B win (696), as the brute
    force agrees."""
    plain = _compile(_fairness_scenario(0.0))
    result = solve(plain, _params())
    assert result.status == "optimal"
    assert result.solution.need_provider.tolist() == [0, 0, -1]
    assert _check_result(plain, result) == pytest.approx(796.0, abs=TOL)

    fair = _compile(_fairness_scenario(2.0))
    result = solve(fair, _params())
    assert result.status == "optimal"
    assert result.solution.need_provider[2] == 0
    assert int((result.solution.need_provider >= 0).sum()) == 2
    value = _check_result(fair, result)
    assert value == pytest.approx(696.0, abs=TOL)
    best = bf.brute_force(fair)
    assert best is not None and best.objective == pytest.approx(value, abs=TOL)


def test_stop_event_set_before_solving_returns_stopped() -> None:
    """A stop event that is already set ends the solve at once with status "stopped" (the empty
    plan, as no plan was found)."""
    problem = _medium_problem()
    stop = threading.Event()
    stop.set()
    result = solve(problem, _params(stop=stop))
    assert result.stats["cpsat_status"] == "NOT_RUN"  # returned without searching
    assert result.status == "stopped"
    assert (result.solution.need_provider == -1).all()


def test_stop_from_progress_and_time_limit() -> None:
    """Setting the stop event from the progress callback ends the search with "stopped" and the
    best plan so far (this county takes CP-SAT minutes to prove optimal); a short time limit
    yields a valid status and plan; the watcher thread ends with the solve."""
    problem = _medium_problem()
    assert problem.n_arcs > 20
    stop = threading.Event()
    events: list[Progress] = []

    def on_progress(event: Progress) -> None:
        events.append(event)
        stop.set()

    before = threading.active_count()
    result = solve(problem, _params(stop=stop, on_progress=on_progress))
    assert result.status == "stopped"
    assert events
    _check_result(problem, result)
    assert not any(t.name == "cpsat-stop" for t in threading.enumerate())
    assert threading.active_count() <= before

    limited = solve(problem, _params(time_limit=0.5))
    assert limited.status in ("optimal", "feasible")
    _check_result(problem, limited)


def test_progress_events_and_hint() -> None:
    """Progress events carry increasing objectives below their bounds; hints (the empty plan,
    the contract's optimal plan file) still lead to the optimum."""
    problem = _medium_problem(3)
    events: list[Progress] = []
    result = solve(problem, _params(on_progress=events.append))
    assert result.status == "optimal"
    assert events
    objectives = [e.objective for e in events]
    assert objectives == sorted(objectives)
    assert all(e.bound is None or e.bound >= e.objective - TOL for e in events)

    empty = solve(problem, _params(hint=Solution.empty(problem.n_needs)))
    assert empty.status == "optimal"
    assert _check_result(problem, empty) == pytest.approx(_check_result(problem, result), abs=TOL)

    contract = _contract()
    hinted = solve(contract, _params(hint=_contract_plan(contract)))
    assert hinted.status == "optimal"
    assert _check_result(contract, hinted) == pytest.approx(CONTRACT_OBJECTIVE, abs=TOL)


def test_same_seed_gives_same_solution() -> None:
    """Two solves with the same seed and worker count return the same plan."""
    problem = _medium_problem(3, 40)
    first = solve(problem, _params(seed=5, time_limit=None))
    second = solve(problem, _params(seed=5, time_limit=None))
    assert first.status == second.status == "optimal"
    assert first.solution.need_provider.tolist() == second.solution.need_provider.tolist()
    assert first.solution.funding == second.solution.funding
    assert first.solution.pairings == second.solution.pairings
    assert first.claimed_objective == second.claimed_objective
