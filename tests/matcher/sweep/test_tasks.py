"""Generator specs, scenario labels and the scenario a task builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher.generator import generate_scenario
from matcher.sweep import (
    GenerateSpecError,
    GeneratorSpec,
    Policy,
    build_scenario,
    make_tasks,
    parse_generate,
)

from .conftest import TINY


@pytest.mark.parametrize(
    ("text", "seeds"),
    [
        ("villages=10,needs=60,seeds=1..3", [1, 2, 3]),
        ("villages=10,needs=60,seeds=1,4,7", [1, 4, 7]),
        ("seeds=1..2,9,villages=10,needs=60", [1, 2, 9]),
        ("villages=10,needs=60,seed=4", [4]),
        ("villages=10,needs=60", [0]),
    ],
)
def test_generate_seeds(text: str, seeds: list[int]) -> None:
    """Seeds as a range, a list, both, one, or none (seed 0); one spec per seed."""
    specs = parse_generate(text)
    assert [s.seed for s in specs] == seeds
    assert {(s.villages, s.needs) for s in specs} == {(10, 60)}


def test_generate_optional_keys_and_labels() -> None:
    """towns and region reach the generator and the label."""
    (spec,) = parse_generate("villages=12,needs=50,seeds=3,towns=2,region=west")
    assert spec == GeneratorSpec(villages=12, needs=50, seed=3, towns=2, region="west")
    assert spec.label == "gen-v12-n50-s3-t2-west"
    assert GeneratorSpec(villages=300, needs=5000, seed=20).label == "gen-v300-n5000-s20"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("villages=abc,needs=60", "'villages=abc': villages must be a whole number"),
        ("villages=0", "'villages=0': villages must be 1 or more"),
        ("vilages=10", "'vilages=10': unknown key 'vilages'"),
        ("villages=10,seeds=5..1", "'seeds=5..1': the seed range runs backwards"),
        ("villages=10,seeds=1..x", "'seeds=1..x': a seed range's end must be a whole number"),
        ("villages=10,seeds=-1", "'seeds=-1': a seed must be 0 or more"),
        ("villages=10,7", "'7': expected key=value"),
        ("villages=10,,needs=5", "an empty part"),
        ("villages=10,villages=20", "'villages=20': villages is given twice"),
        ("villages=10,region=north", "'region=north': region must be one of"),
        ("villages=3,towns=5", "towns (5) must not exceed villages (3)"),
    ],
)
def test_generate_errors_name_the_part(text: str, names: str) -> None:
    """A wrong spec names the part that is wrong."""
    with pytest.raises(GenerateSpecError, match=names.replace("(", r"\(").replace(")", r"\)")):
        parse_generate(text)


def test_tasks_are_scenarios_times_policies(tmp_path: Path) -> None:
    """Every scenario × every policy, keyed by (file stem or generator label, policy name)."""
    policies = [Policy(name="a"), Policy(name="b")]
    tasks = make_tasks([tmp_path / "x.json"], parse_generate("seeds=1..2"), policies)
    assert [t.key for t in tasks] == [
        ("x", "a"),
        ("x", "b"),
        ("gen-v30-n600-s1", "a"),
        ("gen-v30-n600-s1", "b"),
        ("gen-v30-n600-s2", "a"),
        ("gen-v30-n600-s2", "b"),
    ]
    assert [t.seed for t in tasks] == [0, 0, 1, 1, 2, 2]


def test_two_files_with_one_stem_are_refused(tmp_path: Path) -> None:
    """Labels identify rows: two files with the same stem cannot be told apart."""
    with pytest.raises(ValueError, match="share the label 'x'"):
        make_tasks([tmp_path / "x.json", tmp_path / "sub" / "x.yaml"], [], [Policy(name="a")])


def test_scale_policy_changes_the_built_scenario() -> None:
    """cadre_hours 1.1 gives every cadre 10% more hours; pool_amount rounds to whole yuan."""
    spec = GeneratorSpec(seed=1, **TINY)
    (plain,) = make_tasks([], [spec], [Policy(name="plain")])
    (scaled,) = make_tasks(
        [], [spec], [Policy(name="more", scale={"cadre_hours": 1.1, "pool_amount": 1.1})]
    )
    before, _ = build_scenario(plain)
    after, _ = build_scenario(scaled)
    assert [c.hours * 1.1 for c in before.cadres] == pytest.approx([c.hours for c in after.cadres])
    assert [o.hours for o in before.organizations] == [o.hours for o in after.organizations]
    assert [round(p.amount * 1.1) for p in before.pools] == [p.amount for p in after.pools]
    assert before.needs == after.needs


def test_generated_source_is_what_matcher_generate_writes() -> None:
    """A generator spec builds the same county as generate_scenario with those arguments."""
    assert GeneratorSpec(seed=3, **TINY).load() == generate_scenario(seed=3, **TINY)
