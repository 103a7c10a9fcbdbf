"""graph.nlp, one component at a time, on small sentences written in the genre's style for
reports of a 司法局, a 街道, a 生态环境局 and a 市场监管局 (and a few from the sample report).

Each text starts with a report title, as real reports do: the title gives the issuing body and
the locality that relative names (市委, 我市, 街道党工委) are read against.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from graph.lexicon import norm_key
from graph.model import ISSUER, Annotations, Mention
from graph.nlp import COMPONENTS, annotate, get_nlp
from graph.read import read_text

SIFAJU = "咸宁市司法局2022年法治政府建设情况报告\n"
JIEDAO = "民意街道办事处2022年法治政府建设情况报告\n"
SHENGTAI = "宜昌市生态环境局2022年法治政府建设情况报告\n"
SHICHANG = "嘉鱼县市场监督管理局2022年法治政府建设情况报告\n"
JIANLI = "监利市2021年法治政府建设情况报告\n"


def run(text: str) -> Annotations:
    return annotate(read_text(text, path="report.txt"))


def names(ann: Annotations, type_: str | None = None) -> list[str]:
    """Names (as matching keys) of the mentions of a type, in text order."""
    return [norm_key(m.name) for m in ann.mentions if type_ is None or m.type == type_]


def find(ann: Annotations, name: str, type_: str | None = None) -> Mention:
    hits = [m for m in ann.mentions if norm_key(m.name) == norm_key(name) and (type_ is None or m.type == type_)]
    assert hits, f"no {type_ or 'mention'} {name!r} among {[(m.type, m.name) for m in ann.mentions]}"
    return hits[0]


def relations(ann: Annotations) -> set[tuple[str, str, str]]:
    """(subject, predicate, object) by mention name; the report's issuer is 'ISSUER'."""

    def name(i: int) -> str:
        return "ISSUER" if i == ISSUER else norm_key(ann.mentions[i].name)

    return {(name(r.subject), r.predicate, name(r.object)) for r in ann.relations}


def linked(ann: Annotations, a: str, b: str) -> bool:
    return any({s, o} == {norm_key(a), norm_key(b)} for s, _, o in relations(ann))


def test_nlp_pipeline_has_the_govkg_components_in_order() -> None:
    assert get_nlp().pipe_names == list(COMPONENTS)


def test_nlp_offsets_point_into_the_original_text() -> None:
    # full-width digits and brackets are folded for matching, but offsets and surface forms
    # are those of the text as written
    text = SIFAJU + "全年收到行政复议申请１２件，落实《法治政府建设实施纲要（２０２１－２０２５年）》。"
    doc = read_text(text, path="report.txt")
    ann = annotate(doc)
    assert ann.mentions and ann.statistics
    for m in ann.mentions:
        assert doc.text[m.start : m.end] == m.text
    for x in ann.statistics:
        assert doc.text[x.start : x.end] == x.text
    for s in ann.sentences:
        assert doc.text[s.start : s.end] == s.text


# -- govkg_sections -----------------------------------------------------------------------------

REPORT_WITH_SECTIONS = (
    SIFAJU
    + "一、2022年法治政府建设主要举措和成效\n"
    + "（一）规范行政复议工作。全年收到行政复议申请20件。\n"
    + "二、存在的不足和原因\n"
    + "（一）执法队伍方面。个别执法人员法治意识不强。\n"
    + "三、2023年工作安排\n"
    + "全面推行行政执法三项制度。\n"
)


@pytest.mark.parametrize(
    ("fragment", "role"),
    [
        ("全年收到行政复议申请20件", "achievement"),
        ("规范行政复议工作", "achievement"),
        ("个别执法人员法治意识不强", "problem"),
        ("执法队伍方面", "problem"),
        ("全面推行行政执法三项制度", "plan"),
    ],
    ids=["achievement", "achievement-subheading", "problem", "problem-subheading", "plan"],
)
def test_nlp_sections_role_from_heading(fragment: str, role: str) -> None:
    ann = run(REPORT_WITH_SECTIONS)
    sent = next(s for s in ann.sentences if fragment in s.text)
    assert sent.role == role


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("二、存在的问题", "problem"),
        ("二、困难和短板", "problem"),
        ("三、下一步工作打算", "plan"),
        ("三、2023年工作思路", "plan"),
        ("一、工作开展情况", "achievement"),
    ],
    ids=["problem", "shortcoming", "next-steps", "plan-of-year", "work-done"],
)
def test_nlp_sections_heading_words_set_the_role(heading: str, role: str) -> None:
    # after a section of another role, so that the heading has to change it
    before = "三、2023年工作计划\n推进依法行政。\n" if role != "plan" else "二、存在的问题\n执法力量不足。\n"
    ann = run(SHENGTAI + before + heading + "\n部分企业守法意识不强，推进执法队伍建设。\n")
    body = next(s for s in ann.sentences if "守法意识" in s.text)
    assert body.role == role
    head = next(s for s in ann.sentences if s.text.startswith(heading))
    assert head.heading


