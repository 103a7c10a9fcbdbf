"""``govkg_places``: administrative divisions (GB/T 2260), 我市-style references, named sites."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from spacy.language import Language

from ..lexicon import Lexicons, TrieScanner, lexicons
from ..model import Mention
from .state import (
    PLACEHOLDER,
    State,
    component,
    generic,
    is_han_boundary,
    starts_after_name_break,
    walk_left,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

_PLACEHOLDER_RX = re.compile(PLACEHOLDER)
_RELATIVE_PLACE = re.compile(r"(?:我|本)(省|市|县|区|州|镇|乡|街道)")
_SITE_HEADS = re.compile(
    r"(?:法治文化公园|法治公园|主题公园|文化公园|公园|广场|长廊|文化馆|纪念馆|博物馆|展览馆|教育基地|文化园|景区|街区|法治文化阵地|法治文化街)"
)


@cache
def _place_scanner() -> TrieScanner:
    return TrieScanner(lexicons().place_index)


def places(st: State, lex: Lexicons) -> None:
    chain = {st.locality, *st.locality_chain} - {None}
    local_shorts = set()
    for name in chain:
        div = lex.division_by_name(name)  # type: ignore[arg-type]
        if div:
            local_shorts.add(div.short)
    for m in _place_scanner().finditer(st.text):
        s, e = m.start(), m.end()
        name = m.group()
        if not st.in_content(s):
            continue
        codes = lex.place_index.get(name, ())
        if not codes:
            continue
        div = lex.divisions[codes[0]] if len(codes) == 1 else None
        is_short = div is not None and name == div.short
        if div is None:
            # an ambiguous name: keep it only when it is the report's own place or a parent
            if name not in chain:
                continue
        elif is_short:
            if name not in lex.short_ok and name not in local_shorts:
                continue
            if not st.aligned(s, e) and not (s in st.bounds and is_han_boundary(st.text, e)):
                continue
        elif s not in st.bounds and not starts_after_name_break(st.text, s):
            continue
        st.add(Mention(s, e, "", "Place", name, st.sentence_at(s), "govkg_places"))
    for m in _PLACEHOLDER_RX.finditer(st.text):  # an anonymised copy's xx市, xx省
        if st.in_content(m.start()) and (m.start() == 0 or not st.text[m.start() - 1].isascii() or not st.text[m.start() - 1].isalnum()):
            st.add(Mention(m.start(), m.end(), "", "Place", m.group(), st.sentence_at(m.start()), "govkg_places",
                           hints=(("placeholder", "1"),)))
    for m in _RELATIVE_PLACE.finditer(st.text):
        if st.in_content(m.start()) and st.locality:
            st.add(
                Mention(m.start(), m.end(), "", "Place", m.group(), st.sentence_at(m.start()), "govkg_places",
                        hints=(("relative", m.group(1)),))
            )
    for m in _SITE_HEADS.finditer(st.text):
        if not st.in_content(m.start()) or st.inside(st.titles, m.start(), m.end()):
            continue
        start = walk_left(st, lex, m.start(), max_chars=10)
        if start is None or m.start() - start < 2 or generic(st, lex, start, m.start()):
            continue
        name = st.text[start : m.end()]
        if any(w in name for w in ("建设", "打造", "创建")) or re.search("[到去来在我你他们]", st.text[start : m.start()]):
            continue
        st.add(Mention(start, m.end(), "", "Place", name, st.sentence_at(start), "govkg_places",
                       hints=(("site", "1"),)))


@Language.factory("govkg_places", assigns=['doc.spans'], default_config={})
def make_places(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """spaCy factory of ``govkg_places``."""
    return component(places)
