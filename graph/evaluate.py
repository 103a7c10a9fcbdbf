"""Score report graphs against gold annotations: what ``govkg eval`` measures.

A gold file (``docs/eval.md``) describes the knowledge graph ONE report should yield: its
distinct entities (required or optional), strings that must not become entities, the pairs it
links and the pairs it must not link, and its statistics. :func:`score` compares the report's
RDF graph with it, by the rules of the project's shared scorer, so that figures from ``govkg
eval`` and from the shared evaluation can be compared:

- names match after :func:`norm` (NFKC, dashes unified, quotes, book-title marks and spaces
  dropped, lower case), on ``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``,
  ``schema:name`` and ``foaf:name``; when a node's names match several gold entities, its
  primary labels (``rdfs:label``, ``skos:prefLabel``) decide, then the earliest gold entry;
- a node's type is the class it is ``rdf:type`` of, or a superclass (``rdfs:subClassOf*``), whose
  local name is Agency, Law, Policy, Initiative, Place or Statistic;
- a relation is found when any direct triple joins a node of one end to a node of the other,
  in either direction; a negative relation so joined is a wrong link;
- a statistic matches an unused Statistic node that carries its value as a number and one of
  its keys in its text (its string literals and the labels of the nodes it points to), gold
  statistics taken in gold order. As in the shared scorer the unit is not compared: it is
  part of the normalised value (1269万元 is 12690000 元).

The graph is the one users query (report triples and the ontology), not the dataclasses the
extraction hands over. :func:`score` is pure: an rdflib graph and a gold dict in, a
:class:`ReportScore` out. :func:`evaluate` finds, builds and scores reports from files.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from .errors import GoldError, GovkgError
from .vocab import GOVKG, NIF

if TYPE_CHECKING:
    from rich.table import Table

__all__ = [
    "TYPES",
    "ENTITY_TYPES",
    "norm",
    "check_gold",
    "load_gold",
    "gold_files",
    "find_text",
    "report_graph",
    "Counts",
    "Finding",
    "ReportScore",
    "ReportResult",
    "Evaluation",
    "score",
    "evaluate",
    "to_json",
    "table",
    "finding_lines",
]

#: The kinds of node scored, by the local name of their class (or of a superclass).
TYPES: tuple[str, ...] = ("Agency", "Law", "Policy", "Initiative", "Place", "Statistic")
#: The kinds a gold entity may have.
ENTITY_TYPES: tuple[str, ...] = TYPES[:-1]

_LABELS = frozenset({
    RDFS.label, SKOS.prefLabel, SKOS.altLabel, URIRef("https://schema.org/name"),
    URIRef("http://schema.org/name"), URIRef("http://xmlns.com/foaf/0.1/name"),
})
_PRIMARY = frozenset({RDFS.label, SKOS.prefLabel})
# after NFKC, these are not part of a name: quotes, book-title marks, white space
_NOT_NAME = frozenset("《》〈〉<>“”\"'‘’「」『』 \t\r\n\u3000")
# every dash (and the katakana long mark, which OCR and IMEs put for one) reads as "-"
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc", "-"))


def norm(name: str) -> str:
    """A name as gold and graph are compared: NFKC, one dash, no quotes, marks or spaces, lower case.

    Examples:
        >>> norm("“证照分离”改革")
        '证照分离改革'
        >>> norm("《法治政府建设实施纲要（２０２１—２０２５年）》")
        '法治政府建设实施纲要(2021-2025年)'
        >>> norm(" 12345 Hotline ")
        '12345hotline'
    """
    folded = unicodedata.normalize("NFKC", str(name)).translate(_DASHES)
    return "".join(c for c in folded if c not in _NOT_NAME).lower()


def _local(term: Node) -> str:
    """The local name of an IRI: what follows its last ``#``, ``/`` or ``:``."""
    s = str(term)
    cut = max(s.rfind("#"), s.rfind("/"), s.rfind(":"))
    return s[cut + 1:]


# -- gold files ----------------------------------------------------------------------------------

