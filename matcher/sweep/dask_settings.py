"""Dask settings for sweep workers, and a LocalCluster that uses them.

Sweep tasks are long and CPU-bound, one per worker thread. Dask's defaults suit short tasks and
a live dashboard: an event-loop tick every 20 ms, a memory monitor every 100 ms, a profiler
sampling every 10 ms, work stealing, and ``MALLOC_TRIM_THRESHOLD_=65536`` in every worker. Each
wake-up preempts the solving thread, and the trim threshold makes each solve's big arrays be
mapped and faulted in anew. The settings are kept in one YAML file (:data:`CONFIG_DIR`), so that
workers of an existing cluster can load the same ones (``DASK_CONFIG=<dir> dask worker ...``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

CONFIG_DIR = Path(__file__).with_name("dask")
"""The folder holding ``matcher-sweep.yaml``; give it to Dask as ``DASK_CONFIG``."""

CONFIG_FILE = CONFIG_DIR / "matcher-sweep.yaml"


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        # pre-spawn-environ holds variable names, which are keys, not further levels
        if isinstance(value, dict) and not name.endswith("pre-spawn-environ"):
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, dict):
            flat.update({f"{name}.{var}": setting for var, setting in value.items()})
        else:
            flat[name] = value
    return flat


def sweep_worker_settings() -> dict[str, Any]:
    """The file's settings as dotted Dask config keys (``dask.config.set`` replaces whole
    sub-trees when given nested dicts, so each leaf is set on its own)."""
    tree = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    return _flatten(tree)


@contextmanager
def local_cluster(workers: int, threads: int = 1) -> Iterator[str]:
    """A Dask ``LocalCluster`` here, with the sweep settings: ``workers`` single-threaded worker
    processes (each run then solves with ``threads`` threads); yields the scheduler's address
    and closes the cluster on leaving."""
    if workers < 1 or threads < 1:
        raise ValueError("workers and threads must be 1 or more")
    import dask
    from distributed import LocalCluster

    # The nannies read their settings when created and pass them to their workers.
    with dask.config.set(sweep_worker_settings()):
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # no dashboard; its HTTP routes (health, metrics) on a free port, not on 8787
            scheduler_kwargs={"dashboard_address": ":0"},
        )
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()
