"""The HTTP API under load: many clients submitting small counties at once, and whether every
accepted job comes back, and how soon.

Before the clock starts it generates ``--counties`` small counties in memory with
:func:`matcher.generator.generate_scenario` (``--villages`` 30 each, needs spread evenly over
``--needs`` 150-300, generator seeds ``--seed``, ``--seed`` + 1, ...), starts its own server
(``python -m matcher serve`` on a free loopback port, ``MATCHER_WORKERS=--workers``, one solver
thread per solve, a SQLite store in a temporary directory unless ``--database-url`` names
another, e.g. a PostgreSQL database) or uses the running one at ``--url`` with ``--api-key``,
and runs ``--warmup`` jobs (default: one per worker) so that the workers' first imports are not
measured.

Then ``--clients`` asyncio clients (one ``httpx.AsyncClient`` each) share ``--requests``
requests. Each client loops: take the next request number *i*, POST ``/v1/plans`` with county
*i* mod ``--counties``, ``--solver``, ``--time-limit`` and seed *i*; on 429 wait the answer's
``Retry-After`` and submit again (back-pressure, counted, not a failure); on 202 follow the
job's server-sent events (``GET /v1/plans/{id}/events``) to its final status. SSE rather than
polling: the client learns the end as soon as the server's event loop sees it (the server
polls its store every 0.2 s), with one request per job instead of one per poll. A stream that
ends or breaks without a final status is checked with ``GET ?plan=false`` and resumed with
``Last-Event-ID`` (counted as a reconnect). *Time to result* runs from the start of the
accepted POST (after any 429 waits) to the final status event. The clock of the run (*wall*)
runs from the first client's start to the last client's end; *throughput* is results seen
(final statuses) per wall second.

After the clock stops, every accepted job is read back with ``GET /v1/plans/{id}`` (the plan
included): a job that is missing (404) or still not final after ``--grace`` seconds is *lost*;
one that ended ``failed`` or ``stopped``, or ``succeeded`` without a plan or with a plan whose
``violations`` are not empty, or whose status differs from what its client saw, is a
*failure*; so is a request that got no 202 (an HTTP or transport error, or 429s until
``--request-timeout``) and one whose client saw no final status by then. The health check's
job counts before and after must differ by exactly the jobs accepted (``extra jobs`` otherwise:
an accepted job whose 202 was lost, say). Failures and lost jobs must be 0; the script exits
with status 1 otherwise.

It prints one table row, appends it to ``--out`` (default ``benchmarks/results/api_load.csv``,
a header when the file is new), and with ``--plot`` draws a histogram and CDF of the time to
result (default ``benchmarks/results/api_load.png``; needs matplotlib:
``pip install -e '.[bench]'``). The server is stopped with SIGTERM (then SIGKILL after
``--shutdown-timeout`` seconds) whatever happens::

    .venv/bin/python benchmarks/api_load.py                      # 16 clients, 200 greedy jobs
    .venv/bin/python benchmarks/api_load.py --solver auto --time-limit 2 --requests 60
    .venv/bin/python benchmarks/api_load.py --database-url postgresql://me@localhost/bench
    .venv/bin/python benchmarks/api_load.py --url http://host:8000 --api-key KEY

``--solver greedy`` (the default) solves a 30-village county in some 30 ms, so the figures are
the service's own cost: validation and storage of the request, queueing, the workers' claim
(they poll the store every 0.1 s), result storage, and the event stream. The client runs on
the same machine as the server and its workers: on a small machine they share the cores.

CSV columns: ``started`` (UTC), ``server`` (``local`` or the URL), ``database`` (the store's
dialect), ``requests``, ``clients``, ``workers`` (from the health check), ``queue_limit``
(``--queue-limit``, blank: the server's), ``solver``, ``time_limit``, ``counties``,
``villages``, ``needs``; ``accepted`` (202s), ``succeeded`` (verified), ``wall_s``,
``throughput`` (results per second), ``p50_s`` ``p95_s`` ``p99_s`` ``max_s`` ``mean_s`` (time to
result, linear-interpolated percentiles), ``submit_p50_s`` ``submit_p95_s`` (POST latency of
the accepted POSTs), ``rejected_429``, ``failures``, ``lost``, ``reconnects`` (event streams
that ended without the final status; ``sse_early_ends`` of them closed by the server, the rest
broken), ``extra_jobs``, ``cpus``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import email.utils
import json
import math
import os
import secrets
import signal
import socket
import subprocess
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

RESULTS = Path(__file__).parent / "results"
DEFAULT_OUT = RESULTS / "api_load.csv"
DEFAULT_PLOT = RESULTS / "api_load.png"
FINAL = frozenset({"succeeded", "failed", "stopped"})
TENANT = "bench"

FIELDS = (
    "started",
    "server",
    "database",
    "requests",
    "clients",
    "workers",
    "queue_limit",
    "solver",
    "time_limit",
    "counties",
    "villages",
    "needs",
    "accepted",
    "succeeded",
    "wall_s",
    "throughput",
    "p50_s",
    "p95_s",
    "p99_s",
    "max_s",
    "mean_s",
    "submit_p50_s",
    "submit_p95_s",
    "rejected_429",
    "failures",
    "lost",
    "reconnects",
    "sse_early_ends",
    "extra_jobs",
    "cpus",
)


# ----------------------------------------------------------------------------- the server


def free_port() -> int:
    """A TCP port on the loopback that nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerFailed(RuntimeError):
    """The local server did not come up."""


