"""Change N report files of a corpus, evenly spread, for timing an incremental rebuild.

Each chosen file gets one sentence appended (a statistic, so the report's graph changes), in
the file's own encoding (UTF-8 or GB18030). ``--tag`` makes the sentence differ from one run
to the next, so running it twice changes the same files again.

Usage::

    python bench/touch_reports.py /tmp/c10k --count 10 --tag a
    govkg build /tmp/c10k --out /tmp/o10k --jobs 2        # the rebuild to time
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path


def touch(root: Path, count: int, tag: str) -> list[Path]:
    """Append a sentence to ``count`` evenly spread ``.txt`` reports under ``root``."""
    files = sorted(root.rglob("*.txt"))
    if not files:
        raise SystemExit(f"{root}: no .txt reports to change")
    step = max(1, len(files) // count)
    chosen = files[::step][:count]
    for p in chosen:
        raw = p.read_bytes()
        try:
            raw.decode("utf-8")
            enc = "utf-8"
        except UnicodeDecodeError:
            enc = "gb18030"
        p.write_bytes(raw + f"\n全年共受理行政复议案件{40 + len(tag)}件。{tag}\n".encode(enc))
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Change N reports of a corpus for an incremental-rebuild benchmark.")
    ap.add_argument("corpus", type=Path, help="the corpus folder (e.g. made by make_corpus.py)")
    ap.add_argument("--count", type=int, default=10, help="how many files to change (default 10)")
    ap.add_argument("--tag", default="a", help="text appended after the sentence (default 'a')")
    args = ap.parse_args(argv)
    chosen = touch(args.corpus, args.count, args.tag)
    print(f"changed {len(chosen)} of {sum(1 for _ in args.corpus.rglob('*.txt'))} reports")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
