"""Blind-spot fixes in plain words, in Chinese or English: what a fix is, for the largest
unmet groups and the villages short of cadres what would close them, what each is expected to
bring and, when a re-solve confirmed it, what it did.

A fix is described from its structured ``changes`` (kind, target, amount), so it reads in the
reader's language; its ``description`` (English, written by :mod:`matcher.advice`) is the
fallback for a kind this module does not know. The LP method that ranks the fixes is named
only in a footnote: a planner needs what to change, not how it was priced.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matcher.i18n import Lang, choose_lang, label, t
from matcher.reports.headline import NameOf, category, named, who
from matcher.reports.shapes import BlindSpotsReport, GroupFix, PairingFix

GROUPS_SHOWN = 10
FIXES_PER_GROUP = 2
FIX_KINDS = ("extra_hours", "provider_hours", "longer_travel", "extra_funding", "village_cap")


def _g(value: Any) -> str:
    """A number as short as it reads: 4, 4.5, 12,000."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return "-"


def describe_change(change: Mapping[str, Any], lang: Lang, names: NameOf | None = None) -> str:
    """One resource change of a fix in plain words."""
    kind = change.get("kind")
    target = change.get("target")
    amount = change.get("amount")
    if kind == "extra_hours":
        skills = change.get("skills") or {}
        text = t(
            "fix.change.extra_hours",
            lang,
            hours=_g(amount),
            skills=", ".join(
                f"{category(s, lang)} ≥ {level}" for s, level in sorted(skills.items())
            ),
            base=named(target, names),
            town=named(change.get("town") or target, names),
        )
        if change.get("max_travel_minutes") is not None:
            text += t("fix.change.longest_trip", lang, minutes=_g(change["max_travel_minutes"]))
        return text
    if kind == "provider_hours":
        return t("fix.change.provider_hours", lang, provider=named(target, names), hours=_g(amount))
    if kind == "longer_travel":
        return t(
            "fix.change.longer_travel", lang, provider=named(target, names), minutes=_g(amount)
        )
    if kind == "extra_funding":
        common = {
            "yuan": _g(amount),
            "categories": ", ".join(category(c, lang) for c in change.get("categories") or []),
            "villages": len(change.get("villages") or []),
        }
        department = change.get("department")
        if department is None:
            return t("fix.change.pool_top_up", lang, pool=named(target, names), **common)
        return t("fix.change.new_pool", lang, department=who(department, lang, names), **common)
    if kind == "village_cap":
        return t("fix.change.village_cap", lang, village=named(target, names), yuan=_g(amount))
    return ""


def describe_fix(
    fix: GroupFix | PairingFix | Mapping[str, Any], lang: Lang, names: NameOf | None = None
) -> str:
    """What a fix changes, in plain words (its own description when a change is unknown)."""
    kind = fix.get("kind")
    if kind == "road":
        need_ids = fix.get("need_ids")
        return t("fix.road", lang, count=len(need_ids) if isinstance(need_ids, list) else 0)
    changes = [c for c in fix.get("changes") or [] if isinstance(c, Mapping)]
    parts = [describe_change(c, lang, names) for c in changes]
    if kind == "pairing" and fix.get("cadre"):
        head = t(
            "fix.pairing",
            lang,
            cadre=named(fix.get("cadre"), names),
            base=named(fix.get("base"), names),
            minutes=_g(fix.get("minutes")),
            hours=_g(fix.get("hours")),
        )
        if "no pairing slot" in str(fix.get("description", "")):
            head += t("fix.no_slot", lang)
        return t("list.semicolon", lang).join([head, *parts])
    if parts and all(parts):
        return t("list.semicolon", lang).join(parts)
    return str(fix.get("description") or kind or "?")


def kind_label(kind: Any, lang: Lang) -> str:
    """A fix's kind as a short label (more hours, longer trips, money, ...)."""
    if kind in (*FIX_KINDS, "road", "pairing"):
        return t(f"fix.kind.{kind}", lang)
    return str(kind or "")


def _confirmed(fix: GroupFix, lang: Lang) -> str:
    result = fix.get("confirmed")
    if not result:
        return ""
    if result.get("error"):
        return t("fix.not_confirmed", lang, error=result["error"])
    verdict = t("fix.kept" if result.get("kept") else "fix.broken", lang)
    added = result.get("value_added")
    gain = "" if added is None else t("fix.gain", lang, value=f"{added:+,.1f}")
    return t(
        "fix.resolved",
        lang,
        served=result.get("needs_served_after", 0),
        open=result.get("needs_open_before", 0),
        gain=gain,
        verdict=verdict,
        seconds=f"{result.get('seconds', 0):.0f}",
    )


def render_fixes(
    report: BlindSpotsReport, lang: Lang | None = None, *, names: NameOf | None = None
) -> list[str]:
    """Lines of the fixes in a blind-spot report (none when it has no fixes): what a fix is,
    the fixes of the largest groups and of the short villages, and the method's footnote."""
    lang = lang or choose_lang(None)
    skipped = report.get("fixes_skipped")
    if skipped:
        return ["", t("fix.skipped", lang, why=skipped)]
    groups = [g for g in report.get("unmet_groups", []) if g.get("fixes")]
    short = [v for v in report.get("short_villages", []) if v.get("fixes")]
    if not groups and not short:
        return []
    pricing = report.get("fix_pricing", {})
    lines = ["", t("fix.intro", lang)]
    largest = sorted(groups, key=lambda g: (-g.get("needs", 0), -g.get("value_open", 0)))
    for group in largest[:GROUPS_SHOWN]:
        lines.append(
            "  "
            + t(
                "fix.group",
                lang,
                town=named(group.get("town"), names),
                category=category(group.get("category"), lang),
                needs=group.get("needs", 0),
                value=f"{group.get('value_open', 0):,.0f}",
            )
        )
        for fix in group["fixes"][:FIXES_PER_GROUP]:
            what = describe_fix(fix, lang, names)
            if fix.get("estimated_value") is None:
                lines.append(f"    {fix.get('rank')}. {what}")
                continue
            lines.append(
                f"    {fix.get('rank')}. {what} → "
                + t(
                    "fix.serves",
                    lang,
                    needs=fix.get("needs_promised", 0),
                    value=f"{fix.get('estimated_value', 0):,.1f}",
                )
                + _confirmed(fix, lang)
            )
    if len(largest) > GROUPS_SHOWN:
        lines.append("  " + t("fix.more_groups", lang, count=len(largest) - GROUPS_SHOWN))
    for village in short[:GROUPS_SHOWN]:
        lines.append(
            "  "
            + t(
                "fix.village",
                lang,
                village=named(village.get("village"), names),
                why=label("short_reason", str(village.get("why", "")), lang),
                shortfall=village.get("shortfall", 0),
            )
        )
        for pairing in village["fixes"]:
            lines.append(f"    {pairing.get('rank')}. {describe_fix(pairing, lang, names)}")
    lines += ["", t("fix.footnote", lang)]
    if not pricing.get("lp_converged", True):
        lines.append(t("fix.not_converged", lang))
    return lines
