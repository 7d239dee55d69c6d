"""Service settings, read from the environment (DESIGN §7) with pydantic-settings.

Every variable is ``MATCHER_`` + the field name in capitals: ``MATCHER_DATABASE_URL``,
``MATCHER_API_KEYS``, ``MATCHER_API_KEYS_FILE``, ``MATCHER_WORKERS``, ``MATCHER_MAX_BODY_MB``...
The ``MATCHER_MAX_UPLOAD_*`` variables bound an imported workbook (issue 15); their defaults
are :class:`matcher.workbook.limits.UploadLimits`'s, under which an import stays below 1 GB.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from matcher.workbook.limits import UploadLimits

from api.store import QueueLimits


class Settings(BaseSettings):
    """How the service runs: store, keys, workers and limits."""

    model_config = SettingsConfigDict(env_prefix="MATCHER_", extra="ignore")

    database_url: str = Field(
        "sqlite:///./matcher.db",
        description="sqlite:///PATH (default ./matcher.db) or postgresql://USER@HOST/DB.",
    )
    api_keys: str = Field("", description="tenant=key pairs separated by commas.")
    api_keys_file: Path | None = Field(None, description="Lines tenant:sha256-hex-of-key.")
    workers: int = Field(1, ge=1, le=64, description="Solves that run at the same time.")
    worker_mode: Literal["process", "thread"] = Field(
        "process", description="Run solves in child processes (default) or threads."
    )
    solver_threads: int = Field(
        0, ge=0, le=64, description="Threads per solve; 0 shares the CPU cores among workers."
    )
    queue_limit: int = Field(
        64, ge=1, description="Queued jobs of all counties beyond which POST gets 429."
    )
    tenant_queue_limit: int = Field(
        16, ge=1, description="Queued jobs of one county beyond which its POST gets 429."
    )
    max_body_mb: float = Field(64.0, gt=0, description="Largest request body, in MB.")
    max_upload_entries: int = Field(
        1_000, gt=0, description="Parts (zip entries) of an uploaded workbook; one has ~30."
    )
    max_upload_inflated_mb: float = Field(
        256.0, gt=0, description="Uncompressed MB of all parts of an uploaded workbook."
    )
    max_upload_part_mb: float = Field(
        160.0, gt=0, description="Uncompressed MB of any one part (a sheet) of a workbook."
    )
    max_upload_whole_part_mb: float = Field(
        8.0, gt=0, description="Uncompressed MB of a part read whole (styles, relationships)."
    )
    max_upload_shared_strings_mb: float = Field(
        32.0, gt=0, description="Uncompressed MB of a workbook's shared strings (kept in memory)."
    )
    max_upload_ratio: float = Field(
        100.0, gt=0, description="Uncompressed / compressed size of any part over 1 MB."
    )
    max_upload_rows: int = Field(
        200_000, gt=0, description="Rows of any one sheet of an uploaded workbook."
    )
    max_upload_total_rows: int = Field(
        400_000, gt=0, description="Rows with values in all sheets of an uploaded workbook."
    )
    max_upload_cells: int = Field(
        3_000_000, gt=0, description="Cells read from all sheets of an uploaded workbook."
    )
    max_upload_chars: int = Field(
        30_000_000, gt=0, description="Characters of text read from all sheets of a workbook."
    )
    max_upload_problems: int = Field(
        200, gt=0, description="Problems of an upload listed one by one; the rest are counted."
    )
    max_needs_per_post: int = Field(
        5_000, ge=1, description="Needs in one POST /v1/needs (the body limit holds too)."
    )
    default_time_limit: float = Field(30.0, gt=0)
    max_time_limit: float = Field(3600.0, gt=0)
    lease_seconds: float = Field(
        10.0, gt=0, description="A running job without a heartbeat this long is re-queued."
    )
    max_attempts: int = Field(3, ge=1, description="Runs of one job before it is failed.")
    cors_origins: str = Field("", description="Comma-separated origins; empty: CORS off.")

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+", "postgres:")):
            raise ValueError("MATCHER_DATABASE_URL must be a sqlite:/// or postgresql:// URL")
        return value

    @property
    def queue_limits(self) -> QueueLimits:
        """The queue limits in all and per county."""
        return QueueLimits(total=self.queue_limit, per_tenant=self.tenant_queue_limit)

    @property
    def max_body_bytes(self) -> int:
        """The body limit in bytes."""
        return int(self.max_body_mb * 1024 * 1024)

    def upload_limits(self) -> UploadLimits:
        """The bounds of an uploaded workbook, for :func:`matcher.workbook.read_workbook`."""
        from matcher.workbook.limits import UploadLimits

        return UploadLimits(
            max_entries=self.max_upload_entries,
            max_inflated_mb=self.max_upload_inflated_mb,
            max_part_mb=self.max_upload_part_mb,
            max_whole_part_mb=self.max_upload_whole_part_mb,
            max_shared_strings_mb=self.max_upload_shared_strings_mb,
            max_ratio=self.max_upload_ratio,
            max_rows=self.max_upload_rows,
            max_total_rows=self.max_upload_total_rows,
            max_cells=self.max_upload_cells,
            max_chars=self.max_upload_chars,
            max_problems=self.max_upload_problems,
        )

    @property
    def threads_per_solve(self) -> int:
        """Solver threads of one job: the cores shared among the workers unless set."""
        if self.solver_threads:
            return self.solver_threads
        return max(1, (os.cpu_count() or 1) // self.workers)

    @property
    def cors_origin_list(self) -> list[str]:
        """The CORS origins, or an empty list (CORS off)."""
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]
