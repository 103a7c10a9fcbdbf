"""graph.evaluate and `govkg eval`: scoring report graphs against gold files.

The unit tests score tiny graphs written here (sentences of our own) against tiny gold dicts.
Two tests prove that the figures are the shared scorer's: they build the sample report (and,
when its texts are in /tmp/devset, the dev set), write each graph to a file, run
``shared/eval/score.py`` on it and compare its counts with ours.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from typer.testing import CliRunner, Result

from graph.cli import app
from graph.errors import GoldError
from graph.evaluate import Counts, check_gold, find_text, load_gold, norm, report_graph, score
from graph.extraction import extract
from graph.pipeline import sample_path

HERE = Path(__file__).parent
SEED_GOLD = HERE / "data" / "seed.gold.json"
SHARED_EVAL = HERE.parent.parent / "shared" / "eval"  # ../shared next to the repository
SCORE_PY = SHARED_EVAL / "score.py"
DEVSET = Path("/tmp/devset")

PREFIXES = """
@prefix govkg: <https://w3id.org/govkg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
"""


def ttl(body: str) -> Graph:
    """A graph from Turtle written in a test (the prefixes above are declared)."""
    g = Graph()
    g.parse(data=PREFIXES + body, format="turtle")
    return g


def ent(label: str, type_: str = "Agency", *aliases: str, required: bool = True) -> dict[str, Any]:
    return {"type": type_, "label": label, "aliases": list(aliases), "required": required}


def gold(*entities: dict[str, Any], **rest: Any) -> dict[str, Any]:
    return check_gold({"entities": list(entities), **rest})


def node(name: str, type_: str, label: str, *, pred: str = "rdfs:label", sentence: str | None = None) -> str:
    """Turtle for one entity node; with a sentence, a mention anchored in it."""
    out = f'ex:{name} a govkg:{type_} ; {pred} "{label}"@zh .\n'
    if sentence is not None:
        out += (f'ex:{name} govkg:mention ex:{name}_m . ex:{name}_m govkg:sentence ex:{name}_s .\n'
                f'ex:{name}_s nif:isString "{sentence}"@zh ; nif:beginIndex 0 .\n')
    return out


# -- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "normal"), [
    ("《云溪县河道保护条例》", "云溪县河道保护条例"),
    ("“放管服”改革", "放管服改革"),
    ("「一网通办」", "一网通办"),
    ("云溪县　司法局", "云溪县司法局"),                   # ideographic space
    ("１２３４５热线", "12345热线"),                       # full-width digits
    ("（２０２１—２０２５年）规划", "(2021-2025年)规划"),  # full-width brackets, em dash
    ("2021－2025", "2021-2025"),                           # full-width hyphen-minus
    ("Ｅ政务 APP", "e政务app"),
])
def test_evaluate_norm_folds_marks_widths_and_dashes(raw: str, normal: str) -> None:
    assert norm(raw) == normal


# -- entities -------------------------------------------------------------------------------------


def test_evaluate_exact_match_is_full_marks() -> None:
    g = ttl(node("a", "Agency", "云溪县司法局") + node("b", "Law", "云溪县河道保护条例"))
    res = score(g, gold(ent("云溪县司法局"), ent("云溪县河道保护条例", "Law")))
    fig = res.figures()
    assert (fig["entity_precision"], fig["entity_recall"], fig["entity_f1"], fig["typed_f1"]) == (1.0, 1.0, 1.0, 1.0)
    assert res.per_type["Agency"] == (1, 1) and res.per_type["Law"] == (1, 1)
    assert not res.findings


@pytest.mark.parametrize(("graph_name", "pred", "gold_label", "aliases"), [
    ("县司法局", "rdfs:label", "云溪县司法局", ("县司法局",)),      # the node's label is a gold alias
    ("云溪县司法局", "skos:altLabel", "云溪县司法局", ()),           # the gold label is an altLabel
    ("云溪县司法局", "skos:prefLabel", "云溪县司法局", ()),
    ("云溪县司法局", "schema:name", "云溪县司法局", ()),
])
def test_evaluate_alias_and_label_predicates_match(graph_name: str, pred: str, gold_label: str,
                                                   aliases: tuple[str, ...]) -> None:
    g = ttl(f'ex:a a govkg:Agency ; {pred} "{graph_name}"@zh .')
    res = score(g, gold(ent(gold_label, "Agency", *aliases)))
    assert res.counts.required_found == 1 and res.counts.predicted == 1


@pytest.mark.parametrize(("graph_label", "gold_label", "type_"), [
    ("《云溪县河道保护条例》", "云溪县河道保护条例", "Law"),
    ("“放管服”改革", "放管服改革", "Policy"),
    ("云溪县“送法进村”活动", "云溪县送法进村活动", "Initiative"),
    ("１２３４５热线", "12345热线", "Policy"),
    ("规划（２０２１—２０２５年）", "规划(2021-2025年)", "Law"),
])
def test_evaluate_normalised_names_match(graph_label: str, gold_label: str, type_: str) -> None:
    g = ttl(node("a", type_, graph_label))
    assert score(g, gold(ent(gold_label, type_))).counts.required_typed == 1


def test_evaluate_mistyped_entity_counts_untyped_not_typed() -> None:
    g = ttl(node("a", "Initiative", "放管服改革", sentence="全面深化放管服改革。"))
    res = score(g, gold(ent("放管服改革", "Policy")))
    fig = res.figures()
    assert fig["entity_f1"] == 1.0 and fig["typed_f1"] == 0.0
    assert [(f.kind, f.sentence) for f in res.findings] == [("mistyped", "全面深化放管服改革。")]
    assert "found as Initiative" in res.findings[0].what


def test_evaluate_type_through_subclass_by_local_name() -> None:
    g = ttl("ex:Bureau rdfs:subClassOf ex:Office . ex:Office rdfs:subClassOf <https://other.example/Agency> .\n"
            'ex:a a ex:Bureau ; rdfs:label "云溪县水利局" .')
    assert score(g, gold(ent("云溪县水利局"))).counts.required_typed == 1


@pytest.mark.parametrize("in_graph", [True, False])
def test_evaluate_optional_entity_neither_credit_nor_fault(in_graph: bool) -> None:
    g = ttl(node("a", "Agency", "云溪县司法局") + (node("b", "Agency", "县直各单位") if in_graph else ""))
    res = score(g, gold(ent("云溪县司法局"), ent("县直各单位", required=False)))
    fig = res.figures()
    assert (fig["entity_precision"], fig["entity_recall"]) == (1.0, 1.0)
    assert res.counts.required == 1 and not res.findings


def test_evaluate_false_positive_lowers_precision_and_shows_its_sentence() -> None:
    g = ttl(node("a", "Agency", "云溪县司法局") + node("b", "Policy", "专人主讲", sentence="邀请专家专人主讲。"))
    res = score(g, gold(ent("云溪县司法局")))
    assert res.figures()["entity_precision"] == 0.5 and res.figures()["entity_recall"] == 1.0
    assert [(f.kind, f.what, f.sentence) for f in res.findings] == [
        ("false positive", "专人主讲 (Policy)", "邀请专家专人主讲。")]


def test_evaluate_missed_required_entity_names_the_gold_label() -> None:
    res = score(ttl(node("a", "Agency", "云溪县司法局")), gold(ent("云溪县司法局"), ent("云溪县人民政府")))
    assert res.figures()["entity_recall"] == 0.5
    assert [(f.kind, f.what, f.sentence) for f in res.findings] == [("missed entity", "云溪县人民政府 (Agency)", None)]


@pytest.mark.parametrize("shown", ["“关键少数”", "关键少数"])
def test_evaluate_negative_hit_is_a_fault(shown: str) -> None:
    g = ttl(node("a", "Agency", "云溪县司法局") + node("b", "Policy", shown, sentence="抓住“关键少数”。"))
    res = score(g, gold(ent("云溪县司法局"), negatives=["关键少数"]))
    assert res.counts.negatives_hit == 1 and res.counts.predicted == 2
    assert [f.kind for f in res.findings] == ["negative hit"]


def test_evaluate_primary_label_decides_between_gold_entities() -> None:
    # the node's altLabel names the first gold entity, its rdfs:label the second: the label wins
    g = ttl('ex:a a govkg:Agency ; rdfs:label "云溪县委" ; skos:altLabel "县委" .')
    res = score(g, gold(ent("县委", "Agency"), ent("云溪县委", "Agency")))
    assert res.counts.required_found == 1
    assert [f.what for f in res.findings] == ["县委 (Agency)"]  # the first one is the miss


def test_evaluate_several_nodes_of_one_gold_entity_count_once() -> None:
    g = ttl(node("a", "Agency", "云溪县司法局") + node("b", "Agency", "县司法局"))
    res = score(g, gold(ent("云溪县司法局", "Agency", "县司法局")))
    assert (res.counts.predicted, res.counts.predicted_matched) == (1, 1)


# -- relations ------------------------------------------------------------------------------------

LINKED = node("a", "Agency", "云溪县司法局") + node("b", "Law", "云溪县河道保护条例") + node("c", "Place", "云溪县")


@pytest.mark.parametrize(("edge", "found"), [
    ("ex:a govkg:issues ex:b .", 1),
    ("ex:b govkg:issuedBy ex:a .", 1),    # the other direction; any predicate
    ("ex:a govkg:jurisdiction ex:c .", 0),  # another pair
    ("", 0),
])
def test_evaluate_relation_in_either_direction(edge: str, found: int) -> None:
    g = ttl(LINKED + edge)
    res = score(g, gold(ent("云溪县司法局"), ent("云溪县河道保护条例", "Law"), ent("云溪县", "Place"),
                        relations=[{"s": ["云溪县司法局"], "o": ["云溪县河道保护条例"], "kind": "issues"}]))
    assert res.counts.relations_found == found
    assert [f.what for f in res.findings if f.kind == "missed relation"] == (
        [] if found else ["云溪县司法局 -issues- 云溪县河道保护条例"])


def test_evaluate_relation_end_alternatives_and_aliases() -> None:
    g = ttl(node("gov", "Agency", "云溪县人民政府") + node("b", "Law", "云溪县河道保护条例")
            + "ex:gov govkg:issues ex:b .")
    g0 = gold(ent("云溪县", "Place", required=False), ent("云溪县人民政府", "Agency", "县政府"),
              ent("云溪县河道保护条例", "Law"),
              relations=[{"s": ["云溪县", "县政府"], "o": ["《云溪县河道保护条例》"], "kind": "issues"}])
    assert score(g, g0).counts.relations_found == 1


def test_evaluate_relation_needs_typed_entity_nodes() -> None:
    # a statistic or an untyped node between the two is not a direct link
    g = ttl(LINKED + "ex:s a govkg:Statistic ; govkg:about ex:a, ex:b . ex:a govkg:x ex:u . ex:u govkg:x ex:b .")
    res = score(g, gold(ent("云溪县司法局"), ent("云溪县河道保护条例", "Law"),
                        relations=[{"s": ["云溪县司法局"], "o": ["云溪县河道保护条例"], "kind": "issues"}]))
    assert res.counts.relations_found == 0 and res.entity_edges == 0


def test_evaluate_wrong_link_is_counted_with_its_sentence() -> None:
    g = ttl(node("a", "Agency", "云溪县司法局") + node("b", "Agency", "云溪县水利局")
            + "ex:a govkg:implements ex:b .\n"
              "ex:r a govkg:RelationAssertion ; rdf:subject ex:a ; rdf:object ex:b ; govkg:sentence ex:s .\n"
              'ex:s nif:isString "县司法局、县水利局共同参与。"@zh .')
    res = score(g, gold(ent("云溪县司法局"), ent("云溪县水利局"),
                        negative_relations=[{"s": ["云溪县水利局"], "o": ["云溪县司法局"]}]))
    assert res.figures()["wrong_links"] == "1/1"
    assert [(f.kind, f.sentence) for f in res.findings] == [("wrong link", "县司法局、县水利局共同参与。")]


# -- statistics -----------------------------------------------------------------------------------


def stat(name: str, value: str, unit: str, surface: str, extra: str = "") -> str:
    return (f'ex:{name} a govkg:Statistic ; govkg:value "{value}"^^xsd:decimal ; govkg:unit "{unit}"@zh ;'
            f' govkg:surface "{surface}"@zh {extra}.\n')


@pytest.mark.parametrize(("graph_stat", "found"), [
    (stat("s1", "12", "件", "办理行政复议案件12件"), 1),
    (stat("s1", "12.0", "件", "办理行政复议案件12件"), 1),            # the same number written otherwise
    (stat("s1", "13", "件", "办理行政复议案件13件"), 0),              # another value
    (stat("s1", "12", "件", "办理信访事项12件"), 0),                  # no key in its text
    (stat("s1", "12", "件", "办理案件12件", "; govkg:about ex:rev"), 1),  # a key in a linked node's label
    (stat("s1", "12", "宗", "办理行政复议案件12宗"), 1),              # as the shared scorer: the unit is not compared
    ('ex:s1 a govkg:Statistic ; govkg:quantity [ govkg:value 12 ] ; rdfs:label "行政复议 12件" .\n', 1),  # a value node
])
def test_evaluate_statistic_value_unit_keys(graph_stat: str, found: int) -> None:
    g = ttl(graph_stat + 'ex:rev a govkg:Initiative ; rdfs:label "行政复议" .')
    res = score(g, gold(ent("行政复议", "Initiative", required=False),
                        statistics=[{"value": 12, "unit": "件", "keys": ["复议"]}]))
    assert res.counts.statistics_found == found
    assert res.figures()["statistic_precision"] == float(found)


def test_evaluate_statistics_greedy_in_gold_order() -> None:
    # the first gold statistic takes the first node that fits (in IRI order), even though the
    # second could only have matched that node: greedy, not the best assignment
    g = ttl(stat("s1", "12", "件", "行政复议申请12件") + stat("s2", "12", "件", "信访事项12件"))
    res = score(g, gold(statistics=[{"value": 12, "unit": "件", "keys": ["件"]},
                                    {"value": 12, "unit": "件", "keys": ["复议"]}]))
    assert res.counts.statistics_found == 1
    assert [f.kind for f in res.findings] == ["missed statistic", "extra statistic"]
    assert res.findings[1].what == "https://example.org/s2"  # no label: its IRI


def test_evaluate_statistic_node_is_not_an_entity() -> None:
    res = score(ttl(stat("s1", "12", "件", "12件")), gold(ent("云溪县司法局")))
    assert res.counts.predicted == 0 and res.counts.statistic_nodes == 1


# -- totals ---------------------------------------------------------------------------------------


def test_evaluate_counts_add_into_micro_figures() -> None:
    a = Counts(required=2, required_found=2, predicted=2, predicted_matched=2, relations=1, relations_found=1)
    b = Counts(required=2, required_found=0, predicted=2, predicted_matched=0, relations=3)
    fig = (a + b).figures()
    assert (fig["entity_precision"], fig["entity_recall"], fig["relation_recall"]) == (0.5, 0.5, 0.25)
    assert fig["statistic_recall"] == 0.0 and Counts().figures(empty=None)["statistic_recall"] is None


# -- gold files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "message"), [
    ([], "top level is a JSON list"),
    ({}, "no 'entities' list"),
    ({"entities": [{"type": "Agency", "required": True}]}, "entities[0] has no 'label'"),
    ({"entities": [{"type": "Bureau", "label": "x", "required": True}]}, "type 'Bureau'"),
    ({"entities": [{"type": "Agency", "label": "x", "required": "yes"}]}, "'required' must be true or false"),
    ({"entities": [], "relations": [{"s": "云溪县", "o": ["x"]}]}, "relations[0]: 's' must be a non-empty list"),
    ({"entities": [], "negative_relations": [{"s": ["x"]}]}, "negative_relations[0] has no 'o'"),
    ({"entities": [], "statistics": [{"value": 3, "unit": "件"}]}, "statistics[0] has no 'keys'"),
    ({"entities": [], "statistics": [{"value": "三", "unit": "件", "keys": ["x"]}]}, "'value' must be a number"),
])
def test_evaluate_bad_gold_is_named(data: object, message: str) -> None:
    with pytest.raises(GoldError, match="mine.json: not a gold file") as err:
        check_gold(data, "mine.json")
    assert message in str(err.value) and "docs/eval.md" in str(err.value)


def test_evaluate_gold_that_is_not_json(tmp_path: Path) -> None:
    p = tmp_path / "g.json"
    p.write_text('{"entities": [\n  {"type": "Agency",}\n]}', encoding="utf-8")
    with pytest.raises(GoldError, match=r"g\.json: is not JSON \(line 2"):
        load_gold(p)


@pytest.mark.parametrize(("gold_name", "doc", "present", "expect"), [
    ("r1.json", None, ["r1.txt", "r1.html"], "r1.txt"),
    ("r1.json", None, ["r1.docx"], "r1.docx"),
    ("r1.json", "report-a.txt", ["report-a.txt"], "report-a.txt"),
    ("r1.json", "report-a.txt", ["report-a.pdf"], "report-a.pdf"),
    ("r1.gold.json", None, ["r1.txt"], "r1.txt"),
    ("r1.json", None, ["r2.txt"], None),
])
def test_evaluate_find_text(tmp_path: Path, gold_name: str, doc: str | None, present: list[str],
                            expect: str | None) -> None:
    for name in present:
        (tmp_path / name).write_text("x", encoding="utf-8")
    got = find_text(tmp_path / gold_name, {"doc": doc} if doc else {}, tmp_path)
    assert got == (tmp_path / expect if expect else None)


# -- the same figures as the shared scorer ------------------------------------------------------


def shared_counts(gold_path: Path, graph: Graph, tmp_path: Path) -> dict[str, int]:
    """The shared scorer's counts for a graph, run on a file as it would be on a build's output."""
    f = tmp_path / f"{gold_path.stem}.nt"
    graph.serialize(f, format="nt", encoding="utf-8")
    out = subprocess.run([sys.executable, str(SCORE_PY), str(gold_path), str(f), "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["counts"]


@pytest.mark.skipif(not SCORE_PY.is_file(), reason="the shared scorer (../shared/eval/score.py) is not here")
def test_evaluate_seed_same_as_shared_scorer(tmp_path: Path) -> None:
    g = report_graph(extract(sample_path()))
    assert score(g, load_gold(SEED_GOLD)).counts.as_dict() == shared_counts(SEED_GOLD, g, tmp_path)


def micro(counts: dict[str, int]) -> dict[str, float]:
    """The set figures as the shared score_set.py computes them from summed counts."""
    def ratio(a: str, b: str) -> float:
        return counts[a] / counts[b] if counts[b] else 0.0

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    p, r = ratio("predicted_matched", "predicted"), ratio("required_found", "required")
    tp, tr = ratio("predicted_typed", "predicted"), ratio("required_typed", "required")
    return {"entity_f1": round(f1(p, r), 3), "typed_f1": round(f1(tp, tr), 3),
            "relation_recall": round(ratio("relations_found", "relations"), 3),
            "wrong_link_rate": round(ratio("wrong_links", "wrong_link_pairs"), 3),
            "statistic_recall": round(ratio("statistics_found", "statistics"), 3)}


@pytest.mark.slow
@pytest.mark.skipif(not (SCORE_PY.is_file() and DEVSET.is_dir() and list(DEVSET.glob("*.txt"))),
                    reason="needs ../shared/eval and the dev texts in /tmp/devset")
def test_evaluate_devset_same_as_shared_scorer(tmp_path: Path) -> None:
    golds = sorted((SHARED_EVAL / "dev").glob("*.json"))
    res = govkg("eval", SHARED_EVAL / "dev", "--texts", DEVSET, "--format", "json")
    assert res.exit_code == 0, res.output
    ours = json.loads(res.stdout)
    theirs: dict[str, int] = {}
    for gold_path in golds:
        text = DEVSET / f"{gold_path.stem}.txt"
        if not text.is_file():
            continue
        counts = shared_counts(gold_path, report_graph(extract(text)), tmp_path)
        mine = next(r for r in ours["reports"] if r["report"] == gold_path.stem)
        assert mine["counts"] == counts, gold_path.stem
        for k, v in counts.items():
            theirs[k] = theirs.get(k, 0) + v
    assert ours["total"]["counts"] == theirs
    assert {k: ours["total"][k] for k in micro(theirs)} == micro(theirs)


# -- the command ----------------------------------------------------------------------------------

REPORT = (
    "咸宁市司法局2022年法治政府建设情况报告\n"
    "一、主要工作成效\n"
    "全年收到行政复议申请12件，全面推行证明事项告知承诺制，深入开展“减证便民”专项行动。\n"
    "市司法局印发《咸宁市行政执法案卷评查办法》，组织开展“八五”普法。\n"
)
GOLD = {
    "doc": "xianning.txt",
    "entities": [
        ent("咸宁市司法局", "Agency", "市司法局"),
        ent("咸宁市行政执法案卷评查办法", "Law"),
        ent("证明事项告知承诺制", "Policy"),
        ent("减证便民专项行动", "Initiative", "减证便民"),
        ent("八五普法", "Initiative"),
        ent("咸宁市", "Place"),
        ent("湖北省", "Place", required=False),
        ent("咸宁市人民政府", "Agency", "市政府"),
    ],
    "negatives": ["一是"],
    "relations": [
        {"s": ["咸宁市司法局"], "o": ["咸宁市行政执法案卷评查办法"], "kind": "issues"},
        {"s": ["咸宁市司法局"], "o": ["证明事项告知承诺制"], "kind": "implements"},
        {"s": ["咸宁市人民政府"], "o": ["八五普法"], "kind": "leads"},
    ],
    "negative_relations": [{"s": ["证明事项告知承诺制"], "o": ["减证便民专项行动"]}],
    "statistics": [
        {"value": 12, "unit": "件", "keys": ["行政复议"]},
        {"value": 30, "unit": "件", "keys": ["调解"]},
    ],
}


def govkg(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def annotated(tmp_path: Path) -> tuple[Path, Path]:
    """A gold folder with one gold file, and a texts folder with its report."""
    golds, texts = tmp_path / "gold", tmp_path / "texts"
    golds.mkdir()
    texts.mkdir()
    (golds / "xianning.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    (texts / "xianning.txt").write_text(REPORT, encoding="utf-8")
    return golds, texts


def test_evaluate_cli_table(annotated: tuple[Path, Path]) -> None:
    golds, texts = annotated
    res = govkg("eval", golds, "--texts", texts)
    assert res.exit_code == 0, res.output
    row = next(line for line in res.stdout.splitlines() if "xianning" in line)
    # P 7/7 (the optional 湖北省 is matched, not a fault), R 6/7, relations 2/3, statistics 1/2
    cells = [c.strip() for c in row.strip("│┃ ").split("│")]
    assert cells == ["xianning", "1.000", "0.857", "0.923", "0.923", "0.667", "0/1", "0.500", "1.000", "0"]
    assert "total (1, micro)" in res.stdout
    assert "missed" not in res.stdout  # details only with --verbose


def test_evaluate_cli_json(annotated: tuple[Path, Path]) -> None:
    golds, texts = annotated
    res = govkg("eval", golds / "xianning.json", "--texts", texts, "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [r["report"] for r in out["reports"]] == ["xianning"]
    assert out["total"]["docs"] == 1 and out["total"]["entity_recall"] == 0.857
    assert out["total"]["counts"]["relations_found"] == 2 and out["total"]["wrong_links"] == "0/1"
    assert "findings" not in out["reports"][0]


def test_evaluate_cli_verbose_prints_misses_with_sentences(annotated: tuple[Path, Path]) -> None:
    golds, texts = annotated
    (texts / "xianning.txt").write_text(REPORT + "推进云溪工程建设。\n", encoding="utf-8")
    res = govkg("eval", golds, "--texts", texts, "--verbose")
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "missed entity: 咸宁市人民政府 (Agency)" in out
    assert "missed relation: 咸宁市人民政府 -leads- 八五普法" in out
    assert "missed statistic: 30件 (调解)" in out
    assert "false positive: " in out and "「推进云溪工程建设。」" in out

    res = govkg("eval", golds, "--texts", texts, "--verbose", "--format", "json")
    kinds = {f["kind"] for f in json.loads(res.stdout)["reports"][0]["findings"]}
    assert {"missed entity", "missed relation", "missed statistic", "false positive"} <= kinds


def test_evaluate_cli_missing_text_and_failed_build_are_reported(annotated: tuple[Path, Path]) -> None:
    golds, texts = annotated
    (golds / "nothing.json").write_text(json.dumps({"entities": []}), encoding="utf-8")
    (golds / "broken.json").write_text(json.dumps({"entities": []}), encoding="utf-8")
    (texts / "broken.txt").write_bytes(b"")  # an empty file cannot be built
    res = govkg("eval", golds, "--texts", texts, "--format", "json")
    assert res.exit_code == 0, res.output
    err = res.stderr.splitlines()
    assert any("nothing.json: skipped, no text" in line for line in err), res.stderr
    assert any("broken.json: build failed" in line for line in err), res.stderr
    out = json.loads(res.stdout)
    assert [r["report"] for r in out["reports"]] == ["xianning"]
    assert (out["total"]["missing_texts"], out["total"]["failed"]) == (1, 1)


def test_evaluate_cli_no_text_at_all_is_an_error(annotated: tuple[Path, Path], tmp_path: Path) -> None:
    golds, _ = annotated
    empty = tmp_path / "empty"
    empty.mkdir()
    res = govkg("eval", golds, "--texts", empty)
    assert res.exit_code == 1
    assert "no report scored" in res.stderr and "--texts" in res.stderr


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "bad.json: is not JSON (line 1, column 1"),
    ('{"entities": [{"label": "x", "required": true}]}', "bad.json: not a gold file: entities[0] has no 'type'"),
    ('{"note": "no entities"}', "bad.json: not a gold file: no 'entities' list"),
])
def test_evaluate_cli_bad_gold_file(annotated: tuple[Path, Path], content: str, message: str) -> None:
    golds, texts = annotated
    (golds / "bad.json").write_text(content, encoding="utf-8")
    res = govkg("eval", golds, "--texts", texts)
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("govkg: error: ") and message in lines[0], res.stderr
    assert "docs/eval.md" in lines[0] and not res.stdout
