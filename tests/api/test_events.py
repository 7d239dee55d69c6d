"""The event stream: it never ends without the final status, even when the job finishes
between the stream's two reads."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from api.events import stream
from api.store import Event, JobStore, QueueLimits
from tests.api.test_store import new_job


class _RacingStore:
    """Finishes the job right after the stream's read that found nothing new."""

    def __init__(self) -> None:
        at = datetime.now(UTC)
        self.events = [
            Event(1, "status", {"status": "queued"}, at),
            Event(2, "status", {"status": "running"}, at),
        ]
        self.status = "running"
        self.reads = 0

    def events_after(self, tenant: str, job_id: str, after: int) -> list[Event]:
        self.reads += 1
        found = [e for e in self.events if e.id > after]
        if self.reads == 2:  # the empty read; the job ends now
            self.events.append(Event(3, "status", {"status": "succeeded"}, datetime.now(UTC)))
            self.status = "succeeded"
        return found

    def get(self, tenant: str, job_id: str) -> Any:
        return type("Job", (), {"status": self.status})()


def test_a_job_that_ends_between_reads_still_sends_its_final_status() -> None:
    racing = _RacingStore()

    async def collect() -> list[str]:
        return [chunk async for chunk in stream(racing, "a", "j", 0)]  # type: ignore[arg-type]

    chunks = asyncio.run(collect())
    sent = [c for c in chunks if c.startswith("id: ")]
    assert len(sent) == 3 and '"succeeded"' in sent[-1]


def test_a_stream_resumed_after_the_final_event_ends_at_once(store: JobStore) -> None:
    job, _ = store.submit(
        "a",
        new_job(),
        None,
        QueueLimits(10, 10),
        1,
    )
    stopped = store.request_stop("a", job.id)
    assert stopped is not None
    last = store.events_after("a", job.id, 0)[-1].id

    async def collect() -> list[str]:
        return [chunk async for chunk in stream(store, "a", job.id, last)]

    assert [c for c in asyncio.run(collect()) if c.startswith("id: ")] == []