@dataclass
class LocalServer:
    """``python -m matcher serve`` in a subprocess, its log in ``work``."""

    work: Path
    workers: int
    database_url: str | None = None
    queue_limit: int | None = None
    start_timeout: float = 90.0
    shutdown_timeout: float = 30.0
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    url: str = ""
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    stopped: str = ""

    def start(self) -> None:
        """Start the server and wait until it answers with all its workers alive; a port
        taken between probing and binding gets another try."""
        for attempt in range(3):
            port = free_port()
            self.url = f"http://127.0.0.1:{port}"
            self.log_path = self.work / f"server-{attempt}.log"
            env = dict(os.environ)
            env.update(
                MATCHER_API_KEYS=f"{TENANT}={self.api_key}",
                MATCHER_DATABASE_URL=self.database_url
                or f"sqlite:///{(self.work / 'jobs.db').resolve()}",
                MATCHER_WORKERS=str(self.workers),
                MATCHER_SOLVER_THREADS="1",
                PYTHONUNBUFFERED="1",
            )
            if self.queue_limit is not None:
                env["MATCHER_QUEUE_LIMIT"] = str(self.queue_limit)
            command = [sys.executable, "-m", "matcher", "serve", "--host", "127.0.0.1"]
            command += ["--port", str(port), "--log-level", "warning"]
            with self.log_path.open("wb") as log:
                self.process = subprocess.Popen(
                    command, cwd=self.work, env=env, stdout=log, stderr=subprocess.STDOUT
                )
            if self._wait_ready():
                return
            log_text = self.log_tail()
            self.stop()
            if "address already in use" not in log_text.lower():
                raise ServerFailed(f"the server did not come up; its log ends:\n{log_text}")
        raise ServerFailed("no free port after three tries")

    def _wait_ready(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + self.start_timeout
        # The workers' figures are shown to a key holder only.
        keyed = {"X-API-Key": self.api_key}
        with httpx.Client(base_url=self.url, timeout=5.0, headers=keyed) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    return False
                try:
                    health = client.get("/v1/health")
                    if health.status_code == 200 and health.json()["workers_alive"] >= self.workers:
                        return True
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
        return False

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM, wait; SIGKILL if it is still there. ``stopped`` says how it went."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(self.shutdown_timeout)
            # uvicorn re-raises the SIGTERM it handled once it has shut down: -15 is clean.
            how = "cleanly" if code in (0, -signal.SIGTERM) else f"with exit code {code}"
            self.stopped = f"{how}, {time.monotonic() - started:.1f} s after SIGTERM"
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
            self.stopped = f"KILLED: still running {self.shutdown_timeout:g} s after SIGTERM"


@contextmanager
def local_server(
    workers: int, database_url: str | None, queue_limit: int | None, shutdown_timeout: float
) -> Iterator[LocalServer]:
    """A local server for the block, stopped on leaving it whatever happened."""
    with tempfile.TemporaryDirectory(prefix="api-load-") as work:
        server = LocalServer(
            Path(work), workers, database_url, queue_limit, shutdown_timeout=shutdown_timeout
        )
        try:
            server.start()
            yield server
        finally:
            server.stop()
            if server.stopped:
                print(f"server stopped: {server.stopped}", flush=True)


# ----------------------------------------------------------------------------- the load


@dataclass
class Result:
    """One request as its client saw it, then as the verification found it."""

    index: int
    job_id: str | None = None
    status: str | None = None  # the final status the client saw
    seconds: float | None = None  # time to result: accepted POST's start to final status
    submit_seconds: float | None = None  # the accepted POST's latency
    rejected: int = 0  # 429s before it was accepted
    reconnects: int = 0  # event streams that ended without the final status
    early_ends: int = 0  # of them, streams the server closed (rather than broken ones)
    error: str | None = None  # a client-side failure
    verdict: str | None = None  # after verification: "ok", "failure: ...", "lost: ..."


@dataclass(frozen=True)
class Load:
    """What every client needs."""

    url: str
    api_key: str
    bodies: list[bytes]  # one pre-encoded scenario per county
    solver: str
    time_limit: float
    request_timeout: float

    def body(self, index: int) -> bytes:
        """Request ``index``'s body: its county, the solver, the time limit, seed ``index``."""
        scenario = self.bodies[index % len(self.bodies)]
        tail = {"solver": self.solver, "time_limit_seconds": self.time_limit, "seed": index}
        return b'{"scenario":' + scenario + b"," + json.dumps(tail).encode()[1:]

    def client(self) -> httpx.AsyncClient:
        """One client's connection pool."""
        return httpx.AsyncClient(
            base_url=self.url,
            headers={"X-API-Key": self.api_key},
            timeout=httpx.Timeout(60.0, read=120.0),
        )


def retry_after(response: httpx.Response) -> float:
    """The seconds a 429 asks to wait (``Retry-After`` in seconds or as a date; else 1)."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 1.0
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def problem_text(response: httpx.Response) -> str:
    """An error answer in a few words."""
    try:
        body = response.json()
        detail = body.get("title") or body.get("detail") or ""
        errors = body.get("errors") or []
        if errors:
            detail += f": {errors[0].get('path')} {errors[0].get('message')}"
    except (ValueError, AttributeError, TypeError):
        detail = response.text[:80]
    return f"HTTP {response.status_code} {detail}".strip()


async def submit(http: httpx.AsyncClient, load: Load, result: Result, deadline: float) -> float:
    """POST until accepted; the accepted POST's start, or NaN (``result.error`` says why)."""
    body = load.body(result.index)
    headers = {"Content-Type": "application/json"}
    while True:
        started = time.perf_counter()
        try:
            response = await http.post("/v1/plans", content=body, headers=headers)
        except httpx.HTTPError as error:
            result.error = f"submit: {type(error).__name__}"
            return math.nan
        if response.status_code == 429:
            result.rejected += 1
            wait = retry_after(response)
            if time.perf_counter() + wait > deadline:
                result.error = "submit: still 429 at the request timeout"
                return math.nan
            await asyncio.sleep(wait)
            continue
        if response.status_code != 202:
            result.error = f"submit: {problem_text(response)}"
            return math.nan
        result.submit_seconds = time.perf_counter() - started
        result.job_id = response.json()["id"]
        return started


async def follow(http: httpx.AsyncClient, job_id: str, result: Result, deadline: float) -> str:
    """The job's final status from its event stream ("" at the deadline)."""
    last_id: str | None = None
    while time.perf_counter() < deadline:
        headers = {"Last-Event-ID": last_id} if last_id else {}
        try:
            async with http.stream("GET", f"/v1/plans/{job_id}/events", headers=headers) as sse:
                if sse.status_code != 200:
                    result.error = f"events: {problem_text(sse)}"
                    return ""
                kind, data = "", []
                async for line in sse.aiter_lines():
                    if line.startswith("id:"):
                        last_id = line[3:].strip()
                    elif line.startswith("event:"):
                        kind = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].removeprefix(" "))
                    elif not line:
                        if kind == "status" and data:
                            status = json.loads("\n".join(data)).get("status")
                            if status in FINAL:
                                return str(status)
                        kind, data = "", []
            result.early_ends += 1
        except httpx.HTTPError:
            pass
        # The stream ended or broke without the final status: ask, and resume if need be.
        result.reconnects += 1
        try:
            job = await http.get(f"/v1/plans/{job_id}", params={"plan": "false"})
            if job.status_code == 200 and job.json()["status"] in FINAL:
                return str(job.json()["status"])
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.5)
    return ""


