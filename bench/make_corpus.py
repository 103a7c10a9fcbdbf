"""A seeded generator of synthetic 法治政府建设情况报告 for benchmarks and generalisation tests.

Each report is drawn from its own ``random.Random`` (seeded from the corpus seed and the
report's index), so a corpus is reproducible byte for byte and any report can be regenerated
alone. Reports vary in issuing body (市/县/区 governments, 司法局, 生态环境局, 市场监督管理局 and
other departments from ``graph/data/bodies.tsv``, 街道办事处), locality (``divisions.tsv``),
year (2019–2024), length, punctuation width, encoding (a share in GB18030) and web-page
debris (发布时间, 来源, 浏览次数, 打印|关闭 …). The sentences follow the genre's patterns with
templates of this module's own: laws cited in 《》 and unmarked, local rules that carry their
issuing body, issuers before titles, quoted reforms with head words, unquoted systems,
campaigns, lists of agencies as subjects, statistics in many forms, extension to other
places, and quoted slogans that are not entities.

Every report comes with the list of what the generator planted in it (:class:`Planted`), so
a test can measure how much of it govkg's extraction finds (:func:`score_planted`).

Usage::

    python bench/make_corpus.py OUT_DIR --reports 200 --seed 1 [--chars 4000] [--gbk-share 0.1]

writes ``OUT_DIR/<province code>/<file>.txt`` and ``OUT_DIR/planted.jsonl`` (one line per
report: its file and planted items).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.model import Extraction

__all__ = [
    "Planted",
    "GeneratedReport",
    "Score",
    "generate_report",
    "make_report",
    "write_corpus",
    "read_manifest",
    "score_planted",
    "main",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "graph" / "data"
MANIFEST = "planted.jsonl"


# --------------------------------------------------------------------------------------------
# what a report plants


@dataclass(frozen=True)
class Planted:
    """One thing the generator put into a report, and how it should come out.

    ``type`` is an entity type (Agency, Law, Policy, Initiative, Place), ``Statistic``,
    ``Target`` (a number in the plans section: the NLP may rightly leave it out), or
    ``Negative`` (a quoted slogan that must not become an entity). ``names`` are the labels an
    extraction may give it (the first is the expected canonical one); ``form`` says which
    pattern of the genre planted it (``law_marked``, ``reform_quoted_head``, ``stat_cn`` …).
    Statistics carry their normalised ``value`` and ``unit`` and a ``key`` word of what they
    count.
    """

    type: str
    form: str
    surface: str
    names: tuple[str, ...] = ()
    value: str | None = None  # a Decimal as text, so the manifest is plain JSON
    unit: str | None = None
    key: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain-JSON dict of the item (for the corpus manifest)."""
        d: dict[str, Any] = {"type": self.type, "form": self.form, "surface": self.surface}
        if self.names:
            d["names"] = list(self.names)
        for k in ("value", "unit", "key"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Planted:
        """The inverse of :meth:`to_json`."""
        return cls(d["type"], d["form"], d["surface"], tuple(d.get("names", ())), d.get("value"),
                   d.get("unit"), d.get("key"))


@dataclass(frozen=True)
class GeneratedReport:
    """A generated report: where it goes, its text, its encoding and what it plants."""

    index: int
    folder: str
    name: str
    text: str
    encoding: str
    planted: tuple[Planted, ...]

    def data(self) -> bytes:
        """The bytes written to disk."""
        return self.text.encode(self.encoding)


# --------------------------------------------------------------------------------------------
# reference data, read from graph/data


@dataclass(frozen=True)
class _Div:
    code: str
    name: str
    parent: str | None
    level: str

    @property
    def rel(self) -> str | None:
        """The relative prefix the report uses for its own place (市, 县, 区, 州), if any."""
        if self.name.endswith("自治州"):
            return "州"
        if self.name.endswith("自治县"):
            return "县"
        last = self.name[-1]
        return last if last in "市县区" else None

    @property
    def short(self) -> str:
        """The name without its level suffix (监利市 -> 监利)."""
        m = re.match(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)*(?:自治州|自治县|市|县|区|州)$", self.name)
        return m.group(1) if m else self.name


def _tsv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"))


@cache
def _divisions() -> dict[str, _Div]:
    return {r["code"]: _Div(r["code"], r["name"], r["parent"] or None, r["level"]) for r in _tsv("divisions.tsv")}


@cache
def _ambiguous() -> frozenset[str]:
    words: list[str] = []
    for line in (DATA_DIR / "ambiguous_places.txt").read_text(encoding="utf-8").splitlines():
        words.extend(line.split("#", 1)[0].split())
    return frozenset(words)


@cache
def _division_pools() -> tuple[tuple[_Div, ...], tuple[_Div, ...], tuple[_Div, ...], tuple[_Div, ...]]:
    """(counties, prefectures, districts, extension cities): divisions a report can be about."""
    divs = _divisions()
    names: dict[str, int] = {}
    for d in divs.values():
        names[d.name] = names.get(d.name, 0) + 1
    counties = tuple(d for d in divs.values() if d.level == "county" and d.rel and d.parent in divs)
    prefectures = tuple(d for d in divs.values() if d.level == "prefecture" and d.rel in ("市", "州"))
    districts = tuple(d for d in counties if d.rel == "区")
    ambiguous = _ambiguous()
    # cities named by their short form in 向深圳、佛山延伸: unique, unambiguous two-character stems
    cities = tuple(
        d for d in prefectures
        if d.name.endswith("市") and len(d.short) == 2 and d.short not in ambiguous and names[d.name] == 1
        and d.short not in names
    )
    return counties, prefectures, districts, cities


@cache
def _national_laws() -> dict[str, tuple[str, int | None]]:
    """title -> (category, year of its earliest listed version)."""
    out: dict[str, tuple[str, int | None]] = {}
    for r in _tsv("national_laws.tsv"):
        year = int(r["effective_date"][:4]) if r["effective_date"][:4].isdigit() else None
        old = out.get(r["title"])
        if old is not None and old[1] is not None and (year is None or old[1] <= year):
            continue
        out[r["title"]] = (r["category"], year)
    return out


@cache
def _broad_laws() -> tuple[str, ...]:
    """National laws and regulations of the kinds local reports cite, beyond the core lists."""
    keep = {"宪法相关法", "行政法", "经济法", "社会法", "民法商法", "诉讼与非诉讼程序法", "行政法规"}
    skip = re.compile(r"军|香港|澳门|台湾|修正案|关于|[（(]|实施细则|外国|领事|领海|国旗|国徽|国歌|勋章|戒严|引渡|豁免")
    return tuple(
        t for t, (cat, _) in _national_laws().items()
        if cat in keep and re.search(r"(?:法|条例)$", t) and 3 <= len(t) <= 12 and not skip.search(t)
    )


@cache
def _departments() -> tuple[str, ...]:
    """Bodies of a local government that can stand in a list (市司法局, 区教育局 …)."""
    skip = {
        "住建局", "人社局", "文旅局", "卫健局", "发改局", "经信局", "城管局", "医保局", "民宗局", "政数局",
        "环保局", "安监局", "工商局", "食药监局", "质监局", "物价局", "国土资源局", "城管执法局", "综合执法局",
        "税务局", "气象局", "烟草专卖局", "邮政管理局", "海事局", "港航局", "移民局", "档案局", "粮食局",
        "科学技术局", "环境保护局", "安全生产监督管理局", "食品药品监督管理局", "规划局", "城乡规划局",
        "房地产管理局", "住房保障局", "园林局", "数据局", "经济信息化局", "科学技术和经济信息化局",
        "地方金融监督管理局", "金融工作局", "生态环境分局", "水利和湖泊局", "政务服务和数字化局",
        "政务服务数据管理局", "大数据管理局", "营商环境建设局", "乡村振兴局", "城市管理综合执法局",
    }
    return tuple(
        r["name"] for r in _tsv("bodies.tsv")
        if r["kind"] == "department" and r["bare"] == "yes" and r["name"].endswith("局") and r["name"] not in skip
    )


_SHORT_FORMS = {
    "住房和城乡建设局": "住建局", "人力资源和社会保障局": "人社局", "文化和旅游局": "文旅局",
    "卫生健康局": "卫健局", "市场监督管理局": "市场监管局", "城市管理执法局": "城管局", "医疗保障局": "医保局",
}

# --------------------------------------------------------------------------------------------
# content pools (the module's own wording)

#: Laws a report of each kind of body tends to cite; the rest come from the broad pool.
_LAWS_CORE = (
    "宪法", "行政处罚法", "行政许可法", "行政复议法", "行政诉讼法", "行政强制法", "国家赔偿法", "法律援助法",
    "公职人员政务处分法", "监察法", "乡村振兴促进法", "数据安全法", "个人信息保护法", "长江保护法", "安全生产法",
    "未成年人保护法", "反电信网络诈骗法", "家庭教育促进法", "反食品浪费法", "外商投资法",
)
_LAWS_BY_BODY = {
    "司法局": ("法律援助法", "人民调解法", "行政复议法", "律师法", "公证法", "社区矫正法", "行政诉讼法"),
    "生态环境局": ("环境保护法", "大气污染防治法", "水污染防治法", "土壤污染防治法", "固体废物污染环境防治法",
               "噪声污染防治法", "环境影响评价法", "长江保护法", "黄河保护法", "排污许可管理条例"),
    "市场监督管理局": ("食品安全法", "产品质量法", "反不正当竞争法", "消费者权益保护法", "广告法", "价格法",
                "特种设备安全法", "药品管理法", "市场主体登记管理条例", "食品安全法实施条例"),
    "人力资源和社会保障局": ("劳动合同法", "社会保险法", "保障农民工工资支付条例", "劳动法", "就业促进法"),
    "应急管理局": ("安全生产法", "突发事件应对法", "消防法", "安全生产许可证条例"),
    "交通运输局": ("道路交通安全法", "公路法", "安全生产法"),
    "自然资源和规划局": ("土地管理法", "城乡规划法", "森林法", "矿产资源法"),
    "自然资源局": ("土地管理法", "森林法", "矿产资源法"),
    "农业农村局": ("乡村振兴促进法", "农产品质量安全法", "种子法", "动物防疫法", "畜牧法"),
    "住房和城乡建设局": ("建筑法", "城乡规划法", "城市房地产管理法"),
    "教育局": ("教育法", "未成年人保护法", "家庭教育促进法", "义务教育法", "教师法"),
    "公安局": ("治安管理处罚法", "道路交通安全法", "禁毒法", "反电信网络诈骗法", "反恐怖主义法"),
    "卫生健康局": ("传染病防治法", "基本医疗卫生与健康促进法", "医师法", "精神卫生法"),
    "卫生健康委员会": ("传染病防治法", "基本医疗卫生与健康促进法", "医师法"),
    "文化和旅游局": ("旅游法", "文物保护法", "公共文化服务保障法", "非物质文化遗产法"),
    "民政局": ("慈善法", "老年人权益保障法", "未成年人保护法", "反家庭暴力法"),
    "统计局": ("统计法",),
    "审计局": ("审计法", "预算法"),
    "财政局": ("预算法", "政府采购法", "会计法"),
    "水利局": ("水法", "防洪法", "水土保持法", "长江保护法"),
    "林业局": ("森林法", "野生动物保护法", "湿地保护法"),
}
#: Administrative regulations a report cites, often with 国务院 before the title.
_REGULATIONS = (
    "优化营商环境条例", "重大行政决策程序暂行条例", "政府信息公开条例", "保障农民工工资支付条例",
    "法规规章备案条例", "规章制定程序条例", "市场主体登记管理条例", "排污许可管理条例", "信访工作条例",
)
#: Central documents: (title, issuers, first report year, last report year).
_CENTRAL_DOCS = (
    ("法治政府建设实施纲要（2015－2020年）", ("中共中央", "国务院"), 2019, 2020),
    ("法治政府建设实施纲要（2021－2025年）", ("中共中央", "国务院"), 2021, 2024),
    ("法治中国建设规划（2020－2025年）", ("中共中央",), 2021, 2024),
    ("法治社会建设实施纲要（2020－2025年）", ("中共中央",), 2021, 2024),
    ("关于加强数字政府建设的指导意见", ("国务院",), 2022, 2024),
    ("关于全面推行行政规范性文件合法性审核机制的指导意见", ("国务院办公厅",), 2019, 2021),
    ("关于加强行政执法协调监督工作体系建设的意见", ("国务院办公厅",), 2024, 2024),
)
_NATIONAL_ISSUER_FULL = {"中共中央": "中共中央", "国务院": "国务院", "国务院办公厅": "国务院办公厅"}

#: Quoted reforms with their head word: “证照分离”改革 …
_REFORMS = (
    ("放管服", "改革"), ("证照分离", "改革"), ("最多跑一次", "改革"), ("一业一证", "改革"), ("多证合一", "改革"),
    ("照后减证", "改革"), ("证照联办", "改革"), ("区域评估", "改革"), ("标准地", "改革"), ("拿地即开工", "改革"),
    ("交房即交证", "改革"), ("多测合一", "改革"), ("一枚印章管审批", "改革"), ("一件事一次办", "改革"),
    ("街道吹哨、部门报到", "机制"), ("接诉即办", "机制"), ("一案双查", "机制"), ("府院联动", "机制"),
    ("两法衔接", "机制"), ("周末不打烊", "服务"), ("首席服务官", "制度"), ("局长走流程", "机制"),
    ("谁执法谁普法", "普法责任制"), ("双随机、一公开", "监管机制"), ("一站式", "服务"),
)
#: Quoted names of standing ways of working, after a verb, with no head word: 推行“一网通办”.
_QUOTED_POLICIES = (
    "一网通办", "一窗受理", "不见面审批", "一次办好", "掌上办", "跨省通办", "全省通办", "帮办代办", "秒批秒办",
    "免申即享", "容缺受理", "证照分离", "最多跑一次", "双随机、一公开", "互联网+监管", "互联网+政务服务", "好差评",
    "非接触式办税", "一码通办", "无证明城市",
)
#: Unquoted systems and mechanisms.
_SYSTEMS = (
    "证明事项告知承诺制", "涉企经营许可事项告知承诺制", "行政机关负责人出庭应诉制度", "重大执法决定法制审核制度",
    "行政执法公示制度", "执法全过程记录制度", "行政规范性文件合法性审核机制", "政府法律顾问制度", "公职律师制度",
    "首问负责制", "限时办结制", "一次性告知制度", "政务服务好差评制度", "行政执法责任制", "行政裁量权基准制度",
    "包容审慎监管机制", "信用修复机制", "行政复议决定书网上公开制度", "法律顾问列席会议制度", "领导干部学法用法制度",
    "党政主要负责人述法制度", "重大行政决策合法性审查机制", "行政执法与刑事司法衔接机制", "矛盾纠纷多元化解机制",
    "行政争议实质性化解机制", "规范性文件备案审查制度", "涉企行政检查备案制度", "行政执法人员资格管理制度",
    "法治建设考核评价制度", "容缺受理机制", "河湖长制", "林长制", "田长制",
)
_SYSTEMS_BY_BODY = {
    "生态环境局": ("生态环境损害赔偿制度", "排污许可制度", "企业环境信用评价制度", "环境信息依法披露制度",
               "生态环境执法正面清单制度", "河湖长制"),
    "市场监督管理局": ("食品安全主体责任制", "企业信用风险分类管理制度", "特种设备安全责任制", "质量安全追溯制度",
                "首违不罚清单制度"),
    "司法局": ("法律援助值班律师制度", "人民监督员制度", "公证质量监管机制", "社区矫正分类管理制度"),
}
#: Well-known reforms and campaigns named without quotes.
_KNOWN_UNQUOTED = {
    "Policy": ("行政审批制度改革", "商事制度改革", "综合行政执法改革", "行政复议体制改革", "行政执法三项制度", "网格化管理",
               "跨省通办", "一网通办"),
    "Initiative": ("污染防治攻坚战", "扫黑除恶专项斗争", "法治政府建设示范创建", "民主法治示范村创建", "平安建设",
                   "法律六进"),
}
#: Quoted campaigns with their head: “铁拳”行动 …
_CAMPAIGNS = (
    ("清源", "专项行动"), ("利剑", "专项行动"), ("铁拳", "行动"), ("昆仑", "行动"), ("净网", "专项行动"),
    ("百日攻坚", "行动"), ("法治体检", "专项活动"), ("送法进企业", "活动"), ("宪法进万家", "活动"),
    ("民法典进社区", "活动"), ("以案释法", "宣讲活动"), ("法律进乡村", "活动"), ("守护消费", "专项行动"),
    ("根治欠薪", "专项行动"), ("护苗", "专项行动"), ("亮剑", "专项行动"), ("绿盾", "专项行动"), ("碧水", "专项行动"),
    ("美丽乡村法治行", "活动"), ("法律服务进万家", "活动"), ("千名律师进千企", "活动"), ("法律明白人", "培养工程"),
    ("尊法学法守法用法", "主题活动"), ("法治讲堂", "活动"), ("平安校园", "创建活动"), ("蓝天保卫战", ""),
    ("碧水保卫战", ""), ("净土保卫战", ""), ("清废行动", ""), ("春风行动", ""),
)
_CAMPAIGNS_BY_BODY = {
    "生态环境局": (("蓝天保卫战", ""), ("碧水保卫战", ""), ("净土保卫战", ""), ("清废行动", ""), ("绿盾", "专项行动"),
               ("碧水", "专项行动"), ("散乱污企业整治", "专项行动")),
    "市场监督管理局": (("铁拳", "行动"), ("守护消费", "专项行动"), ("护老", "专项行动"), ("价格监督检查", "专项行动"),
                ("食品安全守护", "行动"), ("你点我检", "活动")),
    "司法局": (("法律明白人", "培养工程"), ("法律服务进万家", "活动"), ("千名律师进千企", "活动"),
            ("法律援助惠民生", "活动"), ("矛盾纠纷大排查", "专项活动")),
}
#: Campaigns named without quotes, ending in a head word.
_CAMPAIGNS_UNQUOTED = (
    "违法建设专项整治", "道路交通安全专项整治", "校园周边环境专项整治", "农村乱占耕地建房专项整治", "安全生产专项整治三年行动",
    "群众身边腐败和作风问题专项整治", "养老诈骗专项整治", "电信网络诈骗专项治理", "根治欠薪冬季专项行动",
    "行政执法突出问题专项整治", "燃气安全专项整治",
)
#: Publicity weeks, months and days.
_PUBLICITY = (
    "宪法宣传周", "民法典宣传月", "食品安全宣传周", "知识产权宣传周", "安全生产月", "全民国家安全教育日", "国际禁毒日",
    "六五环境日", "消防宣传月", "防灾减灾宣传周",
)
#: Slogans and attitudes in quotes, in the phrase that carries them: not entities.
_SLOGANS = (
    ("抓住领导干部这个“{}”", "关键少数"), ("发挥领导干部“{}”", "头雁效应"), ("打通服务群众“{}”", "最后一公里"),
    ("当好服务企业的“{}”", "店小二"), ("牢固树立“{}”的意识", "法定职责必须为、法无授权不可为"),
    ("坚决防止“{}”问题", "新官不理旧账"), ("破除“{}”的倾向", "重审批、轻监管"), ("克服“{}”思想", "等靠要"),
    ("避免执法“{}”", "一刀切"), ("让“{}”成为常态", "数据多跑路、群众少跑腿"),
    ("营造“{}”的良好氛围", "人人学法、人人守法"), ("纠正“{}”现象", "重实体、轻程序"),
)
#: Attitudes a report deplores (存在“重审批、轻监管”现象): not entities either.
_ATTITUDES = ("重审批、轻监管", "等靠要", "一刀切", "重实体、轻程序", "新官不理旧账", "重处罚、轻教育", "以罚代管")
_STREET_NAMES = (
    "东湖", "南湖", "白沙", "桂园", "清河", "新桥", "北苑", "金港", "花园", "翠屏", "龙泉", "凤凰", "石桥", "梅岭",
    "柳林", "荷塘", "杏林", "枫林", "兰亭", "云龙", "望江", "临江", "滨河", "双塘", "竹林", "新风", "长乐", "锦绣",
    "松园", "银湖", "玉泉", "紫荆", "丰收", "青云", "月湖", "桃源", "西苑", "东城", "南苑", "北门",
)
_LOCAL_CONGRESS_RULES = (
    "文明行为促进条例", "城市市容和环境卫生管理条例", "养犬管理条例", "物业管理条例", "烟花爆竹燃放管理条例",
    "农村生活垃圾治理条例", "电动自行车管理条例", "历史文化名城保护条例", "饮用水水源保护条例", "城市绿化条例",
)
_RULE_TOPICS = (
    "关于全面推行证明事项告知承诺制的实施意见", "关于进一步加强行政复议工作的意见", "关于加强行政执法规范化建设的实施意见",
    "关于开展{Y}年度法治政府建设督察的通知", "关于建立行政执法与刑事司法衔接工作机制的意见",
    "关于进一步规范涉企行政检查的通知", "关于深化法治政府建设示范创建活动的通知", "关于印发{L}优化营商环境若干措施的通知",
    "关于印发{L}行政规范性文件管理办法的通知", "关于加强基层法治建设的实施意见",
)
_RULE_STANDALONE = (
    "重大行政决策程序规定", "行政规范性文件管理办法", "政府合同管理办法", "行政执法公示办法", "政府法律顾问工作规则",
    "行政执法过错责任追究办法", "{Y}年法治政府建设工作要点", "法治政府建设实施方案（2021－2025年）", "“八五”普法规划",
)
_RULE_BY_BODY = (
    "行政处罚自由裁量权基准", "{Y}年法治政府建设工作要点", "行政执法全过程记录实施办法", "重大执法决定法制审核办法",
    "权责清单", "{Y}年普法责任清单",
)

# --------------------------------------------------------------------------------------------
# the report being written


@dataclass
class _Ctx:
    """What the templates of one report need: its body, place, year, style, and its plants."""

    rng: random.Random
    kind: str  # gov | dept | street
    year: int
    place: _Div  # the report's own division (the district for a street office)
    prefecture: _Div | None
    province: _Div
    issuer: str
    body: str | None = None  # department body for dept reports
    street: str | None = None
    halfwidth: bool = False
    planted: list[Planted] = field(default_factory=list)
    pools: dict[str, list[str]] = field(default_factory=dict)

    @property
    def rel(self) -> str:
        return self.place.rel or "市"

    @property
    def L(self) -> str:  # noqa: N802 - the template slot's name
        return self.place.name

    def plant(self, p: Planted) -> None:
        self.planted.append(p)


_HALFWIDTH = str.maketrans("，：；（）－", ",:;()-")


def _style(ctx: _Ctx, s: str) -> str:
    """The report's punctuation style: full-width (，（）) or, for some, half-width (,())."""
    return s.translate(_HALFWIDTH) if ctx.halfwidth else s


def _num_cn(n: int) -> str:
    return "两" if n == 2 else "零一二三四五六七八九十"[n] if n <= 10 else str(n)


def _dec_text(value: Decimal) -> str:
    s = format(value.normalize(), "f")
    return s


# -- slots -----------------------------------------------------------------------------------


def _pick_law(ctx: _Ctx, *, broad: float = 0.25) -> str:
    rng = ctx.rng
    laws = _national_laws()
    pools: list[Sequence[str]] = [_LAWS_CORE]
    if ctx.body and ctx.body in _LAWS_BY_BODY:
        pools = [_LAWS_BY_BODY[ctx.body], _LAWS_BY_BODY[ctx.body], _LAWS_CORE]
    for _ in range(20):
        title = rng.choice(_broad_laws()) if rng.random() < broad else rng.choice(rng.choice(pools))
        info = laws.get(title)
        if info is None:
            continue
        if info[1] is None or info[1] <= ctx.year:
            return title
    return "宪法"


def _law(ctx: _Ctx, arg: str | None = None) -> str:
    """A national law cited by title: 《行政处罚法》, 《中华人民共和国行政处罚法》, 新修订的《…》."""
    rng = ctx.rng
    title = _pick_law(ctx)
    r = rng.random()
    if title.endswith("法") and title != "宪法" and r < 0.3:
        surface, form = f"《中华人民共和国{title}》", "law_marked_full"
    elif r < 0.4:
        surface, form = f"新修订的《{title}》", "law_marked"
    elif r < 0.9:
        surface, form = f"《{title}》", "law_marked"
    else:
        surface, form = title, "law_unmarked"
    ctx.plant(Planted("Law", form, surface, (title,)))
    return surface


def _laws_unmarked(ctx: _Ctx, arg: str | None = None) -> str:
    """Two or three national laws named without marks: 宪法、民法典和行政处罚法."""
    rng = ctx.rng
    titles: list[str] = []
    for _ in range(rng.randint(2, 3)):
        t = _pick_law(ctx, broad=0.15)
        if t not in titles:
            titles.append(t)
    for t in titles:
        ctx.plant(Planted("Law", "law_unmarked", t, (t,)))
    if len(titles) == 1:
        return titles[0]
    return "、".join(titles[:-1]) + rng.choice(("和", "、", "及")) + titles[-1]


def _laws_pair(ctx: _Ctx, arg: str | None = None) -> str:
    """Two laws in 《》: 《A》《B》 or 《A》、《B》 or 《A》和《B》."""
    a = _law_marked_only(ctx)
    b = _law_marked_only(ctx)
    return a + ctx.rng.choice(("", "、", "和")) + b


def _law_marked_only(ctx: _Ctx) -> str:
    title = _pick_law(ctx)
    if title.endswith("法") and title != "宪法" and ctx.rng.random() < 0.4:
        surface, form = f"《中华人民共和国{title}》", "law_marked_full"
    else:
        surface, form = f"《{title}》", "law_marked"
    ctx.plant(Planted("Law", form, surface, (title,)))
    return surface


def _regulation(ctx: _Ctx, arg: str | None = None) -> str:
    """An administrative regulation, often with its issuer before it: 国务院《优化营商环境条例》."""
    rng = ctx.rng
    laws = _national_laws()
    pool = [t for t in _REGULATIONS if t in laws and (laws[t][1] or 0) <= ctx.year] or ["政府信息公开条例"]
    title = rng.choice(pool)
    if rng.random() < 0.6:
        ctx.plant(Planted("Agency", "agency_national_issuer", "国务院", ("国务院",)))
        ctx.plant(Planted("Law", "law_issuer_before", f"国务院《{title}》", (title,)))
        return f"国务院《{title}》"
    ctx.plant(Planted("Law", "law_marked", f"《{title}》", (title,)))
    return f"《{title}》"


def _central_doc(ctx: _Ctx, arg: str | None = None) -> str:
    """A central document with its issuers: 中共中央、国务院《法治政府建设实施纲要（2021－2025年）》."""
    rng = ctx.rng
    pool = [d for d in _CENTRAL_DOCS if d[2] <= ctx.year <= d[3]]
    title, issuers, _, _ = rng.choice(pool)
    label = title
    if rng.random() < 0.75:
        for who in issuers:
            ctx.plant(Planted("Agency", "agency_national_issuer", who, (_NATIONAL_ISSUER_FULL[who],)))
        surface = "、".join(issuers) + f"《{title}》"
        ctx.plant(Planted("Law", "law_issuer_before", surface, (label,)))
        return surface
    ctx.plant(Planted("Law", "law_central", f"《{title}》", (label,)))
    return f"《{title}》"


def _local_rule(ctx: _Ctx, arg: str | None = None) -> str:
    """A local rule or document whose title carries its issuing body."""
    rng = ctx.rng
    place = ctx.L
    y = str(ctx.year)
    r = rng.random()
    if ctx.kind == "dept" and r < 0.5:
        issuer = f"{place}{ctx.body}"
        title = issuer + rng.choice(_RULE_BY_BODY).replace("{Y}", y)
        form = "law_local_body"
    elif ctx.kind == "street" and r < 0.5:
        title = f"{ctx.street}街道" + rng.choice(("综合行政执法事项清单", "{Y}年法治建设工作要点", "矛盾纠纷排查化解工作制度",
                                               "法律顾问工作制度")).replace("{Y}", y)
        form = "law_local_body"
    elif ctx.prefecture is not None and r < 0.65:
        title = ctx.prefecture.name + rng.choice(_LOCAL_CONGRESS_RULES)  # a city's people's congress
        form = "law_local_regulation"
    elif r < 0.85:
        issuer = rng.choice((f"{place}人民政府", f"{place}人民政府办公室", f"中共{place}委", f"{place}人民政府"))
        topic = rng.choice(_RULE_TOPICS).replace("{Y}", y).replace("{L}", place)
        title = issuer + topic
        form = "law_local_notice"
    else:
        std = rng.choice(_RULE_STANDALONE).replace("{Y}", y)
        if "2021" in std and ctx.year < 2021 or "八五" in std and ctx.year < 2021:
            std = "重大行政决策程序规定"
        title = place + std
        form = "law_local_plan"
    title = _style(ctx, title)
    ctx.plant(Planted("Law", form, f"《{title}》", (title,)))
    return f"《{title}》"


def _reform(ctx: _Ctx, arg: str | None = None) -> str:
    """A quoted reform with its head word: “证照分离”改革."""
    core, head = ctx.rng.choice(_REFORMS)
    surface = f"“{core}”{head}"
    ctx.plant(Planted("Policy", "reform_quoted_head", surface, (core + head,)))
    return surface


def _quoted_head(ctx: _Ctx, arg: str | None = None) -> str:
    """A fixed quoted name with head: {QH:谁执法谁普法|普法责任制}."""
    assert arg
    core, head = arg.split("|")
    surface = f"“{core}”{head}"
    ctx.plant(Planted("Policy", "reform_quoted_head", surface, (core + head,)))
    return surface


def _quoted_policy(ctx: _Ctx, arg: str | None = None) -> str:
    """A quoted way of working after a verb, no head word: 推行“一网通办”."""
    core = arg or ctx.rng.choice(_QUOTED_POLICIES)
    surface = f"“{core}”"
    ctx.plant(Planted("Policy", "policy_quoted", surface, (core,)))
    return surface


def _system(ctx: _Ctx, arg: str | None = None) -> str:
    """An unquoted system or mechanism: 证明事项告知承诺制."""
    rng = ctx.rng
    pool: Sequence[str] = _SYSTEMS
    if ctx.body in _SYSTEMS_BY_BODY and rng.random() < 0.5:
        pool = _SYSTEMS_BY_BODY[ctx.body]  # type: ignore[index]
    name = arg or rng.choice(pool)
    ctx.plant(Planted("Policy", "system_unquoted", name, (name,)))
    return name


def _known_unquoted(ctx: _Ctx, arg: str | None = None) -> str:
    """A well-known reform or campaign named without quotes: {U:行政复议体制改革}."""
    assert arg
    typ = "Initiative" if arg in _KNOWN_UNQUOTED["Initiative"] else "Policy"
    ctx.plant(Planted(typ, "known_unquoted", arg, (arg,)))
    return arg


def _campaign(ctx: _Ctx, arg: str | None = None) -> str:
    """A quoted campaign: “铁拳”行动, “蓝天保卫战”."""
    rng = ctx.rng
    pool: Sequence[tuple[str, str]] = _CAMPAIGNS
    if ctx.body in _CAMPAIGNS_BY_BODY and rng.random() < 0.6:
        pool = _CAMPAIGNS_BY_BODY[ctx.body]  # type: ignore[index]
    if rng.random() < 0.12:  # a campaign named after the locality
        pool = ((f"法润{ctx.place.short}", "工程"), (f"法治{ctx.place.short}", "建设"), (f"平安{ctx.place.short}", "建设"))
    core, head = rng.choice(pool)
    surface = f"“{core}”{head}"
    ctx.plant(Planted("Initiative", "campaign_quoted_head" if head else "campaign_quoted", surface, (core + head,)))
    return surface


def _campaign_unquoted(ctx: _Ctx, arg: str | None = None) -> str:
    """A campaign named without quotes: 违法建设专项整治."""
    name = ctx.rng.choice(_CAMPAIGNS_UNQUOTED)
    ctx.plant(Planted("Initiative", "campaign_unquoted", name, (name,)))
    return name


def _publicity(ctx: _Ctx, arg: str | None = None) -> str:
    """A publicity week, month or day, quoted or not: “宪法宣传周”, 民法典宣传月."""
    rng = ctx.rng
    pool = [p for p in _PUBLICITY if not (p == "民法典宣传月" and ctx.year < 2021)]
    name = rng.choice(pool)
    if rng.random() < 0.5:
        ctx.plant(Planted("Initiative", "publicity_quoted", f"“{name}”", (name,)))
        return f"“{name}”"
    ctx.plant(Planted("Initiative", "publicity_unquoted", name, (name,)))
    return name


def _pufa(ctx: _Ctx, arg: str | None = None) -> str:
    """The five-year legal publicity plan of the year: “八五”普法 or “七五”普法."""
    five = "八五" if ctx.year >= 2021 else "七五"
    surface = f"“{five}”普法"
    ctx.plant(Planted("Initiative", "pufa_quoted", surface, (f"{five}普法",)))
    return surface


def _agency_surface(ctx: _Ctx, body: str) -> tuple[str, str]:
    """(surface, expected label) of a body of the report's own place: 市司法局 -> 监利市司法局."""
    return ctx.rel + body, ctx.L + body


def _agencies(ctx: _Ctx, arg: str | None = None) -> str:
    """A list of two to four agencies as a subject: 市委宣传部、市司法局、市教育局等部门."""
    rng = ctx.rng
    party = ["委宣传部", "委政法委", "委网信办", "委组织部"]
    courts = ["人民法院", "人民检察院"]
    pool = list(_departments())
    n = rng.randint(2, 4)
    chosen: list[str] = []
    while len(chosen) < n:
        r = rng.random()
        b = rng.choice(party) if r < 0.2 else rng.choice(courts) if r < 0.3 else rng.choice(pool)
        if b not in chosen and b != ctx.body:
            chosen.append(b)
    parts = []
    for b in chosen:
        written = _SHORT_FORMS.get(b, b) if rng.random() < 0.2 else b
        surface, label = _agency_surface(ctx, written)
        expected = ctx.L + b if written != b else label
        ctx.plant(Planted("Agency", "agency_list", surface, (expected, surface)))
        parts.append(surface)
    tail = rng.choice(("等部门", "等单位", "等", "", "等成员单位"))
    return "、".join(parts) + tail


def _own_agency(ctx: _Ctx, arg: str | None = None) -> str:
    """One named body of the report's own place: {A:信访局} -> 市信访局."""
    assert arg
    surface, label = _agency_surface(ctx, arg)
    ctx.plant(Planted("Agency", "agency_subject", surface, (label, surface)))
    return surface


def _places(ctx: _Ctx, arg: str | None = None) -> str:
    """Two or three cities in other provinces, mostly by short name: 深圳、佛山、东莞."""
    rng = ctx.rng
    cities = [d for d in _division_pools()[3] if d.code[:2] != ctx.place.code[:2]]
    picked: list[_Div] = []
    k = rng.randint(2, 3)
    while len(picked) < k:
        d = rng.choice(cities)
        if d not in picked:
            picked.append(d)
    shown = []
    for d in picked:
        surface = d.name if rng.random() < 0.3 else d.short
        ctx.plant(Planted("Place", "place_extension", surface, (d.name,)))
        shown.append(surface)
    return "、".join(shown)


def _slogan(ctx: _Ctx, arg: str | None = None) -> str:
    """A quoted slogan in its phrase: 抓住领导干部这个“关键少数”; planted as a negative."""
    frame, core = ctx.rng.choice(_SLOGANS)
    ctx.plant(Planted("Negative", "slogan", f"“{core}”", (core,)))
    return frame.format(core)


def _site(ctx: _Ctx, arg: str | None = None) -> str:
    """A named site of legal culture: 东湖法治文化公园."""
    rng = ctx.rng
    name = rng.choice(_STREET_NAMES) + rng.choice(("法治文化公园", "宪法主题公园", "法治文化广场", "法治文化长廊"))
    ctx.plant(Planted("Place", "place_site", name, (name,)))
    return name


_SLOTS: dict[str, Callable[[_Ctx, str | None], str]] = {
    "LAW": _law,
    "LAWU": _laws_unmarked,
    "LAW2": _laws_pair,
    "REG": _regulation,
    "CDOC": _central_doc,
    "RULE": _local_rule,
    "REFORM": _reform,
    "QH": _quoted_head,
    "Q": _quoted_policy,
    "SYS": _system,
    "U": _known_unquoted,
    "CAMP": _campaign,
    "CAMPU": _campaign_unquoted,
    "PUB": _publicity,
    "PUFA": _pufa,
    "AGENCIES": _agencies,
    "A": _own_agency,
    "PLACES": _places,
    "SLOGAN": _slogan,
    "SITE": _site,
}


def _stat(ctx: _Ctx, spec: str) -> str:
    """A number from ``unit|key|lo-hi[|decimals]``: ``件|行政复议申请|20-300`` -> 45件.

    The unit may start with 余 (approximate: 25余次), 万 (scale: 1.2万件, 2.6万余份) or ``cn``
    (a Chinese numeral: 两个); money in 万元/亿元 is planted in 元, as the NLP normalises it.
    """
    rng = ctx.rng
    unit, key, span, *rest = spec.split("|")
    decimals = int(rest[0]) if rest else 0
    lo, hi = (Decimal(x) for x in span.split("-"))
    if unit.startswith("cn"):
        n = rng.randint(int(lo), int(hi))
        u = unit[2:]
        ctx.plant(Planted("Statistic", "stat_cn", f"{_num_cn(n)}{u}", value=str(n), unit=u, key=key))
        return f"{_num_cn(n)}{u}"
    q = Decimal(1).scaleb(-decimals)
    value = lo + q * rng.randint(0, int((hi - lo) / q))
    surface = f"{_dec_text(value)}{unit}"
    u, scale, form = unit, Decimal(1), "stat"
    if u in ("万元", "亿元"):
        scale, u, form = Decimal(10000) if u == "万元" else Decimal(100000000), "元", "stat_money"
    else:
        if u.startswith("万"):
            scale, u, form = Decimal(10000), u[1:], "stat_scaled"
        if u.startswith("余"):
            u, form = u[1:], "stat_approx" if form == "stat" else form + "_approx"
        form = {"%": "stat_percent", "个百分点": "stat_points", "个工作日": "stat_duration"}.get(u, form)
    ctx.plant(Planted("Statistic", form, surface, value=_dec_text(value * scale), unit=u, key=key))
    return surface


_SLOT = re.compile(r"\{(#?)([A-Z0-9]+|[^{}]*?)(?::([^{}]*))?\}")


def _fill(ctx: _Ctx, template: str) -> str:
    """Fill a template's slots: {LAW}, {A:信访局}, {#件|行政复议申请|20-300}, {R}, {L} …"""

    def one(m: re.Match[str]) -> str:
        if m.group(1) == "#":
            return _stat(ctx, m.group(2) + (":" + m.group(3) if m.group(3) else ""))
        name, arg = m.group(2), m.group(3)
        if name == "R":
            return ctx.rel
        if name == "L":
            return ctx.L
        if name == "Y":
            return str(ctx.year)
        if name == "Y1":
            return str(ctx.year + 1)
        if name == "WE":
            return {"gov": "我" + ctx.rel, "dept": "我局", "street": "我街道"}[ctx.kind]
        if name == "SELF":
            return _self(ctx)
        if name == "LEAD":
            return _lead(ctx)
        if name == "MEETING":
            return {"gov": f"{ctx.rel}政府常务会议", "dept": "局党组会议", "street": "党工委会议"}[ctx.kind]
        if name == "ALL":
            return "全" + ("街道" if ctx.kind == "street" else ctx.rel)
        return _SLOTS[name](ctx, arg)

    return _SLOT.sub(one, template)


def _self(ctx: _Ctx) -> str:
    if ctx.kind == "gov":
        return ctx.rng.choice((f"{ctx.rel}政府", f"{ctx.rel}政府", "我" + ctx.rel))
    if ctx.kind == "dept":
        return ctx.rng.choice((f"{ctx.rel}{ctx.body}", "我局", "局党组"))
    return ctx.rng.choice(("街道党工委、办事处", "街道", "我街道"))


def _lead(ctx: _Ctx) -> str:
    if ctx.kind == "street":
        return "区委、区政府"
    if ctx.kind == "dept":
        return f"{ctx.rel}委、{ctx.rel}政府"
    return f"{ctx.rel}委"


# -- templates -------------------------------------------------------------------------------
# Sentences by theme. A theme has headings (for its sub-section) and sentences; the sentences
# of a sub-section are drawn from its theme without repeats.

_THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "leadership": (
        ("加强党对法治政府建设的领导", "压实法治建设第一责任人职责", "健全法治政府建设推进机制", "强化组织领导和统筹协调"),
        (
            "{MEETING}全年专题研究法治政府建设工作{#次|专题研究|3-12}，及时协调解决执法体制、规范性文件管理等重大问题。",
            "严格落实党政主要负责人履行推进法治建设第一责任人职责规定，将法治建设纳入年度绩效考核，考核权重提高到{#%|考核权重|5-15}。",
            "调整充实法治政府建设领导小组，由主要负责同志任组长，下设办公室负责日常协调。",
            "{AGENCIES}把学习贯彻习近平法治思想列入年度学习计划，全年开展集中学法{#余场|集中学法|12-60}。",
            "对照{CDOC}，研究制定{RULE}，细化年度任务{#项|年度任务|20-90}，逐项明确责任单位和完成时限。",
            "{SLOGAN}，组织{MEETING}会前学法{#次|会前学法|6-24}，举办领导干部法治专题讲座{#期|法治专题讲座|2-9}。",
            "认真开展年终述法工作，组织{#名|部门主要负责人|10-80}部门主要负责人现场述法，述法评议结果纳入干部考核。",
            "建立健全{SYS}，把法治建设成效作为衡量领导班子和领导干部工作实绩的重要内容。",
            "{SELF}坚持把法治政府建设与经济社会发展同部署、同推进、同督促、同考核，形成了齐抓共管的工作格局。",
        ),
    ),
    "reform": (
        ("深化“放管服”改革，持续优化法治化营商环境", "依法全面履行政府职能", "深入推进简政放权", "提升政务服务效能"),
        (
            "持续深化{REFORM}，全面推行{SYS}，全年精简审批事项{#项|精简审批事项|10-120}，审批时限平均压缩{#%|审批时限|30-75}。",
            "大力推行{Q}和{Q}，政务服务中心全年受理办件{#件|受理办件|8000-60000}，按时办结率{#%|按时办结率|97-100|1}。",
            "对标{REG}，出台{RULE}，推出惠企举措{#条|惠企举措|10-60}，企业开办时间压缩至{#个工作日|企业开办|1-3}。",
            "积极推动{Q:跨省通办}，将{#项|高频事项|20-150}高频事项的办理服务向{PLACES}等地延伸。",
            "深入推进{REFORM}，为{#户|市场主体|200-3000}市场主体办理相关登记，新增市场主体{#万户|新增市场主体|1.1-4.8|1}。",
            "依托一体化政务服务平台，打通{#cn个|业务系统|2-6}业务系统，共享数据{#万条|共享数据|1.2-8.5|1}。",
            "全面落实{SYS}，梳理公布告知承诺事项{#项|告知承诺事项|15-80}，累计以告知承诺方式办理{#件|告知承诺|300-5000}。",
            "持续推进{U:行政审批制度改革}，动态调整权责清单，{ALL}共保留行政许可事项{#项|行政许可事项|150-420}。",
            "推行{Q}服务，与{PLACES}建立通办合作关系，累计办理异地业务{#余件|异地业务|200-3000}。",
            "稳步推进{U:综合行政执法改革}，整合组建执法队伍{#支|执法队伍|3-9}，划转执法事项{#项|执法事项|80-600}。",
        ),
    ),
    "rules": (
        ("加强制度建设，提高依法行政水平", "严格规范性文件监督管理", "提升制度建设质量", "推进依法科学民主立法"),
        (
            "严格规范性文件合法性审核，全年审核{R}政府及部门规范性文件{#件|规范性文件|8-60}，提出修改意见{#条|修改意见|20-200}。",
            "按照{LAW}和{REG}的要求，制定出台{RULE}，进一步规范行政行为。",
            "开展规范性文件专项清理，废止{#件|废止|2-30}、修改{#件|修改|3-40}，清理结果及时向社会公布。",
            "{SELF}印发{RULE}，明确{#项|重点任务|10-40}重点任务和责任单位，并纳入督查督办。",
            "落实{SYS}，向{R}人大常委会报备规范性文件{#件|报备规范性文件|5-30}，报备率、及时率均达到100%。",
            "配合{R}人大常委会做好{RULE}的立法调研和意见征集，收集意见建议{#条|意见建议|30-260}。",
            "建立健全{SYS}，对{#件|重大合同|10-90}重大合同开展合法性审查，未发生因合同引发的重大纠纷。",
        ),
    ),
    "decision": (
        ("健全依法决策机制，推进行政决策科学化民主化法治化", "严格落实重大行政决策程序", "提升行政决策公信力"),
        (
            "严格执行{REG}，落实公众参与、专家论证、风险评估、合法性审查和集体讨论决定等法定程序，全年作出重大行政决策{#项|重大行政决策|3-15}。",
            "充分发挥法律顾问作用，政府法律顾问全年审查合同{#份|审查合同|30-300}，出具法律意见书{#余份|法律意见书|40-260}，参与处理信访案件{#件|信访案件|5-60}。",
            "制定{RULE}，公布年度重大行政决策事项目录，决策草案全部向社会公开征求意见。",
            "落实{SYS}，{#名|公职律师|5-40}公职律师全程参与重大决策论证，{ALL}公职律师覆盖率达到{#%|覆盖率|80-100}。",
            "推行{SYS}，对涉及群众切身利益的决策事项开展社会稳定风险评估{#次|风险评估|3-20}。",
            "建立重大行政决策专家库，吸纳法律、经济、规划等领域专家{#名|专家|20-120}，全年组织专家论证{#次|专家论证|4-30}。",
            "对{#项|涉及民生的决策事项|2-12}涉及民生的决策事项召开听证会，充分听取群众意见后再作决定。",
            "严格决策后评估，对{RULE}等{#件|已实施决策|2-10}已实施决策开展执行效果评估。",
        ),
    ),
    "enforcement": (
        ("严格规范公正文明执法", "深化行政执法体制改革", "加强行政执法监督", "全面提升行政执法水平"),
        (
            "全面落实{U:行政执法三项制度}，通过执法信息公示平台公示执法信息{#条|执法信息|500-8000}。",
            "组织开展行政执法案卷评查，共抽查案卷{#卷|抽查案卷|60-400}，发现问题{#个|发现问题|10-90}，均已督促整改到位。",
            "深入开展{CAMP}，出动执法人员{#人次|出动执法人员|800-12000}，检查企业{#家次|检查企业|300-5000}，立案查处违法案件{#起|违法案件|20-400}，罚没款{#万元|罚没款|20-2000|1}。",
            "推行包容审慎监管，制定“首违不罚”清单事项{#项|首违不罚|20-80}，对{#家|市场主体|10-300}市场主体依法不予处罚。",
            "组织{ALL}行政执法人员参加公共法律知识培训和考试，{#名|行政执法人员|300-3000}执法人员通过考试取得执法证件。",
            "严格执行{SYS}，向公安机关移送涉嫌犯罪案件{#件|移送涉嫌犯罪案件|2-30}。",
            "{AGENCIES}联合开展{CAMPU}，累计开展联合执法{#场次|联合执法|10-80}，整改安全隐患{#处|安全隐患|60-900}。",
            "全面推行{SYS}、{SYS}，执法文书制作、执法音像记录进一步规范，行政执法行为的社会满意度达到{#%|满意度|90-99|1}。",
        ),
    ),
    "review": (
        ("加强行政复议和应诉工作", "发挥行政复议化解行政争议主渠道作用", "依法化解行政争议"),
        (
            "全年共收到行政复议申请{#件|行政复议申请|20-300}，依法受理{#件|受理|15-280}，审结{#件|审结|10-260}，直接纠错率{#%|纠错率|3-20|1}。",
            "严格落实{U:行政机关负责人出庭应诉制度}，行政机关负责人出庭应诉率达到{#%|出庭应诉率|90-100}。",
            "全年办理行政应诉案件{#件|行政应诉案件|10-150}，其中败诉{#件|败诉|1-9}，败诉率同比下降{#个百分点|败诉率|1-6|1}。",
            "稳妥推进{U:行政复议体制改革}，集中行使行政复议职责，在{ALL}设立行政复议咨询受理点{#个|咨询受理点|3-20}。",
            "认真落实{SYS}，推行{QH:府院联动|机制}，与{R}人民法院共同召开联席会议{#次|联席会议|2-6}。",
            "贯彻实施{LAW}，依法履行行政复议决定，行政复议决定履行率{#%|履行率|95-100}。",
        ),
    ),
    "disputes": (
        ("预防调处化解社会矛盾纠纷", "维护社会和谐稳定", "坚持和发展新时代“枫桥经验”"),
        (
            "坚持和发展新时代{Q:枫桥经验}，{ALL}各级人民调解组织排查调处矛盾纠纷{#件|矛盾纠纷|800-9000}，调解成功率{#%|调解成功率|95-99|1}。",
            "{A:信访局}全年受理群众来信来访{#件次|来信来访|100-2000}，按期办结率{#%|按期办结率|96-100}。",
            "健全{SYS}，建成{R}、乡镇（街道）、村（社区）三级矛盾纠纷调处化解平台{#个|调处化解平台|50-400}。",
            "深入推进{QH:访调对接|机制}，化解信访积案{#件|信访积案|10-90}，{#cn个|乡镇|2-9}乡镇实现“零上访”目标。",
            "在{#个|村（社区）|50-400}村（社区）配备法律顾问，全年提供法律咨询{#万余人次|法律咨询|1.1-6.5|1}。",
            "{AGENCIES}建立矛盾纠纷联排联调机制，化解涉企矛盾纠纷{#件|涉企矛盾纠纷|30-400}，涉及金额{#万元|涉及金额|100-9000}。",
            "推动诉调对接，{R}人民法院委派委托调解案件{#件|委派委托调解|100-1500}，调解成功{#件|调解成功|50-900}。",
            "组建行业性专业性调解组织{#个|调解组织|5-40}，在医疗、劳动、物业等领域化解纠纷{#余件|化解纠纷|100-900}。",
        ),
    ),
    "legal_aid": (
        ("完善公共法律服务体系", "提升法律援助质效", "推动公共法律服务均衡发展"),
        (
            "全年办理法律援助案件{#件|法律援助案件|200-2000}，为农民工追回欠薪{#万元|追回欠薪|30-900}，挽回经济损失{#万元|经济损失|100-3000|1}。",
            "认真贯彻{LAW}，落实{SYS}，{A:公共法律服务中心}全年接待群众咨询{#人次|接待群众咨询|1000-20000}。",
            "深入开展{CAMP}，培育{#名|法律明白人|300-3000}“法律明白人”和{#名|法治带头人|100-900}法治带头人。",
            "加强社区矫正监督管理，在册社区矫正对象{#名|社区矫正对象|100-800}，实现零脱管、零重新犯罪。",
            "{A:公证处}全年办理公证事项{#件|公证事项|500-6000}，推行{Q}，公证办理时限压缩{#%|办理时限|30-60}。",
            "推动律师、公证、司法鉴定等法律服务行业规范发展，{ALL}执业律师达到{#名|执业律师|80-900}。",
            "在{#个|乡镇（街道）|5-30}乡镇（街道）建成公共法律服务工作站，实现公共法律服务实体平台全覆盖。",
            "依托{A:法律援助中心}开通法律援助绿色通道，为{#名|困难群众|100-900}困难群众提供免费法律服务。",
        ),
    ),
    "publicity": (
        ("深入开展法治宣传教育", "推进全民普法", "营造浓厚法治氛围", "提升全社会法治意识"),
        (
            "深入实施{PUFA}规划，组织开展{PUB}、{PUB}等主题活动{#场次|主题活动|30-300}，发放宣传资料{#万余份|宣传资料|1.1-9.5|1}。",
            "{AGENCIES}联合开展{CAMP}，深入机关、乡村、社区、学校、企业宣讲{LAWU}等法律法规。",
            "落实{QH:谁执法谁普法|普法责任制}，公布普法责任清单{#份|普法责任清单|20-80}，开展以案释法{#余场|以案释法|30-200}。",
            "以{PUB}为契机，在{A:融媒体中心}开设法治专栏，推送普法信息{#条|普法信息|200-3000}，阅读量超过{#万人次|阅读量|5-60}。",
            "建成{SITE}等法治文化阵地{#个|法治文化阵地|5-40}，{#个|民主法治示范村|2-12}村（社区）被评为省级民主法治示范村（社区）。",
            "组织国家工作人员参加年度学法考试，参考率、合格率均达到{#%|合格率|98-100}。",
            "广泛宣传{LAWU}，{#所|中小学|20-200}中小学配备法治副校长，覆盖学生{#万人|学生|1.2-9.8|1}。",
            "扎实推进{U:法律六进}，{SLOGAN}，全年举办各类普法讲座{#场|普法讲座|40-300}。",
        ),
    ),
    "openness": (
        ("强化行政权力制约和监督", "全面推进政务公开", "自觉接受各方面监督"),
        (
            "认真贯彻{REG}，全年主动公开政府信息{#条|主动公开政府信息|1000-20000}，办理依申请公开{#件|依申请公开|20-300}，均在法定期限内答复。",
            "自觉接受人大法律监督和政协民主监督，办理人大代表建议{#件|人大代表建议|50-400}、政协委员提案{#件|政协委员提案|50-400}，办复率100%。",
            "主动接受审计监督，配合{A:审计局}完成审计项目{#个|审计项目|5-40}，审计查出问题整改率{#%|整改率|90-100}。",
            "开通政务服务“好差评”渠道，收集评价{#万条|评价|1.1-8.8|1}，群众满意率{#%|满意率|97-100|1}。",
            "落实{SYS}，对{#件|信访事项|20-300}信访事项开展复查复核，群众满意度明显提升。",
            "发挥{A:纪委监委}监督作用，查处违纪违法案件{#件|违纪违法案件|5-80}，给予党纪政务处分{#人|党纪政务处分|5-90}。",
            "{AGENCIES}向社会公开权责清单，公布监督举报电话，全年收到并办理群众举报{#件|群众举报|30-500}。",
        ),
    ),
    "digital": (
        ("加快数字法治政府建设", "推进“互联网+”政务服务", "提升政府治理信息化水平"),
        (
            "依托{Q:互联网+监管}系统，归集监管数据{#万条|监管数据|1.5-9.9|1}，推送风险预警信息{#条|风险预警|20-400}。",
            "推广{Q}和{Q}，{#项|政务服务事项|200-1500}政务服务事项实现全程网办，网上可办率{#%|网上可办率|90-100|1}。",
            "建成行政执法综合管理监督平台，接入执法单位{#家|执法单位|20-80}，实现执法数据实时汇聚。",
            "推进电子证照应用，累计生成电子证照{#万张|电子证照|1.1-9.9|1}，{#项|高频证照|20-120}高频证照实现免提交。",
            "依托{Q:一网通办}平台，推行{SYS}，全程网办率达到{#%|全程网办率|70-98|1}。",
            "{A:政务服务和大数据管理局}牵头整合{#个|政务服务平台|3-12}部门自建系统，数据共享调用{#万次|数据共享调用|2-60}。",
        ),
    ),
    "env": (
        ("严格生态环境执法", "推进生态环境领域依法行政", "深化生态环境领域改革", "持续改善生态环境质量"),
        (
            "全面推行生态环境{Q:双随机、一公开}监管，随机抽查排污单位{#家次|抽查排污单位|100-900}，发现问题{#个|发现问题|10-120}。",
            "深入打好{U:污染防治攻坚战}，开展{CAMP}和{CAMP}，立案查处环境违法案件{#起|环境违法案件|20-200}，罚没款{#万元|罚没款|50-2500|1}。",
            "严格落实{SYS}，办理生态环境损害赔偿案件{#件|赔偿案件|3-30}，追缴赔偿金{#万元|赔偿金|10-600}。",
            "深入贯彻{LAW}和{LAW}，全面落实{U:河湖长制}，{#条|河流|10-80}重点河流水质稳定达标。",
            "推行环评审批{Q:绿色通道}，全年审批建设项目环评文件{#个|环评文件|40-400}，平均审批时限压缩至法定时限的{#%|审批时限|30-60}。",
            "修订{RULE}，对{#家|企业|20-200}企业纳入监督执法正面清单，实行非现场监管。",
        ),
    ),
    "market": (
        ("强化市场监管执法", "深化商事制度改革", "守牢食品药品安全底线", "维护公平竞争市场秩序"),
        (
            "深化{U:商事制度改革}，全年新增市场主体{#户|新增市场主体|3000-40000}，企业开办实现{#个工作日|企业开办|1-2}办结。",
            "开展{CAMP}，查办民生领域案件{#件|民生领域案件|50-600}，罚没款{#万元|罚没款|30-1500|1}。",
            "全年处理消费者投诉举报{#件|投诉举报|1000-20000}，为消费者挽回经济损失{#万元|经济损失|50-900|1}。",
            "推行跨部门联合{Q:双随机、一公开}监管，联合抽查{#次|联合抽查|10-80}，抽查结果全部向社会公示。",
            "认真贯彻{LAW}，对{#家|特种设备使用单位|100-900}特种设备使用单位开展安全检查，整改隐患{#处|隐患|50-600}。",
            "严格落实{SYS}，完成食品安全监督抽检{#批次|监督抽检|1000-8000}，合格率{#%|合格率|96-99.9|1}。",
        ),
    ),
    "street": (
        ("推进街道综合行政执法改革", "提升基层治理法治化水平", "优化为民服务"),
        (
            "深入推进{U:综合行政执法改革}，组建街道综合行政执法队伍，承接执法事项{#项|执法事项|50-300}，配备执法人员{#名|执法人员|10-40}。",
            "深化{REFORM}，推行{U:网格化管理}，划分网格{#个|网格|30-200}，全年处置各类事件{#件|处置事件|500-5000}。",
            "街道便民服务中心推行{Q}，全年办理各类事项{#万件|办理事项|1.1-3.5|1}，群众满意率{#%|群众满意率|98-100|1}。",
            "在辖区{#个|社区|5-20}社区设立法律服务工作站，每月安排律师坐班，全年解答法律咨询{#人次|法律咨询|300-3000}。",
            "街道人民调解委员会全年调解纠纷{#件|调解纠纷|100-600}，调解成功率{#%|调解成功率|95-100}。",
            "深化{QH:街道吹哨、部门报到|机制}，协调区直部门解决群众反映问题{#件|群众反映问题|60-600}。",
            "开展{CAMP}，入户走访居民{#户|走访居民|500-8000}，排查安全隐患{#处|安全隐患|30-300}。",
            "落实{SYS}，为辖区{#家|企业|20-300}企业提供法治体检服务，帮助企业修订规章制度{#项|规章制度|10-90}。",
        ),
    ),
}

