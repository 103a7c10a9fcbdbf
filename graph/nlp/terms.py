"""``govkg_terms``: policies and initiatives — quoted names with their head word, unquoted names
ending in a head word (制度, 机制, 改革, 专项行动 …), well-known terms."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from spacy.language import Language

from ..lexicon import Lexicons, lexicons, norm_key, trie_pattern
from ..model import Mention
from .state import (
    HAN,
    IMPLEMENT_VERBS,
    State,
    clause_end,
    clause_start,
    component,
    generic,
    is_han_boundary,
    loose,
    starts_after_name_break,
    walk_left,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

_SLOGAN_AFTER = re.compile(r"^(?:现象|理念|意识|思想|观念|精神|作风|问题|倾向|心态|误区|口号|要求|目标|原则|标准|思维|氛围|局面|格局|信念|底线|总体布局|战略布局|布局|的发展|发展新路|新路|的理念|的要求|负总责|亲自|带头|挂帅|牵头)")
#: A quoted clause is a saying, not a name: it has a copula or a modal verb in it.
_SENTENCE_LIKE = re.compile(r"就是|才是|不是|也是|要把|必须|没有|不能|不得|一切|为了")
#: A short quote opening with a number and with no head word: 三年三级跳, 四个全面, 三个强化.
_NUMBERED_SLOGAN = re.compile(r"(?:[二两三四五六七八九十百千]+|一[个大项张])[^\s]{1,9}")
_SLOGAN_BEFORE = ("抓住", "抓好", "树立", "牢固树立", "破除", "克服", "杜绝", "防止", "避免", "摒弃", "践行", "做到", "争当", "争做", "增强", "坚定", "强化", "消除", "纠正", "整治")
_RUN_VERBS = re.compile(r"开展|组织|举办|承办|筹划|策划|推进|部署|启动|做好|召开|实施|创建|打造")
_TAILS = ("清单", "模式", "流程", "品牌", "平台", "体系")
_COLLECTIVE = re.compile(r"^[一二两三四五六七八九十\d]+(?:项|个|大|张|条)")
_SHORT_MOD_NEEDS_LEXICON = frozenset(("制度", "机制", "改革", "体制", "工作", "模式", "服务", "建设", "行动", "活动"))
_BUILD_OK = re.compile(r"示范|创建|阵地|乡村|村|社区|基地|园|项目|工程|平台|试点|窗口|驿站|站点|.型")
_VAGUE = re.compile(r"(?:各项|各类|相关|有关|具体|年度|专项|日常|常态化|全面|各|本|该|此|一系列|系列)+")
_VAGUE_LEAD = re.compile(r"(?:[市县区]直)?(?:各地|各级|各类|各项|各单位|各部门|各|相关|有关|全部|所有)")
_LIST_KINDS = re.compile(r"权力|权责|责任|负面|事项|免罚|轻微")
_AREA = re.compile(r"领域|方面|系统$|层面")
#: What may not follow a head word for it to end a name: 行动自觉, 活动现场, 制度建设.
_HEAD_FOLLOW_STOP = re.compile(r"自觉|现场|场所|阵地|室|经费|方案|计划|中心|建设|意识|能力|水平|化|事项")
_LIST_SUMMARY = re.compile(r"^等(?:[一二两三四五六七八九十\d]+[项个次场类]|多项|各项|系列|一系列|多种|各类)?")


@cache
def _term_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = lexicons()
    heads = re.compile(trie_pattern(lex.heads))
    known_names = set()
    for r in lex.known_terms:
        known_names.add(r)
    known = re.compile(trie_pattern(sorted(known_names)))
    return heads, known


def terms(st: State, lex: Lexicons) -> None:
    heads_rx, known_rx = _term_regexes()
    found: list[Mention] = []
    quoted_spans: list[tuple[int, int]] = []
    # 1. quoted names
    for qs, qe in st.quotes:
        if not st.in_content(qs):
            continue
        m = _quoted_term(st, lex, heads_rx, qs, qe)
        if m is not None:
            found.append(m)
            quoted_spans.append((m.start, m.end))
    # 2. names ending in a head word (quoted names do not overlap each other: bisect them)
    quoted_spans_sorted = sorted(quoted_spans)
    quoted_starts = [a for a, _ in quoted_spans_sorted]
    for hm in heads_rx.finditer(st.text):
        hs, he = hm.start(), hm.end()
        if not st.in_content(hs) or st.inside(st.quotes, hs, he, strict=False) or st.inside(st.titles, hs, he, strict=False):
            continue
        k = bisect.bisect_right(quoted_starts, hs) - 1
        if k >= 0 and quoted_spans_sorted[k][0] <= hs < quoted_spans_sorted[k][1]:
            continue
        # the head ends a word (联动机制 is one jieba word): it may start inside that word
        if he not in st.bounds and not (hs in st.bounds and is_han_boundary(st.text, he)):
            continue
        if _HEAD_FOLLOW_STOP.match(st.text, he) and hm.group() not in ("示范创建",):
            continue
        found.extend(_headed_terms(st, lex, hm.group(), hs, he))
    # 3. well-known terms named without quotes or head (跨省通办, 证明事项告知承诺制 …)
    for km in known_rx.finditer(st.text):
        s, e = km.start(), km.end()
        if not st.in_content(s) or st.inside(st.quotes, s, e, strict=False):
            continue
        if st.inside(st.titles, s, e, strict=False):
            continue
        if not (s in st.bounds or starts_after_name_break(st.text, s)):
            continue
        if st.text[e : e + 1] in ("团", "室", "处", "组", "队", "库") or _HEAD_FOLLOW_STOP.match(st.text, e):
            continue  # 法律顾问团 is a body, not the system of legal advisers
        label, typ = lex.known_terms[km.group()]
        found.append(Mention(s, e, "", typ, km.group(), st.sentence_at(s), "govkg_terms", core=km.group(),
                             hints=(("known", label),)))
    # 4. honours and places on lists: what a body 入选 / 荣获 / 夺取 (…储备库, “大禹鼎”金鼎)
    found.extend(_honours(st, lex))
    # overlaps: quoted and headed names win over a known term inside them, longer over shorter
    found.sort(key=lambda m: (-(m.end - m.start), not m.hint("honour"), m.start))
    kept: list[Mention] = []
    cover: dict[int, int] = {}  # character -> index in kept of the name that holds it (kept never overlap)
    for m in found:
        at = next((cover[i] for i in range(m.start, m.end) if i in cover), None)
        clash = kept[at] if at is not None else None
        if clash is None:
            for i in range(m.start, m.end):
                cover[i] = len(kept)
            kept.append(m)
        elif m.hint("known") and clash.start <= m.start and m.end <= clash.end and not clash.hint("known"):
            # record the well-known name inside a longer one as its core
            if clash.core is None or clash.core == clash.name:
                kept[at] = Mention(  # type: ignore[index]
                    clash.start, clash.end, "", clash.type, clash.name, clash.sentence, clash.component,
                    core=m.name, hints=clash.hints + (("known", m.hint("known") or ""),),
                )
    for m in sorted(kept, key=lambda m: m.start):
        st.add(m)


#: Verbs of winning or being put on a list; what follows is an honour (an Initiative).
_HONOUR_VERB = re.compile(r"(?:成功)?(?:入选|入围|荣获|获评|获得|夺取|夺得|摘得|捧得|被评为|被命名为|被确定为|被列为|创成|获批)")
#: Words an honour's name ends in.
_HONOUR_END = re.compile(
    r"(?:基地|储备库|示范区|示范市|示范县|示范点|示范单位|示范项目|先进单位|先进集体|称号|杯|鼎|奖|试点|名单|候选项目|项目|典型案例|优秀案例)$"
)


def _honours(st: State, lex: Lexicons) -> list[Mention]:
    """Honours a report's subject won or lists it was put on: 成功入选第二批“…”实践创新基地省级
    储备库, 夺取“大禹鼎”金鼎和全域“无废城市”建设“清源杯”. Each item after the verb (items joined by
    和 or 、) that ends in an honour's word or is quoted is one, named without its quotes."""
    out: list[Mention] = []
    text = st.text
    for vm in _HONOUR_VERB.finditer(text):
        if not st.in_content(vm.start()):
            continue
        pos = vm.end()
        ce = clause_end(st, pos)
        depth = 0
        item_start = pos
        i = pos
        while i <= ce:
            ch = text[i] if i < ce else "，"
            if ch in "“《":
                depth += 1
            elif ch in "”》":
                depth = max(0, depth - 1)
            elif depth == 0 and (ch in "，,。;；、" or ch == "和" and i > item_start + 1 or i == ce):
                raw = text[item_start:i]
                name = re.sub(r"[“”\"]", "", raw).strip()
                if 3 <= len(name) <= 40 and (_HONOUR_END.search(name) or raw.startswith("“") and raw.endswith("”")) \
                        and not re.search(r"\d", name) and not st.inside(st.titles, item_start, i, strict=False):
                    out.append(Mention(item_start, i, "", "Initiative", name, st.sentence_at(item_start), "govkg_terms",
                                       hints=(("honour", "1"),)))
                item_start = i + 1
                if ch not in "和、":
                    break
            i += 1
    return out


