"""``govkg_statistics``: numbers with units, normalised, with what they count."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import TYPE_CHECKING

from spacy.language import Language

from ..lexicon import Lexicons, lexicons, trie_pattern
from ..model import StatisticMention
from .state import (
    PUNCT,
    State,
    clause_end,
    clause_start,
    component,
    walk_left,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

_STAT_POST_STOP = frozenset(("提供", "办理", "进行", "参与", "开展", "实现", "完成", "获得", "受理", "通过"))
_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_NUM = re.compile(
    rf"(?<![\d.第])(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[{_CN_NUM}]+)(?P<approx>余|多)?(?P<scale>万|亿|千)?(?P<approx2>余|多)?(?P<unit>%|％)?"
)
_ABSTRACT_COUNTED = re.compile(
    r"^(?:法定)?(?:程序|方面|原则|体系|环节|意识|自信|维护|确立|作用|理念|责任|务必|基本点|代表|结合|坚持|全面|统筹|转变|服务|优势|能力|关系|问题|目标|任务|重点|要求|步骤|阶段|层次|维度|支撑|保障|机制|抓手)"
)
_STAT_STRIP = ("不少于", "不低于", "不超过", "其中", "共计", "累计", "合计", "共", "总计", "全年", "今年", "年内", "已", "均", "达到", "达", "实现", "完成", "为", "占", "有", "约", "近", "超过", "超", "同比", "全市", "全县", "全区", "全镇", "目前", "截至目前", "并", "先后", "分别", "新增", "其", "的", "对", "向", "通过", "依法")


@cache
def _unit_regex() -> re.Pattern[str]:
    units = [u for u in lexicons().units if u not in ("%",)]
    return re.compile(trie_pattern(units))


def statistics(st: State, lex: Lexicons) -> None:
    _counts(st, lex)
    _ranks(st, lex)
    st.statistics.sort(key=lambda x: x.start)


def _counts(st: State, lex: Lexicons) -> None:
    """Numbers with a unit (15家, 1269万元, 99.3%), normalised, with what they count."""
    unit_rx = _unit_regex()
    named = sorted((m.start, m.end) for m in st.mentions if m.type in ("Policy", "Initiative", "Law", "Agency"))
    for m in _NUM.finditer(st.text):
        s = m.start()
        if not st.in_content(s) or st.inside(st.titles, s, m.end(), strict=False) or st.inside(st.quotes, s, m.end(), strict=False):
            continue
        if st.inside(named, s, m.end(), strict=False):
            continue
        num, scale, pct = m.group("num"), m.group("scale"), m.group("unit")
        chinese = not num[0].isdigit()
        end = m.end()
        if pct:
            unit_raw = "%"
        else:
            um = unit_rx.match(st.text, end)
            if um is None:
                if scale and scale != "千":  # 1.2万 with no unit after: a count in 万
                    continue
                continue
            unit_raw = um.group()
            end = um.end()
            if unit_raw == "各" and chinese:
                continue
        # 3至5件, 2021-2025: a range, not a count (but 下降至8.7% is a value)
        if s > 0 and st.text[s - 1] in "-~～" or s > 1 and st.text[s - 1] in "至到" and st.text[s - 2].isdigit():
            continue
        if end < len(st.text) and st.text[end] in "-~～" and not pct:
            continue
        if chinese:
            if num in ("一", "零", "〇") or re.fullmatch(r"[一二两三四五六七八九]", num) and unit_raw in ("次", "批", "期", "部", "本", "套", "张", "支", "条", "处", "所", "场"):
                continue
            if _ABSTRACT_COUNTED.match(st.text[end : end + 4]) or st.text[end : end + 1] in "“":
                continue
            if num in ("万", "亿", "千", "百", "十") or re.search(r"[一二两三四五六七八九十]{2,}", num) and not re.search(r"[十百千万亿]", num):
                continue
        value = _number(num)
        if value is None:
            continue
        unit = unit_raw
        if scale:
            value *= {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000)}[scale]
        if unit in ("万元", "亿元", "千元"):
            value *= {"万元": Decimal(10000), "亿元": Decimal(100000000), "千元": Decimal(1000)}[unit]
            unit = "元"
        elif unit == "万册":
            value *= Decimal(10000)
            unit = "册"
        if value == value.to_integral_value():
            value = Decimal(int(value))
        if unit == "各":
            unit = "个"
        if unit == "个百分点":
            unit = "个百分点"
        elif unit == "%":
            pass
        if st.sentences and st.sentences[st.sentence_at(s)].role == "plan":
            continue  # 力争新创建2个: a target, not a result
        measure, ms, me = _measure(st, lex, s, end, unit_raw == "%")
        if not measure:
            continue
        a, b = min(s, ms), max(end, me)
        st.statistics.append(
            StatisticMention(
                start=a, end=b, text="", value=value, unit=unit, measure=measure,
                sentence=st.sentence_at(s), component="govkg_statistics",
                raw=st.text[s:end], approximate=bool(m.group("approx") or m.group("approx2")) or st.text[max(0, s - 1) : s] in "约近超",
            )
        )


def _ranks(st: State, lex: Lexicons) -> None:
    """Ranks (改善幅度全省第二, 全市排名第一) as statistics in 名, measured by what is ranked."""
    for m in _RANK.finditer(st.text):
        s = m.start()
        if not st.in_content(s) or st.inside(st.titles, s, m.end(), strict=False):
            continue
        if st.sentences and st.sentences[st.sentence_at(s)].role == "plan":
            continue
        value = _number(m.group("n"))
        if value is None or value <= 0:
            continue
        cs = clause_start(st, s)
        pre_start = walk_left(st, lex, s, max_chars=10) or s
        pre_start = max(pre_start, cs)
        measure = (st.text[pre_start:s] + m.group("scope")).strip()
        st.statistics.append(
            StatisticMention(
                start=pre_start, end=m.end(), text="", value=value, unit="名", measure=measure,
                sentence=st.sentence_at(s), component="govkg_statistics", raw=st.text[s : m.end()],
            )
        )


def _number(num: str) -> Decimal | None:
    num = num.replace(",", "")
    if num[0].isdigit():
        try:
            return Decimal(num)
        except InvalidOperation:
            return None
    try:
        import cn2an

        return Decimal(str(cn2an.cn2an(num, "smart")))
    except (ValueError, KeyError, TypeError):
        return None


_RATE = re.compile(r"率|比例|比重|占比|覆盖面")
_RATE_WORDS = ("率", "比例", "比重", "占比", "覆盖面")
#: 改善幅度全省第二, 全市排名第一: a rank, counted in 名.
_RANK = re.compile(
    r"(?P<scope>全国|全省|全市|全州|全区|全县|全系统|同类城市|省内|市内)(?:[^,，。;；\d]{0,6}?)(?:排名|排|位列|位居|居|列)?"
    r"第(?P<n>[一二三四五六七八九十]{1,3}|\d{1,3})(?P<unit>名|位)?(?![一二三四五六七八九十\d]|[次批届期季轮号条项个类年章节部分])"
)


def _subject_ends(st: State) -> dict[int, int]:
    """Where an agency or place mention that starts at a position ends (computed once)."""
    cache = st.cache.get("subject_ends")
    if cache is None:
        cache = {}
        for m in st.mentions:
            if m.type in ("Agency", "Place"):
                cache[m.start] = max(cache.get(m.start, 0), m.end)
        st.cache["subject_ends"] = cache
    return cache


def _measure(st: State, lex: Lexicons, s: int, e: int, percent: bool) -> tuple[str, int, int]:
    """What a number counts: the noun phrase after its unit, or the phrase before the number."""
    cs = clause_start(st, s)
    ce = clause_end(st, e)
    post_words: list[tuple[int, int]] = []
    for ts, te in st.tokens_after(e):
        if ts >= ce or ts < e:
            if ts >= ce:
                break
            continue
        w = st.text[ts:te]
        if any(ch in PUNCT and ch not in "“”" for ch in w) or w in ("的",):
            break
        if post_words and ts in st.owned(ce):  # a body named after the counted noun
            break
        if w == "及" and st.text[te : te + 2] in ("以上", "以下") and post_words:
            post_words.append((ts, te + 2))  # 8个县级及以上饮用水水源地: one noun phrase
            continue
        if post_words and ts < post_words[-1][1]:
            continue
        if re.search(r"\d", w) or (w in lex.boundary_words or w in _STAT_POST_STOP or w in "“”") and post_words:
            break
        if w in lex.boundary_words:
            continue
        post_words.append((ts, te))
        if len(post_words) >= 5 or len(post_words) >= 3 and not any(st.text[a:b] == "及以上" for a, b in post_words):
            break
    if post_words:
        # 四个专项协调小组: what is counted is the body named right after the count
        body_end = _subject_ends(st).get(post_words[0][0])
        if body_end is not None and body_end <= ce:
            post_words = [(post_words[0][0], body_end)]
    pre_start = cs
    # 废止13件、修改5件: the second number's measure starts after the first
    for x in reversed(st.statistics):  # in text order: the last one before this number ends last
        if x.start < cs:
            break
        if x.end <= s:
            pre_start = max(pre_start, x.end)
            break
    marker = re.match(r"\s*(?:\d{1,2}[.、．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]+[是、])\s*", st.text[pre_start:s])
    if marker:
        pre_start += marker.end()
    while pre_start < s and st.text[pre_start] in "、，, ":
        pre_start += 1
    pre = st.text[pre_start:s]
    # drop subjects (agency mentions) and bookkeeping words at the front of the clause
    heads = _subject_ends(st)
    changed = True
    while changed and pre:
        changed = False
        end_at = heads.get(pre_start)
        if end_at is not None and end_at <= s:
            pre_start = end_at
            pre = st.text[pre_start:s]
            changed = True
        for w in _STAT_STRIP:
            if pre.startswith(w) and (pre_start + len(w) in st.bounds or len(w) >= 2):
                pre_start += len(w)
                pre = pre[len(w) :]
                changed = True
                break
        if pre[:1] in ("的", "、", " "):
            pre_start += 1
            pre = pre[1:]
            changed = True
    while pre and pre[-1] in "的达为了是约近共" and len(pre) > 1:
        pre = pre[:-1]
    if re.fullmatch(r"(?:同比|环比|较上年|比上年)?(?:增长|下降|提高|降低|减少|增加|上升|压缩|缩短)(?:了)?(?:至|到)?", pre):
        prev = [x for x in st.statistics[-3:] if x.end <= s]
        if prev and st.sentence_at(prev[-1].start) == st.sentence_at(s):
            pre = re.sub(r"[由从]$", "", prev[-1].measure) + pre  # 由40%降低至38%: the same measure
    if percent and not _RATE.search(pre):
        # 水质达标率保持100%: what a percentage measures is the rate named last before it
        ends = [st.text.rfind(k, cs, s) + len(k) for k in _RATE_WORDS if st.text.rfind(k, cs, s) >= 0]
        if ends:
            rate_end = max(ends)
            rate_start = walk_left(st, lex, rate_end, max_chars=12, stop_at_places=True)
            if rate_start is not None:
                pre, pre_start = st.text[rate_start:rate_end], rate_start
    pre_len = len(pre)
    pre_ok = len(pre) >= 2 and not re.search(r"\d", re.sub(r"[A-Za-z]+\d+(?:\.\d+)?", "", pre))  # PM2.5 is a name
    post_ok = bool(post_words) and not percent
    if post_ok and (not pre_ok or st.text[e:e + 1] not in PUNCT):
        ps, pe = post_words[0][0], post_words[-1][1]
        return st.text[ps:pe], ps, pe
    if pre_ok:
        return pre, pre_start, pre_start + pre_len
    if post_words:
        ps, pe = post_words[0][0], post_words[-1][1]
        return st.text[ps:pe], ps, pe
    # a clause that is all number (…,2件正在审理中): take what follows
    rest = st.text[e:ce].strip()
    for w in ("正在", "已经", "已", "均"):
        if rest.startswith(w):
            rest = rest[len(w) :]
    if len(rest) >= 2:
        return rest, e, ce
    return "", s, e


@Language.factory("govkg_statistics", assigns=['doc.spans'], default_config={})
def make_statistics(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """spaCy factory of ``govkg_statistics``."""
    return component(statistics)