_PROBLEMS = (
    "部分干部运用法治思维和法治方式解决问题的能力还不强，存在“{SL}”现象。",
    "基层执法力量相对薄弱，部分乡镇（街道）执法人员不足{#名|执法人员|2-5}，专业素质有待提高。",
    "普法工作的针对性和实效性还不够强，{PUB}等活动的覆盖面仍需扩大。",
    "行政复议案件数量逐年上升，办案力量与工作任务不相匹配。",
    "法治政府建设考核评价体系还不够完善，督察问责力度有待加强。",
    "执法规范化水平参差不齐，个别执法单位案卷制作不规范，{SYS}落实还不够到位。",
    "信息化建设相对滞后，部门间数据壁垒尚未完全打通，{Q}的办理深度有待提升。",
    "少数单位对法治政府建设重视不够，存在重业务、轻法治的倾向。",
    "规范性文件制定质量有待提高，个别文件起草时公开征求意见不够充分。",
)
_PLAN_HEADINGS = (
    "坚持党的领导，压实法治建设责任", "深化重点领域改革，优化法治化营商环境", "严格规范公正文明执法",
    "健全依法决策机制", "深入推进全民普法", "强化行政权力监督", "加强法治工作队伍建设",
)
_PLANS = (
    "深入学习贯彻习近平法治思想，认真落实{CDOC}，推动法治政府建设各项任务落地见效。",
    "持续深化{REFORM}，全面推行{SYS}，不断优化法治化营商环境。",
    "严格落实{REG}，提高决策科学化、民主化、法治化水平。",
    "深入开展{CAMP}，实施{PUFA}规划，推动{LAWU}等法律法规深入人心。",
    "{SLOGAN}，加强领导干部法治教育培训，全年组织集中学法不少于{#次|集中学法|4-12}。",
    "深化{U:行政复议体制改革}，发挥行政复议化解行政争议主渠道作用。",
    "力争{Y1}年底前建成{#个|公共法律服务工作站|10-80}公共法律服务工作站，实现村（社区）法律顾问全覆盖。",
    "加强行政执法人员培训，全年培训不少于{#次|培训|2-6}，着力提升执法能力。",
    "积极推进{Q}，扩大{Q:跨省通办}事项范围，让企业和群众办事更便捷。",
    "认真贯彻实施{LAW}，推动{RULE}尽快出台。",
)
_INTROS = (
    "{Y}年，{FULL}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，在{LEAD}的坚强领导下，全面落实{CDOC}，扎实推进依法行政，法治政府建设取得积极成效。现将有关情况报告如下：",
    "{Y}年以来，{WE}认真贯彻党中央、国务院关于法治政府建设的决策部署，对照{CDOC}确定的目标任务，统筹推进各项工作，为经济社会高质量发展提供了有力法治保障。现将工作情况汇报如下：",
    "今年以来，在{LEAD}的正确领导和上级业务部门的指导下，{FULL}紧紧围绕中心工作，把法治政府建设作为全局性、基础性工作来抓，各项任务有序推进。现将{Y}年度法治政府建设情况报告如下。",
)
_SECTION_ONE = ("一、{Y}年法治政府建设主要举措和成效", "一、主要工作及成效", "一、法治政府建设工作开展情况",
                "一、推进法治政府建设的主要做法和成效", "一、{Y}年度工作开展情况")
