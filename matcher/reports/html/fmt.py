"""Escaping and number formats shared by the HTML report's parts.

Every value that comes from a scenario or a plan passes through :func:`esc` before it reaches
the page: names may hold ``<``, ``&`` or quotes, and the page must stay one safe document.
"""

from __future__ import annotations

import html
import math
from typing import Any

DASH = "—"


def esc(value: Any) -> str:
    """Text safe inside an element or a double-quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def number(value: Any, decimals: int = 0) -> str:
    """A number with thousands separators (a dash when missing or not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return DASH
    if isinstance(value, float) and not math.isfinite(value):
        return DASH
    return f"{value:,.{decimals}f}"


def share(value: Any, decimals: int = 1) -> str:
    """A share (0..1) as a percentage."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return DASH
    return f"{100 * value:.{decimals}f}%"


def compact(value: Any) -> str:
    """A number short enough for a chart label: 1,234 / 12.3k / 4.5M."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return DASH
    size = abs(value)
    if size >= 1e6:
        return f"{value / 1e6:.1f}M"
    if size >= 1e4:
        return f"{value / 1e3:.0f}k"
    return f"{value:,.0f}"


def as_float(value: Any) -> float | None:
    """A finite float, or None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def human(key: str) -> str:
    """A report key as a heading: ``near_duplicates`` -> ``Near duplicates``."""
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else key
