"""One flat row per run of a sweep: who ran what, the evaluator's figures, or the error.

Columns: the identity and headline columns of :data:`IDENTITY` first, then every KPI
(``kpi.<name>``; nested figures joined with dots, lists joined with ``;``), the policy figures
(``policy.<figure>``, ``policy.<figure>.target``, ``policy.<figure>.met``), the duplicate-aid
report's totals (``dup.<key>``) and the blind-spot report's totals (``blind.<key>``) in sorted
order, then ``error`` last (empty when the run finished). Counts by unmet reason and by why a
village is short of cadres are written for every reason, zeros included, so that rows of
different scenarios share their columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from matcher.plan import UNMET_REASONS, Plan
from matcher.reports.blind_spots import SHORT_REASONS
from matcher.sweep.tasks import GeneratorSpec, Task

IDENTITY: tuple[str, ...] = (
    "scenario",
    "policy",
    "solver",
    "seed",
    "time_limit",
    "threads",
    "villages",
    "needs",
    "status",
    "objective",
    "bound",
    "gap",
    "seconds",
    "solve_seconds",
    "warnings",
)
ERROR = "error"
# The plan's JSON text travels back from a worker under this key when plans are asked for;
# the sweep writes it to a file and never into the table.
PLAN_FIELD = "_plan"
_MESSAGE_CHARS = 1000


def column_order(columns: Iterable[str]) -> list[str]:
    """Identity columns in their order, the others sorted, ``error`` last."""
    present = set(columns)
    rest = sorted(present - set(IDENTITY) - {ERROR})
    return [c for c in IDENTITY if c in present] + rest + ([ERROR] if ERROR in present else [])


def flatten(prefix: str, value: Any, into: dict[str, Any]) -> None:
    """Numbers, strings and lists of scalars under ``prefix``; dicts recursively with dots."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            flatten(f"{prefix}.{key}", inner, into)
    elif isinstance(value, bool):
        into[prefix] = int(value)
    elif isinstance(value, int | float | str) or value is None:
        into[prefix] = value
    elif isinstance(value, list | tuple) and all(isinstance(v, int | float | str) for v in value):
        into[prefix] = ";".join(str(v) for v in value)
    # lists of records (none among today's KPIs and totals) are left out


def _base(task: Task, threads: int, seconds: float) -> dict[str, Any]:
    spec = task.source if isinstance(task.source, GeneratorSpec) else None
    return {
        "scenario": task.scenario,
        "policy": task.policy.name,
        "solver": task.policy.solver,
        "seed": task.seed,
        "time_limit": task.policy.time_limit,
        "threads": threads,
        "villages": spec.villages if spec else None,
        "needs": spec.needs if spec else None,
        "seconds": round(seconds, 3),
    }


def plan_row(
    task: Task, plan: Plan, *, threads: int, seconds: float, warnings: int = 0
) -> dict[str, Any]:
    """The row of a finished run: the evaluator's objective, the solver's bound, every KPI
    and the reports' totals."""
    s = plan.solver
    kpis = dict(plan.kpis)
    reasons = kpis.get("unmet_by_reason") or {}
    kpis["unmet_by_reason"] = {r: reasons.get(r, 0) for r in (*UNMET_REASONS, *sorted(reasons))}
    row = _base(task, threads, seconds)
    row.update(
        villages=kpis.get("villages_total", row["villages"]),
        needs=kpis.get("needs_total", row["needs"]),
        status=s.status,
        objective=s.objective,
        bound=s.bound,
        gap=s.gap,
        solve_seconds=s.seconds,
        warnings=warnings,
    )
    flatten("kpi", kpis, row)
    row.update(policy_columns(kpis.get("policy_figures")))
    reports = plan.reports or {}
    flatten("dup", (reports.get("duplicate_aid") or {}).get("totals", {}), row)
    blind = dict((reports.get("blind_spots") or {}).get("totals", {}))
    why = blind.get("villages_short_by_why") or {}
    blind["villages_short_by_why"] = {w: why.get(w, 0) for w in (*SHORT_REASONS, *sorted(why))}
    flatten("blind", blind, row)
    row[ERROR] = ""
    return row


def policy_columns(figures: Any) -> dict[str, Any]:
    """The policy figures as columns: ``policy.<figure>`` (its value), ``.target`` (empty
    without one) and ``.met`` (1, 0, or empty without a target); none for a plan written
    before them. Added after the ``kpi.*`` columns were a contract: only ever added to."""
    columns: dict[str, Any] = {}
    for figure in figures if isinstance(figures, list) else []:
        if not isinstance(figure, Mapping) or not isinstance(figure.get("key"), str):
            continue
        key = f"policy.{figure['key']}"
        met = figure.get("met")
        columns[key] = figure.get("value")
        columns[f"{key}.target"] = figure.get("target")
        columns[f"{key}.met"] = None if met is None else int(bool(met))
    return columns


def describe_error(error: BaseException) -> str:
    """``ExceptionType: message`` on one line, cut at 1,000 characters."""
    message = " ".join(str(error).split())
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text if len(text) <= _MESSAGE_CHARS else text[: _MESSAGE_CHARS - 1] + "…"


def error_row(
    task: Task, error: BaseException, *, threads: int, seconds: float = 0.0
) -> dict[str, Any]:
    """The row of a run that failed: its identity, status ``error`` and the error."""
    row = _base(task, threads, seconds)
    row.update(status="error", objective=None, bound=None, gap=None, solve_seconds=None)
    row[ERROR] = describe_error(error)
    return row