_SECTION_TWO = ("二、存在的问题", "二、存在的问题和不足", "二、存在的困难和问题", "二、工作中存在的短板和不足", "二、存在的不足")
_SECTION_THREE = ("三、下一步工作打算", "三、{Y1}年工作安排", "三、下一步工作计划", "三、{Y1}年工作思路", "三、下一步努力方向")
_CN_ORD = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六",
           "十七", "十八", "十九", "二十")

_THEMES_BY_KIND = {
    "gov": ("leadership", "reform", "rules", "decision", "enforcement", "review", "disputes", "publicity", "openness", "digital"),
    "司法局": ("leadership", "review", "legal_aid", "disputes", "publicity", "rules", "enforcement"),
    "生态环境局": ("leadership", "env", "env", "rules", "enforcement", "publicity", "review"),
    "市场监督管理局": ("leadership", "market", "market", "reform", "enforcement", "publicity", "rules"),
    "dept": ("leadership", "enforcement", "rules", "reform", "publicity", "review", "decision"),
    "street": ("leadership", "street", "street", "disputes", "publicity", "enforcement"),
}


# --------------------------------------------------------------------------------------------
# one report


def _choose_issuer(rng: random.Random, year: int) -> _Ctx:
    """The report's issuing body and place: a government, a department or a street office."""
    counties, prefectures, districts, _ = _division_pools()
    divs = _divisions()
    body: str | None = None
    street: str | None = None
    r = rng.random()
    if r < 0.40:
        kind = "gov"
        place = rng.choice(counties) if rng.random() < 0.75 else rng.choice(prefectures)
    elif r < 0.85:
        kind = "dept"
        s = rng.random()
        body = "司法局" if s < 0.25 else "生态环境局" if s < 0.4 else "市场监督管理局" if s < 0.55 else rng.choice(_departments())
        # county-level environment offices are branches of the city's bureau: keep those in cities
        place = rng.choice(prefectures) if body == "生态环境局" or rng.random() < 0.7 else rng.choice(counties)
    else:
        kind = "street"
        place = rng.choice(districts)
        street = rng.choice(_STREET_NAMES)
    chain = [place]
    while chain[-1].parent and chain[-1].parent in divs:
        chain.append(divs[chain[-1].parent])
    prefecture = next((d for d in chain if d.level == "prefecture"), None)
    issuer = {"gov": f"{place.name}人民政府", "dept": f"{place.name}{body}", "street": f"{street}街道办事处"}[kind]
    return _Ctx(rng=rng, kind=kind, year=year, place=place, prefecture=prefecture, province=chain[-1],
                issuer=issuer, body=body, street=street, halfwidth=rng.random() < 0.3)


