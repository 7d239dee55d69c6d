"""Duplicate submissions: one household's need of one category submitted twice, merged before
solving.

Two or more open needs of the same household (non-null) and the same category are one need
asked for twice (a form filed with two departments, a request repeated after no answer). Serving
each would be duplicate aid planned on purpose, so one of them is *kept* and the others are
*merged* into it: the compiled problem offers them no arc, so no solver serves them, and the
evaluator reports them unmet with reason ``not_chosen`` and ``merged_into``. Serving one anyway
breaks no hard rule (H1-H8 are the contract); the duplicate-aid report flags it.

Not merged:

* village-level needs (no household): the scenario carries no description, and a village may
  well need two canals or two roads of one category;
* needs H8 holds back (recent aid to the household and category holds back all of them alike;
  their reason stays ``already_aided``);
* pinned needs: a pin says the need must be served (H1), so a pinned need is never merged away;
  it is kept in preference to the others, and a second pinned need of the key stays as it is.

The kept need is the first by: pinned; highest value(n) of DESIGN §5 (priority, region,
vulnerability); most hours (the larger request covers the smaller); earliest ``submitted``
(undated last); scenario order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass

from matcher.prepare.eligibility import index_by_id, need_value
from matcher.scenario import Need, Scenario

REASON = "the same household and category submitted twice"


@dataclass(frozen=True)
class Merge:
    """Needs of one household and category merged into the one kept."""

    kept: str
    merged: tuple[str, ...]
    household: str
    village: str
    category: str

    @property
    def detail(self) -> str:
        """Why the merged needs stay open, for their unmet entries."""
        return f"merged into {self.kept}: {REASON}"


def _keep_order(scenario: Scenario) -> dict[str, tuple[bool, float, float, dt.date, int]]:
    """Sort keys of needs: the first of a key's needs is the one kept."""
    villages = index_by_id(scenario.villages)
    latest = dt.date.max
    return {
        n.id: (
            n.pinned_provider is None,
            -need_value(n, villages[n.village], scenario.policy),
            -n.hours,
            n.submitted if n.submitted is not None else latest,
            i,
        )
        for i, n in enumerate(scenario.needs)
    }


def duplicate_submissions(scenario: Scenario, blocked: Container[str] = ()) -> tuple[Merge, ...]:
    """Every merge of the scenario's duplicate submissions, in the order of their first need.

    ``blocked`` holds the ids of needs H8 holds back (:func:`~matcher.prepare.eligibility.
    blocking_records`); they are left alone.
    """
    by_key: dict[tuple[str, str], list[Need]] = defaultdict(list)
    for need in scenario.needs:
        if need.household is not None and need.id not in blocked:
            by_key[(need.household, need.category.value)].append(need)
    keyed = [needs for needs in by_key.values() if len(needs) >= 2]
    if not keyed:
        return ()
    order = _keep_order(scenario)
    merges = []
    for needs in keyed:
        kept = min(needs, key=lambda n: order[n.id])
        merged = tuple(n.id for n in needs if n is not kept and n.pinned_provider is None)
        if merged:
            merges.append(
                Merge(
                    kept=kept.id,
                    merged=merged,
                    household=kept.household or "",
                    village=kept.village,
                    category=kept.category.value,
                )
            )
    return tuple(merges)


def merged_needs(merges: tuple[Merge, ...]) -> dict[str, Merge]:
    """Each merged need's id with its merge."""
    return {need: merge for merge in merges for need in merge.merged}
