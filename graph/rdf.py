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

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from .model import Extraction
from .vocab import DEFAULT_BASE, ELI, GOVKG, NIF, ONTOLOGY_IRI, QB, ontology_dir

__all__ = [
    "Triple",
    "iri_for_key",
    "report_iri",
    "report_triples",
    "to_dataset",
    "load_ontology",
    "bind_prefixes",
    "ROLE",
    "PREDICATE",
    "TYPE",
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


def _segment(s: str) -> str:
    return _IRI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), s)


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


def report_triples(ex: Extraction, base: str = DEFAULT_BASE) -> Iterator[Triple]:
    """All triples of one report's named graph."""
    doc, meta = ex.document, ex.document.meta
    rep = report_iri(ex, base)
    keyiri = {e.key: iri_for_key(e.key, base) for e in ex.entities}

    # -- the report
    yield rep, RDF.type, GOVKG.Report
    if meta.title:
        yield rep, DCTERMS.title, _zh(meta.title)
        yield rep, RDFS.label, _zh(meta.title)
    if ex.issuer:
        yield rep, DCTERMS.creator, keyiri[ex.issuer]
    if ex.locality:
        yield rep, GOVKG.locality, keyiri[ex.locality]
    if meta.year:
        yield rep, GOVKG.year, Literal(str(meta.year), datatype=XSD.gYear)
    if meta.report_date:
        yield rep, DCTERMS.date, Literal(meta.report_date, datatype=XSD.date)
    if meta.published:
        yield rep, DCTERMS.issued, Literal(meta.published, datatype=XSD.date)
    if meta.source:
        yield rep, DCTERMS.source, _zh(meta.source)
    yield rep, GOVKG.contentHash, Literal(doc.content_hash)
    yield rep, GOVKG.sourceFile, Literal(doc.name)
    yield rep, GOVKG.encoding, Literal(doc.encoding)
    yield rep, DCTERMS.format, Literal(doc.format)

    # -- sentences
    sent_iri = [URIRef(f"{rep}/s{s.index}") for s in ex.sentences]
    used_sentences = {m.sentence for m in ex.mentions} | {r.sentence for r in ex.relations if r.sentence is not None}
    used_sentences |= {s.sentence for s in ex.statistics}
    for s in ex.sentences:
        if s.index not in used_sentences and not s.heading:
            continue
        n = sent_iri[s.index]
        yield n, RDF.type, GOVKG.Sentence
        yield n, NIF.isString, _zh(s.text)
        yield n, NIF.beginIndex, Literal(s.start)
        yield n, NIF.endIndex, Literal(s.end)
        yield n, GOVKG.sentenceIndex, Literal(s.index)
        yield n, GOVKG.role, ROLE[s.role]
        yield n, GOVKG.report, rep
        if s.heading:
            yield n, GOVKG.heading, Literal(True)

    # -- entities and their mentions
    mention_iri: dict[int, URIRef] = {}
    for i, m in enumerate(ex.mentions):
        mention_iri[i] = URIRef(f"{rep}/m{m.start}-{m.end}-{m.type[0].lower()}")
    for e in ex.entities:
        n = keyiri[e.key]
        yield n, RDF.type, TYPE[e.type]
        yield n, RDFS.label, _zh(e.label)
        for a in e.aliases:
            yield n, SKOS.altLabel, _zh(a)
        yield n, GOVKG.mentionedIn, rep
        for k, v in e.attrs:
            if k in _ATTR:
                pred, dt = _ATTR[k]
                yield n, pred, Literal(v, datatype=dt) if dt else Literal(v)
        for i in e.mentions:
            m = ex.mentions[i]
            mn = mention_iri[i]
            yield n, GOVKG.mention, mn
            yield mn, RDF.type, GOVKG.Mention
            yield mn, NIF.anchorOf, _zh(m.text)
            yield mn, NIF.beginIndex, Literal(m.start)
            yield mn, NIF.endIndex, Literal(m.end)
            yield mn, GOVKG.sentence, sent_iri[m.sentence]
            yield mn, GOVKG.report, rep
            yield mn, GOVKG.extractedBy, Literal(m.component)

    # -- relations: the direct triple, and its evidence beside it
    for k, r in enumerate(ex.relations):
        s, o, p = keyiri[r.subject], keyiri[r.object], PREDICATE[r.predicate]
        yield s, p, o
        a = URIRef(f"{rep}/r{k}")
        yield a, RDF.type, GOVKG.RelationAssertion
        yield a, RDF.subject, s
        yield a, RDF.predicate, p
        yield a, RDF.object, o
        yield a, GOVKG.report, rep
        yield a, GOVKG.extractedBy, Literal(r.component)
        if r.sentence is not None:
            yield a, GOVKG.sentence, sent_iri[r.sentence]
        if r.start is not None and r.end is not None:
            yield a, NIF.beginIndex, Literal(r.start)
            yield a, NIF.endIndex, Literal(r.end)

    # -- statistics, as observations of a per-report data set
    if ex.statistics:
        ds = URIRef(f"{rep}/statistics")
        yield ds, RDF.type, QB.DataSet
        yield ds, QB.structure, GOVKG.StatisticStructure
        yield ds, GOVKG.report, rep
        yield ds, RDFS.label, _zh(f"{meta.title or doc.name} 统计数据")
    for x in ex.statistics:
        n = URIRef(f"{rep}/stat{x.index}")
        yield n, RDF.type, GOVKG.Statistic
        yield n, RDFS.label, _zh(_label(x.value, x.unit, x.measure))
        yield n, QB.dataSet, ds
        yield n, GOVKG.value, Literal(x.value, datatype=XSD.decimal)
        yield n, GOVKG.unit, _zh(x.unit)
        yield n, GOVKG.measure, _zh(x.measure)
        yield n, GOVKG.surface, _zh(x.text)
        if x.year:
            yield n, GOVKG.year, Literal(str(x.year), datatype=XSD.gYear)
        if x.about:
            yield n, GOVKG.about, keyiri[x.about]
        if x.approximate:
            yield n, GOVKG.approximate, Literal(True)
        yield n, GOVKG.report, rep
        yield n, GOVKG.sentence, sent_iri[x.sentence]
        yield n, GOVKG.extractedBy, Literal(x.component)
        anchor = URIRef(f"{n}/anchor")
        yield n, GOVKG.mention, anchor
        yield anchor, RDF.type, GOVKG.Mention
        yield anchor, NIF.anchorOf, _zh(x.text)
        yield anchor, NIF.beginIndex, Literal(x.start)
        yield anchor, NIF.endIndex, Literal(x.end)
        yield anchor, GOVKG.sentence, sent_iri[x.sentence]
        yield anchor, GOVKG.report, rep


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
