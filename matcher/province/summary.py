"""The province summary: the sweep's per-county result rows aggregated by policy and by county
class, with the province's envelopes beside them.

The sweep (``matcher sweep``) writes one CSV row per county × policy. This module reads only the
columns named below and is tolerant of any that are missing or empty: a figure whose column is
absent is left out, never taken as zero. Several rows of one county under one policy (repeats,
seeds) are averaged into one before summing, so repeats do not inflate the province's totals.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Any

from matcher.scenario import REGIONS

# ---- the sweep's columns this summary relies on ---------------------------------------------
COUNTY_COLUMNS = ("scenario", "county", "scenario_file", "file", "scenario_name", "name")
"""Which county a row is: the first present of these (the sweep writes ``scenario``, a file's
stem), matched to a county's file (``county-001.json``, with or without folder and suffix) or
name (``省-县001``)."""
POLICY_COLUMNS = ("policy", "solver")
"""Which policy a row is: the first present of these."""
OBJECTIVE_COLUMNS = ("objective", "kpi.objective")
"""The evaluator's objective: the first present of these."""
STATUS_COLUMN, ERROR_COLUMN = "status", "error"
"""A row with status ``error`` or a non-empty error is a failed run: counted, not summed."""
SUMMED_PREFIXES = ("kpi.", "dup.", "blind.")
"""Numeric columns with these prefixes are summed over counties (KPIs of
:mod:`matcher.evaluate.kpis`, the duplicate-aid and blind-spot report figures), except ratios: names
whose last part has one of NOT_SUMMED_WORDS among its words (``kpi.needs_served_share``,
``dup.waste_share_of_ledger_yuan``)."""
NOT_SUMMED_WORDS = frozenset({"share", "gini", "target", "ratio", "rate", "gap"})
RATIOS: tuple[tuple[str, str, str], ...] = (
    ("needs_served_share", "kpi.needs_served", "kpi.needs_total"),
    ("value_served_share", "kpi.value_served", "kpi.value_servable"),
    ("households_reached_share", "kpi.households_reached", "kpi.households_total"),
    ("villages_with_min_cadres_share", "kpi.villages_with_min_cadres", "kpi.villages_total"),
    ("funding_used_share", "kpi.funding_used", "kpi.funding_total"),
    ("duplicate_waste_share_of_ledger_yuan", "dup.waste_yuan", "dup.ledger_yuan"),
    ("households_unreached_share", "blind.households_unreached", "kpi.households_total"),
)
"""Province-wide shares: (name, numerator column, denominator column), each a ratio of sums,
i.e. the counties' shares weighted by their denominators."""
WEIGHTED_MEANS: tuple[tuple[str, str, str], ...] = (
    ("social_share_of_served_hours", "kpi.social_share_of_served_hours", "kpi.service_hours"),
)
"""Shares without a numerator column: (name, share column, weight column), weighted means."""
MINIMA: tuple[tuple[str, str], ...] = (("min_village_value_share", "kpi.min_village_value_share"),)
"""Worst county figures: (name, column)."""

UNKNOWN_CLASS = "unknown"


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str) and value.strip():
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _first_present(columns: Iterable[str], names: Sequence[str]) -> str | None:
    present = set(columns)
    return next((name for name in names if name in present), None)


def _summed(column: str) -> bool:
    words = set(column.rsplit(".", 1)[-1].split("_"))
    return (
        column.startswith(SUMMED_PREFIXES)
        and not words & NOT_SUMMED_WORDS
        and column not in OBJECTIVE_COLUMNS
    )


