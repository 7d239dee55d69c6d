"""Fuzzing the whole path (issue 15): a mutated scenario — as parsed data, as JSON or YAML
bytes, as an edited workbook or CSV folder — is either refused with every error located, or
loads and gets a greedy plan with no violation; never an exception.

Hypothesis draws the base county and a short list of mutations (:mod:`tests.fuzz`), with a
fixed seed (``derandomize``) and no example database, so a run is the same on every machine and
takes well under a minute. A failing example prints as a :class:`~tests.fuzz.Case` that
``benchmarks/fuzz.py --replay`` can run again. Inputs that hit a known, reported bug
(:func:`tests.fuzz.known_bug`; reproductions in ``test_found.py``) are counted as Hypothesis
events, not failures. The long campaign over the same kit is ``benchmarks/fuzz.py``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st

from benchmarks.fuzz import campaign, case_for
from tests.fuzz import (
    CELL_OPS,
    CSV_OPS,
    DOCUMENT_OPS,
    FILE_OPS,
    GENTLE_OPS,
    LEGS,
    TEXT_OPS,
    Case,
    Leg,
    Mutation,
    Unusable,
    base_document,
    known_bug,
    mutate_bytes,
    mutate_document,
    run_case,
    serialize,
)

BASES = st.integers(min_value=0, max_value=6)  # 0: the contract county; 1-6: generated
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def mutations(ops: list[str] | tuple[str, ...], most: int) -> st.SearchStrategy[list[Mutation]]:
    """Lists of up to ``most`` mutations drawn from ``ops``."""
    one = st.builds(
        Mutation,
        op=st.sampled_from(sorted(ops)),
        where=st.integers(min_value=0, max_value=(1 << 20) - 1),
        what=st.integers(min_value=0, max_value=(1 << 20) - 1),
    )
    return st.lists(one, max_size=most)


def drive(case: Case) -> str:
    """Run one case: its outcome, ``"known"`` for a known bug; any other failure raises."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        try:
            outcome = run_case(case, Path(folder))
        except Unusable:
            reject()
        except Exception as error:  # a Finding, or an exception escaping the library
            name = known_bug(error)
            if name is None:
                raise
            event(f"known bug: {name}")
            return "known"
    event(outcome)
    return outcome


@settings(FUZZ, max_examples=150)
@given(base=BASES, edits=mutations(list(DOCUMENT_OPS), 6))
def test_mutated_documents_are_refused_at_a_path_or_solved(
    base: int, edits: list[Mutation]
) -> None:
    drive(Case("document", base, tuple(edits)))


@settings(FUZZ, max_examples=150)
@given(base=BASES, edits=mutations(GENTLE_OPS, 4))
def test_mostly_valid_documents_are_solved_without_a_violation(
    base: int, edits: list[Mutation]
) -> None:
    """Edits that mostly keep a county valid (policy at its bounds, pins, clones, dates, roads,
    starved or flooded resources) so that the solver, evaluator and reports see them."""
    drive(Case("document", base, tuple(edits)))


@settings(FUZZ, max_examples=100)
@given(
    base=BASES,
    edits=mutations(list(DOCUMENT_OPS), 3),
    raw=mutations(list(TEXT_OPS), 3),
    suffix=st.sampled_from([".json", ".yaml"]),
)
def test_mutated_files_are_refused_at_a_path_or_solved(
    base: int, edits: list[Mutation], raw: list[Mutation], suffix: str
) -> None:
    drive(Case("file", base, tuple(edits), tuple(raw), suffix))


@settings(FUZZ, max_examples=25)
@given(base=st.integers(min_value=0, max_value=2), raw=mutations([*CELL_OPS, *FILE_OPS], 4))
def test_mutated_workbooks_are_refused_at_a_cell_or_solved(base: int, raw: list[Mutation]) -> None:
    drive(Case("workbook", base, (), tuple(raw)))


@settings(FUZZ, max_examples=25)
@given(base=st.integers(min_value=0, max_value=2), raw=mutations(CSV_OPS, 4))
def test_mutated_csv_folders_are_refused_at_a_cell_or_solved(
    base: int, raw: list[Mutation]
) -> None:
    drive(Case("csv", base, (), tuple(raw)))


# ----------------------------------------------------------------------------- the kit itself


@pytest.mark.parametrize("leg", LEGS)
@pytest.mark.parametrize("base", [0, 1, 2, 3])
def test_every_base_solves_unmutated_on_every_leg(leg: Leg, base: int, tmp_path: Path) -> None:
    """The drivers are not vacuous: each base, unchanged, loads and solves on every leg."""
    assert run_case(Case(leg, base), tmp_path) == "solved"


@pytest.mark.parametrize("op", sorted(DOCUMENT_OPS))
def test_every_document_operation_changes_a_base(op: str) -> None:
    bases = [base_document(b) for b in (0, 3)]
    changed = [
        mutate_document(b, [Mutation(op, where, what)]) != bases[i]
        for i, b in enumerate((0, 3))
        for where in range(3)
        for what in range(1, 9)
    ]
    assert any(changed)


@pytest.mark.parametrize("op", sorted(TEXT_OPS))
def test_every_text_operation_changes_the_bytes(op: str) -> None:
    data = serialize(base_document(0), ".json")
    changed = [
        mutate_bytes(data, [Mutation(op, where, what)]) != data
        for where in (1, 200, 999)
        for what in range(8)
    ]
    assert any(changed)


def test_cases_are_reproducible_and_round_trip_as_json() -> None:
    case = case_for(7, 123)
    assert case == case_for(7, 123)
    assert Case.from_dict(json.loads(json.dumps(case.to_dict()))) == case
    assert {case_for(0, i).leg for i in range(200)} == set(LEGS)


def test_the_campaign_counts_every_input(tmp_path: Path) -> None:
    figures = campaign(30, 11, 1, tmp_path)
    outcomes = ("refused", "solved", "skipped", "crash", "hang", "violation", "refusal")
    assert sum(figures[o] for o in (*outcomes, "output", "inconsistent")) == 30
    assert figures["refused"] > 0 and figures["solved"] > 0
    assert json.loads((tmp_path / "figures.json").read_text())["inputs"] == 30
