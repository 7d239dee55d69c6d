"""Workers: a shutdown gives the running job back, a crash in the solve fails the job without
quoting the scenario, and the pool replaces a worker process that died."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import matcher.run
from api.store import JobStore, NewJob, QueueLimits
from api.worker import WorkerConfig, WorkerPool, run_job


def queue(store: JobStore, scenario: dict[str, Any], limit: float = 30.0) -> str:
    text = json.dumps(scenario)
    job, _ = store.submit(
        "a", NewJob(text, "x", "0" * 64, "auto", limit, 0, "1" * 64), None, QueueLimits(10, 10), 1
    )
    return job.id


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_shutdown_gives_the_running_job_back(
    store: JobStore, tiny_raw: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = queue(store, tiny_raw)
    shutdown = threading.Event()
    real = matcher.run.solve_scenario

    def slow(*args: Any, **kwargs: Any) -> Any:
        shutdown.set()  # the service is told to stop while this job runs
        stop: threading.Event = kwargs["stop"]
        assert stop.wait(10), "the watcher did not pass the shutdown on"
        return real(*args, **kwargs)

    monkeypatch.setattr(matcher.run, "solve_scenario", slow)
    claim = store.claim()
    assert claim is not None
    assert run_job(store, claim, 1, shutdown) == "queued"
    job = store.get("a", job_id)
    assert job is not None and job.status == "queued" and job.attempts == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_error_in_the_solve_fails_the_job_without_quoting_it(
    store: JobStore,
    tiny_raw: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    job_id = queue(store, tiny_raw)
    secret = "H-" + str(17 * 1009)  # built at run time: the traceback's source lines show code

    def broken(*_: Any, **__: Any) -> Any:
        raise ValueError(f"household {secret} broke it")

    monkeypatch.setattr(matcher.run, "solve_scenario", broken)
    claim = store.claim()
    assert claim is not None
    with caplog.at_level(logging.INFO):
        assert run_job(store, claim, 1, threading.Event()) == "failed"
    job = store.get("a", job_id)
    assert job is not None and job.status == "failed" and job.outcome is not None
    assert "ValueError" in job.outcome["reason"]
    assert secret not in json.dumps(job.outcome)
    assert secret not in caplog.text and "ValueError" in caplog.text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_pool_replaces_a_worker_process_that_died(store: JobStore, tmp_path: Path) -> None:
    url = str(store.engine.url)
    pool = WorkerPool(store, WorkerConfig(url, 1), size=1, mode="process")
    pool.start()
    try:
        first = pool._workers[0]
        assert first.is_alive() and first.pid is not None  # type: ignore[union-attr]
        os.kill(first.pid, signal.SIGKILL)  # type: ignore[union-attr]
        deadline = time.monotonic() + 60
        while pool._workers[0] is first or not pool._workers[0].is_alive():
            assert time.monotonic() < deadline, "the dead worker was not replaced"
            time.sleep(0.1)
        assert pool.alive() == 1
    finally:
        pool.stop()
    assert pool.alive() == 0
