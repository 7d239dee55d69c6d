"""The HTTP API under the daily service loop's load (DESIGN §10): many counties posting needs
and events and re-planning every morning, a SIGKILL of the server mid-morning, and whether
anything acknowledged was lost.

Before the clock starts it generates ``--counties`` small counties with
:func:`matcher.generator.generate_scenario` (``--villages`` 30 each, ``(--days + 1) ×
--needs-per-day`` needs, generator seed ``--seed`` + county number), starts its own server
(:class:`benchmarks.api_load.LocalServer`: ``python -m matcher serve`` on a free loopback port,
``MATCHER_WORKERS=--workers``, one solver thread per solve, a SQLite store in a temporary
directory unless ``--database-url`` names another, e.g. PostgreSQL) with one API key per
county (a ``MATCHER_API_KEYS_FILE`` of hashes: each county is its own tenant), the queue
limits raised out of the way (``MATCHER_QUEUE_LIMIT``, ``MATCHER_TENANT_QUEUE_LIMIT``) and
``MATCHER_LEASE_SECONDS=--lease-seconds``. Each county PUTs its standing data (the scenario
without needs) and posts a backlog of ``--needs-per-day`` needs submitted on the first day.

The needs are cut into days: the working days of the county's horizon from its start (the
generated horizon starts on 2026-12-01), ``--needs-per-day`` each, ``submitted`` set to their
day. Every day:

1. morning: every county POSTs a register re-plan for the day (``--solver`` auto,
   ``--time-limit`` 3 s, ``--max-changes`` 50, an ``Idempotency-Key`` per county and day),
   follows the job (``GET /v1/plans/{id}?plan=false`` every 0.25 s) to its final status and
   publishes it. *Re-plan time to result* runs from the first POST to the final status seen;
2. the day: every county posts its ``--needs-per-day`` needs in bursts of ``--burst`` (one POST
   each, one after the other, each with its own ``Idempotency-Key``), while events arrive for
   the needs the morning's publish assigned to a service day on or before today (``GET
   /v1/needs?status=assigned``): ``--resolve-share`` of them ``started`` then ``resolved``
   with a satisfaction, ``--close-share`` ``closed`` with a reason.

On day ``--kill-day`` (default 2; 0: no kill) the day's needs and events start with the morning
re-plans, and ``--kill-after`` seconds into the morning the server gets SIGKILL (its worker
processes die with it) and is started again on the same database. Clients retry what failed
with a transport error: a needs batch with its ``Idempotency-Key``; a re-plan POST with its
key, a poll of the same job id (the restarted workers must re-run a job whose worker died:
``attempts`` > 1, counted as *re-plans re-run*); a publish as it is; an event as it is, and a
409 to a retried event is looked up in the need's history: there, it was applied before the
failure (acknowledged); not there, a real refusal (counted). ``409 register-busy``, 429 and 5xx
answers are retried too (counted).

``--clients`` (16) ``httpx.AsyncClient``\\ s are shared by all the counties' work: a request
takes a free client and gives it back, so at most ``--clients`` requests are in flight (a
re-plan's waits between polls hold none).

After the last day every county's ``GET /v1/register/export`` is checked: every need whose POST
was acknowledged (201) is there exactly once (*needs lost*, *needs duplicated*; needs there
that no 201 acknowledged are *needs extra*), every acknowledged event is in its need's history
(*events lost*; more such entries than acknowledged: *events duplicated*), and the register's
publishes are the acknowledged ones (*publishes extra*). ``GET /v1/service-kpis`` and ``GET
/v1/lists/responsibility`` must answer 200. Needs and events lost, needs duplicated and failed
re-plans must be 0; the script exits with status 1 otherwise::

    .venv/bin/python benchmarks/service_api_load.py          # 50 × 250 needs × 3 days, a kill
    .venv/bin/python benchmarks/service_api_load.py --counties 4 --days 2 --needs-per-day 40
    .venv/bin/python benchmarks/service_api_load.py --database-url postgresql://me@localhost/b

It prints the figures, appends one row to ``--out`` (default
``benchmarks/results/service_api_load.csv``, a header when the file is new) and writes a
summary to ``--summary`` (``benchmarks/results/service_api_load.md``). The client runs on the
same machine as the server and its workers: on a small machine they share the cores.

CSV columns: ``started`` (UTC), ``database`` (the store's dialect), ``counties``, ``villages``,
``days``, ``needs_per_day``, ``burst``, ``clients``, ``workers``, ``solver``, ``time_limit``,
``max_changes``, ``lease_s``; ``needs_accepted`` (needs acknowledged by a 201, backlog
excluded), ``needs_wall_s`` (the seconds spent posting needs: per day, first POST's start to
last POST's end, summed), ``needs_per_s``, ``needs_p50_s`` ``needs_p99_s`` (latency of the
answered ``POST /v1/needs``), ``events_posted`` (acknowledged), ``events_p50_s``
``events_p99_s``, ``events_refused``, ``replans``, ``replans_failed``, ``replan_p50_s``
``replan_p90_s`` ``replan_max_s`` (time to result, queueing included), ``replan_run_p50_s``
``replan_run_max_s`` (the job's ``started_at`` to ``finished_at``: its last run),
``publish_p50_s`` ``publish_p99_s``, ``kill`` (yes/no), ``kill_at_s`` (into the kill day's
morning), ``down_s`` (SIGKILL to the restarted server answering), ``needs_lost``,
``needs_duplicated``, ``needs_extra``, ``events_lost``, ``events_duplicated``,
``replans_at_kill`` (accepted and not final at the kill), ``replans_rerun`` (``attempts`` > 1),
``publishes_extra``, ``transport_retries``, ``server_errors`` (5xx), ``register_busy``,
``rejected_429``, ``log_errors`` (lines of the servers' logs with ``Traceback`` or ``ERROR``),
``wall_s``, ``cpus``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import hashlib
import json
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.api_load import (  # noqa: E402
    LocalServer,
    percentile,
    problem_text,
    retry_after,
)

RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_OUT = RESULTS / "service_api_load.csv"
DEFAULT_SUMMARY = RESULTS / "service_api_load.md"
FINAL = frozenset({"succeeded", "failed", "stopped"})
CLOSE_REASONS = ("done_by_others", "no_help_wanted", "unresolved", "duplicate")

FIELDS = (
    "started",
    "database",
    "counties",
    "villages",
    "days",
    "needs_per_day",
    "burst",
    "clients",
    "workers",
    "solver",
    "time_limit",
    "max_changes",
    "lease_s",
    "needs_accepted",
    "needs_wall_s",
    "needs_per_s",
    "needs_p50_s",
    "needs_p99_s",
    "events_posted",
    "events_p50_s",
    "events_p99_s",
    "events_refused",
    "replans",
    "replans_failed",
    "replan_p50_s",
    "replan_p90_s",
    "replan_max_s",
    "replan_run_p50_s",
    "replan_run_max_s",
    "publish_p50_s",
    "publish_p99_s",
    "kill",
    "kill_at_s",
    "down_s",
    "needs_lost",
    "needs_duplicated",
    "needs_extra",
    "events_lost",
    "events_duplicated",
    "replans_at_kill",
    "replans_rerun",
    "publishes_extra",
    "transport_retries",
    "server_errors",
    "register_busy",
    "rejected_429",
    "log_errors",
    "wall_s",
    "cpus",
)


# ----------------------------------------------------------------------------- the server


@dataclass
class RegisterServer(LocalServer):
    """:class:`LocalServer` with more settings in its environment (the county keys file, the
    queue limits, the lease) and every run's log kept (a restart does not overwrite it)."""

    settings: dict[str, str] = field(default_factory=dict)
    runs: int = 0

    def start(self) -> None:
        """Start (or start again) with ``settings`` in the server's environment."""
        for old in self.work.glob("server-*.log"):
            old.rename(self.work / f"run{self.runs}-{old.name}")
        self.runs += 1
        saved = {name: os.environ.get(name) for name in self.settings}
        os.environ.update(self.settings)
        try:
            super().start()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def kill(self) -> None:
        """SIGKILL, as a crash would; the worker processes die with it (PR_SET_PDEATHSIG)."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def log_errors(self) -> int:
        """Lines of every run's log with ``Traceback`` or ``ERROR``."""
        return sum(
            1
            for path in self.work.glob("*server-*.log")
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
            if "Traceback" in line or "ERROR" in line
        )

    def all_logs_tail(self, lines: int = 30) -> str:
        """The end of every run's log."""
        parts = []
        for path in sorted(self.work.glob("*server-*.log")):
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()
            parts.append(f"--- {path.name} ---\n" + "\n".join(text[-lines:]))
        return "\n".join(parts)


