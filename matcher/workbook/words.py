"""The words of the workbook's problems and sheets, from the message catalogue.

A problem of an import is said once, as a catalogue key with its fields (:class:`Said`), and
read in either language: ``said("workbook.not_whole", column=..., text=...)``. A field whose
words differ by language (a column's Chinese or English name, a list of suggestions) is a
:class:`Words` pair, chosen when the message is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from matcher.i18n import Lang, t
from matcher.intake.issues import Issue, Severity


@dataclass(frozen=True)
class Words:
    """The same thing in Chinese and in English (a column's name, a list of names)."""

    zh: str
    en: str

    def text(self, lang: Lang) -> str:
        """The words in ``lang``."""
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True)
class Said:
    """A message of the catalogue with its fields; fields that are :class:`Words` or
    :class:`Said` are read in the message's language."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: Lang) -> str:
        """The message in ``lang``."""
        return t(self.key, lang, **{name: _in(value, lang) for name, value in self.params.items()})

    @property
    def message(self) -> str:
        """The message in English (what :attr:`Issue.message` holds)."""
        return self.text("en")

    def issue(
        self,
        path: str,
        id: str | None = None,
        severity: Severity = "error",
        suffix: Words | None = None,
    ) -> Issue:
        """The problem at ``path`` in both languages (``suffix`` added to each)."""
        en, zh = self.text("en"), self.text("zh")
        if suffix is not None:
            en, zh = en + suffix.en, zh + suffix.zh
        return Issue(path, en, id, severity, message_zh=zh)


def said(key: str, /, **params: object) -> Said:
    """The message ``key`` with its fields."""
    return Said(key, params)


def _in(value: object, lang: Lang) -> object:
    if isinstance(value, Words | Said):
        return value.text(lang)
    return value


def quoted(text: str, limit: int = 40) -> Words:
    """A text as found in a cell, quoted (cut after ``limit`` characters)."""
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return Words(f"“{short}”", json.dumps(short, ensure_ascii=False))


def listed(items: Iterable[Words | str]) -> Words:
    """Items joined as each language joins a list: 、 in Chinese, commas in English."""
    words = [item if isinstance(item, Words) else Words(item, item) for item in items]
    return Words("、".join(w.zh for w in words), ", ".join(w.en for w in words))