def test_nlp_sections_split_sentences_outside_quotes_and_titles() -> None:
    ann = run(JIEDAO + "提出“办实事。解难题”工作要求。印发《关于做好工作的通知。》。全年调解纠纷30件。")
    texts = [s.text for s in ann.sentences]
    assert "提出“办实事。解难题”工作要求。" in texts
    assert "印发《关于做好工作的通知。》。" in texts
    assert "全年调解纠纷30件。" in texts


# -- govkg_places -------------------------------------------------------------------------------


def test_nlp_places_relative_reference_to_own_place() -> None:
    ann = run(SIFAJU + "我市扎实推进法治政府建设。")
    m = find(ann, "我市", "Place")
    assert m.hint("relative") == "市"


@pytest.mark.parametrize(
    ("text", "site"),
    [
        (SHENGTAI + "在滨江法治文化公园举办宪法宣传活动。", "滨江法治文化公园"),
        (SIFAJU + "新建的温泉法治广场已投入使用。", "温泉法治广场"),
        (JIANLI + "林长河法治文化公园作为我市重点法治文化阵地，目前已建设完成。", "林长河法治文化公园"),
    ],
    ids=["park", "square", "seed-park"],
)
def test_nlp_places_named_sites(text: str, site: str) -> None:
    m = find(run(text), site, "Place")
    assert m.hint("site")


@pytest.mark.parametrize(
    "text",
    [
        SIFAJU + "组织干部职工到公园开展普法宣传。",
        JIEDAO + "在社区广场设置法治宣传展板。",
        SHENGTAI + "在各乡镇广场开展环保宣传。",
    ],
    ids=["to-the-park", "community-square", "township-squares"],
)
def test_nlp_places_generic_parks_and_squares_are_not_named_sites(text: str) -> None:
    assert not [m for m in run(text).mentions if m.hint("site")]


def test_nlp_places_site_lies_in_the_district_named_before_it() -> None:
    ann = run(SHENGTAI + "在夷陵区滨江法治文化公园举办宪法宣传活动。")
    assert ("滨江法治文化公园", "locatedIn", "夷陵区") in relations(ann)


@pytest.mark.parametrize("city", ["深圳", "佛山", "东莞"], ids=["shenzhen", "foshan", "dongguan"])
def test_nlp_places_short_names_of_cities(city: str) -> None:
    ann = run(SIFAJU + "推动跨省通办服务向深圳、佛山、东莞延伸。")
    assert city in names(ann, "Place")


def test_nlp_places_county_short_name_not_matched_in_another_report() -> None:
    # 嘉鱼 (嘉鱼县) and 监利 (监利市, a county-level city) stand alone only in their own reports
    ann = run(SHENGTAI + "学习嘉鱼、监利的经验做法。")
    assert "嘉鱼" not in names(ann)
    assert "监利" not in names(ann)


def test_nlp_places_county_short_name_matched_in_its_own_report() -> None:
    ann = run(SHICHANG + "嘉鱼的经验在全省推广。")
    assert "嘉鱼" in names(ann, "Place")


def test_nlp_places_page_debris_is_not_annotated() -> None:
    text = SHENGTAI + "来源：荆州市人民政府网    浏览次数：1268\n全年办理赔偿案件11件。\n"
    ann = run(text)
    assert "荆州市" not in names(ann)
    assert "荆州市人民政府" not in names(ann)


# -- govkg_agencies -----------------------------------------------------------------------------


def test_nlp_agencies_market_regulation_bureau_is_one_agency() -> None:
    text = SHICHANG + "县市场监督管理局全面推行证明事项告知承诺制。"
    ann = run(text)
    s = text.index("县市场监督管理局", len(SHICHANG))
    e = s + len("县市场监督管理局")
    overlapping = [m for m in ann.mentions if m.type == "Agency" and m.start < e and s < m.end]
    assert [(m.start, m.end) for m in overlapping] == [(s, e)]
    assert overlapping[0].hint("relative") == "县"


