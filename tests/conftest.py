"""Shared fixtures: the sample report built once per test session, and small report texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.extraction import extract
from graph.model import Extraction
from graph.pipeline import BuildResult, build, sample_path


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The bundled sample report built into a temporary output folder (once per session)."""
    out = tmp_path_factory.mktemp("sample-out")
    return build(None, out)


@pytest.fixture(scope="session")
def sample_trig(sample_build: BuildResult) -> Path:
    """Path of graph.trig built from the sample report."""
    return sample_build.files["trig"]


@pytest.fixture(scope="session")
def sample_extraction() -> Extraction:
    """The sample report's extraction (entities, relations, statistics)."""
    return extract(sample_path())


@pytest.fixture
def write_report(tmp_path: Path):
    """Write a report text to a file and return its path: write_report(text, name=..., encoding=...)."""

    def write(text: str, name: str = "report.txt", encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.write_bytes(text.encode(encoding))
        return p

    return write


@pytest.fixture
def make_unreadable(monkeypatch: pytest.MonkeyPatch):
    """make_unreadable(folder): the folder cannot be listed, as it would be for a user without the
    right (root reads every folder, so there listing it is made to fail); restored afterwards."""
    import os

    locked: list[Path] = []

    def lock(folder: Path) -> Path:
        locked.append(folder)
        if os.geteuid() == 0:
            real = os.scandir

            def scandir(path: object = ".") -> object:
                if Path(str(path)) in locked:
                    raise PermissionError(13, "Permission denied", str(path))
                return real(path)  # type: ignore[arg-type]

            monkeypatch.setattr(os, "scandir", scandir)
        else:
            folder.chmod(0)
        return folder

    yield lock
    for folder in locked:
        folder.chmod(0o755)
