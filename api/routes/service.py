"""The service itself: health (no key needed) and the solvers on offer."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import StoreDep, TenantDep
from api.problem_details import ApiProblem, responses
from api.schemas import Health, SolverInfo
from matcher import __version__
from solvers import describe_solvers

router = APIRouter(prefix="/v1", tags=["service"])


@router.get("/health", response_model=Health, responses=responses(503))
def health(request: Request, store: StoreDep) -> Health:
    """Up, with the store answering; job counts by status. No key needed."""
    try:
        counts = store.counts()
    except Exception as error:
        raise ApiProblem(
            503, "store-unavailable", "Service unavailable", type(error).__name__
        ) from None
    pool = request.app.state.pool
    return Health(
        status="ok",
        version=__version__,
        database=store.engine.dialect.name,
        workers=pool.size if pool else 0,
        workers_alive=pool.alive() if pool else 0,
        jobs=counts,
    )


@router.get("/solvers", response_model=list[SolverInfo], responses=responses(401))
def solvers(_tenant: TenantDep) -> list[SolverInfo]:
    """The solvers this service offers (DESIGN §7)."""
    return [SolverInfo(**entry) for entry in describe_solvers()]
