"""Mentions -> entities: canonical names, aliases, stable keys, and the relations between them.

Resolution is where a report's relative names meet its context: in a report of 监利市, 市委 is
监利市委 and 市政府 is 监利市人民政府; in a district report 市委 is the parent city's. National
bodies and national laws get one key whatever the report (长江保护法 ≡ 中华人民共和国长江保护法);
local ones carry their locality, so 市司法局 in two cities' reports are two agencies.

Keys are plain strings like ``agency/监利市司法局`` or ``law/监利市/关于…的通知``; ``graph.rdf``
turns them into IRIs. Nothing here depends on spaCy or rdflib.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .lexicon import Division, Lexicons, lexicons, norm_key
from .model import (
    ISSUER,
    Annotations,
    Document,
    Entity,
    Extraction,
    Mention,
    Relation,
    Statistic,
)

__all__ = ["resolve", "agency_label", "key_for"]

_LOOSE = re.compile(r"[,，、\s·]")
_SELF_DEPARTMENT = re.compile(r"[我本](?:局|委|厅|办)")


def _loose(s: str) -> str:
    return _LOOSE.sub("", norm_key(s))


@dataclass
class _Draft:
    key: str
    type: str
    label: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[int] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    priority: int = 0  # how sure the label is: lexicon > explicit name > relative name


class _Context:
    """The report's place in the administrative hierarchy, for relative names."""

    def __init__(self, document: Document, lex: Lexicons) -> None:
        self.lex = lex
        meta = document.meta
        self.locality = meta.locality
        self.division: Division | None = (
            lex.divisions.get(meta.locality_code) if meta.locality_code
            else lex.division_by_name(meta.locality) if meta.locality else None
        )
        chain = lex.chain(self.division.code) if self.division else ()
        # the text's own name for its place wins (监利市 where the table may say 监利县)
        self.names: list[tuple[str, Division]] = []
        for i, d in enumerate(chain):
            self.names.append((meta.locality if i == 0 and meta.locality else d.name, d))
        # a place the table does not list (an anonymised copy's xx市): its name and the names
        # the report gives for the places above it, without codes
        self.unlisted: list[str] = (
            [meta.locality, *meta.locality_chain] if meta.locality and self.division is None else []
        )
        # a township body's report (XX街道办事处, XX镇人民政府): 街道/镇/乡 and bare body names
        # mean the township, which the division table (county level and up) does not list
        self.township: str | None = None
        if meta.issuer:
            m = re.match(r"^(?:中共)?([\u4e00-\u9fff]{2,8}?(?:街道|镇|乡))(?:办事处|人民政府|政府|党工委|党委)?$", meta.issuer)
            if m and not lex.division_by_name(m.group(1)):
                self.township = m.group(1)

    @property
    def scope(self) -> str:
        return self.locality or "unknown"

    def relative(self, level_char: str) -> str | None:
        """The place a relative prefix (市, 县, 区, 省 …) names from this report's point of view."""
        if level_char in ("街道", "镇", "乡"):
            return self.township
        for name, d in self.names:
            if level_char == "省" and d.level == "province":
                return name
            if level_char in ("市", "州") and (name.endswith(level_char) or level_char == "州" and name.endswith("自治州")):
                return name
            if level_char in ("县", "区", "旗") and name.endswith(level_char):
                return name
        for name in self.unlisted:
            if name.endswith(level_char) or level_char == "州" and name.endswith("市"):
                return name
        return None

    def place(self, name: str) -> tuple[str, Division | None]:
        """Full name and division for a place name (full or short) seen in the text."""
        lex = self.lex
        codes = lex.place_index.get(name, ())
        if not codes:
            return name, None
        divs = [lex.divisions[c] for c in codes]
        if len(divs) > 1:
            mine = {d.code for _, d in self.names}
            province = self.names[-1][1].code if self.names else None
            pick = [d for d in divs if d.code in mine] or [
                d for d in divs if province and lex.chain(d.code)[-1].code == province
            ]
            if len(pick) != 1:
                return name, None
            divs = pick
        d = divs[0]
        for own, od in self.names:
            if od.code == d.code:
                return own, d
        if name != d.name and name != d.short:  # X市 for X县: keep the text's newer name
            return name, d
        return d.name, d


