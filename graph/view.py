"""RDF graph -> one offline, self-contained, interactive HTML page (pyvis + vis-network).

The view reads the RDF (``graph.trig``), never the extraction dataclasses, so what a user sees
is exactly what SPARQL sees. The vis-network node and edge records are the ones pyvis'
``Network`` makes (built here, without importing pyvis), and pyvis supplies the vis-network
library it ships; the page itself comes from our own template (``graph/viewer/``) because
pyvis 0.3.2 still pulls bootstrap and vis-network from CDNs. Every
script and style is inlined, a Content-Security-Policy forbids any network access and allows
only the page's own scripts (by hash), so the file works from a double-click on a machine with
no internet, and a report whose names contain markup cannot run anything.

Document strings (labels, sentences, titles) travel as JSON in a
``<script type="application/json">`` block with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped,
and the page builds its panels with DOM text nodes only. Output is deterministic: the same graph
gives the same HTML byte for byte (sorted records, seeded layout, rounded coordinates).
"""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import math
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.plugins.stores.memory import Memory

from .errors import GovkgError
from .vocab import GOVKG, NIF, ONTOLOGY_IRI

__all__ = [
    "ViewStats",
    "render_view",
    "write_view",
    "json_for_html",
    "VIEW_TYPES",
    "TYPE_STYLE",
    "PHYSICS_MAX_NODES",
    "OVERVIEW_MIN_REPORTS",
    "OVERVIEW_MAX_NODES",
    "network",
]

#: Node types the view draws, in legend order.
VIEW_TYPES: tuple[str, ...] = ("Agency", "Law", "Policy", "Initiative", "Place", "Statistic", "Report")
_ENTITY_TYPES = VIEW_TYPES[:5]
#: Shape and colour per type (Tableau 10; shapes with the label underneath so size shows degree).
TYPE_STYLE: dict[str, tuple[str, str]] = {
    "Agency": ("dot", "#4e79a7"),
    "Law": ("square", "#f28e2b"),
    "Policy": ("diamond", "#59a14f"),
    "Initiative": ("triangle", "#e15759"),
    "Place": ("hexagon", "#76b7b2"),
    "Statistic": ("triangleDown", "#b07aa1"),
    "Report": ("star", "#9c755f"),
}
#: Above this many nodes the browser runs no physics at all: the networkx layout is final.
PHYSICS_MAX_NODES = 400
#: Up to this many nodes networkx lays out the whole graph; above it, the best-connected ones,
#: and the rest are placed around their neighbours (a full spring layout of thousands of
#: nodes takes tens of seconds in networkx without scipy).
_LAYOUT_FULL_MAX = 300
#: From this many reports on, the view is an overview of the corpus (see :func:`render_view`).
OVERVIEW_MIN_REPORTS = 4
#: Nodes an overview draws unless told otherwise (``--max-nodes``).
OVERVIEW_MAX_NODES = 1200
#: Nodes whose labels stay readable at any zoom, the fitted view included.
LABELS_AT_FIT = 40
#: Source sentences per entity and per relation in an overview's side panel.
_OVERVIEW_SENTENCES = 10
# mention edges drawn per entity in an overview; the page adds a report's own when it is chosen
_OVERVIEW_MENTION_EDGES = 3
_MENTION_KEY = "m"  # the predicate of a mention edge in the page, expanded by payload["predKeys"]
_SEED = 7
_LABEL_MAX = 16
_FONT = '"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif'
_VIS_DIR = ("templates", "lib", "vis-9.1.2")
_VIEWER = Path(__file__).with_name("viewer")

# labels for terms the govkg ontology does not declare (it reuses them from DCTERMS and others)
_FALLBACK_LABELS: dict[str, tuple[str, str]] = {
    str(DCTERMS.creator): ("发布机关", "creator"),
    str(DCTERMS.title): ("标题", "title"),
    str(DCTERMS.date): ("报告日期", "date"),
    str(DCTERMS.issued): ("发布日期", "issued"),
    str(DCTERMS.source): ("来源", "source"),
    str(DCTERMS.format): ("格式", "format"),
    "http://data.europa.eu/eli/ontology#date_document": ("文件日期", "date of document"),
}
_ROLES = ("achievement", "problem", "plan")
# IRIs the hot loops look up, as strings (an rdflib namespace attribute costs a lookup each time)
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = str(RDF.type), str(RDF.subject), str(RDF.predicate), str(RDF.object)
_REPORT, _SENTENCE, _MENTION = str(GOVKG.report), str(GOVKG.sentence), str(GOVKG.mention)
_MENTIONED_IN = str(GOVKG.mentionedIn)
_IS_STRING, _BEGIN, _END, _ANCHOR = str(NIF.isString), str(NIF.beginIndex), str(NIF.endIndex), str(NIF.anchorOf)
_ASSERTION = str(GOVKG.RelationAssertion)
_LABEL, _ROLE, _INDEX, _HEADING = str(RDFS.label), str(GOVKG.role), str(GOVKG.sentenceIndex), str(GOVKG.heading)
# literal properties not worth a line in the panel (shown elsewhere, or internal)
_HIDDEN_ATTRS = {
    str(RDFS.label), str(SKOS.altLabel), str(DCTERMS.title), str(GOVKG.contentHash),
    str(GOVKG.encoding), str(DCTERMS.format), str(GOVKG.extractedBy),
}


@dataclass(frozen=True)
class ViewStats:
    """What a rendered view holds, and what it left out.

    Attributes:
        nodes: nodes drawn in the page.
        edges: edges drawn in the page.
        total_nodes: nodes that matched ``report`` and ``types`` before ``max_nodes``.
        total_edges: edges between those nodes.
        left_out: nodes dropped by ``max_nodes`` (the least connected).
        by_type: nodes drawn, per type.
        left_out_by_type: nodes dropped, per type.
        left_out_examples: labels of the best-connected dropped nodes (at most 10).
        reports: reports the page covers.
        physics: whether the browser runs a physics stabilisation before freezing the layout.
        html_bytes: size of the page in bytes (UTF-8).
        unconnected: nodes without any edge, not drawn (``isolated`` draws them).
        overview: whether the page is the overview of a corpus.
    """

    nodes: int
    edges: int
    total_nodes: int
    total_edges: int
    left_out: int
    by_type: Mapping[str, int] = field(default_factory=dict)
    left_out_by_type: Mapping[str, int] = field(default_factory=dict)
    left_out_examples: tuple[str, ...] = ()
    reports: int = 0
    physics: bool = False
    html_bytes: int = 0
    unconnected: int = 0
    overview: bool = False

    def summary(self) -> str:
        """One line for people: what is drawn, and what was left out."""
        kinds = ", ".join(f"{t} {n}" for t, n in self.by_type.items())
        line = f"{self.nodes} nodes, {self.edges} edges ({kinds})"
        if self.overview:
            line = f"overview of {self.reports} reports: " + line
        if self.left_out:
            dropped = ", ".join(f"{t} {n}" for t, n in self.left_out_by_type.items())
            line += (f"; left out the {self.left_out} least connected of {self.total_nodes} nodes "
                     f"({dropped}): raise --max-nodes, or narrow with --report or --types to see them")
        if self.unconnected:
            line += f"; {self.unconnected} nodes without an edge not drawn (--isolated draws them)"
        return line


