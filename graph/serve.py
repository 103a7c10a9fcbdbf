"""``govkg serve``: a local SPARQL 1.1 endpoint with a query page and the graph view.

The SPARQL engine and HTTP protocol are Oxigraph's own server (``oxigraph serve-read-only``,
from the ``oxigraph`` package on PyPI, same storage format as pyoxigraph of the same version):
it speaks the SPARQL 1.1 Protocol and the Graph Store Protocol, negotiates every result format
and describes itself. The layer passes the client's ``Accept`` header on and Oxigraph's status,
``Content-Type`` and body back unchanged (a 406 for a format it does not offer is Oxigraph's);
it neither negotiates nor formats results itself. It is a thin layer of our own, on the
standard library's ``ThreadingHTTPServer``, for what Oxigraph's server does not do:

* refuse ``SERVICE`` (Oxigraph would fetch from any URL a query names) and ``LOAD`` of anything
  but files under ``--allow-load`` folders, deciding on the query as a SPARQL parser reads it
  (:func:`graph.query.check_sparql`; what cannot be parsed is refused), queries nested deeper than
  :data:`graph.query.MAX_DEPTH`, SPARQL Update and Graph Store writes (unless ``--writable``),
  cross-origin writes, and requests to foreign host names (DNS rebinding);
* a connection limit and a deadline for sending each request, so idle or trickling clients cannot
  hold hundreds of threads;
* a time limit that ends with a clear 503 (Oxigraph's own timeout cuts a streamed result
  mid-body with status 200), a result-size limit (507), a request-size limit (400), for which
  it reads Oxigraph's whole answer before sending it on;
* error messages that say what to do: a syntax error with line, column and the text around it,
  an undeclared prefix by name (:func:`graph.query.undeclared_prefix`);
* the service description, Oxigraph's in the format Oxigraph chose, without the federation it
  advertises and naming our endpoint;
* the query page (``/``), the named questions (``/questions.json``), the graph view (``/view``);
* serving a checkpoint of the store, so ``govkg build`` can rewrite the store while the server
  runs: when the store's marker changes the layer takes a new checkpoint, starts a new Oxigraph
  process on it, sends new requests there and stops the old one when its last request is done.

Oxigraph listens on a private loopback port; only the layer is reachable.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import ipaddress
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from .errors import GovkgError, QueryError, StoreError

if TYPE_CHECKING:
    from .query import Checked

__all__ = ["ServeConfig", "GovkgServer", "serve", "oxigraph_executable"]

_SPARQL_PATHS = ("/sparql", "/query")
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
_STATIC = {
    "query.js": "text/javascript; charset=utf-8",
    "query.css": "text/css; charset=utf-8",
    "yasgui/yasgui.min.js": "text/javascript; charset=utf-8",  # YASGUI, bundled: see static/yasgui/README.md
    "yasgui/yasgui.min.css": "text/css; charset=utf-8",
}
# YASGUI's column resizer (column-resizer, bundled in yasgui.min.js) adds two <style> elements
# of fixed text: the grips' rules, and the cursor while a column is dragged. Those two texts are
# allowed by their hashes; no other inline style, no eval. See static/yasgui/README.md.
_YASGUI_STYLE_HASHES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",
)
_PAGE_CSP = (
    f"default-src 'none'; script-src 'self'; style-src 'self' {' '.join(_YASGUI_STYLE_HASHES)}; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)


@dataclass(frozen=True)
class ServeConfig:
    """Settings of ``govkg serve``."""

    store: Path = Path("output/store")
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0  # seconds a query may run
    max_result_bytes: int = 64 * 1024 * 1024
    max_request_bytes: int = 1024 * 1024
    writable: bool = False
    poll: float = 1.0  # seconds between looks at the store's marker
    max_concurrent: int = 32  # requests forwarded to Oxigraph at once; more wait, then get 503
    oxigraph: str | None = None  # the oxigraph executable; default: beside python, then PATH
    allow_load: tuple[Path, ...] = ()  # with writable: folders whose files SPARQL LOAD may read
    read_timeout: float = 10.0  # seconds a client has to send a request's headers, and its body
    max_connections: int = 64  # client connections open at once; more are answered 503 and closed


def oxigraph_executable(explicit: str | None = None) -> str:
    """Path of the ``oxigraph`` server executable (from the ``oxigraph`` PyPI package).

    Raises:
        GovkgError: it is not installed.
    """
    if explicit:
        return explicit
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise GovkgError(
        "the Oxigraph server is not installed; install it with `pip install oxigraph` "
        "(the same version as pyoxigraph)"
    )


def _check_version(exe: str) -> None:
    from .store import oxigraph_version

    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise GovkgError(f"cannot run the Oxigraph server {exe} ({e}); reinstall it with `pip install oxigraph`") from None
    server = out.split()[-1] if out.split() else "?"
    lib = oxigraph_version()
    if server.split(".")[:2] != lib.split(".")[:2]:
        raise GovkgError(
            f"the Oxigraph server is version {server} but pyoxigraph is {lib}; their store formats may "
            f"differ: install matching versions (`pip install oxigraph=={lib}`)"
        )


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn asking Linux to stop the child when this process (thread) ends."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def preexec() -> None:
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    return preexec


class _Upstream:
    """One Oxigraph server process on a private loopback port."""

    def __init__(self, location: Path, cfg: ServeConfig, exe: str, snapshot_root: Path | None) -> None:
        self.location = location
        self.snapshot_root = snapshot_root  # removed when the process stops
        self.cfg = cfg
        self.exe = exe
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.active = 0
        self.retired = False
        self.stopped = False
        self._lock = threading.Lock()
        self._log = tempfile.TemporaryFile()

    def start(self) -> None:
        mode = "serve" if self.cfg.writable else "serve-read-only"
        # Oxigraph's own timeout only stops abandoned work: ours (shorter) answers the client
        limit = str(int(math.ceil(self.cfg.timeout)) + 2)
        last = ""
        for _ in range(5):
            self.port = _free_port()
            args = [self.exe, mode, "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}",
                    "--timeout-s", limit]
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                preexec_fn=_die_with_parent(), close_fds=True,
            )
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                    conn.request("GET", "/query", headers={"Accept": "application/n-triples"})
                    ok = conn.getresponse().status == 200
                    conn.close()
                    if ok:
                        return
                except OSError:
                    pass
                time.sleep(0.05)
            self._kill()
            self._log.seek(0)
            lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
            last = lines[-1] if lines else ""
            if "address" not in last.lower():  # anything but a lost race for the port is final
                break
        raise StoreError(
            f"the Oxigraph server did not start on the store ({last or 'no message'}); "
            "check that the store was written by this version (rebuild with `govkg build`)",
            path=self.location,
        )

    def acquire(self) -> bool:
        with self._lock:
            if self.retired:
                return False
            self.active += 1
            return True

    def release(self) -> None:
        with self._lock:
            self.active -= 1
            done = self.retired and self.active == 0
        if done:
            self.stop()

    def retire(self) -> None:
        with self._lock:
            self.retired = True
            done = self.active == 0
        if done:
            self.stop()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _kill(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def stop(self) -> None:
        with self._lock:
            if self.stopped:
                return
            self.stopped = True
        self._kill()
        self._log.close()
        if self.snapshot_root is not None:
            shutil.rmtree(self.snapshot_root, ignore_errors=True)


class _HTTPError(GovkgError):
    """A request the layer answers itself with ``status`` and ``message`` (plain text): refused,
    malformed, or over a limit. Never leaves the handler."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class GovkgServer:
    """The layer in front of Oxigraph: start it, use ``.url``, stop it (or use ``with``)."""

    def __init__(self, cfg: ServeConfig) -> None:
        self.cfg = cfg
        self.store = Path(cfg.store)
        self.exe = oxigraph_executable(cfg.oxigraph)
        self.url = ""
        self._upstream: _Upstream | None = None
        self._generation: str | None = None
        self._writes = 0
        self._ulock = threading.Lock()
        self._slots = threading.BoundedSemaphore(cfg.max_concurrent)
        self._httpd: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()
        self._view_lock = threading.Lock()
        self._views: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._view_data: tuple[Any, Any] | None = None

    # -- upstream management -------------------------------------------------------------------

    def _snapshot_prefix(self) -> str:
        return f".{self.store.name}-serve-"

    def _new_upstream(self) -> _Upstream:
        from .store import cleanup_stale, snapshot, store_generation

        if self.cfg.writable:
            up = _Upstream(self.store, self.cfg, self.exe, None)
            up.start()
            return up
        gen = store_generation(self.store)
        parent = self.store.resolve().parent
        try:
            root = Path(tempfile.mkdtemp(prefix=f"{self._snapshot_prefix()}{os.getpid()}-", dir=parent))
        except OSError:  # the store's folder is read-only: copy to the temp folder instead
            root = Path(tempfile.mkdtemp(prefix=f"govkg-serve-{os.getpid()}-"))
        try:
            snapshot(self.store, root / "db", wait=0.0 if self._upstream else 30.0)
            up = _Upstream(root / "db", self.cfg, self.exe, root)
            up.start()
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        self._generation = gen
        cleanup_stale(parent, self._snapshot_prefix())
        return up

    def _acquire(self) -> _Upstream:
        for _ in range(3):
            with self._ulock:
                up = self._upstream
            if up is None:
                break
            if up.acquire():
                return up
        raise _HTTPError(503, "the SPARQL engine is restarting; retry in a moment")

    def check_store(self) -> bool:
        """Switch to a new checkpoint if the store changed, restart a dead engine; True if switched."""
        from .store import store_generation

        with self._ulock:
            up = self._upstream
        if up is None:
            return False
        changed = not self.cfg.writable and store_generation(self.store) != self._generation
        if not changed and up.alive():
            return False
        try:
            new = self._new_upstream() if (changed or self.cfg.writable) else self._restart(up)
        except StoreError as e:
            if "in use by another process" in str(e):  # a build is writing: next time
                return False
            sys.stderr.write(f"govkg serve: could not reload the store: {e}\n")
            return False
        with self._ulock:
            old, self._upstream = self._upstream, new
        if old is not None:
            old.retire()
        return True

    def _restart(self, up: _Upstream) -> _Upstream:
        new = _Upstream(up.location, self.cfg, self.exe, up.snapshot_root)
        up.snapshot_root = None  # the new process keeps using it
        new.start()
        return new

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> str:
        """Take a checkpoint, start Oxigraph and the HTTP layer; returns the base URL.

        Raises:
            StoreError: no store, or it cannot be served.
            GovkgError: the address is taken or not allowed.
        """
        from .store import _is_store

        if not _is_store(self.store):
            raise StoreError("no SPARQL store here; run `govkg build` first (it writes output/store)",
                             path=self.store)
        if self.cfg.timeout <= 0 or self.cfg.max_result_bytes <= 0 or self.cfg.max_request_bytes <= 0:
            raise GovkgError("--timeout, --max-result-mb and --max-request-kb must be more than 0")
        if self.cfg.read_timeout <= 0 or self.cfg.max_connections < 1:
            raise GovkgError("--read-timeout must be more than 0 and --max-connections at least 1")
        for d in self.cfg.allow_load:
            if not Path(d).is_dir():
                raise GovkgError("--allow-load takes a folder, and this is none", path=d)
        if self.cfg.allow_load and not self.cfg.writable:
            raise GovkgError("--allow-load applies to a --writable server; add --writable, or drop --allow-load")
        _check_version(self.exe)
        self._upstream = self._new_upstream()
        try:
            self._httpd = _HTTPServer((self.cfg.host, self.cfg.port), _Handler, self)
        except OSError as e:
            self.stop()
            raise GovkgError(
                f"cannot listen on {self.cfg.host}:{self.cfg.port} ({e.strerror or e}); "
                "choose another --port (0 picks a free one) or stop the program using it"
            ) from None
        host, port = self._httpd.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}/"
        t = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2},
                             name="govkg-http", daemon=True)
        t.start()
        self._threads.append(t)
        return self.url

    def supervise(self) -> None:
        """Watch the store until :meth:`stop` (blocks; run it in the thread that called start)."""
        while not self._stop.wait(self.cfg.poll):
            try:
                self.check_store()
            except Exception as e:  # noqa: BLE001 - the server keeps answering
                sys.stderr.write(f"govkg serve: store watch failed: {type(e).__name__}: {e}\n")

    def stop(self) -> None:
        """Stop the HTTP layer and every Oxigraph process, remove the checkpoints."""
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        with self._ulock:
            up, self._upstream = self._upstream, None
        if up is not None:
            up.stop()
        for t in self._threads:
            t.join(timeout=5)
        self._threads.clear()

    def __enter__(self) -> GovkgServer:
        self.start()
        t = threading.Thread(target=self.supervise, name="govkg-supervise", daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- forwarding ------------------------------------------------------------------------------

    def forward(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, str, bytes]:
        """Send a request to Oxigraph and read its whole answer within the time and size limits:
        ``(status, Content-Type, body)`` as Oxigraph gave them."""
        if not self._slots.acquire(timeout=self.cfg.timeout):
            raise _HTTPError(503, "the server is busy with other queries; retry in a moment")
        try:
            up = self._acquire()
            try:
                return self._exchange(up, method, path, body, headers)
            finally:
                up.release()
        finally:
            self._slots.release()

    def _exchange(self, up: _Upstream, method: str, path: str, body: bytes | None, headers: dict[str, str],
                  *, timeout: float | None = None, limit: float | None = None) -> tuple[int, str, bytes]:
        """One request to ``up``; ``timeout`` and ``limit`` default to the configured ones. The
        answer is read to its end before anything is sent on: only then can a timeout still be
        a clean 503 and an oversized result a 507, rather than a body cut short."""
        timeout = timeout or self.cfg.timeout
        limit = limit or self.cfg.max_result_bytes
        deadline = time.monotonic() + timeout
        conn = http.client.HTTPConnection("127.0.0.1", up.port, timeout=timeout)
        try:
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
            except TimeoutError:
                raise _HTTPError(503, self._timeout_message()) from None
            except OSError as e:
                raise _HTTPError(502, f"the SPARQL engine did not answer ({e}); retry in a moment") from None
            chunks: list[bytes] = []
            size = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise _HTTPError(503, self._timeout_message())
                if conn.sock is not None:
                    conn.sock.settimeout(left)
                try:
                    chunk = resp.read1(65536)
                except TimeoutError:
                    raise _HTTPError(503, self._timeout_message()) from None
                except (OSError, http.client.HTTPException) as e:
                    raise _HTTPError(502, f"the SPARQL engine broke off its answer ({e}); retry") from None
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise _HTTPError(507, self._size_message())
                chunks.append(chunk)
            data = b"".join(chunks)
            if resp.status == 200 and b"The SPARQL operation has been cancelled" in data[-200:]:
                raise _HTTPError(503, self._timeout_message())  # Oxigraph's timeout hit first
            return resp.status, resp.getheader("Content-Type") or "application/octet-stream", data
        finally:
            conn.close()

    def _timeout_message(self) -> str:
        return (f"the query ran longer than the server's time limit of {self.cfg.timeout:g} s and was stopped; "
                "make it more selective or add a LIMIT, or start the server with a larger --timeout")

    def _size_message(self) -> str:
        mb = self.cfg.max_result_bytes / (1024 * 1024)
        return (f"the result is larger than the server's limit of {mb:g} MB; add a LIMIT or select fewer "
                "columns, or start the server with a larger --max-result-mb")

    def service_description(self, accept: str | None, endpoint: str) -> tuple[int, str, bytes]:
        """Oxigraph's service description in the format Oxigraph negotiated with ``accept``, less
        the federation this layer refuses (``sd:BasicFederatedQuery``) and naming ``endpoint``."""
        import pyoxigraph as ox

        status, ctype, data = self.forward("GET", "/query", None, {"Accept": accept} if accept else {})
        fmt = ox.RdfFormat.from_media_type(ctype) if status == 200 else None
        if fmt is None:  # 406 and the like: Oxigraph's answer stands
            return status, ctype, data
        sd = "http://www.w3.org/ns/sparql-service-description#"
        # Oxigraph names its endpoint relative to the request (<> in Turtle): it is ours that counts
        triples = [ox.Triple(q.subject, q.predicate, ox.NamedNode(endpoint) if q.predicate.value == sd + "endpoint"
                             else q.object)
                   for q in ox.parse(data, format=fmt, base_iri="http://127.0.0.1/query")
                   if not (q.predicate.value == sd + "feature" and q.object.value == sd + "BasicFederatedQuery")]
        return status, ctype, bytes(ox.serialize(triples, format=fmt, prefixes={"sd": sd}) or b"")

    # -- graph view --------------------------------------------------------------------------------

    def view(self, params: dict[str, str]) -> bytes:
        """The graph view of the store, rendered by :func:`graph.view.render_view` (cached)."""
        from .view import render_view

        key = (self._generation, self._writes)
        types = [t for t in params.get("types", "").split(",") if t.strip()] or None
        max_nodes = None
        if params.get("max_nodes"):
            if not params["max_nodes"].isdigit():
                raise _HTTPError(400, "max_nodes takes a whole number")
            max_nodes = int(params["max_nodes"])
        cache_key = (key, params.get("report") or None, tuple(types or ()), max_nodes, params.get("title"))
        with self._view_lock:
            if cache_key in self._views:
                self._views.move_to_end(cache_key)
                return self._views[cache_key]
            if self._view_data is None or self._view_data[0] != key:
                self._view_data = (key, self._dataset())
            try:
                html, _ = render_view(self._view_data[1], report=params.get("report") or None, types=types,
                                      max_nodes=max_nodes, title=params.get("title") or None)
            except GovkgError as e:
                raise _HTTPError(400, str(e)) from None
            page = html.encode("utf-8")
            self._views[cache_key] = page
            while len(self._views) > 8:
                self._views.popitem(last=False)
            return page

    def _dataset(self) -> Any:
        """The store's report graphs and ontology as an rdflib ``Dataset``, read from Oxigraph's
        Graph Store endpoint (no result-size limit: the view shows the whole store)."""
        import pyoxigraph as ox
        from rdflib import Dataset

        up = self._acquire()
        try:
            status, _, data = self._exchange(up, "GET", "/store", None, {"Accept": "application/n-quads"},
                                             timeout=max(self.cfg.timeout, 60), limit=math.inf)
        finally:
            up.release()
        if status != 200:
            raise _HTTPError(502, "could not read the store for the graph view")
        # the report graphs and the ontology, as in graph.trig; the default graph is only their union
        named = [q for q in ox.parse(data, format=ox.RdfFormat.N_QUADS) if not isinstance(q.graph_name, ox.DefaultGraph)]
        ds = Dataset()
        ds.parse(data=bytes(ox.serialize(named, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8"), format="nquads")
        return ds


class _HTTPServer(ThreadingHTTPServer):
    """The stdlib's threading server with a limit on open connections and a deadline for
    reading each request: a thread per connection is cheap until hundreds of clients open one
    and send nothing (or a byte a minute), so connections over ``max_connections`` are answered
    503 at once, and one that has not sent its request (headers, then body) within
    ``read_timeout`` seconds, or sits idle that long between requests, is closed."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr: tuple[str, int], handler: type[BaseHTTPRequestHandler], app: GovkgServer) -> None:
        self.app = app
        self._deadlines: dict[socket.socket, float | None] = {}
        self._dlock = threading.Lock()
        self._closed = threading.Event()
        if ":" in addr[0]:
            self.address_family = socket.AF_INET6
        super().__init__(addr, handler)
        threading.Thread(target=self._reap, name="govkg-reaper", daemon=True).start()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._dlock:
            full = len(self._deadlines) >= self.app.cfg.max_connections
            if not full:
                self._deadlines[request] = time.monotonic() + self.app.cfg.read_timeout
        if full:
            body = (f"the server has {self.app.cfg.max_connections} connections open, its limit; retry in a "
                    "moment, or start it with a larger --max-connections\n").encode()
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                b"Connection: close\r\nRetry-After: 1\r\nContent-Length: "
                                + str(len(body)).encode() + b"\r\n\r\n" + body)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._dlock:
            self._deadlines.pop(request, None)
        super().shutdown_request(request)

    def reading(self, request: Any, reading: bool) -> None:
        """Start (or stop) the clock of a connection that is to send a request or its body."""
        with self._dlock:
            if request in self._deadlines:
                self._deadlines[request] = time.monotonic() + self.app.cfg.read_timeout if reading else None

    def _reap(self) -> None:
        while not self._closed.wait(0.25):
            now = time.monotonic()
            with self._dlock:
                late = [r for r, d in self._deadlines.items() if d is not None and d < now]
                for r in late:
                    self._deadlines[r] = None
            for r in late:  # the handler's blocked read returns, and its thread ends
                with contextlib.suppress(OSError):
                    r.shutdown(socket.SHUT_RDWR)

    def server_close(self) -> None:
        self._closed.set()
        super().server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a client that went away (or was cut off for being slow) is not an error of ours
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


_SERVICE_REFUSED = ("SERVICE (federated query) is refused: this endpoint never reaches out to other servers; "
                    "query each endpoint yourself")


def _guard(text: str, *, update: bool = False) -> Checked:
    """What a query (or update) does, from :func:`graph.query.check_sparql`; SERVICE refused.

    The parse decides; the tokenizer (:func:`graph.query.has_service`) may only refuse more (the
    word SERVICE outside strings, IRIs and comments), never let through what the parse found.
    rdflib's parse takes tens of milliseconds, most of a request's time, one thread at a time
    (:func:`graph.query.check_sparql` holds a lock): the verdict on a text of up to 16 KB is
    remembered, as the query page and scripts send the same questions again and again.

    Raises:
        QueryError: the text cannot be parsed (see :func:`graph.query.check_sparql`).
        _HTTPError: 403, it uses SERVICE.
    """
    from .query import has_service

    checked = _checked(text, update) if len(text) <= 16384 else _check(text, update)
    if checked.services or has_service(text):
        raise _HTTPError(403, _SERVICE_REFUSED)
    return checked


def _check(text: str, update: bool) -> Checked:
    from .query import check_sparql

    return check_sparql(text, update=update)


_checked = functools.lru_cache(maxsize=256)(_check)  # a text that fails raises, and is not remembered


def _allowed_file(source: str, folders: tuple[Path, ...]) -> Path:
    """The file a ``LOAD <file:…>`` names, if it lies under one of the --allow-load folders.

    Raises:
        _HTTPError: 403 for a URL, or a file outside the folders (after resolving links).
    """
    from urllib.parse import unquote

    if not folders:
        raise _HTTPError(403, f"LOAD <{source}> is refused: this server loads no files; start it with "
                              "--allow-load DIR to let LOAD read the RDF files under DIR (never URLs)")
    url = urlsplit(source)
    if url.scheme.lower() != "file" or url.netloc not in ("", "localhost") or url.query or url.fragment:
        raise _HTTPError(403, f"LOAD <{source}> is refused: this endpoint never fetches URLs; LOAD takes "
                              "file: IRIs of files under the --allow-load folders")
    try:
        path = Path(unquote(url.path)).resolve(strict=True)
    except (OSError, RuntimeError):
        raise _HTTPError(400, f"LOAD <{source}>: no such file") from None
    if not path.is_file() or not any(path.is_relative_to(Path(d).resolve()) for d in folders):
        raise _HTTPError(403, f"LOAD <{source}> is refused: the file is not under an --allow-load folder "
                              f"({', '.join(str(d) for d in folders)})")
    return path


def _host_allowed(host_header: str | None, bound: str) -> bool:
    """Whether a request's Host header names this server: on a loopback address only loopback
    names pass, so a web page on a foreign name that resolves to 127.0.0.1 (DNS rebinding) is
    refused.

    Examples:
        >>> _host_allowed("localhost:7878", "127.0.0.1"), _host_allowed("[::1]:7878", "127.0.0.1")
        (True, True)
        >>> _host_allowed("attacker.example:7878", "127.0.0.1")
        False
        >>> _host_allowed("kg.example.org", "0.0.0.0")  # bound to every address: the operator's choice
        True
    """
    if not host_header:
        return True
    name = host_header.strip().lower()
    if name.startswith("["):
        name = name[: name.find("]") + 1]
    elif name.count(":") == 1:
        name = name.split(":")[0]
    try:
        if ipaddress.ip_address(bound).is_loopback:
            return name in _LOOPBACK_NAMES
    except ValueError:
        pass
    return True  # bound to a public name or address: the operator chose to expose it


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1: a client keeps its connection for the next request; every answer says its
    # Content-Length (or closes the connection), so the client knows where an answer ends
    protocol_version = "HTTP/1.1"
    server_version = "govkg"
    sys_version = ""
    _body_read = False
    timeout = 30  # a client that stops sending is dropped, its thread freed
    server: _HTTPServer

    # -- plumbing --------------------------------------------------------------------------------

    @property
    def app(self) -> GovkgServer:
        return self.server.app

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if os.environ.get("GOVKG_SERVE_LOG"):
            super().log_message(format, *args)

    def _unread_body(self) -> bool:
        """Whether the request came with a body that was not read: what is left of it would be
        read as the next request, so the connection must close after this answer."""
        headers = getattr(self, "headers", None)
        if headers is None or self._body_read:
            return False
        return (headers.get("Content-Length", "").strip() not in ("", "0")
                or headers.get("Transfer-Encoding", "").lower() not in ("", "identity"))

    def _send(self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        if self._unread_body():
            self.close_connection = True
        self.send_response(status)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "Content-Type, Content-Length")
        self.send_header("Vary", "Accept")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(OSError):
                self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self.close_connection = True
        self._send(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # the stdlib's own refusals (request line too long, bad version …): plain text, with CORS
        self._error(code, f"{message or http.client.responses.get(code, 'error')}"
                          f"{': ' + explain if explain else ''}")

    def handle_one_request(self) -> None:
        self.server.reading(self.request, True)  # the request line and headers, or an idle wait
        super().handle_one_request()

    def _dispatch(self) -> None:
        self.server.reading(self.request, False)
        self._body_read = False
        try:
            if not _host_allowed(self.headers.get("Host"), self.app.cfg.host):
                raise _HTTPError(403, "this server only answers requests addressed to it as 127.0.0.1 or "
                                      "localhost (Host header refused)")
            self._route()
        except _HTTPError as e:
            self._error(e.status, e.message)
        except QueryError as e:
            self._error(400, str(e))
        except Exception as e:  # noqa: BLE001 - never crash, never leave the client hanging
            sys.stderr.write(f"govkg serve: internal error on {self.command} {self.path}: "
                             f"{type(e).__name__}: {e}\n")
            with contextlib.suppress(Exception):
                self._error(500, f"internal error ({type(e).__name__}); the server keeps running")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _dispatch  # noqa: N815

    def do_OPTIONS(self) -> None:  # noqa: N802 - stdlib naming
        if self._unread_body():
            self.close_connection = True
        self.send_response(204)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, HEAD, OPTIONS"
                         + (", PUT, DELETE" if self.app.cfg.writable else ""))
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() not in ("", "identity"):
            raise _HTTPError(400, "chunked request bodies are not accepted; send a Content-Length")
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        if not raw.strip().isdigit():
            raise _HTTPError(400, f"bad Content-Length {raw!r}")
        n = int(raw)
        if n > self.app.cfg.max_request_bytes:
            raise _HTTPError(400, f"request body of {n} bytes is larger than the server's limit of "
                                  f"{self.app.cfg.max_request_bytes} bytes; send a shorter query or start the "
                                  "server with a larger --max-request-kb")
        self.server.reading(self.request, True)
        self._body_read = True
        try:
            data = self.rfile.read(n)
        except OSError:
            data = b""
        finally:
            self.server.reading(self.request, False)
        if len(data) != n:
            raise _HTTPError(400, "the request body is shorter than its Content-Length")
        return data

    @staticmethod
    def _form(text: str) -> dict[str, list[str]]:
        if re.search(r"%(?![0-9A-Fa-f]{2})", text):
            raise _HTTPError(400, "the parameters are not valid percent-encoded UTF-8 (a stray '%')")
        try:
            return parse_qs(text, keep_blank_values=True, strict_parsing=False, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise _HTTPError(400, "the parameters are not valid percent-encoded UTF-8") from None

    def _accept(self) -> dict[str, str]:
        """The client's Accept header, to pass on: Oxigraph negotiates (its default without one)."""
        accept = self.headers.get("Accept")
        return {"Accept": accept} if accept else {}

    def _base(self) -> str:
        host = self.headers.get("Host") or f"{self.app.cfg.host}:{self.server.server_address[1]}"
        return f"http://{host}/"

    def _write_allowed(self) -> None:
        if not self.app.cfg.writable:
            raise _HTTPError(403, "this server is read-only: SPARQL Update and Graph Store writes are refused; "
                                  "rebuild with `govkg build`, or start the server with --writable")
        origin = self.headers.get("Origin")
        if origin:
            o = urlsplit(origin)
            if (o.hostname or "") not in _LOOPBACK_NAMES | {"::1"}:
                raise _HTTPError(403, f"writes from another origin ({origin}) are refused")

    # -- routes ----------------------------------------------------------------------------------

    def _route(self) -> None:
        url = urlsplit(self.path)
        path = url.path
        params = self._form(url.query)
        if path in _SPARQL_PATHS:
            return self._sparql(params)
        if path == "/update":
            if self.command != "POST":
                raise _HTTPError(405, "SPARQL Update takes POST")
            self._write_allowed()
            return self._update(self._body(), self.headers.get("Content-Type", ""))
        if path == "/store":
            return self._graph_store(url.query)
        if self.command not in ("GET", "HEAD"):
            raise _HTTPError(405, f"{self.command} is not allowed on {path}")
        if path in ("/", "/index.html"):
            page = files("graph").joinpath("static/query.html").read_bytes()
            return self._send(200, "text/html; charset=utf-8", page, {"Content-Security-Policy": _PAGE_CSP})
        if path.startswith("/static/") and path[len("/static/"):] in _STATIC:
            name = path[len("/static/"):]
            return self._send(200, _STATIC[name], files("graph").joinpath(f"static/{name}").read_bytes(),
                              {"Cache-Control": "no-cache"})
        if path == "/questions.json":
            return self._questions()
        if path.startswith("/questions/") and path.endswith(".rq"):
            return self._question_text(path[len("/questions/"):-3], params)
        if path == "/view":
            single = {k: v[-1] for k, v in params.items()}
            return self._send(200, "text/html; charset=utf-8", self.app.view(single))
        if path == "/status":
            return self._status()
        raise _HTTPError(404, f"no such page: {path}; try / (query page), /sparql, /view or /questions.json")

    def _sparql(self, params: dict[str, list[str]]) -> None:
        if self.command not in ("GET", "HEAD", "POST"):
            raise _HTTPError(405, f"{self.command} is not allowed on the SPARQL endpoint; use GET or POST")
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        query: list[str] = params.get("query", [])
        if self.command == "POST":
            body = self._body()
            if ctype == "application/sparql-query":
                try:
                    query = [*query, body.decode("utf-8")]
                except UnicodeDecodeError:
                    raise _HTTPError(400, "the query is not valid UTF-8") from None
            elif ctype == "application/sparql-update":
                self._write_allowed()
                return self._update(body, ctype)
            elif ctype == "application/x-www-form-urlencoded":
                try:
                    form = self._form(body.decode("ascii"))
                except UnicodeDecodeError:
                    raise _HTTPError(400, "a form body must be percent-encoded ASCII") from None
                if "update" in form:
                    self._write_allowed()
                    return self._update(body, ctype)
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
                query = params.get("query", [])
            else:
                raise _HTTPError(400, "POST a query as application/sparql-query or as an "
                                      "application/x-www-form-urlencoded form with a 'query' field")
        elif "update" in params:
            raise _HTTPError(400, "SPARQL Update takes POST")
        if not query:
            if self.command == "POST":
                raise _HTTPError(400, "no 'query' parameter; send the SPARQL query")
            return self._service_description()
        if len(query) > 1:
            raise _HTTPError(400, "more than one 'query' parameter; send one query per request")
        text = query[0]
        try:
            _guard(text)
        except QueryError as as_query:
            try:
                _guard(text, update=True)
            except QueryError:
                raise as_query from None  # neither a query nor an update: refused, with the query's reason
            self._write_allowed()
            raise _HTTPError(400, "send SPARQL Update as POST with 'update' or application/sparql-update") from None
        fields: list[tuple[str, str]] = [("query", text)]
        for key in ("default-graph-uri", "named-graph-uri"):
            fields.extend((key, v) for v in params.get(key, []))
        status, ctype_out, data = self.app.forward("POST", "/query", urlencode(fields).encode("ascii"),
                                                   {"Content-Type": "application/x-www-form-urlencoded",
                                                    **self._accept()})
        if status == 400:
            from .query import syntax_error

            msg = data.decode("utf-8", "replace")
            if msg.startswith("error at "):
                msg = str(syntax_error(text, msg))
            raise _HTTPError(400, msg)
        self._send(status, ctype_out, data)

    def _update(self, body: bytes, ctype: str) -> None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise _HTTPError(400, "the update is not valid UTF-8") from None
        if ctype.startswith("application/x-www-form-urlencoded"):
            updates = self._form(text).get("update", [])
            if len(updates) != 1:
                raise _HTTPError(400, "send exactly one 'update' parameter")
            text = updates[0]
        checked = _guard(text, update=True)
        if checked.loads:
            return self._load(checked)
        # what was checked is what is sent: the text, not a body Oxigraph might read otherwise
        status, ctype_out, data = self.app.forward("POST", "/update", text.encode("utf-8"),
                                                   {"Content-Type": "application/sparql-update"})
        if status < 300:
            self.app._writes += 1
        self._send(status, ctype_out, data)

    def _load(self, checked: Checked) -> None:
        """SPARQL LOAD, done by the layer: only files under an --allow-load folder, never a URL
        (Oxigraph's own LOAD fetches whatever URL it is given)."""
        import pyoxigraph as ox

        if set(checked.operations) != {"Load"}:
            raise _HTTPError(400, "send LOAD in an update of its own (no other operations beside it)")
        files = []
        for load in checked.loads:
            path = _allowed_file(load.source, self.app.cfg.allow_load)
            fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) if path.suffix else None
            if fmt is None:
                raise _HTTPError(400, f"LOAD <{load.source}>: unknown RDF file type {path.suffix or '(none)'}; "
                                      "load .ttl, .nt, .nq, .trig, .rdf or .jsonld files")
            files.append((load, path, fmt))
        for load, path, fmt in files:
            target = f"/store?graph={quote(load.graph, safe='')}" if load.graph else "/store?default"
            try:
                data = path.read_bytes()
            except OSError as e:
                if load.silent:
                    continue
                raise _HTTPError(400, f"LOAD <{load.source}>: cannot read the file ({e.strerror})") from None
            status, ctype_out, out = self.app.forward("POST", target, data, {"Content-Type": fmt.media_type})
            if status >= 300 and not load.silent:
                return self._send(status, ctype_out, out)
            self.app._writes += 1
        self._send(204, "text/plain; charset=utf-8", b"")

    def _graph_store(self, query: str) -> None:
        headers = self._accept()
        body = None
        if self.command in ("PUT", "POST", "DELETE", "PATCH"):
            self._write_allowed()
            body = self._body()
            headers["Content-Type"] = self.headers.get("Content-Type", "")
        elif self.command not in ("GET", "HEAD"):
            raise _HTTPError(405, f"{self.command} is not allowed on /store")
        status, ctype, data = self.app.forward(self.command if self.command != "HEAD" else "GET",
                                               "/store" + (f"?{query}" if query else ""), body, headers)
        if self.command not in ("GET", "HEAD") and status < 300:
            self.app._writes += 1
        self._send(status, ctype, data)

    def _service_description(self) -> None:
        if self.headers.get("Accept", "").split(",")[0].strip().startswith("text/html"):
            # a browser following the page's endpoint link: the query page is what it wants
            return self._send(303, "text/plain; charset=utf-8", b"", {"Location": "/"})
        self._send(*self.app.service_description(self.headers.get("Accept"), self._base() + "sparql"))

    def _questions(self) -> None:
        from .query import PREFIXES, named_queries

        data = {
            "prefixes": PREFIXES,
            "questions": [q.as_dict() for q in named_queries().values()],
            "limits": {"timeout": self.app.cfg.timeout, "max_result_bytes": self.app.cfg.max_result_bytes},
            "writable": self.app.cfg.writable,
        }
        self._send(200, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def _question_text(self, name: str, params: dict[str, list[str]]) -> None:
        from .query import named_query

        q = named_query(name)
        values = {k: v[-1] for k, v in params.items()}
        self._send(200, "application/sparql-query; charset=utf-8", q.sparql(values).encode("utf-8"))

    def _status(self) -> None:
        from .store import store_info

        info = store_info(self.app.store)
        up = self.app._upstream
        data = {
            "store": str(self.app.store),
            "generation": info.get("generation"),
            "graphs": len(info.get("graphs", {})),
            "quads": sum(info.get("graphs", {}).values()),
            "writable": self.app.cfg.writable,
            "engine": "oxigraph " + ("serve" if self.app.cfg.writable else "serve-read-only"),
            "engine_alive": bool(up and up.alive()),
        }
        self._send(200, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode("utf-8"))


def serve(cfg: ServeConfig, on_ready: Callable[[str], None] | None = None) -> None:
    """Run the server until Ctrl-C or SIGTERM; every Oxigraph process is stopped on the way out.

    Raises:
        StoreError: no store, or it cannot be served.
        GovkgError: the port is taken, or the Oxigraph server is missing.
    """
    srv = GovkgServer(cfg)

    def on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, on_term)
    try:
        url = srv.start()
        if on_ready:
            on_ready(url)
            sys.stdout.flush()
        srv.supervise()
    except KeyboardInterrupt:
        pass
    finally:
        srv.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)

