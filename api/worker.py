"""Workers: take queued jobs from the store, solve them, write the result back.

A worker is a loop over :meth:`JobStore.claim`; it runs in a child process (the default:
solves then use their own interpreter, and a crashing solver takes only its worker down) or
in a thread. While a job runs, a watcher thread heartbeats the claim once a second, passes a
caller's stop (DELETE) to the solver, and notices a lost claim; another makes and stores the
job's first plan as its plan so far (:mod:`api.plan_so_far`). :class:`WorkerPool` starts the
workers, restarts any that die, and re-queues jobs whose worker stopped heartbeating.
Child processes die with the server (``PR_SET_PDEATHSIG``), so after a crash nobody but the
re-queued attempt works on a job. Nothing here logs scenario content: only job ids and
figures.
"""

from __future__ import annotations

import ctypes
import json
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from api.database import make_engine
from api.store import Claim, JobStatus, JobStore

log = logging.getLogger("matcher.api.worker")

POLL_SECONDS = 0.1
HEARTBEAT_SECONDS = 1.0
PROGRESS_SECONDS = 0.5  # at most two progress writes a second per job


class Flag(Protocol):
    """What the pool and a worker share to say "shut down": a threading or process Event."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...

    def set(self) -> None: ...


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs, all picklable for a child process."""

    database_url: str
    threads: int


def _progress(
    objective: float, bound: float | None, seconds: float, message: str
) -> dict[str, Any]:
    from matcher.run import gap

    return {
        "objective": objective,
        "bound": bound,
        "gap": gap(objective, bound),
        "seconds": round(seconds, 3),
        "message": message,
    }


class _Watcher:
    """Heartbeats the claim and turns a caller's stop, a lost claim or a shutdown into a
    stop of the solver."""

    def __init__(self, store: JobStore, claim: Claim, shutdown: Flag) -> None:
        self.store = store
        self.claim = claim
        self.shutdown = shutdown
        self.stop = threading.Event()
        self.stop_asked = False
        self.lost = False
        self.shutting_down = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"watch-{claim.id}", daemon=True)

    def __enter__(self) -> _Watcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(HEARTBEAT_SECONDS):
            try:
                asked = self.store.heartbeat(self.claim.id, self.claim.attempt)
            except Exception:  # a database hiccup: try again next beat, keep solving
                log.warning("job %s: heartbeat failed", self.claim.id, exc_info=True)
                continue
            if asked is None:
                self.lost = True
            elif asked:
                self.stop_asked = True
            if self.shutdown.is_set():
                self.shutting_down = True
            if self.lost or self.stop_asked or self.shutting_down:
                self.stop.set()