async def one_request(http: httpx.AsyncClient, load: Load, result: Result) -> None:
    """Submit request ``result.index`` and wait for its final status."""
    deadline = time.perf_counter() + load.request_timeout
    started = await submit(http, load, result, deadline)
    if math.isnan(started) or result.job_id is None:
        return
    status = await follow(http, result.job_id, result, deadline)
    if status:
        result.status = status
        result.seconds = time.perf_counter() - started
    elif result.error is None:
        result.error = "no final status by the request timeout"


async def run_clients(load: Load, clients: int, results: list[Result], every: float) -> float:
    """``clients`` clients sharing the requests of ``results``; the wall seconds."""
    queue: asyncio.Queue[Result] = asyncio.Queue()
    for result in results:
        queue.put_nowait(result)

    async def client() -> None:
        async with load.client() as http:
            while True:
                try:
                    result = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                await one_request(http, load, result)

    async def report(started: float) -> None:
        while True:
            await asyncio.sleep(every)
            done = [r for r in results if r.status or r.error]
            print(
                f"  {time.perf_counter() - started:6.1f} s: {len(done)}/{len(results)} done, "
                f"{sum(r.rejected for r in results)} 429s, "
                f"{sum(1 for r in done if r.error or r.status != 'succeeded')} not succeeded",
                flush=True,
            )

    started = time.perf_counter()
    reporter = asyncio.create_task(report(started)) if every > 0 else None
    try:
        await asyncio.gather(*(client() for _ in range(clients)))
    finally:
        if reporter is not None:
            reporter.cancel()
    return time.perf_counter() - started


