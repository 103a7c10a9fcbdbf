"""Corpus builds (graph/corpus.py, graph/pipeline.py): many reports merged into one graph,
incrementally, in worker processes or on a Dask cluster, and safe to kill at any moment.

The reports are short ones written here in the genre: two cities that both have a 市司法局
(武汉市, 遂宁市), two years of one county-level city (监利市 2021 and 2022) and a district report
(江汉区) whose parents come from the division table only.
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS
from typer.testing import CliRunner

import graph.corpus as corpus
from graph.cli import app
from graph.errors import GovkgError
from graph.lexicon import lexicons
from graph.pipeline import BuildResult, build
from graph.rdf import OxToRdflib
from graph.store import open_store, store_info
from graph.vocab import DEFAULT_BASE, GOVKG, NIF, ONTOLOGY_IRI, QB

# -- the reports ---------------------------------------------------------------------------------

WUHAN_2021 = """武汉市司法局2021年法治政府建设情况报告
一、主要工作成效
2021年，市司法局深入贯彻《中华人民共和国行政复议法》，全年收到行政复议申请1520件，审结1398件。
认真落实国务院《重大行政决策程序暂行条例》，组织审查市政府重大行政决策事项36件。
二、存在的问题
行政复议纠错率偏低，基层法治力量仍然不足。
三、下一步打算
市司法局将持续推进行政复议体制改革，加强行政执法监督。
"""

SUINING_2021 = """遂宁市司法局2021年法治政府建设情况报告
一、主要工作成效
市司法局全面贯彻《中华人民共和国行政复议法》，全年办理行政复议申请286件。
严格执行国务院《重大行政决策程序暂行条例》，开展合法性审查112件。
二、存在的问题
部分县区法治宣传教育针对性不强。
三、下一步打算
市司法局将深化“放管服”改革，推进法治政府示范创建。
"""

JIANLI_2021 = """监利市人民政府2021年法治政府建设情况报告
一、主要工作成效
2021年，市政府认真贯彻《中华人民共和国行政复议法》，全年收到行政复议申请45件，办结43件。
市司法局组织开展行政执法人员培训12期，培训执法人员860人次。
二、存在的问题
行政执法规范化水平有待提高。
三、下一步打算
市政府将严格落实国务院《重大行政决策程序暂行条例》，提升依法决策水平。
"""

JIANLI_2022 = """监利市人民政府2022年法治政府建设情况报告
一、主要工作成效
2022年，市政府深入实施《中华人民共和国行政复议法》，全年收到行政复议申请58件，办结55件。
市司法局审查规范性文件27件，组织行政执法案卷评查2次。
二、存在的问题
行政执法监督力度仍需加强。
三、下一步打算
市政府将继续贯彻国务院《重大行政决策程序暂行条例》，推进严格规范公正文明执法。
"""

JIANGHAN_2022 = """江汉区人民政府2022年法治政府建设情况报告
一、主要工作成效
区政府全面贯彻《中华人民共和国行政复议法》，全年收到行政复议申请73件。
区司法局开展法治宣传活动150场，受众3.2万人次。
二、存在的问题
法治督察力度有待加强。
三、下一步打算
区政府将认真执行国务院《重大行政决策程序暂行条例》，完善重大行政决策程序。
"""

REPORTS: dict[str, str] = {
    "jianghan-2022.txt": JIANGHAN_2022,
    "jianli-2021.txt": JIANLI_2021,
    "jianli-2022.txt": JIANLI_2022,
    "suining-sifaju-2021.txt": SUINING_2021,
    "wuhan-sifaju-2021.txt": WUHAN_2021,
}


@dataclass(frozen=True)
class Expected:
    """What a report's title says: its year, its place (name, GB/T 2260 code), its issuer."""

    year: int
    place: str
    code: str
    issuer: str


EXPECTED: dict[str, Expected] = {
    "jianghan-2022.txt": Expected(2022, "江汉区", "420103", "江汉区人民政府"),
    "jianli-2021.txt": Expected(2021, "监利市", "421088", "监利市人民政府"),
    "jianli-2022.txt": Expected(2022, "监利市", "421088", "监利市人民政府"),
    "suining-sifaju-2021.txt": Expected(2021, "遂宁市", "510900", "遂宁市司法局"),
    "wuhan-sifaju-2021.txt": Expected(2021, "武汉市", "420100", "武汉市司法局"),
}

ID = DEFAULT_BASE
SPARQL_PREFIXES = (
    "PREFIX govkg: <https://w3id.org/govkg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX org: <http://www.w3.org/ns/org#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
)
#: Characters a rich or tqdm progress bar draws.
BAR_CHARS = re.compile("[━╸╺█▉▊▋▌▍▎▏]")


# -- helpers -------------------------------------------------------------------------------------


