"""Sweeps end to end: the local process pool, resuming, failed runs, and a Dask cluster that
gives the same rows as the local executor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.sweep import GeneratorSpec, Sweep, make_tasks
from matcher.sweep.dask_settings import CONFIG_DIR, local_cluster, sweep_worker_settings
from matcher.sweep.executors import check_cores

from .conftest import TINY, assert_same_rows, greedy_policies, read_rows, tiny_specs

runner = CliRunner()


def test_cli_sweep_local_writes_the_csv_and_resumes(tmp_path: Path) -> None:
    """matcher sweep on 2 processes writes one row per scenario × policy and the plans; run
    again, it runs nothing; a deleted row is run again, and only that one."""
    policies = tmp_path / "policies.yaml"
    policies.write_text(
        "greedy: {solver: greedy}\nhours+10: {solver: greedy, scale: {cadre_hours: 1.1}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    args = [
        "sweep",
        "--generate",
        "villages=10,needs=60,seeds=1..2",
        "--policies",
        str(policies),
        "--out",
        str(out),
        "--workers",
        "2",
        "--time-limit",
        "2",
        "--quiet",
        "--lang",
        "en",
    ]
    first = runner.invoke(app, [*args, "--plans", str(tmp_path / "plans")])
    assert first.exit_code == 0, first.output
    rows = read_rows(out)
    assert sorted((r["scenario"], r["policy"]) for r in rows) == [
        ("gen-v10-n60-s1", "greedy"),
        ("gen-v10-n60-s1", "hours+10"),
        ("gen-v10-n60-s2", "greedy"),
        ("gen-v10-n60-s2", "hours+10"),
    ]
    assert all(r["error"] == "" and float(r["objective"]) > 0 for r in rows)
    assert len(list((tmp_path / "plans").glob("*__*.json"))) == 4
    assert "4 run(s)" in first.output and "0 failed" in first.output

    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "0 run(s)" in again.output and "4 skipped" in again.output
    assert read_rows(out) == rows

    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8")  # delete the second row
    third = runner.invoke(app, args)
    assert third.exit_code == 0, third.output
    assert "1 run(s)" in third.output and "3 skipped" in third.output
    assert_same_rows(read_rows(out), rows)


def test_cli_usage_errors(tmp_path: Path) -> None:
    """A wrong --generate names the part; no scenario at all, or a LocalCluster of more
    workers than the cores, is a usage error (exit 2), and nothing runs."""
    bad = runner.invoke(app, ["sweep", "--generate", "villages=10,needs=x"])
    assert bad.exit_code == 2 and "needs must be a whole number" in bad.output
    assert runner.invoke(app, ["sweep"]).exit_code == 2
    dask = runner.invoke(
        app, ["sweep", "--generate", "villages=3", "--executor", "dask", "--workers", "1000"]
    )
    assert dask.exit_code == 2 and "more than the" in dask.output


def test_workers_times_threads_within_the_cores() -> None:
    """More solver threads than cores is refused unless asked for."""
    with pytest.raises(ValueError, match="more than the"):
        check_cores(workers=1000, threads=2)
    check_cores(workers=1000, threads=2, oversubscribe=True)


def test_failed_runs_are_rows_and_are_retried(tmp_path: Path, broken_file: Path) -> None:
    """A broken file and a spec the generator refuses give error rows while the others
    succeed; a re-run retries the failed ones only (or none with retry_failed=False)."""
    specs = [*tiny_specs(1), GeneratorSpec(villages=2, needs=5, towns=9)]
    tasks = make_tasks([broken_file], specs, greedy_policies()[:1])
    out = tmp_path / "out.csv"
    summary = Sweep(tasks, out).run("local", workers=2)
    assert (summary.ran, summary.errors) == (3, 2)
    errors = {r["scenario"]: r["error"] for r in read_rows(out)}
    assert errors["gen-v10-n60-s1"] == ""
    assert errors["broken"].startswith("ScenarioInvalid: ")
    assert errors["gen-v2-n5-s0-t9"].startswith("ValueError: towns must be")

    assert len(Sweep(tasks, out, retry_failed=False).pending) == 0
    again = Sweep(tasks, out)
    assert sorted(t.scenario for t in again.pending) == ["broken", "gen-v2-n5-s0-t9"]
    again.run("serial")
    assert len(read_rows(out)) == 3  # the old error rows were replaced, not repeated


@pytest.fixture(scope="module")
def dask_address() -> Iterator[str]:
    """A local Dask cluster with the sweep settings: 2 worker processes × 1 thread."""
    with local_cluster(2) as address:
        yield address


def test_the_local_cluster_workers_run_with_the_sweep_settings(dask_address: str) -> None:
    """Every setting of matcher-sweep.yaml reached the workers, and Dask's glibc trim
    threshold was not put into their environment."""
    from distributed import Client

    wanted = sweep_worker_settings()
    assert wanted["distributed.admin.tick.interval"] == "1s"

    def seen() -> tuple[dict[str, Any], str | None]:
        import os

        import dask

        return {key: dask.config.get(key) for key in wanted}, os.environ.get(
            "MALLOC_TRIM_THRESHOLD_"
        )

    with Client(dask_address) as client:
        answers = client.run(seen)
    assert len(answers) == 2
    for settings, trim in answers.values():
        assert settings == wanted
        assert trim is None


def test_dask_without_an_address_starts_a_cluster_here(tmp_path: Path) -> None:
    """``run("dask")`` with no address runs on a LocalCluster of its own, which it closes."""
    tasks = make_tasks([], tiny_specs(1, 2), greedy_policies()[:1])
    summary = Sweep(tasks, tmp_path / "d.csv").run("dask", workers=2)
    assert (summary.ran, summary.errors) == (2, 0)
    local = tmp_path / "l.csv"
    Sweep(tasks, local).run("serial")
    assert_same_rows(read_rows(tmp_path / "d.csv"), read_rows(local))


def test_dask_gives_the_same_rows_as_local(
    tmp_path: Path, dask_address: str, broken_file: Path, tiny_file: Path
) -> None:
    """The same tasks on a LocalCluster and on the local pool: the same rows (but for the
    wall-clock columns), error rows and files (sent as data) included; plans come back to the
    client."""
    missing = tmp_path / "missing.json"  # read by the client for Dask, by a worker locally
    files = [tiny_file, broken_file, missing]
    tasks = make_tasks(files, tiny_specs(1, 2), greedy_policies())
    local, dask = tmp_path / "local.csv", tmp_path / "dask.csv"
    Sweep(tasks, local).run("local", workers=2)
    seen: list[dict[str, Any]] = []
    summary = Sweep(tasks, dask).run(
        "dask", address=dask_address, plans=tmp_path / "plans", on_row=seen.append
    )
    assert (summary.ran, summary.errors) == (10, 4) and len(seen) == 10
    assert_same_rows(read_rows(dask), read_rows(local))
    assert len(list((tmp_path / "plans").glob("*.json"))) == 6
    failed = [t for t in tasks if t.scenario in ("broken", "missing")]
    assert Sweep(tasks, dask).pending == failed


def test_unreachable_scheduler_is_an_oserror(tmp_path: Path) -> None:
    """No scheduler at the address: the sweep cannot run (the CLI exits 1)."""
    tasks = make_tasks([], [GeneratorSpec(seed=1, **TINY)], greedy_policies()[:1])
    with pytest.raises(OSError):
        Sweep(tasks, tmp_path / "o.csv").run("dask", address="tcp://127.0.0.1:1", connect_timeout=1)


def test_a_cluster_started_as_the_readme_says_loads_the_sweep_settings(tmp_path: Path) -> None:
    """`dask scheduler` and `dask worker` started with DASK_CONFIG at the settings folder (the
    README's commands): the worker runs with the file's settings, and a sweep on it gives the
    rows of the serial executor."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import dask
    from distributed import Client

    address_file = tmp_path / "scheduler.json"

    def start(*args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [str(Path(sys.executable).with_name("dask")), *args, "--no-dashboard"],
            env={**os.environ, "DASK_CONFIG": str(CONFIG_DIR)},
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    scheduler = start("scheduler", "--port", "0", "--scheduler-file", str(address_file))
    worker = start("worker", "--scheduler-file", str(address_file), "--nthreads", "1")
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        with Client(scheduler_file=str(address_file), timeout=30) as client:
            client.wait_for_workers(1, timeout=60)
            address = client.scheduler.address
            # a function the worker can import (this test module is not on its path)
            seen = client.run(dask.config.get, "distributed.admin.tick.interval")
        assert list(seen.values()) == ["1s"]
        tasks = make_tasks([], tiny_specs(1, 2), greedy_policies()[:1])
        Sweep(tasks, tmp_path / "d.csv").run("dask", address=address)
        Sweep(tasks, tmp_path / "s.csv").run("serial")
        assert_same_rows(read_rows(tmp_path / "d.csv"), read_rows(tmp_path / "s.csv"))
    finally:
        for process in (worker, scheduler):
            process.send_signal(signal.SIGINT)
        for process in (worker, scheduler):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