def _quoted_term(st: State, lex: Lexicons, heads_rx: re.Pattern[str], qs: int, qe: int) -> Mention | None:
    core = st.text[qs + 1 : qe - 1].strip()
    if len(core) < 2 or not re.search(f"[{HAN}\\d]", core):
        return None
    after = st.text[qe : qe + 12]
    before = st.text[max(0, qs - 4) : qs]
    in_title = st.inside(st.titles, qs, qe)
    if _SLOGAN_AFTER.match(after) or before.endswith(_SLOGAN_BEFORE) or re.match(r"[\u4e00-\u9fff]{0,2}(?:布局|格局|目标|思路)", after):
        return None
    own_head = heads_rx.search(core)
    known_after = (any(lex.known_terms.get(loose(core + after[:k])) for k in range(0, 5))  # “八五”普法
                   or own_head is not None and own_head.end() == len(core))  # “六五环境日”
    if _SENTENCE_LIKE.search(core) or _NUMBERED_SLOGAN.fullmatch(core) and not heads_rx.match(after) and not known_after:
        return None  # “绿水青山就是金山银山”, “三年三级跳”, “五位一体”: ideas and slogans
    attitude = re.fullmatch(r"重[^、]{1,4}、轻[^、]{1,4}", core) or (
        re.fullmatch(r"[^、,]{1,3}(?:、[^、,]{1,3}){1,}", core) and len(core) <= 8
    )
    if attitude and not lex.known_terms.get(loose(core)):
        return None  # 重行政、轻法律 and lists of short words are attitudes, not names
    sent = st.sentence_at(qs)
    # a head word right after the closing quote, with at most a short modifier between
    head_type = None
    typ: str | None  # the mention's type; None until a head, a known name or the context gives it
    end = qe
    best = None
    for k in range(0, 5):  # “平安校园”创建活动: take 创建活动, not the shorter 创建
        if k and not re.match(f"[{HAN}]", after[k - 1 : k]):
            break
        h = heads_rx.match(after, k)
        if h and (best is None or h.end() > best.end()):
            best = h
    if best is None:
        # “多证合一”“证照分离”改革: quotes side by side share the head after the last one
        sib = re.match(r"(?:“[^“”]{1,20}”)+", st.text[qe : qe + 60])
        if sib:
            h = heads_rx.match(st.text, qe + sib.end())
            if h and not lex.heads[h.group()][1]:
                head = h.group()
                name = core + head
                known = lex.known_terms.get(loose(name))
                return Mention(qs, qe, "", known[1] if known else lex.heads[head][0], name, sent, "govkg_terms",
                               core=core, hints=(("quoted", "1"), ("distributed_head", head))
                               + ((("known", known[0]),) if known else ()))
    hm = re.match(rf"[{HAN}]{{0,4}}", after[: best.start()]) if best is not None else None
    if hm is not None and best is not None:
        mid = after[: best.start()]
        hmatch = best
        if hmatch and not any(w in mid for w in ("等", "的", "和", "与", "及", "中", "上", "下")) and not _LIST_SUMMARY.match(after):
            head = hmatch.group()
            typ, restricted = lex.heads[head]
            core_known = lex.known_terms.get(loose(core))
            if not restricted or not mid and not core_known:
                head_type = typ
                end = qe + hmatch.end()
    name_core = core
    start = qs
    if head_type is None:
        for k in range(6, 0, -1):
            cand = lex.known_terms.get(loose(core + st.text[qe : qe + k]))
            if cand and re.fullmatch(f"[{HAN}]+", st.text[qe : qe + k]):
                end = qe + k
                name = core + st.text[qe:end]
                known_hints = (("quoted", "1"), ("known", cand[0])) + ((("in_title", "1"),) if in_title else ())
                return Mention(qs, end, "", cand[1], name, sent, "govkg_terms", core=core, hints=known_hints)
    if _COLLECTIVE.match(core):
        # “三项制度”: a numbered collective names nothing without the words before it
        pre = walk_left(st, lex, qs, max_chars=8, stop_at_places=True)
        if pre is None or pre >= qs:
            return None
        start = pre
        name_core = st.text[pre:qs] + core
    key = loose(name_core)
    known = lex.known_terms.get(key) or lex.known_terms.get(norm_key(name_core))
    if head_type is not None:
        name = name_core + st.text[qe:end]
        typ = head_type
        k2 = lex.known_terms.get(loose(name))
        if k2:
            typ = k2[1]
    else:
        name = name_core
        end = qe
        typ = None
        if known:
            typ = known[1]
        else:
            own = heads_rx.search(core)
            if own and own.end() == len(core) and len(core) - len(own.group()) >= 2:
                typ = lex.heads[own.group()][0]
            elif _in_summarised_list(st, qe):
                typ = _summary_type(st, lex, heads_rx, qe)
            else:
                clause = st.text[clause_start(st, qs) : qs]
                v = None
                for v in IMPLEMENT_VERBS.finditer(clause):
                    pass
                if v is not None:
                    typ = "Initiative" if re.match(r"开展|启动", v.group()) else "Policy"
        if typ is None:
            return None
    hints: list[tuple[str, str]] = [("quoted", "1")]
    if in_title:
        hints.append(("in_title", "1"))
    if known:
        hints.append(("known", known[0]))
    tail = re.match("|".join(_TAILS), st.text[end : end + 2])
    if tail and head_type is None:
        hints.append(("tail", name + tail.group()))
    return Mention(start, end, "", typ, name, sent, "govkg_terms", core=name_core if name != name_core else core,
                   hints=tuple(hints))