def write_reports(folder: Path, reports: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in reports.items():
        p = folder / name
        p.write_bytes(text.encode("utf-8"))
        paths.append(p)
    return paths


def run(inputs: Path | list[Path], out: Path, **kw: Any) -> BuildResult:
    """A build without the HTML view (not what these tests are about, and it takes time)."""
    kw.setdefault("view", False)
    return build(inputs if isinstance(inputs, list) else [inputs], out, **kw)


def load_trig(path: Path) -> Dataset:
    ds = Dataset()
    ds.parse(path, format="trig")
    return ds


def report_graphs(ds: Dataset) -> dict[str, Graph]:
    """The report graphs of a dataset, by IRI (the ontology's graph and the default left out)."""
    return {
        str(g.identifier): g
        for g in ds.graphs()
        if g.identifier != ONTOLOGY_IRI and (None, RDF.type, GOVKG.Report) in g
    }


def entity(name: str) -> URIRef:
    return URIRef(ID + name)


def graphs_mentioning(ds: Dataset, node: URIRef) -> set[str]:
    return {iri for iri, g in report_graphs(ds).items() if (node, None, None) in g}


def label_of(g: Graph, node: Any) -> str:
    return str(g.value(node, RDFS.label))


def store_select(store_dir: Path, sparql: str) -> list[tuple[str, ...]]:
    """Rows of a SELECT on the store, opened read-only, as tuples of term values."""
    db = open_store(store_dir, read_only=True)
    try:
        res = db.query(SPARQL_PREFIXES + sparql)
        assert isinstance(res, ox.QuerySolutions)
        return [tuple(t.value if t is not None else "" for t in row) for row in res]
    finally:
        del db


@dataclass
class StoreContent:
    named: dict[str, Graph]
    default: Graph


def store_content(store_dir: Path) -> StoreContent:
    """Every quad of a store as rdflib graphs: the named graphs by IRI, and the default graph."""
    conv = OxToRdflib()
    named: dict[str, Graph] = {}
    default = Graph()
    db = open_store(store_dir, read_only=True)
    try:
        for q in db.quads_for_pattern(None, None, None, None):
            t = conv.triple(q)
            if isinstance(q.graph_name, ox.DefaultGraph):
                default.add(t)  # type: ignore[arg-type]
            else:
                named.setdefault(q.graph_name.value, Graph()).add(t)  # type: ignore[arg-type, union-attr]
    finally:
        del db
    return StoreContent(named, default)


def ground(g: Graph) -> set[tuple[Any, Any, Any]]:
    """The triples of a graph without blank nodes (the ontology has a few; reports have none)."""
    return {t for t in g if not any(isinstance(x, BNode) for x in t)}


def assert_same_store(a: StoreContent, b: StoreContent) -> None:
    assert sorted(a.named) == sorted(b.named)
    for iri in a.named:
        assert isomorphic(a.named[iri], b.named[iri]), f"graph <{iri}> differs"
    assert isomorphic(a.default, b.default), "the default graph differs"


def store_part(g: Graph) -> Graph:
    """What the store holds of a report graph of graph.trig, by the design of the store: all but
    the mention nodes and statistic anchors, ``extractedBy``, the offsets of relation
    assertions, a sentence's index, end and type, the sentences that state nothing, a
    statistic's data set, label and year when it is its report's, and the data set itself."""
    mentions = set(g.subjects(RDF.type, GOVKG.Mention))
    datasets = set(g.subjects(RDF.type, QB.DataSet))
    sentences = set(g.subjects(RDF.type, GOVKG.Sentence))
    stats = set(g.subjects(RDF.type, GOVKG.Statistic))
    stating = {o for s, o in g.subject_objects(GOVKG.sentence) if s not in mentions}
    years = {r: y for r, y in g.subject_objects(GOVKG.year) if (r, RDF.type, GOVKG.Report) in g}
    out = Graph()
    for s, p, o in g:
        if s in mentions or s in datasets or p in (GOVKG.mention, GOVKG.extractedBy, GOVKG.sentenceIndex):
            continue
        if s in sentences and (s not in stating or p == NIF.endIndex or (p, o) == (RDF.type, GOVKG.Sentence)):
            continue
        if (s, RDF.type, GOVKG.RelationAssertion) in g and p in (NIF.beginIndex, NIF.endIndex):
            continue
        if s in stats and (p in (QB.dataSet, RDFS.label) or (p == GOVKG.year and o in years.values())):
            continue
        out.add((s, p, o))
    return out


def assert_store_matches_files(out: Path) -> None:
    """The store holds its part of each graph of graph.trig (:func:`store_part`), and its
    default graph is their union."""
    content = store_content(out / "store")
    ds = load_trig(out / "graph.trig")
    files = {str(g.identifier): g for g in ds.graphs() if len(g)}
    files.pop("urn:x-rdflib:default", None)
    assert sorted(content.named) == sorted(files)
    for iri, g in files.items():
        want = g if iri == str(ONTOLOGY_IRI) else store_part(g)
        assert isomorphic(content.named[iri], want), f"store and graph.trig differ on <{iri}>"
        # about half (bench/store_size.py measures it on full-length reports)
        assert iri == str(ONTOLOGY_IRI) or len(want) <= 0.6 * len(g)
    union = set().union(*(ground(g) for g in content.named.values()))
    assert ground(content.default) == union


def cache_mtimes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (out / "cache").iterdir()}


def temporary_files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.name.endswith(".tmp"))


def html_page(text: str) -> str:
    """The report as a simple web page: its title as the page's title and heading, a <p> per line."""
    title, *lines = text.splitlines()
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines)
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title></head>\n'
            f"<body>\n<h1>{title}</h1>\n{body}</body></html>\n")


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    write_reports(folder, REPORTS)
    return folder


@dataclass(frozen=True)
class Merged:
    """The five reports built once: the folder they are in, the result, graph.trig parsed."""

    folder: Path
    res: BuildResult
    ds: Dataset


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Merged:
    """The five reports built once (jobs=1, into a new folder: a bulk-loaded store)."""
    folder = tmp_path_factory.mktemp("merged-reports")
    write_reports(folder, REPORTS)
    res = run(folder, tmp_path_factory.mktemp("merged-out") / "out")
    return Merged(folder, res, load_trig(res.out_dir / "graph.trig"))


