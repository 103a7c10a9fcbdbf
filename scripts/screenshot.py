"""Screenshot of the sample report's graph view, for the README (docs/graph-view.png).

Builds the bundled sample report (or takes an existing graph), renders the view, opens it in
Debian's headless Chromium with the network cut off (the same launch as the browser tests,
tests/browser.py), searches for a node, opens its panel and saves a PNG.

Usage:
    .venv/bin/python scripts/screenshot.py [--graph output/graph.trig] [--focus 长江保护法]
                                           [--out docs/graph-view.png] [--size 1400x900]

Chinese labels need a CJK font (Debian: `apt-get install fonts-noto-cjk`); without one the
picture shows boxes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", type=Path, help="graph.trig to draw (default: build the sample report)")
    ap.add_argument("--focus", default="监利市委宣传部", help="node to search for and open ('' for none)")
    ap.add_argument("--zoom", type=float, default=0.85,
                    help="zoom on the node (default 0.85); 0: the whole graph beside the panel")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "graph-view.png")
    ap.add_argument("--size", default="1400x900", help="viewport, WIDTHxHEIGHT")
    args = ap.parse_args(argv)
    width, height = (int(x) for x in args.size.lower().split("x"))

    from browser import INSTALL_HINT, browser_page

    from graph import load
    from graph.pipeline import build
    from graph.view import write_view

    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        print(f"error: {INSTALL_HINT}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        trig = args.graph or build(None, Path(tmp) / "out", validate=False, view=False).files["trig"]
        page_path = Path(tmp) / "graph.html"
        stats = write_view(load(trig), page_path)
        with browser_page(offline=True, viewport=(width, height)) as page:
            page.goto(page_path.resolve().as_uri())
            page.wait_for_selector("html[data-govkg-ready='1']", state="attached", timeout=60_000)
            if args.focus:
                page.click("#search")
                page.keyboard.type(args.focus, delay=30)
                page.wait_for_selector("#search-results li")
                if not page.query_selector("#search-results li[role=option]"):
                    print(f"error: no node matches {args.focus!r}; give another --focus", file=sys.stderr)
                    return 1
                page.keyboard.press("Enter")
                # the whole graph (or the node, zoomed) beside the panel
                page.evaluate("""zoom => { const n = govkgView.network; n.fit({animation: false});
                    const panel = document.getElementById('panel').offsetWidth;
                    const area = document.getElementById('network').offsetWidth;
                    const [id] = n.getSelectedNodes();
                    n.moveTo({position: zoom ? n.getPositions([id])[id] : n.getViewPosition(),
                              scale: zoom || n.getScale() * (area - panel) / area * 0.98,
                              offset: {x: -panel / 2, y: 0}, animation: false}); }""", args.zoom)
                page.mouse.move(5, height - 5)
            page.wait_for_timeout(300)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
    print(f"wrote {args.out} ({stats.nodes} nodes, {stats.edges} edges)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
