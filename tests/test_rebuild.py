"""A rebuild where nothing changed: it reads the manifest, stats the files and leaves every file
as the last build wrote it, without loading spaCy, pyshacl or the lexicons (issue 12)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.pipeline import build

DATA = Path(__file__).parent / "data"
FILES = ("graph.trig", "graph.ttl", "graph.html", "manifest.json")


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("sifaju-suining-2022.txt", "shengtai-yichang-2022.txt"):
        shutil.copy(DATA / name, reports / name)
    out = tmp_path / "out"
    build([reports], out)
    return reports, out


def stamps(out: Path) -> dict[str, int]:
    return {name: (out / name).stat().st_mtime_ns for name in FILES}


def test_rebuild_unchanged_rewrites_nothing_and_loads_no_nlp(built: tuple[Path, Path]) -> None:
    reports, out = built
    before = stamps(out)
    code = (
        "import sys; from graph import build; "
        f"r = build([{str(reports)!r}], {str(out)!r}); "
        "print(r.reports, *(m in sys.modules for m in ('spacy', 'pyshacl', 'jieba')), "
        "'graph.lexicon' in sys.modules and sys.modules['graph.lexicon'].lexicons.cache_info().currsize > 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.split() == ["2", "False", "False", "False", "False"]  # nor are the lexicons loaded
    assert stamps(out) == before


def test_rebuild_unchanged_writes_a_missing_file_again(built: tuple[Path, Path]) -> None:
    reports, out = built
    (out / "graph.html").unlink()
    trig = (out / "graph.trig").stat().st_mtime_ns
    res = build([reports], out)
    assert (out / "graph.html").is_file() and res.files["html"] == out / "graph.html"
    assert (out / "graph.trig").stat().st_mtime_ns == trig


def test_rebuild_after_a_change_writes_the_files(built: tuple[Path, Path]) -> None:
    reports, out = built
    before = stamps(out)
    with (reports / "sifaju-suining-2022.txt").open("a", encoding="utf-8") as fh:
        fh.write("\n全年办理行政复议案件26件。\n")
    build([reports], out)
    after = stamps(out)
    assert all(after[name] != before[name] for name in FILES)
