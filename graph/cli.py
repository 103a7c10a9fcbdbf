"""The ``govkg`` command line: a thin typer layer over the library.

Each command parses its arguments, calls one library function and prints. Errors from the
GovkgError family become one line on stderr and exit code 1; heavy imports happen inside the
commands so that ``govkg --help`` is instant.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from .errors import GovkgError
from .vocab import DEFAULT_BASE

app = typer.Typer(
    name="govkg",
    help="Build knowledge graphs from Chinese government reports (法治政府建设情况报告 and the like).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """govkg: knowledge graphs from Chinese government reports."""


def fail(err: BaseException) -> NoReturn:
    """Print an error on one line and exit 1 (with the traceback only if GOVKG_DEBUG is set)."""
    if os.environ.get("GOVKG_DEBUG"):
        raise err
    msg = str(err) if isinstance(err, GovkgError) else f"internal error: {type(err).__name__}: {err} (set GOVKG_DEBUG=1 for the traceback)"
    typer.echo(f"govkg: error: {msg}", err=True)
    raise typer.Exit(1)


@app.command()
def build(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(help="Report files or folders of reports (.txt). None: the bundled sample report."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("output"),
    base_iri: Annotated[str, typer.Option("--base-iri", help="Base IRI for entities and reports.")] = DEFAULT_BASE,
    validate: Annotated[bool, typer.Option("--validate/--no-validate", help="Validate with SHACL.")] = True,
    view: Annotated[bool, typer.Option("--view/--no-view", help="Also write graph.html.")] = True,
) -> None:
    """Build the knowledge graph of reports into OUT: graph.trig, graph.ttl and graph.html.

    Example: govkg build reports/ --out output
    """
    from .pipeline import build as run

    try:
        res = run(inputs or None, out, base=base_iri, validate=validate, view=view)
    except GovkgError as e:
        fail(e)
    except Exception as e:  # noqa: BLE001 - one line, not a traceback, for the user
        fail(e)
    echo = typer.echo
    echo(f"reports read:   {res.reports}")
    for s in res.skipped:
        echo(f"  skipped {s.path}: {s.reason}", err=True)
    for dup, first in res.duplicates:
        echo(f"  duplicate {dup}: same text as {first}, built once")
    types = ("Agency", "Law", "Policy", "Initiative", "Place")
    echo("entities:       " + ", ".join(f"{t} {res.entity_counts.get(t, 0)}" for t in types))
    echo(f"relations:      {res.relations}")
    echo(f"statistics:     {res.statistics}")
    echo(f"triples:        {res.triples}")
    echo(f"SHACL:          {res.validation}")
    echo(f"time:           {res.seconds:.2f} s")
    for key, path in res.files.items():
        echo(f"{key + ':':15} {path}")
    if "html" in res.files:
        echo(f"open the graph view: file://{res.files['html'].resolve()}")


# -- graph view command (graph/view.py) ------------------------------------------------------


# -- SPARQL commands (graph/store.py, graph/query.py, graph/serve.py) --------------------------


def main() -> None:
    """Entry point of the ``govkg`` console script."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("govkg: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
