"""graph.rdf (and graph.validate): IRIs, determinism, provenance, SHACL, and the property
that any text gives valid RDF or a GovkgError."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import _is_valid_uri

from graph.errors import GovkgError, ValidationError
from graph.extraction import extract, extract_document
from graph.lexicon import fold
from graph.model import Extraction
from graph.nlp import COMPONENTS
from graph.pipeline import sample_path
from graph.rdf import PREDICATE, TYPE, iri_for_key, report_iri, report_triples, to_dataset
from graph.read import read_text
from graph.resolve import key_for
from graph.validate import validate
from graph.vocab import DEFAULT_BASE, GOVKG, NIF, ONTOLOGY_IRI

# rdflib 7.6's own serializers and parsers call its deprecated Dataset API (contexts,
# default_context); that is rdflib's business, not ours, so deprecation warnings raised inside
# rdflib are ignored (those raised by govkg's own code still fail the test)
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

DATA = Path(__file__).parent / "data"
REPORTS = ["sample", "jiedao-jianghan-2021.txt", "shengtai-yichang-2022.txt", "sifaju-suining-2022.txt"]
# characters that may not stand in an IRI (RFC 3987): controls, space, and <>"{}|\^`
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')

SMALL = "咸宁市司法局2022年法治政府建设情况报告\n全年收到行政复议申请12件，全面推行证明事项告知承诺制。\n"


@pytest.fixture(scope="module")
def extractions(sample_extraction: Extraction) -> dict[str, Extraction]:
    out = {"sample": sample_extraction}
    for name in REPORTS[1:]:
        out[name] = extract(DATA / name)
    return out


@pytest.fixture(scope="module")
def sample_graph(sample_extraction: Extraction) -> Graph:
    """The sample report's named graph."""
    return _report_graph(sample_extraction)


def _report_graph(ex: Extraction, base: str = DEFAULT_BASE) -> Graph:
    g = Graph()
    for t in report_triples(ex, base):
        g.add(t)
    return g


def _nquads(ds: Dataset) -> list[str]:
    return sorted(line for line in ds.serialize(format="nquads").splitlines() if line.strip())


def _int(g: Graph, node: URIRef, pred: URIRef) -> int:
    value = g.value(node, pred)
    assert isinstance(value, Literal), f"{node} has no {pred}"
    return int(value)


# -- IRIs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "iri"),
    [
        ("agency/监利市司法局", "agency/监利市司法局"),
        ("law/长江保护法", "law/长江保护法"),
        ("law/法治政府建设实施纲要(2021-2025年)", "law/法治政府建设实施纲要%282021-2025年%29"),
        ("policy/双随机、一公开监管", "policy/双随机、一公开监管"),
        ("law/x/a b", "law/x/a%20b"),
        ("initiative/x/100%完成", "initiative/x/100%25完成"),
        ("law/x/a#b?c", "law/x/a%23b%3Fc"),
        ('law/x/"<{|}>\\^`', "law/x/%22%3C%7B%7C%7D%3E%5C%5E%60"),
    ],
    ids=["agency", "law", "parentheses", "cjk-punctuation", "space", "percent", "fragment-and-query", "forbidden"],
)
def test_rdf_iri_for_key_keeps_cjk_and_encodes_unsafe(key: str, iri: str) -> None:
    assert str(iri_for_key(key, "https://example.org/id/")) == "https://example.org/id/" + iri


_segment = st.text(st.characters(blacklist_characters="/", blacklist_categories=("Cs",)), min_size=1, max_size=12)


@given(st.lists(_segment, min_size=1, max_size=4))
@settings(max_examples=200, deadline=None, database=None)
def test_rdf_iri_for_key_is_valid_and_reversible(segments: list[str]) -> None:
    key = "/".join(segments)
    iri = str(iri_for_key(key, "https://example.org/id/"))
    assert _is_valid_uri(iri)
    assert not _IRI_FORBIDDEN.search(iri)
    parts = iri.removeprefix("https://example.org/id/").split("/")
    assert [unquote(p) for p in parts] == segments


