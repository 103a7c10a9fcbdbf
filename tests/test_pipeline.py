"""graph.pipeline under faults: two builds into one folder, dead workers, a full disk, a
read-only folder, reports too long, bad base IRIs."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import RDF, Dataset
from typer.testing import CliRunner

from graph import corpus
from graph.cli import app
from graph.errors import GovkgError, InputError, StoreError
from graph.extraction import extract_document
from graph.pipeline import LOCK_FILE, BuildLock, build, check_base
from graph.read import read_text
from graph.vocab import GOVKG, ONTOLOGY_IRI

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib"),
    pytest.mark.filterwarnings(r"ignore:Dataset\.contexts is deprecated:DeprecationWarning:graph\.store"),
]

CITIES = ["咸宁市", "宜昌市", "荆州市", "监利市", "洪湖市", "武汉市", "黄石市", "十堰市", "襄阳市", "鄂州市",
          "荆门市", "孝感市"]


def report(city: str, n: int = 12) -> str:
    return (
        f"{city}司法局2022年法治政府建设情况报告\n"
        "一、主要工作成效\n"
        f"全年收到行政复议申请{n}件，认真贯彻落实《中华人民共和国行政复议法》，全面推行证明事项告知承诺制。\n"
    )


def corpus_dir(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"r{i:02d}.txt").write_text(report(CITIES[i % len(CITIES)], i + 1), encoding="utf-8")
    return folder


def report_graphs(trig: Path) -> set[str]:
    ds = Dataset()
    ds.parse(trig, format="trig")
    return {str(g.identifier) for g in ds.graphs()
            if g.identifier != ONTOLOGY_IRI and (None, RDF.type, GOVKG.Report) in g}


def store_graphs(out: Path) -> set[str]:
    from graph.store import open_store

    db = open_store(out / "store", read_only=True)
    try:
        return {g.value for g in db.named_graphs()} - {str(ONTOLOGY_IRI)}
    finally:
        del db


def govkg(*args: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, bytes]:
    """The output files by relative path with their bytes; of the store only its folders (the
    engine rewrites its own log and options files whenever it opens a store)."""
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
             if p.is_file() and p.relative_to(folder).parts[0] not in ("store", "stores")}
    stores = folder / "stores"
    files.update({f"stores/{p.name}/": b"" for p in stores.iterdir()} if stores.is_dir() else {})
    return files


# -- the lock: one build at a time into one folder -------------------------------------------


def test_pipeline_second_build_with_no_wait_names_the_holder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    src = tmp_path / "r.txt"
    src.write_text(report("咸宁市"), encoding="utf-8")
    with BuildLock(out):
        res = govkg("build", src, "--out", out, "--no-view", "--no-wait")
        assert res.exit_code == 1
        assert res.stderr.count("\n") == 1, res.stderr
        assert f"pid {os.getpid()}" in res.stderr and str(out) in res.stderr and "--no-wait" in res.stderr
        assert not (out / "manifest.json").exists()
    assert not (out / LOCK_FILE).exists()


def test_pipeline_lock_of_a_dead_build_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # what a build killed with SIGKILL leaves: the file, with no process holding its flock
    (out / LOCK_FILE).write_text(json.dumps({"pid": 2**22 + 7, "started": "2026-01-01T00:00:00+00:00"}))
    src = tmp_path / "r.txt"
    src.write_text(report("咸宁市"), encoding="utf-8")
    res = build([src], out, view=False, store=False, validate=False, wait=False)
    assert res.reports == 1
    assert not (out / LOCK_FILE).exists()


def test_pipeline_waiting_build_is_told_and_then_builds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    src = tmp_path / "r.txt"
    src.write_text(report("咸宁市"), encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from graph.pipeline import BuildLock\n"
         "with BuildLock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(3)\n", str(out)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        told: list[str] = []
        t0 = time.monotonic()
        res = build([src], out, view=False, store=False, validate=False, on_wait=told.append)
        assert time.monotonic() - t0 >= 1.0
        assert res.reports == 1
        assert len(told) == 1 and f"pid {holder.pid}" in told[0] and "waiting" in told[0]
    finally:
        holder.communicate(timeout=30)


@pytest.mark.slow
def test_pipeline_two_processes_building_into_one_folder_do_not_mix(tmp_path: Path) -> None:
    """The issue's reproduction: a large build and a one-report build started while it runs,
    into the same folder. Before the lock both exited 0 and the folder held some of each."""
    big = corpus_dir(tmp_path / "big", 12)
    small = tmp_path / "small"
    small.mkdir()
    (small / "only.txt").write_text(report("十堰市", 99), encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "graph", "build", "--out", str(out), "--no-view"]
    a = subprocess.Popen([*cmd, str(big)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (out / LOCK_FILE).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    b = subprocess.Popen([*cmd, str(small)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out_a, err_a = a.communicate(timeout=300)
    out_b, err_b = b.communicate(timeout=300)
    assert a.returncode == 0, err_a
    assert b.returncode == 0, err_b
    assert "waiting for another build (pid" in err_b
    # the last build into the folder is what the folder holds, everywhere
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [Path(k).name for k in manifest["files"]] == ["only.txt"]
    graphs = report_graphs(out / "graph.trig")
    assert len(graphs) == 1
    assert store_graphs(out) == graphs
    again = subprocess.run([*cmd, str(small)], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "store:          unchanged" in again.stdout
    assert store_graphs(out) == graphs


# -- workers that die -------------------------------------------------------------------------


def _killing(real, marker: Path | None):  # type: ignore[no-untyped-def]
    """extract_chunk that kills its own worker on the report named kill-me (once if ``marker``)."""

    def extract(path: str, base: str, max_chars: int = 0):  # type: ignore[no-untyped-def]
        if "kill-me" in path and (marker is None or not marker.exists()):
            if marker is not None:
                marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, base, max_chars)

    return extract


class _Alarm:
    """Fail a test that hangs (as the build did when a worker died) instead of hanging the suite."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        def ring(signum: int, frame: object) -> None:
            raise TimeoutError(f"still running after {self.seconds} s: the build hangs")

        self.previous = signal.signal(signal.SIGALRM, ring)
        signal.alarm(self.seconds)

    def __exit__(self, *exc: object) -> None:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.previous)


