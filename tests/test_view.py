"""The graph view without a browser: what the page holds, that it is offline and escaped,
deterministic, and the ``govkg view`` command. Browser behaviour is in test_view_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from typer.testing import CliRunner
from viewpage import page_data

from graph import load
from graph.cli import app
from graph.errors import GovkgError
from graph.pipeline import build
from graph.view import VIEW_TYPES, ViewStats, json_for_html, render_view, write_view
from graph.vocab import GOVKG, NIF, ONTOLOGY_IRI

# rdflib 7.6 warns about its own deprecated APIs when it reads and writes TriG (its TriG parser
# builds a ConjunctiveGraph, its serializer calls Dataset.contexts); those warnings come from
# inside rdflib. The shared sample build also runs the pipeline's store step, which (for now)
# calls Dataset.contexts itself; that is the store's to fix, not something the view tests judge.
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib"),
    pytest.mark.filterwarnings(r"ignore:Dataset\.contexts is deprecated:DeprecationWarning"),
]

DATA = Path(__file__).parent / "data"
PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "</SCRIPT ><svg onload=alert(3)>",
    "<!--<script>",
    "a&amp;b\u2028c\u2029d",
)

# -- helpers: read the page back -------------------------------------------------------------

class _Refs(HTMLParser):
    """Every attribute value, inline script, style and style attribute of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("style"):
            self.styles.append(a["style"] or "")
        if tag in ("script", "style"):
            self._in = (tag, a)

    def handle_data(self, data):
        if self._in and self._in[0] == "style":
            self.styles.append(data)
        elif self._in:
            self.scripts.append((self._in[1], data))

    def handle_endtag(self, tag):
        self._in = None


def parse_page(html: str) -> _Refs:
    p = _Refs()
    p.feed(html)
    return p


def expected_view(ds: Dataset) -> tuple[set[str], set[tuple[str, str, str]]]:
    """Nodes and edges the view should draw, computed from the RDF with SPARQL alone."""
    types = " ".join(f"govkg:{t}" for t in VIEW_TYPES)
    ents = " ".join(f"govkg:{t}" for t in VIEW_TYPES[:5])
    prefix = "PREFIX govkg: <https://w3id.org/govkg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    nodes = {str(r.n) for r in ds.query(prefix + f"SELECT DISTINCT ?n WHERE {{ GRAPH ?g {{ ?n a ?t }} VALUES ?t {{ {types} }} }}")}
    rel = ds.query(prefix + f"""SELECT DISTINCT ?s ?p ?o WHERE {{
        GRAPH ?g {{ ?s ?p ?o }} GRAPH ?g1 {{ ?s a ?t1 }} GRAPH ?g2 {{ ?o a ?t2 }}
        VALUES ?t1 {{ {ents} }} VALUES ?t2 {{ {ents} }} FILTER(?s != ?o && ?p != rdf:type) }}""")
    edges = {(str(r.s), str(r.p), str(r.o)) for r in rel}
    for r in ds.query(prefix + """SELECT ?s ?about ?rep WHERE { GRAPH ?g { ?s a govkg:Statistic ; govkg:report ?rep
                                   OPTIONAL { ?s govkg:about ?about } } }"""):
        edges.add((str(r.s), str(GOVKG.about), str(r.about)) if r.about else (str(r.s), str(GOVKG.report), str(r.rep)))
    for r in ds.query(prefix + """SELECT ?r ?p ?o WHERE { GRAPH ?g { ?r a govkg:Report ; ?p ?o }
                                   VALUES ?p { dcterms:creator govkg:locality } }"""):
        edges.add((str(r.r), str(r.p), str(r.o)))
    return nodes, edges


def page_edges(data: dict) -> set[tuple[str, str, str]]:
    return {(e["from"], e["pred"], e["to"]) for e in data["edges"]}


@pytest.fixture(scope="module")
def sample_ds(sample_trig: Path) -> Dataset:
    return load(sample_trig)


@pytest.fixture(scope="module")
def sample_page(sample_ds: Dataset) -> tuple[str, ViewStats]:
    return render_view(sample_ds)


