"""The package's house rules, read from the source: data flows one way through the stages, no
two modules import each other (directly or round a loop), speed machinery stays in its own layer,
and no module grows past 450 lines."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generator"
# The pipeline's floors, first to last: a module may import only from its own floor or those
# before it (module names, or a folder with a trailing dot).
FLOORS = [
    ["generator.source."],
    ["generator.laws"],
    ["generator.curriculum"],
    ["generator.schools"],
    ["generator.records"],
    ["generator.plans"],
    ["generator.stationdata"],
    ["generator.schedule."],
    ["generator.reports."],
    ["generator.site.", "generator.office."],
    ["generator.printing."],
    # speed/ stands beside the engine: it draws Material's sidebar, it caches the engine's pages
    ["generator.speed.", "generator.engine.", "generator.tools.", "generator.cli"],
]
# Who may switch the speed layer on: the engine adapter and the commands.
SPEED_USERS = ("generator.engine.", "generator.tools.", "generator.cli", "generator.speed.")
MAX_LINES = 450


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Each module's imports of the package's modules: every import statement, including those
    only for type checking and those inside functions."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
                origin = ".".join(x for x in (base, node.module or "") if x)
                for alias in node.names:
                    full = f"{origin}.{alias.name}"
                    targets.add(full if full in modules else origin)
            elif isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _floor(module: str) -> int | None:
    for n, names in enumerate(FLOORS):
        if any(module.startswith(x) or module == x[:-1] if x.endswith(".") else module == x for x in names):
            return n
    return None


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_rules_see_the_package() -> None:
    graph = _imports(_modules())
    assert len(graph) > 60
    assert "generator.curriculum" in graph["generator.stationdata"]
    assert "generator.source.models" in graph["generator.curriculum"]
    unplaced = [m for m in graph if m != "generator" and _floor(m) is None]
    assert not unplaced, f"modules on no floor of FLOORS: {unplaced}"


def test_no_modules_import_each_other() -> None:
    assert _cycles(_imports(_modules())) == []


def test_a_cycle_would_be_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_module_reaches_back_up_the_pipeline() -> None:
    graph = _imports(_modules())
    upward = [(m, t) for m, targets in graph.items() for t in targets
              if m != "generator" and (_floor(t) or 0) > (_floor(m) or 0)]
    assert upward == []


def test_only_the_engine_and_the_commands_switch_speed_on() -> None:
    graph = _imports(_modules())
    users = [(m, t) for m, targets in graph.items() for t in targets
             if t.startswith("generator.speed") and not m.startswith(SPEED_USERS)]
    assert users == []


def test_no_module_over_450_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