def agency_label(m: Mention, ctx: _Context) -> tuple[str | None, dict[str, str]]:
    """The canonical name of an agency mention and what is known of it.

    Returns (None, …) when a relative name cannot be placed (no locality known).
    """
    attrs: dict[str, str] = {}
    if m.hint("national"):
        attrs["scope"] = "national"
        return m.name, attrs
    body = m.hint("body") or m.name
    kind = m.hint("kind") or "other"
    attrs["kind"] = kind
    place_name: str | None
    div: Division | None = None
    if m.hint("place"):
        place_name, div = ctx.place(m.hint("place") or "")
    elif m.hint("relative"):
        place_name = ctx.relative(m.hint("relative") or "")
    else:
        place_name = ctx.township or ctx.locality
    if not place_name:
        return None, attrs
    if div is None and place_name != ctx.township:
        div = ctx.lex.division_by_name(place_name)
    if div is not None:
        attrs["place_code"] = div.code
    attrs["place"] = place_name
    if kind == "party_department" and not body.startswith("委"):
        body = "委" + body
    label = place_name + body
    if m.hint("parent_body"):  # 市司法局党委: the party body of 市司法局
        attrs["parent"] = place_name + (m.hint("parent_body") or "")
        return label, attrs
    if kind in ("department", "government_office") or kind == "other" and not body.startswith("委"):
        attrs["parent"] = place_name + ("办事处" if place_name.endswith("街道") else "人民政府")
    elif kind == "party_department":
        attrs["parent"] = place_name + "委"
    return label, attrs


def key_for(type_: str, label: str, scope: str | None = None) -> str:
    """A stable key: the type, the scope for local things, and the canonical label.

    Examples:
        >>> key_for("Agency", "国务院")
        'agency/国务院'
        >>> key_for("Initiative", "禁毒宣传晚会", "监利市")
        'initiative/监利市/禁毒宣传晚会'
    """
    k = norm_key(label).replace("%", "%25").replace("/", "%2F")  # a / in a name is no path step
    return f"{type_.lower()}/{scope}/{k}" if scope else f"{type_.lower()}/{k}"