_FORMAT_HINT = "see docs/eval.md for the gold format"


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def check_gold(data: object, path: str | Path = "<gold>") -> dict[str, Any]:
    """Check that parsed JSON is a gold file and return it; nothing is changed or filled in.

    Only ``entities`` is required; ``negatives``, ``relations``, ``negative_relations`` and
    ``statistics`` may be left out (nothing to check), ``doc``, ``note`` and ``metadata`` are
    not read by the scorer.

    Raises:
        GoldError: a key is missing or of the wrong kind; the message names the entry.
    """

    def bad(what: str) -> GoldError:
        return GoldError(f"not a gold file: {what}; {_FORMAT_HINT}", path=path)

    if not isinstance(data, dict):
        raise bad(f"the top level is a JSON {type(data).__name__}, not an object")
    if not isinstance(data.get("entities"), list):
        raise bad("no 'entities' list")
    for i, e in enumerate(data["entities"]):
        where = f"entities[{i}]"
        if not isinstance(e, dict):
            raise bad(f"{where} is not an object")
        for key in ("type", "label", "required"):
            if key not in e:
                raise bad(f"{where} has no '{key}'")
        if e["type"] not in ENTITY_TYPES:
            raise bad(f"{where} has type {e['type']!r}, not one of {', '.join(ENTITY_TYPES)}")
        if not isinstance(e["label"], str) or not e["label"].strip():
            raise bad(f"{where} has no label text")
        if not isinstance(e["required"], bool):
            raise bad(f"{where}: 'required' must be true or false")
        if not _strings(e.get("aliases", [])):
            raise bad(f"{where}: 'aliases' must be a list of strings")
    if not _strings(data.get("negatives", [])):
        raise bad("'negatives' must be a list of strings")
    for key in ("relations", "negative_relations"):
        rels = data.get(key, [])
        if not isinstance(rels, list):
            raise bad(f"'{key}' must be a list")
        for i, r in enumerate(rels):
            where = f"{key}[{i}]"
            if not isinstance(r, dict):
                raise bad(f"{where} is not an object")
            for end in ("s", "o"):
                if end not in r:
                    raise bad(f"{where} has no '{end}'")
                if not _strings(r[end]) or not r[end]:
                    raise bad(f"{where}: '{end}' must be a non-empty list of names")
    stats = data.get("statistics", [])
    if not isinstance(stats, list):
        raise bad("'statistics' must be a list")
    for i, s in enumerate(stats):
        where = f"statistics[{i}]"
        if not isinstance(s, dict):
            raise bad(f"{where} is not an object")
        for key in ("value", "unit", "keys"):
            if key not in s:
                raise bad(f"{where} has no '{key}'")
        if isinstance(s["value"], bool) or not isinstance(s["value"], int | float):
            raise bad(f"{where}: 'value' must be a number (1269万元 is 12690000)")
        if not _strings(s["keys"]) or not s["keys"]:
            raise bad(f"{where}: 'keys' must be a non-empty list of words")
    return data


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read and check one gold file.

    Raises:
        GoldError: the file is missing, unreadable, not JSON, or not a gold file.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GoldError("no such gold file; check the path", path=p) from None
    except (OSError, UnicodeDecodeError) as e:
        raise GoldError(f"cannot be read ({e}); a gold file is UTF-8 JSON", path=p) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise GoldError(f"is not JSON (line {e.lineno}, column {e.colno}: {e.msg}); fix it or {_FORMAT_HINT}",
                        path=p) from None
    return check_gold(data, p)


