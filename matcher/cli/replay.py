"""The service loop on the command line (DESIGN §10): ``matcher replay`` runs operating policies
through simulated months (:mod:`matcher.replay`), ``matcher service-kpis`` reads a register
file's service KPIs. Registered on the main ``matcher`` app by :mod:`matcher.cli.main`."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from matcher.cli.common import LangOption, err, lang_or_exit, out, say
from matcher.files import write_text_atomic
from matcher.i18n import Lang, label, t
from matcher.register.kpis import ServiceFigures, ServiceKpis

CSV_KEYS = ("county", "villages", "needs", "seed", "policy")


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def figure_lines(figures: ServiceFigures, lang: Lang) -> list[tuple[str, str]]:
    """One group's service KPIs as (label, value) lines."""
    return [
        (t("service.received", lang), f"{figures.received:,}"),
        (t("service.responded", lang), f"{figures.responded:,}"),
        (
            t("service.on_time_share", lang),
            f"{_percent(figures.on_time_share)} ({figures.on_time}/{figures.known})",
        ),
        (t("service.response_p50", lang), _number(figures.response_days_p50)),
        (t("service.response_p90", lang), _number(figures.response_days_p90)),
        (t("service.resolved", lang), f"{figures.resolved:,}"),
        (t("service.closed_unresolved", lang), f"{figures.closed_unresolved:,}"),
        (t("service.open_past_due", lang), f"{figures.open_past_due:,}"),
        (t("service.closed_other", lang), f"{figures.closed_other:,}"),
        (t("service.resolution_rate", lang), _percent(figures.resolution_rate)),
        (t("service.satisfaction", lang), _number(figures.satisfaction_mean, 2)),
        (t("service.satisfied_share", lang), _percent(figures.satisfied_share)),
        (t("service.answers", lang), f"{figures.satisfaction_answers:,}"),
    ]


def kpi_tables(kpis: ServiceKpis, lang: Lang) -> list[Table]:
    """The KPIs as tables: all needs with the publishes, then by town and by category."""
    title = t(
        "service.title",
        lang,
        start=kpis.start.isoformat(),
        end=kpis.end.isoformat(),
        days=kpis.response_working_days,
    )
    overall = Table(title=title, show_header=False, title_justify="left")
    overall.add_column("figure")
    overall.add_column("value", justify="right")
    for name, value in figure_lines(kpis.all, lang):
        overall.add_row(name, value)
    overall.add_row(t("service.publishes", lang), f"{kpis.publishes:,}")
    overall.add_row(t("service.changed_per_publish", lang), _number(kpis.changed_per_publish, 2))
    overall.add_row(t("service.changed_share", lang), _percent(kpis.changed_share_per_publish))
    tables = [overall]
    groups: tuple[tuple[str, dict[str, ServiceFigures], Callable[[str], str]], ...] = (
        ("service.by_town", kpis.by_town, lambda k: f"{kpis.town_names.get(k, k)} ({k})"),
        ("service.by_category", kpis.by_category, lambda k: label("category", k, lang)),
    )
    for key, grouped, name_of in groups:
        if not grouped:
            continue
        table = Table(title=t(key, lang), title_justify="left")
        table.add_column(t("service.group", lang))
        columns: list[tuple[str, Callable[[ServiceFigures], str]]] = [
            ("service.received", lambda f: f"{f.received:,}"),
            ("service.on_time_share", lambda f: _percent(f.on_time_share)),
            ("service.response_p90", lambda f: _number(f.response_days_p90)),
            ("service.resolution_rate", lambda f: _percent(f.resolution_rate)),
            ("service.satisfaction", lambda f: _number(f.satisfaction_mean, 2)),
            ("service.satisfied_share", lambda f: _percent(f.satisfied_share)),
        ]
        for column, _ in columns:
            table.add_column(t(column, lang), justify="right")
        for code, figures in grouped.items():
            table.add_row(name_of(code), *(show(figures) for _, show in columns))
        tables.append(table)
    return tables


def kpis_json(kpis: ServiceKpis) -> dict[str, Any]:
    """The KPIs as JSON (dates ISO)."""
    data = dataclasses.asdict(kpis)
    data["start"], data["end"] = kpis.start.isoformat(), kpis.end.isoformat()
    return data


def _date_or_exit(value: str | None, option: str, lang: Lang) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        say(t("service.bad_date", lang, option=option, value=value), error=True, style="red")
        raise typer.Exit(2) from None