def resolve(document: Document, ann: Annotations, lex: Lexicons | None = None) -> Extraction:
    """Turn one document's annotations into entities, relations and statistics."""
    lex = lex or lexicons()
    ctx = _Context(document, lex)
    drafts: dict[str, _Draft] = {}
    mention_key: dict[int, str] = {}

    def put(i: int | None, key: str, typ: str, label: str, aliases: set[str], attrs: dict[str, str], prio: int) -> str:
        d = drafts.get(key)
        if d is None:
            d = drafts[key] = _Draft(key, typ, label, priority=prio)
        elif prio > d.priority:
            d.aliases.add(d.label)
            d.label, d.priority = label, prio
        d.aliases |= aliases
        for k, v in attrs.items():
            d.attrs.setdefault(k, v)
        if i is not None:
            d.mentions.append(i)
            mention_key[i] = key
        return key

    label: str | None  # agency_label() gives None for an agency it cannot place
    issuer_label = _issuer_label(document, ctx, lex)
    self_mentions: list[int] = []
    for i, m in enumerate(ann.mentions):
        surface = norm_key(m.text) if m.text else norm_key(m.name)
        aliases = {surface, norm_key(m.name)}
        if m.core:
            aliases.add(norm_key(m.core))
        if m.hint("tail"):
            aliases.add(norm_key(m.hint("tail") or ""))
        if m.type == "Place":
            if m.hint("relative"):
                if not ctx.locality:
                    continue
                label, div = ctx.place(ctx.locality)
                attrs = {"code": div.code} if div else {}
                put(i, _place_key(label, div, ctx), "Place", label, aliases, attrs, 3)
            elif m.hint("site"):
                put(i, key_for("Place", m.name, ctx.scope), "Place", m.name, aliases, {"site": "1"}, 2)
            else:
                label, div = ctx.place(m.name)
                attrs = {"code": div.code, "level": div.level} if div else {}
                put(i, _place_key(label, div, ctx), "Place", label, aliases, attrs, 3)
        elif m.type == "Agency" and m.hint("self"):
            self_mentions.append(i)  # 我局: the issuer, whose key is known below
        elif m.type == "Agency" and (m.hint("own_part") or m.hint("unprefixed")):
            # 局党组: a part of the issuer; 成立…领导小组: a body the report's subject set up
            if not issuer_label:
                put(i, key_for("Agency", norm_key(m.name), ctx.scope), "Agency", norm_key(m.name), aliases, {}, 1)
                continue
            attrs = {"parent": issuer_label}
            if m.hint("own_part"):
                label = issuer_label + (m.hint("own_part") or "")
                put(i, key_for("Agency", label), "Agency", label, aliases, attrs, 2)
            else:
                label = norm_key(m.name)
                aliases.add(issuer_label + label)
                put(i, key_for("Agency", label, ctx.scope), "Agency", label, aliases, attrs, 2)
        elif m.type == "Agency":
            label, attrs = agency_label(m, ctx)
            if label is None:
                label = norm_key(m.name)
                put(i, key_for("Agency", label, ctx.scope), "Agency", label, aliases, attrs, 1)
                continue
            if m.hint("party"):
                aliases.add("中共" + label)
            prio = 3 if m.hint("national") or m.hint("place") else 2
            put(i, key_for("Agency", label), "Agency", label, aliases, attrs, prio)
        elif m.type == "Law":
            nat = m.hint("national")
            label = nat or norm_key(m.name)
            attrs = {}
            if m.hint("category"):
                attrs["category"] = m.hint("category") or ""
            if m.hint("date"):
                attrs["date"] = m.hint("date") or ""
            if nat:
                attrs["scope"] = "national"
                put(i, key_for("Law", label), "Law", label, aliases, attrs, 3)
            elif _named_place(label, lex):
                put(i, key_for("Law", label), "Law", label, aliases, attrs, 2)
            else:
                put(i, key_for("Law", label, ctx.scope), "Law", label, aliases, attrs, 2)
        else:  # Policy, Initiative
            known = lex.known_terms.get(_loose(m.name))
            if known and known[1] == m.type:
                label, national = known[0], True
            else:
                label, national = norm_key(m.name), m.type == "Policy"
            if known:
                aliases.add(norm_key(known[0]))
            inner = m.hint("known")
            if inner and inner != label:
                aliases.add(norm_key(inner))
            scope = None if national else ctx.scope
            put(i, key_for(m.type, label, scope), m.type, label, aliases, {}, 3 if known else 2)

    _merge_by_alias(drafts, mention_key)

    # the report's issuing body: the implicit subject of most sentences
    issuer_key = _issuer(document, ctx, drafts, lex, put)
    if issuer_key:
        for i in self_mentions:
            drafts[issuer_key].mentions.append(i)
            drafts[issuer_key].aliases.add(norm_key(ann.mentions[i].name))
            mention_key[i] = issuer_key
    relations: list[Relation] = []
    seen: set[tuple[str, str, str, int | None]] = set()

    def link(s: str, p: str, o: str, comp: str, sent: int | None, a: int | None, b: int | None) -> None:
        if s == o or (s, p, o, sent) in seen:
            return
        seen.add((s, p, o, sent))
        relations.append(Relation(s, p, o, comp, sent, a, b))

    for r in ann.relations:
        s = issuer_key if r.subject == ISSUER else mention_key.get(r.subject)
        o = mention_key.get(r.object)
        if s and o:
            link(s, r.predicate, o, r.component, r.sentence, r.start, r.end)

    # places: the report's own chain up to the province, other divisions to a parent named too
    place_chain: list[str] = []
    for i, (name, div) in enumerate(ctx.names):
        key = _place_key(name, div, ctx)
        put(None, key, "Place", name, set(), {"code": div.code, "level": div.level}, 3)
        place_chain.append(key)
    for name in ctx.unlisted:
        key = key_for("Place", name)
        put(None, key, "Place", name, set(), {}, 3)
        place_chain.append(key)
    for a, b in zip(place_chain, place_chain[1:]):
        link(a, "locatedIn", b, "govkg_divisions", None, None, None)
    if ctx.township:
        tkey = key_for("Place", ctx.township, ctx.scope)
        put(None, tkey, "Place", ctx.township, set(), {"level": "township"}, 3)
        if place_chain:
            link(tkey, "locatedIn", place_chain[0], "govkg_resolve", None, None, None)
        place_chain.insert(0, tkey)
    by_code = {d.attrs["code"]: k for k, d in drafts.items() if d.type == "Place" and "code" in d.attrs}
    for k, d in list(drafts.items()):
        if d.type == "Place" and "code" in d.attrs:
            parent = lex.divisions[d.attrs["code"]].parent
            while parent and parent not in by_code and parent in lex.divisions:
                parent = lex.divisions[parent].parent
            if parent and parent in by_code:
                link(k, "locatedIn", by_code[parent], "govkg_divisions", None, None, None)
        elif d.type == "Place" and d.attrs.get("site") and place_chain:
            if not any(r.subject == k and r.predicate == "locatedIn" for r in relations):
                link(k, "locatedIn", place_chain[0], "govkg_resolve", None, None, None)
    # agencies: their place, and the body they belong to where the report names it
    labels = {d.label: k for k, d in drafts.items() if d.type == "Agency"}
    for k, d in list(drafts.items()):
        if d.type != "Agency":
            continue
        code = d.attrs.get("place_code")
        if code and code in by_code:
            link(k, "jurisdiction", by_code[code], "govkg_resolve", None, None, None)
        elif ctx.township and d.attrs.get("place") == ctx.township:
            link(k, "jurisdiction", place_chain[0], "govkg_resolve", None, None, None)
        parent = d.attrs.get("parent")
        if parent and parent in labels and labels[parent] != k:
            link(k, "subOrganizationOf", labels[parent], "govkg_resolve", None, None, None)

    statistics = tuple(
        Statistic(
            index=n, value=x.value, unit=x.unit, measure=x.measure, text=x.text, start=x.start, end=x.end,
            sentence=x.sentence, component=x.component, raw=x.raw, approximate=x.approximate,
            about=mention_key.get(x.about) if x.about is not None else None, year=document.meta.year,
        )
        for n, x in enumerate(ann.statistics)
    )
    entities = tuple(
        Entity(
            key=d.key, type=d.type, label=d.label,
            aliases=tuple(sorted(a for a in d.aliases if a and a != d.label)),
            mentions=tuple(sorted(set(d.mentions))), attrs=tuple(sorted(d.attrs.items())),
        )
        for d in sorted(drafts.values(), key=lambda d: d.key)
    )
    counts: dict[str, int] = defaultdict(int)
    for e in entities:
        counts[e.type] += 1
    return Extraction(
        document=document,
        sentences=ann.sentences,
        mentions=ann.mentions,
        entities=entities,
        relations=tuple(relations),
        statistics=statistics,
        issuer=issuer_key,
        locality=place_chain[0] if place_chain else None,
        counts=dict(counts),
    )


