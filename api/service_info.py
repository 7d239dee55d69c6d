"""What the service says of itself: the health check (up or not for anyone, the caller's own
figures for a key holder) and the solvers on offer."""

from __future__ import annotations

from api.problem_details import ApiProblem
from api.schemas import Health, SolverOffer
from api.store import JobStore
from api.worker import WorkerPool
from matcher import __version__
from solvers import describe_solvers


def health(store: JobStore, pool: WorkerPool | None, tenant: str | None) -> Health:
    """``ok`` when the store answers (503 otherwise). Without a key that is all it says; a
    key adds the workers and that county's jobs by status, never another county's."""
    try:
        store.ping()
        counts = store.counts(tenant) if tenant is not None else None
    except Exception as error:
        raise ApiProblem(
            503, "store-unavailable", "Service unavailable", type(error).__name__
        ) from None
    if tenant is None:
        return Health(status="ok", version=__version__)
    return Health(
        status="ok",
        version=__version__,
        database=store.engine.dialect.name,
        workers=pool.size if pool else 0,
        workers_alive=pool.alive() if pool else 0,
        jobs=counts,
    )


def solver_list() -> list[SolverOffer]:
    """The solvers on offer (DESIGN §7) as the API shows them."""
    return [SolverOffer(**entry) for entry in describe_solvers()]
