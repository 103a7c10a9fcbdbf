"""``govkg_laws``: 《》 titles (and 〈〉 inside them) and national laws named without marks."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from spacy.language import Language

from ..lexicon import Lexicons, TrieScanner, lexicons, trie_pattern
from ..model import Mention
from .state import (
    INNER_TITLE,
    State,
    clause_end,
    clause_start,
    component,
    is_han_boundary,
    starts_after_name_break,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

_MEDIA = re.compile(r"(?:报|日报|晚报|杂志|周刊|期刊|新闻|联播|栏目|专栏|频道|节目|网|之声|读本|文选|选编|画册|手册|汇编)$")
_NATIONAL_PREFIX = "中华人民共和国"
_NATIONAL_DOCS = re.compile(
    r"^(?:法治政府建设实施纲要|法治中国建设规划|法治社会建设实施纲要|全面推进依法行政实施纲要|中国共产党党内法规制定条例"
    r"|民法典$|中华人民共和国民法典$)"
)
# 《民法典》学习读本: the title names what a thing is about, not a document acted on


@cache
def _national_law_scanner() -> TrieScanner:
    lex = lexicons()
    # short titles are matched only when they end in 法 (监察法, 宪法), the rest from 4 characters
    titles = [t for t in lex.national_laws if len(t) >= 4 or len(t) >= 2 and t.endswith("法")]
    return TrieScanner(titles, prefix=_NATIONAL_PREFIX)


def laws(st: State, lex: Lexicons) -> None:
    _titled(st, lex)
    _unmarked_documents(st, lex)


def _titled(st: State, lex: Lexicons) -> None:
    """《》 titles, 〈〉 titles inside them, and national laws named without marks."""
    for s, e in st.titles:
        if not st.in_content(s):
            continue
        title = st.text[s + 1 : e - 1]
        clean = title.strip()
        if not clean or _MEDIA.search(clean):
            continue
        st.add(Mention(s, e, "", "Law", _law_name(clean), st.sentence_at(s), "govkg_laws",
                       hints=_law_hints(clean, lex)))
        for im in INNER_TITLE.finditer(title):
            a, b = s + 1 + im.start(), s + 1 + im.end()
            st.add(Mention(a, b, "", "Law", _law_name(im.group(1)), st.sentence_at(a), "govkg_laws",
                           hints=(("inner", "1"), *_law_hints(im.group(1), lex))))
    for m in _national_law_scanner().finditer(st.text):
        s, e = m.start(), m.end()
        if not st.in_content(s) or st.inside(st.titles, s, e, strict=False):
            continue
        if not (s in st.bounds or starts_after_name_break(st.text, s)):
            continue
        # jieba glues 法 to what follows (…强制/法等): accept an end before a function word
        if not (e in st.bounds or is_han_boundary(st.text, e) or st.text[e] in "等和及与、的为是中对"):
            continue
        if e < len(st.text) and st.text[e] in "》〉":
            continue
        if e - s <= 3 and (e < len(st.text) and st.text[e] in "律学治") or st.text[s - 1 : s] in "立执守普依":
            continue  # 宪法学, 刑法学; 立法, 执法, 守法: not the law
        st.add(Mention(s, e, "", "Law", _law_name(m.group()), st.sentence_at(s), "govkg_laws",
                       hints=(("unmarked", "1"), *_law_hints(m.group(), lex))))


@cache
def _document_head_rx() -> re.Pattern[str]:
    return re.compile(trie_pattern(lexicons().document_heads))


#: What cites a document: verbs of making, following and citing it.
_DOC_CONTEXT = re.compile(
    r"制定|出台|印发|修订|起草|拟定|编制|发布|颁布|审议|通过|按照|根据|依据|依照|对标|对照|落实|贯彻|执行|实施|结合|围绕|精神|要求|部署"
)
_VAGUE_DOC = re.compile(r"(?:各项|各类|相关|有关|配套|具体|年度|系列|一系列|这些|该|此|本|新|各|多项|多个|一批|专项)+")
_VERB_ENDS = ("落实", "贯彻", "执行", "制定", "出台", "印发", "起草", "按照", "根据", "对标", "推进", "实施", "开展")
_SCOPE_WORDS = frozenset(("全市", "全县", "全区", "全省", "全镇", "全乡", "全州", "本市", "本县", "本区", "我市", "我县", "我区", "我省"))
_DOC_STOP = frozenset("，,。;；:：!！?？()（）《》〈〉[]【】 \t\n")


def _unmarked_documents(st: State, lex: Lexicons) -> None:
    """Plans, programmes and notices cited without 《》: 市委、市政府实施意见, 我市实施方案,
    2022年全市法治政府建设工作要点, 郑州市的“八五”普法和依法治理工作规划, 关于…的通知.

    The name runs left from its head word over the words of the name (quotes included) to a
    verb, a mark or a clause break; bodies and places at its front are part of it (they issued
    it); a name that is only generic words, or that nothing in its clause cites, is no document.
    """
    text = st.text
    heads = lex.document_heads
    agencies = {m.end: m for m in st.mentions if m.type in ("Agency", "Place")}
    for hm in _document_head_rx().finditer(text):
        hs, he = hm.start(), hm.end()
        head = hm.group()
        if not st.in_content(hs) or st.inside(st.titles, hs, he, strict=False) or st.inside(st.quotes, hs, he, strict=False):
            continue
        if he < len(text) and "\u4e00" <= text[he] <= "\u9fff" and he not in st.bounds:
            continue  # 实施方案中 is fine, 方案设计 is not a document
        start, about = _document_start(st, lex, agencies, hs)
        if heads[head] and not about:
            continue
        if start >= hs:
            continue
        name = text[start:he]
        body = re.sub(r"^(?:\d{4}年度?)", "", name[: hs - start])
        bare = re.sub(r"[“”\"的、]", "", body)
        if len(bare) < 2 or _VAGUE_DOC.fullmatch(bare):
            continue  # 各项实施方案, 相关配套工作方案: no one document
        clause = text[clause_start(st, start) : clause_end(st, he)]
        owner = any(m.start <= start < m.end or m.start == start for m in agencies.values())
        if not (about or owner or _DOC_CONTEXT.search(clause) or "“" in body):
            continue
        label = re.sub(r"(?<=[市县区省州镇乡])的|[“”\"]", "", name)
        st.add(Mention(start, he, "", "Law", label, st.sentence_at(start), "govkg_laws",
                       hints=(("bare_doc", "1"),)))


def _document_start(st: State, lex: Lexicons, ends: dict[int, Mention], pos: int) -> tuple[int, bool]:
    """Where a document's name that ends at ``pos`` starts, and whether it opens with 关于."""
    text = st.text
    lo = max(clause_start(st, pos), pos - 45)
    start = pos
    about = False
    while start > lo:
        ch = text[start - 1]
        if ch in _DOC_STOP:
            break
        m = ends.get(start)
        if m is not None and m.start >= lo:  # a body or place at the front: the issuer
            start = m.start
            if start > lo and text[start - 1] in "、和" and start - 1 in ends:
                start -= 1
            continue
        if ch in "、":
            # 省、市…工作要点: the levels that issued it, one character each
            if start - 2 >= lo and text[start - 2] in "省市县区" and (start - 3 < 0 or text[start - 3] in _DOC_STOP or start - 2 in st.bounds):
                start -= 2
            break
        if ch in "“”\"":
            start -= 1
            continue
        tok = next(st.tokens_before(start), None)
        if tok is None:
            break
        ts, _ = tok
        ts = max(ts, lo)
        word = text[ts:start]
        if word == "关于":
            start, about = ts, True
            break
        if word == "的" and ts in ends:
            start = ts
            continue
        if word in _SCOPE_WORDS:  # 全市整改落实方案: the scope opens the name
            start = ts
            break
        if word in ("和", "与", "及"):
            # 普法和依法治理工作规划: a conjunction inside the name, between two of its words
            before = next(st.tokens_before(ts), None)
            if start == pos or before is None or text[before[0] : ts] in lex.boundary_words or ts - 1 < lo or text[ts - 1] in _DOC_STOP:
                break
            start = ts
            continue
        if word in lex.boundary_words or word == "的" or any(word.endswith(b) for b in _VERB_ENDS):
            break
        if re.fullmatch(r"\d+", word):
            if text[start : start + 1] == "年" and len(word) == 4:
                start = ts
            break
        start = ts
    while start < pos and text[start] in "、和与及的":
        start += 1
    year = re.search(r"(?:19|20)\d{2}年度?$", text[max(0, start - 7) : start])
    if year:  # 2022年全市法治政府建设工作要点
        start -= len(year.group())
    return start, about


def _law_name(title: str) -> str:
    t = re.sub(r"\s+", "", title)
    return t


def _law_hints(title: str, lex: Lexicons) -> tuple[tuple[str, str], ...]:
    t = _law_name(title)
    bare = t[len(_NATIONAL_PREFIX) :] if t.startswith(_NATIONAL_PREFIX) else t
    if bare in lex.national_laws:
        cat, date = lex.national_laws[bare]
        return (("national", bare), ("category", cat), ("date", date))
    if _NATIONAL_DOCS.match(bare):
        return (("national", bare),)
    return ()


@Language.factory("govkg_laws", assigns=['doc.spans'], default_config={})
def make_laws(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """spaCy factory of ``govkg_laws``."""
    return component(laws)
