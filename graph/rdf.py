"""Extractions -> RDF. The only place where IRIs are minted.

Each report's facts go into a named graph whose name is the report's IRI; the ontology goes
into a graph of its own. Relations are direct triples between entity nodes (``?agency
govkg:implements ?policy`` needs no hops); the evidence for each (sentence, offsets, component)
is a reified ``govkg:RelationAssertion`` beside it. IRIs come from content hashes and keys only,
so the same input always gives the same IRIs and triples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from .model import Extraction
from .vocab import DEFAULT_BASE, ELI, GOVKG, NIF, ONTOLOGY_IRI, QB, ontology_dir

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = [
    "Triple",
    "iri_for_key",
    "report_iri",
    "report_triples",
    "report_quads",
    "report_ox_triples",
    "to_dataset",
    "load_ontology",
    "bind_prefixes",
    "ROLE",
    "PREDICATE",
    "TYPE",
    "OxToRdflib",
]

Triple = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]

TYPE = {t: GOVKG[t] for t in ("Agency", "Law", "Policy", "Initiative", "Place")}
ROLE = {"achievement": GOVKG.achievement, "problem": GOVKG.problem, "plan": GOVKG.plan}
PREDICATE = {
    "issues": GOVKG.issues,
    "implements": GOVKG.implements,
    "organizes": GOVKG.organizes,
    "promotes": GOVKG.promotes,
    "concerns": GOVKG.concerns,
    "basedOn": GOVKG.basedOn,
    "locatedIn": GOVKG.locatedIn,
    "extendsTo": GOVKG.extendsTo,
    "jurisdiction": GOVKG.jurisdiction,
    "subOrganizationOf": ORG.subOrganizationOf,
}
_ATTR = {
    "code": (GOVKG.divisionCode, None),
    "level": (GOVKG.divisionLevel, None),
    "category": (GOVKG.lawCategory, None),
    "date": (ELI.date_document, XSD.date),
    "kind": (GOVKG.agencyKind, None),
    "scope": (GOVKG.scope, None),
}
# characters kept as they are in an IRI path segment: unreserved ASCII and all of Unicode
# above ASCII (RFC 3987 ucschar); everything else is percent-encoded
_IRI_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0010ffff]")


_PCT = re.compile(r"%[0-9A-Fa-f]{2}")


def _invisible(c: str) -> bool:
    """White space, controls and format characters: never left raw in an IRI."""
    import unicodedata

    return c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn", "Cs")


def _segment(s: str) -> str:
    """Percent-encode what may not stand in an IRI path segment; keep existing %XX escapes."""
    s = "".join(c if not _invisible(c) else f"%{ord(c):02X}" if ord(c) < 0x80 else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in s)
    parts = _PCT.split(s)
    escapes = _PCT.findall(s)
    out = [_IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), p) for p in parts]
    return "".join(x + y for x, y in zip(out, escapes + [""]))


def iri_for_key(key: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of an entity key: each path segment kept readable, unsafe characters encoded.

    Examples:
        >>> str(iri_for_key("agency/监利市司法局", "https://example.org/id/"))
        'https://example.org/id/agency/监利市司法局'
        >>> str(iri_for_key("law/x/a b(1)", "https://example.org/id/"))
        'https://example.org/id/law/x/a%20b%281%29'
    """
    return URIRef(base + "/".join(_segment(p) for p in key.split("/")))


def report_iri(ex: Extraction, base: str = DEFAULT_BASE) -> URIRef:
    """A report's IRI (also its named graph's name), from the hash of its content."""
    return URIRef(f"{base}report/{ex.document.content_hash[:16]}")


def _zh(s: str) -> Literal:
    return Literal(s, lang="zh")