def test_corpus_worker_killed_mid_batch_is_retried_in_a_fresh_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = corpus_dir(tmp_path / "reports", 10)
    (folder / "r03.txt").rename(folder / "r03-kill-me.txt")
    monkeypatch.setattr(corpus, "extract_chunk", _killing(corpus.extract_chunk, tmp_path / "killed-once"))
    with _Alarm(240):
        results = list(corpus.map_chunks(sorted(str(p) for p in folder.iterdir()), jobs=2, batch=3))
    assert (tmp_path / "killed-once").exists()
    assert len(results) == 10
    assert all(isinstance(r, corpus.Chunk) for r in results), [r for r in results if isinstance(r, corpus.Failure)]
    assert [Path(r.path).name for r in results] == sorted(p.name for p in folder.iterdir())


def test_corpus_report_that_kills_every_worker_fails_by_name_and_the_rest_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = corpus_dir(tmp_path / "reports", 6)
    (folder / "r02.txt").rename(folder / "r02-kill-me.txt")
    monkeypatch.setattr(corpus, "extract_chunk", _killing(corpus.extract_chunk, None))
    out = tmp_path / "out"
    with _Alarm(300):
        res = build([folder], out, view=False, validate=False, jobs=2)
    assert res.reports == 5
    assert [(Path(s.path).name, s.reason) for s in res.skipped] == [("r02-kill-me.txt", corpus.WORKER_DIED)]


def long_report(city: str, i: int, lines: int = 60) -> str:
    """A report of some 6,000 characters: long enough that a worker is killed mid-batch."""
    body = "".join(
        f"（{k}）{city}司法局认真贯彻落实《中华人民共和国行政复议法》，全年收到行政复议申请{i * 100 + k}件，"
        f"全面推行证明事项告知承诺制，开展法治宣传活动{k + 3}场。\n"
        for k in range(lines)
    )
    return f"{city}司法局2022年法治政府建设情况报告\n一、主要工作成效\n{body}"


REAL_KILL_REPORTS = 72


