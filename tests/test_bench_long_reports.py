"""The long-report benchmark (bench/long_reports.py): its generator and its slope, and the
budget a report of a million characters must meet once extraction is linear."""

from __future__ import annotations

import doctest
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def lr() -> Iterator[ModuleType]:
    """bench/long_reports.py, imported from its path (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("govkg_bench_long_reports", BENCH / "long_reports.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop(spec.name, None)


def test_bench_long_reports_doctests(lr: ModuleType) -> None:
    assert doctest.testmod(lr).failed == 0


@pytest.mark.parametrize("punct", [True, False])
def test_bench_long_reports_text_has_the_genres_shape(lr: ModuleType, punct: bool) -> None:
    text = lr.make_text(20_000, punct=punct)
    assert len(text) == 20_000
    assert text.startswith("监利市司法局2022年法治政府建设情况报告\n")
    assert ("《" in text) is punct and ("一、" in text) is punct
    assert "市司法局" in text and any(c.isdigit() for c in text)
    if not punct:
        assert text.count("\n") == 1


def test_bench_long_reports_extracts_from_a_generated_report(lr: ModuleType) -> None:
    from graph.extraction import extract_document
    from graph.read import read_text

    ex = extract_document(read_text(lr.make_text(10_000), path="long.txt"))
    assert {"Agency", "Law"} <= {e.type for e in ex.entities}
    assert ex.statistics
