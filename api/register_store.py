"""The durable need register (DESIGN §10): every write is one committed transaction.

The rules are :mod:`matcher.register`'s; this store applies them inside its transactions.
County versions are numbered per tenant; a need batch is stored all or nothing (its
Idempotency-Key in the same transaction, so a retried batch is never stored twice); an event
reads the need, applies :func:`matcher.register.transitions.apply_event` and updates the row
only if its ``row_version`` is still the one read (else it reads and applies again: of two
concurrent events one wins and the other meets the new status); a publish applies
:func:`matcher.register.publish.publish_plan` to the needs as read and updates each of them
the same way, the whole publish retried when any row moved meanwhile. Every read and write
names the tenant: another county's need is not there.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa

from api.database import writing
from api.store import now
from api.tables import (
    county_versions,
    need_batches,
    need_events,
    register_needs,
    register_publishes,
    register_state,
)
from matcher.intake.loading import canonical_json
from matcher.plan import Plan
from matcher.register.files import event_json, event_of
from matcher.register.model import (
    PLANNABLE,
    NeedEvent,
    PublishRecord,
    RegisteredNeed,
    Status,
)
from matcher.register.publish import PublishOutcome, publish_plan
from matcher.register.transitions import apply_event
from matcher.scenario import Need

_CHUNK = 500  # ids per IN (...) list
_ATTEMPTS = 5  # a write that lost a race is tried again this often


class NeedExists(Exception):
    """A need id the tenant's register already holds."""

    def __init__(self, need_id: str) -> None:
        self.need_id = need_id
        super().__init__(f"need {need_id} is already in the register")


class BatchKeyReused(Exception):
    """An Idempotency-Key used before for a need batch with another body."""

    def __init__(self, first_ids: Sequence[str]) -> None:
        self.first_ids = tuple(first_ids)
        super().__init__("this Idempotency-Key was used for another batch of needs")


class EventKeyReused(Exception):
    """An event's Idempotency-Key used before on this need for another event."""

    def __init__(self, need_id: str, first_type: str) -> None:
        self.need_id, self.first_type = need_id, first_type
        super().__init__(f"this Idempotency-Key was used for a {first_type} event of {need_id}")


class NeedNotFound(KeyError):
    """No need with this id in the tenant's register."""


class ConcurrentUpdate(Exception):
    """A write lost its race every time it was tried (the caller may try again)."""


class BadCursor(ValueError):
    """A pagination cursor this service did not issue."""


@dataclass(frozen=True)
class CountyVersion:
    """One version of a county's standing data (a scenario without needs)."""

    version: int
    scenario_json: str
    sha256: str
    created_at: dt.datetime


@dataclass(frozen=True)
class StoredNeed:
    """A registered need as stored: the record, the county version it was checked against,
    and the row version that guards its updates."""

    need: RegisteredNeed
    county_version: int
    row_version: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class NeedPage:
    """One page of needs in arrival order; ``next_cursor`` is None on the last."""

    needs: list[StoredNeed]
    next_cursor: str | None


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _funding_json(funding: tuple[tuple[str, int], ...]) -> str | None:
    return json.dumps([list(line) for line in funding], ensure_ascii=False) if funding else None


def _funding_of(text: str | None) -> tuple[tuple[str, int], ...]:
    return tuple((str(p), int(a)) for p, a in json.loads(text)) if text else ()


def _event_data(event: NeedEvent) -> str:
    """An event's fields beyond ``type`` and ``at``, as the ``data`` column holds them."""
    data = event_json(event)
    data.pop("type")
    data.pop("at")
    return json.dumps(data, ensure_ascii=False)


def _event_row(row: sa.RowMapping) -> NeedEvent:
    return event_of({**json.loads(row["data"]), "type": row["type"], "at": row["at"].isoformat()})


