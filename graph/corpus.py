"""Corpus bookkeeping: the manifest, the chunks and the batches of a build of many reports,
incrementally, in parallel processes or on a Dask cluster.

:mod:`graph.pipeline` decides what runs in what order and calls in here; this module never
imports it (the per-report step it sends to its workers is :mod:`graph.extraction`, and its
files are written through :mod:`graph.publish`), so data flows one way.

A corpus build never holds more than one report's spaCy Doc or triples at a time. Each report
becomes a *chunk*: its named graph serialised as Turtle (prefixes first, no blank nodes), kept in
``OUT/cache/``. Everything else is assembled from chunks:

- ``graph.trig`` is every chunk wrapped in ``<report IRI> { … }``, plus the ontology's graph;
- ``graph.ttl`` is every chunk one after another (Turtle allows repeated prefix lines);
- the Oxigraph store gets each changed chunk as its report's named graph, one transaction each.

``OUT/manifest.json`` remembers, for every input file, its size, modification time and raw
hash, the hash of its content and its chunk. A rebuild re-extracts only files whose raw bytes
changed, drops the graphs of files that are gone and leaves the rest alone; files are written
to temporary names and renamed, and the manifest is written last, so a build killed at any
moment leaves the previous output readable and the next build picks up where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .errors import GovkgError
from .vocab import DEFAULT_BASE, PREFIXES

if TYPE_CHECKING:
    from .validate import Conformance

__all__ = [
    "Chunk",
    "Failure",
    "ManifestEntry",
    "Manifest",
    "PREFIXES",
    "extract_chunk",
    "chunk_of",
    "store_chunk",
    "raw_digest",
    "map_chunks",
]



@dataclass(frozen=True)
class Chunk:
    """One report, extracted and serialised: what a worker sends back."""

    path: str
    content_hash: str
    graph: str  # the report's IRI, also its named graph
    turtle: bytes  # the named graph's triples as Turtle, prefixes first: the files' full record
    triples: int
    counts: dict[str, int]  # entities per type, plus "relations" and "statistics"
    title: str = ""
    year: int | None = None
    store_turtle: bytes = b""  # the part of it the store holds (graph.rdf.report_turtle(store=True))
    store_triples: int = 0
    #: the SHACL outcome of the full record, when the build asked this report to be validated
    #: (validated where it was extracted, so the check runs in the workers, beside the NLP)
    validation: Conformance | None = None


@dataclass(frozen=True)
class Failure:
    """A file that could not be built, and why (one line)."""

    path: str
    reason: str


@dataclass
class ManifestEntry:
    """What the last build knew of one input file."""

    size: int
    mtime_ns: int
    raw_sha256: str
    content_hash: str
    graph: str
    chunk: str  # file name under OUT/cache/ (the store's part: store_chunk(chunk))
    triples: int
    counts: dict[str, int] = field(default_factory=dict)
    title: str = ""
    year: int | None = None
    store_triples: int = 0


@dataclass
class Manifest:
    """The input files of the last build and their chunks; written last, atomically."""

    base: str = DEFAULT_BASE
    files: dict[str, ManifestEntry] = field(default_factory=dict)
    ontology: str = ""  # SHA-256 of the ontology chunk the store was last given

    FILE = "manifest.json"
    #: 2: each report has a second chunk, the part the store holds
    VERSION = 2

    @classmethod
    def load(cls, out_dir: Path, base: str) -> Manifest:
        """The manifest in ``out_dir``; an empty one if there is none, it is unreadable, or it
        was written for another base IRI (then everything is rebuilt)."""
        p = out_dir / cls.FILE
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            if data.get("version") != cls.VERSION or data.get("base") != base:
                return cls(base=base)
            files = {k: ManifestEntry(**v) for k, v in data["files"].items()}
            ontology = str(data.get("ontology", ""))
        except (OSError, ValueError, KeyError, TypeError):
            return cls(base=base)
        return cls(base=base, files=files, ontology=ontology)

    def as_dict(self) -> dict[str, Any]:
        """The manifest as the JSON it is written as (``vars`` of each entry: ``asdict`` copies
        deeply and took a quarter of a second on 10,000 entries)."""
        return {"version": self.VERSION, "base": self.base, "ontology": self.ontology,
                "files": {k: dict(vars(v)) for k, v in sorted(self.files.items())}}

    def dumps(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=1)

    def same_as_file(self, path: Path) -> bool:
        """Whether ``path`` holds this manifest (compared as data: JSON's C parser reads 10,000
        entries faster than its Python encoder writes them with an indent)."""
        try:
            return bool(json.loads(path.read_bytes()) == self.as_dict())
        except (OSError, ValueError):
            return False


def raw_digest(path: Path) -> str:
    """SHA-256 of a file's bytes: the cheap test of whether a file changed since last time."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def store_chunk(chunk: str) -> str:
    """The cache file name of the store's part of a report, beside its full chunk ``chunk``."""
    return chunk[: -len(".ttl")] + ".store.ttl" if chunk.endswith(".ttl") else chunk + ".store"


