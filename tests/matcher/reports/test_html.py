"""The HTML report (``render_html``; ``matcher solve --html``, ``matcher report --html``)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.evaluate.evaluator import evaluate
from matcher.generator import generate_scenario
from matcher.i18n import t
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex
from matcher.reports import build_reports
from matcher.reports.html import render_html
from matcher.reports.html.fmt import esc
from matcher.reports.html.svg_map import NO_NEEDS_COLOUR, coverage_colour
from matcher.run import solve_scenario
from matcher.scenario import Scenario
from tests.conftest import CONTRACT

runner = CliRunner()
WHEN = dt.datetime(2026, 12, 1, 9, 0)
HOSTILE = "<script>alert(\"x\")</script> & 'Q' <b>bold</b>"


class Page(HTMLParser):
    """Elements with their attributes, and each table's body rows, by table id."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.in_map: list[tuple[str, dict[str, str]]] = []  # inside svg#county-map
        self._map_depth = 0
        self.rows: dict[str, int] = defaultdict(int)
        self.cells: dict[str, list[list[str]]] = defaultdict(list)
        self._table: str | None = None
        self._in_body = False
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.elements.append((tag, found))
        if self._map_depth or found.get("id") == "county-map":
            self.in_map.append((tag, found))
            self._map_depth += tag == "svg"
        if tag == "table":
            self._table = found.get("id", "")
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body and self._table is not None:
            self.rows[self._table] += 1
            self.cells[self._table].append([])
        elif tag == "td" and self._in_body and self._table is not None:
            self._cell = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self._map_depth and tag == "svg":
            self._map_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._map_depth:
            self._map_depth -= 1
        if tag == "table":
            self._table = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None and self._table is not None:
            self.cells[self._table][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def having(self, tag: str, css: str) -> list[dict[str, str]]:
        """Attributes of the map's elements of a tag that carry a class."""
        return [a for t, a in self.in_map if t == tag and css in a.get("class", "").split()]


def render(data: dict[str, Any], plan: Plan, lang: str = "en") -> tuple[str, ScenarioIndex]:
    index = ScenarioIndex.build(Scenario.model_validate(data))
    return render_html(index, plan, generated=WHEN, lang=lang), index


def fresh_reports(index: ScenarioIndex, plan: Plan) -> dict[str, Any]:
    return build_reports(index, plan, evaluate(index, plan))


def test_map_has_one_circle_per_village_and_every_road(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """One ``circle.village`` per village with its id, in scenario order; one line per road."""
    html, _ = render(tiny_raw, tiny_plan)
    page = Page(html)
    assert [c["data-id"] for c in page.having("circle", "village")] == ["V1", "V2", "V3"]
    assert len(page.having("line", "road")) == len(tiny_raw["roads"]) == 5
    assert [p["data-id"] for p in page.having("rect", "place")] == ["S0", "T1", "T2"]


def test_village_colour_is_its_served_share(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """V1 serves 2 of its 2 servable needs (N6 is held back), V2 3 of 4, V3 1 of 1 (N7 open)."""
    html, _ = render(tiny_raw, tiny_plan)
    circles = {c["data-id"]: c for c in Page(html).having("circle", "village")}
    for village, circle in circles.items():
        assert circle["fill"] == coverage_colour(float(circle["data-share"])), village
    assert coverage_colour(1.0) == "#1a9850" and coverage_colour(0.0) == "#d73027"
    assert coverage_colour(None) == NO_NEEDS_COLOUR


def test_markers_follow_the_blind_spot_report(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """The contract plan pairs V3 with one cadre of two: V3 alone has the short-of-cadres ring;
    every village is reachable, so no cross."""
    html, index = render(tiny_raw, tiny_plan)
    page = Page(html)
    short = [v["village"] for v in fresh_reports(index, tiny_plan)["blind_spots"]["short_villages"]]
    assert short == ["V3"]
    assert [m["data-id"] for m in page.having("circle", "short-marker")] == short
    assert page.having("path", "unreachable-marker") == []
    assert "tbl-unreachable-villages" not in page.rows
    assert 'id="tbl-unreachable-villages-empty"' in html


def test_an_unreachable_village_is_crossed(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Without the road T2-V3, V3 is unreachable: a cross on the map and a row in its table."""
    tiny_raw["roads"] = [r for r in tiny_raw["roads"] if r["to"] != "V3"]
    plan = tiny_plan.model_copy(deep=True)
    plan.assignments = [a for a in plan.assignments if a.need != "N4"]
    plan.pairings = [p for p in plan.pairings if p.village != "V3"]
    html, _ = render(tiny_raw, plan)
    page = Page(html)
    assert [m["data-id"] for m in page.having("path", "unreachable-marker")] == ["V3"]
    assert "V3" in [m["data-id"] for m in page.having("circle", "short-marker")]
    assert page.rows["tbl-unreachable-villages"] == 1
    assert page.cells["tbl-unreachable-villages"][0][:2] == ["Gaoshan (V3)", "West Town (T2)"]
    assert len(page.having("line", "road")) == 4
    assert "UNREACHABLE" in html
    chinese, _ = render(tiny_raw, plan, "zh")
    assert "道路不通：没有道路通到这个村" in chinese


def test_table_rows_equal_the_report_lists(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Every list of both reports is shown whole: one body row per entry."""
    html, index = render(tiny_raw, tiny_plan)
    page = Page(html)
    reports = fresh_reports(index, tiny_plan)
    blind, duplicate = reports["blind_spots"], reports["duplicate_aid"]
    expected = {
        "tbl-unmet-groups": len(blind["unmet_groups"]),
        "tbl-short-villages": len(blind["short_villages"]),
        "tbl-unreachable-villages": len(blind["unreachable_villages"]),
        "tbl-unreached-households": len(blind["unreached_households"]["villages"]),
        "tbl-categories-nobody": len(blind["categories_served_by_nobody"]),
        "tbl-duplicate-groups": len(duplicate["groups"]),
        "tbl-held-back": len(duplicate["held_back"]),
        "tbl-waste-department-pair": len(duplicate["by_department_pair"]),
    }
    # Sections the duplicate-aid report may carry (near-duplicates, merged submissions).
    for table_id, key, rows_key in (
        ("tbl-near-duplicates", "near_duplicates", "groups"),
        ("tbl-merged-submissions", "merged_submissions", "merges"),
    ):
        if isinstance(duplicate.get(key), dict):
            expected[table_id] = len(duplicate[key].get(rows_key) or [])
    assert expected["tbl-unmet-groups"] > 0 and expected["tbl-duplicate-groups"] == 1
    for table_id, rows in expected.items():
        if rows:
            assert page.rows[table_id] == rows, table_id
        else:
            assert table_id not in page.rows and f'id="{table_id}-empty"' in html, table_id
    (group,) = page.cells["tbl-duplicate-groups"]
    assert group[0] == "H-V1-017" and group[10] == "500"  # waste yuan


def test_hostile_names_are_escaped(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Names with markup stay text: the page has the same elements as with plain names, the
    escaped form is written and reads back as the name."""
    plain, _ = render(tiny_raw, tiny_plan)
    tiny_raw["name"] = HOSTILE
    tiny_raw["villages"][0]["name"] = HOSTILE
    tiny_raw["places"][1]["name"] = HOSTILE
    tiny_raw["pools"][0]["name"] = HOSTILE
    tiny_raw["organizations"][0]["name"] = HOSTILE
    html, _ = render(tiny_raw, tiny_plan)
    assert HOSTILE not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;Q&#x27;" in html
    page = Page(html)
    # The same elements as with plain names, but for the rosters, which set a name apart
    # from its id only where there is one (and the plain county names no pool).
    assert [t for t, _ in Page(_without_rosters(html)).elements] == [
        t for t, _ in Page(_without_rosters(plain)).elements
    ]
    assert page.cells["tbl-duplicate-groups"][0][1] == f"{HOSTILE} (V1)"  # V1's name, read back


def _without_rosters(html: str) -> str:
    start = html.index('<section id="rosters"')
    return html[:start] + html[html.index("</section>", start) + len("</section>") :]


def test_chinese_names_pass_through(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Chinese names are written as they are (UTF-8), with a CJK-capable font stack."""
    tiny_raw["villages"][2]["name"] = "高山村"
    tiny_raw["places"][2]["name"] = "西镇"
    html, _ = render(tiny_raw, tiny_plan)
    assert '<meta charset="utf-8">' in html
    assert ">高山村</text>" in html and ">西镇</text>" in html
    assert '"Noto Sans CJK SC"' in html and '"WenQuanYi Micro Hei"' in html


def test_no_network_urls(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """The page loads nothing: no URL, every link is an anchor of the page, no src at all."""
    html, _ = render(tiny_raw, tiny_plan)
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"url\(|@import|//[a-z0-9.-]+\.[a-z]", html, re.IGNORECASE)
    page = Page(html)
    ids = {a["id"] for _, a in page.elements if "id" in a}
    for tag, attrs in page.elements:
        assert "src" not in attrs, tag
        if "href" in attrs:
            assert attrs["href"].startswith("#") and attrs["href"][1:] in ids, attrs


def test_fixes_and_unknown_keys_are_shown(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """A group's ``fixes`` are listed (a dash without); keys the page does not know yet become
    generic tables; missing optional keys are no error."""
    index = ScenarioIndex.build(Scenario.model_validate(tiny_raw))
    plan = tiny_plan.model_copy(deep=True)
    evaluation = evaluate(index, plan)
    plan.unmet = list(evaluation.unmet)
    plan.kpis = evaluation.kpis
    reports = build_reports(index, plan, evaluation)
    groups = reports["blind_spots"]["unmet_groups"]
    groups[0]["fixes"] = [
        {
            "description": "give C4 <back> 6 hours of medical",
            "kind": "extra_hours",
            "estimated_value": 640.0,
            "confirmed": {"needs_served_after": 6, "value_added": 640.0},
        },
        {
            "description": "raise the cap of V2 by 2,000 yuan",
            "kind": "cap",
            "estimated_value": None,
        },
    ]
    reports["blind_spots"]["short_villages"][0]["fixes"] = [
        {"kind": "pairing", "description": "pair C2 with V3", "estimated_value": 1000.0}
    ]
    reports["blind_spots"]["fix_pricing"] = {"method": "LP duals", "fixes_confirmed": 1}
    reports["duplicate_aid"]["suspicious_ledgers"] = [
        {"household": "H-V1-017", "needs": ["N6", "N9"], "days_apart": 2}
    ]
    reports["duplicate_aid"]["ledger_checks"] = {"checked": 3, "by_department": {"x": {"n": 1}}}
    del reports["blind_spots"]["unreached_households"]
    del reports["duplicate_aid"]["by_village"]
    plan.reports = reports
    html = render_html(index, plan, generated=WHEN, lang="en")
    page = Page(html)
    fixes = [row[-1] for row in page.cells["tbl-unmet-groups"]]
    assert "give C4 <back> 6 hours of medical" in fixes[0] and "&lt;back&gt;" in html
    assert "✓ confirmed by re-solve: 6 needs served after, +640 value" in fixes[0]
    assert "raise the cap of V2" in fixes[0]
    assert all(f == "—" for f in fixes[1:])
    assert page.cells["tbl-short-villages"][0][-1].startswith("a pairing pair C2 with V3")
    assert "1 fix(es) confirmed by re-solving." in html  # the pricing is a footnote
    assert "Smallest fixes:" in html and "column generation, HiGHS" in html
    assert page.cells["tbl-duplicate-suspicious-ledgers"] == [["H-V1-017", "N6, N9", "2"]]
    assert "<b>Checked:</b> 3" in html and page.rows["tbl-duplicate-ledger-checks-by-department"]
    assert "tbl-unreached-households" not in page.rows and "tbl-waste-village" not in page.rows


def test_a_bare_plan_is_evaluated_first(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """A plan without KPIs or reports (the contract file) gets the evaluator's figures."""
    assert "needs_total" not in tiny_plan.kpis and not tiny_plan.reports
    html, _ = render(tiny_raw, tiny_plan)
    assert "5 of 8 (62.5%)" in html  # needs served of the contract plan
    assert "rule violations" in html and "This plan breaks" not in html
    assert 'data-key="policy.households_reached"' in html  # evaluated: the policy figures


def test_cli_solve_and_report_write_the_page(tmp_path: Path) -> None:
    """``solve --html`` writes the page next to the plan; ``report --html`` writes it instead
    of printing the text report."""
    scenario = CONTRACT / "tiny-county.json"
    plan_path, solved, reported = tmp_path / "plan.json", tmp_path / "a.html", tmp_path / "b.html"
    result = runner.invoke(
        app,
        ["solve", str(scenario), "--solver", "greedy", "--out", str(plan_path), "--quiet",
         "--html", str(solved), "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"HTML report written to {solved}" in result.output
    result = runner.invoke(
        app, ["report", str(scenario), str(plan_path), "--html", str(reported), "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    assert f"HTML 报告已写入 {reported}" in result.output
    assert "重复帮扶\n====" not in result.output  # not the text report
    for page in (solved, reported):
        text = page.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and text.endswith("</html>")
        assert len(Page(text).having("circle", "village")) == 3
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically
    assert '<html lang="en">' in solved.read_text(encoding="utf-8")
    assert '<html lang="zh">' in reported.read_text(encoding="utf-8")
    nowhere = str(tmp_path / "no" / "x.html")
    result = runner.invoke(
        app, ["report", str(scenario), str(plan_path), "--html", nowhere, "--lang", "en"]
    )
    assert result.exit_code == 1 and "cannot write the HTML report" in result.output


@pytest.mark.parametrize(("villages", "needs"), [(300, 5000)])
def test_a_large_county_stays_small(villages: int, needs: int) -> None:
    """A generated 300-village county with 5,000 needs renders to well under 3 MB."""
    scenario = Scenario.model_validate(generate_scenario(villages=villages, needs=needs, seed=1))
    run = solve_scenario(scenario, solver="greedy", time_limit=60)
    html = render_html(run.index, run.plan, run.evaluation, generated=WHEN)
    page = Page(html)
    assert len(page.having("circle", "village")) == villages
    assert page.rows["tbl-duplicate-groups"] == len(run.plan.reports["duplicate_aid"]["groups"])
    # The three lists take a line per service and per pairing: the page is what a township
    # prints, still one file a browser opens at once.
    assert len(html.encode("utf-8")) < 5_000_000


# --- language, policy figures first, labels and names, the duplicate story, the solver ------


def test_the_page_speaks_chinese_by_default(
    tiny_raw: dict[str, Any], tiny_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a language asked (and no MATCHER_LANG or English locale), the page is
    ``<html lang="zh">`` with the Chinese catalogue's headings; ``lang="en"`` and
    MATCHER_LANG=en give the English page."""
    for variable in ("MATCHER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    index = ScenarioIndex.build(Scenario.model_validate(tiny_raw))
    chinese = render_html(index, tiny_plan, generated=WHEN)
    assert '<html lang="zh">' in chinese
    for key in ("summary.policy_title", "blind.title", "dup.title", "solver.section"):
        assert f">{t(key, 'zh')}<" in chinese, key
    english = render_html(index, tiny_plan, generated=WHEN, lang="en")
    assert '<html lang="en">' in english and ">Blind spots<" in english
    monkeypatch.setenv("MATCHER_LANG", "en")
    assert '<html lang="en">' in render_html(index, tiny_plan, generated=WHEN)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cards_open_with_the_policy_figures_and_their_targets(
    tiny_raw: dict[str, Any], tiny_plan: Plan, lang: str
) -> None:
    """The first cards of the page are the evaluator's policy figures, in its order, each with
    its target and a met or short badge and style that agree with the figure."""
    html, index = render(tiny_raw, tiny_plan, lang)
    figures = evaluate(index, tiny_plan).kpis["policy_figures"]
    cards = [
        a for tag, a in Page(html).elements if tag == "div" and "card" in a.get("class", "").split()
    ]
    keys = [c.get("data-key") for c in cards]
    assert keys[: len(figures)] == [f"policy.{f['key']}" for f in figures]
    assert len(figures) == 7
    for card, figure in zip(cards, figures, strict=False):
        tone = card["class"].split()
        if figure["met"] is True:
            assert "good" in tone
        elif figure["met"] is False:
            assert "bad" in tone
    households = next(f for f in figures if f["key"] == "households_reached")
    word = t("policy.meets" if households["met"] else "policy.short", lang)  # type: ignore[arg-type]
    assert re.search(
        r'data-key="policy\.households_reached">.*?'
        + re.escape(f'<span class="badge {"met" if households["met"] else "short"}">{word}'),
        html,
    )
    assert t("policy.target", lang, target="≥ 90%") in html  # type: ignore[arg-type]


def test_codes_show_by_their_labels_and_ids_with_names(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """In the Chinese page no table cell holds a raw category, reason or department code: the
    duplicate group reads 困难救助, its departments 民政局 and 慈善总会, its village Dongpo (V1)."""
    html, _ = render(tiny_raw, tiny_plan, "zh")
    page = Page(html)
    codes = {"hardship_relief", "civil_affairs", "charity", "no_provider_in_reach",
             "funding_exhausted", "too_few_in_reach", "medical", "agri_tech"}  # fmt: skip
    for table_id, rows in page.cells.items():
        for row in rows:
            for cell in row:
                assert not codes & set(re.split(r"[\s,，、+()（）]+", cell)), (table_id, cell)
    (group,) = page.cells["tbl-duplicate-groups"]
    assert group[1:3] == ["Dongpo (V1)", "困难救助"]
    assert group[5] == "民政局，慈善总会"
    assert "Gaoshan (V3)" in [row[0] for row in page.cells["tbl-short-villages"]]


def test_the_duplicate_story_is_the_summary_s_story(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """The page tells the duplicate-aid story with the same three lines, the same counters
    and words, as the command line's summary and the text report."""
    from matcher.reports.headline import duplicate_story, story_lines

    html, index = render(tiny_raw, tiny_plan, "zh")
    evaluation = evaluate(index, tiny_plan)
    report = build_reports(index, tiny_plan, evaluation)["duplicate_aid"]
    lines = story_lines(duplicate_story(evaluation.kpis, report), "zh")
    assert [line.key for line in lines] == ["dup.ledgers", "policy.duplicate_aid_avoided",
                                            "dup.in_plan"]  # fmt: skip
    for line in lines:
        assert html.count(esc(line.value)) == 2, line  # in the summary and the section
    assert "1 组（1 户），首次帮扶之外多花 500 元" in lines[0].value
    assert lines[2].value.startswith("0：")


def test_the_solver_section_comes_last_in_plain_words(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """The solver's section is the page's last: "within X% of the best possible plan" or
    proven optimal in words; the objective and bound only in its collapsed details."""
    plan = tiny_plan.model_copy(deep=True)
    plan.solver.status, plan.solver.bound, plan.solver.gap = "feasible", 5000.0, 0.0123
    html, _ = render(tiny_raw, plan, "zh")
    sections = re.findall(r'<section id="([a-z-]+)"', html)
    assert sections == [
        "summary",
        "map",
        "charts",
        "blind-spots",
        "duplicate-aid",
        "rosters",
        "solver",
    ]
    solver = html[html.index('<section id="solver">') :]
    assert "与理论最优相差不超过 1.3%" in solver
    assert solver.index("<details>") < solver.index("5,000.0")  # the bound, collapsed
    summary = html[html.index('<section id="summary">') : html.index('<section id="map">')]
    assert "5,000" not in summary and "目标函数" not in summary
