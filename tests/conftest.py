"""Shared fixtures: the contract county of DESIGN §6 and helpers to vary it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from matcher.plan import Plan, read_plan
from matcher.scenario import Scenario

DATA = Path(__file__).parent / "data"
CONTRACT = DATA / "contract"
ROOT = Path(__file__).parent.parent


def contract_dict() -> dict[str, Any]:
    """A fresh copy of the tiny contract county as raw data."""
    data: dict[str, Any] = json.loads((CONTRACT / "tiny-county.json").read_text())
    return copy.deepcopy(data)


@pytest.fixture
def tiny_raw() -> dict[str, Any]:
    """The tiny contract county as a dict the test may change."""
    return contract_dict()


@pytest.fixture
def tiny() -> Scenario:
    """The tiny contract county, validated."""
    return Scenario.model_validate(contract_dict())


@pytest.fixture
def tiny_expected() -> dict[str, Any]:
    """The contract's expected figures."""
    expected: dict[str, Any] = json.loads((CONTRACT / "tiny-expected.json").read_text())
    return expected


@pytest.fixture
def tiny_plan() -> Plan:
    """The contract's optimal plan."""
    return read_plan(CONTRACT / "tiny-plan.json")


@pytest.fixture
def tiny_broken_plan() -> Plan:
    """The contract's plan with ten violations."""
    return read_plan(CONTRACT / "tiny-plan-broken.json")
