"""Extractions -> RDF. The only place where IRIs are minted.

Each report's facts go into a named graph whose name is the report's IRI; the ontology goes
into a graph of its own. Relations are direct triples between entity nodes (``?agency
govkg:implements ?policy`` needs no hops); the evidence for each (sentence, offsets, component)
is a reified ``govkg:RelationAssertion`` beside it. IRIs come from content hashes and keys only,
so the same input always gives the same IRIs and triples.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from .model import Extraction
from .vocab import DEFAULT_BASE, ELI, GOVKG, NIF, ONTOLOGY_IRI, PREFIXES, QB, ontology_dir

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = [
    "Triple",
    "iri_for_key",
    "report_iri",
    "report_triples",
    "report_quads",
    "report_ox_triples",
    "report_turtle",
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
    "ledBy": GOVKG.ledBy,
    "guidedBy": GOVKG.guidedBy,
    "reportsTo": GOVKG.reportsTo,
    "worksWith": GOVKG.worksWith,
    "hosts": GOVKG.hosts,
    "establishes": GOVKG.establishes,
    "participatesIn": GOVKG.participatesIn,
    "receives": GOVKG.receives,
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
# segments made of these only are left as they are (a fast path: most keys are plain Chinese)
_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9\-._~\u4e00-\u9fef]*")


def _invisible(c: str) -> bool:
    """White space, controls and format characters: never left raw in an IRI."""
    return c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn", "Cs")


def _segment(s: str) -> str:
    """Percent-encode what may not stand in an IRI path segment; keep existing %XX escapes."""
    if _PLAIN_SEGMENT.fullmatch(s):
        return s
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
    return URIRef(_key_iri(key, base))


def _key_iri(key: str, base: str) -> str:
    """:func:`iri_for_key` as a plain string (no rdflib term on the way)."""
    return base + "/".join(map(_segment, key.split("/")))


def report_iri(ex: Extraction, base: str = DEFAULT_BASE) -> URIRef:
    """A report's IRI (also its named graph's name), from the hash of its content."""
    return URIRef(f"{base}report/{ex.document.content_hash[:16]}")


def _zh(s: str) -> Literal:
    return Literal(s, lang="zh")


def _fmt(value: Decimal) -> str:
    """A decimal as people write it: 12690000, 99.3 (no exponent, no trailing zeros)."""
    s = format(value, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def _label(value: str, unit: str, measure: str) -> str:
    """A statistic's label, from its value as :func:`_fmt` writes it."""
    return f"{measure} {value}{unit}"


