"""The job store on SQLite and on PostgreSQL: what is accepted is kept, claims are exclusive,
and a lost worker's late writes change nothing."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from api.database import migrate
from api.store import BadCursor, IdempotencyConflict, JobStore, NewJob, QueueFull, QueueLimits
from api.tables import metadata


def new_job(scenario: str = '{"name": "x"}', solver: str = "greedy", limit: float = 5.0) -> NewJob:
    return NewJob(
        scenario_json=scenario,
        scenario_name="x",
        scenario_sha256="0" * 64,
        solver=solver,
        time_limit=limit,
        seed=0,
        request_sha256=f"{scenario}|{solver}|{limit}".encode().hex()[:64],
    )


ROOMY = QueueLimits(total=100, per_tenant=100)


def submit(store: JobStore, tenant: str = "a", key: str | None = None, **kw: object) -> str:
    job, _ = store.submit(tenant, new_job(**kw), key, ROOMY, workers=1)  # type: ignore[arg-type]
    return job.id


def test_migrations_build_exactly_the_declared_tables(store: JobStore) -> None:
    """The migrated schema has no difference from api.tables, and migrating again is a no-op."""
    migrate(store.engine)
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def test_submitted_job_is_stored_with_its_scenario_and_first_event(store: JobStore) -> None:
    job_id = submit(store, scenario='{"name": "county"}')
    job = store.get("a", job_id)
    assert job is not None and job.status == "queued" and job.attempts == 0
    assert store.payload("a", job_id, "scenario") == '{"name": "county"}'
    events = store.events_after("a", job_id, 0)
    assert [(e.kind, e.data["status"]) for e in events] == [("status", "queued")]


def test_other_tenants_see_nothing(store: JobStore) -> None:
    job_id = submit(store, tenant="a")
    assert store.get("b", job_id) is None
    assert store.payload("b", job_id, "scenario") is None
    assert store.events_after("b", job_id, 0) == []
    assert store.request_stop("b", job_id) is None
    assert store.page("b", 10).jobs == []
    assert store.get("a", job_id) is not None


def test_idempotency_key_returns_the_first_job_or_refuses_another_body(store: JobStore) -> None:
    first, replayed = store.submit("a", new_job(), "k1", ROOMY, 1)
    again, replayed_again = store.submit("a", new_job(), "k1", ROOMY, 1)
    assert not replayed and replayed_again and again.id == first.id
    with pytest.raises(IdempotencyConflict) as conflict:
        store.submit("a", new_job(solver="auto"), "k1", ROOMY, 1)
    assert conflict.value.job_id == first.id
    other_tenant, replayed_b = store.submit("b", new_job(), "k1", ROOMY, 1)
    assert other_tenant.id != first.id and not replayed_b
    assert store.counts("a") == {"queued": 1} and store.counts("b") == {"queued": 1}


def test_full_queue_refuses_with_a_retry_time(store: JobStore) -> None:
    limits = QueueLimits(total=3, per_tenant=3)
    for tenant in ("a", "b", "a"):
        store.submit(tenant, new_job(limit=30.0), None, limits, workers=2)
    with pytest.raises(QueueFull) as full:
        store.submit("c", new_job(), None, limits, workers=2)
    assert full.value.queued == 3 and full.value.retry_after >= 1
    assert full.value.whose == "the service's"
    assert store.counts("a") == {"queued": 2} and store.counts("c") == {}


def test_one_countys_full_queue_does_not_refuse_another(store: JobStore) -> None:
    """County a fills its own share of the queue and gets 429; county b is still accepted."""
    limits = QueueLimits(total=10, per_tenant=3)
    for _ in range(3):
        store.submit("a", new_job(limit=30.0), None, limits, workers=1)
    with pytest.raises(QueueFull) as full:
        store.submit("a", new_job(), None, limits, workers=1)
    assert full.value.whose == "your county's" and full.value.queued == 3
    job, _ = store.submit("b", new_job(), None, limits, workers=1)
    assert job.status == "queued"


def test_claims_take_counties_in_turn(store: JobStore) -> None:
    """With county a's burst of five queued first, county b's one job is the second taken:
    a burst delays another county by at most one job; then a's go on in order."""
    burst = [submit(store, tenant="a") for _ in range(5)]
    later = submit(store, tenant="b")
    order = []
    while (claim := store.claim()) is not None:
        order.append(claim.id)
    assert order == [burst[0], later, *burst[1:]]


def test_a_county_never_served_goes_before_one_served_recently(store: JobStore) -> None:
    """Turns follow the last start of each county's jobs, finished ones included."""
    first = submit(store, tenant="a")
    claim = store.claim()
    assert claim is not None and claim.id == first
    store.finish(first, claim.attempt, "succeeded", {}, plan_json="{}")
    again = submit(store, tenant="a")
    other = submit(store, tenant="b")
    taken = [store.claim(), store.claim()]
    assert [c.id for c in taken if c is not None] == [other, again]


