"""Push a built graph to any SPARQL 1.1 server, one named graph per report.

``govkg build`` leaves each report's named graph as a Turtle chunk in ``OUT/cache/`` and the
list of them in ``OUT/manifest.json`` (see :mod:`graph.corpus`). :func:`push` sends those
chunks, never re-extracting anything, with the SPARQL 1.1 Graph Store HTTP Protocol:

- ``PUT {graph store}?graph=<report IRI>`` (``text/turtle``) replaces a report's graph on the
  server in one request (one transaction on servers such as Oxigraph, so a rebuilt report
  never shows up half old and half new); the ontology goes to its own graph,
  ``https://w3id.org/govkg/ontology``;
- ``DELETE {graph store}?graph=<IRI>`` drops the graph of a report that was pushed before and
  is no longer in the manifest.

A *push record* per Graph Store URL, ``OUT/push/<key>.json``, remembers the hash and triple
count of every graph pushed there, so that a re-push sends only what changed. The record is a
hint, the server is the truth: before trusting it, one SELECT per batch of graphs counts what
the server holds, and a graph that is missing or different there (a server started afresh,
a graph dropped by hand) is sent again. After the writes the same count checks what was sent.

Every successful PUT or DELETE is appended to ``OUT/push/<key>.journal`` at once (one short
line, not a rewrite of the whole record, so that a push of 10,000 graphs stays linear); the
journal is folded into the record at the end. A push that is interrupted therefore resumes
where it stopped.

httpx talks HTTP, with its Basic and Digest authentication classes (whichever the server asks
for: Virtuoso's ``-auth`` endpoints ask for Digest); a plain loop retries, boundedly and with
backoff, on 5xx answers and lost connections; errors are one line that says what to do.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import time
import urllib.parse
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from .errors import GovkgError

__all__ = [
    "PushError",
    "PushResult",
    "push",
    "graph_store_url",
    "parse_auth",
    "record_path",
]

#: Where :func:`push` keeps its records, under the build's output folder.
RECORD_DIR = "push"
RECORD_VERSION = 1
#: Graphs per verification query (a VALUES list of this many IRIs).
VERIFY_BATCH = 200
#: HTTP answers worth another try: the server is busy, restarting or behind a failing proxy.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Longest wait between two tries, whatever the backoff or a Retry-After header say.
MAX_WAIT = 30.0

_TURTLE = "text/turtle"  # UTF-8 by definition; some servers balk at a charset parameter
_HINT = ("Oxigraph: http://HOST:7878/store, Fuseki: http://HOST:3030/DATASET/data, "
         "Virtuoso: http://HOST:8890/sparql-graph-crud-auth")


class PushError(GovkgError):
    """A push could not be done: the server is unreachable, refused a graph, or the output
    folder holds no build."""


@dataclass(frozen=True)
class PushResult:
    """What a push did (or, with ``dry_run``, would do)."""

    endpoint: str
    graph_store: str
    pushed: tuple[str, ...]  # graph IRIs sent with PUT
    unchanged: int  # graphs the server already held as built
    deleted: tuple[str, ...]  # graph IRIs removed with DELETE
    repaired: tuple[str, ...] = ()  # of ``pushed``: graphs the record had but the server lacked
    graphs_verified: int = 0
    triples_verified: int = 0
    bytes_sent: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    record: Path | None = None
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        """One line for the CLI, e.g. ``2 pushed, 40 unchanged, 1 deleted``."""
        if self.dry_run:
            return f"{len(self.pushed)} to push, {self.unchanged} unchanged, {len(self.deleted)} to delete"
        line = f"{len(self.pushed)} pushed, {self.unchanged} unchanged, {len(self.deleted)} deleted"
        if self.repaired:
            line += f" ({len(self.repaired)} of them re-sent: the server had lost them)"
        return line


# --------------------------------------------------------------------------------------------
# URLs and credentials


def graph_store_url(endpoint: str, *, auth: bool = False) -> str:
    """The Graph Store Protocol URL of a server, from its SPARQL query endpoint.

    Knows the usual layouts: Oxigraph answers queries at ``/query`` and holds
    graphs at ``/store``; Fuseki has ``/DATASET/query`` (or ``/sparql``) and
    ``/DATASET/data``; Virtuoso has ``/sparql`` and ``/sparql-graph-crud``, or their ``-auth``
    twins that ask for a login (taken when ``auth`` is set).

    Raises:
        PushError: the layout is not one of these; the message says how to pass the URL.

    Examples:
        >>> graph_store_url("http://127.0.0.1:7878/query")
        'http://127.0.0.1:7878/store'
        >>> graph_store_url("http://localhost:3030/ds/sparql")
        'http://localhost:3030/ds/data'
        >>> graph_store_url("http://localhost:8890/sparql", auth=True)
        'http://localhost:8890/sparql-graph-crud-auth'
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if path == "/query":
        new = "/store"
    elif path == "/sparql":
        new = "/sparql-graph-crud-auth" if auth else "/sparql-graph-crud"
    elif path == "/sparql-auth":
        new = "/sparql-graph-crud-auth"
    elif head and last in ("query", "sparql"):
        new = f"{head}/data"
    else:
        raise PushError(
            f"cannot tell the Graph Store Protocol URL of the endpoint {endpoint}; pass it with "
            f"--graph-store URL ({_HINT})"
        )
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new, "", ""))


