"""What every ``matcher`` command shares: the consoles, the ``--lang`` option, reading
scenarios and plans or exiting with every problem printed, the planner's summary tables and
writing the HTML report.

Every line a person reads comes from the message catalogue (:mod:`matcher.i18n`) in the
chosen language, a scenario's problems too; ids and names are data and pass as they are.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from matcher import IMPORTED_AT
from matcher.evaluate.evaluator import Evaluation, evaluate
from matcher.files import write_text_atomic
from matcher.i18n import Lang, choose_lang, t
from matcher.intake.issues import Issue, ScenarioInvalid
from matcher.intake.loading import LoadedScenario, load_scenario
from matcher.plan import Plan, read_plan
from matcher.problem.index import ScenarioIndex
from matcher.reports.headline import (
    Line,
    duplicate_story,
    other_lines,
    policy_lines,
    solver_lines,
    story_lines,
)
from matcher.scenario import Scenario
from matcher.schedule.official import OfficialDays


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
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="zh or en: the language of what is printed (default: MATCHER_LANG, then the "
        "locale, else Chinese).",
        show_default=False,
    ),
]


def lang_or_exit(asked: str | None) -> Lang:
    """The language of ``--lang`` (zh or en), else :func:`~matcher.i18n.choose_lang`'s; exit 2
    on any other value."""
    if asked is not None and asked not in ("zh", "en"):
        err.print(t("cli.bad_lang", choose_lang(None), value=asked), markup=False, style="red")
        raise typer.Exit(2)
    return choose_lang(asked)


def say(text: str, *, error: bool = False, style: str | None = None) -> None:
    """One line for people, as it is (no markup: names may hold brackets)."""
    console = err if error else out
    console.print(text, markup=False, soft_wrap=True, style=style)


def load_or_exit(path: Path, lang: Lang | None = None) -> LoadedScenario:
    """Load a scenario or print every problem and exit 1 (no traceback)."""
    lang = lang or choose_lang(None)
    try:
        loaded = load_scenario(path)
    except ScenarioInvalid as invalid:
        print_problems(invalid.problems, lang)
        text = t("cli.scenario_invalid", lang, path=path, count=len(invalid.errors))
        say(text, error=True, style="red")
        raise typer.Exit(1) from None
    print_problems(loaded.warnings, lang)
    return loaded


def print_problems(problems: Iterable[Issue], lang: Lang | None = None) -> None:
    """Every problem on stderr, one a line: severity, location, id, message, in ``lang``
    (else :func:`~matcher.i18n.choose_lang`'s; a problem without Chinese words shows its
    English)."""
    lang = lang or choose_lang(None)
    for problem in problems:
        colour = "yellow" if problem.severity == "warning" else "red"
        word = t(f"cli.severity.{problem.severity}", lang)
        line = Text.assemble((word, colour), " ", problem.line(lang))
        err.print(line, soft_wrap=True)


def read_plan_or_exit(path: Path, lang: Lang | None = None) -> Plan:
    """Read a plan file or print why it is unreadable and exit 1."""
    try:
        return read_plan(path)
    except (OSError, ValueError) as error:
        text = t("cli.plan_unreadable", lang or choose_lang(None), path=path, error=error)
        say(text, error=True, style="red")
        raise typer.Exit(1) from None


def _lines_table(title: str, lines: Sequence[Line]) -> Table:
    """Label and value, one line each; a line's note below its value, dimmed."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("figure")
    table.add_column("value", overflow="fold")
    for line in lines:
        value = Text(line.value)
        if line.detail:
            value.append("\n" + line.detail, style="dim")
        table.add_row(line.label, value)
    return table


def policy_table(lines: Sequence[Line], title: str, lang: Lang) -> Table:
    """The policy figures: figure, value, target, met or short (green or red)."""
    table = Table(title=title, title_justify="left")
    table.add_column(t("summary.figure", lang))
    table.add_column(t("summary.value", lang), justify="right")
    table.add_column(t("summary.target", lang), justify="right")
    table.add_column(t("summary.status", lang))
    for line in lines:
        style = "green" if line.met else "red" if line.met is False else ""
        table.add_row(line.label, line.value, line.target, Text(line.status, style=style))
    return table


def summary_tables(
    plan: Plan,
    title: str,
    lang: Lang,
    kpis: Mapping[str, Any] | None = None,
    duplicate_aid: Mapping[str, Any] | None = None,
    *,
    story: bool = True,
) -> list[Table]:
    """The planner's summary, in this order: the policy figures against their targets, the
    solver's section in plain words, the other figures that matter and the duplicate-aid
    story (left out with ``story=False``, when the text report that follows opens with it).
    ``kpis`` and ``duplicate_aid`` default to the plan's own."""
    kpis = plan.kpis if kpis is None else kpis
    report = duplicate_aid if duplicate_aid is not None else plan.reports.get("duplicate_aid")
    tables: list[Table] = []
    figures = policy_lines(kpis, lang)
    if figures:
        tables.append(policy_table(figures, f"{title} · {t('summary.policy_title', lang)}", lang))
    tables.append(_lines_table(t("solver.section", lang), solver_lines(plan.solver, lang)))
    tables.append(_lines_table(t("summary.other_title", lang), other_lines(kpis, lang)))
    if story:
        told = duplicate_story(kpis, report if isinstance(report, Mapping) else {})
        tables.append(_lines_table(t("summary.duplicate_title", lang), story_lines(told, lang)))
    return tables


def print_summary(
    plan: Plan,
    title: str,
    lang: Lang,
    kpis: Mapping[str, Any] | None = None,
    duplicate_aid: Mapping[str, Any] | None = None,
    *,
    story: bool = True,
) -> None:
    """Print :func:`summary_tables`."""
    for table in summary_tables(plan, title, lang, kpis, duplicate_aid, story=story):
        out.print(table)


def write_html(
    path: Path, index: ScenarioIndex, plan: Plan, evaluation: Evaluation, lang: Lang
) -> None:
    """Write the plan's HTML report in ``lang``, or say why not and exit 1."""
    from matcher.reports.html import render_html

    try:
        write_text_atomic(path, render_html(index, plan, evaluation, lang=lang))
    except OSError as error:
        say(t("cli.html_unwritable", lang, path=path, error=error), error=True, style="red")
        raise typer.Exit(1) from None
    say(t("cli.html_written", lang, path=path))


def evaluate_files(
    scenario: Path,
    plan_path: Path,
    lang: Lang | None = None,
    prepare: Callable[[Scenario], Scenario] | None = None,
) -> tuple[ScenarioIndex, Plan, Evaluation]:
    """Read a scenario and a plan (or exit 1 saying why) and evaluate the plan; ``prepare``
    changes the scenario first as the solve did (``--calendar cn``)."""
    loaded = load_or_exit(scenario, lang)
    plan = read_plan_or_exit(plan_path, lang)
    county = loaded.scenario if prepare is None else prepare(loaded.scenario)
    index = ScenarioIndex.build(county)
    return index, plan, evaluate(index, plan)


def say_official_days(found: OfficialDays, lang: Lang) -> None:
    """``--calendar cn``: how many official days were added, on stderr, with a warning for
    years whose make-up working days are not known yet (they must be typed)."""
    holidays, workdays = len(found.holidays), len(found.workdays)
    say(t("cli.calendar_filled", lang, holidays=holidays, workdays=workdays), error=True)
    if found.missing_years:
        years = ", ".join(str(y) for y in found.missing_years)
        say(t("cli.calendar_missing_years", lang, years=years), error=True, style="yellow")
