"""bench/store_layout.py: each layout it times loads the quads it says it does."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pyoxigraph as ox
import pytest
from benchscripts import bench_script

from graph.corpus import chunk_of
from graph.model import Extraction


@pytest.fixture(scope="module")
def sl() -> Iterator[ModuleType]:
    """bench/store_layout.py."""
    with bench_script("store_layout") as module:
        yield module


def _loaded(sl: ModuleType, items: list[tuple[str, bytes]], layout: str) -> set[ox.Quad]:
    data, fmt = sl.payloads(items, layout)
    db = ox.Store()
    for d in data:
        db.bulk_load(d, format=fmt)
    return set(db)


def test_bench_store_layouts_load_what_they_name(sl: ModuleType, sample_extraction: Extraction) -> None:
    c = chunk_of(sample_extraction)
    other = "https://example.org/report/other"
    items = [(c.graph, c.store_turtle), (other, c.store_turtle)]
    triples = {t.triple for t in ox.parse(c.store_turtle, format=ox.RdfFormat.TURTLE)}
    assert len(triples) == c.store_triples

    named = {ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, _ in items for t in triples}
    union = {ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples}
    assert _loaded(sl, items, "build") == named | union
    assert _loaded(sl, items, "nquads") == named | union
    assert _loaded(sl, items, "named") == named
    assert _loaded(sl, items, "union") == union
