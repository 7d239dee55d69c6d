"""The ``matcher`` command line (DESIGN §7): the Typer app and the order of its commands.

The commands live beside this module (:mod:`matcher.cli.solve`, :mod:`matcher.cli.data`,
:mod:`matcher.cli.sweep`, :mod:`matcher.cli.province`); this package is the only part of
``matcher`` that prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from matcher.cli import data, province, replay, solve, sweep
from matcher.cli.common import err
from matcher.files import write_text_atomic

app = typer.Typer(
    help="Baolian Matcher: match cadres, organisations and budget pools to villages and needs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def generate(
    villages: Annotated[int, typer.Option(min=1, help="Villages in the county.")] = 30,
    needs: Annotated[int, typer.Option(min=0, help="Open needs.")] = 600,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    name: Annotated[str | None, typer.Option(help="The scenario's name.")] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.")
    ] = None,
    schedule: Annotated[
        bool,
        typer.Option(
            help="Plans with days (DESIGN §9): schedule on, needs submitted over the 3 weeks "
            "before and inside the horizon, some providers' days off, official holidays. "
            "With --arrivals the county always has its days; this turns policy.schedule on."
        ),
    ] = False,
    arrivals: Annotated[
        bool,
        typer.Option(
            "--arrivals",
            help="A month of arriving needs for `matcher replay` (docs/replay.md): each need "
            "arrives on a working day of the horizon, with a hidden fate.",
        ),
    ] = False,
    terrain: Annotated[
        str,
        typer.Option(
            help="The county's shape (scenarios/README.md): hills (the calibrated default: "
            "towns around the seat on mixed roads), valley (villages strung along long "
            "mountain valleys on slow roads, skills scarce in some towns, narrow pools, hours "
            "that bind hard, a few towns no road reaches), plain (a compact flat county on a "
            "dense grid of fast roads) or money (the hills, but pools about a third of what "
            "the needs cost).",
        ),
    ] = "hills",
) -> None:
    """Generate a realistic county scenario (towns, roads, cadres, pools, needs, ledgers)."""
    from matcher.generator import generate_scenario
    from matcher.generator.arrivals import generate_arrivals
    from matcher.generator.calibration import TERRAINS

    if terrain not in TERRAINS:
        raise typer.BadParameter(f"must be one of {', '.join(TERRAINS)}", param_hint="--terrain")
    if arrivals:
        data = generate_arrivals(
            villages=villages, needs=needs, seed=seed, name=name, schedule=schedule, terrain=terrain
        )
    else:
        data = generate_scenario(
            villages=villages, needs=needs, seed=seed, name=name, schedule=schedule, terrain=terrain
        )
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if out_path is None:
        typer.echo(text)
    else:
        write_text_atomic(out_path, text + "\n")
        err.print(f"{'arrivals' if arrivals else 'scenario'} written to {out_path}")


def _log_to_stderr(level: str) -> None:
    """The service's own messages (``matcher.*``: stale jobs re-queued after a crash, say) go
    to standard error at ``level``; uvicorn configures only its own loggers, and the root
    logger's last-resort handler would show warnings alone."""
    import logging

    logger = logging.getLogger("matcher")
    if logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[
        int | None, typer.Option(help="Solves at a time (default: MATCHER_WORKERS or 1).")
    ] = None,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error.")] = "info",
) -> None:
    """The HTTP API (DESIGN §7). Settings come from MATCHER_* environment variables."""
    import uvicorn
    from pydantic import ValidationError

    from api.app import create_app
    from api.keys import KeyConfigError
    from api.settings import Settings

    try:
        settings = Settings() if workers is None else Settings(workers=workers)
        application = create_app(settings)
    except ValidationError as invalid:
        for error in invalid.errors():
            field = "MATCHER_" + "_".join(str(p) for p in error["loc"]).upper()
            err.print(f"[red]{field}: {error['msg']}[/red]")
        raise typer.Exit(2) from None
    except KeyConfigError as bad:
        err.print(f"[red]{bad}[/red]")
        raise typer.Exit(2) from None
    _log_to_stderr(log_level)
    uvicorn.run(
        application,
        host=host,
        port=port,
        log_level=log_level,
        timeout_graceful_shutdown=5,
        proxy_headers=False,
    )


app.command()(solve.validate)
app.command()(solve.solve)
app.command()(solve.check)
app.command()(solve.report)
app.command()(solve.compare)
app.command()(generate)
data.register(app)
sweep.register(app)
province.register(app)
replay.register(app)
app.command()(serve)
app.command("diff")(solve.diff_plans)


def main() -> None:
    """Entry point for ``python -m matcher``."""
    app()