@pytest.mark.parametrize(
    ("text", "agency", "relative"),
    [
        (JIANLI + "在市委、市政府的坚强领导下推进工作。", "市委", "市"),
        (JIANLI + "在市委、市政府的坚强领导下推进工作。", "市政府", "市"),
        (SIFAJU + "在省司法厅的业务指导下开展工作。", "省司法厅", "省"),
        (JIEDAO + "街道党工委专题研究法治建设工作4次。", "街道党工委", "街道"),
        (SHICHANG + "县司法局开展行政执法案卷评查。", "县司法局", "县"),
    ],
    ids=["city-party-committee", "city-government", "province-department", "street-party-committee", "county-bureau"],
)
def test_nlp_agencies_relative_names(text: str, agency: str, relative: str) -> None:
    m = find(run(text), agency, "Agency")
    assert m.hint("relative") == relative


def test_nlp_agencies_central_bodies_in_a_list() -> None:
    ann = run(SHENGTAI + "认真贯彻中共中央、国务院关于生态文明建设的决策部署。")
    for body in ("中共中央", "国务院"):
        assert find(ann, body, "Agency").hint("national")
    assert names(ann, "Agency").count("中共中央国务院") == 0


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        pytest.param(JIEDAO + "组建街道综合行政执法中队，划转执法事项126项。", "街道综合行政执法中队", id="street-squad"),
        pytest.param(SIFAJU + "调整充实市法治建设领导小组。", "市法治建设领导小组", id="leading-group"),
        pytest.param(
            SIFAJU + "市政府法律顾问团全年审查合同30份。",
            "市政府法律顾问团",
            id="legal-advisers",
        ),
    ],
)
def test_nlp_agencies_bodies_not_in_the_lexicon(text: str, agency: str) -> None:
    ann = run(text)
    m = find(ann, agency, "Agency")
    # and no shorter agency cut out of it
    inner = [x for x in ann.mentions if x.type == "Agency" and x is not m and m.start <= x.start and x.end <= m.end]
    assert not inner


# -- govkg_laws ---------------------------------------------------------------------------------


def test_nlp_laws_titles_without_marks() -> None:
    ann = run(SIFAJU + "修订《咸宁市行政执法公示办法》，落实《法治政府建设实施纲要（2021－2025年）》。")
    assert names(ann, "Law") == ["咸宁市行政执法公示办法", "法治政府建设实施纲要(2021-2025年)"]


def test_nlp_laws_media_titles_are_not_laws() -> None:
    ann = run(SHENGTAI + "在《三峡日报》开设普法专栏。")
    assert names(ann, "Law") == []


def test_nlp_laws_nested_title() -> None:
    ann = run(SHENGTAI + "印发《关于印发〈宜昌市生态环境行政处罚裁量基准〉的通知》。")
    outer = find(ann, "关于印发宜昌市生态环境行政处罚裁量基准的通知", "Law")
    inner = find(ann, "宜昌市生态环境行政处罚裁量基准", "Law")
    assert inner.hint("inner")
    assert outer.start < inner.start and inner.end < outer.end


@pytest.mark.parametrize(
    ("text", "law"),
    [
        (SHENGTAI + "认真学习宣传长江保护法。", "长江保护法"),
        (SIFAJU + "组织学习行政复议法，提升办案能力。", "行政复议法"),
        (SHENGTAI + "落实《中华人民共和国环境保护法》。", "环境保护法"),
    ],
    ids=["unmarked", "unmarked-in-clause", "marked-with-prc-prefix"],
)
def test_nlp_laws_national_laws_with_and_without_marks(text: str, law: str) -> None:
    m = next(m for m in run(text).mentions if m.type == "Law")
    assert m.hint("national") == law