@contextmanager
def register_server(
    args: argparse.Namespace, keys: dict[str, str], work: Path
) -> Iterator[RegisterServer]:
    """A local server for the block, one key per county; stopped whatever happened."""
    keys_file = work / "county-keys.txt"
    keys_file.write_text(
        "".join(f"{t}:{hashlib.sha256(k.encode()).hexdigest()}\n" for t, k in keys.items()),
        encoding="utf-8",
    )
    server = RegisterServer(
        work,
        args.workers,
        args.database_url,
        queue_limit=10_000,
        settings={
            "MATCHER_API_KEYS_FILE": str(keys_file),
            "MATCHER_TENANT_QUEUE_LIMIT": "1000",
            "MATCHER_LEASE_SECONDS": f"{args.lease_seconds:g}",
            "MATCHER_MAX_NEEDS_PER_POST": str(max(5000, args.burst)),
        },
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if server.stopped:
            print(f"server stopped: {server.stopped}", flush=True)


# ----------------------------------------------------------------------------- the counties


def working_days(horizon: dict[str, Any], count: int) -> list[dt.date]:
    """The first ``count`` working days from the horizon's start (DESIGN §9's rule)."""
    holidays = {dt.date.fromisoformat(d) for d in horizon.get("holidays", ())}
    workdays = {dt.date.fromisoformat(d) for d in horizon.get("workdays", ())}
    day, found = dt.date.fromisoformat(horizon["start"]), list[dt.date]()
    while len(found) < count:
        if day in workdays or (day.weekday() < 5 and day not in holidays):
            found.append(day)
        day += dt.timedelta(days=1)
    return found


@dataclass
class County:
    """One tenant: its key, standing data, backlog and needs by day, and what it saw."""

    tenant: str
    key: str
    standing: dict[str, Any]
    backlog: list[dict[str, Any]]
    days: list[list[dict[str, Any]]]
    acknowledged_needs: list[str] = field(default_factory=list)
    # (need id, type, at) of every acknowledged event
    acknowledged_events: list[tuple[str, str, str]] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)