def _check_url(url: str, option: str) -> str:
    """An http(s) URL without credentials in it, or a PushError saying what to fix."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"{option} must be an http:// or https:// URL, not {url!r}")
    if parts.username is not None or parts.password is not None:
        raise PushError(f"{option} holds a user name or password; pass them with --auth USER:PASSWORD "
                        "or the GOVKG_PUSH_AUTH environment variable instead, and drop them from the URL")
    if parts.fragment:
        raise PushError(f"{option} must not have a #fragment: {url}")
    return url


def parse_auth(value: str) -> tuple[str, str]:
    """``USER:PASSWORD`` as a pair (the password may itself hold colons).

    Examples:
        >>> parse_auth("dba:s3cret:x")
        ('dba', 's3cret:x')
    """
    user, sep, password = value.partition(":")
    if not sep or not user:
        raise PushError("--auth (or GOVKG_PUSH_AUTH) must be USER:PASSWORD")
    return user, password


def record_path(out_dir: str | Path, graph_store: str) -> Path:
    """Where the push record of one Graph Store URL lives: ``OUT/push/<key>.json``.

    Keyed by the Graph Store URL rather than the query endpoint because that is where the
    graphs are written; the record itself names both.
    """
    key = hashlib.sha256(graph_store.encode("utf-8")).hexdigest()[:16]
    return Path(out_dir) / RECORD_DIR / f"{key}.json"


# --------------------------------------------------------------------------------------------
# HTTP


class _Login(httpx.Auth):
    """Basic or Digest, whichever the server asks for, and no credentials until it asks.

    The first 401 decides: a server that offers Digest gets Digest (httpx's, which hashes
    UTF-8, so a password may be in Chinese, and speaks SHA-256), and never sees the password;
    one that offers only Basic gets Basic, and from then on at once rather than every PUT body
    twice.
    """

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        offered = {h.split(None, 1)[0].lower() for h in response.headers.get_list("www-authenticate") if h.strip()}
        if "digest" in offered:
            self._chosen = self._digest
        elif "basic" in offered:
            self._chosen = self._basic
        else:
            where = str(request.url).split("?", 1)[0]
            raise PushError(f"{where} asks for a kind of login this tool does not speak "
                            f"({', '.join(sorted(offered)) or 'none named'}); use a server endpoint that takes "
                            "Basic or Digest")
        yield from self._chosen.auth_flow(request)


class _Client:
    """httpx with a login, a timeout, a plain bounded retry loop and errors that say what to do."""

    def __init__(self, auth: tuple[str, str] | None, timeout: float, retries: int, backoff: float) -> None:
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = max(0.0, backoff)
        self.http = httpx.Client(auth=_Login(*auth) if auth is not None else None, timeout=timeout,
                                 follow_redirects=False)

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """Send one request, retrying on 5xx and lost connections; (status, body) of a 2xx
        answer, else :class:`_HTTPStatusError` / :class:`PushError`."""
        attempt = 0
        while True:
            wait: float | None = None
            try:
                resp = self.http.request(method, url, content=body, headers=headers)
            except httpx.TransportError as e:
                if attempt >= self.retries:
                    raise PushError(_unreachable(url.split("?", 1)[0], e, self.timeout, attempt + 1)) from None
            else:
                if resp.status_code < 300:
                    return resp.status_code, resp.content
                if resp.status_code not in RETRY_STATUSES or attempt >= self.retries:
                    raise _HTTPStatusError(resp.status_code, _short(resp.content) or resp.reason_phrase,
                                           attempt + 1, resp.headers.get("Location", ""))
                wait = _retry_after(resp.headers.get("Retry-After"))
            attempt += 1
            delay = self.backoff * 2 ** (attempt - 1)
            time.sleep(min(MAX_WAIT, wait if wait is not None else delay))


class _HTTPStatusError(Exception):
    """An HTTP answer that is an error; turned into a PushError by whoever knows the context."""

    def __init__(self, status: int, message: str, attempts: int, location: str = "") -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message
        self.attempts = attempts
        self.location = location


def _short(data: bytes, limit: int = 200) -> str:
    """A server's error body on one line, cut to ``limit`` characters."""
    text = " ".join(data.decode("utf-8", "replace").split())
    if "<html" in text.lower()[:200]:  # an HTML error page: its text, not its markup
        import re

        text = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _unreachable(url: str, reason: httpx.TransportError, timeout: float, attempts: int) -> str:
    tries = f" ({attempts} attempts)" if attempts > 1 else ""
    if isinstance(reason, httpx.TimeoutException):
        return (f"{url} did not answer within {timeout:g} s{tries}; check that the server is up, "
                "or give it longer with --timeout")
    text = " ".join(str(reason).split())
    if isinstance(reason, httpx.ConnectError) and "refused" in text.lower():
        why = "connection refused"
    elif isinstance(reason, httpx.ConnectError) and any(
            w in text.lower() for w in ("name or service not known", "nodename nor servname", "name resolution",
                                        "getaddrinfo")):
        why = "unknown host"
    else:
        why = text or type(reason).__name__
    return f"cannot reach {url} ({why}){tries}; check that the server is running and the URL is right"