@pytest.fixture(scope="module")
def corpus_trig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three reports from tests/data built into one graph (no SHACL, no view)."""
    out = tmp_path_factory.mktemp("corpus")
    res = build(sorted(DATA.glob("*.txt")), out, validate=False, view=False)
    assert res.reports == 3
    return res.files["trig"]


def payload_dataset() -> Dataset:
    """A tiny govkg graph whose every document string carries markup."""
    ds = Dataset()
    og = ds.graph(ONTOLOGY_IRI)
    og.add((GOVKG.issues, RDFS.label, Literal("颁布", lang="zh")))
    og.add((GOVKG.issues, RDFS.label, Literal("issues", lang="en")))
    rep = URIRef("https://example.org/id/report/x")
    g = ds.graph(rep)
    a, law = URIRef("https://example.org/id/agency/a"), URIRef("https://example.org/id/law/</script>")
    s, m, stat = URIRef(f"{rep}/s0"), URIRef(f"{rep}/m0"), URIRef(f"{rep}/stat0")
    g.add((rep, RDF.type, GOVKG.Report))
    g.add((rep, DCTERMS.title, Literal(PAYLOADS[1] + "报告", lang="zh")))
    g.add((rep, DCTERMS.creator, a))
    g.add((a, RDF.type, GOVKG.Agency))
    g.add((a, RDFS.label, Literal(PAYLOADS[0] + "司法局", lang="zh")))
    g.add((a, SKOS.altLabel, Literal(PAYLOADS[2], lang="zh")))
    g.add((a, GOVKG.mentionedIn, rep))
    g.add((law, RDF.type, GOVKG.Law))
    g.add((law, RDFS.label, Literal(PAYLOADS[3] + "条例", lang="zh")))
    g.add((law, GOVKG.lawCategory, Literal(PAYLOADS[4])))
    g.add((law, GOVKG.mentionedIn, rep))
    g.add((a, GOVKG.issues, law))
    text = f"{PAYLOADS[0]}司法局颁布《{PAYLOADS[3]}条例》,办理案件12件。"
    g.add((s, RDF.type, GOVKG.Sentence))
    g.add((s, NIF.isString, Literal(text, lang="zh")))
    g.add((s, NIF.beginIndex, Literal(0)))
    g.add((s, GOVKG.role, GOVKG.problem))
    g.add((s, GOVKG.report, rep))
    g.add((law, GOVKG.mention, m))
    g.add((m, RDF.type, GOVKG.Mention))
    g.add((m, NIF.anchorOf, Literal(f"《{PAYLOADS[3]}条例》", lang="zh")))
    g.add((m, NIF.beginIndex, Literal(text.index("《"))))
    g.add((m, GOVKG.sentence, s))
    g.add((m, GOVKG.report, rep))
    g.add((stat, RDF.type, GOVKG.Statistic))
    g.add((stat, RDFS.label, Literal(f"{PAYLOADS[1]} 12件", lang="zh")))
    g.add((stat, GOVKG.value, Literal("12", datatype=XSD.decimal)))
    g.add((stat, GOVKG.unit, Literal("件", lang="zh")))
    g.add((stat, GOVKG.measure, Literal(PAYLOADS[1], lang="zh")))
    g.add((stat, GOVKG.surface, Literal("办理案件12件", lang="zh")))
    g.add((stat, GOVKG.about, a))
    g.add((stat, GOVKG.report, rep))
    g.add((stat, GOVKG.sentence, s))
    return ds


# -- content -----------------------------------------------------------------------------------


def test_view_sample_nodes_and_edges_match_rdf(sample_ds, sample_page):
    html, stats = sample_page
    data = page_data(html)
    nodes, edges = expected_view(sample_ds)
    assert {n["id"] for n in data["nodes"]} == nodes
    assert page_edges(data) == edges
    assert (stats.nodes, stats.edges, stats.left_out) == (len(nodes), len(edges), 0)
    assert sum(stats.by_type.values()) == stats.nodes


def test_view_edges_labelled_from_ontology_graph(sample_ds):
    ds = Dataset()
    for s, p, o, c in sample_ds.quads((None, None, None, None)):
        ds.graph(c).add((s, p, o))
    og = ds.graph(ONTOLOGY_IRI)
    og.remove((GOVKG.issues, RDFS.label, None))
    og.add((GOVKG.issues, RDFS.label, Literal("发布", lang="zh")))
    og.add((GOVKG.issues, RDFS.label, Literal("publishes", lang="en")))
    data = page_data(render_view(ds)[0])
    issues = [e for e in data["edges"] if e["pred"] == str(GOVKG.issues)]
    assert issues and all(e["label"] == "发布" and "publishes" in e["title"] for e in issues)
    assert data["preds"][str(GOVKG.issues)] == ["发布", "publishes"]
    implements = [e for e in data["edges"] if e["pred"] == str(GOVKG.implements)]
    assert implements and all(e["label"] == "实施" for e in implements)


def test_view_plain_graph_gives_the_same_nodes_and_edges(sample_ds, sample_page):
    g = Graph()
    for s, p, o, _ in sample_ds.quads((None, None, None, None)):
        g.add((s, p, o))
    data, expected = page_data(render_view(g)[0]), page_data(sample_page[0])
    assert {n["id"] for n in data["nodes"]} == {n["id"] for n in expected["nodes"]}
    assert page_edges(data) == page_edges(expected)
    assert data["preds"] == expected["preds"]


def test_view_panel_holds_source_sentences_with_marked_mentions(sample_ds, sample_page):
    data = page_data(sample_page[0])
    q = """PREFIX govkg: <https://w3id.org/govkg/ontology#>
           PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
           SELECT ?e ?anchor ?text ?role WHERE { GRAPH ?g { ?e govkg:mention ?m . ?m nif:anchorOf ?anchor ;
             govkg:sentence ?s . ?s nif:isString ?text ; govkg:role ?role
             FILTER NOT EXISTS { ?e a govkg:Statistic } } }"""
    rows = list(sample_ds.query(q))
    assert rows
    exact = 0
    for r in rows:
        info = data["info"][str(r.e)]
        sents = {data["sentences"][k]["text"]: (k, spans) for k, spans in info["mentions"]}
        assert str(r.text) in sents
        k, spans = sents[str(r.text)]
        assert data["sentences"][k]["role"] == str(r.role).rsplit("#", 1)[1]
        # the view marks the entity's names (the store keeps no mention offsets): each mark is
        # one of them, and each mention is marked, whole or in the name it holds
        def bare(x: str) -> str:
            return "".join(c for c in x if c not in "“”《》\"' ")

        marked = {str(r.text)[off:off + n] for off, n in spans}
        assert {bare(m) for m in marked} <= {bare(n) for n in (info["label"], *info["aliases"])}
        assert all(0 <= off and off + n <= len(str(r.text)) for off, n in spans)
        anchor = bare(str(r.anchor))
        assert any(bare(m) in anchor or anchor in bare(m) for m in marked), (r.anchor, marked)
        exact += any(bare(m) == anchor for m in marked)
    assert exact >= 0.8 * len(rows), (exact, len(rows))
    assert set(data["roles"]) == {"achievement", "problem", "plan"}
    assert data["roles"]["problem"][0] == "问题"


def test_view_statistics_hang_off_what_they_are_about(sample_ds, sample_page):
    data = page_data(sample_page[0])
    q = """PREFIX govkg: <https://w3id.org/govkg/ontology#> SELECT ?s ?label ?about ?rep ?text WHERE { GRAPH ?g {
           ?s a govkg:Statistic ; rdfs:label ?label ; govkg:report ?rep ; govkg:sentence/<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString> ?text
           OPTIONAL { ?s govkg:about ?about } } }"""
    rows = list(sample_ds.query(q))
    assert rows
    out = Counter(e["from"] for e in data["edges"])
    for r in rows:
        s = str(r.s)
        assert out[s] == 1
        [edge] = [e for e in data["edges"] if e["from"] == s]
        assert edge["to"] == str(r.about or r.rep)
        node = next(n for n in data["nodes"] if n["id"] == s)
        assert node["kind"] == "Statistic" and node["label"].startswith(str(r.label)[:15])
        info = data["info"][s]
        assert data["sentences"][info["sentence"][0]]["text"] == str(r.text)
        assert f"{info['measure']} {info['value']}{info['unit']}" == str(r.label)


def test_view_node_size_grows_with_degree(sample_page):
    data = page_data(sample_page[0])
    deg = Counter(e["from"] for e in data["edges"]) + Counter(e["to"] for e in data["edges"])
    agencies = sorted((n for n in data["nodes"] if n["kind"] == "Agency"), key=lambda n: deg[n["id"]])
    assert agencies[0]["size"] < agencies[-1]["size"]
    assert len({(n["shape"], n["color"]["background"]) for n in data["nodes"]}) == len(VIEW_TYPES)


def test_view_types_filter_keeps_only_those_types(sample_ds):
    html, stats = render_view(sample_ds, types=["agency", "Law"])
    data = page_data(html)
    assert {n["kind"] for n in data["nodes"]} == {"Agency", "Law"}
    assert set(stats.by_type) == {"Agency", "Law"}
    kinds = {n["id"]: n["kind"] for n in data["nodes"]}
    assert all(e["from"] in kinds and e["to"] in kinds for e in data["edges"])


@pytest.mark.parametrize("bad", [["Person"], ["Agency,Lawz"], [""]])
def test_view_unknown_type_is_an_error_that_lists_types(sample_ds, bad):
    with pytest.raises(GovkgError, match="Agency, Law, Policy"):
        render_view(sample_ds, types=bad)


def test_view_max_nodes_keeps_the_best_connected(sample_ds, sample_page):
    full = page_data(sample_page[0])
    deg = Counter(e["from"] for e in full["edges"]) + Counter(e["to"] for e in full["edges"])
    html, stats = render_view(sample_ds, max_nodes=25)
    data = page_data(html)
    kept = {n["id"] for n in data["nodes"]}
    dropped = {n["id"] for n in full["nodes"]} - kept
    assert len(kept) == stats.nodes == 25
    assert stats.left_out == len(dropped) == stats.total_nodes - 25
    assert min(deg[i] for i in kept) >= max(deg[i] for i in dropped)
    assert data["leftOut"]["count"] == stats.left_out and sum(stats.left_out_by_type.values()) == stats.left_out
    assert "left out" in stats.summary() and "--max-nodes" in stats.summary()
    assert all(e["from"] in kept and e["to"] in kept for e in data["edges"])
    # relations to nodes that were left out are still listed in the panel, marked as not shown
    hidden = {r["other"] for d in data["info"].values() for r in d["rels"] if r["other"] not in kept}
    assert hidden and hidden <= set(data["hidden"]) and hidden <= set(data["labels"])


def test_view_max_nodes_below_one_is_an_error(sample_ds):
    with pytest.raises(GovkgError, match="--max-nodes"):
        render_view(sample_ds, max_nodes=0)


def test_view_report_filter_and_names(corpus_trig):
    ds = load(corpus_trig)
    full = page_data(render_view(ds)[0])
    assert len(full["reports"]) == 3
    for i, rep in enumerate(full["reports"]):
        stem = str(ds.graph(URIRef(rep["id"])).value(URIRef(rep["id"]), GOVKG.sourceFile)).rsplit(".", 1)[0]
        html, stats = render_view(ds, report=stem)
        data = page_data(html)
        assert stats.reports == 1 and [r["id"] for r in data["reports"]] == [rep["id"]]
        ids = {n["id"] for n in data["nodes"]}
        in_report = {n["id"] for n in full["nodes"] if i in n["reps"]}
        assert ids == in_report
        mentioned = {str(s) for s in ds.graph(URIRef(rep["id"])).subjects(GOVKG.mentionedIn, URIRef(rep["id"]))}
        assert mentioned <= ids
    with pytest.raises(GovkgError, match="no report named .* one of"):
        render_view(ds, report="no-such-report")


def test_view_multi_report_sentences_name_their_report(corpus_trig):
    data = page_data(render_view(load(corpus_trig))[0])
    reports = {r["id"] for r in data["reports"]}
    assert {s["report"] for s in data["sentences"].values()} <= reports
    assert all(n["reps"] for n in data["nodes"])


def test_view_large_graph_layout_without_physics():
    ds = Dataset()
    rep = URIRef("https://example.org/id/report/big")
    g = ds.graph(rep)
    g.add((rep, RDF.type, GOVKG.Report))
    n = 700
    ids = [URIRef(f"https://example.org/id/policy/p{i}") for i in range(n)]
    for i, e in enumerate(ids):
        g.add((e, RDF.type, GOVKG.Policy))
        g.add((e, RDFS.label, Literal(f"政策{i}", lang="zh")))
        g.add((e, GOVKG.mentionedIn, rep))
        if i:
            g.add((e, GOVKG.basedOn, ids[(i * 7919) % i]))
    html, stats = render_view(ds)
    data = page_data(html)
    # the report has no edge in a one-report graph: not drawn, and said so
    assert stats.nodes == n and stats.unconnected == 1 and "--isolated" in stats.summary()
    assert not stats.physics and data["options"]["physics"]["enabled"] is False
    assert render_view(ds, isolated=True)[1].nodes == n + 1
    pos = {(nd["x"], nd["y"]) for nd in data["nodes"]}
    assert len(pos) == len(data["nodes"])  # every node has a place of its own


def test_view_empty_or_foreign_graph_is_an_error():
    g = Graph()
    g.add((URIRef("https://example.org/a"), RDFS.label, Literal("x")))
    with pytest.raises(GovkgError, match="govkg build"):
        render_view(g)


# -- offline, escaped, deterministic ------------------------------------------------------------


def test_view_page_is_self_contained(sample_page):
    html = sample_page[0]
    page = parse_page(html)
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "object", "embed", "base", "img"), tag
        for name in ("src", "href", "data", "action", "srcset", "poster"):
            assert not attrs.get(name), f"<{tag} {name}={attrs.get(name)!r}>"
    css = "\n".join(page.styles)
    assert "@import" not in css and "@font-face" not in css
    urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", css)
    assert urls and all(u.startswith("data:") for u in urls)
    assert not re.search(r"https?:", css)
    for _, src in page.scripts:  # no script loads anything by URL or imports a module
        assert not re.search(r"\bimportScripts\(|\bimport\(|\bfetch\(|XMLHttpRequest", src)
    assert len([1 for a, _ in page.scripts if a.get("type") != "application/json"]) == 2


def test_view_csp_forbids_network_and_allows_only_our_scripts(sample_page):
    html = sample_page[0]
    page = parse_page(html)
    [csp] = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    hashes = set(re.findall(r"'sha256-([^']+)'", csp))
    runnable = [src for a, src in page.scripts if a.get("type") != "application/json"]
    assert hashes == {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in runnable}


def test_view_untrusted_strings_are_escaped():
    html, _ = render_view(payload_dataset(), title=PAYLOADS[0])
    for p in PAYLOADS:
        for piece in ("<img", "<svg", "</script><script>", "<!--<", "\u2028"):
            if piece in p:
                assert html.count(piece) == 0, piece
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the title, escaped by the template
    data = page_data(html)
    labels = {d["label"] for d in data["info"].values()}
    assert PAYLOADS[0] + "司法局" in labels and PAYLOADS[3] + "条例" in labels
    assert any(PAYLOADS[4] in a[2] for d in data["info"].values() for a in d.get("attrs", []))
    assert data["title"] == PAYLOADS[0]


@given(st.recursive(st.text() | st.integers() | st.booleans() | st.none(),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
                    max_leaves=12))
def test_view_json_for_html_round_trips_without_markup(obj):
    s = json_for_html(obj)
    assert json.loads(s) == obj
    assert not set(s) & {"<", ">", "&", "\u2028", "\u2029"}


def test_view_output_is_deterministic(sample_trig, sample_page):
    again, _ = render_view(load(sample_trig))
    assert again == sample_page[0]


def test_view_output_is_the_same_in_every_process(sample_trig, tmp_path):
    """Set and dict orders change with PYTHONHASHSEED; the page must not."""
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "graph", "view", str(sample_trig), "-o", str(out)],
                       check=True, env=env, capture_output=True)
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_view_write_view_is_atomic_and_complete(sample_ds, tmp_path):
    target = tmp_path / "v.html"
    target.write_text("old", encoding="utf-8")
    stats = write_view(sample_ds, target, types=["Law"])
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert stats.html_bytes == len(html.encode("utf-8")) and stats.by_type == {"Law": stats.nodes}
    assert [p.name for p in tmp_path.iterdir()] == ["v.html"]


def test_view_build_writes_graph_html(sample_build):
    html = sample_build.files["html"].read_text(encoding="utf-8")
    assert page_data(html)["nodes"]


# -- the command --------------------------------------------------------------------------------


def test_view_cli_writes_the_page(sample_trig, tmp_path):
    out = tmp_path / "g.html"
    res = CliRunner().invoke(app, ["view", str(sample_trig), "-o", str(out), "--types", "Agency,Law"])
    assert res.exit_code == 0, res.output
    assert out.is_file() and f"wrote {out}" in res.output
    assert {n["kind"] for n in page_data(out.read_text(encoding="utf-8"))["nodes"]} == {"Agency", "Law"}


def test_view_cli_default_output_and_left_out(sample_trig, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["view", str(sample_trig), "--max-nodes", "10"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "output" / "graph.html").is_file()
    assert "left out the" in res.output and "left out, e.g.:" in res.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["view", "missing.trig"], "no such graph file"),
        (["view", "{bad}"], "cannot be parsed as RDF"),
        (["view", "{good}", "--types", "Person"], "unknown node type"),
        (["view", "{good}", "--report", "nope"], "no report named"),
    ],
)
def test_view_cli_bad_input_is_one_line(sample_trig, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.trig"
    bad.write_text("<a> <b> .. nonsense {", encoding="utf-8")
    args = [a.format(bad=bad, good=sample_trig) for a in args]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("govkg: error:") and message in lines[0]
    assert "Traceback" not in res.output
    assert not (tmp_path / "output").exists()


def test_view_cli_help_has_an_example():
    res = CliRunner().invoke(app, ["view", "--help"])
    assert res.exit_code == 0
    assert "Example: govkg view" in res.output and "--max-nodes" in res.output