def make_counties(args: argparse.Namespace) -> tuple[list[County], list[dt.date]]:
    """The generated counties (each need's ``submitted`` its day) and the days."""
    from matcher.generator import generate_scenario

    counties, days = [], []
    per_day = args.needs_per_day
    for number in range(args.counties):
        scenario: dict[str, Any] = generate_scenario(
            villages=args.villages, needs=(args.days + 1) * per_day, seed=args.seed + number
        )
        days = working_days(scenario["horizon"], args.days)
        needs = [{k: v for k, v in n.items() if v is not None} for n in scenario["needs"]]
        first = days[0].isoformat()
        backlog = [{**n, "submitted": first} for n in needs[:per_day]]
        by_day = [
            [
                {**n, "submitted": day.isoformat()}
                for n in needs[(d + 1) * per_day : (d + 2) * per_day]
            ]
            for d, day in enumerate(days)
        ]
        standing = {k: v for k, v in scenario.items() if k != "needs"}
        counties.append(
            County(f"county{number:03d}", secrets.token_urlsafe(18), standing, backlog, by_day)
        )
    return counties, days


# ----------------------------------------------------------------------------- the load


@dataclass
class Figures:
    """What the clients measured and counted."""

    needs_latency: list[float] = field(default_factory=list)
    event_latency: list[float] = field(default_factory=list)
    replan_seconds: list[float] = field(default_factory=list)
    replan_run: list[float] = field(default_factory=list)  # the last attempt's start to end
    publish_latency: list[float] = field(default_factory=list)
    needs_windows: list[tuple[float, float]] = field(default_factory=list)
    needs_accepted: int = 0
    events_refused: int = 0
    replans_failed: list[str] = field(default_factory=list)
    transport_retries: int = 0
    server_errors: int = 0
    register_busy: int = 0
    rejected_429: int = 0
    other_errors: list[str] = field(default_factory=list)
    kill_at: float | None = None
    down_seconds: float | None = None
    at_kill: set[str] = field(default_factory=set)


class Unanswered(RuntimeError):
    """A request that got no answer (transport errors) until the request timeout."""