def _fmt(value: Decimal) -> str:
    """A decimal as people write it: 12690000, 99.3 (no exponent, no trailing zeros)."""
    s = format(value, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def _label(value: Decimal, unit: str, measure: str) -> str:
    return f"{measure} {_fmt(value)}{unit}"


class _Terms:
    """Makes RDF terms for :func:`_report_terms`: rdflib terms, or pyoxigraph terms.

    The triple logic is written once; pyoxigraph's terms are about ten times cheaper to make
    than rdflib's (literals especially), which matters for corpus builds, while users and
    pyshacl get rdflib terms.
    """

    def __init__(self, oxigraph: bool) -> None:
        self.ox = oxigraph
        self._iris: dict[str, object] = {}
        if oxigraph:
            import pyoxigraph as ox

            self._mod = ox
            self._t = ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean)))

    def iri(self, value: str) -> object:
        n = self._iris.get(value)
        if n is None:
            n = self._mod.NamedNode(value) if self.ox else URIRef(value)
            self._iris[value] = n
        return n

    def zh(self, value: str) -> object:
        return self._mod.Literal(value, language="zh") if self.ox else Literal(value, lang="zh")

    def plain(self, value: str) -> object:
        return self._mod.Literal(value) if self.ox else Literal(value)

    def integer(self, value: int) -> object:
        return self._mod.Literal(value) if self.ox else Literal(value)

    def typed(self, value: str, datatype: URIRef) -> object:
        if self.ox:
            # iri() makes an ox.NamedNode when self.ox
            return self._mod.Literal(value, datatype=cast("ox.NamedNode", self.iri(str(datatype))))
        return Literal(value, datatype=datatype)

    def true(self) -> object:
        return self._t if self.ox else Literal(True)


def report_triples(ex: Extraction, base: str = DEFAULT_BASE) -> Iterator[Triple]:
    """All triples of one report's named graph, as rdflib terms."""
    return _report_terms(ex, base, _Terms(False))  # type: ignore[return-value]


def report_quads(ex: Extraction, base: str = DEFAULT_BASE) -> list:  # list[pyoxigraph.Quad]
    """All quads of one report's named graph (graph name: the report IRI), as pyoxigraph terms."""
    import pyoxigraph as ox

    terms = _Terms(True)
    g = terms.iri(str(report_iri(ex, base)))
    return [ox.Quad(s, p, o, g) for s, p, o in _report_terms(ex, base, terms)]  # type: ignore[arg-type]


def report_ox_triples(ex: Extraction, base: str = DEFAULT_BASE) -> list:  # list[pyoxigraph.Triple]
    """All triples of one report's named graph, as pyoxigraph terms (for serialising a chunk)."""
    import pyoxigraph as ox

    return [ox.Triple(s, p, o) for s, p, o in _report_terms(ex, base, _Terms(True))]  # type: ignore[arg-type]