def gold_files(inputs: Iterable[str | Path]) -> list[Path]:
    """Gold files named, and every ``*.json`` directly in folders named; each once, in order.

    Raises:
        GoldError: an input does not exist, or no gold file is found at all.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for item in inputs:
        p = Path(item)
        if not p.exists():
            raise GoldError("no such gold file or folder; check the path", path=p)
        for q in sorted(p.glob("*.json")) if p.is_dir() else [p]:
            if q.resolve() not in seen:
                seen.add(q.resolve())
                out.append(q)
    if not out:
        raise GoldError("no gold files (*.json) found; give gold files or folders that hold them",
                        path=", ".join(map(str, inputs)))
    return out


def find_text(gold_path: Path, gold: Mapping[str, Any], texts: Path) -> Path | None:
    """The report text of a gold file in ``texts``, or None.

    Tried in order: ``<gold stem>.txt``, the gold stem with the other suffixes govkg reads
    (.html, .docx, .pdf …), the file the gold's ``doc`` names, and that name's stem with each
    suffix. A gold file named ``x.gold.json`` also finds ``x.txt``.
    """
    from .read import SUFFIXES

    stems = [gold_path.stem]
    if gold_path.stem.endswith(".gold"):
        stems.append(gold_path.stem[: -len(".gold")])
    candidates = [texts / (stem + suffix) for stem in stems for suffix in SUFFIXES]
    doc = gold.get("doc")
    if isinstance(doc, str) and doc and Path(doc).name == doc:
        candidates.append(texts / doc)
        candidates += [texts / (Path(doc).stem + suffix) for suffix in SUFFIXES]
    return next((c for c in candidates if c.is_file()), None)


# -- scores --------------------------------------------------------------------------------------


def _ratio(part: int, whole: int, empty: float | None = 0.0) -> float | None:
    return part / whole if whole else empty


def _f1(p: float | None, r: float | None) -> float:
    p, r = p or 0.0, r or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _r3(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


@dataclass(frozen=True)
class Counts:
    """The tallies of one report, or summed over several: micro averages come from these.

    The names are those of the shared scorer's ``counts`` so the two can be compared.
    """

    required: int = 0
    required_found: int = 0
    required_typed: int = 0
    predicted: int = 0  # distinct gold entities matched plus unmatched nodes
    predicted_matched: int = 0
    predicted_typed: int = 0
    relations: int = 0
    relations_found: int = 0
    wrong_link_pairs: int = 0
    wrong_links: int = 0
    statistics: int = 0
    statistics_found: int = 0
    statistic_nodes: int = 0
    negatives_hit: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def as_dict(self) -> dict[str, int]:
        """The tallies by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def figures(self, *, empty: float | None = 0.0) -> dict[str, Any]:
        """Precision, recall and F1 from the tallies, rounded to 3 places.

        ``empty`` is the relation and statistic recall when the gold has none: the shared scorer
        says None for one report and 0.0 for a set, and so do we.

        Examples:
            >>> Counts(required=4, required_found=3, predicted=4, predicted_matched=3).figures()["entity_f1"]
            0.75
        """
        p, r = _ratio(self.predicted_matched, self.predicted), _ratio(self.required_found, self.required)
        tp, tr = _ratio(self.predicted_typed, self.predicted), _ratio(self.required_typed, self.required)
        return {
            "entity_precision": _r3(p), "entity_recall": _r3(r), "entity_f1": _r3(_f1(p, r)),
            "typed_precision": _r3(tp), "typed_recall": _r3(tr), "typed_f1": _r3(_f1(tp, tr)),
            "relation_recall": _r3(_ratio(self.relations_found, self.relations, empty)),
            "wrong_links": f"{self.wrong_links}/{self.wrong_link_pairs}",
            "wrong_link_rate": _r3(_ratio(self.wrong_links, self.wrong_link_pairs)),
            "statistic_recall": _r3(_ratio(self.statistics_found, self.statistics, empty)),
            "statistic_precision": _r3(_ratio(self.statistics_found, self.statistic_nodes)),
            "negatives_hit": self.negatives_hit,
        }


@dataclass(frozen=True)
class Finding:
    """One miss or fault, with the sentence of the report it comes from when the graph has one.

    ``kind`` is one of: missed entity, mistyped, false positive, negative hit, missed relation,
    wrong link, missed statistic, extra statistic.
    """

    kind: str
    what: str
    sentence: str | None = None


@dataclass(frozen=True)
class ReportScore:
    """What :func:`score` found for one report graph."""

    counts: Counts
    per_type: dict[str, tuple[int, int]]  # entity type -> (required found with that type, required)
    triples: int
    entity_nodes: int
    entity_edges: int
    findings: tuple[Finding, ...] = ()

    def figures(self) -> dict[str, Any]:
        """The report's figures, as the shared scorer gives them for one report."""
        out = self.counts.figures(empty=None)
        out["per_type_recall"] = {t: f"{a}/{b}" for t, (a, b) in self.per_type.items()}
        return out