def service_kpis_command(
    register_path: Annotated[Path, typer.Argument(help="A register file (baolian-register/1).")],
    start: Annotated[
        str | None,
        typer.Option("--from", help="First day of needs received (default: the horizon's start)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="Last day, as histories stand at its end (default: horizon's)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    lang: LangOption = None,
) -> None:
    """The service KPIs of a register file (DESIGN §10): on-time response, resolution rate,
    satisfaction and changes per publish, over all needs, by town and by category."""
    from matcher.register.files import register_of
    from matcher.register.kpis import service_kpis
    from matcher.schedule.calendar import WorkCalendar

    chosen = lang_or_exit(lang)
    first = _date_or_exit(start, "--from", chosen)
    last = _date_or_exit(end, "--to", chosen)
    try:
        found = register_of(json.loads(register_path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        text = t("service.unreadable", chosen, path=register_path, error=error)
        say(text, error=True, style="red")
        raise typer.Exit(1) from None
    county = found.county
    calendar = WorkCalendar.of(county)
    kpis = service_kpis(
        found.needs,
        found.publishes,
        start=first or calendar.start,
        end=last or calendar.end - dt.timedelta(days=1),
        calendar=calendar,
        policy=county.policy,
        town_of={v.id: v.town for v in county.villages},
        town_names={p.id: p.name for p in county.places if p.name},
    )
    if as_json:
        out.print_json(json.dumps(kpis_json(kpis), ensure_ascii=False))
        return
    for table in kpi_tables(kpis, chosen):
        out.print(table)


def results_table(county: str, rows: Sequence[Mapping[str, Any]], lang: Lang) -> Table:
    """One county's policies side by side (one column each): the service KPIs and the plan
    model's figures."""
    table = Table(title=t("replay.title", lang, county=county), title_justify="left")
    table.add_column(t("replay.policy", lang))
    for row in rows:
        table.add_column(t(f"replay.policy.{row['policy']}", lang), justify="right")
    lines: list[tuple[str, str, Callable[[Any], str]]] = [
        ("service.received", "received", lambda v: f"{v:,}"),
        ("service.on_time_share", "on_time_share", _percent),
        ("service.response_p50", "response_days_p50", _number),
        ("service.response_p90", "response_days_p90", _number),
        ("service.resolution_rate", "resolution_rate", _percent),
        ("service.satisfaction", "satisfaction_mean", lambda v: _number(v, 2)),
        ("service.satisfied_share", "satisfied_share", _percent),
        ("replay.value_served", "value_served", lambda v: _number(v, 0)),
        ("replay.duplicate_aid", "duplicate_aid", lambda v: f"{v:,}"),
        ("replay.travel_hours", "travel_hours", lambda v: _number(v, 0)),
        ("service.publishes", "publishes", lambda v: f"{v:,}"),
        ("service.changed_per_publish", "changed_per_publish", lambda v: _number(v, 2)),
        ("service.changed_share", "changed_share_per_publish", _percent),
        ("replay.seconds", "wall_seconds", _number),
    ]
    for key, field, show in lines:
        table.add_row(t(key, lang), *(show(row[field]) for row in rows))
    return table


def csv_text(rows: Sequence[Mapping[str, Any]]) -> str:
    """The rows as CSV, the county's columns first."""
    fields = list(CSV_KEYS) + [k for k in rows[0] if k not in CSV_KEYS] if rows else []
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def replay_command(
    arrivals_paths: Annotated[
        list[Path], typer.Argument(help="Arrivals files (`matcher generate --arrivals`).")
    ],
    policies: Annotated[
        list[str] | None,
        typer.Option(
            "--policy",
            help="first-come, daily, weekly or siloed; repeat for several (default: all four).",
            show_default=False,
        ),
    ] = None,
    time_limit_per_day: Annotated[
        float, typer.Option(min=0.1, help="Seconds of each daily (or weekly) re-plan.")
    ] = 5.0,
    max_changes: Annotated[
        int | None,
        typer.Option(min=0, help="Most published assignments a re-plan may change (default: any)."),
    ] = None,
    max_changes_share: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Most published assignments a re-plan may change, as a share of the work "
            "published and not yet started (e.g. 0.05; with --max-changes the smaller holds).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the solver and the households' answers.")] = 0,
    workers: Annotated[int, typer.Option(min=1, help="Solver threads.")] = 1,
    out_path: Annotated[Path | None, typer.Option("--out", help="Write the rows as CSV.")] = None,
    register_out: Annotated[
        Path | None,
        typer.Option(help="Folder for each policy's final register file (`matcher service-kpis`)."),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Run operating policies through simulated months of arriving needs and compare them on
    the service KPIs (docs/replay.md): one row per policy and county."""
    from matcher.generator.arrivals import read_arrivals
    from matcher.register.files import dumps, register_json
    from matcher.replay import POLICIES, ReplayOptions, replay
    from matcher.replay.reach import Reach

    chosen = lang_or_exit(lang)
    names = list(policies or POLICIES)
    for name in names:
        if name not in POLICIES:
            text = t("replay.bad_policy", chosen, value=name, choices=", ".join(POLICIES))
            say(text, error=True, style="red")
            raise typer.Exit(2)
    options = ReplayOptions(time_limit_per_day, max_changes, seed, workers, max_changes_share)
    rows: list[dict[str, Any]] = []
    for path in arrivals_paths:
        try:
            arrivals = read_arrivals(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError) as error:
            say(t("replay.unreadable", chosen, path=path, error=error), error=True, style="red")
            raise typer.Exit(1) from None
        county = path.stem

        def progress(policy: str, day: int, days: int, county: str = county) -> None:
            if day < days and not err.is_terminal:
                return
            text = t("replay.progress", chosen, county=county, policy=policy, day=day, days=days)
            err.print(text, markup=False, end="\r" if day < days else "\n")

        reach = Reach.of(arrivals.county)
        mine: list[dict[str, Any]] = []
        for name in names:
            result = replay(arrivals, name, options, reach=reach, on_day=progress)
            head = {
                "county": county,
                "villages": len(arrivals.county.villages),
                "needs": len(arrivals.needs),
                "seed": seed,
                "policy": name,
            }
            mine.append({**head, **result.figures})
            if register_out is not None:
                register_out.mkdir(parents=True, exist_ok=True)
                target = register_out / f"{county}.{name}.register.json"
                register = result.register
                data = register_json(arrivals.county, register.needs(), register.publishes())
                write_text_atomic(target, dumps(data) + "\n")
                say(t("replay.register_written", chosen, policy=name, path=target), error=True)
        out.print(results_table(county, mine, chosen))
        rows.extend(mine)
    if out_path is not None:
        write_text_atomic(out_path, csv_text(rows))
        say(t("replay.written", chosen, path=out_path), error=True)


def register(app: typer.Typer) -> None:
    """Add ``matcher replay`` and ``matcher service-kpis`` to the ``matcher`` app."""
    app.command("replay")(replay_command)
    app.command("service-kpis")(service_kpis_command)