@dataclass
class Load:
    """The run's shared state: the server, the pool of clients, the figures."""

    server: RegisterServer
    args: argparse.Namespace
    pool: asyncio.Queue[httpx.AsyncClient]
    figures: Figures = field(default_factory=Figures)
    live: set[str] = field(default_factory=set)  # accepted re-plans not yet seen final
    window: list[float] = field(default_factory=list)  # this day's needs POSTs: starts, ends

    async def call(
        self,
        county: County,
        method: str,
        path: str,
        *,
        body: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        retry_server_errors: bool = True,
    ) -> tuple[httpx.Response, float, bool]:
        """One request, retried over transport errors, 429, 5xx and ``register-busy``; the
        answer, the latency of the answered attempt, and whether an attempt failed in
        transport (its effect unknown)."""
        deadline = time.perf_counter() + self.args.request_timeout
        content = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        sent = {"X-API-Key": county.key, **(headers or {})}
        if content is not None:
            sent["Content-Type"] = "application/json"
        uncertain = False
        while True:
            http = await self.pool.get()
            started = time.perf_counter()
            try:
                answer = await http.request(
                    method, self.server.url + path, content=content, headers=sent, params=params
                )
            except httpx.TransportError as error:
                answer = None
                uncertain = True
                self.figures.transport_retries += 1
                if time.perf_counter() > deadline:
                    raise Unanswered(f"{method} {path}: {type(error).__name__}") from error
            finally:
                self.pool.put_nowait(http)
            if answer is None:
                await asyncio.sleep(0.25)
                continue
            elapsed = time.perf_counter() - started
            if answer.status_code == 429:
                self.figures.rejected_429 += 1
                await asyncio.sleep(retry_after(answer))
                continue
            if answer.status_code == 409 and "register-busy" in answer.text[:200]:
                self.figures.register_busy += 1
                await asyncio.sleep(0.1)
                continue
            if answer.status_code >= 500:
                self.figures.server_errors += 1
                self.figures.other_errors.append(f"{method} {path}: {problem_text(answer)}")
                if retry_server_errors and time.perf_counter() < deadline:
                    uncertain = True
                    await asyncio.sleep(0.5)
                    continue
            return answer, elapsed, uncertain

    # ------------------------------------------------------------------------- needs

    async def post_needs(self, county: County, needs: list[dict[str, Any]], day: str) -> None:
        """The day's needs in bursts, one POST after the other."""
        burst = self.args.burst
        for number, start in enumerate(range(0, len(needs), burst)):
            batch = needs[start : start + burst]
            key = f"{county.tenant}-{day}-{number}"
            began = time.perf_counter()
            answer, elapsed, _ = await self.call(
                county,
                "POST",
                "/v1/needs",
                body={"needs": batch},
                headers={"Idempotency-Key": key},
            )
            self.window += [began, time.perf_counter()]
            if answer.status_code != 201:
                self.figures.other_errors.append(f"needs {key}: {problem_text(answer)}")
                continue
            ids = answer.json()["ids"]
            if ids != [n["id"] for n in batch]:
                self.figures.other_errors.append(f"needs {key}: other ids answered")
            county.acknowledged_needs += ids
            if day != "backlog":
                self.figures.needs_latency.append(elapsed)
                self.figures.needs_accepted += len(ids)

    # ------------------------------------------------------------------------- re-plans

    async def replan(self, county: County, day: str) -> bool:
        """The morning's re-plan, followed to its end and published; True when published."""
        body = {
            "register": {"date": day},
            "solver": self.args.solver,
            "time_limit_seconds": self.args.time_limit,
            "max_changes": self.args.max_changes,
        }
        began = time.perf_counter()
        key = {"Idempotency-Key": f"replan-{county.tenant}-{day}"}
        answer, _, _ = await self.call(county, "POST", "/v1/plans", body=body, headers=key)
        if answer.status_code != 202:
            self.figures.replans_failed.append(f"{county.tenant} {day}: {problem_text(answer)}")
            return False
        job_id = answer.json()["id"]
        where = f"{county.tenant} {day} {job_id}"
        county.jobs.append(job_id)
        self.live.add(job_id)
        while True:
            answer, _, _ = await self.call(
                county, "GET", f"/v1/plans/{job_id}", params={"plan": "false"}
            )
            if answer.status_code != 200:
                self.figures.replans_failed.append(f"{where}: poll {problem_text(answer)}")
                self.live.discard(job_id)
                return False
            job = answer.json()
            if job["status"] in FINAL:
                break
            await asyncio.sleep(0.25)
        self.live.discard(job_id)
        self.figures.replan_seconds.append(time.perf_counter() - began)
        if job.get("started_at") and job.get("finished_at"):
            run = dt.datetime.fromisoformat(job["finished_at"]) - dt.datetime.fromisoformat(
                job["started_at"]
            )
            self.figures.replan_run.append(run.total_seconds())
        if job["status"] != "succeeded":
            reason = (job.get("outcome") or {}).get("reason", "")
            self.figures.replans_failed.append(f"{where}: {job['status']} {reason}")
            if job["status"] == "failed":
                return False
        answer, elapsed, _ = await self.call(county, "POST", f"/v1/plans/{job_id}/publish")
        if answer.status_code != 200:
            self.figures.replans_failed.append(f"{where}: publish {problem_text(answer)}")
            return False
        self.figures.publish_latency.append(elapsed)
        county.published.append(job_id)
        return True

    # ------------------------------------------------------------------------- events

    async def events(self, county: County, day: str, rng: random.Random) -> None:
        """Events for the needs published to a service day on or before ``day``."""
        due: list[str] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"status": "assigned", "limit": 500}
            if cursor:
                params["cursor"] = cursor
            answer, _, _ = await self.call(county, "GET", "/v1/needs", params=params)
            if answer.status_code != 200:
                self.figures.other_errors.append(f"list needs: {problem_text(answer)}")
                return
            page = answer.json()
            due += [n["need"]["id"] for n in page["items"] if (n.get("date") or "9") <= day]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        chains: list[tuple[str, list[dict[str, Any]]]] = []
        for need_id in due:
            draw = rng.random()
            if draw < self.args.resolve_share:
                satisfaction = rng.choice((2, 3, 4, 4, 5, 5, 5))
                started = {"type": "started", "at": day}
                resolved = {"type": "resolved", "at": day, "satisfaction": satisfaction}
                chains.append((need_id, [started, resolved]))
            elif draw < self.args.resolve_share + self.args.close_share:
                closed = {"type": "closed", "at": day, "reason": rng.choice(CLOSE_REASONS)}
                chains.append((need_id, [closed]))
        await asyncio.gather(*(self.event_chain(county, n, e) for n, e in chains))

    async def event_chain(self, county: County, need_id: str, events: list[dict[str, Any]]) -> None:
        """One need's events, one after the other."""
        for event in events:
            answer, elapsed, uncertain = await self.call(
                county, "POST", f"/v1/needs/{need_id}/events", body=event
            )
            if answer.status_code == 201:
                self.figures.event_latency.append(elapsed)
            elif (
                answer.status_code == 409
                and uncertain
                and await self.applied(county, need_id, event)
            ):
                pass  # applied by an attempt whose answer was lost
            else:
                self.figures.events_refused += 1
                self.figures.other_errors.append(
                    f"event {event['type']} {need_id}: {problem_text(answer)}"
                )
                return
            county.acknowledged_events.append((need_id, event["type"], event["at"]))

    async def applied(self, county: County, need_id: str, event: dict[str, Any]) -> bool:
        """Whether the need's history holds the event (a retry's 409 told apart)."""
        answer, _, _ = await self.call(county, "GET", f"/v1/needs/{need_id}")
        if answer.status_code != 200:
            return False
        return any(
            e["type"] == event["type"] and e["at"] == event["at"] for e in answer.json()["history"]
        )

    # ------------------------------------------------------------------------- the kill

    async def kill_and_restart(self, after: float) -> None:
        """SIGKILL ``after`` seconds from now, then the server again on the same database."""
        began = time.perf_counter()
        await asyncio.sleep(after)
        self.figures.at_kill = set(self.live)
        killed = time.perf_counter()
        self.figures.kill_at = killed - began
        self.server.kill()
        print(
            f"  SIGKILL {self.figures.kill_at:.1f} s into the morning, "
            f"{len(self.figures.at_kill)} re-plans not final",
            flush=True,
        )
        await asyncio.to_thread(self.server.start)
        self.figures.down_seconds = time.perf_counter() - killed
        print(
            f"  restarted after {self.figures.down_seconds:.1f} s at {self.server.url}", flush=True
        )


