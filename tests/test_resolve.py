"""graph.resolve: relative names read against the report's place, aliases, stable keys."""

from __future__ import annotations

import pytest

from graph.lexicon import norm_key
from graph.model import Entity, Extraction
from graph.nlp import annotate
from graph.read import read_text
from graph.resolve import key_for, resolve


def extract(text: str, path: str = "report.txt") -> Extraction:
    doc = read_text(text, path=path)
    return resolve(doc, annotate(doc))


def entity(ex: Extraction, surface: str, type_: str | None = None) -> Entity:
    """The entity that the mention with this surface text resolved to."""
    idx = [i for i, m in enumerate(ex.mentions) if norm_key(m.text) == norm_key(surface) and (type_ is None or m.type == type_)]
    assert idx, f"no mention {surface!r}"
    hits = [e for e in ex.entities if idx[0] in e.mentions]
    assert len(hits) == 1, f"mention {surface!r} belongs to {len(hits)} entities"
    return hits[0]


def by_label(ex: Extraction, label: str) -> list[Entity]:
    return [e for e in ex.entities if e.label == label]


def triples(ex: Extraction) -> set[tuple[str, str, str]]:
    return {(r.subject, r.predicate, r.object) for r in ex.relations}


JIANLI = "监利市2021年法治政府建设情况报告\n我市在市委、市政府的坚强领导下，扎实推进法治政府建设。\n"


@pytest.mark.parametrize(
    ("surface", "label", "type_"),
    [("市委", "监利市委", "Agency"), ("市政府", "监利市人民政府", "Agency"), ("我市", "监利市", "Place")],
    ids=["party-committee", "government", "our-city"],
)
def test_resolve_relative_names_in_a_city_report(surface: str, label: str, type_: str) -> None:
    e = entity(extract(JIANLI), surface, type_)
    assert (e.label, e.type) == (label, type_)
    assert norm_key(surface) in e.aliases


def test_resolve_our_city_is_the_division_of_the_report() -> None:
    ex = extract(JIANLI)
    e = entity(ex, "我市", "Place")
    assert e.attr("code") == "421088"
    assert ex.locality == e.key
    # the division chain up to the province, from the table
    chain = {(r.subject, r.object) for r in ex.relations if r.predicate == "locatedIn"}
    assert ("place/421088", "place/421000") in chain
    assert ("place/421000", "place/420000") in chain


def test_resolve_report_without_issuer_is_issued_by_the_local_government() -> None:
    ex = extract(JIANLI)
    assert ex.issuer == key_for("Agency", "监利市人民政府")
    assert ex.issuer == entity(ex, "市政府").key


DISTRICT_BODY = "在区委、区政府的领导下，认真落实市委部署要求，我区法治建设取得新成效。\n"
DISTRICT_TITLES = ["江汉区司法局2022年法治政府建设情况报告\n", "武汉市江汉区司法局2022年法治政府建设情况报告\n"]


@pytest.mark.parametrize("title", DISTRICT_TITLES, ids=["district-title", "city-and-district-title"])
@pytest.mark.parametrize(
    ("surface", "label"),
    [("区委", "江汉区委"), ("区政府", "江汉区人民政府"), ("市委", "武汉市委"), ("我区", "江汉区")],
    ids=["district-committee", "district-government", "city-committee-above", "our-district"],
)
def test_resolve_relative_names_in_a_district_report(title: str, surface: str, label: str) -> None:
    ex = extract(title + DISTRICT_BODY)
    assert ex.document.meta.locality == "江汉区"
    assert entity(ex, surface).label == label


COUNTY = "嘉鱼县人民政府2022年法治政府建设情况报告\n县司法局组织开展行政执法案卷评查，县委宣传部牵头开展宪法宣传周活动。\n"


@pytest.mark.parametrize(
    ("surface", "label"),
    [("县司法局", "嘉鱼县司法局"), ("县委宣传部", "嘉鱼县委宣传部")],
    ids=["county-bureau", "county-party-department"],
)
def test_resolve_relative_names_in_a_county_report(surface: str, label: str) -> None:
    e = entity(extract(COUNTY), surface, "Agency")
    assert e.label == label
    assert e.key == key_for("Agency", label)


def test_resolve_county_bureau_belongs_to_the_county_government() -> None:
    ex = extract(COUNTY)
    assert ex.issuer == key_for("Agency", "嘉鱼县人民政府")
    assert (key_for("Agency", "嘉鱼县司法局"), "subOrganizationOf", ex.issuer) in triples(ex)


TOWNSHIP = "民意街道办事处2022年法治政府建设情况报告\n街道党工委专题研究法治建设工作4次，组建街道综合行政执法中队。\n"


@pytest.mark.parametrize(
    ("surface", "label"),
    [("街道党工委", "民意街道党工委"), ("街道综合行政执法中队", "民意街道综合行政执法中队")],
    ids=["street-party-committee", "street-squad"],
)
def test_resolve_relative_names_in_a_township_report(surface: str, label: str) -> None:
    assert entity(extract(TOWNSHIP), surface, "Agency").label == label


def test_resolve_township_issuer_and_its_bodies() -> None:
    ex = extract(TOWNSHIP)
    assert ex.issuer == key_for("Agency", "民意街道办事处")
    squad = key_for("Agency", "民意街道综合行政执法中队")
    assert (squad, "subOrganizationOf", ex.issuer) in triples(ex)