def _report_terms(ex: Extraction, base: str, t: _Terms) -> Iterator[tuple[object, object, object]]:
    doc, meta = ex.document, ex.document.meta
    rep_s = str(report_iri(ex, base))
    rep = t.iri(rep_s)
    keyiri = {e.key: t.iri(str(iri_for_key(e.key, base))) for e in ex.entities}
    iri = t.iri
    a, label, zh = iri(str(RDF.type)), iri(str(RDFS.label)), t.zh
    g_report, g_sentence, g_extracted = iri(GOVKG.report), iri(GOVKG.sentence), iri(GOVKG.extractedBy)
    begin, endi = iri(str(NIF.beginIndex)), iri(str(NIF.endIndex))

    # -- the report
    yield rep, a, iri(GOVKG.Report)
    if meta.title:
        yield rep, iri(str(DCTERMS.title)), zh(meta.title)
        yield rep, label, zh(meta.title)
    if ex.issuer:
        yield rep, iri(str(DCTERMS.creator)), keyiri[ex.issuer]
    if ex.locality:
        yield rep, iri(GOVKG.locality), keyiri[ex.locality]
    if meta.year:
        yield rep, iri(GOVKG.year), t.typed(str(meta.year), XSD.gYear)
    if meta.report_date:
        yield rep, iri(str(DCTERMS.date)), t.typed(meta.report_date, XSD.date)
    if meta.published:
        yield rep, iri(str(DCTERMS.issued)), t.typed(meta.published, XSD.date)
    if meta.source:
        yield rep, iri(str(DCTERMS.source)), zh(meta.source)
    yield rep, iri(GOVKG.contentHash), t.plain(doc.content_hash)
    yield rep, iri(GOVKG.sourceFile), t.plain(doc.name)
    yield rep, iri(GOVKG.encoding), t.plain(doc.encoding)
    yield rep, iri(str(DCTERMS.format)), t.plain(doc.format)

    # -- sentences (those that carry something, and the headings)
    sent_iri = [iri(f"{rep_s}/s{s.index}") for s in ex.sentences]
    used = {m.sentence for m in ex.mentions} | {r.sentence for r in ex.relations if r.sentence is not None}
    used |= {x.sentence for x in ex.statistics}
    role_p, index_p, string_p = iri(GOVKG.role), iri(GOVKG.sentenceIndex), iri(str(NIF.isString))
    for s in ex.sentences:
        if s.index not in used and not s.heading:
            continue
        n = sent_iri[s.index]
        yield n, a, iri(GOVKG.Sentence)
        yield n, string_p, zh(s.text)
        yield n, begin, t.integer(s.start)
        yield n, endi, t.integer(s.end)
        yield n, index_p, t.integer(s.index)
        yield n, role_p, iri(ROLE[s.role])
        yield n, g_report, rep
        if s.heading:
            yield n, iri(GOVKG.heading), t.true()

    # -- entities and their mentions
    alt, mentioned, mention_p, anchor = iri(str(SKOS.altLabel)), iri(GOVKG.mentionedIn), iri(GOVKG.mention), iri(str(NIF.anchorOf))
    mention_cls = iri(GOVKG.Mention)

    def anchored(node: object, text: str, start: int, end: int, sentence: object) -> Iterator[tuple[object, object, object]]:
        """The NIF anchor of a mention or statistic: its text, offsets, sentence and report."""
        yield node, a, mention_cls
        yield node, anchor, zh(text)
        yield node, begin, t.integer(start)
        yield node, endi, t.integer(end)
        yield node, g_sentence, sentence
        yield node, g_report, rep
    for e in ex.entities:
        n = keyiri[e.key]
        yield n, a, iri(TYPE[e.type])
        yield n, label, zh(e.label)
        for al in e.aliases:
            yield n, alt, zh(al)
        yield n, mentioned, rep
        for k, v in e.attrs:
            if k in _ATTR:
                pred, dt = _ATTR[k]
                yield n, iri(str(pred)), t.typed(v, dt) if dt else t.plain(v)
        for i in e.mentions:
            m = ex.mentions[i]
            mn = iri(f"{rep_s}/m{m.start}-{m.end}-{m.type[0].lower()}")
            yield n, mention_p, mn
            yield from anchored(mn, m.text, m.start, m.end, sent_iri[m.sentence])
            yield mn, g_extracted, t.plain(m.component)

    # -- relations: the direct triple, and its evidence beside it
    assertion = iri(GOVKG.RelationAssertion)
    subj, pred_p, obj = iri(str(RDF.subject)), iri(str(RDF.predicate)), iri(str(RDF.object))
    for j, r in enumerate(ex.relations):
        rs, ro, rp = keyiri[r.subject], keyiri[r.object], iri(str(PREDICATE[r.predicate]))
        yield rs, rp, ro
        an = iri(f"{rep_s}/r{j}")
        yield an, a, assertion
        yield an, subj, rs
        yield an, pred_p, rp
        yield an, obj, ro
        yield an, g_report, rep
        yield an, g_extracted, t.plain(r.component)
        if r.sentence is not None:
            yield an, g_sentence, sent_iri[r.sentence]
        if r.start is not None and r.end is not None:
            yield an, begin, t.integer(r.start)
            yield an, endi, t.integer(r.end)

    # -- statistics, as observations of a per-report data set
    ds = iri(f"{rep_s}/statistics")
    if ex.statistics:
        yield ds, a, iri(str(QB.DataSet))
        yield ds, iri(str(QB.structure)), iri(GOVKG.StatisticStructure)
        yield ds, g_report, rep
        yield ds, label, zh(f"{meta.title or doc.name} 统计数据")
    stat_cls, dataset_p = iri(GOVKG.Statistic), iri(str(QB.dataSet))
    value_p, unit_p, measure_p, surface_p = iri(GOVKG.value), iri(GOVKG.unit), iri(GOVKG.measure), iri(GOVKG.surface)
    for x in ex.statistics:
        n = iri(f"{rep_s}/stat{x.index}")
        yield n, a, stat_cls
        yield n, label, zh(_label(x.value, x.unit, x.measure))
        yield n, dataset_p, ds
        yield n, value_p, t.typed(_fmt(x.value), XSD.decimal)
        yield n, unit_p, zh(x.unit)
        yield n, measure_p, zh(x.measure)
        yield n, surface_p, zh(x.text)
        if x.year:
            yield n, iri(GOVKG.year), t.typed(str(x.year), XSD.gYear)
        if x.about:
            yield n, iri(GOVKG.about), keyiri[x.about]
        if x.approximate:
            yield n, iri(GOVKG.approximate), t.true()
        yield n, g_report, rep
        yield n, g_sentence, sent_iri[x.sentence]
        yield n, g_extracted, t.plain(x.component)
        an = iri(f"{rep_s}/stat{x.index}/anchor")
        yield n, mention_p, an
        yield from anchored(an, x.text, x.start, x.end, sent_iri[x.sentence])