@pytest.mark.parametrize(
    ("text", "issuers", "law"),
    [
        (SHENGTAI + "严格执行国务院《优化营商环境条例》。", {"国务院"}, "优化营商环境条例"),
        (
            SIFAJU + "学习中共中央、国务院《法治政府建设实施纲要（2021－2025年）》。",
            {"中共中央", "国务院"},
            "法治政府建设实施纲要(2021-2025年)",
        ),
        (
            SHENGTAI + "贯彻中共中央、国务院印发的《关于深化生态保护补偿制度改革的意见》。",
            {"中共中央", "国务院"},
            "关于深化生态保护补偿制度改革的意见",
        ),
    ],
    ids=["state-council", "central-committee-and-state-council", "with-verb-between"],
)
def test_nlp_laws_issuer_right_before_the_title(text: str, issuers: set[str], law: str) -> None:
    rels = relations(run(text))
    assert {s for s, p, o in rels if p == "issues" and o == law} == issuers


@pytest.mark.parametrize(
    ("text", "issuer", "law"),
    [
        (
            SHICHANG + "按照《嘉鱼县人民政府行政规范性文件管理办法》开展合法性审查。",
            "嘉鱼县人民政府",
            "嘉鱼县人民政府行政规范性文件管理办法",
        ),
        (JIANLI + "按照《监利市人民政府重大行政决策程序规定》落实公众参与。", "监利市人民政府", "监利市人民政府重大行政决策程序规定"),
    ],
    ids=["county-government", "seed-city-government"],
)
def test_nlp_laws_issuer_at_the_head_of_the_title(text: str, issuer: str, law: str) -> None:
    assert (issuer, "issues", law) in relations(run(text))


# -- govkg_terms --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "core", "type_"),
    [
        (SHICHANG + "持续深化“证照分离”改革。", "证照分离改革", "证照分离", "Policy"),
        (SIFAJU + "深入开展“减证便民”专项行动。", "减证便民专项行动", "减证便民", "Initiative"),
        (JIEDAO + "组织开展“宪法进社区”主题活动。", "宪法进社区主题活动", "宪法进社区", "Initiative"),
        # 监管 is no head word: the name is what the quotes hold
        pytest.param(
            SHENGTAI + "全面推行生态环境“双随机、一公开”监管模式。",
            "双随机、一公开",
            "双随机、一公开",
            "Policy",
            id="short-list-in-quotes",
        ),
    ],
    ids=["reform", "campaign", "activity", "short-list-in-quotes"],
)
def test_nlp_terms_quoted_name_keeps_its_head(text: str, name: str, core: str, type_: str) -> None:
    m = find(run(text), name, type_)
    assert norm_key(m.core or "") == core


@pytest.mark.parametrize(
    ("text", "name", "type_"),
    [
        (SHICHANG + "全面推行证明事项告知承诺制。", "证明事项告知承诺制", "Policy"),
        (SIFAJU + "严格落实行政机关负责人出庭应诉制度。", "行政机关负责人出庭应诉制度", "Policy"),
        (SHENGTAI + "落实生态环境损害赔偿制度，办理赔偿案件11件。", "生态环境损害赔偿制度", "Policy"),
        (SIFAJU + "组织开展行政执法案卷评查。", "行政执法案卷评查", "Initiative"),
    ],
    ids=["commitment-system", "court-appearance-system", "compensation-system", "case-file-review"],
)
def test_nlp_terms_unquoted_names(text: str, name: str, type_: str) -> None:
    find(run(text), name, type_)


@pytest.mark.parametrize(
    ("text", "slogan"),
    [
        (SIFAJU + "紧紧抓住领导干部这个“关键少数”。", "关键少数"),
        (SHICHANG + "个别执法人员存在“重行政、轻法律”现象。", "重行政、轻法律"),
        (SHENGTAI + "牢固树立“绿水青山就是金山银山”理念。", "绿水青山就是金山银山"),
        (SIFAJU + "部分部门存在“重业务、轻普法”倾向。", "重业务、轻普法"),
    ],
    ids=["key-minority", "admin-over-law", "green-mountains", "business-over-law"],
)
def test_nlp_terms_slogans_are_not_entities(text: str, slogan: str) -> None:
    ann = run(text)
    assert not [m for m in ann.mentions if norm_key(slogan) in norm_key(m.name)]


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (
            SHENGTAI + "深入开展扬尘污染治理、煤烟治理、工业污染源治理、秸秆露天焚烧治理等多项环境治理行动。",
            ["扬尘污染治理", "煤烟治理", "工业污染源治理", "秸秆露天焚烧治理"],
        ),
        (
            SHENGTAI + "深入开展机动车尾气治理、餐饮油烟治理、建筑工地扬尘治理等多项大气污染防治行动。",
            ["机动车尾气治理", "餐饮油烟治理", "建筑工地扬尘治理"],
        ),
    ],
    ids=["seed-environment", "air-pollution"],
)
def test_nlp_terms_list_items_before_a_summary_head(text: str, items: list[str]) -> None:
    ann = run(text)
    assert names(ann, "Initiative") == items
    # the summary (多项…行动) names nothing of its own
    assert not [m for m in ann.mentions if m.name.endswith("行动")]