class Spy:
    """Counts the reports graph.corpus.extract_chunk is asked to extract (jobs=1 runs in-process)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = corpus.extract_chunk

        def spy(path: str, base: str = DEFAULT_BASE, max_chars: int = 0) -> corpus.Chunk | corpus.Failure:
            self.paths.append(Path(path).name)
            return real(path, base, max_chars)

        monkeypatch.setattr(corpus, "extract_chunk", spy)


# -- the merged graph ----------------------------------------------------------------------------


def test_corpus_builds_every_report_into_its_own_named_graph(merged: Merged) -> None:
    res, ds = merged.res, merged.ds
    graphs = report_graphs(ds)
    assert res.reports == len(graphs) == len(REPORTS)
    assert res.extras["added"] == str(len(REPORTS)) and res.skipped == () and res.duplicates == ()
    seen = set()
    for iri, g in graphs.items():
        (rep,) = set(g.subjects(RDF.type, GOVKG.Report))
        assert str(rep) == iri  # the graph is named by its report
        name = str(g.value(rep, GOVKG.sourceFile))
        want = EXPECTED[name]
        seen.add(name)
        assert g.value(rep, GOVKG.year) == Literal(str(want.year), datatype=XSD.gYear)
        place = g.value(rep, GOVKG.locality)
        assert place == entity(f"place/{want.code}") and label_of(g, place) == want.place
        assert label_of(g, g.value(rep, DCTERMS.creator)) == want.issuer
        assert str(g.value(rep, DCTERMS.title)) == REPORTS[name].splitlines()[0]
    assert seen == set(REPORTS)


@pytest.mark.parametrize(
    ("node", "kind", "label"),
    [("agency/国务院", GOVKG.Agency, "国务院"), ("law/行政复议法", GOVKG.Law, "行政复议法"),
     ("law/重大行政决策程序暂行条例", GOVKG.Law, "重大行政决策程序暂行条例")],
)
def test_corpus_national_bodies_and_laws_are_one_node_across_reports(
    merged: Merged, node: str, kind: URIRef, label: str
) -> None:
    ds = merged.ds
    # every report cites 《中华人民共和国行政复议法》 and 国务院《重大行政决策程序暂行条例》
    assert graphs_mentioning(ds, entity(node)) == set(report_graphs(ds))
    nodes = {s for g in report_graphs(ds).values() for s in g.subjects(RDF.type, kind) if label_of(g, s) == label}
    assert nodes == {entity(node)}
    assert len(set(ds.graph(URIRef(g)).value(entity(node), RDFS.label) for g in report_graphs(ds))) == 1


def test_corpus_local_bodies_of_two_cities_are_two_nodes(merged: Merged) -> None:
    ds = merged.ds
    graphs = report_graphs(ds)
    by_file = {str(g.value(next(g.subjects(RDF.type, GOVKG.Report)), GOVKG.sourceFile)): iri for iri, g in graphs.items()}
    wuhan, suining = entity("agency/武汉市司法局"), entity("agency/遂宁市司法局")
    assert graphs_mentioning(ds, wuhan) == {by_file["wuhan-sifaju-2021.txt"]}
    assert graphs_mentioning(ds, suining) == {by_file["suining-sifaju-2021.txt"]}
    for agency, city, code in ((wuhan, "武汉市", "420100"), (suining, "遂宁市", "510900")):
        g = graphs[next(iter(graphs_mentioning(ds, agency)))]
        (place,) = set(g.objects(agency, GOVKG.jurisdiction))
        assert place == entity(f"place/{code}") and label_of(g, place) == city
        assert str(g.value(place, GOVKG.divisionCode)) == code
    # 市司法局 of 监利市 is named in both of its years' reports: one node, in both graphs
    jianli = entity("agency/监利市司法局")
    assert graphs_mentioning(ds, jianli) == {by_file["jianli-2021.txt"], by_file["jianli-2022.txt"]}
    # every 司法局 node is the one of its own place: no bare 市司法局 or 区司法局 left
    sifaju = {label_of(g, s) for g in graphs.values() for s in g.subjects(RDF.type, GOVKG.Agency)
              if label_of(g, s).endswith("司法局")}
    assert sifaju == {"武汉市司法局", "遂宁市司法局", "监利市司法局", "江汉区司法局"}


@pytest.mark.parametrize(
    "chain", [("江汉区", "武汉市", "湖北省"), ("监利市", "荆州市", "湖北省"), ("遂宁市", "四川省")], ids=lambda c: c[0]
)
def test_corpus_places_link_to_their_parents_as_the_division_table_says(
    merged: Merged, chain: tuple[str, ...]
) -> None:
    res = merged.res
    lex = lexicons()
    (code,) = [d.code for d in lex.divisions.values() if d.name == chain[0]]
    table = [d.name for d in lex.chain(code)]
    assert table == list(chain)  # the division table says so, and these reports name no parent
    merged_graph = Graph().parse(res.out_dir / "graph.ttl", format="turtle")
    for child, parent in zip(lex.chain(code), lex.chain(code)[1:]):
        c, p = entity(f"place/{child.code}"), entity(f"place/{parent.code}")
        assert set(merged_graph.objects(c, GOVKG.locatedIn)) == {p}
        assert label_of(merged_graph, p) == parent.name
    rows = store_select(res.out_dir / "store", f"""
        SELECT ?name WHERE {{ ?place rdfs:label "{chain[0]}"@zh ; govkg:locatedIn+ ?up . ?up rdfs:label ?name }}""")
    assert sorted(r[0] for r in rows) == sorted(chain[1:])


def test_corpus_every_place_links_to_its_nearest_parent_in_the_graph(merged: Merged) -> None:
    res = merged.res
    lex = lexicons()
    g = Graph().parse(res.out_dir / "graph.ttl", format="turtle")
    places = {str(g.value(p, GOVKG.divisionCode)): p for p in g.subjects(RDF.type, GOVKG.Place)
              if g.value(p, GOVKG.divisionCode) is not None}
    assert {"420000", "420100", "420103", "421000", "421088", "510000", "510900"} <= set(places)
    for code, node in places.items():
        ancestors = [d.code for d in lex.chain(code)[1:] if d.code in places]
        assert set(g.objects(node, GOVKG.locatedIn)) == ({places[ancestors[0]]} if ancestors else set())


def test_corpus_statistics_compare_across_two_years_of_one_locality(merged: Merged) -> None:
    res = merged.res
    q = """
        SELECT ?year ?value WHERE {
          GRAPH ?r { ?r a govkg:Report ; govkg:locality ?place ; govkg:year ?year .
                     ?s a govkg:Statistic ; govkg:report ?r ; govkg:measure ?m ; govkg:value ?value }
          ?place rdfs:label "监利市"@zh .
          FILTER(CONTAINS(STR(?m), "行政复议申请"))
        } ORDER BY ?year"""
    # 监利市: 全年收到行政复议申请45件 (2021), 58件 (2022)
    assert store_select(res.out_dir / "store", q) == [("2021", "45"), ("2022", "58")]
    # the same question on the file gives the same answer
    from graph.store import load_file

    rows = load_file(res.out_dir / "graph.trig").query(SPARQL_PREFIXES + q)
    assert isinstance(rows, ox.QuerySolutions)
    assert [(r["year"].value, r["value"].value) for r in rows] == [("2021", "45"), ("2022", "58")]


def test_corpus_store_holds_what_the_files_hold(merged: Merged) -> None:
    res = merged.res
    assert_store_matches_files(res.out_dir)
    ttl = Graph().parse(res.out_dir / "graph.ttl", format="turtle")
    default = store_content(res.out_dir / "store").default
    assert set(ground(default)) <= set(ground(ttl)) and len(default) < len(ttl)
    assert res.entity_counts["Agency"] == len(set(ttl.subjects(RDF.type, GOVKG.Agency)))


# -- incremental rebuilds ------------------------------------------------------------------------


def test_corpus_rebuild_with_nothing_changed_extracts_nothing(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run(corpus_dir, out)
    files = {n: (out / n).read_bytes() for n in ("graph.trig", "graph.ttl", "manifest.json")}
    mtimes = cache_mtimes(out)
    store_dir = os.readlink(out / "store")
    before = store_content(out / "store")
    generation = store_info(out / "store")["generation"]
    spy = Spy(monkeypatch)
    res = run(corpus_dir, out)
    assert spy.paths == []
    assert res.extras["unchanged"] == str(len(REPORTS))
    assert (res.extras["added"], res.extras["changed"], res.extras["removed"]) == ("0", "0", "0")
    assert res.reports == len(REPORTS) and res.validation.startswith("nothing changed")
    assert cache_mtimes(out) == mtimes
    assert {n: (out / n).read_bytes() for n in files} == files
    # no bulk rebuild and no write at all: the store (and its generation, which `govkg serve`
    # follows) stays as it was; a newer govkg's ontology would be written (see the next test)
    assert os.readlink(out / "store") == store_dir
    assert store_info(out / "store")["generation"] == generation
    assert_same_store(store_content(out / "store"), before)


def test_corpus_rebuild_gives_the_store_a_changed_ontology(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graph.corpus

    out = tmp_path / "out"
    run(corpus_dir, out)
    generation = store_info(out / "store")["generation"]
    extra = b"\n<https://w3id.org/govkg/ontology> <http://www.w3.org/2000/01/rdf-schema#comment> \"newer\" .\n"
    monkeypatch.setitem(graph.corpus._ONTOLOGY_CHUNKS, "turtle", graph.corpus.ontology_chunk("turtle") + extra)
    run(corpus_dir, out)
    assert store_info(out / "store")["generation"] == generation + 1
    db = open_store(out / "store")
    try:
        assert db.query('ASK { GRAPH <https://w3id.org/govkg/ontology> { ?s ?p "newer" } }')
    finally:
        del db


def test_corpus_rebuild_reextracts_only_the_changed_report(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    first = run(corpus_dir, out)
    old_graphs = set(report_graphs(load_trig(out / "graph.trig")))
    mtimes = cache_mtimes(out)
    changed = corpus_dir / "jianli-2022.txt"
    changed.write_text(JIANLI_2022.replace("行政复议申请58件", "行政复议申请61件"), encoding="utf-8")
    spy = Spy(monkeypatch)
    res = run(corpus_dir, out)
    assert spy.paths == ["jianli-2022.txt"]
    assert (res.extras["changed"], res.extras["unchanged"], res.extras["added"], res.extras["removed"]) == ("1", "4", "0", "0")
    new_graphs = set(report_graphs(load_trig(out / "graph.trig")))
    (gone,), (new,) = old_graphs - new_graphs, new_graphs - old_graphs
    assert len(new_graphs) == len(REPORTS)
    # the old graph is gone from the files, the store and the cache; the new one is there
    named = store_content(out / "store").named
    assert gone not in named and new in named
    stem = gone.rsplit("/", 1)[-1]
    assert not (out / "cache" / f"{stem}.ttl").exists() and not (out / "cache" / f"{stem}.store.ttl").exists()
    assert_store_matches_files(out)
    q = """SELECT ?year ?value WHERE { GRAPH ?r { ?r govkg:year ?year . ?s govkg:report ?r ; govkg:value ?value ;
               govkg:measure "收到行政复议申请"@zh } ?r govkg:locality/rdfs:label "监利市"@zh } ORDER BY ?year"""
    assert store_select(out / "store", q) == [("2021", "45"), ("2022", "61")]
    # the other reports' chunks were left alone
    kept = {k: v for k, v in cache_mtimes(out).items() if k in mtimes}
    assert kept == {k: v for k, v in mtimes.items() if k not in (f"{stem}.ttl", f"{stem}.store.ttl")}
    assert first.files["store"] == res.files["store"]


def test_corpus_rebuild_drops_the_graph_of_a_removed_report(corpus_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(corpus_dir, out)
    before = report_graphs(load_trig(out / "graph.trig"))
    (suining,) = [i for i, g in before.items() if (None, GOVKG.sourceFile, Literal("suining-sifaju-2021.txt")) in g]
    (corpus_dir / "suining-sifaju-2021.txt").unlink()
    res = run(corpus_dir, out)
    assert (res.extras["removed"], res.extras["unchanged"], res.reports) == ("1", "4", 4)
    assert set(report_graphs(load_trig(out / "graph.trig"))) == set(before) - {suining}
    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    assert (entity("agency/遂宁市司法局"), None, None) not in ttl
    assert (entity("agency/国务院"), None, None) in ttl
    assert_store_matches_files(out)
    default = store_content(out / "store").default
    # what only 遂宁 named left the union; what others name too stayed
    assert (entity("agency/遂宁市司法局"), None, None) not in default
    assert (entity("place/510000"), None, None) not in default
    assert (entity("law/行政复议法"), GOVKG.mentionedIn, URIRef(suining)) not in default
    assert (entity("law/行政复议法"), RDF.type, GOVKG.Law) in default
    assert not (out / "cache" / (suining.rsplit("/", 1)[-1] + ".ttl")).exists()


def test_corpus_rebuild_adds_a_new_report(corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    (corpus_dir / "jianghan-2022.txt").unlink()
    run(corpus_dir, out)
    write_reports(corpus_dir, {"jianghan-2022.txt": JIANGHAN_2022})
    spy = Spy(monkeypatch)
    res = run(corpus_dir, out)
    assert spy.paths == ["jianghan-2022.txt"]
    assert (res.extras["added"], res.extras["unchanged"], res.reports) == ("1", "4", 5)
    assert_store_matches_files(out)
    rows = store_select(out / "store", 'SELECT ?up WHERE { ?d rdfs:label "江汉区"@zh ; govkg:locatedIn/rdfs:label ?up }')
    assert rows == [("武汉市",)]


def test_corpus_a_file_that_became_bad_is_skipped_and_reported(corpus_dir: Path, tmp_path: Path) -> None:
    out, errors = tmp_path / "out", tmp_path / "errors.tsv"
    run(corpus_dir, out, report_errors=errors)
    assert errors.read_text(encoding="utf-8") == ""
    bad = corpus_dir / "jianli-2022.txt"
    bad.write_bytes(b"")  # truncated
    res = run(corpus_dir, out, report_errors=errors)
    assert [(Path(s.path).name, bool(s.reason)) for s in res.skipped] == [("jianli-2022.txt", True)]
    (line,) = errors.read_text(encoding="utf-8").splitlines()
    path, reason = line.split("\t")
    assert Path(path).resolve() == bad.resolve() and reason == res.skipped[0].reason
    assert res.reports == 4
    files = {str(g.value(next(g.subjects(RDF.type, GOVKG.Report)), GOVKG.sourceFile))
             for g in report_graphs(load_trig(out / "graph.trig")).values()}
    assert files == set(REPORTS) - {"jianli-2022.txt"}
    assert_store_matches_files(out)
    # fixed again, it comes back and the error list empties
    bad.write_text(JIANLI_2022, encoding="utf-8")
    res = run(corpus_dir, out, report_errors=errors)
    assert res.reports == 5 and res.skipped == () and errors.read_text(encoding="utf-8") == ""


# -- the same report saved twice -----------------------------------------------------------------


def test_corpus_same_report_in_three_files_is_one_report(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    write_reports(folder, {"a.txt": JIANLI_2021, "b.html": html_page(JIANLI_2021), "c-copy.txt": JIANLI_2021,
                           "wuhan-sifaju-2021.txt": WUHAN_2021})
    res = run(folder, tmp_path / "out")
    assert res.reports == 2 and len(report_graphs(load_trig(tmp_path / "out" / "graph.trig"))) == 2
    first = str(folder / "a.txt")
    assert res.duplicates == ((str(folder / "b.html"), first), (str(folder / "c-copy.txt"), first))
    # and the CLI says so
    cli = CliRunner().invoke(app, ["build", str(folder), "--out", str(tmp_path / "cli-out"), "--no-view"])
    assert cli.exit_code == 0, cli.output
    assert re.search(r"reports:\s+2 in the graph", cli.stdout)
    dup = [line for line in cli.stdout.splitlines() if "duplicate" in line]
    assert len(dup) == 2
    assert all(first in line for line in dup)
    assert any("b.html" in line for line in dup) and any("c-copy.txt" in line for line in dup)


@pytest.mark.parametrize("change", ["removed", "rewritten"])
def test_corpus_a_duplicate_outlives_the_file_it_was_built_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    folder = tmp_path / "reports"
    write_reports(folder, {"a.txt": JIANLI_2021, "b.html": html_page(JIANLI_2021), "c-copy.txt": JIANLI_2021,
                           "wuhan-sifaju-2021.txt": WUHAN_2021})
    out = tmp_path / "out"
    run(folder, out)
    # the report was built from a.txt; a.txt goes, or now holds the other year's report
    if change == "removed":
        (folder / "a.txt").unlink()
    else:
        (folder / "a.txt").write_text(JIANLI_2022, encoding="utf-8")
    spy = Spy(monkeypatch)
    res = run(folder, out)
    assert res.reports == (2 if change == "removed" else 3)
    assert (res.extras["removed"], res.extras["changed"]) == (("1", "0") if change == "removed" else ("0", "1"))
    assert res.extras["unchanged"] == "3"  # wuhan, and the two copies whose bytes did not change
    # its copies are redone (nothing else), and b.html, first of them, is now its source
    assert sorted(spy.paths) == sorted(["b.html", "c-copy.txt"] + (["a.txt"] if change == "rewritten" else []))
    assert res.duplicates == ((str(folder / "c-copy.txt"), str(folder / "b.html")),)
    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    files = {str(o) for o in ttl.objects(None, GOVKG.sourceFile)}
    assert files == {"b.html", "wuhan-sifaju-2021.txt"} | ({"a.txt"} if change == "rewritten" else set())
    # which is what a fresh build of the same files gives
    monkeypatch.undo()
    fresh = run(folder, tmp_path / "fresh")
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (fresh.out_dir / name).read_bytes(), name
    assert_same_store(store_content(out / "store"), store_content(fresh.out_dir / "store"))


# -- skipped files -------------------------------------------------------------------------------

BAD_FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 4,
    "not-a-report.txt": "今天天气很好，我们一起去散步吧。\n".encode(),
}


@pytest.mark.parametrize("via", ["library", "cli"])
def test_corpus_report_errors_lists_every_skipped_file_with_its_reason(tmp_path: Path, via: str) -> None:
    folder = tmp_path / "reports"
    write_reports(folder, {"wuhan-sifaju-2021.txt": WUHAN_2021, "suining-sifaju-2021.txt": SUINING_2021})
    for name, data in BAD_FILES.items():
        (folder / name).write_bytes(data)
    errors = tmp_path / "errors.tsv"
    out = tmp_path / "out"
    if via == "library":
        res = run(folder, out, report_errors=errors)
        assert res.reports == 2
        skipped = {Path(s.path).name: s.reason for s in res.skipped}
    else:
        cli = CliRunner().invoke(app, ["build", str(folder), "--out", str(out), "--no-view",
                                       "--report-errors", str(errors)])
        assert cli.exit_code == 0, cli.output
        assert re.search(r"reports:\s+2 in the graph.*3 files skipped", cli.stdout)
        assert str(errors) in cli.stdout
        skipped = {m.group(1): m.group(2) for m in re.finditer(r"skipped \S+/([^/\s]+): (.+)", cli.stderr)}
    lines = errors.read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        path, reason = line.split("\t")  # exactly one tab: path, reason
        assert Path(path).parent == folder and reason.strip() == reason and reason
        listed[Path(path).name] = reason
    assert listed == skipped
    assert set(listed) == set(BAD_FILES)
    assert len(lines) == len(BAD_FILES)


# -- progress ------------------------------------------------------------------------------------


def test_corpus_cli_draws_no_progress_bar_when_output_is_not_a_terminal(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graph.pipeline

    asked: list[bool] = []
    real = graph.pipeline.build

    def spy(*args: Any, **kw: Any) -> BuildResult:
        asked.append(kw["progress"])
        return real(*args, **kw)

    monkeypatch.setattr(graph.pipeline, "build", spy)
    res = CliRunner().invoke(app, ["build", str(corpus_dir), "--out", str(tmp_path / "out"), "--no-view"])
    assert res.exit_code == 0, res.output
    assert asked == [False]
    assert not BAR_CHARS.search(res.output) and "extracting" not in res.output
    assert re.search(r"reports:\s+5 in the graph", res.stdout)


@pytest.mark.parametrize("enabled", [True, False])
def test_corpus_progress_iter_yields_every_item(enabled: bool) -> None:
    items = [f"r{i}.txt" for i in range(7)]
    assert list(corpus.progress_iter(iter(items), len(items), "extracting", enabled)) == items
    assert list(corpus.progress_iter(iter([]), 0, "extracting", enabled)) == []


# -- determinism: whatever the number of workers, or a Dask cluster ------------------------------


def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send reports to workers two at a time, so that several workers share a small corpus."""
    monkeypatch.setattr(corpus, "map_chunks", functools.partial(corpus.map_chunks, batch=2))


