"""The build: what runs in what order, from paths in to validated RDF files out.

This module orchestrates and does little of the work itself. Data flows one way through the
modules it calls: read -> nlp -> resolve (:mod:`graph.extraction`, one report at a time, in
the workers :mod:`graph.corpus` runs) -> rdf -> chunks (:mod:`graph.corpus`: the manifest, the
cache, batches) -> files / store / view, each written through :mod:`graph.publish`. None of
those modules imports this one (``tests/test_imports.py`` checks), so the order of a build is
decided here and only here.

One report or ten thousand take the same path. A build holds a :class:`BuildLock` on its output
folder; output files are written to temporary names and moved into place only when all of them
are written (and validation has passed), so a failed build never leaves half-written output and
never loses the previous files.
"""

from __future__ import annotations

import datetime as _dt
import errno
import fcntl
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import GovkgError, InputError, StoreError, ValidationError, shown
from .extraction import DEFAULT_MAX_CHARS
from .publish import atomic_write, remove_stale, set_default_mode, tmp_prefix
from .vocab import DEFAULT_BASE, ONTOLOGY_IRI

if TYPE_CHECKING:
    from .corpus import Manifest
    from .validate import Conformance

__all__ = [
    "BuildResult",
    "Skipped",
    "sample_path",
    "build",
    "BuildLock",
    "LOCK_FILE",
]

#: The summary counts of the store as of its last generation (:func:`graph.corpus.entity_counts`).
COUNTS_FILE = ".govkg-counts.json"

#: The lock file of a build in OUT: held (flock) for the whole build, removed at its end.
LOCK_FILE = ".govkg-build.lock"


@dataclass(frozen=True)
class Skipped:
    """A file the build did not take, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class BuildResult:
    """What a build did: counts for the summary and where the files are."""

    out_dir: Path
    files: dict[str, Path]
    reports: int
    entity_counts: dict[str, int]
    relations: int
    statistics: int
    triples: int
    validation: str
    conforms: bool
    seconds: float
    skipped: tuple[Skipped, ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()  # (file, file it repeats)
    extras: dict[str, str] = field(default_factory=dict)


def sample_path() -> Path:
    """The sample report bundled with govkg (监利市 2021 法治政府建设 report)."""
    return Path(str(files("graph").joinpath("data/sample/jianli-2021-fazhi-report.txt")))


class BuildLock:
    """An exclusive lock on an output folder for the whole of one build.

    Two builds into one folder would interleave their manifests, chunks and store updates
    (each exits 0 and the folder ends up holding neither build), so a build takes
    ``OUT/.govkg-build.lock`` with ``flock`` and writes its pid and start time into it for the
    message of a build that has to wait. The kernel drops a flock when its holder dies, so the
    lock of a killed build is taken over without anyone deleting a file; readers (``govkg
    serve``, ``govkg query``, ``govkg push``) do not take it and keep reading while a build runs.

    Examples:
        >>> import tempfile
        >>> with BuildLock(Path(tempfile.mkdtemp())) as lock:
        ...     lock.holder()["pid"] == os.getpid()
        True
    """

    def __init__(self, out_dir: Path, *, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> None:
        self.out_dir = out_dir
        self.path = out_dir / LOCK_FILE
        self.wait = wait
        self.on_wait = on_wait
        self._fd: int | None = None

    def holder(self) -> dict[str, object]:
        """What the lock file says of the build holding it (empty if unreadable)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _describe(self) -> str:
        h = self.holder()
        if not h:
            return "another build"
        return f"another build (pid {h.get('pid', '?')}, started {h.get('started', '?')})"

    def acquire(self) -> BuildLock:
        """Take the lock, waiting for the build that holds it unless ``wait`` is false.

        Raises:
            StoreError: ``wait`` is false and another build holds the lock.
        """
        self.out_dir.mkdir(parents=True, exist_ok=True)
        told = False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    who = self._describe()
                    if not self.wait:
                        raise StoreError(
                            f"{who} is writing into this folder; wait for it to finish, build into another "
                            "--out, or drop --no-wait to wait for it",
                            path=self.out_dir,
                        ) from None
                    if self.on_wait is not None and not told:
                        self.on_wait(f"{self.out_dir}: waiting for {who} to finish (Ctrl-C to give up)")
                        told = True
                    fcntl.flock(fd, fcntl.LOCK_EX)
                # the holder removes the file as it lets go: a lock on a file no longer at the
                # path locks nothing, so take the one now there
                try:
                    same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
                if not same:
                    os.close(fd)
                    continue
                info = {"pid": os.getpid(), "started": _dt.datetime.now().astimezone().isoformat(timespec="seconds")}
                os.ftruncate(fd, 0)
                os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
            return self

    def release(self) -> None:
        """Let go of the lock and remove the lock file (a failed build leaves OUT as it was)."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> BuildLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


class _Stage:
    """Files written to temporary names, moved into place together when all are written."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.tmps: dict[str, tuple[str, Path]] = {}
        self.done: dict[str, Path] = {}

    def add(self, key: str, name: str, write: Callable[[Path], None]) -> None:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=tmp_prefix(name), suffix=".tmp", dir=self.out_dir)
        os.close(fd)
        self.tmps[key] = (name, Path(tmp))
        write(Path(tmp))
        set_default_mode(tmp)

    def commit(self) -> None:
        for key, (name, tmp) in self.tmps.items():
            os.replace(tmp, self.out_dir / name)
            self.done[key] = self.out_dir / name
        self.tmps.clear()

    def discard(self) -> None:
        for _, tmp in self.tmps.values():
            tmp.unlink(missing_ok=True)
        self.tmps.clear()


