"""The patterns of the genre that real reports of many bodies use, one parametrized case each.

Every sentence here is written for the test in the style of 法治政府建设 reports of districts,
counties, 街道, ministries and departments; none is quoted from a real report. A case builds the
report's entities (resolved, as the graph holds them) and asks for one entity, one link or one
statistic, or for the absence of a false one.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from graph.extraction import extract_document
from graph.lexicon import norm_key
from graph.model import Extraction
from graph.read import read_text

BUREAU = "宜昌市生态环境局2022年法治政府建设情况报告\n"
CITY = "枝江市2022年法治政府建设情况报告\n"
DISTRICT = "西陵区2022年法治政府建设情况报告\n"
JUSTICE = "荆州市司法局2022年法治政府建设情况报告\n"


def build(text: str) -> Extraction:
    return extract_document(read_text(text, path="report.txt"))


def labels(ex: Extraction, type_: str | None = None) -> set[str]:
    """Labels and aliases (as matching keys) of the entities of a type."""
    out: set[str] = set()
    for e in ex.entities:
        if type_ is None or e.type == type_:
            out |= {norm_key(e.label), *(norm_key(a) for a in e.aliases)}
    return out


def entity(ex: Extraction, name: str, type_: str | None = None) -> str:
    """The key of the entity with this label or alias."""
    for e in ex.entities:
        if (type_ is None or e.type == type_) and norm_key(name) in {norm_key(e.label), *map(norm_key, e.aliases)}:
            return e.key
    raise AssertionError(f"no {type_ or 'entity'} {name!r} among {sorted((e.type, e.label) for e in ex.entities)}")


def links(ex: Extraction) -> set[tuple[str, str, str]]:
    return {(r.subject, r.predicate, r.object) for r in ex.relations}


def linked(ex: Extraction, a: str, b: str, predicate: str | None = None) -> bool:
    ka, kb = entity(ex, a), entity(ex, b)
    return any({s, o} == {ka, kb} and (predicate is None or p == predicate) for s, p, o in links(ex))


# -- agencies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "alias"),
    [
        (BUREAU + "2022年,我局坚持依法行政,全面推进法治政府建设。", "宜昌市生态环境局", "我局"),
        (BUREAU + "局党组带头学法,全年集体学法6次。", "宜昌市生态环境局党组", "局党组"),
        (BUREAU + "局政策法规科负责具体工作,做到专人专责。", "宜昌市生态环境局政策法规科", "局政策法规科"),
        (JUSTICE + "市司法局党委多次召开会议专题部署。", "荆州市司法局党委", "市司法局党委"),
        (BUREAU + "成立了由局长任组长的依法行政和普法工作领导小组,统筹推进各项工作。", "依法行政和普法工作领导小组", None),
        (DISTRICT + "组建“春风”法律服务志愿者服务队,深入社区开展服务。", "春风法律服务志愿者服务队", None),
        ("法治政府建设情况年度报告\n2020年,xx市人民政府坚持依法行政。市委常委会专题研究法治工作。", "xx市人民政府", None),
        ("法治政府建设情况年度报告\n2020年,xx市人民政府坚持依法行政。市委常委会专题研究法治工作。", "xx市委常委会", "市委常委会"),
        (CITY + "将相关事项划入枝江市市场物业服务中心统一办理。", "枝江市市场物业服务中心", None),
        ("2018年,原国土资源部认真贯彻落实中央决策部署,积极与国务院审改办沟通。", "国务院审改办", None),
    ],
    ids=["self", "party-group", "office", "party-of-body", "set-up-group", "quoted-team", "placeholder-gov",
         "placeholder-relative", "market-is-no-prefix", "central-office"],
)
def test_nlp_genre_agencies(text: str, label: str, alias: str | None) -> None:
    ex = build(text)
    key = entity(ex, label, "Agency")
    if alias:
        assert norm_key(alias) in labels(ex, "Agency")
        assert entity(ex, alias, "Agency") == key


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        (DISTRICT + "联合区委组织部举办专题培训班。", "举办"),
        (JUSTICE + "推动市委依法治市委三个专项协调小组推动整改。", "三个"),
        (CITY + "为全市改革发展稳定大局提供法治保障。", "大局"),
        (DISTRICT + "区委、区政府分别成立了依法治区领导小组。", "了"),
    ],
    ids=["verb-ban", "count", "big-picture", "particle"],
)
def test_nlp_genre_no_agency_cut_across_words(text: str, bad: str) -> None:
    assert not any(bad in lab for lab in labels(build(text), "Agency"))


def test_nlp_genre_own_part_belongs_to_the_issuer() -> None:
    ex = build(BUREAU + "局党组带头学法。")
    assert linked(ex, "宜昌市生态环境局党组", "宜昌市生态环境局", "subOrganizationOf")


# -- documents named without 《》 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (DISTRICT + "按照党中央、国务院《法治政府建设实施纲要(2021-2025年)》和市委、市政府实施意见,推进依法行政。", "市委、市政府实施意见"),
        (JUSTICE + "牵头制定并印发实施全市整改落实方案,推动问题整改。", "全市整改落实方案"),
        (JUSTICE + "牵头起草2023年全市法治政府建设工作要点,加强任务分解。", "2023年全市法治政府建设工作要点"),
        (CITY + "根据市委办公厅、市政府办公厅关于市属国有企业改革实施方案精神,研究制定了配套措施。", "关于市属国有企业改革实施方案"),
        (BUREAU + "按照宜昌市的“八五”普法和依法治理工作规划,认真部署普法工作。", "宜昌市八五普法和依法治理工作规划"),
        (JUSTICE + "对标《法治政府建设实施纲要(2021-2025年)》和我市实施方案,推进重点工作。", "我市实施方案"),
    ],
    ids=["issuers-before", "city-wide-plan", "year-and-scope", "about", "place-of-plan", "our-plan"],
)
def test_nlp_genre_unmarked_documents(text: str, label: str) -> None:
    entity(build(text), label, "Law")


def test_nlp_genre_unmarked_document_issuers_and_not_the_centre() -> None:
    ex = build(DISTRICT + "按照党中央、国务院《法治政府建设实施纲要(2021-2025年)》和市委、市政府实施意见,推进依法行政。")
    assert linked(ex, "市委", "市委、市政府实施意见", "issues")
    assert linked(ex, "市政府", "市委、市政府实施意见", "issues")
    assert not linked(ex, "国务院", "市委、市政府实施意见")
    assert not linked(ex, "中共中央", "市委、市政府实施意见")


@pytest.mark.parametrize("text", [JUSTICE + "制定各项实施方案,确保落实。", JUSTICE + "认真研究相关工作方案。"])
def test_nlp_genre_vague_plans_are_no_document(text: str) -> None:
    assert not labels(build(text), "Law")


def test_nlp_genre_document_jurisdiction_from_its_place() -> None:
    ex = build(BUREAU + "按照宜昌市的“八五”普法和依法治理工作规划,认真部署普法工作。")
    assert linked(ex, "宜昌市八五普法和依法治理工作规划", "宜昌市")


# -- policies and initiatives -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "type_"),
    [
        (CITY + "枝江市成功入选第三批“无废城市”建设试点,夺取“神农杯”和“大禹鼎”银鼎。", "第三批无废城市建设试点", "Initiative"),
        (CITY + "枝江市成功入选第三批“无废城市”建设试点,夺取“神农杯”和“大禹鼎”银鼎。", "神农杯", "Initiative"),
        (CITY + "枝江市成功入选第三批“无废城市”建设试点,夺取“神农杯”和“大禹鼎”银鼎。", "大禹鼎银鼎", "Initiative"),
        (DISTRICT + "举办法治政府建设专题培训班,提升干部法治素养。", "法治政府建设专题培训班", "Initiative"),
        (DISTRICT + "召开全面依法治区暨法治政府建设推进会议,部署年度工作。", "全面依法治区暨法治政府建设推进会议", "Initiative"),
        ("法治政府建设情况年度报告\n自2015年开展省依法行政考评以来,xx市排名逐年提升。", "省依法行政考评", "Initiative"),
        (BUREAU + "通过生态环境大讲堂等形式开展学习。", "生态环境大讲堂", "Initiative"),
        (CITY + "“一照通行”“多证合一”改革成效明显。", "多证合一改革", "Policy"),
        (CITY + "“一照通行”“多证合一”改革成效明显。", "一照通行改革", "Policy"),
        (DISTRICT + "对“三重一大”事项实行集体决策。", "三重一大决策制度", "Policy"),
        (DISTRICT + "表决采取主持人末位表态制。", "末位表态制", "Policy"),
        (DISTRICT + "街道聘请法律顾问,为重大决策提供意见。", "法律顾问制度", "Policy"),
        (BUREAU + "加快推进建立部门权力责任清单。", "部门权力责任清单", "Policy"),
        (CITY + "组织开展“八五”普法,营造良好氛围。", "八五普法", "Initiative"),
        (BUREAU + "开展“六五环境日”集中宣传。", "六五环境日", "Initiative"),
    ],
    ids=["honour-pilot", "honour-cup", "honour-tripod", "class", "meeting", "assessment", "lecture-hall",
         "shared-head-1", "shared-head-2", "three-important-one-big", "last-to-speak", "legal-adviser",
         "power-list", "numbered-campaign", "numbered-day"],
)
def test_nlp_genre_terms(text: str, label: str, type_: str) -> None:
    entity(build(text), label, type_)


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        (CITY + "践行“绿水青山就是金山银山”的发展理念。", "绿水青山就是金山银山"),
        (CITY + "法治建设考评全省排名逐年提升,实现“三年三级跳”。", "三年三级跳"),
        (CITY + "统筹推进“五位一体”总体布局。", "五位一体"),
        (CITY + "立足“一个统筹、四大职能”工作布局。", "一个统筹"),
        (DISTRICT + "开展12场法治宣传活动。", "场法治宣传活动"),
        (CITY + "切实增强思想自觉和行动自觉。", "行动"),
        (CITY + "项目化、清单化推进重点工作。", "清单"),
        (JUSTICE + "各单位在规定时间内整改完毕。", "整改"),
    ],
    ids=["saying", "numbered-slogan", "five-in-one", "one-overall", "count-unit", "action-self", "listify", "rectify-verb"],
)
def test_nlp_genre_no_slogans_or_fragments(text: str, bad: str) -> None:
    assert not any(norm_key(bad) in lab for lab in labels(build(text)) - labels(build(text), "Agency") - labels(build(text), "Place"))


# -- relations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "a", "b", "predicate"),
    [
        (BUREAU + "2022年,我局在市委、市政府的正确领导下,推进依法行政。", "宜昌市生态环境局", "市委", "ledBy"),
        (BUREAU + "2022年,我局在省生态环境厅的指导下,推进依法行政。", "宜昌市生态环境局", "省生态环境厅", "guidedBy"),
        (DISTRICT + "区政府每年第一季度向区委、区人大常委会报告上一年度法治政府建设情况。", "区政府", "区人大常委会", "reportsTo"),
        (JUSTICE + "报请召开市委常委会会议部署安排整改。", "荆州市司法局", "市委常委会", "reportsTo"),
        ("2018年,原国土资源部认真贯彻落实中央决策部署。积极配合国家发展改革委研究校核清单草案。", "国土资源部", "国家发展改革委", "worksWith"),
        (JUSTICE + "切实履行市委全面依法治市委员会办公室职能。", "荆州市司法局", "市委全面依法治市委员会办公室", "hosts"),
        (BUREAU + "成立了依法行政工作领导小组,统筹推进各项工作。", "宜昌市生态环境局", "依法行政工作领导小组", "establishes"),
        (BUREAU + "参加全市法治政府建设推进会议。", "宜昌市生态环境局", "法治政府建设推进会议", "participatesIn"),
        (CITY + "枝江市成功夺取“神农杯”。", "枝江市", "神农杯", "receives"),
        (DISTRICT + "区委常委会召开会议,印发《西陵区法治政府建设工作要点》。", "区委常委会", "西陵区法治政府建设工作要点", "issues"),
        (JUSTICE + "对标《法治政府建设实施纲要(2021-2025年)》和我市实施方案,牵头起草2023年全市法治政府建设工作要点。",
         "2023年全市法治政府建设工作要点", "我市实施方案", "implements"),
        (JUSTICE + "印发《荆州市司法局 荆州市教育局关于开展法治宣传周活动的通知》。", "荆州市教育局",
         "荆州市司法局荆州市教育局关于开展法治宣传周活动的通知", "issues"),
        (JUSTICE + "推动市委依法治市委四个专项协调小组推动法治政府建设督察整改。", "市委依法治市委", "法治政府建设督察整改", None),
    ],
    ids=["led-by", "guided-by", "reports-to", "submits-to", "works-with", "hosts", "establishes", "participates",
         "receives", "meeting-issues", "made-after-cited", "co-issuers", "urged-body"],
)
def test_nlp_genre_relations(text: str, a: str, b: str, predicate: str | None) -> None:
    assert linked(build(text), a, b, predicate), sorted(links(build(text)))


def test_nlp_genre_siblings_in_a_list_stay_unlinked() -> None:
    ex = build(DISTRICT + "在区委、区政府的正确领导下,区司法局会同区发展改革局、区财政局推进工作。")
    assert not linked(ex, "区委", "区政府")
    assert not linked(ex, "区发展改革局", "区财政局")


# -- statistics -------------------------------------------------------------------------------


def stats(ex: Extraction) -> list[tuple[Decimal, str, str]]:
    return [(x.value, x.unit, x.measure) for x in ex.statistics]


@pytest.mark.parametrize(
    ("text", "value", "unit", "key"),
    [
        (CITY + "经过两轮专题会议研究审定。", 2, "轮", "专题会议"),
        (BUREAU + "PM2.5平均浓度为28微克/立方米。", 28, "微克/立方米", "PM2.5"),
        (BUREAU + "空气质量优良率同比提升,改善幅度全省第三。", 3, "名", "改善幅度"),
        (BUREAU + "报告书类别项目由45%降低至39%。", 39, "%", "报告书类别项目"),
        (BUREAU + "6个县级及以上饮用水水源地水质达标率保持100%。", 6, "个", "饮用水水源地"),
        (BUREAU + "6个县级及以上饮用水水源地水质达标率保持100%。", 100, "%", "达标率"),
        (CITY + "全年开展普法讲座24课时。", 24, "课时", "普法讲座"),
    ],
    ids=["rounds", "concentration", "rank", "fell-to", "noun-phrase", "rate", "class-hours"],
)
def test_nlp_genre_statistics(text: str, value: int, unit: str, key: str) -> None:
    found = [(v, u, m) for v, u, m in stats(build(text)) if v == Decimal(value) and u == unit]
    assert found and any(key in m for _, _, m in found), stats(build(text))


def test_nlp_genre_party_sessions_are_no_statistic() -> None:
    assert not stats(build(CITY + "深入学习贯彻党的十九届二中、三中全会精神。"))


def test_nlp_genre_traditional_script_links_to_the_same_nodes() -> None:
    simplified = build(CITY + "市政府认真贯彻《法治政府建设实施纲要(2021-2025年)》,推行证明事项告知承诺制。")
    traditional = build("枝江市2022年法治政府建設情況報告\n市政府認真貫徹《法治政府建設實施綱要(2021-2025年)》,推行證明事項告知承諾制。")
    keys = {e.key for e in simplified.entities if e.type in ("Law", "Policy", "Agency")}
    assert keys and keys == {e.key for e in traditional.entities if e.type in ("Law", "Policy", "Agency")}


def test_nlp_genre_an_unnamed_department_is_not_credited_to_the_government() -> None:
    ex = build("根据有关要求,现将工作情况报告如下。\n2022年,我局全面推行证明事项告知承诺制,枝江市营商环境持续优化。")
    assert not any(e.label == "枝江市人民政府" for e in ex.entities)


@pytest.mark.parametrize("text", [CITY + "构建“一把手”负总责的工作格局。"])
def test_nlp_genre_roles_in_quotes_are_no_policy(text: str) -> None:
    assert "一把手" not in labels(build(text))
