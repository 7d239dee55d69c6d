"""End to end against the real server (issue 4): ``matcher serve`` runs as a child process on
a free loopback port over a SQLite file. The test submits the demo county, follows its events
to the end, reads the plan and both reports, then SIGKILLs the server while a second job runs,
checks that the workers died with it and that the job was left ``running``, restarts the
server on the same database and follows the job (resuming with ``Last-Event-ID``) until its
second attempt succeeds.

Linux only: it reads ``/proc`` and relies on ``PR_SET_PDEATHSIG``. Every wait has a generous
timeout that only prevents a hang; nothing asserts on speed. Every failure message ends with
the tail of the server logs.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from matcher.evaluate.evaluator import evaluate
from matcher.intake.loading import load_scenario
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc; workers use PR_SET_PDEATHSIG"
)

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "scenarios" / "demo-county.json"
TENANT, KEY = "demo-county", "e2e-secret-key"
HEADERS = {"X-API-Key": KEY}
TERMINAL = {"succeeded", "failed", "stopped"}

START_TIMEOUT = 60.0  # server up and answering /v1/health
JOB_TIMEOUT = 120.0  # a job followed to its end
DEATH_TIMEOUT = 10.0  # workers gone after the server was killed


# ---------------------------------------------------------------------------- the server


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log file."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        return f"({path.name}: {error})"
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class Server:
    """One ``matcher serve`` process, in its own session (its process group is its pid)."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def terminate(self) -> None:
        """Stop the server and anything left in its process group."""
        if self.process.poll() is None:
            _signal_group(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                _signal_group(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        _signal_group(self.process.pid, signal.SIGKILL)  # workers a crash left behind


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


@dataclass
class Service:
    """Starts servers over one database and keeps every log for failure messages."""

    tmp: Path
    database: Path
    servers: list[Server] = field(default_factory=list)

    def logs(self) -> str:
        """The tail of every server's log."""
        parts = [f"--- {s.log.name} (pid {s.process.pid}) ---\n{tail(s.log)}" for s in self.servers]
        return "\n\nserver logs:\n" + "\n".join(parts)

    def start(self) -> Server:
        """Start ``matcher serve`` on a free port and wait until /v1/health answers 200."""
        for _ in range(3):
            server = self._launch(free_port())
            if self._wait_healthy(server):
                return server
            # Another process took the free port between our probe and the server's bind.
        pytest.fail(f"the server could not bind a free port{self.logs()}")

    def _launch(self, port: int) -> Server:
        log = self.tmp / f"server-{len(self.servers) + 1}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHER_")}
        env.update(
            MATCHER_API_KEYS=f"{TENANT}={KEY}",
            MATCHER_DATABASE_URL=f"sqlite:///{self.database}",
            MATCHER_WORKERS="1",
            MATCHER_SOLVER_THREADS="1",  # modest CPU use on a shared machine
            MATCHER_LEASE_SECONDS="3",
            PYTHONUNBUFFERED="1",
        )
        command = [sys.executable, "-m", "matcher", "serve", "--host", "127.0.0.1"]
        with log.open("wb") as out:
            process = subprocess.Popen(
                [*command, "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(process, port, log)
        self.servers.append(server)
        return server

    def _wait_healthy(self, server: Server) -> bool:
        """True once /v1/health answers 200; False when the port was taken; fails else."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            code = server.process.poll()
            if code is not None:
                if "address already in use" in tail(server.log).lower():
                    return False
                pytest.fail(f"the server exited with {code} while starting{self.logs()}")
            try:
                if httpx.get(f"{server.url}/v1/health", timeout=2.0).status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        pytest.fail(f"the server did not answer /v1/health in {START_TIMEOUT:g} s{self.logs()}")


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    """Servers over one SQLite file in ``tmp_path``; all of them stopped at teardown."""
    running = Service(tmp_path, tmp_path / "matcher.db")
    try:
        yield running
    finally:
        for server in running.servers:
            server.terminate()


# ---------------------------------------------------------------------------- events


@dataclass(frozen=True)
class SseEvent:
    id: int
    event: str
    data: dict[str, Any]


def follow(
    client: httpx.Client,
    job_id: str,
    last_event_id: int | None = None,
    seen: Callable[[SseEvent], None] | None = None,
) -> list[SseEvent]:
    """The job's events read to the end of the stream (``seen`` is told of each at once)."""
    headers = {} if last_event_id is None else {"Last-Event-ID": str(last_event_id)}
    timeout = httpx.Timeout(10.0, read=30.0)  # the server sends a keep-alive every 15 s
    events: list[SseEvent] = []
    fields: dict[str, str] = {}
    deadline = time.monotonic() + JOB_TIMEOUT
    url = f"/v1/plans/{job_id}/events"
    with client.stream("GET", url, headers=headers, timeout=timeout) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id}: no end of its events in {JOB_TIMEOUT:g} s")
            if line.startswith(":"):
                continue  # a comment: keep-alive
            if line:
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
                continue
            if "data" in fields:  # a blank line ends an event
                event = SseEvent(
                    int(fields["id"]), fields.get("event", "message"), json.loads(fields["data"])
                )
                events.append(event)
                if seen is not None:
                    seen(event)
            fields = {}
    return events


def statuses(events: list[SseEvent]) -> list[str]:
    return [e.data["status"] for e in events if e.event == "status"]


def progress_of(events: list[SseEvent]) -> list[SseEvent]:
    return [e for e in events if e.event == "progress"]


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


def wait_for(what: str, check: Callable[[], Any], timeout: float, logs: Callable[[], str]) -> Any:
    """Poll ``check`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}{logs()}")
        time.sleep(0.2)


# ---------------------------------------------------------------------------- processes


def descendants(pid: int) -> dict[int, tuple[str, str]]:
    """Every process below ``pid``: its command line and start time (``/proc``)."""
    found: dict[int, tuple[str, str]] = {}
    pending = [pid]
    while pending:
        parent = pending.pop()
        for children in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                pids = [int(p) for p in children.read_text().split()]
            except OSError:
                continue
            for child in pids:
                if child in found:
                    continue
                try:
                    cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
                    start = _stat(child)[19]
                except (OSError, IndexError):
                    continue
                found[child] = (cmdline.replace(b"\0", b" ").decode(errors="replace"), start)
                pending.append(child)
    return found


def _stat(pid: int) -> list[str]:
    """``/proc/PID/stat`` after the command name: state is [0], start time [19]."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def dead(pid: int, start: str) -> bool:
    """The process is gone, a zombie, or its pid now belongs to another process."""
    try:
        stat = _stat(pid)
    except (OSError, ValueError):
        return True
    return stat[0] in ("Z", "X") or stat[19] != start


def job_row(database: Path, job_id: str) -> tuple[str, int]:
    """The job's status and attempts as the database holds them (opened read-only)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)
    try:
        row = connection.execute(
            "SELECT status, attempts FROM jobs WHERE id = ?", (job_id,)
        ).fetchone()
    finally:
        connection.close()
    assert row is not None, f"job {job_id} is not in the database"
    return str(row[0]), int(row[1])


# ---------------------------------------------------------------------------- the test


def check_plan(index: ScenarioIndex, plan_data: dict[str, Any], where: str) -> float:
    """Re-evaluate a served plan: no violations and the objective it states; that objective."""
    plan = Plan.model_validate(plan_data)
    evaluation = evaluate(index, plan)
    assert not evaluation.violations, (where, [v.to_dict() for v in evaluation.violations][:5])
    stated = plan.solver.objective
    assert stated is not None and same(evaluation.objective, stated), (
        where,
        evaluation.objective,
        stated,
    )
    return stated


def test_serve_solve_crash_and_recover(service: Service) -> None:
    scenario_data = json.loads(DEMO.read_text(encoding="utf-8"))
    scenario = load_scenario(DEMO).scenario
    index = ScenarioIndex.build(scenario)
    logs = service.logs
    server = service.start()

    # ------------------------------------------------ 1. a job followed to its end
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=30.0) as client:
        body = {"scenario": scenario_data, "solver": "auto", "time_limit_seconds": 5, "seed": 0}
        key = {"Idempotency-Key": "e2e-first-job"}
        accepted = client.post("/v1/plans", json=body, headers=key)
        assert accepted.status_code == 202, accepted.text + logs()
        first_id = accepted.json()["id"]
        assert accepted.headers["location"] == f"/v1/plans/{first_id}"
        assert accepted.json()["links"]["events"] == f"/v1/plans/{first_id}/events"

        again = client.post("/v1/plans", json=body, headers=key)
        assert again.status_code == 202, again.text + logs()
        assert again.json()["id"] == first_id, again.text
        assert again.headers["location"] == f"/v1/plans/{first_id}"
        assert again.headers.get("idempotent-replayed") == "true"

        events = follow(client, first_id)
        ids = [e.id for e in events]
        assert ids == sorted(set(ids)), f"event ids not strictly increasing: {ids}{logs()}"
        assert statuses(events) == ["queued", "running", "succeeded"], (
            f"{[(e.id, e.event, e.data) for e in events]}{logs()}"
        )
        assert events[-1].event == "status" and events[-1].data["status"] == "succeeded"
        progress = progress_of(events)
        assert progress and all(is_number(e.data["objective"]) for e in progress), (
            f"{[(e.id, e.event, e.data) for e in events]}{logs()}"
        )
        running = next(e for e in events if e.data.get("status") == "running")
        assert running.data["attempt"] == 1
        assert running.id < progress[0].id and progress[-1].id < events[-1].id

        job = client.get(f"/v1/plans/{first_id}")
        assert job.status_code == 200, job.text + logs()
        first = job.json()
        assert first["status"] == "succeeded", str(first["outcome"]) + logs()
        assert first["attempts"] == 1
        plan = first["plan"]
        assert plan is not None, logs()
        first_objective = objective = check_plan(index, plan, "first job")
        first_progress = progress[-1]  # checked at the end (see there)
        assert same(first["progress"]["objective"], objective)
        assert same(first["outcome"]["objective"], objective)
        assert same(events[-1].data["objective"], objective)

        duplicate_aid = client.get(f"/v1/plans/{first_id}/reports/duplicate-aid")
        blind_spots = client.get(f"/v1/plans/{first_id}/reports/blind-spots")
        assert duplicate_aid.status_code == 200, duplicate_aid.text + logs()
        assert blind_spots.status_code == 200, blind_spots.text + logs()
        duplicates, blind = duplicate_aid.json(), blind_spots.json()
        assert isinstance(duplicates, dict) and isinstance(blind, dict)
        assert {"window_days", "groups", "totals", "held_back", "plan_duplicates"} <= set(
            duplicates
        )
        assert duplicates["window_days"] == scenario.policy.duplicate_window_days
        assert duplicates["totals"]["ledger_records"] == len(scenario.aid_records)
        assert duplicates["totals"]["groups"] == len(duplicates["groups"]) > 0  # the demo's
        assert {"short_villages", "unreachable_villages", "unmet_groups", "totals"} <= set(blind)
        assert blind["min_cadres_per_village"] == scenario.policy.min_cadres_per_village
        assert blind["totals"]["villages"] == len(scenario.villages)
        assert blind["totals"]["villages_unreachable"] >= 1  # the demo's roadless village
        assert duplicates == plan["reports"]["duplicate_aid"]
        assert blind == plan["reports"]["blind_spots"]

        # ------------------------------------------------ 2. a second job, and a crash
        body = {"scenario": scenario_data, "solver": "auto", "time_limit_seconds": 20, "seed": 7}
        accepted = client.post("/v1/plans", json=body)
        assert accepted.status_code == 202, accepted.text + logs()
        second_id = accepted.json()["id"]

        # A client follows the second job's events until the server dies under it.
        seen: list[SseEvent] = []
        ended: list[BaseException | None] = []

        def listen() -> None:
            try:
                follow(client, second_id, seen=seen.append)
            except BaseException as error:
                ended.append(error)
            else:
                ended.append(None)

        listener = threading.Thread(target=listen, name="e2e-listener", daemon=True)
        listener.start()

        def running_with_progress() -> dict[str, Any] | None:
            assert server.process.poll() is None, f"the server exited{logs()}"
            assert not ended, f"the event stream ended early: {ended}{logs()}"
            if not progress_of(list(seen)):
                return None
            job = client.get(f"/v1/plans/{second_id}", params={"plan": "false"}).json()
            assert job["status"] in ("queued", "running"), f"{job}{logs()}"
            ok = job["status"] == "running" and job["progress"] is not None
            return job if ok else None

        before = wait_for("the second job's first progress", running_with_progress, 60, logs)
        assert before["attempts"] == 1 and is_number(before["progress"]["objective"])

        children = descendants(server.process.pid)
        workers = {p: c for p, c in children.items() if "--multiprocessing-fork" in c[0]}
        assert workers, f"no worker process under the server: {children}{logs()}"

        os.kill(server.process.pid, signal.SIGKILL)
        assert server.process.wait(10) == -signal.SIGKILL

        def survivors() -> dict[int, str]:
            return {pid: cmd for pid, (cmd, start) in children.items() if not dead(pid, start)}

        wait_for(
            "the server's children to die with it",
            lambda: not survivors(),
            DEATH_TIMEOUT,
            lambda: f" (alive: {survivors()}){logs()}",
        )

        listener.join(DEATH_TIMEOUT)
        assert not listener.is_alive(), f"the event stream outlived the server{logs()}"
        assert ended and isinstance(ended[0], httpx.TransportError), f"{ended}{logs()}"
        assert seen and not set(statuses(seen)) & TERMINAL, f"{seen}{logs()}"
        last_seen = seen[-1].id

        # Nobody works on the job now: the crash left it running, in its first attempt.
        assert job_row(service.database, second_id) == ("running", 1), logs()

    # ------------------------------------------------ 3. restart: the job runs again
    server = service.start()
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=30.0) as client:
        resumed = follow(client, second_id, last_event_id=last_seen)
        context = f"{[(e.id, e.event, e.data) for e in resumed]}{logs()}"
        ids = [e.id for e in resumed]
        assert ids and ids[0] > last_seen and ids == sorted(set(ids)), context
        assert statuses(resumed) == ["queued", "running", "succeeded"], context
        requeued, rerun, done = (e for e in resumed if e.event == "status")
        assert "lost" in requeued.data.get("reason", ""), context
        assert rerun.data["attempt"] == 2, context
        assert done is resumed[-1], context
        again_progress = [e for e in progress_of(resumed) if e.id > rerun.id]
        assert again_progress and all(is_number(e.data["objective"]) for e in again_progress)

        job = client.get(f"/v1/plans/{second_id}")
        assert job.status_code == 200, job.text + logs()
        second = job.json()
        assert second["status"] == "succeeded", str(second["outcome"]) + logs()
        assert second["attempts"] == 2, logs()
        assert "stale jobs: 1 re-queued" in server.log.read_text(encoding="utf-8"), logs()
        assert second["plan"] is not None, logs()
        second_objective = objective = check_plan(index, second["plan"], "second job")
        assert same(second["progress"]["objective"], objective)
        assert same(second["outcome"]["objective"], objective)
        assert same(done.data["objective"], objective)

        # Nothing accepted was lost: the first job is as it was before the crash.
        job = client.get(f"/v1/plans/{first_id}")
        assert job.status_code == 200, job.text + logs()
        assert job.json() == first

        listing = client.get("/v1/plans")
        assert listing.status_code == 200, listing.text + logs()
        listed = {item["id"]: item["status"] for item in listing.json()["items"]}
        assert listed == {first_id: "succeeded", second_id: "succeeded"}, logs()

        health = client.get("/v1/health").json()
        assert health["jobs"] == {"succeeded": 2} and health["workers_alive"] == 1, logs()

    # A client that follows the events learns the plan's objective from the last progress
    # event, as from GET's progress: the stream reports each improved plan, the last too.
    for name, last, objective in (
        ("first", first_progress, first_objective),
        ("second", again_progress[-1], second_objective),
    ):
        assert same(last.data["objective"], objective), (
            f"{name} job: the last progress event (id {last.id}, {last.data}) does not carry "
            f"the plan's objective {objective}{logs()}"
        )
