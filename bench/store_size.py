"""What the SPARQL store holds per report against graph.trig, and what that saves in loading.

The files (``graph.trig``, ``graph.ttl``) keep each report's full record, one NIF anchor per
mention included; the store keeps the part questions ask (:func:`graph.rdf.report_triples`
with ``store=True``). This measures, on generated reports (``bench/make_corpus.py``) and the
bundled sample:

1. triples per report in the files and in the store, and their ratio (target: at most one
   half on every report);
2. the time Oxigraph's bulk loader takes for the same reports in each layout (both with the
   union default graph, as the build keeps it), the load rate and the size on disk, in the
   same process, with the ratio of the store layout against the full one.

Usage::

    .venv/bin/python bench/store_size.py                 # 200 generated reports + the sample
    .venv/bin/python bench/store_size.py --reports 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_RATIO = 0.5


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _load(chunks: list[tuple[str, bytes]], where: Path) -> tuple[float, int, int]:
    """Bulk-load ``chunks`` as a build does (:func:`graph.corpus.bulk_store`, one loader
    thread, then the final compaction); seconds, quads and bytes on disk."""
    import pyoxigraph as ox

    from graph import corpus

    shutil.rmtree(where, ignore_errors=True)
    t0 = time.perf_counter()
    new = corpus.bulk_store(where, iter(chunks), threads=1)
    seconds = time.perf_counter() - t0
    db = ox.Store.read_only(str(new))
    quads = len(db)
    del db
    return seconds, quads, _du(new)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=200, help="generated reports (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="timed loads per layout (default 3; median)")
    a = ap.parse_args(argv)

    import make_corpus

    from graph.corpus import chunk_of
    from graph.extraction import extract
    from graph.pipeline import sample_path
    from graph.read import iter_paths

    work = Path(tempfile.mkdtemp(prefix="govkg-store-size-"))
    try:
        make_corpus.main([str(work / "reports"), "--reports", str(a.reports), "--seed", str(a.seed)])
        paths = [sample_path(), *sorted(p for p in iter_paths([work / "reports"]) if p.suffix == ".txt")]
        full: list[tuple[str, bytes]] = []
        slim: list[tuple[str, bytes]] = []
        ratios: list[float] = []
        n_full = n_slim = 0
        t0 = time.perf_counter()
        for p in paths:
            c = chunk_of(extract(p))
            full.append((c.graph, c.turtle))
            slim.append((c.graph, c.store_turtle))
            ratios.append(c.store_triples / c.triples)
            n_full += c.triples
            n_slim += c.store_triples
            if p == paths[0]:
                print(f"the sample report: {c.triples} triples in graph.trig, {c.store_triples} in the store "
                      f"({c.store_triples / c.triples:.3f})")
        print(f"{len(paths)} reports extracted in {time.perf_counter() - t0:.1f} s")
        print(f"triples per report: graph.trig {n_full / len(paths):,.0f}, store {n_slim / len(paths):,.0f}; "
              f"store/trig ratio median {statistics.median(ratios):.3f}, max {max(ratios):.3f} "
              f"(target <= {TARGET_RATIO:g} on every report)")

        rows = []
        for name, chunks in (("full (graph.trig)", full), ("store", slim)):
            runs = [_load(chunks, work / name.split()[0]) for _ in range(a.repeat)]
            sec = statistics.median(r[0] for r in runs)
            rows.append((name, sec, runs[0][1], runs[0][2]))
        print()
        print(f"{'layout':20} {'load s':>8} {'quads':>11} {'quads/s':>9} {'disk MB':>8}")
        for name, sec, quads, disk in rows:
            print(f"{name:20} {sec:8.2f} {quads:11,} {quads / sec:9,.0f} {disk / 1e6:8.1f}")
        (_, s_full, q_full, d_full), (_, s_slim, q_slim, d_slim) = rows
        print(f"store layout against full: load time {s_slim / s_full:.2f}x, quads {q_slim / q_full:.2f}x, "
              f"disk {d_slim / d_full:.2f}x (same process, median of {a.repeat}, {os.cpu_count()} CPUs)")
        ok = max(ratios) <= TARGET_RATIO
        print("RESULT:", "target met" if ok else "a report's store part is over half of its graph.trig")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