def _place_key(label: str, div: Division | None, ctx: _Context) -> str:
    if div is not None:
        return f"place/{div.code}"
    return key_for("Place", label)


def _named_place(title: str, lex: Lexicons) -> bool:
    """True when a title starts with a place or a central body, so it needs no scope."""
    t = title[2:] if title.startswith("中共") else title
    for n in range(min(12, len(t)), 1, -1):
        if t[:n] in lex.place_index or t[:n] in lex.national_agencies:
            return True
    return False


def _merge_by_alias(drafts: dict[str, _Draft], mention_key: dict[int, str]) -> None:
    """Merge policies/initiatives named once in full and once by a part of the name.

    谁执法谁普法 (quoted, no head) joins 谁执法谁普法普法责任制, whose alias it is; 执法换证工作
    joins 行政执法换证工作, of which it is the tail.
    """
    names: dict[tuple[str, str], str] = {}
    for k, d in drafts.items():
        if d.type in ("Policy", "Initiative"):
            for a in d.aliases | {d.label}:
                names.setdefault((d.type, _loose(a)), k)
    moves: dict[str, str] = {}
    for k, d in drafts.items():
        if d.type not in ("Policy", "Initiative"):
            continue
        target = names.get((d.type, _loose(d.label)))
        if target and target != k and len(drafts[target].label) > len(d.label):
            moves[k] = target
            continue
        for k2, d2 in drafts.items():
            if k2 != k and d2.type == d.type and len(d.label) >= 5 and len(d2.label) > len(d.label) and d2.label.endswith(d.label):
                moves[k] = k2
                break
    for src, dst in moves.items():
        while dst in moves:
            dst = moves[dst]
        s, t = drafts.pop(src), drafts[dst]
        t.aliases |= s.aliases | {s.label}
        t.mentions.extend(s.mentions)
        for i in s.mentions:
            mention_key[i] = dst


