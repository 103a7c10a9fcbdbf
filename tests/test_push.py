"""`govkg push`: the graph sent to a real Oxigraph server (from the `oxigraph` package on PyPI)
started by the test, through a small recording proxy on loopback that can also ask for a login
or answer with scripted errors; what the server holds is checked with SPARQL over HTTP."""

from __future__ import annotations

import fcntl
import hashlib
import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from graph.cli import app
from graph.corpus import Manifest, ontology_chunk
from graph.pipeline import build, sample_path
from graph.push import PushError, graph_store_url, parse_auth, push, record_path
from graph.serve import oxigraph_executable
from graph.vocab import ONTOLOGY_IRI

ONTO = str(ONTOLOGY_IRI)
REPORT_B = (
    "咸宁市司法局2022年法治政府建设情况报告\n"
    "一、主要工作成效\n"
    "认真贯彻落实《中华人民共和国行政复议法》，全年收到行政复议申请12件，"
    "全面推行证明事项告知承诺制，深入开展“减证便民”专项行动。\n"
)
REPORT_B_CHANGED = REPORT_B.replace("12件", "15件")


@pytest.fixture(autouse=True)
def _no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours http_proxy; every request of these tests stays on loopback."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("GOVKG_PUSH_AUTH", raising=False)


# --------------------------------------------------------------------------------------------
# a build of two reports, copied for each test that pushes it


