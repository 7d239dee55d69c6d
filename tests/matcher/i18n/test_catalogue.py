"""The message catalogue and the code labels: both languages for every key and every code."""

from __future__ import annotations

import string
from typing import get_args

import pytest

from matcher.i18n import MESSAGES, choose_lang, label, t
from matcher.i18n.codes import TABLES
from matcher.plan import UNMET_REASONS, PlanStatus
from matcher.reports.shapes import ShortReason
from matcher.scenario import CATEGORIES, REGIONS


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_fields(key: str) -> None:
    """A key with an empty language, or a field one language lacks, fails here."""
    zh, en = MESSAGES[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en)
    assert zh != en or zh.isascii()  # a Chinese text was written, not the English copied


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("category", CATEGORIES),
        ("region", REGIONS),
        ("unmet_reason", UNMET_REASONS),
        ("short_reason", get_args(ShortReason)),
        ("plan_status", get_args(PlanStatus)),
    ],
)
def test_every_code_has_a_label_in_both_languages(kind: str, codes: tuple[str, ...]) -> None:
    """Every category, region, reason and status the files may hold is labelled."""
    assert set(codes) == set(TABLES[kind])
    for code in codes:
        assert label(kind, code, "zh") != code and label(kind, code, "en")


def test_an_unknown_code_shows_itself_and_an_unknown_key_is_a_bug() -> None:
    """A ledger's own department name passes through; a missing message key raises."""
    assert label("department", "妇联", "zh") == "妇联"
    with pytest.raises(KeyError):
        t("no.such.key", "zh")
    assert t("solver.within", "en", gap="1.0%") == "within 1.0% of the best possible plan"


def test_the_language_follows_the_flag_then_the_setting_then_the_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--lang wins; then MATCHER_LANG; then an English locale; Chinese otherwise."""
    for variable in ("MATCHER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    assert choose_lang() == "zh"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert choose_lang() == "en"
    monkeypatch.setenv("MATCHER_LANG", "zh")
    assert choose_lang() == "zh"
    assert choose_lang("en") == "en"
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("MATCHER_LANG")
    assert choose_lang() == "zh"
