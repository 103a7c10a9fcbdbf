"""Article extraction from saved government pages: govkg's HTML reader against trafilatura.

The pages are ``tests/data/html/*.htm[l]``: saved pages in the layouts of Chinese government
sites (old table layouts in GB2312, TRS and Word-export div layouts, 信息公开 pages), each with
its expected body in ``NAME.txt`` (one paragraph or table row a line, cells separated by tabs)
and, in ``pages.json``, its title, publication date, optional lines and the page furniture that
must not reach the body (probe strings by kind: nav, breadcrumb, info, tools, related, footer).

For each page and extractor it prints:

- ``recall``: sentence-level, weighted by characters: the share of the expected body's
  characters whose sentence (cut after 。！？；：) appears whole inside one extracted line.
  A sentence split over two lines by inline markup does not count.
- ``prec``: the share of the extracted characters whose sentence is part of the expected body
  (or of its optional lines, or the title).
- ``lines``: the share of expected lines that are a whole extracted line, in the page's order
  (longest common subsequence): paragraphs, headings and table rows kept as lines where they
  stand (a body run into one line, or a table moved below the body, scores low).
- ``leaked``: the furniture kinds whose probes appear in the text, after govkg's debris marking
  (content lines: what becomes sentences), and ``raw``: in the extractor's own output.
- ``title`` / ``date``: the extractor's metadata against the expected (``suffix``: the title
  with the site and column names still on it).
- ``ms``: median wall time of the HTML step over ``--repeat`` runs (govkg: decoding, parsing,
  main text and metadata hints; trafilatura: ``extract`` and ``extract_metadata``).

Before comparing, white space and the ``|`` of trafilatura's table rows are removed, and its
``|---|`` separator lines dropped; before govkg's debris marking, its table rows are made
tab-separated lines (``untable``). trafilatura is given the page's bytes and decodes them itself.

Usage::

    python bench/html_extract.py                 # every page, govkg and three trafilatura modes
    python bench/html_extract.py --show PAGE     # also print each extractor's text of PAGE
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.read import _read_html, read_text  # noqa: E402

PAGES = Path(__file__).resolve().parents[1] / "tests" / "data" / "html"
_SENTENCE = re.compile(r"(?<=[。！？；：!?;])")
_SPACE = re.compile(r"[\s|\u3000]+")
_RULE = re.compile(r"^[\s|:\-]+$")


@dataclass
class Page:
    """One saved page and what a reader should get from it."""

    name: str
    data: bytes
    body: list[str]
    title: str
    published: str
    optional: list[str]
    furniture: dict[str, list[str]]


@dataclass
class Extraction:
    """What one extractor got from one page: its own text, its content lines, its metadata."""

    raw: str
    content: list[str]
    title: str | None
    date: str | None
    ms: float


def load_pages(folder: Path = PAGES) -> list[Page]:
    """The test pages with their expected bodies, in ``pages.json`` order."""
    spec = json.loads((folder / "pages.json").read_text(encoding="utf-8"))
    pages = []
    for name, s in spec.items():
        body = (folder / (Path(name).stem + ".txt")).read_text(encoding="utf-8").splitlines()
        pages.append(Page(name, (folder / name).read_bytes(), [b for b in body if b.strip()], s["title"],
                          s["published"], s["optional"], s["furniture"]))
    return pages


def norm(s: str) -> str:
    """A line as compared: no white space, no table bars."""
    return _SPACE.sub("", s)


def sentences(lines: list[str]) -> list[str]:
    """The normalised sentences of some lines; a sentence never runs over a line break."""
    return [x for ln in lines if not _RULE.match(ln) for x in _SENTENCE.split(norm(ln)) if x]


def untable(text: str) -> str:
    """trafilatura's text with its table rows (``| a | b |``) as govkg writes them (``a<TAB>b``)
    and the ``|---|`` rules dropped, as an adapter in front of govkg's debris marking would."""
    out = []
    for ln in text.splitlines():
        if _RULE.match(ln) and "|" in ln:
            continue
        if ln.startswith("|") and ln.rstrip().endswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", ln.strip()[1:-1])]
            ln = "\t".join(c for c in cells if c)
        out.append(ln)
    return "\n".join(out)


def content_lines(text: str, name: str) -> list[str]:
    """The lines of ``text`` that govkg's debris marking keeps as report content."""
    doc = read_text(untable(text), path=name, format="html")
    return [doc.text[s:e] for s, e in doc.content]


