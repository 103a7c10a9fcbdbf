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

from .errors import GovkgError, ValidationError, shown
from .names import DEFAULT_BASE

app = typer.Typer(
    name="govkg",
    help="Build knowledge graphs from Chinese government reports (法治政府建设情况报告 and the like).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from .names import __version__

        typer.echo(f"govkg {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """govkg: knowledge graphs from Chinese government reports."""


def fail(err: BaseException) -> NoReturn:
    """Print an error on one line and exit 1 (with the traceback only if GOVKG_DEBUG is set)."""
    if os.environ.get("GOVKG_DEBUG"):
        raise err
    msg = str(err) if isinstance(err, GovkgError) else f"internal error: {type(err).__name__}: {err} (set GOVKG_DEBUG=1 for the traceback)"
    typer.echo(f"govkg: error: {msg}", err=True)
    raise typer.Exit(1)


#: Below this many reports to extract, a local Dask cluster costs more than it saves.
_DASK_PAYS_OFF = 1000


@app.command()
def build(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(help="Report files or folders of reports (.txt, .html, .docx, .pdf). None: the bundled sample."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("output"),
    base_iri: Annotated[str, typer.Option("--base-iri", help="Base IRI for entities and reports.")] = DEFAULT_BASE,
    validate: Annotated[bool, typer.Option("--validate/--no-validate", help="Validate with SHACL.")] = True,
    view: Annotated[bool, typer.Option("--view/--no-view", help="Also write graph.html.")] = True,
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="Also load the graph into the SPARQL store OUT/store.")
    ] = True,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Extract reports in this many processes.")] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Extract on a Dask cluster: tcp://HOST:PORT, or 'local' for one on this machine."),
    ] = None,
    report_errors: Annotated[
        Path | None, typer.Option("--report-errors", help="Write every skipped file and its reason to this file.")
    ] = None,
    max_chars: Annotated[
        int, typer.Option("--max-chars", min=1, help="Skip a report longer than this many characters.")
    ] = 2_000_000,
    no_wait: Annotated[
        bool, typer.Option("--no-wait", help="If another build is writing into OUT, fail at once instead of waiting.")
    ] = False,
) -> None:
    """Build the knowledge graph of reports into OUT: graph.trig, graph.ttl, graph.html and store/.

    A rebuild into the same OUT redoes only the reports that changed and drops those that are gone.
    One build at a time writes into an OUT (a second one waits, or fails with --no-wait);
    `govkg serve` keeps answering from OUT/store meanwhile.

    Example: govkg build reports/ --out output --jobs 2
    """
    from .pipeline import build as run

    def waiting(msg: str) -> None:
        typer.echo(f"govkg: {msg}", err=True)

    try:
        res = run(inputs or None, out, base=base_iri, validate=validate, view=view, store=store, jobs=jobs,
                  scheduler=scheduler, report_errors=report_errors, progress=sys.stderr.isatty(),
                  max_chars=max_chars, wait=not no_wait, on_wait=waiting)
    except ValidationError as e:
        # the SHACL report is what the user needs to see: after the one-line error, as pyshacl wrote it
        typer.echo(f"govkg: error: {e}", err=True)
        typer.echo(e.report_text.rstrip(), err=True)
        raise typer.Exit(1) from None
    except GovkgError as e:
        fail(e)
    except Exception as e:  # noqa: BLE001 - one line, not a traceback, for the user
        fail(e)
    echo = typer.echo
    x = res.extras
    # files and reports differ (a report saved twice is built once; a skipped file adds none):
    # count each in its own unit
    files = sum(int(x.get(k, "0")) for k in ("added", "changed", "unchanged"))
    line = (f"reports:        {res.reports} in the graph, from {files} file{'s' if files != 1 else ''} "
            f"({x.get('added', '0')} added, {x.get('changed', '0')} changed, {x.get('unchanged', '0')} unchanged")
    line += f"; {x.get('removed', '0')} removed)" if x.get("removed", "0") != "0" else ")"
    if res.skipped:
        line += f"; {len(res.skipped)} file{'s' if len(res.skipped) != 1 else ''} skipped (below)"
    echo(line)
    for s in res.skipped:
        echo(f"  skipped {shown(s.path)}: {s.reason}", err=True)
    for dup, first in res.duplicates:
        echo(f"  duplicate {shown(dup)}: same text as {shown(first)}, built once")
    types = ("Agency", "Law", "Policy", "Initiative", "Place")
    echo("entities:       " + ", ".join(f"{t} {res.entity_counts.get(t, 0)}" for t in types))
    echo(f"relations:      {res.relations}")
    echo(f"statistics:     {res.statistics}")
    echo(f"triples:        {res.triples}")
    echo(f"SHACL:          {res.validation}")
    if x.get("store"):
        echo(f"store:          {x['store']}")
    echo(f"time:           {res.seconds:.2f} s ({x.get('phases', '')})")
    for key, path in res.files.items():
        echo(f"{key + ':':15} {shown(path)}")
    if report_errors:
        echo(f"{'errors:':15} {shown(report_errors)}")
    if "html" in res.files:
        echo(f"open the graph view: file://{shown(res.files['html'].resolve())}")
    done = int(x.get("added", "0")) + int(x.get("changed", "0"))
    if scheduler == "local" and done < _DASK_PAYS_OFF:
        echo(f"  note: --scheduler local started a Dask cluster for {done} report(s); Dask pays off only for "
             f"large corpora (thousands of reports) or several machines (--scheduler tcp://HOST:PORT): "
             f"--jobs {os.cpu_count() or 2} does the same here without it", err=True)


@app.command(options_metavar="--endpoint URL [--auth USER:PASSWORD] [--out DIR] [OPTIONS]")
def push(
    endpoint: Annotated[
        str, typer.Option("--endpoint", "-e", metavar="URL", help="The server's SPARQL query endpoint (checks what it holds).")
    ],
    graph_store: Annotated[
        str | None,
        typer.Option("--graph-store", help="Its Graph Store Protocol URL, if not derivable from --endpoint "
                                           "(Oxigraph: …/store, Fuseki: …/DATASET/data, Virtuoso: …/sparql-graph-crud-auth)."),
    ] = None,
    auth: Annotated[
        str | None,
        typer.Option("--auth", metavar="USER:PASSWORD", envvar="GOVKG_PUSH_AUTH", show_envvar=True,
                     help="Login for the server (Basic or Digest, as it asks); better set GOVKG_PUSH_AUTH."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder of `govkg build`.")] = Path("output"),
    force: Annotated[bool, typer.Option("--force", help="Send every graph, not only those that changed.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be sent and deleted; send nothing.")
    ] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds to wait for one answer.")] = 60.0,
    retries: Annotated[
        int, typer.Option("--retries", min=0, help="Tries again after a 5xx answer or a lost connection.")
    ] = 3,
) -> None:
    """Push the graph built in OUT to a SPARQL 1.1 server, one named graph per report.

    Each report's graph replaces its named graph on the server (Graph Store Protocol PUT), the
    ontology goes to <https://w3id.org/govkg/ontology>, and graphs of reports that are no longer
    built are deleted. A re-push sends only what changed since the last push to that server.

    Example: GOVKG_PUSH_AUTH=admin:pw govkg push --out output --endpoint http://localhost:3030/ds/query

    More: docs/push.md (Oxigraph, Fuseki, Virtuoso).
    """
    from .push import push as run

    try:
        res = run(out, endpoint, graph_store=graph_store, auth=auth, timeout=timeout, retries=retries,
                  dry_run=dry_run, force=force, progress=sys.stderr.isatty())
    except GovkgError as e:
        fail(e)
    except Exception as e:  # noqa: BLE001 - one line, not a traceback, for the user
        fail(e)
    echo = typer.echo
    echo(f"graph store:    {res.graph_store}" + ("" if graph_store else " (derived from --endpoint)"))
    if res.dry_run:
        echo(f"dry run:        {res.summary()}; nothing sent")
        for verb, iris in (("push", res.pushed), ("delete", res.deleted)):
            for iri in iris[:20]:
                echo(f"  would {verb} <{iri}>")
            if len(iris) > 20:
                echo(f"  … and {len(iris) - 20} more to {verb}")
        return
    echo(f"graphs:         {res.summary()}")
    echo(f"verified:       {res.triples_verified} triples in {res.graphs_verified} graphs on the server")
    echo(f"sent:           {res.bytes_sent / 1024:,.0f} KB")
    echo(f"time:           {res.seconds:.2f} s")
    for note in res.notes:
        echo(f"  note: {note}", err=True)


# -- graph view command (graph/view.py) ------------------------------------------------------


@app.command()
def view(
    graph_file: Annotated[
        Path, typer.Argument(metavar="GRAPH", help="A graph written by `govkg build` (graph.trig or graph.ttl).")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="HTML file to write; a file named here is replaced. [default: output/graph.html]"),
    ] = None,
    report: Annotated[
        str | None, typer.Option("--report", help="Only this report: its file name, title, IRI or content hash.")
    ] = None,
    types: Annotated[
        str | None,
        typer.Option("--types", help="Node types to draw, comma-separated: Agency,Law,Policy,Initiative,Place,Statistic,Report."),
    ] = None,
    max_nodes: Annotated[
        int | None, typer.Option("--max-nodes", min=1, help="Keep the N best-connected nodes and say what was left out.")
    ] = None,
    overview: Annotated[
        bool | None,
        typer.Option("--overview/--detail", help="What reports share, or every node [default: overview from 4 reports on]."),
    ] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Also draw nodes that have no edge.")] = False,
) -> None:
    """Draw the offline interactive graph view (one HTML file) from an existing graph.

    Example: govkg view output/graph.trig -o laws.html --types Agency,Law --max-nodes 500
    """
    from . import load
    from .view import write_view

    target = out if out is not None else Path("output") / "graph.html"
    try:
        stats = write_view(load(graph_file), target, report=report,
                           types=types.split(",") if types else None, max_nodes=max_nodes,
                           overview=overview, isolated=isolated)
    except GovkgError as e:  # parser messages can span lines; the user gets one
        fail(GovkgError(" ".join(str(e).split())))
    except Exception as e:  # noqa: BLE001 - one line, not a traceback, for the user
        fail(e)
    typer.echo(f"wrote {target}: {stats.summary()}")
    if stats.left_out_examples:
        typer.echo("  left out, e.g.: " + "、".join(stats.left_out_examples[:5]))
    typer.echo(f"open the graph view: file://{target.resolve()}")


# -- scoring against gold annotations (graph/evaluate.py) ------------------------------------


@app.command(name="eval")
def eval_(
    golds: Annotated[
        list[Path],
        typer.Argument(metavar="GOLD...", help="Gold files (.json, see docs/eval.md), or folders: every *.json in them."),
    ],
    texts: Annotated[
        Path, typer.Option("--texts", "-t", help="Folder of the report texts: <gold stem>.txt (.html, .docx, .pdf) or the gold's doc.")
    ],
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also print every miss and false positive with its sentence.")
    ] = False,
    format_: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Build each report that has a gold file and score its graph as the shared scorer does.

    Prints entity precision, recall and F1, typed F1, relation recall and wrong links,
    statistic recall and precision and negatives hit, per report and micro-averaged. Nothing
    is written to disk. A gold file without a text, or a report that fails to build, gets one
    line and is left out of the total.

    Examples:

      govkg eval annotations/ --texts reports/

      govkg eval annotations/report1.json --texts reports/ --verbose --format json
    """
    import json

    from .evaluate import evaluate, finding_lines, table, to_json

    try:
        if format_ not in ("table", "json"):
            raise GovkgError(f"unknown --format {format_!r}; use table or json")
        on_report = (lambda name: typer.echo(f"building {name} …", err=True)) if sys.stderr.isatty() else None
        ev = evaluate(golds, texts, on_report=on_report)
        for path, why in ev.missing:
            typer.echo(f"govkg eval: {path}: skipped, {why}", err=True)
        for path, why in ev.failed:
            typer.echo(f"govkg eval: {path}: build failed, left out: {why}", err=True)
        if not ev.reports:
            raise GovkgError(f"no report scored ({len(ev.missing)} without a text, {len(ev.failed)} failed to build); "
                             "check --texts: it must hold <gold stem>.txt (or .html, .docx, .pdf) for each gold file")
    except GovkgError as e:
        fail(e)
    except Exception as e:  # noqa: BLE001 - one line, not a traceback, for the user
        fail(e)
    if format_ == "json":
        typer.echo(json.dumps(to_json(ev, verbose=verbose), ensure_ascii=False, indent=1))
        return
    from rich.console import Console

    # piped or captured output gets room for all columns instead of rich's 80
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    console.print(table(ev))
    if verbose:
        for line in finding_lines(ev):
            console.print(line, markup=False, highlight=False, soft_wrap=True)


# -- SPARQL commands (graph/store.py, graph/query.py, graph/serve.py) --------------------------


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="A SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")] = None,
    name: Annotated[str | None, typer.Option("--name", "-n", help="Run a named question (see --list).")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE for a named question's parameter.")
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named questions and exit.")] = False,
    store: Annotated[
        Path | None, typer.Option("--store", help="Store folder to query (default: output/store).")
    ] = None,
    graph: Annotated[
        Path | None, typer.Option("--graph", help="Query a graph file (.trig, .nq, .ttl) instead of a store.")
    ] = None,
    format_: Annotated[str, typer.Option("--format", help="table, csv, tsv or json.")] = "table",
    truncate: Annotated[
        int, typer.Option("--truncate", help="Cut table cells to this many columns (0: never).")
    ] = 60,
) -> None:
    """Ask the graph a SPARQL question; the default graph is the union of all reports.

    SELECT and ASK print a table (or --format csv/tsv/json), CONSTRUCT and DESCRIBE print Turtle.
    govkg's prefixes (govkg:, org:, skos:, rdfs:, dcterms:, prov:, qb:, eli:, rdf:, xsd:, nif: …)
    are declared for you: a query that uses them needs no PREFIX lines.

    Examples:

      govkg query --list

      govkg query --name cite_law --param law=长江保护法

      govkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?a a govkg:Agency }'

      govkg query --file my.rq --graph output/graph.trig --format csv
    """
    from .query import FORMATS, named_queries, named_query, open_source, parse_params, render, run

    try:
        if list_:
            for q in named_queries().values():
                params = " ".join(f"[{p.name}={p.default}]" for p in q.params)
                typer.echo(f"{q.name} {params}".rstrip())
                typer.echo(f"    {q.title} / {q.title_zh}")
            return
        given = [x for x in (sparql, file, name) if x is not None]
        if len(given) != 1:
            raise GovkgError("give exactly one of a SPARQL query, --file Q.rq or --name NAME (--list shows the names)")
        if format_ not in FORMATS:
            raise GovkgError(f"unknown --format {format_!r}; use one of {', '.join(FORMATS)}")
        values = parse_params(param or [])
        source: str | None = None
        if name is not None:
            q = named_query(name)
            text, source = q.sparql(values), str(q.path)
        else:
            if values:
                raise GovkgError("--param applies to named questions (--name); write values into your own query")
            if file is not None:
                if not file.is_file():
                    raise GovkgError(f"{file}: no such query file; check the path")
                text, source = file.read_text(encoding="utf-8"), str(file)
            else:
                text = sparql or ""
        db = open_source(store, graph)
        out = render(run(db, text, source=source), format_, truncate=truncate)
    except GovkgError as e:
        fail(e)
    except Exception as e:  # noqa: BLE001 - one line, not a traceback, for the user
        fail(e)
    typer.echo(out.rstrip("\n"))


