"""graph.cli end to end: `govkg build` on good and bad input, in-process and as a real process."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Dataset, Graph
from typer.testing import CliRunner, Result

from graph.cli import app
from graph.vocab import DEFAULT_BASE, GOVKG, ONTOLOGY_IRI

pytestmark = [
    # rdflib 7.6's TriG/N-Quads plugins call its own deprecated Dataset API
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib"),
    # graph/store.py (work in progress; `build` writes the store) still calls Dataset.contexts()
    pytest.mark.filterwarnings(r"ignore:Dataset\.contexts is deprecated:DeprecationWarning:graph\.store"),
]

GOOD = (
    "咸宁市司法局2022年法治政府建设情况报告\n"
    "一、主要工作成效\n"
    "全年收到行政复议申请12件，全面推行证明事项告知承诺制，深入开展“减证便民”专项行动。\n"
)
OTHER = (
    "宜昌市生态环境局2022年法治政府建设情况报告\n"
    "认真贯彻落实《中华人民共和国长江保护法》，全年立案查处环境违法案件96起。\n"
)


def govkg(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every output file under a folder, by relative path, with its bytes.

    ``cache/`` is left out: it holds govkg's content-addressed per-report chunks, each written
    whole, which a later build reuses; no user reads it."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != "cache"
    }


def temporary_files(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".graph")]


def load(trig: Path) -> Dataset:
    ds = Dataset()
    ds.parse(trig, format="trig")
    return ds


def report_graphs(ds: Dataset) -> list[Graph]:
    return [g for g in ds.graphs() if g.identifier != ONTOLOGY_IRI and (None, RDF.type, GOVKG.Report) in g]


# -- the sample, in-process and as a real process ------------------------------------------------


def test_cli_build_sample_writes_graph_files_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = govkg("build", "--out", out, "--no-view")
    assert res.exit_code == 0, res.output
    trig, ttl = out / "graph.trig", out / "graph.ttl"
    ds = load(trig)
    (rep,) = report_graphs(ds)
    g = Graph().parse(ttl, format="turtle")
    assert len(g) >= len(rep) > 1000
    summary = res.stdout
    assert re.search(r"reports?\b[^\n]*\b1\b", summary)
    for kind in ("Agency", "Law", "Policy", "Initiative", "Place"):
        m = re.search(rf"{kind} (\d+)", summary)
        assert m, f"no {kind} count in the summary"
        assert int(m.group(1)) == len(set(rep.subjects(RDF.type, GOVKG[kind])))
    assert re.search(r"SHACL[^\n]*conforms", summary)
    assert re.search(r"time[^\n]*\d+(\.\d+)? ?s\b", summary)
    assert str(trig) in summary and str(ttl) in summary
    assert "Traceback" not in res.output


@pytest.mark.slow
def test_cli_build_runs_as_a_program(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "graph", "build", "--out", str(out), "--no-view"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert (out / "graph.trig").stat().st_size > 0
    assert (out / "graph.ttl").stat().st_size > 0
    assert str(out / "graph.trig") in proc.stdout
    assert len(report_graphs(load(out / "graph.trig"))) == 1


def test_cli_bad_input_as_a_program_is_one_line(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "graph", "build", "nosuch.txt", "--out", "out", "--no-view"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120, env={**os.environ, "GOVKG_DEBUG": ""},
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "nosuch.txt" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


# -- help -----------------------------------------------------------------------------------------

COMMANDS = [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]


def test_cli_has_commands() -> None:
    assert "build" in COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help_with_an_example(command: str) -> None:
    info = next(c for c in app.registered_commands if (c.name or c.callback.__name__.replace("_", "-")) == command)
    text = info.help or inspect.getdoc(info.callback) or ""
    assert text.strip(), f"`govkg {command}` has no help text"
    assert "Example" in text, f"`govkg {command}` help has no example"
    res = govkg(command, "--help")
    assert res.exit_code == 0
    assert "Example" in res.stdout


def test_cli_help_is_instant() -> None:
    # heavy libraries are imported by the commands that need them, not by `govkg --help`
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from graph.cli import app\n"
        "for args in [['--help']] + [[c, '--help'] for c in sys.argv[1:]]:\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0, args\n"
        "print(' '.join(m for m in ('spacy', 'jieba', 'pyshacl', 'pyvis', 'pyoxigraph') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, *COMMANDS], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_cli_root_help_lists_every_command() -> None:
    res = govkg("--help")
    assert res.exit_code == 0
    for command in COMMANDS:
        assert command in res.stdout


# -- bad input: one line on stderr naming the file, exit code 1 ------------------------------------

BAD_INPUTS = {
    "missing": None,
    "empty": b"",
    "blank": b" \n\t\n",
    "binary": bytes(range(256)) * 4,
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64),
    "latin-1": "Rapport d'activité - résumé à l'année".encode("latin-1"),
    "bad-utf8-after-bom": b"\xef\xbb\xbf" + "法治政府".encode() + b"\xff\xfe\xfa",
    "no-chinese": b"Annual report on the rule of law, 2022.\n",
    "not-a-report": "今天天气很好，我们一起去散步吧。\n".encode(),
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_cli_bad_input_is_one_line_naming_the_file(tmp_path: Path, kind: str) -> None:
    name = f"{kind}-report.txt"
    data = BAD_INPUTS[kind]
    path = tmp_path / name if data is None else write(tmp_path / name, data)
    out = tmp_path / "out"
    res = govkg("build", path, "--out", out, "--no-view")
    assert res.exit_code == 1
    assert res.stderr.endswith("\n") and res.stderr.count("\n") == 1, res.stderr
    assert name in res.stderr
    assert res.stderr.startswith("govkg: error:")
    assert "Traceback" not in res.output
    assert res.stdout == ""
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("content", [[], ["notes.pdf", "scan.docx"]], ids=["empty-folder", "no-txt"])
def test_cli_folder_without_reports_is_one_line(tmp_path: Path, content: list[str]) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in content:
        write(folder / name, b"%PDF-1.4")
    res = govkg("build", folder, "--out", tmp_path / "out", "--no-view")
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and str(folder) in res.stderr
    assert "Traceback" not in res.output


def test_cli_bad_base_iri_is_one_line(tmp_path: Path) -> None:
    res = govkg("build", write(tmp_path / "r.txt", GOOD), "--out", tmp_path / "out", "--base-iri", "https://example.org/kg")
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "https://example.org/kg" in res.stderr


# -- batches --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [("binary.txt", bytes(range(256)) * 4), ("empty.txt", b""), ("latin.txt", "résumé".encode("latin-1"))],
    ids=["binary", "empty", "undecodable"],
)
def test_cli_batch_skips_the_bad_report_and_builds_the_rest(tmp_path: Path, bad: tuple[str, bytes]) -> None:
    folder = tmp_path / "reports"
    write(folder / "a-good.txt", GOOD)
    write(folder / bad[0], bad[1])
    write(folder / "z-other.txt", OTHER)
    out = tmp_path / "out"
    res = govkg("build", folder, "--out", out, "--no-view")
    assert res.exit_code == 0, res.output
    assert re.search(r"reports?\b[^\n]*\b2\b", res.stdout)
    # files and reports each counted in their own unit
    assert "2 in the graph, from 2 files (2 added, 0 changed, 0 unchanged); 1 file skipped (below)" in res.stdout
    skipped = [line for line in res.stderr.splitlines() if bad[0] in line]
    assert len(skipped) == 1 and "skipped" in skipped[0]
    graphs = report_graphs(load(out / "graph.trig"))
    assert sorted(str(f) for g in graphs for f in g.objects(None, GOVKG.sourceFile)) == ["a-good.txt", "z-other.txt"]


def test_cli_same_text_twice_is_built_once(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    write(folder / "a.txt", GOOD)
    write(folder / "b-copy.txt", GOOD.replace("\n", "\r\n"))  # same text, other name and line ends
    out = tmp_path / "out"
    res = govkg("build", folder, "--out", out, "--no-view")
    assert res.exit_code == 0, res.output
    assert re.search(r"reports?\b[^\n]*\b1\b", res.stdout)
    dup = [line for line in res.output.splitlines() if "duplicate" in line]
    assert len(dup) == 1 and "b-copy.txt" in dup[0] and "a.txt" in dup[0]
    assert len(report_graphs(load(out / "graph.trig"))) == 1


def test_cli_same_file_named_twice_is_read_once(tmp_path: Path) -> None:
    report = write(tmp_path / "r.txt", GOOD)
    res = govkg("build", report, tmp_path, "--out", tmp_path / "out", "--no-view")
    assert res.exit_code == 0, res.output
    assert "duplicate" not in res.output
    assert len(report_graphs(load(tmp_path / "out" / "graph.trig"))) == 1


# -- the output folder ----------------------------------------------------------------------------


def test_cli_failed_build_leaves_the_output_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out / "graph.trig", "# the previous build\n")
    write(out / "graph.ttl", "# the previous build\n")
    write(out / "notes.md", "mine")
    before = snapshot(out)
    res = govkg("build", write(tmp_path / "bad.txt", bytes(range(256))), write(tmp_path / "empty.txt", b""), "--out", out, "--no-view")
    assert res.exit_code == 1
    assert snapshot(out) == before


def test_cli_build_failing_while_writing_leaves_the_output_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write(out / "graph.trig", "# the previous build\n")
    write(out / "graph.ttl", "# the previous build\n")
    before = snapshot(out)
    import graph.corpus

    def half_written(fh, chunks, ontology):  # type: ignore[no-untyped-def]
        fh.write(b"@prefix half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(graph.corpus, "write_turtle", half_written)
    res = govkg("build", write(tmp_path / "r.txt", GOOD), "--out", out, "--no-view")
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "No space left" in res.stderr
    assert snapshot(out) == before
    assert temporary_files(out) == []


def test_cli_no_temporary_files_left_after_a_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = govkg("build", write(tmp_path / "r.txt", GOOD), "--out", out, "--no-view")
    assert res.exit_code == 0, res.output
    assert temporary_files(out) == []
    assert {"graph.trig", "graph.ttl"} <= {p.name for p in out.iterdir()}


def test_cli_output_files_have_normal_permissions(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = govkg("build", write(tmp_path / "r.txt", GOOD), "--out", out, "--no-view")
    assert res.exit_code == 0, res.output
    umask = os.umask(0)
    os.umask(umask)
    for name in ("graph.trig", "graph.ttl"):
        assert (out / name).stat().st_mode & 0o777 == 0o666 & ~umask


def test_cli_rebuild_replaces_the_graph(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert govkg("build", write(tmp_path / "a" / "r.txt", GOOD), "--out", out, "--no-view").exit_code == 0
    assert govkg("build", write(tmp_path / "b" / "r.txt", OTHER), "--out", out, "--no-view").exit_code == 0
    (rep,) = report_graphs(load(out / "graph.trig"))
    titles = {str(t) for t in rep.objects(None, rdflib.DCTERMS.title)}
    assert titles == {OTHER.splitlines()[0]}


def test_cli_base_iri_changes_the_iris(tmp_path: Path) -> None:
    base = "https://example.org/kg/"
    out = tmp_path / "out"
    res = govkg("build", write(tmp_path / "r.txt", GOOD), "--out", out, "--no-view", "--base-iri", base)
    assert res.exit_code == 0, res.output
    (rep,) = report_graphs(load(out / "graph.trig"))
    assert str(rep.identifier).startswith(base)
    minted = {str(x) for t in rep for x in t if isinstance(x, rdflib.URIRef) and not str(x).startswith(str(GOVKG._NS))}
    ours = {x for x in minted if x.startswith(base)}
    assert len(ours) > 5
    assert not {x for x in minted if x.startswith(DEFAULT_BASE)}


def test_cli_build_shacl_violation_fails_with_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A graph that violates the shapes fails the build, prints pyshacl's report, writes nothing."""
    import graph.validate

    strict = Graph()
    strict.parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix govkg: <https://w3id.org/govkg/ontology#> .
        <urn:test:AgencyNeedsCategory> a sh:NodeShape ; sh:targetClass govkg:Agency ;
            sh:property [ sh:path govkg:lawCategory ; sh:minCount 1 ] .
        """,
        format="turtle",
    )
    monkeypatch.setattr(graph.validate, "shapes_graph", lambda: strict)
    out = tmp_path / "out"
    write(out / "graph.trig", "# the previous build\n")
    before = snapshot(out)
    res = govkg("build", write(tmp_path / "r.txt", GOOD), "--out", out, "--no-view")
    assert res.exit_code == 1
    first, _, rest = res.stderr.partition("\n")
    assert first.startswith("govkg: error:") and "does not conform" in first
    assert "Validation Report" in rest and "lawCategory" in rest
    assert "Traceback" not in res.output
    assert snapshot(out) == before


# -- names that would break lines, folders that cannot be read (issue 13) -------------------------


def test_cli_names_with_newlines_are_printed_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    write(folder / "a-good.txt", GOOD)
    write(folder / "bad\nreports: 99 in the graph.txt", b"")
    write(folder / "tab\there.txt", bytes(range(256)))
    res = govkg("build", folder, "--out", tmp_path / "out", "--no-view", "--report-errors", tmp_path / "errors.tsv")
    assert res.exit_code == 0, res.output
    assert "reports: 99" not in res.stdout.splitlines()
    skipped = [line for line in res.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 2
    assert any("bad\\nreports: 99 in the graph.txt: " in line for line in skipped)
    assert any("tab\\there.txt: " in line for line in skipped)
    assert len((tmp_path / "errors.tsv").read_text(encoding="utf-8").splitlines()) == 2


def test_cli_bad_file_with_a_newline_in_its_name_is_one_line(tmp_path: Path) -> None:
    res = govkg("build", write(tmp_path / "two\nlines.txt", b""), "--out", tmp_path / "out", "--no-view")
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "two\\nlines.txt" in res.stderr


def test_cli_unreadable_subfolder_is_listed_as_skipped(tmp_path: Path, make_unreadable) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "reports"
    write(folder / "a-good.txt", GOOD)
    write(folder / "locked" / "b.txt", OTHER)
    locked = make_unreadable(folder / "locked")
    res = govkg("build", folder, "--out", tmp_path / "out", "--no-view")
    assert res.exit_code == 0, res.output
    lines = [line for line in res.stderr.splitlines() if str(locked) in line]
    assert len(lines) == 1 and "skipped" in lines[0] and "permission denied" in lines[0]
    assert re.search(r"reports:\s+1 in the graph.*1 file skipped", res.stdout)


def test_cli_version() -> None:
    from graph import __version__

    res = govkg("--version")
    assert res.exit_code == 0 and res.stdout.strip() == f"govkg {__version__}"
