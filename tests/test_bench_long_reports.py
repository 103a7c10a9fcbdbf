"""The long-report benchmark (bench/long_reports.py): its generator and its slope, and the
budget a report of a million characters must meet once extraction is linear."""

from __future__ import annotations

import doctest
from collections.abc import Iterator
from types import ModuleType

import pytest
from benchscripts import bench_script


@pytest.fixture(scope="module")
def lr() -> Iterator[ModuleType]:
    """bench/long_reports.py."""
    with bench_script("long_reports") as mod:
        yield mod


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