def bind_prefixes(g: Graph) -> None:
    """Bind the prefixes govkg output uses, for readable Turtle and TriG."""
    g.bind("govkg", GOVKG._NS)
    g.bind("eli", ELI)
    g.bind("nif", NIF)
    g.bind("qb", QB)
    g.bind("org", ORG)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("prov", "http://www.w3.org/ns/prov#")


def load_ontology() -> Graph:
    """The govkg ontology (``ontology/govkg.ttl``) as an rdflib graph."""
    g = Graph()
    g.parse(ontology_dir() / "govkg.ttl", format="turtle")
    return g


def to_dataset(
    extractions: Iterable[Extraction], base: str = DEFAULT_BASE, *, ontology: bool = True
) -> Dataset:
    """An rdflib Dataset: one named graph per report, and the ontology in a graph of its own."""
    ds = Dataset()
    bind_prefixes(ds)
    if ontology:
        og = ds.graph(ONTOLOGY_IRI)
        for t in load_ontology():
            og.add(t)
    for ex in extractions:
        g = ds.graph(report_iri(ex, base))
        for t in report_triples(ex, base):
            g.add(t)
    return ds


class OxToRdflib:
    """pyoxigraph terms -> rdflib terms (plain strings stay plain literals)."""

    _XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

    def __init__(self) -> None:
        self._iris: dict[str, URIRef] = {}

    def term(self, t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> URIRef | BNode | Literal:
        import pyoxigraph as ox

        if isinstance(t, ox.NamedNode):
            u = self._iris.get(t.value)
            if u is None:
                u = self._iris[t.value] = URIRef(t.value)
            return u
        if isinstance(t, ox.Literal):
            if t.language:
                return Literal(t.value, lang=t.language)
            if t.datatype.value == self._XSD_STRING:
                return Literal(t.value)
            return Literal(t.value, datatype=URIRef(t.datatype.value))
        # the stubs allow RDF-star triples as terms; our graphs have none
        return BNode(t.value)  # type: ignore[union-attr]

    def triple(self, t: ox.Triple | ox.Quad) -> tuple[URIRef | BNode | Literal, URIRef | BNode | Literal,
                                                    URIRef | BNode | Literal]:
        return self.term(t.subject), self.term(t.predicate), self.term(t.object)
