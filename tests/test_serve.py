"""`govkg serve`: the real server (Oxigraph behind our layer) on a free loopback port, queried
with SPARQLWrapper and plain HTTP; the query page in headless Chromium."""

from __future__ import annotations

import contextlib
import csv
import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph.pipeline import BuildResult
from graph.query import named_query, to_rows
from graph.store import open_store, write_store

GOVKG = "https://w3id.org/govkg/ontology#"
PREFIX = f"PREFIX govkg: <{GOVKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
AGENCIES = PREFIX + "SELECT ?a ?l WHERE { ?a a govkg:Agency ; rdfs:label ?l } ORDER BY ?l"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # never finishes in time


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]
    store: Path
    log: Path

    @property
    def port(self) -> int:
        return int(urllib.parse.urlsplit(self.url).port or 0)

    def children(self) -> set[int]:
        return _children(self.proc.pid)


def _children(pid: int) -> set[int]:
    out = set()
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                status = (p / "status").read_text()
            except OSError:
                continue
            m = re.search(r"^PPid:\s+(\d+)$", status, re.M)
            if m and int(m.group(1)) == pid:
                out.add(int(p.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state


def start_server(store: Path, log: Path, *args: str) -> Server:
    """Run `govkg serve --port 0` and wait (bounded) for the line with its URL."""
    out = log.with_suffix(".out")
    with out.open("wb") as fo, log.open("wb") as fe:
        proc = subprocess.Popen(
            [sys.executable, "-m", "graph", "serve", "--store", str(store), "--port", "0", *args],
            stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        m = re.search(r"SPARQL endpoint (http://127\.0\.0\.1:\d+/)sparql", out.read_text())
        if m:
            return Server(m.group(1), proc, store, log)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    proc.wait()
    pytest.fail(f"govkg serve did not start: {log.read_text()}")


def stop_server(srv: Server) -> None:
    """SIGTERM, then check that the server and every Oxigraph process it started are gone."""
    kids = srv.children()
    srv.proc.send_signal(signal.SIGTERM)
    try:
        srv.proc.wait(20)
    except subprocess.TimeoutExpired:
        srv.proc.kill()
        srv.proc.wait()
        for k in kids:
            os.kill(k, signal.SIGKILL)
        pytest.fail("govkg serve did not stop on SIGTERM")
    deadline = time.monotonic() + 10
    while any(_alive(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [k for k in kids if _alive(k)]
    for k in left:
        os.kill(k, signal.SIGKILL)
    assert not left, "Oxigraph processes outlived govkg serve"
    assert not list(srv.store.parent.glob(f".{srv.store.name}-serve-*")), "checkpoints were left behind"


@pytest.fixture(scope="module")
def server(sample_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("serve")
    store = base / "store"
    shutil.copytree(sample_build.files["store"], store)
    srv = start_server(store, base / "serve.log", "--timeout", "2", "--max-result-mb", "0.25",
                       "--max-request-kb", "64")
    assert srv.children(), "no Oxigraph process behind the layer"
    yield srv
    stop_server(srv)


def request(srv: Server, method: str, path: str, body: bytes | str | None = None,
            headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=timeout)
    try:
        conn.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def get_query(srv: Server, query: str, accept: str = "application/sparql-results+json", **kw: object):
    return request(srv, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept},
                   **kw)  # type: ignore[arg-type]


def embedded(srv: Server, query: str) -> list[tuple[str, ...]]:
    names, rows = to_rows(open_store(srv.store).query(query))
    return sorted(tuple(_concat(t.value) if t is not None else "" for t in r) for r in rows)


def _concat(v: str) -> str:
    """GROUP_CONCAT lists come in the engine's order (Oxigraph hashes with a per-process key)."""
    return "、".join(sorted(v.split("、")))


def json_rows(body: bytes) -> list[tuple[str, ...]]:
    data = json.loads(body)
    names = data["head"]["vars"]
    return sorted(tuple(_concat(b.get(n, {}).get("value", "")) for n in names) for b in data["results"]["bindings"])


# -- the protocol ------------------------------------------------------------------------------


def _listening(pid: int) -> set[tuple[str, int]]:
    """The TCP addresses a process listens on (from /proc: its socket inodes in /proc/net/tcp*)."""
    inodes = set()
    for fd in (Path("/proc") / str(pid) / "fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    out = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if f[3] == "0A" and f[9] in inodes:  # LISTEN
                addr, port = f[1].split(":")
                if len(addr) == 8:
                    ip = socket.inet_ntop(socket.AF_INET, bytes.fromhex(addr)[::-1])
                else:
                    ip = socket.inet_ntop(socket.AF_INET6, b"".join(
                        bytes.fromhex(addr[i:i + 8])[::-1] for i in range(0, 32, 8)))
                out.add((ip, int(port, 16)))
    return out


def test_serve_binds_loopback_only(server: Server) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    layer = _listening(server.proc.pid)
    assert layer == {("127.0.0.1", server.port)}
    engines = set().union(*(_listening(k) for k in server.children()))
    assert engines and all(ip == "127.0.0.1" and port != server.port for ip, port in engines)


def test_serve_get_and_post_agree_with_the_store(server: Server) -> None:
    expected = embedded(server, AGENCIES)
    assert expected
    s1, h1, b1 = get_query(server, AGENCIES)
    s2, _, b2 = request(server, "POST", "/sparql", urllib.parse.urlencode({"query": AGENCIES}),
                        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    s3, _, b3 = request(server, "POST", "/query", AGENCIES,
                        {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert s1 == s2 == s3 == 200
    assert h1["content-type"].startswith("application/sparql-results+json")
    assert json_rows(b1) == json_rows(b2) == json_rows(b3) == expected


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_serve_select_formats(server: Server, accept: str) -> None:
    status, headers, body = get_query(server, AGENCIES, accept)
    assert status == 200 and headers["content-type"].startswith(accept)
    labels = sorted(r[1] for r in embedded(server, AGENCIES))
    text = body.decode("utf-8")
    if accept.endswith("json"):
        got = [b["l"]["value"] for b in json.loads(text)["results"]["bindings"]]
    elif accept.endswith("xml"):
        ns = "{http://www.w3.org/2005/sparql-results#}"
        root = ElementTree.fromstring(body)
        got = [b.find(f"{ns}literal").text for b in root.iter(f"{ns}binding") if b.get("name") == "l"]
    elif accept == "text/csv":
        got = [r["l"] for r in csv.DictReader(io.StringIO(text))]
    else:
        got = [line.split("\t")[1].split('"')[1] for line in text.splitlines()[1:]]
    assert sorted(got) == labels


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                             ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_serve_graph_formats(server: Server, accept: str, fmt: str) -> None:
    q = PREFIX + "CONSTRUCT { ?a govkg:promotes ?b } WHERE { ?a govkg:promotes ?b }"
    status, headers, body = get_query(server, q, accept)
    assert status == 200 and headers["content-type"].startswith(accept)
    got = Graph().parse(data=body.decode("utf-8"), format=fmt)
    expected = Graph().parse(data=ox.serialize(open_store(server.store).query(q), format=ox.RdfFormat.N_TRIPLES)
                             .decode("utf-8"), format="nt")
    assert len(expected) > 0 and isomorphic(got, expected)


def test_serve_ask(server: Server) -> None:
    status, _, body = get_query(server, PREFIX + "ASK { ?a govkg:promotes ?b }")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = get_query(server, "ASK { <urn:x> <urn:y> <urn:z> }", "application/sparql-results+xml")
    assert status == 200 and b"<boolean>false</boolean>" in body


def test_serve_sparqlwrapper(server: Server) -> None:
    from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

    expected = embedded(server, AGENCIES)
    sw = SPARQLWrapper(server.url + "sparql")
    sw.setQuery(AGENCIES)
    sw.setReturnFormat(JSON)
    data = sw.query().convert()
    assert sorted((b["a"]["value"], b["l"]["value"]) for b in data["results"]["bindings"]) == expected
    for fmt in (XML, CSV, TSV):
        sw.setReturnFormat(fmt)
        res = sw.query()
        assert res.response.status == 200
        out = res.convert()
        text = out.toxml() if fmt == XML else out.decode("utf-8")
        assert all(label in text for _, label in expected)
    sw.setMethod("POST")
    sw.setReturnFormat(JSON)
    assert len(sw.query().convert()["results"]["bindings"]) == len(expected)
    sw.setQuery(PREFIX + "CONSTRUCT { ?a govkg:promotes ?b } WHERE { ?a govkg:promotes ?b }")
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.query().convert().decode("utf-8"), format="turtle")
    assert len(g) == len(embedded(server, PREFIX + "SELECT * WHERE { ?a govkg:promotes ?b }"))


def _engine_port(server: Server) -> int:
    """The private port of the Oxigraph process behind the layer."""
    ports = {port for k in server.children() for _, port in _listening(k)}
    assert len(ports) == 1
    return ports.pop()


@pytest.mark.parametrize("accept", [
    "text/csv", "application/sparql-results+json", "application/sparql-results+xml", "text/tab-separated-values",
    "text/csv;q=0.5, text/tab-separated-values", "application/json", "*/*", None,
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # a browser's address bar
    "image/png", "text/turtle",  # no SELECT result format: Oxigraph's 406
])
def test_serve_leaves_negotiation_to_oxigraph(server: Server, accept: str | None) -> None:
    """The client's Accept goes to Oxigraph as it is, and Oxigraph's status, Content-Type and body
    come back unchanged: the layer does not negotiate formats of its own."""
    import httpx

    headers = {"Accept": accept} if accept else {}
    params = {"query": AGENCIES}
    with httpx.Client(trust_env=False, timeout=30) as c:
        ours = c.get(server.url + "sparql", params=params, headers=headers)
        # httpx sends Accept: */* unless told otherwise; the engine gets the same as the layer did
        engine = c.get(f"http://127.0.0.1:{_engine_port(server)}/query", params=params, headers=headers)
    assert (ours.status_code, ours.headers["content-type"], ours.content) == \
        (engine.status_code, engine.headers["content-type"], engine.content)
    expected = {"text/csv": (200, "text/csv"), "application/sparql-results+json": (200, "application/sparql-results+json"),
                "image/png": (406, "text/plain"), "text/turtle": (406, "text/plain")}.get(accept or "")
    if expected:
        assert ours.status_code == expected[0] and ours.headers["content-type"].startswith(expected[1])
    if accept == "text/csv":
        labels = sorted(r[1] for r in embedded(server, AGENCIES))
        assert sorted(r["l"] for r in csv.DictReader(io.StringIO(ours.text))) == labels


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                             ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                                             (None, "nquads")])
def test_serve_service_description_in_oxigraphs_formats(server: Server, accept: str | None, fmt: str) -> None:
    import httpx

    headers = {"Accept": accept} if accept else {"Accept": ""}
    with httpx.Client(trust_env=False, timeout=30) as c:
        resp = c.get(server.url + "sparql", headers=headers)
        engine = c.get(f"http://127.0.0.1:{_engine_port(server)}/query", headers=headers)
    assert resp.status_code == 200 and resp.headers["content-type"] == engine.headers["content-type"]
    g = Dataset()
    g.parse(data=resp.text, format=fmt)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef(server.url + "sparql")) in g
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in g
    assert (None, URIRef(sd + "feature"), URIRef(sd + "BasicFederatedQuery")) not in g
    assert request(server, "GET", "/sparql", headers={"Accept": "image/png"})[0] == 406  # Oxigraph's answer


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_serve_undeclared_prefix_says_which(server: Server, method: str) -> None:
    query = "SELECT * { ?s ex:p ?o }"
    if method == "GET":
        status, headers, body = get_query(server, query)
    else:
        status, headers, body = request(server, "POST", "/sparql", query, {"Content-Type": "application/sparql-query"})
    text = body.decode("utf-8")
    assert status == 400 and headers["content-type"].startswith("text/plain")
    assert text.startswith("SPARQL syntax error at line 1, column 15: the prefix ex: is not declared; "
                           "declare it with PREFIX ex: <…>"), text
    assert "      |               ^" in text  # under ex:p
    status, _, body = get_query(server, "SELECT ?a WHERE {\n  ?a a govkg:Agency }")
    assert status == 400 and "line 2, column 8: the prefix govkg: is not declared; declare it with " \
        f"PREFIX govkg: <{GOVKG}>" in body.decode("utf-8")


def test_serve_service_description(server: Server) -> None:
    status, headers, body = request(server, "GET", "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=body.decode("utf-8"), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef(server.url + "sparql")) in g
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in g
    assert (None, URIRef(sd + "feature"), URIRef(sd + "BasicFederatedQuery")) not in g
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Update")) not in g
    status, headers, _ = request(server, "GET", "/sparql", headers={"Accept": "text/html"})
    assert status == 303 and headers["location"] == "/"


def test_serve_cors(server: Server) -> None:
    _, headers, _ = get_query(server, AGENCIES)
    assert headers["access-control-allow-origin"] == "*"
    status, headers, _ = request(server, "OPTIONS", "/sparql", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204 and "POST" in headers["access-control-allow-methods"]
    assert "PUT" not in headers["access-control-allow-methods"]
    assert "content-type" in headers["access-control-allow-headers"].lower()


# -- safe by default ---------------------------------------------------------------------------


def _count(server: Server) -> int:
    return int(json_rows(get_query(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[2])[0][0])


@pytest.mark.parametrize(("method", "path", "body", "ctype"), [
    ("POST", "/update", "update=" + urllib.parse.quote("DROP ALL"), "application/x-www-form-urlencoded"),
    ("POST", "/sparql", "update=" + urllib.parse.quote("DROP ALL"), "application/x-www-form-urlencoded"),
    ("POST", "/sparql", "DROP ALL", "application/sparql-update"),
    ("POST", "/sparql", "query=" + urllib.parse.quote("CLEAR DEFAULT"), "application/x-www-form-urlencoded"),
    ("PUT", "/store?default", "<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
    ("POST", "/store?default", "<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
    ("DELETE", "/store?default", "", ""),
])
def test_serve_is_read_only(server: Server, method: str, path: str, body: str, ctype: str) -> None:
    before = _count(server)
    status, _, text = request(server, method, path, body, {"Content-Type": ctype} if ctype else {})
    assert status == 403 and b"read-only" in text and b"--writable" in text
    assert _count(server) == before


def test_serve_graph_store_reads_are_allowed(server: Server) -> None:
    status, headers, body = request(server, "GET", "/store?graph=" + urllib.parse.quote(GOVKG[:-1], safe=""),
                                    headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=body.decode("utf-8"), format="turtle")) > 100


def test_serve_refuses_service(server: Server) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(2)
    port = listener.getsockname()[1]
    try:
        for q in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                  f"select * {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"):
            status, _, body = get_query(server, q)
            assert status == 403 and b"SERVICE" in body
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody called
    finally:
        listener.close()


def test_serve_time_limit(server: Server) -> None:
    t0 = time.monotonic()
    status, _, body = get_query(server, HEAVY)
    took = time.monotonic() - t0
    assert status == 503 and b"time limit of 2 s" in body and b"--timeout" in body
    assert took < 10
    assert get_query(server, AGENCIES)[0] == 200  # still answering


def test_serve_result_size_limit(server: Server) -> None:
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 507 and b"limit of 0.25 MB" in body and b"--max-result-mb" in body
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 10


def test_serve_syntax_error_is_400_with_position(server: Server) -> None:
    status, _, body = get_query(server, "SELECT ?s WHERE {\n  ?s ?p ?o\n")
    text = body.decode("utf-8")
    assert status == 400 and "syntax error at line 3" in text and "^" in text


@pytest.mark.parametrize(("method", "path", "body", "headers", "reason"), [
    ("GET", "/sparql?query=%ZZ", None, {}, b"percent-encoded"),
    ("GET", "/sparql?query=%FF%FE", None, {}, b"UTF-8"),
    ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}, b"more than one"),
    ("POST", "/sparql", "x" * 70000, {"Content-Type": "application/sparql-query"}, b"larger than the server's limit"),
    ("POST", "/sparql", "ASK {}", {"Content-Type": "text/plain"}, b"application/sparql-query"),
    ("POST", "/sparql", "", {"Content-Type": "application/x-www-form-urlencoded"}, b"no 'query'"),
    ("POST", "/sparql", "ASK {}", {"Content-Type": "application/sparql-query", "Content-Length": "abc"},
     b"Content-Length"),
    ("GET", "/nope", None, {}, b"no such page"),
    ("GET", "/questions/nope.rq", None, {}, b"no named question"),
    ("GET", "/questions/cite_law.rq?lawx=1", None, {}, b"unknown parameter"),
])
def test_serve_bad_requests_get_a_reason(server: Server, method: str, path: str, body: str | None,
                                         headers: dict[str, str], reason: bytes) -> None:
    status, h, text = request(server, method, path, body, headers)
    assert status in (400, 404) and reason in text, text
    assert h["content-type"].startswith("text/plain")
    assert get_query(server, AGENCIES)[0] == 200


def test_serve_survives_garbage(server: Server) -> None:
    for raw in (b"\x00\x01\x02 garbage\r\n\r\n", b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
                b"BREW /sparql HTTP/1.1\r\n\r\n",
                b"POST /sparql HTTP/1.1\r\nContent-Length: 100\r\n\r\nASK"):  # the last one stalls
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
            s.sendall(raw)
            if raw.startswith(b"POST"):
                continue
            answer = s.recv(200)
            if answer.startswith(b"HTTP/"):
                assert answer.split(b" ")[1] in (b"400", b"414", b"501")
    assert get_query(server, AGENCIES)[0] == 200


def test_serve_refuses_foreign_host_names(server: Server) -> None:
    status, _, body = request(server, "GET", "/sparql?query=ASK%7B%7D", headers={"Host": "attacker.example"})
    assert status == 403 and b"Host" in body
    assert request(server, "GET", "/status", headers={"Host": f"localhost:{server.port}"})[0] == 200


def test_serve_concurrent_clients(server: Server) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    expected = embedded(server, AGENCIES)
    cite = named_query("cite_law").sparql()
    cite_rows = embedded(server, cite)
    heavy: list[int] = []

    def slow() -> None:
        heavy.append(get_query(server, HEAVY)[0])

    def client(i: int) -> bool:
        for k in range(5):
            if (i + k) % 2:
                sw = SPARQLWrapper(server.url + "sparql")
                sw.setQuery(AGENCIES)
                sw.setReturnFormat(JSON)
                data = sw.query().convert()
                got = sorted((b["a"]["value"], b["l"]["value"]) for b in data["results"]["bindings"])
                if got != expected:
                    return False
            else:
                status, _, body = get_query(server, cite)
                if status != 200 or json_rows(body) != cite_rows:
                    return False
        return True

    t = threading.Thread(target=slow)
    t.start()  # a query that runs into the time limit meanwhile does not hold the others up
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=24) as pool:
        results = list(pool.map(client, range(24)))
    took = time.monotonic() - t0
    t.join(30)
    assert all(results) and len(results) == 24
    assert heavy == [503]
    assert took < 60


# -- the query page and the graph view --------------------------------------------------------


def test_serve_named_questions_endpoint(server: Server) -> None:
    status, _, body = request(server, "GET", "/questions.json")
    data = json.loads(body)
    assert status == 200 and {q["name"] for q in data["questions"]} >= {"cite_law", "entity"}
    status, headers, body = request(server, "GET", "/questions/cite_law.rq?law=" + urllib.parse.quote('长江" } DROP ALL #'))
    assert status == 200 and headers["content-type"].startswith("application/sparql-query")
    assert '"长江\\" } DROP ALL #"' in body.decode("utf-8")


def test_serve_view_route(server: Server) -> None:
    status, headers, body = request(server, "GET", "/view", timeout=120)
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode("utf-8")
    assert "<html" in page and "长江保护法" in page
    assert not re.search(r"""(src|href)=["']https?://""", page)
    status, _, body = request(server, "GET", "/view?report=no-such-report", timeout=120)
    assert status == 400


def _page_offline_except_loopback(page, port: int) -> list[str]:
    """Let the page talk to our server only; record anything else it tries."""
    blocked: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(f"http://127.0.0.1:{port}/") or url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    page.route("**/*", route)
    return blocked


def _until(ok, page, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not ok():
        if time.monotonic() > deadline:
            pytest.fail("the page did not get there in time")
        page.wait_for_timeout(100)


def test_serve_keeps_the_connection_alive(server: Server) -> None:
    """HTTP/1.1 with keep-alive: several requests (GET, HEAD, POST, OPTIONS, the page) on one
    connection, each answer with its Content-Length."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        peers = []
        for method, path, body, headers in [
            ("GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}), None,
             {"Accept": "application/sparql-results+json"}),
            ("POST", "/sparql", AGENCIES.encode(), {"Content-Type": "application/sparql-query",
                                                    "Accept": "application/sparql-results+json"}),
            ("HEAD", "/questions.json", None, {}),
            ("OPTIONS", "/sparql", None, {}),
            ("GET", "/", None, {}),
            ("GET", "/sparql?query=SELECT", None, {}),  # an error answer closes the connection
        ]:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            assert resp.version == 11
            assert resp.getheader("Content-Length") is not None
            if method != "HEAD":
                assert len(data) == int(resp.getheader("Content-Length"))
            peers.append((conn.sock.getsockname() if conn.sock else None, resp.status, resp.will_close))
        statuses = [status for _, status, _ in peers]
        assert statuses[:5] == [200, 200, 200, 204, 200] and statuses[5] == 400
        assert len({p for p, _, _ in peers[:5]}) == 1  # one connection for the five answers
        assert [close for _, _, close in peers] == [False] * 5 + [True]
    finally:
        conn.close()


def test_serve_closes_the_connection_after_an_unread_body(server: Server) -> None:
    # a body the route did not read would be taken for the next request: the server closes
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"GET /questions.json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 30\r\n\r\n"
                  b"GET /nothing HTTP/1.1\r\nX: y\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0]
    assert head.startswith(b"HTTP/1.1 200") and b"Connection: close" in head
    assert data.count(b"HTTP/1.1 ") == 1


def test_serve_query_page_is_yasgui_bundled_with_a_strict_csp(server: Server) -> None:
    import base64
    import hashlib
    from importlib.resources import files

    import graph.serve as gs

    status, headers, page = request(server, "GET", "/")
    assert status == 200
    srcs = re.findall(rb'(?:src|href)="([^"]+)"', page)
    assert b"/static/yasgui/yasgui.min.js" in srcs and b"/static/yasgui/yasgui.min.css" in srcs
    assert all(s.startswith(b"/") or s.startswith(b"data:") for s in srcs)  # nothing from another host
    csp = headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-eval" not in csp and "unsafe-inline" not in csp
    for name, ctype in (("yasgui.min.js", "text/javascript"), ("yasgui.min.css", "text/css")):
        status, headers, body = request(server, "GET", f"/static/yasgui/{name}")
        assert status == 200 and headers["content-type"].startswith(ctype)
        assert body == files("graph").joinpath(f"static/yasgui/{name}").read_bytes()
        assert b"sourceMappingURL" not in body[-200:]
    # the only inline styles allowed are the two fixed texts the bundle's column-resizer adds
    js = files("graph").joinpath("static/yasgui/yasgui.min.js").read_text(encoding="utf-8")
    grips = re.search(r"createStyle\(a,`( \.grip-resizable\{[^`]*)`\)", js)
    assert grips and "`*{cursor:`+n.opt.dragCursor+`!important}`" in js and "dragCursor:`col-resize`" in js
    texts = [grips.group(1), "*{cursor:col-resize!important}"]
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()}'" for t in texts}
    assert hashes == set(gs._YASGUI_STYLE_HASHES)
    assert all(h in csp for h in hashes)
    assert "4.6.2" in files("graph").joinpath("static/yasgui/README.md").read_text(encoding="utf-8")


@pytest.mark.browser
def test_serve_query_page_in_chromium(server: Server) -> None:
    """The YASGUI page, offline: a named question opens in a tab, runs, and its result IRIs lead
    to the graph view; the page breaks no rule of its CSP and reaches nothing but this server."""
    from browser import browser_page

    with browser_page(offline=False) as page:
        blocked = _page_offline_except_loopback(page, server.port)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                             "console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI))")
        page.goto(server.url, wait_until="load")
        page.wait_for_selector("body[data-ready='1']", timeout=20000)
        assert page.evaluate("typeof window.Yasgui") == "function"
        page.select_option("#question", "cite_law")
        assert page.input_value("#params input[name='law']") == "长江保护法"
        active = page.locator(".tabsList .tab.active")
        active.filter(has_text=named_query("cite_law").title_zh).wait_for(timeout=20000)
        _until(lambda: "长江保护法" in page.evaluate("window.govkgYasgui.getTab().getQuery()"), page)
        page.locator(".yasqe_queryButton:visible").click()
        page.wait_for_selector(".yasr table.dataTable tbody tr td a.iri", timeout=20000)
        headers = page.eval_on_selector_all(".yasr table.dataTable thead th",
                                            "els => els.map(e => e.textContent.trim())")
        assert {"report", "title"} <= set(headers)
        rows_text = page.eval_on_selector_all(".yasr table.dataTable tbody tr",
                                              "els => els.map(e => e.textContent)")
        assert any(all(a in r for a in ("监利市委宣传部", "监利市纪监委", "监利市融媒体中心")) for r in rows_text)
        links = page.eval_on_selector_all(  # not a literal's datatype (xsd:integer)
            ".yasr a.iri", "els => els.filter(e => !e.closest('.nonIri')).map(e => e.getAttribute('href'))")
        assert links and all(h.startswith("/view#focus=http") for h in links)
        law_link = next(h for h in links if "/law/" in urllib.parse.unquote(h))
        with page.expect_download(timeout=20000) as dl:  # results can be downloaded, as CSV
            page.locator(".yasr_downloadIcon:visible").click()
        assert "长江保护法" in Path(dl.value.path()).read_text(encoding="utf-8")

        # govkg's prefixes are declared: a query without PREFIX lines runs
        page.evaluate("void window.govkgYasgui.getTab().setQuery("
                      "'SELECT ?a ?label WHERE { ?a a govkg:Agency ; rdfs:label ?label } ORDER BY ?label')")
        page.locator(".yasqe_queryButton:visible").click()
        _until(lambda: any("id:agency/国务院" in t for t in page.locator(
            ".yasr table.dataTable tbody tr:visible").all_text_contents()), page)

        # an untrusted label is shown as text, never read as markup
        page.evaluate("q => void window.govkgYasgui.getTab().setQuery(q)",
                      'SELECT ?x WHERE { BIND("<img src=x id=evil><b>粗</b>"@zh AS ?x) }')
        page.locator(".yasqe_queryButton:visible").click()
        _until(lambda: any("<b>粗</b>" in t for t in page.locator(
            ".yasr table.dataTable tbody tr:visible").all_text_contents()), page)
        assert page.evaluate("document.querySelectorAll('#evil, .yasr b').length") == 0

        # a result IRI opens that entity in the graph view
        page.goto(server.url.rstrip("/") + law_link, wait_until="load", timeout=120000)
        page.wait_for_selector("html[data-govkg-ready='1']", timeout=60000)
        iri = urllib.parse.unquote(law_link.split("focus=", 1)[1])
        assert page.evaluate("window.govkgView.network.getSelectedNodes()") == [iri]
        assert not blocked, f"the pages tried to reach the network: {blocked}"
        assert not errors, errors


@pytest.mark.browser
def test_serve_query_page_names_an_undeclared_prefix(server: Server) -> None:
    """A query typed into the YASGUI page with a prefix nobody declares (ex:) runs, and the page
    shows the endpoint's message naming that prefix and how to declare it."""
    from browser import browser_page

    with browser_page(offline=False) as page:
        blocked = _page_offline_except_loopback(page, server.port)
        page.goto(server.url, wait_until="load")
        page.wait_for_selector("body[data-ready='1']", timeout=20000)
        page.evaluate("void window.govkgYasgui.getTab().setQuery('')")
        page.locator(".yasqe .CodeMirror:visible").click()
        page.keyboard.type("SELECT * { ?s ex:p ?o }")  # the editor closes no brackets: typed as is
        _until(lambda: page.evaluate("window.govkgYasgui.getTab().getQuery()") == "SELECT * { ?s ex:p ?o }", page)
        page.keyboard.press("Control+Enter")
        message = page.locator(".yasr .errorResult:visible")
        message.wait_for(timeout=20000)
        text = message.inner_text()
        assert "the prefix ex: is not declared; declare it with PREFIX ex: <…>" in text, text
        assert "1 | SELECT * { ?s ex:p ?o }" in text  # the line, with a caret under ex:p
        assert not blocked


# -- rebuilds while serving, and --writable ----------------------------------------------------


def test_serve_picks_up_a_rebuild(sample_build: BuildResult, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(sample_build.files["store"], store)
    srv = start_server(store, tmp_path / "serve.log")
    try:
        first_engine = srv.children()
        extra = Dataset()
        g = URIRef("https://example.org/test/new-report")
        extra.graph(g).add((URIRef("https://example.org/test/a"), URIRef(GOVKG + "year"), Literal("2099")))
        write_store(extra, store)  # the build does this while the server runs
        q = "ASK { GRAPH <https://example.org/test/new-report> { ?s ?p ?o } }"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if json.loads(get_query(srv, q)[2])["boolean"]:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the server did not pick up the rebuilt store")
        assert get_query(srv, AGENCIES)[0] == 200
        deadline = time.monotonic() + 10
        while srv.children() & first_engine and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not srv.children() & first_engine, "the old Oxigraph process was not stopped"
        assert len(list(tmp_path.glob(".store-serve-*"))) == 1  # the old checkpoint is gone
    finally:
        stop_server(srv)


def test_serve_writable(sample_build: BuildResult, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(sample_build.files["store"], store)
    srv = start_server(store, tmp_path / "serve.log", "--writable")
    try:
        upd = "INSERT DATA { GRAPH <urn:test:g> { <urn:test:a> <urn:test:b> \"c\" } }"
        status, _, body = request(srv, "POST", "/update", upd, {"Content-Type": "application/sparql-update",
                                                                "Origin": "https://attacker.example"})
        assert status == 403 and b"another origin" in body
        status, _, _ = request(srv, "POST", "/update", upd, {"Content-Type": "application/sparql-update"})
        assert status in (200, 204)
        assert json.loads(get_query(srv, "ASK { GRAPH <urn:test:g> { <urn:test:a> ?p ?o } }")[2])["boolean"]
        status, _, _ = get_query(srv, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        assert status == 403
    finally:
        stop_server(srv)
    assert "urn:test:g" in {g.value for g in open_store(store).named_graphs()}


def test_serve_errors_before_start(tmp_path: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "graph", "serve", "--store", str(tmp_path / "nothing")],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 1 and "run `govkg build`" in res.stderr and "Traceback" not in res.stderr


# -- the guard, nesting, slow clients (issue 13) -------------------------------------------------


class _Listener:
    """A TCP port that records whether anyone connected: an endpoint that reaches out would."""

    def __enter__(self) -> _Listener:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        return self

    def called(self) -> bool:
        try:
            conn, _ = self.sock.accept()
        except TimeoutError:
            return False
        conn.close()
        return True

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def _reaching_out(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/x"
    return [
        # the issue's query: the tokenizer read a string from ex:a\' and missed SERVICE
        f"PREFIX ex: <http://example.org/> SELECT * {{ BIND(ex:a\\' AS ?z) SERVICE <{url}> {{ ?s ?p ?o }} }} # '",
        f"PREFIX ex: <http://example.org/> SELECT * {{ BIND(ex:a\\\" AS ?z) SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ OPTIONAL {{ SeRvIcE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"SELECT * {{ {{ SELECT ?s {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"PREFIX s: <{url}> SELECT * {{#{{\nSERVICE s: {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


@pytest.mark.parametrize("case", range(len(_reaching_out(1))))
def test_serve_refuses_service_however_it_is_spelled(server: Server, case: int) -> None:
    with _Listener() as ear:
        query = _reaching_out(ear.port)[case]
        status, _, body = get_query(server, query)
        post = request(server, "POST", "/sparql", query, {"Content-Type": "application/sparql-query"})
        assert status == 403 and b"SERVICE" in body, body
        assert post[0] == 403
        assert not ear.called(), "the endpoint connected to the SERVICE URL"


@pytest.mark.parametrize(("method", "body", "ctype"), [
    ("GET", "LOAD <http://127.0.0.1:{port}/x.ttl>", None),
    ("GET", "load silent <http://127.0.0.1:{port}/x.ttl> into graph <urn:g>", None),
    ("POST", "update=" + urllib.parse.quote("LOAD <http://127.0.0.1:{port}/x.ttl>"), "application/x-www-form-urlencoded"),
    ("POST", "LOAD <http://127.0.0.1:{port}/x.ttl>", "application/sparql-update"),
    ("POST", "query=" + urllib.parse.quote("CLEAR ALL ; LOAD <http://127.0.0.1:{port}/x.ttl>"),
     "application/x-www-form-urlencoded"),
    ("POST", "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }", "application/sparql-update"),
])
def test_serve_read_only_refuses_load_and_updates_however_sent(server: Server, method: str, body: str,
                                                               ctype: str | None) -> None:
    with _Listener() as ear:
        text = body.replace("{port}", str(ear.port)).replace("%7Bport%7D", str(ear.port))
        before = _count(server)
        if method == "GET":
            status, _, answer = get_query(server, text)
        else:
            status, _, answer = request(server, method, "/sparql", text, {"Content-Type": ctype or ""})
        assert status == 403 and b"read-only" in answer, answer
        assert not ear.called()
        assert _count(server) == before


def test_serve_guard_remembers_verdicts_never_a_pass_for_service() -> None:
    """The guard's verdict on a text is remembered (rdflib's parse is most of a request's time);
    a text that uses SERVICE is refused every time, one that cannot be parsed is not remembered."""
    import graph.serve as gs
    from graph.errors import QueryError

    gs._checked.cache_clear()
    assert gs._guard(AGENCIES) == gs._guard(AGENCIES)
    assert gs._checked.cache_info().hits == 1
    for _ in range(2):
        with pytest.raises(gs._HTTPError, match="SERVICE"):
            gs._guard("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        with pytest.raises(QueryError, match="the prefix ex: is not declared"):
            gs._guard("SELECT * { ?s ex:p ?o }")
    assert gs._checked.cache_info().currsize == 2  # AGENCIES and the SERVICE query's parse


@pytest.mark.parametrize("query", ["SELECT * { ?s ?p ?o } }", "SELECT * { ?s nope:p ?o }", "SERVICE", "\x01"])
def test_serve_refuses_what_it_cannot_parse(server: Server, query: str) -> None:
    status, _, body = get_query(server, query)
    assert status == 400 and b"syntax error" in body


def test_serve_refuses_deep_nesting_and_the_engine_lives(server: Server) -> None:
    engines = server.children()
    deep = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000
    status, _, body = request(server, "POST", "/sparql", deep, {"Content-Type": "application/sparql-query"})
    assert status == 400 and b"nests 5000 levels deep" in body
    for _ in range(4):
        assert get_query(server, AGENCIES)[0] == 200
    assert server.children() == engines, "the Oxigraph process was restarted"


def _threads(pid: int) -> int:
    status = (Path("/proc") / str(pid) / "status").read_text()
    return int(re.search(r"^Threads:\s+(\d+)$", status, re.M).group(1))  # type: ignore[union-attr]


def test_serve_idle_and_trickling_clients_are_cut_off(sample_build: BuildResult, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(sample_build.files["store"], store)
    srv = start_server(store, tmp_path / "serve.log", "--read-timeout", "1", "--max-connections", "8")
    socks: list[socket.socket] = []
    try:
        base = _threads(srv.proc.pid)
        for i in range(40):  # half-sent requests: a request line and no end of headers
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n" if i % 2 else b"G")
            socks.append(s)
        time.sleep(0.3)
        assert _threads(srv.proc.pid) <= base + 8 + 2
        refused = 0
        for s in socks[8:]:
            answer = s.recv(200)
            refused += answer.startswith(b"HTTP/1.1 503")
        assert refused >= 30
        t0 = time.monotonic()
        for s in socks[:8]:  # trickle a byte now and then: the deadline holds anyway
            with contextlib.suppress(OSError):
                s.sendall(b"X")
        for s in socks[:8]:
            s.settimeout(5)
            with contextlib.suppress(OSError):
                while s.recv(200):
                    pass
        assert time.monotonic() - t0 < 4, "half-sent requests were held open"
        deadline = time.monotonic() + 5
        while _threads(srv.proc.pid) > base + 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _threads(srv.proc.pid) <= base + 1
        assert get_query(srv, AGENCIES)[0] == 200
    finally:
        for s in socks:
            s.close()
        stop_server(srv)


def test_serve_writable_loads_only_files_under_allow_load(sample_build: BuildResult, tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(sample_build.files["store"], store)
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "extra.nt").write_text("<urn:test:a> <urn:test:b> \"loaded\" .\n", encoding="utf-8")
    outside = tmp_path / "secret.nt"
    outside.write_text("<urn:test:x> <urn:test:y> \"secret\" .\n", encoding="utf-8")
    (allowed / "link.nt").symlink_to(outside)
    srv = start_server(store, tmp_path / "serve.log", "--writable", "--allow-load", str(allowed))

    def update(text: str) -> tuple[int, bytes]:
        status, _, body = request(srv, "POST", "/update", text, {"Content-Type": "application/sparql-update"})
        return status, body

    try:
        with _Listener() as ear:
            status, body = update(f"LOAD <http://127.0.0.1:{ear.port}/data.ttl> INTO GRAPH <urn:test:g>")
            assert status == 403 and b"never fetches URLs" in body
            status, body = update(f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <http://127.0.0.1:{ear.port}/> {{ ?s ?p ?o }} }}")
            assert status == 403 and b"SERVICE" in body
            assert not ear.called()
        assert update(f"LOAD <{outside.as_uri()}>")[0] == 403
        assert update(f"LOAD <{(allowed / 'link.nt').as_uri()}>")[0] == 403  # a link out of the folder
        assert update(f"LOAD <{(allowed / 'extra.nt').as_uri()}> ; DROP ALL")[0] == 400
        status, body = update(f"LOAD <{(allowed / 'extra.nt').as_uri()}> INTO GRAPH <urn:test:g>")
        assert status in (200, 204), body
        assert json.loads(get_query(srv, 'ASK { GRAPH <urn:test:g> { <urn:test:a> ?p "loaded" } }')[2])["boolean"]
        assert not json.loads(get_query(srv, 'ASK { GRAPH ?g { ?s ?p "secret" } }')[2])["boolean"]
    finally:
        stop_server(srv)


def test_serve_build_runs_while_serving(sample_build: BuildResult, tmp_path: Path) -> None:
    """A build takes the output folder's lock; the server takes none and answers meanwhile."""
    from graph.pipeline import BuildLock

    out = tmp_path / "out"
    shutil.copytree(sample_build.out_dir, out, symlinks=True)
    srv = start_server(out / "store", tmp_path / "serve.log")
    try:
        with BuildLock(out):
            assert get_query(srv, AGENCIES)[0] == 200
    finally:
        stop_server(srv)
