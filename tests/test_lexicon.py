"""graph.lexicon: folding, matching keys, the trie matcher, the division table, and the
doctests of the graph modules."""

from __future__ import annotations

import doctest
import importlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.lexicon import TrieScanner, fold, lexicons, norm_key, short_place_name, trie_pattern


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＡＢＣ", "ABC"),
        ("（２０２１）", "(2021)"),
        ("全角　空格", "全角 空格"),
        ("2021－2025年", "2021-2025年"),
        ("〔2022〕3号", "(2022)3号"),
        ("监利市司法局", "监利市司法局"),  # CJK is left alone
        ("“证照分离”", "“证照分离”"),  # so are curly quotes: they are marks, not full-width ASCII
    ],
)
def test_lexicon_fold_folds_full_width(text: str, folded: str) -> None:
    assert fold(text) == folded


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None, database=None)
def test_lexicon_fold_keeps_length(text: str) -> None:
    # offsets in the folded text must be offsets in the original
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("“证照分离”改革", "证照分离改革"),
        ("《长江保护法》", "长江保护法"),
        ("《法治政府建设实施纲要（2021－2025年）》", "法治政府建设实施纲要(2021-2025年)"),
        ("《湖北省〈生态环境保护条例〉实施办法》", "湖北省生态环境保护条例实施办法"),
        ("“谁执法 谁普法”", "谁执法谁普法"),
        ("‘一网通办’", "一网通办"),
        ("市场监督管理局", "市场监督管理局"),
    ],
)
def test_lexicon_norm_key_strips_marks_and_spaces(name: str, key: str) -> None:
    assert norm_key(name) == key


@pytest.mark.parametrize(
    ("words", "text", "found"),
    [
        (["司法局", "司法厅", "公安局", "司法"], "市司法局和省司法厅、公安局", ["司法局", "司法厅", "公安局"]),
        (["监督管理局", "市场监督管理局", "市场"], "县市场监督管理局", ["市场监督管理局"]),
        (["长江保护法", "长江", "保护法"], "学习长江保护法", ["长江保护法"]),
        (["监利", "监利市"], "监利市与监利", ["监利市", "监利"]),
        (["a.b", "a"], "axb a.b", ["a", "a.b"]),  # regex metacharacters are literal
        ([], "任何文本", []),
        ([""], "任何文本", []),
    ],
)
def test_lexicon_trie_pattern_matches_longest_names(words: list[str], text: str, found: list[str]) -> None:
    assert re.findall(trie_pattern(words), text) == found


def _alternation(words: list[str]) -> str:
    ws = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(map(re.escape, ws)) if ws else "(?!)"


# a small alphabet so that words share prefixes and overlap in the text
_ALPHABET = "市县司法局厅监利.*("


@given(
    words=st.lists(st.text(alphabet=_ALPHABET, max_size=5), max_size=12),
    text=st.text(alphabet=_ALPHABET, max_size=40),
)
@settings(max_examples=300, deadline=None, database=None)
def test_lexicon_trie_pattern_equals_plain_alternation(words: list[str], text: str) -> None:
    assert re.findall(trie_pattern(words), text) == re.findall(_alternation(words), text)


@pytest.mark.parametrize(
    ("name", "chain"),
    [
        ("监利市", ["监利市", "荆州市", "湖北省"]),
        ("江汉区", ["江汉区", "武汉市", "湖北省"]),
        ("嘉鱼县", ["嘉鱼县", "咸宁市", "湖北省"]),
        ("湖北省", ["湖北省"]),
    ],
)
def test_lexicon_division_chain_goes_up_to_the_province(name: str, chain: list[str]) -> None:
    lex = lexicons()
    div = lex.division_by_name(name)
    assert div is not None
    assert [d.name for d in lex.chain(div.code)] == chain
    assert [d.level for d in lex.chain(div.code)][-1] == "province"


def test_lexicon_division_of_an_ambiguous_name_is_none() -> None:
    # 朝阳 is a district of Beijing, of Changchun, a prefecture and a county: no one division
    lex = lexicons()
    assert len(lex.place_index["朝阳"]) > 1
    assert lex.division_by_name("朝阳") is None


@pytest.mark.parametrize(
    ("name", "short"),
    [("监利市", "监利"), ("湖北省", "湖北"), ("恩施土家族苗族自治州", "恩施"), ("宁夏回族自治区", "宁夏"), ("江汉区", "江汉")],
)
def test_lexicon_short_place_name_strips_level(name: str, short: str) -> None:
    assert short_place_name(name) == short


@pytest.mark.parametrize("short", ["深圳", "佛山", "东莞", "武汉", "湖北", "宜昌"])
def test_lexicon_short_names_of_cities_and_provinces_match_alone(short: str) -> None:
    lex = lexicons()
    assert short in lex.short_ok
    assert lex.division_by_name(short) is not None


@pytest.mark.parametrize("short", ["监利", "嘉鱼", "江汉", "朝阳"])
def test_lexicon_short_names_of_counties_do_not_match_alone(short: str) -> None:
    # indexed (a report of the county may use them) but not safe on their own
    lex = lexicons()
    assert short in lex.place_index
    assert short not in lex.short_ok


@pytest.mark.parametrize("module", ["graph.lexicon", "graph.rdf", "graph.resolve", "graph.nlp.relations"])
def test_lexicon_doctests_of_graph_modules_pass(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{module} has no doctest examples"
    assert result.failed == 0


# -- TrieScanner: the trie regex's matches, found faster ------------------------------------------

_SCAN_WORDS = ["司法局", "司法厅", "司法", "公安局", "法", "民法典", "中华人民共和国民法典", "人民", "中华", "监利市", "监利"]


@given(
    words=st.lists(st.sampled_from(_SCAN_WORDS) | st.text("司法局厅公安民典中华人共和国监利市", min_size=1, max_size=4),
                   min_size=1, max_size=12),
    text=st.lists(st.sampled_from(_SCAN_WORDS) | st.text("司法局厅公安民典中华人共和国监利市、和", max_size=3), max_size=25).map("".join),
    prefix=st.sampled_from(["", "中华人民共和国", "中"]),
)
def test_lexicon_trie_scanner_finds_what_the_trie_regex_finds(words: list[str], text: str, prefix: str) -> None:
    rx = re.compile((f"(?:{re.escape(prefix)})?" if prefix else "") + f"(?:{trie_pattern(words)})")
    expected = [(m.start(), m.end(), m.group()) for m in rx.finditer(text)]
    assert [(m.start(), m.end(), m.group()) for m in TrieScanner(words, prefix=prefix).finditer(text)] == expected


def test_lexicon_trie_scanner_on_the_place_lexicon_matches_the_regex() -> None:
    names = lexicons().place_index
    text = "湖北省荆州市监利市人民政府与武汉市江汉区司法局、北京市朝阳区和监利、荆州、长江、向深圳延伸"
    rx = re.compile(trie_pattern(names))
    assert [m.span() for m in TrieScanner(names).finditer(text)] == [m.span() for m in rx.finditer(text)] != []
