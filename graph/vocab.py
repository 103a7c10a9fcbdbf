"""The govkg ontology's terms as an rdflib ``DefinedNamespace``, and the W3C vocabularies reused.

``_fail = True`` makes a misspelt term an error at import, not a silent new IRI; a test checks
that the terms here and the ones ``ontology/govkg.ttl`` declares are the same set.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .names import DEFAULT_BASE, PREFIXES, ontology_dir

__all__ = ["GOVKG", "ONTOLOGY_IRI", "ELI", "NIF", "QB", "DEFAULT_BASE", "PREFIXES", "ontology_dir"]

ONTOLOGY_IRI = URIRef("https://w3id.org/govkg/ontology")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
QB = Namespace("http://purl.org/linked-data/cube#")


class GOVKG(DefinedNamespace):
    """govkg ontology terms."""

    _fail = True
    _NS = Namespace("https://w3id.org/govkg/ontology#")

    # classes
    Report: URIRef
    Entity: URIRef
    Agency: URIRef
    Law: URIRef
    Policy: URIRef
    Initiative: URIRef
    Place: URIRef
    Statistic: URIRef
    Sentence: URIRef
    Mention: URIRef
    RelationAssertion: URIRef
    Role: URIRef
    StatisticStructure: URIRef
    # section roles
    achievement: URIRef
    problem: URIRef
    plan: URIRef
    roles: URIRef
    # relations between entities
    issues: URIRef
    implements: URIRef
    organizes: URIRef
    promotes: URIRef
    concerns: URIRef
    basedOn: URIRef
    locatedIn: URIRef
    extendsTo: URIRef
    jurisdiction: URIRef
    ledBy: URIRef
    guidedBy: URIRef
    reportsTo: URIRef
    worksWith: URIRef
    hosts: URIRef
    establishes: URIRef
    participatesIn: URIRef
    receives: URIRef
    # provenance
    mentionedIn: URIRef
    mention: URIRef
    sentence: URIRef
    report: URIRef
    role: URIRef
    sentenceIndex: URIRef
    heading: URIRef
    extractedBy: URIRef
    # report metadata
    locality: URIRef
    year: URIRef
    contentHash: URIRef
    sourceFile: URIRef
    encoding: URIRef
    # entity attributes
    divisionCode: URIRef
    divisionLevel: URIRef
    lawCategory: URIRef
    agencyKind: URIRef
    scope: URIRef
    # statistics
    value: URIRef
    unit: URIRef
    measure: URIRef
    about: URIRef
    surface: URIRef
    approximate: URIRef
