"""End-to-end build throughput against raw jieba, per-stage costs, peak memory, NLP recall.

One run of this script:

1. generates a corpus with ``make_corpus.write_corpus`` (or takes ``--corpus DIR``);
2. measures raw ``jieba.lcut`` over the same texts, after a warm-up: the floor of our NLP cost;
3. runs the real build, ``graph.pipeline.build([corpus], out=tmp, validate=False, view=False)``,
   once per ``--jobs`` value, each in a fresh interpreter so that its peak memory is its own
   (``jobs=`` is passed when ``build()`` accepts it; otherwise "jobs=N not supported yet");
4. times each stage (read / NLP / resolve / RDF chunk / store / validate) in a separate
   single-process run over the same files, and, when the corpus has a ``planted.jsonl``,
   scores what the extraction found against what the generator planted.

Targets (see bench/README.md; issue 12): end-to-end chars/s ≥ 0.25 × jieba chars/s; jobs=2 ≥ 1.8 ×
jobs=1; 10,000 reports of ~4,000 chars in < 12 min with peak memory < 2 GB; peak memory with the
store at most twice that without it.

Usage::

    python bench/throughput.py --reports 200 --seed 1 --jobs 1,2
    python bench/throughput.py --corpus /data/reports --jobs 1 --json
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_corpus  # noqa: E402 - the generator beside this script

TARGET_JIEBA_RATIO = 0.25
TARGET_JOBS_RATIO = 1.8
TARGET_10K_SECONDS = 12 * 60
TARGET_PEAK_MB = 2048


def _rss_mb(usage: resource.struct_rusage) -> float:
    """ru_maxrss in MB (Linux reports kilobytes, macOS bytes)."""
    return usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _cpu() -> float:
    """CPU seconds used so far by this process and its waited-for children (build workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build_supports_jobs() -> bool:
    """Whether ``graph.pipeline.build`` takes a ``jobs`` argument."""
    from graph.pipeline import build

    return "jobs" in inspect.signature(build).parameters


# --------------------------------------------------------------------------------------------
# measurements


def corpus_files(corpus: Path) -> list[Path]:
    """The report files of a corpus, as the build will see them."""
    from graph.read import iter_paths

    return list(iter_paths([corpus]))


def jieba_reference(paths: Sequence[Path]) -> dict[str, Any]:
    """Raw ``jieba.lcut`` over the decoded texts, after a warm-up; only the cutting is timed."""
    import logging

    import jieba

    from graph.read import decode

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    first, _ = decode(paths[0].read_bytes(), path=paths[0])
    jieba.lcut(first)  # warm-up: the dictionary and the HMM tables are loaded and touched
    chars = tokens = 0
    seconds = cpu = 0.0
    for p in paths:
        text, _ = decode(p.read_bytes(), path=p)
        t, c = time.perf_counter(), time.process_time()
        words = jieba.lcut(text)
        seconds += time.perf_counter() - t
        cpu += time.process_time() - c
        chars += len(text)
        tokens += len(words)
    return {"chars": chars, "tokens": tokens, "seconds": seconds, "cpu_seconds": cpu,
            "chars_per_s": chars / seconds if seconds else 0.0, "chars_per_cpu_s": chars / cpu if cpu else 0.0}


def run_build_child(corpus: Path, jobs: int, pass_jobs: bool, full: bool = False, store: bool = True,
                    keep_out: str | None = None) -> dict[str, Any]:
    """Run one build in a fresh interpreter and return what it measured.

    ``full``: the build as ``govkg build`` runs it (SHACL validation of the changed reports and
    the view too); else extraction, files and store only. ``store=False``: no SPARQL store.
    """
    spec = json.dumps({"corpus": str(corpus), "jobs": jobs, "pass_jobs": pass_jobs, "full": full, "store": store,
                       "out": keep_out})
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--_child", spec],
        capture_output=True, text=True, check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        return {"jobs": jobs, "error": f"build child exited with {proc.returncode}:\n{tail}"}
    return json.loads(lines[-1])


def _child(spec_json: str) -> int:
    """In the child: a warm-up build of one report, then the timed build of the corpus."""
    from graph.pipeline import build

    spec = json.loads(spec_json)
    corpus, jobs = Path(spec["corpus"]), int(spec["jobs"])
    full = bool(spec.get("full"))
    kwargs: dict[str, Any] = {"validate": full, "view": full, "store": bool(spec.get("store", True))}
    if spec["pass_jobs"]:
        kwargs["jobs"] = jobs
    first = corpus_files(corpus)[0]
    work = Path(tempfile.mkdtemp(prefix="govkg-bench-out-"))
    out = Path(spec["out"]) if spec.get("out") else work / "out"
    try:
        t = time.perf_counter()
        build([first], out=work / "warm", **kwargs)
        startup = time.perf_counter() - t
        t, c = time.perf_counter(), _cpu()
        res = build([corpus], out=out, **kwargs)
        seconds, cpu = time.perf_counter() - t, _cpu() - c
        out_bytes = sum(p.stat().st_size for p in res.files.values())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({
        "jobs": jobs,
        "full": full,
        "store": kwargs["store"],
        "startup_seconds": startup,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "reports": res.reports,
        "skipped": len(res.skipped),
        "duplicates": len(res.duplicates),
        "triples": res.triples,
        "output_bytes": out_bytes,
        "peak_rss_mb": _rss_mb(resource.getrusage(resource.RUSAGE_SELF)),
        "peak_rss_children_mb": _rss_mb(resource.getrusage(resource.RUSAGE_CHILDREN)),
        "phases": res.extras.get("phases", ""),
    }))
    return 0