def _title(ctx: _Ctx) -> str:
    rng = ctx.rng
    y = ctx.year
    who = ctx.issuer
    if ctx.kind == "street":
        who = f"{ctx.street}街道" if rng.random() < 0.6 else ctx.issuer
    elif ctx.kind == "gov" and ctx.place.rel == "区" and ctx.prefecture not in (None, ctx.place) and rng.random() < 0.25:
        who = ctx.prefecture.name + ctx.issuer  # 宜昌市夷陵区人民政府: the city before the district
    forms = (
        f"{who}{y}年法治政府建设情况报告",
        f"{who}关于{y}年度法治政府建设情况的报告",
        f"{who}{y}年度法治政府建设工作报告",
        f"{who}{y}年法治政府建设工作情况报告",
        f"{y}年法治政府建设工作情况报告",
    )
    return rng.choice(forms)


def _heading(ctx: _Ctx, n: int, text: str) -> str:
    return _style(ctx, f"（{_CN_ORD[n]}）{text}")


def _sentences(ctx: _Ctx, theme: str, budget: int) -> list[str]:
    """Sentences of one theme until about ``budget`` characters; a theme's templates are all
    used once before any is used again."""
    rng = ctx.rng
    out: list[str] = []
    size = 0
    while (size + 30 < budget or not out) and len(out) < 10:
        pool = ctx.pools.get(theme)
        if not pool:
            if out:
                break  # no sentence twice in one sub-section
            pool = ctx.pools[theme] = list(_THEMES[theme][1])
            rng.shuffle(pool)
        s = _style(ctx, _fill(ctx, pool.pop()))
        out.append(s)
        size += len(s)
    return out


