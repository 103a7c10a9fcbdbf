"""The graph view in a real browser: Debian's headless Chromium, network cut off.

If Chromium is missing these tests fail (tests/browser.py says how to install it); they never
skip silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import browser_page
from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from graph import load
from graph.pipeline import build
from graph.view import VIEW_TYPES, write_view
from graph.vocab import GOVKG

pytestmark = [
    pytest.mark.browser,
    # rdflib 7.6 warns about its own deprecated APIs while reading and writing TriG, and the
    # shared sample build's store step still calls Dataset.contexts (see test_view.py)
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib"),
    pytest.mark.filterwarnings(r"ignore:Dataset\.contexts is deprecated:DeprecationWarning"),
]

XSS_REPORT = """监利市人民政府关于2021年法治政府建设情况的报告

2021年,市政府认真贯彻《<img src=x onerror=alert(1)>条例》,市司法局组织开展“</script><script>alert(2)</script>”专项行动,共办理行政复议案件12件。
市司法局深入宣传《</script><img src=x onerror="window.__pwned=1">保护法》。
"""
READY = "html[data-govkg-ready='1']"


class Page:
    """A Playwright page on a govkg view, with what it requested, logged and popped up."""

    def __init__(self, page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("dialog", self._dialog)

    def _dialog(self, d) -> None:
        self.dialogs.append(d.message)
        d.dismiss()

    def open(self, path: Path, suffix: str = "") -> Page:
        self.page.goto(path.resolve().as_uri() + suffix)
        self.page.wait_for_selector(READY, state="attached", timeout=30_000)
        return self

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def panel_text(self) -> str:
        return self.page.inner_text("#panel")


@pytest.fixture
def view_page() -> Iterator[Page]:
    with browser_page() as page:
        p = Page(page)
        yield p
        assert not p.errors, p.errors  # no script error, no CSP violation
        assert all(u.startswith(("file:", "data:", "about:")) for u in p.requests), p.requests


@pytest.fixture(scope="module")
def sample_html(sample_build) -> Path:
    return sample_build.files["html"]


@pytest.fixture(scope="module")
def sample_ds(sample_trig) -> Dataset:
    return load(sample_trig)


def entity(ds: Dataset, label: str) -> str:
    """The IRI of the entity labelled ``label`` (read from the RDF, not from the page)."""
    found = {s for _, _, _, g in ds.quads((None, RDFS.label, Literal(label, lang="zh"), None))
             for s in ds.graph(g).subjects(RDFS.label, Literal(label, lang="zh"))}
    assert len(found) == 1, found
    return str(found.pop())


def sentences_of(ds: Dataset, iri: str) -> set[str]:
    q = f"""PREFIX govkg: <https://w3id.org/govkg/ontology#>
            PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
            SELECT ?t WHERE {{ GRAPH ?g {{ <{iri}> govkg:mention/govkg:sentence/nif:isString ?t }} }}"""
    return {str(r.t) for r in ds.query(q)}


def click_node(p: Page, iri: str) -> None:
    """A real mouse click on the node's position on the canvas."""
    p.js("id => govkgView.network.focus(id, {scale: 1.2, animation: false})", iri)
    xy = p.js("""id => { const n = govkgView.network;
                         const c = n.canvasToDOM(n.getPositions([id])[id]);
                         const r = document.querySelector('#network canvas').getBoundingClientRect();
                         return [r.left + c.x, r.top + c.y]; }""", iri)
    p.page.mouse.click(xy[0], xy[1])


# -- the sample view -------------------------------------------------------------------------


def test_view_browser_draws_every_node_and_edge(view_page, sample_html, sample_ds):
    p = view_page.open(sample_html)
    q = """PREFIX govkg: <https://w3id.org/govkg/ontology#>
           SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE { GRAPH ?g { ?n a ?t } VALUES ?t { %s } }"""
    [[expected_nodes]] = list(sample_ds.query(q % " ".join(f"govkg:{t}" for t in VIEW_TYPES)))
    counts = p.js("""() => ({nodes: govkgView.network.body.nodeIndices.length,
                             edges: govkgView.network.body.edgeIndices.length,
                             data: govkgView.data.edges.length,
                             canvas: !!document.querySelector('#network canvas')})""")
    assert counts["canvas"]
    assert counts["nodes"] == int(expected_nodes)
    assert counts["edges"] == counts["data"] > counts["nodes"] // 2
    assert re.search(rf"显示 {int(expected_nodes)} / {int(expected_nodes)} 个节点", p.page.inner_text("#status"))
    legend = p.page.inner_text("#type-filters")
    for zh in ("机构", "法律法规与规范性文件", "政策制度", "专项工作与活动", "地点", "统计数据"):
        assert zh in legend


