"""What the store's layout costs to load: the build's layout against the alternatives.

A build loads each report's store chunk twice: into the report's named graph, and again into
the default graph, which the store keeps as the union of the report graphs (the corpus issue
measured that dropping that copy makes the named questions 1.6-5.4x slower). This loads the
same chunks, with Oxigraph's bulk loader in batches of ~8 MB, in each of these layouts and
prints the CPU seconds (all threads of the process), the wall time, the quads and the ratio
against the build's layout, in the same process:

- ``build``: named graphs and their union, as TriG: a graph block, then the same body again
  for the default graph (:func:`graph.corpus._trig_item`, what ``govkg build`` does);
- ``nquads``: the same quads as N-Quads, made from the chunks in N-Triples;
- ``named``: the named graphs only;
- ``union``: the default graph only (no per-report graphs).

The payloads are made before the timing.

Oxigraph writes a quad of a named graph into six indexes and a triple of the default graph
into three, so the layouts cost roughly in that proportion; the figures say how much of a
full build's CPU (``bench/throughput.py --compare-no-store``) the store's layout decides.

Usage::

    .venv/bin/python bench/store_layout.py --out /tmp/o2000          # chunks of a build
    .venv/bin/python bench/store_layout.py --reports 200             # generated and extracted here
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BATCH_BYTES = 8 << 20
LAYOUTS = ("build", "nquads", "named", "union")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def chunks_of_build(out: Path) -> list[tuple[str, bytes]]:
    """(graph, store chunk) of every report of a build in ``out``, from its chunk cache."""
    from graph import corpus

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    items = []
    for entry in manifest["files"].values():
        path = out / "cache" / corpus.store_chunk(entry["chunk"])
        items.append((entry["graph"], path.read_bytes()))
    return sorted(items)


def chunks_generated(reports: int, seed: int, work: Path) -> list[tuple[str, bytes]]:
    """(graph, store chunk) of ``reports`` generated reports, extracted in this process."""
    import make_corpus

    from graph.corpus import chunk_of
    from graph.extraction import extract
    from graph.read import iter_paths

    make_corpus.main([str(work / "reports"), "--reports", str(reports), "--seed", str(seed)])
    items = []
    for p in sorted(q for q in iter_paths([work / "reports"]) if q.suffix == ".txt"):
        c = chunk_of(extract(p))
        items.append((c.graph, c.store_turtle))
    return items


def _named(graph: str, turtle: bytes) -> bytes:
    from graph import corpus

    head, body = corpus._split_prefixes(turtle)
    return head + b"<" + graph.encode("utf-8") + b"> {\n" + body + b"\n}\n"


def _nquads(graph: str, turtle: bytes) -> bytes:
    """The chunk's triples in ``graph`` and in the default graph, as N-Quads: N-Triples lines
    (a newline in a literal is escaped), each made a named graph's quad by one replace."""
    import pyoxigraph as ox

    nt = ox.serialize(ox.parse(turtle, format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES)
    assert nt is not None  # no output given: the bytes are returned
    return nt.replace(b" .\n", b" <" + graph.encode("utf-8") + b"> .\n") + nt


def payloads(items: list[tuple[str, bytes]], layout: str) -> tuple[list[bytes], Any]:
    """The byte strings the loader is given for ``layout``, and their RDF format."""
    import pyoxigraph as ox

    from graph import corpus

    if layout == "build":
        return [corpus._trig_item(g, t) for g, t in items], ox.RdfFormat.TRIG
    if layout == "nquads":
        return [_nquads(g, t) for g, t in items], ox.RdfFormat.N_QUADS
    if layout == "named":
        return [_named(g, t) for g, t in items], ox.RdfFormat.TRIG
    return [t for _, t in items], ox.RdfFormat.TURTLE


def load(data: list[bytes], fmt: Any, where: Path) -> tuple[float, float, float, int]:
    """Bulk-load ``data`` in batches of ~8 MB into a new store at ``where``, then compact it:
    (load CPU s, load wall s, compaction CPU s, quads)."""
    import pyoxigraph as ox

    shutil.rmtree(where, ignore_errors=True)
    db = ox.Store(str(where))
    c0, t0 = _cpu(), time.perf_counter()
    batch: list[bytes] = []
    size = 0
    for d in data:
        batch.append(d)
        size += len(d)
        if size >= BATCH_BYTES:
            db.bulk_load(b"".join(batch), format=fmt)
            batch, size = [], 0
    if batch:
        db.bulk_load(b"".join(batch), format=fmt)
    db.flush()
    c1, t1 = _cpu(), time.perf_counter()
    db.optimize()
    c2 = _cpu()
    quads = len(db)
    del db
    shutil.rmtree(where, ignore_errors=True)
    return c1 - c0, t1 - t0, c2 - c1, quads


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="a build's output folder: load its cached store chunks")
    ap.add_argument("--reports", type=int, default=200, help="without --out: generated reports (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--layouts", default=",".join(LAYOUTS), help=f"comma-separated, of {', '.join(LAYOUTS)}")
    a = ap.parse_args(argv)
    layouts = [x.strip() for x in a.layouts.split(",") if x.strip()]
    bad = [x for x in layouts if x not in LAYOUTS]
    if bad:
        ap.error(f"unknown layout {bad[0]!r}: choose from {', '.join(LAYOUTS)}")
    if "build" not in layouts:
        layouts.insert(0, "build")

    work = Path(tempfile.mkdtemp(prefix="govkg-store-layout-"))
    try:
        if a.out:
            if not (a.out / "manifest.json").is_file():
                print(f"error: {a.out}: no manifest.json there; give the --out folder of a govkg build",
                      file=sys.stderr)
                return 2
            items = chunks_of_build(a.out)
            source = f"the cached store chunks of {a.out}"
        else:
            items = chunks_generated(a.reports, a.seed, work)
            source = f"{a.reports} generated reports (seed {a.seed})"
        print(f"govkg store layout bench: {len(items)} reports, {source}; {os.cpu_count()} CPUs, "
              f"batches of {BATCH_BYTES >> 20} MB, then the final compaction")
        print(f"{'layout':14} {'quads':>11} {'bytes MB':>9} {'load CPU s':>11} {'wall s':>8} "
              f"{'compact CPU s':>14} {'CPU total':>10} {'÷ build':>8}")
        base = None
        for name in layouts:
            data, fmt = payloads(items, name)
            cpu, wall, compact, quads = load(data, fmt, work / "store")
            total = cpu + compact
            base = base or total
            print(f"{name:14} {quads:11,} {sum(map(len, data)) / 1e6:9.1f} {cpu:11.1f} {wall:8.1f} "
                  f"{compact:14.1f} {total:10.1f} {total / base:8.2f}", flush=True)
        per = 1000 / max(len(items), 1)
        print(f"(CPU per 1,000 reports: multiply by {per:.2f})")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