def _subsection(ctx: _Ctx, n: int, theme: str, budget: int) -> str:
    rng = ctx.rng
    heading = _fill(ctx, rng.choice(_THEMES[theme][0]))
    body = _sentences(ctx, theme, budget)
    layout = rng.random()
    if layout < 0.3:  # heading on its own line, one paragraph
        return _heading(ctx, n, heading) + "\n\n" + "".join(body)
    if layout < 0.6:  # heading inline with the paragraph
        return _heading(ctx, n, heading) + "。" + "".join(body)
    if layout < 0.8 and len(body) >= 2:  # numbered items
        sep = rng.choice(("." if ctx.halfwidth else "．", "、", "."))
        items = [f"{i + 1}{sep}{s}" for i, s in enumerate(body)]
        return _heading(ctx, n, heading) + "\n\n" + "\n\n".join(items)
    marks = [f"{_CN_ORD[i]}是" for i in range(len(body))]  # 一是…二是…
    return _heading(ctx, n, heading) + "。" + "".join(m + s for m, s in zip(marks, body, strict=True))


def _problems(ctx: _Ctx, budget: int) -> str:
    rng = ctx.rng
    pool = list(_PROBLEMS)
    rng.shuffle(pool)
    out: list[str] = []
    size = 0
    while pool and (size + 30 < budget or len(out) < 2):
        t = pool.pop()
        if "{SL}" in t:
            core = rng.choice(_ATTITUDES)
            ctx.plant(Planted("Negative", "slogan", f"“{core}”", (core,)))
            t = t.replace("{SL}", core)
        s = _style(ctx, _fill(ctx, t))
        out.append(s)
        size += len(s)
    if rng.random() < 0.5:
        return "".join(f"{_CN_ORD[i]}是{s}" for i, s in enumerate(out))
    return "\n\n".join(_heading(ctx, i, s) for i, s in enumerate(out))