class _View:
    """The parts of a graph the scorer reads, collected once: types, names and sentences."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.kinds: dict[Node, set[str]] = defaultdict(set)
        class_kind: dict[Node, str | None] = {}
        for node, cls in graph.subject_objects(RDF.type):
            if cls not in class_kind:
                class_kind[cls] = self._kind_of_class(cls)
            kind = class_kind[cls]
            if kind is not None:
                self.kinds[node].add(kind)
        self.names: dict[Node, set[str]] = defaultdict(set)
        self.primary: dict[Node, set[str]] = defaultdict(set)
        self.shown: dict[Node, str] = {}  # a label to print, as written
        for node, pred, obj in graph:
            if pred in _LABELS and isinstance(obj, Literal):
                self.names[node].add(norm(obj))
                if pred in _PRIMARY:
                    self.primary[node].add(norm(obj))
                    if node not in self.shown or str(obj) < self.shown[node]:
                        self.shown[node] = str(obj)

    def _kind_of_class(self, cls: Node) -> str | None:
        """The scored kind a class is, or is a subclass of (rdfs:subClassOf*), by local name."""
        seen: set[Node] = set()
        todo = [cls]
        while todo:
            c = todo.pop()
            if c in seen:
                continue
            seen.add(c)
            if _local(c) in TYPES:
                return _local(c)
            todo.extend(self.graph.objects(c, RDFS.subClassOf))
        return None

    def label(self, node: Node) -> str:
        """The node's label for a person: its primary label, else its first name, else its IRI."""
        if node in self.shown:
            return self.shown[node]
        return min(self.names[node]) if self.names.get(node) else str(node)

    def _sentence_text(self, sentences: Iterable[Node]) -> str | None:
        """The text of the earliest of these sentences (nif:isString), if any."""
        best: tuple[int, str] | None = None
        for s in sentences:
            text = self.graph.value(s, NIF.isString)
            if text is None:
                continue
            begin = self.graph.value(s, NIF.beginIndex)
            key = (int(begin.toPython()) if isinstance(begin, Literal) else 0, str(text))
            if best is None or key < best:
                best = key
        return None if best is None else best[1]

    def sentence_of(self, node: Node) -> str | None:
        """The sentence a node was found in: its own govkg:sentence, or its mentions'."""
        g = self.graph
        sentences = set(g.objects(node, GOVKG.sentence))
        for m in g.objects(node, GOVKG.mention):
            sentences.update(g.objects(m, GOVKG.sentence))
        return self._sentence_text(sentences)

    def sentence_linking(self, a: Node, b: Node) -> str | None:
        """The sentence of a relation assertion (rdf:subject/rdf:object) joining a and b either way."""
        g = self.graph
        sentences: set[Node] = set()
        for x, y in ((a, b), (b, a)):
            for an in set(g.subjects(RDF.subject, x)) & set(g.subjects(RDF.object, y)):
                sentences.update(g.objects(an, GOVKG.sentence))
        return self._sentence_text(sentences)


def _gold_names(entry: Mapping[str, Any]) -> list[str]:
    return [entry["label"], *entry.get("aliases", [])]


def _numbers_and_text(view: _View, node: Node) -> tuple[set[float], str]:
    """A Statistic node's numbers (rounded to 4 places) and its text: its string literals and
    the names of the nodes it points to, and of those a blank node it points to holds (a
    quantity value), then its own names, joined by ``|``."""
    g = view.graph
    numbers: set[float] = set()
    parts: list[str] = []

    def values() -> Iterator[Node]:
        for _, obj in g.predicate_objects(node):
            yield obj
            if isinstance(obj, BNode):
                yield from (o for _, o in g.predicate_objects(obj))

    for obj in values():
        if isinstance(obj, Literal):
            v = obj.toPython()
            if isinstance(v, int | float | Decimal) and not isinstance(v, bool):
                numbers.add(round(float(v), 4))
            elif isinstance(v, str):
                parts.append(norm(v))
        else:
            parts.append("|".join(view.names.get(obj, ())))
    parts.append("|".join(view.names.get(node, ())))
    return numbers, "|".join(parts)


