"""What `import graph` costs, and what imports what.

The public API is importable without spaCy, rdflib or pyshacl, which load only when a build, a
view or a validation needs them; and govkg's modules import each other in one direction only,
with no circle, the build (graph.pipeline) at the top and file publishing at the bottom."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("heavy", ["spacy", "rdflib", "pyshacl", "jieba"])
def test_imports_graph_leaves_heavy_packages_unloaded(heavy: str) -> None:
    code = f"import graph, sys; print({heavy!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_imports_public_api_still_reachable() -> None:
    code = "import graph; print(callable(graph.build), callable(graph.extract), graph.sample_path().name)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "jianli-2021-fazhi-report.txt"]


@pytest.mark.parametrize("module", ["graph.cli", "graph.query"])
def test_imports_cli_and_query_load_no_rdf_library(module: str) -> None:
    code = f"import {module}, sys; print('rdflib' in sys.modules, 'spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --- the import graph among govkg's own modules -------------------------------------------------
#
# Data flows one way, read -> nlp -> resolve -> rdf -> chunks -> files / store / view, and the
# imports must follow it: a module the build calls never imports the build. The graph is read
# from the source with ast (every import statement, at module level, in functions and under
# TYPE_CHECKING alike), so an import hidden in a function body cannot close a circle unseen.

GRAPH_DIR = Path(__file__).resolve().parent.parent / "graph"


def _module_names(root: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package's __init__) for every module under ``root``."""
    mods: dict[str, tuple[Path, bool]] = {}
    for p in sorted(root.rglob("*.py")):
        parts = list(p.relative_to(root.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        mods[".".join(parts[:-1] if is_pkg else parts)] = (p, is_pkg)
    return mods


def import_graph(root: Path = GRAPH_DIR) -> dict[str, set[str]]:
    """Which of the package's modules each of its modules imports.

    ``from .x import y`` is an edge to ``x`` (or to the submodule ``x.y`` if there is one);
    ``from . import x`` is an edge to the submodule ``x``, or to the package itself when ``x``
    is a name defined in its ``__init__``; absolute ``graph.…`` imports count the same.
    """
    mods = _module_names(root)
    top = root.name
    edges: dict[str, set[str]] = {}
    for name, (path, is_pkg) in mods.items():
        package = name if is_pkg else name.rpartition(".")[0]
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                out.update(a.name for a in node.names if a.name.split(".")[0] == top)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.split(".")[0] != top:
                    continue
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    out.add(sub if sub in mods else target)
        edges[name] = {m for m in out if m in mods and m != name}
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None if there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(u: str) -> list[str] | None:
        state[u] = 1
        path.append(u)
        for v in sorted(edges[u]):
            if state.get(v) == 1:
                return path[path.index(v):] + [v]
            if v not in state and (found := visit(v)) is not None:
                return found
        path.pop()
        state[u] = 2
        return None

    for m in sorted(edges):
        if m not in state and (found := visit(m)) is not None:
            return found
    return None


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for v in edges[todo.pop()] - seen:
            seen.add(v)
            todo.append(v)
    return seen


def test_imports_reader_sees_function_level_and_relative_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "graph"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("VERSION = 1\n")
    (pkg / "a.py").write_text("def f():\n    from .b import g\n    from . import c\n    from . import VERSION\n")
    (pkg / "b.py").write_text("import graph.c\n")
    (pkg / "c.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from ..a import f\nfrom . import d\n")
    (pkg / "sub" / "d.py").write_text("from .. import c\n")
    assert import_graph(pkg) == {
        "graph": set(), "graph.a": {"graph.b", "graph.c", "graph"}, "graph.b": {"graph.c"}, "graph.c": set(),
        "graph.sub": {"graph.a", "graph.sub.d"}, "graph.sub.d": {"graph.c"},
    }
    (pkg / "c.py").write_text("def late():\n    from .a import f\n")
    assert find_cycle(import_graph(pkg)) == ["graph.a", "graph.b", "graph.c", "graph.a"]


def test_imports_graph_modules_import_each_other_in_no_circle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("module", ["corpus", "store", "view", "publish", "extraction"])
def test_imports_build_steps_never_reach_the_orchestrator(module: str) -> None:
    edges = import_graph()
    assert "graph.pipeline" not in edges[f"graph.{module}"], f"graph.{module} imports graph.pipeline"
    assert "graph.pipeline" not in _reachable(edges, f"graph.{module}"), f"graph.{module} reaches graph.pipeline"


def test_imports_publish_is_the_bottom_of_the_stack() -> None:
    assert import_graph()["graph.publish"] <= {"graph.errors"}