def score(page: Page, ex: Extraction) -> dict[str, Any]:
    """Recall, precision, lines kept, leaked furniture and metadata of one extraction."""
    want = sentences(page.body)
    got_lines = [norm(ln) for ln in ex.content if not _RULE.match(ln)]
    got_lines = [g for g in got_lines if g]
    total = sum(map(len, want)) or 1
    recall = sum(len(w) for w in want if any(w in g for g in got_lines)) / total
    allowed = "".join(norm(b) for b in page.body)
    extra = [norm(o) for o in [*page.optional, page.title]]
    got = sentences(ex.content)
    got_total = sum(map(len, got)) or 1
    precision = sum(len(g) for g in got if g in allowed or any(g in o for o in extra)) / got_total
    # expected lines that are whole extracted lines, in the page's order
    matcher = difflib.SequenceMatcher(None, [norm(b) for b in page.body], got_lines, autojunk=False)
    lines = sum(b.size for b in matcher.get_matching_blocks()) / len(page.body)

    def leaks(text: str) -> list[str]:
        t = norm(text)
        return [kind for kind, probes in page.furniture.items() if any(norm(p) in t for p in probes)]

    if ex.title == page.title:
        title = "yes"
    elif ex.title and page.title in ex.title:
        title = "suffix"
    else:
        title = "no"
    return {
        "recall": recall,
        "prec": precision,
        "lines": lines,
        "leaked": leaks("\n".join(ex.content)),
        "raw": leaks(ex.raw),
        "title": title,
        "date": "yes" if ex.date == page.published else (ex.date or "none"),
        "ms": ex.ms,
    }


def timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    """``fn()`` and the median of its wall times in milliseconds."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return out, statistics.median(times)


def govkg(page: Page, repeat: int) -> Extraction:
    """govkg's HTML reader; title and date as the Document's metadata has them."""
    (text, encoding, hints), ms = timed(lambda: _read_html(page.data, page.name), repeat)
    doc = read_text(text, path=page.name, encoding=encoding, format="html", meta_hints=hints)
    return Extraction(text, [doc.text[s:e] for s, e in doc.content], doc.meta.title, doc.meta.published, ms)


def trafilatura_mode(mode: str) -> Callable[[Page, int], Extraction]:
    """trafilatura in one of its modes: ``default``, ``precision`` or ``recall``."""

    def run(page: Page, repeat: int) -> Extraction:
        import trafilatura
        from trafilatura.utils import load_html

        def once() -> tuple[str, Any]:
            text = trafilatura.extract(page.data, include_tables=True, output_format="txt",
                                       favor_precision=mode == "precision", favor_recall=mode == "recall")
            meta = trafilatura.extract_metadata(load_html(page.data))
            return text or "", meta

        (text, meta), ms = timed(once, repeat)
        return Extraction(text, content_lines(text, page.name) if text.strip() else [],
                          getattr(meta, "title", None), getattr(meta, "date", None), ms)

    return run


EXTRACTORS: dict[str, Callable[[Page, int], Extraction]] = {
    "govkg": govkg,
    "trafilatura": trafilatura_mode("default"),
    "traf-precision": trafilatura_mode("precision"),
    "traf-recall": trafilatura_mode("recall"),
}


def main(argv: list[str] | None = None) -> int:
    """Print the comparison table and the totals."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per page and extractor (median)")
    ap.add_argument("--show", metavar="PAGE", help="print each extractor's raw text of this page")
    ap.add_argument("--only", nargs="*", choices=list(EXTRACTORS), help="extractors to run (default: all)")
    args = ap.parse_args(argv)
    try:
        import trafilatura

        version = trafilatura.__version__
    except ImportError:
        print("trafilatura is not installed: pip install trafilatura", file=sys.stderr)
        return 2
    names = args.only or list(EXTRACTORS)
    pages = load_pages()
    for name in names:  # warm up: imports and lazy regexes are not the page's time
        EXTRACTORS[name](pages[0], 1)
    print(f"trafilatura {version}; {len(pages)} pages; recall/prec sentence-level, character-weighted\n")
    head = f"{'page':<26}{'extractor':<16}{'recall':>7}{'prec':>7}{'lines':>7}  {'leaked':<26}{'raw':<44}{'title':<8}{'date':<11}{'ms':>7}"
    print(head)
    print("-" * len(head))
    rows: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    for page in pages:
        for name in names:
            ex = EXTRACTORS[name](page, args.repeat)
            r = score(page, ex)
            rows[name].append(r)
            print(f"{page.name[:25]:<26}{name:<16}{r['recall']:>7.1%}{r['prec']:>7.1%}{r['lines']:>7.1%}  "
                  f"{','.join(r['leaked']) or '-':<26}{','.join(r['raw']) or '-':<44}{r['title']:<8}{r['date']:<11}{r['ms']:>7.1f}")
            if args.show and args.show == page.name:
                print(f"--- {name} raw text ---\n{ex.raw}\n---")
    print("\ntotals (mean over pages; clean = pages with no furniture leaked)")
    print(f"{'extractor':<16}{'recall':>7}{'prec':>7}{'lines':>7}{'clean':>8}{'raw clean':>10}{'title':>7}{'date':>6}{'ms/page':>9}")
    for name, rs in rows.items():
        n = len(rs)
        print(f"{name:<16}{statistics.mean(r['recall'] for r in rs):>7.1%}{statistics.mean(r['prec'] for r in rs):>7.1%}"
              f"{statistics.mean(r['lines'] for r in rs):>7.1%}{sum(not r['leaked'] for r in rs):>5}/{n}"
              f"{sum(not r['raw'] for r in rs):>7}/{n}{sum(r['title'] == 'yes' for r in rs):>5}/{n}"
              f"{sum(r['date'] == 'yes' for r in rs):>4}/{n}{statistics.mean(r['ms'] for r in rs):>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