def chunk_of(ex: object, base: str = DEFAULT_BASE, path: str = "") -> Chunk:
    """Serialise one extraction as a chunk: its named graph in Turtle, in full for the files
    and the part of it the store holds (about half: no mention nodes, see
    :func:`graph.rdf.report_triples`)."""
    from .model import Extraction
    from .rdf import report_iri, report_turtle

    assert isinstance(ex, Extraction)
    body, triples = report_turtle(ex, base)
    store_body, store_triples = report_turtle(ex, base, store=True)
    counts: dict[str, int] = {}
    for e in ex.entities:
        counts[e.type] = counts.get(e.type, 0) + 1
    counts["relations"] = len({(r.subject, r.predicate, r.object) for r in ex.relations})
    counts["statistics"] = len(ex.statistics)
    return Chunk(
        path=path or ex.document.path,
        content_hash=ex.document.content_hash,
        graph=str(report_iri(ex, base)),
        turtle=body,
        triples=triples,
        counts=counts,
        title=ex.document.meta.title or "",
        year=ex.document.meta.year,
        store_turtle=store_body,
        store_triples=store_triples,
    )


def extract_chunk(path: str, base: str = DEFAULT_BASE, max_chars: int = 0) -> Chunk | Failure:
    """Read, extract and serialise one report file; a bad file gives a :class:`Failure`.

    This is the unit of work sent to worker processes and Dask workers: it takes and returns
    plain picklable data. A report longer than ``max_chars`` characters (0: the default of
    :data:`graph.extraction.DEFAULT_MAX_CHARS`) is a failure with its own message, before NLP.
    """
    from .extraction import extract_document
    from .read import read_path

    try:
        return chunk_of(extract_document(read_path(path), max_chars), base, path)
    except GovkgError as e:
        return Failure(path, e.reason)
    except MemoryError:
        return Failure(path, "ran out of memory while extracting; split the report, or give the build more memory")
    except Exception as e:  # noqa: BLE001 - a bug on one report must not stop a corpus build
        return Failure(path, f"internal error while extracting ({type(e).__name__}: {e}); please report it")


def checked_chunk(res: Chunk | Failure) -> Chunk | Failure:
    """``res`` with the SHACL outcome of its full record (a failure as it is).

    pyshacl costs about ten times the NLP of a report (~0.45 s for a report of 4,000 characters),
    so a build validates a sample of the changed reports, and each in the worker that extracted
    it: the check runs beside the other worker's NLP instead of after all of it, in the main
    process. A violation is carried back, not raised:
    the build decides what it means. pyshacl failing on the graph is a violation too.
    """
    if not isinstance(res, Chunk):
        return res
    from rdflib import Graph

    from .validate import Conformance, validate

    try:
        g = Graph()
        g.parse(data=res.turtle, format="turtle")
        outcome = validate(g, raise_on_violation=False, inplace=True)
    except Exception as e:  # noqa: BLE001 - reported as this report's violation, by name
        outcome = Conformance(False, 1, 0, f"pyshacl failed on the graph ({type(e).__name__}: {e})")
    return replace(res, validation=outcome)


def _extract_batch(paths: Sequence[str], base: str, max_chars: int = 0,
                   check: Collection[str] = ()) -> list[Chunk | Failure]:
    out = [extract_chunk(p, base, max_chars) for p in paths]
    return [checked_chunk(res) if p in check else res for p, res in zip(paths, out)]