def _stored(row: sa.RowMapping, history: Iterable[NeedEvent] = ()) -> StoredNeed:
    """A ``register_needs`` row (and the need's history) as a stored need."""
    need = RegisteredNeed(
        need=Need.model_validate_json(row["need"]),
        status=cast(Status, row["status"]),
        provider=row["provider"],
        date=row["date"],
        funding=_funding_of(row["funding"]),
        history=tuple(history),
    )
    return StoredNeed(
        need,
        int(row["county_version"]),
        int(row["row_version"]),
        _aware(row["created_at"]),
        _aware(row["updated_at"]),
    )


def _insert_event(
    connection: sa.Connection,
    tenant: str,
    need_id: str,
    event: NeedEvent,
    stamp: dt.datetime,
    key: str | None = None,
) -> None:
    connection.execute(
        need_events.insert().values(
            tenant=tenant,
            need_id=need_id,
            type=event.type,
            at=event.at,
            data=_event_data(event),
            recorded_at=stamp,
            idempotency_key=key,
        )
    )


def _histories(
    connection: sa.Connection, tenant: str, need_ids: Sequence[str] | None = None
) -> dict[str, list[NeedEvent]]:
    """The histories of the tenant's needs (of ``need_ids`` only, when given), oldest first."""
    found: dict[str, list[NeedEvent]] = defaultdict(list)
    query = sa.select(need_events).where(need_events.c.tenant == tenant).order_by(need_events.c.id)
    batches = [None] if need_ids is None else list(_chunks(need_ids))
    for chunk in batches:
        chosen = query if chunk is None else query.where(need_events.c.need_id.in_(chunk))
        for row in connection.execute(chosen).mappings():
            found[row["need_id"]].append(_event_row(row))
    return found


def _update_needs(
    connection: sa.Connection,
    tenant: str,
    changes: Sequence[tuple[StoredNeed, RegisteredNeed]],
    stamp: dt.datetime,
    events: bool = True,
) -> None:
    """Write each ``new`` over its locked row and (with ``events``) append its last event, in
    two batches."""
    if not changes:
        return
    connection.execute(
        register_needs.update()
        .where(
            register_needs.c.tenant == tenant,
            register_needs.c.id == sa.bindparam("b_id"),
            register_needs.c.row_version == sa.bindparam("b_version"),
        )
        .values(
            status=sa.bindparam("b_status"),
            provider=sa.bindparam("b_provider"),
            date=sa.bindparam("b_date"),
            funding=sa.bindparam("b_funding"),
            row_version=sa.bindparam("b_next"),
            updated_at=stamp,
        ),
        [
            {
                "b_id": new.id,
                "b_version": old.row_version,
                "b_status": new.status,
                "b_provider": new.provider,
                "b_date": new.date,
                "b_funding": _funding_json(new.funding),
                "b_next": old.row_version + 1,
            }
            for old, new in changes
        ],
    )
    if not events:
        return
    connection.execute(
        need_events.insert(),
        [
            {
                "tenant": tenant,
                "need_id": new.id,
                "type": new.history[-1].type,
                "at": new.history[-1].at,
                "data": _event_data(new.history[-1]),
                "recorded_at": stamp,
            }
            for _, new in changes
        ],
    )


def _update_need(
    connection: sa.Connection, tenant: str, old: StoredNeed, new: RegisteredNeed
) -> bool:
    """Write ``new`` over the row if it is still at ``old``'s row version; whether it was."""
    updated = connection.execute(
        register_needs.update()
        .where(
            register_needs.c.tenant == tenant,
            register_needs.c.id == new.id,
            register_needs.c.row_version == old.row_version,
        )
        .values(
            status=new.status,
            provider=new.provider,
            date=new.date,
            funding=_funding_json(new.funding),
            row_version=old.row_version + 1,
            updated_at=now(),
        )
    ).rowcount
    return bool(updated == 1)


