"""Benchmark: render a ~2,000-node govkg graph and time its first render in headless Chromium.

The graph is synthetic but shaped like ``govkg build`` output: several reports (one named graph
each), agencies, laws, policies, initiatives and places with labels, aliases and mentions in
sentences, relation triples with their RelationAssertion evidence, and statistics hanging off
entities or reports. The page is opened from disk with the network cut off, in Debian's Chromium
launched with the same flags as the browser tests (tests/browser.py).

It also times interaction: a zoom step and a drag step (the view moved, then one synchronous
vis-network redraw), median of 20 each.

Usage:
    .venv/bin/python bench/view_render.py [--nodes 2000] [--reports 8] [--runs 3] [--budget-ms 3000]
                                          [--step-budget-ms 100] [--keep FILE]
    .venv/bin/python bench/view_render.py --graph OUT/graph.trig    # a real build, e.g. 500 reports
    .venv/bin/python bench/view_render.py --page FILE.html          # a page made elsewhere

Prints the figures; exits 1 when the median first render or a step is over budget.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef  # noqa: E402
from rdflib.namespace import DCTERMS, SKOS  # noqa: E402

from graph.rdf import bind_prefixes, load_ontology  # noqa: E402
from graph.view import render_view  # noqa: E402
from graph.vocab import DEFAULT_BASE, GOVKG, NIF, ONTOLOGY_IRI  # noqa: E402

SYLLABLES = "江汉荆楚宜昌监利遂宁武昌洪湖石首松滋公安潜江天门仙桃黄冈孝感咸宁恩施襄阳十堰随州鄂州"
SUFFIX = {
    "Agency": ["市司法局", "市人民政府", "市市场监督管理局", "区人民法院", "县生态环境局", "镇人民政府"],
    "Law": ["条例", "实施办法", "管理规定", "实施方案(2021-2025年)", "保护法"],
    "Policy": ["制度", "改革", "机制", "清单制度", "告知承诺制"],
    "Initiative": ["专项行动", "宣传活动", "集中整治", "示范创建", "普法活动"],
    "Place": ["市", "县", "区", "镇", "乡"],
}
SHARE = {"Agency": 0.15, "Law": 0.13, "Policy": 0.35, "Initiative": 0.27, "Place": 0.10}
PRED = {  # (subject type, object type) -> predicate
    ("Agency", "Law"): GOVKG.issues, ("Agency", "Policy"): GOVKG.implements,
    ("Agency", "Initiative"): GOVKG.organizes, ("Law", "Policy"): GOVKG.concerns,
    ("Initiative", "Law"): GOVKG.basedOn, ("Place", "Place"): GOVKG.locatedIn,
    ("Policy", "Place"): GOVKG.extendsTo, ("Agency", "Place"): GOVKG.jurisdiction,
}
ROLES = (GOVKG.achievement, GOVKG.achievement, GOVKG.achievement, GOVKG.problem, GOVKG.plan)


def synthetic_graph(total: int, reports: int = 8, seed: int = 2021) -> Dataset:
    """A govkg-shaped Dataset with about ``total`` view nodes (entities + statistics + reports)."""
    rnd = random.Random(seed)
    ds = Dataset()
    bind_prefixes(ds)
    og = ds.graph(ONTOLOGY_IRI)
    for t in load_ontology():
        og.add(t)
    n_stats = int(total * 0.27)
    n_ent = total - n_stats - reports
    ents: list[tuple[URIRef, str, str]] = []
    for t, share in SHARE.items():
        for i in range(int(n_ent * share) + 1):
            name = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4))) + rnd.choice(SUFFIX[t])
            ents.append((URIRef(f"{DEFAULT_BASE}{t.lower()}/{name}{i}"), t, f"{name}{i}"))
    ents = ents[:n_ent]
    by_type: dict[str, list[tuple[URIRef, str, str]]] = {}
    for e in ents:
        by_type.setdefault(e[1], []).append(e)
    reps = [URIRef(f"{DEFAULT_BASE}report/{k:016x}") for k in range(reports)]
    sent_no = dict.fromkeys(reps, 0)

    def sentence(g, rep: URIRef, text: str) -> URIRef:
        k = sent_no[rep]
        sent_no[rep] += 1
        s = URIRef(f"{rep}/s{k}")
        g.add((s, RDF.type, GOVKG.Sentence))
        g.add((s, NIF.isString, Literal(text, lang="zh")))
        g.add((s, NIF.beginIndex, Literal(k * 200)))
        g.add((s, NIF.endIndex, Literal(k * 200 + len(text))))
        g.add((s, GOVKG.sentenceIndex, Literal(k)))
        g.add((s, GOVKG.role, rnd.choice(ROLES)))
        g.add((s, GOVKG.report, rep))
        return s

    for k, rep in enumerate(reps):
        g = ds.graph(rep)
        g.add((rep, RDF.type, GOVKG.Report))
        g.add((rep, DCTERMS.title, Literal(f"{2015 + k}年法治政府建设情况报告", lang="zh")))
        g.add((rep, GOVKG.year, Literal(str(2015 + k), datatype=XSD.gYear)))
        g.add((rep, GOVKG.sourceFile, Literal(f"report-{k}.txt")))
        g.add((rep, DCTERMS.creator, rnd.choice(by_type["Agency"])[0]))
        g.add((rep, GOVKG.locality, rnd.choice(by_type["Place"])[0]))
    # entities, mentioned in one to three reports
    home: dict[URIRef, list[URIRef]] = {}
    for iri, t, label in ents:
        home[iri] = rnd.sample(reps, rnd.choice((1, 1, 1, 2, 3)))
        for rep in home[iri]:
            g = ds.graph(rep)
            g.add((iri, RDF.type, GOVKG[t]))
            g.add((iri, RDFS.label, Literal(label, lang="zh")))
            if rnd.random() < 0.2:
                g.add((iri, SKOS.altLabel, Literal(label[:3] + label[-2:], lang="zh")))
            g.add((iri, GOVKG.mentionedIn, rep))
            for _ in range(rnd.randint(1, 3)):
                s = sentence(g, rep, f"全面推进{label}工作,取得明显成效。")
                m = URIRef(f"{rep}/m{sent_no[rep]}-{t[0].lower()}")
                g.add((iri, GOVKG.mention, m))
                g.add((m, RDF.type, GOVKG.Mention))
                g.add((m, NIF.anchorOf, Literal(label, lang="zh")))
                g.add((m, NIF.beginIndex, Literal((sent_no[rep] - 1) * 200 + 4)))
                g.add((m, GOVKG.sentence, s))
                g.add((m, GOVKG.report, rep))
    # relations with their evidence, preferring a few hubs as real reports do
    pairs = list(PRED)
    n_rel = int(len(ents) * 1.4)
    for k in range(n_rel):
        st, ot = rnd.choice(pairs)
        pool_s, pool_o = by_type[st], by_type[ot]
        s = pool_s[min(int(rnd.paretovariate(1.2)) - 1, len(pool_s) - 1)] if rnd.random() < 0.5 else rnd.choice(pool_s)
        o = rnd.choice(pool_o)
        if s[0] == o[0]:
            continue
        rep = rnd.choice(home[s[0]])
        g = ds.graph(rep)
        g.add((s[0], PRED[(st, ot)], o[0]))
        sent = sentence(g, rep, f"{s[2]}认真落实{o[2]}。")
        a = URIRef(f"{rep}/r{k}")
        g.add((a, RDF.type, GOVKG.RelationAssertion))
        g.add((a, RDF.subject, s[0]))
        g.add((a, RDF.predicate, PRED[(st, ot)]))
        g.add((a, RDF.object, o[0]))
        g.add((a, GOVKG.report, rep))
        g.add((a, GOVKG.sentence, sent))
    # statistics
    for k in range(n_stats):
        rep = reps[k % reports]
        g = ds.graph(rep)
        n = URIRef(f"{rep}/stat{k}")
        value, unit = Decimal(rnd.randint(1, 30000)), rnd.choice("件次人个家场")
        measure = rnd.choice(["办理行政复议案件", "开展普法宣传活动", "培训执法人员", "受理政务服务事项"])
        g.add((n, RDF.type, GOVKG.Statistic))
        g.add((n, RDFS.label, Literal(f"{measure} {value}{unit}", lang="zh")))
        g.add((n, GOVKG.value, Literal(value, datatype=XSD.decimal)))
        g.add((n, GOVKG.unit, Literal(unit, lang="zh")))
        g.add((n, GOVKG.measure, Literal(measure, lang="zh")))
        g.add((n, GOVKG.surface, Literal(f"{measure}{value}{unit}", lang="zh")))
        g.add((n, GOVKG.report, rep))
        g.add((n, GOVKG.sentence, sentence(g, rep, f"全年{measure}{value}{unit}。")))
        if rnd.random() < 0.4:
            g.add((n, GOVKG.about, rnd.choice(by_type["Agency"])[0]))
    return ds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=2000, help="view nodes to generate (default 2000)")
    ap.add_argument("--runs", type=int, default=3, help="page loads to time (default 3)")
    ap.add_argument("--budget-ms", type=float, default=3000.0, help="first-render budget (default 3000)")
    ap.add_argument("--reports", type=int, default=8, help="reports of the synthetic graph (default 8)")
    ap.add_argument("--graph", type=Path, help="draw this graph (graph.trig of a build) instead of a synthetic one")
    ap.add_argument("--page", type=Path, help="time this page as it is (no rendering here)")
    ap.add_argument("--step-budget-ms", type=float, default=100.0, help="zoom/drag step budget (default 100)")
    ap.add_argument("--keep", type=Path, help="also write the page here")
    args = ap.parse_args(argv)

    if args.page:
        html = args.page.read_text(encoding="utf-8")
        print(f"page:         {args.page} ({len(html.encode()) / 1e6:.2f} MB)")
    else:
        t0 = time.perf_counter()
        if args.graph:
            from graph import load

            ds = load(args.graph)
        else:
            ds = synthetic_graph(args.nodes, reports=args.reports)
        t1 = time.perf_counter()
        html, stats = render_view(ds)
        t2 = time.perf_counter()
        again, _ = render_view(ds)
        print(f"graph:        {sum(1 for _ in ds.quads((None, None, None, None)))} quads, "
              f"{'read' if args.graph else 'generated'} in {t1 - t0:.2f} s")
        print(f"view:         {stats.summary()}")
        print(f"render_view:  {t2 - t1:.2f} s in Python, {stats.html_bytes / 1e6:.2f} MB of HTML, "
              f"physics {'on' if stats.physics else 'off'}, deterministic: {again == html}")

    import shutil

    from browser import INSTALL_HINT, browser_page

    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print(f"error: {INSTALL_HINT}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        page_path = args.keep or Path(tmp) / "graph.html"
        page_path.write_text(html, encoding="utf-8")
        first, ready, wall, select, marks, zoom, drag = [], [], [], [], [], [], []
        with browser_page(offline=True) as page:
            for _ in range(args.runs):
                w0 = time.perf_counter()
                page.goto(page_path.resolve().as_uri())
                page.wait_for_selector("html[data-govkg-ready='1']", state="attached", timeout=60_000)
                wall.append((time.perf_counter() - w0) * 1000)
                first.append(page.evaluate("govkgView.firstDrawMs"))
                marks.append(page.evaluate("""() => Object.fromEntries(performance.getEntriesByType('mark')
                    .map(m => [m.name.replace('govkg:', ''), m.startTime]))"""))
                ready.append(page.evaluate("performance.now()"))
                hub = page.evaluate("""() => { const d = govkgView.data, deg = {};
                    d.edges.forEach(e => { deg[e.from] = (deg[e.from] || 0) + 1; deg[e.to] = (deg[e.to] || 0) + 1; });
                    return Object.keys(deg).sort((a, b) => deg[b] - deg[a])[0]; }""")
                select.append(page.evaluate("""id => { const t = performance.now();
                    govkgView.select(id, {focus: true, animate: false}); return performance.now() - t; }""", hub))
                if page.evaluate("!!govkgView.clearSelection"):
                    page.evaluate("govkgView.clearSelection()")
                steps = page.evaluate("""() => { const n = govkgView.network, r = n.renderer, z = [], d = [];
                    n.fit({animation: false});
                    for (let k = 0; k < 20; k++) {
                        let t = performance.now();
                        // during a gesture vis-network sets these and skips edges when the
                        // options say hideEdgesOnZoom / hideEdgesOnDrag (large graphs)
                        r.zooming = true;
                        n.moveTo({scale: n.getScale() * (k % 2 ? 1 / 1.15 : 1.15), animation: false}); r._redraw();
                        r.zooming = false;
                        z.push(performance.now() - t);
                        t = performance.now();
                        const v = n.getViewPosition();
                        r.dragging = true;
                        n.moveTo({position: {x: v.x + 40 / n.getScale(), y: v.y}, animation: false}); r._redraw();
                        r.dragging = false;
                        d.push(performance.now() - t);
                    }
                    return [z, d]; }""")
                zoom += steps[0]
                drag += steps[1]
    med = statistics.median(first)
    print(f"chromium:     first render {med:.0f} ms median (runs: {', '.join(f'{x:.0f}' for x in first)}; "
          "navigation start to first vis-network draw)")
    steps = ("start", "parsed", "datasets", "network", "drawn")
    split = {k: statistics.median(m[k] for m in marks) for k in steps}
    print("              median split: HTML and vis-network parsed {start:.0f} ms, JSON {j:.0f} ms, "
          "data sets {d:.0f} ms, network set-up {n:.0f} ms, first draw {f:.0f} ms".format(
              start=split["start"], j=split["parsed"] - split["start"], d=split["datasets"] - split["parsed"],
              n=split["network"] - split["datasets"], f=split["drawn"] - split["network"]))
    print(f"              page load to ready {statistics.median(wall):.0f} ms median (wall clock, incl. goto)")
    print(f"              select + highlight + panel of the biggest hub {statistics.median(select):.0f} ms median")
    zq, dq = statistics.median(zoom), statistics.median(drag)
    print(f"              zoom step {zq:.1f} ms median (max {max(zoom):.1f}), drag step {dq:.1f} ms median "
          f"(max {max(drag):.1f}); a step is the view moved plus one synchronous redraw")
    ok = med <= args.budget_ms and max(zq, dq) <= args.step_budget_ms
    print(f"budget:       first render {args.budget_ms:.0f} ms, step {args.step_budget_ms:.0f} ms -> "
          f"{'OK' if ok else 'OVER BUDGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
