"""The layer rules of DESIGN §8, read from the source with ``ast`` (nothing is imported).

Data flows one way: intake → prepare → problem → solvers → evaluate → reports → advice → run →
CLI and API. These tests keep the import graph honest the way mypy keeps the types honest: a new
cycle, a solver that reaches into the domain, or a report that calls a solver fails here, by
whoever adds it. Every ``import`` counts, including those inside functions and under
``TYPE_CHECKING``: a deferred import hides a dependency, it does not remove it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("matcher", "solvers", "api")

# What solvers may know of the domain: the compiled problem, raw solutions and their score.
SOLVER_MAY_IMPORT = frozenset(
    {"matcher.problem.arrays", "matcher.problem.solution", "matcher.problem.score"}
)
# The domain's stages that must never reach a solver or the web service.
PURE_STAGES = (
    "matcher.scenario",
    "matcher.plan",
    "matcher.files",
    "matcher.intake",
    "matcher.prepare",
    "matcher.problem",
    "matcher.evaluate",
    "matcher.reports",
)
WEB_FRAMEWORKS = ("fastapi", "starlette", "uvicorn")


@dataclass(frozen=True)
class Edge:
    """``source`` imports ``target`` at ``line``."""

    source: str
    target: str
    line: int


def module_name(path: Path, root: Path = ROOT) -> str:
    """``matcher/problem/arrays.py`` → ``matcher.problem.arrays``; a package is its folder."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the three packages by name."""
    return {
        module_name(path, root): path
        for package in PACKAGES
        for path in sorted((root / package).rglob("*.py"))
    }


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(module: str, path: Path, known: set[str]) -> Iterator[Edge]:
    """The modules ``module`` imports: for ``from a.b import c``, ``a.b.c`` when that is a
    module, else ``a.b``; absolute and relative, anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Edge(module, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path.name == "__init__.py", node)
            for alias in node.names:
                child = f"{target}.{alias.name}"
                yield Edge(module, child if child in known else target, node.lineno)


def import_graph(root: Path = ROOT) -> tuple[nx.DiGraph, list[Edge]]:
    """The graph of imports between our own modules, and every edge (ours or not)."""
    mods = sources(root)
    known = set(mods)
    edges = [edge for name, path in mods.items() for edge in imports_of(name, path, known)]
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for edge in edges:
        if edge.target in known and edge.target != edge.source:
            graph.add_edge(edge.source, edge.target, line=edge.line)
    return graph, edges


def is_within(module: str, prefix: str) -> bool:
    """``module`` is ``prefix`` or inside it."""
    return module == prefix or module.startswith(prefix + ".")


def cycles(graph: nx.DiGraph) -> list[list[str]]:
    """Each import cycle once (a strongly connected part of more than one module), sorted."""
    return sorted(sorted(part) for part in nx.strongly_connected_components(graph) if len(part) > 1)


def stage(module: str) -> str:
    """The unit of the stage graph: a subpackage of ``matcher`` or one top-level module of it;
    ``solvers`` and ``api`` count as one unit each (their own modules are checked above)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "matcher" else parts[0]


def stage_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """The module graph folded to stages, without the edges inside one stage."""
    folded = nx.DiGraph()
    for source, target in graph.edges:
        if stage(source) != stage(target):
            folded.add_edge(stage(source), stage(target))
    return folded


GRAPH, EDGES = import_graph()


def test_no_import_cycle_between_modules() -> None:
    """No module imports, however indirectly, a module that imports it."""
    assert cycles(GRAPH) == []


def test_no_import_cycle_between_stages() -> None:
    """Folded to matcher's stages (intake, prepare, problem, evaluate, reports, advice, cli, …)
    and to solvers and api, the graph is still acyclic; solvers → matcher.problem and
    matcher.run → solvers is the one allowed crossing, as the problem package does not import
    solvers."""
    folded = stage_graph(GRAPH)
    folded.remove_edge("solvers", "matcher.problem")  # solvers see the compiled problem only
    assert cycles(folded) == []


