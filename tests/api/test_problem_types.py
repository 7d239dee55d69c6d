"""Problem types resolve (issue 16): every problem document's ``type`` is ``/problems/{kind}``,
a page of the service saying what the kind means and what to do; every kind the code can
answer is registered, documented in docs/api.md, and its page answers 200 in HTML and JSON."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.problem_details import _KINDS
from api.problem_types import PROBLEM_TYPES, wants_json
from tests.api.conftest import A
from tests.conftest import ROOT

PROBLEM = "application/problem+json"

# Where the kind is in each call that makes a problem document: (position, keyword).
_KIND_ARGUMENT = {
    "ApiProblem": (1, "kind"),
    "problem_response": (3, "kind"),
    "_problem": (3, "kind"),
}
# Calls that pass on a kind made elsewhere (checked where it is made), by the argument's text.
_PASSED_ON = {"error.kind", "kind"}


def _kinds_in(path: Path, root: Path = ROOT) -> Iterator[tuple[str, int, str | None]]:
    """(where, line, kind) of every problem-making call in a source file: the literal kind,
    or None for a call without one (``about:blank``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name not in _KIND_ARGUMENT:
            continue
        position, keyword = _KIND_ARGUMENT[name]
        given = next((k.value for k in node.keywords if k.arg == keyword), None)
        if given is None and len(node.args) > position:
            given = node.args[position]
        where = f"{path.relative_to(root)}:{node.lineno}"
        if given is None or (isinstance(given, ast.Constant) and given.value is None):
            yield where, node.lineno, None
        elif isinstance(given, ast.Constant) and isinstance(given.value, str):
            yield where, node.lineno, given.value
        else:
            assert ast.unparse(given) in _PASSED_ON, f"{where}: a kind made elsewhere"


def kinds_in_the_code() -> dict[str, list[str]]:
    """Every literal kind given to a problem-making call in ``api/``, with where."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "api").rglob("*.py")):
        for where, _, kind in _kinds_in(path):
            if kind is not None:
                found.setdefault(kind, []).append(where)
    for kind in _KINDS.values():  # the framework's errors given a kind
        found.setdefault(kind, []).append("api/problem_details.py:_KINDS")
    return found


def test_every_kind_the_code_answers_is_registered() -> None:
    found = kinds_in_the_code()
    assert len(found) >= 12, "the scan found the problem-making calls"
    missing = {kind: where for kind, where in found.items() if kind not in PROBLEM_TYPES}
    assert missing == {}
    unused = set(PROBLEM_TYPES) - set(found)
    assert unused == set(), "registered kinds nothing answers"


def test_the_scan_sees_a_new_kind(tmp_path: Path) -> None:
    """The scan is a rule, not a snapshot: it finds literal kinds in every form of call."""
    source = tmp_path / "module.py"
    source.write_text(
        "raise ApiProblem(418, 'teapot', 'I am one')\n"
        "problem_response(request, 400, 'Bad', kind='odd')\n"
        "problem_response(request, 405, 'Not allowed', None)\n"
    )
    found = [kind for _, _, kind in _kinds_in(source, tmp_path)]
    assert found == ["teapot", "odd", None]


def test_every_kind_is_in_the_api_documentation() -> None:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert [kind for kind in PROBLEM_TYPES if f"`{kind}`" not in text] == []


@pytest.mark.parametrize("kind", sorted(PROBLEM_TYPES))
def test_each_problem_type_page_answers(idle_client: TestClient, kind: str) -> None:
    problem = PROBLEM_TYPES[kind]
    page = idle_client.get(f"/problems/{kind}")  # no key: documentation
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert problem.title in page.text and "What to do" in page.text
    assert "https://" not in page.text and "http://" not in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    described = idle_client.get(f"/problems/{kind}", headers={"Accept": "application/json"})
    assert described.status_code == 200 and described.headers["content-type"] == "application/json"
    assert described.json()["type"] == f"/problems/{kind}" == problem.uri
    assert described.json()["status"] == list(problem.statuses)
    assert described.json()["what_to_do"] == problem.what_to_do


def test_the_index_lists_every_type_and_an_unknown_one_is_404(idle_client: TestClient) -> None:
    index = idle_client.get("/problems")
    assert index.status_code == 200
    assert all(f'href="/problems/{kind}"' in index.text for kind in PROBLEM_TYPES)
    listed = idle_client.get("/problems", headers={"Accept": "application/json"}).json()
    assert [t["kind"] for t in listed] == list(PROBLEM_TYPES)
    unknown = idle_client.get("/problems/no-such-kind")
    assert unknown.status_code == 404 and unknown.headers["content-type"] == PROBLEM
    assert unknown.json()["type"] == "about:blank"


def test_the_types_of_real_answers_resolve(idle_client: TestClient) -> None:
    """Follow the ``type`` of answers the service gives (resolved against the request's own
    address, as RFC 9457 says of a relative reference) to their pages."""
    answers = [
        idle_client.get("/v1/plans"),  # 401
        idle_client.get("/v1/plans/" + "0" * 32, headers=A),  # 404
        idle_client.post("/v1/plans", content=b"{}", headers={**A, "Content-Type": "text/csv"}),
        idle_client.post(
            "/v1/scenarios/validate", json={"schema_version": 1}, headers=A
        ),  # 422 scenario-invalid
    ]
    kinds = []
    for answer in answers:
        problem = answer.json()
        assert problem["type"].startswith("/problems/"), problem
        page = idle_client.get(str(answer.url.join(problem["type"])))
        assert page.status_code == 200, problem["type"]
        kinds.append(problem["type"].rsplit("/", 1)[1])
    assert kinds == ["unauthorised", "not-found", "unsupported-media-type", "scenario-invalid"]


def test_a_body_over_the_limit_has_its_own_type(tmp_path: Path) -> None:
    from api.app import create_app
    from tests.api.conftest import settings

    app = create_app(settings(tmp_path, max_body_mb=0.001), start_workers=False)
    with TestClient(app) as client:
        big = client.post("/v1/plans", json={"padding": "x" * 5000}, headers=A)
        assert big.status_code == 413 and big.json()["type"] == "/problems/body-too-large"


@pytest.mark.parametrize(
    ("accept", "json"),
    [
        (None, False),
        ("*/*", False),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),
        ("application/json", True),
        ("application/problem+json", True),
        ("application/json;q=0.9, text/html;q=0.5", True),
        ("text/html;q=0.5, application/json;q=0.4", False),
        ("application/json;q=nonsense, text/html;q=0.1", False),
    ],
)
def test_the_page_or_json_follows_the_accept_header(accept: str | None, json: bool) -> None:
    assert wants_json(accept) is json