@pytest.mark.slow
def test_corpus_sigkill_of_a_real_worker_does_not_hang_the_build(tmp_path: Path) -> None:
    """The issue's reproduction: SIGKILL one worker of `govkg build --jobs 2` while it extracts,
    as the OOM killer would. Before, the build sat at 0% CPU forever; now the lost batch is
    done again."""
    folder = tmp_path / "reports"
    folder.mkdir()
    # enough reports that each worker is still extracting well past its 2 s of start-up
    for i in range(REAL_KILL_REPORTS):
        (folder / f"r{i:02d}.txt").write_text(long_report(CITIES[i % len(CITIES)], i), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "graph", "build", str(folder), "--out", str(out), "--no-view",
                             "--no-validate", "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and time.monotonic() < deadline and proc.poll() is None:
        for kid in _children(proc.pid):
            if _cpu_seconds(kid) > 2.0:  # past loading the pipeline: extracting its batch
                os.kill(kid, signal.SIGKILL)
                killed = kid
                break
        time.sleep(0.05)
    try:
        stdout, stderr = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        proc.kill()
        for kid in _children(proc.pid):
            os.kill(kid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the build hangs after one of its workers was killed")
    assert killed is not None, "no worker process was seen extracting"
    assert proc.returncode == 0, stderr
    assert re.search(rf"reports:\s+{REAL_KILL_REPORTS} in the graph", stdout), stdout
    assert len(report_graphs(out / "graph.trig")) == REAL_KILL_REPORTS


def _cpu_seconds(pid: int) -> float:
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    kids = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                status = (p / "status").read_text()
            except OSError:
                continue
            m = re.search(r"^PPid:\s+(\d+)$", status, re.M)
            if m and int(m.group(1)) == pid:
                kids.append(int(p.name))
    return kids


# -- a full disk, a read-only folder ------------------------------------------------------------


def _limited_build(folder: Path, out: Path, limit: int) -> subprocess.CompletedProcess[str]:
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "graph", "build", str(folder), "--out", str(out), "--no-view",
                           "--no-validate"], capture_output=True, text=True, timeout=300, preexec_fn=preexec)


