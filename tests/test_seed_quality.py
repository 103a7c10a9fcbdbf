"""A regression guard on extraction quality: the sample report's graph against its gold
annotation (tests/data/seed.gold.json, after shared/eval/GUIDELINES.md).

The checks are written here from the guidelines, not taken from the shared scorer. The
thresholds sit below today's figures on purpose: they catch regressions, they are not a target
to tune the builder to the one sample.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from graph.model import Extraction
from graph.rdf import TYPE, report_triples
from graph.vocab import GOVKG

GOLD_PATH = Path(__file__).parent / "data" / "seed.gold.json"

ENTITY_PRECISION = 0.9
RELATION_RECALL = 0.9
STATISTIC_RECALL = 0.9

# quotes, book-title marks and white space are not part of a name (GUIDELINES.md, Labels)
_MARKS = re.compile(r"[\s\"'“”‘’《》〈〉<>「」『』]")


def norm(name: str) -> str:
    """A name as the guidelines compare it: NFKC, without quotes, marks or spaces."""
    return _MARKS.sub("", unicodedata.normalize("NFKC", name))


@dataclass(frozen=True)
class Node:
    iri: URIRef
    type: str
    names: frozenset[str]  # normalised label and aliases


@dataclass(frozen=True)
class Stat:
    value: Decimal
    unit: str
    text: str  # its own words and the labels of the nodes it links to


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    data = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
    assert data["entities"] and data["relations"] and data["statistics"]
    return data


@pytest.fixture(scope="module")
def graph(sample_extraction: Extraction) -> Graph:
    g = Graph()
    for t in report_triples(sample_extraction):
        g.add(t)
    return g


@pytest.fixture(scope="module")
def nodes(graph: Graph) -> list[Node]:
    out = []
    for kind, cls in TYPE.items():
        for n in graph.subjects(RDF.type, cls):
            names = {str(x) for x in graph.objects(n, RDFS.label)} | {str(x) for x in graph.objects(n, SKOS.altLabel)}
            out.append(Node(n, kind, frozenset(norm(x) for x in names)))
    return out


@pytest.fixture(scope="module")
def stats(graph: Graph) -> list[Stat]:
    out = []
    for n in graph.subjects(RDF.type, GOVKG.Statistic):
        words = [str(graph.value(n, p) or "") for p in (GOVKG.surface, GOVKG.measure, RDFS.label)]
        for o in graph.objects(n, None):
            if isinstance(o, URIRef):
                words += [str(x) for x in graph.objects(o, RDFS.label)]
                words += [str(x) for x in graph.objects(o, SKOS.altLabel)]
        out.append(Stat(graph.value(n, GOVKG.value).toPython(), str(graph.value(n, GOVKG.unit)), norm(" ".join(words))))
    return out


def gold_names(entry: dict[str, Any]) -> set[str]:
    return {norm(entry["label"]), *(norm(a) for a in entry.get("aliases", []))}


def matching(nodes: list[Node], names: set[str]) -> list[Node]:
    return [n for n in nodes if n.names & names]


def test_seed_quality_norm_follows_the_guidelines() -> None:
    assert norm("“证照分离”改革") == "证照分离改革"
    assert norm("《法治政府建设实施纲要（2021－2025年）》") == "法治政府建设实施纲要(2021-2025年)"
    assert norm(" 一窗 受理 ") == "一窗受理"


def test_seed_quality_every_required_entity_is_found_with_its_type(gold: dict[str, Any], nodes: list[Node]) -> None:
    missed, mistyped = [], []
    for e in gold["entities"]:
        if not e["required"]:
            continue
        hits = matching(nodes, gold_names(e))
        if not hits:
            missed.append(e["label"])
        elif e["type"] not in {n.type for n in hits}:
            mistyped.append(f"{e['label']} ({e['type']}, found as {sorted({n.type for n in hits})})")
    assert not missed, f"required entities not found: {missed}"
    assert not mistyped, f"required entities of the wrong type: {mistyped}"


def test_seed_quality_entity_precision(gold: dict[str, Any], nodes: list[Node]) -> None:
    required = [gold_names(e) for e in gold["entities"] if e["required"]]
    optional = [gold_names(e) for e in gold["entities"] if not e["required"]]
    true, false = 0, []
    for n in nodes:
        if any(n.names & g for g in required):
            true += 1
        elif any(n.names & g for g in optional):
            continue  # borderline: neither credit nor fault
        else:
            false.append(sorted(n.names)[0])
    precision = true / (true + len(false))
    assert precision >= ENTITY_PRECISION, f"precision {precision:.3f}; not in the gold: {false}"


def test_seed_quality_no_negative_is_an_entity(gold: dict[str, Any], nodes: list[Node]) -> None:
    negatives = {norm(x) for x in gold["negatives"]}
    hit = sorted({name for n in nodes for name in n.names & negatives})
    assert not hit, f"gold negatives produced as entities: {hit}"


def _linked(graph: Graph, a: list[Node], b: list[Node]) -> bool:
    ends = {n.iri for n in b}
    for x in a:
        for o in graph.objects(x.iri, None):
            if o in ends:
                return True
        for s in graph.subjects(None, x.iri):
            if s in ends:
                return True
    return False


def test_seed_quality_relation_recall(gold: dict[str, Any], graph: Graph, nodes: list[Node]) -> None:
    missed = []
    for r in gold["relations"]:
        subj = matching(nodes, {norm(x) for x in r["s"]})
        obj = matching(nodes, {norm(x) for x in r["o"]})
        if not (subj and obj and _linked(graph, subj, obj)):
            missed.append(f"{r['s'][0]} {r['kind']} {r['o'][0]}")
    recall = 1 - len(missed) / len(gold["relations"])
    assert recall >= RELATION_RECALL, f"relation recall {recall:.3f}; missed: {missed}"


def test_seed_quality_no_negative_relation_is_linked(gold: dict[str, Any], graph: Graph, nodes: list[Node]) -> None:
    wrong = []
    for r in gold["negative_relations"]:
        subj = matching(nodes, {norm(x) for x in r["s"]})
        obj = matching(nodes, {norm(x) for x in r["o"]})
        if subj and obj and _linked(graph, subj, obj):
            wrong.append(f"{r['s'][0]} – {r['o'][0]}")
    assert not wrong, f"linked though the gold says they are not related: {wrong}"


def test_seed_quality_statistic_recall(gold: dict[str, Any], stats: list[Stat]) -> None:
    free = list(stats)
    missed = []
    for g in gold["statistics"]:
        value = Decimal(str(g["value"]))
        units = {g["unit"], *g.get("unit_variants", [])}
        keys = [norm(k) for k in g["keys"]]
        hit = next((s for s in free if s.value == value and s.unit in units and any(k in s.text for k in keys)), None)
        if hit is None:
            missed.append(f"{g['value']}{g['unit']} ({'/'.join(g['keys'])})")
        else:
            free.remove(hit)
    recall = 1 - len(missed) / len(gold["statistics"])
    assert recall >= STATISTIC_RECALL, f"statistic recall {recall:.3f}; missed: {missed}"
