"""The service itself: health (no key needed) and the solvers on offer."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import OptionalTenantDep, StoreDep, TenantDep
from api.problem_details import responses
from api.schemas import Health, SolverOffer
from api.service_info import health as service_health
from api.service_info import solver_list

router = APIRouter(prefix="/v1", tags=["service"])


@router.get(
    "/health", response_model=Health, response_model_exclude_none=True, responses=responses(503)
)
def health(request: Request, store: StoreDep, tenant: OptionalTenantDep) -> Health:
    """Up, with the store answering. No key needed; with a key, also the workers and your
    county's jobs by status."""
    return service_health(store, request.app.state.pool, tenant)


@router.get("/solvers", response_model=list[SolverOffer], responses=responses(401))
def solvers(_tenant: TenantDep) -> list[SolverOffer]:
    """The solvers this service offers (DESIGN §7)."""
    return solver_list()