def stage_run(paths: Sequence[Path], corpus: Path, validate_reports: int) -> dict[str, Any]:
    """Time each stage of the build's own code path over the files in one process (one
    thread), and score planted items if known.

    Stages: read (decode, clean, metadata), nlp (the spaCy pipeline; the tokenizer, jieba +
    Doc, is timed again apart), resolve, rdf (the report's Turtle chunk, as workers make it),
    store (the build's bulk load of every chunk into a new Oxigraph store, compaction
    included, one loader thread), validate (pyshacl on the first K reports).
    """
    from graph import corpus as corpus_mod
    from graph.nlp import annotate, get_nlp, make_doc
    from graph.rdf import report_iri, report_turtle, to_dataset
    from graph.read import read_path
    from graph.resolve import resolve
    from graph.validate import validate
    from graph.vocab import DEFAULT_BASE

    t = time.perf_counter()
    nlp = get_nlp()
    load = time.perf_counter() - t
    manifest = make_corpus.read_manifest(corpus)
    sec: defaultdict[str, float] = defaultdict(float)
    scores: list[make_corpus.Score] = []
    chunks: list[tuple[str, bytes]] = []
    sample = []
    chars = triples = 0
    extract_cpu = 0.0
    for i, p in enumerate(paths):
        c0 = time.process_time()
        t0 = time.perf_counter()
        doc = read_path(p)
        t1 = time.perf_counter()
        ann = annotate(doc, nlp)
        t2 = time.perf_counter()
        ex = resolve(doc, ann)
        t3 = time.perf_counter()
        turtle, n = report_turtle(ex, DEFAULT_BASE)
        t4 = time.perf_counter()
        extract_cpu += time.process_time() - c0
        make_doc(nlp, doc.folded)  # the tokenizer alone (jieba + Doc, as annotate makes it), timed apart
        sec["tokenizer"] += time.perf_counter() - t4
        sec["read"] += t1 - t0
        sec["nlp"] += t2 - t1
        sec["resolve"] += t3 - t2
        sec["rdf"] += t4 - t3
        chars += len(doc.text)
        triples += n
        chunks.append((str(report_iri(ex, DEFAULT_BASE)), turtle))
        if i < validate_reports:
            sample.append(ex)
        planted = manifest.get(p.relative_to(corpus).as_posix()) if p.is_relative_to(corpus) else None
        if planted:
            scores.extend(make_corpus.score_planted(planted, ex))
    with tempfile.TemporaryDirectory(prefix="govkg-bench-store-") as tmp:
        t = time.perf_counter()
        corpus_mod.bulk_store(Path(tmp), iter(sorted(dict(chunks).items())), threads=1)
        sec["store"] = time.perf_counter() - t
    validated = len(sample)
    conforms = None
    if validated:
        t = time.perf_counter()
        conforms = validate(to_dataset(sample, DEFAULT_BASE, ontology=False), raise_on_violation=False).conforms
        sec["validate"] = time.perf_counter() - t
    return {
        "reports": len(paths),
        "chars": chars,
        "model_load_seconds": load,
        "seconds": dict(sec),
        "extract_cpu_seconds": extract_cpu,
        "triples": triples,
        "validated_reports": validated,
        "validation_conforms": conforms,
        "peak_rss_mb": _rss_mb(resource.getrusage(resource.RUSAGE_SELF)),
        "recall": summarise_scores(scores) if scores else None,
    }