def _explain(f: _HTTPStatusError, *, method: str, url: str, what: str, auth: bool, derived: bool,
             size: int = 0) -> PushError:
    """The one-line error for an HTTP failure, saying what to do about it."""
    said = f" (server says: {f.message})" if f.message else ""
    code = f"HTTP {f.status}"
    if f.status == 401:
        if auth:
            return PushError(f"{url} refused the credentials ({code}); check the user and password given "
                             "with --auth or GOVKG_PUSH_AUTH")
        return PushError(f"{url} asks for a login ({code}); pass --auth USER:PASSWORD or set "
                         "GOVKG_PUSH_AUTH=USER:PASSWORD")
    if f.status == 403:
        return PushError(f"{url} forbids {method} ({code}){said}; check that the --auth user may write "
                         "graphs (Virtuoso: use /sparql-graph-crud-auth, or grant SPARQL_UPDATE) and "
                         "that the server is not read-only")
    if f.status in (301, 302, 303, 307, 308):
        to = f" to {f.location}" if f.location else ""
        return PushError(f"{url} redirects{to} ({code}); pass the URL it redirects to")
    if method == "POST":  # the SPARQL query endpoint
        if f.status == 404:
            return PushError(f"no SPARQL endpoint at {url} ({code}); check --endpoint")
        return PushError(f"the SPARQL endpoint {url} could not count {what} ({code}){said}; check --endpoint")
    if f.status == 404:
        how = "derived from --endpoint" if derived else "given with --graph-store"
        return PushError(f"no Graph Store Protocol service at {url} ({code}, {how}){said}; pass the right "
                         f"--graph-store URL ({_HINT})")
    if f.status == 405:
        return PushError(f"{url} does not allow {method} ({code}){said}; is it read-only, or not a Graph "
                         f"Store Protocol URL? ({_HINT})")
    if f.status == 413:
        return PushError(f"{url} refused {what} as too large ({code}, {size:,} bytes); raise the server's "
                         "request size limit")
    if f.status == 415:
        return PushError(f"{url} does not accept Turtle ({code}){said}; check that --graph-store is a Graph "
                         "Store Protocol URL")
    if f.status == 400 and method == "PUT":
        return PushError(f"{url} refused the Turtle of {what} ({code}){said}; the server's Turtle parser "
                         "disagrees with this chunk: please report it")
    tries = f" after {f.attempts} attempts" if f.attempts > 1 else ""
    if f.status >= 500:
        return PushError(f"{url} failed on {what} ({code}{tries}){said}; check the server's log, then push "
                         "again: what was sent is kept and not sent twice")
    return PushError(f"{url} refused {method} of {what} ({code}){said}")