@app.command()
def serve(
    store: Annotated[Path, typer.Option("--store", help="Store folder to serve.")] = Path("output/store"),
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0: any free port).")] = 7878,
    timeout: Annotated[float, typer.Option("--timeout", help="Time limit of a query, in seconds.")] = 30.0,
    max_result_mb: Annotated[
        float, typer.Option("--max-result-mb", help="Largest result the server sends, in MB.")
    ] = 64.0,
    max_request_kb: Annotated[
        float, typer.Option("--max-request-kb", help="Largest request body accepted, in KB.")
    ] = 1024.0,
    writable: Annotated[
        bool, typer.Option("--writable", help="Allow SPARQL Update and Graph Store writes (off by default).")
    ] = False,
    allow_load: Annotated[
        list[Path] | None,
        typer.Option("--allow-load", metavar="DIR",
                     help="With --writable: let SPARQL LOAD read RDF files under DIR (never URLs). Repeatable."),
    ] = None,
    read_timeout: Annotated[
        float, typer.Option("--read-timeout", help="Seconds a client has to send a request's headers and body.")
    ] = 10.0,
    max_connections: Annotated[
        int, typer.Option("--max-connections", min=1, help="Open client connections at most; more get 503.")
    ] = 64,
) -> None:
    """Serve the store over HTTP: a SPARQL 1.1 endpoint, a query page and the graph view.

    Oxigraph's own server answers the queries; a thin layer in front parses every query and
    keeps it read-only, refuses SERVICE and LOAD, enforces the time, size and connection limits
    and serves the query page (/) and the graph view (/view). Stop it with Ctrl-C.

    Example: govkg serve --store output/store --port 7878
    """
    from .serve import ServeConfig
    from .serve import serve as run

    cfg = ServeConfig(
        store=store,
        host=host,
        port=port,
        timeout=timeout,
        max_result_bytes=int(max_result_mb * 1024 * 1024),
        max_request_bytes=int(max_request_kb * 1024),
        writable=writable,
        allow_load=tuple(allow_load or ()),
        read_timeout=read_timeout,
        max_connections=max_connections,
    )
    try:
        run(cfg, on_ready=lambda url: typer.echo(
            f"govkg serve: SPARQL endpoint {url}sparql, query page {url}, graph view {url}view "
            f"({'writable' if writable else 'read-only'}; Ctrl-C to stop)"
        ))
    except GovkgError as e:
        fail(e)
    except Exception as e:  # noqa: BLE001 - one line, not a traceback, for the user
        fail(e)


def main() -> None:
    """Entry point of the ``govkg`` console script."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("govkg: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
