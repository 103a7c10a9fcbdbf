"""The lexicons and reference tables under ``graph/data``, loaded once per process.

Lexicons are data, not code: this module only reads them and compiles them into fast
character-level matchers (a regular expression shaped as a trie, so that matching a list of
thousands of names costs one pass over the text, not one per name).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

__all__ = [
    "Division",
    "Lexicons",
    "lexicons",
    "trie_pattern",
    "TrieScanner",
    "fold",
    "norm_key",
]

_DATA = files("graph").joinpath("data")

# Full-width ASCII (U+FF01..U+FF5E) -> ASCII, ideographic space -> space. One character for
# one character, so offsets in the folded text are offsets in the original.
_FOLD: dict[int, int | str] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_FOLD.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d"})
_FOLD.update({ord("〔"): "(", ord("〕"): ")", ord("［"): "[", ord("］"): "]"})


def fold(text: str) -> str:
    """Fold full-width forms to half-width, keeping the length.

    Examples:
        >>> fold("ＡＢＣ（２０２１）")
        'ABC(2021)'
        >>> len(fold("全角　空格")) == len("全角　空格")
        True
    """
    return text.translate(_FOLD)


_KEY_DROP = re.compile(r"[\s《》〈〉“”\"'‘’「」『』<>]")


def norm_key(name: str) -> str:
    """A matching key for a name: folded, without quotes, marks or spaces.

    Examples:
        >>> norm_key("“证照分离”改革")
        '证照分离改革'
        >>> norm_key("《法治政府建设实施纲要（2021－2025年）》")
        '法治政府建设实施纲要(2021-2025年)'
    """
    return _KEY_DROP.sub("", fold(name))


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression that matches any of ``words``, longest first, built as a trie.

    Python's ``re`` tries the branches of a plain alternation one by one; nesting them by
    shared prefix makes matching a long word list about as fast as matching one word.

    Examples:
        >>> import re
        >>> p = re.compile(trie_pattern(["司法局", "司法厅", "公安局", "司法"]))
        >>> [m.group() for m in p.finditer("市司法局和省司法厅、公安局")]
        ['司法局', '司法厅', '公安局']
    """
    trie: dict[str, dict] = {}
    for w in words:
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            # the longer branches are tried first, the empty one (the word ends here) last
            return "(?:" + body + ")?"
        return body

    if not trie:
        return "(?!)"
    return build(trie)


