"""The service loop's need register (DESIGN §10).

``county_versions`` keeps every county's standing data by version; ``register_needs`` the
needs with their status and current assignment (``row_version`` for optimistic concurrency);
``need_events`` each need's append-only history; ``need_batches`` the Idempotency-Keys of
posted need batches; ``register_publishes`` every publish, and ``register_state`` the plan
each county published last.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "county_versions",
        sa.Column("tenant", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("scenario", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "register_needs",
        sa.Column("tenant", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("county_version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("provider", sa.String(128), nullable=True),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("funding", sa.Text, nullable=True),
        sa.Column("need", sa.Text, nullable=False),
        sa.Column("submitted", sa.Date, nullable=False),
        sa.Column("village", sa.String(128), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("row_version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_register_needs_status", "register_needs", ["tenant", "status"])
    op.create_index(
        "ix_register_needs_provider_date", "register_needs", ["tenant", "provider", "date"]
    )
    op.create_index("ix_register_needs_village", "register_needs", ["tenant", "village"])
    op.create_index("ix_register_needs_created", "register_needs", ["tenant", "created_at", "id"])
    op.create_table(
        "need_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("need_id", sa.String(128), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("at", sa.Date, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=True),
        sa.UniqueConstraint("tenant", "need_id", "idempotency_key", name="uq_need_events_key"),
    )
    op.create_index("ix_need_events_need", "need_events", ["tenant", "need_id", "id"])
    op.create_table(
        "need_batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("request_sha256", sa.String(64), nullable=False),
        sa.Column("need_ids", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tenant", "idempotency_key", name="uq_need_batches_tenant_key"),
    )
    op.create_table(
        "register_publishes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("tenant", sa.String(64), nullable=False),
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("assigned", sa.Integer, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("before", sa.Integer, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_register_publishes_tenant", "register_publishes", ["tenant", "id"])
    op.create_table(
        "register_state",
        sa.Column("tenant", sa.String(64), primary_key=True),
        sa.Column("published_plan_id", sa.String(32), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("register_state")
    op.drop_table("register_publishes")
    op.drop_table("need_batches")
    op.drop_table("need_events")
    op.drop_table("register_needs")
    op.drop_table("county_versions")
