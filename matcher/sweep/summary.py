"""The summary of a sweep by policy: each policy figure's mean (and spread over the runs), how
many runs met its target, the objective and the seconds, and whether a policy's difference
from the baseline (the first policy) stands out from the spread of repeated seeds.

A sweep of generated counties repeats each policy over several seeds (``seeds=1..20``), so
each figure of each policy is a small sample, and two policies' means can differ by chance.
A difference is said to be *within the spread of repeated seeds* when, pairing the runs of
the two policies on the same scenario, the 95% paired t interval of the differences covers 0
(or, when the runs cannot be paired, when the difference of the means is smaller than the
larger standard deviation of the two). A reader should not take such a difference for an
effect of the policy. Reads the CSV's rows as text (:class:`~matcher.sweep.table.SweepTable`),
so a summary of an old file works too; a column it lacks is left out.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from matcher.sweep.policies import Policy
from matcher.sweep.rows import ERROR

# The figures summarised, in the order a planner reads them: the policy figures, then the
# objective and the seconds of the run.
POLICY_UNITS: dict[str, str] = {
    "households_reached": "share",
    "villages_with_min_cadres": "share",
    "social_share": "share",
    "funds_per_village": "yuan",
    "central_west_money": "share",
    "duplicate_aid_avoided": "count",
    "needs_unmet": "count",
}
# Columns older sweep files hold instead of ``policy.*`` (before the policy figures).
FALLBACK_COLUMNS: dict[str, str] = {
    "policy.households_reached": "kpi.households_reached_share",
    "policy.villages_with_min_cadres": "kpi.villages_with_min_cadres_share",
    "policy.social_share": "kpi.social_share_of_served_hours",
}
CONFIDENCE = 0.95


def _number(text: object) -> float | None:
    try:
        value = float(str(text))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class FigureSummary:
    """One figure of one policy over its finished runs."""

    mean: float | None
    sd: float | None  # sample standard deviation; None with fewer than two runs
    runs: int  # runs with a value
    met: int | None  # runs meeting the target (None when no run says)
    within_spread: bool | None  # vs the baseline; None for the baseline or when not judged


@dataclass(frozen=True)
class PolicySummary:
    """A policy's runs, failures and figures."""

    name: str
    solver: str
    runs: int
    failed: int
    figures: dict[str, FigureSummary] = field(default_factory=dict)

    def within_spread(self) -> list[str]:
        """The columns whose difference from the baseline is within the seeds' spread."""
        return [key for key, f in self.figures.items() if f.within_spread]


def columns() -> list[str]:
    """The columns summarised: ``policy.<figure>`` in order, then objective and seconds."""
    return [*(f"policy.{key}" for key in POLICY_UNITS), "objective", "seconds"]


def unit_of(column: str) -> str:
    """How a column's values read: share, yuan, count, number or seconds."""
    key = column.removeprefix("policy.")
    if key in POLICY_UNITS:
        return POLICY_UNITS[key]
    return "seconds" if column == "seconds" else "number"


def _value(row: Mapping[str, str], column: str) -> float | None:
    found = _number(row.get(column, ""))
    if found is None and column in FALLBACK_COLUMNS:
        found = _number(row.get(FALLBACK_COLUMNS[column], ""))
    return found


def _t_quantile(df: int) -> float:
    """The two-sided 95% quantile of Student's t with ``df`` degrees of freedom."""
    from scipy import stats

    return float(stats.t.ppf(0.5 + CONFIDENCE / 2, df))


def differs_beyond_spread(mine: Mapping[str, float], base: Mapping[str, float]) -> bool | None:
    """Whether a policy's values differ from the baseline's beyond the seeds' spread, from
    values by scenario: True when they do, False when the difference is within the spread,
    None when there is nothing to judge (too few runs, or the same values run for run)."""
    paired = [(mine[s], base[s]) for s in mine if s in base]
    if len(paired) >= 2:
        differences = [a - b for a, b in paired]
        mean = statistics.fmean(differences)
        sd = statistics.stdev(differences)
        if sd == 0:
            return None if mean == 0 else True
        half = _t_quantile(len(differences) - 1) * sd / math.sqrt(len(differences))
        return abs(mean) > half
    if len(mine) >= 2 and len(base) >= 2:
        spread = max(statistics.stdev(mine.values()), statistics.stdev(base.values()))
        return abs(statistics.fmean(mine.values()) - statistics.fmean(base.values())) > spread
    return None


def summarise(rows: Iterable[Mapping[str, str]], policies: list[Policy]) -> list[PolicySummary]:
    """Each policy's runs, failed runs and figures; the first policy is the baseline every
    other is compared with."""
    by_policy: dict[str, list[Mapping[str, str]]] = defaultdict(list)
    for row in rows:
        by_policy[row.get("policy", "")].append(row)
    values: dict[str, dict[str, dict[str, float]]] = {}
    met: dict[str, dict[str, list[bool]]] = {}
    for policy in policies:
        fine = [r for r in by_policy.get(policy.name, []) if not r.get(ERROR)]
        values[policy.name] = {}
        met[policy.name] = {}
        for column in columns():
            found = {r.get("scenario", ""): v for r in fine if (v := _value(r, column)) is not None}
            values[policy.name][column] = found
            marks = [_number(r.get(f"{column}.met", "")) for r in fine]
            met[policy.name][column] = [bool(m) for m in marks if m is not None]
    baseline = policies[0].name if policies else None
    summaries = []
    for policy in policies:
        group = by_policy.get(policy.name, [])
        failed = sum(1 for r in group if r.get(ERROR))
        figures = {}
        for column in columns():
            found = values[policy.name][column]
            if not found:
                continue
            numbers = list(found.values())
            within = None
            if baseline is not None and policy.name != baseline:
                beyond = differs_beyond_spread(found, values[baseline][column])
                within = None if beyond is None else not beyond
            flags = met[policy.name][column]
            figures[column] = FigureSummary(
                mean=statistics.fmean(numbers),
                sd=statistics.stdev(numbers) if len(numbers) >= 2 else None,
                runs=len(numbers),
                met=sum(flags) if flags else None,
                within_spread=within,
            )
        summaries.append(PolicySummary(policy.name, policy.solver, len(group), failed, figures))
    return summaries