def _plans(ctx: _Ctx, budget: int) -> str:
    rng = ctx.rng
    pool = list(_PLANS)
    rng.shuffle(pool)
    heads = list(_PLAN_HEADINGS)
    rng.shuffle(heads)
    out: list[str] = []
    size = 0
    while pool and len(out) < len(heads) and (size + 40 < budget or len(out) < 2):
        s = _style(ctx, _fill(ctx, pool.pop()))
        out.append(s)
        size += len(s) + 16
    if rng.random() < 0.5:
        return "\n\n".join(_heading(ctx, i, heads[i]) + "。" + s for i, s in enumerate(out))
    return "\n\n".join(f"{i + 1}.{s}" for i, s in enumerate(out))


def _debris_head(ctx: _Ctx, when: str) -> list[str]:
    rng = ctx.rng
    lines = []
    if rng.random() < 0.3:
        lines.append(rng.choice(("首页 > 政务公开 > 法治政府建设 > 年度报告", "首页 > 信息公开 > 法定主动公开内容 > 法治政府建设",
                                 "当前位置：首页 > 政务公开 > 工作报告")))
    src = ctx.issuer if ctx.kind != "gov" else ctx.issuer.replace("人民政府", "人民政府办公室")
    hits = rng.randint(30, 9000)
    forms = (
        f"发布时间：{when} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
        f"来源：{src}    发布时间：{when}    浏览次数：{hits}",
        f"发布日期：{when}  信息来源：{src}",
        f"发布时间：{when}  浏览次数：{hits}",
    )
    lines.append(rng.choice(forms))
    if rng.random() < 0.3:
        lines.append("字体：【大 中 小】")
    return lines