def test_claims_take_the_oldest_job_first_and_once(store: JobStore) -> None:
    first, second = submit(store), submit(store)
    claim = store.claim()
    assert claim is not None and claim.id == first and claim.attempt == 1
    assert claim.scenario_json == '{"name": "x"}'
    claim2 = store.claim()
    assert claim2 is not None and claim2.id == second
    assert store.claim() is None


def test_concurrent_workers_never_claim_a_job_twice(store: JobStore) -> None:
    ids = {submit(store) for _ in range(12)}
    taken: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        while (claim := store.claim()) is not None:
            with lock:
                taken.append(claim.id)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(taken) == Counter(ids)


def test_heartbeat_reports_a_stop_and_a_lost_claim(store: JobStore) -> None:
    submit(store)
    claim = store.claim()
    assert claim is not None
    assert store.heartbeat(claim.id, claim.attempt) is False
    stopping = store.request_stop("a", claim.id)
    assert stopping is not None and stopping.status == "running" and stopping.stop_requested
    assert store.heartbeat(claim.id, claim.attempt) is True
    assert store.heartbeat(claim.id, claim.attempt + 1) is None


def test_a_lost_workers_late_writes_change_nothing(store: JobStore) -> None:
    job_id = submit(store)
    old = store.claim()
    assert old is not None
    assert store.requeue_stale(lease_seconds=0.0, max_attempts=3) == (1, 0)
    new = store.claim()
    assert new is not None and new.id == job_id and new.attempt == 2
    assert not store.record_progress(job_id, old.attempt, {"objective": 1.0})
    assert not store.finish(job_id, old.attempt, "succeeded", {}, plan_json='{"old": 1}')
    assert store.finish(job_id, new.attempt, "succeeded", {"objective": 2.0}, '{"new": 1}')
    job = store.get("a", job_id)
    assert job is not None and job.status == "succeeded" and job.outcome == {"objective": 2.0}
    assert store.payload("a", job_id, "plan") == '{"new": 1}'
    statuses = [e.data["status"] for e in store.events_after("a", job_id, 0) if e.kind == "status"]
    assert statuses == ["queued", "running", "queued", "running", "succeeded"]


def test_a_job_whose_worker_keeps_dying_fails_after_max_attempts(store: JobStore) -> None:
    job_id = submit(store)
    for _ in range(2):
        assert store.claim() is not None
        store.requeue_stale(0.0, max_attempts=2)
    job = store.get("a", job_id)
    assert job is not None and job.status == "failed" and job.attempts == 2
    assert job.outcome is not None and "lost 2 times" in job.outcome["reason"]


def test_fresh_heartbeats_are_not_requeued(store: JobStore) -> None:
    submit(store)
    assert store.claim() is not None
    assert store.requeue_stale(lease_seconds=60.0, max_attempts=3) == (0, 0)
    assert store.counts("a") == {"running": 1}


def test_stopping_a_queued_job_ends_it_at_once_and_a_finished_one_not_at_all(
    store: JobStore,
) -> None:
    queued = submit(store)
    stopped = store.request_stop("a", queued)
    assert stopped is not None and stopped.status == "stopped" and stopped.finished_at
    assert store.claim() is None
    done = submit(store)
    claim = store.claim()
    assert claim is not None and store.finish(claim.id, claim.attempt, "succeeded", {})
    unchanged = store.request_stop("a", done)
    assert unchanged is not None and unchanged.status == "succeeded"
    assert not unchanged.stop_requested


def test_release_gives_the_job_back_without_spending_an_attempt(store: JobStore) -> None:
    job_id = submit(store)
    claim = store.claim()
    assert claim is not None and store.release(claim.id, claim.attempt)
    job = store.get("a", job_id)
    assert job is not None and job.status == "queued" and job.attempts == 0
    again = store.claim()
    assert again is not None and again.attempt == 1


