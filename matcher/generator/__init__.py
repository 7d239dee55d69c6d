"""A realistic synthetic county: places, villages, roads, providers, pools, needs and ledgers.

:func:`generate_scenario` returns a JSON-ready dict of scenario schema_version 1 (DESIGN §3),
calibrated to the reported figures of DESIGN §1 so that benchmarks and demos face the problems
the product exists for: too few cadres per village, a small share of social helpers, money
that is scarce but not absurdly so, departments' ledgers that pay the same household twice, and
blind spots (an unreachable village, remote mountain villages, categories such as after-school
care for left-behind children that few providers can serve). Every draw comes from one
``numpy.random.default_rng(seed)``, so a seed always gives the same county.
:func:`calibration_figures` measures the calibrated figures of any scenario.

The package's modules, in the order :func:`generate_scenario` runs them:

- ``calibration``: every named constant and table, each saying where its figures come from;
- ``terrain``: the county shapes (``hills``, ``valley``, ``plain``, ``money``) and what each
  changes in the stages below;
- ``arrays``: the numpy array types the stages pass each other;
- ``geography``: the county seat, towns, villages, roads and travel minutes, and place names;
- ``providers``: cadres, social organisations and money pools;
- ``needs``: the open needs and the draws they share with the ledgers;
- ``capacity``: pairing hours, and need hours scaled to the providers' capacity;
- ``ledgers``: the aid records of the quarter before the horizon;
- ``schedule``: the days of a scheduled county (DESIGN §9): submissions, days off, holidays;
- ``county``: :func:`generate_scenario` and :func:`demo_scenario`, which assemble the county;
- ``figures``: :func:`calibration_figures`, :func:`ledger_duplication` and
  :func:`~matcher.generator.figures.terrain_figures`.
"""

from __future__ import annotations

from matcher.generator.county import (
    DEMO_NAME,
    DEMO_NEEDS,
    DEMO_SCHEDULED_NAME,
    DEMO_SEED,
    DEMO_VILLAGES,
    HORIZON_DAYS,
    HORIZON_START,
    demo_scenario,
    demo_scheduled_scenario,
    generate_scenario,
)
from matcher.generator.figures import calibration_figures, ledger_duplication

__all__ = [
    "DEMO_NAME",
    "DEMO_NEEDS",
    "DEMO_SCHEDULED_NAME",
    "DEMO_SEED",
    "DEMO_VILLAGES",
    "HORIZON_DAYS",
    "HORIZON_START",
    "calibration_figures",
    "demo_scenario",
    "demo_scheduled_scenario",
    "generate_scenario",
    "ledger_duplication",
]
