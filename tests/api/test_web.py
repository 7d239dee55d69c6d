"""The planners' web pages and the routes they need: the pages load without a key and load
nothing from the network; both languages have every label; a workbook (or JSON/YAML file) is
imported as a scenario, a broken one answers 422 with every problem at its sheet, row and
column; a finished plan's workbook and KPIs are served to its own tenant only."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.web.pages import LANGUAGES, STATIC, strings
from matcher.export import SHEETS
from matcher.intake.loading import load_scenario, parse_scenario, scenario_sha256
from matcher.plan import UNMET_REASONS, PlanStatus
from matcher.scenario import CATEGORIES
from matcher.workbook import export_scenario_xlsx
from tests.api.conftest import A, B, settings
from tests.conftest import ROOT

PROBLEM = "application/problem+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEMO = ROOT / "scenarios" / "demo-county.json"
PAGES = ["/app/", "/app/new", "/app/jobs/some-job", "/app/compare", "/app/service"]
# What would load something from another origin: an absolute URL in an attribute, a CSS
# url() or @import, or a script's fetch.
_REMOTE = re.compile(
    r"""(?:\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)|(?:fetch\(\s*["'`]\s*(?:https?:)?//)""",
    re.IGNORECASE,
)
_ATTRIBUTE_URL = re.compile(r"""\b(?:src|href)\s*=\s*"([^"]*)\"""")


def wait_final(client: TestClient, job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """Poll until the job is final (a guard against hangs, not a speed check)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/v1/plans/{job_id}", headers=A).json()
        if job["status"] in ("succeeded", "failed", "stopped"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not final after {timeout} s")


@pytest.fixture
def demo_xlsx(tmp_path: Path) -> Path:
    """The demo county in the template's form."""
    path = tmp_path / "demo-county.xlsx"
    export_scenario_xlsx(load_scenario(DEMO).scenario, path)
    return path


def _imported(client: TestClient, body: bytes, **params: str) -> Any:
    return client.post(
        "/v1/scenarios/import",
        content=body,
        params=params,
        headers={**A, "Content-Type": "application/octet-stream"},
    )


# ---------------------------------------------------------------------------- the pages


@pytest.mark.parametrize("path", PAGES)
def test_a_page_loads_without_a_key_and_loads_nothing_from_the_network(
    idle_client: TestClient, path: str
) -> None:
    page = idle_client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy
    assert not _REMOTE.search(page.text), _REMOTE.search(page.text)
    assert "http://" not in page.text and "https://" not in page.text
    urls = _ATTRIBUTE_URL.findall(page.text)
    assert urls and all(url.startswith("/") for url in urls), urls
    for url in urls:
        if url.startswith("/app/static/"):
            asset = idle_client.get(url)
            assert asset.status_code == 200, url
            assert not _REMOTE.search(asset.text), (url, _REMOTE.search(asset.text))


def test_every_static_file_is_local(idle_client: TestClient) -> None:
    for file in sorted(STATIC.iterdir()):
        text = file.read_text(encoding="utf-8")
        assert not _REMOTE.search(text), (file.name, _REMOTE.search(text))
        if file.suffix in (".js", ".css"):
            assert "http://" not in text and "https://" not in text, file.name
            assert "innerHTML" not in text and "insertAdjacentHTML" not in text, file.name
        served = idle_client.get(f"/app/static/{file.name}")
        assert served.status_code == 200 and served.content == file.read_bytes()
    missing = idle_client.get("/app/static/nothing.js")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM


def test_the_root_leads_to_the_pages_and_the_api_is_unchanged(idle_client: TestClient) -> None:
    root = idle_client.get("/", follow_redirects=False)
    assert root.status_code == 307 and root.headers["location"] == "/app/"
    assert idle_client.get("/app", follow_redirects=False).headers["location"] == "/app/"
    assert idle_client.get("/v1/plans").status_code == 401  # the data still needs the key
    paths = idle_client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if not p.startswith("/v1/")]  # pages stay out of the API


def test_a_job_id_in_the_page_address_is_escaped(idle_client: TestClient) -> None:
    page = idle_client.get("/app/jobs/%3Cscript%3Ealert(1)%22%3E")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&#34;&gt;" in page.text


_FILES = {"js", "css", "svg", "html"}


def _keys_in_sources() -> set[str]:
    """The label keys the templates and scripts name literally."""
    namespaces = {key.split(".")[0] for key in strings()["en"]}
    found: set[str] = set()
    texts = [p.read_text(encoding="utf-8") for p in (STATIC.parent / "templates").glob("*.html")]
    texts += [p.read_text(encoding="utf-8") for p in STATIC.glob("*.js")]
    for text in texts:
        found |= set(re.findall(r'data-i18n(?:-[a-z]+)?="([^"]+)"', text))
        for literal in re.findall(r"""["']([a-z_]+(?:\.[a-z_]+)+)["']""", text):
            if literal.split(".")[0] in namespaces and literal.rsplit(".")[-1] not in _FILES:
                found.add(literal)
    return found


def test_both_languages_have_every_label() -> None:
    labels = strings()
    assert set(LANGUAGES) == {"en", "zh"}
    assert set(labels["en"]) == set(labels["zh"])
    used = _keys_in_sources()
    assert len(used) > 100
    assert used <= set(labels["en"]), sorted(used - set(labels["en"]))
    # Keys built at run time from the service's own words.
    families = {
        "status": ["queued", "running", "succeeded", "failed", "stopped"],
        "plan": list(PlanStatus.__args__),  # type: ignore[attr-defined]
        "category": list(CATEGORIES),
        "reason": list(UNMET_REASONS),
        "title": ["list", "new", "job", "compare", "service"],
        "count": ["villages", "cadres", "organizations", "pools", "needs", "aid_records"],
        "new.file.source": ["xlsx", "json", "yaml"],
    }
    for prefix, names in families.items():
        for name in names:
            assert f"{prefix}.{name}" in labels["en"], f"{prefix}.{name}"
    chinese = [v for k, v in labels["zh"].items() if v and re.search(r"[\u4e00-\u9fff]", v)]
    assert len(chinese) > 0.8 * len(labels["zh"])


# ---------------------------------------------------------------------------- import


def test_a_workbook_is_imported_as_the_scenario_it_holds(
    idle_client: TestClient, demo_xlsx: Path
) -> None:
    answer = idle_client.post(
        "/v1/scenarios/import", content=demo_xlsx.read_bytes(), headers={**A, "Content-Type": XLSX}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["valid"] is True and body["source"] == "xlsx"
    assert body["counts"]["villages"] == 30 and body["counts"]["needs"] == 600
    demo = load_scenario(DEMO).scenario
    assert scenario_sha256(parse_scenario(body["scenario"]).scenario) == scenario_sha256(demo)
    submitted = idle_client.post("/v1/plans", json={"scenario": body["scenario"]}, headers=A)
    assert submitted.status_code == 202
    assert idle_client.get("/v1/plans", headers=B).json()["items"] == []


def test_a_broken_workbook_gets_every_problem_at_its_cell(
    idle_client: TestClient, demo_xlsx: Path, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(demo_xlsx)  # sheets titled in Chinese, as the template's
    col = next(c.column_letter for c in book["干部"][2] if c.value == "hours")
    book["干部"][f"{col}3"] = -5
    needs = book["需求清单"]
    village = next(c.column_letter for c in needs[2] if c.value == "village")
    needs[f"{village}5"] = "V999"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    answer = _imported(idle_client, broken.read_bytes())
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["type"].endswith("workbook-invalid")
    located = {(e["sheet"], e["row"], e["column"]): e for e in problem["errors"]}
    assert ("干部", 3, col) in located and ("需求清单", 5, village) in located
    hours = located[("干部", 3, col)]
    assert hours["path"] == f"干部!{col}3" and hours["id"] and "-5" in hours["message"]
    assert "V999" in located[("需求清单", 5, village)]["message"]
    assert idle_client.get("/v1/plans", headers=A).json()["items"] == []


def test_a_broken_workbook_is_explained_in_chinese_when_asked(
    idle_client: TestClient, demo_xlsx: Path, tmp_path: Path
) -> None:
    """With Accept-Language: zh the cell's problem is in Chinese, the English kept beside it
    and the cell still located."""
    book = openpyxl.load_workbook(demo_xlsx)
    needs = book["需求清单"]
    village = next(c.column_letter for c in needs[2] if c.value == "village")
    needs[f"{village}5"] = "V999"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    answer = idle_client.post(
        "/v1/scenarios/import",
        content=broken.read_bytes(),
        headers={**A, "Content-Type": XLSX, "Accept-Language": "zh-CN"},
    )
    assert answer.status_code == 422 and answer.headers["content-language"] == "zh"
    error = next(e for e in answer.json()["errors"] if e["sheet"] == "需求清单" and e["row"] == 5)
    assert re.search(r"[\u4e00-\u9fff]", error["message"]) and "V999" in error["message"]
    assert "V999" in error["message_en"] and error["message_en"] != error["message"]
    assert "/tmp" not in error["message"] and "matcher-import-" not in error["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"PK\x03\x04 not really a zip", "cannot be read as an .xlsx workbook"),
        (b"", "the body is empty"),
    ],
)
def test_a_file_that_is_no_workbook_is_a_located_422(
    idle_client: TestClient, body: bytes, message: str
) -> None:
    answer = _imported(idle_client, body)
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    text = " ".join([problem.get("detail", "")] + [e["message"] for e in problem.get("errors", [])])
    assert message in text
    assert "matcher-import-" not in answer.text  # never the server's temporary folder
    for error in problem.get("errors", []):
        assert "sheet" not in error  # the file as a whole: no sheet to point at


def test_json_and_yaml_files_are_imported_with_json_paths(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    as_json = _imported(idle_client, json.dumps(tiny_raw).encode())
    assert as_json.status_code == 200 and as_json.json()["source"] == "json"
    assert as_json.json()["scenario"] == tiny_raw
    as_yaml = _imported(idle_client, yaml.safe_dump(tiny_raw, allow_unicode=True).encode())
    assert as_yaml.status_code == 200 and as_yaml.json()["source"] == "yaml"
    assert as_yaml.json()["name"] == tiny_raw["name"]
    tiny_raw["cadres"][0]["hours"] = -3
    invalid = _imported(idle_client, json.dumps(tiny_raw).encode(), format="json")
    assert invalid.status_code == 422 and invalid.headers["content-type"] == PROBLEM
    paths = [e["path"] for e in invalid.json()["errors"]]
    assert "$.cadres[0].hours" in paths
    syntax = _imported(idle_client, b'{"schema_version": 1,', format="json")
    assert syntax.status_code == 422
    assert "line 1" in syntax.json()["errors"][0]["message"]


def test_import_needs_a_key_and_keeps_the_body_limit(
    idle_client: TestClient, tmp_path: Path, demo_xlsx: Path
) -> None:
    assert idle_client.post("/v1/scenarios/import", content=b"{}").status_code == 401
    small = create_app(settings(tmp_path, max_body_mb=0.001), start_workers=False)
    with TestClient(small) as client:
        answer = _imported(client, demo_xlsx.read_bytes())
        assert answer.status_code == 413 and answer.headers["content-type"] == PROBLEM


# ---------------------------------------------------------------------------- a plan's files


def test_a_finished_plan_is_served_as_a_workbook_and_its_kpis(
    client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    body = {"scenario": tiny_raw, "solver": "greedy", "time_limit_seconds": 10}
    job_id = client.post("/v1/plans", json=body, headers=A).json()["id"]
    job = wait_final(client, job_id)
    assert job["status"] == "succeeded"
    answer = client.get(f"/v1/plans/{job_id}/plan.xlsx", headers=A)
    assert answer.status_code == 200 and answer.headers["content-type"] == XLSX
    assert answer.headers["content-disposition"] == f'attachment; filename="plan-{job_id}.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True)
    assert tuple(book.sheetnames[: len(SHEETS)]) == SHEETS  # the rosters follow
    served = {row[0] for row in book[SHEETS[1]].iter_rows(min_row=3, values_only=True)}
    book.close()
    assert served  # a sheet with rows under its two header rows
    kpis = client.get(f"/v1/plans/{job_id}/kpis", headers=A).json()
    assert kpis == job["plan"]["kpis"] and "households_reached" in kpis
    for suffix in ("plan.xlsx", "kpis"):
        other = client.get(f"/v1/plans/{job_id}/{suffix}", headers=B)
        assert other.status_code == 404 and other.headers["content-type"] == PROBLEM
        unknown = client.get(f"/v1/plans/no-such-job/{suffix}", headers=A)
        assert unknown.status_code == 404
        assert client.get(f"/v1/plans/{job_id}/{suffix}").status_code == 401


def test_a_job_without_a_plan_has_no_workbook_yet(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    job_id = idle_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=A).json()["id"]
    for suffix in ("plan.xlsx", "kpis"):
        answer = idle_client.get(f"/v1/plans/{job_id}/{suffix}", headers=A)
        assert answer.status_code == 409 and answer.headers["content-type"] == PROBLEM


def test_the_services_upload_limits_bound_an_imported_workbook(
    tmp_path: Path, demo_xlsx: Path
) -> None:
    """MATCHER_MAX_UPLOAD_ROWS reaches the importer: the demo's 600 needs pass the default
    and are refused, at their sheet, under a limit of 100 rows; nothing is stored."""
    roomy = create_app(settings(tmp_path / "a"), start_workers=False)
    with TestClient(roomy) as client:
        assert _imported(client, demo_xlsx.read_bytes()).status_code == 200
    tight = create_app(settings(tmp_path / "b", max_upload_rows=100), start_workers=False)
    with TestClient(tight) as client:
        answer = _imported(client, demo_xlsx.read_bytes())
        assert answer.status_code == 422
        messages = [e["message"] for e in answer.json()["errors"]]
        assert any("100" in m and "row" in m for m in messages), messages
        assert client.get("/v1/plans", headers=A).json()["items"] == []
