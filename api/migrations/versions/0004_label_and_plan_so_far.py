"""Jobs carry the caller's label and policy overrides; a running job keeps its plan so far.

``jobs.label`` (at most 100 characters) and ``jobs.policy_overrides`` (the request's ``policy``
as JSON) are shown in the job list; ``job_payloads.plan_so_far`` holds the plan that
``GET /v1/plans/{id}`` answers while the job runs, apart from ``plan`` so that the report
routes still see no plan until the job ends.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("label", sa.String(100), nullable=True))
        batch.add_column(sa.Column("policy_overrides", sa.Text, nullable=True))
    with op.batch_alter_table("job_payloads") as batch:
        batch.add_column(sa.Column("plan_so_far", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job_payloads") as batch:
        batch.drop_column("plan_so_far")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("policy_overrides")
        batch.drop_column("label")
