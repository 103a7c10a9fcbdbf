"""``govkg_agencies``: central bodies, and local bodies as a place prefix (explicit or relative,
市委) joined to a body name from the lexicon (司法局, 纪监委, 融媒体中心 …)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from spacy.language import Language

from ..lexicon import Lexicons, lexicons, trie_pattern
from ..model import Mention
from .state import (
    PLACEHOLDER_END,
    PUNCT,
    State,
    component,
    is_han_boundary,
    short_name,
    starts_after_name_break,
    title_start,
    words_in,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

_GENERIC_AGENCY_SUFFIX = (
    "领导小组|工作领导小组|委员会|办公室|中心组|中心|小组|大队|中队|支队|协会|学会|商会|联合会|法律顾问团|顾问团|局|厅|办|所|站|院|处"
)
_REL_PREFIX = "省|市|县|区|州|镇|乡|街道"


@cache
def _agency_regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lex = lexicons()
    bodies = re.compile(trie_pattern(lex.bodies))
    national = re.compile(trie_pattern(lex.national_agencies))
    generic = re.compile(_GENERIC_AGENCY_SUFFIX)
    return bodies, national, generic


_CENTRAL_CONTEXT = re.compile(r"中央(?=、|和|及|关于|《|决策部署|部署|精神|要求|印发|出台|文件)")
_AGENCY_STOP_MID = re.compile(r"[、和与及的等各\d]|[一二两三四五六七八九十]+个|工作|建设|开展|推进|落实|相关|有关")
#: The reporting body's own parts, named from it: 局党组, 局发展计划法规处, 委机关党委.
_OWN_PART = re.compile(
    r"(?P<self>[我本]?)(?P<kind>局|委|厅|办)(?P<part>党组|党委|党总支|党支部|机关党委|机关|"
    r"[\u4e00-\u9fff]{2,10}?(?:处|科|室|股|大队|支队))(?P<tail>理论学习中心组|中心组)?"
)
_SELF_BODY = re.compile(r"[我本](?:局|委|厅|办|院|中心)")
#: Party bodies of a body just named: 市司法局党委, 区政府党组.
_PARTY_PART = re.compile(r"党组|党委|机关党委|党总支|党工委")
#: Groups of a body named right after it, with or without their count.
_SUB_GROUP = re.compile(
    r"(?:[一二两三四五六七八九十\d]{1,2}个)?(?P<name>[\u4e00-\u9fff]{2,8}?(?:协调小组|工作小组|专项小组|工作专班|专班|工作组))"
)
#: A body named without a place, as set up by the reporting body: 成立…领导小组, 组建“…”中队.
_NAMED_BODY = re.compile(
    r"(?:工作)?领导小组|工作小组|协调小组|工作专班|专班|志愿者?服务队|志愿者?中队|服务队|中队|宣讲团|讲师团|顾问团|工作室|调解委员会"
)
_VAGUE_BODY = re.compile(r"(?:各|相关|有关|专门|临时|该|此|本|这个)[\u4e00-\u9fff]{0,4}")
_SET_UP = re.compile(r"(?:成立|组建|设立|建立|组织|抽调|牵头)")
_REL_CHARS = frozenset("省市县区州镇乡")
#: Words that end in a body suffix's character without naming a body.
_NOT_BODY = frozenset((
    "举办", "承办", "主办", "协办", "督办", "交办", "代办", "包办", "帮办", "领办", "创办", "开办", "合办", "查办",
    "转办", "快办", "网办", "通办", "即办", "马上办", "就近办", "一次办", "好办", "难办", "照办", "兴办", "承办",
    "大局", "格局", "布局", "全局", "结局", "开局", "变局", "新局", "时局", "当局", "僵局", "骗局", "出局", "破局",
    "法院", "医院", "学院", "剧院", "影院", "庭院", "研究院",
))
#: Words that open with a level's character but name no level: 市场, 县域, 区域 …
_NOT_PREFIX = frozenset(("市场", "市民", "市区", "市级", "县城", "县域", "县级", "区域", "区级", "省份", "省级", "乡村", "乡镇", "镇村", "州府"))


def _prefix(st: State, lex: Lexicons, pos: int) -> tuple[int, str | None, str | None, bool]:
    """The place prefix of a body name that starts at ``pos``: an explicit place name
    (监利市, 荆州, an anonymised copy's xx市) or a relative one (市, 县, 街道 …), with 中共
    before it.

    Returns (start, place, relative, party); place and relative are None when there is none.
    """
    text = st.text
    start, place, rel = pos, None, None
    for k in range(min(12, pos), 1, -1):
        # a place name must not start inside a word: 担任县政府 is 县政府, not 任县 + 政府
        if text[pos - k : pos] in lex.place_index and (pos - k in st.bounds or starts_after_name_break(text, pos - k)):
            start, place = pos - k, text[pos - k : pos]
            break
    else:
        ph = PLACEHOLDER_END.search(text, max(0, pos - 6), pos)
        if ph is not None:
            return ph.start(), ph.group(), None, False
        if text[pos - 2 : pos] == "街道":
            start, rel = pos - 2, "街道"
        elif pos > 0 and text[pos - 1] in _REL_CHARS:
            start, rel = pos - 1, text[pos - 1]
    party = start >= 2 and text[start - 2 : start] == "中共"
    return (start - 2 if party else start), place, rel, party


def _place_prefix_ok(st: State, lex: Lexicons, place: str | None, rel: str | None, rel_pos: int) -> bool:
    if rel is not None:
        # 市 in 城市 or 都市 is no prefix; 我市/全市/本市 are the report's own place
        return rel_pos in st.bounds or (rel_pos > 0 and st.text[rel_pos - 1] in "我本全该各")
    if place is not None:
        codes = lex.place_index.get(place, ())
        div = lex.divisions[codes[0]] if len(codes) == 1 else None
        if div is not None and place == div.short and place not in lex.short_ok and place != short_name(lex, st.locality):
            return False
    return True


def agencies(st: State, lex: Lexicons) -> None:
    bodies_rx, national, generic = _agency_regexes()
    text = st.text
    taken: dict[int, tuple[int, int]] = {}  # character -> the span of the agency that covers it

    def free(s: int, e: int) -> bool:
        return not any(i in taken for i in range(s, e))

    def add(s: int, e: int, name: str, hints: tuple[tuple[str, str], ...]) -> None:
        st.add(Mention(s, e, "", "Agency", name, st.sentence_at(s), "govkg_agencies", hints=hints))
        for i in range(s, e):
            taken[i] = (s, e)

    def extend(s: int, e: int) -> bool:
        """Let a longer unlisted body replace listed ones it starts with (市政府 + 法律顾问团)."""
        inner = {taken[i] for i in range(s, e) if i in taken}
        if not inner or any(a < s or b > e for a, b in inner):
            return False
        for a, b in inner:
            for i in range(a, b):
                del taken[i]
        st.mentions[:] = [m for m in st.mentions if not (m.type == "Agency" and (m.start, m.end) in inner)]
        return True

    for m in national.finditer(text):
        s, e = m.start(), m.end()
        if st.in_content(s) and (st.aligned(s, e) or is_han_boundary(text, e)):
            add(s, e, lex.national_agencies[m.group()], (("national", "1"),))
    for m in _CENTRAL_CONTEXT.finditer(text):
        s, e = m.start(), m.end()
        if st.in_content(s) and free(s, e) and (s == 0 or text[s - 1] != "党"):
            add(s, e, "中共中央", (("national", "1"),))
    for m in bodies_rx.finditer(text):
        bs, e = m.start(), m.end()
        if not st.in_content(bs):
            continue
        body = m.group()
        canonical, kind, bare = lex.bodies[body]
        s, place, rel, party = _prefix(st, lex, bs)
        if not free(s, e):
            continue
        if place is None and rel is None:
            if not bare or bs not in st.bounds:
                continue
            if re.search(r"(?:基层|各级|各|乡镇|所属|有关|相关|下属)$", text[max(0, bs - 2) : bs]):
                continue  # 基层司法所, 各司法所: a kind of office, not one body
        elif not _place_prefix_ok(st, lex, place, rel, bs - len(rel or "")):
            continue
        add(s, e, text[s:e], _agency_hints(canonical, kind, place, rel, party))
    # bodies the lexicon does not list: a place prefix, a few words, a body suffix (…领导小组)
    for m in generic.finditer(text):
        ss, e = m.start(), m.end()
        if not st.in_content(ss) or not free(ss, e) or e not in st.bounds:
            continue
        if text[max(0, ss - 1) : e] in _NOT_BODY:
            continue  # 举办, 大局: a verb or a word, not a body's suffix
        for mid_start in range(ss - 2, max(ss - 13, -1), -1):
            s, place, rel, party = _prefix(st, lex, mid_start)
            if place is None and rel is None:
                continue
            mid = text[mid_start:ss]
            stop = _AGENCY_STOP_MID.search(mid)
            if stop and not (stop.group() in ("建设", "工作") and m.group() in ("领导小组", "工作领导小组", "委员会", "办公室")):
                break
            if any(ch in PUNCT for ch in mid):
                break
            if any(w in lex.boundary_words for w in words_in(st, mid_start, ss)):
                break
            if not free(s, e) and not extend(s, e):
                break
            if not _place_prefix_ok(st, lex, place, rel, mid_start - len(rel or "")):
                break
            if rel is not None and text[mid_start - 1 : mid_start + 1] in _NOT_PREFIX:
                continue  # 市场物业管理中心: the 市 of 市场 is no prefix (a longer one may be)
            if st.inside(st.titles, s, e) and not title_start(st, s):
                break
            body = re.sub(r"^政府(?!办)", "人民政府", text[mid_start:e])  # 市政府法律顾问团
            add(s, e, text[s:e], _agency_hints(body, "other", place, rel, party))
            break


    _own_bodies(st, lex, free, add)


def _own_bodies(st: State, lex: Lexicons, free: Callable[[int, int], bool],
                add: Callable[[int, int, str, tuple[tuple[str, str], ...]], None]) -> None:
    """Bodies named from the reporting body or set up by it, which carry no place prefix.

    我局 / 本局 is the reporting body itself; 局党组 and 局发展计划法规处 are its parts; a party
    body right after a body's name (市司法局党委) is that body's; 成立…领导小组 and
    组建“蒲公英”普法志愿者中队 are bodies the report's subject set up.
    """
    text = st.text
    issuer = st.issuer or ""
    for m in _SELF_BODY.finditer(text):
        if st.in_content(m.start()) and free(m.start(), m.end()):
            add(m.start(), m.end(), m.group(), (("self", "1"),))
    for m in _OWN_PART.finditer(text):
        s, e = m.start("kind"), m.end()
        if not st.in_content(s) or not free(s, e) or not (s in st.bounds or m.group("self")):
            continue
        if not issuer.endswith(m.group("kind")) and not m.group("self"):
            continue
        part = m.group("part") + (m.group("tail") or "")
        if m.group("part") == "机关" and not m.group("tail"):
            continue
        add(m.start(), e, m.group(), (("own_part", part),))
    for prev in [x for x in st.mentions if x.type == "Agency"]:
        sub = _SUB_GROUP.match(text, prev.end)
        if sub and free(sub.start("name"), sub.end()) and not prev.hint("self"):
            # 市委依法治市委四个专项协调小组: groups of the body just named (the count stays outside)
            body = prev.hint("body") or prev.name
            hints = tuple((k, v) for k, v in prev.hints if k not in ("body", "kind"))
            add(sub.start("name"), sub.end(), sub.group("name"),
                (("body", body + sub.group("name")), ("kind", "party_of"), ("parent_body", body), *hints))
            continue
        pm = _PARTY_PART.match(text, prev.end)
        if pm is None or not free(prev.end, pm.end()) or prev.hint("own_part") or prev.hint("self"):
            continue
        if prev.name.endswith(("委", "党委", "党组", "党工委")):
            continue  # 市委党委 is no body
        body = prev.hint("body") or prev.name
        hints = tuple((k, v) for k, v in prev.hints if k not in ("body", "kind"))
        add(prev.start, pm.end(), text[prev.start : pm.end()],
            (("body", body + pm.group()), ("kind", "party_of"), ("parent_body", body), *hints))
    for m in _NAMED_BODY.finditer(text):
        bs, e = m.start(), m.end()
        if not st.in_content(bs) or not free(bs, e):
            continue
        start = bs
        quoted = False
        while start > 0:
            ch = text[start - 1]
            if ch == "”":
                q = text.rfind("“", max(0, start - 20), start - 1)
                if q < 0:
                    break
                start, quoted = q, True
                continue
            if not ("\u4e00" <= ch <= "\u9fff") or ch in "的是由为在、了着过以将把对":
                break
            if ch in "和与及" and not (start - 2 >= 0 and "\u4e00" <= text[start - 2] <= "\u9fff" and text[start - 2] not in "的是由为在"):
                break
            if start - bs >= 16 or (start in st.bounds and text[max(0, start - 2) : start] in ("成立", "组建", "设立", "建立", "组织", "抽调")):
                break
            if not free(start - 1, start):
                break
            start -= 1
        name = text[start:e]
        core = text[start:bs].strip("“”")
        if len(re.sub(r"工作|专项|协调|领导", "", core)) < 2 or _VAGUE_BODY.fullmatch(core):
            continue  # 工作领导小组, 相关工作专班: no name
        lead = text[max(st.sentences[st.sentence_at(bs)].start if st.sentences else 0, start - 30) : start]
        if not quoted and not _SET_UP.search(lead):
            continue
        add(start, e, name.replace("“", "").replace("”", ""), (("unprefixed", "1"),))


def _agency_hints(body: str, kind: str, place: str | None, rel: str | None, party: bool) -> tuple[tuple[str, str], ...]:
    """What resolution needs to know of an agency mention: its body, kind and place prefix."""
    hints: list[tuple[str, str]] = [("body", body), ("kind", kind)]
    if place:
        hints.append(("place", place))
    if rel:
        hints.append(("relative", rel))
    if party:
        hints.append(("party", "1"))
    return tuple(hints)


@Language.factory("govkg_agencies", assigns=['doc.spans'], default_config={})
def make_agencies(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """spaCy factory of ``govkg_agencies``."""
    return component(agencies)