async def verify(load: Load, results: list[Result], grace: float) -> None:
    """Read every accepted job back and set each result's verdict."""
    limit = asyncio.Semaphore(8)

    async def check(http: httpx.AsyncClient, result: Result) -> None:
        if result.job_id is None:
            result.verdict = f"failure: {result.error}"
            return
        deadline = time.perf_counter() + grace
        async with limit:
            while True:
                try:
                    response = await http.get(f"/v1/plans/{result.job_id}")
                except httpx.HTTPError as error:
                    response, problem = None, f"GET: {type(error).__name__}"
                if response is not None:
                    if response.status_code == 404:
                        result.verdict = "lost: missing (404)"
                        return
                    if response.status_code == 200:
                        job = response.json()
                        if job["status"] in FINAL:
                            result.verdict = judge(result, job)
                            return
                        problem = f"still {job['status']}"
                    else:
                        problem = problem_text(response)
                if time.perf_counter() >= deadline:
                    result.verdict = f"lost: {problem} after the grace period"
                    return
                await asyncio.sleep(0.5)

    async with load.client() as http:
        await asyncio.gather(*(check(http, r) for r in results))


def judge(result: Result, job: dict[str, Any]) -> str:
    """The verdict on a request whose job is final."""
    status = job["status"]
    if status != "succeeded":
        reason = (job.get("outcome") or {}).get("reason", "")
        return f"failure: job {status}" + (f" ({reason})" if reason else "")
    plan = job.get("plan")
    if not isinstance(plan, dict):
        return "failure: succeeded without a plan"
    if plan.get("violations"):
        return f"failure: the plan has {len(plan['violations'])} violation(s)"
    if result.error:
        return f"failure: {result.error}"
    if result.status != status:
        return f"failure: the client saw {result.status}, the store says {status}"
    return "ok"


