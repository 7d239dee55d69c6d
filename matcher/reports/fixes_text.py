"""Blind-spot fixes as text lines: for the largest unmet groups and the short villages, what
would close them, its LP-estimated value and, when a re-solve confirmed it, what it did."""

from __future__ import annotations

from matcher.reports.shapes import BlindSpotsReport, GroupFix

GROUPS_SHOWN = 10
FIXES_PER_GROUP = 2


def _confirmed(fix: GroupFix) -> str:
    result = fix.get("confirmed")
    if not result:
        return ""
    if result.get("error"):
        return f"; not confirmed: {result['error']}"
    verdict = "promise kept" if result.get("kept") else "PROMISE BROKEN"
    added = result.get("value_added")
    own = result.get("value_of_promised_services")
    gain = "" if added is None else f", objective {added:+,.1f}"
    if added is not None and own is not None:
        gain += f" (the promised services {own:+,.1f})"
    return (
        f"; re-solved: {result.get('needs_served_after', 0)} of "
        f"{result.get('needs_open_before', 0)} served{gain} ({verdict}, "
        f"{result.get('seconds', 0):.0f} s)"
    )


def render_fixes(report: BlindSpotsReport) -> list[str]:
    """Lines of the fixes in a blind-spot report (none when it has no fixes)."""
    skipped = report.get("fixes_skipped")
    if skipped:
        return ["", f"Fixes: not ranked ({skipped})"]
    groups = [g for g in report.get("unmet_groups", []) if g.get("fixes")]
    short = [v for v in report.get("short_villages", []) if v.get("fixes")]
    if not groups and not short:
        return []
    pricing = report.get("fix_pricing", {})
    lines = [
        "",
        "Fixes (ranked by LP dual prices"
        + ("" if pricing.get("lp_converged", True) else "; LP not converged: estimates")
        + ")",
    ]
    largest = sorted(groups, key=lambda g: (-g.get("needs", 0), -g.get("value_open", 0)))
    for group in largest[:GROUPS_SHOWN]:
        lines.append(
            f"  {group.get('town')} {group.get('category')}: {group.get('needs', 0)} needs, "
            f"value {group.get('value_open', 0):,.0f} open"
        )
        for fix in group["fixes"][:FIXES_PER_GROUP]:
            if fix.get("estimated_value") is None:
                lines.append(f"    {fix.get('rank')}. {fix.get('description')}")
                continue
            lines.append(
                f"    {fix.get('rank')}. {fix.get('description')} -> serves "
                f"{fix.get('needs_promised', 0)}, est. +{fix.get('estimated_value', 0):,.1f}"
                f"{_confirmed(fix)}"
            )
    if len(largest) > GROUPS_SHOWN:
        lines.append(f"  ... and {len(largest) - GROUPS_SHOWN} more groups with fixes")
    for village in short[:GROUPS_SHOWN]:
        lines.append(
            f"  village {village.get('village')} ({village.get('why')}, "
            f"{village.get('shortfall', 0)} short):"
        )
        for pairing in village["fixes"]:
            lines.append(f"    {pairing.get('rank')}. {pairing.get('description')}")
    return lines