async def progress(load: Load, started: float, every: float) -> None:
    """A line every ``every`` seconds."""
    while True:
        await asyncio.sleep(every)
        f = load.figures
        print(
            f"  {time.perf_counter() - started:6.1f} s: needs {f.needs_accepted}, "
            f"events {len(f.event_latency)}, re-plans {len(f.replan_seconds)} "
            f"({len(load.live)} running), retries {f.transport_retries}",
            flush=True,
        )


async def run_days(load: Load, counties: list[County], days: list[dt.date]) -> float:
    """Set up the counties, then every day; the wall seconds of the days."""
    args = load.args
    rng = random.Random(args.seed)
    for _ in range(args.clients):
        load.pool.put_nowait(httpx.AsyncClient(timeout=httpx.Timeout(60.0, read=args.read_timeout)))

    async def setup(county: County) -> None:
        answer, _, _ = await load.call(county, "PUT", "/v1/county", body=county.standing)
        if answer.status_code != 200:
            raise RuntimeError(f"PUT /v1/county {county.tenant}: {problem_text(answer)}")
        await load.post_needs(county, county.backlog, "backlog")

    await asyncio.gather(*(setup(c) for c in counties))
    print(f"# {len(counties)} counties put, backlog posted", flush=True)
    started = time.perf_counter()
    reporter = (
        asyncio.create_task(progress(load, started, args.progress)) if args.progress else None
    )
    try:
        for number, day in enumerate(days, start=1):
            iso = day.isoformat()
            load.window = []
            seeds = [rng.random() for _ in counties]
            begun = time.perf_counter()
            if number == args.kill_day:

                async def whole_day(
                    county: County, seed: float, iso: str, needs: list[Any]
                ) -> None:
                    async def morning_then_events() -> None:
                        if await load.replan(county, iso):
                            await load.events(county, iso, random.Random(seed))

                    await asyncio.gather(morning_then_events(), load.post_needs(county, needs, iso))

                await asyncio.gather(
                    *(
                        whole_day(c, s, iso, c.days[number - 1])
                        for c, s in zip(counties, seeds, strict=True)
                    ),
                    load.kill_and_restart(args.kill_after),
                )
            else:
                published = await asyncio.gather(*(load.replan(c, iso) for c in counties))
                morning = time.perf_counter() - begun
                print(f"# {iso}: morning re-plans done in {morning:.1f} s", flush=True)
                await asyncio.gather(
                    *(load.post_needs(c, c.days[number - 1], iso) for c in counties),
                    *(
                        load.events(c, iso, random.Random(s))
                        for c, s, ok in zip(counties, seeds, published, strict=True)
                        if ok
                    ),
                )
            if load.window:
                load.figures.needs_windows.append((min(load.window), max(load.window)))
            print(f"# {iso}: day done in {time.perf_counter() - begun:.1f} s", flush=True)
    finally:
        if reporter is not None:
            reporter.cancel()
    wall = time.perf_counter() - started
    return wall