def test_solvers_see_only_the_compiled_problem() -> None:
    """``solvers/`` imports of ``matcher`` only the compiled problem, solution and score."""
    wrong = [
        f"{e.source}:{e.line} imports {e.target}"
        for e in EDGES
        if is_within(e.source, "solvers")
        and is_within(e.target, "matcher")
        and e.target not in SOLVER_MAY_IMPORT
    ]
    assert wrong == []


def test_nothing_imports_the_api_but_the_cli_serve_command() -> None:
    """Neither solvers nor the domain depend on the web service; only ``matcher serve`` starts
    it, and no part of ``matcher`` or ``solvers`` imports a web framework."""
    wrong = [
        f"{e.source}:{e.line} imports {e.target}"
        for e in EDGES
        if not is_within(e.source, "api")
        and (is_within(e.target, "api") or e.target.split(".")[0] in WEB_FRAMEWORKS)
        and e.source != "matcher.cli.main"
    ]
    assert wrong == []


@pytest.mark.parametrize("pure", PURE_STAGES)
def test_pure_stages_import_no_solver_and_no_api(pure: str) -> None:
    """Intake, preparation, the problem, the evaluator and the reports never reach a solver
    or the service: they judge and describe plans, whoever made them."""
    wrong = [
        f"{e.source}:{e.line} imports {e.target}"
        for e in EDGES
        if is_within(e.source, pure)
        and (is_within(e.target, "solvers") or is_within(e.target, "api"))
    ]
    assert wrong == []


ROUTE_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "head", "api_route"})
CONTROL_FLOW = (
    ast.If,
    ast.IfExp,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.Try,
    ast.Match,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def route_handlers(
    root: Path = ROOT,
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function of ``api/`` decorated as a route (``@router.get(...)``, ``@app.post``)."""
    for path in sorted((root / "api").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(call, ast.Attribute) and call.attr in ROUTE_DECORATORS:
                    yield f"{module_name(path, root)}.{node.name}", node
                    break


def control_flow_in(handler: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The branches and loops in a handler's body (its decorators and defaults aside)."""
    return [
        f"{type(node).__name__} at line {node.lineno}"
        for statement in handler.body
        for node in ast.walk(statement)
        if isinstance(node, CONTROL_FLOW)
    ]


def test_route_handlers_hold_no_logic() -> None:
    """A route handler makes its call into ``api.jobs``/``matcher`` and returns: no branch, no
    loop, no try, no comprehension (the service layer holds the logic and is tested alone)."""
    handlers = list(route_handlers())
    assert len(handlers) > 10, "the route finder found the API's handlers"
    wrong = {name: found for name, h in handlers if (found := control_flow_in(h))}
    assert wrong == {}


def test_the_checks_catch_what_they_are_for(tmp_path: Path) -> None:
    """The rules fail on a deliberate cycle, a solver reaching into the evaluator, a report
    importing a solver and a handler with a branch: they are rules, not a snapshot."""
    files = {
        "matcher/__init__.py": "",
        "matcher/evaluate/__init__.py": "",
        "matcher/evaluate/a.py": "from matcher.reports import b\n",
        "matcher/reports/__init__.py": "",
        "matcher/evaluate/rules.py": "",
        "matcher/reports/b.py": "def f():\n    from matcher.evaluate.a import x\n"
        "    import solvers.base\n",
        "solvers/__init__.py": "",
        "solvers/base.py": "",
        "solvers/greedy.py": "from matcher.evaluate import rules\n",
        "api/__init__.py": "",
        "api/routes.py": "@router.get('/x')\ndef x(q):\n    if q:\n        return 1\n"
        "    return 2\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    graph, edges = import_graph(tmp_path)
    assert cycles(graph) == [["matcher.evaluate.a", "matcher.reports.b"]]
    assert cycles(stage_graph(graph)) == [["matcher.evaluate", "matcher.reports", "solvers"]]
    assert [(e.source, e.target) for e in edges if is_within(e.source, "solvers")] == [
        ("solvers.greedy", "matcher.evaluate.rules")
    ]
    assert ("matcher.reports.b", "solvers.base") in {(e.source, e.target) for e in edges}
    handlers = dict(route_handlers(tmp_path))
    assert control_flow_in(handlers["api.routes.x"]) == ["If at line 3"]
