"""Plain names govkg's modules share, with no RDF library behind them: govkg's version, the
default base IRI, the prefixes, where the ontology files are. The CLI and the query module read
them without loading rdflib (``graph.vocab`` re-exports them beside the rdflib terms); the
version is here rather than in ``graph/__init__.py`` so that a module needing it (the view
stamps it into its page) does not import the package facade, which reaches up to the build."""

from __future__ import annotations

from pathlib import Path

__all__ = ["__version__", "DEFAULT_BASE", "PREFIXES", "ontology_dir"]

#: govkg's version (``graph.__version__``; keep it equal to pyproject.toml's).
__version__ = "0.1.0"

#: Where entity, report and sentence IRIs live unless ``--base-iri`` says otherwise.
DEFAULT_BASE = "https://w3id.org/govkg/id/"

#: The prefixes govkg writes and reads its RDF with (serialised chunks, query results).
PREFIXES: dict[str, str] = {
    "govkg": "https://w3id.org/govkg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "qb": "http://purl.org/linked-data/cube#",
    "prov": "http://www.w3.org/ns/prov#",
}


def ontology_dir() -> Path:
    """The folder holding govkg.ttl, shapes.ttl and queries/: the checkout's ``ontology/``,
    or the copy installed with the package."""
    here = Path(__file__).resolve().parent
    src = here.parent / "ontology"
    if (src / "govkg.ttl").is_file():
        return src
    installed = here / "ontology"
    if (installed / "govkg.ttl").is_file():
        return installed
    raise FileNotFoundError(
        "govkg's ontology files are missing; reinstall govkg (pip install .) from a full checkout"
    )