def _read_back_as_ntriples(iri: str) -> URIRef:
    g = Graph().parse(data=f"<{iri}> <http://example.org/p> <http://example.org/o> .\n", format="nt")
    return next(iter(g))[0]  # type: ignore[return-value]


@given(
    type_=st.sampled_from(["Agency", "Law", "Policy", "Initiative", "Place"]),
    label=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20),
    scope=st.none() | st.sampled_from(["监利市", "unknown", "江汉区"]),
)
@settings(max_examples=200, deadline=None, database=None)
def test_rdf_iri_of_any_label_reads_back_as_ntriples(type_: str, label: str, scope: str | None) -> None:
    iri = iri_for_key(key_for(type_, label, scope))
    assert _is_valid_uri(iri)
    assert _read_back_as_ntriples(iri) == iri


@pytest.mark.parametrize("space", ["\u00a0", "\u3000", "\u2028"], ids=["nbsp", "ideographic", "line-separator"])
def test_rdf_iri_for_key_encodes_unicode_spaces(space: str) -> None:
    iri = iri_for_key(f"law/x/a{space}b", "https://example.org/id/")
    assert not re.search(r"\s", iri)
    assert _read_back_as_ntriples(iri) == iri


def test_rdf_every_iri_of_the_sample_graph_is_valid(sample_graph: Graph) -> None:
    iris = {x for t in sample_graph for x in t if isinstance(x, URIRef)}
    assert len(iris) > 100
    for iri in iris:
        assert _is_valid_uri(iri), iri
        assert not _IRI_FORBIDDEN.search(iri), iri
    back = Graph().parse(data=sample_graph.serialize(format="nt"), format="nt")
    assert isomorphic(back, sample_graph)


def test_rdf_base_iri_is_used_for_every_minted_iri(sample_extraction: Extraction) -> None:
    base = "https://example.org/kg/"
    g = _report_graph(sample_extraction, base)
    minted = {x for t in g for x in t if isinstance(x, URIRef) and "/govkg/id/" in x}
    assert not minted
    assert report_iri(sample_extraction, base).startswith(base)
    assert all(str(s).startswith(base) for s in g.subjects(RDF.type, GOVKG.Agency))


# -- determinism --------------------------------------------------------------------------------


def test_rdf_same_report_twice_gives_the_same_graph() -> None:
    first, second = extract(sample_path()), extract(sample_path())
    a, b = to_dataset([first]), to_dataset([second])
    assert {g.identifier for g in a.graphs()} == {g.identifier for g in b.graphs()}
    for g in a.graphs():
        assert isomorphic(g, b.graph(g.identifier)), g.identifier
    # report graphs have no blank nodes, so their N-Quads are identical line for line
    assert _nquads(to_dataset([first], ontology=False)) == _nquads(to_dataset([second], ontology=False))


def test_rdf_same_report_same_iris_under_another_file_name() -> None:
    text = sample_path().read_text(encoding="utf-8")
    a = extract_document(read_text(text, path="a/report.txt"))
    b = extract_document(read_text(text, path="b/copy.txt"))
    assert report_iri(a) == report_iri(b)
    assert [e.key for e in a.entities] == [e.key for e in b.entities]


