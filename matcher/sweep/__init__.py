"""Sweeps: every scenario × every policy, one tidy CSV row per run (issue 6).

Scenarios come from files or generator specs (:mod:`~matcher.sweep.tasks`), policies from a
small file (:mod:`~matcher.sweep.policies`); :class:`Sweep` runs what the table lacks on a local
process pool or a Dask cluster (:mod:`~matcher.sweep.executors`) and writes each row as it
arrives (:mod:`~matcher.sweep.table`). Only :mod:`matcher.sweep.run`, where a task runs,
imports the solvers.
"""

from matcher.sweep.driver import Sweep, SweepSummary, plan_file
from matcher.sweep.policies import (
    DEFAULT_POLICIES,
    Policy,
    PolicyFileError,
    Scale,
    load_policies,
    parse_policies,
)
from matcher.sweep.rows import IDENTITY, column_order, error_row, plan_row
from matcher.sweep.table import SweepTable
from matcher.sweep.tasks import (
    DataSource,
    FileSource,
    GenerateSpecError,
    GeneratorSpec,
    Task,
    build_scenario,
    make_tasks,
    parse_generate,
)

__all__ = [
    "DEFAULT_POLICIES",
    "IDENTITY",
    "DataSource",
    "FileSource",
    "GenerateSpecError",
    "GeneratorSpec",
    "Policy",
    "PolicyFileError",
    "Scale",
    "Sweep",
    "SweepSummary",
    "SweepTable",
    "Task",
    "build_scenario",
    "column_order",
    "error_row",
    "load_policies",
    "make_tasks",
    "parse_generate",
    "parse_policies",
    "plan_file",
    "plan_row",
]
