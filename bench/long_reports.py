"""Extraction time of one long report against its length: is it linear?

Generates one report of each size (10k, 20k, 40k, 80k, 160k … characters, doubling up to
``--max``; 1,000,000 by default) in the genre's shape: a title, 一、/（一） headings, sentences
with subjects and bodies, 《titles》 of laws and plans, agencies, places and numbers with units.
``--no-punct`` writes the same text without punctuation or line breaks (as text scraped from
some pages is), which used to be the slowest case. For each size it reads and extracts the report
(``graph.read.read_text`` -> ``graph.extraction.extract_document``: spaCy, resolution) and prints
seconds per 10k characters; at the end, the slope of log(time) against log(length): 1.0 is
linear, 2.0 quadratic.

A size is skipped once the previous one took longer than ``--budget`` seconds (a super-linear
build would otherwise run for hours); ``--profile N`` runs cProfile on the N-character report and
prints the functions with the most cumulative time.

Usage::

    python bench/long_reports.py                        # 10k … 1M, with punctuation
    python bench/long_reports.py --no-punct --max 80000
    python bench/long_reports.py --profile 80000
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

AGENCIES = ["市司法局", "市人民政府", "市生态环境局", "市市场监督管理局", "市公安局", "市财政局", "县人民政府",
            "市委宣传部", "市自然资源和规划局", "市住房和城乡建设局", "区人民法院", "市人民检察院"]
LAWS = ["《中华人民共和国行政复议法》", "《中华人民共和国长江保护法》", "《法治政府建设实施纲要（2021—2025年）》",
        "《优化营商环境条例》", "《中华人民共和国行政处罚法》", "《重大行政决策程序暂行条例》",
        "《中华人民共和国民法典》", "《湖北省行政执法条例》"]
VERBS = ["认真贯彻落实", "深入学习宣传", "严格执行", "全面实施", "扎实推进"]
THINGS = ["证明事项告知承诺制", "“双随机、一公开”监管", "行政执法三项制度", "“减证便民”专项行动",
          "重大行政决策合法性审查机制", "“放管服”改革", "公平竞争审查制度", "法律顾问制度"]
PLACES = ["监利市", "荆州市", "咸宁市", "宜昌市", "武汉市", "洪湖市"]
UNITS = ["件", "起", "次", "场", "万元", "人次", "份", "个"]
NUMERALS = "一二三四五六七八九十"


def sentence(rng: random.Random) -> str:
    """One sentence of the genre: an agency, a verb, a law or a reform, and a number."""
    a, b = rng.sample(AGENCIES, 2)
    kind = rng.randrange(4)
    if kind == 0:
        return f"{a}{rng.choice(VERBS)}{rng.choice(LAWS)}，全年办理行政复议案件{rng.randint(2, 900)}{rng.choice(UNITS)}。"
    if kind == 1:
        return f"{a}会同{b}{rng.choice(VERBS)}{rng.choice(THINGS)}，在{rng.choice(PLACES)}开展专项检查{rng.randint(2, 90)}次。"
    if kind == 2:
        return (f"全市共开展法治宣传活动{rng.randint(10, 500)}场，发放宣传资料{rng.randint(1, 9)}.{rng.randint(1, 9)}万份，"
                f"行政诉讼败诉率下降{rng.randint(1, 9)}.{rng.randint(0, 9)}个百分点。")
    return f"{a}依据{rng.choice(LAWS)}的规定，{rng.choice(VERBS)}{rng.choice(THINGS)}，群众满意度达到{rng.randint(80, 99)}.{rng.randint(0, 9)}%。"


def make_text(chars: int, *, punct: bool = True, seed: int = 1) -> str:
    """A report of about ``chars`` characters (exactly ``chars``: the last sentence is cut).

    Examples:
        >>> len(make_text(10_000))
        10000
        >>> "。" in make_text(2_000, punct=False)
        False
    """
    rng = random.Random(f"govkg-long/{seed}/{chars}")
    parts = ["监利市司法局2022年法治政府建设情况报告\n"]
    size = len(parts[0])
    section = 0
    while size < chars:
        section += 1
        head = f"{NUMERALS[(section - 1) % 10]}、{rng.choice(['主要工作成效', '存在的问题', '下一步工作安排', '推进依法行政'])}\n"
        parts.append(head)
        size += len(head)
        for sub in range(rng.randint(2, 4)):
            line = f"（{NUMERALS[sub]}）{rng.choice(['强化组织领导', '健全制度体系', '规范执法行为', '加强普法宣传'])}。"
            line += "".join(sentence(rng) for _ in range(rng.randint(3, 8))) + "\n"
            parts.append(line)
            size += len(line)
            if size >= chars:
                break
    text = "".join(parts)
    if not punct:
        title, _, body = text.partition("\n")
        text = title + "\n" + re.sub(r"[，。、；：“”《》（）\n%]", "", body)
        while len(text) < chars:  # punctuation removed: add more body
            text += re.sub(r"[，。、；：“”《》（）%]", "", sentence(rng))
    return text[:chars]


def run_one(chars: int, punct: bool) -> float:
    """Seconds to read and extract one report of ``chars`` characters."""
    from graph.extraction import extract_document
    from graph.read import read_text

    text = make_text(chars, punct=punct)
    t0 = time.perf_counter()
    extract_document(read_text(text, path=f"long-{chars}.txt"))
    return time.perf_counter() - t0


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(seconds) against log(characters).

    Examples:
        >>> round(slope([(10, 1.0), (20, 2.0), (40, 4.0)]), 6)
        1.0
        >>> round(slope([(10, 1.0), (20, 4.0)]), 6)
        2.0
    """
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-9)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min", type=int, default=10_000, help="smallest report, in characters")
    ap.add_argument("--max", type=int, default=1_000_000, help="largest report, in characters")
    ap.add_argument("--no-punct", action="store_true", help="reports without punctuation or line breaks")
    ap.add_argument("--budget", type=float, default=600.0, help="stop once one size takes longer (s)")
    ap.add_argument("--profile", type=int, default=0, metavar="CHARS", help="cProfile one report of CHARS")
    args = ap.parse_args(argv)

    from graph.nlp import get_nlp

    nlp = get_nlp()
    nlp.max_length = max(nlp.max_length, args.max + 1)
    run_one(2_000, not args.no_punct)  # warm-up: jieba's dictionary, the lexicons
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        t = run_one(args.profile, not args.no_punct)
        prof.disable()
        print(f"{args.profile:,} characters: {t:.2f} s")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
        return 0
    sizes = []
    n = args.min
    while n < args.max:
        sizes.append(n)
        n *= 2
    sizes.append(args.max)
    kind = "without punctuation" if args.no_punct else "with punctuation"
    print(f"one report {kind}: seconds per 10k characters")
    print(f"{'characters':>12} {'seconds':>9} {'s / 10k':>9}")
    points: list[tuple[int, float]] = []
    for n in sizes:
        if points and points[-1][1] > args.budget:
            print(f"{n:>12,} skipped: the previous size took more than --budget {args.budget:g} s")
            continue
        t = run_one(n, not args.no_punct)
        points.append((n, t))
        print(f"{n:>12,} {t:>9.2f} {t / n * 10_000:>9.3f}", flush=True)
    if len(points) >= 2:
        print(f"slope of log(time) on log(length): {slope(points):.2f} (1.00 is linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
