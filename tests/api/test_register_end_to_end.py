"""The service loop end to end against the real server (DESIGN §10): ``matcher serve`` runs as
a child process over SQLite (and over PostgreSQL where the store tests run there). The test
puts the tiny county, posts needs over three days, re-plans from the register and publishes,
posts events, then SIGKILLs the server and restarts it on the same database: every need and
every event answered before the kill is there, a retried batch is not stored twice, the
service KPIs read, and the loop goes on.

Linux only, as the other end-to-end test (``PR_SET_PDEATHSIG``). Waits have generous
timeouts that only prevent hangs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from matcher.register.files import register_of
from tests.api.test_end_to_end import ROOT, Server, free_port, tail

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers use PR_SET_PDEATHSIG"
)

TENANT, KEY = "loop-county", "loop-secret-key"
HEADERS = {"X-API-Key": KEY}
TINY = json.loads((ROOT / "api" / "example_scenario.json").read_text(encoding="utf-8"))
COUNTY = {k: v for k, v in TINY.items() if k != "needs"}
NEEDS: list[dict[str, Any]] = TINY["needs"]
START_TIMEOUT = 60.0
JOB_TIMEOUT = 60.0


@dataclass
class Loop:
    """Servers over one database; every one stopped at the end."""

    tmp: Path
    database_url: str
    servers: list[Server] = field(default_factory=list)

    def logs(self) -> str:
        parts = [f"--- {s.log.name} ---\n{tail(s.log)}" for s in self.servers]
        return "\n\nserver logs:\n" + "\n".join(parts)

    def start(self) -> Server:
        """``matcher serve`` on a free port, answering /v1/health."""
        for _ in range(3):
            port = free_port()
            log = self.tmp / f"server-{len(self.servers) + 1}.log"
            env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHER_")}
            env.update(
                MATCHER_API_KEYS=f"{TENANT}={KEY}",
                MATCHER_DATABASE_URL=self.database_url,
                MATCHER_WORKERS="1",
                MATCHER_SOLVER_THREADS="1",
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
            if self._healthy(server):
                return server
        pytest.fail(f"the server could not bind a free port{self.logs()}")

    def _healthy(self, server: Server) -> bool:
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
        pytest.fail(f"the server did not answer in {START_TIMEOUT:g} s{self.logs()}")


@pytest.fixture
def loop(tmp_path: Path, database_url: str) -> Iterator[Loop]:
    running = Loop(tmp_path, database_url)
    try:
        yield running
    finally:
        for server in running.servers:
            server.terminate()


def ok(answer: httpx.Response, status: int, logs: str) -> Any:
    assert answer.status_code == status, f"{answer.status_code} {answer.text}{logs}"
    return answer.json()


def replan_and_publish(client: httpx.Client, date: str, logs: Loop) -> dict[str, Any]:
    """A register re-plan on ``date``, followed to its end, then published."""
    body = {"register": {"date": date}, "solver": "auto", "time_limit_seconds": 3}
    job_id = ok(client.post("/v1/plans", json=body), 202, logs.logs())["id"]
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        job = ok(client.get(f"/v1/plans/{job_id}", params={"plan": "false"}), 200, logs.logs())
        if job["status"] in ("succeeded", "failed", "stopped"):
            break
        assert time.monotonic() < deadline, f"job {job_id} did not end{logs.logs()}"
        time.sleep(0.1)
    assert job["status"] == "succeeded", f"{job['outcome']}{logs.logs()}"
    published: dict[str, Any] = ok(client.post(f"/v1/plans/{job_id}/publish"), 200, logs.logs())
    return published


def every_need(client: httpx.Client, logs: Loop) -> dict[str, Any]:
    """Every need of the register by id, read page by page."""
    found: dict[str, Any] = {}
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = ok(client.get("/v1/needs", params=params), 200, logs.logs())
        found.update((n["need"]["id"], n) for n in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def day_of(need: dict[str, Any], submitted: str) -> dict[str, Any]:
    return {**need, "submitted": submitted}


def test_the_loop_survives_a_crash(loop: Loop) -> None:
    server = loop.start()
    days = [("2026-12-01", NEEDS[:3]), ("2026-12-02", NEEDS[3:6]), ("2026-12-03", NEEDS[6:])]
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=30.0) as client:
        ok(client.put("/v1/county", json=COUNTY), 200, loop.logs())
        events = 0
        for number, (day, needs) in enumerate(days):
            batch = {"needs": [day_of(n, day) for n in needs]}
            key = {"Idempotency-Key": f"day-{number}"}
            ok(client.post("/v1/needs", json=batch, headers=key), 201, loop.logs())
            published = replan_and_publish(client, day, loop)
            assert published["skipped"] == [], published
            assigned = ok(client.get("/v1/needs", params={"status": "assigned"}), 200, "")
            first = assigned["items"][0]["need"]["id"] if assigned["items"] else None
            if first is None:
                continue
            start = {"type": "started", "at": day}
            ok(client.post(f"/v1/needs/{first}/events", json=start), 201, loop.logs())
            events += 1
            if number < 2:
                done = {"type": "resolved", "at": day, "satisfaction": 4 + number % 2}
                ok(client.post(f"/v1/needs/{first}/events", json=done), 201, loop.logs())
                events += 1
        assert events >= 3
        before = every_need(client, loop)
        exported = ok(client.get("/v1/register/export"), 200, loop.logs())
        assert len(before) == len(NEEDS)

        os.kill(server.process.pid, signal.SIGKILL)
        assert server.process.wait(10) == -signal.SIGKILL

    server = loop.start()
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=30.0) as client:
        after = every_need(client, loop)
        assert after == before, loop.logs()  # every need, status and history
        assert ok(client.get("/v1/register/export"), 200, loop.logs()) == exported
        file = register_of(exported)
        assert sum(
            1 for n in file.needs for e in n.history if e.type in ("started", "resolved")
        ) == (events)
        assert len(file.publishes) == 3

        # The day-0 batch retried after the crash: the same ids, nothing stored twice.
        retry = {"needs": [day_of(n, days[0][0]) for n in days[0][1]]}
        again = client.post("/v1/needs", json=retry, headers={"Idempotency-Key": "day-0"})
        assert ok(again, 201, loop.logs())["ids"] == [n["id"] for n in days[0][1]]
        assert again.headers["idempotent-replayed"] == "true"
        assert len(every_need(client, loop)) == len(NEEDS)

        kpis = ok(
            client.get("/v1/service-kpis", params={"from": "2026-12-01", "to": "2026-12-31"}),
            200,
            loop.logs(),
        )
        assert kpis["all"]["received"] == len(NEEDS) and kpis["publishes"] == 3
        assert kpis["all"]["resolved"] == 2 and kpis["all"]["satisfaction_answers"] == 2

        # The loop goes on from the published plan.
        published = replan_and_publish(client, "2026-12-04", loop)
        assert published["before"] > 0, published
