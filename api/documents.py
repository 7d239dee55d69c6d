"""Files planners send and take: a scenario read from an uploaded workbook (or JSON/YAML
file) with every problem located, and a plan's tables as a workbook to download.

The routes of :mod:`api.routes.files` call one function here each; the reading and writing
themselves are :mod:`matcher`'s (:func:`matcher.workbook.read_workbook`,
:func:`matcher.intake.loading.read_document`, :func:`matcher.export.write_plan_xlsx`).
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from fastapi import Response

from api import jobs
from api.problem_details import ApiProblem, item_of
from api.schemas import ProblemItem, ScenarioImport
from api.store import JobStore
from matcher.intake.issues import Issue, ScenarioInvalid
from matcher.scenario import Scenario
from matcher.workbook import Location
from matcher.workbook.limits import UploadLimits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ZIP_MAGIC = b"PK\x03\x04"

Format = Literal["auto", "xlsx", "json", "yaml"]


def _counts(scenario: Scenario) -> dict[str, int]:
    return {
        "villages": len(scenario.villages),
        "cadres": len(scenario.cadres),
        "organizations": len(scenario.organizations),
        "pools": len(scenario.pools),
        "needs": len(scenario.needs),
        "aid_records": len(scenario.aid_records),
    }


def _sniffed(body: bytes, declared: Format) -> Literal["xlsx", "json", "yaml"]:
    if declared != "auto":
        return declared
    if body.startswith(_ZIP_MAGIC):
        return "xlsx"
    return "json" if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")) else "yaml"


def _without_folder(problem: Issue, folder: str) -> ProblemItem:
    """A problem as a listed one, in both languages, never naming the server's temp path."""
    zh = problem.message_zh
    return item_of(
        replace(
            problem,
            message=problem.message.replace(folder + "/", ""),
            message_zh=None if zh is None else zh.replace(folder + "/", ""),
        )
    )


def _located(problem: Issue, where: Location, folder: str) -> ProblemItem:
    """A workbook problem with its sheet, row and column (none for the file as a whole)."""
    whole = where.sheet == "workbook" and where.row is None
    return _without_folder(problem, folder).model_copy(
        update={"sheet": None if whole else where.sheet, "row": where.row, "column": where.column}
    )


# One import at a time per process: each is bounded (UploadLimits keeps it under 1 GB), so
# the server's memory is bounded by the imports it runs at once.
_IMPORTS = threading.BoundedSemaphore(1)


def _import_workbook(body: bytes, limits: UploadLimits) -> ScenarioImport:
    from matcher.workbook import read_workbook

    with _IMPORTS, tempfile.TemporaryDirectory(prefix="matcher-import-") as folder:
        upload = Path(folder) / "upload.xlsx"
        upload.write_bytes(body)
        result = read_workbook(upload, limits=limits)
        items = [
            _located(p, w, folder) for p, w in zip(result.problems, result.locations, strict=True)
        ]
    errors = [i for i in items if i.severity == "error"]
    warnings = [i for i in items if i.severity == "warning"]
    if errors or result.scenario is None or result.raw is None:
        raise ApiProblem(
            422,
            "workbook-invalid",
            "The workbook is not a valid scenario",
            f"{len(errors)} problem(s), each at its sheet, row and column; nothing was stored",
            errors=errors or [ProblemItem(path="workbook", message="no scenario was read")],
            warnings=warnings,
        )
    return ScenarioImport(
        source="xlsx",
        name=result.scenario.name or "",
        counts=_counts(result.scenario),
        warnings=warnings,
        scenario=result.raw,
    )


def _import_document(body: bytes, kind: Literal["json", "yaml"]) -> ScenarioImport:
    from matcher.intake.loading import read_document

    with tempfile.TemporaryDirectory(prefix="matcher-import-") as folder:
        upload = Path(folder) / f"upload.{kind}"
        upload.write_bytes(body)
        try:
            document = read_document(upload)
        except ScenarioInvalid as invalid:
            raise ApiProblem(
                422,
                "scenario-invalid",
                "The scenario is not valid",
                f"the file cannot be read as a {kind.upper()} scenario; nothing was stored",
                errors=[_without_folder(p, folder) for p in invalid.errors],
            ) from None
    report = jobs.validate(document)  # 422 with every problem's JSON path
    assert isinstance(document, dict)
    return ScenarioImport(
        source=kind,
        name=report.name,
        counts=report.counts,
        warnings=report.warnings,
        scenario=document,
    )


def imported(body: bytes, declared: Format, limits: UploadLimits) -> ScenarioImport:
    """A scenario read from an uploaded file's bytes, as ``matcher import`` reads it, within
    the service's upload ``limits``: the scenario and its warnings, or 422 with every problem
    located (the first ones and a count, past the limit)."""
    if not body:
        raise ApiProblem(
            422,
            "request-invalid",
            "The request is not valid",
            "the body is empty: send the workbook (.xlsx) or the scenario file itself",
        )
    kind = _sniffed(body, declared)
    return _import_workbook(body, limits) if kind == "xlsx" else _import_document(body, kind)


def _plan_workbook(plan: dict[str, Any]) -> bytes:
    from matcher.export import write_plan_xlsx
    from matcher.plan import Plan

    with tempfile.TemporaryDirectory(prefix="matcher-export-") as folder:
        target = Path(folder) / "plan.xlsx"
        write_plan_xlsx(Plan.model_validate(plan), target)
        return target.read_bytes()


def plan_workbook(store: JobStore, tenant: str, job_id: str) -> Response:
    """The job's plan as an .xlsx download (409 while there is no plan), named after the job."""
    data = _plan_workbook(jobs.plan_of(store, tenant, job_id))
    safe = "".join(c for c in job_id if c.isalnum() or c in "-_")[:64] or "plan"
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="plan-{safe}.xlsx"'},
    )