class TrieScanner:
    """Finds the words of a list in a text, left to right, longest first, without overlap:
    what ``re.compile(trie_pattern(words)).finditer(text)`` finds, about ten times faster for
    lists of thousands of words.

    ``re`` walks every branch of a trie's top level at each position of the text (a place
    list has 900 first characters); this looks the position's character up in a dict and runs
    only the trie of the words that start with it. With ``prefix``, a word may be preceded by
    it (中华人民共和国 + a law's title), as with ``(?:prefix)?`` before the trie.

    Examples:
        >>> sc = TrieScanner(["司法局", "司法厅", "公安局", "司法"])
        >>> [m.group() for m in sc.finditer("市司法局和省司法厅、公安局")]
        ['司法局', '司法厅', '公安局']
        >>> [m.group() for m in TrieScanner(["民法典"], prefix="中华人民共和国").finditer("学习中华人民共和国民法典和民法典")]
        ['中华人民共和国民法典', '民法典']
    """

    def __init__(self, words: Iterable[str], prefix: str = "") -> None:
        by_first: dict[str, list[str]] = {}
        every: list[str] = []
        for w in words:
            if w:
                by_first.setdefault(w[0], []).append(w)
                every.append(w)
        self._rx: dict[str, re.Pattern[str]] = {c: re.compile(trie_pattern(ws)) for c, ws in by_first.items()}
        if prefix:
            # where the prefix may start, any word may follow it, or a word may start there
            self._rx[prefix[0]] = re.compile(f"(?:{re.escape(prefix)})?(?:{trie_pattern(every)})")

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches in ``text``, as ``re`` match objects."""
        get = self._rx.get
        i, n = 0, len(text)
        while i < n:
            rx = get(text[i])
            if rx is not None:
                m = rx.match(text, i)
                if m is not None and m.end() > i:
                    yield m
                    i = m.end()
                    continue
            i += 1


def _rows(name: str) -> list[dict[str, str]]:
    """The rows of a TSV data file; lines starting with '#' before the columns say what it holds."""
    with _DATA.joinpath(name).open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _words(name: str) -> list[str]:
    out: list[str] = []
    for line in _DATA.joinpath(name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        out.extend(line.split())
    return out


@dataclass(frozen=True)
class Division:
    """An administrative division of the GB/T 2260 table."""

    code: str
    name: str
    parent: str | None
    level: str  # province | prefecture | county

    @property
    def short(self) -> str:
        """The name without its level suffix: 监利市 -> 监利, 湖北省 -> 湖北."""
        return short_place_name(self.name)


_PLACE_SUFFIXES = sorted(
    [
        "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县",
        "自治旗", "林区", "地区", "新区", "省", "市", "县", "区", "盟", "旗",
    ],
    key=len,
    reverse=True,
)


def short_place_name(name: str) -> str:
    """Strip the level suffix of a division name (and an ethnic qualifier before 自治…).

    Examples:
        >>> short_place_name("恩施土家族苗族自治州")
        '恩施'
        >>> short_place_name("监利市")
        '监利'
        >>> short_place_name("宁夏回族自治区")
        '宁夏'
    """
    for suf in _PLACE_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            stem = name[: -len(suf)]
            if suf.startswith("自治") or suf in ("维吾尔自治区", "壮族自治区", "回族自治区"):
                m = re.match(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+$", stem)
                if m:
                    stem = m.group(1)
            return stem
    return name


@dataclass(frozen=True)
class Lexicons:
    """Everything the NLP and resolution stages look up, in ready-to-use form."""

    national_laws: dict[str, tuple[str, str]]  # title -> (category, effective date)
    divisions: dict[str, Division]  # code -> division
    place_index: dict[str, tuple[str, ...]]  # full or short name -> codes
    short_ok: frozenset[str]  # short names safe to match on their own
    national_agencies: dict[str, str]  # any name -> canonical label
    bodies: dict[str, tuple[str, str, bool]]  # body name -> (canonical, kind, may stand bare)
    known_terms: dict[str, tuple[str, str]]  # any name -> (canonical label, type)
    heads: dict[str, tuple[str, bool]]  # head word -> (type, restricted)
    boundary_words: frozenset[str]
    generic_words: frozenset[str]
    units: dict[str, str]  # unit -> kind
    long_heads: frozenset[str]  # heads whose name needs a modifier of 4+ characters (考评, 清单)
    document_heads: dict[str, bool]  # head word of a document named without 《》 -> needs 关于

    def division_by_name(self, name: str) -> Division | None:
        """The division a name denotes, if the name is unambiguous."""
        codes = self.place_index.get(name, ())
        if len(codes) == 1:
            return self.divisions[codes[0]]
        return None

    def chain(self, code: str) -> tuple[Division, ...]:
        """The division and its ancestors, nearest first."""
        out: list[Division] = []
        seen: set[str] = set()
        cur: str | None = code
        while cur and cur in self.divisions and cur not in seen:
            seen.add(cur)
            d = self.divisions[cur]
            out.append(d)
            cur = d.parent
        return tuple(out)


def _within(divisions: dict[str, Division], code: str, ancestor: str) -> bool:
    cur = divisions[code].parent if code in divisions else None
    while cur:
        if cur == ancestor:
            return True
        cur = divisions[cur].parent if cur in divisions else None
    return False


@cache
def lexicons() -> Lexicons:
    """Load every lexicon once per process."""
    laws = {r["title"]: (r["category"], r["effective_date"]) for r in _rows("national_laws.tsv")}
    divisions: dict[str, Division] = {}
    for r in _rows("divisions.tsv"):
        divisions[r["code"]] = Division(r["code"], r["name"], r["parent"] or None, r["level"])
    index: dict[str, list[str]] = {}
    for d in divisions.values():
        index.setdefault(d.name, []).append(d.code)
    full_names = set(index)
    ambiguous = set(_words("ambiguous_places.txt"))
    short_ok: set[str] = set()
    for d in divisions.values():
        s = d.short
        if s != d.name and len(s) >= 2 and s not in full_names:
            index.setdefault(s, []).append(d.code)
            if d.level != "county" and s not in ambiguous:
                short_ok.add(s)
        # a county that became a county-level city (X县 -> X市) is often named by its new name
        if d.level == "county" and d.name.endswith("县") and len(d.name) >= 3:
            renamed = d.name[:-1] + "市"
            if renamed not in full_names:
                index.setdefault(renamed, []).append(d.code)
    place_index = {k: tuple(sorted(set(v))) for k, v in index.items()}
    # 荆州 names 荆州市 and its district 荆州区: the one that holds the others is meant
    for name, codes in place_index.items():
        if len(codes) > 1:
            for c in codes:
                if all(o == c or _within(divisions, o, c) for o in codes):
                    place_index[name] = (c,)
                    if divisions[c].level != "county" and name not in ambiguous:
                        short_ok.add(name)
                    break
    national: dict[str, str] = {}
    for r in _rows("national_agencies.tsv"):
        national[r["label"]] = r["label"]
        for a in filter(None, (r["aliases"] or "").split("|")):
            national[a] = r["label"]
    bodies = {
        r["name"]: (r["canonical"], r["kind"], r["bare"] == "yes") for r in _rows("bodies.tsv")
    }
    known: dict[str, tuple[str, str]] = {}
    for r in _rows("known_terms.tsv"):
        known[norm_key(r["label"])] = (r["label"], r["type"])
        for a in filter(None, (r["aliases"] or "").split("|")):
            known.setdefault(norm_key(a), (r["label"], r["type"]))
    head_rows = _rows("heads.tsv")
    heads = {r["head"]: (r["type"], r["restricted"] == "yes") for r in head_rows}
    units = {r["unit"]: r["kind"] for r in _rows("units.tsv")}
    return Lexicons(
        national_laws=laws,
        divisions=divisions,
        place_index=place_index,
        short_ok=frozenset(short_ok),
        national_agencies=national,
        bodies=bodies,
        known_terms=known,
        heads=heads,
        boundary_words=frozenset(_words("boundary_words.txt")),
        generic_words=frozenset(_words("generic_words.txt")),
        units=units,
        long_heads=frozenset(r["head"] for r in head_rows if r["restricted"] == "long"),
        document_heads={r["head"]: r["needs_about"] == "yes" for r in _rows("document_heads.tsv")},
    )