def score(graph: Graph, gold: Mapping[str, Any]) -> ReportScore:
    """Score one report's RDF graph against its gold annotation (a dict as :func:`check_gold` takes).

    Entities: every node typed Agency, Law, Policy, Initiative or Place is matched to at most
    one gold entity by its names. Precision is over the distinct gold entities matched plus the
    nodes that match none (a node matching an optional entity is not a fault); recall is over
    the required entities. Typed figures count a gold entity only when a node matched to it has
    its type. A node that matches nothing but carries a negative's name is a negative hit.
    """
    view = _View(graph)
    kinds = view.kinds
    entities: list[Mapping[str, Any]] = list(gold["entities"])
    first_named: dict[str, int] = {}  # name -> the earliest gold entity that has it
    for i, e in enumerate(entities):
        for name in _gold_names(e):
            first_named.setdefault(norm(name), i)
    negatives = {norm(x) for x in gold.get("negatives", [])}
    findings: list[Finding] = []

    # -- entities
    entity_nodes = {n for n, k in kinds.items() if k - {"Statistic"}}
    matched: dict[Node, int] = {}
    unmatched: list[Node] = []
    negative_nodes: list[Node] = []
    for n in entity_nodes:
        by_primary = [first_named[x] for x in view.primary.get(n, ()) if x in first_named]
        by_any = [first_named[x] for x in view.names.get(n, ()) if x in first_named]
        if by_primary or by_any:
            matched[n] = min(by_primary or by_any)
        else:
            unmatched.append(n)
            if view.names.get(n, set()) & negatives:
                negative_nodes.append(n)
    found = set(matched.values())
    typed = {i for n, i in matched.items() if entities[i]["type"] in kinds[n]}
    required = [i for i, e in enumerate(entities) if e["required"]]
    per_type = {
        t: (sum(1 for i in required if entities[i]["type"] == t and i in typed),
            sum(1 for i in required if entities[i]["type"] == t))
        for t in ENTITY_TYPES
    }
    nodes_of: dict[int, list[Node]] = defaultdict(list)
    for n, i in matched.items():
        nodes_of[i].append(n)
    for i in required:
        e = entities[i]
        if i not in found:
            findings.append(Finding("missed entity", f"{e['label']} ({e['type']})"))
        elif i not in typed:
            n = min(nodes_of[i], key=str)
            got = "/".join(sorted(kinds[n] - {"Statistic"}))
            findings.append(Finding("mistyped", f"{e['label']} ({e['type']}, found as {got})", view.sentence_of(n)))
    for n in sorted(unmatched, key=lambda x: (view.label(x), str(x))):
        kind = "negative hit" if n in negative_nodes else "false positive"
        got = "/".join(sorted(kinds[n] - {"Statistic"}))
        findings.append(Finding(kind, f"{view.label(n)} ({got})", view.sentence_of(n)))

    # -- relations: the nodes of a gold name are those matched to any gold entity labelled alike
    by_label: dict[str, set[Node]] = defaultdict(set)
    for n, i in matched.items():
        by_label[norm(entities[i]["label"])].add(n)

    def nodes_named(names: Sequence[str]) -> set[Node]:
        out: set[Node] = set()
        for name in names:
            i = first_named.get(norm(name))
            if i is not None:
                out |= by_label.get(norm(entities[i]["label"]), set())
        return out

    edges = {frozenset((s, o)) for s, _, o in graph if s != o and s in entity_nodes and o in entity_nodes}

    def link(r: Mapping[str, Any]) -> tuple[Node, Node] | None:
        ends_o = nodes_named(r["o"])
        for a in sorted(nodes_named(r["s"]), key=str):
            for b in sorted(ends_o, key=str):
                if frozenset((a, b)) in edges:
                    return a, b
        return None

    relations = gold.get("relations", [])
    relations_found = 0
    for r in relations:
        if link(r) is not None:
            relations_found += 1
        else:
            findings.append(Finding("missed relation", f"{r['s'][0]} -{r.get('kind', 'related')}- {r['o'][0]}"))
    wrong_pairs = gold.get("negative_relations", [])
    wrong = 0
    for r in wrong_pairs:
        hit = link(r)
        if hit is not None:
            wrong += 1
            findings.append(Finding("wrong link", f"{r['s'][0]} x {r['o'][0]}", view.sentence_linking(*hit)))

    # -- statistics: gold in order, each takes the first free node (in IRI order) that fits
    stat_nodes = sorted((n for n, k in kinds.items() if "Statistic" in k), key=str)
    evidence = [(n, *_numbers_and_text(view, n)) for n in stat_nodes]
    used: set[Node] = set()
    stats = gold.get("statistics", [])
    for s in stats:
        value = round(float(s["value"]), 4)
        keys = [norm(k) for k in s["keys"]]
        taken = next((n for n, nums, text in evidence
                      if n not in used and value in nums and any(k in text for k in keys)), None)
        if taken is None:
            findings.append(Finding("missed statistic", f"{s['value']}{s['unit']} ({'/'.join(s['keys'])})"))
        else:
            used.add(taken)
    for n in stat_nodes:
        if n not in used:
            findings.append(Finding("extra statistic", view.label(n), view.sentence_of(n)))

    counts = Counts(
        required=len(required), required_found=sum(1 for i in required if i in found),
        required_typed=sum(1 for i in required if i in typed),
        predicted=len(found) + len(unmatched), predicted_matched=len(found), predicted_typed=len(typed),
        relations=len(relations), relations_found=relations_found,
        wrong_link_pairs=len(wrong_pairs), wrong_links=wrong,
        statistics=len(stats), statistics_found=len(used), statistic_nodes=len(stat_nodes),
        negatives_hit=len(negative_nodes),
    )
    return ReportScore(counts, per_type, len(graph), len(entity_nodes), len(edges), tuple(findings))