def test_pipeline_disk_full_is_one_line_and_removes_what_the_build_wrote(tmp_path: Path) -> None:
    folder = corpus_dir(tmp_path / "reports", 2)
    out = tmp_path / "out"
    first = subprocess.run([sys.executable, "-m", "graph", "build", str(folder), "--out", str(out), "--no-view",
                            "--no-validate"], capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    corpus_dir(tmp_path / "reports", 6)  # four new reports: their chunks are small, graph.trig is not
    size = (out / "graph.trig").stat().st_size
    res = _limited_build(folder, out, size)  # no file may grow past what graph.trig is now
    assert res.returncode == 1, res.stdout
    assert res.stderr.count("\n") == 1, res.stderr
    assert "disk is full" in res.stderr and str(out) in res.stderr and "free some space" in res.stderr
    assert "internal error" not in res.stderr
    assert snapshot(out) == before  # no new chunk in cache/, no temporary file, no new store
    again = subprocess.run([sys.executable, "-m", "graph", "build", str(folder), "--out", str(out), "--no-view",
                            "--no-validate"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert len(report_graphs(out / "graph.trig")) == 6


def test_pipeline_disk_full_while_writing_a_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.pipeline as pipeline

    folder = corpus_dir(tmp_path / "reports", 3)
    out = tmp_path / "out"
    real = pipeline.atomic_write
    calls = []

    def full(path: Path, write):  # type: ignore[no-untyped-def]
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        return real(path, write)

    monkeypatch.setattr(pipeline, "atomic_write", full)
    with pytest.raises(GovkgError, match=r"the disk is full .*free some space") as err:
        build([folder], out, view=False, validate=False)
    assert "\n" not in str(err.value)
    assert not out.exists()  # it made the folder, and removed it with what it wrote


def _read_only_mount(path: Path) -> bool:
    path.mkdir()
    if os.geteuid() != 0:
        os.chmod(path, 0o555)
        return True
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(path)], capture_output=True)
    return ok.returncode == 0


def test_pipeline_read_only_out_is_one_line_up_front(tmp_path: Path) -> None:
    out = tmp_path / "ro"
    if not _read_only_mount(out):
        pytest.skip("cannot make a read-only folder here (root without mount)")
    try:
        src = tmp_path / "r.txt"
        src.write_text(report("咸宁市"), encoding="utf-8")
        res = govkg("build", src, "--out", out, "--no-view")
        assert res.exit_code == 1
        assert res.stderr.count("\n") == 1 and str(out) in res.stderr and "cannot write" in res.stderr, res.stderr
        assert "internal error" not in res.stderr
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", str(out)], check=False)
        else:
            os.chmod(out, 0o755)


# -- reports too long, bad base IRIs -----------------------------------------------------------


def test_pipeline_report_above_max_chars_is_refused_before_nlp(monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.nlp

    def never(*a: object, **k: object) -> None:
        raise AssertionError("NLP ran on a report above --max-chars")

    monkeypatch.setattr(graph.nlp, "annotate", never)
    doc = read_text(report("咸宁市") * 100, path="long.txt")
    with pytest.raises(InputError, match=r"long\.txt: is [\d,]+ characters long, more than --max-chars 1,000"):
        extract_document(doc, max_chars=1_000)


def test_pipeline_report_above_spacys_max_length_gives_no_e088() -> None:
    from graph.nlp import get_nlp

    nlp = get_nlp()
    before = nlp.max_length
    nlp.max_length = 500  # as if the report were above spaCy's million
    try:
        ex = extract_document(read_text(report("咸宁市") * 8, path="r.txt"))
        assert ex.entities
    finally:
        nlp.max_length = max(before, nlp.max_length)


def test_pipeline_batch_skips_the_report_above_max_chars(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(report("咸宁市"), encoding="utf-8")
    (folder / "b-long.txt").write_text(report("宜昌市") * 40, encoding="utf-8")
    res = govkg("build", folder, "--out", tmp_path / "out", "--no-view", "--max-chars", "2000")
    assert res.exit_code == 0, res.output
    lines = [x for x in res.stderr.splitlines() if "b-long.txt" in x]
    assert len(lines) == 1 and "more than --max-chars 2,000" in lines[0] and "E088" not in res.output


@pytest.mark.parametrize("base", ["not an iri/", "http://exa mple.org/", "example.org/kg/", "http://a/<x>/",
                                  "http://[::1/", "http://a/%zz/"])
def test_pipeline_bad_base_iri_is_one_line_up_front(tmp_path: Path, base: str) -> None:
    src = tmp_path / "r.txt"
    src.write_text(report("咸宁市"), encoding="utf-8")
    res = govkg("build", src, "--out", tmp_path / "out", "--no-view", "--base-iri", base)
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "--base-iri" in res.stderr and repr(base) in res.stderr, res.stderr
    assert "internal error" not in res.stderr and "please report" not in res.stderr
    assert not (tmp_path / "out").exists()


def test_pipeline_check_base_accepts_iris() -> None:
    for base in ("https://example.org/kg/", "urn:govkg:kg/", "https://例子.中国/kg#", "http://[::1]/kg/"):
        check_base(base)


def test_pipeline_lock_error_is_a_store_error(tmp_path: Path) -> None:
    with BuildLock(tmp_path), pytest.raises(StoreError, match="another build"):
        BuildLock(tmp_path, wait=False).acquire()


# -- validation where the report is extracted ------------------------------------------------------


_VALIDATION_PROBE = """\
import sys
from pathlib import Path
from graph.pipeline import build
res = build(sorted(Path(sys.argv[1]).iterdir()), Path(sys.argv[2]), view=False, jobs=2, validate_limit=3)
print(res.validation)
print("pyshacl in the main process:", "pyshacl" in sys.modules)
"""


def test_pipeline_jobs_validate_the_sample_in_the_workers(tmp_path: Path) -> None:
    """With --jobs the sampled reports are validated in the worker processes, beside the NLP,
    not after it in the main process: the build's own process never imports pyshacl."""
    folder = corpus_dir(tmp_path / "reports", 6)
    run = subprocess.run([sys.executable, "-c", _VALIDATION_PROBE, str(folder), str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    summary, probe = run.stdout.strip().splitlines()[-2:]
    assert summary.startswith("conforms (") and summary.endswith("a sample of 3 of 6 changed reports")
    assert int(summary.split("(")[1].split()[0]) > 300  # the triples of three reports were checked
    assert probe == "pyshacl in the main process: False"


def test_pipeline_a_violation_found_in_a_worker_fails_the_build_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shapes every Agency violates (forked workers see the patched shapes): the build fails,
    naming a report file, with pyshacl's text; no store or file goes live."""
    from rdflib import Graph

    import graph.validate
    from graph.errors import ValidationError

    strict = Graph()
    strict.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix govkg: <https://w3id.org/govkg/ontology#> .
        <urn:test:AgencyNeedsCategory> a sh:NodeShape ; sh:targetClass govkg:Agency ;
            sh:property [ sh:path govkg:lawCategory ; sh:minCount 1 ] .
        """, format="turtle")
    monkeypatch.setattr(graph.validate, "shapes_graph", lambda: strict)
    folder = corpus_dir(tmp_path / "reports", 4)
    out = tmp_path / "out"
    with pytest.raises(ValidationError) as err:
        build(sorted(folder.iterdir()), out, view=False, jobs=2)
    assert re.search(r"the graph of \S*r0\d\.txt does not conform", str(err.value))
    assert "(and 3 more report(s))" in str(err.value)
    assert "lawCategory" in err.value.report_text
    assert not (out / "graph.trig").exists() and not (out / "store").exists()