# ----------------------------------------------------------------------------- verification


@dataclass
class Verdict:
    """What the register holds against what the clients were told."""

    needs_lost: int = 0
    needs_duplicated: int = 0
    needs_extra: int = 0
    events_lost: int = 0
    events_duplicated: int = 0
    publishes_extra: int = 0
    replans_rerun: int = 0
    reads_failed: int = 0
    examples: list[str] = field(default_factory=list)


async def verify(load: Load, counties: list[County]) -> Verdict:
    """Every county's register export, job attempts, KPIs and lists, read back."""
    verdict = Verdict()
    posted_types = {"started", "resolved", "closed"}

    async def check(county: County) -> None:
        answer, _, _ = await load.call(county, "GET", "/v1/register/export")
        if answer.status_code != 200:
            verdict.reads_failed += 1
            verdict.examples.append(f"{county.tenant} export: {problem_text(answer)}")
            return
        register = answer.json()
        stored = Counter(n["id"] for n in register["needs"])
        acknowledged = Counter(county.acknowledged_needs)
        for need_id in acknowledged:
            if stored[need_id] == 0:
                verdict.needs_lost += 1
                verdict.examples.append(f"{county.tenant} need {need_id} lost")
            elif stored[need_id] > 1:
                verdict.needs_duplicated += 1
                verdict.examples.append(f"{county.tenant} need {need_id} × {stored[need_id]}")
        verdict.needs_extra += sum(1 for need_id in stored if need_id not in acknowledged)
        history = Counter(
            (n["id"], e["type"], e["at"])
            for n in register["needs"]
            for e in n["history"]
            if e["type"] in posted_types
        )
        for event, count in Counter(county.acknowledged_events).items():
            if history[event] < count:
                verdict.events_lost += count - history[event]
                verdict.examples.append(f"{county.tenant} event {event} lost")
        told = Counter(county.acknowledged_events)
        verdict.events_duplicated += sum(
            max(0, count - told[event]) for event, count in history.items()
        )
        publishes = [p.get("plan_id") for p in register.get("publishes", [])]
        verdict.publishes_extra += len(publishes) - len(county.published)
        for job_id in county.jobs:
            answer, _, _ = await load.call(
                county, "GET", f"/v1/plans/{job_id}", params={"plan": "false"}
            )
            if answer.status_code == 200 and answer.json().get("attempts", 1) > 1:
                verdict.replans_rerun += 1
        for path in ("/v1/service-kpis", "/v1/lists/responsibility"):
            answer, _, _ = await load.call(county, "GET", path)
            if answer.status_code != 200:
                verdict.reads_failed += 1
                verdict.examples.append(f"{county.tenant} {path}: {problem_text(answer)}")

    await asyncio.gather(*(check(c) for c in counties))
    return verdict


# ----------------------------------------------------------------------------- figures


def rounded(value: float | None, digits: int = 3) -> float | None:
    """A figure for the CSV."""
    return None if value is None else round(value, digits)


