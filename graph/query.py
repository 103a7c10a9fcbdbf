"""SPARQL over the graph: named questions, safe parameters, running queries, readable results.

Queries run on Oxigraph (:mod:`graph.store`), whose default graph is the union (the RDF merge)
of the report graphs, and ``GRAPH ?report { … }`` reaches one report's graph. Named questions live in ``ontology/queries/<name>.rq``: plain SPARQL that any
client can run, with a header of comment lines saying what the question answers and which
parameters it takes::

    # Reports that cite a given law
    # 引用某部法律的报告
    # Each report whose text cites the law, with the agencies it says promote or implement it.
    # param: law = 长江保护法 | the law's name or part of it

A parameter is written ``$law`` in the query and replaced, token by token (never inside a
string, an IRI or a comment), by a properly escaped SPARQL literal: user input never becomes
query syntax.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import QueryError, StoreError
from .names import DEFAULT_BASE, ontology_dir
from .names import PREFIXES as _VOCAB_PREFIXES

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    import pyoxigraph

__all__ = [
    "PREFIXES",
    "FORMATS",
    "Param",
    "NamedQuery",
    "named_queries",
    "named_query",
    "tokens",
    "has_service",
    "query_kind",
    "MAX_DEPTH",
    "Load",
    "Checked",
    "nesting_depth",
    "check_sparql",
    "sparql_literal",
    "bind_params",
    "parse_params",
    "syntax_error",
    "declare_prefixes",
    "undeclared_prefix",
    "open_source",
    "run",
    "run_named",
    "render",
    "format_table",
    "result_table",
    "display_term",
    "to_rows",
    "to_dataframe",
    "select",
    "entity_network",
    "central_agencies",
    "policy_reach",
    "communities",
]

#: Prefixes for readable output (tables, Turtle). ``id:`` is govkg's default base for entities.
PREFIXES: dict[str, str] = {"id": DEFAULT_BASE, **_VOCAB_PREFIXES}

#: Output formats of ``govkg query``.
FORMATS = ("table", "csv", "tsv", "json")

# -- a small SPARQL tokenizer ------------------------------------------------------------------
# Enough of the SPARQL 1.1 grammar's terminals to tell keywords and variables from the insides of
# strings, IRIs and comments. Anything it does not know becomes a one-character "other" token.

def _name_chars(ascii_allowed: str) -> str:
    """A character class of the SPARQL name characters: the ASCII characters ``ascii_allowed``
    and every character above ASCII but white space.

    The grammar's own classes (PN_CHARS_BASE: a dozen ranges up to U+EFFFF) take ``re`` about
    a millisecond each to compile, 35 ms for the tokenizer on every ``govkg query``; a class
    negated over ASCII compiles at once. The tokenizer only has to tell names from what stands
    around them, so the few symbols above ASCII the grammar leaves out of names (``×``, ``÷``)
    make no difference that Oxigraph's parser does not report.

    Examples:
        >>> re.fullmatch(_name_chars(_LETTERS) + "+", "ex监利") is not None, re.fullmatch(_name_chars(_LETTERS), ":")
        (True, None)
    """
    out = "".join(f"\\x{c:02x}" for c in range(0x80) if chr(c) not in ascii_allowed)
    return f"[^{out}\\s]"


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_PN = _name_chars(_LETTERS)  # PN_CHARS_BASE
_VAR = _name_chars(_LETTERS + "_0123456789")  # VARNAME
_PN_MORE = _LETTERS + "_-0123456789"  # PN_CHARS, ASCII part
# PN_LOCAL_ESC: ex:a\' is one prefixed name, and the quote after the backslash opens no string
_PN_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN_RE = re.compile(
    rf"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
                |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\r\n]|\\.)*'
                |"(?:[^"\\\r\n]|\\.)*")
    | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]{_VAR}+)
    | (?P<pname>(?:{_PN}(?:{_name_chars(_PN_MORE + ".")}*{_name_chars(_PN_MORE)})?)?:(?:(?:{_name_chars(_PN_MORE + ":%")}|{_PN_ESC})(?:(?:{_name_chars(_PN_MORE + ".:%")}|{_PN_ESC})*(?:{_name_chars(_PN_MORE + ":%")}|{_PN_ESC}))?)?)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """SPARQL tokens of ``text`` as ``(kind, text, offset)``; kinds: ws, comment, string, iri,
    var, pname, word, other.

    Examples:
        >>> [(k, t) for k, t, _ in tokens('SELECT ?x { ?x a "SERVICE" } # SERVICE') if k != "ws"]
        [('word', 'SELECT'), ('var', '?x'), ('other', '{'), ('var', '?x'), ('word', 'a'), ('string', '"SERVICE"'), ('other', '}'), ('comment', '# SERVICE')]
    """
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "other"
        yield kind, m.group(), m.start()


def has_service(text: str) -> bool:
    """Whether a query uses ``SERVICE`` (federation), outside strings, IRIs and comments.

    Examples:
        >>> has_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
        True
        >>> has_service('SELECT * { ?s ?p "SERVICE" } # service')
        False
        >>> has_service("SELECT * { ?s ex:service ?service }")
        False
    """
    return any(k == "word" and t.upper() == "SERVICE" for k, t, _ in tokens(text))


def query_kind(text: str) -> str:
    """``select``, ``ask``, ``construct``, ``describe``, ``update`` or ``unknown``.

    Examples:
        >>> query_kind("PREFIX ex: <http://example.org/> # a comment\\nASK { ?s ex:p ?o }")
        'ask'
        >>> query_kind("DROP GRAPH <http://example.org/g>")
        'update'
    """
    for kind, tok, _ in tokens(text):
        if kind != "word":
            continue
        up = tok.upper()
        if up in _QUERY_FORMS:
            return up.lower()
        if up in _UPDATE_WORDS:
            return "update"
    return "unknown"


# -- the guard: what a query does, from a real parser ----------------------------------------
# An endpoint must know for certain whether a request reaches out (SERVICE, LOAD) or writes. A
# tokenizer gets that wrong on the first escape it does not know, so the decision is made on
# the query as rdflib's SPARQL 1.1 parser reads it, and a query it cannot read is refused.

#: Deepest nesting of { }, ( ) and [ ] a query may have. A query nested thousands deep crashes
#: the engine's recursive parser (and rdflib's); real questions nest a handful of levels.
MAX_DEPTH = 64

_UPDATE_OPS = {"Load", "Clear", "Drop", "Create", "Add", "Move", "Copy", "InsertData", "DeleteData",
               "DeleteWhere", "Modify"}
_FORMS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct", "DescribeQuery": "describe"}
_PARSE_LOCK = threading.Lock()  # pyparsing's caches are shared by every thread


@dataclass(frozen=True)
class Load:
    """A ``LOAD <source> [INTO GRAPH <graph>]`` operation of an update."""

    source: str
    graph: str | None
    silent: bool


@dataclass(frozen=True)
class Checked:
    """What a parsed query or update does: its form, its update operations, the endpoints its
    SERVICE clauses name and its LOADs."""

    kind: str  # select, ask, construct, describe or update
    operations: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    loads: tuple[Load, ...] = ()

    @property
    def reaches_out(self) -> bool:
        """Whether running it would make the engine fetch anything from anywhere."""
        return bool(self.services or self.loads)


def nesting_depth(text: str) -> int:
    """The deepest nesting of brackets outside strings, IRIs and comments.

    Examples:
        >>> nesting_depth("SELECT * { { ?s ?p ?o } FILTER((?o > 1)) }")
        3
        >>> nesting_depth('ASK { ?s ?p "{{{{" }')
        1
    """
    depth = best = 0
    for kind, tok, _ in tokens(text):
        if kind != "other":
            continue
        if tok in "{([":
            depth += 1
            best = max(best, depth)
        elif tok in "})]":
            depth = max(0, depth - 1)
    return best


def _walk(node: Any, found: dict[str, list[Any]], seen: set[int]) -> None:
    """Collect the nodes named SERVICE, LOAD, query forms and update operations of a parse."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, CompValue):
            found.setdefault(n.name, []).append(n)
            stack.extend(n.values())
        elif isinstance(n, ParseResults):
            stack.extend(n)
        elif isinstance(n, dict):
            stack.extend(n.values())
        elif isinstance(n, (list, tuple, set)):
            stack.extend(n)