def summarise_scores(scores: Sequence[make_corpus.Score], top: int = 8) -> dict[str, Any]:
    """Recall per planted type and form, and the most frequent misses of each type."""
    total: Counter[str] = Counter()
    ok: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    form_total: Counter[str] = Counter()
    form_ok: Counter[str] = Counter()
    misses: dict[str, Counter[str]] = defaultdict(Counter)
    for sc in scores:
        p = sc.planted
        total[p.type] += 1
        form_total[p.form] += 1
        good = sc.status in ("found", "absent")
        if good:
            ok[p.type] += 1
            form_ok[p.form] += 1
        else:
            if sc.status == "wrong_type":
                wrong[p.type] += 1
            label = f"{p.surface} ({sc.status} {sc.detail})" if sc.status != "missed" or sc.detail else p.surface
            misses[p.type][f"{p.form}: {label}"] += 1
    return {
        "by_type": {t: {"planted": total[t], "ok": ok[t], "wrong_type": wrong[t], "rate": ok[t] / total[t]}
                    for t in sorted(total)},
        "by_form": {f: {"planted": form_total[f], "ok": form_ok[f], "rate": form_ok[f] / form_total[f]}
                    for f in sorted(form_total)},
        "top_misses": {t: misses[t].most_common(top) for t in sorted(misses)},
    }


# --------------------------------------------------------------------------------------------
# report


