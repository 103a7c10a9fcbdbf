"""The view of a large corpus, drawn from the SPARQL store (``dataset_from_store``), and the
lean graph the rdf stage may write (mentions and relation assertions whose report is only
that of their sentence)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, URIRef
from viewpage import page_data

from graph import load
from graph.errors import GovkgError
from graph.pipeline import BuildResult, build
from graph.store import write_store
from graph.view import VIEW_TYPES, _evidence, _Index, dataset_from_store, render_view
from graph.vocab import GOVKG, NIF

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib"),
    pytest.mark.filterwarnings(r"ignore:Dataset\.contexts is deprecated:DeprecationWarning"),
]

DATA = Path(__file__).parent / "data"
PREFIX = "PREFIX govkg: <https://w3id.org/govkg/ontology#>\n"
ENTITY_TYPES = VIEW_TYPES[:5]

@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """Three reports from tests/data, with their store (no SHACL, no view)."""
    res = build(sorted(DATA.glob("*.txt")), tmp_path_factory.mktemp("corpus"), validate=False, view=False)
    assert res.reports == 3
    return res


def set_reports(data: Graph, *, lean: bool) -> int:
    """Make ``data`` (a real graph, in whichever form the rdf stage wrote it) lean or full, in
    place. Lean: no ``govkg:report`` on mentions, nor on relation assertions that have a
    sentence. Full: each of them states the report of its sentence. Returns how many mentions
    and assertions that covers."""
    graphs = list(data.graphs()) if isinstance(data, Dataset) else [data]
    covered = 0
    for g in graphs:
        items = set(g.subjects(RDF.type, GOVKG.Mention))
        items |= {a for a in g.subjects(RDF.type, GOVKG.RelationAssertion) if (a, GOVKG.sentence, None) in g}
        covered += len(items)
        for s in items:
            for t in list(g.triples((s, GOVKG.report, None))):
                g.remove(t)
            if not lean:
                for sent in g.objects(s, GOVKG.sentence):
                    for rep in g.objects(sent, GOVKG.report):
                        g.add((s, GOVKG.report, rep))
    return covered


def trig_of(corpus: BuildResult, folder: Path, *, lean: bool) -> Path:
    ds = load(corpus.files["trig"])
    assert set_reports(ds, lean=lean) > 100
    out = folder / "graph.trig"
    ds.serialize(out, format="trig")
    return out


@pytest.fixture(scope="module")
def full_trig(corpus: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return trig_of(corpus, tmp_path_factory.mktemp("full"), lean=False)


@pytest.fixture(scope="module")
def lean_trig(corpus: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return trig_of(corpus, tmp_path_factory.mktemp("lean"), lean=True)


def union(ds: Dataset) -> Graph:
    """One graph holding every triple of ``ds``, as graph.ttl does."""
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def report_names(ds: Graph) -> list[str]:
    if isinstance(ds, Dataset):
        return sorted({str(q[0]) for q in ds.quads((None, RDF.type, GOVKG.Report, None))})
    return sorted({str(r) for r in ds.subjects(RDF.type, GOVKG.Report)})


# -- the lean form ---------------------------------------------------------------------------


def test_view_lean_and_full_forms_are_what_they_say(full_trig: Path, lean_trig: Path) -> None:
    full, lean = load(full_trig), load(lean_trig)
    missing = PREFIX + "SELECT ?m WHERE { GRAPH ?g { ?m a govkg:Mention FILTER NOT EXISTS { ?m govkg:report ?r } } }"
    assert not list(full.query(missing))
    assert not list(lean.query(PREFIX + "SELECT ?m WHERE { GRAPH ?g { ?m a govkg:Mention ; govkg:report ?r } }"))
    assert not list(lean.query(PREFIX + """SELECT ?a WHERE { GRAPH ?g {
        ?a a govkg:RelationAssertion ; govkg:sentence ?s ; govkg:report ?r } }"""))
    # still there: the sentences' reports, which the view falls back to
    assert list(lean.query(PREFIX + "SELECT ?s WHERE { GRAPH ?g { ?s a govkg:Sentence ; govkg:report ?r } }"))


@pytest.mark.parametrize("form", ["trig", "ttl"])
def test_view_lean_graph_gives_the_same_page(full_trig: Path, lean_trig: Path, form: str) -> None:
    """Every report filter of the lean graph draws what the full graph draws, byte for byte: the
    mentions highlighted per report and the relations' evidence and reports come out the same.
    (The plain graph, ``ttl``, has no report graphs, so there the reports of relations come from
    their assertions alone.)"""
    full: Graph = load(full_trig)
    lean: Graph = load(lean_trig)
    names = report_names(full)
    assert len(names) == 3
    if form == "ttl":
        full, lean = union(full), union(lean)
    for report in [None, *names]:
        a, _ = render_view(full, report=report)
        b, _ = render_view(lean, report=report)
        assert a == b, f"lean graph differs (report={report})"


@pytest.mark.parametrize("form", ["trig", "ttl"])
def test_view_lean_graph_gives_the_same_evidence(full_trig: Path, lean_trig: Path, form: str) -> None:
    """Each relation's evidence names the report of its sentence, stated or not."""
    full: Graph = load(full_trig)
    lean: Graph = load(lean_trig)
    if form == "ttl":
        full, lean = union(full), union(lean)
    evidence = _evidence(_Index(full))
    assert evidence == _evidence(_Index(lean))
    with_sentence = [ev for evs in evidence.values() for ev in evs if ev[1]]
    assert with_sentence and all(ev[0] for ev in with_sentence)