def test_pages_walk_every_job_newest_first_once(store: JobStore) -> None:
    ids = [submit(store) for _ in range(5)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = store.page("a", 2, cursor)
        seen += [job.id for job in page.jobs]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == ids[::-1] and pages == 3
    with pytest.raises(BadCursor):
        store.page("a", 2, "not-a-cursor")


def test_events_come_in_order_after_a_given_id(store: JobStore) -> None:
    job_id = submit(store)
    claim = store.claim()
    assert claim is not None
    for value in (1.0, 2.0, 3.0):
        assert store.record_progress(job_id, claim.attempt, {"objective": value})
    events = store.events_after("a", job_id, 0)
    ids = [e.id for e in events]
    assert ids == sorted(ids) and len(ids) == 5
    later = store.events_after("a", job_id, ids[2])
    assert [e.data.get("objective") for e in later] == [2.0, 3.0]


def test_an_unknown_job_reads_as_none(store: JobStore) -> None:
    assert store.get("a", "0" * 32) is None
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM jobs")).scalar_one() == 0


def test_the_final_figures_are_the_last_progress_event(store: JobStore) -> None:
    """Progress writes are throttled; the finish writes the plan's own figures as the last
    progress event, just before the final status."""
    job_id = submit(store)
    claim = store.claim()
    assert claim is not None
    store.record_progress(job_id, claim.attempt, {"objective": 1.0})
    store.finish(job_id, claim.attempt, "succeeded", {}, "{}", progress={"objective": 3.0})
    events = store.events_after("a", job_id, 0)
    assert [(e.kind, e.data.get("objective")) for e in events[-3:]] == [
        ("progress", 1.0),
        ("progress", 3.0),
        ("status", None),
    ]


def test_concurrent_submissions_keep_the_queue_limit_and_the_key(store: JobStore) -> None:
    """Count-then-insert is serialised: 16 simultaneous submits against a limit of 2 queue
    exactly 2, and 8 simultaneous submits with one Idempotency-Key make one job."""
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit_one(seed: int, key: str | None) -> None:
        try:
            job, _ = store.submit("a", new_job(), key, QueueLimits(2, 2), workers=1)
            result = job.id
        except QueueFull:
            result = "full"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit_one, args=(n, None)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("full") == 14 and store.counts("a") == {"queued": 2}
    assert store.claim() is not None and store.claim() is not None
    outcomes.clear()
    threads = [threading.Thread(target=submit_one, args=(n, "same")) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(outcomes)) == 1 and "full" not in outcomes


def test_a_label_and_policy_overrides_round_trip(store: JobStore) -> None:
    """What the caller named the job and the policy it overrode come back as given, in the
    job and in the list; a job without them has neither."""
    label = "春季第二轮 · draft 2 — 100% ✓"
    policy = {"fairness_floor_share": 0.3, "min_cadres_per_village": 1}
    labelled = replace(new_job(), label=label, policy_overrides=policy)
    job, _ = store.submit("a", labelled, None, ROOMY, 1)
    plain = submit(store)
    found = store.get("a", job.id)
    assert found is not None and found.label == label and found.policy_overrides == policy
    listed = {j.id: j for j in store.page("a", 10).jobs}
    assert listed[job.id].label == label and listed[job.id].policy_overrides == policy
    assert listed[plain].label is None and listed[plain].policy_overrides is None
    longest, _ = store.submit("a", replace(new_job(), label="x" * 100), None, ROOMY, 1)
    assert longest.label == "x" * 100  # the column holds the API's longest label


def test_the_plan_so_far_is_the_running_attempts_own(store: JobStore) -> None:
    """A running attempt's plan so far is answered until its final plan replaces it; a lost
    attempt cannot write one, and a job given back to the queue loses it."""
    job_id = submit(store)
    assert store.plan_or_plan_so_far("a", job_id) is None
    claim = store.claim()
    assert claim is not None
    assert store.record_plan_so_far(job_id, claim.attempt, '{"so_far": 1}')
    assert store.plan_or_plan_so_far("a", job_id) == '{"so_far": 1}'
    assert store.plan_or_plan_so_far("b", job_id) is None  # another county's
    assert store.payload("a", job_id, "plan") is None  # the reports still see no plan
    assert not store.record_plan_so_far(job_id, claim.attempt + 1, '{"other": 1}')
    assert store.release(job_id, claim.attempt)
    assert store.plan_or_plan_so_far("a", job_id) is None
    again = store.claim()
    assert again is not None
    assert not store.record_plan_so_far(job_id, claim.attempt + 5, '{"late": 1}')
    assert store.record_plan_so_far(job_id, again.attempt, '{"so_far": 2}')
    assert store.finish(job_id, again.attempt, "succeeded", {}, plan_json='{"final": 1}')
    assert store.plan_or_plan_so_far("a", job_id) == '{"final": 1}'
    assert not store.record_plan_so_far(job_id, again.attempt, '{"after": 1}')
    assert store.plan_or_plan_so_far("a", job_id) == '{"final": 1}'
    with store.engine.connect() as connection:
        left = connection.execute(sa.text("SELECT plan_so_far FROM job_payloads")).scalar_one()
    assert left is None


def test_a_requeued_job_loses_its_plan_so_far(store: JobStore) -> None:
    job_id = submit(store)
    claim = store.claim()
    assert claim is not None and store.record_plan_so_far(job_id, claim.attempt, "{}")
    assert store.requeue_stale(lease_seconds=0.0, max_attempts=3) == (1, 0)
    assert store.plan_or_plan_so_far("a", job_id) is None
