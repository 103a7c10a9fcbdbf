"""graph.rdf.report_turtle: a report's named graph written as Turtle text straight from strings.

It must give exactly the triples of report_triples (rdflib) and report_ox_triples (pyoxigraph),
each once, as a chunk that corpus builds can use as they use chunk_of's today: the sorted
@prefix lines of PREFIXES first, then a body that stands in a TriG graph block too.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from benchscripts import bench_script
from rdflib import BNode, Graph, Literal, URIRef

from graph.corpus import _split_prefixes
from graph.extraction import extract, extract_document
from graph.model import Extraction
from graph.rdf import OxToRdflib, _segment, report_ox_triples, report_triples, report_turtle
from graph.read import read_path
from graph.vocab import DEFAULT_BASE, PREFIXES

DATA = Path(__file__).parent / "data"
DATA_REPORTS = sorted(p.name for p in DATA.glob("*.txt"))
GENERATED = ["generated-0", "generated-1", "generated-2"]
# "sample" is the bundled seed report (监利市 2021), the same file as the shared seed
REPORTS = ["sample", *DATA_REPORTS, *GENERATED]

RdfTriple = tuple[URIRef | BNode | Literal, URIRef | BNode | Literal, URIRef | BNode | Literal]


@pytest.fixture(scope="module")
def reports(sample_extraction: Extraction, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Extraction]:
    """The seed report, each tests/data report, and three reports of the benchmark generator."""
    out = {"sample": sample_extraction}
    for name in DATA_REPORTS:
        out[name] = extract(DATA / name)
    with bench_script("make_corpus", "govkg_bench_make_corpus_turtle") as mc:
        paths = mc.write_corpus(tmp_path_factory.mktemp("turtle-corpus"), len(GENERATED), seed=1, gbk_share=0.0)
    for name, path in zip(GENERATED, paths, strict=True):
        out[name] = extract_document(read_path(path))
    return out


def _ox_set(data: bytes, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> set[RdfTriple]:
    conv = OxToRdflib()
    return {conv.triple(q) for q in ox.parse(data, format=fmt)}


def _rdflib_set(data: bytes) -> set[RdfTriple]:
    g = Graph()
    g.parse(data=data, format="turtle")
    return set(g)  # type: ignore[arg-type]


def _body(turtle: bytes) -> bytes:
    return _split_prefixes(turtle)[1]


# -- the same triples as the rdflib and pyoxigraph paths -------------------------------------------


@pytest.mark.parametrize("name", REPORTS)
def test_rdf_turtle_gives_the_triples_of_report_triples(reports: dict[str, Extraction], name: str) -> None:
    ex = reports[name]
    data, count = report_turtle(ex)
    want = set(report_triples(ex))
    assert want, "a report has triples"
    assert _ox_set(data) == want
    assert _rdflib_set(data) == want
    assert count == len(want)


@pytest.mark.parametrize("name", REPORTS)
def test_rdf_turtle_gives_the_triples_of_report_ox_triples(reports: dict[str, Extraction], name: str) -> None:
    ex = reports[name]
    data, count = report_turtle(ex)
    parsed = [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
    want = set(report_ox_triples(ex))
    assert set(parsed) == want
    # each triple written once, and counted once
    assert len(parsed) == len(want) == count


def test_rdf_turtle_writes_a_repeated_relation_once(reports: dict[str, Extraction]) -> None:
    """The same relation read from two sentences yields its direct triple twice: written once."""
    ex = reports["sample"]
    yielded = list(report_triples(ex))
    assert len(set(yielded)) < len(yielded), "the sample report has a relation found twice"
    data, count = report_turtle(ex)
    assert count == len(set(yielded))
    assert len(list(ox.parse(data, format=ox.RdfFormat.TURTLE))) == count


def test_rdf_turtle_under_another_base(reports: dict[str, Extraction]) -> None:
    ex = reports["sample"]
    base = "https://example.org/kg/"
    data, _ = report_turtle(ex, base)
    assert _ox_set(data) == set(report_triples(ex, base))
    assert DEFAULT_BASE.encode() not in data


# -- a chunk: prefixes on top, a body that stands in TriG and next to other bodies -------------


def test_rdf_turtle_prefix_lines_are_the_sorted_prefixes(reports: dict[str, Extraction]) -> None:
    data, _ = report_turtle(reports["sample"])
    lines = data.split(b"\n")
    want = sorted(f"@prefix {p}: <{ns}> .".encode() for p, ns in PREFIXES.items())
    assert lines[: len(want)] == want
    assert not any(line.startswith(b"@") for line in lines[len(want):])
    head, body = _split_prefixes(data)
    assert head == b"\n".join(want) + b"\n"
    assert b"@base" not in data and b"@prefix" not in body
    assert data.endswith(b" .\n")


def test_rdf_turtle_has_no_blank_nodes(reports: dict[str, Extraction]) -> None:
    data, _ = report_turtle(reports["sample"])
    assert not any(isinstance(t, ox.BlankNode) for q in ox.parse(data, format=ox.RdfFormat.TURTLE)
                   for t in (q.subject, q.object))


@pytest.mark.parametrize("name", ["sample", GENERATED[0]])
def test_rdf_turtle_body_in_a_trig_graph_block(reports: dict[str, Extraction], name: str) -> None:
    """As write_trig uses a chunk: its prefix lines, then ``<graph> {`` body ``}``."""
    ex = reports[name]
    data, _ = report_turtle(ex)
    head, body = _split_prefixes(data)
    trig = head + b"<urn:g> {\n" + body + b"\n}\n"
    quads = list(ox.parse(trig, format=ox.RdfFormat.TRIG))
    assert {q.graph_name for q in quads} == {ox.NamedNode("urn:g")}
    conv = OxToRdflib()
    assert {conv.triple(q) for q in quads} == set(report_triples(ex))


def test_rdf_turtle_chunks_concatenate_into_one_document(reports: dict[str, Extraction]) -> None:
    """As write_turtle and the store loader use chunks: one after the other in one document."""
    a, b = reports["sample"], reports[GENERATED[1]]
    ta, tb = report_turtle(a)[0], report_turtle(b)[0]
    want = set(report_triples(a)) | set(report_triples(b))
    assert _ox_set(ta + b"\n" + tb) == want
    assert _ox_set(ta + _body(tb)) == want


def test_rdf_turtle_is_deterministic(reports: dict[str, Extraction]) -> None:
    ex = reports["sample"]
    assert report_turtle(ex) == report_turtle(ex)
    again = extract(DATA / DATA_REPORTS[0])
    assert report_turtle(again) == report_turtle(reports[DATA_REPORTS[0]])


# -- escaping ------------------------------------------------------------------------------------

NASTY = [
    'say "hi"',
    "back\\slash and a trailing one\\",
    "line\nbreak, cr\r and tab\t",
    "controls \x00 \x01 \x1f \x7f",
    'three quotes """ and \'\'\' and a last "',
    "emoji 😀 and 𠀀 (beyond the BMP)",
    "next line \x85 and line separator \u2028 stay raw",
    "中文 “引号” 不转义",
]


