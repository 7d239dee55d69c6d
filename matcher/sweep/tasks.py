"""What one run of a sweep is: a scenario source and a policy, small enough to send to a worker.

A worker builds the scenario itself from its source: it reads the file, or calls the generator
with the spec, or takes the raw data the client read for it (remote Dask workers need not see
the client's files). Scenario data cross process boundaries, never solver objects.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher.intake.loading import parse_scenario, read_document
from matcher.scenario import REGIONS, Scenario
from matcher.sweep.policies import Policy


class GenerateSpecError(ValueError):
    """A ``--generate`` spec that cannot be read; the message names the wrong part."""


@dataclass(frozen=True)
class GeneratorSpec:
    """One generated county: :func:`matcher.generator.generate_scenario`'s arguments."""

    villages: int
    needs: int
    seed: int = 0
    towns: int | None = None
    region: str | None = None

    @property
    def label(self) -> str:
        """``gen-v{villages}-n{needs}-s{seed}``, with ``-t{towns}`` / ``-{region}`` if given."""
        label = f"gen-v{self.villages}-n{self.needs}-s{self.seed}"
        if self.towns is not None:
            label += f"-t{self.towns}"
        if self.region is not None:
            label += f"-{self.region}"
        return label

    def load(self) -> dict[str, Any]:
        """The generated scenario as raw data, as ``matcher generate`` writes it."""
        from matcher.generator import generate_scenario

        return dict(
            generate_scenario(
                villages=self.villages,
                needs=self.needs,
                seed=self.seed,
                towns=self.towns,
                region=self.region,
            )
        )


@dataclass(frozen=True)
class FileSource:
    """A scenario file, read where the task runs (the local executor's processes)."""

    path: str
    label: str

    def load(self) -> dict[str, Any]:
        """The file's raw data; a file that is not a scenario object raises ScenarioInvalid."""
        data = read_document(Path(self.path))
        assert isinstance(data, dict)  # read_document refuses anything but an object
        return data


@dataclass(frozen=True, eq=False)
class DataSource:
    """A scenario's raw data, read on the client (a file's content sent to Dask workers)."""

    label: str
    data: dict[str, Any] = field(repr=False)

    def load(self) -> dict[str, Any]:
        """The raw data as sent."""
        return self.data


Source = GeneratorSpec | FileSource | DataSource


@dataclass(frozen=True)
class Task:
    """One run of a sweep: a scenario source under a policy."""

    source: Source
    policy: Policy

    @property
    def scenario(self) -> str:
        """The scenario's label: the file's stem or the generator spec's label."""
        return self.source.label

    @property
    def key(self) -> tuple[str, str]:
        """(scenario label, policy name): what identifies a row of the sweep's table."""
        return (self.source.label, self.policy.name)

    @property
    def seed(self) -> int:
        """The solver's seed: a generated county's seed, 0 for a file."""
        return self.source.seed if isinstance(self.source, GeneratorSpec) else 0


def build_scenario(task: Task) -> tuple[Scenario, int]:
    """The validated scenario a task solves (policy applied) and its number of warnings.

    Raises :class:`~matcher.intake.issues.ScenarioInvalid` when the source or the policy's changes
    make an invalid scenario, ``ValueError`` when the generator refuses the spec."""
    data = task.policy.apply(task.source.load())
    loaded = parse_scenario(data)
    return loaded.scenario, len(loaded.warnings)


# ----------------------------------------------------------------------------- --generate

_INT_KEYS = ("villages", "needs", "towns")
_KEYS = (*_INT_KEYS, "seeds", "seed", "region")


def _whole(part: str, key: str, text: str, least: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise GenerateSpecError(f"{part!r}: {key} must be a whole number, not {text!r}") from None
    if value < least:
        raise GenerateSpecError(f"{part!r}: {key} must be {least} or more")
    return value


def _seeds(part: str, text: str) -> list[int]:
    if ".." in text:
        low_text, _, high_text = text.partition("..")
        low = _whole(part, "a seed range's start", low_text, 0)
        high = _whole(part, "a seed range's end", high_text, 0)
        if high < low:
            raise GenerateSpecError(f"{part!r}: the seed range runs backwards ({low} > {high})")
        return list(range(low, high + 1))
    return [_whole(part, "a seed", text, 0)]


def parse_generate(text: str) -> list[GeneratorSpec]:
    """Generator specs from ``villages=300,needs=5000,seeds=1..20`` (one per seed).

    Keys: ``villages`` (default 30), ``needs`` (default 600), ``seeds`` (``1..20``, ``1,4,7``,
    or both; default 0), ``towns``, ``region``. A part without ``=`` continues the seeds list.
    Raises :class:`GenerateSpecError` naming the part that is wrong."""
    values: dict[str, Any] = {}
    seeds: list[int] = []
    last: str | None = None
    for raw in text.split(","):
        part = raw.strip()
        if not part:
            raise GenerateSpecError(f"{text!r}: an empty part (two commas, or one at an end)")
        key, eq, value = part.partition("=")
        key = key.strip().lower()
        if not eq:
            if last != "seeds":
                raise GenerateSpecError(
                    f"{part!r}: expected key=value (keys: villages, needs, seeds, towns, region)"
                )
            seeds += _seeds(part, part)
            continue
        if key not in _KEYS:
            raise GenerateSpecError(
                f"{part!r}: unknown key {key!r}; use villages, needs, seeds, towns or region"
            )
        key = "seeds" if key == "seed" else key
        if key in values:
            raise GenerateSpecError(f"{part!r}: {key} is given twice")
        value = value.strip()
        if key == "seeds":
            seeds += _seeds(part, value)
            values[key] = True
        elif key == "region":
            if value not in REGIONS:
                raise GenerateSpecError(f"{part!r}: region must be one of {', '.join(REGIONS)}")
            values[key] = value
        else:
            values[key] = _whole(part, key, value, 0 if key == "needs" else 1)
        last = key
    villages = int(values.get("villages", 30))
    towns = values.get("towns")
    if towns is not None and towns > villages:
        raise GenerateSpecError(f"{text!r}: towns ({towns}) must not exceed villages ({villages})")
    return [
        GeneratorSpec(
            villages=villages,
            needs=int(values.get("needs", 600)),
            seed=seed,
            towns=towns,
            region=values.get("region"),
        )
        for seed in dict.fromkeys(seeds or [0])
    ]


def make_tasks(
    files: Iterable[Path], specs: Iterable[GeneratorSpec], policies: Sequence[Policy]
) -> list[Task]:
    """Every scenario × every policy, scenarios in the order given.

    Raises ``ValueError`` when two scenarios share a label (file stems must differ)."""
    sources: list[Source] = [FileSource(str(Path(f).resolve()), Path(f).stem) for f in files]
    sources += list(specs)
    seen: dict[str, Source] = {}
    for source in sources:
        if source.label in seen and seen[source.label] != source:
            raise ValueError(
                f"two scenarios share the label {source.label!r}; rename one of the files"
            )
        seen[source.label] = source
    unique = list(seen.values())
    names = [p.name for p in policies]
    if len(set(names)) != len(names):
        raise ValueError("two policies share a name")
    return [Task(s, p) for s, p in itertools.product(unique, policies)]