class _Terms:
    """Makes RDF terms for :func:`_report_terms`: rdflib terms, or pyoxigraph terms (or, with
    :class:`_TurtleTerms`, Turtle term strings).

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


# -- Turtle written directly -------------------------------------------------------------------

# what a Turtle "..." literal may not hold raw (the quote, backslash and line breaks), and the
# other controls, escaped too so that a chunk stays plain text; the rest of Unicode stays raw
_LITERAL_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\]')
_LITERAL_ESCAPES: dict[int, str] = {
    **{c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
    ord('"'): '\\"', ord("\\"): "\\\\", ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
}
# what may not stand in a Turtle IRIREF (<...>)
_IRIREF_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# the same two sets as bytes, to test many strings at once: all are ASCII, and UTF-8 writes
# every other character with bytes >= 0x80 only, so a test on the UTF-8 bytes is exact
_LITERAL_UNSAFE_BYTES = bytes(range(0x20)) + b'\x7f"\\'
_IRIREF_UNSAFE_BYTES = bytes(range(0x21)) + b'<>"{}|^`\\'
# an IRI in a PREFIXES namespace (longest first: the most specific wins) whose rest is a plain
# local name, written prefix:local; a safe subset of Turtle's PN_LOCAL (no dots, no escapes)
_PREFIX_OF = {ns: p for p, ns in PREFIXES.items()}
_PREFIXED = re.compile(
    "(" + "|".join(re.escape(ns) for ns in sorted(_PREFIX_OF, key=len, reverse=True)) + ")([A-Za-z_][A-Za-z0-9_-]*)"
)
# xsd:decimal lexical forms that Turtle's decimal shorthand (12.5) reads back as they are
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")
# the @prefix lines of every chunk: all of PREFIXES, sorted (byte order), one per line
_TURTLE_PREFIXES = "".join(sorted((f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()),
                                  key=lambda line: line.encode("utf-8")))


def _has_any(strings: list[str], unsafe: bytes) -> bool:
    """Whether any of ``strings`` holds one of the ASCII characters ``unsafe`` (one pass in C)."""
    data = "".join(strings).encode("utf-8")
    return len(data.translate(None, unsafe)) != len(data)


def _escaped(value: str) -> str:
    """A string as the body of a Turtle ``"..."`` literal (translated only when it needs it)."""
    return value.translate(_LITERAL_ESCAPES) if _LITERAL_UNSAFE.search(value) else value


class _TurtleTerms(_Terms):
    """The third kind of :class:`_Terms`: Turtle term strings (``govkg:Report``, ``<iri>``,
    ``"..."@zh``, ``42``, ``12.5``, ``"2021"^^xsd:gYear``, ``true``), for writing a chunk as
    text with no term objects in between. Equal terms give equal strings, so the strings
    compare (and deduplicate) as the terms do.

    The checks are made once for all the terms of a report, not term by term (that is most of
    the cost of a term): IRIs written as ``<...>`` are checked by :meth:`check_iris`; with
    ``escape=False`` literals are written as they are and :meth:`need_escaping` says whether
    one of them needed escaping after all (then make the terms again with ``escape=True``,
    which escapes each literal that needs it).
    """

    def __init__(self, escape: bool = False) -> None:
        super().__init__(False)
        self.escape = escape
        self._names: dict[str, str] = {}
        self._datatypes: dict[str, str] = {}
        self._full: list[str] = []  # IRIs written as <...>
        self._raw: list[str] = []  # literal values written unescaped
        self._keep = self._raw.append

    def iri(self, value: str) -> str:
        n = self._names.get(value)
        if n is None:
            value = str(value)  # a URIRef stays a URIRef through "+" (and is unequal to a str)
            m = _PREFIXED.fullmatch(value)
            if m:
                n = f"{_PREFIX_OF[m[1]]}:{m[2]}"
            else:
                self._full.append(value)
                n = f"<{value}>"
            self._names[value] = n
        return n

    def check_iris(self) -> None:
        """Raise ValueError if an IRI written as ``<...>`` holds a character Turtle forbids there."""
        if _has_any(self._full, _IRIREF_UNSAFE_BYTES):
            bad = next(v for v in self._full if _IRIREF_UNSAFE.search(v))
            raise ValueError(f"IRI not writable in Turtle: {bad!r}")

    def need_escaping(self) -> bool:
        """Whether a literal written unescaped (``escape=False``) needed escaping."""
        return _has_any(self._raw, _LITERAL_UNSAFE_BYTES)

    # the literals (the same test in each: a call less per literal, and there are thousands)

    def zh(self, value: str) -> str:
        if self.escape:
            return f'"{_escaped(value)}"@zh'
        self._keep(value)
        return f'"{value}"@zh'

    def plain(self, value: str) -> str:
        if self.escape:
            return f'"{_escaped(value)}"'
        self._keep(value)
        return f'"{value}"'

    def integer(self, value: int) -> str:
        # Turtle's integer shorthand is xsd:integer, as Literal(int) is in rdflib and pyoxigraph
        return str(value)

    def typed(self, value: str, datatype: URIRef) -> str:
        dt = self._datatypes.get(datatype)
        if dt is None:
            dt = self._datatypes[datatype] = "^^" + self.iri(str(datatype))
        if dt == "^^xsd:decimal" and _DECIMAL.fullmatch(value):
            return value  # 12.5, as pyoxigraph writes it ("12" must stay typed: it would be an integer)
        if self.escape:
            return f'"{_escaped(value)}"{dt}'
        self._keep(value)
        return f'"{value}"{dt}'

    def true(self) -> str:
        return "true"


def report_turtle(ex: Extraction, base: str = DEFAULT_BASE, *, store: bool = False) -> tuple[bytes, int]:
    """One report's named graph as Turtle (UTF-8) and its number of triples.

    With ``store``, the part the SPARQL store holds (see :func:`report_triples`).

    The same triples as :func:`report_triples` and :func:`report_ox_triples`, written straight
    from strings: making ~4,500 pyoxigraph terms and serialising them costs three to four times
    more. The bytes are a chunk: the ``@prefix`` lines of all of ``PREFIXES`` (sorted) first and
    nowhere else, then the triples grouped by subject, with no blank nodes and no ``@base``,
    so the body can also stand in a TriG graph block or be concatenated with other bodies.
    A triple found twice (a relation read from two sentences) is written once, and counted
    once. The same extraction always gives the same bytes.

    Raises:
        ValueError: an IRI holds a character that may not stand in a Turtle IRI (``base``).
    """
    # dict.fromkeys: the distinct triples in first-seen order, deduplicated without a Python loop
    terms = _TurtleTerms(escape=False)
    triples = dict.fromkeys(cast("Iterator[tuple[str, str, str]]", _report_terms(ex, base, terms, store)))
    if terms.need_escaping():  # a quote, backslash or control character in some text: rare
        terms = _TurtleTerms(escape=True)
        triples = dict.fromkeys(cast("Iterator[tuple[str, str, str]]", _report_terms(ex, base, terms, store)))
    terms.check_iris()
    out = [_TURTLE_PREFIXES]
    put = out.append
    last_s = last_p = ""
    rdf_type = "rdf:type"
    for s, p, o in triples:
        if s == last_s:
            if p == last_p:  # same subject and predicate: another object
                put(" , ")
            else:
                put(" ;\n\t")
                put("a" if p == rdf_type else p)
                put(" ")
        else:  # a new subject block (a subject may have several, as _report_terms goes)
            if last_s:
                put(" .\n")
            put(s)
            put(" ")
            put("a" if p == rdf_type else p)
            put(" ")
            last_s = s
        put(o)
        last_p = p
    put(" .\n")
    return "".join(out).encode("utf-8"), len(triples)


def report_triples(ex: Extraction, base: str = DEFAULT_BASE, *, store: bool = False) -> Iterator[Triple]:
    """All triples of one report's named graph, as rdflib terms.

    The files (``graph.trig``, ``graph.ttl``) get all of them: the full record. With ``store``,
    only what questions ask, which the SPARQL store holds: everything but the mention nodes
    (one NIF anchor per occurrence of a name, with its text and offsets: more than a third of a
    report's triples), the anchors of statistics, the offsets of relation assertions and the
    ``govkg:extractedBy`` provenance that only debugging needs, and what is derived from other
    triples: a sentence's index, end offset and type (RDFS gives it: the range of
    ``govkg:sentence``), the sentences that state nothing, a statistic's data set, label and
    year (its report's). Each entity keeps one ``govkg:sentence`` link to each sentence that
    names it (in both), which is what the view and the questions read; a name in a sentence is
    found again from the entity's labels and aliases.
    """
    return _report_terms(ex, base, _Terms(False), store)  # type: ignore[return-value]


def report_quads(ex: Extraction, base: str = DEFAULT_BASE, *, store: bool = False) -> list:  # list[pyoxigraph.Quad]
    """All quads of one report's named graph (graph name: the report IRI), as pyoxigraph terms."""
    import pyoxigraph as ox

    terms = _Terms(True)
    g = terms.iri(str(report_iri(ex, base)))
    return [ox.Quad(s, p, o, g) for s, p, o in _report_terms(ex, base, terms, store)]  # type: ignore[arg-type]


def report_ox_triples(ex: Extraction, base: str = DEFAULT_BASE, *, store: bool = False) -> list:  # list[pyoxigraph.Triple]
    """All triples of one report's named graph, as pyoxigraph terms (for serialising a chunk)."""
    import pyoxigraph as ox

    return [ox.Triple(s, p, o) for s, p, o in _report_terms(ex, base, _Terms(True), store)]  # type: ignore[arg-type]


def _report_terms(ex: Extraction, base: str, t: _Terms, store: bool = False) -> Iterator[tuple[object, object, object]]:
    full = not store
    doc, meta = ex.document, ex.document.meta
    rep_s = str(report_iri(ex, base))
    rep = t.iri(rep_s)
    keyiri = {e.key: t.iri(_key_iri(e.key, base)) for e in ex.entities}
    # terms used in the loops are made (and rdflib namespace attributes looked up) once here
    iri, zh, plain, integer, typed = t.iri, t.zh, t.plain, t.integer, t.typed
    a, label = iri(str(RDF.type)), iri(str(RDFS.label))
    year_p = iri(GOVKG.year)
    gyear, decimal = XSD.gYear, XSD.decimal
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
        yield rep, year_p, typed(str(meta.year), gyear)
    if meta.report_date:
        yield rep, iri(str(DCTERMS.date)), typed(meta.report_date, XSD.date)
    if meta.published:
        yield rep, iri(str(DCTERMS.issued)), typed(meta.published, XSD.date)
    if meta.source:
        yield rep, iri(str(DCTERMS.source)), zh(meta.source)
    yield rep, iri(GOVKG.contentHash), plain(doc.content_hash)
    yield rep, iri(GOVKG.sourceFile), plain(doc.name)
    yield rep, iri(GOVKG.encoding), plain(doc.encoding)
    yield rep, iri(str(DCTERMS.format)), plain(doc.format)

    # -- sentences (those that carry something, and the headings)
    sent_iri = [iri(f"{rep_s}/s{s.index}") for s in ex.sentences]
    used = {m.sentence for m in ex.mentions} | {r.sentence for r in ex.relations if r.sentence is not None}
    used |= {x.sentence for x in ex.statistics}
    role_p, index_p, string_p = iri(GOVKG.role), iri(GOVKG.sentenceIndex), iri(str(NIF.isString))
    sentence_cls, heading_p, true = iri(GOVKG.Sentence), iri(GOVKG.heading), t.true()
    roles = {k: iri(str(v)) for k, v in ROLE.items()}
    for s in ex.sentences:
        # the store: the sentences that state something, with what is not derived (their
        # order is that of beginIndex; endIndex is beginIndex plus the length of the text)
        if s.index not in used and (store or not s.heading):
            continue
        n = sent_iri[s.index]
        if full:
            yield n, a, sentence_cls
        yield n, string_p, zh(s.text)
        yield n, begin, integer(s.start)
        if full:
            yield n, endi, integer(s.end)
            yield n, index_p, integer(s.index)
        yield n, role_p, roles[s.role]
        yield n, g_report, rep
        if s.heading:
            yield n, heading_p, true

    # -- entities and their mentions
    alt, mentioned, mention_p, anchor = iri(str(SKOS.altLabel)), iri(GOVKG.mentionedIn), iri(GOVKG.mention), iri(str(NIF.anchorOf))
    mention_cls = iri(GOVKG.Mention)

    def anchored(node: object, text: str, start: int, end: int, sentence: object) -> Iterator[tuple[object, object, object]]:
        """The NIF anchor of a mention or statistic: its text, offsets and sentence (whose
        govkg:report is its report: a corpus has millions of mentions, and a triple each for
        what the sentence already says cost the store 5% of its load time)."""
        yield node, a, mention_cls
        yield node, anchor, zh(text)
        yield node, begin, integer(start)
        yield node, endi, integer(end)
        yield node, g_sentence, sentence
    types = {k: iri(str(v)) for k, v in TYPE.items()}
    attrs = {k: (iri(str(pred)), dt) for k, (pred, dt) in _ATTR.items()}
    mentions = ex.mentions
    for e in ex.entities:
        n = keyiri[e.key]
        yield n, a, types[e.type]
        yield n, label, zh(e.label)
        for al in e.aliases:
            yield n, alt, zh(al)
        yield n, mentioned, rep
        for k, v in e.attrs:
            if k in attrs:
                pred, dt = attrs[k]
                yield n, pred, typed(v, dt) if dt else plain(v)
        # one link to each sentence that names it, in reading order: what the view and the
        # questions read; the mention nodes below are the full record, in the files only
        for si in sorted({mentions[i].sentence for i in e.mentions}):
            yield n, g_sentence, sent_iri[si]
        if full:
            for i in e.mentions:
                m = mentions[i]
                mn = iri(f"{rep_s}/m{m.start}-{m.end}-{m.type[0].lower()}")
                yield n, mention_p, mn
                yield from anchored(mn, m.text, m.start, m.end, sent_iri[m.sentence])
                yield mn, g_extracted, plain(m.component)

    # -- relations: the direct triple, and its evidence beside it
    assertion = iri(GOVKG.RelationAssertion)
    subj, pred_p, obj = iri(str(RDF.subject)), iri(str(RDF.predicate)), iri(str(RDF.object))
    preds = {k: iri(str(v)) for k, v in PREDICATE.items()}
    for j, r in enumerate(ex.relations):
        rs, ro, rp = keyiri[r.subject], keyiri[r.object], preds[r.predicate]
        yield rs, rp, ro
        an = iri(f"{rep_s}/r{j}")
        yield an, a, assertion
        yield an, subj, rs
        yield an, pred_p, rp
        yield an, obj, ro
        # the report through the sentence, as for mentions; directly when there is none
        if r.sentence is not None:
            yield an, g_sentence, sent_iri[r.sentence]
        else:
            yield an, g_report, rep
        if not full:
            continue
        yield an, g_extracted, plain(r.component)
        if r.start is not None and r.end is not None:
            yield an, begin, integer(r.start)
            yield an, endi, integer(r.end)

    # -- statistics, as observations of a per-report data set
    # (the store: no qb data set, and no label, which is made of value, unit and measure)
    ds = iri(f"{rep_s}/statistics")
    if ex.statistics and full:
        yield ds, a, iri(str(QB.DataSet))
        yield ds, iri(str(QB.structure)), iri(GOVKG.StatisticStructure)
        yield ds, g_report, rep
        yield ds, label, zh(f"{meta.title or doc.name} 统计数据")
    stat_cls, dataset_p = iri(GOVKG.Statistic), iri(str(QB.dataSet))
    value_p, unit_p, measure_p, surface_p = iri(GOVKG.value), iri(GOVKG.unit), iri(GOVKG.measure), iri(GOVKG.surface)
    about_p, approximate_p = iri(GOVKG.about), iri(GOVKG.approximate)
    for x in ex.statistics:
        n = iri(f"{rep_s}/stat{x.index}")
        yield n, a, stat_cls
        value = _fmt(x.value)
        if full:
            yield n, label, zh(_label(value, x.unit, x.measure))
            yield n, dataset_p, ds
        yield n, value_p, typed(value, decimal)
        yield n, unit_p, zh(x.unit)
        yield n, measure_p, zh(x.measure)
        yield n, surface_p, zh(x.text)
        if x.year and (full or x.year != meta.year):  # the store: the report's year is the report's
            yield n, year_p, typed(str(x.year), gyear)
        if x.about:
            yield n, about_p, keyiri[x.about]
        if x.approximate:
            yield n, approximate_p, true
        yield n, g_report, rep
        yield n, g_sentence, sent_iri[x.sentence]
        if not full:
            continue
        yield n, g_extracted, plain(x.component)
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
    """pyoxigraph terms -> rdflib terms (plain strings stay plain literals), each distinct
    term converted once: a store view converts ~100,000 triples of far fewer terms."""

    _XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

    def __init__(self) -> None:
        import pyoxigraph as ox

        self._iri_type, self._literal_type = ox.NamedNode, ox.Literal
        self._iris: dict[str, URIRef] = {}
        self._lits: dict[tuple[str, str | None, str], Literal] = {}

    def iri(self, value: str) -> URIRef:
        """The rdflib IRI of an IRI string."""
        u = self._iris.get(value)
        if u is None:
            u = self._iris[value] = URIRef(value)
        return u

    def term(self, t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> URIRef | BNode | Literal:
        if type(t) is self._iri_type:
            return self.iri(t.value)
        if type(t) is self._literal_type:
            lang = t.language  # type: ignore[union-attr]
            dt = "" if lang else t.datatype.value  # type: ignore[union-attr]
            key = (t.value, lang, dt)
            lit = self._lits.get(key)
            if lit is None:
                if lang:
                    lit = Literal(t.value, lang=lang)
                elif dt == self._XSD_STRING:
                    lit = Literal(t.value)
                else:
                    lit = Literal(t.value, datatype=self.iri(dt))
                self._lits[key] = lit
            return lit
        # the stubs allow RDF-star triples as terms; our graphs have none
        return BNode(t.value)  # type: ignore[union-attr]

    __call__ = term

    def triple(self, t: ox.Triple | ox.Quad) -> tuple[URIRef | BNode | Literal, URIRef | BNode | Literal,
                                                    URIRef | BNode | Literal]:
        return self.term(t.subject), self.term(t.predicate), self.term(t.object)