def _parse_error(text: str, e: Exception, source: str | None) -> QueryError:
    line, col = getattr(e, "lineno", None), getattr(e, "col", None)
    msg = re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)$", "", str(e)).strip()
    msg = msg[0].lower() + msg[1:] if msg else "not a SPARQL query"
    if len(msg) > 200:
        msg = msg[:199] + "…"
    if line is None or col is None:
        return QueryError(f"SPARQL syntax error{' in ' + source if source else ''}: {msg}")
    return syntax_error(text, f"error at {line}:{col}: {msg}", source=source)


def check_sparql(text: str, *, update: bool = False, source: str | None = None) -> Checked:
    """Parse a query (or, with ``update``, an update) and say what it does.

    The query is parsed and translated to SPARQL algebra by rdflib; both the parse tree and the
    algebra are searched for SERVICE and LOAD, so a SERVICE written anywhere (in an OPTIONAL,
    an EXISTS filter, a subquery, the WHERE of an update) is found however the text spells it
    (escapes, comments, case, prefixed names that look like strings).

    Raises:
        QueryError: the query nests deeper than :data:`MAX_DEPTH`, or cannot be parsed (with
            line, column and context; a prefix used and not declared is named, see
            :func:`undeclared_prefix`). A query that cannot be parsed must be refused: nobody
            can say what it would do.

    Examples:
        >>> check_sparql("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }").services
        ('http://example.org/sparql',)
        >>> check_sparql('SELECT * { ?s ?p "SERVICE <http://example.org/>" }').reaches_out
        False
        >>> check_sparql("LOAD <http://example.org/data.ttl>", update=True).loads[0].source
        'http://example.org/data.ttl'
    """
    import logging
    import sys

    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise QueryError(f"the query nests {depth} levels deep, more than the limit of {MAX_DEPTH}; "
                         "write it with fewer nested groups")
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    term_log = logging.getLogger("rdflib.term")
    with _PARSE_LOCK:
        limit, level = sys.getrecursionlimit(), term_log.level
        # rdflib's parser recurses some 40 frames per level of nesting
        sys.setrecursionlimit(max(limit, 200 + 45 * MAX_DEPTH))
        term_log.setLevel(logging.ERROR)  # "does not look like a valid URI": the engine judges IRIs
        try:
            tree: Any
            algebra: Any
            if update:
                tree = parseUpdate(text)
                algebra = translateUpdate(tree)
            else:
                tree = parseQuery(text)
                algebra = translateQuery(tree)
        except RecursionError:
            raise QueryError("the query is nested too deeply to be read; write it with fewer nested groups") from None
        except Exception as e:  # noqa: BLE001 - pyparsing's and rdflib's errors: any means "cannot say"
            if "prefix" in str(e).lower():  # rdflib: "Unknown namespace prefix : ex"; say where, and how
                raise (undeclared_prefix(text, source=source) or _parse_error(text, e, source)) from None
            raise _parse_error(text, e, source) from None
        finally:
            sys.setrecursionlimit(limit)
            term_log.setLevel(level)
    found: dict[str, list[Any]] = {}
    seen: set[int] = set()
    _walk(tree, found, seen)
    _walk(getattr(algebra, "algebra", algebra), found, seen)
    get = dict.get  # CompValue.get(key) answers the key itself for a missing key
    services = tuple(sorted({str(get(n, "term")) for n in found.get("ServiceGraphPattern", [])}))
    loads = tuple(dict.fromkeys(
        Load(str(get(n, "iri")), str(get(n, "graphiri")) if get(n, "graphiri") is not None else None,
             bool(get(n, "silent")))
        for n in found.get("Load", [])
    ))
    if update:
        ops = tuple(n.name for n in tree.request) if hasattr(tree, "request") else ()
        return Checked("update", ops, services, loads)
    kind = next((k for name, k in _FORMS.items() if name in found), "select")
    return Checked(kind, (), services, loads)