def _nasty(ex: Extraction) -> Extraction:
    """The extraction with texts full of what Turtle strings must escape, in every literal kind."""
    n = len(NASTY)
    meta = dataclasses.replace(ex.document.meta, title=NASTY[0] + NASTY[2], source=NASTY[1])
    doc = dataclasses.replace(ex.document, meta=meta, name='we"ird\\name\t.txt')
    sentences = tuple(dataclasses.replace(s, text=NASTY[s.index % n]) for s in ex.sentences)
    mentions = tuple(dataclasses.replace(m, text=NASTY[(i + 3) % n], component=NASTY[i % n])
                     for i, m in enumerate(ex.mentions))
    entities = tuple(dataclasses.replace(e, label=e.label + NASTY[i % n], aliases=(*e.aliases, NASTY[(i + 1) % n]))
                     for i, e in enumerate(ex.entities))
    stats = tuple(dataclasses.replace(x, unit=NASTY[i % n], measure=NASTY[(i + 5) % n], text=NASTY[(i + 6) % n])
                  for i, x in enumerate(ex.statistics))
    return dataclasses.replace(ex, document=doc, sentences=sentences, mentions=mentions, entities=entities,
                               statistics=stats)


def test_rdf_turtle_escapes_strings_and_reads_back_exactly(reports: dict[str, Extraction]) -> None:
    ex = _nasty(reports["sample"])
    data, count = report_turtle(ex)
    want = set(report_triples(ex))
    assert _ox_set(data) == want
    assert _rdflib_set(data) == want
    assert {q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)} == set(report_ox_triples(ex))
    assert count == len(want)
    # escaped as N-Triples does; other characters (CJK, emoji, U+0085, U+2028) raw
    for escaped in (b'\\"hi\\"', b"back\\\\slash", b"line\\nbreak, cr\\r and tab\\t",
                    b"\\u0000 \\u0001 \\u001F \\u007F", "😀 and 𠀀".encode(), "\x85 and line separator \u2028".encode(),
                    "“引号”".encode()):
        assert escaped in data
    # no raw control character but the line breaks and tabs of the layout
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", data)
    for line in data.split(b"\n")[len(PREFIXES):]:
        assert line == b"" or line.startswith((b"<", b"\t")), line


