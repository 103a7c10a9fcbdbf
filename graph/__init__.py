"""govkg: knowledge graphs from Chinese government reports.

The public API::

    import graph
    result = graph.build(["reports/"], out="output")      # files: graph.trig, graph.ttl, …
    ex = graph.extract("report.txt")                     # one report's entities, relations, stats
    ds = graph.load("output/graph.trig")                 # an rdflib Dataset

SPARQL lives in :mod:`graph.query` (``select(open_store("output/store"), "cite_law",
law="长江保护法")`` gives a pandas DataFrame). Stages, one module each: read -> nlp -> resolve
-> rdf -> validate (-> view / query / serve); :mod:`graph.pipeline` orchestrates a build of any
size, :mod:`graph.corpus` keeps its manifest, chunks and batches.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import GovkgError
from .names import __version__  # defined there so that submodules needing it need not import the package

if TYPE_CHECKING:
    from rdflib import Dataset

    from .extraction import extract
    from .pipeline import BuildResult, build, sample_path

# build, sample_path and BuildResult come from graph.pipeline (which loads rdflib), extract from
# graph.extraction; they are imported on first use so that `import graph` (and `govkg query`,
# which needs none of them) stays cheap.
_LAZY = frozenset(("build", "sample_path", "BuildResult"))


def __getattr__(name: str) -> Any:
    """``extract`` and the names of :data:`_LAZY`, imported from their module on first use."""
    if name == "extract":
        from .extraction import extract

        return extract
    if name in _LAZY:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")

__all__ = ["build", "extract", "load", "sample_path", "BuildResult", "GovkgError", "__version__"]


def load(path: str | Path) -> Dataset:
    """Load a graph file written by govkg (TriG, N-Quads, Turtle …) into an rdflib Dataset."""
    from rdflib import Dataset

    from .errors import InputError

    p = Path(path)
    if not p.is_file():
        raise InputError("no such graph file; run `govkg build` first", path=p)
    ds = Dataset()
    try:
        ds.parse(p)
    except Exception as e:  # noqa: BLE001 - rdflib raises many kinds
        raise InputError(f"cannot be parsed as RDF ({e})", path=p) from None
    return ds