def _county_keys(province: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    keys: dict[str, Mapping[str, Any]] = {}
    for county in province.get("counties", []):
        file = str(county.get("file", ""))
        for key in (file, PurePath(file).stem, county.get("name")):
            if key:
                keys[str(key)] = county
    return keys


def _find_county(value: Any, keys: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any] | None:
    text = str(value or "").strip()
    if not text:
        return None
    path = PurePath(text.replace("\\", "/"))
    for key in (text, path.name, path.stem):
        if key in keys:
            return keys[key]
    return None


def _mean_rows(rows: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Column means over the rows that have each column."""
    values: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        for column, number in row.items():
            values[column].append(number)
    return {column: sum(v) / len(v) for column, v in values.items()}


def _figures(
    counties: Mapping[str, Mapping[str, float]], envelopes: Mapping[str, int]
) -> dict[str, Any]:
    """Totals, ratios of sums, weighted means and minima over one group's counties."""
    figures: dict[str, Any] = {"counties": len(counties)}
    columns = sorted({c for row in counties.values() for c in row})
    sums = {
        c: sum(row[c] for row in counties.values() if c in row)
        for c in columns
        if c == "objective" or _summed(c)
    }
    figures.update(sums)
    for name, numerator, denominator in RATIOS:
        pairs = [
            (row[numerator], row[denominator])
            for row in counties.values()
            if numerator in row and denominator in row
        ]
        whole = sum(d for _, d in pairs)
        if pairs:
            figures[name] = sum(n for n, _ in pairs) / whole if whole > 0 else 0.0
    for name, share, weight in WEIGHTED_MEANS:
        pairs = [(r[share], r[weight]) for r in counties.values() if share in r and weight in r]
        whole = sum(w for _, w in pairs)
        if pairs and whole > 0:
            figures[name] = sum(s * w for s, w in pairs) / whole
    for name, column in MINIMA:
        found = [row[column] for row in counties.values() if column in row]
        if found:
            figures[name] = min(found)
    known = [envelopes[c] for c in counties if c in envelopes]
    if known:
        figures["envelope_yuan"] = sum(known)
    return figures


def summarise_province(
    rows: Sequence[Mapping[str, Any]], province: Mapping[str, Any]
) -> dict[str, Any]:
    """The province's results by policy and by policy × county class, from the sweep's rows
    (one per county × policy; see the module's column constants) and ``province.json``."""
    columns = {c for row in rows for c in row}
    county_column = _first_present(columns, COUNTY_COLUMNS)
    policy_column = _first_present(columns, POLICY_COLUMNS)
    objective_column = _first_present(columns, OBJECTIVE_COLUMNS)
    keys = _county_keys(province)
    envelopes = {
        str(c.get("file")): int(c.get("envelope_yuan", 0)) for c in province.get("counties", [])
    }
    # policy → county key → its rows' numbers
    grouped: dict[str, dict[str, list[dict[str, float]]]] = defaultdict(lambda: defaultdict(list))
    region_of: dict[str, str] = {}
    read_as_is = {c for _, c, _ in WEIGHTED_MEANS} | {c for _, c in MINIMA}
    unmatched = 0
    failed: dict[str, int] = defaultdict(int)
    for position, row in enumerate(rows):
        policy = str(row.get(policy_column, "") or "-") if policy_column else "-"
        if row.get(STATUS_COLUMN) == "error" or str(row.get(ERROR_COLUMN) or "").strip():
            failed[policy] += 1
            continue
        county = _find_county(row.get(county_column), keys) if county_column else None
        if county is None:
            unmatched += 1
            key = f"row {position + 1}"
            region_of[key] = UNKNOWN_CLASS
        else:
            key = str(county.get("file"))
            region_of[key] = str(county.get("region", UNKNOWN_CLASS))
        numbers: dict[str, float] = {}
        for column, value in row.items():
            number = _number(value)
            if number is None:
                continue
            if column == objective_column:
                numbers["objective"] = number
            elif _summed(column) or column in read_as_is:
                numbers[column] = number
        grouped[policy][key].append(numbers)

    by_policy: dict[str, Any] = {}
    by_class: dict[str, Any] = {}
    for policy in sorted(grouped):
        per_county = {key: _mean_rows(found) for key, found in grouped[policy].items()}
        by_policy[policy] = _figures(per_county, envelopes)
        by_class[policy] = {}
        for region in (*REGIONS, UNKNOWN_CLASS):
            members = {k: v for k, v in per_county.items() if region_of[k] == region}
            if members:
                by_class[policy][region] = _figures(members, envelopes)

    classes: dict[str, dict[str, int]] = {}
    for county in province.get("counties", []):
        entry = classes.setdefault(str(county.get("region")), {"counties": 0, "envelope_yuan": 0})
        entry["counties"] += 1
        entry["envelope_yuan"] += int(county.get("envelope_yuan", 0))
    return {
        "province": province.get("name"),
        "budget_yuan": province.get("budget_yuan"),
        "allocated_yuan": province.get("allocated_yuan"),
        "dual_price": (province.get("lp") or {}).get("dual_price"),
        "envelopes": {
            "total_yuan": sum(e["envelope_yuan"] for e in classes.values()),
            "by_class": classes,
        },
        "columns": {
            "county": county_column,
            "policy": policy_column,
            "objective": objective_column,
        },
        "rows": len(rows),
        "failed_rows": dict(sorted(failed.items())),
        "unmatched_rows": unmatched,
        "by_policy": by_policy,
        "by_policy_class": by_class,
    }
