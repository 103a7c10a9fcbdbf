"""graph.vocab against ontology/govkg.ttl and ontology/shapes.ttl: the terms the code may use
are exactly the terms the ontology declares."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH

from graph.model import Extraction
from graph.rdf import report_triples
from graph.vocab import GOVKG, ONTOLOGY_IRI, ontology_dir

NS = str(GOVKG._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    g.parse(ontology_dir() / "govkg.ttl", format="turtle")
    return g


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    g.parse(ontology_dir() / "shapes.ttl", format="turtle")
    return g


def _govkg_iris(g: Graph) -> set[URIRef]:
    out: set[URIRef] = set()
    for t in g:
        out.update(x for x in t if isinstance(x, URIRef) and str(x).startswith(NS))
    return out


def _declared(g: Graph) -> set[URIRef]:
    """govkg: terms the ontology declares: every govkg: subject given an rdf:type."""
    return {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(NS)}


def _vocab_terms() -> set[URIRef]:
    return {GOVKG[name] for name in GOVKG.__annotations__}


def test_vocab_ontology_parses_and_names_itself(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert len(ontology) > 100


def test_vocab_every_vocab_term_is_declared_in_the_ontology(ontology: Graph) -> None:
    missing = _vocab_terms() - _declared(ontology)
    assert not missing, f"in graph/vocab.py but not declared in govkg.ttl: {sorted(missing)}"


def test_vocab_every_ontology_term_is_in_the_vocab(ontology: Graph) -> None:
    missing = _declared(ontology) - _vocab_terms()
    assert not missing, f"declared in govkg.ttl but missing from graph/vocab.py: {sorted(missing)}"


def test_vocab_every_govkg_iri_used_in_the_ontology_is_declared(ontology: Graph) -> None:
    # a govkg: term used as a domain, range or list member must be declared too
    undeclared = _govkg_iris(ontology) - _declared(ontology)
    assert not undeclared, sorted(undeclared)


@pytest.mark.parametrize("kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty])
def test_vocab_classes_and_properties_have_zh_and_en_labels(ontology: Graph, kind: URIRef) -> None:
    terms = [s for s in ontology.subjects(RDF.type, kind) if str(s).startswith(NS)]
    assert terms, f"no govkg terms of type {kind}"
    for t in terms:
        langs = {lbl.language for lbl in ontology.objects(t, RDFS.label)}
        assert {"zh", "en"} <= langs, f"{t} lacks an rdfs:label in zh or en: {langs}"


@pytest.mark.parametrize("kind", ["Agency", "Law", "Policy", "Initiative", "Place"])
def test_vocab_entity_types_are_subclasses_of_entity(ontology: Graph, kind: str) -> None:
    assert (GOVKG[kind], RDFS.subClassOf, GOVKG.Entity) in ontology


def test_vocab_misspelt_term_is_an_error() -> None:
    with pytest.raises(AttributeError):
        _ = GOVKG.Agencyy


def test_vocab_shapes_parse_and_use_declared_terms(shapes: Graph, ontology: Graph) -> None:
    assert len(list(shapes.subjects(RDF.type, SH.NodeShape))) >= 5
    undeclared = _govkg_iris(shapes) - _declared(ontology)
    assert not undeclared, f"shapes.ttl uses govkg terms the ontology does not declare: {sorted(undeclared)}"


def test_vocab_every_shape_target_is_a_declared_class(shapes: Graph, ontology: Graph) -> None:
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    for target in shapes.objects(None, SH.targetClass):
        if str(target).startswith(NS):
            assert target in classes, target


def test_vocab_sample_graph_uses_only_declared_terms(sample_extraction: Extraction, ontology: Graph) -> None:
    g = Graph()
    for t in report_triples(sample_extraction):
        g.add(t)
    undeclared = _govkg_iris(g) - _declared(ontology)
    assert not undeclared, f"the builder writes govkg terms the ontology does not declare: {sorted(undeclared)}"
