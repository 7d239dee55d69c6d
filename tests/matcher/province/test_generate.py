"""A generated province: counties, classes, seeds, budget, and the files a province run writes."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from matcher.cli import app
from matcher.intake.loading import parse_scenario
from matcher.province.document import PROVINCE_FILE
from matcher.province.envelopes import build_province
from matcher.province.generate import (
    PROVINCE_POOL_ID,
    county_classes,
    county_seeds,
    default_budget,
    generate_province,
    pool_total,
    with_province_pool,
)

runner = CliRunner()


def test_the_class_mix_is_exact_and_shuffled_by_the_seed() -> None:
    """100 counties are 25 east, 35 central, 40 west (largest remainders of the shares), in an
    order that depends on the seed only."""
    classes = county_classes(100, 1)
    assert Counter(classes) == {"east": 25, "central": 35, "west": 40}
    assert county_classes(100, 1) == classes != county_classes(100, 2)
    assert Counter(county_classes(3, 0)) == {"east": 1, "central": 1, "west": 1}


def test_county_seeds_are_distinct_and_repeatable() -> None:
    """Each county has its own seed, derived from the province's."""
    seeds = county_seeds(5, 200)
    assert len(set(seeds)) == 200 and seeds == county_seeds(5, 200)
    assert seeds[:10] != county_seeds(6, 10)


def test_generate_province_is_deterministic_for_a_seed() -> None:
    """Same arguments, same counties and budget; the budget is 1% of the counties' own pool
    money in whole thousands; each county is named, classed and valid."""
    a = generate_province(3, 5, 40, seed=4)
    b = generate_province(3, 5, 40, seed=4)
    assert a.scenarios == b.scenarios and a.budget_yuan == b.budget_yuan
    assert generate_province(3, 5, 40, seed=5).scenarios != a.scenarios
    assert a.budget_yuan == default_budget([pool_total(s) for s in a.scenarios], 0.01)
    assert a.budget_yuan % 1000 == 0
    assert [s["name"] for s in a.scenarios] == ["省-县001", "省-县002", "省-县003"]
    for spec, scenario in zip(a.counties, a.scenarios, strict=True):
        regions = Counter(v["region"] for v in scenario["villages"])
        assert regions.most_common(1)[0][0] == spec.region
        parse_scenario(scenario)
    assert generate_province(2, 5, 40, seed=4, budget_yuan=12345).budget_yuan == 12345


def test_the_province_pool_admits_everything_and_is_replaced_not_doubled() -> None:
    """The envelope's pool has no restriction; setting it twice keeps one pool."""
    scenario = generate_province(1, 5, 40, seed=1).scenarios[0]
    once = with_province_pool(scenario, 5000)
    twice = with_province_pool(once, 7000)
    pools = [p for p in twice["pools"] if p["id"] == PROVINCE_POOL_ID]
    assert len(pools) == 1 and pools[0]["amount"] == 7000
    assert pools[0]["categories"] is None and pools[0]["villages"] is None
    assert pools[0]["regions"] is None and pools[0]["max_per_need"] is None
    assert pool_total(twice) == pool_total(scenario)
    assert len(scenario["pools"]) + 1 == len(twice["pools"])
    parse_scenario(twice)


def test_a_province_run_writes_one_file_per_county_and_the_province(tmp_path: Path) -> None:
    """N county files plus province.json; each county is its generated scenario plus the
    province pool holding its envelope; the envelopes add up to what was allocated, within the
    budget."""
    document = build_province(3, 6, 60, 2, tmp_path, budget_yuan=40_000, workers=1)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["county-001.json", "county-002.json", "county-003.json", PROVINCE_FILE]
    assert json.loads((tmp_path / PROVINCE_FILE).read_text(encoding="utf-8")) == document
    province = generate_province(3, 6, 60, seed=2, budget_yuan=40_000)
    envelopes = []
    for county, expected in zip(document["counties"], province.scenarios, strict=True):
        written = json.loads((tmp_path / county["file"]).read_text(encoding="utf-8"))
        assert written == with_province_pool(expected, county["envelope_yuan"])
        envelopes.append(county["envelope_yuan"])
    assert sum(envelopes) == document["allocated_yuan"] <= document["budget_yuan"] == 40_000
    assert sum(c["counties"] for c in document["by_class"].values()) == 3


def test_the_command_writes_the_same_files_with_one_process_or_two(tmp_path: Path) -> None:
    """``matcher generate-province`` with 2 worker processes writes byte for byte what one
    process writes."""
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        result = runner.invoke(
            app,
            [
                "generate-province",
                "--counties",
                "2",
                "--villages",
                "5",
                "--needs",
                "40",
                "--seed",
                "3",
                "--workers",
                str(workers),
                "--out",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        assert "envelopes by county class" in result.output
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    one, two = outputs
    assert one.keys() == two.keys() and len(one) == 3
    county_files = [name for name in one if name.startswith("county-")]
    assert all(one[name] == two[name] for name in county_files)
    drop = {"seconds"}
    docs = [json.loads(o[PROVINCE_FILE]) for o in outputs]
    for doc in docs:
        for key in drop:
            doc.pop(key)
        for county in doc["counties"]:
            county["lp"].pop("seconds")
        doc["lp"].pop("seconds")
    assert docs[0] == docs[1]
