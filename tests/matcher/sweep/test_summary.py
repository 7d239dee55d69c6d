"""The summary by policy printed at the end of a sweep: the policy figures' means, and the
warning when a policy's difference from the baseline is within the spread of repeated seeds."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from matcher.cli.sweep import summary_table
from matcher.i18n import t
from matcher.sweep import Policy
from matcher.sweep.summary import differs_beyond_spread, summarise

SEEDS = range(1, 7)
# The baseline's share of households reached by seed, and two policies: one whose gain (+0.001
# with noise of ±0.02) drowns in the seeds' spread, one whose gain (+0.10) stands out.
BASE = [0.80, 0.84, 0.78, 0.86, 0.82, 0.81]
NOISE = [0.02, -0.02, 0.015, -0.01, -0.015, 0.016]


def _row(policy: str, seed: int, reached: float, **extra: str) -> dict[str, str]:
    return {
        "scenario": f"gen-v10-n60-s{seed}",
        "policy": policy,
        "solver": "greedy",
        "objective": str(1000 + 100 * reached),
        "seconds": "0.5",
        "policy.households_reached": repr(reached),
        "policy.households_reached.met": "1" if reached >= 0.9 else "0",
        "error": "",
        **extra,
    }


def _rows() -> list[dict[str, str]]:
    rows = []
    for seed, base, noise in zip(SEEDS, BASE, NOISE, strict=True):
        rows.append(_row("base", seed, base))
        rows.append(_row("same", seed, base + 0.001 + noise))
        rows.append(_row("better", seed, base + 0.10 + noise / 4))
    rows.append({"scenario": "gen-v10-n60-s9", "policy": "better", "error": "X: boom"})
    return rows


POLICIES = [Policy(name=n, solver="greedy") for n in ("base", "same", "better")]


def test_means_spread_and_runs_meeting_the_target() -> None:
    """Each policy's mean over its finished runs, the standard deviation, the runs that met
    the target, and the failed runs counted apart."""
    base, _, better = summarise(_rows(), POLICIES)
    reached = base.figures["policy.households_reached"]
    assert reached.mean == pytest.approx(sum(BASE) / len(BASE))
    assert reached.runs == 6 and reached.sd is not None and reached.sd > 0.02
    assert reached.met == 0 and reached.within_spread is None  # the baseline
    assert better.runs == 7 and better.failed == 1
    assert better.figures["policy.households_reached"].met == 5  # all but 0.78 + 0.10


def test_a_difference_within_the_seeds_spread_is_flagged() -> None:
    """Paired by seed, 'same' differs from the baseline by noise (the t interval covers 0):
    within the spread; 'better' gains 0.10 every seed: beyond it. The objective follows."""
    _, same, better = summarise(_rows(), POLICIES)
    assert same.figures["policy.households_reached"].within_spread is True
    assert better.figures["policy.households_reached"].within_spread is False
    assert "policy.households_reached" in same.within_spread()
    assert "objective" in same.within_spread() and "objective" not in better.within_spread()


def test_the_spread_test_itself() -> None:
    """Paired: a constant shift is real; the same values run for run leave nothing to warn
    about; unpaired (other scenarios), a difference smaller than the standard deviation is
    within the spread; one run each cannot be judged."""
    base = {"a": 1.0, "b": 2.0, "c": 3.0}
    assert differs_beyond_spread({"a": 1.5, "b": 2.5, "c": 3.5}, base) is True
    assert differs_beyond_spread(dict(base), base) is None
    assert differs_beyond_spread({"a": 1.2, "b": 1.8, "c": 3.1}, base) is False
    assert differs_beyond_spread({"x": 1.1, "y": 2.1, "z": 3.1}, base) is False
    assert differs_beyond_spread({"x": 9.0, "y": 9.1}, base) is True
    assert differs_beyond_spread({"a": 5.0}, {"a": 1.0}) is None


def test_an_old_sweep_file_is_summarised_from_its_kpi_columns() -> None:
    """A CSV written before the policy columns: households reached from
    kpi.households_reached_share."""
    rows = [
        {"scenario": "s", "policy": "base", "objective": "1", "error": "",
         "kpi.households_reached_share": "0.75"}
    ]  # fmt: skip
    (base,) = summarise(rows, POLICIES[:1])
    assert base.figures["policy.households_reached"].mean == 0.75


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_table_shows_the_figures_by_policy_and_warns(lang: str) -> None:
    """The printed table has a column per policy and a row per figure (households reached as
    a percentage, with the runs that met the target), ≈ on 'same', and the warning names
    'same' and the baseline, in the language asked."""
    table, warnings = summary_table(_rows(), POLICIES, lang)  # type: ignore[arg-type]
    console = Console(file=io.StringIO(), width=200, highlight=False)
    console.print(table)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert [c.header for c in table.columns] == [t("summary.figure", lang), "base", "same",
                                                   "better"]  # fmt: skip
    reached = next(
        line for line in text.splitlines() if t("policy.households_reached", lang) in line
    )
    assert "81.8%" in reached and t("sweep.met_runs", lang, met=0, runs=6) in reached
    cells = [c.strip() for c in reached.split("│")[1:-1]]
    assert cells[2].endswith("≈") and not cells[3].endswith("≈") and not cells[1].endswith("≈")
    assert warnings[0] == t("sweep.within_note", lang, baseline="base")  # type: ignore[arg-type]
    assert len(warnings) == 2 and warnings[1].startswith("same")
    assert t("policy.households_reached", lang) in warnings[1]  # type: ignore[arg-type]
