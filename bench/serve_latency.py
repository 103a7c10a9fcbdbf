"""Request latency of ``govkg serve``: the named questions over one keep-alive connection.

Starts ``govkg serve`` on a built store (the bundled sample report, built into a temporary folder,
unless ``--store``) once per source tree given with ``--tree NAME=DIR`` (a checkout of the
repository, or ``git archive`` of one; the current tree when none is given), fetches every named
question's text from the server (``/questions/<name>.rq``), and then sends them to ``/sparql``
as a client would (httpx, one keep-alive connection per server, ``Accept:
application/sparql-results+json``) in rounds: each round sends every question once to every
server, the servers taking turns request by request, so that a busy neighbour on a shared
machine slows them all alike. Prints median and 95th percentile latency per tree, per question
and overall, and the ratio of each tree's median to the first tree's.

With ``--fresh`` every request's text ends in a comment of its own (``# r<round>``), so that no
server can reuse what it worked out for an earlier request of the same text: the latency of a
query the server has not seen, as when someone edits one on the query page.

Usage::

    .venv/bin/python bench/serve_latency.py --rounds 30
    git archive main graph | tar -x -C /tmp/old
    .venv/bin/python bench/serve_latency.py --tree old=/tmp/old --tree new=. --rounds 30
    .venv/bin/python bench/serve_latency.py --tree old=/tmp/old --tree new=. --rounds 30 --fresh
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Running:
    """One ``govkg serve`` process of one source tree, and the latencies measured on it."""

    name: str
    proc: subprocess.Popen[bytes]
    url: str
    client: httpx.Client
    times: dict[str, list[float]] = field(default_factory=dict)


def start(name: str, tree: Path, store: Path, log: Path) -> Running:
    """Run ``python -m graph serve`` with ``tree`` first on the path, and wait for its URL."""
    copy = log.parent / f"store-{name}"
    shutil.copytree(store, copy, symlinks=False)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = log.with_suffix(".out")
    with out.open("wb") as fo, log.open("wb") as fe:
        proc = subprocess.Popen([sys.executable, "-m", "graph", "serve", "--store", str(copy), "--port", "0"],
                                stdout=fo, stderr=fe, stdin=subprocess.DEVNULL, env=env, cwd=log.parent)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        m = re.search(r"SPARQL endpoint (http://127\.0\.0\.1:\d+/)sparql", out.read_text())
        if m:
            return Running(name, proc, m.group(1), httpx.Client(base_url=m.group(1), timeout=60))
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    sys.exit(f"govkg serve from {tree} did not start: {log.read_text()}")


def questions(srv: Running) -> dict[str, str]:
    """Every named question's SPARQL text, with its default parameters, as the server gives it."""
    resp = srv.client.get("/questions.json")
    if resp.status_code != 200:
        sys.exit(f"{srv.name}: /questions.json answered {resp.status_code}: {resp.text[:300]}")
    names = [q["name"] for q in resp.json()["questions"]]
    return {n: srv.client.get(f"/questions/{n}.rq").text for n in names}


def ask(srv: Running, name: str, query: str) -> None:
    t0 = time.perf_counter()
    resp = srv.client.post("/sparql", content=query.encode("utf-8"),
                           headers={"Content-Type": "application/sparql-query",
                                    "Accept": "application/sparql-results+json"})
    resp.read()
    took = time.perf_counter() - t0
    if resp.status_code != 200:
        sys.exit(f"{srv.name}: {name} answered {resp.status_code}: {resp.text[:300]}")
    srv.times.setdefault(name, []).append(took)


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(round(0.95 * len(xs))) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tree", action="append", default=[], metavar="NAME=DIR",
                    help="a source tree to serve from (repeat; the first is the baseline of the ratio)")
    ap.add_argument("--store", type=Path, help="a built store (default: build the sample report)")
    ap.add_argument("--rounds", type=int, default=20, help="times each question is sent to each server")
    ap.add_argument("--warmup", type=int, default=2, help="rounds not counted")
    ap.add_argument("--fresh", action="store_true", help="make every request's text unique (a comment)")
    args = ap.parse_args()
    trees = [(t.split("=", 1)[0], Path(t.split("=", 1)[1]).resolve()) for t in args.tree] or [("this", ROOT)]
    tmp = Path(tempfile.mkdtemp(prefix="govkg-serve-bench-"))
    servers: list[Running] = []
    try:
        store = args.store
        if store is None:
            sys.path.insert(0, str(ROOT))
            from graph.pipeline import build

            store = build(None, tmp / "sample").files["store"]
        for name, tree in trees:
            servers.append(start(name, tree, Path(store).resolve(), tmp / f"serve-{name}.log"))
        qs = questions(servers[0])
        for r in range(args.warmup + args.rounds):
            for name, query in qs.items():
                text = f"{query}\n# r{r}" if args.fresh else query
                for srv in servers:
                    ask(srv, name, text)
            if r + 1 == args.warmup:
                for srv in servers:
                    srv.times.clear()
        n = args.rounds * len(qs)
        print(f"{len(qs)} named questions x {args.rounds} rounds = {n} requests per server "
              f"(after {args.warmup} warm-up rounds), one keep-alive connection each, "
              f"{'every text unique' if args.fresh else 'the same texts each round'}; times in ms")
        print(f"{'question':<28}" + "".join(f"{s.name + ' med':>12}{s.name + ' p95':>12}" for s in servers))
        for q in qs:
            print(f"{q:<28}" + "".join(f"{1000 * statistics.median(s.times[q]):>12.2f}{1000 * p95(s.times[q]):>12.2f}"
                                       for s in servers))
        base = None
        for s in servers:
            alltimes = [t for ts in s.times.values() for t in ts]
            med = statistics.median(alltimes)
            base = base or med
            print(f"{s.name}: all {len(alltimes)} requests: median {1000 * med:.2f} ms, p95 {1000 * p95(alltimes):.2f} ms, "
                  f"median ratio to {servers[0].name} {med / base:.3f}")
    finally:
        for s in servers:
            s.client.close()
            s.proc.terminate()
            try:
                s.proc.wait(20)
            except subprocess.TimeoutExpired:
                s.proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