# --------------------------------------------------------------------------------------------
# the record of what was pushed


class _Record:
    """The graphs pushed to one Graph Store URL: IRI -> {sha256, triples, size, mtime_ns}.

    Held under an exclusive lock for the whole push, so two pushes to the same server from the
    same output folder cannot interleave.
    """

    def __init__(self, path: Path, endpoint: str, graph_store: str) -> None:
        self.path = path
        self.journal_path = path.with_suffix(".journal")
        self.endpoint = endpoint
        self.graph_store = graph_store
        self.graphs: dict[str, dict[str, Any]] = {}
        self._journal: IO[str] | None = None
        self._lock: IO[bytes] | None = None

    @contextlib.contextmanager
    def locked(self, write: bool = True) -> Iterator[_Record]:
        """The record, loaded, held under the lock while ``write`` (a dry run only reads it and
        leaves no file behind)."""
        if not write:
            self.load()
            yield self
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = self.path.with_suffix(".lock").open("ab")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise PushError(f"another `govkg push` to {self.graph_store} from this output folder is running; "
                            "wait for it to finish") from None
        self._lock = lock
        try:
            self.load()
            yield self
        finally:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
            lock.close()
            self._lock = None

    def load(self) -> None:
        """The record and, replayed over it, the journal of a push that did not finish."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == RECORD_VERSION and isinstance(data.get("graphs"), dict):
                self.graphs = dict(data["graphs"])
        except (OSError, ValueError, AttributeError):
            self.graphs = {}
        try:
            lines = self.journal_path.read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                op = json.loads(line)
                if op["op"] == "put":
                    self.graphs[op["graph"]] = op["entry"]
                elif op["op"] == "delete":
                    self.graphs.pop(op["graph"], None)
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a kill: that graph is simply sent again

    def note(self, op: str, graph: str, entry: dict[str, Any] | None = None) -> None:
        """Remember one successful PUT or DELETE, on disk at once."""
        if op == "put":
            assert entry is not None
            self.graphs[graph] = entry
        else:
            self.graphs.pop(graph, None)
        if self._journal is None:
            self._journal = self.journal_path.open("a", encoding="utf-8")
        self._journal.write(json.dumps({"op": op, "graph": graph, "entry": entry}, ensure_ascii=False) + "\n")
        self._journal.flush()

    def save(self) -> None:
        """Fold the journal into the record (atomically) and remove it."""
        from .publish import atomic_write

        text = json.dumps({"version": RECORD_VERSION, "endpoint": self.endpoint, "graph_store": self.graph_store,
                           "graphs": dict(sorted(self.graphs.items()))}, ensure_ascii=False, indent=1)
        def write(tmp: Path) -> None:
            tmp.write_text(text, encoding="utf-8")

        atomic_write(self.path, write)
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        self.journal_path.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# what to push


@dataclass
class _Graph:
    """One graph the build holds: its IRI and where its Turtle comes from."""

    iri: str
    path: Path | None  # the chunk; None for the ontology
    data: bytes | None = None  # the ontology's Turtle (chunks are read when sent)
    digest: str | None = None  # the ontology's: of its source file, see _graphs
    size: int = 0
    mtime_ns: int = 0

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        try:
            return self.path.read_bytes()
        except OSError as e:
            raise PushError(f"cannot read the chunk of <{self.iri}> ({e.strerror}); rebuild with "
                            "`govkg build` into this output folder, then push again", path=self.path) from None

    def sha256(self, known: dict[str, Any] | None) -> str:
        """The content hash; taken from the record when the chunk's size and time are the same
        (chunks are written once under a content-derived name), so a re-push reads nothing."""
        if self.digest is not None:
            return self.digest
        if known and self.data is None and known.get("size") == self.size and known.get("mtime_ns") == self.mtime_ns:
            return str(known.get("sha256", ""))
        return hashlib.sha256(self.read()).hexdigest()


def _graphs(out_dir: Path) -> list[_Graph]:
    """The ontology's graph and every report graph of the build in ``out_dir``, IRI order."""
    from .corpus import Manifest, ontology_chunk
    from .vocab import ONTOLOGY_IRI, ontology_dir

    if out_dir.exists() and not out_dir.is_dir():
        raise PushError("--out must be the output folder of `govkg build`, and this is a file", path=out_dir)
    p = out_dir / Manifest.FILE
    try:
        base = json.loads(p.read_text(encoding="utf-8")).get("base")
    except FileNotFoundError:
        raise PushError(f"no build here ({Manifest.FILE} is missing); run `govkg build --out {out_dir}` first, "
                        "or pass the right --out", path=out_dir) from None
    except (OSError, ValueError, AttributeError) as e:
        raise PushError(f"cannot read {Manifest.FILE} ({e}); rebuild with `govkg build --out {out_dir}`",
                        path=out_dir) from None
    manifest = Manifest.load(out_dir, str(base))
    if not manifest.files:
        raise PushError(f"{Manifest.FILE} lists no report; rebuild with `govkg build --out {out_dir}`",
                        path=out_dir)
    # the ontology's Turtle names its blank nodes afresh on every run, so its bytes change when
    # it does not: hash the source file instead
    source = (ontology_dir() / "govkg.ttl").read_bytes()
    out = [_Graph(str(ONTOLOGY_IRI), None, data=ontology_chunk("turtle"),
                  digest="source:" + hashlib.sha256(source).hexdigest())]
    for entry in sorted({e.graph: e for e in manifest.files.values()}.values(), key=lambda e: e.graph):
        chunk = out_dir / "cache" / entry.chunk
        try:
            st = chunk.stat()
        except OSError:
            raise PushError(f"the chunk of <{entry.graph}> is missing; rebuild with `govkg build` into this "
                            "output folder, then push again", path=chunk) from None
        out.append(_Graph(entry.graph, chunk, size=st.st_size, mtime_ns=st.st_mtime_ns))
    return out