def assert_same_output(out: Path, ref: Path) -> None:
    for name in ("graph.trig", "graph.ttl", "manifest.json"):
        assert (out / name).read_bytes() == (ref / name).read_bytes(), f"{name} differs"
    assert isomorphic(Graph().parse(out / "graph.ttl", format="turtle"), Graph().parse(ref / "graph.ttl", format="turtle"))
    assert_same_store(store_content(out / "store"), store_content(ref / "store"))


def test_corpus_jobs_give_the_same_graph(
    merged: Merged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_batches(monkeypatch)
    # the same files as the reference (files at other paths make another manifest)
    res = run(merged.folder, tmp_path / "out", jobs=2)
    assert res.reports == len(REPORTS) and res.skipped == ()
    assert_same_output(tmp_path / "out", merged.res.out_dir)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_corpus_bulk_store_loads_the_same_whatever_the_loader_threads(
    merged: Merged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    # batches of one report: several loads run at once when there are threads to run them
    monkeypatch.setattr(corpus, "BULK_BATCH", 1)
    cache = merged.res.out_dir / "cache"
    items = [(e.graph, (cache / corpus.store_chunk(e.chunk)).read_bytes())
             for e in corpus.Manifest.load(merged.res.out_dir, DEFAULT_BASE).files.values()]
    out = tmp_path / "out"
    new = corpus.bulk_store(out, iter(items), threads=threads)
    assert new.parent == out / "stores"
    assert_same_store(store_content(new), store_content(merged.res.out_dir / "store"))


def test_corpus_store_marker_tells_the_true_size_of_every_graph(merged: Merged) -> None:
    # a bulk build writes the sizes it knows from the chunks instead of counting the store
    info = store_info(merged.res.out_dir / "store")
    content = store_content(merged.res.out_dir / "store")
    assert info["graphs"] == {iri: len(g) for iri, g in sorted(content.named.items())}


@pytest.mark.parametrize("threads", [1, 2])
def test_corpus_bulk_store_stops_at_an_error_and_leaves_no_store(
    merged: Merged, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    monkeypatch.setattr(corpus, "BULK_BATCH", 1)
    cache = merged.res.out_dir / "cache"
    entry = next(iter(corpus.Manifest.load(merged.res.out_dir, DEFAULT_BASE).files.values()))
    chunk = (cache / entry.chunk).read_bytes()

    def items() -> Iterator[tuple[str, bytes]]:
        yield entry.graph, chunk
        yield entry.graph + "-2", chunk
        raise GovkgError("validation failed on the third report")

    with pytest.raises(GovkgError, match="third report"):
        corpus.bulk_store(tmp_path / "out", items(), threads=threads)
    assert not (tmp_path / "out" / "stores").exists()  # no store, nor the folder it made for one

    # a chunk the loader cannot parse fails the load the same way
    bad = [(entry.graph, chunk), (entry.graph + "-bad", chunk.replace(b" .\n", b" ;;\n", 1))]
    with pytest.raises(SyntaxError):
        corpus.bulk_store(tmp_path / "out2", iter(bad), threads=threads)
    assert not (tmp_path / "out2" / "stores").exists()  # no store, nor the folder it made for one


def test_corpus_files_are_the_same_bytes_whichever_process_writes_them() -> None:
    # graph.trig and graph.ttl start with the ontology, whose blank nodes must not get labels
    # that differ from one process to the next
    code = "import sys\nfrom graph.corpus import ontology_chunk\nsys.stdout.buffer.write(ontology_chunk('trig') + ontology_chunk('turtle'))"
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, check=True).stdout
            for _ in range(2)]
    assert runs[0] == runs[1] == corpus.ontology_chunk("trig") + corpus.ontology_chunk("turtle")


@pytest.fixture
def dask_cluster() -> Iterator[str]:
    """A real dask.distributed LocalCluster of two worker processes; its scheduler's address."""
    from dask.distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@pytest.mark.slow
def test_corpus_dask_cluster_gives_the_same_graph(
    merged: Merged, dask_cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_batches(monkeypatch)
    assert dask_cluster.startswith("tcp://")
    res = run(merged.folder, tmp_path / "out", scheduler=dask_cluster)
    assert res.reports == len(REPORTS) and res.skipped == ()
    assert_same_output(tmp_path / "out", merged.res.out_dir)


@pytest.mark.slow
def test_corpus_dask_local_scheduler_gives_the_same_graph(merged: Merged, tmp_path: Path) -> None:
    res = run(merged.folder, tmp_path / "out", scheduler="local")
    assert res.reports == len(REPORTS) and res.skipped == ()
    assert_same_output(tmp_path / "out", merged.res.out_dir)


# -- the store: a bulk rebuild and in-place updates give the same content ------------------------


@pytest.mark.parametrize("second", ["in-place", "bulk"])
def test_corpus_in_place_update_and_bulk_build_give_the_same_store(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second: str
) -> None:
    out = tmp_path / "out"
    first = run(corpus_dir, out)
    assert first.extras["store"].startswith("rebuilt by bulk load")  # no store yet: bulk
    link = os.readlink(out / "store")
    # one report changed and one removed, of five
    (corpus_dir / "jianli-2022.txt").write_text(JIANLI_2022.replace("办结55件", "办结57件"), encoding="utf-8")
    (corpus_dir / "suining-sifaju-2021.txt").unlink()
    monkeypatch.setattr(corpus, "BULK_MIN_CHANGES", 10 if second == "in-place" else 0)
    res = run(corpus_dir, out)
    if second == "in-place":
        assert corpus.wants_bulk(out / "store", 2, 5) is False
        assert "written" in res.extras["store"] and os.readlink(out / "store") == link
    else:
        assert res.extras["store"].startswith("rebuilt by bulk load") and os.readlink(out / "store") != link
        assert [p.name for p in (out / "stores").iterdir()] == [Path(os.readlink(out / "store")).name]
    monkeypatch.undo()
    fresh = run(corpus_dir, tmp_path / "fresh")
    assert fresh.extras["store"].startswith("rebuilt by bulk load")
    assert_same_store(store_content(out / "store"), store_content(fresh.out_dir / "store"))
    assert_store_matches_files(out)
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).read_bytes() == (fresh.out_dir / name).read_bytes()


def test_corpus_bulk_rebuild_keeps_the_checkpoint_serve_reads(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph.store import snapshot

    out = tmp_path / "out"
    run(corpus_dir, out)
    # `govkg serve --store OUT/store` serves a checkpoint it makes beside the store's folder
    # (graph/serve.py: a `.store-serve-<pid>-…` folder in the store's resolved parent)
    assert (out / "store").resolve().parent == out / "stores"
    checkpoint = out / "stores" / f".store-serve-{os.getpid()}-test"
    checkpoint.mkdir()
    snapshot(out / "store", checkpoint / "db")
    served = store_content(checkpoint / "db")
    (corpus_dir / "jianli-2022.txt").write_text(JIANLI_2022.replace("办结55件", "办结57件"), encoding="utf-8")
    (corpus_dir / "suining-sifaju-2021.txt").unlink()
    monkeypatch.setattr(corpus, "BULK_MIN_CHANGES", 0)  # 2 changes of 5 rebuild the store
    res = run(corpus_dir, out)
    assert res.extras["store"].startswith("rebuilt by bulk load")
    assert unlinked_stores(out) == [checkpoint.name]  # the old store went, the checkpoint stayed
    assert_same_store(store_content(checkpoint / "db"), served)


def test_corpus_next_build_removes_the_temporary_files_a_killed_build_left(corpus_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(corpus_dir, out)
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True, timeout=60)
    dead, alive = int(ended.stdout), os.getppid()  # a process that has ended, and one that runs
    chunk = next((out / "cache").iterdir()).name
    left = [out / f".graph.trig.{dead}.k1x_9a2b.tmp", out / f".graph.ttl.{dead}.p0q8r7s6.tmp",
            out / f".manifest.json.{dead}.abcdefgh.tmp", out / "cache" / f".{chunk}.{dead}.zz99zz99.tmp"]
    for p in left:
        p.write_bytes(b"@prefix half")
    os.symlink(os.readlink(out / "store"), out / f".store.{dead}.tmp")
    running = out / f".graph.trig.{alive}.a1b2c3d4.tmp"  # another build's, still running
    running.write_bytes(b"@prefix half")
    other = out / f".notes.{dead}.tmp"  # not a build's
    other.write_bytes(b"mine")
    before = {n: (out / n).read_bytes() for n in ("graph.trig", "graph.ttl")}
    run(corpus_dir, out)
    assert temporary_files(out) == sorted([running.name, other.name])
    assert {n: (out / n).read_bytes() for n in before} == before


# -- SIGKILL at any moment -----------------------------------------------------------------------

KILL_PLACES = ["监利市", "洪湖市", "松滋市", "石首市", "公安县", "江陵县", "武穴市", "麻城市", "赤壁市", "嘉鱼县",
               "通山县", "崇阳县", "通城县", "大冶市", "阳新县", "宜都市", "当阳市", "枝江市"]


def kill_report(i: int, version: int = 0) -> str:
    place = KILL_PLACES[i % len(KILL_PLACES)]
    year = 2019 + i // len(KILL_PLACES) + version
    return (
        f"{place}人民政府{year}年法治政府建设情况报告\n"
        "一、主要工作成效\n"
        f"{year}年，{place[:-1]}政府认真贯彻《中华人民共和国行政复议法》，全年收到行政复议申请{20 + i}件，办结{18 + i}件。\n"
        f"县司法局组织行政执法人员培训{3 + i + version}期，培训{100 + 7 * i}人次。\n"
        "二、存在的问题\n"
        "行政执法规范化水平有待提高。\n"
        "三、下一步打算\n"
        "严格落实国务院《重大行政决策程序暂行条例》，提升依法决策水平。\n"
    )


@dataclass
class State:
    """One complete build's output: file bytes, and the store's named graphs (ground triples)."""

    files: dict[str, bytes]
    graphs: dict[str, set[tuple[Any, Any, Any]]]

    @classmethod
    def of(cls, out: Path) -> State:
        files = {n: (out / n).read_bytes() for n in ("graph.trig", "graph.ttl", "manifest.json")}
        return cls(files, {g: ground(x) for g, x in store_content(out / "store").named.items()})


def check_killed(out: Path, old: State, new: State, bulk: bool) -> str:
    """What a killed build must leave: the old or the new output, readable. Returns which."""
    states = {}
    for name in ("graph.trig", "graph.ttl", "manifest.json"):
        data = (out / name).read_bytes()
        assert data in (old.files[name], new.files[name]), f"{name} is neither the old nor the new one"
        states[name] = "old" if data == old.files[name] else "new"
    ox.parse((out / "graph.trig").read_bytes(), format=ox.RdfFormat.TRIG).__next__()
    # the manifest is written last: once it is new, everything is
    if states["manifest.json"] == "new":
        assert states["graph.trig"] == states["graph.ttl"] == "new"
    # the store opens read-only and answers; each graph in it is one report's, complete
    (n,) = store_select(out / "store", "SELECT (COUNT(*) AS ?n) WHERE { ?s a govkg:Report }")
    assert int(n[0]) > 0
    content = store_content(out / "store")
    known = {**old.graphs, **new.graphs}
    for iri, g in content.named.items():
        assert iri in known and ground(g) == known[iri], f"store graph <{iri}> is not a complete report graph"
    union = set().union(*(ground(g) for g in content.named.values()))
    assert ground(content.default) == union
    have = set(content.named)
    if bulk or states["manifest.json"] == "new":  # bulk: switched whole; new manifest: store done
        assert have in (set(old.graphs), set(new.graphs))
    if states["manifest.json"] == "new":
        assert have == set(new.graphs)
    return states["manifest.json"]


def unlinked_stores(out: Path) -> list[str]:
    """Store folders under OUT/stores that OUT/store does not link to (a bulk load cut short)."""
    live = Path(os.readlink(out / "store")).name
    return sorted(p.name for p in (out / "stores").iterdir() if p.name != live) if (out / "stores").is_dir() else []


def after(seconds: float) -> Callable[[], bool]:
    t = time.monotonic() + seconds
    return lambda: time.monotonic() >= t


def phase_started(out: Path, phase: str, old_chunks: int, trig_inode: int) -> Callable[[], bool]:
    """Whether a build into ``out`` has reached a phase, told by the files it makes."""

    def check() -> bool:
        if phase == "extracting":
            return len(os.listdir(out / "cache")) > old_chunks
        if phase in ("staging graph.trig", "staging graph.ttl"):
            return any(n.startswith("." + phase.split()[1] + ".") for n in os.listdir(out))
        if phase == "loading a new store":
            return len(os.listdir(out / "stores")) > 1
        assert phase == "files replaced"
        return (out / "graph.trig").stat().st_ino != trig_inode

    return check


@dataclass(frozen=True)
class KillCorpus:
    """A folder of reports in its new state, a build of its old state, and both states."""

    folder: Path
    base: Path  # the old state's build, copied for each killed build
    old: State
    new: State


@pytest.fixture(scope="module")
def kill_corpus(tmp_path_factory: pytest.TempPathFactory) -> KillCorpus:
    tmp = tmp_path_factory.mktemp("kill")
    folder = tmp / "reports"
    # old state: 24 reports; new state: 4 of them removed, 4 changed, 10 added (30 reports)
    write_reports(folder, {f"r{i:02d}.txt": kill_report(i) for i in range(24)})
    base = tmp / "base"
    run(folder, base)
    old = State.of(base)
    for i in range(4):
        (folder / f"r{i:02d}.txt").unlink()
    write_reports(folder, {f"r{i:02d}.txt": kill_report(i, version=1) for i in range(4, 8)})
    write_reports(folder, {f"r{i:02d}.txt": kill_report(i) for i in range(24, 34)})
    run(folder, tmp / "ref")
    new = State.of(tmp / "ref")
    assert len(new.graphs) == len(old.graphs) + 6 and len(set(new.graphs) & set(old.graphs)) == 17  # 16 + ontology
    return KillCorpus(folder, base, old, new)


@pytest.mark.slow
@pytest.mark.parametrize("path", ["in-place", "bulk"])
def test_corpus_sigkill_at_any_moment_leaves_a_readable_output_and_the_next_build_recovers(
    kill_corpus: KillCorpus, tmp_path: Path, path: str
) -> None:
    folder, base, old, new = kill_corpus.folder, kill_corpus.base, kill_corpus.old, kill_corpus.new
    # the bulk path needs more changes than a corpus this small has: lower the threshold
    prog = ("import graph.corpus as c, sys; c.BULK_MIN_CHANGES = 0; sys.argv[0] = 'govkg'; "
            "from graph.cli import main; main()") if path == "bulk" else None
    cmd = [sys.executable, *(["-c", prog] if prog else ["-m", "graph"]), "build", str(folder), "--no-view", "--out"]

    def start(out: Path) -> subprocess.Popen[bytes]:
        shutil.copytree(base, out, symlinks=True)
        return subprocess.Popen([*cmd, str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)

    # an uninterrupted run: how long a build takes, and that it gives the new state
    t0 = time.monotonic()
    proc = start(tmp_path / "full")
    stdout, stderr = proc.communicate(timeout=300)
    duration = time.monotonic() - t0
    assert proc.returncode == 0, stderr.decode()
    assert ("rebuilt by bulk load" in stdout.decode()) == (path == "bulk"), stdout.decode()
    assert not BAR_CHARS.search(stderr.decode())  # stderr is a pipe: no progress bar
    assert check_killed(tmp_path / "full", old, new, path == "bulk") == "new"
    assert State.of(tmp_path / "full").files == new.files

    # kill moments: fractions of that time, and the start of each phase (seen in the files)
    moments = ["30% of a build", "70% of a build", "extracting", "staging graph.trig", "staging graph.ttl",
               "files replaced"]
    if path == "bulk":
        moments.insert(3, "loading a new store")
    trig_inode = (base / "graph.trig").stat().st_ino

    def make(moment: str, out: Path) -> Callable[[], bool]:
        if moment.endswith("of a build"):
            return after(int(moment.split("%")[0]) / 100 * duration)
        return phase_started(out, moment, len(old.graphs) - 1, trig_inode)  # the ontology has no chunk

    outcomes: dict[str, tuple[int, str]] = {}
    for k, moment in enumerate(moments):
        out = tmp_path / f"kill{k}"
        proc = start(out)
        fire = make(moment, out)
        deadline = time.monotonic() + 2 * duration + 30
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if fire():
                    break
            except FileNotFoundError:  # a folder the build has not made yet
                pass
            time.sleep(0.002)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        outcomes[moment] = (proc.returncode, check_killed(out, old, new, path == "bulk"))
        left = unlinked_stores(out)
        # the next build recovers: it gives what a fresh build of the inputs gives (SHACL
        # validation left out for time: it changes nothing in the output)
        res = run(folder, out, validate=False)
        assert res.reports == len(new.graphs) - 1 and res.skipped == (), moment  # less the ontology
        state = State.of(out)
        assert state.files == new.files and state.graphs == new.graphs, moment
        assert_store_matches_files(out)
        # and cleans what the killed build left; a store folder it was loading and never
        # linked is ignored, and goes with the next bulk rebuild
        assert temporary_files(out) == [], (moment, temporary_files(out))
        assert set(unlinked_stores(out)) <= set(left), moment
        if res.extras["store"].startswith("rebuilt by bulk load"):
            assert unlinked_stores(out) == []
    # most kills landed mid-build (else the test proved little)
    killed = [m for m, (rc, _) in outcomes.items() if rc == -signal.SIGKILL]
    assert len(killed) >= len(moments) // 2, outcomes