def generate_report(rng: random.Random, *, chars: int = 4000, index: int = 0, gbk_share: float = 0.1) -> GeneratedReport:
    """Generate one report (its text, encoding, place in the corpus and planted items).

    Args:
        rng: the report's own random generator; the same state gives the same report.
        chars: target length in characters (the report comes within about ±20% of it).
        index: the report's number in the corpus, used in its file name.
        gbk_share: probability that the report is written in GB18030 rather than UTF-8.
    """
    year = rng.randint(2019, 2024)
    ctx = _choose_issuer(rng, year)
    target = int(chars * rng.uniform(0.9, 1.1))
    issuer_names = (ctx.issuer, f"{ctx.street}街道") if ctx.kind == "street" else (ctx.issuer,)
    ctx.plant(Planted("Agency", "agency_issuer", ctx.issuer, issuer_names))
    # a street office's own place is its street, within its district: either will do
    own = (ctx.place.name, f"{ctx.street}街道") if ctx.kind == "street" else (ctx.place.name,)
    ctx.plant(Planted("Place", "place_locality", ctx.place.name, own))

    title = _style(ctx, _title(ctx))
    month = rng.randint(1, 3)
    report_date = f"{year + 1}年{month}月{rng.randint(1, 28)}日"
    published = f"{year + 1}-{month:02d}-{rng.randint(1, 28):02d}"
    debris = rng.random() < 0.4
    # a street office names its district, the place its relative names (区委) stand for
    full = ctx.issuer if ctx.kind != "street" else f"{ctx.place.name}{ctx.street}街道党工委、办事处"
    intro_t = rng.choice(_INTROS).replace("{FULL}", full)
    intro = _style(ctx, _fill(ctx, intro_t))

    head_lines: list[str] = []
    if debris:
        head_lines = [_style(ctx, x) for x in _debris_head(ctx, published)]
        if rng.random() < 0.5:  # the page furniture may come before or after the title
            head_lines = [title, *head_lines]
        else:
            head_lines = [*head_lines[:1], title, *head_lines[1:]] if head_lines[0].startswith(("首页", "当前")) else [title, *head_lines]
    else:
        head_lines = [title]

    fixed = sum(len(x) for x in head_lines) + len(intro) + 40
    themes = list(_THEMES_BY_KIND.get(ctx.body or "", ()) or _THEMES_BY_KIND[ctx.kind])
    rng.shuffle(themes)
    if "leadership" in themes:  # the party's leadership comes first, as in the genre
        themes.remove("leadership")
        themes.insert(0, "leadership")
    # the problems and plans first (their plants kept aside, to list plants in text order),
    # then as much achievement as the target length leaves
    main_plants, ctx.planted = ctx.planted, []
    closing = [
        _style(ctx, _fill(ctx, rng.choice(_SECTION_TWO))),
        _problems(ctx, int(target * 0.09)),
        _style(ctx, _fill(ctx, rng.choice(_SECTION_THREE))),
    ]
    n_before_plans = len(ctx.planted)
    closing.append(_plans(ctx, int(target * 0.16)))
    # a number in the plans is a target (全年培训不少于4次), not a measure of work done
    ctx.planted[n_before_plans:] = [
        Planted("Target", x.form, x.surface, x.names, x.value, x.unit, x.key) if x.type == "Statistic" else x
        for x in ctx.planted[n_before_plans:]
    ]
    closing_plants, ctx.planted = ctx.planted, main_plants
    ach_target = target - fixed - sum(len(x) + 2 for x in closing)
    parts: list[str] = [_style(ctx, _fill(ctx, rng.choice(_SECTION_ONE)))]
    size = 0
    for i in range(len(_CN_ORD)):
        if i >= 2 and size + 150 > ach_target:
            break
        theme = themes[i % len(themes)]
        sub = _subsection(ctx, i, theme, min(rng.randint(350, 650), max(150, ach_target - size)))
        parts.append(sub)
        size += len(sub) + 2
    parts += closing
    ctx.planted += closing_plants

    tail: list[str] = []
    if rng.random() < 0.8:
        tail += [ctx.issuer, report_date]
    if debris and rng.random() < 0.7:
        tail.append(rng.choice(("打印|关闭", "【打印本页】【关闭窗口】", "【打印】【关闭】", "打印 | 关闭")))
    text = "\n\n".join([*head_lines, intro, *parts, *tail]) + "\n"
    encoding = "gb18030" if rng.random() < gbk_share else "utf-8"
    slug = {"gov": "zf", "street": "jd"}.get(ctx.kind) or _DEPT_SLUG.get(ctx.body or "", "bm")
    name = f"r{index:05d}-{ctx.place.code}-{year}-{slug}.txt"
    return GeneratedReport(index, ctx.province.code, name, text, encoding, tuple(ctx.planted))


