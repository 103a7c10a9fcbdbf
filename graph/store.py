"""The on-disk SPARQL store: govkg's RDF in an Oxigraph (pyoxigraph) database.

rdflib builds the graph; Oxigraph answers the queries (rdflib's own SPARQL engine takes minutes
to hours on a corpus where Oxigraph takes milliseconds). The store holds one named graph per
report, named by the report's IRI, and the ontology in ``https://w3id.org/govkg/ontology``.

The default graph is the union of all of them, kept as a real RDF merge (each triple once) by
every write, rather than Oxigraph's "default graph as union" query option: that option returns a
triple once per graph that holds it, so a national law cited by 300 reports matches 300 times per
pattern and joins over shared entities grow by powers of that; on a 1,000,000-triple corpus the
named questions went from minutes to milliseconds by materialising the union. Queries therefore
need no options: ``?s ?p ?o`` ranges over the merge, ``GRAPH ?report { … }`` over one report.

Writing replaces each report's named graph and its share of the union in one transaction (one
SPARQL Update request), so a rebuilt report never shows half old and half new, and graphs of
other reports stay as they are. After every write a small marker file, ``govkg-store.json``,
records what is in the store and a generation number; ``govkg serve`` watches it to pick up
rebuilds.

Oxigraph opens a store folder exclusively for writing, and a read-only open while another
process writes is undefined behaviour. So writers (``govkg build``) take the lock for the few
seconds they write; ``govkg query`` opens read-only; ``govkg serve`` never serves the folder
itself but a checkpoint of it (:func:`snapshot`, hard links, instant), and switches to a new
checkpoint when the marker changes.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StoreError

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Dataset

__all__ = [
    "MARKER",
    "StoreStats",
    "write_store",
    "write_graphs",
    "open_store",
    "remove_graphs",
    "store_info",
    "store_generation",
    "snapshot",
    "load_file",
    "union_default_graph",
    "oxigraph_version",
]

#: The file beside the database files that says what the store holds (written by govkg only).
MARKER = "govkg-store.json"
#: Bumped when the layout of a govkg store changes incompatibly.
STORE_FORMAT = 1

# rdflib formats by file suffix, for --graph files
_SUFFIX_FORMATS = {
    ".trig": "TRIG",
    ".nq": "N_QUADS",
    ".nquads": "N_QUADS",
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".nt": "N_TRIPLES",
    ".ntriples": "N_TRIPLES",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
    ".jsonld": "JSON_LD",
    ".n3": "N3",
}


@dataclass(frozen=True)
class StoreStats:
    """What :func:`write_store` did."""

    path: Path
    replaced: tuple[str, ...]  # named graphs that existed and were replaced
    added: tuple[str, ...]  # named graphs that are new
    quads_written: int
    graphs: int  # named graphs in the store afterwards
    quads: int  # quads in the store afterwards
    generation: int
    seconds: float

    def summary(self) -> str:
        """One line for the build summary."""
        return (
            f"{len(self.added)} graph(s) added, {len(self.replaced)} replaced, "
            f"{self.quads_written} quads written; store holds {self.graphs} graphs, {self.quads} quads"
        )


def oxigraph_version() -> str:
    """The version of the installed pyoxigraph (the store's on-disk format follows it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pyoxigraph")
    except PackageNotFoundError:  # pragma: no cover - pyoxigraph is a dependency
        return "unknown"


def store_info(store_dir: str | Path) -> dict[str, Any]:
    """The marker of a store: generation, graphs and their sizes, the Oxigraph version.

    Returns an empty dict when the folder has no marker (not written by govkg, or empty).
    """
    p = Path(store_dir) / MARKER
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def store_generation(store_dir: str | Path) -> str | None:
    """A token that changes whenever govkg writes to the store (``None``: no marker)."""
    p = Path(store_dir) / MARKER
    try:
        st = p.stat()
    except OSError:
        return None
    return f"{st.st_mtime_ns}:{st.st_size}:{st.st_ino}"


def _is_store(store_dir: Path) -> bool:
    return (store_dir / "CURRENT").is_file()


def _open_error(store_dir: Path, err: Exception, *, writing: bool) -> StoreError:
    """Turn an Oxigraph/RocksDB open error into one actionable line."""
    msg = str(err)
    if "lock" in msg.lower():
        return StoreError(
            "the store is in use by another process (a build, `govkg serve --writable`, or a notebook "
            "holding it open for writing); stop that process or wait for it to finish, then retry",
            path=store_dir,
        )
    if isinstance(err, PermissionError) or "permission denied" in msg.lower():
        return StoreError(
            f"no permission to {'write' if writing else 'read'} the store; check the folder's owner and mode",
            path=store_dir,
        )
    written_by = store_info(store_dir).get("oxigraph")
    installed = oxigraph_version()
    hint = (
        f"it was written by Oxigraph {written_by} and this is {installed}; "
        if written_by and written_by != installed
        else ""
    )
    return StoreError(
        f"cannot open the store ({msg.splitlines()[0] if msg else type(err).__name__}); {hint}"
        "rebuild it with `govkg build` (or delete the folder first if it is damaged)",
        path=store_dir,
    )


def open_store(store_dir: str | Path, read_only: bool = True) -> pyoxigraph.Store:
    """Open an on-disk store.

    Args:
        store_dir: the store folder (``output/store`` after ``govkg build``).
        read_only: open without taking the write lock; several readers may share a store.

    Raises:
        StoreError: the folder is missing or is not a store, is locked by a writer, or was
            written by an incompatible Oxigraph version.
    """
    import pyoxigraph

    d = Path(store_dir)
    if read_only:
        if not d.is_dir():
            raise StoreError(
                "no SPARQL store here; run `govkg build` (it writes output/store) "
                "or query a graph file with --graph output/graph.trig",
                path=d,
            )
        if not _is_store(d):
            raise StoreError(
                "this folder is not an Oxigraph store (no CURRENT file); give the store folder "
                "`govkg build` wrote (output/store) or rebuild it",
                path=d,
            )
    elif d.exists() and not d.is_dir():
        raise StoreError("not a folder; give a folder for the store", path=d)
    elif d.is_dir() and any(d.iterdir()) and not _is_store(d):
        raise StoreError(
            "this folder is not empty and is not an Oxigraph store; refusing to write into it, "
            "give an empty or new folder",
            path=d,
        )
    try:
        return pyoxigraph.Store.read_only(str(d)) if read_only else pyoxigraph.Store(str(d))
    except (OSError, RuntimeError) as e:  # RocksDB reports corruption as RuntimeError
        raise _open_error(d, e, writing=not read_only) from None


# -- rdflib -> Oxigraph terms ----------------------------------------------------------------


def _ox_term(term: Any) -> Any:
    """A term as a pyoxigraph term: pyoxigraph terms as they are, rdflib terms converted
    (keeping the lexical form rdflib writes)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot store RDF term {term!r} of type {type(term).__name__}")


def _spo(t: Any) -> tuple[Any, Any, Any]:
    """(subject, predicate, object) of a pyoxigraph Triple or Quad, or of a 3-tuple."""
    if hasattr(t, "subject"):
        return t.subject, t.predicate, t.object
    s, p, o = t
    return s, p, o


def _graph_names(ds: Dataset) -> list[Any]:
    """The named graphs of a dataset that hold triples (the default graph left out)."""
    from rdflib import URIRef

    names = []
    for ctx in ds.graphs():
        ident = ctx.identifier
        if isinstance(ident, URIRef) and str(ident) != "urn:x-rdflib:default" and len(ctx):
            names.append(ident)
    return names


def _retract_update(graph_iri: str) -> str:
    """SPARQL Update operations that remove a named graph and its share of the union.

    A triple leaves the default graph only when no other named graph still holds it.
    """
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != <{graph_iri}>) }} }} ;\n"
        f"DROP SILENT GRAPH <{graph_iri}>"
    )


def _replace_update(graph_iri: str, triples: Iterable[tuple[Any, Any, Any]]) -> tuple[str, int]:
    """One SPARQL Update that replaces a named graph and keeps the default graph their union.

    Oxigraph runs one update request in one transaction, so readers see the old graph or the
    new one, never a mix. Terms are written by pyoxigraph, which escapes them correctly; the
    union copy is made from the stored graph so that blank nodes stay the same nodes.
    """
    lines = [_retract_update(graph_iri) + " ;", f"INSERT DATA {{ GRAPH <{graph_iri}> {{"]
    n = 0
    for t in triples:
        s, p, o = _spo(t)
        lines.append(f"{_ox_term(s)} {_ox_term(p)} {_ox_term(o)} .")
        n += 1
    lines.append("} } ;")
    lines.append(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")
    return "\n".join(lines), n


def union_default_graph(store: pyoxigraph.Store) -> None:
    """Make the default graph of ``store`` the union of its named graphs (for loaded files)."""
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


def _write_marker(store_dir: Path, store: pyoxigraph.Store, generation: int, graphs: dict[str, int]) -> None:
    from .publish import atomic_write

    data = {
        "store_format": STORE_FORMAT,
        "oxigraph": oxigraph_version(),
        "generation": generation,
        "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "graphs": graphs,
    }

    def write(tmp: Path) -> None:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")

    atomic_write(store_dir / MARKER, write)


def _graph_sizes(store: pyoxigraph.Store) -> dict[str, int]:
    counts: dict[str, int] = {}
    res = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    for row in res:  # type: ignore[union-attr]
        counts[row["g"].value] = int(row["n"].value)
    return counts


def write_store(ds: Dataset, store_dir: str | Path) -> StoreStats:
    """Load every named graph of ``ds`` into the on-disk store at ``store_dir``.

    Each named graph (one per report, and the ontology) replaces the graph of the same name in
    the store, together with its share of the default graph (the union), in one transaction per
    graph; graphs of the store that ``ds`` does not hold are left untouched (use
    :func:`remove_graphs` for deleted reports). The folder is created if needed.

    Raises:
        StoreError: the store is locked by another process, or cannot be written.
    """
    return write_graphs(store_dir, ((str(n), ds.graph(n).triples((None, None, None))) for n in _graph_names(ds)))


def write_graphs(store_dir: str | Path, graphs: Iterable[tuple[str, Iterable[Any]]]) -> StoreStats:
    """Replace named graphs of the store, one transaction per graph, keeping the union current.

    The lower-level form of :func:`write_store`, for builds that do not hold an rdflib Dataset:
    ``graphs`` gives (graph IRI, triples) pairs, the triples as pyoxigraph ``Triple``/``Quad``
    objects (``pyoxigraph.parse(turtle_chunk, format=RdfFormat.TURTLE)`` will do) or as
    (s, p, o) tuples of rdflib or pyoxigraph terms. Consumed one graph at a time.

    Raises:
        StoreError: the store is locked by another process, a term is invalid, or the store
            cannot be written; graphs written before the failing one stay written.
    """
    import pyoxigraph as ox

    t0 = time.perf_counter()
    d = Path(store_dir)
    d.mkdir(parents=True, exist_ok=True)
    store = open_store(d, read_only=False)
    replaced: list[str] = []
    added: list[str] = []
    written = 0
    try:
        for iri, triples in graphs:
            try:
                existed = store.contains_named_graph(ox.NamedNode(iri))
                update, n = _replace_update(iri, triples)
                store.update(update)
            except (OSError, SyntaxError, ValueError) as e:
                reason = " ".join(str(e).split())[:300]
                raise StoreError(f"could not write graph <{iri}> ({reason}); the store keeps its previous "
                                 "content for it; fix the input and rerun the build", path=d) from None
            (replaced if existed else added).append(iri)
            written += n
        store.flush()
        sizes = _graph_sizes(store)
        generation = int(store_info(d).get("generation", 0)) + 1
        _write_marker(d, store, generation, sizes)
    finally:
        del store
    return StoreStats(
        path=d,
        replaced=tuple(replaced),
        added=tuple(added),
        quads_written=written,
        graphs=len(sizes),
        quads=sum(sizes.values()),
        generation=generation,
        seconds=time.perf_counter() - t0,
    )


def remove_graphs(store_dir: str | Path, iris: Iterable[str]) -> list[str]:
    """Remove the named graphs of deleted reports, and their share of the union, in one transaction.

    Returns:
        The IRIs that were in the store and are now gone (unknown IRIs are ignored).

    Raises:
        StoreError: the store is missing, locked, or an IRI is not a valid IRI.
    """
    import pyoxigraph as ox

    d = Path(store_dir)
    if not _is_store(d):
        raise StoreError("no SPARQL store here; nothing to remove", path=d)
    store = open_store(d, read_only=False)
    try:
        present = []
        for iri in iris:
            try:
                node = ox.NamedNode(str(iri))
            except ValueError:
                raise StoreError(f"not a valid IRI: {iri!r}; give the report IRI as written in the graph",
                                 path=d) from None
            if store.contains_named_graph(node):
                present.append(str(node.value))
        if present:
            store.update(" ;\n".join(_retract_update(iri) for iri in present))
            store.flush()
            sizes = _graph_sizes(store)
            _write_marker(d, store, int(store_info(d).get("generation", 0)) + 1, sizes)
    finally:
        del store
    return present


def snapshot(store_dir: str | Path, target: str | Path, *, wait: float = 0.0) -> Path:
    """A consistent, independent copy of the store at ``target`` (an Oxigraph checkpoint).

    On the same file system the copy is made of hard links, so it is instant and takes no space
    until the store changes. Takes the store's write lock for the moment of the copy, which
    guarantees no writer is half-way through; with ``wait`` > 0, retries that long while
    another process holds the lock.

    Raises:
        StoreError: the store is missing, or stayed locked for ``wait`` seconds.
    """
    d, t = Path(store_dir), Path(target)
    if not _is_store(d):
        raise StoreError("no SPARQL store here; run `govkg build` first (it writes output/store)", path=d)
    deadline = time.monotonic() + wait
    while True:
        try:
            store = open_store(d, read_only=False)
            break
        except StoreError as e:
            if "in use by another process" not in str(e) or time.monotonic() >= deadline:
                raise
            time.sleep(0.2)
    try:
        store.backup(str(t))
    except OSError as e:
        raise StoreError(f"could not copy the store to {t} ({e}); check free space and permissions",
                         path=d) from None
    finally:
        del store
    return t


def _format_for(path: Path) -> Any:
    import pyoxigraph as ox

    name = _SUFFIX_FORMATS.get(path.suffix.lower())
    if name is None:
        raise StoreError(
            f"unknown graph file type {path.suffix or '(no suffix)'}; give a .trig, .nq, .ttl, .nt, "
            ".rdf or .jsonld file",
            path=path,
        )
    return getattr(ox.RdfFormat, name)


def load_file(path: str | Path) -> pyoxigraph.Store:
    """An in-memory store holding a graph file (TriG, N-Quads, Turtle …), for ``--graph``.

    Triples of a single-graph format go into the default graph; the named graphs of a dataset
    format are also merged into the default graph, as in a store ``govkg build`` writes.

    Raises:
        StoreError: the file is missing, of an unknown type, or not valid RDF.
    """
    import pyoxigraph as ox

    p = Path(path)
    if not p.is_file():
        raise StoreError("no such graph file; run `govkg build` first or check the path", path=p)
    fmt = _format_for(p)
    store = ox.Store()
    try:
        store.bulk_load(path=str(p), format=fmt)
    except SyntaxError as e:
        raise StoreError(f"not valid RDF ({str(e).splitlines()[0]}); rebuild it with `govkg build`",
                         path=p) from None
    except (OSError, ValueError) as e:
        raise StoreError(f"cannot read the file ({e})", path=p) from None
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        union_default_graph(store)
    return store


def cleanup_stale(parent: str | Path, prefix: str) -> None:
    """Remove snapshot folders named ``<prefix><pid>-…`` left by processes that no longer run."""
    import shutil

    base = Path(parent)
    if not base.is_dir():
        return
    for child in base.iterdir():
        if not child.name.startswith(prefix) or not child.is_dir():
            continue
        pid_s = child.name[len(prefix):].split("-", 1)[0]
        if not pid_s.isdigit():
            continue
        pid = int(pid_s)
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(child, ignore_errors=True)
        except PermissionError:  # alive, someone else's
            continue