#: errno values that mean "no room to write": a full disk, a quota, a file size limit
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
#: the same, as Oxigraph (RocksDB) words them inside its own errors
_ENGINE_IO = [
    (errno.ENOSPC, re.compile(r"No space left on device|os error 28\b")),
    (errno.EDQUOT, re.compile(r"Disk quota exceeded|os error 122\b")),
    (errno.EFBIG, re.compile(r"File too large|os error 27\b")),
    (errno.EROFS, re.compile(r"Read-only file system|os error 30\b")),
]


def check_base(base: str) -> None:
    """Check a ``--base-iri`` before a build starts, so that a bad one is one clear line.

    Raises:
        GovkgError: the base is not an absolute IRI ending in ``/`` or ``#``.

    Examples:
        >>> check_base("https://example.org/kg/")
        >>> check_base("example.org/kg/")
        Traceback (most recent call last):
        ...
        graph.errors.GovkgError: --base-iri 'example.org/kg/' is not an absolute IRI (No scheme found in an absolute IRI); give one like https://example.org/kg/
    """
    import pyoxigraph as ox

    if not base.endswith(("/", "#")):
        raise GovkgError(f"--base-iri must end with '/' or '#': {base}")
    try:
        ox.NamedNode(base + "report/0")
    except ValueError as e:
        raise GovkgError(f"--base-iri {base!r} is not an absolute IRI ({e}); give one like https://example.org/kg/") from None


def _check_writable(out_dir: Path) -> None:
    """Refuse a read-only --out before any work (the first write would fail after minutes)."""
    folder = out_dir if out_dir.exists() else next((p for p in out_dir.parents if p.exists()), Path("."))
    probe = folder / f".govkg-write-test.{os.getpid()}.tmp"
    try:
        probe.touch()
        probe.unlink()
    except OSError as e:
        if e.errno in _READ_ONLY:
            raise GovkgError(
                f"cannot write here ({e.strerror}); give an --out folder you can write to, or change its permissions",
                path=folder,
            ) from None
        if e.errno in _NO_SPACE:
            raise GovkgError(f"the disk is full ({e.strerror}); free some space and build again", path=folder) from None
        raise