@pytest.mark.parametrize(
    "issuer",
    ["宜昌市人民政府", "嘉鱼县人民政府", "咸宁市司法局", "宜昌市生态环境局"],
)
def test_resolve_issuer_named_in_the_title(issuer: str) -> None:
    ex = extract(f"{issuer}2022年法治政府建设情况报告\n全面推行证明事项告知承诺制。\n")
    assert ex.issuer == key_for("Agency", issuer)
    assert [e.label for e in ex.entities if e.key == ex.issuer] == [issuer]


def test_resolve_national_law_one_key_with_and_without_prc_prefix() -> None:
    ex = extract("宜昌市生态环境局2022年法治政府建设情况报告\n认真学习长江保护法，全面落实《中华人民共和国长江保护法》。\n")
    laws = [e for e in ex.entities if e.type == "Law"]
    assert len(laws) == 1
    law = laws[0]
    assert law.key == key_for("Law", "长江保护法")
    assert law.label == "长江保护法"
    assert "中华人民共和国长江保护法" in law.aliases
    assert len(law.mentions) == 2


def test_resolve_national_things_have_the_same_key_in_any_report() -> None:
    a = extract("咸宁市司法局2022年法治政府建设情况报告\n落实《中华人民共和国长江保护法》，推行证明事项告知承诺制。\n")
    b = extract("宜昌市生态环境局2022年法治政府建设情况报告\n宣传长江保护法，推行证明事项告知承诺制。\n")
    for surface in ("长江保护法", "证明事项告知承诺制"):
        ka = next(e.key for e in a.entities if surface in e.label)
        kb = next(e.key for e in b.entities if surface in e.label)
        assert ka == kb


def test_resolve_local_initiatives_are_keyed_by_locality() -> None:
    a = extract("咸宁市司法局2022年法治政府建设情况报告\n组织开展行政执法案卷评查。\n")
    b = extract("宜昌市生态环境局2022年法治政府建设情况报告\n组织开展行政执法案卷评查。\n")
    ea, eb = entity(a, "行政执法案卷评查"), entity(b, "行政执法案卷评查")
    assert ea.label == eb.label == "行政执法案卷评查"
    assert ea.key == key_for("Initiative", "行政执法案卷评查", "咸宁市")
    assert eb.key == key_for("Initiative", "行政执法案卷评查", "宜昌市")


def test_resolve_city_bureaus_of_two_cities_are_two_agencies() -> None:
    a = extract("咸宁市2022年法治政府建设情况报告\n市司法局牵头开展行政执法案卷评查。\n")
    b = extract("宜昌市2022年法治政府建设情况报告\n市司法局牵头开展行政执法案卷评查。\n")
    ea, eb = entity(a, "市司法局"), entity(b, "市司法局")
    assert (ea.label, eb.label) == ("咸宁市司法局", "宜昌市司法局")
    assert ea.key != eb.key


def test_resolve_relative_and_full_name_are_one_agency() -> None:
    ex = extract("咸宁市司法局2022年法治政府建设情况报告\n市政府出台《咸宁市行政规范性文件管理办法》，咸宁市人民政府常务会议审议通过。\n")
    assert entity(ex, "市政府").key == entity(ex, "咸宁市人民政府", "Agency").key
    assert len(by_label(ex, "咸宁市人民政府")) == 1


def test_resolve_partial_name_merges_into_the_full_one() -> None:
    ex = extract("咸宁市司法局2022年法治政府建设情况报告\n全面开展执法换证工作。积极开展行政执法换证工作，共涉及24家执法单位。\n")
    short, full = entity(ex, "执法换证工作"), entity(ex, "行政执法换证工作")
    assert short is full
    assert full.label == "行政执法换证工作"
    assert "执法换证工作" in full.aliases
    assert len(full.mentions) == 2
    assert not [e for e in ex.entities if e.label == "执法换证工作"]


def test_resolve_relations_use_entity_keys() -> None:
    ex = extract("咸宁市司法局2022年法治政府建设情况报告\n市政府印发《咸宁市行政规范性文件管理办法》。\n")
    gov = key_for("Agency", "咸宁市人民政府")
    law = entity(ex, "《咸宁市行政规范性文件管理办法》").key
    assert (gov, "issues", law) in triples(ex)
    keys = {e.key for e in ex.entities}
    for r in ex.relations:
        assert r.subject in keys and r.object in keys


def test_resolve_relative_names_without_a_locality_stay_local_to_the_report() -> None:
    # a text that says nothing of its place: 市委 cannot be placed, and is not made up
    ex = extract("2022年工作总结\n在市委的领导下，全面推行证明事项告知承诺制。\n")
    e = entity(ex, "市委")
    assert e.label == "市委"
    assert e.key == key_for("Agency", "市委", "unknown")


def test_resolve_entity_keys_are_unique_and_sorted() -> None:
    ex = extract(JIANLI + "市司法局全面推行证明事项告知承诺制，深入开展“减证便民”专项行动。\n")
    keys = [e.key for e in ex.entities]
    assert keys == sorted(set(keys))
    for e in ex.entities:
        assert e.label not in e.aliases
