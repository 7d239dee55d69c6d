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

# ----------------------------------------------------------------------------- the register
# The service loop's need register (DESIGN §10, matcher.register): the county's standing data
# by version, the needs with their status and current assignment (``row_version`` guards every
# update: a write that read an older version changes nothing), the append-only history of each
# need, the Idempotency-Keys of need batches, and the publishes with the county's current plan.

county_versions = sa.Table(
    "county_versions",
    metadata,
    sa.Column("tenant", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("scenario", sa.Text, nullable=False),  # the scenario without needs, canonical JSON
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

register_needs = sa.Table(
    "register_needs",
    metadata,
    sa.Column("tenant", sa.String(64), primary_key=True),
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("county_version", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("provider", sa.String(128), nullable=True),
    sa.Column("date", sa.Date, nullable=True),
    sa.Column("funding", sa.Text, nullable=True),  # JSON: [[pool, yuan], ...]
    sa.Column("need", sa.Text, nullable=False),  # JSON: the scenario's need fields
    sa.Column("submitted", sa.Date, nullable=False),
    sa.Column("village", sa.String(128), nullable=False),
    sa.Column("category", sa.String(64), nullable=False),
    sa.Column("row_version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_register_needs_status", register_needs.c.tenant, register_needs.c.status)
sa.Index(
    "ix_register_needs_provider_date",
    register_needs.c.tenant,
    register_needs.c.provider,
    register_needs.c.date,
)
sa.Index("ix_register_needs_village", register_needs.c.tenant, register_needs.c.village)
sa.Index(
    "ix_register_needs_created",
    register_needs.c.tenant,
    register_needs.c.created_at,
    register_needs.c.id,
)

need_events = sa.Table(
    "need_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("tenant", sa.String(64), nullable=False),
    sa.Column("need_id", sa.String(128), nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("at", sa.Date, nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # JSON: the event's other fields
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    # The caller's Idempotency-Key of a posted event: a retry finds the event, not a second.
    sa.Column("idempotency_key", sa.String(255), nullable=True),
    sa.UniqueConstraint("tenant", "need_id", "idempotency_key", name="uq_need_events_key"),
)
sa.Index("ix_need_events_need", need_events.c.tenant, need_events.c.need_id, need_events.c.id)

need_batches = sa.Table(
    "need_batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("tenant", sa.String(64), nullable=False),
    sa.Column("idempotency_key", sa.String(255), nullable=False),
    sa.Column("request_sha256", sa.String(64), nullable=False),
    sa.Column("need_ids", sa.Text, nullable=False),  # JSON: the ids, in the batch's order
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("tenant", "idempotency_key", name="uq_need_batches_tenant_key"),
)

register_publishes = sa.Table(
    "register_publishes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("tenant", sa.String(64), nullable=False),
    sa.Column("plan_id", sa.String(32), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("assigned", sa.Integer, nullable=False),
    sa.Column("changed", sa.Integer, nullable=False),
    sa.Column("before", sa.Integer, nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_register_publishes_tenant", register_publishes.c.tenant, register_publishes.c.id)

register_state = sa.Table(
    "register_state",
    metadata,
    sa.Column("tenant", sa.String(64), primary_key=True),
    sa.Column("published_plan_id", sa.String(32), nullable=True),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
)