def test_view_browser_search_selects_the_node(view_page, sample_html, sample_ds):
    p = view_page.open(sample_html)
    law = entity(sample_ds, "长江保护法")
    p.page.click("#search")
    p.page.keyboard.type("长江保")
    p.page.wait_for_selector("#search-results li[role=option]")
    assert "长江保护法" in p.page.inner_text("#search-results")
    p.page.keyboard.press("Enter")
    assert p.js("govkgView.network.getSelectedNodes()") == [law]
    assert "长江保护法" in p.panel_text()
    assert p.page.url.endswith("#focus=" + quote(law, safe=""))


def test_view_browser_search_matches_aliases(view_page, sample_html, sample_ds):
    q = """SELECT ?e ?a WHERE { GRAPH ?g { ?e <http://www.w3.org/2004/02/skos/core#altLabel> ?a } } ORDER BY ?a LIMIT 1"""
    [(iri, alias)] = [(str(r.e), str(r.a)) for r in sample_ds.query(q)]
    p = view_page.open(sample_html)
    p.page.fill("#search", alias)
    p.page.wait_for_selector("#search-results li[role=option]")
    ids = p.js("[...document.querySelectorAll('#search-results li[role=option]')].map(li => li.dataset.id)")
    assert iri in ids


def test_view_browser_click_shows_source_sentence(view_page, sample_html, sample_ds):
    p = view_page.open(sample_html)
    law = entity(sample_ds, "长江保护法")
    expected = sentences_of(sample_ds, law)
    assert expected
    click_node(p, law)
    p.page.wait_for_selector("#panel:not([hidden])")
    assert p.js("govkgView.network.getSelectedNodes()") == [law]
    text = p.panel_text()
    for sentence in expected:
        assert sentence in text.replace("\n", "")
    assert "成效" in text or "问题" in text or "计划" in text
    assert p.js("[...document.querySelectorAll('#panel mark')].map(m => m.textContent)").count("《长江保护法》") >= 1
    # neighbourhood highlight: the node's neighbours keep their colour, the others are dimmed
    dimmed = p.js("""() => govkgView.nodes.get().filter(n => n.color.background === '#eeeeee').map(n => n.id)""")
    neighbours = set(p.js("id => govkgView.network.getConnectedNodes(id)", law))
    assert dimmed and law not in dimmed and not neighbours & set(dimmed)
    p.page.keyboard.press("Escape")
    assert p.js("document.getElementById('panel').hidden")


def test_view_browser_untick_type_hides_its_nodes(view_page, sample_html, sample_ds):
    p = view_page.open(sample_html)
    laws = {str(s) for _, _, _, g in sample_ds.quads((None, RDF.type, GOVKG.Law, None))
            for s in sample_ds.graph(g).subjects(RDF.type, GOVKG.Law)}
    before = set(p.js("govkgView.visibleNodeIds()"))
    assert laws <= before
    p.page.uncheck("input[data-type=Law]")
    after = set(p.js("govkgView.visibleNodeIds()"))
    # what hung only off laws loses its last edge and goes too, unless unconnected nodes are asked for
    assert not laws & after and after <= before - laws
    edged = set(p.js("""() => govkgView.edgeView.get().flatMap(e => [e.from, e.to])"""))
    assert after == edged
    p.page.check("#isolated")
    assert set(p.js("govkgView.visibleNodeIds()")) == before - laws
    p.page.uncheck("#isolated")
    p.page.check("input[data-type=Law]")
    assert set(p.js("govkgView.visibleNodeIds()")) == before


@pytest.mark.parametrize("form", ["#focus={}", "?focus={}", "#focus={raw}"])
def test_view_browser_opens_on_focus_target(view_page, sample_html, sample_ds, form):
    q = """SELECT ?e WHERE { GRAPH ?g { ?e a <https://w3id.org/govkg/ontology#Law> } FILTER(CONTAINS(STR(?e), "%28")) } LIMIT 1"""
    rows = [str(r.e) for r in sample_ds.query(q)]
    iri = rows[0] if rows and "raw" not in form else entity(sample_ds, "长江保护法")
    p = view_page.open(sample_html, form.format(quote(iri, safe=""), raw=iri))
    assert p.js("govkgView.network.getSelectedNodes()") == [iri]
    assert not p.js("document.getElementById('panel').hidden")
    label = str(next(o for _, _, o, _ in sample_ds.quads((URIRef(iri), RDFS.label, None, None))))
    assert label in p.panel_text()


def test_view_browser_unknown_focus_target_says_so(view_page, sample_html):
    p = view_page.open(sample_html, "#focus=" + quote("https://example.org/id/none", safe=""))
    assert p.js("govkgView.network.getSelectedNodes()") == []
    assert "未找到节点 https://example.org/id/none" in p.page.inner_text("#status")