def json_for_html(obj: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c`` and so on, so a label holding ``</script>`` cannot
    close the element; U+2028 and U+2029 are escaped for old JavaScript parsers. These
    characters only ever occur inside JSON strings, where the escapes mean the same.

    Examples:
        >>> json_for_html({"a": "</script><b>&"})
        '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        s = s.replace(ch, esc)
    return s


# -- reading the RDF ---------------------------------------------------------------------------


class _Index:
    """Subject -> predicate -> objects of the report graphs, and which report graph said what.

    One pass over the quads; the ontology graph's own triples go to a separate index that is
    only used for labels of classes, properties and section roles.
    """

    def __init__(self, data: Graph) -> None:
        self.po: dict[Any, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self.onto: dict[Any, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self.ctx: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self.has_contexts = False
        graphs: list[tuple[Iterable[tuple[Any, Any, Any]], str | None]]
        deferred = _deferred_quads(data)
        if deferred is not None:  # a store view (dataset_from_store): its triples, read directly
            by_graph: dict[str, list[tuple[Any, Any, Any]]] = defaultdict(list)
            for s, p, o, in_graph in deferred:
                by_graph[str(in_graph.identifier)].append((s, p, o))
            graphs = [(ts, cid) for cid, ts in by_graph.items()]
        elif hasattr(data, "contexts"):  # a Dataset: one named graph per report
            parts = data.graphs() if hasattr(data, "graphs") else data.contexts()
            graphs = [(_graph_triples(g), str(g.identifier)) for g in parts]
        else:
            graphs = [(data, None)]
        onto_id, ctx = str(ONTOLOGY_IRI), self.ctx
        with _no_gc():
            self._fill(graphs, onto_id, ctx)
        self._packaged: dict[Any, dict[str, list[Any]]] | None = None
        self._term_labels: dict[str, tuple[str, str]] = {}

    def _fill(self, graphs: list[tuple[Iterable[tuple[Any, Any, Any]], str | None]], onto_id: str,
              ctx: dict[tuple[str, str, str], set[str]]) -> None:
        onto_seen = False
        for g, cid in sorted(graphs, key=lambda g_c: g_c[1] or ""):
            target = self.onto if cid == onto_id else self.po
            onto_seen |= cid == onto_id
            # a report graph: a store view's one graph holds many reports, and says nothing
            # about which report stated what
            named = cid is not None and cid not in (onto_id, _CORPUS_VIEW_GRAPH) and not cid.startswith("urn:x-rdflib:")
            self.has_contexts |= named
            # a triple stated in two report graphs is listed twice; every reader tolerates that
            if not named:
                for s, p, o in g:
                    target[s][str(p)].append(o)
                continue
            for s, p, o in g:
                ps = str(p)
                target[s][ps].append(o)
                if type(o) is URIRef:
                    ctx[(str(s), ps, str(o))].add(cid)  # type: ignore[arg-type]
        if not self.has_contexts and not onto_seen:  # a plain graph (graph.ttl): the ontology is mixed in
            self.onto = self.po

    def get(self, s: Any, p: Any) -> list[Any]:
        """Objects of ``s p ?o`` (empty list when none)."""
        d = self.po.get(s)
        return d.get(str(p), []) if d else []

    def one(self, s: Any, p: Any) -> Any:
        """One object of ``s p ?o`` (the smallest, for determinism), or None."""
        objs = self.get(s, p)
        if len(objs) == 1:
            return objs[0]
        return min(objs, key=_sort_key) if objs else None

    def _onto_labels(self, term: Any, pred: Any) -> list[Any]:
        labels = self.onto.get(term, {}).get(str(pred), []) if term in self.onto else []
        if labels:
            return labels
        if self._packaged is None:
            from .rdf import load_ontology

            packaged: dict[Any, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
            for s, p, o in load_ontology():
                packaged[s][str(p)].append(o)
            self._packaged = packaged
        return self._packaged.get(term, {}).get(str(pred), []) if term in self._packaged else []

    def term_label(self, term: URIRef) -> tuple[str, str]:
        """Chinese and English labels of an ontology term (property, class or role)."""
        key = str(term)
        got = self._term_labels.get(key)
        if got is None:
            labels = self._onto_labels(term, RDFS.label) or self._onto_labels(term, SKOS.prefLabel)
            zh = _pick(labels, "zh")
            en = _pick(labels, "en")
            fb = _FALLBACK_LABELS.get(key)
            local = _local(key)
            got = self._term_labels[key] = (zh or (fb[0] if fb else local), en or (fb[1] if fb else local))
        return got


@contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: the view makes millions of small acyclic containers
    beside a loaded graph of millions more, and each full collection would walk them all again
    (half the Python time of a 500-report corpus view)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _graph_triples(g: Graph) -> Iterable[tuple[Any, Any, Any]]:
    """The triples of one named graph of a Dataset.

    Iterating a graph of rdflib's memory store works out, for every triple, every graph that
    holds it (an entity's type and label are in hundreds of report graphs): six seconds for a
    500-report corpus. The store keeps each graph's triples as a set; read that when it is
    there, else iterate as usual.
    """
    store = g.store
    per_graph = getattr(store, "_Memory__contextTriples", None) if isinstance(store, Memory) else None
    if isinstance(per_graph, dict):
        key = f"{g.identifier.__class__.__name__}:{g.identifier}"  # Memory.__ctx_to_str
        if key in per_graph:
            return per_graph[key]
    return g


def _sort_key(x: Any) -> tuple[str, str]:
    return (getattr(x, "language", None) or "", str(x))


def _pick(lits: Iterable[Any], lang: str) -> str:
    """The literal in ``lang`` (the smallest if several), else ''."""
    vals = sorted(str(v) for v in lits if isinstance(v, Literal) and v.language == lang)
    return vals[0] if vals else ""


def _text(lits: Iterable[Any]) -> str:
    """A literal for display: Chinese first, then untagged, then any language."""
    lits = [v for v in lits if isinstance(v, Literal)]
    if len(lits) == 1:  # the usual case
        return str(lits[0])
    for lang in ("zh", None):
        vals = sorted(str(v) for v in lits if v.language == lang)
        if vals:
            return vals[0]
    return min((str(v) for v in lits), default="")


def _local(iri: str) -> str:
    """The local name of an IRI.

    Examples:
        >>> _local("https://w3id.org/govkg/ontology#issues")
        'issues'
        >>> _local("http://purl.org/dc/terms/creator")
        'creator'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if ("#" in iri or "/" in iri) else iri


def _short(label: str, n: int = _LABEL_MAX) -> str:
    """A label cut to ``n`` characters for drawing on the canvas.

    Examples:
        >>> _short("中华人民共和国长江保护法实施条例细则", 8)
        '中华人民共和国…'
        >>> _short("长江保护法")
        '长江保护法'
    """
    return label if len(label) <= n else label[: n - 1] + "…"


def _number(v: Any) -> str:
    """A decimal literal as people write it.

    Examples:
        >>> _number(Literal("25.0", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")))
        '25'
        >>> _number(Literal("99.30"))
        '99.3'
    """
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        return str(v)
    s = format(d, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


# -- the view model ----------------------------------------------------------------------------


@dataclass
class _Node:
    id: str
    type: str
    label: str
    reports: set[str]
    term: Any


@dataclass(frozen=True)
class _Edge:
    source: str
    pred: str
    target: str


def _classify(ix: _Index) -> dict[str, _Node]:
    """Every entity, statistic and report of the graph, with the reports it belongs to."""
    classes = {str(GOVKG[t]): t for t in VIEW_TYPES}
    nodes: dict[str, _Node] = {}
    for s, props in ix.po.items():
        if not isinstance(s, URIRef):
            continue
        kinds = [classes[str(c)] for c in props.get(_TYPE, ()) if str(c) in classes]
        if not kinds:
            continue
        kind = min(kinds, key=VIEW_TYPES.index)
        sid = str(s)
        if kind == "Report":
            reports = {sid}
            label = _text(ix.get(s, DCTERMS.title)) or _text(ix.get(s, RDFS.label)) \
                or _text(ix.get(s, GOVKG.sourceFile)) or _local(sid)
        else:
            refs = ix.get(s, GOVKG.mentionedIn if kind != "Statistic" else GOVKG.report)
            reports = {str(r) for r in refs}
            reports |= ix.ctx.get((sid, _TYPE, str(GOVKG[kind])), set())
            label = _text(ix.get(s, _LABEL)) or _local(sid)
        nodes[sid] = _Node(sid, kind, label, reports, s)
    return nodes


def _match_report(nodes: Mapping[str, _Node], ix: _Index, name: str) -> str:
    """The IRI of the report called ``name``: its IRI, IRI tail, content hash, file or title."""
    reports = sorted((n for n in nodes.values() if n.type == "Report"), key=lambda n: n.id)
    hits = []
    for r in reports:
        src = _text(ix.get(r.term, GOVKG.sourceFile))
        digest = _text(ix.get(r.term, GOVKG.contentHash))
        names = {r.id, r.id.rsplit("/", 1)[-1], src, src.rsplit(".", 1)[0], r.label}
        if name in names or (len(name) >= 6 and digest.startswith(name)):
            hits.append(r)
    if len(hits) == 1:
        return hits[0].id
    listing = "; ".join(f"{_text(ix.get(r.term, GOVKG.sourceFile)) or r.id} ({r.label})" for r in reports)
    if not hits:
        raise GovkgError(f"no report named {name!r} in the graph; give a file name, title, IRI or "
                         f"content hash of one of: {listing or 'no reports at all'}")
    raise GovkgError(f"{len(hits)} reports match {name!r}; give the file name or IRI of one of: {listing}")


def _parse_types(types: Sequence[str] | None) -> tuple[str, ...]:
    if not types:
        return VIEW_TYPES
    by_lower = {t.lower(): t for t in VIEW_TYPES}
    chosen = []
    for t in types:
        for part in str(t).split(","):
            part = part.strip()
            if not part:
                continue
            if part.lower() not in by_lower:
                raise GovkgError(f"unknown node type {part!r}; choose among {', '.join(VIEW_TYPES)} "
                                 "(comma-separated, e.g. --types Agency,Law)")
            chosen.append(by_lower[part.lower()])
    if not chosen:
        raise GovkgError(f"no node type given; choose among {', '.join(VIEW_TYPES)}")
    return tuple(t for t in VIEW_TYPES if t in chosen)


def _edges(ix: _Index, nodes: Mapping[str, _Node], report: str | None, mentions: bool = False) -> list[_Edge]:
    """Edges among ``nodes``: relation triples between entities, a statistic to what it is
    about (else its report), a report to its issuing body and locality, and with ``mentions``
    an entity to each report that mentions it (``govkg:mentionedIn``), which is what ties the
    reports of a corpus to what they share."""
    out: set[_Edge] = set()
    for n in nodes.values():
        if n.type in _ENTITY_TYPES:
            if mentions:
                out.update(_Edge(n.id, _MENTIONED_IN, r) for r in n.reports if r in nodes and r != n.id)
            for p, objs in ix.po[n.term].items():
                if p == _TYPE:
                    continue
                for o in objs:
                    o = str(o)
                    if o in nodes and nodes[o].type in _ENTITY_TYPES and o != n.id:
                        if report and ix.ctx.get((n.id, p, o)) and report not in ix.ctx[(n.id, p, o)]:
                            continue
                        out.add(_Edge(n.id, p, o))
        elif n.type == "Statistic":
            about = [str(a) for a in ix.get(n.term, GOVKG.about) if str(a) in nodes]
            if about:
                out.add(_Edge(n.id, str(GOVKG.about), min(about)))
            else:
                reps = sorted(r for r in n.reports if r in nodes)
                if reps:
                    out.add(_Edge(n.id, str(GOVKG.report), reps[0]))
        elif n.type == "Report":
            for p in (DCTERMS.creator, GOVKG.locality):
                for o in ix.get(n.term, p):
                    if str(o) in nodes:
                        out.add(_Edge(n.id, str(p), str(o)))
    return sorted(out, key=lambda e: (e.source, e.pred, e.target))


def _cap_mentions(edges: Sequence[_Edge], nodes: Mapping[str, _Node],
                  per_entity: int = _OVERVIEW_MENTION_EDGES) -> list[_Edge]:
    """The edges with at most ``per_entity`` mention edges per entity, spread over the reports.

    Entities named in few reports choose first, each the reports with the fewest kept edges so
    far, so every report keeps links to what it shares with others.

    Examples:
        >>> n = {i: _Node(i, t, i, set(), None) for i, t in (("a", "Law"), ("r1", "Report"), ("r2", "Report"))}
        >>> [e.target for e in _cap_mentions([_Edge("a", _MENTIONED_IN, "r1"), _Edge("a", _MENTIONED_IN, "r2")], n, 1)]
        ['r1']
    """
    by_entity: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e.pred == _MENTIONED_IN:
            by_entity[e.source].append(e.target)
    kept_per_report: dict[str, int] = defaultdict(int)
    keep: set[tuple[str, str]] = set()
    for ent in sorted(by_entity, key=lambda i: (len(by_entity[i]), i)):
        reps = sorted(by_entity[ent], key=lambda r: (kept_per_report[r], r))[:per_entity]
        for r in reps:
            kept_per_report[r] += 1
            keep.add((ent, r))
    return [e for e in edges if e.pred != _MENTIONED_IN or (e.source, e.target) in keep]


def _evidence(ix: _Index) -> dict[tuple[str, str, str], list[tuple[str, str, int, int]]]:
    """Relation triple -> (report, sentence, begin, end) of each RelationAssertion stating it."""
    ev: dict[tuple[str, str, str], list[tuple[str, str, int, int]]] = defaultdict(list)
    for a, props in ix.po.items():
        if not any(str(c) == _ASSERTION for c in props.get(_TYPE, ())):
            continue
        s, p, o = ix.one(a, _SUBJECT), ix.one(a, _PREDICATE), ix.one(a, _OBJECT)
        if s is None or p is None or o is None:
            continue
        sent = ix.one(a, _SENTENCE)
        rep = ix.one(a, _REPORT)
        if rep is None and sent is not None:  # the lean form: the report of its sentence
            rep = ix.one(sent, _REPORT)
        b, e = ix.one(a, _BEGIN), ix.one(a, _END)
        ev[(str(s), str(p), str(o))].append(
            (str(rep or ""), str(sent or ""), int(b.toPython()) if b is not None else -1,
             int(e.toPython()) if e is not None else -1))
    for v in ev.values():
        v.sort()
    return ev


def _select(nodes: dict[str, _Node], edges: list[_Edge], max_nodes: int,
            n_reports: Mapping[str, int] | None = None) -> tuple[set[str], list[str]]:
    """The ``max_nodes`` best-connected nodes (ties: type order, then IRI) and the others,
    best-connected first. With ``n_reports`` (an overview) reports come first, then the nodes
    named in the most reports."""
    deg = _degrees(nodes, edges)
    if n_reports is not None:
        ranked = sorted(nodes, key=lambda i: (nodes[i].type != "Report", -n_reports[i], -deg[i],
                                              VIEW_TYPES.index(nodes[i].type), i))
        return set(ranked[:max_nodes]), ranked[max_nodes:]
    ranked = sorted(nodes, key=lambda i: (-deg[i], VIEW_TYPES.index(nodes[i].type), i))
    return set(ranked[:max_nodes]), ranked[max_nodes:]


def _degrees(nodes: Iterable[str], edges: Iterable[_Edge]) -> dict[str, int]:
    deg = dict.fromkeys(nodes, 0)
    for e in edges:
        deg[e.source] += 1
        deg[e.target] += 1
    return deg


def _layout(ids: Sequence[str], edges: Sequence[_Edge], deg: Mapping[str, int]) -> dict[str, tuple[float, float]]:
    """Seeded node positions in pixels, computed once in Python with networkx.

    Small graphs get a full spring layout. Large ones get a spring layout of their
    best-connected nodes; the others are placed on golden-angle spirals around their
    best-connected placed neighbour, breadth first, which keeps a 2,000-node graph under a
    second in Python and still puts each leaf next to what it hangs off. A component with no
    node in the spring layout starts from a node on an outer ring (its best-connected one) and
    grows around it the same way. Each node is placed once, after one look at its neighbours:
    the time grows with nodes plus edges.
    """
    rank = {n: (-deg[n], n) for n in ids}
    order = sorted(ids, key=rank.__getitem__)
    # plain adjacency lists (each neighbour once), best-connected neighbour first
    near: dict[str, dict[str, None]] = {n: {} for n in ids}
    for e in edges:
        if e.source != e.target:
            near[e.source][e.target] = None
            near[e.target][e.source] = None
    adj = {n: sorted(ns, key=rank.__getitem__) for n, ns in near.items()}
    core = order[:_LAYOUT_FULL_MAX]
    scale = 70.0 * math.sqrt(max(len(ids), 4))
    pos: dict[str, tuple[float, float]] = {}
    if core:
        import networkx as nx

        in_core = set(core)
        g = nx.Graph()
        g.add_nodes_from(n for n in ids if n in in_core)  # in ``ids`` order: the seeded start
        g.add_edges_from((n, m) for n in core for m in adj[n] if m in in_core)
        raw = nx.spring_layout(g, seed=_SEED, iterations=60)
        pos = {n: (float(raw[n][0]) * scale, float(raw[n][1]) * scale) for n in core}
    spokes: dict[str, int] = {}
    angles: dict[str, float] = {}
    golden = math.pi * (3 - math.sqrt(5))
    queued = set(pos)
    # the frontier: unplaced neighbours of the core, best-connected first
    todo = deque(n for n in order if n not in queued and any(m in pos for m in adj[n]))
    queued.update(todo)
    ring = 0
    rest = iter(order)
    while True:
        while todo:
            n = todo.popleft()
            hub = next(m for m in adj[n] if m in pos)  # adj is best-connected first
            k = spokes.get(hub, 0)
            spokes[hub] = k + 1
            if hub not in angles:
                angles[hub] = hash_angle(hub)
            r, a = 45.0 + 14.0 * math.sqrt(k), k * golden + angles[hub]
            x, y = pos[hub]
            pos[n] = (x + r * math.cos(a), y + r * math.sin(a))
            for m in adj[n]:
                if m not in queued:
                    queued.add(m)
                    todo.append(m)
        # a component with no placed node: seed its best-connected node on an outer ring
        seed = next((m for m in rest if m not in queued), None)
        if seed is None:
            break
        radius = scale * 1.15 + 30.0 * math.sqrt(ring)
        pos[seed] = (radius * math.cos(ring * golden), radius * math.sin(ring * golden))
        ring += 1
        queued.add(seed)
        for m in adj[seed]:
            if m not in queued:
                queued.add(m)
                todo.append(m)
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}


def hash_angle(key: str) -> float:
    """A stable angle (radians) from a string, so spirals around different hubs don't align.

    Examples:
        >>> hash_angle("a") == hash_angle("a")
        True
        >>> 0 <= hash_angle("agency/x") < 6.3
        True
    """
    h = int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:4], "big")
    return (h / 2**32) * 2 * math.pi


# -- panel data ----------------------------------------------------------------------------


class _Sentences:
    """The sentences the page quotes, each stored once and referred to by a short key."""

    def __init__(self, ix: _Index) -> None:
        self.ix = ix
        self.table: dict[str, dict[str, Any]] = {}
        self._keys: dict[str, str] = {}

    def key(self, sent: Any) -> str | None:
        if sent is None or not self.ix.get(sent, _IS_STRING):
            return None
        iri = str(sent)
        if iri not in self._keys:
            k = f"s{len(self._keys)}"
            self._keys[iri] = k
            role = self.ix.one(sent, _ROLE)
            idx = self.ix.one(sent, _INDEX)
            self.table[k] = {
                "iri": iri,
                "text": _text(self.ix.get(sent, _IS_STRING)),
                "role": _local(str(role)) if role is not None else "",
                "report": str(self.ix.one(sent, _REPORT) or ""),
                "index": int(idx.toPython()) if idx is not None else _sentence_number(iri),
                "heading": bool(self.ix.get(sent, _HEADING)),
            }
        return self._keys[iri]

    def names(self, k: str, names: Sequence[str]) -> list[list[int]]:
        """``[offset, length]`` of each occurrence of any of ``names`` in the sentence, the
        longest name first where two overlap: how the view marks an entity in a sentence when
        the graph (the store) keeps no mention offsets, only the entity's labels and aliases."""
        text = self.table[k]["text"]
        # names are compared without quotes, book-title marks and spaces (a label drops the
        # 《》 and “” a mention may carry: 《某某细则》, “法治某地”建设); a span runs from the
        # first to the last character matched, in the sentence as written
        where = [i for i, c in enumerate(text) if c not in _NAME_NOISE]
        bare = "".join(text[i] for i in where)
        taken = [False] * len(bare)
        spans: list[list[int]] = []
        wanted = {b for b in ("".join(c for c in n if c not in _NAME_NOISE) for n in names) if b}
        for name in sorted(wanted, key=lambda n: (-len(n), n)):
            at = bare.find(name)
            while at >= 0:
                end = at + len(name)
                if not any(taken[at:end]):
                    taken[at:end] = [True] * len(name)
                    first, last = where[at], where[end - 1] + 1
                    # the marks around a name are part of it, as in the mention: 《长江保护法》
                    if first > 0 and last < len(text) and _NAME_PAIRS.get(text[first - 1]) == text[last]:
                        first, last = first - 1, last + 1
                    spans.append([first, last - first])
                at = bare.find(name, end)
        return sorted(spans)

    def span(self, sent: Any, k: str, anchor: str, begin: Any) -> list[int]:
        """``[offset, length]`` of ``anchor`` in the sentence: from the NIF offsets when they
        agree with the text, else the first occurrence, else ``[-1, 0]``."""
        text = self.table[k]["text"]
        sb = self.ix.one(sent, _BEGIN)
        if begin is not None and sb is not None:
            off = int(begin.toPython()) - int(sb.toPython())
            if off >= 0 and text[off:off + len(anchor)] == anchor:
                return [off, len(anchor)]
        off = text.find(anchor) if anchor else -1
        return [off, len(anchor)] if off >= 0 else [-1, 0]


#: What names are compared without (see :meth:`_Sentences.names`).
_NAME_NOISE = frozenset("“”\"‘’'《》〈〉「」『』 \u3000")
_NAME_PAIRS = {"《": "》", "〈": "〉", "“": "”", "「": "」", "『": "』", "‘": "’"}
_SENTENCE_NUMBER = re.compile(r"/s(\d+)$")


def _sentence_number(iri: str) -> int:
    """The index of a sentence in its report, from the IRI govkg gave it (``…/s12``): the store
    keeps no ``govkg:sentenceIndex`` (its ``nif:beginIndex`` orders the sentences); -1 if none."""
    m = _SENTENCE_NUMBER.search(iri)
    return int(m.group(1)) if m else -1


def _attrs(ix: _Index, term: Any) -> list[list[str]]:
    """Literal-valued properties of a node, as (Chinese label, English label, value)."""
    rows = []
    for p, objs in sorted(ix.po[term].items()):
        if p in _HIDDEN_ATTRS:
            continue
        lits = sorted({str(o) for o in objs if isinstance(o, Literal)})
        if not lits:
            continue
        zh, en = ix.term_label(URIRef(p))
        rows.append([zh, en, "、".join(lits)])
    return rows


def _panel_info(ix: _Index, nodes: Mapping[str, _Node], shown: set[str], edges: Sequence[_Edge],
                evidence: Mapping[tuple[str, str, str], list[tuple[str, str, int, int]]],
                sentences: _Sentences, report: str | None) -> dict[str, dict[str, Any]]:
    """What the side panel shows for each drawn node."""
    cache: dict[str, dict[str, list[list[int]]]] = {}

    def mention_spans(node: _Node) -> dict[str, list[list[int]]]:
        """Sentence key -> spans of the node's mentions in it, in report and sentence order."""
        if node.id in cache:
            return cache[node.id]
        by_sent: dict[str, list[list[int]]] = {}
        # the sentences that name the entity (its direct links), marked by its names; a graph
        # written before those links existed has only the mention nodes, read below
        said = ix.get(node.term, _SENTENCE)
        if said:
            names = [node.label, *(str(a) for a in ix.get(node.term, SKOS.altLabel))]
            for sent in sorted(said, key=str):
                k = sentences.key(sent)
                if k is None or (report and sentences.table[k]["report"] not in ("", report)):
                    continue
                by_sent[k] = sentences.names(k, names)
        for m in sorted(ix.get(node.term, _MENTION) if not said else (), key=str):
            sent = ix.one(m, _SENTENCE)
            mrep = ix.one(m, _REPORT)
            if mrep is None and sent is not None:  # the lean form: the report of its sentence
                mrep = ix.one(sent, _REPORT)
            if report and mrep is not None and str(mrep) != report:
                continue
            k = sentences.key(sent)
            if k is None:
                continue
            span = sentences.span(sent, k, _text(ix.get(m, _ANCHOR)), ix.one(m, _BEGIN))
            spans = by_sent.setdefault(k, [])
            if span[0] >= 0 and span not in spans:
                spans.append(span)
        order = sorted(by_sent, key=lambda k: (sentences.table[k]["report"], sentences.table[k]["index"]))
        cache[node.id] = {k: sorted(by_sent[k]) for k in order}
        return cache[node.id]

    rels: dict[str, list[dict[str, Any]]] = defaultdict(list)
    stats_of: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e.pred in (str(GOVKG.about), str(GOVKG.report)) and nodes[e.source].type == "Statistic":
            stats_of[e.target].append(e.source)
            continue
        if e.pred == _MENTIONED_IN:  # the panel lists an entity's reports on their own
            continue
        ev: list[list[Any]] = []
        for rep, sent, b, end in evidence.get((e.source, e.pred, e.target), []):
            if report and rep and rep != report:
                continue
            k = sentences.key(URIRef(sent)) if sent else None
            if k is None or any(x[0] == k for x in ev):
                continue
            # mark the two names the relation links; the asserted span when they are not found
            spans = [sp for nid in (e.source, e.target) for sp in mention_spans(nodes[nid]).get(k, [])]
            if not spans:
                sb = ix.one(URIRef(sent), NIF.beginIndex)
                off = b - int(sb.toPython()) if (b >= 0 and sb is not None) else -1
                if 0 <= off and off + (end - b) <= len(sentences.table[k]["text"]):
                    spans = [[off, end - b]]
            ev.append([k, sorted(spans)])
        for me, other, direction in ((e.source, e.target, "out"), (e.target, e.source, "in")):
            if me in shown:
                rels[me].append({"p": e.pred, "dir": direction, "other": other, "ev": ev})
    # entities and statistics per report, counted once (not once per report node)
    per_report: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for m in nodes.values():
        slot = 0 if m.type in _ENTITY_TYPES else 1 if m.type == "Statistic" else -1
        if slot >= 0:
            for r in m.reports:
                per_report[r][slot] += 1
    info: dict[str, dict[str, Any]] = {}
    for nid in sorted(shown):
        n = nodes[nid]
        d: dict[str, Any] = {"type": n.type, "label": n.label}
        reps = sorted(r for r in n.reports if (not report or r == report))
        d["reports"] = reps
        if n.type in _ENTITY_TYPES:
            d["aliases"] = sorted({str(a) for a in ix.get(n.term, SKOS.altLabel)} - {n.label})
            d["attrs"] = _attrs(ix, n.term)
            d["mentions"] = [[k, spans] for k, spans in mention_spans(n).items()]
        elif n.type == "Statistic":
            t = n.term
            value = ix.one(t, GOVKG.value)
            about = ix.one(t, GOVKG.about)
            d.update({
                "value": _number(value) if value is not None else "",
                "unit": _text(ix.get(t, GOVKG.unit)),
                "measure": _text(ix.get(t, GOVKG.measure)),
                "surface": _text(ix.get(t, GOVKG.surface)),
                "year": _text(ix.get(t, GOVKG.year)),
                "approximate": any(bool(v.toPython()) for v in ix.get(t, GOVKG.approximate)
                                   if isinstance(v, Literal)),
                "about": str(about) if about is not None else None,
                "aboutLabel": nodes[str(about)].label if about is not None and str(about) in nodes
                else (_text(ix.get(about, RDFS.label)) if about is not None else ""),
                "sentence": None,
            })
            sent = ix.one(t, GOVKG.sentence)
            k = sentences.key(sent)
            if k is not None:
                anchor_node = next((m for m in sorted(ix.get(t, GOVKG.mention), key=str)), None)
                begin = ix.one(anchor_node, NIF.beginIndex) if anchor_node is not None else None
                d["sentence"] = [k, sentences.span(sent, k, d["surface"], begin)]
        else:  # Report
            t = n.term
            creator, locality = ix.one(t, DCTERMS.creator), ix.one(t, GOVKG.locality)
            d.update({
                "year": _text(ix.get(t, GOVKG.year)),
                "creator": str(creator) if creator is not None else None,
                "creatorLabel": _text(ix.get(creator, RDFS.label)) if creator is not None else "",
                "locality": str(locality) if locality is not None else None,
                "localityLabel": _text(ix.get(locality, RDFS.label)) if locality is not None else "",
                "attrs": _attrs(ix, t),
                "entities": per_report[nid][0],
                "statisticsCount": per_report[nid][1],
            })
        d["rels"] = rels.get(nid, [])
        d["stats"] = sorted(stats_of.get(nid, []), key=lambda s: (nodes[s].label, s))
        info[nid] = d
    return info


# -- rendering ---------------------------------------------------------------------------------


def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as shipped inside the installed pyvis package."""
    from importlib.util import find_spec

    spec = find_spec("pyvis")  # found, not imported: pyvis imports IPython
    where = list(spec.submodule_search_locations or []) if spec else []
    lib = Path(where[0] if where else "pyvis-is-not-installed").joinpath(*_VIS_DIR)
    try:
        js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except OSError as e:
        raise GovkgError(f"vis-network is missing from the pyvis package ({e}); reinstall it with "
                         "`.venv/bin/pip install --force-reinstall 'pyvis>=0.3.2'`") from None
    return js, css


def _check_inline(source: str, tag: str, what: str) -> str:
    """Refuse source that would end its inline ``<script>``/``<style>`` element early."""
    low = source.lower()
    if f"</{tag}" in low or "<!--" in low:
        raise GovkgError(f"{what} contains '</{tag}' or '<!--' and cannot be inlined safely; "
                         "pin the pyvis version govkg was tested with (0.3.2)")
    return source


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def _report_title(nodes: Mapping[str, _Node], ix: _Index, report_ids: Sequence[str]) -> str:
    if len(report_ids) == 1:
        n = nodes[report_ids[0]]
        year = _text(ix.get(n.term, GOVKG.year))
        return f"{n.label}{f' ({year})' if year and year not in n.label else ''}"
    return f"{len(report_ids)} 份报告"


@dataclass
class _Page:
    """Everything one view needs, before it goes into a pyvis Network: vis-network node and
    edge records, options, the panel payload and the figures for :class:`ViewStats`."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any]
    payload: dict[str, Any]
    stats: ViewStats
    panel: dict[str, Any]


def _prepare(
    data: Graph,
    *,
    report: str | None,
    types: Sequence[str] | None,
    max_nodes: int | None,
    title: str | None,
    overview: bool | None,
    isolated: bool,
    min_reports: int | None,
) -> _Page:
    """Read the RDF and decide what the view draws (see :func:`render_view`)."""
    if max_nodes is not None and max_nodes < 1:
        raise GovkgError(f"--max-nodes must be 1 or more, not {max_nodes}")
    ix = _Index(data)
    every = _classify(ix)
    if not every:
        raise GovkgError("the graph holds no govkg entities, statistics or reports; give a graph "
                         "written by `govkg build` (output/graph.trig)")
    rep_id = _match_report(every, ix, report) if report else None
    all_reports = sorted(i for i, n in every.items() if n.type == "Report")
    # an overview when many reports are drawn at once: what they share, not each one's details
    if overview is None:
        overview = rep_id is None and len(all_reports) >= OVERVIEW_MIN_REPORTS
    wanted = _parse_types(types)
    if overview and not types:
        wanted = tuple(t for t in wanted if t != "Statistic")  # hundreds per report: ask for them
    if overview and max_nodes is None:
        max_nodes = OVERVIEW_MAX_NODES
    # in a corpus, what ties a report to its entities (the same in a --report view as in the
    # page's report filter); a one-report graph would only get a star around its report
    mentions = len(all_reports) > 1
    nodes = {i: n for i, n in every.items()
             if n.type in wanted and (rep_id is None or rep_id in n.reports)}
    if not nodes:
        raise GovkgError(f"nothing to draw: no node of type {', '.join(wanted)}"
                         f"{' in report ' + repr(report) if report else ''}; widen --types or --report")
    all_edges = _edges(ix, nodes, rep_id, mentions)
    unconnected: list[str] = []
    if not isolated:
        touched = {x for e in all_edges for x in (e.source, e.target)}
        unconnected = sorted(i for i in nodes if i not in touched)
        nodes = {i: n for i, n in nodes.items() if i in touched}
        if not nodes:
            raise GovkgError("nothing to draw: no node has an edge; pass --isolated to draw them anyway")
    n_reports = {i: len(n.reports) for i, n in nodes.items()}
    total_nodes, total_edges = len(nodes), len(all_edges)
    left: list[str] = []
    if max_nodes is not None and len(nodes) > max_nodes:
        keep, left = _select(nodes, all_edges, max_nodes, n_reports if overview else None)
        shown_nodes = {i: n for i, n in nodes.items() if i in keep}
        edges = _edges(ix, shown_nodes, rep_id, mentions)
        if not isolated:  # what lost all its edges with the nodes left out goes too
            touched = {x for e in edges for x in (e.source, e.target)}
            dropped = sorted((i for i in shown_nodes if i not in touched),
                             key=lambda i: (-n_reports[i], VIEW_TYPES.index(nodes[i].type), i))
            if len(dropped) < len(shown_nodes):
                left = dropped + left
                shown_nodes = {i: n for i, n in shown_nodes.items() if i in touched}
    else:
        shown_nodes, edges = nodes, all_edges
    shown = set(shown_nodes)
    deg = _degrees(shown, edges)
    ids = sorted(shown, key=lambda i: (VIEW_TYPES.index(nodes[i].type), i))
    if overview:  # 28,000 entity -> report edges would weigh the page down; the page adds a
        edges = _cap_mentions(edges, nodes)  # chosen report's own when it is picked
    pos = _layout(ids, edges, _degrees(shown, edges))
    physics = len(ids) <= PHYSICS_MAX_NODES

    report_ids = sorted((i for i, n in every.items() if n.type == "Report"
                         and (rep_id is None or i == rep_id)), key=lambda i: (every[i].label, i))
    report_index = {r: k for k, r in enumerate(report_ids)}
    type_labels = {t: ix.term_label(GOVKG[t]) for t in VIEW_TYPES}

    vis_nodes: list[dict[str, Any]] = []
    vis_edges: list[dict[str, Any]] = []
    for i in ids:
        n = nodes[i]
        shape, colour = TYPE_STYLE[n.type]
        zh, en = type_labels[n.type]
        if overview and n.type != "Report":  # what many reports share is what matters
            size = (7.0 if n.type == "Statistic" else 8.0) + 7.0 * math.sqrt(n_reports[i])
        else:
            size = (22.0 if n.type == "Report" else 7.0 if n.type == "Statistic" else 10.0) + 4.0 * math.sqrt(deg[i])
        shared = f"\n见于 {n_reports[i]} 份报告" if n.type != "Report" and len(report_ids) > 1 else ""
        vis_nodes.append({
            "id": i,
            "label": _short(n.label) or i,
            "shape": shape,
            "color": {"background": colour, "border": _darker(colour),
                      "highlight": {"background": colour, "border": "#222222"},
                      "hover": {"background": colour, "border": "#222222"}},
            "title": f"{n.label}\n{zh} · {en}\n{deg[i]} 条关系{shared}",
            "size": round(min(size, 60.0 if overview else 48.0), 1),
            "x": pos[i][0],
            "y": pos[i][1],
            "kind": n.type,
            "reps": sorted(report_index[r] for r in n.reports if r in report_index),
            "nrep": n_reports[i],
        })
    evidence = _evidence(ix)
    pred_labels: dict[str, list[str]] = {}
    for k, e in enumerate(edges):
        if e.pred not in pred_labels:
            pred_labels[e.pred] = list(ix.term_label(URIRef(e.pred)))
        zh, en = pred_labels[e.pred]
        if e.pred == _MENTIONED_IN:
            ctx: set[str] = {e.target}
        else:
            ctx = ix.ctx.get((e.source, e.pred, e.target)) or {
                rep for rep, *_ in evidence.get((e.source, e.pred, e.target), []) if rep}
        if not ctx:  # derived edges (statistic, report) and plain graphs: where both ends are
            ctx = nodes[e.source].reports & nodes[e.target].reports or nodes[e.source].reports
        reps = sorted(report_index[r] for r in ctx if r in report_index)
        if e.pred == _MENTIONED_IN:  # many, all alike: no label, no title, a short key
            vis_edges.append({"id": f"e{k}", "from": e.source, "to": e.target, "pred": _MENTION_KEY,
                              "reps": reps, "arrows": "to"})
            continue
        vis_edges.append({
            "id": f"e{k}",
            "from": e.source,
            "to": e.target,
            "label": zh,
            "title": f"{zh} · {en}\n{nodes[e.source].label} → {nodes[e.target].label}",
            "pred": e.pred,
            "reps": reps,
            "arrows": "to",
        })
    sentences = _Sentences(ix)
    info = _panel_info(ix, nodes, shown, all_edges, evidence, sentences, rep_id)
    for rel_list in info.values():
        for r in rel_list["rels"]:
            if r["p"] not in pred_labels:
                pred_labels[r["p"]] = list(ix.term_label(URIRef(r["p"])))
    if overview:  # a law named in 400 reports: its first sentences, not all 2,000 (the page would weigh 30 MB)
        for d in info.values():
            for key in ("mentions",):
                if len(d.get(key, ())) > _OVERVIEW_SENTENCES:
                    d["mentionsTotal"] = len(d[key])
                    d[key] = d[key][:_OVERVIEW_SENTENCES]
            for r in d["rels"]:
                r["ev"] = r["ev"][:_OVERVIEW_SENTENCES]
        used = {k for d in info.values() for k, _ in d.get("mentions", ())}
        used |= {ev[0] for d in info.values() for r in d["rels"] for ev in r["ev"]}
        used |= {d["sentence"][0] for d in info.values() if d.get("sentence")}
        sentences.table = {k: v for k, v in sentences.table.items() if k in used}
    others = {r["other"] for d in info.values() for r in d["rels"]} | {
        d.get(k) for d in info.values() for k in ("about", "creator", "locality")}
    left_set = set(left)
    left_by_type: dict[str, int] = {}
    for i in left:
        left_by_type[nodes[i].type] = left_by_type.get(nodes[i].type, 0) + 1
    by_type = {t: sum(1 for i in ids if nodes[i].type == t) for t in VIEW_TYPES}
    by_type = {t: c for t, c in by_type.items() if c}
    # the labels drawn at any zoom: the best-connected nodes (most reports first in an overview)
    labelled = sorted(ids, key=lambda i: ((-n_reports[i] if overview and nodes[i].type != "Report" else 0),
                                          -deg[i], i))[:LABELS_AT_FIT]
    if len(report_ids) <= 20:  # a few reports: each is a landmark worth its name
        labelled = sorted(set(labelled) | {i for i in ids if nodes[i].type == "Report"})
    max_shared = max((n_reports[i] for i in ids if nodes[i].type != "Report"), default=1)
    if min_reports is None:
        min_reports = 2 if overview and max_shared >= 2 else 1
    page_title = title or f"知识图谱 · {_report_title(every, ix, report_ids)}"
    payload = {
        "title": page_title,
        "types": [
            {"key": t, "zh": type_labels[t][0], "en": type_labels[t][1], "shape": TYPE_STYLE[t][0],
             "color": TYPE_STYLE[t][1], "count": by_type.get(t, 0)}
            for t in wanted
        ],
        "reports": [{"id": r, "label": every[r].label, "year": _text(ix.get(every[r].term, GOVKG.year))}
                    for r in report_ids],
        "roles": {k: list(ix.term_label(GOVKG[k])) for k in _ROLES},
        "preds": {**pred_labels, **({_MENTION_KEY: pred_labels[_MENTIONED_IN]} if _MENTIONED_IN in pred_labels else {})},
        "predKeys": {_MENTION_KEY: _MENTIONED_IN},
        # what search needs at once; the panel's data is parsed on the first click
        "names": {i: [info[i]["label"], *info[i].get("aliases", ())] for i in ids},
        "labels": {o: every[o].label for o in sorted(x for x in others if x and x in every)},
        "typeOf": {o: every[o].type for o in sorted(x for x in others if x and x in every)},
        "hidden": sorted(x for x in others if x and x in left_set),
        "physics": physics,
        "overview": overview,
        "labelled": labelled,
        "minReports": max(1, min(int(min_reports), max_shared)),
        "maxShared": max_shared,
        "isolated": isolated,
        "unconnected": len(unconnected),
        "statisticsLeftOut": overview and not types and any(n.type == "Statistic" for n in every.values()),
        "leftOut": {"count": len(left), "total": total_nodes, "byType": left_by_type,
                    "examples": [nodes[i].label for i in left[:10]]},
    }
    stats = ViewStats(
        nodes=len(ids),
        edges=len(edges),
        total_nodes=total_nodes,
        total_edges=total_edges,
        left_out=len(left),
        by_type=by_type,
        left_out_by_type={t: left_by_type[t] for t in VIEW_TYPES if t in left_by_type},
        left_out_examples=tuple(nodes[i].label for i in left[:10]),
        reports=len(report_ids),
        physics=physics,
        unconnected=len(unconnected),
        overview=overview,
    )
    panel = {"info": info, "sentences": sentences.table}
    return _Page(vis_nodes, vis_edges, _options(physics, len(ids)), payload, stats, panel)


def _page_assets() -> dict[str, Any]:
    """The inlined scripts and styles of the page and the Content-Security-Policy that allows
    exactly those scripts (by hash) and no network access at all."""
    from markupsafe import Markup

    vis_js, vis_css = _vis_assets()
    app_js = (_VIEWER / "viewer.js").read_text(encoding="utf-8")
    app_css = (_VIEWER / "viewer.css").read_text(encoding="utf-8")
    scripts = [_check_inline(vis_js, "script", "vis-network.min.js"), _check_inline(app_js, "script", "viewer.js")]
    styles = [_check_inline(vis_css, "style", "vis-network.css"), _check_inline(app_css, "style", "viewer.css")]
    csp = ("default-src 'none'; script-src " + " ".join(_csp_hash(s) for s in scripts)
           + "; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    from .names import __version__

    return {"csp": csp, "version": __version__, "vis_css": Markup(styles[0]), "app_css": Markup(styles[1]),
            "vis_js": Markup(scripts[0]), "app_js": Markup(scripts[1])}


def _network_class() -> type:
    """:class:`pyvis.network.Network` with govkg's page: made on first use, because importing
    pyvis imports IPython (half a second), which ``govkg --help`` should not pay."""
    global _NETWORK_CLASS
    if _NETWORK_CLASS is not None:
        return _NETWORK_CLASS
    import jinja2
    from markupsafe import Markup
    from pyvis.network import Network

    class GovkgNetwork(Network):  # type: ignore[misc]
        """A pyvis Network rendered through govkg's template (``graph/viewer/template.html``).

        pyvis hands the template its nodes, edges and options, as for its own template; ours
        embeds them, with the panel data in :attr:`govkg`, as one JSON block escaped for HTML,
        and inlines vis-network from pyvis' package files, so the page needs no network.
        Change nodes, edges or options as with any pyvis Network, then :meth:`write_html` or
        :meth:`show` (in a notebook: ``net.show("view.html", notebook=True)``).
        """

        def __init__(self, payload: dict[str, Any], **kwargs: Any) -> None:
            kwargs.setdefault("directed", True)
            kwargs.setdefault("cdn_resources", "in_line")  # never copies lib/ next to the page
            super().__init__(**kwargs)
            self.govkg = payload
            self.set_template_dir(str(_VIEWER) + "/", "template.html")
            # autoescape: the title comes from a document
            self.templateEnv = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_VIEWER)), autoescape=True,
                                                  keep_trailing_newline=True)
            self.templateEnv.globals["govkg_data"] = self._data_json
            self.templateEnv.globals["govkg_assets"] = _page_assets
            self.templateEnv.globals["govkg_panel"] = lambda: Markup(json_for_html(self.govkg_panel))
            self.govkg_panel: dict[str, Any] = {"info": {}, "sentences": {}}

        def _data_json(self, nodes: list[dict[str, Any]], edges: list[dict[str, Any]], options: str) -> Markup:
            return Markup(json_for_html({**self.govkg, "nodes": nodes, "edges": edges,
                                         "options": json.loads(options)}))

        def generate_html(self, name: str = "index.html", local: bool = True, notebook: bool = False) -> str:
            # pyvis renders self.template in a notebook (its own page, prepared by prep_notebook);
            # ours is self-contained and works in the notebook's iframe as well
            return str(super().generate_html(name, local, notebook=False))

    _NETWORK_CLASS = GovkgNetwork
    return GovkgNetwork


_NETWORK_CLASS: type | None = None


def network(
    data: Graph,
    *,
    report: str | None = None,
    types: Sequence[str] | None = None,
    max_nodes: int | None = None,
    title: str | None = None,
    overview: bool | None = None,
    isolated: bool = False,
    min_reports: int | None = None,
) -> Any:
    """The view of a govkg graph as a :class:`pyvis.network.Network`, for notebooks.

    The arguments are those of :func:`render_view`. The Network holds the nodes, edges and
    vis-network options (change them as with any pyvis Network) and renders govkg's own page
    (search, filters, side panel): ``net.show("view.html", notebook=True)`` in Jupyter,
    ``net.write_html("view.html")`` anywhere; :attr:`govkg_stats` says what was left out.
    """
    with _no_gc():
        page = _prepare(data, report=report, types=types, max_nodes=max_nodes, title=title, overview=overview,
                        isolated=isolated, min_reports=min_reports)
    net = _network_class()(page.payload, heading=page.payload["title"], height="100%", width="100%")
    net.govkg_panel = page.panel
    for n in page.nodes:
        n = dict(n)
        net.add_node(n.pop("id"), label=n.pop("label"), shape=n.pop("shape"), color=n.pop("color"), **n)
    # Network.add_edge looks each end up in a list of node ids: 30,000 edges among 1,200
    # nodes would cost a second; the ends are known to be drawn, so append as it would
    from pyvis.edge import Edge

    known = set(net.get_nodes())
    for e in page.edges:
        e = dict(e)
        src, dst = e.pop("from"), e.pop("to")
        if src not in known or dst not in known:
            raise GovkgError(f"internal error: edge {src} -> {dst} has an end that is not drawn; please report it")
        net.edges.append(Edge(src, dst, net.directed, **e).options)
    net.options = page.options
    net.govkg_stats = page.stats
    return net


def render_view(
    data: Graph,
    *,
    report: str | None = None,
    types: Sequence[str] | None = None,
    max_nodes: int | None = None,
    title: str | None = None,
    overview: bool | None = None,
    isolated: bool = False,
    min_reports: int | None = None,
) -> tuple[str, ViewStats]:
    """The interactive view of a govkg graph as one self-contained HTML page.

    Args:
        data: an rdflib ``Dataset`` (one named graph per report, as ``govkg build`` writes
            ``graph.trig``) or a ``Graph`` holding their union. The ontology graph's triples are
            only read for the Chinese and English labels of classes, properties and roles.
        report: draw only this report's nodes: its file name (with or without ``.txt``),
            title, IRI, IRI tail or the start of its content hash.
        types: draw only these node types (names from :data:`VIEW_TYPES`, any case;
            comma-separated strings are split).
        max_nodes: keep the ``max_nodes`` best-connected nodes; the page and the returned
            stats say what was left out.
        title: page title; default from the report title or the number of reports.
        overview: draw the overview of a corpus: entities sized by the number of reports that
            mention them, linked to those reports, a "shared by at least N reports" control,
            statistics left out unless ``types`` names them, at most
            :data:`OVERVIEW_MAX_NODES` nodes unless ``max_nodes`` says otherwise. Default: for
            :data:`OVERVIEW_MIN_REPORTS` reports or more, and no ``report``.
        isolated: also draw nodes without any edge (left out by default: a dot without an
            edge says nothing a search would not).
        min_reports: the starting value of "shared by at least N reports" (default 2 in an
            overview, else 1).

    Returns:
        The HTML page, and :class:`ViewStats` about it.

    Raises:
        GovkgError: unknown report or type, ``max_nodes`` below 1, or nothing to draw.
    """
    net = network(data, report=report, types=types, max_nodes=max_nodes, title=title, overview=overview,
                  isolated=isolated, min_reports=min_reports)
    html = net.generate_html()
    stats = net.govkg_stats
    return html, ViewStats(**{**stats.__dict__, "html_bytes": len(html.encode("utf-8"))})


def _darker(hex_colour: str, f: float = 0.75) -> str:
    """The colour darkened by ``f``, for node borders.

    Examples:
        >>> _darker("#ffffff", 0.5)
        '#7f7f7f'
    """
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * f) for c in (r, g, b)))


def _options(physics: bool, n: int) -> dict[str, Any]:
    """vis-network options: frozen layout for large graphs, a short stabilisation for small."""
    big = not physics
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": _SEED},
        "nodes": {
            "font": {"size": 14, "face": _FONT, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1.5,
            "scaling": {"label": {"drawThreshold": 6}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#b5b5b5", "highlight": "#333333", "hover": "#666666", "inherit": False},
            "font": {"size": 10, "face": _FONT, "color": "#555555", "strokeWidth": 3,
                     "strokeColor": "#ffffff", "align": "middle"},
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "width": 1,
            "selectionWidth": 1.5,
        },
        "physics": {"enabled": False} if big else {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "centralGravity": 0.01,
                                 "springLength": 110, "springConstant": 0.06, "avoidOverlap": 0.5},
            "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 50, "fit": True},
            "minVelocity": 1,
        },
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "multiselect": False, "navigationButtons": False},
    }


