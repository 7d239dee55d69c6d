"""The two reports of DESIGN §6, as JSON-ready plain data, and their text rendering.

``build_reports`` is what the orchestration attaches to a plan (``plan.reports``); the API
serves its two parts and the CLI prints :func:`render_text` of it. Their shapes are typed in
:mod:`matcher.reports.shapes`. Nothing here imports ``solvers/`` or ``api/``.
"""

from __future__ import annotations

from matcher.evaluate.evaluator import Evaluation
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex
from matcher.reports.blind_spots import blind_spots_report
from matcher.reports.duplicate_aid import duplicate_aid_report
from matcher.reports.shapes import PlanReports
from matcher.reports.text import render_text

__all__ = ["blind_spots_report", "build_reports", "duplicate_aid_report", "render_text"]


def build_reports(index: ScenarioIndex, plan: Plan, evaluation: Evaluation) -> PlanReports:
    """Both reports for an evaluated plan: ``{"duplicate_aid": ..., "blind_spots": ...}``."""
    return {
        "duplicate_aid": duplicate_aid_report(index, plan),
        "blind_spots": blind_spots_report(index, plan, evaluation),
    }