def _in_summarised_list(st: State, pos: int) -> bool:
    """True when the item ending at ``pos`` belongs to a list closed by 等…活动/行动."""
    j = pos
    text = st.text
    while j < len(text) and j - pos < 60:
        ch = text[j]
        if text.startswith("等", j):
            return True
        if ch in "。;；\n" or ch in ",，" and not _next_is_list_item(text, j + 1):
            return False
        j += 1
    return False


def _next_is_list_item(text: str, pos: int) -> bool:
    """True when a list of quoted names goes on after a comma (…”,2021年第二季度“…”等)."""
    m = re.match(r"(?:\d{4}年)?([^,，。;；“]{0,8})“", text[pos : pos + 30])
    if m is None:
        return False
    lex = lexicons()
    return not any(w in m.group(1) for w in lex.boundary_words if len(w) >= 2)


def _summary_type(st: State, lex: Lexicons, heads_rx: re.Pattern[str], pos: int) -> str | None:
    j = st.text.find("等", pos)
    seg = st.text[j : j + 14]
    hm = heads_rx.search(seg)
    if hm is None:
        return None
    return lex.heads[hm.group()][0]


def _headed_terms(st: State, lex: Lexicons, head: str, hs: int, he: int) -> list[Mention]:
    typ, restricted = lex.heads[head]
    start = walk_left(st, lex, hs, through_conjunctions=head not in lex.long_heads)
    if start is None:
        start = hs
    sent = st.sentence_at(hs)
    # a summary head closing a list (…等多项环境治理行动): the items are the names
    lead = st.text[max(0, start - 4) : start]
    if not restricted and re.search(r"等(?:[一二两三四五六七八九十\d]+[项个次场类]|多项|各项|系列|一系列|多种|各类)?$", lead):
        return _list_items(st, lex, start - len(re.search(r"等\S{0,3}$", lead).group()), typ)  # type: ignore[union-attr]
    segment = st.text[start:hs]
    if re.search("[和与及]", segment):
        # 工作职责和考评制度: a generic left conjunct is no part of the name
        while True:
            cut = re.search("[、和与及]", segment)
            if cut is None or not generic(st, lex, start, start + cut.start()):
                break
            start += cut.end()
            segment = st.text[start:hs]
    parts = [p for p in re.split(r"[、]", segment) if p]
    if "和" in segment or "与" in segment or "及" in segment or len(parts) <= 1:
        names = [(start, segment)]
    else:
        # 法治乡村、民主法治示范村建设: the head belongs to every item
        names = []
        pos = start
        for p in segment.split("、"):
            if p:
                names.append((pos, p))
            pos += len(p) + 1
    out = []
    for i, (ms, mod) in enumerate(names):
        mod = mod.strip()
        vague = _VAGUE_LEAD.match(mod)
        if vague and vague.end() < len(mod):  # 各地权力责任清单: 各地 is no part of the name
            ms, mod = ms + vague.end(), mod[vague.end() :]
        if head in lex.long_heads:
            if len(mod) < 4 or _VAGUE.fullmatch(mod):
                continue
            if head == "清单" and not _LIST_KINDS.search(mod):
                continue  # a list names a kind of power, duty or item: 权力责任清单, 负面清单
        elif len(mod) < 2 or generic(st, lex, ms, ms + len(mod)):
            continue
        if _AREA.search(mod):
            continue  # 生态环境保护领域…工作: an area of work, not one named thing
        if len(mod) < 3 and head in _SHORT_MOD_NEEDS_LEXICON and not lex.known_terms.get(loose(mod + head)):
            continue
        if restricted and not _restricted_ok(st, lex, head, ms, mod):
            continue
        last = i == len(names) - 1
        end = he if last else ms + len(mod)
        name = mod + head
        known = lex.known_terms.get(loose(name))
        t = known[1] if known else typ
        hints: list[tuple[str, str]] = []
        if known:
            hints.append(("known", known[0]))
        if not last:
            hints.append(("distributed_head", head))
        core = mod if head == "工作" else None
        out.append(Mention(ms, end, "", t, name, sent, "govkg_terms", core=core, hints=tuple(hints)))
    return out