def write_view(
    data: Graph,
    path: str | Path,
    *,
    report: str | None = None,
    types: Sequence[str] | None = None,
    max_nodes: int | None = None,
    title: str | None = None,
    overview: bool | None = None,
    isolated: bool = False,
    min_reports: int | None = None,
) -> ViewStats:
    """Render the view (see :func:`render_view`) and write it to ``path`` atomically."""
    from .publish import atomic_write

    html, stats = render_view(data, report=report, types=types, max_nodes=max_nodes, title=title,
                              overview=overview, isolated=isolated, min_reports=min_reports)
    target = Path(path)

    def write(tmp: Path) -> None:
        tmp.write_text(html, encoding="utf-8")

    atomic_write(target, write)
    return stats


#: How many entities the view of a large corpus shows, and how much provenance each brings.
CORPUS_VIEW_NODES = 1500
_CORPUS_REPORTS_PER_ENTITY = 8
_CORPUS_SENTENCES_PER_ENTITY = 6
#: The named graph :func:`dataset_from_store` puts its triples in (one graph, not a report's).
_CORPUS_VIEW_GRAPH = "urn:govkg:corpus-view"
#: What the view reads of the sentences and reports a store view brings along.
_SENTENCE_PREDS = (NIF.isString, NIF.beginIndex, GOVKG.report, GOVKG.role, GOVKG.heading)
_REPORT_PREDS = (RDF.type, DCTERMS.title, RDFS.label, GOVKG.year, GOVKG.sourceFile)
#: IRIs per SPARQL ``VALUES`` block.
_VALUES_CHUNK = 5000


