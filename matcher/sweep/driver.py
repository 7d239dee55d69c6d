"""A sweep: every task whose row the table lacks, run on an executor, each row written as it
arrives (and the plan, when asked). Resumable: a re-run skips the rows already in the table;
failed rows are retried unless told otherwise."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from matcher.files import write_text_atomic
from matcher.sweep.dask_settings import local_cluster
from matcher.sweep.executors import (
    check_cores,
    default_workers,
    run_dask,
    run_local,
    run_serial,
)
from matcher.sweep.rows import ERROR, PLAN_FIELD
from matcher.sweep.table import SweepTable
from matcher.sweep.tasks import Task

Executor = Literal["local", "dask", "serial"]


@dataclass(frozen=True)
class SweepSummary:
    """What a run of a sweep did."""

    tasks: int  # in the sweep
    skipped: int  # rows already in the table
    ran: int  # rows written this time
    errors: int  # of those, failed runs
    seconds: float


def plan_file(folder: Path, key: tuple[str, str]) -> Path:
    """Where the plan of (scenario, policy) is written: ``{scenario}__{policy}.json``."""
    return folder / f"{key[0]}__{key[1]}.json"


class Sweep:
    """Tasks against a table file: what is done, what is left, and running what is left."""

    def __init__(self, tasks: Sequence[Task], out: Path, *, retry_failed: bool = True) -> None:
        self.tasks = list(tasks)
        self.table = SweepTable(out)
        wanted = {t.key for t in self.tasks}
        failed = self.table.keys(failed=True) & wanted
        if retry_failed:
            self.table.drop(failed)
            done = self.table.keys(failed=False)
        else:
            done = self.table.keys(failed=False) | failed
        self.pending = [t for t in self.tasks if t.key not in done]
        self.skipped = len(self.tasks) - len(self.pending)

    def run(
        self,
        executor: Executor = "local",
        *,
        address: str | None = None,
        workers: int | None = None,
        threads: int = 1,
        plans: Path | None = None,
        oversubscribe: bool = False,
        on_row: Callable[[dict[str, Any]], None] | None = None,
        connect_timeout: float = 30.0,
    ) -> SweepSummary:
        """Run the pending tasks; each row is in the table before ``on_row`` sees it.

        ``local``: a process pool (``workers`` defaults to cores ÷ threads); ``dask``: the
        scheduler at ``address`` (``OSError`` when it does not answer within
        ``connect_timeout`` seconds), or without an address a Dask ``LocalCluster`` here of
        ``workers`` processes with the sweep settings of :mod:`matcher.sweep.dask_settings`;
        ``serial``: this process, one task after the other."""
        started = time.monotonic()
        ran = errors = 0
        if plans is not None:
            plans.mkdir(parents=True, exist_ok=True)

        def arrived(row: dict[str, Any]) -> None:
            nonlocal ran, errors
            plan_text = row.pop(PLAN_FIELD, None)
            if plans is not None and plan_text is not None:
                write_text_atomic(plan_file(plans, SweepTable.key_of(row)), plan_text + "\n")
            self.table.append(row)
            ran += 1
            errors += bool(row.get(ERROR))
            if on_row is not None:
                on_row(row)

        keep = plans is not None
        if executor == "dask" and address:
            run_dask(self.pending, address, threads, arrived, keep, connect_timeout)
        elif executor == "dask":
            count = workers if workers is not None else default_workers(threads)
            check_cores(count, threads, oversubscribe)
            if self.pending:
                with local_cluster(count, threads) as here:
                    run_dask(self.pending, here, threads, arrived, keep, connect_timeout)
        elif executor == "local":
            count = workers if workers is not None else default_workers(threads)
            run_local(self.pending, count, threads, arrived, keep, oversubscribe)
        elif executor == "serial":
            run_serial(self.pending, threads, arrived, keep)
        else:
            raise ValueError(f"unknown executor {executor!r}; use local, dask or serial")
        return SweepSummary(len(self.tasks), self.skipped, ran, errors, time.monotonic() - started)

    def rows(self) -> list[dict[str, str]]:
        """The table's rows of this sweep's tasks (done now or before), in task order."""
        by_key = {SweepTable.key_of(r): r for r in self.table.rows}
        return [by_key[t.key] for t in self.tasks if t.key in by_key]