# -- govkg_statistics ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "measure_word"),
    [
        (SIFAJU + "全年共收到行政复议申请12件。", "12", "件", "行政复议申请"),
        (SIFAJU + "网上办件办结率99.3%。", "99.3", "%", "办结率"),
        (SIFAJU + "为农民工追回被拖欠工资1269万元。", "12690000", "元", "工资"),
        (SHENGTAI + "罚没款1237.5万元。", "12375000", "元", "罚没款"),
        (SIFAJU + "完成不动产系统、公积金系统等两个系统的对接。", "2", "个", "系统"),
        (JIEDAO + "全年办理各类事项1.2万件。", "12000", "件", "事项"),
        (SHICHANG + "全年检查食品经营户356户次。", "356", "户次", "食品经营户"),
    ],
    ids=["count", "percent", "wan-yuan", "decimal-wan-yuan", "chinese-numeral", "wan-count", "compound-unit"],
)
def test_nlp_statistics_value_unit_measure(text: str, value: str, unit: str, measure_word: str) -> None:
    stats = run(text).statistics
    assert len(stats) == 1
    x = stats[0]
    assert x.value == Decimal(value)
    assert x.unit == unit
    assert measure_word in x.measure
    assert not x.approximate


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (SIFAJU + "共出具法律意见书25余次。", "25"),
        (JIEDAO + "受益群众5000余人次。", "5000"),
        (SHENGTAI + "出动执法人员约300人次。", "300"),
    ],
    ids=["yu", "yu-person-times", "yue"],
)
def test_nlp_statistics_approximate_numbers(text: str, value: str) -> None:
    stats = run(text).statistics
    assert [x.value for x in stats] == [Decimal(value)]
    assert stats[0].approximate


@pytest.mark.parametrize(
    "text",
    [
        SIFAJU + "2022年，市司法局召开第3次党组会议。",
        SIFAJU + "2021年第二季度，法治宣传工作稳步推进。",
        SIFAJU + "1.加强组织领导。2.完善工作制度。",
        SIFAJU + "2022年3月15日，召开法治政府建设推进会。",
        SIFAJU + "推进《法治政府建设实施纲要（2021－2025年）》落实。",
        SIFAJU + "深化“八五”普法工作。",
    ],
    ids=["year-and-ordinal", "quarter", "list-numbers", "date", "years-in-title", "numeral-in-quotes"],
)
def test_nlp_statistics_years_dates_ordinals_are_not_statistics(text: str) -> None:
    assert run(text).statistics == ()


# -- govkg_relations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "predicate", "obj"),
    [
        (SHICHANG + "全面推行证明事项告知承诺制。", "implements", "证明事项告知承诺制"),
        (SIFAJU + "深入开展“减证便民”专项行动。", "organizes", "减证便民专项行动"),
        (SHENGTAI + "认真贯彻落实《中华人民共和国长江保护法》。", "implements", "中华人民共和国长江保护法"),
    ],
    ids=["policy", "initiative", "law"],
)
def test_nlp_relations_the_issuer_is_the_implicit_subject(text: str, predicate: str, obj: str) -> None:
    assert ("ISSUER", predicate, obj) in relations(run(text))


def test_nlp_relations_no_implementation_in_the_problem_section() -> None:
    ann = run(SIFAJU + "二、存在的问题\n行政机关负责人出庭应诉制度落实不够到位。\n")
    find(ann, "行政机关负责人出庭应诉制度", "Policy")
    assert not [r for r in relations(ann) if r[2] == "行政机关负责人出庭应诉制度"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(SIFAJU + "市委宣传部、市纪监委、市融媒体中心等部门深入开展《民法典》、《长江保护法》等系列宣传活动。", id="titles-then-campaign"),
        pytest.param(SIFAJU + "市委宣传部、市纪监委、市融媒体中心等部门联合开展民法典宣传活动。", id="campaign-named-after-law"),
        pytest.param(
            SIFAJU + "市委宣传部、市纪监委、市融媒体中心等部门深入开展《民法典》宣传活动。",
            id="title-as-modifier",
        ),
    ],
)
def test_nlp_relations_a_list_of_agencies_promotes_a_law(text: str) -> None:
    rels = relations(run(text))
    promoters = {s for s, p, o in rels if p == "promotes" and "民法典" in o}
    assert promoters == {"市委宣传部", "市纪监委", "市融媒体中心"}