def health(url: str, api_key: str) -> dict[str, Any]:
    """The service's health answer as the tenant sees it (its jobs, the workers)."""
    response = httpx.get(f"{url}/v1/health", timeout=30.0, headers={"X-API-Key": api_key})
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


def warm_up(load: Load, jobs: int) -> None:
    """Run ``jobs`` jobs at once and wait for them, so each worker has imported its solver."""
    if jobs <= 0:
        return
    results = [Result(1_000_000 + n) for n in range(jobs)]  # seeds apart from the run's

    async def run() -> None:
        async with load.client() as http:
            await asyncio.gather(*(one_request(http, load, r) for r in results))

    asyncio.run(run())
    bad = [r.error or r.status for r in results if r.status != "succeeded"]
    if bad:
        raise RuntimeError(f"the warm-up jobs did not succeed: {bad}")


# ----------------------------------------------------------------------------- figures


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile, linear between order statistics; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(results: list[Result], wall: float) -> dict[str, Any]:
    """The run's figures from its results (verified)."""
    times = [r.seconds for r in results if r.seconds is not None]
    submits = [r.submit_seconds for r in results if r.submit_seconds is not None]
    verdicts = [r.verdict or "failure: not verified" for r in results]

    def rounded(value: float | None, digits: int = 3) -> float | None:
        return None if value is None else round(value, digits)

    return {
        "accepted": sum(1 for r in results if r.job_id is not None),
        "succeeded": verdicts.count("ok"),
        "wall_s": round(wall, 3),
        "throughput": round(len(times) / wall, 3) if wall > 0 else None,
        "p50_s": rounded(percentile(times, 50)),
        "p95_s": rounded(percentile(times, 95)),
        "p99_s": rounded(percentile(times, 99)),
        "max_s": rounded(max(times, default=None)),
        "mean_s": rounded(sum(times) / len(times) if times else None),
        "submit_p50_s": rounded(percentile(submits, 50), 4),
        "submit_p95_s": rounded(percentile(submits, 95), 4),
        "rejected_429": sum(r.rejected for r in results),
        "failures": sum(1 for v in verdicts if v.startswith("failure")),
        "lost": sum(1 for v in verdicts if v.startswith("lost")),
        "reconnects": sum(r.reconnects for r in results),
        "sse_early_ends": sum(r.early_ends for r in results),
    }


COLUMNS = (
    ("requests", 8),
    ("clients", 7),
    ("workers", 7),
    ("solver", 7),
    ("limit", 5),
    ("wall s", 7),
    ("jobs/s", 7),
    ("p50 s", 6),
    ("p95 s", 6),
    ("p99 s", 6),
    ("max s", 6),
    ("429s", 5),
    ("failures", 8),
    ("lost", 4),
)