def append_csv(row: dict[str, Any], path: Path) -> None:
    """Append the row; a header first when the file is new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIELDS, extrasaction="ignore")
        if new:
            writer.writeheader()
        writer.writerow(row)


def summary(row: dict[str, Any], command: str, problems: list[str]) -> str:
    """The run as markdown."""

    def cell(name: str) -> str:
        value = row.get(name)
        return "–" if value is None else str(value)

    lines = [
        "# The HTTP API under the service loop's load",
        "",
        f"`{command}` ({row['started']}, {row['database']}, {row['cpus']} CPUs shared by the "
        "server, its workers and the clients)",
        "",
        f"{row['counties']} counties × {row['needs_per_day']} needs a day × {row['days']} days "
        f"in bursts of {row['burst']}, {row['clients']} clients, {row['workers']} workers, "
        f"re-plans `{row['solver']}` {row['time_limit']:g} s, max changes {row['max_changes']}; "
        f"kill: {row['kill']}"
        + (
            f" ({cell('kill_at_s')} s into day {row['_kill_day']}'s morning, "
            f"down {cell('down_s')} s)"
            if row["kill"] == "yes"
            else ""
        ),
        "",
        "| figure | value |",
        "|---|---|",
    ]
    shown = (
        ("needs accepted", "needs_accepted"),
        ("needs accepted per second", "needs_per_s"),
        ("POST /v1/needs p50 / p99 s", ("needs_p50_s", "needs_p99_s")),
        ("events posted", "events_posted"),
        ("events p50 / p99 s", ("events_p50_s", "events_p99_s")),
        ("re-plans (failed)", ("replans", "replans_failed")),
        (
            "re-plan time to result p50 / p90 / max s",
            ("replan_p50_s", "replan_p90_s", "replan_max_s"),
        ),
        ("re-plan run (started to finished) p50 / max s", ("replan_run_p50_s", "replan_run_max_s")),
        ("publish p50 / p99 s", ("publish_p50_s", "publish_p99_s")),
        ("needs lost / duplicated / extra", ("needs_lost", "needs_duplicated", "needs_extra")),
        (
            "events lost / duplicated / refused",
            ("events_lost", "events_duplicated", "events_refused"),
        ),
        ("re-plans not final at the kill / re-run", ("replans_at_kill", "replans_rerun")),
        ("publishes extra", "publishes_extra"),
        (
            "transport retries / 5xx / register-busy / 429",
            ("transport_retries", "server_errors", "register_busy", "rejected_429"),
        ),
        ("error lines in the server logs", "log_errors"),
        ("wall s (the days)", "wall_s"),
    )
    for label, names in shown:
        parts = (names,) if isinstance(names, str) else names
        lines.append(f"| {label} | {' / '.join(cell(n) for n in parts)} |")
    if problems:
        lines += ["", "Problems seen:", ""] + [f"- {p}" for p in problems[:20]]
    return "\n".join(lines) + "\n"


def measure(args: argparse.Namespace, work: Path) -> tuple[dict[str, Any], list[str]]:
    """Generate, serve, load, kill, verify: the CSV row and the problems seen."""
    began = time.perf_counter()
    counties, days = make_counties(args)
    print(
        f"# {len(counties)} counties of {args.villages} villages, {args.needs_per_day} needs a "
        f"day over {', '.join(d.isoformat() for d in days)}, generated in "
        f"{time.perf_counter() - began:.1f} s",
        flush=True,
    )
    keys = {c.tenant: c.key for c in counties}
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with register_server(args, keys, work) as server:
        try:
            health = httpx.get(
                f"{server.url}/v1/health", headers={"X-API-Key": server.api_key}, timeout=30
            ).json()

            async def run() -> tuple[Load, float, Verdict]:
                load = Load(server, args, asyncio.Queue())
                try:
                    wall = await run_days(load, counties, days)
                    verdict = await verify(load, counties)
                finally:
                    while not load.pool.empty():
                        await load.pool.get_nowait().aclose()
                return load, wall, verdict

            load, wall, verdict = asyncio.run(run())
        except BaseException:
            print(f"--- the server's logs end:\n{server.all_logs_tail()}\n---", file=sys.stderr)
            raise
        log_errors = server.log_errors()
        if args.logs is not None:
            args.logs.mkdir(parents=True, exist_ok=True)
            for path in work.glob("*server-*.log"):
                shutil.copy(path, args.logs / path.name)
        tail = server.all_logs_tail() if log_errors else ""
    f = load.figures
    needs_wall = sum(end - start for start, end in f.needs_windows)
    row: dict[str, Any] = {
        "started": stamp,
        "database": health.get("database"),
        "counties": args.counties,
        "villages": args.villages,
        "days": args.days,
        "needs_per_day": args.needs_per_day,
        "burst": args.burst,
        "clients": args.clients,
        "workers": health.get("workers", args.workers),
        "solver": args.solver,
        "time_limit": args.time_limit,
        "max_changes": args.max_changes,
        "lease_s": args.lease_seconds,
        "needs_accepted": f.needs_accepted,
        "needs_wall_s": rounded(needs_wall),
        "needs_per_s": rounded(f.needs_accepted / needs_wall if needs_wall else None, 1),
        "needs_p50_s": rounded(percentile(f.needs_latency, 50), 4),
        "needs_p99_s": rounded(percentile(f.needs_latency, 99), 4),
        "events_posted": sum(len(c.acknowledged_events) for c in counties),
        "events_p50_s": rounded(percentile(f.event_latency, 50), 4),
        "events_p99_s": rounded(percentile(f.event_latency, 99), 4),
        "events_refused": f.events_refused,
        "replans": sum(len(c.jobs) for c in counties),
        "replans_failed": len(f.replans_failed),
        "replan_p50_s": rounded(percentile(f.replan_seconds, 50), 2),
        "replan_p90_s": rounded(percentile(f.replan_seconds, 90), 2),
        "replan_max_s": rounded(max(f.replan_seconds, default=None), 2),
        "replan_run_p50_s": rounded(percentile(f.replan_run, 50), 2),
        "replan_run_max_s": rounded(max(f.replan_run, default=None), 2),
        "publish_p50_s": rounded(percentile(f.publish_latency, 50), 4),
        "publish_p99_s": rounded(percentile(f.publish_latency, 99), 4),
        "kill": "yes" if f.kill_at is not None else "no",
        "kill_at_s": rounded(f.kill_at, 1),
        "down_s": rounded(f.down_seconds, 1),
        "needs_lost": verdict.needs_lost,
        "needs_duplicated": verdict.needs_duplicated,
        "needs_extra": verdict.needs_extra,
        "events_lost": verdict.events_lost,
        "events_duplicated": verdict.events_duplicated,
        "replans_at_kill": len(f.at_kill),
        "replans_rerun": verdict.replans_rerun,
        "publishes_extra": verdict.publishes_extra,
        "transport_retries": f.transport_retries,
        "server_errors": f.server_errors,
        "register_busy": f.register_busy,
        "rejected_429": f.rejected_429,
        "log_errors": log_errors,
        "wall_s": rounded(wall, 1),
        "cpus": os.cpu_count(),
        "_kill_day": args.kill_day,
    }
    problems = [*f.replans_failed, *f.other_errors, *verdict.examples]
    if verdict.reads_failed:
        problems.append(f"{verdict.reads_failed} read-backs failed")
    if tail:
        problems.append(f"server log errors; the logs end:\n{tail}")
    return row, problems


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add("--counties", type=int, default=50, help="counties, each its own tenant (50)")
    add("--villages", type=int, default=30, help="villages per county (30)")
    add("--days", type=int, default=3, help="working days (3)")
    add("--needs-per-day", type=int, default=250, help="needs per county and day (250)")
    add("--burst", type=int, default=50, help="needs per POST (50)")
    add("--clients", type=int, default=16, help="concurrent HTTP clients (16)")
    add("--workers", type=int, default=2, help="MATCHER_WORKERS (2)")
    add("--solver", default="auto", help="re-plans' solver (auto)")
    add("--time-limit", type=float, default=3.0, help="re-plans' seconds (3)")
    add("--max-changes", type=int, default=50, help="re-plans' max_changes (50)")
    add("--resolve-share", type=float, default=0.6, help="due needs started+resolved (0.6)")
    add("--close-share", type=float, default=0.1, help="due needs closed (0.1)")
    add("--kill-day", type=int, default=2, help="the day of the SIGKILL, 1-based; 0: none (2)")
    add("--kill-after", type=float, default=8.0, help="seconds into that morning (8)")
    add("--lease-seconds", type=float, default=10.0, help="MATCHER_LEASE_SECONDS (10)")
    add("--database-url", help="the server's store (a temporary SQLite file)")
    add("--seed", type=int, default=1, help="first generator seed (1)")
    add("--request-timeout", type=float, default=300.0, help="seconds of retries (300)")
    add("--read-timeout", type=float, default=120.0, help="seconds to wait for an answer (120)")
    add("--progress", type=float, default=15.0, help="seconds between lines; 0: none (15)")
    add("--logs", type=Path, help="a folder to keep the servers' logs in")
    add("--out", type=Path, default=DEFAULT_OUT, help="the CSV to append to")
    add("--summary", type=Path, default=DEFAULT_SUMMARY, help="the markdown summary")
    args = parser.parse_args(argv)
    if min(args.counties, args.days, args.needs_per_day, args.burst, args.clients) < 1:
        parser.error("--counties, --days, --needs-per-day, --burst and --clients must be ≥ 1")
    if not 0 <= args.kill_day <= args.days:
        parser.error("--kill-day must be 0 (no kill) or one of the days")
    return args


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the benchmark; the row written to the CSV (``_problems`` holds what went wrong)."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="service-api-load-") as work:
        row, problems = measure(args, Path(work))
    print()
    for name in FIELDS:
        print(f"  {name:18} {row[name]}")
    for problem in problems[:20]:
        print(f"  ! {problem}")
    append_csv(row, args.out)
    command = "benchmarks/service_api_load.py " + " ".join(
        sys.argv[1:] if argv is None else list(argv)
    )
    args.summary.parent.mkdir(parents=True, exist_ok=True)
    args.summary.write_text(summary(row, command.strip(), problems), encoding="utf-8")
    print(f"written {args.out}, {args.summary}")
    row["_problems"] = problems
    return row


def failed(row: dict[str, Any]) -> bool:
    """Whether the run lost or broke something."""
    return bool(
        row["needs_lost"] or row["needs_duplicated"] or row["events_lost"] or row["replans_failed"]
    )


if __name__ == "__main__":
    sys.exit(1 if failed(main()) else 0)
