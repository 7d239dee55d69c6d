"""Named policies of a sweep: a solver, a time limit, overrides of the scenario's policy
(DESIGN §3) and scale factors of its resources ("+10% cadre hours" against "+10% pool money").

A policies file is YAML or JSON, either ``{"policies": [{"name": ..., ...}, ...]}`` or a mapping
of name to spec. Every problem of the file is reported at once, each naming the policy and the
field it is about.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from matcher.scenario import Policy as ScenarioPolicy

# Names become file names of plans (``{scenario}__{policy}.json``) and CSV cells.
_NAME = re.compile(r"[\w.+-]+\Z")
DEFAULT_POLICY_NAME = "integrated"


class PolicyFileError(ValueError):
    """A policies file that cannot be used, with every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class Scale(BaseModel):
    """Factors applied to a scenario's resources before solving (1.0 leaves them as they are).

    ``pool_amount`` multiplies every pool's ``amount`` (rounded to whole yuan), not its
    ``max_per_need``; the hours factors multiply every cadre's or organisation's ``hours``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cadre_hours: Annotated[float, Field(gt=0)] = 1.0
    organization_hours: Annotated[float, Field(gt=0)] = 1.0
    pool_amount: Annotated[float, Field(ge=0)] = 1.0


class Policy(BaseModel):
    """One named way to solve every scenario of a sweep."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    solver: str = "auto"
    time_limit: Annotated[float, Field(gt=0)] = 30.0
    rounds: Annotated[int, Field(ge=1)] | None = None  # auto: bound by work, repeatable plans
    overrides: dict[str, Any] = Field(default_factory=dict)
    scale: Scale = Field(default_factory=Scale)

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("use letters, digits and . _ + - only (it names plan files)")
        return value

    @field_validator("solver")
    @classmethod
    def _known_solver(cls, value: str) -> str:
        from solvers import SOLVERS  # the names only; no solver module is imported

        if value not in SOLVERS:
            raise ValueError(f"unknown solver {value!r}; choose one of {', '.join(SOLVERS)}")
        return value

    @field_validator("overrides")
    @classmethod
    def _valid_overrides(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            ScenarioPolicy.model_validate(value)  # names and ranges of DESIGN §3's policy
        except ValidationError as error:
            raise ValueError("; ".join(_override_problems(error))) from None
        return value

    def apply(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of raw scenario data with this policy's overrides and scale factors applied.

        Overrides are merged over the scenario's own policy (weight tables key by key); values
        that are not numbers are left for the scenario's validation to report."""
        out = dict(data)
        if self.overrides:
            own = out.get("policy")
            merged: dict[str, Any] = dict(own) if isinstance(own, Mapping) else {}
            for key, value in self.overrides.items():
                before = merged.get(key)
                if isinstance(value, Mapping) and isinstance(before, Mapping):
                    merged[key] = {**before, **value}
                else:
                    merged[key] = value
            out["policy"] = merged
        s = self.scale
        for part, field, factor, whole in (
            ("cadres", "hours", s.cadre_hours, False),
            ("organizations", "hours", s.organization_hours, False),
            ("pools", "amount", s.pool_amount, True),
        ):
            if factor != 1.0 and isinstance(out.get(part), list):
                out[part] = [_scaled(item, field, factor, whole) for item in out[part]]
        return out


def _scaled(item: Any, field: str, factor: float, whole: bool) -> Any:
    if not isinstance(item, Mapping):
        return item
    value = item.get(field)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return item
    scaled = value * factor
    return {**item, field: round(scaled) if whole else scaled}


DEFAULT_POLICIES: tuple[Policy, ...] = (Policy(name=DEFAULT_POLICY_NAME),)


def _where(loc: Sequence[str | int]) -> str:
    parts = [str(p) for p in loc]
    return ".".join(parts) if parts else "(the spec)"


def _suggest(field: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(field, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _override_problems(error: ValidationError) -> list[str]:
    found = []
    for detail in error.errors():
        message = detail["msg"]
        if detail["type"] == "extra_forbidden":
            message = "not a policy field" + _suggest(
                str(detail["loc"][-1]), list(ScenarioPolicy.model_fields)
            )
        found.append(f"{_where(detail['loc'])}: {message}")
    return found


def _problems(name: str, error: ValidationError) -> list[str]:
    found: list[str] = []
    for detail in error.errors():
        loc = list(detail["loc"])
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden" and loc:
            model: type[BaseModel] = Scale if loc[0] == "scale" and len(loc) > 1 else Policy
            message = "unknown field" + _suggest(str(loc[-1]), list(model.model_fields))
        found.append(f"policy {name!r}: {_where(loc)}: {message}")
    return found


def parse_policies(data: object) -> list[Policy]:
    """Policies from parsed data: ``{"policies": [...]}``, a list of specs, or a mapping of
    name to spec. Raises :class:`PolicyFileError` with every problem."""
    specs: list[tuple[str, object]] = []
    problems: list[str] = []
    if isinstance(data, Mapping) and set(data) == {"policies"}:
        data = data["policies"]
    if isinstance(data, list):
        for position, spec in enumerate(data):
            label = spec.get("name") if isinstance(spec, Mapping) else None
            specs.append((str(label) if label is not None else f"#{position + 1}", spec))
    elif isinstance(data, Mapping):
        for name, spec in data.items():
            if isinstance(spec, Mapping) and spec.get("name", name) != name:
                problems.append(f"policy {str(name)!r}: name: differs from its key")
            elif isinstance(spec, Mapping):
                specs.append((str(name), {**spec, "name": name}))
            else:
                specs.append((str(name), spec))
    else:
        raise PolicyFileError(
            ['expected {"policies": [...]}, a list of policies or a mapping of name to policy']
        )
    policies: list[Policy] = []
    seen: set[str] = set()
    for label, spec in specs:
        if not isinstance(spec, Mapping):
            problems.append(f"policy {label!r}: expected a mapping of fields, got {spec!r}")
            continue
        if spec.get("name") is None:
            problems.append(f"policy {label!r}: name: missing")
            continue
        try:
            policy = Policy.model_validate(dict(spec))
        except ValidationError as error:
            problems.extend(_problems(label, error))
            continue
        if policy.name in seen:
            problems.append(f"policy {policy.name!r}: name: used by more than one policy")
        seen.add(policy.name)
        policies.append(policy)
    if not specs and not problems:
        problems.append("the file names no policy")
    if problems:
        raise PolicyFileError(problems)
    return policies


def load_policies(path: Path) -> list[Policy]:
    """Read a policies file (YAML for .yaml/.yml, JSON otherwise)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyFileError([f"{path}: cannot read: {error}"]) from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except (yaml.YAMLError, ValueError) as error:
        raise PolicyFileError([f"{path}: not valid {path.suffix[1:] or 'JSON'}: {error}"]) from None
    try:
        return parse_policies(data)
    except PolicyFileError as invalid:
        raise PolicyFileError([f"{path}: {p}" for p in invalid.problems]) from None