def _distinct_triples(data: bytes, iri: str) -> int:
    """Triples a server holds once it has parsed this Turtle (an RDF graph is a set)."""
    import pyoxigraph as ox

    try:
        return len(set(ox.parse(data, format=ox.RdfFormat.TURTLE)))
    except (SyntaxError, ValueError) as e:
        raise PushError(f"the chunk of <{iri}> is not valid Turtle ({' '.join(str(e).split())[:200]}); "
                        "rebuild with `govkg build`") from None


# --------------------------------------------------------------------------------------------
# the push


def push(
    out_dir: str | Path,
    endpoint: str,
    *,
    graph_store: str | None = None,
    auth: str | tuple[str, str] | None = None,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 0.5,
    dry_run: bool = False,
    force: bool = False,
    progress: bool = False,
) -> PushResult:
    """Send the graphs of the build in ``out_dir`` to a SPARQL 1.1 server.

    Args:
        out_dir: The output folder of ``govkg build`` (its manifest and chunks are read).
        endpoint: The server's SPARQL query endpoint, used to check what it holds.
        graph_store: Its Graph Store Protocol URL; derived from ``endpoint`` when not given
            (see :func:`graph_store_url`).
        auth: ``"USER:PASSWORD"`` or a pair; sent as Basic or Digest, as the server asks.
        timeout: Seconds to wait for one answer.
        retries: Further tries of a request after a 5xx answer or a lost connection; the
            waits between them double from ``backoff`` seconds.
        dry_run: Say what would be sent and deleted, from the record alone; no request at all.
        force: Send every graph, whatever the record says.
        progress: Show a progress bar while sending (on a terminal).

    Returns:
        What was pushed, left alone, deleted and verified.

    Raises:
        PushError: No build in ``out_dir``, the server is unreachable, refuses a graph or holds
            something else than was sent. What was sent before the error is remembered.
    """
    from .corpus import progress_iter

    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    endpoint = _check_url(endpoint, "--endpoint")
    creds = parse_auth(auth) if isinstance(auth, str) else auth
    derived = graph_store is None
    store = _check_url(graph_store, "--graph-store") if graph_store else graph_store_url(endpoint, auth=creds is not None)
    graphs = _graphs(out_dir)
    record = _Record(record_path(out_dir, store), endpoint, store)

    with record.locked(write=not dry_run):
        known = record.graphs
        wanted = {g.iri: g for g in graphs}
        hashes = {g.iri: g.sha256(known.get(g.iri)) for g in graphs}
        todo = [g.iri for g in graphs if force or known.get(g.iri, {}).get("sha256") != hashes[g.iri]]
        same = [i for i in wanted if i not in todo]
        gone = sorted(i for i in known if i not in wanted)
        if dry_run:
            return PushResult(endpoint, store, tuple(todo), len(same), tuple(gone), dry_run=True,
                              seconds=time.perf_counter() - t0, record=record.path)

        client = _Client(creds, timeout, retries, backoff)
        with contextlib.closing(client):

            def count(iris: list[str]) -> dict[str, int]:
                return _count_graphs(client, endpoint, iris, auth=creds is not None)

            # the record says these are on the server: check, and send again what is not
            held = count(same)
            repaired = [i for i in same if held.get(i) != known[i].get("triples")]
            todo = sorted(set(todo) | set(repaired))
            sent = 0
            for iri in progress_iter(todo, len(todo), "pushing", progress and len(todo) > 1):
                g = wanted[iri]
                data = g.read()
                triples = _distinct_triples(data, iri)
                try:
                    client.request("PUT", _graph_url(store, iri), data, {"Content-Type": _TURTLE})
                except _HTTPStatusError as f:
                    raise _explain(f, method="PUT", url=store, what=f"graph <{iri}>", auth=creds is not None,
                                   derived=derived, size=len(data)) from None
                sent += len(data)
                record.note("put", iri, {"sha256": hashes[iri], "triples": triples, "size": g.size,
                                         "mtime_ns": g.mtime_ns})
            for iri in gone:
                try:
                    client.request("DELETE", _graph_url(store, iri))
                except _HTTPStatusError as f:
                    # 404: the graph is not there (the check below tells a wrong URL from that)
                    if f.status != 404:
                        raise _explain(f, method="DELETE", url=store, what=f"graph <{iri}>",
                                       auth=creds is not None, derived=derived) from None
                record.note("delete", iri)

            # what was sent is there and what was deleted is gone
            after = count(todo + gone)
            missing = [i for i in todo if not after.get(i)]
            left = [i for i in gone if after.get(i)]
            notes = []
            for i in todo:
                sent_triples = record.graphs[i]["triples"]
                if after.get(i) and after[i] != sent_triples:
                    # a server may merge literals it deems equal (Virtuoso: 1.0 and 1.00): keep its
                    # count in the record so the next push does not take this for a lost graph
                    notes.append(f"<{i}>: the server holds {after[i]} triples, {sent_triples} were sent")
                    record.graphs[i]["triples"] = after[i]
            record.save()
            if missing:
                raise PushError(f"<{missing[0]}> is not on the server after it accepted it ({len(missing)} graph(s)); "
                                f"check that --endpoint {endpoint} and --graph-store {store} are the same server")
            if left:
                raise PushError(f"<{left[0]}> is still on the server after DELETE ({len(left)} graph(s)); check that "
                                f"--graph-store {store} is the Graph Store Protocol URL of --endpoint {endpoint}")
            verified = {**held, **after}
            return PushResult(
                endpoint, store, tuple(todo), len(same) - len(repaired), tuple(gone), repaired=tuple(repaired),
                graphs_verified=len(wanted), triples_verified=sum(verified.get(i, 0) for i in wanted),
                bytes_sent=sent, seconds=time.perf_counter() - t0, record=record.path, notes=tuple(notes),
            )