def _fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def print_table(r: dict[str, Any]) -> None:
    """The human-readable summary of a run."""
    c = r["corpus"]
    print(f"govkg throughput bench: {c['reports']} reports, {_fmt_int(c['chars'])} chars "
          f"(avg {_fmt_int(c['chars'] / max(c['reports'], 1))}), {c['source']}")
    m = r["machine"]
    print(f"machine: {m['cpus']} CPUs, Python {m['python']}, load average at start {m['load_start']}, at end {m['load_end']}")
    print()
    j = r["jieba"]
    print(f"{'jieba.lcut (reference)':24} {_fmt_int(j['chars']):>12} chars {j['seconds']:7.2f} s "
          f"{'':19}{_fmt_int(j['chars_per_s']):>8} chars/s  (CPU {j['cpu_seconds']:.2f} s)")
    for b in [*r["builds"], *([r["no_store"]] if "no_store" in r else [])]:
        name = f"build jobs={b['jobs']}" + (" no store" if b.get("store") is False else "")
        if "unsupported" in b:
            print(f"{name:24} jobs={b['jobs']} not supported yet (build() has no jobs parameter)")
        elif "error" in b:
            print(f"{name:24} FAILED: {b['error']}")
        else:
            workers = f", largest worker {b['peak_rss_children_mb']:.0f} MB" if b["peak_rss_children_mb"] > 1 else ""
            print(f"{name:24} {b['reports']:>12} reports {b['seconds']:7.2f} s {b['reports_per_s']:8.2f} reports/s "
                  f"{_fmt_int(b['chars_per_s']):>8} chars/s  peak RSS {b['peak_rss_mb']:.0f} MB{workers}  "
                  f"(CPU {b['cpu_seconds']:.1f} s, startup {b['startup_seconds']:.1f} s, skipped {b['skipped']})")
            if b.get("phases"):
                print(f"{'':24} phases: {b['phases']}")
    print()
    print(f"{'ratio':52} {'value':>8} {'target':>8}")
    for row in r["ratios"]:
        v = "n/a" if row["value"] is None else f"{row['value']:.3f}"
        verdict = "" if row["value"] is None or not row["target"] else ("ok" if row["ok"] else "BELOW TARGET")
        print(f"{row['name']:52} {v:>8} {row['target']:>8}  {verdict}")
    if r.get("projection"):
        p = r["projection"]
        print(f"projected for 10,000 reports of 4,000 chars at jobs={p['jobs']}: {p['minutes']:.1f} min "
              f"(target < {TARGET_10K_SECONDS / 60:.0f} min; linear extrapolation)")
    s = r.get("stages")
    if s:
        print()
        total = sum(v for k, v in s["seconds"].items() if k != "tokenizer")
        print(f"stage breakdown (one process, {s['reports']} reports, model load {s['model_load_seconds']:.1f} s apart):")
        for k in ("read", "nlp", "resolve", "rdf", "store", "validate"):
            if k not in s["seconds"]:
                continue
            v = s["seconds"][k]
            note = ""
            if k == "nlp":
                note = f"  of which the tokenizer (jieba + Doc) {s['seconds']['tokenizer']:.2f} s"
            if k == "validate":
                note = (f"  on the first {s['validated_reports']} reports only: {v / s['validated_reports']:.2f} s/report"
                        f", conforms={s['validation_conforms']}")
            print(f"  {k:10} {v:8.2f} s {100 * v / total:5.1f}%  {1000 * v / s['reports']:8.1f} ms/report{note}")
        print(f"  {'total':10} {total:8.2f} s   ({_fmt_int(s['triples'])} triples, peak RSS {s['peak_rss_mb']:.0f} MB)")
        extract = sum(s["seconds"][k] for k in ("read", "nlp", "resolve", "rdf"))
        if extract and r["jieba"]["chars_per_s"]:
            cps = s["chars"] / extract
            print(f"  extraction alone (read → NLP → RDF chunk, no store): {_fmt_int(cps)} chars/s = "
                  f"{cps / r['jieba']['chars_per_s']:.3f} × jieba; the store's share of the stages: "
                  f"{100 * s['seconds'].get('store', 0.0) / total:.0f}%")
            if s.get("extract_cpu_seconds") and r["jieba"].get("chars_per_cpu_s"):
                # CPU time is what to compare across runs on a busy machine: wall time moves with load
                ccps = s["chars"] / s["extract_cpu_seconds"]
                print(f"  extraction alone in CPU time: {_fmt_int(ccps)} chars per CPU-second = "
                      f"{ccps / r['jieba']['chars_per_cpu_s']:.3f} × jieba in CPU time")
        rec = s.get("recall")
        if rec:
            print()
            print("planted vs found (generator's plants, scored against each report's extraction):")
            for t, v in rec["by_type"].items():
                extra = f", wrong type {v['wrong_type']}" if v["wrong_type"] else ""
                what = {"Negative": "kept out", "Target": "extracted (targets in plans: no fault either way)"}.get(t, "found")
                print(f"  {t:12} {v['ok']:>6}/{v['planted']:<6} {100 * v['rate']:5.1f}% {what}{extra}")
            print("  by form: " + ", ".join(f"{f} {100 * v['rate']:.0f}%" for f, v in rec["by_form"].items()))
            for t, ms in rec["top_misses"].items():
                print(f"  top misses, {t}: " + "; ".join(f"{name} ×{n}" for name, n in ms))


