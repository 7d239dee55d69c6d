"""Policies files: both shapes, YAML and JSON, and problems that name the policy and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.sweep import Policy, PolicyFileError, load_policies, parse_policies


def test_list_form_in_yaml(tmp_path: Path) -> None:
    """{"policies": [...]} in YAML gives the policies in order with their settings."""
    path = tmp_path / "p.yaml"
    path.write_text(
        "policies:\n"
        "  - name: integrated\n"
        "  - name: fair\n"
        "    solver: greedy\n"
        "    time_limit: 5\n"
        "    overrides: {fairness_floor_share: 0.3, fairness_weight: 2}\n"
        "  - name: more-money\n"
        "    scale: {pool_amount: 1.1}\n",
        encoding="utf-8",
    )
    integrated, fair, money = load_policies(path)
    assert (integrated.name, integrated.solver, integrated.time_limit) == ("integrated", "auto", 30)
    assert (fair.solver, fair.time_limit) == ("greedy", 5)
    assert fair.overrides == {"fairness_floor_share": 0.3, "fairness_weight": 2}
    assert money.scale.pool_amount == 1.1 and money.scale.cadre_hours == 1.0


def test_mapping_form_in_json(tmp_path: Path) -> None:
    """A mapping of name to spec in JSON: the key is the name."""
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"a": {"solver": "greedy"}, "b": {}}), encoding="utf-8")
    assert [(p.name, p.solver) for p in load_policies(path)] == [("a", "greedy"), ("b", "auto")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"fair": {"solver": "gready"}}, "policy 'fair': solver: unknown solver 'gready'"),
        ({"fair": {"time_limt": 5}}, "policy 'fair': time_limt: unknown field (did you mean"),
        (
            {"fair": {"overrides": {"fairness_floor_share": 2}}},
            "policy 'fair': overrides: fairness_floor_share: Input should be less than",
        ),
        (
            {"fair": {"overrides": {"fairnes_weight": 1}}},
            "policy 'fair': overrides: fairnes_weight: not a policy field (did you mean "
            "'fairness_weight'?)",
        ),
        ({"x": {"scale": {"cadre_hours": 0}}}, "policy 'x': scale.cadre_hours: Input should be"),
        ({"x": {"scale": {"hours": 1.1}}}, "policy 'x': scale.hours: unknown field"),
        ({"a/b": {}}, "policy 'a/b': name: use letters, digits"),
        ({"policies": [{"solver": "greedy"}]}, "policy '#1': name: missing"),
        ({"policies": [{"name": "a"}, {"name": "a"}]}, "policy 'a': name: used by more than one"),
        ({"a": {"name": "b"}}, "policy 'a': name: differs from its key"),
        ({"policies": []}, "the file names no policy"),
    ],
)
def test_problems_name_the_policy_and_field(data: object, expected: str) -> None:
    """Each problem says which policy and which field is wrong."""
    with pytest.raises(PolicyFileError) as raised:
        parse_policies(data)
    assert any(p.startswith(expected) for p in raised.value.problems), raised.value.problems


def test_every_problem_at_once_with_the_file(tmp_path: Path) -> None:
    """Problems of several policies come together, prefixed with the file."""
    path = tmp_path / "p.yaml"
    path.write_text("a: {solver: nope}\nb: {time_limit: -1}\n", encoding="utf-8")
    with pytest.raises(PolicyFileError) as raised:
        load_policies(path)
    problems = raised.value.problems
    assert len(problems) == 2 and all(p.startswith(f"{path}: policy '") for p in problems)


def test_unparsable_file(tmp_path: Path) -> None:
    """A syntax error is a PolicyFileError naming the file, not a traceback."""
    path = tmp_path / "p.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(PolicyFileError, match=r"p\.json: not valid json"):
        load_policies(path)


def test_apply_merges_overrides_and_scales() -> None:
    """Overrides merge over the scenario's policy (weights key by key); scale multiplies hours
    and rounds pool money to whole yuan."""
    policy = Policy(
        name="p",
        overrides={"region_weights": {"west": 2.0}, "fairness_weight": 1.0},
        scale={"cadre_hours": 1.1, "organization_hours": 0.5, "pool_amount": 1.1},
    )
    data = {
        "policy": {"region_weights": {"east": 0.9}, "min_cadres_per_village": 1},
        "cadres": [{"hours": 10}, {"hours": "x"}],
        "organizations": [{"hours": 100}],
        "pools": [{"amount": 1005, "max_per_need": 500}],
    }
    applied = policy.apply(data)
    assert applied["policy"] == {
        "region_weights": {"east": 0.9, "west": 2.0},
        "min_cadres_per_village": 1,
        "fairness_weight": 1.0,
    }
    assert applied["cadres"] == [{"hours": pytest.approx(11.0)}, {"hours": "x"}]
    assert applied["organizations"] == [{"hours": 50.0}]
    assert applied["pools"] == [{"amount": 1106, "max_per_need": 500}]
    assert data["cadres"] == [{"hours": 10}, {"hours": "x"}]  # the source is not changed