def _init_worker() -> None:
    """Load the spaCy pipeline once per worker process."""
    from .nlp import get_nlp

    get_nlp()


#: What a report gets when the worker extracting it died again on a retry (killed, out of memory, crashed).
WORKER_DIED = ("the worker process extracting it died, and again on a retry (killed by a signal, out of memory, "
               "or a crash); build it on its own to see why, or give the build more memory")


def map_chunks(
    paths: Sequence[str],
    base: str = DEFAULT_BASE,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    batch: int = 8,
    max_chars: int = 0,
    check: Collection[str] = (),
) -> Iterator[Chunk | Failure]:
    """Extract reports, yielding results as they come (in input order for ``jobs``; in
    completion order on Dask — callers sort by graph IRI, so output does not depend on it).

    The reports whose path is in ``check`` are validated against the SHACL shapes where they
    are extracted (:func:`checked_chunk`): their chunks carry the outcome.

    ``jobs`` > 1 uses that many worker processes; ``scheduler`` (``tcp://host:port``, or
    ``local`` for a cluster on this machine) sends batches of ``batch`` reports to Dask.

    A worker process that dies (SIGKILL from the OOM killer, a crash in native code) breaks
    the pool: every batch it had not returned yet is tried once more, each in a fresh worker of
    its own; a batch whose worker dies again is tried report by report, and a report whose
    worker dies then comes back as a :class:`Failure` (:data:`WORKER_DIED`); the rest are built
    as usual.
    """
    check = frozenset(check)
    if scheduler:
        yield from _dask_chunks(paths, base, scheduler, batch, max_chars, check)
        return
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield from _extract_batch([p], base, max_chars, check)
        return
    batches = [list(paths[i : i + batch]) for i in range(0, len(paths), batch)]
    yield from _pool_chunks(batches, base, jobs, max_chars, check)


def _mp_context():  # type: ignore[no-untyped-def]
    import multiprocessing as mp

    return mp.get_context("spawn" if os.environ.get("GOVKG_SPAWN") else "fork")


def _pool_chunks(batches: list[list[str]], base: str, jobs: int, max_chars: int,
                 check: frozenset[str] = frozenset()) -> Iterator[Chunk | Failure]:
    """Run batches in a pool of ``jobs`` processes, in input order, surviving dead workers."""
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    ctx = _mp_context()
    checks = [check & set(b) for b in batches]  # the reports of each batch to validate

    def new_pool(workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker)

    main = new_pool(jobs)
    # results are yielded in input order; at most two batches per worker are in flight, so a
    # lost pool costs only those
    window = 2 * jobs
    pending: dict[int, tuple[Future[list[Chunk | Failure]], ProcessPoolExecutor]] = {}
    retried: set[int] = set()
    nxt = 0

    def submit_main(k: int) -> None:
        nonlocal main
        try:
            pending[k] = (main.submit(_extract_batch, batches[k], base, max_chars, checks[k]), main)
        except BrokenProcessPool:  # the pool broke since the last look: its batches are found below
            main = new_pool(jobs)
            pending[k] = (main.submit(_extract_batch, batches[k], base, max_chars, checks[k]), main)

    def retry_all_of(broken: ProcessPoolExecutor) -> None:
        """Every unfinished batch of a broken pool, again, each in a fresh worker of its own,
        so that a batch that kills its worker again takes no other batch with it."""
        nonlocal main
        for k, (fut, owner) in sorted(pending.items()):
            if owner is broken and not (fut.done() and fut.exception() is None):
                one = new_pool(1)
                pending[k] = (one.submit(_extract_batch, batches[k], base, max_chars, checks[k]), one)
                retried.add(k)
        broken.shutdown(wait=False, cancel_futures=True)
        if broken is main:
            main = new_pool(jobs)

    def singles(paths: list[str]) -> list[Chunk | Failure]:
        """A batch whose worker died twice, one report per fresh worker: only the report that
        kills its worker fails, by name."""
        if len(paths) == 1:
            return [Failure(paths[0], WORKER_DIED)]
        out: list[Chunk | Failure] = []
        for path in paths:
            one = new_pool(1)
            try:
                out.extend(one.submit(_extract_batch, [path], base, max_chars, check & {path}).result())
            except BrokenProcessPool:
                out.append(Failure(path, WORKER_DIED))
            finally:
                one.shutdown(wait=True)
        return out

    try:
        for i in range(len(batches)):
            while nxt < len(batches) and len(pending) < window:
                submit_main(nxt)
                nxt += 1
            while True:
                fut, owner = pending[i]
                try:
                    results = fut.result()
                    break
                except BrokenProcessPool:
                    if i in retried and owner is not main:
                        owner.shutdown(wait=False)
                        results = singles(batches[i])
                        break
                    retry_all_of(owner)
            del pending[i]
            if owner is not main:
                owner.shutdown(wait=False)
            yield from results
    finally:
        for _, owner in pending.values():
            owner.shutdown(wait=True, cancel_futures=True)
        main.shutdown(wait=True, cancel_futures=True)


