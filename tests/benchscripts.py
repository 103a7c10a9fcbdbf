"""Import a script of bench/ from its path, for the tests of the bench scripts (bench/ is
scripts, not a package)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


@contextmanager
def bench_script(stem: str, name: str | None = None) -> Iterator[ModuleType]:
    """``bench/<stem>.py`` as a module named ``name`` (``govkg_bench_<stem>``), registered in
    ``sys.modules`` while in use (dataclasses look their module up while a class is made)."""
    name = name or f"govkg_bench_{stem}"
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{stem}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(name, None)
