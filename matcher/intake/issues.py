"""Problems of a scenario file: plain data that the CLI prints and the API returns.

A :class:`Issue` points at one spot of the document by a JSON path (``$.cadres[3].base``),
names the id of the list item it belongs to, and says in plain words what is wrong. Errors stop
a scenario from loading; warnings do not. The HTTP API turns the same list into RFC 9457
problem details, so a problem holds nothing but strings.

Its words come from the message catalogue (:mod:`matcher.i18n.messages`, the ``intake.`` keys)
in both languages: :meth:`Issue.said` with a key and its fields, whose parts that differ by
language are :class:`Words` (catalogue phrases) or :class:`Both` (a Chinese and an English
rendering). ``message`` is the English, ``message_zh`` the Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from matcher.i18n import Lang, t

Severity = Literal["error", "warning"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Words:
    """A phrase of the message catalogue (``key`` with ``params``), said in either language:
    a part of a problem's message whose words differ by language (a value described as "an
    object", the noun "village", a hint "did you mean ..."). A param may itself be
    :class:`Words` or :class:`Both`."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: Lang) -> str:
        """The phrase in ``lang``."""
        return t(self.key, lang, **spoken(self.params, lang))


@dataclass(frozen=True)
class Both:
    """A value written differently in each language but not from the catalogue: a list
    joined with "、" or ", ", a parser's own English words next to their Chinese."""

    zh: str
    en: str

    def text(self, lang: Lang) -> str:
        """The value in ``lang``."""
        return self.zh if lang == "zh" else self.en


def words(key: str, **params: object) -> Words:
    """:class:`Words` of ``key`` with ``params``."""
    return Words(key, params)


def spoken(params: Mapping[str, object], lang: Lang) -> dict[str, object]:
    """``params`` with every :class:`Words` and :class:`Both` said in ``lang``."""
    return {
        name: value.text(lang) if isinstance(value, Words | Both) else value
        for name, value in params.items()
    }


@dataclass(frozen=True)
class Issue:
    """One problem of a scenario: where it is, which item, what is wrong, and how bad."""

    path: str  # JSON path like "$.cadres[3].hours"
    message: str
    id: str | None = None  # the id of the offending item (e.g. "C0004"), or None
    severity: Severity = "error"
    message_zh: str | None = None  # the same in Chinese, when the catalogue has it

    @classmethod
    def said(
        cls,
        path: str,
        key: str,
        *,
        id: str | None = None,
        severity: Severity = "error",
        **params: object,
    ) -> Issue:
        """A problem whose words come from the message catalogue (``key`` with ``params``),
        so it can be read in Chinese and English alike. A param may be :class:`Words` or
        :class:`Both`: it is said in each language in turn."""
        return cls(
            path,
            t(key, "en", **spoken(params, "en")),
            id=id,
            severity=severity,
            message_zh=t(key, "zh", **spoken(params, "zh")),
        )

    @classmethod
    def of(
        cls,
        path: str,
        phrase: Words | Both,
        *,
        id: str | None = None,
        severity: Severity = "error",
    ) -> Issue:
        """A problem whose whole message is ``phrase`` (words of one language only, a
        :class:`Both` with the same text twice, leave the Chinese unknown)."""
        if isinstance(phrase, Words):
            return cls.said(path, phrase.key, id=id, severity=severity, **phrase.params)
        zh = phrase.zh if phrase.zh != phrase.en else None
        return cls(path, phrase.en, id=id, severity=severity, message_zh=zh)

    def text(self, lang: Lang) -> str:
        """The message in ``lang``; English when the problem has no Chinese words yet."""
        if lang == "zh" and self.message_zh is not None:
            return self.message_zh
        return self.message

    def to_dict(self, lang: Lang = "en") -> dict[str, str | None]:
        """The problem as a JSON-ready dict with keys path, message, id and severity.

        ``message`` is in ``lang``; in Chinese, ``message_en`` keeps the English words for
        the integrator's logs and searches."""
        out: dict[str, str | None] = {
            "path": self.path,
            "message": self.text(lang),
            "id": self.id,
            "severity": self.severity,
        }
        if lang == "zh":
            out["message_en"] = self.message
        return out

    def __str__(self) -> str:
        """``$.cadres[3].base (C0004): base "T99" is not a place or village``; the severity is
        left to the caller (the CLI colours it)."""
        return self.line("en")

    def line(self, lang: Lang) -> str:
        """The problem on one line in ``lang``: where, which item, what is wrong."""
        where = self.path if self.id is None else f"{self.path} ({self.id})"
        sep = "：" if lang == "zh" else ": "
        return f"{where}{sep}{self.text(lang)}"


def json_path(loc: Sequence[str | int]) -> str:
    """A JSON path for a location: ``("cadres", 3, "base")`` gives ``$.cadres[3].base``.

    Keys that are not plain identifiers are written in brackets:
    ``$.policy.priority_weights["1"]``.
    """
    parts = ["$"]
    for key in loc:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif _IDENTIFIER.match(key):
            parts.append(f".{key}")
        else:
            escaped = key.replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'["{escaped}"]')
    return "".join(parts)


def errors_of(problems: Iterable[Issue]) -> tuple[Issue, ...]:
    """The problems that stop a scenario from loading (or an import from writing)."""
    return tuple(p for p in problems if p.severity == "error")


def warnings_of(problems: Iterable[Issue]) -> tuple[Issue, ...]:
    """The problems that would not have stopped it on their own."""
    return tuple(p for p in problems if p.severity == "warning")


class ScenarioInvalid(Exception):
    """A scenario that cannot be used, with every problem found (errors and warnings)."""

    def __init__(self, problems: Iterable[Issue]) -> None:
        self.problems: tuple[Issue, ...] = tuple(problems)
        super().__init__(self._summary())

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The problems that stop the scenario from loading."""
        return errors_of(self.problems)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The problems that would not have stopped it on their own."""
        return warnings_of(self.problems)

    def _summary(self) -> str:
        errors = sum(1 for p in self.problems if p.severity == "error")
        warnings = len(self.problems) - errors
        head = f"the scenario has {errors} error{'s' * (errors != 1)}"
        if warnings:
            head += f" and {warnings} warning{'s' * (warnings != 1)}"
        return "\n".join([head + ":", *(f"  {p.severity}: {p}" for p in self.problems)])