def _dask_chunks(paths: Sequence[str], base: str, scheduler: str, batch: int,
                 max_chars: int = 0, check: frozenset[str] = frozenset()) -> Iterator[Chunk | Failure]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise GovkgError(
            "--scheduler needs Dask: pip install 'govkg[dask]' (dask and distributed)"
        ) from None
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout="20s")
    except OSError as e:
        raise GovkgError(f"cannot reach the Dask scheduler at {scheduler} ({e}); is it running?") from None
    try:
        batches = [list(paths[i : i + batch]) for i in range(0, len(paths), batch)]
        futures = [client.submit(_extract_batch, b, base, max_chars, check & set(b), pure=False) for b in batches]
        for fut in as_completed(futures):
            yield from fut.result()
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------------------------
# assembling the files from chunks


def _split_prefixes(turtle: bytes) -> tuple[bytes, bytes]:
    """Split a chunk into its prefix lines and its body (without splitting the body's lines:
    a corpus' files are made of thousands of chunks of thousands of lines)."""
    i = 0
    while turtle.startswith(b"@prefix", i):
        j = turtle.find(b"\n", i)
        if j < 0:
            return turtle + b"\n", b""
        i = j + 1
    return turtle[:i] if i else b"\n", turtle[i:]


def write_trig(fh, chunks: Iterable[tuple[str, bytes]], ontology_trig: bytes) -> None:  # type: ignore[no-untyped-def]
    """Write a TriG document: the ontology's graph, then each chunk in its named graph."""
    fh.write(ontology_trig)
    for graph, turtle in chunks:
        prefixes, body = _split_prefixes(turtle)
        fh.write(prefixes)
        fh.write(b"<" + graph.encode("utf-8") + b"> {\n")
        fh.write(body)
        fh.write(b"\n}\n")


def write_turtle(fh, chunks: Iterable[tuple[str, bytes]], ontology_ttl: bytes) -> None:  # type: ignore[no-untyped-def]
    """Write one Turtle document holding everything: ontology first, then every chunk."""
    fh.write(ontology_ttl)
    for _, turtle in chunks:
        fh.write(turtle)
        fh.write(b"\n")


def chunk_files(out_dir: Path, manifest: Manifest) -> Iterator[tuple[str, bytes]]:
    """(graph IRI, Turtle) of every report in the manifest, in IRI order, read one at a time."""
    seen: set[str] = set()
    for entry in sorted(manifest.files.values(), key=lambda e: e.graph):
        if entry.graph in seen:
            continue
        seen.add(entry.graph)
        yield entry.graph, (out_dir / "cache" / entry.chunk).read_bytes()


def progress_iter(items: Iterable, total: int, label: str, enabled: bool) -> Iterator:  # type: ignore[type-arg]
    """Wrap an iterable in a rich progress bar when ``enabled`` (a terminal), else pass through."""
    if not enabled:
        yield from items
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)


