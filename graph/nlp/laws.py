"""``govkg_laws``: 《》 titles (and 〈〉 inside them) and national laws named without marks."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from spacy.language import Language

from ..lexicon import Lexicons, TrieScanner, lexicons
from ..model import Mention
from .state import (
    INNER_TITLE,
    State,
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
