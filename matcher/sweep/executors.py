"""Where a sweep's tasks run: in this process, in a local process pool, or on an existing Dask
distributed cluster. Each calls ``on_row(row)`` here, in the calling process, as each run
finishes, in the order they finish; the solver is imported only where tasks run."""

from __future__ import annotations

import multiprocessing
import os
import secrets
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any

from matcher.sweep.rows import error_row
from matcher.sweep.tasks import FileSource, Task

OnRow = Callable[[dict[str, Any]], None]


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_cores(workers: int, threads: int, oversubscribe: bool = False) -> None:
    """Refuse ``workers × threads`` beyond the cores (runs would slow each other down and
    time-limited solvers would find worse plans), unless asked to."""
    if workers < 1 or threads < 1:
        raise ValueError("workers and threads must be 1 or more")
    cores = available_cores()
    if workers * threads > cores and not oversubscribe:
        raise ValueError(
            f"{workers} workers × {threads} solver threads is more than the {cores} cores here; "
            "use fewer, or --oversubscribe"
        )


def default_workers(threads: int) -> int:
    """As many processes as the cores hold with ``threads`` solver threads each."""
    return max(1, available_cores() // max(1, threads))


def run_serial(
    tasks: Sequence[Task], threads: int, on_row: OnRow, keep_plans: bool = False
) -> None:
    """One task after the other in this process (debugging, and the baseline of timings)."""
    from matcher.sweep.run import run_task

    for task in tasks:
        on_row(run_task(task, threads, keep_plans))


def _context() -> Any:
    # forkserver: workers start clean (no copy of the caller's threads or open files);
    # spawn where forkserver does not exist.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run_local(
    tasks: Sequence[Task],
    workers: int,
    threads: int,
    on_row: OnRow,
    keep_plans: bool = False,
    oversubscribe: bool = False,
) -> None:
    """The tasks on a pool of ``workers`` processes, each solving with ``threads`` threads.

    A worker process that dies (killed, out of memory) fails its run and every run still
    queued: each becomes an error row, to be retried on the next run of the sweep."""
    check_cores(workers, threads, oversubscribe)
    if not tasks:
        return
    from matcher.sweep.run import run_task, settle_heap

    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)), mp_context=_context(), initializer=settle_heap
    )
    try:
        futures: dict[Future[dict[str, Any]], Task] = {
            pool.submit(run_task, task, threads, keep_plans): task for task in tasks
        }
        for future in as_completed(futures):
            task = futures.pop(future)
            try:
                row = future.result()
            except Exception as error:  # the process died; run_task itself never raises
                row = error_row(task, error, threads=threads)
            on_row(row)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_dask(
    tasks: Sequence[Task],
    address: str,
    threads: int,
    on_row: OnRow,
    keep_plans: bool = False,
    timeout: float = 30.0,
) -> None:
    """The tasks on the Dask distributed scheduler at ``address`` (``tcp://HOST:PORT``).

    Workers receive scenario data: a generator spec, or a file's content read here (they need
    not see this machine's files), never solver objects; they need this package installed.
    Each run uses ``threads`` solver threads, so start workers with ``--nthreads`` × threads ≤
    their cores. A scenario file that cannot be read here, or a run whose worker is lost,
    becomes an error row. Raises ``OSError`` when the scheduler cannot be reached."""
    if threads < 1:
        raise ValueError("threads must be 1 or more")
    from distributed import Client
    from distributed import as_completed as dask_completed

    from matcher.sweep.run import run_data_task, run_worker_task

    token = secrets.token_hex(4)
    client = Client(address, timeout=timeout)
    futures: dict[Any, Task] = {}
    scattered: dict[str, Any] = {}  # a file's label → its data on the cluster, or the error
    try:
        for number, task in enumerate(tasks):
            key = f"matcher-sweep-{token}-{number}-{task.scenario}-{task.policy.name}"
            source = task.source
            if not isinstance(source, FileSource):
                future = client.submit(
                    run_worker_task, task, threads, keep_plans, pure=False, key=key
                )
                futures[future] = task
                continue
            if source.label not in scattered:
                try:  # read here, once per file: the workers need not see this machine's files
                    scattered[source.label] = client.scatter([source.load()], hash=False)[0]
                except Exception as error:  # an unreadable file: no worker would do better
                    scattered[source.label] = error
            data = scattered[source.label]
            if isinstance(data, Exception):
                on_row(error_row(task, data, threads=threads))
                continue
            future = client.submit(
                run_data_task,
                source.label,
                data,
                task.policy,
                threads,
                keep_plans,
                pure=False,
                key=key,
            )
            futures[future] = task
        for future in dask_completed(list(futures)):
            task = futures.pop(future)
            try:
                row = future.result()
            except Exception as error:  # a lost worker (KilledWorker) or a cancelled run
                row = error_row(task, error, threads=threads)
            future.release()
            on_row(row)
    finally:
        if futures:
            client.cancel(list(futures))
        scattered.clear()
        client.close()