_DEPT_SLUG = {"司法局": "sfj", "生态环境局": "sthj", "市场监督管理局": "scjg"}


def make_report(rng: random.Random, *, chars: int = 4000, index: int = 0, gbk_share: float = 0.1) -> tuple[str, str]:
    """One report as (file name, text); see :func:`generate_report` for what else it knows.

    Examples:
        >>> import random
        >>> name, text = make_report(random.Random(1), chars=2000)
        >>> name.endswith(".txt") and "法治政府建设" in text
        True
    """
    rep = generate_report(rng, chars=chars, index=index, gbk_share=gbk_share)
    return rep.name, rep.text


def report_rng(seed: int, index: int) -> random.Random:
    """The random generator of report ``index`` of the corpus of ``seed`` (a stable string seed)."""
    return random.Random(f"govkg-corpus/{seed}/{index}")


def write_corpus(
    out_dir: str | Path, n: int, seed: int, *, chars: int = 4000, gbk_share: float = 0.1, manifest: bool = True
) -> list[Path]:
    """Write ``n`` reports into ``out_dir/<province code>/`` and their plants into ``planted.jsonl``.

    Report ``i`` depends only on (seed, i), so a corpus of 10 is the first 10 of a corpus of
    10,000. Returns the report paths in index order.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    lines: list[str] = []
    for i in range(n):
        rep = generate_report(report_rng(seed, i), chars=chars, index=i, gbk_share=gbk_share)
        p = out / rep.folder / rep.name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(rep.data())
        paths.append(p)
        if manifest:
            rel = f"{rep.folder}/{rep.name}"
            lines.append(json.dumps({"file": rel, "encoding": rep.encoding, "planted": [x.to_json() for x in rep.planted]},
                                    ensure_ascii=False))
    if manifest:
        (out / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def read_manifest(corpus_dir: str | Path) -> dict[str, tuple[Planted, ...]]:
    """The planted items of a corpus written by :func:`write_corpus`, by file (relative path)."""
    p = Path(corpus_dir) / MANIFEST
    out: dict[str, tuple[Planted, ...]] = {}
    if not p.is_file():
        return out
    for line in p.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out[d["file"]] = tuple(Planted.from_json(x) for x in d["planted"])
    return out


# --------------------------------------------------------------------------------------------
# planted vs found


@dataclass(frozen=True)
class Score:
    """How one planted item came out: ``found``, ``wrong_type``, ``missed``; for negatives
    ``produced`` (a fault) or ``absent``."""

    planted: Planted
    status: str
    detail: str = ""


def _nk(s: str) -> str:
    from graph.lexicon import norm_key

    k = norm_key(s)
    return k[len("中华人民共和国"):] if k.startswith("中华人民共和国") and len(k) > 8 else k


def score_planted(planted: Iterable[Planted], extraction: Extraction) -> list[Score]:
    """Compare what a report planted with what govkg extracted from it.

    Entities match by name: an entity's label or any alias equals one of the planted names
    (folded, without marks and quotes, 中华人民共和国 dropped; a well-known term also matches
    by its canonical label). Statistics match by normalised value and unit, each extracted
    statistic used once. Negatives are faults when any entity is named like them.
    """
    from graph.lexicon import lexicons, norm_key

    known = lexicons().known_terms
    by_name: dict[str, list[str]] = {}
    for e in extraction.entities:
        for n in (e.label, *e.aliases):
            by_name.setdefault(_nk(n), []).append(e.type)
    issuer_label = next((e.label for e in extraction.entities if e.key == extraction.issuer), None)
    locality_label = next((e.label for e in extraction.entities if e.key == extraction.locality), None)
    stats = [(x.value, x.unit) for x in extraction.statistics]
    out: list[Score] = []
    for p in planted:
        if p.type in ("Statistic", "Target"):
            want = (Decimal(p.value or "0"), p.unit)
            if want in stats:
                stats.remove(want)
                out.append(Score(p, "found"))
            else:
                out.append(Score(p, "missed"))
            continue
        names = {_nk(n) for n in p.names}
        for n in list(names):
            k = known.get(norm_key(n)) or known.get(re.sub(r"[、,，·\s]", "", norm_key(n)))
            if k:
                names.add(_nk(k[0]))
        if p.type == "Negative":
            hit = next((n for n in names if n in by_name), None)
            out.append(Score(p, "produced" if hit else "absent", ",".join(by_name[hit]) if hit else ""))
            continue
        if p.form == "agency_issuer":
            ok = issuer_label is not None and _nk(issuer_label) in names
            out.append(Score(p, "found" if ok else "missed", f"issuer={issuer_label}"))
            continue
        if p.form == "place_locality":
            ok = locality_label is not None and _nk(locality_label) in names
            out.append(Score(p, "found" if ok else "missed", f"locality={locality_label}"))
            continue
        types = [t for n in names for t in by_name.get(n, ())]
        if p.type in types:
            out.append(Score(p, "found"))
        elif types:
            out.append(Score(p, "wrong_type", ",".join(sorted(set(types)))))
        else:
            out.append(Score(p, "missed"))
    return out


# --------------------------------------------------------------------------------------------
# command line


def main(argv: Sequence[str] | None = None) -> int:
    """``python bench/make_corpus.py OUT_DIR --reports N --seed S``: write a corpus."""
    ap = argparse.ArgumentParser(
        description="Write N synthetic 法治政府建设 reports (seeded, reproducible) for benchmarks.",
        epilog="Example: python bench/make_corpus.py /tmp/corpus --reports 200 --seed 1",
    )
    ap.add_argument("out_dir", type=Path, help="folder to write into (reports go into <province code>/ sub-folders)")
    ap.add_argument("--reports", type=int, default=100, help="number of reports (default 100)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--chars", type=int, default=4000, help="target characters per report, ±20%% (default 4000)")
    ap.add_argument("--gbk-share", type=float, default=0.1, help="share of reports written in GB18030 (default 0.1)")
    ap.add_argument("--force", action="store_true", help="write into a folder that already has files")
    args = ap.parse_args(argv)
    if args.reports < 1 or args.chars < 500 or not 0 <= args.gbk_share <= 1:
        ap.error("--reports must be ≥ 1, --chars ≥ 500 and --gbk-share between 0 and 1")
    if args.out_dir.exists() and any(args.out_dir.iterdir()) and not args.force:
        print(f"make_corpus: {args.out_dir} is not empty; choose an empty folder or add --force", file=sys.stderr)
        return 1
    paths = write_corpus(args.out_dir, args.reports, args.seed, chars=args.chars, gbk_share=args.gbk_share)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} reports ({total / 1e6:.1f} MB) and {MANIFEST} into {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
