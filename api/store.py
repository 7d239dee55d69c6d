"""The durable job store: every state change of a solve job is one committed transaction.

The API writes a job (row, scenario, first event) in one transaction before it answers, so an
accepted job is never lost. Workers claim queued jobs with a conditional update (two workers
never claim the same job), heartbeat while they run, and write progress, the plan so far and
the result *fenced by the attempt number*: once a job is re-queued (its worker died), the old
attempt's writes change nothing. :meth:`JobStore.requeue_stale` puts jobs whose worker stopped
heartbeating back in the queue, and fails them after ``max_attempts`` runs.
"""

from __future__ import annotations

import base64
import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa

from api.database import writing
from api.tables import job_events, job_payloads, jobs

JobStatus = Literal["queued", "running", "succeeded", "failed", "stopped"]
TERMINAL: frozenset[str] = frozenset({"succeeded", "failed", "stopped"})
_SUBMIT_LOCK = 7_162_024  # PostgreSQL advisory lock that serialises submissions


class QueueFull(Exception):
    """The queue holds its limit of jobs (the caller's county's own, or the service's);
    ``retry_after`` is a fair wait in seconds."""

    def __init__(self, queued: int, retry_after: int, whose: str = "the service's") -> None:
        self.queued = queued
        self.retry_after = retry_after
        self.whose = whose
        super().__init__(f"{queued} jobs are queued, {whose} limit; retry in {retry_after} s")


@dataclass(frozen=True)
class QueueLimits:
    """Queued jobs allowed: in all, and per tenant, so that one county's burst can fill its
    own share of the queue but never another county's."""

    total: int
    per_tenant: int


class IdempotencyConflict(Exception):
    """An Idempotency-Key used before with a different request body."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        super().__init__(f"this Idempotency-Key was used for job {job_id} with another body")


def now() -> datetime:
    """The store's clock: aware UTC."""
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes; every stored time is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


@dataclass(frozen=True)
class NewJob:
    """What a caller asked to solve."""

    scenario_json: str
    scenario_name: str
    scenario_sha256: str
    solver: str
    time_limit: float
    seed: int
    request_sha256: str
    options: Mapping[str, Any] = field(default_factory=dict)
    label: str | None = None
    policy_overrides: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Job:
    """One job's state as stored (without its payloads)."""

    id: str
    tenant: str
    status: str
    solver: str
    time_limit: float
    seed: int
    scenario_name: str
    scenario_sha256: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    stop_requested: bool
    progress: dict[str, Any] | None
    outcome: dict[str, Any] | None
    idempotency_key: str | None
    label: str | None = None
    policy_overrides: dict[str, Any] | None = None
    # How to solve beyond the solver: blind-spot fixes to confirm, and when re-planning the
    # previous job (``previous_plan_id``) and the limit on changes from its plan
    # (``max_changes``).
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def previous_plan_id(self) -> str | None:
        """The job whose plan this one re-plans from, or None."""
        found = self.options.get("previous_plan_id")
        return None if found is None else str(found)

    @property
    def max_changes(self) -> int | None:
        """The limit on changes from the previous plan, or None."""
        found = self.options.get("max_changes")
        return None if found is None else int(found)

    @staticmethod
    def of(row: Mapping[str, Any] | sa.RowMapping) -> Job:
        """The job of a ``jobs`` row."""
        return Job(
            id=row["id"],
            tenant=row["tenant"],
            status=row["status"],
            solver=row["solver"],
            time_limit=row["time_limit"],
            seed=row["seed"],
            scenario_name=row["scenario_name"],
            scenario_sha256=row["scenario_sha256"],
            created_at=_aware(row["created_at"]) or now(),
            started_at=_aware(row["started_at"]),
            finished_at=_aware(row["finished_at"]),
            attempts=row["attempts"],
            stop_requested=bool(row["stop_requested"]),
            progress=_loads(row["progress"]),
            outcome=_loads(row["outcome"]),
            idempotency_key=row["idempotency_key"],
            label=row["label"],
            policy_overrides=_loads(row["policy_overrides"]),
            options=_loads(row["options"]) or {},
        )


@dataclass(frozen=True)
class Event:
    """One entry of a job's history: a status change or an improved plan's figures."""

    id: int
    kind: str
    data: dict[str, Any]
    at: datetime