# -- reports from files --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportResult:
    """One scored report: its gold file, its text and its score."""

    name: str
    gold: Path
    text: Path
    score: ReportScore


@dataclass(frozen=True)
class Evaluation:
    """A set of reports scored: each report, the gold files left out and why, the micro total."""

    reports: tuple[ReportResult, ...]
    missing: tuple[tuple[Path, str], ...] = ()  # gold file, what was looked for
    failed: tuple[tuple[Path, str], ...] = ()  # gold file, why its report could not be built
    total: Counts = field(default_factory=Counts)


def report_graph(extraction: Any, ontology: Graph | None = None) -> Graph:
    """A report's graph as ``govkg build`` writes it for one report: its triples and the ontology.

    The ontology is there because the shared scorer reads built files, which hold it: the labels
    of the classes a statistic points to are part of the statistic's text.
    """
    from .rdf import load_ontology, report_triples

    g = Graph()
    for t in ontology if ontology is not None else load_ontology():
        g.add(t)
    for t in report_triples(extraction):
        g.add(t)
    return g


def evaluate(
    golds: Sequence[str | Path],
    texts: str | Path,
    *,
    on_report: Callable[[str], None] | None = None,
) -> Evaluation:
    """Find, build and score the report of each gold file.

    Every gold file is read and checked first, so a bad one stops the run before any build.
    A gold file with no text in ``texts`` is listed in ``missing``, a report that cannot be
    built in ``failed``; the others are built in-process and scored with :func:`score`.

    Raises:
        GoldError: a gold file is missing, not JSON or not a gold file.
        GovkgError: ``texts`` is not a folder.
    """
    from .extraction import extract
    from .rdf import load_ontology

    folder = Path(texts)
    if not folder.is_dir():
        raise GovkgError("--texts must be a folder holding the report texts; check the path", path=folder)
    paths = gold_files(golds)
    loaded = [(p, load_gold(p)) for p in paths]
    ontology = load_ontology()
    reports: list[ReportResult] = []
    missing: list[tuple[Path, str]] = []
    failed: list[tuple[Path, str]] = []
    total = Counts()
    for path, gold in loaded:
        text = find_text(path, gold, folder)
        if text is None:
            doc = f" or {gold['doc']}" if isinstance(gold.get("doc"), str) else ""
            missing.append((path, f"no text {folder / path.stem}.txt (.html, .docx, .pdf){doc}"))
            continue
        if on_report is not None:
            on_report(path.stem)
        try:
            graph = report_graph(extract(text), ontology)
        except GovkgError as e:
            failed.append((path, str(e)))
            continue
        except Exception as e:  # noqa: BLE001 - one report's bug must not stop the others' scores
            failed.append((path, f"{text}: internal error while building ({type(e).__name__}: {e})"))
            continue
        result = score(graph, gold)
        reports.append(ReportResult(path.stem, path, text, result))
        total = total + result.counts
    return Evaluation(tuple(reports), tuple(missing), tuple(failed), total)


