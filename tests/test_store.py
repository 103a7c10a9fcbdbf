"""The on-disk SPARQL store: what the build loads, replacing graphs, removing them, errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from graph import load
from graph.errors import StoreError
from graph.pipeline import BuildResult, build
from graph.store import (
    MARKER,
    load_file,
    open_store,
    remove_graphs,
    snapshot,
    store_generation,
    store_info,
    write_graphs,
    write_store,
)
from graph.vocab import GOVKG, NIF, ONTOLOGY_IRI

EX = "https://example.org/test/"


def _named(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs()}


def _graph_triples(store: ox.Store, name: str | None) -> set[tuple[str, str, str]]:
    g = ox.DefaultGraph() if name is None else ox.NamedNode(name)
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in store.quads_for_pattern(None, None, None, g)}


def _union_of_named(store: ox.Store) -> set[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    for g in _named(store):
        out |= _graph_triples(store, g)
    return out


def _canon(g):
    """Oxigraph keeps numbers by value ("12.0"^^xsd:decimal comes back as "12"): compare values."""
    from decimal import Decimal

    from rdflib import XSD, Graph

    out = Graph()
    for s, p, o in g:
        if isinstance(o, Literal) and o.datatype in (XSD.decimal, XSD.integer):
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=o.datatype)
        out.add((s, p, o))
    return out


def _same(a, b) -> bool:
    return isomorphic(_canon(a), _canon(b))


def _as_rdflib(store: ox.Store, name: str):
    from rdflib import Graph

    g = Graph()
    data = ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object)
         for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name))],
        format=ox.RdfFormat.N_TRIPLES,
    )
    g.parse(data=data.decode("utf-8"), format="nt")
    return g


@pytest.fixture(scope="module")
def sample_ds(sample_trig: Path) -> Dataset:
    return load(sample_trig)


def _report_iri(ds: Dataset) -> URIRef:
    names = [c.identifier for c in ds.graphs() if c.identifier != ONTOLOGY_IRI and len(c)]
    names = [n for n in names if str(n) != "urn:x-rdflib:default"]
    assert len(names) == 1
    return names[0]


def test_store_build_loads_every_report_graph(sample_build: BuildResult, sample_ds: Dataset) -> None:
    path = sample_build.files["store"]
    assert path == sample_build.out_dir / "store"
    store = open_store(path)
    rep = _report_iri(sample_ds)
    assert _named(store) == {str(rep), str(ONTOLOGY_IRI)}
    assert _same(_as_rdflib(store, str(ONTOLOGY_IRI)), sample_ds.graph(ONTOLOGY_IRI))
    # the report's graph: the part of graph.trig's that questions ask, no mention nodes
    held, full = _canon(_as_rdflib(store, str(rep))), _canon(sample_ds.graph(rep))
    assert set(held) <= set(full)
    assert len(held) <= len(full) // 2
    assert not set(held.subjects(RDF.type, GOVKG.Mention)) and not set(held.triples((None, GOVKG.extractedBy, None)))
    assert set(full.subjects(RDF.type, GOVKG.Mention))
    for entity in set(full.subjects(GOVKG.mentionedIn, None)):
        # each entity keeps its names, types and one link to each sentence that names it
        for p in (RDF.type, RDFS.label, SKOS.altLabel, GOVKG.mentionedIn, GOVKG.sentence):
            assert set(held.objects(entity, p)) == set(full.objects(entity, p)), (entity, p)
        said = {s for m in full.objects(entity, GOVKG.mention) for s in full.objects(m, GOVKG.sentence)}
        assert set(held.objects(entity, GOVKG.sentence)) == said
    for p in (GOVKG.implements, RDF.subject, RDF.object, GOVKG.value):
        assert set(held.triples((None, p, None))) == set(full.triples((None, p, None))), p
    # the sentences that state something, with text, offset and role; not the bare headings
    stating = set(held.objects(None, GOVKG.sentence))
    assert set(held.subjects(NIF.isString, None)) == stating < set(full.subjects(NIF.isString, None))
    for sent in stating:
        for p in (NIF.isString, NIF.beginIndex, GOVKG.role, GOVKG.report):
            assert set(held.objects(sent, p)) == set(full.objects(sent, p)) != set(), (sent, p)
    info = store_info(path)
    assert info["graphs"] == {str(rep): len(held), str(ONTOLOGY_IRI): len(sample_ds.graph(ONTOLOGY_IRI))}
    assert info["oxigraph"] == ox.__version__


def test_store_default_graph_is_the_union(sample_build: BuildResult) -> None:
    store = open_store(sample_build.files["store"])
    assert _graph_triples(store, None) == _union_of_named(store)
    # queries need no option to see it
    res = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(next(iter(res))["n"].value) == len(_union_of_named(store))


def _copy_with(ds: Dataset, graph: URIRef, drop: int = 0, add: tuple | None = None) -> Dataset:
    out = Dataset()
    for ctx in ds.graphs():
        if not len(ctx) or str(ctx.identifier) == "urn:x-rdflib:default":
            continue
        g = out.graph(ctx.identifier)
        triples = sorted(ctx.triples((None, None, None)))
        if ctx.identifier == graph:
            triples = triples[drop:]
        for t in triples:
            g.add(t)
        if ctx.identifier == graph and add:
            g.add(add)
    return out


def test_store_rebuild_replaces_one_graph_and_keeps_the_others(tmp_path: Path, sample_ds: Dataset) -> None:
    path = tmp_path / "store"
    first = write_store(sample_ds, path)
    assert first.replaced == () and len(first.added) == 2 and first.generation == 1
    rep = _report_iri(sample_ds)
    other = URIRef(EX + "other-report")
    extra = Dataset()
    extra.graph(other).add((URIRef(EX + "a"), URIRef(EX + "p"), Literal("只在另一份报告")))
    write_store(extra, path)

    # rebuild the report: a triple less, a triple more
    dropped = sorted(sample_ds.graph(rep).triples((None, None, None)))[0]
    new_triple = (URIRef(EX + "x"), URIRef(EX + "p"), Literal("新的", lang="zh"))
    changed = _copy_with(sample_ds, rep, drop=1, add=new_triple)
    stats = write_store(changed, path)
    assert set(stats.replaced) == {str(rep), str(ONTOLOGY_IRI)} and stats.added == ()
    assert stats.generation == 3

    store = open_store(path)
    assert _same(_as_rdflib(store, str(rep)), changed.graph(rep))
    assert _named(store) == {str(rep), str(ONTOLOGY_IRI), str(other)}  # nothing else lost
    assert _graph_triples(store, str(other)) == {(f"<{EX}a>", f"<{EX}p>", '"只在另一份报告"')}
    union = _graph_triples(store, None)
    assert union == _union_of_named(store)
    dropped_s = tuple(str(_ox(t)) for t in dropped)
    still_elsewhere = dropped_s in _graph_triples(store, str(ONTOLOGY_IRI))
    assert (dropped_s in union) == still_elsewhere
    assert (f"<{EX}x>", f"<{EX}p>", '"新的"@zh') in union
    assert store_info(path)["generation"] == 3


def _ox(term):
    from graph.store import _ox_term

    return _ox_term(term)


def test_store_failed_write_keeps_the_previous_graph(tmp_path: Path, sample_ds: Dataset) -> None:
    path = tmp_path / "store"
    write_store(sample_ds, path)
    rep = _report_iri(sample_ds)
    before = open_store(path)
    kept = _graph_triples(before, str(rep))
    del before
    bad = _copy_with(sample_ds, rep, add=(URIRef(EX + "s"), URIRef(EX + "p"), URIRef("http://example.org/a b")))
    with pytest.raises(StoreError, match="keeps its previous content"):
        write_store(bad, path)
    after = open_store(path)
    assert _graph_triples(after, str(rep)) == kept


def test_store_remove_graphs(tmp_path: Path, sample_ds: Dataset) -> None:
    path = tmp_path / "store"
    write_store(sample_ds, path)
    rep = _report_iri(sample_ds)
    gen = store_generation(path)
    assert remove_graphs(path, [str(rep), EX + "never-there"]) == [str(rep)]
    assert store_generation(path) != gen
    store = open_store(path)
    assert _named(store) == {str(ONTOLOGY_IRI)}
    # the report's triples left the union too, the ontology's stayed
    assert _graph_triples(store, None) == _graph_triples(store, str(ONTOLOGY_IRI))
    del store
    with pytest.raises(StoreError, match="not a valid IRI"):
        remove_graphs(path, ["not an iri"])


@pytest.mark.parametrize("make", ["missing", "empty", "not-a-store"])
def test_store_open_errors_say_what_to_do(tmp_path: Path, make: str) -> None:
    d = tmp_path / "store"
    if make != "missing":
        d.mkdir()
    if make == "not-a-store":
        (d / "notes.txt").write_text("hello")
    with pytest.raises(StoreError) as e:
        open_store(d)
    msg = str(e.value)
    assert "\n" not in msg and str(d) in msg and "govkg build" in msg
    if make == "not-a-store":
        with pytest.raises(StoreError, match="not empty and is not an Oxigraph store"):
            open_store(d, read_only=False)


def test_store_open_damaged_store_names_the_versions(tmp_path: Path, sample_build: BuildResult) -> None:
    d = tmp_path / "store"
    shutil.copytree(sample_build.files["store"], d)
    marker = (d / MARKER).read_text(encoding="utf-8").replace(f'"oxigraph": "{ox.__version__}"', '"oxigraph": "0.3.22"')
    (d / MARKER).write_text(marker, encoding="utf-8")
    for f in d.glob("MANIFEST-*"):
        f.write_bytes(b"garbage")
    with pytest.raises(StoreError) as e:
        open_store(d)
    msg = str(e.value)
    assert "0.3.22" in msg and ox.__version__ in msg and "govkg build" in msg and "\n" not in msg


def test_store_locked_by_another_process(tmp_path: Path, sample_build: BuildResult) -> None:
    d = tmp_path / "store"
    shutil.copytree(sample_build.files["store"], d)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('open', flush=True); sys.stdin.read()",
         str(d)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="in use by another process"):
            open_store(d, read_only=False)
        with pytest.raises(StoreError, match="in use by another process"):
            write_store(Dataset(), d)
        t0 = time.monotonic()
        with pytest.raises(StoreError, match="in use"):
            snapshot(d, tmp_path / "snap", wait=0.5)
        assert time.monotonic() - t0 < 5
    finally:
        holder.communicate("", timeout=10)
    assert holder.returncode == 0
    snapshot(d, tmp_path / "snap2")  # free again


def test_store_snapshot_is_independent(tmp_path: Path, sample_ds: Dataset) -> None:
    path = tmp_path / "store"
    write_store(sample_ds, path)
    snap = snapshot(path, tmp_path / "snap")
    extra = Dataset()
    extra.graph(URIRef(EX + "later")).add((URIRef(EX + "a"), URIRef(EX + "p"), URIRef(EX + "b")))
    write_store(extra, path)
    assert EX + "later" in _named(open_store(path))
    assert EX + "later" not in _named(ox.Store.read_only(str(snap)))


def test_store_load_file_merges_named_graphs(sample_trig: Path, tmp_path: Path) -> None:
    store = load_file(sample_trig)
    assert _graph_triples(store, None) == _union_of_named(store) != set()
    bad = tmp_path / "bad.trig"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(StoreError, match="not valid RDF"):
        load_file(bad)
    (tmp_path / "x.docx").write_text("x")
    with pytest.raises(StoreError, match="unknown graph file type"):
        load_file(tmp_path / "x.docx")
    with pytest.raises(StoreError, match="no such graph file"):
        load_file(tmp_path / "missing.trig")


def test_store_write_graphs_from_turtle_chunks(tmp_path: Path) -> None:
    path = tmp_path / "store"
    chunk = f'@prefix ex: <{EX}> . ex:a ex:p "一"@zh , "二"@zh .'.encode()
    stats = write_graphs(path, [(EX + "r1", ox.parse(chunk, format=ox.RdfFormat.TURTLE)),
                                (EX + "r2", [(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("一", language="zh"))])])
    assert stats.added == (EX + "r1", EX + "r2") and stats.quads_written == 3
    write_graphs(path, [(EX + "r1", [])])  # r1 now empty: "二" leaves the union, "一" stays (r2 has it)
    store = open_store(path)
    assert _graph_triples(store, None) == {(f"<{EX}a>", f"<{EX}p>", '"一"@zh')}


def test_store_build_without_store(tmp_path: Path) -> None:
    res = build(None, tmp_path / "out", validate=False, view=False, store=False)
    assert "store" not in res.files
    assert not (tmp_path / "out" / "store").exists()


def test_store_build_command_has_store_option() -> None:
    from typer.testing import CliRunner

    from graph.cli import app

    out = CliRunner().invoke(app, ["build", "--help"]).output
    assert "--no-store" in out