def ratios(builds: list[dict[str, Any]], jieba: dict[str, Any]) -> list[dict[str, Any]]:
    """The two throughput ratios and whether they meet their targets."""
    ok = {b["jobs"]: b for b in builds if "seconds" in b}
    one = ok.get(1)
    two = ok.get(2)
    r1 = one["chars_per_s"] / jieba["chars_per_s"] if one and jieba["chars_per_s"] else None
    r1cpu = one["chars_per_cpu_s"] / jieba["chars_per_cpu_s"] if one and jieba["chars_per_cpu_s"] else None
    r2 = two["chars_per_s"] / one["chars_per_s"] if one and two else None
    r2j = two["chars_per_s"] / jieba["chars_per_s"] if two and jieba["chars_per_s"] else None
    return [
        {"name": "end-to-end chars/s (jobs=2) ÷ jieba.lcut chars/s", "value": r2j, "target": f"≥ {TARGET_JIEBA_RATIO}",
         "ok": r2j is not None and r2j >= TARGET_JIEBA_RATIO},
        {"name": "end-to-end chars/s (jobs=1) ÷ jieba.lcut chars/s", "value": r1, "target": f"≥ {TARGET_JIEBA_RATIO}",
         "ok": r1 is not None and r1 >= TARGET_JIEBA_RATIO},
        {"name": "  the same on CPU time (robust to a busy machine)", "value": r1cpu,
         "target": f"≥ {TARGET_JIEBA_RATIO}", "ok": r1cpu is not None and r1cpu >= TARGET_JIEBA_RATIO},
        {"name": "end-to-end throughput jobs=2 ÷ jobs=1", "value": r2, "target": f"≥ {TARGET_JOBS_RATIO}",
         "ok": r2 is not None and r2 >= TARGET_JOBS_RATIO},
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bench and print the table (or JSON)."""
    ap = argparse.ArgumentParser(
        description="Build throughput (reports/s, chars/s) against raw jieba, per-stage costs and peak memory.",
        epilog="Example: python bench/throughput.py --reports 200 --seed 1 --jobs 1,2",
    )
    ap.add_argument("--reports", type=int, default=200, help="reports to generate (default 200)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--chars", type=int, default=4000, help="characters per generated report (default 4000)")
    ap.add_argument("--gbk-share", type=float, default=0.1, help="share of generated reports in GB18030 (default 0.1)")
    ap.add_argument("--corpus", type=Path, help="use this folder of reports instead of generating one")
    ap.add_argument("--jobs", default="1,2", help="comma-separated jobs values to build with (default 1,2)")
    ap.add_argument("--no-stages", action="store_true", help="skip the per-stage breakdown run")
    ap.add_argument("--full", action="store_true",
                    help="time the build as `govkg build` runs it: SHACL validation of changed reports and the view too")
    ap.add_argument("--keep-out", metavar="DIR",
                    help="build into DIR and keep it (the last --jobs value's build), e.g. to time a rebuild")
    ap.add_argument("--compare-no-store", action="store_true",
                    help="also build without the store at the largest --jobs, to compare peak memory")
    ap.add_argument("--validate-reports", type=int, default=20,
                    help="validate (SHACL) the first K reports in the stage run; 0 skips (default 20)")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus (its path is printed)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    ap.add_argument("--_child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._child:
        return _child(args._child)
    try:
        jobs_list = sorted({int(x) for x in args.jobs.split(",") if x.strip()})
    except ValueError:
        ap.error("--jobs takes comma-separated integers, e.g. --jobs 1,2")
    if not jobs_list or min(jobs_list) < 1:
        ap.error("--jobs values must be ≥ 1")

    load_start = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    tmp: Path | None = None
    if args.corpus:
        corpus = args.corpus
        if not corpus.is_dir():
            ap.error(f"--corpus {corpus} is not a folder")
        source = f"corpus {corpus}"
    else:
        tmp = Path(tempfile.mkdtemp(prefix="govkg-bench-corpus-"))
        corpus = tmp
        _log(f"generating {args.reports} reports (seed {args.seed}) into {corpus} …")
        t = time.perf_counter()
        make_corpus.write_corpus(corpus, args.reports, args.seed, chars=args.chars, gbk_share=args.gbk_share)
        source = f"generated (seed {args.seed}, {time.perf_counter() - t:.1f} s) in {corpus}"
    try:
        paths = corpus_files(corpus)
        if not paths:
            ap.error(f"no .txt reports in {corpus}")
        _log("jieba.lcut reference …")
        jieba = jieba_reference(paths)
        supported = build_supports_jobs()
        builds: list[dict[str, Any]] = []
        for jobs in jobs_list:
            if jobs > 1 and not supported:
                _log(f"jobs={jobs} not supported yet")
                builds.append({"jobs": jobs, "unsupported": True})
                continue
            _log(f"build jobs={jobs} …")
            keep = args.keep_out if jobs == jobs_list[-1] else None
            if keep:
                shutil.rmtree(keep, ignore_errors=True)
            b = run_build_child(corpus, jobs, supported, full=args.full, keep_out=keep)
            if "seconds" in b:
                b["reports_per_s"] = b["reports"] / b["seconds"]
                b["chars_per_s"] = jieba["chars"] / b["seconds"]
                b["chars_per_cpu_s"] = jieba["chars"] / b["cpu_seconds"] if b["cpu_seconds"] else 0.0
            builds.append(b)
        if args.compare_no_store:
            _log(f"build jobs={jobs_list[-1]} without the store …")
            nostore = run_build_child(corpus, jobs_list[-1], supported, full=args.full, store=False)
            if "seconds" in nostore:
                nostore["reports_per_s"] = nostore["reports"] / nostore["seconds"]
                nostore["chars_per_s"] = jieba["chars"] / nostore["seconds"]
                nostore["chars_per_cpu_s"] = jieba["chars"] / nostore["cpu_seconds"] if nostore["cpu_seconds"] else 0.0
        result: dict[str, Any] = {
            "corpus": {"reports": len(paths), "chars": jieba["chars"], "source": source, "path": str(corpus)},
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_start": load_start},
            "jieba": jieba,
            "builds": builds,
            "build_supports_jobs": supported,
        }
        result["ratios"] = ratios(builds, jieba)
        if args.compare_no_store and "seconds" in nostore:
            result["no_store"] = nostore
            with_store = next((b for b in builds if b.get("jobs") == jobs_list[-1] and "seconds" in b), None)
            if with_store:
                m = with_store["peak_rss_mb"] / nostore["peak_rss_mb"]
                result["ratios"].append({"name": f"peak RSS with store ÷ without (jobs={jobs_list[-1]}, main process)",
                                         "value": m, "target": "≤ 2", "ok": m <= 2})
                # not a target: how much of the build's CPU the store is (the rest is the NLP)
                share = 1 - nostore["cpu_seconds"] / with_store["cpu_seconds"]
                result["ratios"].append({"name": f"  the store's share of the build's CPU (jobs={jobs_list[-1]})",
                                         "value": share, "target": "", "ok": True})
        done = [b for b in builds if "seconds" in b]
        if done:
            best = max(done, key=lambda b: b["chars_per_s"])
            result["projection"] = {"jobs": best["jobs"], "minutes": 10_000 * 4000 / best["chars_per_s"] / 60}
        if not args.no_stages:
            _log("stage breakdown …")
            result["stages"] = stage_run(paths, corpus, args.validate_reports)
        result["machine"]["load_end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    finally:
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
