"""The typed shapes (matcher.reports.shapes, diff_shapes, evaluate.kpis.Kpis) describe the
reports, fixes, KPIs and diffs exactly as they are built: every key named, every required key
present, every value of its type. mypy checks the code that builds them; this checks the data,
which is also what the API documents as its response schemas."""

from __future__ import annotations

import types
from typing import (
    Any,
    Literal,
    NotRequired,
    Required,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

import pytest
from typing_extensions import is_typeddict

from matcher.evaluate.kpis import Kpis
from matcher.plan import Plan
from matcher.reports.diff import plan_diff
from matcher.reports.diff_shapes import PlanDiff
from matcher.reports.shapes import BlindSpotsReport, DuplicateAidReport
from matcher.run import FixOptions, RunResult, solve_scenario
from matcher.scenario import Scenario

from ...conftest import contract_dict


def _mismatch(value: Any, shape: Any, path: str) -> str | None:
    """Where ``value`` leaves ``shape``, or None when it fits."""
    origin = get_origin(shape)
    if shape is Any:
        return None
    if is_typeddict(shape) or (origin is not None and is_typeddict(origin)):
        return _typed_dict_mismatch(value, shape, path)
    if origin in (Union, types.UnionType):
        found = [_mismatch(value, arm, path) for arm in get_args(shape)]
        return None if None in found else " / ".join(str(f) for f in found)
    if origin is Literal:
        return None if value in get_args(shape) else f"{path}: {value!r} not in {shape}"
    if origin is list:
        if not isinstance(value, list):
            return f"{path}: not a list"
        return next(
            (
                m
                for i, v in enumerate(value)
                if (m := _mismatch(v, get_args(shape)[0], f"{path}[{i}]"))
            ),
            None,
        )
    if origin is dict:
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            return f"{path}: not an object"
        return next(
            (m for k, v in value.items() if (m := _mismatch(v, get_args(shape)[1], f"{path}.{k}"))),
            None,
        )
    kinds = {
        float: (int, float),
        int: (int,),
        str: (str,),
        bool: (bool,),
        type(None): (type(None),),
    }
    if isinstance(value, bool) and shape in (int, float):
        return f"{path}: a bool, not {shape.__name__}"
    return None if isinstance(value, kinds[shape]) else f"{path}: {value!r} is not {shape}"


def _typed_dict_mismatch(value: Any, shape: Any, path: str) -> str | None:
    if not isinstance(value, dict):
        return f"{path}: not an object"
    cls = get_origin(shape) or shape
    hints = get_type_hints(cls)
    # Not cls.__required_keys__: under postponed annotations it misses NotRequired[...].
    marked = {k: get_origin(h) for k, h in get_type_hints(cls, include_extras=True).items()}
    required = {
        k for k, m in marked.items() if m is Required or (cls.__total__ and m is not NotRequired)
    }
    params: tuple[TypeVar, ...] = getattr(cls, "__parameters__", ())
    if params:  # a generic shape such as Capped[GainedNeed]
        bound = dict(zip(params, get_args(shape), strict=True))
        hints = {
            k: bound.get(h, h) if isinstance(h, TypeVar) else _bind(h, bound)
            for k, h in hints.items()
        }
    unnamed = set(value) - set(hints)
    missing = required - set(value)
    if unnamed or missing:
        return f"{path}: keys not named {sorted(unnamed)}, required keys missing {sorted(missing)}"
    return next((m for k, v in value.items() if (m := _mismatch(v, hints[k], f"{path}.{k}"))), None)


def _bind(hint: Any, bound: dict[TypeVar, Any]) -> Any:
    free = getattr(hint, "__parameters__", ())
    return hint[tuple(bound[p] for p in free)] if free else hint


def fits(value: Any, shape: Any) -> None:
    mismatch = _mismatch(value, shape, "$")
    assert mismatch is None, mismatch


@pytest.fixture(scope="module")
def run() -> RunResult:
    """The contract county, greedy, with ranked fixes and the top ones confirmed."""
    scenario = Scenario.model_validate(contract_dict())
    fixes = FixOptions(rank=True, confirm=3, confirm_seconds=5)
    return solve_scenario(scenario, solver="greedy", time_limit=10, fixes=fixes)


def test_the_reports_have_their_shapes(run: RunResult) -> None:
    reports = run.plan.reports
    fits(reports["duplicate_aid"], DuplicateAidReport)
    fits(reports["blind_spots"], BlindSpotsReport)
    blind = reports["blind_spots"]
    assert "fix_pricing" in blind and any(g.get("fixes") for g in blind["unmet_groups"])
    confirmed = [f["confirmed"] for g in blind["unmet_groups"] for f in g.get("fixes", [])]
    assert any(c is not None for c in confirmed), "a confirmed fix is checked too"


def test_the_kpis_have_their_shape(run: RunResult) -> None:
    fits(run.plan.kpis, Kpis)
    assert "violations" in run.plan.kpis


def test_a_diff_has_its_shape_with_and_without_the_scenario(run: RunResult) -> None:
    other = Plan.model_validate(
        run.plan.model_dump() | {"assignments": run.plan.model_dump()["assignments"][1:]}
    )
    fits(plan_diff(run.plan, other, run.index), PlanDiff)
    fits(plan_diff(other, run.plan), PlanDiff)


def test_the_checker_finds_what_it_is_for(run: RunResult) -> None:
    blind = dict(run.plan.reports["blind_spots"])
    assert _mismatch(blind | {"new_key": 1}, BlindSpotsReport, "$") is not None
    assert _mismatch({k: v for k, v in blind.items() if k != "totals"}, BlindSpotsReport, "$")
    assert _mismatch(blind | {"min_cadres_per_village": "2"}, BlindSpotsReport, "$")
