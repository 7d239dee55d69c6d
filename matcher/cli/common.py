"""What every ``matcher`` command shares: the consoles, reading scenarios and plans or exiting
with every problem printed, the planner's summary table and writing the HTML report."""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from matcher import IMPORTED_AT
from matcher.evaluate.evaluator import Evaluation, evaluate
from matcher.files import write_text_atomic
from matcher.intake.issues import ScenarioInvalid
from matcher.intake.loading import LoadedScenario, load_scenario
from matcher.plan import Plan, read_plan
from matcher.problem.index import ScenarioIndex


def command_started() -> float:
    """When this command began, for its ``--time-limit`` (DESIGN §7: the limit bounds the
    whole command): the package's import in a process started as ``matcher`` or
    ``python -m matcher``, so that loading the libraries counts; now, for a command invoked
    inside another program (tests, notebooks), whose imports happened long before."""
    program = Path(sys.argv[0]).name if sys.argv else ""
    if program in ("matcher", "__main__.py"):
        return IMPORTED_AT
    return time.monotonic()


out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

ScenarioArg = Annotated[Path, typer.Argument(help="Scenario file (JSON or YAML).")]
PlanArg = Annotated[Path, typer.Argument(help="Plan file (JSON).")]


def load_or_exit(path: Path) -> LoadedScenario:
    """Load a scenario or print every problem and exit 1 (no traceback)."""
    try:
        loaded = load_scenario(path)
    except ScenarioInvalid as invalid:
        print_problems(invalid.problems)
        err.print(f"[red]{path}: {len(invalid.errors)} problem(s); nothing was solved.[/red]")
        raise typer.Exit(1) from None
    print_problems(loaded.warnings)
    return loaded


def print_problems(problems: Any) -> None:
    """Every problem on stderr, one a line: severity, location, id, message."""
    for problem in problems:
        colour = "yellow" if problem.severity == "warning" else "red"
        err.print(f"[{colour}]{problem.severity}[/{colour}] {problem}", soft_wrap=True)


def read_plan_or_exit(path: Path) -> Plan:
    """Read a plan file or print why it is unreadable and exit 1."""
    try:
        return read_plan(path)
    except (OSError, ValueError) as error:
        err.print(f"[red]{path}: not a readable plan file: {error}[/red]")
        raise typer.Exit(1) from None


def fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "-" if value is None else str(value)


# (KPI key, label, is a share) in the order a planner reads them.
SUMMARY_ROWS: tuple[tuple[str, str, bool], ...] = (
    ("objective", "objective", False),
    ("needs_served", "needs served", False),
    ("needs_total", "needs total", False),
    ("needs_served_share", "needs served share", True),
    ("value_served_share", "value served / servable", True),
    ("households_reached_share", "households reached", True),
    ("villages_with_min_cadres_share", "villages with min cadres", True),
    ("unreachable_villages", "unreachable villages", False),
    ("social_share_of_served_hours", "social share of service hours", True),
    ("travel_hours", "service travel hours", False),
    ("funding_used", "funding used (yuan)", False),
    ("village_funding_gini", "village funding Gini", False),
    ("min_village_value_share", "min village value share", True),
    ("needs_held_back_by_recent_aid", "needs held back by recent aid", False),
    ("duplicates_in_plan", "duplicates in plan", False),
    ("duplicate_service_yuan", "duplicate aid spent (yuan)", False),
    ("violations", "rule violations", False),
)


def kpi_cell(kpis: Mapping[str, Any], key: str, share: bool) -> str:
    value = kpis.get(key)
    if share and isinstance(value, float):
        return f"{100 * value:.1f}%"
    return fmt(value)


def summary_table(plan: Plan, title: str) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    s = plan.solver
    table.add_row("solver / status", f"{s.name} / {s.status}")
    table.add_row("bound / gap", f"{fmt(s.bound)} / {fmt(s.gap)}")
    table.add_row("seconds", fmt(s.seconds))
    reason = (s.stats or {}).get("reason")
    if reason:
        table.add_row("solver note", str(reason))
    for key, label, share in SUMMARY_ROWS:
        table.add_row(label, kpi_cell(plan.kpis, key, share))
    reasons = plan.kpis.get("unmet_by_reason", {})
    if reasons:
        table.add_row("unmet by reason", ", ".join(f"{k} {v}" for k, v in reasons.items()))
    return table


def write_html(path: Path, index: ScenarioIndex, plan: Plan, evaluation: Evaluation) -> None:
    from matcher.reports.html import render_html

    try:
        write_text_atomic(path, render_html(index, plan, evaluation))
    except OSError as error:
        err.print(
            f"{path}: cannot write the HTML report: {error}",
            style="red",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    out.print(f"HTML report written to {path}", markup=False, soft_wrap=True)


def _evaluate_files(scenario: Path, plan_path: Path) -> tuple[ScenarioIndex, Plan, Evaluation]:
    loaded = load_or_exit(scenario)
    plan = read_plan_or_exit(plan_path)
    index = ScenarioIndex.build(loaded.scenario)
    return index, plan, evaluate(index, plan)


def evaluate_files(scenario: Path, plan_path: Path) -> tuple[ScenarioIndex, Plan, Evaluation]:
    loaded = load_or_exit(scenario)
    plan = read_plan_or_exit(plan_path)
    index = ScenarioIndex.build(loaded.scenario)
    return index, plan, evaluate(index, plan)