# -- output --------------------------------------------------------------------------------------


def to_json(ev: Evaluation, *, verbose: bool = False) -> dict[str, Any]:
    """The evaluation as one JSON-ready object: per-report figures and counts, and the micro total."""
    reports = []
    for r in ev.reports:
        item: dict[str, Any] = {"report": r.name, "gold": str(r.gold), "text": str(r.text)}
        item.update(r.score.figures())
        item.update({"triples": r.score.triples, "entity_nodes": r.score.entity_nodes,
                     "entity_edges": r.score.entity_edges, "counts": r.score.counts.as_dict()})
        if verbose:
            item["findings"] = [{"kind": f.kind, "what": f.what, "sentence": f.sentence} for f in r.score.findings]
        reports.append(item)
    total: dict[str, Any] = {"docs": len(ev.reports), "failed": len(ev.failed), "missing_texts": len(ev.missing)}
    total.update(ev.total.figures())
    total["counts"] = ev.total.as_dict()
    return {
        "reports": reports,
        "missing": [{"gold": str(p), "reason": why} for p, why in ev.missing],
        "failed": [{"gold": str(p), "reason": why} for p, why in ev.failed],
        "total": total,
    }


def _cell(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def table(ev: Evaluation) -> Table:
    """A rich table: a row per report and the micro-averaged total."""
    from rich.table import Table

    t = Table(title="govkg eval", title_justify="left")
    t.add_column("report", no_wrap=True)
    for head in ("ent P", "ent R", "ent F1", "typed F1", "rel R", "wrong", "stat R", "stat P", "neg"):
        t.add_column(head, justify="right", no_wrap=True)

    def row(name: str, fig: Mapping[str, Any], *, end: bool = False) -> None:
        t.add_row(name, _cell(fig["entity_precision"]), _cell(fig["entity_recall"]), _cell(fig["entity_f1"]),
                  _cell(fig["typed_f1"]), _cell(fig["relation_recall"]), fig["wrong_links"],
                  _cell(fig["statistic_recall"]), _cell(fig["statistic_precision"]), str(fig["negatives_hit"]),
                  end_section=end)

    for i, r in enumerate(ev.reports):
        row(r.name, r.score.figures(), end=i == len(ev.reports) - 1)
    row(f"total ({len(ev.reports)}, micro)", ev.total.figures())
    return t


#: Findings about something in the graph (the others are gold items the graph lacks).
_FROM_GRAPH = frozenset({"mistyped", "false positive", "negative hit", "wrong link", "extra statistic"})


def finding_lines(ev: Evaluation) -> list[str]:
    """Every miss and fault of every report, one a line, with the sentence it comes from."""
    out: list[str] = []
    for r in ev.reports:
        if not r.score.findings:
            continue
        out.append(f"{r.name}:")
        for f in r.score.findings:
            out.append(f"  {f.kind}: {f.what}")
            if f.sentence:
                out.append(f"      「{f.sentence}」")
            elif f.kind in _FROM_GRAPH:  # e.g. a province the resolver adds, read from no sentence
                out.append("      (no sentence in the graph)")
    return out