def test_view_lean_graph_quotes_only_the_chosen_report(lean_trig: Path) -> None:
    """With one report chosen, the panel quotes sentences of that report only, in mentions and
    in the evidence of relations."""
    lean = union(load(lean_trig))
    for report in report_names(lean):
        data = page_data(render_view(lean, report=report)[0])
        quoted = {data["sentences"][k]["report"] for d in data["info"].values()
                  for k, _ in d.get("mentions", [])}
        evidence = {data["sentences"][k]["report"] for d in data["info"].values()
                    for r in d["rels"] for k, _ in r["ev"]}
        assert quoted == {report}
        assert evidence <= {report}


# -- the store view --------------------------------------------------------------------------


def expected_top(ds: Dataset, k: int) -> list[str]:
    """The ``k`` entities named in the most reports, ties by IRI, computed with SPARQL alone."""
    rows = ds.query(PREFIX + """SELECT ?e (COUNT(DISTINCT ?r) AS ?c)
                                WHERE { GRAPH ?g { ?e govkg:mentionedIn ?r } } GROUP BY ?e""")
    counts = {str(r.e): int(r.c) for r in rows}
    return sorted(counts, key=lambda e: (-counts[e], e))[:k]


def test_view_store_takes_the_entities_named_in_most_reports(corpus: BuildResult) -> None:
    full = load(corpus.files["trig"])
    for k in (1, 10, 40):
        data = page_data(render_view(dataset_from_store(corpus.files["store"], max_nodes=k))[0])
        drawn = {n["id"] for n in data["nodes"] if n["kind"] in ENTITY_TYPES}
        assert drawn == set(expected_top(full, k))


