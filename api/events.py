"""Server-sent events of a job: its stored history replayed, then followed live.

Each event carries the store's event id, so a client that reconnects with ``Last-Event-ID``
continues where it left off, even across a server restart. The stream ends after the job's
final status.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from starlette.concurrency import run_in_threadpool

from api.store import TERMINAL, Event, JobStore

POLL_SECONDS = 0.2
KEEPALIVE_SECONDS = 15.0


def format_event(event: Event) -> str:
    """One event in the text/event-stream format."""
    data = dict(event.data)
    data["at"] = event.at.isoformat()
    return f"id: {event.id}\nevent: {event.kind}\ndata: {json.dumps(data)}\n\n"


def is_final(event: Event) -> bool:
    """The job's last event: a status nothing follows."""
    return event.kind == "status" and event.data.get("status") in TERMINAL


async def stream(store: JobStore, tenant: str, job_id: str, after: int) -> AsyncIterator[str]:
    """The job's events after ``after``, until its final status."""
    yield "retry: 2000\n\n"
    idle = 0.0
    while True:
        events = await run_in_threadpool(store.events_after, tenant, job_id, after)
        for event in events:
            yield format_event(event)
            after = event.id
            if is_final(event):
                return
        if events:
            idle = 0.0
            continue
        job = await run_in_threadpool(store.get, tenant, job_id)
        if job is None:
            return
        if job.status in TERMINAL:
            # It may have ended between the two reads: send what came since, then stop.
            for event in await run_in_threadpool(store.events_after, tenant, job_id, after):
                yield format_event(event)
            return
        await asyncio.sleep(POLL_SECONDS)
        idle += POLL_SECONDS
        if idle >= KEEPALIVE_SECONDS:
            idle = 0.0
            yield ": keep-alive\n\n"
