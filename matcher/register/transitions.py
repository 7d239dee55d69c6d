"""Which event may happen to a need in which status (DESIGN §10), one function per rule.

``open`` → ``assigned`` only by publishing a plan; ``assigned`` → ``started`` → ``resolved``
(a need done in one visit may go ``assigned`` → ``resolved``: the KPIs count a response from
the first ``started`` *or* ``resolved``); ``open``, ``assigned`` or ``started`` → ``closed``
with a reason; ``resolved`` or ``closed`` → ``open`` by ``reopened``; ``feedback`` only on a
``resolved`` or ``closed`` need, carrying ``satisfaction`` and changing no status. Anything
else is an :class:`IllegalTransition` (the API's 409); an event missing what its type needs
is a :class:`BadEvent` (422, naming the field).
"""

from __future__ import annotations

from collections.abc import Callable

from matcher.register.model import CLOSE_REASONS, NeedEvent, RegisteredNeed, Status

STATUS_ZH = {
    "open": "待分派",
    "assigned": "已分派",
    "started": "办理中",
    "resolved": "已解决",
    "closed": "已关闭",
}
EVENT_ZH = {
    "started": "开始办理",
    "resolved": "办结",
    "closed": "关闭",
    "reopened": "重新打开",
    "feedback": "满意度回访",
}


class IllegalTransition(Exception):
    """An event the need's current status does not allow."""

    def __init__(self, need_id: str, status: str, event_type: str, allowed_from: tuple[str, ...]):
        self.need_id, self.status, self.event_type = need_id, status, event_type
        self.allowed_from = allowed_from
        whence = ", ".join(allowed_from) or "no status"
        self.message = (
            f"need {need_id} is {status}; a {event_type!r} event is allowed only from {whence}"
        )
        zh_from = "、".join(STATUS_ZH.get(s, s) for s in allowed_from) or "任何状态"
        self.message_zh = (
            f"需求 {need_id} 当前为“{STATUS_ZH.get(status, status)}”；"
            f"“{EVENT_ZH.get(event_type, event_type)}”只能在{zh_from}时提交"
        )
        super().__init__(self.message)


class BadEvent(ValueError):
    """An event that lacks what its type needs, or carries what it must not."""

    def __init__(self, need_id: str, field: str, message: str, message_zh: str):
        self.need_id, self.field = need_id, field
        self.message, self.message_zh = message, message_zh
        super().__init__(f"{field}: {message}")


def _started(need: RegisteredNeed, event: NeedEvent) -> Status:
    """``assigned`` → ``started``: the provider has begun the work."""
    _require_from(need, event, ("assigned",))
    return "started"


def _resolved(need: RegisteredNeed, event: NeedEvent) -> Status:
    """``started`` (or ``assigned``, done in one visit) → ``resolved``."""
    _require_from(need, event, ("assigned", "started"))
    return "resolved"


def _closed(need: RegisteredNeed, event: NeedEvent) -> Status:
    """``open``, ``assigned`` or ``started`` → ``closed``, with one of the listed reasons."""
    if event.reason not in CLOSE_REASONS:
        raise BadEvent(
            need.id,
            "reason",
            f"a closed event needs a reason, one of {', '.join(CLOSE_REASONS)}",
            f"关闭须注明原因，可选：{'、'.join(CLOSE_REASONS)}",
        )
    _require_from(need, event, ("open", "assigned", "started"))
    return "closed"


def _reopened(need: RegisteredNeed, event: NeedEvent) -> Status:
    """``resolved`` or ``closed`` → ``open``: the household's need is back."""
    _require_from(need, event, ("resolved", "closed"))
    return "open"


def _feedback(need: RegisteredNeed, event: NeedEvent) -> Status:
    """The household's satisfaction with a ``resolved`` or ``closed`` need; no status change."""
    if event.satisfaction is None:
        raise BadEvent(
            need.id,
            "satisfaction",
            "a feedback event needs satisfaction (1-5)",
            "满意度回访须填写满意度（1-5）",
        )
    _require_from(need, event, ("resolved", "closed"))
    return need.status


RULES: dict[str, Callable[[RegisteredNeed, NeedEvent], Status]] = {
    "started": _started,
    "resolved": _resolved,
    "closed": _closed,
    "reopened": _reopened,
    "feedback": _feedback,
}


def _require_from(need: RegisteredNeed, event: NeedEvent, allowed: tuple[str, ...]) -> None:
    if need.status not in allowed:
        raise IllegalTransition(need.id, need.status, event.type, allowed)


def _check_satisfaction(need: RegisteredNeed, event: NeedEvent) -> None:
    if event.satisfaction is None:
        return
    if event.type not in ("feedback", "resolved"):
        raise BadEvent(
            need.id,
            "satisfaction",
            f"satisfaction is given only with feedback or resolved, not {event.type}",
            "满意度只能随“满意度回访”或“办结”提交",
        )
    if not 1 <= event.satisfaction <= 5:
        raise BadEvent(need.id, "satisfaction", "satisfaction is 1 to 5", "满意度取值为 1 到 5")


def apply_event(need: RegisteredNeed, event: NeedEvent) -> RegisteredNeed:
    """The need after a posted event, or :class:`IllegalTransition` / :class:`BadEvent`."""
    rule = RULES.get(event.type)
    if rule is None:
        raise BadEvent(
            need.id,
            "type",
            f"unknown event type {event.type!r}; one of {', '.join(RULES)}",
            f"未知的事件类型 {event.type!r}；可选：{'、'.join(RULES)}",
        )
    _check_satisfaction(need, event)
    if event.reason is not None and event.type != "closed":
        raise BadEvent(
            need.id, "reason", "a reason is given only with closed", "只有“关闭”需要注明原因"
        )
    return need.with_event(event, rule(need, event))