@dataclass(frozen=True)
class Claim:
    """A job a worker took: what to solve, and the attempt that fences its writes."""

    id: str
    attempt: int
    scenario_json: str
    solver: str
    time_limit: float
    seed: int
    options: dict[str, Any] = field(default_factory=dict)
    tenant: str = ""  # whose job: a previous plan it re-plans from is read as this tenant's


@dataclass(frozen=True)
class Page:
    """One page of a tenant's jobs, newest first; ``next_cursor`` is None on the last."""

    jobs: list[Job]
    next_cursor: str | None


def _event(connection: sa.Connection, job_id: str, kind: str, data: Mapping[str, Any]) -> None:
    connection.execute(
        job_events.insert().values(
            job_id=job_id, kind=kind, data=json.dumps(dict(data), ensure_ascii=False), at=now()
        )
    )


def _status_event(connection: sa.Connection, job_id: str, status: str, **extra: Any) -> None:
    _event(connection, job_id, "status", {"status": status, **extra})


def _clear_plan_so_far(connection: sa.Connection, job_id: str) -> None:
    """Drop an attempt's plan so far: it belongs to a run that no longer goes on."""
    connection.execute(
        job_payloads.update().where(job_payloads.c.job_id == job_id).values(plan_so_far=None)
    )


def _check_queue(connection: sa.Connection, tenant: str, limits: QueueLimits, workers: int) -> None:
    """Raise :class:`QueueFull` when the tenant's queue or the whole queue is at its limit,
    with a wait of one average queued job per worker, times the jobs ahead."""
    rows = connection.execute(
        sa.select(
            jobs.c.tenant,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(jobs.c.time_limit), 0.0),
        )
        .where(jobs.c.status == "queued")
        .group_by(jobs.c.tenant)
    ).all()
    mine = next(((int(n), float(t)) for who, n, t in rows if who == tenant), (0, 0.0))
    total = (sum(int(n) for _, n, _ in rows), sum(float(t) for _, _, t in rows))
    for (queued, waiting), limit, whose in (
        (mine, limits.per_tenant, "your county's"),
        (total, limits.total, "the service's"),
    ):
        if queued >= limit:
            retry = math.ceil(waiting / max(1, workers) / max(1, queued))
            raise QueueFull(queued, max(1, min(3600, retry)), whose)


def _next_queued() -> sa.Select[Any]:
    """The queued job to run next: of the tenant served longest ago (never served first),
    its oldest job. Workers thus take tenants in turn, so one county's burst delays another's
    job by at most one job per worker."""
    served = jobs.alias("served")
    last_served = (
        sa.select(sa.func.max(served.c.started_at))
        .where(served.c.tenant == jobs.c.tenant)
        .scalar_subquery()
    )
    return (
        sa.select(jobs.c.id, jobs.c.attempts)
        .where(jobs.c.status == "queued")
        .order_by(last_served.asc().nulls_first(), jobs.c.created_at, jobs.c.id)
        .limit(1)
    )