@pytest.mark.parametrize("char", ['"', "\\", "\n", "\r", "\t", "\x00", "\x01", "\x1f", "\x7f"])
@pytest.mark.parametrize("where", ["title", "entity label", "statistic unit", "file name"])
def test_rdf_turtle_escapes_a_single_character_anywhere(reports: dict[str, Extraction], char: str, where: str) -> None:
    """One literal of the report needing escaping, the rest plain: it is still escaped."""
    ex = reports["sample"]
    if where == "title":
        ex = dataclasses.replace(ex, document=dataclasses.replace(
            ex.document, meta=dataclasses.replace(ex.document.meta, title=f"标题{char}结尾")))
    elif where == "entity label":
        e = ex.entities[-1]
        ex = dataclasses.replace(ex, entities=(*ex.entities[:-1], dataclasses.replace(e, label=f"{char}{e.label}")))
    elif where == "statistic unit":
        x = ex.statistics[0]
        ex = dataclasses.replace(ex, statistics=(dataclasses.replace(x, unit=f"件{char}"), *ex.statistics[1:]))
    else:
        ex = dataclasses.replace(ex, document=dataclasses.replace(ex.document, name=f"report{char}.txt"))
    data, count = report_turtle(ex)
    want = set(report_triples(ex))
    assert _ox_set(data) == want
    assert count == len(want)


def test_rdf_turtle_escaped_body_in_a_trig_graph_block(reports: dict[str, Extraction]) -> None:
    ex = _nasty(reports["sample"])
    head, body = _split_prefixes(report_turtle(ex)[0])
    assert _ox_set(head + b"<urn:g> {\n" + body + b"\n}\n", ox.RdfFormat.TRIG) == set(report_triples(ex))


# -- IRIs ----------------------------------------------------------------------------------------


def test_rdf_turtle_uses_prefixed_names_and_a(reports: dict[str, Extraction]) -> None:
    data, _ = report_turtle(reports["sample"])
    body = _body(data).decode()
    assert " a govkg:Report ;" in body
    assert "\tnif:isString " in body and "\tgovkg:report <" in body
    assert "rdf:type" not in body
    assert "<https://w3id.org/govkg/ontology#" not in body  # always govkg:...


@pytest.mark.parametrize("base", ["https://example.org/a b/", "https://example.org/<x>/", 'https://example.org/"/',
                                  "https://example.org/{x}/", "https://example.org/a\\b/", "https://example.org/\x01/"])
def test_rdf_turtle_refuses_an_iri_turtle_cannot_hold(reports: dict[str, Extraction], base: str) -> None:
    with pytest.raises(ValueError, match="IRI not writable in Turtle"):
        report_turtle(reports["sample"], base)


def test_rdf_segment_fast_path_agrees_with_the_slow_path() -> None:
    """Plain segments (ASCII unreserved, CJK) skip the per-character encoding: it would keep them."""
    plain = "".join(map(chr, [*range(0x30, 0x3A), *range(0x41, 0x5B), *range(0x61, 0x7B), *range(0x4E00, 0x9FF0)]))
    plain += "-._~"
    assert _segment(plain) == plain
    # a space takes _segment off the fast path; every plain character must still come back as is
    assert _segment(" " + plain) == "%20" + plain
    assert _segment("监利市司法局") == "监利市司法局"
    assert _segment("a b(1)") == "a%20b%281%29"
    assert _segment("50%") == "50%25" and _segment("%E7%9B%91") == "%E7%9B%91"