def build(
    inputs: Sequence[str | Path] | None = None,
    out: str | Path = "output",
    *,
    base: str = DEFAULT_BASE,
    validate: bool = True,
    view: bool = True,
    store: bool = True,
    jobs: int = 1,
    scheduler: str | None = None,
    validate_limit: int = 20,
    report_errors: str | Path | None = None,
    progress: bool = False,
    on_progress: Callable[[str], None] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    wait: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the knowledge graph of one report, a folder of them, or a whole corpus into ``out``.

    Writes ``graph.trig`` (a named graph per report plus the ontology), ``graph.ttl`` (all in
    one graph), with ``view`` ``graph.html``, and with ``store`` the SPARQL store ``store/``.
    A rebuild into the same ``out`` re-extracts only the files that changed since the last
    build, drops the graphs of files that are gone, and keeps the rest (see :mod:`graph.corpus`).

    ``jobs`` worker processes (or a Dask ``scheduler``) do the extraction; the output is the same
    whatever their number. SHACL validation checks every changed report when there are at most
    ``validate_limit`` of them, else an evenly spread sample of that many, and a violation fails
    the build before anything in ``out`` changes. Bad reports (and reports longer than
    ``max_chars`` characters) are skipped and listed (and written to ``report_errors`` if given);
    if no report at all can be built, :class:`GovkgError` is raised and ``out`` is left as it was.

    The build holds a :class:`BuildLock` on ``out`` throughout: a second build into the same
    folder waits for the first (``on_wait`` is told once), or with ``wait=False`` raises
    :class:`~graph.errors.StoreError` naming the holder. A build that fails (a full disk
    included) removes what it wrote and leaves the previous output as it was.
    """
    from .read import iter_paths

    t0 = time.perf_counter()
    check_base(base)
    if jobs < 1:
        raise GovkgError(f"--jobs must be 1 or more, not {jobs}")
    if max_chars < 1:
        raise GovkgError(f"--max-chars must be 1 or more, not {max_chars}")
    unreadable: list[Skipped] = []

    def on_unreadable(folder: Path, reason: str) -> None:
        unreadable.append(Skipped(str(folder), reason))

    paths = list(iter_paths(inputs or [sample_path()], on_skip=on_unreadable))
    out_dir = Path(out)
    existed = out_dir.exists()
    if not paths:
        from .read import SUFFIXES

        extra = "; " + "; ".join(f"{shown(s.path)}: {s.reason}" for s in unreadable) if unreadable else ""
        raise InputError(
            f"no report files ({', '.join(SUFFIXES)}) found; give report files or folders that hold them{extra}",
            path=", ".join(str(i) for i in inputs or []),
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise GovkgError(f"{out_dir}: --out must be a folder, and this is a file")
    _check_writable(out_dir)
    failed = False
    lock = BuildLock(out_dir, wait=wait, on_wait=on_wait)
    try:
        try:
            lock.acquire()
        except OSError as e:
            raise _os_error(e, out_dir) from None
        return _build(paths, out_dir, base=base, validate=validate, view=view, store=store, jobs=jobs,
                      scheduler=scheduler, validate_limit=validate_limit, report_errors=report_errors,
                      progress=progress, on_progress=on_progress, t0=t0, max_chars=max_chars,
                      unreadable=unreadable)
    except OSError as e:
        failed = True
        raise _os_error(e, out_dir) from None
    except GovkgError as e:
        failed = True
        # the store reports the engine's I/O errors in its own words: a full disk is still one
        errno_ = next((n for n, rx in _ENGINE_IO if rx.search(str(e))), None)
        if errno_ is None:
            raise
        raise _os_error(OSError(errno_, os.strerror(errno_), e.path), out_dir) from None
    except BaseException:
        failed = True
        raise
    finally:
        lock.release()
        # a build that failed leaves no trace: an output folder it created and left empty goes
        if failed and not existed:
            try:
                out_dir.rmdir()
            except OSError:
                pass


def _os_error(e: OSError, out_dir: Path) -> BaseException:
    """A full disk or a read-only folder as a one-line :class:`GovkgError`; other errors as they are."""
    where = e.filename or out_dir
    if e.errno in _NO_SPACE:
        return GovkgError(
            f"the disk is full ({e.strerror}, writing {where}); free some space and build again "
            "(this build's partial files were removed, the previous output is as it was)",
            path=out_dir,
        )
    if e.errno in _READ_ONLY:
        return GovkgError(f"cannot write {where} ({e.strerror}); give an --out folder you can write to",
                          path=out_dir)
    return e


def _build(
    paths: list[Path],
    out_dir: Path,
    *,
    base: str,
    validate: bool,
    view: bool,
    store: bool,
    jobs: int,
    scheduler: str | None,
    validate_limit: int,
    report_errors: str | Path | None,
    progress: bool,
    on_progress: Callable[[str], None] | None,
    t0: float,
    max_chars: int = DEFAULT_MAX_CHARS,
    unreadable: Sequence[Skipped] = (),
) -> BuildResult:
    from . import corpus

    manifest = corpus.Manifest.load(out_dir, base)
    cache = out_dir / "cache"
    remove_stale(out_dir)
    remove_stale(cache)
    # the chunks this build adds to the cache: a build that fails removes them (on a full disk
    # they are what keeps it full)
    old_chunks = {e.chunk for e in manifest.files.values()}
    added_chunks: set[str] = set()
    try:
        return _build_locked(paths, out_dir, manifest, added_chunks, base=base, validate=validate, view=view,
                             store=store, jobs=jobs, scheduler=scheduler, validate_limit=validate_limit,
                             report_errors=report_errors, progress=progress, on_progress=on_progress, t0=t0,
                             max_chars=max_chars, unreadable=unreadable)
    except BaseException:
        for name in added_chunks - old_chunks:
            (cache / name).unlink(missing_ok=True)
        try:
            cache.rmdir()  # if this build made it
        except OSError:
            pass
        raise


def _build_locked(
    paths: list[Path],
    out_dir: Path,
    manifest: Manifest,
    added_chunks: set[str],
    *,
    base: str,
    validate: bool,
    view: bool,
    store: bool,
    jobs: int,
    scheduler: str | None,
    validate_limit: int,
    report_errors: str | Path | None,
    progress: bool,
    on_progress: Callable[[str], None] | None,
    t0: float,
    max_chars: int,
    unreadable: Sequence[Skipped],
) -> BuildResult:
    from . import corpus

    cache = out_dir / "cache"

    phases: dict[str, float] = {}
    tick = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal tick
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - tick
        tick = now

    # 1. which files changed since the last build (size and time first, then the bytes' hash)
    current: dict[str, Path] = {}
    todo: list[str] = []
    kept: dict[str, corpus.ManifestEntry] = {}
    for p in paths:
        key = str(p.resolve())
        current[key] = p
        entry = manifest.files.get(key)
        if entry is not None and (cache / entry.chunk).is_file() and (cache / corpus.store_chunk(entry.chunk)).is_file():
            size, mtime = corpus.stat_key(p)
            if (size, mtime) == (entry.size, entry.mtime_ns) or corpus.raw_digest(p) == entry.raw_sha256:
                entry.size, entry.mtime_ns = size, mtime
                kept[key] = entry
                continue
        todo.append(key)
    removed = sorted(k for k in manifest.files if k not in current)
    lap("scan")
    changed = [k for k in todo if k in manifest.files]
    # a report saved in several files was built from one of them; when a file of it changed
    # or is gone, its other files are redone, so that it is built from one that still holds it
    stale = {manifest.files[k].graph for k in (*changed, *removed)}
    redo = [k for k, e in kept.items() if e.graph in stale]
    rewrite = {kept.pop(k).chunk for k in redo}
    todo += redo
    order = {k: i for i, k in enumerate(current)}
    todo.sort(key=order.__getitem__)

    # 2. extract what changed: chunks go to the cache as they come, the sample is validated.
    #    Many changes (or no store yet): the store is rebuilt by a bulk load that runs while the
    #    workers extract, into a new folder that goes live only at the end; few changes: each
    #    changed report replaces its graph in the live store, one transaction each.
    skipped: list[Skipped] = list(unreadable)
    duplicates: list[tuple[str, str]] = []
    fresh: dict[str, corpus.ManifestEntry] = {}
    by_hash = {e.content_hash: k for k, e in kept.items()}
    sample = set(todo if len(todo) <= validate_limit else todo[:: max(1, len(todo) // validate_limit)][:validate_limit])
    checked: list[tuple[str, Conformance]] = []
    results = corpus.map_chunks([str(current[k]) for k in todo], base, jobs=jobs, scheduler=scheduler,
                                max_chars=max_chars, check=[str(current[k]) for k in sample] if validate else ())
    interactive = progress and len(todo) > 1

    def take(res: corpus.Chunk | corpus.Failure) -> tuple[str, bytes] | None:
        """File one result: cache its chunk, note failures and duplicates, pick the sample."""
        if on_progress:
            on_progress(res.path)
        if isinstance(res, corpus.Failure):
            skipped.append(Skipped(res.path, res.reason))
            return None
        key = str(Path(res.path).resolve())
        name = res.graph.rsplit("/", 1)[-1] + ".ttl"
        store_name = corpus.store_chunk(name)
        if name in rewrite or not (cache / name).is_file() or not (cache / store_name).is_file():
            added_chunks.update((name, store_name))
            atomic_write(cache / name, lambda tmp: tmp.write_bytes(res.turtle))
            atomic_write(cache / store_name, lambda tmp: tmp.write_bytes(res.store_turtle))
            rewrite.discard(name)
        first = by_hash.get(res.content_hash)
        if first is not None and first != key:
            duplicates.append((res.path, str(current.get(first, first))))
        else:
            by_hash[res.content_hash] = key
        size, mtime = corpus.stat_key(current[key])
        fresh[key] = corpus.ManifestEntry(
            size=size, mtime_ns=mtime, raw_sha256=corpus.raw_digest(current[key]), content_hash=res.content_hash,
            graph=res.graph, chunk=name, triples=res.triples, counts=res.counts, title=res.title, year=res.year,
            store_triples=res.store_triples,
        )
        if res.validation is not None:
            checked.append((res.path, res.validation))
        return (res.graph, res.store_turtle) if first is None or first == key else None

    stream = corpus.progress_iter(results, len(todo), "extracting", interactive)
    total = len(current)
    bulk = store and corpus.wants_bulk(out_dir / "store", len(todo) + len(removed), total)
    new_store: Path | None = None
    if bulk:
        def graphs() -> Iterator[tuple[str, bytes]]:
            for entry in sorted({e.graph: e for e in kept.values()}.values(), key=lambda e: e.graph):
                yield entry.graph, (cache / corpus.store_chunk(entry.chunk)).read_bytes()
            for res in stream:
                item = take(res)
                if item is not None and item[0] not in {e.graph for e in kept.values()}:
                    yield item

        # --jobs N may keep N cores busy: the workers extract while as many loader threads
        # fill the store (on Dask the extraction is elsewhere and the local cores load)
        loaders = (os.cpu_count() or 1) if scheduler else jobs
        # compacted below, while the files are written
        new_store = corpus.bulk_store(out_dir, graphs(), threads=loaders, optimize=False)
    else:
        for res in stream:
            take(res)
    entries = {**kept, **fresh}
    try:
        if not entries:
            reasons = "; ".join(f"{shown(s.path)}: {s.reason}" for s in skipped)
            raise GovkgError(f"no report could be built ({reasons})")
        skipped.sort(key=lambda s: s.path)
        duplicates.sort()
        if report_errors:
            _write_errors(Path(report_errors), skipped)
        lap("extract")
        validation, conforms = "not run (--no-validate)", True
        if validate:
            validation, conforms = _validate_chunks(checked, len(fresh))
        lap("validate")
    except BaseException:
        if new_store is not None:
            corpus.discard_store(new_store)
        raise

    # 3. the files, assembled from the chunks of every report the build now holds, written to
    #    temporary names; then the store; then the files move into place
    new_manifest = corpus.Manifest(base=base, files=entries, ontology=corpus.ontology_digest() if store else "")
    written: dict[str, Path] = {}
    live = {e.graph for e in entries.values()}
    gone = sorted({e.graph for e in manifest.files.values()} - live)

    def trig(tmp: Path) -> None:
        with tmp.open("wb") as fh:
            corpus.write_trig(fh, corpus.chunk_files(out_dir, new_manifest), corpus.ontology_chunk("trig"))

    def ttl(tmp: Path) -> None:
        with tmp.open("wb") as fh:
            corpus.write_turtle(fh, corpus.chunk_files(out_dir, new_manifest), corpus.ontology_chunk("turtle"))

    def html(tmp: Path) -> None:
        from .view import write_view

        write_view(corpus.view_dataset(out_dir, new_manifest, store), tmp)

    writers: dict[str, tuple[str, Callable[[Path], None]]] = {"trig": ("graph.trig", trig), "ttl": ("graph.ttl", ttl)}
    # a large corpus' view is drawn from the store, so it waits for the store to be written
    view_from_store = view and store and len(live) > corpus.VIEW_ALL_REPORTS
    if view and not view_from_store:
        writers["html"] = ("graph.html", html)
    # a rebuild that changed nothing (the same manifest, the same ontology) leaves the files the
    # last build wrote as they are; only one that is missing is written again
    same = _same_manifest(out_dir, new_manifest)
    if same:
        writers = {k: w for k, w in writers.items() if not (out_dir / w[0]).is_file()}
        view_from_store = view_from_store and not (out_dir / "graph.html").is_file()
        for key, name in (("trig", "graph.trig"), ("ttl", "graph.ttl"), ("html", "graph.html")):
            if key not in writers and (out_dir / name).is_file() and (key != "html" or view):
                written[key] = out_dir / name
    store_note = ""
    stage = _Stage(out_dir)
    activated = False
    # graph.trig and graph.ttl are assembled from the cache in a thread of their own (mostly
    # file I/O, which runs without the GIL) while the store is updated and the view drawn; a
    # new store goes live only once they are written, as before
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="govkg-files")

    def assemble() -> None:
        for key, (name, write) in writers.items():
            stage.add(key, name, write)

    try:
        assembling = pool.submit(assemble)
        if new_store is not None:
            corpus.compact_store(new_store)
            lap("store")
            assembling.result()
            lap("files")
            sizes = {e.graph: e.store_triples for e in entries.values()}
            sizes[str(ONTOLOGY_IRI)] = corpus.ontology_triples()
            store_note = corpus.activate_store(out_dir, new_store, len(live), sizes)
            activated = True
            written["store"] = out_dir / "store"
        elif store:
            store_note = corpus.update_store(out_dir / "store", cache, {e.graph: e.chunk for e in fresh.values()}, gone,
                                             ontology=manifest.ontology != new_manifest.ontology)
            written["store"] = out_dir / "store"
        lap("store")
        if view_from_store:
            stage.add("html", "graph.html", html)
        assembling.result()
        lap("files")
        stage.commit()
    except BaseException:
        pool.shutdown(wait=True)  # the file thread's temporary files are removed below
        if new_store is not None and not activated:
            corpus.discard_store(new_store)
        raise
    finally:
        pool.shutdown(wait=True)
        stage.discard()
    written.update(stage.done)

    # 5. the manifest last: a build killed before this point is redone by the next one
    if not same:
        atomic_write(out_dir / corpus.Manifest.FILE, lambda tmp: tmp.write_text(new_manifest.dumps(), encoding="utf-8"))
    for e in manifest.files.values():
        if e.graph not in live:
            (cache / e.chunk).unlink(missing_ok=True)
            (cache / corpus.store_chunk(e.chunk)).unlink(missing_ok=True)

    counts = corpus.entity_counts(out_dir / "store" if store else None, new_manifest, memo=out_dir / COUNTS_FILE)
    lap("count")
    return BuildResult(
        out_dir=out_dir,
        files=written,
        reports=len(live),
        entity_counts={k: v for k, v in counts.items() if k not in ("relations", "statistics")},
        relations=counts.get("relations", 0),
        statistics=counts.get("statistics", 0),
        triples=sum(e.triples for e in {e.graph: e for e in entries.values()}.values()),
        validation=validation,
        conforms=conforms,
        seconds=time.perf_counter() - t0,
        skipped=tuple(skipped),
        duplicates=tuple(duplicates),
        extras={
            "added": str(len([k for k in fresh if k not in manifest.files])),
            "changed": str(len([k for k in changed if k in fresh])),
            "removed": str(len(removed)),
            "unchanged": str(len(kept) + len(redo)),
            "store": store_note,
            "phases": ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()),
        },
    )


def _same_manifest(out_dir: Path, new: Manifest) -> bool:
    """True when the manifest on disk is the one this build would write and it records the
    ontology: the files it describes are then this build's output already."""
    from . import corpus

    if not new.ontology:
        return False  # a build without the store does not record which ontology the files hold
    return new.same_as_file(out_dir / corpus.Manifest.FILE)


def _write_errors(path: Path, skipped: Sequence[Skipped]) -> None:
    """The files a build skipped, one per line: path, a tab, the reason."""
    text = "".join(f"{shown(s.path)}\t{s.reason}\n" for s in skipped)
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _validate_chunks(checked: Sequence[tuple[str, Conformance]], changed: int) -> tuple[str, bool]:
    """The SHACL outcome of the changed reports validated where they were extracted (see
    :func:`graph.corpus.checked_chunk`); raises on a violation, naming the first report."""
    if not checked:
        return ("nothing changed, nothing to validate" if not changed else "no report to validate"), True
    bad = sorted((path, c) for path, c in checked if not c.conforms)
    if bad:
        path, c = bad[0]
        others = f" (and {len(bad) - 1} more report(s))" if len(bad) > 1 else ""
        raise ValidationError(
            f"the graph of {shown(path)} does not conform to ontology/shapes.ttl: {c.violations} violation(s)"
            f"{others}; this is a govkg bug, please report it with the input",
            report_text=c.report,
        )
    from .validate import Conformance

    total = Conformance(True, 0, sum(c.triples for _, c in checked), "")
    scope = "every changed report" if len(checked) == changed else f"a sample of {len(checked)} of {changed} changed reports"
    return f"{total.summary()}; {scope}", True