def _fmt(value: Any, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table(row: dict[str, Any]) -> str:
    """The run as a printed table: header and one row."""
    cells = (
        str(row["requests"]),
        str(row["clients"]),
        str(row["workers"]),
        row["solver"],
        _fmt(row["time_limit"], "g"),
        _fmt(row["wall_s"], ".1f"),
        _fmt(row["throughput"], ".2f"),
        _fmt(row["p50_s"], ".2f"),
        _fmt(row["p95_s"], ".2f"),
        _fmt(row["p99_s"], ".2f"),
        _fmt(row["max_s"], ".2f"),
        str(row["rejected_429"]),
        str(row["failures"]),
        str(row["lost"]),
    )
    head = " ".join(f"{name:>{width}}" for name, width in COLUMNS)
    body = " ".join(f"{c:>{w}}" for c, (_, w) in zip(cells, COLUMNS, strict=True))
    return f"{head}\n{body}"


def append_csv(row: dict[str, Any], path: Path) -> None:
    """Append the row; a header first when the file is new. A file with other columns keeps
    its header: the row is written under it (missing cells blank) and a warning printed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fields: Sequence[str] = FIELDS
    new = not path.exists() or path.stat().st_size == 0
    if not new:
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
        if header != list(FIELDS):
            print(f"warning: {path} has other columns; the row follows its header", flush=True)
            fields = header
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields, extrasaction="ignore")
        if new:
            writer.writeheader()
        writer.writerow(row)


def plot(results: list[Result], row: dict[str, Any], path: Path) -> bool:
    """A histogram and the CDF of the time to result; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    times = sorted(r.seconds for r in results if r.seconds is not None)
    if not times:
        return False
    fig, (hist, cdf) = plt.subplots(1, 2, figsize=(11, 4))
    hist.hist(times, bins=min(50, max(10, len(times) // 4)), color="tab:blue")
    hist.set_xlabel("time to result (s)")
    hist.set_ylabel("requests")
    shares = [(i + 1) / len(times) for i in range(len(times))]
    cdf.step(times, shares, where="post", color="tab:blue")
    for name, style in (("p50_s", ":"), ("p95_s", "--"), ("p99_s", "-.")):
        if row[name] is not None:
            for ax in (hist, cdf):
                ax.axvline(row[name], color="black", linestyle=style, linewidth=1)
            cdf.annotate(
                f"{name[:3]} {row[name]:.2f} s",
                (row[name], 0.02),
                xytext=(3, 0),
                textcoords="offset points",
                rotation=90,
                fontsize=8,
            )
    cdf.set_xlabel("time to result (s)")
    cdf.set_ylabel("share of requests")
    cdf.set_ylim(0, 1.01)
    fig.suptitle(
        f"{row['requests']} requests, {row['clients']} clients, {row['workers']} workers, "
        f"{row['solver']} {row['time_limit']:g} s, {row['database']}: "
        f"{row['throughput']} jobs/s, {row['rejected_429']} 429s, "
        f"{row['failures']} failures, {row['lost']} lost",
        fontsize=10,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


# ----------------------------------------------------------------------------- the run


def counties(count: int, villages: int, needs: tuple[int, int], seed: int) -> list[bytes]:
    """``count`` generated counties as compact JSON, needs spread evenly over ``needs``."""
    from matcher.generator import generate_scenario

    low, high = needs
    sizes = [low + round((high - low) * i / max(1, count - 1)) for i in range(count)]
    return [
        json.dumps(
            generate_scenario(villages=villages, needs=n, seed=seed + i),
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        for i, n in enumerate(sizes)
    ]


def parse_needs(text: str) -> tuple[int, int]:
    """``150-300`` or ``200``."""
    low, _, high = text.partition("-")
    return int(low), int(high or low)


def measure(
    args: argparse.Namespace, url: str, api_key: str, bodies: list[bytes]
) -> dict[str, Any]:
    """Warm up, run the load, verify; the CSV row (and the results, for the plot)."""
    load = Load(url, api_key, bodies, args.solver, args.time_limit, args.request_timeout)
    warm_up(load, args.warmup if args.warmup is not None else args.workers)
    before = health(url, api_key)
    results = [Result(i) for i in range(args.requests)]
    print(
        f"# {args.requests} requests from {args.clients} clients, {args.solver} "
        f"{args.time_limit:g} s, against {url} ({before['database']}, "
        f"{before['workers']} workers)",
        flush=True,
    )
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    wall = asyncio.run(run_clients(load, args.clients, results, args.progress))
    asyncio.run(verify(load, results, args.grace))
    after = health(url, api_key)
    added = sum(after["jobs"].values()) - sum(before["jobs"].values())
    row: dict[str, Any] = {
        "started": stamp,
        "server": "local" if args.url is None else url,
        "database": before["database"],
        "requests": args.requests,
        "clients": args.clients,
        "workers": before["workers"],
        "queue_limit": args.queue_limit,
        "solver": args.solver,
        "time_limit": args.time_limit,
        "counties": len(bodies),
        "villages": args.villages,
        "needs": args.needs,
        **summarise(results, wall),
        "cpus": os.cpu_count(),
    }
    row["extra_jobs"] = added - row["accepted"]
    row["_results"] = results
    return row


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--requests", type=int, default=200, help="requests in all (200)")
    parser.add_argument("--solver", default="greedy", help="greedy (default), auto, cpsat...")
    parser.add_argument("--time-limit", type=float, default=2.0, help="seconds per job (2)")
    parser.add_argument("--workers", type=int, default=2, help="MATCHER_WORKERS (2)")
    parser.add_argument("--queue-limit", type=int, help="MATCHER_QUEUE_LIMIT (server's: 64)")
    parser.add_argument("--database-url", help="the local server's store (temporary SQLite)")
    parser.add_argument("--url", help="a running server instead of a local one")
    parser.add_argument("--api-key", help="its key (with --url)")
    parser.add_argument("--counties", type=int, default=4, help="distinct counties (4)")
    parser.add_argument("--villages", type=int, default=30, help="villages per county (30)")
    parser.add_argument("--needs", default="150-300", help="needs per county, LOW-HIGH")
    parser.add_argument("--seed", type=int, default=1, help="first generator seed (1)")
    parser.add_argument("--warmup", type=int, help="jobs before the clock (one per worker)")
    parser.add_argument("--request-timeout", type=float, default=600.0, help="seconds (600)")
    parser.add_argument("--grace", type=float, default=30.0, help="seconds to become final")
    parser.add_argument("--shutdown-timeout", type=float, default=30.0, help="SIGTERM to KILL")
    parser.add_argument("--progress", type=float, default=10.0, help="seconds between lines")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the CSV to append to")
    parser.add_argument(
        "--plot", type=Path, nargs="?", const=DEFAULT_PLOT, help=f"PNG ({DEFAULT_PLOT.name})"
    )
    args = parser.parse_args(argv)
    if args.url is not None and not args.api_key:
        parser.error("--url needs --api-key")
    if min(args.clients, args.requests, args.workers, args.counties) < 1:
        parser.error("--clients, --requests, --workers and --counties must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the benchmark; the row written to the CSV (``_results`` holds every request)."""
    args = parse_args(argv)
    started = time.perf_counter()
    bodies = counties(args.counties, args.villages, parse_needs(args.needs), args.seed)
    print(
        f"# {len(bodies)} counties of {args.villages} villages, {args.needs} needs, "
        f"{sum(map(len, bodies)) / len(bodies) / 1024:.0f} KiB each, generated in "
        f"{time.perf_counter() - started:.2f} s",
        flush=True,
    )
    if args.url is not None:
        row = measure(args, args.url.rstrip("/"), args.api_key, bodies)
        tail = ""
    else:
        with local_server(
            args.workers, args.database_url, args.queue_limit, args.shutdown_timeout
        ) as server:
            try:
                row = measure(args, server.url, server.api_key, bodies)
            except BaseException:
                print(f"--- the server's log ends:\n{server.log_tail()}\n---", file=sys.stderr)
                raise
            tail = server.log_tail()
    results: list[Result] = row["_results"]
    print()
    print(table(row))
    print(
        f"accepted {row['accepted']}, succeeded {row['succeeded']}, "
        f"mean {_fmt(row['mean_s'], '.2f')} s, submit p50/p95 {_fmt(row['submit_p50_s'], '.3f')}/"
        f"{_fmt(row['submit_p95_s'], '.3f')} s, SSE reconnects {row['reconnects']} "
        f"({row['sse_early_ends']} streams closed before the final status), "
        f"extra jobs in the store {row['extra_jobs']}"
    )
    problems = Counter(r.verdict for r in results if r.verdict != "ok")
    for verdict, count in problems.most_common(10):
        print(f"  ! {count} x {verdict}")
    if (problems or row["extra_jobs"]) and tail:
        print(f"--- the server's log ends:\n{tail}\n---")
    append_csv(row, args.out)
    print(f"written {args.out}")
    if args.plot is not None and plot(results, row, args.plot):
        print(f"written {args.plot}")
    return row


if __name__ == "__main__":
    outcome = main()
    sys.exit(1 if outcome["failures"] or outcome["lost"] or outcome["extra_jobs"] else 0)