def _encode_cursor(need: StoredNeed) -> str:
    raw = json.dumps([need.created_at.isoformat(), need.need.id], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, need_id = json.loads(raw)
        if not isinstance(stamp, str) or not isinstance(need_id, str):
            raise ValueError
        return _aware(dt.datetime.fromisoformat(stamp)), need_id
    except (ValueError, TypeError, UnicodeDecodeError):
        raise BadCursor("this cursor is not one this service issued") from None


class RegisterStore:
    """The need registers of every tenant in the job store's database."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------------ the county

    def put_county(self, tenant: str, scenario_json: str, sha256: str) -> CountyVersion:
        """Store the county's standing data as its next version."""
        for _ in range(_ATTEMPTS):
            try:
                with writing(self.engine) as connection:
                    latest = connection.execute(
                        sa.select(sa.func.max(county_versions.c.version)).where(
                            county_versions.c.tenant == tenant
                        )
                    ).scalar_one_or_none()
                    version = CountyVersion((latest or 0) + 1, scenario_json, sha256, now())
                    connection.execute(
                        county_versions.insert().values(
                            tenant=tenant,
                            version=version.version,
                            scenario=scenario_json,
                            sha256=sha256,
                            created_at=version.created_at,
                        )
                    )
                    return version
            except sa.exc.IntegrityError:  # another PUT took the number (PostgreSQL)
                continue
        raise ConcurrentUpdate("the county was changed concurrently; try again")

    def county(self, tenant: str, version: int | None = None) -> CountyVersion | None:
        """A version of the tenant's county (the latest by default), or None."""
        query = sa.select(county_versions).where(county_versions.c.tenant == tenant)
        if version is not None:
            query = query.where(county_versions.c.version == version)
        query = query.order_by(county_versions.c.version.desc()).limit(1)
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return None
        return CountyVersion(
            row["version"], row["scenario"], row["sha256"], _aware(row["created_at"])
        )

    # ------------------------------------------------------------------ needs

    def add_needs(
        self,
        tenant: str,
        needs: Sequence[RegisteredNeed],
        county_version: int,
        idempotency_key: str | None,
        request_sha256: str,
    ) -> tuple[list[str], bool]:
        """Store a batch of received needs, all or none; ``(ids, replayed)``.

        A repeated Idempotency-Key with the same body gives the first batch's ids back
        (``replayed``), with another body :class:`BatchKeyReused`; an id the register holds
        already is :class:`NeedExists`. Of concurrent retries with one key, one stores the
        batch: the others meet its key (or, on PostgreSQL, its rows' keys) and replay it."""
        for _ in range(_ATTEMPTS):
            try:
                return self._add_needs(
                    tenant, needs, county_version, idempotency_key, request_sha256
                )
            except NeedExists:
                # On PostgreSQL a concurrent retry may commit between our look at the key and
                # our look at the ids: its key is there now, and the next attempt replays it.
                if idempotency_key is not None and self._batch(tenant, idempotency_key):
                    continue
                raise
            except sa.exc.IntegrityError:
                # A concurrent batch committed first: its key or one of our ids is there now.
                if idempotency_key is not None and self._batch(tenant, idempotency_key):
                    continue  # the next attempt replays it (or finds the key reused)
                taken = self._existing(tenant, [n.id for n in needs])
                if taken:
                    raise NeedExists(taken[0]) from None
        raise ConcurrentUpdate("the register was changed concurrently; try again")

    def _batch(self, tenant: str, key: str) -> sa.RowMapping | None:
        with self.engine.connect() as connection:
            return (
                connection.execute(
                    sa.select(need_batches).where(
                        need_batches.c.tenant == tenant, need_batches.c.idempotency_key == key
                    )
                )
                .mappings()
                .first()
            )

    def _existing(
        self, tenant: str, ids: Sequence[str], connection: sa.Connection | None = None
    ) -> list[str]:
        """The ids of ``ids`` the tenant's register holds, in the order given."""
        found: set[str] = set()
        with self.engine.connect() if connection is None else _same(connection) as reading:
            for chunk in _chunks(ids):
                found.update(
                    reading.execute(
                        sa.select(register_needs.c.id).where(
                            register_needs.c.tenant == tenant, register_needs.c.id.in_(chunk)
                        )
                    ).scalars()
                )
        return [i for i in ids if i in found]

    def _add_needs(
        self,
        tenant: str,
        needs: Sequence[RegisteredNeed],
        county_version: int,
        idempotency_key: str | None,
        request_sha256: str,
    ) -> tuple[list[str], bool]:
        ids = [n.id for n in needs]
        with writing(self.engine) as connection:
            if idempotency_key is not None:
                first = (
                    connection.execute(
                        sa.select(need_batches).where(
                            need_batches.c.tenant == tenant,
                            need_batches.c.idempotency_key == idempotency_key,
                        )
                    )
                    .mappings()
                    .first()
                )
                if first is not None:
                    first_ids = list(json.loads(first["need_ids"]))
                    if first["request_sha256"] != request_sha256:
                        raise BatchKeyReused(first_ids)
                    return first_ids, True
            taken = self._existing(tenant, ids, connection)
            if taken:
                raise NeedExists(taken[0])
            stamp = now()
            if needs:
                connection.execute(
                    register_needs.insert(),
                    [
                        {
                            "tenant": tenant,
                            "id": n.id,
                            "county_version": county_version,
                            "status": n.status,
                            "provider": n.provider,
                            "date": n.date,
                            "funding": _funding_json(n.funding),
                            "need": n.need.model_dump_json(exclude_none=True),
                            "submitted": n.submitted,
                            "village": n.need.village,
                            "category": n.need.category,
                            "row_version": 1,
                            "created_at": stamp,
                            "updated_at": stamp,
                        }
                        for n in needs
                    ],
                )
                connection.execute(
                    need_events.insert(),
                    [
                        {
                            "tenant": tenant,
                            "need_id": n.id,
                            "type": e.type,
                            "at": e.at,
                            "data": _event_data(e),
                            "recorded_at": stamp,
                        }
                        for n in needs
                        for e in n.history
                    ],
                )
            if idempotency_key is not None:
                connection.execute(
                    need_batches.insert().values(
                        tenant=tenant,
                        idempotency_key=idempotency_key,
                        request_sha256=request_sha256,
                        need_ids=json.dumps(ids, ensure_ascii=False),
                        created_at=stamp,
                    )
                )
            return ids, False

    def get(self, tenant: str, need_id: str) -> StoredNeed | None:
        """The tenant's need with its history, or None (also for another tenant's id)."""
        with self.engine.connect() as connection:
            return self._read(connection, tenant, need_id, with_history=True)

    def _read(
        self, connection: sa.Connection, tenant: str, need_id: str, with_history: bool
    ) -> StoredNeed | None:
        row = (
            connection.execute(
                sa.select(register_needs).where(
                    register_needs.c.tenant == tenant, register_needs.c.id == need_id
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        history = _histories(connection, tenant, [need_id])[need_id] if with_history else []
        return _stored(row, history)

    def page(
        self,
        tenant: str,
        limit: int,
        cursor: str | None = None,
        status: str | None = None,
        village: str | None = None,
        provider: str | None = None,
    ) -> NeedPage:
        """The tenant's needs in arrival order, filtered, ``limit`` at a time after
        ``cursor``, each with its history."""
        query = sa.select(register_needs).where(register_needs.c.tenant == tenant)
        for column, value in (("status", status), ("village", village), ("provider", provider)):
            if value is not None:
                query = query.where(register_needs.c[column] == value)
        if cursor is not None:
            created, need_id = _decode_cursor(cursor)
            query = query.where(
                sa.or_(
                    register_needs.c.created_at > created,
                    sa.and_(register_needs.c.created_at == created, register_needs.c.id > need_id),
                )
            )
        query = query.order_by(register_needs.c.created_at, register_needs.c.id).limit(limit + 1)
        with self.engine.connect() as connection:
            rows = list(connection.execute(query).mappings())
            more = len(rows) > limit
            rows = rows[:limit]
            histories = _histories(connection, tenant, [r["id"] for r in rows])
        found = [_stored(r, histories[r["id"]]) for r in rows]
        return NeedPage(found, _encode_cursor(found[-1]) if more and found else None)

    def needs(self, tenant: str) -> list[RegisteredNeed]:
        """Every need of the tenant's register with its history, in arrival order."""
        query = (
            sa.select(register_needs)
            .where(register_needs.c.tenant == tenant)
            .order_by(register_needs.c.created_at, register_needs.c.id)
        )
        with self.engine.connect() as connection:
            rows = list(connection.execute(query).mappings())
            histories = _histories(connection, tenant)
        return [_stored(r, histories[r["id"]]).need for r in rows]

    def assigned_between(
        self, tenant: str, provider: str | None, start: dt.date | None, end: dt.date | None
    ) -> list[StoredNeed]:
        """Needs with a provider and a service day (assigned, started, resolved; not closed)
        in ``[start, end]``, of one provider when given, by provider, day and id."""
        query = sa.select(register_needs).where(
            register_needs.c.tenant == tenant,
            register_needs.c.provider.is_not(None),
            register_needs.c.date.is_not(None),
            register_needs.c.status.in_(("assigned", "started", "resolved")),
        )
        if provider is not None:
            query = query.where(register_needs.c.provider == provider)
        if start is not None:
            query = query.where(register_needs.c.date >= start)
        if end is not None:
            query = query.where(register_needs.c.date <= end)
        query = query.order_by(
            register_needs.c.provider, register_needs.c.date, register_needs.c.id
        )
        with self.engine.connect() as connection:
            return [_stored(r) for r in connection.execute(query).mappings()]

    # ------------------------------------------------------------------ events

    def post_event(
        self, tenant: str, need_id: str, event: NeedEvent, key: str | None = None
    ) -> tuple[StoredNeed, bool]:
        """Apply a posted event to the need and append it to its history; the need after it,
        and whether ``key`` (an Idempotency-Key) found the event already there (then nothing
        is written and the need is as it is now).

        :class:`NeedNotFound` for an id the tenant does not have; the rules' own
        ``IllegalTransition`` and ``BadEvent`` (nothing written); :class:`EventKeyReused` when
        the key was used on this need for an event of another type, reason or satisfaction.
        When another write moved the need between the read and the update, the event is
        applied again to the need as it is now (so it may then be illegal)."""
        for _ in range(_ATTEMPTS):
            try:
                with writing(self.engine) as connection:
                    old = self._read(connection, tenant, need_id, with_history=False)
                    if old is None:
                        raise NeedNotFound(need_id)
                    if key is not None and self._keyed_event(
                        connection, tenant, need_id, key, event
                    ):
                        found = self._read(connection, tenant, need_id, with_history=True)
                        assert found is not None
                        return found, True
                    new = apply_event(old.need, event)
                    if not _update_need(connection, tenant, old, new):
                        continue  # nothing written: read it again
                    _insert_event(connection, tenant, need_id, event, now(), key)
                    found = self._read(connection, tenant, need_id, with_history=True)
                    assert found is not None
                    return found, False
            except sa.exc.IntegrityError:
                continue  # the same key committed meanwhile: the next round replays it
        raise ConcurrentUpdate(f"need {need_id} was changed concurrently; try again")

    def _keyed_event(
        self, connection: sa.Connection, tenant: str, need_id: str, key: str, event: NeedEvent
    ) -> bool:
        """Whether the need already has the event posted with ``key`` (``EventKeyReused``
        when that event says something else)."""
        row = (
            connection.execute(
                sa.select(need_events).where(
                    need_events.c.tenant == tenant,
                    need_events.c.need_id == need_id,
                    need_events.c.idempotency_key == key,
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return False
        first = _event_row(row)
        said = (first.type, first.reason, first.satisfaction, first.note)
        if said != (event.type, event.reason, event.satisfaction, event.note):
            raise EventKeyReused(need_id, first.type)
        return True

    # ------------------------------------------------------------------ publishing

    def publish(
        self, tenant: str, plan: Plan, plan_id: str, day: dt.date, plan_date: dt.date
    ) -> PublishOutcome:
        """Make the plan the county's current plan and move the needs it assigns (DESIGN §10,
        :func:`matcher.register.publish.publish_plan`), all in one transaction; tried again
        from the start when a need moved meanwhile."""
        served = sorted({a.need for a in plan.assignments})
        for _ in range(_ATTEMPTS):
            try:
                with writing(self.engine) as connection:
                    return self._publish(connection, tenant, plan, plan_id, day, plan_date, served)
            except sa.exc.IntegrityError:
                continue
        raise ConcurrentUpdate("the register was changed concurrently; try again")

    def _publish(
        self,
        connection: sa.Connection,
        tenant: str,
        plan: Plan,
        plan_id: str,
        day: dt.date,
        plan_date: dt.date,
        served: Sequence[str],
    ) -> PublishOutcome:
        # The plannable needs are locked for the transaction (PostgreSQL; SQLite's write
        # transaction holds the whole database), so the updates below need no version check
        # one by one and go to the database in one batch: a publish of 1,000 needs was 2,000
        # round trips, 5 s at the median under the service loop's load on PostgreSQL.
        rows = {
            r["id"]: _stored(r)
            for r in connection.execute(
                sa.select(register_needs)
                .where(
                    register_needs.c.tenant == tenant,
                    register_needs.c.status.in_(sorted(PLANNABLE)),
                )
                .with_for_update()
            ).mappings()
        }
        for chunk in _chunks([i for i in served if i not in rows]):
            for r in connection.execute(
                sa.select(register_needs).where(
                    register_needs.c.tenant == tenant, register_needs.c.id.in_(chunk)
                )
            ).mappings():
                rows[r["id"]] = _stored(r)
        outcome = publish_plan(plan, plan_id, (s.need for s in rows.values()), day, plan_date)
        stamp = now()
        _update_needs(connection, tenant, [(rows[new.id], new) for new in outcome.updated], stamp)
        _update_needs(
            connection, tenant, [(rows[n.id], n) for n in outcome.refunded], stamp, events=False
        )
        record = outcome.record
        connection.execute(
            register_publishes.insert().values(
                tenant=tenant,
                plan_id=plan_id,
                day=record.day,
                assigned=record.assigned,
                changed=record.changed,
                before=record.before,
                published_at=stamp,
            )
        )
        state = {"published_plan_id": plan_id, "published_at": stamp}
        moved = connection.execute(
            register_state.update().where(register_state.c.tenant == tenant).values(**state)
        ).rowcount
        if moved != 1:
            connection.execute(register_state.insert().values(tenant=tenant, **state))
        return outcome

    def publishes(self, tenant: str) -> list[PublishRecord]:
        """Every publish of the tenant, in order."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(register_publishes)
                .where(register_publishes.c.tenant == tenant)
                .order_by(register_publishes.c.id)
            ).mappings()
            return [
                PublishRecord(r["plan_id"], r["day"], r["assigned"], r["changed"], r["before"])
                for r in rows
            ]

    def published_plan_id(self, tenant: str) -> str | None:
        """The job whose plan the tenant published last, or None."""
        with self.engine.connect() as connection:
            found: str | None = connection.execute(
                sa.select(register_state.c.published_plan_id).where(
                    register_state.c.tenant == tenant
                )
            ).scalar_one_or_none()
        return found


class _same:
    """A context manager that lends an open connection without closing it."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> sa.Connection:
        return self.connection

    def __exit__(self, *_: object) -> None:
        return None


def fingerprint(data: Any) -> str:
    """The sha256 of a JSON value's canonical text (an Idempotency-Key's request body)."""
    return hashlib.sha256(canonical_json(data)).hexdigest()
