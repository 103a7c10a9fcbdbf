"""The NLP stage: a spaCy pipeline (``spacy.blank("zh")`` with jieba) of govkg's own components.

Components, in pipeline order, each registered with ``@Language.factory``:

``govkg_sections``   sentences and their role (achievement / problem / plan) from the headings
``govkg_places``     administrative divisions (GB/T 2260), 我市-style references, named sites
``govkg_agencies``   central bodies and local bodies: a place prefix (explicit or relative, 市委)
                     joined to a body name from the lexicon (司法局, 纪监委, 融媒体中心 …)
``govkg_laws``       《》 titles (and 〈〉 inside them) and national laws named without marks
``govkg_terms``      policies and initiatives: quoted names with their head word, unquoted names
                     ending in a head word (制度, 机制, 改革, 专项行动 …), well-known terms
``govkg_statistics`` numbers with units, normalised, with what they count
``govkg_relations``  relations stated in a sentence, between mentions or with the issuer

jieba's words are too coarse and too fine at once for names (it cuts 市场监督管理局 into four
words and merges across name boundaries), so the components match on characters of the folded
text and use jieba's word boundaries only to keep matches from starting or ending inside a word.
Results are kept as character offsets; :func:`annotate` turns a processed Doc into plain
:class:`~graph.model.Annotations`, so no spaCy object leaves this module.
"""

from __future__ import annotations

