"""The benchmark corpus generator (bench/make_corpus.py): reproducible, readable, varied, and
planting what govkg's extraction can be scored against."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from benchscripts import bench_script

from graph.extraction import extract_document
from graph.read import read_path

#: Planted forms the recall test holds to its bar: national laws and quoted reforms.
LAW_AND_REFORM_FORMS = frozenset({
    "law_marked", "law_marked_full", "law_unmarked", "law_issuer_before", "law_central",
    "reform_quoted_head", "policy_quoted",
})


@pytest.fixture(scope="module")
def mc() -> Iterator[ModuleType]:
    """bench/make_corpus.py."""
    with bench_script("make_corpus") as module:
        yield module


@pytest.fixture(scope="module")
def corpus(mc: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """Six reports on disk, half of them in GB18030 so both encodings are exercised."""
    out = tmp_path_factory.mktemp("bench-corpus")
    return out, mc.write_corpus(out, 6, seed=11, chars=3000, gbk_share=0.5)


@pytest.fixture(scope="module")
def scored(mc: ModuleType, corpus: tuple[Path, list[Path]]) -> list[tuple[object, object]]:
    """(planted items, extraction) of each report of the corpus."""
    out, paths = corpus
    manifest = mc.read_manifest(out)
    return [(manifest[p.relative_to(out).as_posix()], extract_document(read_path(p))) for p in paths]


def test_bench_corpus_same_seed_same_bytes(mc: ModuleType, tmp_path: Path) -> None:
    a = mc.write_corpus(tmp_path / "a", 4, seed=5, chars=2000)
    b = mc.write_corpus(tmp_path / "b", 4, seed=5, chars=2000)
    c = mc.write_corpus(tmp_path / "c", 4, seed=6, chars=2000)
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))
    assert (tmp_path / "a" / mc.MANIFEST).read_bytes() == (tmp_path / "b" / mc.MANIFEST).read_bytes()
    assert [x.read_bytes() for x in a] != [z.read_bytes() for z in c]
    # report i depends on (seed, i) only: a smaller corpus is a prefix of a larger one
    d = mc.write_corpus(tmp_path / "d", 2, seed=5, chars=2000)
    assert [x.read_bytes() for x in d] == [x.read_bytes() for x in a[:2]]


def test_bench_corpus_make_report_is_seeded(mc: ModuleType) -> None:
    first = mc.make_report(random.Random(42), chars=2500)
    assert first == mc.make_report(random.Random(42), chars=2500)
    assert first != mc.make_report(random.Random(43), chars=2500)
    name, text = first
    assert name.endswith(".txt") and "法治政府建设" in text


@pytest.mark.parametrize("chars", [1500, 4000])
def test_bench_corpus_length_within_a_fifth(mc: ModuleType, chars: int) -> None:
    lengths = [len(mc.make_report(mc.report_rng(3, i), chars=chars)[1]) for i in range(25)]
    outside = [n for n in lengths if not 0.8 * chars <= n <= 1.2 * chars]
    assert not outside, f"lengths outside ±20% of {chars}: {outside}"


def test_bench_corpus_is_varied(mc: ModuleType) -> None:
    reports = [mc.generate_report(mc.report_rng(9, i), index=i, chars=1500) for i in range(40)]
    kinds = {r.name.rsplit("-", 1)[1] for r in reports}  # zf, jd, sfj, sthj, scjg, bm
    places = {r.name.split("-")[1] for r in reports}
    years = {r.name.split("-")[2] for r in reports}
    provinces = {r.folder for r in reports}
    assert len(kinds) >= 4, kinds
    assert len(places) >= 25 and len(provinces) >= 10, (places, provinces)
    assert len(years) >= 4, years
    assert len({r.text for r in reports}) == len(reports)
    forms = {p.form for r in reports for p in r.planted}
    for form in ("law_unmarked", "law_issuer_before", "law_local_notice", "reform_quoted_head", "system_unquoted",
                 "campaign_quoted_head", "agency_list", "place_extension", "slogan", "stat_cn", "stat_money",
                 "stat_percent", "stat_approx"):
        assert form in forms, f"no report of 40 plants {form}"
    assert any("浏览次数" in r.text or "发布时间" in r.text or "发布日期" in r.text for r in reports)
    assert any(r.encoding == "gb18030" for r in reports) and any(r.encoding == "utf-8" for r in reports)


def test_bench_corpus_reports_read_as_reports(corpus: tuple[Path, list[Path]]) -> None:
    _, paths = corpus
    docs = [read_path(p) for p in paths]
    assert {d.encoding for d in docs} == {"utf-8", "gb18030"}
    for d in docs:
        assert d.meta.title and "法治政府建设" in d.meta.title, d.path
        assert d.meta.year is not None and 2019 <= d.meta.year <= 2024, d.path
        content = "".join(d.folded[s:e] for s, e in d.content)
        for debris in ("浏览次数", "打印|关闭", "【打印本页】"):
            assert debris not in content, f"{d.path}: page debris {debris} read as content"


def test_bench_corpus_extraction_finds_planted_laws_and_reforms(mc: ModuleType, scored: list) -> None:
    found = total = 0
    misses: list[str] = []
    for planted, ex in scored:
        for sc in mc.score_planted(planted, ex):
            if sc.planted.form in LAW_AND_REFORM_FORMS:
                total += 1
                if sc.status == "found":
                    found += 1
                else:
                    misses.append(f"{sc.planted.form} {sc.planted.surface} ({sc.status} {sc.detail})".strip())
    assert total >= 40
    assert found / total >= 0.7, f"found {found}/{total} planted laws and reforms; misses: {misses}"


def test_bench_corpus_extraction_keeps_slogans_out(mc: ModuleType, scored: list) -> None:
    results = [sc for planted, ex in scored for sc in mc.score_planted(planted, ex) if sc.planted.type == "Negative"]
    produced = [f"{sc.planted.surface} as {sc.detail}" for sc in results if sc.status == "produced"]
    assert results
    assert len(produced) <= 0.1 * len(results), f"slogans made into entities: {produced}"


def test_bench_corpus_scoring_is_specific_to_the_report(mc: ModuleType, scored: list) -> None:
    """Scoring one report's plants against another report's extraction must fail most items,
    or the recall test above would pass on anything."""
    own = cross = total = 0
    for i, (planted, ex) in enumerate(scored):
        other = scored[(i + 1) % len(scored)][1]
        keyed = [p for p in planted if p.form in LAW_AND_REFORM_FORMS]
        total += len(keyed)
        own += sum(sc.status == "found" for sc in mc.score_planted(keyed, ex))
        cross += sum(sc.status == "found" for sc in mc.score_planted(keyed, other))
    assert cross / total < 0.5 < own / total, (own, cross, total)


def test_bench_corpus_statistics_scored_by_value_and_unit(mc: ModuleType, scored: list) -> None:
    planted, ex = scored[0]
    stats = [p for p in planted if p.type == "Statistic"]
    assert stats
    results = mc.score_planted(stats, ex)
    assert sum(sc.status == "found" for sc in results) / len(results) >= 0.7
    shifted = [mc.Planted(p.type, p.form, p.surface, p.names, str(int(float(p.value or 0)) + 100003), p.unit, p.key)
               for p in stats]
    assert all(sc.status == "missed" for sc in mc.score_planted(shifted, ex))


def test_bench_touch_reports_changes_the_chosen_files_in_their_own_encoding(
    mc: ModuleType, tmp_path: Path
) -> None:
    paths = mc.write_corpus(tmp_path, 6, seed=11, chars=3000, gbk_share=0.5)
    before = {p: p.read_bytes() for p in paths}
    encodings = {p: read_path(p).encoding for p in paths}
    assert len(set(encodings.values())) == 2  # both encodings are exercised
    with bench_script("touch_reports") as touch:
        chosen = touch.touch(tmp_path, 3, "x")
    assert len(chosen) == 3
    for p in paths:
        doc = read_path(p)  # still a report govkg reads, in the same encoding as before
        assert doc.encoding == encodings[p]
        if p in chosen:
            assert p.read_bytes() != before[p] and "全年共受理行政复议案件41件。" in doc.text
        else:
            assert p.read_bytes() == before[p]
