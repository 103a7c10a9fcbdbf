"""The build: paths in, validated RDF files out. Orchestrates read -> nlp -> resolve -> rdf.

Everything is written to temporary files first and moved into place only when the whole build
has succeeded (validation included), so a failed build never leaves half-written output and
never loses the previous one.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from .errors import ExtractionError, GovkgError, InputError
from .model import Document, Extraction
from .vocab import DEFAULT_BASE

__all__ = [
    "BuildResult",
    "Skipped",
    "sample_path",
    "extract",
    "extract_document",
    "build",
    "atomic_write",
    "commit_files",
    "iter_extractions",
]


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


def extract_document(document: Document) -> Extraction:
    """NLP and resolution for one document.

    Raises:
        ExtractionError: nothing at all was found, which means the text is not a report.
    """
    from .nlp import annotate
    from .resolve import resolve

    ann = annotate(document)
    if not ann.mentions and not ann.statistics:
        raise ExtractionError(
            "found no agency, law, policy, initiative, place or statistic; is this a government report?",
            path=document.path,
        )
    return resolve(document, ann)


def extract(path: str | Path) -> Extraction:
    """Read one report file and extract its knowledge graph content."""
    from .read import read_path

    return extract_document(read_path(path))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publish(tmp: str | Path) -> None:
    """Give a finished temporary file the mode a normally created file would have
    (mkstemp makes it 0600, which would hide the output from other users)."""
    os.chmod(tmp, 0o666 & ~_umask())


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write a file through a temporary sibling and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        _publish(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def commit_files(out_dir: Path, writers: dict[str, tuple[str, Callable[[Path], None]]]) -> dict[str, Path]:
    """Write every file to a temporary sibling first, then move them all into place.

    If any writer fails, no file in ``out_dir`` has changed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    tmps: dict[str, Path] = {}
    try:
        for key, (name, write) in writers.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            os.close(fd)
            tmps[key] = Path(tmp)
            write(Path(tmp))
            _publish(tmp)
    except BaseException:
        for t in tmps.values():
            t.unlink(missing_ok=True)
        raise
    done: dict[str, Path] = {}
    for key, (name, _) in writers.items():
        os.replace(tmps[key], out_dir / name)
        done[key] = out_dir / name
    return done


def build(
    inputs: Sequence[str | Path] | None = None,
    out: str | Path = "output",
    *,
    base: str = DEFAULT_BASE,
    validate: bool = True,
    view: bool = True,
    store: bool = True,
    on_progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the knowledge graph of one or more reports into ``out``.

    Writes ``graph.trig`` (a named graph per report plus the ontology), ``graph.ttl`` (all in
    one graph), with ``view`` ``graph.html``, and with ``store`` loads the report graphs into
    the SPARQL store ``store/`` (see :mod:`graph.store`). Bad reports in a batch are skipped and
    listed in the result; if none can be read, :class:`GovkgError` is raised and ``out`` is
    left as it was.
    """
    from .read import iter_paths, read_path
    from .rdf import bind_prefixes, to_dataset

    t0 = time.perf_counter()
    if not base.endswith(("/", "#")):
        raise GovkgError(f"--base-iri must end with '/' or '#': {base}")
    paths = list(iter_paths(inputs or [sample_path()]))
    if not paths:
        raise InputError("no report files (.txt) found; give report files or folders that hold them",
                         path=", ".join(str(i) for i in inputs or []))
    extractions: list[Extraction] = []
    skipped: list[Skipped] = []
    duplicates: list[tuple[str, str]] = []
    by_hash: dict[str, str] = {}
    for p in paths:
        if on_progress:
            on_progress(str(p))
        try:
            doc = read_path(p)
            if doc.content_hash in by_hash:
                duplicates.append((str(p), by_hash[doc.content_hash]))
                continue
            ex = extract_document(doc)
        except GovkgError as e:
            skipped.append(Skipped(str(p), e.reason))
            continue
        by_hash[doc.content_hash] = str(p)
        extractions.append(ex)
    if not extractions:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped)
        raise GovkgError(f"no report could be built ({reasons})")

    ds = to_dataset(extractions, base)
    validation, conforms = "not run (--no-validate)", True
    if validate:
        from .validate import validate as shacl

        res = shacl(ds)
        validation, conforms = res.summary(), res.conforms

    out_dir = Path(out)

    def trig(tmp: Path) -> None:
        ds.serialize(destination=str(tmp), format="trig")

    def ttl(tmp: Path) -> None:
        from rdflib import Graph

        g = Graph()
        bind_prefixes(g)
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        g.serialize(destination=str(tmp), format="turtle")

    writers: dict[str, tuple[str, Callable[[Path], None]]] = {
        "trig": ("graph.trig", trig),
        "ttl": ("graph.ttl", ttl),
    }
    if view:
        try:
            from .view import write_view
        except ImportError:  # the view module arrives with the graph-view feature
            pass
        else:
            writers["html"] = ("graph.html", lambda tmp: write_view(ds, tmp))
    written = commit_files(out_dir, writers)
    if store:
        from .store import write_store

        written["store"] = write_store(ds, out_dir / "store").path

    counts: Counter[str] = Counter()
    relations = statistics = 0
    for ex in extractions:
        for e in ex.entities:
            counts[e.type] += 1
        relations += len({(r.subject, r.predicate, r.object) for r in ex.relations})
        statistics += len(ex.statistics)
    return BuildResult(
        out_dir=out_dir,
        files=written,
        reports=len(extractions),
        entity_counts=dict(counts),
        relations=relations,
        statistics=statistics,
        triples=sum(1 for _ in ds.quads((None, None, None, None))),
        validation=validation,
        conforms=conforms,
        seconds=time.perf_counter() - t0,
        skipped=tuple(skipped),
        duplicates=tuple(duplicates),
    )


def iter_extractions(paths: Iterable[Path]) -> Iterable[Extraction | Skipped]:
    """Extract reports one at a time, yielding a :class:`Skipped` for each bad one."""
    from .read import read_path

    for p in paths:
        try:
            yield extract_document(read_path(p))
        except GovkgError as e:
            yield Skipped(str(p), e.reason)
