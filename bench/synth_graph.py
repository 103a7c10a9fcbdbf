"""A synthetic govkg corpus shaped like the real output, for the SPARQL benchmark.

Takes the sample report's graph (as ``govkg build`` writes it) and replicates its named graph
for many synthetic reports: each report gets its own locality name and division code, a year,
and a report IRI of its own, so local bodies, local documents and local initiatives are
distinct per locality while national laws, central agencies and nationwide policies are shared
by every report, as in a real corpus. Each locality reports for several years, so its bodies
recur across its own reports.

Usage::

    python bench/synth_graph.py --triples 1000000 --out /tmp/synth.nq
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ONTOLOGY = "https://w3id.org/govkg/ontology"
# characters for synthetic place names (none of them in the sample's own place names)
_CHARS = "安宁丰和平泰康华新永兴隆昌盛德广清源远长乐福寿嘉定云阳山林川河溪城峰瑞祥吉庆明光辉文武景秀"
_YEARS = (2019, 2020, 2021, 2022, 2023)


@dataclass(frozen=True)
class Template:
    """The sample's report graph as N-Quads lines, and the values to replace per replica."""

    ontology: list[str]
    report: list[str]
    ontology_union: list[str]  # the same triples in the default graph (the store keeps the union there)
    report_union: list[str]
    report_hash: str  # 16 hex digits in the report IRI
    content_hash: str  # the full sha256
    place: str  # 监利
    code: str  # 421088
    year: str  # 2021


def sample_template(trig: Path | None = None, layout: str = "store") -> Template:
    """Read the sample's graph (building it if no TriG is given) into a :class:`Template`.

    ``layout="store"``: the report graph as ``govkg build`` puts it in the SPARQL store (the
    part of it questions ask, no mention nodes); ``"files"``: as ``graph.trig`` holds it, in
    full (what the store held before it kept only that part). A given ``trig`` is read as is.
    """
    import pyoxigraph as ox

    if trig is None:
        from graph.pipeline import build

        with tempfile.TemporaryDirectory(prefix="govkg-synth-") as out:
            files = build(None, out, validate=False, view=False, store=layout == "store").files
            if layout == "store":
                db = ox.Store.read_only(str(files["store"]))
                quads = [q for q in db.quads_for_pattern(None, None, None)
                         if not isinstance(q.graph_name, ox.DefaultGraph)]
                del db
            else:
                quads = list(ox.parse(path=str(files["trig"]), format=ox.RdfFormat.TRIG))
    else:
        quads = list(ox.parse(path=str(trig), format=ox.RdfFormat.TRIG))
    def triple(q: ox.Quad) -> str:
        return f"{q.subject} {q.predicate} {q.object} .\n"

    onto = [f"{q} .\n" for q in quads if q.graph_name.value == ONTOLOGY]
    onto_union = [triple(q) for q in quads if q.graph_name.value == ONTOLOGY]
    reps = {q.graph_name.value for q in quads if q.graph_name.value != ONTOLOGY}
    if len(reps) != 1:
        raise SystemExit(f"expected the graph of one report, found {len(reps)}")
    rep = reps.pop()
    report = [f"{q} .\n" for q in quads if q.graph_name.value == rep]
    report_union = [triple(q) for q in quads if q.graph_name.value == rep]
    text = "".join(report)
    m = re.search(r'contentHash> "([0-9a-f]{64})"', text)
    if not m:
        raise SystemExit("the sample graph has no govkg:contentHash")
    return Template(onto, report, onto_union, report_union, rep.rsplit("/", 1)[-1], m.group(1), "监利", "421088",
                    "2021")


def _places(n: int, seed: int = 42) -> list[str]:
    rng = random.Random(seed)
    names: list[str] = []
    seen: set[str] = set()
    pool = list(_CHARS)
    while len(names) < n:
        name = "".join(rng.sample(pool, 2))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def replicate(t: Template, reports: int, years_per_place: int = 3, union: bool = True) -> Iterator[str]:
    """N-Quads text: the ontology once, then ``reports`` synthetic report graphs; with ``union``
    each triple also in the default graph, as :func:`graph.store.write_store` keeps it."""
    yield from t.ontology
    if union:
        yield from t.ontology_union
    body = "".join(t.report) + ("".join(t.report_union) if union else "")
    places = _places(math.ceil(reports / years_per_place))
    for k in range(reports):
        place = places[k // years_per_place]
        year = str(_YEARS[k % years_per_place % len(_YEARS)])
        code = f"{990000 + k // years_per_place:06d}"
        full = hashlib.sha256(f"synthetic report {k}".encode()).hexdigest()
        s = body.replace(t.content_hash, full).replace(t.report_hash, full[:16])
        s = s.replace(t.place, place).replace(t.code, code)
        s = s.replace(f'"{t.year}"^^', f'"{year}"^^').replace(f"{t.year}年", f"{year}年")
        s = s.replace(f'"{t.year}-', f'"{year}-')
        yield s


def write(out: Path, triples: int = 1_000_000, trig: Path | None = None, union: bool = True,
          template: Template | None = None) -> tuple[int, int]:
    """Write report graphs holding about ``triples`` quads to ``out`` (N-Quads), plus their
    union in the default graph; returns (reports, quads in named graphs)."""
    t = template or sample_template(trig)
    reports = max(1, round((triples - len(t.ontology)) / len(t.report)))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for chunk in replicate(t, reports, union=union):
            f.write(chunk)
    tmp.replace(out)
    return reports, len(t.ontology) + reports * len(t.report)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="about how many quads to write")
    ap.add_argument("--out", type=Path, required=True, help="N-Quads file to write")
    ap.add_argument("--trig", type=Path, default=None, help="sample graph.trig (default: build the sample)")
    ap.add_argument("--no-union", action="store_true", help="leave the default graph empty")
    a = ap.parse_args(argv)
    reports, n = write(a.out, a.triples, a.trig, union=not a.no_union)
    print(f"{a.out}: {reports} synthetic reports, {n} quads in report graphs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