def test_nlp_relations_siblings_in_a_list_are_not_linked() -> None:
    ann = run(SIFAJU + "市委宣传部、市纪监委、市融媒体中心等部门深入开展《民法典》、《长江保护法》等系列宣传活动。")
    assert len(ann.relations) >= 6  # each agency promotes each law …
    for a, b in [("市委宣传部", "市纪监委"), ("市纪监委", "市融媒体中心"), ("市委宣传部", "市融媒体中心")]:
        assert not linked(ann, a, b)  # … and the agencies are not linked to each other
    assert not linked(ann, "民法典", "长江保护法")


def test_nlp_relations_extends_to_each_place() -> None:
    ann = run(SIFAJU + "推动跨省通办服务向深圳、佛山、东莞延伸。")
    rels = relations(ann)
    for city in ("深圳", "佛山", "东莞"):
        assert ("跨省通办", "extendsTo", city) in rels
    for a, b in [("深圳", "佛山"), ("佛山", "东莞"), ("深圳", "东莞")]:
        assert not linked(ann, a, b)


def test_nlp_relations_initiative_based_on_a_document() -> None:
    ann = run(SIFAJU + "根据《咸宁市行政执法公示办法》，组织开展行政执法案卷评查。")
    assert ("行政执法案卷评查", "basedOn", "咸宁市行政执法公示办法") in relations(ann)


def test_nlp_relations_central_issuer_not_linked_to_the_local_rule_beside() -> None:
    text = SIFAJU + "严格执行国务院《重大行政决策程序暂行条例》，按照《咸宁市人民政府重大行政决策程序规定》落实公众参与。"
    ann = run(text)
    rels = relations(ann)
    assert ("国务院", "issues", "重大行政决策程序暂行条例") in rels
    assert ("咸宁市人民政府", "issues", "咸宁市人民政府重大行政决策程序规定") in rels
    assert not linked(ann, "国务院", "咸宁市人民政府重大行政决策程序规定")


def test_nlp_relations_local_plan_implements_the_national_outline() -> None:
    text = (
        SIFAJU + "对照中共中央、国务院《法治政府建设实施纲要（2021－2025年）》，"
        "市政府制定《咸宁市法治政府建设实施方案（2021－2025年）》。"
    )
    ann = run(text)
    rels = relations(ann)
    plan, outline = "咸宁市法治政府建设实施方案(2021-2025年)", "法治政府建设实施纲要(2021-2025年)"
    assert (plan, "implements", outline) in rels
    assert ("市政府", "issues", plan) in rels
    for central in ("中共中央", "国务院"):
        assert (central, "issues", outline) in rels
        assert not linked(ann, central, plan)


def test_nlp_relations_every_relation_joins_mentions_of_its_sentence() -> None:
    text = (
        SIFAJU
        + "根据《咸宁市行政执法公示办法》，组织开展行政执法案卷评查。"
        + "市委宣传部、市纪监委等部门深入开展《民法典》、《长江保护法》等系列宣传活动。"
        + "推动跨省通办服务向深圳、佛山延伸。"
    )
    ann = run(text)
    assert ann.relations
    for r in ann.relations:
        obj = ann.mentions[r.object]
        assert r.sentence == obj.sentence
        if r.subject != ISSUER:
            assert ann.mentions[r.subject].sentence == obj.sentence
        sent = ann.sentences[r.sentence]
        assert sent.start <= r.start < r.end <= sent.end


@pytest.mark.parametrize(
    "text",
    ["市司法局推进依法行政。", "  两个 空格  和\t制表符 。 结尾 ", "2022年，全市办理行政复议案件12件 ,同比增长5%。\n\n二、存在问题", "ＡＢＣ　全角"],
)
def test_nlp_make_doc_aligns_words_as_spacy_does(text: str) -> None:
    from graph.nlp import make_doc

    nlp = get_nlp()
    assert [t.text_with_ws for t in make_doc(nlp, text)] == [t.text_with_ws for t in nlp.make_doc(text)]
