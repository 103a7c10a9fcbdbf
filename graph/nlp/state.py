"""What the components share: the per-document state and the character-level helpers.

The components match on characters of the folded text (jieba's words are too coarse and too
fine at once for names) and use jieba's word boundaries only to keep matches from starting or
ending inside a word. Everything here works on :class:`State`, which lives in
``doc.user_data["govkg"]`` while a Doc goes through the pipeline.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..lexicon import Lexicons, lexicons, norm_key
from ..model import Mention, MentionRelation, Sentence, StatisticMention

if TYPE_CHECKING:
    from spacy.tokens import Doc

HAN = r"\u4e00-\u9fff"
PUNCT = set(",，;；。!！?？:：、()（）[]【】《》〈〉“”\"'‘’「」 \t\n-—…·/|")
CLAUSE_END = set(",，;；。!！?？:：")
SENT_END = set("。!！?？;；")

#: An anonymised copy's stand-in for a place name (xx市, ××县, 某区), ending where it is searched.
PLACEHOLDER = r"(?:[xX×*＊]{1,3}|某)(?:省|自治区|市|州|县|区|旗|镇|乡|街道)"
PLACEHOLDER_END = re.compile(PLACEHOLDER + r"$")

#: 《title》 and “quote” spans; 〈inner〉 titles inside a 《title》.
TITLE = re.compile(r"《([^《》\n]{1,120})》")
INNER_TITLE = re.compile(r"〈([^〈〉\n]{1,100})〉")
QUOTE = re.compile(r"“([^“”\n]{1,40})”")
#: Verbs that put a policy or plan into effect (推行, 落实 …) and words of publicity work.
IMPLEMENT_VERBS = re.compile(
    r"推行|实行|推广|推进|落实|深化|实现|办理|加快|完善|开展|实施|执行|建立|健全|探索|创新|推出|启动|打造|构建|优化|运用|借助|依托|开通|上线|试点|贯彻"
)
PROMOTE_CONTEXT = re.compile(r"宣传|普法|宣讲|学习|解读|培训")
#: A title followed by one of these names what a thing is about (《民法典》学习读本).
TITLE_AS_MODIFIER = re.compile(r"^(?:学习)?(?:读本|汇编|解读|释义|宣传册|手册|知识|宣传|竞赛|专题|主题|进)")


@dataclass
class State:
    """What the components know about one document while it goes through the pipeline."""

    text: str  # folded text
    content: tuple[tuple[int, int], ...]
    locality: str | None
    locality_chain: tuple[str, ...]
    issuer: str | None
    bounds: set[int] = field(default_factory=set)
    token_spans: list[tuple[int, int]] = field(default_factory=list)
    token_starts: list[int] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    sent_starts: list[int] = field(default_factory=list)
    titles: list[tuple[int, int]] = field(default_factory=list)  # 《...》 incl. marks
    quotes: list[tuple[int, int]] = field(default_factory=list)  # “...” incl. marks
    mentions: list[Mention] = field(default_factory=list)
    relations: list[MentionRelation] = field(default_factory=list)
    statistics: list[StatisticMention] = field(default_factory=list)
    #: indexes derived from the above once per document (mark positions, mention ends …), by name
    cache: dict[str, Any] = field(default_factory=dict)

    # -- helpers -------------------------------------------------------------------------
    def sentence_at(self, pos: int) -> int:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        return max(i, 0)

    def aligned(self, start: int, end: int) -> bool:
        """True when [start, end) starts and ends on jieba word boundaries."""
        return start in self.bounds and end in self.bounds

    def inside(self, ranges: list[tuple[int, int]], start: int, end: int, strict: bool = True) -> bool:
        """True when [start, end) lies inside one of ``ranges`` (strictly: not the marks)."""
        i = bisect.bisect_right(ranges, (start, 1 << 30)) - 1
        while i >= 0:
            s, e = ranges[i]
            if strict and s < start and end < e or not strict and s <= start and end <= e:
                return True
            if e < start:
                break
            i -= 1
        return False

    def in_content(self, pos: int) -> bool:
        i = bisect.bisect_right(self.content, (pos, 1 << 30)) - 1
        return i >= 0 and self.content[i][0] <= pos < self.content[i][1]

    def tokens_before(self, pos: int) -> Iterator[tuple[int, int]]:
        """Token spans ending at or before ``pos``, nearest first."""
        i = bisect.bisect_right(self.token_starts, pos - 1) - 1
        while i >= 0:
            s, e = self.token_spans[i]
            if e <= pos:
                yield s, e
            elif s < pos:  # a token straddling pos: only the part before it
                yield s, pos
            i -= 1

    def tokens_after(self, pos: int) -> Iterator[tuple[int, int]]:
        i = bisect.bisect_left(self.token_starts, pos)
        while i < len(self.token_spans):
            yield self.token_spans[i]
            i += 1

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        self._owned = None

    _owned: dict[int, None] | None = None

    def owned(self, pos: int) -> dict[int, None]:
        """Character positions covered by agency or place mentions that end by ``pos``.

        Computed once per document (positions of mentions ending after ``pos`` are few and
        are filtered by the caller's walk, which only looks left of ``pos``)."""
        if self._owned is None:
            cover: dict[int, None] = {}
            for m in self.mentions:
                if m.type in ("Agency", "Place"):
                    for i in range(m.start, m.end):
                        cover[i] = None
            self._owned = cover
        return self._owned


def state_of(doc: Doc) -> State:
    st = doc.user_data.get("govkg")
    if st is None:  # a bare Doc (e.g. nlp("...") in a test): treat all of it as content
        st = State(text=doc.text, content=((0, len(doc.text)),), locality=None, locality_chain=(), issuer=None)
        doc.user_data["govkg"] = st
    if not st.bounds and len(doc):
        from spacy.attrs import IDX, LENGTH

        arr = doc.to_array([IDX, LENGTH])
        starts = arr[:, 0].tolist()
        ends = (arr[:, 0] + arr[:, 1]).tolist()
        st.token_spans = list(zip(starts, ends))
        st.token_starts = starts
        st.bounds = set(starts)
        st.bounds.update(ends)
    return st


def is_han_boundary(text: str, pos: int) -> bool:
    return pos >= len(text) or not ("\u4e00" <= text[pos] <= "\u9fff")


def starts_after_name_break(text: str, pos: int) -> bool:
    """A place name may start mid-word when what precedes it is a prefix like 中共 or 在."""
    return pos == 0 or text[pos - 1] in PUNCT or text[max(0, pos - 2) : pos] in ("中共",) or text[pos - 1] in "在对向到至与和及等为"


def short_name(lex: Lexicons, name: str | None) -> str | None:
    if not name:
        return None
    div = lex.division_by_name(name)
    return div.short if div else None


def words_in(st: State, start: int, end: int) -> list[str]:
    out = []
    for s, e in st.tokens_after(start):
        if s >= end:
            break
        out.append(st.text[s:min(e, end)])
    return out


def title_start(st: State, pos: int) -> bool:
    return pos > 0 and st.text[pos - 1] in "《〈"


def loose(s: str) -> str:
    return re.sub(r"[,，、\s·]", "", norm_key(s))


def _marks(st: State) -> list[int]:
    """Positions of the characters a clause walk stops or counts at (clause ends, quotes, book
    titles), computed once per document: the walks step from one to the next instead of over
    every character, so text with no punctuation costs no more than text with it."""
    marks = st.cache.get("marks")
    if marks is None:
        stops = CLAUSE_END | set("”》“《")
        marks = [i for i, ch in enumerate(st.text) if ch in stops]
        st.cache["marks"] = marks
    return marks


def clause_start(st: State, pos: int) -> int:
    """Where the clause holding ``pos`` starts: after the last clause end (，。；：…)
    before it that stands outside quotes and titles, within its sentence."""
    sent = st.sentences[st.sentence_at(pos)] if st.sentences else None
    lo = sent.start if sent else 0
    marks = _marks(st)
    depth = 0
    k = bisect.bisect_left(marks, pos) - 1
    while k >= 0 and marks[k] >= lo:
        ch = st.text[marks[k]]
        if ch in "”》":
            depth += 1
        elif ch in "“《":
            depth = max(0, depth - 1)
        elif depth == 0:  # a clause end
            return marks[k] + 1
        k -= 1
    return lo


def clause_end(st: State, pos: int) -> int:
    """Where the clause holding ``pos`` ends: at the next clause end outside quotes and titles."""
    sent = st.sentences[st.sentence_at(pos)] if st.sentences else None
    hi = sent.end if sent else len(st.text)
    marks = _marks(st)
    depth = 0
    k = bisect.bisect_left(marks, pos)
    while k < len(marks) and marks[k] < hi:
        ch = st.text[marks[k]]
        if ch in "“《":
            depth += 1
        elif ch in "”》":
            depth = max(0, depth - 1)
        elif depth == 0:
            return marks[k]
        k += 1
    return hi


def walk_left(
    st: State,
    lex: Lexicons,
    pos: int,
    *,
    max_chars: int = 20,
    stop_at_places: bool = True,
    through_conjunctions: bool = False,
) -> int | None:
    """The start of the name that ends at ``pos``: walk left over words until a boundary.

    Boundaries: punctuation, quotes and marks, digits, boundary words (verbs, adverbs,
    function words), other mentions. Returns None when the name would be empty.
    """
    start = pos
    for s, e in st.tokens_before(pos):
        word = st.text[s:e]
        if pos - s > max_chars:
            break
        if any(ch in PUNCT for ch in word) or word.isdigit() or re.search(r"\d", word):
            if through_conjunctions and word == "、":
                start = s
                continue
            break
        if word in ("和", "与", "及"):
            if through_conjunctions:
                start = s
                continue
            break
        if word in lex.boundary_words:
            if word == "全面" and st.text.startswith("依法治", e):
                start = s  # 全面依法治市: one term, not the adverb
                continue
            break
        if word in lex.units and s > 0 and (st.text[s - 1].isdigit() or st.text[s - 1] in "一二两三四五六七八九十百千万"):
            break  # 16场法治宣传活动: the count's unit is no part of the name
        if s < start and word in lex.heads and lex.heads[word][0] == "Policy" and s != pos - len(word):
            break  # …衔接机制、信用修复机制: a head word ends the name before this one
        if word in ("年", "月", "日") and s > 0 and st.text[s - 1].isdigit():
            break
        if stop_at_places and s in st.owned(pos):
            break
        start = s
    if start >= pos:
        return None
    # a name does not begin with a conjunction or list mark
    while start < pos and st.text[start] in "、和与及":
        start += 1
    return start if start < pos else None


def generic(st: State, lex: Lexicons, s: int, e: int) -> bool:
    words = words_in(st, s, e)
    return not words or all(w in lex.generic_words or w in lex.boundary_words for w in words)


def component(fn: Callable[[State, Lexicons], None]) -> Callable[[Doc], Doc]:
    """Wrap a function of (state, lexicons) as a spaCy pipeline component."""
    lex = lexicons()

    def run(doc: Doc) -> Doc:
        fn(state_of(doc), lex)
        return doc

    return run


def spans_to_doc(doc: Doc) -> None:
    """Expose mentions as ``doc.spans["govkg"]`` for spaCy users (displacy, span analysis)."""
    st = state_of(doc)
    spans = []
    for m in st.mentions:
        sp = doc.char_span(m.start, m.end, label=m.type, alignment_mode="expand")
        if sp is not None:
            spans.append(sp)
    doc.spans["govkg"] = spans