def sparql_literal(value: str) -> str:
    """A string as a SPARQL string literal, escaped so that it can never end early.

    Examples:
        >>> print(sparql_literal('长江保护法'))
        "长江保护法"
        >>> print(sparql_literal('a" } ; DROP ALL #\\\\'))
        "a\\" } ; DROP ALL #\\\\"
    """
    out = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )
    return f'"{out}"'


# -- named questions ---------------------------------------------------------------------------

_PARAM_RE = re.compile(
    r"^param:\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*(?P<kind>string|zh|integer|iri))?\s*="
    r"\s*(?P<default>[^|]*?)\s*(?:\|\s*(?P<help>.*))?$"
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_INT = re.compile(r"[+-]?\d{1,18}")


@dataclass(frozen=True)
class Param:
    """A parameter of a named question: ``$name`` in the query."""

    name: str
    default: str
    kind: str = "string"  # string | zh (a string tagged @zh, as govkg's labels are) | integer | iri
    help: str = ""

    def literal(self, value: str, question: str = "") -> str:
        """The SPARQL term for ``value``: an escaped string (tagged ``@zh`` for kind zh), an
        integer or an IRI.

        Raises:
            QueryError: the value does not fit the parameter's kind.
        """
        where = f" of {question}" if question else ""
        if self.kind == "integer":
            if not _INT.fullmatch(value.strip()):
                raise QueryError(f"parameter {self.name}{where} takes a whole number, not {value!r}")
            return str(int(value))
        if self.kind == "iri":
            import pyoxigraph as ox

            try:
                return str(ox.NamedNode(value.strip().strip("<>")))
            except ValueError:
                raise QueryError(f"parameter {self.name}{where} takes an IRI, not {value!r}") from None
        if self.kind == "zh":
            return sparql_literal(value) + "@zh"
        return sparql_literal(value)


@dataclass(frozen=True)
class NamedQuery:
    """A named question from ``ontology/queries/<name>.rq``."""

    name: str
    title: str
    title_zh: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path
    kind: str = field(default="select")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def sparql(self, values: Mapping[str, str] | None = None) -> str:
        """The query text with parameters bound (defaults for those not given)."""
        return bind_params(self.text, self.params, values or {}, question=self.name)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready description (for the query page)."""
        return {
            "name": self.name,
            "title": self.title,
            "title_zh": self.title_zh,
            "description": self.description,
            "kind": self.kind,
            "params": [{"name": p.name, "default": p.default, "kind": p.kind, "help": p.help} for p in self.params],
        }


def _parse_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header: list[str] = []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            if header:
                break
            continue
        if not s.startswith("#"):
            break
        header.append(s.lstrip("#").strip())
    params: list[Param] = []
    notes: list[str] = []
    for h in header:
        if h.startswith("param:"):
            m = _PARAM_RE.match(h)
            if not m:
                raise QueryError(
                    f"bad parameter line {h!r}; write '# param: NAME[:string|zh|integer|iri] = DEFAULT | help'",
                    path=path,
                )
            default = m["default"]
            if len(default) >= 2 and default[0] == default[-1] == '"':
                default = default[1:-1]
            params.append(Param(m["name"], default, m["kind"] or "string", (m["help"] or "").strip()))
        elif h:
            notes.append(h)
    if not notes:
        raise QueryError("a named question starts with comment lines saying what it answers", path=path)
    title = notes[0]
    zh = next((n for n in notes[1:] if _CJK.search(n)), "")
    desc = " ".join(n for n in notes[1:] if n != zh)
    used = {t[1:] for k, t, _ in tokens(text) if k == "var" and t.startswith("$")}
    qvars = {t[1:] for k, t, _ in tokens(text) if k == "var" and t.startswith("?")}
    declared = {p.name for p in params}
    if used - declared:
        raise QueryError(
            f"uses ${', $'.join(sorted(used - declared))} without a '# param:' line declaring it", path=path
        )
    if declared - used:
        raise QueryError(f"declares parameter(s) {', '.join(sorted(declared - used))} it never uses as $NAME",
                         path=path)
    if declared & qvars:
        raise QueryError(
            f"writes parameter(s) {', '.join(sorted(declared & qvars))} as ?NAME somewhere; write $NAME everywhere",
            path=path,
        )
    for p in params:  # the defaults must be valid values
        p.literal(p.default, path.stem)
    kind = query_kind(text)
    if kind in ("unknown", "update"):
        raise QueryError("a named question must be a SELECT, ASK, CONSTRUCT or DESCRIBE query", path=path)
    return NamedQuery(path.stem, title, zh, desc, tuple(params), text, path, kind)


@cache
def _load_dir(folder: str, stamp: tuple[tuple[str, int], ...]) -> dict[str, NamedQuery]:
    return {p.stem: _parse_named(p) for p in sorted(Path(folder).glob("*.rq"))}


def named_queries(folder: str | Path | None = None) -> dict[str, NamedQuery]:
    """The named questions, by name (``ontology/queries/*.rq`` unless ``folder`` is given).

    Raises:
        QueryError: a question file is malformed (its header or its parameters).
    """
    d = Path(folder) if folder is not None else ontology_dir() / "queries"
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(d.glob("*.rq")))
    return _load_dir(str(d), stamp)


def named_query(name: str, folder: str | Path | None = None) -> NamedQuery:
    """One named question.

    Raises:
        QueryError: there is no question of that name (the message lists the names).
    """
    qs = named_queries(folder)
    if name not in qs:
        raise QueryError(f"no named question {name!r}; `govkg query --list` shows them: {', '.join(qs)}")
    return qs[name]


def bind_params(text: str, params: Sequence[Param], values: Mapping[str, str], *, question: str = "") -> str:
    """Replace each ``$name`` variable of ``text`` by the escaped value of parameter ``name``.

    Replacement works on tokens, so ``$name`` inside a string, an IRI or a comment is left
    alone, and a value is always one SPARQL term.

    Raises:
        QueryError: a value is given for an unknown parameter, or does not fit its kind.

    Examples:
        >>> p = [Param("law", "长江保护法")]
        >>> print(bind_params('SELECT * { ?l ?p $law } # $law', p, {"law": 'x" } DROP ALL {"'}))
        SELECT * { ?l ?p "x\\" } DROP ALL {\\"" } # $law
    """
    by_name = {p.name: p for p in params}
    unknown = set(values) - set(by_name)
    if unknown:
        where = f" for {question}" if question else ""
        takes = ", ".join(by_name) or "none"
        raise QueryError(f"unknown parameter(s) {', '.join(sorted(unknown))}{where}; it takes: {takes}")
    terms = {n: p.literal(values.get(n, p.default), question) for n, p in by_name.items()}
    out: list[str] = []
    for kind, tok, _ in tokens(text):
        if kind == "var" and tok.startswith("$") and tok[1:] in terms:
            out.append(terms[tok[1:]])
        else:
            out.append(tok)
    return "".join(out)


def parse_params(items: Iterable[str]) -> dict[str, str]:
    """``["law=长江保护法", …]`` (from ``--param``) as a dict.

    Raises:
        QueryError: an item has no ``=``.

    Examples:
        >>> parse_params(["law=长江保护法", "min_reports=2"])
        {'law': '长江保护法', 'min_reports': '2'}
    """
    out: dict[str, str] = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise QueryError(f"--param takes NAME=VALUE, got {item!r} (e.g. --param law=长江保护法)")
        out[name.strip()] = value
    return out


# -- running queries ---------------------------------------------------------------------------

_ERR_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)


def _simplify_expected(msg: str) -> str:
    """Oxigraph's 'expected one of …' lists character classes; keep the words people read.

    Examples:
        >>> _simplify_expected('expected one of ",", "}", [_]')
        'expected one of ",", "}", a name or number'
    """
    msg = " ".join(msg.split())
    m = re.match(r"expected (?:one of )?(.*)", msg)
    if not m:
        return msg
    body = m.group(1)
    had_class = "[" in body
    body = re.sub(r"\[[^\]]*\]", "", body)
    items = [i.strip() for i in re.findall(r'"(?:[^"\\]|\\.)*"|[^,"]+', body) if i.strip()]
    if had_class:
        items.append("a name or number")
    if not items:
        return "unexpected input"
    if len(items) == 1:
        return f"expected {items[0]}"
    return f"expected one of {', '.join(items)}"


def syntax_error(query: str, message: str, *, source: str | None = None, context: int = 2) -> QueryError:
    """A :class:`QueryError` for a SPARQL syntax error: line, column and the text around it.

    Examples:
        >>> print(syntax_error("SELECT ?s\\nWHERE { ?s ?p ?o", "error at 2:17: expected one of \\".\\", \\"}\\""))
        SPARQL syntax error at line 2, column 17: expected one of ".", "}"
            1 | SELECT ?s
            2 | WHERE { ?s ?p ?o
              |                 ^
    """
    m = _ERR_AT.match(message.strip())
    where = f" in {source}" if source else ""
    if not m:
        return QueryError(f"SPARQL syntax error{where}: {' '.join(message.split())}")
    line, col, rest = int(m.group(1)), int(m.group(2)), m.group(3)
    lines = [x.rstrip("\r") for x in query.split("\n")]  # keeps an empty last line: errors point there
    lines += [""] * max(0, line - len(lines))
    first = max(1, line - context)
    last = min(len(lines), line + context)
    width = len(str(last))
    shown = []
    for n in range(first, last + 1):
        shown.append(f"    {n:>{width}} | {lines[n - 1] if n <= len(lines) else ''}")
        if n == line:
            text = lines[n - 1] if n <= len(lines) else ""
            pad = _width(text[: max(col - 1, 0)])
            shown.append(f"    {'':>{width}} | {' ' * pad}^")
    head = f"SPARQL syntax error{where} at line {line}, column {col}: {_simplify_expected(rest)}"
    return QueryError("\n".join([head, *shown]))


def _prefix_uses(text: str) -> tuple[set[str], dict[str, int]]:
    """The prefixes a query declares, and those it uses with the offset of their first use
    (outside strings, IRIs and comments; a blank node label ``_:b`` is no prefix)."""
    toks = [(k, t, o) for k, t, o in tokens(text) if k not in ("ws", "comment")]
    declared: set[str] = set()
    used: dict[str, int] = {}
    for i, (kind, tok, off) in enumerate(toks):
        if kind != "pname":
            continue
        prefix = tok.split(":", 1)[0]
        before = toks[i - 1] if i else None
        if before and before[0] == "word" and before[1].upper() == "PREFIX":
            declared.add(prefix)
        elif before and before[1] == "_" and before[2] + 1 == off:
            continue  # a blank node label, _:b0
        else:
            used.setdefault(prefix, off)
    return declared, used


def _undeclared(text: str, p: str, off: int, advice: str, source: str | None = None) -> QueryError:
    """The syntax error for prefix ``p`` used at ``off`` without a declaration."""
    line = text.count("\n", 0, off) + 1
    col = off - (text.rfind("\n", 0, off) + 1) + 1
    return syntax_error(text, f"error at {line}:{col}: the prefix {p or '(empty)'}: is not declared; {advice}",
                        source=source)


def undeclared_prefix(text: str, *, source: str | None = None) -> QueryError | None:
    """The error for the first prefix a query uses and does not declare (``None``: there is none),
    saying which prefix and how to declare it: with its IRI if it is one of govkg's :data:`PREFIXES`.

    A SPARQL endpoint declares no prefixes for its clients: this is what it answers a query that
    relies on some (rdflib's parser says only "unknown namespace prefix").

    Examples:
        >>> print(undeclared_prefix("SELECT * { ?s ex:p ?o }"))
        SPARQL syntax error at line 1, column 15: the prefix ex: is not declared; declare it with PREFIX ex: <…> before the query
            1 | SELECT * { ?s ex:p ?o }
              |               ^
        >>> undeclared_prefix("PREFIX ex: <urn:x:> ASK { ?s ex:p _:o }") is None
        True
    """
    declared, used = _prefix_uses(text)
    missing = [p for p in used if p not in declared]
    if not missing:
        return None
    p = missing[0]
    return _undeclared(text, p, used[p], f"declare it with PREFIX {p}: <{PREFIXES.get(p, '…')}> before the query",
                       source)


def declare_prefixes(text: str) -> tuple[str, int]:
    """The query with a ``PREFIX`` line put in front for each of govkg's :data:`PREFIXES` it uses
    and does not declare, and the number of lines put in front; a short query needs no PREFIX lines.

    Raises:
        QueryError: the query uses a prefix that it does not declare and that is not govkg's
            (with line, column and the text around it).

    Examples:
        >>> print(declare_prefixes("SELECT ?a { ?a a govkg:Agency }")[0])
        PREFIX govkg: <https://w3id.org/govkg/ontology#>
        SELECT ?a { ?a a govkg:Agency }
        >>> declare_prefixes("PREFIX govkg: <urn:x:> ASK { ?a a govkg:Agency ; ?p _:b }")[1]
        0
        >>> declare_prefixes("ASK { ?a a foaf:Person }")
        Traceback (most recent call last):
        ...
        graph.errors.QueryError: SPARQL syntax error at line 1, column 12: the prefix foaf: is not declared; ...
    """
    declared, used = _prefix_uses(text)
    missing = [p for p in used if p not in declared and p not in PREFIXES]
    if missing:
        p = missing[0]
        ours = ", ".join(f"{q}:" for q in PREFIXES)
        raise _undeclared(text, p, used[p], f"add `PREFIX {p}: <…>` to the query, or use one of the prefixes "
                                            f"govkg declares for you: {ours}")
    add = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in PREFIXES if p in used and p not in declared]
    if not add:
        return text, 0
    return "\n".join([*add, text]), len(add)


def _shift_error(message: str, lines: int) -> str:
    """An engine error position, back in the user's text (before the PREFIX lines put in front).

    Examples:
        >>> _shift_error("error at 3:5: expected", 2)
        'error at 1:5: expected'
    """
    m = _ERR_AT.match(message.strip())
    if not m or not lines or int(m.group(1)) <= lines:
        return message
    return f"error at {int(m.group(1)) - lines}:{m.group(2)}: {m.group(3)}"


def open_source(store: str | Path | None = None, graph: str | Path | None = None) -> pyoxigraph.Store:
    """The store to query: an on-disk store folder, or a graph file loaded in memory.

    Raises:
        StoreError: both or neither are usable (see :func:`graph.store.open_store`).
    """
    from .store import load_file, open_store

    if store is not None and graph is not None:
        raise StoreError("give either --store or --graph, not both")
    if graph is not None:
        return load_file(graph)
    return open_store(store if store is not None else Path("output") / "store", read_only=True)


def run(store: pyoxigraph.Store, sparql: str, *, source: str | None = None) -> Any:
    """Run a query; the store's default graph is the union of its named graphs (see :mod:`graph.store`).

    Returns:
        pyoxigraph's result: ``QuerySolutions`` (SELECT), ``QueryBoolean`` (ASK) or
        ``QueryTriples`` (CONSTRUCT, DESCRIBE).

    govkg's :data:`PREFIXES` are declared (see :func:`declare_prefixes`): a query may use
    ``govkg:``, ``rdfs:`` … without PREFIX lines.

    Raises:
        QueryError: the query is malformed (with line, column and context), uses a prefix that
            nobody declares, is an update, or cannot be answered.
    """
    kind = query_kind(sparql)
    if kind == "update":
        raise QueryError(
            "this is a SPARQL Update; govkg query only reads. Rebuild with `govkg build` to change the graph"
        )
    try:
        full, added = declare_prefixes(sparql)
    except QueryError as e:
        if source:
            raise QueryError(str(e).replace("SPARQL syntax error", f"SPARQL syntax error in {source}", 1)) from None
        raise
    try:
        return store.query(full)
    except SyntaxError as e:
        raise syntax_error(sparql, _shift_error(str(e), added), source=source) from None
    except (OSError, ValueError, RuntimeError) as e:
        raise QueryError(f"the query could not be answered: {e}") from None


def run_named(store: pyoxigraph.Store, name: str, params: Mapping[str, str] | None = None) -> Any:
    """Run a named question with its parameters (defaults for those not given)."""
    q = named_query(name)
    return run(store, q.sparql(params), source=str(q.path))


# -- results -----------------------------------------------------------------------------------


def _compact(iri: str) -> str:
    best: tuple[str, str] | None = None
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
            best = (prefix, ns)
    if best is None:
        return f"<{iri}>"
    return f"{best[0]}:{iri[len(best[1]):]}"


def display_term(term: Any) -> str:
    """A result term as people read it: labels and numbers bare, IRIs with a prefix.

    Examples:
        >>> import pyoxigraph as ox
        >>> display_term(ox.NamedNode("https://w3id.org/govkg/ontology#Agency"))
        'govkg:Agency'
        >>> display_term(ox.Literal("监利市", language="zh"))
        '监利市'
        >>> display_term(None)
        ''
    """
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _width(s: str) -> int:
    """Display width in a terminal: CJK characters take two columns.

    Examples:
        >>> _width("监利市abc")
        9
    """
    return sum(_char_width(c) for c in s)


def _numeric(cells: Sequence[str]) -> bool:
    return bool(cells) and all(not c or re.fullmatch(r"-?\d+(\.\d+)?", c) for c in cells)


def result_table(columns: Sequence[str], rows: Sequence[Sequence[str]], *, truncate: int = 60) -> Any:
    """A :class:`rich.table.Table` of result cells: one line per row, cells cut to ``truncate``
    columns (0: never) with an ellipsis, numbers aligned right. Cells are plain text, never
    rich markup, whatever brackets a label holds."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.ASCII, show_edge=False, pad_edge=False, highlight=False)
    for i, name in enumerate(columns):
        table.add_column(Text(name), justify="right" if _numeric([r[i] for r in rows]) else "left",
                         no_wrap=True, overflow="ellipsis", max_width=truncate or None)
    for r in rows:
        table.add_row(*(Text(" ".join(c.split())) for c in r))
    return table


def format_table(columns: Sequence[str], rows: Sequence[Sequence[str]], *, truncate: int = 60) -> str:
    """An aligned text table (rich's ``Table``): Chinese characters count as two columns,
    numbers align right; a last line counts the rows. The table is as wide as its cells need,
    in a terminal or a pipe alike: cells are cut by ``truncate``, not by the terminal's width.

    Examples:
        >>> print(format_table(["机构", "n"], [["监利市司法局", "3"], ["国务院", "12"]]))
        机构         |  n
        -------------+---
        监利市司法局 |  3
        国务院       | 12
        (2 rows)
    """
    import io

    from rich.console import Console

    table = result_table(columns, rows, truncate=truncate)
    out = io.StringIO()
    console = Console(file=out, width=1_000_000, color_system=None, force_terminal=False,
                      legacy_windows=False, emoji=False, markup=False, highlight=False)
    console.print(table, crop=False)
    lines = [line.rstrip() for line in out.getvalue().rstrip("\n").split("\n")]
    n = len(rows)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines)


def to_rows(result: Any) -> tuple[list[str], list[list[Any]]]:
    """Variables and rows (pyoxigraph terms, ``None`` when unbound) of a SELECT result."""
    import pyoxigraph as ox

    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("this result is not a table; only SELECT queries give rows")
    names = [v.value for v in result.variables]
    rows = [[sol[v] for v in names] for sol in result]
    return names, rows


def render(result: Any, fmt: str = "table", *, truncate: int = 60) -> str:
    """A query result as text: a table, CSV, TSV or SPARQL JSON; graphs as Turtle (JSON-LD).

    Raises:
        QueryError: the format does not fit the result (CSV of a graph).
    """
    import pyoxigraph as ox

    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return "true" if bool(result) else "false"
        rf = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}
        return (result.serialize(format=rf[fmt]) or b"").decode("utf-8")
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            names, rows = to_rows(result)
            return format_table(names, [[display_term(t) for t in r] for r in rows], truncate=truncate)
        rf = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}
        return (result.serialize(format=rf[fmt]) or b"").decode("utf-8")
    # CONSTRUCT / DESCRIBE
    if fmt in ("csv", "tsv"):
        raise QueryError("CONSTRUCT and DESCRIBE give a graph, not a table: use --format table (Turtle) "
                         "or --format json (JSON-LD)")
    if fmt == "json":
        return (ox.serialize(result, format=ox.RdfFormat.JSON_LD) or b"").decode("utf-8")
    triples = list(result)
    used = {p: ns for p, ns in PREFIXES.items()
            if any(str(t).find(f"<{ns}") >= 0 for t in triples)}
    return (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used) or b"").decode("utf-8")


# -- pandas and networkx, for notebooks --------------------------------------------------------


def _py(term: Any) -> Any:
    """A literal as a Python value (int, float, str); IRIs as strings."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        try:
            if dt in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
                return int(term.value)
            if dt in ("decimal", "double", "float"):
                return float(term.value)
            if dt == "boolean":
                return term.value == "true"
        except ValueError:
            return term.value
        return term.value
    return term.value if hasattr(term, "value") else str(term)


def to_dataframe(result: Any) -> pd.DataFrame:
    """A SELECT result as a pandas DataFrame (numbers as numbers, IRIs as strings)."""
    import pandas as pd

    names, rows = to_rows(result)
    return pd.DataFrame([[_py(t) for t in r] for r in rows], columns=names)


def select(store: pyoxigraph.Store, query: str, **params: str) -> pd.DataFrame:
    """Run a named question (by name) or a SELECT query (text) into a DataFrame.

    Examples (in a notebook)::

        select(store, "cite_law", law="长江保护法")
        select(store, "SELECT ?s WHERE { ?s a govkg:Agency }")   # prefixes must be declared
    """
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", query.strip()):
        res = run_named(store, query.strip(), params)
    else:
        if params:
            raise QueryError("parameters only apply to named questions; bind values in the query text")
        res = run(store, query)
    return to_dataframe(res)


_NETWORK_QUERY = """
PREFIX govkg: <https://w3id.org/govkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?s ?sl ?st ?p ?o ?ol ?ot WHERE {
  VALUES ?st { govkg:Agency govkg:Law govkg:Policy govkg:Initiative govkg:Place }
  VALUES ?ot { govkg:Agency govkg:Law govkg:Policy govkg:Initiative govkg:Place }
  ?s a ?st ; ?p ?o .
  ?o a ?ot .
  ?s rdfs:label ?sl . ?o rdfs:label ?ol .
}
"""


def entity_network(store: pyoxigraph.Store) -> nx.MultiDiGraph:
    """The entities and the relations between them as a networkx ``MultiDiGraph``.

    Nodes are entity IRIs with ``label`` and ``type`` (Agency, Law …); edges carry the relation
    as ``key`` and ``relation`` (issues, implements, …).
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    names, rows = to_rows(run(store, _NETWORK_QUERY))
    for s, sl, st, p, o, ol, ot in rows:
        for n, label, t in ((s, sl, st), (o, ol, ot)):
            if n.value not in g:
                g.add_node(n.value, label=label.value, type=t.value.rsplit("#", 1)[-1])
        rel = p.value.rsplit("#", 1)[-1]
        g.add_edge(s.value, o.value, key=rel, relation=rel)
    return g


def central_agencies(g: nx.MultiDiGraph, top: int = 10) -> list[tuple[str, float]]:
    """Agencies ranked by degree centrality in the undirected entity network: ``(label, score)``."""
    import networkx as nx

    if g.number_of_nodes() == 0:
        return []
    und = nx.Graph(g.to_undirected())
    cent = nx.degree_centrality(und)
    ranked = sorted(
        ((g.nodes[n]["label"], c) for n, c in cent.items() if g.nodes[n].get("type") == "Agency"),
        key=lambda x: (-x[1], x[0]),
    )
    return ranked[:top]


def policy_reach(g: nx.MultiDiGraph, top: int = 10) -> list[tuple[str, int]]:
    """Policies ranked by how many distinct agencies are linked to them: ``(label, agencies)``."""
    reach = []
    for n, data in g.nodes(data=True):
        if data.get("type") != "Policy":
            continue
        agencies = {m for m in (*g.predecessors(n), *g.successors(n)) if g.nodes[m].get("type") == "Agency"}
        reach.append((data["label"], len(agencies)))
    reach.sort(key=lambda x: (-x[1], x[0]))
    return reach[:top]


def communities(g: nx.MultiDiGraph) -> list[list[str]]:
    """Communities of the entity network (greedy modularity), largest first, as label lists."""
    import networkx as nx
    from networkx.algorithms.community import greedy_modularity_communities

    und = nx.Graph(g.to_undirected())
    if und.number_of_edges() == 0:
        return [[g.nodes[n]["label"]] for n in g.nodes]
    parts = greedy_modularity_communities(und)
    return [sorted(g.nodes[n]["label"] for n in part) for part in sorted(parts, key=len, reverse=True)]
