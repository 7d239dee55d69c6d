"""An index for fair claims: the last time each tenant's job was started.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_jobs_tenant_started", "jobs", ["tenant", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_jobs_tenant_started", table_name="jobs")