def test_view_store_page_holds_relations_sentences_and_reports(corpus: BuildResult) -> None:
    full = load(corpus.files["trig"])
    top = expected_top(full, 10_000)
    html, stats = render_view(dataset_from_store(corpus.files["store"]))
    data = page_data(html)
    entities = {n["id"] for n in data["nodes"] if n["kind"] in ENTITY_TYPES}
    assert entities == set(top)
    # relations: exactly those among the entities drawn
    skip = {str(RDF.type), str(GOVKG.mention), str(GOVKG.mentionedIn)}
    expected = {(str(s), str(p), str(o)) for s, p, o, _ in full.quads((None, None, None, None))
                if str(s) in entities and str(o) in entities and s != o and str(p) not in skip}
    assert expected
    drawn = {(e["from"], e["pred"], e["to"]) for e in data["edges"]}
    mentioned = {(s, p, o) for s, p, o in drawn if p == str(GOVKG.mentionedIn)}
    assert drawn - mentioned == expected
    # a corpus view links entities to the reports that mention them, as the store says
    said = {(str(s), str(o)) for s, _, o, _ in full.quads((None, GOVKG.mentionedIn, None, None))}
    assert mentioned and all((s, o) in said for s, _, o in mentioned)
    reports = {r["id"] for r in data["reports"]}
    assert reports == set(report_names(full))
    marked = 0
    for nid in entities:
        d = data["info"][nid]
        assert d["reports"] and set(d["reports"]) <= reports  # no graph name posing as a report
        assert len(d["reports"]) <= 8
        assert len(d["mentions"]) <= 6
        for k, spans in d["mentions"]:
            text = data["sentences"][k]["text"]
            for off, length in spans:
                assert 0 <= off and off + length <= len(text)
                marked += 1
    assert marked >= len(entities)  # each entity's source sentences, with its names marked
    # a report chosen in the page keeps the relations between entities both named in it
    assert all(e["reps"] for e in data["edges"])
    assert stats.reports == 3


def test_view_store_lean_store_gives_the_same_page(full_trig: Path, lean_trig: Path, tmp_path: Path) -> None:
    write_store(load(full_trig), tmp_path / "full")
    write_store(load(lean_trig), tmp_path / "lean")
    a, _ = render_view(dataset_from_store(tmp_path / "full"))
    b, _ = render_view(dataset_from_store(tmp_path / "lean"))
    assert a == b


def test_view_store_dataset_is_an_ordinary_rdflib_dataset(corpus: BuildResult) -> None:
    """Its triples reach rdflib when something reads it; the page stays the same."""
    ds = dataset_from_store(corpus.files["store"])
    fast, _ = render_view(ds)
    assert len(ds) > 1000  # loads the triples into rdflib's memory store
    view = ds.graph(URIRef("urn:govkg:corpus-view"))
    # the sentences that name the entities drawn, with their text (the store has no mention nodes)
    sentences = set(view.objects(None, GOVKG.sentence))
    assert sentences and all((s, NIF.isString, None) in view for s in sentences)
    assert not set(view.objects(None, GOVKG.mention))
    assert len(ds.graph(URIRef("https://w3id.org/govkg/ontology"))) > 100
    assert render_view(ds)[0] == fast
    # and it can be written out and read back like any dataset
    again = Dataset()
    again.parse(data=ds.serialize(format="nquads"), format="nquads")
    assert render_view(again)[0] == fast
    # a change through rdflib keeps the triples already there
    n = len(ds)
    view.add((URIRef("https://example.org/x"), RDF.type, GOVKG.Place))
    assert len(ds) == n + 1


def test_view_store_with_nothing_to_draw(corpus: BuildResult) -> None:
    ds = dataset_from_store(corpus.files["store"], max_nodes=0)
    assert len(ds) == 0
    with pytest.raises(GovkgError, match="no govkg entities"):
        render_view(ds)


def test_view_small_build_dataset_from_chunks_is_the_reports_graphs(corpus: BuildResult) -> None:
    """A small build's view reads every report's store chunk; deferred, its triples still reach
    rdflib, graph by graph, when something reads them, and the page is the same either way."""
    from graph import corpus as corpus_mod
    from graph.view import dataset_from_chunks

    out = corpus.out_dir
    manifest = corpus_mod.Manifest.load(out, corpus_mod.DEFAULT_BASE)
    chunks = sorted({(e.graph, (out / "cache" / corpus_mod.store_chunk(e.chunk)).read_bytes())
                     for e in manifest.files.values()})
    ds = dataset_from_chunks(chunks, corpus_mod.ontology_chunk("turtle"))
    page, _ = render_view(ds)
    for iri, turtle in chunks:
        expected = Graph()
        expected.parse(data=turtle, format="turtle")
        assert set(ds.graph(URIRef(iri))) == set(expected) and len(expected) > 100
    assert not list(ds.quads((None, GOVKG.mention, None, None)))  # the store's part: no mention nodes
    assert render_view(ds)[0] == page
    assert render_view(corpus_mod.view_dataset(out, manifest, store=True))[0] == page