class _LazyMemory(Memory):
    """rdflib's memory store, given its triples as a list and loading them on first use.

    :func:`dataset_from_store` hands ~100,000 triples to the Dataset it returns; adding them to
    rdflib's indexes one by one takes longer than drawing the whole page, and :func:`render_view`
    only needs them in a list (:class:`_Index` reads :meth:`pending`). Anything else that reads
    or changes the store through rdflib loads them first, so the Dataset behaves as any other.
    """

    _pending: list[tuple[Any, Any, Any, Graph]] | None = None

    def defer(self, quads: list[tuple[Any, Any, Any, Graph]]) -> None:
        """Hold ``quads`` ((s, p, o, graph) tuples, a graph of this store) until first use."""
        self._load()
        self._pending = quads

    def pending(self) -> list[tuple[Any, Any, Any, Graph]] | None:
        """The quads not loaded yet (the store then holds no other triple), or None."""
        return self._pending

    def _load(self) -> None:
        quads, self._pending = self._pending, None
        for s, p, o, g in quads or ():
            Memory.add(self, (s, p, o), g)


def _loading_first(name: str) -> Any:
    method = getattr(Memory, name)

    def call(self: _LazyMemory, *args: Any, **kwargs: Any) -> Any:
        self._load()
        return method(self, *args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = method.__doc__
    return call


# every method that reads or changes triples or graphs (namespace bindings need no triples)
for _name in ("add", "addN", "remove", "triples", "triples_choices", "__len__", "contexts", "add_graph",
              "remove_graph", "query", "update"):
    setattr(_LazyMemory, _name, _loading_first(_name))


def _deferred_quads(data: Any) -> list[tuple[Any, Any, Any, Graph]] | None:
    """The quads of a store view not yet loaded into rdflib (None for any other graph)."""
    store = getattr(data, "store", None)
    return store.pending() if isinstance(store, _LazyMemory) else None


def _values(iris: Iterable[Any]) -> str:
    return " ".join(f"<{x}>" for x in iris)


def _chunks(items: Sequence[Any], size: int = _VALUES_CHUNK) -> Iterable[Sequence[Any]]:
    """``items`` in slices short enough for one SPARQL ``VALUES`` block."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _top_entities(db: Any, limit: int) -> list[str]:
    """The ``limit`` entities named in the most reports (ties: IRI), counted in the store.

    Oxigraph counts per entity quickly but sorts IRIs slowly (each comparison decodes both), so
    one query finds the count of the last entity kept and a second one fetches every entity with
    at least that count; the tie-break by IRI happens here, on a few thousand strings.
    """
    if limit < 1:
        return []
    count = f"SELECT ?e (COUNT(*) AS ?c) WHERE {{ ?e <{GOVKG.mentionedIn}> ?r }} GROUP BY ?e"
    last = None
    for row in db.query(f"{count} ORDER BY DESC(?c) LIMIT {int(limit)}"):
        last = int(row[1].value)
    if last is None:
        return []
    counts = {row[0].value: int(row[1].value)
              for row in db.query(f"{count} HAVING (COUNT(*) >= {last})")}
    return sorted(counts, key=lambda e: (-counts[e], e))[:limit]


def dataset_from_store(store_dir: str | Path, *, max_nodes: int = CORPUS_VIEW_NODES) -> Dataset:
    """The part of a large store worth drawing, as an rdflib Dataset for :func:`render_view`.

    A corpus of thousands of reports names hundreds of thousands of things; no page can show
    them all. This takes the ``max_nodes`` entities named in the most reports (ties: IRI),
    what the store says about them (types, labels, literal properties) and the relations among
    them, and for each a few reports (the 8 largest report IRIs) and up to 6 sentences in those
    reports that name it, so the side panel still shows where each came from (the name marked
    in each from the entity's labels and aliases). Statistics are left out, and so are triples
    the view never reads (relations to entities left out, types of sentences). A relation
    assertion need not state its ``govkg:report``: the view takes the report of its sentence.

    The selection is a few set-at-a-time SPARQL queries, two at a time (Oxigraph lets go of
    the GIL while it evaluates); only counting the reports of every entity reads the whole of
    one predicate, so time and memory grow with the corpus no faster than that count. The
    triples go into one named graph, ``urn:govkg:corpus-view`` (the ontology into its own), and
    are handed to rdflib's memory store only when something other than :func:`render_view`
    reads the Dataset: loading ~100,000 triples into it takes longer than drawing the page.
    """
    from . import store as storage
    from .rdf import bind_prefixes

    lazy = _LazyMemory()
    ds = Dataset(store=lazy)
    bind_prefixes(ds)
    onto = ds.graph(ONTOLOGY_IRI)
    view = ds.graph(URIRef(_CORPUS_VIEW_GRAPH))
    db = storage.open_store(store_dir, read_only=True)
    try:
        quads = _read_store(db, int(max_nodes), view, onto)
    finally:
        del db  # closes the store
    # a triple may come twice (an entity that is also a report): rdflib keeps it once, the
    # view tolerates both
    lazy.defer(quads)
    return ds


def dataset_from_chunks(chunks: Iterable[tuple[str, bytes]], ontology: bytes) -> Dataset:
    """The report graphs of a small build, from their chunks (Turtle, the store's part of each
    report), and the ontology's, as an rdflib Dataset for :func:`render_view`.

    Oxigraph parses the chunks; the triples go to rdflib's memory store only when something
    other than :func:`render_view` reads the Dataset (as for :func:`dataset_from_store`):
    indexing ~450,000 triples of 200 reports one by one took 7 s, longer than drawing the page.
    """
    import pyoxigraph as ox

    from .rdf import OxToRdflib, bind_prefixes

    lazy = _LazyMemory()
    ds = Dataset(store=lazy)
    bind_prefixes(ds)
    conv = OxToRdflib()
    quads: list[tuple[Any, Any, Any, Graph]] = []
    for iri, turtle in [(str(ONTOLOGY_IRI), ontology), *chunks]:
        g = ds.graph(URIRef(iri))
        quads.extend((*conv.triple(t), g) for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    lazy.defer(quads)
    return ds


def _read_store(db: Any, max_nodes: int, view: Graph, onto: Graph) -> list[tuple[Any, Any, Any, Graph]]:
    """The quads :func:`dataset_from_store` draws from the open store ``db`` (none when no
    entity is named in a report).

    Two threads run the queries and only collect their solutions; this thread turns them into
    rdflib terms, once the last queries are under way (Python work in a query thread would
    stall the other one's hand-overs of the GIL).
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    import pyoxigraph as ox

    from .rdf import OxToRdflib

    top = _top_entities(db, max_nodes)
    if not top:
        return []

    def rows(query: str) -> list[Any]:
        return list(db.query(query))

    def halves(items: Sequence[Any]) -> list[Sequence[Any]]:
        """``items`` in two (or more) interleaved parts, one per thread: ``top`` runs from the
        entities named most to those named least, and their work with it."""
        n = max(2, -(-len(items) // _VALUES_CHUNK))
        return [part for part in (items[i::n] for i in range(n)) if part]

    def described(subjects: Sequence[str], preds: Sequence[Any]) -> list[str]:
        """Queries for ``preds`` of ``subjects``, two or more."""
        wanted = ", ".join(f"<{p}>" for p in preds)
        return [f"SELECT ?x ?p ?o WHERE {{ VALUES ?x {{ {_values(part)} }} ?x ?p ?o FILTER (?p IN ({wanted})) }}"
                for part in halves(subjects)]

    with ThreadPoolExecutor(max_workers=2) as pool:
        # 1. a few reports per entity, the largest report IRIs (one row per entity); then what the
        #    store says of the entities, but their mentions and reports
        reps: dict[str, list[str]] = {}
        for part in pool.map(rows, [f"""SELECT ?e (GROUP_CONCAT(STR(?r); separator=" ") AS ?rs)
                WHERE {{ VALUES ?e {{ {_values(part)} }} ?e <{GOVKG.mentionedIn}> ?r }} GROUP BY ?e"""
                                    for part in halves(top)]):
            for e, rs in part:
                reps[e.value] = sorted(rs.value.split(" "), reverse=True)[:_CORPUS_REPORTS_PER_ENTITY]
        reports = sorted({r for rs in reps.values() for r in rs})
        about_entities = [pool.submit(rows, f"""SELECT ?e ?p ?o WHERE {{ VALUES ?e {{ {_values(part)} }} ?e ?p ?o
                FILTER (?p NOT IN (<{GOVKG.mention}>, <{GOVKG.mentionedIn}>, <{GOVKG.sentence}>)) }}""") for part in halves(top)]
        about_reports = [pool.submit(rows, q) for q in described(reports, _REPORT_PREDS)]
        # 2. the sentences that name each entity in those reports, report by report until it
        #    has enough: one round of queries for every entity still short of them
        found: dict[str, list[str]] = defaultdict(list)
        short = [e for e in top if e in reps]
        for k in range(_CORPUS_REPORTS_PER_ENTITY):
            pairs = [(e, reps[e][k]) for e in short if k < len(reps[e])]
            queries = [f"""SELECT ?e ?s WHERE {{ VALUES (?e ?r) {{ {" ".join(f"(<{e}> <{r}>)" for e, r in part)} }}
                    GRAPH ?r {{ ?e <{GOVKG.sentence}> ?s }} }}""" for part in halves(pairs)]
            for part in pool.map(rows, queries):
                for e, s in part:
                    found[e.value].append(s.value)
            short = [e for e in short if len(found[e]) < _CORPUS_SENTENCES_PER_ENTITY]
        chosen = {e: sorted(set(found.get(e, ())))[:_CORPUS_SENTENCES_PER_ENTITY] for e in top}
        sentences = sorted({s for ss in chosen.values() for s in ss})
        # 3. what the view reads of those sentences
        about_rest: list[Future[list[Any]]] = [pool.submit(rows, q) for q in described(sentences, _SENTENCE_PREDS)]
        term = OxToRdflib()
        iri = term.iri
        quads: list[tuple[Any, Any, Any, Graph]] = []
        top_set = set(top)
        for f in about_entities:  # of relations, those among the entities drawn
            quads += [(iri(e.value), iri(p.value), term(o), view) for e, p, o in f.result()
                      if type(o) is not ox.NamedNode or p.value == _TYPE or o.value in top_set]
        mentioned_in, sentence_p = iri(str(GOVKG.mentionedIn)), iri(str(GOVKG.sentence))
        for e in top:
            quads += [(iri(e), mentioned_in, iri(r), view) for r in reps.get(e, ())]
            quads += [(iri(e), sentence_p, iri(s), view) for s in chosen[e]]
        for f in about_reports + about_rest:
            quads += [(iri(x.value), iri(p.value), term(o), view) for x, p, o in f.result()]
    for q in db.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_IRI))):
        quads.append((term(q.subject), term(q.predicate), term(q.object), onto))
    return quads
