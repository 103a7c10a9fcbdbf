"""Is the store's final compaction worth its time? Named questions on a bulk-loaded store
before and after ``Store.optimize()``, and what the compaction costs.

``govkg build`` ends a bulk load of the store with ``optimize()`` (RocksDB compaction of the
files the bulk loader leaves). On the output folder of a large build (``bench/throughput.py
--keep-out DIR``, or any ``govkg build --out DIR``) this loads the store's chunks from
``DIR/cache`` again into a new store without compacting (the build's own loader, one thread),
times every named question (median of ``--repeat`` after a warm-up), compacts, and times them
again, in one process.

Usage::

    .venv/bin/python bench/compaction.py /tmp/out-10k --repeat 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _time_questions(db: object, repeat: int) -> dict[str, float]:
    from sparql_bench import bench_params

    from graph.query import named_queries, run, to_rows

    params = bench_params(db)
    out = {}
    for name, q in named_queries().items():
        text = q.sparql(params.get(name, {}))
        times = []
        for i in range(repeat + 1):
            t0 = time.perf_counter()
            res = run(db, text)  # type: ignore[arg-type]
            if hasattr(res, "variables"):
                to_rows(res)
            if i:
                times.append((time.perf_counter() - t0) * 1000)
        out[name] = statistics.median(times)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path, help="output folder of a govkg build (with cache/ and manifest.json)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per question (default 5)")
    a = ap.parse_args(argv)

    import pyoxigraph as ox

    from graph import corpus
    from graph.names import DEFAULT_BASE

    manifest = corpus.Manifest.load(a.out_dir, DEFAULT_BASE)
    if not manifest.files:
        ap.error(f"{a.out_dir} has no manifest of a build")
    entries = sorted({e.graph: e for e in manifest.files.values()}.values(), key=lambda e: e.graph)
    cache = a.out_dir / "cache"
    items = ((e.graph, (cache / corpus.store_chunk(e.chunk)).read_bytes()) for e in entries)
    work = Path(tempfile.mkdtemp(prefix="govkg-compaction-"))
    try:
        t0 = time.perf_counter()
        new = corpus.bulk_store(work, items, threads=1, optimize=False)
        load_s = time.perf_counter() - t0
        db = ox.Store(str(new))
        quads = len(db)
        print(f"{len(entries)} reports, {quads:,} quads: bulk load without compaction {load_s:.1f} s")
        before = _time_questions(db, a.repeat)
        t0 = time.perf_counter()
        db.optimize()
        opt_s = time.perf_counter() - t0
        print(f"optimize(): {opt_s:.1f} s ({100 * opt_s / (load_s + opt_s):.0f}% of load + compaction)")
        after = _time_questions(db, a.repeat)
        del db
        print()
        print(f"{'question':28} {'before ms':>10} {'after ms':>10} {'ratio':>7}")
        for name in before:
            print(f"{name:28} {before[name]:10.1f} {after[name]:10.1f} {before[name] / after[name]:6.2f}x")
        tb, ta = sum(before.values()), sum(after.values())
        print(f"{'all questions':28} {tb:10.1f} {ta:10.1f} {tb / ta:6.2f}x")
        print(f"the compaction pays for itself after {opt_s * 1000 / max(tb - ta, 1e-9):,.0f} runs of every question"
              if tb > ta else "the compaction makes no question faster")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
