"""The job store's tables (SQLAlchemy Core). Migrations in ``api/migrations`` create them.

``jobs`` holds one row per accepted solve with its state, latest progress, the caller's label
and policy overrides; the large texts (scenario, plan, the plan so far of a running job, HTML
report) live in ``job_payloads`` so that listing jobs never reads them; ``job_events`` is the
append-only history that server-sent events replay.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("tenant", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("solver", sa.String(32), nullable=False),
    sa.Column("time_limit", sa.Float, nullable=False),
    sa.Column("seed", sa.Integer, nullable=False),
    sa.Column("scenario_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("scenario_sha256", sa.String(64), nullable=False),
    sa.Column("idempotency_key", sa.String(255), nullable=True),
    sa.Column("request_sha256", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("stop_requested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("progress", sa.Text, nullable=True),
    sa.Column("outcome", sa.Text, nullable=True),
    sa.Column("options", sa.Text, nullable=True),  # JSON: how to solve beyond the solver
    sa.Column("label", sa.String(100), nullable=True),  # the caller's own words for the job
    sa.Column("policy_overrides", sa.Text, nullable=True),  # JSON: the request's ``policy``
    sa.UniqueConstraint("tenant", "idempotency_key", name="uq_jobs_tenant_idempotency_key"),
)
sa.Index("ix_jobs_tenant_created", jobs.c.tenant, jobs.c.created_at, jobs.c.id)
sa.Index("ix_jobs_status_created", jobs.c.status, jobs.c.created_at)
sa.Index("ix_jobs_tenant_started", jobs.c.tenant, jobs.c.started_at)  # fair claims

job_payloads = sa.Table(
    "job_payloads",
    metadata,
    sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id"), primary_key=True),
    sa.Column("scenario", sa.Text, nullable=False),
    sa.Column("plan", sa.Text, nullable=True),
    sa.Column("report_html", sa.Text, nullable=True),
    # A running attempt's best plan so far; cleared when the job ends or is given back.
    sa.Column("plan_so_far", sa.Text, nullable=True),
)

job_events = sa.Table(
    "job_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_id", sa.String(32), sa.ForeignKey("jobs.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_job_events_job_id", job_events.c.job_id, job_events.c.id)
