"""Chinese first, English kept: the labels of codes (:mod:`matcher.i18n.codes`), the message
catalogue of every text a person reads (:mod:`matcher.i18n.messages`), and the choice of
language (``--lang``, ``MATCHER_LANG``, the locale)."""

from __future__ import annotations

import os

from matcher.i18n.codes import LANGS, Lang, label
from matcher.i18n.messages import MESSAGES, t

__all__ = ["LANGS", "MESSAGES", "Lang", "choose_lang", "label", "t"]


def choose_lang(asked: str | None = None) -> Lang:
    """The language to speak: ``asked`` (a ``--lang`` flag or an API's choice) when it is
    ``zh`` or ``en``, else ``MATCHER_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``: English when it names English), else Chinese, the users' own language."""
    for value in (asked, os.environ.get("MATCHER_LANG")):
        if value in LANGS:
            return value
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        locale = os.environ.get(variable, "")
        if locale:
            return "en" if locale.lower().startswith("en") else "zh"
    return "zh"
