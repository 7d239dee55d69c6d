"""The GAP benchmark's parser, its mapping onto :class:`Problem`, and a few short solves."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import numpy as np
import pytest

from benchmarks.gap_orlib import (
    GapInstance,
    Sense,
    big_m,
    build_problem,
    check_assignment,
    parse_orlib,
    parse_yagiura,
    read_best_known,
    select,
)
from matcher.problem.solution import SolveParams
from solvers import get_solver

# Copies of the shared instances these tests read, so they run on any machine.
DATA = Path(__file__).parents[1] / "data" / "gap"


def toy(costs: list[list[int]]) -> GapInstance:
    """Two agents, three jobs of weight 1: agent 0 holds two jobs, agent 1 one."""
    return GapInstance(
        "toy",
        cost=np.array(costs, dtype=np.int64),
        weight=np.array([[1, 1, 1], [1, 1, 1]], dtype=np.int64),
        capacity=np.array([2, 1], dtype=np.int64),
    )


def brute_force(instance: GapInstance, sense: Sense) -> int:
    """The optimum of a tiny instance by enumeration."""
    values = []
    for agents in product(range(instance.m), repeat=instance.n):
        check = check_assignment(instance, list(agents))
        if check.cap_violation == 0:
            values.append(check.cost)
    return min(values) if sense == "min" else max(values)


def test_orlib_file_has_five_problems() -> None:
    problems = parse_orlib(DATA / "orlib" / "gap1.txt")
    assert len(problems) == 5
    assert [p.name for p in problems] == [f"gap1-{k}" for k in range(1, 6)]
    for p in problems:
        assert (p.m, p.n) == (5, 15)
        assert p.cost.shape == (5, 15) and p.weight.shape == (5, 15)
        assert p.capacity.shape == (5,)
    first = problems[0]
    assert first.cost[0, :3].tolist() == [17, 21, 22]
    assert first.capacity.tolist() == [36, 34, 38, 27, 33]


def test_yagiura_file() -> None:
    p = parse_yagiura(DATA / "yagiura" / "c05100")
    assert (p.m, p.n, p.kind) == (5, 100, "C")
    assert p.cost.shape == (5, 100) and p.weight.shape == (5, 100) and p.capacity.shape == (5,)


def test_selection() -> None:
    assert select(["c05100", "d*100"], large=False) == ["c05100", "d05100", "d10100", "d20100"]
    assert select(["gap2"], large=False) == [f"gap2-{k}" for k in range(1, 6)]
    assert "e801600" in select(["c05100"], large=True)


def test_problem_is_consistent() -> None:
    inst = parse_orlib(DATA / "orlib" / "gap1.txt")[0]
    problem, big = build_problem(inst, "min")
    m, n = inst.m, inst.n
    assert (problem.n_needs, problem.n_providers, problem.n_arcs) == (n, m, m * n)
    assert problem.need_arc_start.tolist() == list(range(0, m * n + 1, m))
    assert np.all(np.diff(problem.arc_need) >= 0)  # grouped by need
    counts = np.diff(problem.need_arc_start)
    assert np.array_equal(problem.arc_need, np.repeat(np.arange(n), counts))  # CSR matches
    for job in range(n):
        arcs = list(problem.arcs_of(job))
        assert problem.arc_need[arcs].tolist() == [job] * m
        assert sorted(problem.arc_provider[arcs].tolist()) == list(range(m))  # one arc per pair
    a = problem.arc_provider
    j = problem.arc_need
    assert len(set(zip(j.tolist(), a.tolist(), strict=True))) == m * n
    assert np.array_equal(problem.arc_hours, inst.weight[a, j].astype(float))
    assert np.array_equal(problem.arc_value, big - inst.cost[a, j].astype(float))
    assert np.all(problem.arc_value > 0)
    assert np.array_equal(problem.provider_capacity, inst.capacity.astype(float))
    assert len(problem.need_pool_start) == n + 1 and len(problem.need_pool) == 0
    assert problem.arc_need.dtype == np.int64 and problem.arc_value.dtype == np.float64
    # max sense: value M + c
    problem_max, big_max = build_problem(inst, "max")
    assert np.array_equal(problem_max.arc_value, big_max + inst.cost[a, j].astype(float))


def test_big_m_beats_any_saving() -> None:
    inst = toy([[5, 1, 9], [2, 8, 3]])
    senses: tuple[Sense, ...] = ("min", "max")
    for sense in senses:
        big = big_m(inst, sense)
        d = inst.cost if sense == "min" else -inst.cost
        # the best plan with one job fewer is worth less than the worst full plan
        assert big - d.max() > (d.max(axis=0) - d.min(axis=0)).sum()


def test_gap1_1_min_solved_by_auto() -> None:
    inst = parse_orlib(DATA / "orlib" / "gap1.txt")[0]
    best = read_best_known(DATA / "best_known.csv")[("gap1-1", "min")]
    assert best == 261
    problem, _ = build_problem(inst, "min")
    result = get_solver("auto").solve(problem, SolveParams(time_limit=3.0, seed=0, workers=2))
    check = check_assignment(inst, result.solution.need_provider)
    assert check.unassigned == 0
    assert check.cap_violation == 0
    assert check.cost >= best  # 261 is proven optimal
    assert check.cost == best  # reached in every run we made (3 s)


@pytest.mark.parametrize("sense", ["min", "max"])
def test_toy_instance_reaches_optimum(sense: Sense) -> None:
    # Agent 1 serves exactly one job. Min: job 0 to agent 1, 3 + 1 + 2 = 6 (else 18 or 19).
    # Max: job 2 to agent 1, 9 + 9 + 1 = 19 (else 18 or 6).
    inst = toy([[9, 1, 2], [3, 7, 9]])
    optimum = brute_force(inst, sense)
    assert optimum == (6 if sense == "min" else 19)
    problem, _ = build_problem(inst, sense)
    result = get_solver("auto").solve(problem, SolveParams(time_limit=0.5, seed=0, workers=2))
    check = check_assignment(inst, result.solution.need_provider)
    assert (check.unassigned, check.cap_violation) == (0, 0)
    assert check.cost == optimum