def _graph_url(store: str, iri: str) -> str:
    """``store?graph=<iri>``, the Graph Store Protocol's indirect graph identification."""
    sep = "&" if "?" in store else "?"
    return f"{store}{sep}graph={urllib.parse.quote(iri, safe='')}"


def _count_graphs(client: _Client, endpoint: str, iris: list[str], *, auth: bool) -> dict[str, int]:
    """Triples per named graph on the server, for the graphs asked about that have any."""
    out: dict[str, int] = {}
    for i in range(0, len(iris), VERIFY_BATCH):
        batch = iris[i : i + VERIFY_BATCH]
        values = " ".join(f"<{iri}>" for iri in batch)
        query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        body = urllib.parse.urlencode({"query": query}).encode("ascii")
        try:
            _, data = client.request("POST", endpoint, body, {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            })
        except _HTTPStatusError as f:
            raise _explain(f, method="POST", url=endpoint, what="the triples of the pushed graphs",
                           auth=auth, derived=False) from None
        try:
            rows = json.loads(data)["results"]["bindings"]
            for row in rows:
                out[row["g"]["value"]] = int(row["n"]["value"])
        except (ValueError, KeyError, TypeError):
            raise PushError(f"{endpoint} did not answer a SELECT with SPARQL JSON results "
                            f"({_short(data, 100)!r}); check that --endpoint is the SPARQL query endpoint") from None
    return out