def test_view_browser_statistic_panel(view_page, sample_html, sample_ds):
    q = """PREFIX govkg: <https://w3id.org/govkg/ontology#> SELECT ?s ?measure ?text WHERE { GRAPH ?g {
           ?s a govkg:Statistic ; govkg:measure ?measure ; govkg:sentence/<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString> ?text } }
           ORDER BY ?s LIMIT 1"""
    [(stat, measure, text)] = [(str(r.s), str(r.measure), str(r.text)) for r in sample_ds.query(q)]
    p = view_page.open(sample_html, "#focus=" + quote(stat, safe=""))
    panel = p.panel_text()
    assert "统计对象" in panel and measure in panel and text in panel.replace("\n", "")


def test_view_browser_report_filter(view_page, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus-view")
    res = build(sorted((Path(__file__).parent / "data").glob("*.txt")), out, validate=False)
    p = view_page.open(res.files["html"])
    assert p.page.is_visible("#report-filter")
    total = len(p.js("govkgView.visibleNodeIds()"))
    reports = p.js("govkgView.data.reports.map(r => r.id)")
    seen: set[str] = set()
    for i in range(len(reports)):
        p.page.select_option("#report-filter", str(i))
        ids = set(p.js("govkgView.visibleNodeIds()"))
        expected = set(p.js("i => govkgView.data.nodes.filter(n => n.reps.includes(i)).map(n => n.id)", i))
        assert ids == expected and reports[i] in ids and len(ids) < total
        seen |= ids
    assert len(seen) == total
    p.page.select_option("#report-filter", "")
    assert len(p.js("govkgView.visibleNodeIds()")) == total


# -- untrusted labels -------------------------------------------------------------------------


def _assert_inert(p: Page) -> None:
    assert p.dialogs == []
    assert p.js("typeof window.__pwned") == "undefined"
    assert p.js("document.querySelectorAll('img, svg[onload], iframe').length") == 0
    assert p.js("document.scripts.length") == 4  # data, panel data, vis-network, viewer


def test_view_browser_markup_in_a_report_runs_nothing(view_page, tmp_path_factory):
    folder = tmp_path_factory.mktemp("xss")
    (folder / "xss.txt").write_text(XSS_REPORT, encoding="utf-8")
    res = build([folder / "xss.txt"], folder / "out", validate=False)
    ds = load(res.files["trig"])
    p = view_page.open(res.files["html"])
    for node in p.js("Object.keys(govkgView.data.info)"):
        p.js("id => govkgView.select(id, {focus: true, animate: false})", node)
        _assert_inert(p)
    # the report's sentences, markup and all, are shown as text
    texts = " ".join(p.js("Object.values(govkgView.data.sentences).map(s => s.text)"))
    assert "<img src=x onerror=alert(1)>" in texts
    q = """SELECT ?e WHERE { GRAPH ?g { ?e a <https://w3id.org/govkg/ontology#Law> ;
           <https://w3id.org/govkg/ontology#mention>/<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> ?a }
           FILTER(CONTAINS(STR(?a), "onerror=alert(1)")) }"""
    law = next(str(r.e) for r in ds.query(q))
    p.js("id => govkgView.select(id, {focus: true, animate: false})", law)
    assert "<img src=x onerror=alert(1)>" in p.panel_text()
    p.page.fill("#search", "img")
    _assert_inert(p)


def test_view_browser_markup_in_labels_runs_nothing(view_page, tmp_path):
    ds = Dataset()
    rep = URIRef("https://example.org/id/report/x")
    g = ds.graph(rep)
    g.add((rep, RDF.type, GOVKG.Report))
    g.add((rep, RDFS.label, Literal('</script><script>window.__pwned=2</script>', lang="zh")))
    names = ['<img src=x onerror="window.__pwned=1">', "</script><script>alert(3)</script>",
             "<svg onload=alert(4)>", "\u2028</title><iframe src=javascript:alert(5)>"]
    nodes = []
    for i, name in enumerate(names):
        n = URIRef(f"https://example.org/id/agency/{i}")
        nodes.append(str(n))
        g.add((n, RDF.type, GOVKG.Agency))
        g.add((n, RDFS.label, Literal(name, lang="zh")))
        g.add((n, SKOS.altLabel, Literal(name + "别名", lang="zh")))
        g.add((n, GOVKG.mentionedIn, rep))
        if i:
            g.add((URIRef(nodes[0]), GOVKG.issues, n))
    html = tmp_path / "x.html"
    write_view(ds, html, title=names[0])
    p = view_page.open(html)
    assert p.page.title() == names[0]
    for n, name in zip(nodes, names, strict=True):
        p.js("id => govkgView.select(id, {focus: true, animate: false})", n)
        assert name.strip("\u2028") in p.panel_text()
        _assert_inert(p)
    p.page.fill("#search", "script")
    p.page.wait_for_selector("#search-results li[role=option]")
    assert "</script><script>alert(3)</script>" in p.page.inner_text("#search-results")
    _assert_inert(p)


# -- the overview of a corpus ------------------------------------------------------------------


@pytest.fixture(scope="module")
def overview_html(tmp_path_factory) -> Path:
    """The three test reports drawn as an overview (the default from four reports on)."""
    out = tmp_path_factory.mktemp("overview-view")
    res = build(sorted((Path(__file__).parent / "data").glob("*.txt")), out, validate=False, view=False)
    page = out / "overview.html"
    stats = write_view(load(res.files["trig"]), page, overview=True, min_reports=1)
    assert stats.overview and stats.reports == 3
    return page


def test_view_browser_overview_labels_at_fit_zoom_and_no_edgeless_node(view_page, overview_html):
    p = view_page.open(overview_html)
    p.page.click("#fit")
    p.js("govkgView.network.fit({animation: false}); govkgView.scaleLabels()")
    labelled = p.js("govkgView.data.labelled")
    shown = p.js("govkgView.labelledShown()")
    assert labelled and len(shown) >= min(10, len(labelled)), (len(shown), len(labelled))
    counts = p.js("""() => { const n = govkgView.network, ids = new Set(n.body.nodeIndices), deg = {};
        n.body.edgeIndices.forEach(id => { const e = n.body.edges[id];
            if (ids.has(e.fromId) && ids.has(e.toId)) { deg[e.fromId] = 1; deg[e.toId] = 1; } });
        return {nodes: ids.size, edgeless: [...ids].filter(i => !deg[i])}; }""")
    assert counts["nodes"] > 0 and counts["edgeless"] == []
    assert p.page.is_visible("#min-reports")


def test_view_browser_overview_report_filter_shows_that_reports_edges(view_page, overview_html):
    p = view_page.open(overview_html)
    reports = p.js("govkgView.data.reports.map(r => r.id)")
    for i, rep in enumerate(reports):
        p.page.select_option("#report-filter", str(i))
        got = p.js("""rep => { const n = govkgView.network, ids = new Set(n.body.nodeIndices);
            const es = n.body.edgeIndices.map(id => n.body.edges[id]).filter(e => ids.has(e.fromId) && ids.has(e.toId));
            return {nodes: [...ids], edges: es.length, reportEdges: es.filter(e => e.toId === rep || e.fromId === rep).length}; }""", rep)
        expected = set(p.js("i => govkgView.data.nodes.filter(n => n.reps.includes(i)).map(n => n.id)", i))
        assert set(got["nodes"]) == expected and rep in got["nodes"]
        # every entity of the report hangs off it: no loose dots
        assert got["edges"] >= len(expected) - 1 and got["reportEdges"] >= len(expected) // 2
        assert p.page.is_hidden("#min-reports")


def test_view_browser_overview_shared_by_at_least_n(view_page, overview_html):
    p = view_page.open(overview_html)
    every = len(p.js("govkgView.visibleNodeIds()"))
    p.js("govkgView.setMinReports(2)")
    shared = p.js("govkgView.visibleNodeIds()")
    assert 0 < len(shared) < every
    nrep = p.js("() => Object.fromEntries(govkgView.data.nodes.map(n => [n.id, [n.kind, n.nrep]]))")
    assert all(nrep[i][0] == "Report" or nrep[i][1] >= 2 for i in shared)


# -- fonts -------------------------------------------------------------------------------------


def test_view_browser_chinese_labels_have_a_cjk_font(view_page, sample_html):
    """A fresh machine without fonts-noto-cjk draws every Chinese label as empty boxes (tofu),
    all alike; `make test` installs the font. The ink of 一 (one stroke) and of 国 (a full
    square) differ only when real glyphs are drawn, in the labels' own font stack."""
    p = view_page.open(sample_html)
    got = p.js("""async () => {
        await document.fonts.load('14px "Noto Sans CJK SC"', '一国');
        const c = document.createElement('canvas').getContext('2d');
        c.font = '40px ' + govkgView.data.options.nodes.font.face;
        const ink = ch => { const m = c.measureText(ch); return m.actualBoundingBoxAscent + m.actualBoundingBoxDescent; };
        return {check: document.fonts.check('14px "Noto Sans CJK SC"', '一国'), one: ink('一'), guo: ink('国'),
                box: ink('\ue000')}; }""")
    assert got["check"], f"no CJK font: install fonts-noto-cjk (`make browser` does): {got}"
    assert got["guo"] > 20 and got["one"] < got["guo"] / 4, f"Chinese renders as fallback boxes: {got}"