@pytest.mark.slow
def test_rdf_same_report_same_quads_in_another_process(sample_extraction: Extraction) -> None:
    # string hashing differs between processes: nothing may depend on set or hash order
    code = (
        "from graph.extraction import extract\nfrom graph.pipeline import sample_path\n"
        "from graph.rdf import to_dataset\n"
        "print(to_dataset([extract(sample_path())], ontology=False).serialize(format='nquads'))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    other = sorted(line for line in out.splitlines() if line.strip())
    assert other == _nquads(to_dataset([sample_extraction], ontology=False))


# -- provenance ---------------------------------------------------------------------------------


def _entities(g: Graph) -> Iterator[URIRef]:
    for t in TYPE.values():
        yield from g.subjects(RDF.type, t)


@pytest.mark.parametrize("report", REPORTS)
def test_rdf_every_entity_has_a_chinese_label_and_its_report(extractions: dict[str, Extraction], report: str) -> None:
    ex = extractions[report]
    g = _report_graph(ex)
    rep = report_iri(ex)
    nodes = list(_entities(g))
    assert len(nodes) == len(ex.entities)
    for n in nodes:
        labels = list(g.objects(n, RDFS.label))
        assert len(labels) == 1 and labels[0].language == "zh" and str(labels[0]), n
        assert (n, GOVKG.mentionedIn, rep) in g


@pytest.mark.parametrize("report", REPORTS)
def test_rdf_mentions_and_sentences_point_into_the_report_text(extractions: dict[str, Extraction], report: str) -> None:
    ex = extractions[report]
    text = ex.document.text
    g = _report_graph(ex)
    mentions = list(g.subjects(RDF.type, GOVKG.Mention))
    assert mentions
    for m in mentions:
        begin, end = _int(g, m, NIF.beginIndex), _int(g, m, NIF.endIndex)
        assert str(g.value(m, NIF.anchorOf)) == text[begin:end]
        sent = g.value(m, GOVKG.sentence)
        assert (sent, RDF.type, GOVKG.Sentence) in g
        s_begin, s_end = _int(g, sent, NIF.beginIndex), _int(g, sent, NIF.endIndex)
        assert str(g.value(sent, NIF.isString)) == text[s_begin:s_end]
        assert s_begin <= begin < end <= s_end
    # each entity mention is reachable from its entity
    for n in _entities(g):
        for m in g.objects(n, GOVKG.mention):
            assert (m, RDF.type, GOVKG.Mention) in g


@pytest.mark.parametrize("report", REPORTS)
def test_rdf_every_relation_triple_has_its_evidence(extractions: dict[str, Extraction], report: str) -> None:
    ex = extractions[report]
    g = _report_graph(ex)
    entities = set(_entities(g))
    direct = [(s, p, o) for p in PREDICATE.values() for s, o in g.subject_objects(p) if s in entities and o in entities]
    assert direct
    for s, p, o in direct:
        found = [a for a in g.subjects(RDF.subject, s) if (a, RDF.predicate, p) in g and (a, RDF.object, o) in g]
        assert found, f"no RelationAssertion for {s} {p} {o}"
        assert all((a, RDF.type, GOVKG.RelationAssertion) in g for a in found)


@pytest.mark.parametrize("report", REPORTS)
def test_rdf_relations_read_from_the_text_have_a_sentence(extractions: dict[str, Extraction], report: str) -> None:
    ex = extractions[report]
    g = _report_graph(ex)
    from_text = 0
    for a in g.subjects(RDF.type, GOVKG.RelationAssertion):
        component = str(g.value(a, GOVKG.extractedBy))
        sent = g.value(a, GOVKG.sentence)
        if component not in COMPONENTS:  # reference data (division table, resolution): no sentence
            assert sent is None
            continue
        from_text += 1
        assert sent is not None, f"{a} ({component}) has no sentence"
        s_begin, s_end = _int(g, sent, NIF.beginIndex), _int(g, sent, NIF.endIndex)
        assert s_begin <= _int(g, a, NIF.beginIndex) < _int(g, a, NIF.endIndex) <= s_end
        # the object was named in that sentence
        obj = g.value(a, RDF.object)
        assert any(g.value(m, GOVKG.sentence) == sent for m in g.objects(obj, GOVKG.mention)), a
    assert from_text > 0


@pytest.mark.parametrize("report", REPORTS)
def test_rdf_statistics_have_value_unit_measure_and_surface(extractions: dict[str, Extraction], report: str) -> None:
    ex = extractions[report]
    text = ex.document.text
    g = _report_graph(ex)
    stats = list(g.subjects(RDF.type, GOVKG.Statistic))
    assert len(stats) == len(ex.statistics) > 0
    for n in stats:
        value = g.value(n, GOVKG.value)
        assert isinstance(value, Literal) and value.datatype == XSD.decimal
        assert isinstance(value.toPython(), Decimal)
        unit, measure, surface = (str(g.value(n, p)) for p in (GOVKG.unit, GOVKG.measure, GOVKG.surface))
        assert unit and measure and surface
        # what is counted is said in the statistic's own words
        assert measure in fold(surface)
        anchor = g.value(n, GOVKG.mention)
        assert text[_int(g, anchor, NIF.beginIndex) : _int(g, anchor, NIF.endIndex)] == surface


def test_rdf_statistic_value_is_normalised() -> None:
    ex = extract_document(read_text(SMALL.replace("12件", "12件，追回工资1269万元"), path="r.txt"))
    g = _report_graph(ex)
    values = {(g.value(n, GOVKG.value).toPython(), str(g.value(n, GOVKG.unit))) for n in g.subjects(RDF.type, GOVKG.Statistic)}
    assert values == {(Decimal(12), "件"), (Decimal(12690000), "元")}


# -- SHACL --------------------------------------------------------------------------------------


def test_rdf_sample_graph_conforms_to_the_shapes(sample_extraction: Extraction) -> None:
    res = validate(to_dataset([sample_extraction]))
    assert res.conforms, res.report
    assert res.violations == 0


def test_rdf_mentions_and_assertions_reach_their_report_through_their_sentence(sample_extraction: Extraction) -> None:
    g = _report_graph(sample_extraction)
    report = next(g.subjects(RDF.type, GOVKG.Report))
    mentions = set(g.subjects(RDF.type, GOVKG.Mention))
    assertions = set(g.subjects(RDF.type, GOVKG.RelationAssertion))
    assert mentions and assertions
    for node in mentions | assertions:
        sentence = g.value(node, GOVKG.sentence)
        if sentence is None:  # an assertion read from no sentence names its report itself
            assert node in assertions and g.value(node, GOVKG.report) == report
        else:
            assert g.value(node, GOVKG.report) is None and g.value(sentence, GOVKG.report) == report


def test_rdf_batch_of_other_reports_conforms(extractions: dict[str, Extraction]) -> None:
    ds = to_dataset([extractions[r] for r in REPORTS[1:]])
    assert len({g.identifier for g in ds.graphs() if g.identifier != ONTOLOGY_IRI and len(g)}) == 3
    res = validate(ds)
    assert res.conforms, res.report


def _small_graph() -> Graph:
    return _report_graph(extract_document(read_text(SMALL, path="r.txt")))


def _drop_value(g: Graph) -> None:
    n = next(g.subjects(RDF.type, GOVKG.Statistic))
    g.remove((n, GOVKG.value, None))


def _two_values(g: Graph) -> None:
    n = next(g.subjects(RDF.type, GOVKG.Statistic))
    g.add((n, GOVKG.value, Literal("13", datatype=XSD.decimal)))


def _drop_label(g: Graph) -> None:
    n = next(g.subjects(RDF.type, GOVKG.Policy))
    g.remove((n, RDFS.label, None))


def _english_label(g: Graph) -> None:
    n = next(g.subjects(RDF.type, GOVKG.Agency))
    g.remove((n, RDFS.label, None))
    g.add((n, RDFS.label, Literal("Justice Bureau", lang="en")))


def _backwards_mention(g: Graph) -> None:
    m = next(g.subjects(RDF.type, GOVKG.Mention))
    g.set((m, NIF.beginIndex, Literal(_int(g, m, NIF.endIndex) + 1)))


def _assertion_without_triple(g: Graph) -> None:
    a = next(g.subjects(RDF.type, GOVKG.RelationAssertion))
    g.remove((g.value(a, RDF.subject), g.value(a, RDF.predicate), g.value(a, RDF.object)))


def _assertion_without_sentence_or_report(g: Graph) -> None:
    a = next(a for a in g.subjects(RDF.type, GOVKG.RelationAssertion) if g.value(a, GOVKG.sentence) is not None)
    g.remove((a, GOVKG.sentence, None))


def _assertion_with_sentence_and_report(g: Graph) -> None:
    a = next(a for a in g.subjects(RDF.type, GOVKG.RelationAssertion) if g.value(a, GOVKG.sentence) is not None)
    g.add((a, GOVKG.report, next(g.subjects(RDF.type, GOVKG.Report))))


def _mention_without_sentence(g: Graph) -> None:
    m = next(g.subjects(RDF.type, GOVKG.Mention))
    g.remove((m, GOVKG.sentence, None))
    g.add((m, GOVKG.report, next(g.subjects(RDF.type, GOVKG.Report))))


def _issues_a_place(g: Graph) -> None:
    agency = next(g.subjects(RDF.type, GOVKG.Agency))
    place = next(g.subjects(RDF.type, GOVKG.Place))
    g.add((agency, GOVKG.issues, place))


def _bad_role(g: Graph) -> None:
    s = next(g.subjects(RDF.type, GOVKG.Sentence))
    g.set((s, GOVKG.role, GOVKG.Report))


@pytest.mark.parametrize(
    "breakage",
    [_drop_value, _two_values, _drop_label, _english_label, _backwards_mention, _assertion_without_triple,
     _assertion_without_sentence_or_report, _assertion_with_sentence_and_report, _mention_without_sentence,
     _issues_a_place, _bad_role],
    ids=lambda f: f.__name__.strip("_"),
)
def test_rdf_shacl_rejects_a_broken_graph(breakage) -> None:  # type: ignore[no-untyped-def]
    g = _small_graph()
    assert validate(g).conforms  # the graph is fine before it is broken
    breakage(g)
    res = validate(g, raise_on_violation=False)
    assert not res.conforms
    assert res.violations >= 1
    with pytest.raises(ValidationError, match="does not conform"):
        validate(g)


# -- any text in, valid RDF (or a GovkgError) out ------------------------------------------------

_GENRE = [
    "监利市", "咸宁市", "市委", "市政府", "我市", "县司法局", "街道党工委", "省司法厅", "国务院", "中共中央", "、",
    "，", "。", "；", "\n", "一、", "（二）", "1.", "存在的问题", "下一步工作打算", "成效", "《", "》", "〈", "〉",
    "“", "”", "改革", "制度", "专项行动", "活动", "等多项", "治理行动", "法治文化公园", "长江保护法", "中华人民共和国",
    "证照分离", "根据", "向", "深圳", "延伸", "印发", "宣传", "12", "99.3", "%", "％", "万", "万元", "件", "余次", "两个",
    "系统", "2021年", "第二季度", "来源：", "浏览次数：", "街道", "关键少数", "重行政、轻法律", "（", "）", "-", " ",
    "收到行政复议申请", "办结率", "追回工资", "全面推行", "深入开展", "等部门", "实施方案", "纲要", "１２", "约",
    "12件", "99.3%", "1269万元", "25余次", "两个系统", "１２件", "0.5亿元", "100%",
]
_TITLES = [
    "", "监利市2021年法治政府建设情况报告\n", "民意街道办事处2022年法治政府建设情况报告\n",
    "宜昌市生态环境局2022年法治政府建设情况报告\n", "嘉鱼县市场监督管理局2022年工作总结\n",
]
_CJK_HEAVY = st.characters(
    whitelist_categories=("Lo", "Nd", "Po", "Ps", "Pe", "Pi", "Pf", "Zs", "Sm"),
    min_codepoint=0x20,
    max_codepoint=0xFFEF,
) | st.sampled_from("市县区局委办《》“”、，。（）%万余件\n")
_GENRE_MIX = st.lists(
    st.sampled_from(_GENRE) | st.sampled_from(_GENRE) | st.text(_CJK_HEAVY, max_size=3), max_size=60
).map("".join)
_TEXTS = st.one_of(
    st.text(_CJK_HEAVY, max_size=120),
    _GENRE_MIX,
    st.tuples(st.sampled_from(_TITLES), _GENRE_MIX).map("".join),
)


@given(text=_TEXTS)
@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
def test_rdf_any_text_gives_valid_rdf_or_a_govkg_error(text: str) -> None:
    try:
        ex = extract_document(read_text(text, path="fuzz.txt"))
    except GovkgError:
        return  # said to the user in one line: not a report, no Chinese text …
    ds = to_dataset([ex], ontology=False)
    res = validate(ds, raise_on_violation=False)
    assert res.conforms, res.report
    quads = ds.serialize(format="nquads")
    back = Dataset()
    back.parse(data=quads, format="nquads")
    assert len(back) == len(ds)
    assert sum(1 for _ in back.quads((None, None, None, None))) == sum(1 for _ in ds.quads((None, None, None, None)))