def _restricted_ok(st: State, lex: Lexicons, head: str, ms: int, mod: str) -> bool:
    if head == "建设":
        return len(mod) >= 3 and bool(_BUILD_OK.search(mod))
    if head == "创建":
        return len(mod) >= 3
    if head == "工作":
        if len(mod) < 4 or "的" in mod:
            return False
        before = st.text[max(0, ms - 10) : ms]
        before = re.sub(r"\d{4}年(?:度)?$", "", before)
        return bool(re.search(f"(?:{_RUN_VERBS.pattern})$", before))
    return False  # 模式, 服务: only with quotes or in the lexicon


def _named_cover(st: State) -> set[int]:
    """Positions covered by agency and law mentions (the terms component adds neither)."""
    cover = st.cache.get("named_cover")
    if cover is None:
        cover = {i for m in st.mentions if m.type in ("Agency", "Law") for i in range(m.start, m.end)}
        st.cache["named_cover"] = cover
    return cover


def _list_items(st: State, lex: Lexicons, deng: int, typ: str) -> list[Mention]:
    """Items of a list ``A、B、C等…`` that ends at ``deng`` (the position of 等)."""
    cs = clause_start(st, deng)
    out: list[Mention] = []
    pieces: list[tuple[int, str]] = []
    pos = deng
    while pos > cs:
        cut = max(st.text.rfind(sep, cs, pos) for sep in ("、", "和", "及", "与"))
        ps = cut + 1 if cut >= cs else cs
        piece = st.text[ps:pos]
        # the leftmost item starts after the verb that governs the list
        first = walk_left(st, lex, pos, max_chars=len(piece))
        last = first is None or first > ps or cut < cs
        if first is not None and first > ps:
            ps, piece = first, st.text[first:pos]
        if first is not None:
            pieces.append((ps, piece))
        if last:
            break
        pos = cut
    named = _named_cover(st)
    for ps, piece in reversed(pieces):
        if any(i in named for i in range(ps, ps + len(piece))):
            continue  # an agency or a document named in the list is no campaign
        piece_s = piece.strip()
        if len(piece_s) < 3 or any(ch in piece_s for ch in "《》“”\"") or re.search(r"\d", piece_s):
            continue
        if generic(st, lex, ps, ps + len(piece)):
            continue
        t = "Law" if re.search(r"(?:法|条例|法规|规定|办法)$", piece_s) else typ
        out.append(Mention(ps, ps + len(piece), "", t, piece_s, st.sentence_at(ps), "govkg_terms",
                           hints=(("list_item", "1"),)))
    return out


@Language.factory("govkg_terms", assigns=['doc.spans'], default_config={})
def make_terms(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """spaCy factory of ``govkg_terms``."""
    return component(terms)
