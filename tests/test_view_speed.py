"""How the view's work grows with the graph, counted rather than timed: the layout of a large
graph executes a number of Python lines proportional to its nodes plus edges, and places
every node where its docstring says. (Wall-clock figures vary with the machine; a count does not.)"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import graph.view as view
from graph.view import _degrees, _Edge, _layout

VIEW_FILE = view.__file__


class LineBudget:
    """Counts the lines Python executes in graph/view.py and stops the run past ``limit``.

    A quadratic loop over 30,000 nodes would take hours; raising from the trace function ends
    the call at once, so such a regression fails fast instead of hanging the suite.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.lines = 0

    def _local(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        if event == "line":
            self.lines += 1
            if self.lines > self.limit:
                raise RuntimeError(f"graph/view.py ran more than {self.limit} lines")
        return self._local

    def _global(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        return self._local if frame.f_code.co_filename == VIEW_FILE else None

    def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        old = sys.gettrace()
        sys.settrace(self._global)
        try:
            return fn(*args)
        finally:
            sys.settrace(old)


def sorted_edges(pairs: Sequence[tuple[str, str]]) -> list[_Edge]:
    return sorted({_Edge(a, "https://w3id.org/govkg/ontology#rel", b) for a, b in pairs},
                  key=lambda e: (e.source, e.pred, e.target))


def hard_graph(chain: int = 20_000, star: int = 5_000, alone: int = 5_000) -> tuple[list[str], list[_Edge]]:
    """A graph on which placing nodes by repeated passes over the unplaced ones is quadratic.

    A chain that leaves the best-connected core with IRIs sorting farthest first (one node
    placeable per pass), a star, and isolated nodes (one outer-ring seed per pass).
    """
    # the chain starts with the smallest IRIs of degree 2, most of them in the spring-layout
    # core (with the star's hub); past it, the nearer a node, the later its IRI sorts
    core = [f"a{i:05d}" for i in range(400)]
    tail = [f"c{chain - i:05d}" for i in range(chain - len(core))]
    path = core + tail
    pairs = list(zip(path, path[1:], strict=False))
    hub = "h"
    pairs += [(hub, f"l{i:05d}") for i in range(star)]
    ids = path + [hub] + [f"l{i:05d}" for i in range(star)] + [f"z{i:05d}" for i in range(alone)]
    return ids, sorted_edges(pairs)


def test_view_speed_layout_lines_grow_linearly() -> None:
    ids, edges = hard_graph()
    deg = _degrees(ids, edges)
    budget = LineBudget(40 * (len(ids) + len(edges)))  # it takes about 17 a node or edge
    pos = budget.run(_layout, sorted(ids), edges, deg)
    assert set(pos) == set(ids)
    assert budget.lines <= budget.limit


def test_view_speed_layout_of_a_small_graph_is_cheap_too() -> None:
    """The count scales down: 3,000 nodes stay within the same per-element budget."""
    ids, edges = hard_graph(chain=2_000, star=500, alone=500)
    deg = _degrees(ids, edges)
    budget = LineBudget(40 * (len(ids) + len(edges)))
    budget.run(_layout, sorted(ids), edges, deg)
    assert budget.lines <= budget.limit


def test_view_speed_layout_places_leaves_next_to_their_hub_and_strays_on_a_ring() -> None:
    ids, edges = hard_graph(chain=1_000, star=300, alone=200)
    deg = _degrees(ids, edges)
    pos = _layout(sorted(ids), edges, deg)
    scale = 70.0 * math.sqrt(len(ids))
    hub = pos["h"]
    # the hub (degree 300) is in the spring-layout core; each leaf sits on its spiral
    for k in range(300):
        x, y = pos[f"l{k:05d}"]
        assert math.dist((x, y), hub) <= 45.0 + 14.0 * math.sqrt(300) + 0.2
    # isolated nodes: on the outer ring, outside the core's square
    for k in range(200):
        assert math.hypot(*pos[f"z{k:05d}"]) >= scale * 1.15 - 0.2
    # every chain node sits one spiral step from the chain node before it, towards the core
    path = sorted(i for i in ids if i[0] in "ac")
    ordered = [i for i in path if i.startswith("a")] + sorted((i for i in path if i.startswith("c")), reverse=True)
    for before, node in zip(ordered[300:], ordered[301:], strict=False):
        assert math.dist(pos[before], pos[node]) <= 45.0 + 14.0 + 0.2


def test_view_speed_layout_is_the_same_in_every_process() -> None:
    """Large graphs too (the spring layout's start follows the node order, not set order)."""
    code = (
        "import json, math\n"
        "from tests.test_view_speed import hard_graph\n"
        "from graph.view import _degrees, _layout\n"
        "ids, edges = hard_graph(chain=900, star=200, alone=100)\n"
        "print(json.dumps(sorted(_layout(sorted(ids), edges, _degrees(ids, edges)).items())))\n"
    )
    root = Path(__file__).resolve().parent.parent
    outs = {
        subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1


@pytest.mark.parametrize("n", [0, 1, 2])
def test_view_speed_layout_of_tiny_graphs(n: int) -> None:
    ids = [f"n{i}" for i in range(n)]
    edges = sorted_edges([(ids[0], ids[1])]) if n == 2 else []
    pos = _layout(ids, edges, _degrees(ids, edges))
    assert set(pos) == set(ids)
