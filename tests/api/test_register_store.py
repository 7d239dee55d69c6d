"""The durable need register on SQLite and on PostgreSQL (DESIGN §10): batches all or none and
never twice under retries, events applied by the rules with optimistic concurrency, publishes
that move needs in one transaction, and tenants that never see each other's needs."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

from api import database
from api.database import migrate
from api.register_store import (
    BatchKeyReused,
    EventKeyReused,
    NeedExists,
    NeedNotFound,
    RegisterStore,
    fingerprint,
)
from api.store import JobStore
from api.tables import metadata, need_events, register_needs
from matcher.plan import Assignment, Plan, SolverInfo
from matcher.register.model import NeedEvent, RegisteredNeed, received
from matcher.register.transitions import IllegalTransition
from matcher.scenario import Need

DAY = dt.date(2026, 12, 7)


@pytest.fixture
def register(store: JobStore) -> Iterator[RegisterStore]:
    """A register over the migrated, empty store of each database kind."""
    yield RegisterStore(store.engine)


def need(need_id: str, village: str = "V1") -> RegisteredNeed:
    raw: dict[str, Any] = {
        "id": need_id,
        "village": village,
        "household": f"H-{need_id}",
        "category": "elderly_care",
        "hours": 2,
        "submitted": "2026-12-02",
    }
    return received(Need.model_validate(raw), DAY)


def add(
    register: RegisterStore, ids: list[str], tenant: str = "a", key: str | None = None
) -> tuple[list[str], bool]:
    batch = [need(i) for i in ids]
    return register.add_needs(tenant, batch, 1, key, fingerprint(ids))


def plan(*assignments: tuple[str, str, str | None]) -> Plan:
    return Plan(
        solver=SolverInfo(name="test", status="optimal"),
        assignments=[Assignment(need=n, provider=p, date=d) for n, p, d in assignments],
    )


def count(register: RegisterStore, table: sa.Table, tenant: str = "a") -> int:
    with register.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).select_from(table).where(table.c.tenant == tenant)
            ).scalar_one()
        )


def in_threads(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``n`` threads started together; each one's result or exception."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as error:  # the test looks at what each thread met
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


REGISTER_TABLES = {
    "county_versions",
    "register_needs",
    "need_events",
    "need_batches",
    "register_publishes",
    "register_state",
}


def test_migration_0005_goes_down_and_up_to_the_declared_tables(register: RegisterStore) -> None:
    """Revision 0005 creates the register's tables as api.tables declares them, and its
    downgrade removes exactly those."""
    config = Config()
    config.set_main_option("script_location", str(Path(database.__file__).with_name("migrations")))
    with register.engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
        connection.commit()
        left = set(sa.inspect(connection).get_table_names())
    assert not left & REGISTER_TABLES and {"jobs", "job_payloads", "job_events"} <= left
    migrate(register.engine)
    with register.engine.connect() as connection:
        assert set(sa.inspect(connection).get_table_names()) >= REGISTER_TABLES
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_county_versions_are_numbered_per_tenant(register: RegisterStore) -> None:
    assert register.county("a") is None
    assert register.put_county("a", '{"name": "one"}', "1" * 64).version == 1
    assert register.put_county("a", '{"name": "two"}', "2" * 64).version == 2
    assert register.put_county("b", '{"name": "b"}', "3" * 64).version == 1
    latest = register.county("a")
    assert latest is not None and latest.version == 2 and latest.scenario_json == '{"name": "two"}'
    first = register.county("a", 1)
    assert first is not None and first.sha256 == "1" * 64


def test_a_batch_is_stored_open_with_its_received_event(register: RegisterStore) -> None:
    ids, replayed = add(register, ["N1", "N2"])
    assert (ids, replayed) == (["N1", "N2"], False)
    stored = register.get("a", "N1")
    assert stored is not None and stored.need.status == "open" and stored.row_version == 1
    assert [e.type for e in stored.need.history] == ["received"]
    assert stored.need.submitted == dt.date(2026, 12, 2)


def test_a_known_id_refuses_the_whole_batch(register: RegisterStore) -> None:
    add(register, ["N1"])
    with pytest.raises(NeedExists) as refused:
        add(register, ["N2", "N1", "N3"])
    assert refused.value.need_id == "N1"
    assert count(register, register_needs) == 1
    assert register.get("a", "N2") is None


def test_a_repeated_key_replays_and_another_body_is_refused(register: RegisterStore) -> None:
    assert add(register, ["N1", "N2"], key="k") == (["N1", "N2"], False)
    assert add(register, ["N1", "N2"], key="k") == (["N1", "N2"], True)
    with pytest.raises(BatchKeyReused):
        add(register, ["N3"], key="k")
    assert count(register, register_needs) == 2
    assert count(register, need_events) == 2


def test_concurrent_retries_with_one_key_store_the_batch_once(register: RegisterStore) -> None:
    ids = [f"N{i}" for i in range(20)]
    results = in_threads(8, lambda _: add(register, ids, key="same"))
    assert all(isinstance(r, tuple) and r[0] == ids for r in results), results
    assert sum(1 for r in results if not r[1]) == 1  # exactly one stored it
    assert count(register, register_needs) == 20
    assert count(register, need_events) == 20


def test_events_follow_the_rules_and_bump_the_row_version(register: RegisterStore) -> None:
    add(register, ["N1"])
    register.publish("a", plan(("N1", "C1", "2026-12-08")), "p1", DAY, DAY)
    started, replayed = register.post_event("a", "N1", NeedEvent("started", DAY))
    assert not replayed
    assert started.need.status == "started" and started.row_version == 3
    resolved, _ = register.post_event("a", "N1", NeedEvent("resolved", DAY, satisfaction=5))
    assert resolved.need.status == "resolved"
    assert [e.type for e in resolved.need.history] == [
        "received",
        "assigned",
        "started",
        "resolved",
    ]
    assert resolved.need.history[-1].satisfaction == 5
    with pytest.raises(IllegalTransition):
        register.post_event("a", "N1", NeedEvent("started", DAY))
    again = register.get("a", "N1")
    assert again is not None and again.row_version == 4  # the refused event wrote nothing
    with pytest.raises(NeedNotFound):
        register.post_event("b", "N1", NeedEvent("closed", DAY, reason="duplicate"))


def test_of_two_concurrent_starts_one_wins(register: RegisterStore) -> None:
    add(register, ["N1"])
    register.publish("a", plan(("N1", "C1", None)), "p1", DAY, DAY)
    results = in_threads(2, lambda _: register.post_event("a", "N1", NeedEvent("started", DAY)))
    refused = [r for r in results if isinstance(r, IllegalTransition)]
    assert len(refused) == 1, results
    assert refused[0].status == "started"
    final = register.get("a", "N1")
    assert final is not None
    assert [e.type for e in final.need.history] == ["received", "assigned", "started"]


def test_publish_moves_needs_and_counts_the_churn(register: RegisterStore) -> None:
    add(register, ["N1", "N2", "N3", "N4"])
    first = register.publish(
        "a", plan(("N1", "C1", "2026-12-08"), ("N2", "C2", None)), "p1", DAY, DAY
    )
    assert (first.record.assigned, first.record.changed, first.record.before) == (2, 0, 0)
    n2 = register.get("a", "N2")
    assert n2 is not None and (n2.need.status, n2.need.provider, n2.need.date) == (
        "assigned",
        "C2",
        DAY,  # no day in the plan: the re-plan's date
    )
    register.post_event("a", "N2", NeedEvent("started", DAY))
    second = register.publish(
        "a",
        plan(("N2", "C9", None), ("N3", "C1", "2026-12-09"), ("N9", "C1", None)),
        "p2",
        DAY,
        DAY,
    )
    # N1 was published and is no longer served: back to open, one change of one before.
    assert (second.record.assigned, second.record.changed, second.record.before) == (1, 1, 1)
    assert dict(second.skipped) == {"N2": "now started", "N9": "not in the register"}
    n1 = register.get("a", "N1")
    assert n1 is not None and n1.need.status == "open" and n1.need.provider is None
    assert n1.need.history[-1].type == "unassigned"
    assert register.published_plan_id("a") == "p2"
    assert register.published_plan_id("b") is None
    assert [p.plan_id for p in register.publishes("a")] == ["p1", "p2"]


def test_pages_filter_and_follow_the_cursor(register: RegisterStore) -> None:
    add(register, ["N1", "N2", "N3"])
    add(register, ["N4", "N5"])
    register.publish("a", plan(("N2", "C1", None), ("N5", "C1", None)), "p1", DAY, DAY)
    seen: list[str] = []
    cursor = None
    while True:
        page = register.page("a", 2, cursor)
        seen += [n.need.id for n in page.needs]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == ["N1", "N2", "N3", "N4", "N5"]
    assert [n.need.id for n in register.page("a", 10, status="assigned").needs] == ["N2", "N5"]
    assert [n.need.id for n in register.page("a", 10, provider="C1").needs] == ["N2", "N5"]
    assert register.page("a", 10, village="V9").needs == []
    assert register.page("b", 10).needs == []


def test_other_tenants_see_nothing(register: RegisterStore) -> None:
    add(register, ["N1"], tenant="a")
    assert register.get("b", "N1") is None
    assert register.needs("b") == []
    # The same id is free in another county's register.
    assert add(register, ["N1"], tenant="b") == (["N1"], False)


def test_an_event_retried_with_its_key_is_recorded_once(register: RegisterStore) -> None:
    """A feedback answer retried after a lost response (the same Idempotency-Key) is found,
    not stored twice; under threads too; the key with another event is refused."""
    add(register, ["N1"])
    register.publish("a", plan(("N1", "C1", None)), "p1", DAY, DAY)
    register.post_event("a", "N1", NeedEvent("resolved", DAY))
    feedback = NeedEvent("feedback", DAY, satisfaction=4)
    results = in_threads(6, lambda _: register.post_event("a", "N1", feedback, "fb-1"))
    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(replayed for _, replayed in results) == [False] + [True] * 5
    final = register.get("a", "N1")
    assert final is not None
    assert [e.type for e in final.need.history].count("feedback") == 1
    with pytest.raises(EventKeyReused):
        register.post_event("a", "N1", NeedEvent("feedback", DAY, satisfaction=2), "fb-1")
    second, replayed = register.post_event("a", "N1", NeedEvent("feedback", DAY, satisfaction=5))
    assert not replayed and [e.type for e in second.need.history].count("feedback") == 2