def stat_key(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def on_progress_none(_: str) -> None:
    """A progress callback that does nothing."""


ProgressFn = Callable[[str], None]


# --------------------------------------------------------------------------------------------
# the ontology as a chunk, the store, the view and the summary counts


_ONTOLOGY_CHUNKS: dict[str, bytes] = {}


def ontology_chunk(kind: str) -> bytes:
    """The ontology serialised for ``graph.trig`` (``kind="trig"``: in its own named graph) or
    ``graph.ttl`` (``"turtle"``), prefixes first."""
    if kind not in _ONTOLOGY_CHUNKS:
        import pyoxigraph as ox

        from .vocab import ONTOLOGY_IRI, ontology_dir

        # blank nodes labelled by order of appearance: Oxigraph's labels are random in each
        # process, and the files must be the same bytes whichever process writes them
        labels: dict[str, ox.BlankNode] = {}

        def stable(t):  # type: ignore[no-untyped-def]
            return labels.setdefault(t.value, ox.BlankNode(f"o{len(labels)}")) if isinstance(t, ox.BlankNode) else t

        triples = [ox.Triple(stable(t.subject), t.predicate, stable(t.object))
                   for t in ox.parse(path=str(ontology_dir() / "govkg.ttl"), format=ox.RdfFormat.TURTLE)]
        prefixes = {**PREFIXES, "foaf": "http://xmlns.com/foaf/0.1/"}
        if kind == "trig":
            g = ox.NamedNode(str(ONTOLOGY_IRI))
            data = ox.serialize([ox.Quad(t.subject, t.predicate, t.object, g) for t in triples],
                                format=ox.RdfFormat.TRIG, prefixes=prefixes)
        else:
            data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        # serialize() returns bytes when no output is given; the stub says bytes | None
        head, body = _split_prefixes(cast(bytes, data))
        _ONTOLOGY_CHUNKS[kind] = b"\n".join(sorted(head.strip().split(b"\n"))) + b"\n" + body + b"\n"
    return _ONTOLOGY_CHUNKS[kind]


def ontology_triples() -> int:
    """How many triples the ontology's graph holds."""
    import pyoxigraph as ox

    return sum(1 for _ in ox.parse(ontology_chunk("turtle"), format=ox.RdfFormat.TURTLE))


def _sparql_replace(graph: str, turtle: bytes) -> str:
    """One SPARQL Update that replaces ``graph`` with a chunk and keeps the default graph the
    union of the named graphs (the chunk's prefixes become the update's PREFIX prologue)."""
    from . import store as storage

    head, body = _split_prefixes(turtle)
    prologue = "\n".join(
        "PREFIX " + line[len("@prefix ") :].rstrip(" .")
        for line in head.decode("utf-8").splitlines()
        if line.startswith("@prefix ")
    )
    return (
        f"{prologue}\n{storage._retract_update(graph)} ;\n"
        f"INSERT DATA {{ GRAPH <{graph}> {{\n{body.decode('utf-8')}\n}} }} ;\n"
        f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )


def ontology_digest() -> str:
    """SHA-256 of the ontology as the store gets it: a store is given a new ontology only when
    this changes (a newer govkg)."""
    return hashlib.sha256(ontology_chunk("turtle")).hexdigest()


def update_store(
    store_dir: Path, cache: Path, chunks: dict[str, str], gone: Sequence[str], *, ontology: bool = True
) -> str:
    """Replace the named graphs of changed reports and drop those of reports that are gone.

    Each report is one SPARQL Update, so one transaction: a reader sees its old graph or its
    new one. The default graph stays the union of the named graphs (see :mod:`graph.store`).
    Returns a one-line summary.
    """
    from . import store as storage
    from .vocab import ONTOLOGY_IRI

    if not chunks and not gone and not ontology and (store_dir / storage.MARKER).is_file():
        return "unchanged"  # a rebuild that changed nothing leaves the store (and its generation) alone
    store_dir.mkdir(parents=True, exist_ok=True)
    db = storage.open_store(store_dir, read_only=False)
    info = storage.store_info(store_dir)
    sizes: dict[str, int] = dict(info.get("graphs", {}))
    try:
        onto = str(ONTOLOGY_IRI)
        items = ([(onto, ontology_chunk("turtle"))] if ontology else []) + [
            (g, (cache / store_chunk(c)).read_bytes()) for g, c in sorted(chunks.items())
        ]
        written = 0
        for graph, turtle in items:
            try:
                db.update(_sparql_replace(graph, turtle))
            except (OSError, SyntaxError, ValueError) as e:
                reason = " ".join(str(e).split())[:300]
                raise GovkgError(f"{store_dir}: could not write graph <{graph}> ({reason}); the store keeps "
                                 "its previous content for it") from None
            n = sum(1 for _ in db.quads_for_pattern(None, None, None, _node(graph)))
            sizes[graph] = n
            written += n
        if gone:
            db.update(" ;\n".join(storage._retract_update(g) for g in gone))
            for g in gone:
                sizes.pop(g, None)
        db.flush()
        generation = int(info.get("generation", 0)) + 1
        storage._write_marker(store_dir, db, generation, dict(sorted(sizes.items())))
    finally:
        del db
    return (f"{len(chunks)} report graph(s) written, {len(gone)} dropped; "
            f"store holds {len(sizes) - 1 if onto in sizes else len(sizes)} report graphs")


#: Rebuild the store by a bulk load (into a new folder, switched to at the end) when there is
#: no store yet or more than this many reports (or a fifth of them) changed; else update it in
#: place, one transaction per report.
BULK_MIN_CHANGES = 50
#: What one call of the bulk loader takes: reports until their chunks reach this many bytes
#: (shared by the loader threads), at most ``BULK_BATCH`` reports. The loader holds ~45 times
#: a batch's Turtle in memory while it sorts. Very small batches load slower (400 dense
#: reports: 41 s in batches of 25, 32 s in batches of 100), but from 1 to 64 MB the CPU is the
#: same; 8 MB rather than 16 took a 2,000-report build's peak memory from 0.77 to 0.45 GB and
#: its time from 129 to 118-125 s (bench/README.md).
BULK_BATCH_BYTES = 8 << 20
BULK_BATCH = 1000


def wants_bulk(store_dir: Path, changes: int, total: int) -> bool:
    """Whether a build should rebuild the store by a bulk load rather than update it."""
    return not (store_dir / "CURRENT").is_file() or changes > max(BULK_MIN_CHANGES, total // 5)


def _trig_item(graph: str, turtle: bytes) -> bytes:
    """A chunk as TriG for the bulk loader: in its report's named graph, and again in the
    default graph, which the store keeps as the union of the named graphs."""
    head, body = _split_prefixes(turtle)
    return head + b"<" + graph.encode("utf-8") + b"> {\n" + body + b"\n}\n" + body + b"\n"


def bulk_store(out_dir: Path, items: Iterable[tuple[str, bytes]], *, threads: int = 1, optimize: bool = True) -> Path:
    """Load the ontology and every (graph, chunk) into a new store folder, not yet live.

    The folder is ``OUT/stores/g<N>``; :func:`activate_store` makes it the store, or
    :func:`discard_store` removes it. With ``threads`` > 1 that many batches load at once, each
    in a thread of its own (Oxigraph's loader runs without the GIL), while the calling thread
    goes on collecting chunks: a build with ``--jobs 2`` keeps both cores busy instead of
    waiting for one loader. With one thread, each batch loads in the calling thread once collected.
    ``optimize=False`` leaves out the final compaction, for :func:`compact_store` to do later
    (``bench/compaction.py`` measures what it is worth).
    """
    import shutil

    import pyoxigraph as ox

    from .vocab import ONTOLOGY_IRI

    stores = out_dir / "stores"
    stores.mkdir(parents=True, exist_ok=True)
    numbers = [int(p.name[1:]) for p in stores.iterdir() if p.name[:1] == "g" and p.name[1:].isdigit()]
    new = stores / f"g{max(numbers, default=0) + 1}"
    shutil.rmtree(new, ignore_errors=True)

    def all_items() -> Iterator[tuple[str, bytes]]:
        yield str(ONTOLOGY_IRI), ontology_chunk("turtle")
        yield from items

    # Oxigraph's bulk loader holds what one call loads in memory: load batches of reports so
    # memory stays flat whatever the size of the corpus
    source = all_items()
    db = ox.Store(str(new))
    try:
        if threads <= 1:
            for batch in _batches(source, BULK_BATCH_BYTES):
                db.bulk_load(b"".join(_trig_item(g, t) for g, t in batch), format=ox.RdfFormat.TRIG)
        else:
            _load_in_threads(db, source, threads)
        db.flush()
        if optimize:
            db.optimize()
    except BaseException:
        del db
        discard_store(new)
        raise
    del db
    return new


def compact_store(new: Path) -> None:
    """Compact a store :func:`bulk_store` loaded with ``optimize=False``.

    The bulk loader leaves many unmerged files; compacting them once makes every later read
    several times faster (a 2,000-report store: GROUP BY 34 s -> 3.5 s). It takes one core for
    ~10 s a 2,000 reports and lets go of the GIL, so a build runs it while another thread
    writes the files.
    """
    import pyoxigraph as ox

    db = ox.Store(str(new))
    try:
        db.optimize()
    finally:
        del db


def _batches(source: Iterator[tuple[str, bytes]], budget: int) -> Iterator[list[tuple[str, bytes]]]:
    """Group chunks into batches of about ``budget`` bytes (at most ``BULK_BATCH`` chunks)."""
    batch: list[tuple[str, bytes]] = []
    size = 0
    for item in source:
        batch.append(item)
        size += len(item[1])
        if size >= budget or len(batch) >= BULK_BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _load_in_threads(db: Any, source: Iterator[tuple[str, bytes]], threads: int) -> None:
    """Bulk-load batches of ``source`` into ``db`` with ``threads`` loader threads.

    The calling thread pulls the chunks (pulling runs the build's bookkeeping, which is not
    thread-safe) and hands each batch as one TriG byte string to the loaders through a queue
    that holds at most ``threads`` batches, so memory stays bounded. The first error, from a
    loader or from pulling, stops the load and is raised here.
    """
    import queue
    import threading

    import pyoxigraph as ox

    todo: queue.Queue[bytes | None] = queue.Queue(maxsize=threads)
    errors: list[BaseException] = []

    def loader() -> None:
        while True:
            data = todo.get()
            if data is None:
                return
            if errors:
                continue  # drain: the load has failed, the rest is dropped
            try:
                db.bulk_load(data, format=ox.RdfFormat.TRIG)
            except BaseException as e:  # noqa: BLE001 - raised again in the calling thread
                errors.append(e)

    workers = [threading.Thread(target=loader, name=f"govkg-loader-{i}", daemon=True) for i in range(threads)]
    for w in workers:
        w.start()
    try:
        for batch in _batches(source, BULK_BATCH_BYTES // threads):
            if errors:
                break
            todo.put(b"".join(_trig_item(g, t) for g, t in batch))
    except BaseException as e:
        errors.append(e)
    finally:
        for _ in workers:
            todo.put(None)
        for w in workers:
            w.join()
    if errors:
        raise errors[0]


def discard_store(new: Path) -> None:
    """Remove a store folder made by :func:`bulk_store` that will not go live."""
    import shutil

    shutil.rmtree(new, ignore_errors=True)
    try:
        new.parent.rmdir()  # the stores/ folder, if this was its only store
    except OSError:
        pass


def activate_store(out_dir: Path, new: Path, reports: int, sizes: dict[str, int] | None = None) -> str:
    """Make ``new`` the store: ``OUT/store`` becomes a link to it, switched in one rename.

    ``sizes`` (triples per named graph, known from the chunks) go into the store's marker;
    without them the store is asked, which takes a while on a large store. Readers that
    opened the old store keep working on their checkpoint (``govkg serve`` serves a checkpoint
    and picks up the new generation from the marker); older store folders are removed
    afterwards.
    """
    import shutil

    from . import store as storage

    link = out_dir / "store"
    old_info = storage.store_info(link) if link.exists() else {}
    if sizes is None:
        db = storage.open_store(new, read_only=True)
        try:
            sizes = {
                row["g"].value: int(row["n"].value)  # type: ignore[index]
                for row in db.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")  # type: ignore[union-attr]
            }
        finally:
            del db
    storage._write_marker(new, None, int(old_info.get("generation", 0)) + 1, dict(sorted(sizes.items())))  # type: ignore[arg-type]
    if link.is_dir() and not link.is_symlink():  # a store of an older layout: move it aside
        os.replace(link, out_dir / "stores" / f"old-{os.getpid()}")
    tmp = out_dir / f".store.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(new, out_dir), tmp)
    os.replace(tmp, link)
    for p in (out_dir / "stores").iterdir():
        # only older stores: `govkg serve` keeps its checkpoints of the store in this folder too
        if p != new and (p.name[:1] == "g" and p.name[1:].isdigit() or p.name.startswith("old-")):
            shutil.rmtree(p, ignore_errors=True)
    return f"rebuilt by bulk load: {reports} report graph{'' if reports == 1 else 's'}"


def _node(iri: str):  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    return ox.NamedNode(iri)


_ENTITY_TYPES = ("Agency", "Law", "Policy", "Initiative", "Place")
_RELATIONS = ("issues", "implements", "organizes", "promotes", "concerns", "basedOn", "locatedIn",
              "extendsTo", "jurisdiction")


def entity_counts(store_dir: Path | None, manifest: Manifest, memo: Path | None = None) -> dict[str, int]:
    """Distinct entities per type, relation triples and statistics of the whole graph.

    From the store when there is one (an entity named in many reports counts once); without
    a store, the per-report counts of the manifest, summed. With ``memo`` (a JSON file), the
    store's counts are kept there with the store's generation and read back while the store
    is the same: a rebuild that changed nothing does not ask a store of 10,000 reports again
    (1.3 s of its 3 s).
    """
    if store_dir is not None and (store_dir / "CURRENT").is_file() and memo is not None:
        from . import store as storage
        from .publish import atomic_write

        token = storage.store_generation(store_dir)
        try:
            kept = json.loads(memo.read_text(encoding="utf-8"))
            if token is not None and kept.get("store") == token:
                return {str(k): int(v) for k, v in kept["counts"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        counts = entity_counts(store_dir, manifest)
        if token is not None:
            text = json.dumps({"store": token, "counts": counts}, sort_keys=True)
            try:
                atomic_write(memo, lambda tmp: tmp.write_text(text, encoding="utf-8"))
            except OSError:
                pass  # only a shortcut for the next build
        return counts
    if store_dir is not None and (store_dir / "CURRENT").is_file():
        from . import store as storage

        db = storage.open_store(store_dir, read_only=True)
        try:
            g = "https://w3id.org/govkg/ontology#"
            out: dict[str, int] = {}
            q = (f"SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?t {{ {' '.join(f'<{g}{t}>' for t in _ENTITY_TYPES)} }} "
                 "?e a ?t } GROUP BY ?t")
            for row in db.query(q):  # type: ignore[union-attr]
                out[row["t"].value.rsplit("#", 1)[-1]] = int(row["n"].value)
            preds = " ".join(f"<{g}{p}>" for p in _RELATIONS) + " <http://www.w3.org/ns/org#subOrganizationOf>"
            for key, q in (
                ("relations", f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {preds} }} ?s ?p ?o }}"),
                ("statistics", f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{g}Statistic> }}"),
            ):
                for row in db.query(q):  # type: ignore[union-attr]
                    out[key] = int(row["n"].value)
            return out
        finally:
            del db
    total: dict[str, int] = {}
    for e in {e.graph: e for e in manifest.files.values()}.values():
        for k, v in e.counts.items():
            total[k] = total.get(k, 0) + v
    return total


#: Up to this many reports, the view is drawn from every report graph; above it, from the
#: store's best-connected entities (a corpus of thousands of reports makes no readable page).
VIEW_ALL_REPORTS = 200


def view_dataset(out_dir: Path, manifest: Manifest, store: bool):  # type: ignore[no-untyped-def]
    """The rdflib Dataset the graph view is drawn from: every report graph of a small build,
    the corpus' best-connected entities (from the store) of a large one. Either way the view
    reads what the store holds (the store's chunks of a small build), not the mention nodes."""
    graphs = {e.graph: e.chunk for e in manifest.files.values()}
    if len(graphs) > VIEW_ALL_REPORTS and store:
        from .view import dataset_from_store

        return dataset_from_store(out_dir / "store")
    from .view import dataset_from_chunks

    cache = out_dir / "cache"
    return dataset_from_chunks(((g, (cache / store_chunk(c)).read_bytes())
                                for g, c in sorted(graphs.items())[:VIEW_ALL_REPORTS]), ontology_chunk("turtle"))

