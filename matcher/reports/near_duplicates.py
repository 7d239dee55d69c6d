"""Near-duplicate aid: one household helped in two *related* categories by different providers
inside the duplicate window.

Related categories are services that often overlap in practice (a child-care visit that is also
homework help), so two silos may have paid for much the same thing. They may just as well be
two real needs, so near-duplicates are flagged for a planner to look at and never counted as
waste. The relation table is small on purpose: each pair names why its services overlap.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence

from matcher.prepare.eligibility import aid_key
from matcher.scenario import AidRecord, Category

# Sorted category pairs (by value) and why their services overlap.
RELATED_CATEGORIES: dict[tuple[str, str], str] = {
    (Category.child_care.value, Category.education.value): (
        "after-school care of a left-behind child and tutoring: care visits routinely include "
        "homework help"
    ),
    (Category.child_care.value, Category.mental_health.value): (
        "care of a left-behind child and psychological support of the same child, often in the "
        "same visits"
    ),
    (Category.elderly_care.value, Category.medical.value): (
        "home care of an elderly person and medical visits: elderly-care visits include health "
        "checks and chronic-disease follow-up"
    ),
    (Category.medical.value, Category.mental_health.value): (
        "medical and mental-health services: village doctors and health teams deliver both"
    ),
    (Category.e_commerce.value, Category.employment.value): (
        "e-commerce training and job placement: both aim at the same household income, often "
        "with the same training"
    ),
    (Category.hardship_relief.value, Category.policy_service.value): (
        "hardship relief and policy service: the service is often the application for the same "
        "subsidy (低保, 临时救助) that relief pays"
    ),
}


def category_pair(a: str, b: str) -> str:
    """The sorted pair key "a|b"."""
    first, second = sorted((a, b))
    return f"{first}|{second}"


def windowed_runs(
    records: Sequence[AidRecord], window_days: int, qualifies: Callable[[list[AidRecord]], bool]
) -> list[list[AidRecord]]:
    """Runs of records inside a window that ``qualifies`` accepts, earliest first.

    A run starts at a record and takes every later record dated at most ``window_days`` after
    it (inclusive, like H8's window). A qualifying run's records are used up; otherwise the next
    run starts at the following record.
    """
    ordered = sorted(records, key=lambda r: (r.date, r.id))
    runs: list[list[AidRecord]] = []
    window = dt.timedelta(days=window_days)
    i, n = 0, len(ordered)
    while i < n - 1:
        first = ordered[i]
        j = i + 1
        while j < n and ordered[j].date - first.date <= window:
            j += 1
        run = ordered[i:j]
        if qualifies(run):
            runs.append(run)
            i = j
        else:
            i += 1
    return runs


def _crosses(a: str, b: str) -> Callable[[list[AidRecord]], bool]:
    """A run with a record of ``a`` and one of ``b`` from different providers."""

    def check(run: list[AidRecord]) -> bool:
        of_a = {r.provider for r in run if r.category.value == a}
        of_b = {r.provider for r in run if r.category.value == b}
        return bool(of_a) and bool(of_b) and len(of_a | of_b) > 1

    return check


def near_duplicate_groups(
    records: Sequence[AidRecord], window_days: int
) -> list[tuple[tuple[str, str], list[AidRecord]]]:
    """Every near-duplicate group of a ledger, with its related category pair.

    Records are keyed by household (or village, for village-level aid); for each related pair
    of :data:`RELATED_CATEGORIES` the key holds records of, its records of both categories are
    split into :func:`windowed_runs` that hold a record of each category from two different
    providers. A record can be in a duplicate group too, and in two near-duplicate groups when
    its category is related to two others (medical with elderly_care and with mental_health).
    Keys come in the order of their first record, then pairs in table order.
    """
    by_key: dict[tuple[str, str], dict[str, list[AidRecord]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for record in records:
        household, village, _ = aid_key(record.household, record.village, "")
        by_key[(household, village)][record.category.value].append(record)
    found: list[tuple[tuple[str, str], list[AidRecord]]] = []
    for by_category in by_key.values():
        if len(by_category) < 2:
            continue
        for a, b in RELATED_CATEGORIES:
            if a in by_category and b in by_category:
                both = [*by_category[a], *by_category[b]]
                found += [((a, b), run) for run in windowed_runs(both, window_days, _crosses(a, b))]
    return found