def _issuer(document: Document, ctx: _Context, drafts: dict[str, _Draft], lex: Lexicons, put) -> str | None:  # type: ignore[no-untyped-def]
    """The key of the report's issuing body, created if the text never names it."""
    name = document.meta.issuer
    label = _issuer_label(document, ctx, lex)
    if not label:
        return None
    key = key_for("Agency", label)
    for dkey, d in drafts.items():
        if d.type == "Agency" and d.label == label:
            return dkey
    attrs = {"role": "issuer"}
    if ctx.names:
        attrs["place"] = ctx.names[0][0]
        attrs["place_code"] = ctx.names[0][1].code
    aliases = {norm_key(name)} if name else set()
    put(None, key, "Agency", label, aliases, attrs, 2)
    return key


def _issuer_label(document: Document, ctx: _Context, lex: Lexicons) -> str | None:
    """The canonical name of the report's issuing body, from its metadata."""
    name = document.meta.issuer
    label: str | None = None
    if name:
        n = name[2:] if name.startswith("中共") else name
        if n in lex.national_agencies:
            label = lex.national_agencies[n]
        elif ctx.township and n.startswith(ctx.township):
            label = n  # 临江街道办事处: 临江 is the street's name here, not 临江市
        else:
            for k in range(min(12, len(n)), 1, -1):
                if n[:k] in lex.place_index:
                    # 武汉市江汉区人民政府: the most specific of the places that open the name
                    rest = n[k:]
                    inner = next((j for j in range(min(12, len(rest)), 1, -1) if rest[:j] in lex.place_index), 0)
                    if inner:
                        k, rest = k + inner, rest[inner:]
                    full, _ = ctx.place(n[k - (inner or k) : k])
                    label = full + rest
                    break
            else:
                m = re.match(r"^(省|市|县|区)(.+)$", n)
                if m and ctx.relative(m.group(1)):
                    label = f"{ctx.relative(m.group(1))}{m.group(2)}"
                else:
                    label = n
        label = re.sub(r"(?<!人民)政府$", "人民政府", label)
        if re.search("街道$", label):
            label += "办事处"
        elif re.search("[镇乡]$", label):
            label += "人民政府"
    elif ctx.locality and not _SELF_DEPARTMENT.search(document.folded):
        # a report of a place names its government; a department that calls itself 我局 and
        # is named nowhere is not the government, and stays unnamed
        label = ctx.names[0][0] + "人民政府" if ctx.names else ctx.locality + "人民政府"
    return label