class JobStore:
    """Jobs of every tenant in one database; every read and write names the tenant or the
    worker's attempt."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------------ the API's side

    def submit(
        self,
        tenant: str,
        new: NewJob,
        idempotency_key: str | None,
        limits: QueueLimits,
        workers: int,
    ) -> tuple[Job, bool]:
        """Store a queued job and its first event; ``(job, replayed)``.

        A repeated Idempotency-Key with the same body returns the first job (``replayed``);
        with another body it raises :class:`IdempotencyConflict`. A queue full for this
        tenant, or for the service, raises :class:`QueueFull`."""
        with writing(self.engine) as connection:
            if connection.dialect.name == "postgresql":
                # Count-then-insert must not interleave (queue limit, idempotency keys);
                # SQLite's BEGIN IMMEDIATE already serialises writers.
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SUBMIT_LOCK})
            if idempotency_key is not None:
                row = (
                    connection.execute(
                        sa.select(jobs).where(
                            jobs.c.tenant == tenant, jobs.c.idempotency_key == idempotency_key
                        )
                    )
                    .mappings()
                    .first()
                )
                if row is not None:
                    if row["request_sha256"] != new.request_sha256:
                        raise IdempotencyConflict(row["id"])
                    return Job.of(row), True
            _check_queue(connection, tenant, limits, workers)
            job_id = uuid.uuid4().hex
            connection.execute(
                jobs.insert().values(
                    id=job_id,
                    tenant=tenant,
                    status="queued",
                    solver=new.solver,
                    time_limit=new.time_limit,
                    seed=new.seed,
                    scenario_name=new.scenario_name[:200],
                    scenario_sha256=new.scenario_sha256,
                    idempotency_key=idempotency_key,
                    request_sha256=new.request_sha256,
                    options=json.dumps(dict(new.options)),
                    label=new.label,
                    policy_overrides=(
                        None
                        if new.policy_overrides is None
                        else json.dumps(dict(new.policy_overrides), ensure_ascii=False)
                    ),
                    created_at=now(),
                )
            )
            connection.execute(
                job_payloads.insert().values(job_id=job_id, scenario=new.scenario_json)
            )
            _status_event(connection, job_id, "queued")
            row = connection.execute(sa.select(jobs).where(jobs.c.id == job_id)).mappings().one()
            return Job.of(row), False

    def get(self, tenant: str, job_id: str) -> Job | None:
        """The tenant's job, or None (also for another tenant's id)."""
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    sa.select(jobs).where(jobs.c.id == job_id, jobs.c.tenant == tenant)
                )
                .mappings()
                .first()
            )
        return None if row is None else Job.of(row)

    def page(self, tenant: str, limit: int, cursor: str | None = None) -> Page:
        """The tenant's jobs, newest first, ``limit`` at a time after ``cursor``."""
        query = sa.select(jobs).where(jobs.c.tenant == tenant)
        if cursor is not None:
            created, job_id = _decode_cursor(cursor)
            query = query.where(
                sa.or_(
                    jobs.c.created_at < created,
                    sa.and_(jobs.c.created_at == created, jobs.c.id < job_id),
                )
            )
        query = query.order_by(jobs.c.created_at.desc(), jobs.c.id.desc()).limit(limit + 1)
        with self.engine.connect() as connection:
            rows = [Job.of(r) for r in connection.execute(query).mappings()]
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = _encode_cursor(rows[-1]) if more and rows else None
        return Page(rows, next_cursor)

    def payload(self, tenant: str, job_id: str, column: str) -> str | None:
        """One payload text (``scenario``, ``plan`` or ``report_html``) of the tenant's job."""
        col = job_payloads.c[column]
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(col)
                .join(jobs, jobs.c.id == job_payloads.c.job_id)
                .where(jobs.c.id == job_id, jobs.c.tenant == tenant)
            ).scalar_one_or_none()

    def has_plan(self, tenant: str, job_id: str) -> bool:
        """Whether the tenant's job has its final plan (without reading the plan)."""
        with self.engine.connect() as connection:
            found = connection.execute(
                sa.select(job_payloads.c.plan.is_not(None))
                .join(jobs, jobs.c.id == job_payloads.c.job_id)
                .where(jobs.c.id == job_id, jobs.c.tenant == tenant)
            ).scalar_one_or_none()
        return bool(found)

    def plan_or_plan_so_far(self, tenant: str, job_id: str) -> str | None:
        """The job's plan text: the final plan once there is one, else the running attempt's
        best plan so far (:meth:`record_plan_so_far`), else None."""
        text = sa.func.coalesce(job_payloads.c.plan, job_payloads.c.plan_so_far)
        with self.engine.connect() as connection:
            found: str | None = connection.execute(
                sa.select(text)
                .join(jobs, jobs.c.id == job_payloads.c.job_id)
                .where(jobs.c.id == job_id, jobs.c.tenant == tenant)
            ).scalar_one_or_none()
            return found

    def request_stop(self, tenant: str, job_id: str) -> Job | None:
        """Stop a job: a queued one stops at once (no plan), a running one is asked to stop
        and keeps its best plan; a finished one is left as it is. None for an unknown id."""
        with writing(self.engine) as connection:
            row = (
                connection.execute(
                    sa.select(jobs).where(jobs.c.id == job_id, jobs.c.tenant == tenant)
                )
                .mappings()
                .first()
            )
            if row is None:
                return None
            if row["status"] == "queued":
                connection.execute(
                    jobs.update()
                    .where(jobs.c.id == job_id)
                    .values(status="stopped", stop_requested=True, finished_at=now())
                )
                _status_event(connection, job_id, "stopped", reason="stopped before it ran")
            elif row["status"] == "running" and not row["stop_requested"]:
                connection.execute(
                    jobs.update().where(jobs.c.id == job_id).values(stop_requested=True)
                )
                _event(connection, job_id, "stopping", {"status": "running"})
            row = connection.execute(sa.select(jobs).where(jobs.c.id == job_id)).mappings().one()
            return Job.of(row)

    def events_after(self, tenant: str, job_id: str, after: int, limit: int = 500) -> list[Event]:
        """The job's events with id above ``after``, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(job_events)
                .join(jobs, jobs.c.id == job_events.c.job_id)
                .where(jobs.c.id == job_id, jobs.c.tenant == tenant, job_events.c.id > after)
                .order_by(job_events.c.id)
                .limit(limit)
            ).mappings()
            return [
                Event(r["id"], r["kind"], json.loads(r["data"]), _aware(r["at"]) or now())
                for r in rows
            ]

    def counts(self, tenant: str) -> dict[str, int]:
        """The tenant's jobs by status (for the health check of a caller with a key)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(jobs.c.status, sa.func.count())
                .where(jobs.c.tenant == tenant)
                .group_by(jobs.c.status)
            ).all()
        return {status: int(n) for status, n in rows}

    def ping(self) -> None:
        """Raise when the database does not answer."""
        with self.engine.connect() as connection:
            connection.execute(sa.select(sa.literal(1))).one()

    # ------------------------------------------------------------------ the workers' side

    def claim(self) -> Claim | None:
        """Take the next queued job in fair order (:func:`_next_queued`), or None. A
        conditional update makes the claim exclusive: of two workers racing for one job, one
        update matches."""
        with self.engine.connect() as connection:  # idle polls stay readers
            if (
                connection.execute(
                    sa.select(jobs.c.id).where(jobs.c.status == "queued").limit(1)
                ).first()
                is None
            ):
                return None
        for _ in range(5):
            with writing(self.engine) as connection:
                row = connection.execute(_next_queued()).first()
                if row is None:
                    return None
                job_id, attempts = row
                stamp = now()
                taken = connection.execute(
                    jobs.update()
                    .where(jobs.c.id == job_id, jobs.c.status == "queued")
                    .values(
                        status="running",
                        attempts=attempts + 1,
                        started_at=stamp,
                        heartbeat_at=stamp,
                    )
                ).rowcount
                if taken != 1:
                    continue
                _status_event(connection, job_id, "running", attempt=attempts + 1)
                job = (
                    connection.execute(
                        sa.select(jobs, job_payloads.c.scenario)
                        .join(job_payloads, job_payloads.c.job_id == jobs.c.id)
                        .where(jobs.c.id == job_id)
                    )
                    .mappings()
                    .one()
                )
                return Claim(
                    id=job_id,
                    attempt=attempts + 1,
                    scenario_json=job["scenario"],
                    solver=job["solver"],
                    time_limit=job["time_limit"],
                    seed=job["seed"],
                    options=_loads(job["options"]) or {},
                    tenant=job["tenant"],
                )
        return None

    def _mine(self, job_id: str, attempt: int) -> sa.ColumnElement[bool]:
        return sa.and_(jobs.c.id == job_id, jobs.c.attempts == attempt, jobs.c.status == "running")

    def heartbeat(self, job_id: str, attempt: int) -> bool | None:
        """Renew the claim; whether a stop was asked, or None when the claim was lost."""
        with writing(self.engine) as connection:
            renewed = connection.execute(
                jobs.update().where(self._mine(job_id, attempt)).values(heartbeat_at=now())
            ).rowcount
            if renewed != 1:
                return None
            return bool(
                connection.execute(
                    sa.select(jobs.c.stop_requested).where(jobs.c.id == job_id)
                ).scalar_one()
            )

    def record_progress(self, job_id: str, attempt: int, progress: Mapping[str, Any]) -> bool:
        """Store an improved plan's figures as the latest progress and as an event."""
        with writing(self.engine) as connection:
            text = json.dumps(dict(progress))
            updated = connection.execute(
                jobs.update()
                .where(self._mine(job_id, attempt))
                .values(progress=text, heartbeat_at=now())
            ).rowcount
            if updated != 1:
                return False
            _event(connection, job_id, "progress", progress)
            return True

    def record_plan_so_far(self, job_id: str, attempt: int, plan_json: str) -> bool:
        """Store the running attempt's best plan so far; False (nothing written) when the
        claim was lost or the job has ended. The job's row is locked first (PostgreSQL), so a
        snapshot can never land after :meth:`finish` or :meth:`release` committed."""
        with writing(self.engine) as connection:
            mine = connection.execute(
                sa.select(jobs.c.id).where(self._mine(job_id, attempt)).with_for_update()
            ).first()
            if mine is None:
                return False
            connection.execute(
                job_payloads.update()
                .where(job_payloads.c.job_id == job_id)
                .values(plan_so_far=plan_json)
            )
            return True

    def finish(
        self,
        job_id: str,
        attempt: int,
        status: JobStatus,
        outcome: Mapping[str, Any],
        plan_json: str | None = None,
        report_html: str | None = None,
        progress: Mapping[str, Any] | None = None,
    ) -> bool:
        """End the attempt with its result; False when the claim was lost meanwhile."""
        with writing(self.engine) as connection:
            values: dict[str, Any] = {
                "status": status,
                "finished_at": now(),
                "outcome": json.dumps(dict(outcome)),
            }
            if progress is not None:
                values["progress"] = json.dumps(dict(progress))
            updated = connection.execute(
                jobs.update().where(self._mine(job_id, attempt)).values(**values)
            ).rowcount
            if updated != 1:
                return False
            connection.execute(
                job_payloads.update()
                .where(job_payloads.c.job_id == job_id)
                .values(plan=plan_json, report_html=report_html, plan_so_far=None)
            )
            if progress is not None:
                # The final plan's figures: progress writes are throttled, so the stream's
                # last progress event may be older than the plan.
                _event(connection, job_id, "progress", progress)
            _status_event(connection, job_id, status, **dict(outcome))
            return True

    def release(self, job_id: str, attempt: int) -> bool:
        """Give a running job back to the queue (the worker is shutting down); the attempt
        does not count against ``max_attempts``."""
        with writing(self.engine) as connection:
            updated = connection.execute(
                jobs.update()
                .where(self._mine(job_id, attempt))
                .values(status="queued", attempts=attempt - 1, heartbeat_at=None, progress=None)
            ).rowcount
            if updated == 1:
                _clear_plan_so_far(connection, job_id)
                _status_event(connection, job_id, "queued", reason="service shutting down")
            return updated == 1

    def requeue_stale(self, lease_seconds: float, max_attempts: int) -> tuple[int, int]:
        """Jobs left running by a dead worker: back to the queue, or failed after
        ``max_attempts`` runs. Returns (requeued, failed)."""
        cutoff = now() - timedelta(seconds=lease_seconds)
        requeued = failed = 0
        with writing(self.engine) as connection:
            stale = connection.execute(
                sa.select(jobs.c.id, jobs.c.attempts, jobs.c.stop_requested).where(
                    jobs.c.status == "running",
                    sa.or_(jobs.c.heartbeat_at.is_(None), jobs.c.heartbeat_at < cutoff),
                )
            ).all()
            for job_id, attempts, stop_requested in stale:
                mine = self._mine(job_id, attempts)
                if stop_requested or attempts >= max_attempts:
                    status = "stopped" if stop_requested else "failed"
                    reason = (
                        "the worker was lost after a stop was asked"
                        if stop_requested
                        else f"the worker running it was lost {attempts} times"
                    )
                    outcome = {"reason": reason}
                    done = connection.execute(
                        jobs.update()
                        .where(mine)
                        .values(status=status, finished_at=now(), outcome=json.dumps(outcome))
                    ).rowcount
                    if done:
                        _clear_plan_so_far(connection, job_id)
                        _status_event(connection, job_id, status, **outcome)
                        failed += 1
                    continue
                done = connection.execute(
                    jobs.update().where(mine).values(status="queued", progress=None)
                ).rowcount
                if done:
                    _clear_plan_so_far(connection, job_id)
                    _status_event(connection, job_id, "queued", reason="its worker was lost")
                    requeued += 1
        return requeued, failed


def _encode_cursor(job: Job) -> str:
    raw = f"{job.created_at.isoformat()}|{job.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class BadCursor(ValueError):
    """A pagination cursor this service did not issue."""


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, sep, job_id = raw.partition("|")
        if not sep or not job_id.isalnum():
            raise ValueError
        created = datetime.fromisoformat(stamp)
    except ValueError:
        raise BadCursor("this cursor is not one this service issued") from None
    return _aware(created) or created, job_id