@dataclass(frozen=True)
class Built:
    out: Path
    report_b: Path  # the second report's file


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sample and a second small report, built once (no view, store or SHACL: push reads
    only the manifest and the chunks)."""
    base = tmp_path_factory.mktemp("push-build")
    b = base / "xianning-2022.txt"
    b.write_text(REPORT_B, encoding="utf-8")
    build([sample_path(), b], base / "out", view=False, store=False, validate=False)
    return Built(base / "out", b)


@pytest.fixture
def out(built: Built, tmp_path: Path) -> Path:
    """A private copy of the built output folder."""
    return Path(shutil.copytree(built.out, tmp_path / "out"))


def manifest_graphs(out: Path) -> dict[str, Path]:
    """Report graph IRI -> chunk file, from the manifest."""
    data = json.loads((out / Manifest.FILE).read_text(encoding="utf-8"))
    return {e["graph"]: out / "cache" / e["chunk"] for e in data["files"].values()}


def distinct_triples(turtle: bytes) -> int:
    return len(set(ox.parse(turtle, format=ox.RdfFormat.TURTLE)))


def expected_counts(out: Path) -> dict[str, int]:
    """Triples per named graph that the server should hold after a push of ``out``."""
    counts = {g: distinct_triples(p.read_bytes()) for g, p in manifest_graphs(out).items()}
    counts[ONTO] = distinct_triples(ontology_chunk("turtle"))
    return counts


def rebuild(out: Path, *reports: Path) -> None:
    build([sample_path(), *reports], out, view=False, store=False, validate=False)


def graph_of(out: Path, report: Path) -> str:
    data = json.loads((out / Manifest.FILE).read_text(encoding="utf-8"))
    return str(data["files"][str(report.resolve())]["graph"])


# --------------------------------------------------------------------------------------------
# the Oxigraph server


@dataclass
class Oxigraph:
    port: int
    proc: subprocess.Popen[bytes]

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def select(self, query: str) -> list[dict[str, str]]:
        status, data = self.request("POST", "/query", urllib.parse.urlencode({"query": query}).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        assert status == 200, data
        return [{k: v["value"] for k, v in row.items()} for row in json.loads(data)["results"]["bindings"]]

    def graphs(self) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {r["g"]: int(r["n"]) for r in rows}

    def turtle(self, graph: str) -> bytes:
        status, data = self.request("GET", "/store?graph=" + urllib.parse.quote(graph, safe=""),
                                    headers={"Accept": "text/turtle"})
        assert status == 200, data
        return data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[Oxigraph]:
    """A fresh Oxigraph server on a free loopback port; stopped, and waited for, afterwards."""
    exe = oxigraph_executable()
    for _ in range(3):  # another process may take the free port before the server binds it
        port = _free_port()
        proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path / "oxigraph"), "--bind",
                                 f"127.0.0.1:{port}"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        server = Oxigraph(port, proc)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                server.request("GET", "/query?query=" + urllib.parse.quote("ASK {}"))
                break
            except OSError:
                time.sleep(0.05)
        if proc.poll() is None and time.monotonic() < deadline:
            break
        proc.kill()
        proc.wait(10)
    else:
        pytest.fail("the Oxigraph server did not start: " + (proc.stderr.read() if proc.stderr else b"").decode())
    yield server
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
        pytest.fail("the Oxigraph server did not stop on SIGTERM")
    finally:
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode is not None


# --------------------------------------------------------------------------------------------
# a recording proxy in front of it: logs requests, can ask for a login or answer with errors


Script = Callable[[str, str], tuple[int, dict[str, str], bytes] | None]


class Proxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: int | None) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.upstream = upstream
        self.log: list[tuple[str, str]] = []  # (method, path) of every request received
        self.schemes: list[str] = []  # the scheme of every Authorization header received
        self.refused = 0  # requests answered 401
        self.login: tuple[str, str, str] | None = None  # (basic|digest, user, password)
        self.script: Script | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def writes(self) -> list[tuple[str, str]]:
        """PUTs and DELETEs that got through, as (method, graph IRI)."""
        return [(m, urllib.parse.parse_qs(urllib.parse.urlsplit(p).query)["graph"][0])
                for m, p in self.log if m in ("PUT", "DELETE")]


class _ProxyHandler(BaseHTTPRequestHandler):
    server: Proxy

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        srv = self.server
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        given = self.headers.get("Authorization") or ""
        with srv._lock:
            if given:
                srv.schemes.append(given.split()[0])
        if srv.login is not None and not self._authorised(given):
            scheme = srv.login[0]
            challenge = ('Basic realm="govkg-test"' if scheme == "basic" else
                         'Digest realm="govkg-test", nonce="n0nc3", qop="auth", algorithm=MD5')
            with srv._lock:
                srv.refused += 1
            return self._reply(401, {"WWW-Authenticate": challenge}, b"login needed")
        with srv._lock:
            srv.log.append((self.command, self.path))
        answer = srv.script(self.command, self.path) if srv.script else None
        if answer is not None:
            return self._reply(*answer)
        assert srv.upstream is not None
        conn = http.client.HTTPConnection("127.0.0.1", srv.upstream, timeout=30)
        try:
            fwd = {k: v for k in ("Content-Type", "Accept") if (v := self.headers.get(k))}
            conn.request(self.command, self.path, body=body, headers=fwd)
            resp = conn.getresponse()
            data = resp.read()
            self._reply(resp.status, {"Content-Type": resp.getheader("Content-Type") or "text/plain"}, data)
        finally:
            conn.close()

    def _authorised(self, given: str) -> bool:
        scheme, user, password = self.server.login  # type: ignore[misc]
        if scheme == "basic":
            import base64

            return given == "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        if not given.startswith("Digest "):
            return False
        f = dict(re.findall(r'(\w+)="?([^",]*)"?', given[len("Digest "):]))

        def md5(s: str) -> str:
            return hashlib.md5(s.encode()).hexdigest()

        try:
            ha1 = md5(f"{user}:{f['realm']}:{password}")
            ha2 = md5(f"{self.command}:{f['uri']}")
            expect = md5(f"{ha1}:{f['nonce']}:{f['nc']}:{f['cnonce']}:{f['qop']}:{ha2}")
        except KeyError:
            return False
        return f.get("username") == user and f.get("response") == expect

    do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815 - http.server's names


def _serve(upstream: int | None) -> Iterator[Proxy]:
    srv = Proxy(upstream)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    t.join(10)
    assert not t.is_alive()


@pytest.fixture
def proxy(oxigraph: Oxigraph) -> Iterator[Proxy]:
    """The recording proxy in front of the Oxigraph server."""
    yield from _serve(oxigraph.port)


@pytest.fixture
def scripted() -> Iterator[Proxy]:
    """A proxy with no server behind it: each test scripts its answers."""
    yield from _serve(None)


def run(out: Path, server: Proxy, **kw: object):  # type: ignore[no-untyped-def]
    return push(out, server.url + "/query", **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# pushing, re-pushing, changes


def test_push_sends_one_named_graph_per_report(out: Path, proxy: Proxy, oxigraph: Oxigraph) -> None:
    res = run(out, proxy)
    want = expected_counts(out)
    assert len(want) == 3  # two reports and the ontology
    assert oxigraph.graphs() == want
    assert set(res.pushed) == set(want) and res.unchanged == 0 and res.deleted == ()
    assert res.graphs_verified == 3 and res.triples_verified == sum(want.values())
    assert res.graph_store == proxy.url + "/store"
    assert sorted(g for _, g in proxy.writes()) == sorted(want)
    # each graph is the chunk itself, Chinese labels and all (and the ontology's blank nodes)
    for graph, chunk in manifest_graphs(out).items():
        assert isomorphic(Graph().parse(data=oxigraph.turtle(graph), format="turtle"),
                          Graph().parse(data=chunk.read_bytes(), format="turtle"))
    assert isomorphic(Graph().parse(data=oxigraph.turtle(ONTO), format="turtle"),
                      Graph().parse(data=ontology_chunk("turtle"), format="turtle"))
    titles = json.loads((out / Manifest.FILE).read_text(encoding="utf-8"))["files"].values()
    for entry in titles:
        rows = oxigraph.select(f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                               f"SELECT ?l WHERE {{ GRAPH <{entry['graph']}> {{ <{entry['graph']}> rdfs:label ?l }} }}")
        assert [r["l"] for r in rows] == [entry["title"]]
    labels = oxigraph.select("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                             "SELECT ?l WHERE { GRAPH ?g { ?e rdfs:label ?l } }")
    assert "咸宁市司法局" in {r["l"] for r in labels}


def test_push_again_sends_nothing(out: Path, proxy: Proxy, oxigraph: Oxigraph) -> None:
    run(out, proxy)
    before = oxigraph.graphs()
    proxy.log.clear()
    res = run(out, proxy)
    assert res.pushed == () and res.deleted == () and res.unchanged == 3 and res.bytes_sent == 0
    assert proxy.writes() == []
    assert {m for m, _ in proxy.log} == {"POST"}  # only the check of what the server holds
    assert res.triples_verified == sum(before.values())
    assert oxigraph.graphs() == before


def test_push_replaces_only_the_changed_report(out: Path, built: Built, proxy: Proxy, oxigraph: Oxigraph,
                                               tmp_path: Path) -> None:
    run(out, proxy)
    old = graph_of(out, built.report_b)
    changed = tmp_path / "xianning-2022-revised.txt"
    changed.write_text(REPORT_B_CHANGED, encoding="utf-8")
    rebuild(out, changed)
    new = graph_of(out, changed)
    assert new != old
    proxy.log.clear()
    res = run(out, proxy)
    assert proxy.writes() == [("PUT", new), ("DELETE", old)]
    assert res.pushed == (new,) and res.deleted == (old,) and res.unchanged == 2
    assert oxigraph.graphs() == expected_counts(out)
    assert old not in oxigraph.graphs()


def test_push_deletes_the_graph_of_a_removed_report(out: Path, built: Built, proxy: Proxy,
                                                    oxigraph: Oxigraph) -> None:
    run(out, proxy)
    gone = graph_of(out, built.report_b)
    rebuild(out)  # the sample only
    proxy.log.clear()
    res = run(out, proxy)
    assert proxy.writes() == [("DELETE", gone)]
    assert res.deleted == (gone,) and res.pushed == ()
    assert oxigraph.graphs() == expected_counts(out)
    assert len(oxigraph.graphs()) == 2
    assert run(out, proxy).deleted == ()  # and the record forgot it


def test_push_deleting_a_graph_the_server_lacks_is_fine(out: Path, built: Built, proxy: Proxy,
                                                        oxigraph: Oxigraph) -> None:
    run(out, proxy)
    gone = graph_of(out, built.report_b)
    oxigraph.request("DELETE", "/store?graph=" + urllib.parse.quote(gone, safe=""))
    rebuild(out)
    res = run(out, proxy)  # Oxigraph answers 404 to this DELETE
    assert res.deleted == (gone,) and oxigraph.graphs() == expected_counts(out)


def test_push_notices_a_delete_that_did_nothing(out: Path, built: Built, proxy: Proxy) -> None:
    run(out, proxy)
    rebuild(out)
    # a DELETE answered 404 by something that is not the graph store: the graph is still there
    proxy.script = lambda method, path: (404, {}, b"no such page") if method == "DELETE" else None
    with pytest.raises(PushError, match=r"is still on the server after DELETE .* check that --graph-store"):
        run(out, proxy)


def test_push_resends_what_the_server_lost(out: Path, built: Built, proxy: Proxy, oxigraph: Oxigraph) -> None:
    run(out, proxy)
    lost = graph_of(out, built.report_b)
    assert oxigraph.request("DELETE", "/store?graph=" + urllib.parse.quote(lost, safe=""))[0] == 204
    proxy.log.clear()
    res = run(out, proxy)
    assert res.pushed == (lost,) and res.repaired == (lost,) and res.unchanged == 2
    assert proxy.writes() == [("PUT", lost)]
    assert oxigraph.graphs() == expected_counts(out)


def test_push_force_sends_every_graph(out: Path, proxy: Proxy) -> None:
    run(out, proxy)
    proxy.log.clear()
    res = run(out, proxy, force=True)
    assert len(res.pushed) == 3 and res.unchanged == 0
    assert sorted(m for m, _ in proxy.writes()) == ["PUT"] * 3


def test_push_dry_run_sends_nothing(out: Path, built: Built, proxy: Proxy, oxigraph: Oxigraph) -> None:
    res = run(out, proxy, dry_run=True)
    assert res.dry_run and len(res.pushed) == 3
    assert proxy.log == [] and oxigraph.graphs() == {}
    assert not (out / "push").exists()
    run(out, proxy)
    gone = graph_of(out, built.report_b)
    rebuild(out)
    proxy.log.clear()
    res = run(out, proxy, dry_run=True)
    assert res.pushed == () and res.deleted == (gone,) and res.unchanged == 2
    assert proxy.log == []
    assert len(oxigraph.graphs()) == 3  # still there: nothing was deleted


def test_push_resumes_after_an_interruption(out: Path, proxy: Proxy, oxigraph: Oxigraph) -> None:
    puts: list[str] = []

    def fail_second_put(method: str, path: str) -> tuple[int, dict[str, str], bytes] | None:
        if method == "PUT":
            puts.append(path)
            if len(puts) == 2:
                return 503, {"Content-Type": "text/plain"}, b"going down for maintenance"
        return None

    proxy.script = fail_second_put
    with pytest.raises(PushError, match=r"HTTP 503.*going down for maintenance.*push again"):
        run(out, proxy, retries=0)
    first = urllib.parse.parse_qs(urllib.parse.urlsplit(puts[0]).query)["graph"][0]
    assert set(oxigraph.graphs()) == {first}
    proxy.script = None
    proxy.log.clear()
    res = run(out, proxy)
    assert first not in res.pushed and len(res.pushed) == 2 and res.unchanged == 1
    assert oxigraph.graphs() == expected_counts(out)
    assert not record_path(out, res.graph_store).with_suffix(".journal").exists()


def test_push_resumes_after_being_killed(out: Path, proxy: Proxy, oxigraph: Oxigraph) -> None:
    puts: list[str] = []
    release = threading.Event()

    def hang_on_second_put(method: str, path: str) -> tuple[int, dict[str, str], bytes] | None:
        if method == "PUT":
            puts.append(path)
            if len(puts) == 2:
                release.wait(30)
                return 503, {}, b"too late"
        return None

    proxy.script = hang_on_second_put
    proc = subprocess.Popen([sys.executable, "-m", "graph", "push", "--out", str(out), "--endpoint",
                             proxy.url + "/query", "--retries", "0"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(puts) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert len(puts) == 2, "the push did not get to its second graph"
    finally:
        proc.kill()
        proc.wait(10)
        release.set()
    first = urllib.parse.parse_qs(urllib.parse.urlsplit(puts[0]).query)["graph"][0]
    proxy.script = None
    proxy.log.clear()
    res = run(out, proxy)
    assert first not in res.pushed and len(res.pushed) == 2 and res.unchanged == 1
    assert oxigraph.graphs() == expected_counts(out)


def test_push_retries_a_server_error_then_succeeds(out: Path, proxy: Proxy, oxigraph: Oxigraph) -> None:
    failures = [502, 503]

    def flaky(method: str, path: str) -> tuple[int, dict[str, str], bytes] | None:
        if method == "PUT" and failures:
            return failures.pop(0), {"Content-Type": "text/plain", "Retry-After": "0"}, b"busy"
        return None

    proxy.script = flaky
    res = run(out, proxy, retries=2, backoff=0.01)
    assert len(res.pushed) == 3 and failures == []
    assert len(proxy.writes()) == 5  # the first graph took three tries
    assert oxigraph.graphs() == expected_counts(out)


# --------------------------------------------------------------------------------------------
# logins


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_push_logs_in_as_the_server_asks(scheme: str, out: Path, proxy: Proxy, oxigraph: Oxigraph) -> None:
    proxy.login = (scheme, "writer", "pa:ss 秘密")
    with pytest.raises(PushError, match=r"asks for a login \(HTTP 401\); pass --auth USER:PASSWORD or set GOVKG_PUSH_AUTH"):
        run(out, proxy)
    with pytest.raises(PushError, match=r"refused the credentials \(HTTP 401\); check the user and password") as e:
        run(out, proxy, auth="writer:wrong")
    assert "wrong" not in str(e.value)
    assert oxigraph.graphs() == {}
    proxy.schemes.clear()
    proxy.refused = 0
    res = run(out, proxy, auth="writer:pa:ss 秘密")
    assert len(res.pushed) == 3 and oxigraph.graphs() == expected_counts(out)
    # a Digest server never sees the password in clear; either gets the login at once once it
    # has taken it, rather than every graph twice (httpx's Digest answers the server's last
    # challenge; the first request learns the scheme, then Digest's nonce)
    assert set(proxy.schemes) == ({"Basic"} if scheme == "basic" else {"Digest"})
    assert proxy.refused == (1 if scheme == "basic" else 2) < len(proxy.log)


def test_push_cli_takes_the_login_from_the_environment(out: Path, proxy: Proxy, oxigraph: Oxigraph) -> None:
    proxy.login = ("basic", "writer", "s3cret")
    res = CliRunner().invoke(app, ["push", "--out", str(out), "--endpoint", proxy.url + "/query"],
                             env={"GOVKG_PUSH_AUTH": "writer:s3cret"})
    assert res.exit_code == 0, res.output
    assert "3 pushed, 0 unchanged, 0 deleted" in res.stdout
    assert f"verified:       {sum(expected_counts(out).values())} triples in 3 graphs" in res.stdout
    assert "s3cret" not in res.output
    assert oxigraph.graphs() == expected_counts(out)
    res = CliRunner().invoke(app, ["push", "--out", str(out), "--endpoint", proxy.url + "/query", "--dry-run"],
                             env={"GOVKG_PUSH_AUTH": "writer:s3cret"})
    assert res.exit_code == 0 and "0 to push, 3 unchanged, 0 to delete; nothing sent" in res.stdout


# --------------------------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (403, b"not allowed", r"forbids PUT \(HTTP 403\) \(server says: not allowed\); check that the --auth user may write"),
        (404, b"<html><body><h1>Not Found</h1></body></html>",
         r"no Graph Store Protocol service at .*/store \(HTTP 404, derived from --endpoint\) \(server says: Not Found\); "
         r"pass the right --graph-store URL"),
        (413, b"", r"refused graph <.*> as too large \(HTTP 413, [\d,]+ bytes\); raise the server's request size limit"),
        (415, b"text/turtle unsupported", r"does not accept Turtle \(HTTP 415\)"),
        (400, b"parse error at line 3", r"refused the Turtle of graph <.*> \(HTTP 400\) \(server says: parse error at line 3\)"),
        (500, b"disk full", r"failed on graph <.*> \(HTTP 500 after 2 attempts\) \(server says: disk full\); check the server's log"),
    ],
)
def test_push_explains_http_errors(status: int, body: bytes, message: str, out: Path, scripted: Proxy) -> None:
    scripted.script = lambda method, path: (status, {"Content-Type": "text/html"}, body)
    with pytest.raises(PushError, match=message) as e:
        run(out, scripted, retries=1, backoff=0)
    assert "\n" not in str(e.value)
    assert len(scripted.writes()) == (2 if status == 500 else 1)  # retried 5xx only, and bounded


def test_push_wrong_query_endpoint(out: Path, proxy: Proxy) -> None:
    run(out, proxy)  # the record now says the graphs are there, so the next push asks the server
    with pytest.raises(PushError, match=r"no SPARQL endpoint at .*/sparql/query \(HTTP 404\); check --endpoint"):
        push(out, proxy.url + "/sparql/query", graph_store=proxy.url + "/store")


def test_push_unreachable_endpoint_is_one_line(out: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}/query"
    t0 = time.monotonic()
    with pytest.raises(PushError, match=r"cannot reach http://127\.0\.0\.1:\d+/store \(connection refused\) "
                                        r"\(3 attempts\); check that the server is running"):
        push(out, url, retries=2, backoff=0.01)
    assert time.monotonic() - t0 < 10
    res = CliRunner().invoke(app, ["push", "--out", str(out), "--endpoint", url, "--retries", "0"])
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("govkg: error: cannot reach http://127.0.0.1:")


def test_push_needs_a_build(tmp_path: Path) -> None:
    with pytest.raises(PushError, match=r"no build here \(manifest.json is missing\); run `govkg build --out"):
        push(tmp_path, "http://127.0.0.1:9/query", dry_run=True)


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("http://u:p@127.0.0.1:9/query", "holds a user name or password; pass them with --auth"),
        ("ftp://127.0.0.1/query", "must be an http:// or https:// URL"),
        ("http://127.0.0.1:9/somewhere", "cannot tell the Graph Store Protocol URL .* pass it with --graph-store"),
    ],
)
def test_push_checks_urls(endpoint: str, message: str, out: Path) -> None:
    with pytest.raises(PushError, match=message):
        push(out, endpoint, dry_run=True)


def test_push_one_at_a_time(out: Path, proxy: Proxy) -> None:
    store = proxy.url + "/store"
    lock = record_path(out, store).with_suffix(".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("ab") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(PushError, match="another `govkg push` .* is running"):
            run(out, proxy)
    assert proxy.log == []


@pytest.mark.parametrize(
    ("endpoint", "auth", "store"),
    [
        ("http://localhost:7878/query", False, "http://localhost:7878/store"),  # Oxigraph
        ("http://localhost:3030/ds/query", False, "http://localhost:3030/ds/data"),  # Fuseki
        ("http://localhost:3030/ds/sparql/", False, "http://localhost:3030/ds/data"),
        ("https://kg.example.org/fuseki/govkg/query", False, "https://kg.example.org/fuseki/govkg/data"),
        ("http://localhost:8890/sparql", False, "http://localhost:8890/sparql-graph-crud"),  # Virtuoso
        ("http://localhost:8890/sparql", True, "http://localhost:8890/sparql-graph-crud-auth"),
        ("http://localhost:8890/sparql-auth", True, "http://localhost:8890/sparql-graph-crud-auth"),
    ],
)
def test_push_derives_the_graph_store_url(endpoint: str, auth: bool, store: str) -> None:
    assert graph_store_url(endpoint, auth=auth) == store


def test_push_parses_auth() -> None:
    assert parse_auth("dba:a:b") == ("dba", "a:b")
    for bad in ("dba", ":pw", ""):
        with pytest.raises(PushError, match="USER:PASSWORD"):
            parse_auth(bad)
