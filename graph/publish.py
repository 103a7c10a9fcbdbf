"""Publishing files: how every file govkg writes reaches its final name whole or not at all.

A file is written under a temporary sibling name and moved into place with an atomic rename,
so a reader (``govkg serve``, a notebook) never sees a half-written file and a build that fails
or is killed leaves the previous file as it was. The temporary names carry the writer's pid, so
the next build can tell the leftovers of a killed build (removed by :func:`remove_stale`) from
the files of a build still running.

This module is the bottom of govkg's stack: the build (:mod:`graph.pipeline`), the corpus
bookkeeping (:mod:`graph.corpus`), the store, the view and ``push`` all write through it, so
it imports nothing from govkg.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["atomic_write", "set_default_mode", "tmp_prefix", "STALE", "remove_stale"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def set_default_mode(tmp: str | Path) -> None:
    """Give a finished temporary file the mode a normally created file would have
    (mkstemp makes it 0600, which would hide the output from other users)."""
    os.chmod(tmp, 0o666 & ~_umask())


def tmp_prefix(name: str) -> str:
    """Temporary files carry their writer's process id, so that a later build can tell those
    a killed build left (see :func:`remove_stale`) from those of a build still running."""
    return f".{name}.{os.getpid()}."


#: The temporary names of a build's own files in OUT and OUT/cache, with the writer's pid.
STALE = re.compile(r"^\.(?:graph\.(?:trig|ttl|html)|manifest\.json|store|[0-9a-f]{16}(?:\.store)?\.ttl)\.(\d+)\.(?:\w+\.)?tmp$")


def remove_stale(folder: Path) -> None:
    """Remove the temporary files of builds that were killed before they finished."""
    if not folder.is_dir():
        return
    for p in folder.iterdir():
        m = STALE.match(p.name)
        if m is None or int(m.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(m.group(1)), 0)
        except ProcessLookupError:
            p.unlink(missing_ok=True)
        except (PermissionError, OverflowError):  # alive (someone else's), or no pid at all
            continue


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Write a file through a temporary sibling and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=tmp_prefix(path.name), suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        set_default_mode(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
