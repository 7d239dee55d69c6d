"""The register as a file: what ``GET /v1/register/export`` gives and ``matcher service-kpis``
and ``matcher replay`` read and write.

``{"schema": "baolian-register/1", "county": {scenario without needs}, "needs": [{the need's
scenario fields, "status", "provider", "date", "funding": [{"pool", "amount"}], "history":
[{"type", "at", ...}]}], "publishes": [{"plan_id", "day", "assigned", "changed", "before"}]}``.
Dates are ISO; an event's optional fields are written only when set.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from matcher.register.model import (
    NeedEvent,
    PublishRecord,
    RegisteredNeed,
    Status,
)
from matcher.scenario import Need, Scenario

SCHEMA = "baolian-register/1"
_EVENT_FIELDS = ("reason", "note", "satisfaction", "provider", "date", "plan_id")


@dataclass(frozen=True)
class RegisterFile:
    """A county's standing data and its register."""

    county: Scenario
    needs: tuple[RegisteredNeed, ...]
    publishes: tuple[PublishRecord, ...]


def event_json(event: NeedEvent) -> dict[str, Any]:
    """One history entry as JSON (optional fields only when set)."""
    out: dict[str, Any] = {"type": event.type, "at": event.at.isoformat()}
    for name in _EVENT_FIELDS:
        value = getattr(event, name)
        if value is not None:
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def event_of(data: Mapping[str, Any]) -> NeedEvent:
    """A history entry from its JSON."""
    date = data.get("date")
    return NeedEvent(
        type=data["type"],
        at=dt.date.fromisoformat(data["at"]),
        reason=data.get("reason"),
        note=data.get("note"),
        satisfaction=data.get("satisfaction"),
        provider=data.get("provider"),
        date=None if date is None else dt.date.fromisoformat(date),
        plan_id=data.get("plan_id"),
    )


def need_json(need: RegisteredNeed) -> dict[str, Any]:
    """A registered need as JSON: its scenario fields, status, assignment and history."""
    out: dict[str, Any] = need.need.model_dump(mode="json", exclude_none=True)
    out["status"] = need.status
    if need.provider is not None:
        out["provider"] = need.provider
    if need.date is not None:
        out["date"] = need.date.isoformat()
    if need.funding:
        out["funding"] = [{"pool": p, "amount": a} for p, a in need.funding]
    out["history"] = [event_json(e) for e in need.history]
    return out


_REGISTER_FIELDS = ("status", "provider", "date", "funding", "history")


def need_of(data: Mapping[str, Any]) -> RegisteredNeed:
    """A registered need from its JSON (the scenario fields validated as a :class:`Need`)."""
    fields = {k: v for k, v in data.items() if k not in _REGISTER_FIELDS}
    date = data.get("date")
    return RegisteredNeed(
        need=Need.model_validate(fields),
        status=cast(Status, data.get("status", "open")),
        provider=data.get("provider"),
        date=None if date is None else dt.date.fromisoformat(date),
        funding=tuple((f["pool"], int(f["amount"])) for f in data.get("funding", ())),
        history=tuple(event_of(e) for e in data.get("history", ())),
    )


def publish_json(record: PublishRecord) -> dict[str, Any]:
    """A publish record as JSON."""
    return {
        "plan_id": record.plan_id,
        "day": record.day.isoformat(),
        "assigned": record.assigned,
        "changed": record.changed,
        "before": record.before,
    }


def publish_of(data: Mapping[str, Any]) -> PublishRecord:
    """A publish record from its JSON."""
    return PublishRecord(
        plan_id=data["plan_id"],
        day=dt.date.fromisoformat(data["day"]),
        assigned=int(data["assigned"]),
        changed=int(data["changed"]),
        before=int(data["before"]),
    )


def county_json(county: Scenario) -> dict[str, Any]:
    """The county's standing data: its scenario without ``needs``."""
    out: dict[str, Any] = county.model_dump(mode="json", exclude_none=True)
    out.pop("needs", None)
    return out


def register_json(
    county: Scenario, needs: Iterable[RegisteredNeed], publishes: Iterable[PublishRecord]
) -> dict[str, Any]:
    """The whole register file as JSON."""
    return {
        "schema": SCHEMA,
        "county": county_json(county),
        "needs": [need_json(n) for n in needs],
        "publishes": [publish_json(p) for p in publishes],
    }


def register_of(data: Mapping[str, Any]) -> RegisterFile:
    """A register file from its JSON (``ValueError`` when it is not one)."""
    if data.get("schema") != SCHEMA:
        raise ValueError(f"schema: expected {SCHEMA!r}, got {data.get('schema')!r}")
    county = Scenario.model_validate({**data["county"], "needs": []})
    return RegisterFile(
        county,
        tuple(need_of(n) for n in data.get("needs", ())),
        tuple(publish_of(p) for p in data.get("publishes", ())),
    )


def dumps(register: Mapping[str, Any]) -> str:
    """The register file's text (UTF-8 JSON, Chinese kept readable)."""
    return json.dumps(register, ensure_ascii=False, indent=1)