def run_job(store: JobStore, claim: Claim, threads: int, shutdown: Flag) -> str:
    """Solve one claimed job and store its result; the status written (or ``lost``)."""
    from api.plan_so_far import PlanSoFar
    from matcher.intake.issues import ScenarioInvalid
    from matcher.intake.loading import parse_scenario
    from matcher.plan import Plan, plan_to_json
    from matcher.problem.index import ScenarioIndex
    from matcher.problem.solution import Progress
    from matcher.reports.html import render_html
    from matcher.run import FixOptions, solve_scenario

    started = time.monotonic()
    latest: dict[str, Any] | None = None
    last_write = 0.0

    so_far: PlanSoFar | None = None

    def on_progress(event: Progress) -> None:
        nonlocal latest, last_write
        if so_far is not None:
            so_far.offer(event)
        latest = _progress(event.objective, event.bound, event.seconds, event.message)
        if time.monotonic() - last_write >= PROGRESS_SECONDS:
            last_write = time.monotonic()
            try:
                store.record_progress(claim.id, claim.attempt, latest)
            except Exception:
                log.warning("job %s: progress not stored", claim.id, exc_info=True)

    with _Watcher(store, claim, shutdown) as watcher:
        try:
            previous: Plan | None = None
            previous_id = claim.options.get("previous_plan_id")
            if previous_id is not None:
                # Checked when the job was accepted (the tenant's own job, with its plan).
                text = store.payload(claim.tenant, str(previous_id), "plan")
                if text is None:
                    gone = {"reason": f"the previous plan (job {previous_id}) is not there"}
                    return _finish(store, claim, watcher, "failed", gone)
                previous = Plan.model_validate_json(text)
            max_changes = claim.options.get("max_changes")
            loaded = parse_scenario(json.loads(claim.scenario_json))
            index = ScenarioIndex.build(loaded.scenario)
            _ = index.problem  # compiled here, once, before two threads read it
            with PlanSoFar(store, claim, index, started) as so_far:
                run = solve_scenario(
                    index,
                    solver=claim.solver,
                    time_limit=claim.time_limit,
                    seed=claim.seed,
                    workers=threads,
                    on_progress=on_progress,
                    stop=watcher.stop,
                    started=started,
                    previous=previous,
                    max_changes=None if max_changes is None else int(max_changes),
                    # Register re-plans: newly served needs are no change (DESIGN §10).
                    register_changes=bool(claim.options.get("register_changes", False)),
                    fixes=FixOptions(rank=True, confirm=int(claim.options.get("confirm_fixes", 0))),
                    html=True,  # the job's HTML report is rendered within its time limit too
                )
        except ScenarioInvalid as invalid:
            failure = {
                "reason": "the scenario is not valid",
                "errors": [p.to_dict() for p in invalid.errors],
            }
            return _finish(store, claim, watcher, "failed", failure)
        except Exception as error:
            # The message may quote scenario values: log the frames and the type only.
            frames = "".join(traceback.format_tb(error.__traceback__))
            log.error("job %s: %s in the solve\n%s", claim.id, type(error).__name__, frames)
            failure = {"reason": f"internal error ({type(error).__name__}); see the server log"}
            return _finish(store, claim, watcher, "failed", failure)
    info = run.plan.solver
    outcome: dict[str, Any] = {
        "plan_status": info.status,
        "objective": info.objective,
        "bound": info.bound,
        "gap": info.gap,
        "seconds": info.seconds,
    }
    reason = (info.stats or {}).get("reason")
    if reason:
        outcome["reason"] = reason
    changes = (info.stats or {}).get("changes_from_previous")
    if changes is not None:
        outcome["changes_from_previous"] = changes
    register = claim.options.get("register")
    if isinstance(register, dict):  # a re-plan from the register: what the rule did
        outcome["register"] = {
            k: register[k] for k in ("date", "county_version", "urgent", "pinned") if k in register
        }
        outcome["register"]["left_out"] = len(register.get("left_out", ()))
    final = _progress(info.objective or 0.0, info.bound, info.seconds or 0.0, "done")
    if watcher.stop_asked:
        status: JobStatus = "stopped"
    elif watcher.shutting_down and not watcher.lost:
        if store.release(claim.id, claim.attempt):
            log.info("job %s: given back to the queue (shutting down)", claim.id)
        return "queued"
    elif info.status == "error" or run.plan.violations:
        status = "failed"
        outcome.setdefault("reason", "the plan breaks a hard rule; see its violations")
    else:
        status = "succeeded"
    try:
        html: str | None = render_html(run.index, run.plan, run.evaluation)
    except Exception as error:  # the plan stands without its page
        log.error("job %s: HTML report failed (%s)", claim.id, type(error).__name__)
        html = None
    return _finish(
        store,
        claim,
        watcher,
        status,
        outcome,
        plan_json=plan_to_json(run.plan),
        progress=final,
        html=html,
    )


def _finish(
    store: JobStore,
    claim: Claim,
    watcher: _Watcher,
    status: JobStatus,
    outcome: dict[str, Any],
    plan_json: str | None = None,
    progress: dict[str, Any] | None = None,
    html: str | None = None,
) -> str:
    if watcher.lost:
        log.warning("job %s: attempt %d lost its claim; result dropped", claim.id, claim.attempt)
        return "lost"
    if not store.finish(claim.id, claim.attempt, status, outcome, plan_json, html, progress):
        log.warning("job %s: attempt %d lost its claim; result dropped", claim.id, claim.attempt)
        return "lost"
    log.info("job %s: %s", claim.id, status)
    return status


