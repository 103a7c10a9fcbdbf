"""``govkg_sections``: sentences and their role (achievement / problem / plan) from the headings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from spacy.language import Language

from ..lexicon import Lexicons
from ..model import Sentence
from .state import (
    QUOTE,
    SENT_END,
    TITLE,
    State,
    component,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

_H1 = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]")
_H2 = re.compile(r"^\s*[(（]\s*([一二三四五六七八九十]{1,3})\s*[)）]")
_H3 = re.compile(r"^\s*(\d{1,2})\s*(?:[、.．]|\s|(?=[\u4e00-\u9fff]))")
_ROLE_WORDS = (
    ("problem", re.compile(r"问题|不足|困难|短板|差距|薄弱|挑战")),
    ("plan", re.compile(r"打算|下一步|计划|思路|安排|建议|展望|努力方向|目标任务|工作重点|重点工作|今后")),
    ("achievement", re.compile(r"成效|情况|做法|成绩|举措|措施|进展|亮点|经验|工作开展|主要工作|基本")),
)


def _role_of(heading: str) -> str | None:
    for role, rx in _ROLE_WORDS:
        if rx.search(heading):
            return role
    return None


def _split_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence ranges in [start, end): split at 。!?; outside quotes and book titles."""
    depth = 0
    s = start
    for i in range(start, end):
        ch = text[i]
        if ch in "“《〈「『(（":
            depth += 1
        elif ch in "”》〉」』)）":
            depth = max(0, depth - 1)
        elif ch in SENT_END and depth == 0:
            yield s, i + 1
            s = i + 1
            while s < end and text[s] in " \t":
                s += 1
    if s < end and text[s:end].strip():
        yield s, end


def sections(st: State, lex: Lexicons) -> None:
    role_by_level: dict[int, str] = {}
    role = "achievement"
    for li, (ls, le) in enumerate(st.content):
        line = st.text[ls:le]
        level = 1 if _H1.match(line) else 2 if _H2.match(line) else 3 if _H3.match(line) else 0
        first = next(_split_sentences(st.text, ls, le), (ls, le))
        if level:
            heading = st.text[first[0] : first[1]]
            r = _role_of(heading)
            for lv in [k for k in role_by_level if k >= level]:
                del role_by_level[lv]
            # numbered paragraphs (1. …) are items, not sections: they keep the role they stand in
            if r and level <= 2 and (level == 1 or r != "achievement"):
                role_by_level[level] = r
            role = next((role_by_level[k] for k in sorted(role_by_level, reverse=True)), "achievement")
        for s, e in _split_sentences(st.text, ls, le):
            is_heading = li == 0 or (level in (1, 2) and s == first[0])
            st.sentences.append(Sentence(len(st.sentences), s, e, "", role, is_heading))
            st.sent_starts.append(s)
    # book titles and quotations: matching treats their insides specially
    for m in TITLE.finditer(st.text):
        st.titles.append((m.start(), m.end()))
    for m in QUOTE.finditer(st.text):
        st.quotes.append((m.start(), m.end()))


@Language.factory("govkg_sections", assigns=['doc.user_data'], default_config={})
def make_sections(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """spaCy factory of ``govkg_sections``."""
    return component(sections)
