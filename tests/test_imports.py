"""What `import graph` costs: the public API is importable without spaCy, rdflib or pyshacl,
which load only when a build, a view or a validation needs them."""

from __future__ import annotations

import subprocess
import sys

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