def work(store: JobStore, threads: int, shutdown: Flag) -> None:
    """Claim and run jobs until ``shutdown`` is set."""
    while not shutdown.is_set():
        try:
            claim = store.claim()
        except Exception:
            log.warning("claiming a job failed; retrying", exc_info=True)
            shutdown.wait(1.0)
            continue
        if claim is None:
            shutdown.wait(POLL_SECONDS)
            continue
        log.info("job %s: attempt %d started", claim.id, claim.attempt)
        run_job(store, claim, threads, shutdown)


def _die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this process when its parent dies, so a killed server leaves no worker
    writing behind its back."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), signal.SIGKILL)


def process_main(config: WorkerConfig, shutdown: Flag, parent: int) -> None:
    """Entry point of a worker process."""
    _die_with_parent(parent)
    # The server decides when workers stop (a Ctrl-C or a SIGTERM to the whole process group
    # reaches them too): they finish or give back their job when the pool says so.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    engine = make_engine(config.database_url)
    try:
        work(JobStore(engine), config.threads, shutdown)
    finally:
        engine.dispose()


class WorkerPool:
    """A bounded set of workers, kept alive, plus the re-queueing of stale jobs."""

    def __init__(
        self,
        store: JobStore,
        config: WorkerConfig,
        size: int,
        mode: str = "process",
        lease_seconds: float = 10.0,
        max_attempts: int = 3,
    ) -> None:
        self.store = store
        self.config = config
        self.size = size
        self.mode = mode
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self._context = multiprocessing.get_context("spawn")
        self._shutdown: Flag = self._context.Event() if mode == "process" else threading.Event()
        self._workers: list[BaseProcess | threading.Thread] = []
        self._monitor = threading.Thread(target=self._supervise, name="worker-pool", daemon=True)
        self._ready = threading.Event()

    def start(self) -> None:
        """Re-queue what a crash left running, start the workers and the supervisor."""
        self._requeue()
        self._monitor.start()
        self._ready.wait(30)

    def stop(self, timeout: float = 15.0) -> None:
        """Ask workers to finish: a running job is given back to the queue."""
        self._shutdown.set()
        self._monitor.join(timeout)

    def alive(self) -> int:
        """Workers running now."""
        return sum(1 for w in self._workers if w.is_alive())

    def _spawn(self, number: int) -> BaseProcess | threading.Thread:
        name = f"matcher-worker-{number}"
        worker: BaseProcess | threading.Thread
        if self.mode == "process":
            worker = self._context.Process(
                target=process_main,
                args=(self.config, self._shutdown, os.getpid()),
                name=name,
                daemon=True,
            )
        else:
            worker = threading.Thread(
                target=work,
                args=(self.store, self.config.threads, self._shutdown),
                name=name,
                daemon=True,
            )
        worker.start()
        return worker

    def _requeue(self) -> None:
        try:
            requeued, failed = self.store.requeue_stale(self.lease_seconds, self.max_attempts)
        except Exception:
            log.warning("re-queueing stale jobs failed", exc_info=True)
            return
        if requeued or failed:
            log.info("stale jobs: %d re-queued, %d ended", requeued, failed)

    def _supervise(self) -> None:
        # Every worker is started and restarted from this one thread: PR_SET_PDEATHSIG fires
        # when the *thread* that forked a child ends, and this thread outlives its workers.
        self._workers = [self._spawn(n) for n in range(self.size)]
        self._ready.set()
        while not self._shutdown.wait(1.0):
            for n, worker in enumerate(self._workers):
                if not worker.is_alive():
                    log.warning("%s died; starting another", worker.name)
                    self._workers[n] = self._spawn(n)
            self._requeue()
        deadline = time.monotonic() + 15.0
        for worker in self._workers:
            worker.join(max(0.1, deadline - time.monotonic()))
            if isinstance(worker, BaseProcess) and worker.is_alive():
                worker.kill()