import bisect
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .lexicon import Lexicons, TrieScanner, lexicons, norm_key, trie_pattern
from .model import (
    ISSUER,
    Annotations,
    Document,
    Mention,
    MentionRelation,
    Sentence,
    StatisticMention,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["COMPONENTS", "annotate", "annotate_many", "get_nlp"]

#: Component names in pipeline order.
COMPONENTS: tuple[str, ...] = (
    "govkg_sections",
    "govkg_places",
    "govkg_agencies",
    "govkg_laws",
    "govkg_terms",
    "govkg_statistics",
    "govkg_relations",
)

_HAN = r"\u4e00-\u9fff"
_PUNCT = set(",，;；。!！?？:：、()（）[]【】《》〈〉“”\"'‘’「」 \t\n-—…·/|")
_CLAUSE_END = set(",，;；。!！?？:：")
_SENT_END = set("。!！?？;；")


# --------------------------------------------------------------------------------------------
# per-document state shared by the components


@dataclass
class _State:
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


def _state(doc: Doc) -> _State:
    st = doc.user_data.get("govkg")
    if st is None:  # a bare Doc (e.g. nlp("...") in a test): treat all of it as content
        st = _State(text=doc.text, content=((0, len(doc.text)),), locality=None, locality_chain=(), issuer=None)
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


# --------------------------------------------------------------------------------------------
# pipeline construction


def _jieba_cache_dir() -> Path:
    base = os.environ.get("GOVKG_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) / "govkg" if base else Path(tempfile.gettempdir()) / "govkg-cache"
    if os.environ.get("GOVKG_CACHE_DIR"):
        root = Path(os.environ["GOVKG_CACHE_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def _init_jieba() -> None:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    # jieba caches its prefix dictionary in a temp dir of its own choosing; keep it in ours.
    jieba.dt.tmp_dir = str(_jieba_cache_dir())
    jieba.initialize()


@cache
def get_nlp() -> Language:
    """The govkg pipeline: ``spacy.blank("zh")`` with the jieba segmenter and our components."""
    import spacy

    _init_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def annotate(document: Document, nlp: Language | None = None) -> Annotations:
    """Run the pipeline on one document and return plain annotations."""
    nlp = nlp or get_nlp()
    doc = nlp.make_doc(document.folded)
    doc.user_data["govkg"] = _State(
        text=document.folded,
        content=document.content,
        locality=document.meta.locality,
        locality_chain=document.meta.locality_chain,
        issuer=document.meta.issuer,
    )
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return to_annotations(doc, document.text)


def annotate_many(documents: Iterable[Document], nlp: Language | None = None) -> Iterator[Annotations]:
    """Annotate documents one by one (each Doc is dropped as soon as it is converted)."""
    nlp = nlp or get_nlp()
    for d in documents:
        yield annotate(d, nlp)


def to_annotations(doc: Doc, original: str | None = None) -> Annotations:
    """Convert a processed Doc into :class:`Annotations` with surface text from ``original``."""
    st = _state(doc)
    text = original if original is not None and len(original) == len(st.text) else st.text

    def surf(s: int, e: int) -> str:
        return text[s:e]

    mentions = tuple(
        Mention(
            start=m.start, end=m.end, text=surf(m.start, m.end), type=m.type, name=m.name,
            sentence=m.sentence, component=m.component, core=m.core, hints=m.hints,
        )
        for m in st.mentions
    )
    sentences = tuple(
        Sentence(s.index, s.start, s.end, surf(s.start, s.end), s.role, s.heading) for s in st.sentences
    )
    stats = tuple(
        StatisticMention(
            start=x.start, end=x.end, text=surf(x.start, x.end), value=x.value, unit=x.unit,
            measure=x.measure, sentence=x.sentence, component=x.component, raw=x.raw,
            approximate=x.approximate, about=x.about,
        )
        for x in st.statistics
    )
    return Annotations(sentences=sentences, mentions=mentions, relations=tuple(st.relations), statistics=stats)


def _register() -> None:
    """Register the component factories with spaCy (once, on first import of spaCy use)."""
    from spacy.language import Language

    def factory(name: str, fn: Callable[[_State, Lexicons], None], assigns: list[str]) -> None:
        if Language.has_factory(name):
            return

        def make(nlp: Language, name: str) -> Callable[[Doc], Doc]:
            lex = lexicons()

            def component(doc: Doc) -> Doc:
                fn(_state(doc), lex)
                if name == "govkg_relations":
                    _spans_to_doc(doc)
                return doc

            return component

        Language.factory(name, assigns=assigns, default_config={})(make)

    factory("govkg_sections", _sections, ["doc.user_data"])
    factory("govkg_places", _places, ["doc.spans"])
    factory("govkg_agencies", _agencies, ["doc.spans"])
    factory("govkg_laws", _laws, ["doc.spans"])
    factory("govkg_terms", _terms, ["doc.spans"])
    factory("govkg_statistics", _statistics, ["doc.spans"])
    factory("govkg_relations", _relations, ["doc.user_data"])


def _spans_to_doc(doc: Doc) -> None:
    """Expose mentions as ``doc.spans["govkg"]`` for spaCy users (displacy, span analysis)."""
    st = _state(doc)
    spans = []
    for m in st.mentions:
        sp = doc.char_span(m.start, m.end, label=m.type, alignment_mode="expand")
        if sp is not None:
            spans.append(sp)
    doc.spans["govkg"] = spans


# --------------------------------------------------------------------------------------------
# govkg_sections

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
        elif ch in _SENT_END and depth == 0:
            yield s, i + 1
            s = i + 1
            while s < end and text[s] in " \t":
                s += 1
    if s < end and text[s:end].strip():
        yield s, end


def _sections(st: _State, lex: Lexicons) -> None:
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
    for m in _TITLE.finditer(st.text):
        st.titles.append((m.start(), m.end()))
    for m in _QUOTE.finditer(st.text):
        st.quotes.append((m.start(), m.end()))


# --------------------------------------------------------------------------------------------
# govkg_places

_RELATIVE_PLACE = re.compile(r"(?:我|本)(省|市|县|区|州|镇|乡|街道)")
_SITE_HEADS = re.compile(
    r"(?:法治文化公园|法治公园|主题公园|文化公园|公园|广场|长廊|文化馆|纪念馆|博物馆|展览馆|教育基地|文化园|景区|街区|法治文化阵地|法治文化街)"
)


@cache
def _place_scanner() -> TrieScanner:
    return TrieScanner(lexicons().place_index)


def _places(st: _State, lex: Lexicons) -> None:
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
            if not st.aligned(s, e) and not (s in st.bounds and _is_han_boundary(st.text, e)):
                continue
        elif s not in st.bounds and not _starts_after_name_break(st.text, s):
            continue
        st.add(Mention(s, e, "", "Place", name, st.sentence_at(s), "govkg_places"))
    for m in _RELATIVE_PLACE.finditer(st.text):
        if st.in_content(m.start()) and st.locality:
            st.add(
                Mention(m.start(), m.end(), "", "Place", m.group(), st.sentence_at(m.start()), "govkg_places",
                        hints=(("relative", m.group(1)),))
            )
    for m in _SITE_HEADS.finditer(st.text):
        if not st.in_content(m.start()) or st.inside(st.titles, m.start(), m.end()):
            continue
        start = _walk_left(st, lex, m.start(), max_chars=10)
        if start is None or m.start() - start < 2 or _generic(st, lex, start, m.start()):
            continue
        name = st.text[start : m.end()]
        if any(w in name for w in ("建设", "打造", "创建")) or re.search("[到去来在我你他们]", st.text[start : m.start()]):
            continue
        st.add(Mention(start, m.end(), "", "Place", name, st.sentence_at(start), "govkg_places",
                       hints=(("site", "1"),)))


def _is_han_boundary(text: str, pos: int) -> bool:
    return pos >= len(text) or not ("\u4e00" <= text[pos] <= "\u9fff")


def _starts_after_name_break(text: str, pos: int) -> bool:
    """A place name may start mid-word when what precedes it is a prefix like 中共 or 在."""
    return pos == 0 or text[pos - 1] in _PUNCT or text[max(0, pos - 2) : pos] in ("中共",) or text[pos - 1] in "在对向到至与和及等为"


# --------------------------------------------------------------------------------------------
# govkg_agencies

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
_AGENCY_STOP_MID = re.compile(r"[、和与及的等各\d]|工作|建设|开展|推进|落实|相关|有关")
_REL_CHARS = frozenset("省市县区州镇乡")


def _prefix(st: _State, lex: Lexicons, pos: int) -> tuple[int, str | None, str | None, bool]:
    """The place prefix of a body name that starts at ``pos``: an explicit place name
    (监利市, 荆州) or a relative one (市, 县, 街道 …), with 中共 before it.

    Returns (start, place, relative, party); place and relative are None when there is none.
    """
    text = st.text
    start, place, rel = pos, None, None
    for k in range(min(12, pos), 1, -1):
        # a place name must not start inside a word: 担任县政府 is 县政府, not 任县 + 政府
        if text[pos - k : pos] in lex.place_index and (pos - k in st.bounds or _starts_after_name_break(text, pos - k)):
            start, place = pos - k, text[pos - k : pos]
            break
    else:
        if text[pos - 2 : pos] == "街道":
            start, rel = pos - 2, "街道"
        elif pos > 0 and text[pos - 1] in _REL_CHARS:
            start, rel = pos - 1, text[pos - 1]
    party = start >= 2 and text[start - 2 : start] == "中共"
    return (start - 2 if party else start), place, rel, party


def _place_prefix_ok(st: _State, lex: Lexicons, place: str | None, rel: str | None, rel_pos: int) -> bool:
    if rel is not None:
        # 市 in 城市 or 都市 is no prefix; 我市/全市/本市 are the report's own place
        return rel_pos in st.bounds or (rel_pos > 0 and st.text[rel_pos - 1] in "我本全该各")
    if place is not None:
        codes = lex.place_index.get(place, ())
        div = lex.divisions[codes[0]] if len(codes) == 1 else None
        if div is not None and place == div.short and place not in lex.short_ok and place != _short(lex, st.locality):
            return False
    return True


def _agencies(st: _State, lex: Lexicons) -> None:
    bodies_rx, national, generic = _agency_regexes()
    text = st.text
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(s: int, e: int, name: str, hints: tuple[tuple[str, str], ...]) -> None:
        st.add(Mention(s, e, "", "Agency", name, st.sentence_at(s), "govkg_agencies", hints=hints))
        taken.append((s, e))

    def extend(s: int, e: int) -> bool:
        """Let a longer unlisted body replace listed ones it starts with (市政府 + 法律顾问团)."""
        inner = [(a, b) for a, b in taken if a < e and s < b]
        if not inner or any(a < s or b > e for a, b in inner):
            return False
        for a, b in inner:
            taken.remove((a, b))
            st.mentions[:] = [m for m in st.mentions if not (m.type == "Agency" and m.start == a and m.end == b)]
        return True

    for m in national.finditer(text):
        s, e = m.start(), m.end()
        if st.in_content(s) and (st.aligned(s, e) or _is_han_boundary(text, e)):
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
        for mid_start in range(ss - 2, max(ss - 13, -1), -1):
            s, place, rel, party = _prefix(st, lex, mid_start)
            if place is None and rel is None:
                continue
            mid = text[mid_start:ss]
            stop = _AGENCY_STOP_MID.search(mid)
            if stop and not (stop.group() in ("建设", "工作") and m.group() in ("领导小组", "工作领导小组", "委员会", "办公室")):
                break
            if any(ch in _PUNCT for ch in mid):
                break
            if any(w in lex.boundary_words for w in _words_in(st, mid_start, ss)):
                break
            if not free(s, e) and not extend(s, e):
                break
            if not _place_prefix_ok(st, lex, place, rel, mid_start - len(rel or "")):
                break
            if st.inside(st.titles, s, e) and not _title_start(st, s):
                break
            body = re.sub(r"^政府(?!办)", "人民政府", text[mid_start:e])  # 市政府法律顾问团
            add(s, e, text[s:e], _agency_hints(body, "other", place, rel, party))
            break


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


def _short(lex: Lexicons, name: str | None) -> str | None:
    if not name:
        return None
    div = lex.division_by_name(name)
    return div.short if div else None


def _words_in(st: _State, start: int, end: int) -> list[str]:
    out = []
    for s, e in st.tokens_after(start):
        if s >= end:
            break
        out.append(st.text[s:min(e, end)])
    return out


def _title_start(st: _State, pos: int) -> bool:
    return pos > 0 and st.text[pos - 1] in "《〈"


# --------------------------------------------------------------------------------------------
# govkg_laws

_TITLE = re.compile(r"《([^《》\n]{1,120})》")
_INNER_TITLE = re.compile(r"〈([^〈〉\n]{1,100})〉")
_QUOTE = re.compile(r"“([^“”\n]{1,40})”")
_MEDIA = re.compile(r"(?:报|日报|晚报|杂志|周刊|期刊|新闻|联播|栏目|专栏|频道|节目|网|之声|读本|文选|选编|画册|手册|汇编)$")
_NATIONAL_PREFIX = "中华人民共和国"
_NATIONAL_DOCS = re.compile(
    r"^(?:法治政府建设实施纲要|法治中国建设规划|法治社会建设实施纲要|全面推进依法行政实施纲要|中国共产党党内法规制定条例"
    r"|民法典$|中华人民共和国民法典$)"
)
# 《民法典》学习读本: the title names what a thing is about, not a document acted on
_TITLE_AS_MODIFIER = re.compile(r"^(?:学习)?(?:读本|汇编|解读|释义|宣传册|手册|知识|宣传|竞赛|专题|主题|进)")


@cache
def _national_law_scanner() -> TrieScanner:
    lex = lexicons()
    # short titles are matched only when they end in 法 (监察法, 宪法), the rest from 4 characters
    titles = [t for t in lex.national_laws if len(t) >= 4 or len(t) >= 2 and t.endswith("法")]
    return TrieScanner(titles, prefix=_NATIONAL_PREFIX)


def _laws(st: _State, lex: Lexicons) -> None:
    for s, e in st.titles:
        if not st.in_content(s):
            continue
        title = st.text[s + 1 : e - 1]
        clean = title.strip()
        if not clean or _MEDIA.search(clean):
            continue
        st.add(Mention(s, e, "", "Law", _law_name(clean), st.sentence_at(s), "govkg_laws",
                       hints=_law_hints(clean, lex)))
        for im in _INNER_TITLE.finditer(title):
            a, b = s + 1 + im.start(), s + 1 + im.end()
            st.add(Mention(a, b, "", "Law", _law_name(im.group(1)), st.sentence_at(a), "govkg_laws",
                           hints=(("inner", "1"), *_law_hints(im.group(1), lex))))
    for m in _national_law_scanner().finditer(st.text):
        s, e = m.start(), m.end()
        if not st.in_content(s) or st.inside(st.titles, s, e, strict=False):
            continue
        if not (s in st.bounds or _starts_after_name_break(st.text, s)):
            continue
        # jieba glues 法 to what follows (…强制/法等): accept an end before a function word
        if not (e in st.bounds or _is_han_boundary(st.text, e) or st.text[e] in "等和及与、的为是中对"):
            continue
        if e < len(st.text) and st.text[e] in "》〉":
            continue
        if e - s <= 3 and (e < len(st.text) and st.text[e] in "律学治") or st.text[s - 1 : s] in "立执守普依":
            continue  # 宪法学, 刑法学; 立法, 执法, 守法: not the law
        st.add(Mention(s, e, "", "Law", _law_name(m.group()), st.sentence_at(s), "govkg_laws",
                       hints=(("unmarked", "1"), *_law_hints(m.group(), lex))))


_STAT_POST_STOP = frozenset(("提供", "办理", "进行", "参与", "开展", "实现", "完成", "获得", "受理", "通过"))


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


# --------------------------------------------------------------------------------------------
# govkg_terms: policies and initiatives

_SLOGAN_AFTER = re.compile(r"^(?:现象|理念|意识|思想|观念|精神|作风|问题|倾向|心态|误区|口号|要求|目标|原则|标准|思维|氛围|局面|格局|信念|底线)")
_SLOGAN_BEFORE = ("抓住", "抓好", "树立", "牢固树立", "破除", "克服", "杜绝", "防止", "避免", "摒弃", "践行", "做到", "争当", "争做", "增强", "坚定", "强化", "消除", "纠正", "整治")
_IMPLEMENT_VERBS = re.compile(
    r"推行|实行|推广|推进|落实|深化|实现|办理|加快|完善|开展|实施|执行|建立|健全|探索|创新|推出|启动|打造|构建|优化|运用|借助|依托|开通|上线|试点|贯彻"
)
_RUN_VERBS = re.compile(r"开展|组织|举办|承办|筹划|策划|推进|部署|启动|做好|召开|实施|创建|打造")
_TAILS = ("清单", "模式", "流程", "品牌", "平台", "体系")
_COLLECTIVE = re.compile(r"^[一二两三四五六七八九十\d]+(?:项|个|大|张|条)")
_SHORT_MOD_NEEDS_LEXICON = frozenset(("制度", "机制", "改革", "体制", "工作", "模式", "服务", "建设", "行动", "活动"))
_BUILD_OK = re.compile(r"示范|创建|阵地|乡村|村|社区|基地|园|项目|工程|平台|试点|窗口|驿站|站点")
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


def _terms(st: _State, lex: Lexicons) -> None:
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
    # 2. names ending in a head word
    for hm in heads_rx.finditer(st.text):
        hs, he = hm.start(), hm.end()
        if not st.in_content(hs) or st.inside(st.quotes, hs, he, strict=False) or st.inside(st.titles, hs, he, strict=False):
            continue
        if any(a <= hs < b for a, b in quoted_spans):
            continue
        # the head ends a word (联动机制 is one jieba word): it may start inside that word
        if he not in st.bounds and not (hs in st.bounds and _is_han_boundary(st.text, he)):
            continue
        found.extend(_headed_terms(st, lex, hm.group(), hs, he))
    # 3. well-known terms named without quotes or head (跨省通办, 证明事项告知承诺制 …)
    for km in known_rx.finditer(st.text):
        s, e = km.start(), km.end()
        if not st.in_content(s) or st.inside(st.quotes, s, e, strict=False):
            continue
        if st.inside(st.titles, s, e, strict=False):
            continue
        if not (s in st.bounds or _starts_after_name_break(st.text, s)):
            continue
        label, typ = lex.known_terms[km.group()]
        found.append(Mention(s, e, "", typ, km.group(), st.sentence_at(s), "govkg_terms", core=km.group(),
                             hints=(("known", label),)))
    # overlaps: quoted and headed names win over a known term inside them, longer over shorter
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Mention] = []
    for m in found:
        clash = next((k for k in kept if not (m.end <= k.start or m.start >= k.end)), None)
        if clash is None:
            kept.append(m)
        elif m.hint("known") and clash.start <= m.start and m.end <= clash.end and not clash.hint("known"):
            # record the well-known name inside a longer one as its core
            if clash.core is None or clash.core == clash.name:
                kept[kept.index(clash)] = Mention(
                    clash.start, clash.end, "", clash.type, clash.name, clash.sentence, clash.component,
                    core=m.name, hints=clash.hints + (("known", m.hint("known") or ""),),
                )
    for m in sorted(kept, key=lambda m: m.start):
        st.add(m)


def _quoted_term(st: _State, lex: Lexicons, heads_rx: re.Pattern[str], qs: int, qe: int) -> Mention | None:
    core = st.text[qs + 1 : qe - 1].strip()
    if len(core) < 2 or not re.search(f"[{_HAN}\\d]", core):
        return None
    after = st.text[qe : qe + 12]
    before = st.text[max(0, qs - 4) : qs]
    in_title = st.inside(st.titles, qs, qe)
    if _SLOGAN_AFTER.match(after) or before.endswith(_SLOGAN_BEFORE):
        return None
    attitude = re.fullmatch(r"重[^、]{1,4}、轻[^、]{1,4}", core) or (
        re.fullmatch(r"[^、,]{1,3}(?:、[^、,]{1,3}){1,}", core) and len(core) <= 8
    )
    if attitude and not lex.known_terms.get(_loose(core)):
        return None  # 重行政、轻法律 and lists of short words are attitudes, not names
    sent = st.sentence_at(qs)
    # a head word right after the closing quote, with at most a short modifier between
    head_type = None
    typ: str | None  # the mention's type; None until a head, a known name or the context gives it
    end = qe
    best = None
    for k in range(0, 5):  # “平安校园”创建活动: take 创建活动, not the shorter 创建
        if k and not re.match(f"[{_HAN}]", after[k - 1 : k]):
            break
        h = heads_rx.match(after, k)
        if h and (best is None or h.end() > best.end()):
            best = h
    hm = re.match(rf"[{_HAN}]{{0,4}}", after[: best.start()]) if best is not None else None
    if hm is not None and best is not None:
        mid = after[: best.start()]
        hmatch = best
        if hmatch and not any(w in mid for w in ("等", "的", "和", "与", "及", "中", "上", "下")) and not _LIST_SUMMARY.match(after):
            head = hmatch.group()
            typ, restricted = lex.heads[head]
            core_known = lex.known_terms.get(_loose(core))
            if not restricted or not mid and not core_known:
                head_type = typ
                end = qe + hmatch.end()
    name_core = core
    start = qs
    if head_type is None:
        for k in range(6, 0, -1):
            cand = lex.known_terms.get(_loose(core + st.text[qe : qe + k]))
            if cand and re.fullmatch(f"[{_HAN}]+", st.text[qe : qe + k]):
                end = qe + k
                name = core + st.text[qe:end]
                known_hints = (("quoted", "1"), ("known", cand[0])) + ((("in_title", "1"),) if in_title else ())
                return Mention(qs, end, "", cand[1], name, sent, "govkg_terms", core=core, hints=known_hints)
    if _COLLECTIVE.match(core):
        # “三项制度”: a numbered collective names nothing without the words before it
        pre = _walk_left(st, lex, qs, max_chars=8, stop_at_places=True)
        if pre is None or pre >= qs:
            return None
        start = pre
        name_core = st.text[pre:qs] + core
    key = _loose(name_core)
    known = lex.known_terms.get(key) or lex.known_terms.get(norm_key(name_core))
    if head_type is not None:
        name = name_core + st.text[qe:end]
        typ = head_type
        k2 = lex.known_terms.get(_loose(name))
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
                clause = st.text[_clause_start(st, qs) : qs]
                v = None
                for v in _IMPLEMENT_VERBS.finditer(clause):
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


def _loose(s: str) -> str:
    return re.sub(r"[,，、\s·]", "", norm_key(s))


def _in_summarised_list(st: _State, pos: int) -> bool:
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


def _summary_type(st: _State, lex: Lexicons, heads_rx: re.Pattern[str], pos: int) -> str | None:
    j = st.text.find("等", pos)
    seg = st.text[j : j + 14]
    hm = heads_rx.search(seg)
    if hm is None:
        return None
    return lex.heads[hm.group()][0]


def _clause_start(st: _State, pos: int) -> int:
    sent = st.sentences[st.sentence_at(pos)] if st.sentences else None
    lo = sent.start if sent else 0
    depth = 0
    i = pos - 1
    while i >= lo:
        ch = st.text[i]
        if ch in "”》":
            depth += 1
        elif ch in "“《":
            depth = max(0, depth - 1)
        elif ch in _CLAUSE_END and depth == 0:
            return i + 1
        i -= 1
    return lo


def _clause_end(st: _State, pos: int) -> int:
    sent = st.sentences[st.sentence_at(pos)] if st.sentences else None
    hi = sent.end if sent else len(st.text)
    depth = 0
    i = pos
    while i < hi:
        ch = st.text[i]
        if ch in "“《":
            depth += 1
        elif ch in "”》":
            depth = max(0, depth - 1)
        elif ch in _CLAUSE_END and depth == 0:
            return i
        i += 1
    return hi


def _walk_left(
    st: _State,
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
        if any(ch in _PUNCT for ch in word) or word.isdigit() or re.search(r"\d", word):
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
            break
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


def _headed_terms(st: _State, lex: Lexicons, head: str, hs: int, he: int) -> list[Mention]:
    typ, restricted = lex.heads[head]
    start = _walk_left(st, lex, hs, through_conjunctions=True)
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
            if cut is None or not _generic(st, lex, start, start + cut.start()):
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
        if len(mod) < 2 or _generic(st, lex, ms, ms + len(mod)):
            continue
        if len(mod) < 3 and head in _SHORT_MOD_NEEDS_LEXICON and not lex.known_terms.get(_loose(mod + head)):
            continue
        if restricted and not _restricted_ok(st, lex, head, ms, mod):
            continue
        last = i == len(names) - 1
        end = he if last else ms + len(mod)
        name = mod + head
        known = lex.known_terms.get(_loose(name))
        t = known[1] if known else typ
        hints: list[tuple[str, str]] = []
        if known:
            hints.append(("known", known[0]))
        if not last:
            hints.append(("distributed_head", head))
        core = mod if head == "工作" else None
        out.append(Mention(ms, end, "", t, name, sent, "govkg_terms", core=core, hints=tuple(hints)))
    return out


def _generic(st: _State, lex: Lexicons, s: int, e: int) -> bool:
    words = _words_in(st, s, e)
    return not words or all(w in lex.generic_words or w in lex.boundary_words for w in words)


def _restricted_ok(st: _State, lex: Lexicons, head: str, ms: int, mod: str) -> bool:
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


def _list_items(st: _State, lex: Lexicons, deng: int, typ: str) -> list[Mention]:
    """Items of a list ``A、B、C等…`` that ends at ``deng`` (the position of 等)."""
    cs = _clause_start(st, deng)
    out: list[Mention] = []
    pieces: list[tuple[int, str]] = []
    pos = deng
    while pos > cs:
        cut = max(st.text.rfind(sep, cs, pos) for sep in ("、", "和", "及", "与"))
        ps = cut + 1 if cut >= cs else cs
        piece = st.text[ps:pos]
        # the leftmost item starts after the verb that governs the list
        first = _walk_left(st, lex, pos, max_chars=len(piece))
        last = first is None or first > ps or cut < cs
        if first is not None and first > ps:
            ps, piece = first, st.text[first:pos]
        if first is not None:
            pieces.append((ps, piece))
        if last:
            break
        pos = cut
    for ps, piece in reversed(pieces):
        if any(m.start < ps + len(piece) and ps < m.end and m.type in ("Agency", "Law") for m in st.mentions):
            continue
        piece_s = piece.strip()
        if len(piece_s) < 3 or any(ch in piece_s for ch in "《》“”\"") or re.search(r"\d", piece_s):
            continue
        if _generic(st, lex, ps, ps + len(piece)):
            continue
        t = "Law" if re.search(r"(?:法|条例|法规|规定|办法)$", piece_s) else typ
        out.append(Mention(ps, ps + len(piece), "", t, piece_s, st.sentence_at(ps), "govkg_terms",
                           hints=(("list_item", "1"),)))
    return out


# --------------------------------------------------------------------------------------------
# govkg_statistics

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


def _statistics(st: _State, lex: Lexicons) -> None:
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


def _measure(st: _State, lex: Lexicons, s: int, e: int, percent: bool) -> tuple[str, int, int]:
    """What a number counts: the noun phrase after its unit, or the phrase before the number."""
    cs = _clause_start(st, s)
    ce = _clause_end(st, e)
    post_words: list[tuple[int, int]] = []
    for ts, te in st.tokens_after(e):
        if ts >= ce or ts < e:
            if ts >= ce:
                break
            continue
        w = st.text[ts:te]
        if any(ch in _PUNCT and ch not in "“”" for ch in w) or w in ("的",):
            break
        if post_words and ts in st.owned(ce):  # a body named after the counted noun
            break
        if re.search(r"\d", w) or (w in lex.boundary_words or w in _STAT_POST_STOP or w in "“”") and post_words:
            break
        if w in lex.boundary_words:
            continue
        post_words.append((ts, te))
        if len(post_words) >= 3:
            break
    pre_start = cs
    # 废止13件、修改5件: the second number's measure starts after the first
    for x in st.statistics:
        if cs <= x.start and x.end <= s:
            pre_start = max(pre_start, x.end)
    marker = re.match(r"\s*(?:\d{1,2}[.、．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]+[是、])\s*", st.text[pre_start:s])
    if marker:
        pre_start += marker.end()
    while pre_start < s and st.text[pre_start] in "、，, ":
        pre_start += 1
    pre = st.text[pre_start:s]
    # drop subjects (agency mentions) and bookkeeping words at the front of the clause
    changed = True
    while changed and pre:
        changed = False
        for m in st.mentions:
            if m.type in ("Agency", "Place") and m.start == pre_start and m.end <= s:
                pre_start = m.end
                pre = st.text[pre_start:s]
                changed = True
        for w in _STAT_STRIP:
            if pre.startswith(w):
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
    pre_len = len(pre)
    if re.fullmatch(r"(?:同比|环比|较上年|比上年)?(?:增长|下降|提高|降低|减少|增加|上升)(?:了)?", pre):
        prev = [x for x in st.statistics if x.end <= s and _clause_start(st, s) != _clause_start(st, x.start)]
        if prev and st.sentence_at(prev[-1].start) == st.sentence_at(s):
            pre = prev[-1].measure + pre
    pre_ok = len(pre) >= 2 and not re.search(r"\d", pre)
    post_ok = bool(post_words) and not percent
    if post_ok and (not pre_ok or st.text[e:e + 1] not in _PUNCT):
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


# --------------------------------------------------------------------------------------------
# govkg_relations

_ISSUE_LINK = re.compile(r"^(?:联合|共同)?(?:印发(?:了)?(?:的)?|发布(?:的)?|颁布(?:的)?|出台(?:的)?|制定(?:的)?|关于印发)?$")
_MAKE_VERBS = re.compile(r"(?:制定|出台|印发|修订|起草|研究出台|制定实施|制定出台|编制|发布|颁布)(?:了|并|实施)?$")
_PROMOTE_CONTEXT = re.compile(r"宣传|普法|宣讲|学习|解读|培训")
_BASIS = re.compile(r"(?:根据|依据|依照|按照|遵照)")
_EXTEND = re.compile(r"(?:向|到|至)(?P<places>[^,，。;；]{2,40}?)(?:延伸|拓展|推广|覆盖|辐射|扩展|延展|复制)")
_EXTEND2 = re.compile(r"(?:延伸|拓展|推广|覆盖|辐射|扩展)(?:到|至)(?P<places>[^,，。;；]{2,40})")
_LOCAL_PLAN = re.compile(r"(?:实施方案|实施意见|实施细则|工作方案|行动方案|行动计划|工作要点|方案|意见|细则|办法|计划|措施|规划)(?:\(.*\))?$")
_HIGHER_PLAN = re.compile(r"(?:纲要|规划|条例|法|意见|决定|方案)(?:\(.*\))?$")
_SUBJECT_SKIP = re.compile(
    r"^(?:\s|[一二三四五六七八九十]+是|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]?|今年来|今年以来|\d{4}年(?:以来|来|度)?|截至目前|截至\d+月(?:底)?|同时|此外|另外|目前|年内|全年)+"
)


def _relations(st: _State, lex: Lexicons) -> None:
    ms = st.mentions
    ms.sort(key=lambda m: (m.start, -m.end))
    _dedupe(st)
    ms = st.mentions
    by_sent: dict[int, list[int]] = {}
    for i, m in enumerate(ms):
        by_sent.setdefault(m.sentence, []).append(i)
    rels: list[MentionRelation] = []
    seen: set[tuple[int, str, int]] = set()

    def rel(a: int, p: str, b: int, comp_s: int, comp_e: int, why: str = "govkg_relations") -> None:
        if a == b or (a, p, b) in seen:
            return
        seen.add((a, p, b))
        rels.append(MentionRelation(a, p, b, ms[b].sentence if b >= 0 else ms[a].sentence, why, comp_s, comp_e))

    titles = [i for i, m in enumerate(ms) if m.type == "Law" and not m.hint("unmarked")]
    # issues: the body at the head of a title, or right before it
    for i in titles:
        m = ms[i]
        inner_start = m.start + 1
        title_agency = False
        for j, x in enumerate(ms):
            if x.type == "Agency" and x.start == inner_start and x.end < m.end:
                rel(j, "issues", i, m.start, m.end)
                title_agency = True
        if not title_agency:
            # 武汉市江汉区…实施方案: the most specific of the places that open the title
            pos, place = inner_start, None
            while True:
                nxt = next((j for j, a in enumerate(ms) if a.type == "Place" and a.start == pos and a.end < m.end), None)
                if nxt is None:
                    break
                place, pos = nxt, ms[nxt].end
            if place is not None:
                rel(i, "jurisdiction", place, m.start, m.end)
        for j in _agencies_before(st, ms, m.start):
            rel(j, "issues", i, ms[j].start, m.end)
        # policies named inside a title are what the document concerns
        for j, x in enumerate(ms):
            if x.type == "Policy" and m.start < x.start and x.end <= m.end:
                rel(i, "concerns", j, m.start, m.end)
        # 〈inner〉 inside 《outer》: the outer document implements the inner one
        for j, x in enumerate(ms):
            if x.type == "Law" and x.hint("inner") and m.start < x.start and x.end < m.end and not m.hint("inner"):
                rel(i, "implements", j, m.start, m.end)
    for si, sent in enumerate(st.sentences):
        idx = by_sent.get(si, [])
        if not idx:
            continue
        role = sent.role
        clauses = _clauses(st, sent.start, sent.end)
        subject: list[int] = [ISSUER]
        laws_in_sentence = [i for i in idx if ms[i].type == "Law" and not ms[i].hint("inner")]
        for cs, ce in clauses:
            cidx = [i for i in idx if cs <= ms[i].start < ce]
            subj = _clause_subject(st, ms, cidx, cs)
            if subj:
                subject = subj
            clause_text = st.text[cs:ce]
            partners = [j for j in cidx if ms[j].type == "Agency" and re.search(r"(?:联合|会同|协同|携手|与)$", st.text[cs : ms[j].start])]
            nested = {i for i in cidx for j in cidx if j != i and ms[j].start <= ms[i].start and ms[i].end <= ms[j].end and (ms[j].end - ms[j].start) > (ms[i].end - ms[i].start)}
            objects = [i for i in cidx if i not in nested and i not in subj]
            for i in objects:
                m = ms[i]
                before = st.text[cs : m.start]
                if m.type == "Policy" and role != "problem":
                    for a in subject:
                        if a == ISSUER or ms[a].type == "Agency":
                            rel(a, "implements", i, cs, ce)
                elif m.type == "Law" and role != "problem":
                    if m.hint("in_title") or m.hint("inner"):
                        continue
                    if _TITLE_AS_MODIFIER.match(st.text[m.end : m.end + 4]):
                        # 《民法典》宣传活动, 《民法典》学习读本: the law is the topic, not the object
                        if _PROMOTE_CONTEXT.search(clause_text[m.end - cs :]):
                            for a in subject:
                                if a != ISSUER:
                                    rel(a, "promotes", i, cs, ce)
                        continue
                    made = _MAKE_VERBS.search(re.sub(r"[、和及与]$", "", before.rstrip()))
                    has_issuer = any(r.object == i and r.predicate == "issues" for r in rels)
                    if _PROMOTE_CONTEXT.search(clause_text[m.end - cs :]) and any(a != ISSUER for a in subject):
                        for a in subject:
                            if a != ISSUER:
                                rel(a, "promotes", i, cs, ce)
                    elif made and not has_issuer and not m.hint("national"):
                        helped = [j for j in cidx if ms[j].type == "Agency" and ms[j].end <= m.start
                                  and re.search(r"(?:配合|协助|协调|推动|提请|报请)$", st.text[cs : ms[j].start])]
                        for a in helped or subject:
                            rel(a, "issues", i, cs, ce)
                    elif _IMPLEMENT_VERBS.search(before) or _BASIS.search(before) or re.search("贯彻|执行|遵守|学习", before):
                        for a in subject:
                            rel(a, "implements", i, cs, ce)
                elif m.type == "Initiative" and role != "problem":
                    for a in subject + [p for p in partners if ms[p].end <= m.start]:
                        pred = "promotes" if a != ISSUER and _PROMOTE_CONTEXT.search(m.name) else "organizes"
                        rel(a, pred, i, cs, ce)
            # an agency named right before a campaign of its own (市委中心组“龙头工程”)
            for i in cidx:
                if ms[i].type != "Agency":
                    continue
                nxt = next((j for j in cidx if ms[j].start == ms[i].end and ms[j].type in ("Initiative", "Policy")), None)
                if nxt is not None:
                    rel(i, "organizes" if ms[nxt].type == "Initiative" else "implements", nxt, cs, ce)
            # extends to: X向深圳、佛山、东莞延伸
            for rx in (_EXTEND, _EXTEND2):
                for em in rx.finditer(clause_text):
                    ps, pe = cs + em.start("places"), cs + em.end("places")
                    targets = [i for i in cidx if ms[i].type == "Place" and ps <= ms[i].start < pe and not ms[i].hint("relative")]
                    sources = [i for i in cidx if ms[i].type in ("Policy", "Initiative") and ms[i].end <= cs + em.start()]
                    if targets and sources:
                        for t in targets:
                            rel(sources[-1], "extendsTo", t, cs, ce)
        # based on: initiatives of a sentence that says 根据/按照《X》
        basis_laws = [i for i in laws_in_sentence if _BASIS.search(st.text[max(sent.start, ms[i].start - 6) : ms[i].start])]
        for i in idx:
            if ms[i].type == "Initiative" and basis_laws:
                for b in basis_laws:
                    if ms[b].end <= ms[i].start:
                        rel(i, "basedOn", b, sent.start, sent.end)
        # a local plan made to implement a higher one named in the same sentence
        for a in laws_in_sentence:
            for b in laws_in_sentence:
                if a == b or ms[b].end > ms[a].start:
                    continue
                na, nb = ms[a].name, ms[b].name
                if _LOCAL_PLAN.search(na) and _HIGHER_PLAN.search(nb) and _common_run(na, nb) >= 4 and (ms[b].hint("national") or not ms[a].hint("national")):
                    between = st.text[ms[b].end : ms[a].start]
                    if _MAKE_VERBS.search(between) or re.search(r"制定|出台|印发", between):
                        rel(a, "implements", b, sent.start, sent.end)
    # named sites lie in the place named right before them, else in the report's own place
    for i, m in enumerate(ms):
        if m.type == "Place" and m.hint("site"):
            prev = [j for j in by_sent.get(m.sentence, []) if ms[j].type == "Place" and ms[j].end == m.start]
            if prev:
                rel(i, "locatedIn", prev[0], m.start, m.end)
    # statistics: what each is about
    new_stats = []
    by_start = sorted(range(len(ms)), key=lambda i: ms[i].start)
    starts = [ms[i].start for i in by_start]
    for stat in st.statistics:
        about = _stat_about(st, ms, stat, by_start, starts)
        new_stats.append(StatisticMention(**{**stat.__dict__, "about": about}))
    st.statistics[:] = new_stats
    st.relations.extend(rels)


def _dedupe(st: _State) -> None:
    """Drop mentions that repeat a span of the same type, and Places/Agencies inside longer
    Agencies of the same start that were matched twice."""
    seen: set[tuple[int, int, str]] = set()
    out: list[Mention] = []
    for m in st.mentions:
        key = (m.start, m.end, m.type)
        if key in seen:
            continue
        seen.add(key)
        out.append(m)
    # a term that overlaps an agency or a title without being inside it is a bad cut
    keep: list[Mention] = []
    names = [o for o in out if o.type in ("Agency", "Law")]
    for m in out:
        if m.type in ("Policy", "Initiative", "Place") and not m.hint("in_title"):
            bad = any(
                o.start < m.start < o.end < m.end or m.start < o.start < m.end < o.end
                for o in names
            )
            if bad:
                continue
        keep.append(m)
    st.mentions[:] = keep


def _clauses(st: _State, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    cs = start
    depth = 0
    for i in range(start, end):
        ch = st.text[i]
        if ch in "“《":
            depth += 1
        elif ch in "”》":
            depth = max(0, depth - 1)
        elif ch in _CLAUSE_END and depth == 0:
            out.append((cs, i + 1))
            cs = i + 1
    if cs < end:
        out.append((cs, end))
    return out


_SUBJECT_LINK = re.compile(r"[、和及与]|等(?:部门|单位|机关)?(?:、)?")


def _clause_subject(st: _State, ms: list[Mention], cidx: list[int], cs: int) -> list[int]:
    """Agencies named at the head of a clause (A、B和C等部门…), or [] when none."""
    head = _SUBJECT_SKIP.match(st.text, cs)
    pos = head.end() if head else cs
    subj: list[int] = []
    order = sorted(cidx, key=lambda i: ms[i].start)
    for i in order:
        m = ms[i]
        if m.start < pos:
            continue
        if m.start > pos:
            break
        if m.type not in ("Agency", "Place"):
            continue
        if m.type == "Agency":
            subj.append(i)
            pos = m.end
            nxt = _SUBJECT_LINK.match(st.text, pos)
            if nxt and nxt.group() in ("、", "和", "及", "与"):
                pos = nxt.end()
                continue
            break
        if m.type == "Place" and m.hint("relative"):
            return [ISSUER]
        break
    return subj


def _agencies_before(st: _State, ms: list[Mention], title_start: int) -> list[int]:
    """Agencies standing right before a 《title》: 国务院《…》, 中共中央、国务院印发的《…》."""
    out: list[int] = []
    pos = title_start
    link = st.text[max(0, pos - 8) : pos]
    lm = re.search(r"(?:联合|共同)?(?:印发(?:了)?的?|发布的?|颁布的?|出台的?|制定的?|关于印发)?$", link)
    pos -= len(lm.group()) if lm else 0
    while True:
        cand = [i for i, m in enumerate(ms) if m.type == "Agency" and m.end == pos]
        if not cand:
            break
        i = max(cand, key=lambda k: ms[k].end - ms[k].start)
        out.append(i)
        pos = ms[i].start
        if pos > 0 and st.text[pos - 1] in "、和及与":
            pos -= 1
            continue
        break
    return out


def _common_run(a: str, b: str) -> int:
    """Length of the longest common substring of two short strings.

    Examples:
        >>> _common_run("监利市法治政府建设实施方案", "法治政府建设实施纲要")
        8
    """
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _stat_about(st: _State, ms: list[Mention], x: StatisticMention,
                by_start: list[int], starts: list[int]) -> int | None:
    """The mention a statistic is about: a policy or initiative in its clause, else the agency
    that is the subject of its clause. ``by_start`` orders the indices of ``ms`` by start and
    ``starts`` holds those starts, so only mentions in range are looked at."""
    cs, ce = _clause_start(st, x.start), _clause_end(st, x.end)

    def starting_in(lo: int, hi: int) -> list[int]:
        """Indices of the mentions that start in [lo, hi), in the order of ``ms``."""
        return sorted(by_start[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)])

    inside = [i for i in starting_in(cs, ce + 1) if ms[i].type in ("Policy", "Initiative") and ms[i].end <= ce]
    if inside:
        return min(inside, key=lambda i: abs(ms[i].start - x.start))
    sent = st.sentences[x.sentence]
    subj = [i for i in starting_in(sent.start, x.start) if ms[i].type == "Agency" and not ms[i].hint("national")]
    clause_subj = [i for i in subj if _clause_start(st, ms[i].start) == cs]
    if clause_subj:
        return clause_subj[0]
    return None


def _ensure_registered() -> Any:
    _register()


_register()
