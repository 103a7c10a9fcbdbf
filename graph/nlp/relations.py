"""``govkg_relations``: relations stated in a sentence, between mentions or with the issuer."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from spacy.language import Language

from ..lexicon import Lexicons
from ..model import ISSUER, Mention, MentionRelation, StatisticMention
from .state import (
    CLAUSE_END,
    IMPLEMENT_VERBS,
    PROMOTE_CONTEXT,
    TITLE_AS_MODIFIER,
    State,
    clause_end,
    clause_start,
    component,
    loose,
    spans_to_doc,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

_ISSUE_LINK = re.compile(r"^(?:联合|共同)?(?:印发(?:了)?(?:的)?|发布(?:的)?|颁布(?:的)?|出台(?:的)?|制定(?:的)?|关于印发)?$")
_MAKE_VERBS = re.compile(r"(?:制定|出台|印发|修订|起草|研究出台|制定实施|制定出台|编制|发布|颁布)(?:了|并|实施)?$")
_BASIS = re.compile(r"(?:根据|依据|依照|按照|遵照)")
_EXTEND = re.compile(r"(?:向|到|至)(?P<places>[^,，。;；]{2,40}?)(?:延伸|拓展|推广|覆盖|辐射|扩展|延展|复制)")
_EXTEND2 = re.compile(r"(?:延伸|拓展|推广|覆盖|辐射|扩展)(?:到|至)(?P<places>[^,，。;；]{2,40})")
_LOCAL_PLAN = re.compile(r"(?:实施方案|实施意见|实施细则|工作方案|行动方案|行动计划|工作要点|方案|意见|细则|办法|计划|措施|规划)(?:\(.*\))?$")
_HIGHER_PLAN = re.compile(r"(?:纲要|规划|条例|法|意见|决定|方案)(?:\(.*\))?$")
_SUBJECT_SKIP = re.compile(
    r"^(?:\s|[一二三四五六七八九十]+是|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]?|今年来|今年以来|\d{4}年(?:以来|来|度)?|截至目前|截至\d+月(?:底)?|同时|此外|另外|目前|年内|全年)+"
)


def relations(st: State, lex: Lexicons) -> None:
    ms = st.mentions
    ms.sort(key=lambda m: (m.start, -m.end))
    _dedupe(st)
    ms = st.mentions
    by_sent: dict[int, list[int]] = {}
    for i, m in enumerate(ms):
        by_sent.setdefault(m.sentence, []).append(i)
    rels: list[MentionRelation] = []
    seen: set[tuple[int, str, int]] = set()

    issued: set[int] = set()  # documents whose issuer is already known

    def rel(a: int, p: str, b: int, comp_s: int, comp_e: int, why: str = "govkg_relations") -> None:
        if a == b or (a, p, b) in seen:
            return
        seen.add((a, p, b))
        if p == "issues":
            issued.add(b)
        rels.append(MentionRelation(a, p, b, ms[b].sentence if b >= 0 else ms[a].sentence, why, comp_s, comp_e))

    titles = [i for i, m in enumerate(ms) if m.type == "Law" and not m.hint("unmarked")]
    starts = [m.start for m in ms]  # ms is sorted by start: mentions inside a span by bisection

    def within(a: int, b: int) -> range:
        return range(bisect.bisect_left(starts, a), bisect.bisect_left(starts, b))

    # issues: the body at the head of a title, or right before it
    for i in titles:
        m = ms[i]
        bare = bool(m.hint("bare_doc"))  # a document named without 《》: no mark to step over
        inner_start = m.start if bare else m.start + 1
        title_agency = False
        pos = inner_start
        while True:  # 《河南省教育厅 河南省司法厅关于…》, 市委、市政府实施意见: every body at the head
            head = [j for j in within(pos, pos + 1) if ms[j].type == "Agency" and ms[j].end < m.end]
            if not head:
                break
            j = max(head, key=lambda k: ms[k].end)
            rel(j, "issues", i, m.start, m.end)
            title_agency = True
            pos = ms[j].end
            while pos < m.end and st.text[pos] in " 、和及与":
                pos += 1
        if not title_agency:
            # 武汉市江汉区…实施方案: the most specific of the places that open the title
            pos, place = inner_start, None
            while True:
                nxt = next((j for j in within(pos, pos + 1) if ms[j].type == "Place" and ms[j].end < m.end), None)
                if nxt is None:
                    break
                place, pos = nxt, ms[nxt].end
                if pos < m.end and st.text[pos] == "的":
                    pos += 1
            if place is not None:
                rel(i, "jurisdiction", place, m.start, m.end)
        if not bare:
            for j in _agencies_before(st, ms, m.start):
                rel(j, "issues", i, ms[j].start, m.end)
        for j in within(m.start + 1, m.end):
            x = ms[j]
            if x.end > m.end:
                continue
            # policies and campaigns named inside a title are what the document concerns
            if x.type in ("Policy", "Initiative") and (x.type == "Policy" or x.hint("in_title")):
                rel(i, "concerns", j, m.start, m.end)
            # 〈inner〉 inside 《outer》: the outer document implements the inner one
            elif x.type == "Law" and x.hint("inner") and x.end < m.end and not m.hint("inner"):
                rel(i, "implements", j, m.start, m.end)
    # a document whose name holds another's (…工作要点明确的主要事项及分工方案) implements it
    laws = [i for i in titles if not ms[i].hint("inner")]
    names = {loose(ms[i].name): i for i in laws}
    for i in laws:
        own = loose(ms[i].name)
        for other, j in names.items():
            if j != i and len(other) >= 6 and other in own and own != other and ms[j].sentence == ms[i].sentence:
                rel(i, "implements", j, ms[i].start, ms[i].end)
    for si, sent in enumerate(st.sentences):
        idx = by_sent.get(si, [])
        if not idx:
            continue
        role = sent.role
        clauses = _clauses(st, sent.start, sent.end)
        subject: list[int] = [ISSUER]
        laws_in_sentence = [i for i in idx if ms[i].type == "Law" and not ms[i].hint("inner")]
        for cs, ce in clauses:
            cidx = [i for i in idx if cs <= ms[i].start < ce]
            subj = _clause_subject(st, ms, cidx, cs)
            if subj:
                subject = subj
            clause_text = st.text[cs:ce]
            partners = [j for j in cidx if ms[j].type == "Agency" and _PARTNER.search(st.text, max(cs, ms[j].start - 4), ms[j].start)]
            nested = _nested(ms, cidx)
            objects = [i for i in cidx if i not in nested and i not in subj]
            for i in objects:
                m = ms[i]
                # what governs a name stands just before it: a run-on clause is read back no further
                before = st.text[max(cs, m.start - _LOOK_BACK) : m.start]
                if m.type == "Policy" and role != "problem":
                    for a in subject:
                        if a == ISSUER or ms[a].type == "Agency":
                            rel(a, "implements", i, cs, ce)
                elif m.type == "Law" and role != "problem":
                    if m.hint("in_title") or m.hint("inner"):
                        continue
                    if TITLE_AS_MODIFIER.match(st.text[m.end : m.end + 4]):
                        # 《民法典》宣传活动, 《民法典》学习读本: the law is the topic, not the object
                        if PROMOTE_CONTEXT.search(clause_text[m.end - cs :]):
                            for a in subject:
                                if a != ISSUER:
                                    rel(a, "promotes", i, cs, ce)
                        continue
                    made = _MAKE_VERBS.search(re.sub(r"[、和及与]$", "", before.rstrip()))
                    has_issuer = i in issued
                    if PROMOTE_CONTEXT.search(clause_text[m.end - cs :]) and any(a != ISSUER for a in subject):
                        for a in subject:
                            if a != ISSUER:
                                rel(a, "promotes", i, cs, ce)
                    elif made and not has_issuer and not m.hint("national"):
                        helped = [j for j in cidx if ms[j].type == "Agency" and ms[j].end <= m.start
                                  and re.search(r"(?:配合|协助|协调|推动|提请|报请)$", st.text[cs : ms[j].start])]
                        for a in helped or subject:
                            rel(a, "issues", i, cs, ce)
                    elif IMPLEMENT_VERBS.search(before) or _BASIS.search(before) or re.search("贯彻|执行|遵守|学习", before):
                        for a in subject:
                            rel(a, "implements", i, cs, ce)
                elif m.type == "Initiative" and role != "problem":
                    if m.hint("honour"):
                        continue  # an honour is received, not organised (below)
                    if st.text.startswith("精神", m.end) or st.text.startswith("的精神", m.end):
                        continue  # 贯彻中央全面依法治国工作会议精神: the meeting is not the subject's
                    joins = bool(_JOIN.search(before))
                    for a in subject + [p for p in partners if ms[p].end <= m.start]:
                        pred = "promotes" if a != ISSUER and PROMOTE_CONTEXT.search(m.name) else "organizes"
                        rel(a, "participatesIn" if joins else pred, i, cs, ce)
            # an agency named right before a campaign of its own (市委中心组“龙头工程”)
            terms_at: dict[int, int] = {}
            for j in cidx:
                if ms[j].type in ("Initiative", "Policy"):
                    terms_at.setdefault(ms[j].start, j)
            for i in cidx:
                if ms[i].type != "Agency":
                    continue
                nxt = terms_at.get(ms[i].end)
                if nxt is not None:
                    rel(i, "organizes" if ms[nxt].type == "Initiative" else "implements", nxt, cs, ce)
            # extends to: X向深圳、佛山、东莞延伸
            for rx in (_EXTEND, _EXTEND2):
                for em in rx.finditer(clause_text):
                    ps, pe = cs + em.start("places"), cs + em.end("places")
                    targets = [i for i in cidx if ms[i].type == "Place" and ps <= ms[i].start < pe and not ms[i].hint("relative")]
                    sources = [i for i in cidx if ms[i].type in ("Policy", "Initiative") and ms[i].end <= cs + em.start()]
                    if targets and sources:
                        for t in targets:
                            rel(sources[-1], "extendsTo", t, cs, ce)
        # based on: initiatives of a sentence that says 根据/按照《X》
        basis_laws = [i for i in laws_in_sentence if _BASIS.search(st.text[max(sent.start, ms[i].start - 6) : ms[i].start])]
        for i in idx:
            if ms[i].type == "Initiative" and basis_laws:
                for b in basis_laws:
                    if ms[b].end <= ms[i].start:
                        rel(i, "basedOn", b, sent.start, sent.end)
        # a local plan made to implement a higher one named in the same sentence
        for a in laws_in_sentence:
            for b in laws_in_sentence:
                if a == b or ms[b].end > ms[a].start:
                    continue
                na, nb = ms[a].name, ms[b].name
                if _LOCAL_PLAN.search(na) and _HIGHER_PLAN.search(nb) and _common_run(na, nb) >= 4 and (ms[b].hint("national") or not ms[a].hint("national")):
                    between = st.text[ms[b].end : ms[a].start]
                    if _MAKE_VERBS.search(between) or re.search(r"制定|出台|印发", between):
                        rel(a, "implements", b, sent.start, sent.end)
    for si, sent in enumerate(st.sentences):
        if by_sent.get(si):
            _stated_links(st, ms, by_sent[si], sent.start, sent.end, rel)
    # named sites lie in the place named right before them, else in the report's own place
    for i, m in enumerate(ms):
        if m.type == "Place" and m.hint("site"):
            prev = [j for j in by_sent.get(m.sentence, []) if ms[j].type == "Place" and ms[j].end == m.start]
            if prev:
                rel(i, "locatedIn", prev[0], m.start, m.end)
    # statistics: what each is about
    new_stats = []
    by_start = sorted(range(len(ms)), key=lambda i: ms[i].start)
    starts = [ms[i].start for i in by_start]
    for stat in st.statistics:
        about = _stat_about(st, ms, stat, by_start, starts)
        new_stats.append(StatisticMention(**{**stat.__dict__, "about": about}))
    st.statistics[:] = new_stats
    st.relations.extend(rels)


def _dedupe(st: State) -> None:
    """Drop mentions that repeat a span of the same type, and Places/Agencies inside longer
    Agencies of the same start that were matched twice."""
    seen: set[tuple[int, int, str]] = set()
    out: list[Mention] = []
    for m in st.mentions:
        key = (m.start, m.end, m.type)
        if key in seen:
            continue
        seen.add(key)
        out.append(m)
    # a term that overlaps an agency or a title without being inside it is a bad cut
    keep: list[Mention] = []
    names = sorted((o.start, o.end) for o in out if o.type in ("Agency", "Law"))
    name_starts = [a for a, _ in names]
    longest = max((b - a for a, b in names), default=0)
    for m in out:
        if m.type in ("Policy", "Initiative", "Place") and not m.hint("in_title"):
            # only names starting within the longest name's length before m can overlap it
            lo = bisect.bisect_left(name_starts, m.start - longest)
            hi = bisect.bisect_left(name_starts, m.end)
            if any(a < m.start < b < m.end or m.start < a < m.end < b for a, b in names[lo:hi]):
                continue
        keep.append(m)
    st.mentions[:] = keep


def _clauses(st: State, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    cs = start
    depth = 0
    for i in range(start, end):
        ch = st.text[i]
        if ch in "“《":
            depth += 1
        elif ch in "”》":
            depth = max(0, depth - 1)
        elif ch in CLAUSE_END and depth == 0:
            out.append((cs, i + 1))
            cs = i + 1
    if cs < end:
        out.append((cs, end))
    return out


_SUBJECT_LINK = re.compile(r"[、和及与]|等(?:部门|单位|机关)?(?:、)?")


#: 在X的(正确)领导下 / 指导下: who leads or guides the clause's subject.
_UNDER = re.compile(
    r"在(?P<x>[^,，。;；]{2,60}?)(?:的)?(?:正确|坚强|有力|大力|精心|亲切|具体)?(?P<kind>领导|指导|支持|监督|关心|帮助|关怀)"
    r"(?:[和与][^,，。;；]{0,12}?)?下"
)
#: 向X报告 / 报请X / 提请召开X会议: to whom the subject answers.
_REPORT_TO = re.compile(r"向(?P<x>[^。;；]{2,60}?)(?:报告|汇报|报送|述职|备案|请示)|(?:报请|提请|呈报)(?:召开)?(?P<y>[^,，。;；]{2,60})")
#: 与X沟通, 配合X, 会同X: with whom the subject works.
_WORK_WITH = re.compile(
    r"(?:与|同)(?P<x>[^,，。;；]{2,30}?)(?:沟通|协调|对接|合作|联动|会商|衔接|协作)|(?:配合|协助|会同|联合|携手)(?P<y>[^,，。;；]{2,30})"
)
#: 履行X办公室职能, 承担X的日常工作: a body housed in the subject.
_HOSTS = re.compile(r"(?:履行|承担|行使)(?P<x>[^,，。;；]{2,40}?)(?:的)?(?:职能|职责|日常工作)")
#: 成立, 组建, 设立: the subject set up the body that follows.
_SET_UP = re.compile(r"(?:成立|组建|设立|建立)(?:了)?(?P<x>[^,，。;；]{2,50})")
#: 召开X会议, X会议(专题)研究/部署: a body that met and decided.
_MET = re.compile(r"(?:召开|主持召开|主持|组织召开)(?P<x>[^。;；]{2,60}?)(?:会议|常委会|常务会|全会)")
_DECIDE = re.compile(r"印发|审议通过|通过|出台|制定|部署|研究|审议|听取|作出部署")
_JOIN = re.compile(r"(?:参加|参与|出席|列席)(?:了)?[^,，。;；]{0,8}$")
_CAUSE = re.compile(r"(?:推动|督促|指导|带动|要求|组织|动员)$")


def _stated_links(st: State, ms: list[Mention], idx: list[int], ss: int, se: int,
                  rel: Callable[..., None]) -> None:
    """Links the genre states with fixed phrasings, in one sentence.

    在X的领导下 (X leads the subject), 向X报告 / 报请X (the subject answers to X), 与X沟通 /
    配合X (works with X), 履行X职能 (hosts X), 成立X (establishes X), 召开X会议…印发《Y》 (X
    issues Y), 参加X (participates in X), honours won (receives), a body urged to act (推动X
    推动整改: X carries it out), and documents made 对标/根据 others (implements them).
    """
    text = st.text
    sent = text[ss:se]

    starts = [ms[i].start for i in idx]  # idx is in text order

    def between(a: int, b: int) -> list[int]:
        return idx[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]

    def agencies_in(a: int, b: int) -> list[int]:
        return [i for i in between(a, b) if ms[i].type == "Agency" and ms[i].end <= b]

    def subject_at(pos: int) -> list[int]:
        cs = clause_start(st, pos)
        return _clause_subject(st, ms, between(cs, pos), cs) or [ISSUER]

    for m in _UNDER.finditer(sent):
        a, b = ss + m.start("x"), ss + m.end("x")
        leaders = agencies_in(a, b)
        after = [i for i in idx if ms[i].start >= ss + m.end()]
        nxt = _clause_subject(st, ms, after, ss + m.end() + (1 if text[ss + m.end() : ss + m.end() + 1] in ",，" else 0))
        led = nxt or _subject_before(st, ms, idx, ss + m.start()) or [ISSUER]
        for x in leaders:
            for y in led:
                rel(y, "ledBy" if m.group("kind") == "领导" else "guidedBy", x, ss + m.start(), ss + m.end())
    for rx, pred in ((_REPORT_TO, "reportsTo"), (_WORK_WITH, "worksWith"), (_HOSTS, "hosts")):
        for m in rx.finditer(sent):
            g = "x" if m.group("x") else "y"
            if rx is _HOSTS:
                g = "x"
            a, b = ss + m.start(g), ss + m.end(g)
            targets = agencies_in(a, b)
            subj = subject_at(ss + m.start())
            for x in targets:
                for y in subj:
                    if y != x and (y == ISSUER or ms[y].type == "Agency"):
                        rel(y, pred, x, ss + m.start(), ss + m.end())
    for m in _SET_UP.finditer(sent):
        a, b = ss + m.start("x"), ss + m.end("x")
        subj = subject_at(ss + m.start())
        for x in [i for i in idx if a <= ms[i].start < b and ms[i].type in ("Agency", "Policy")]:
            for y in subj:
                if y != x:
                    rel(y, "establishes", x, ss + m.start(), ss + m.end())
    for m in _MET.finditer(sent):
        a, b = ss + m.start("x"), ss + m.end("x") + 4
        bodies = agencies_in(a, b)
        if not bodies:
            continue
        rest = ss + m.end()
        for i in idx:
            mx = ms[i]
            if mx.start < rest or mx.type not in ("Law", "Initiative") or mx.hint("inner"):
                continue
            lead = text[clause_start(st, mx.start) : mx.start]
            if not _DECIDE.search(lead) and not _DECIDE.search(text[rest : mx.start][-12:]):
                continue
            for y in bodies:
                rel(y, "issues" if mx.type == "Law" else "organizes", i, ss + m.start(), mx.end)
    for i in idx:
        mx = ms[i]
        if mx.type != "Initiative":
            continue
        cs = clause_start(st, mx.start)
        if mx.hint("honour"):
            for y in _honour_subject(st, ms, idx, cs, mx.start):
                rel(y, "receives", i, cs, mx.end)
    # 推动X推动整改: the body urged is who carries out what follows in the clause
    for i in idx:
        mx = ms[i]
        if mx.type != "Agency" or not _CAUSE.search(text[max(ss, mx.start - 4) : mx.start]):
            continue
        ce = clause_end(st, mx.end)
        for j in idx:
            if mx.end <= ms[j].start < ce and ms[j].type in ("Initiative", "Policy"):
                rel(i, "organizes" if ms[j].type == "Initiative" else "implements", j, mx.start, ms[j].end)
    # 对标《A》和B，牵头起草C: the document made in a later clause implements those cited before
    cited: list[int] = []
    for cs, ce in _clauses(st, ss, se):
        laws = [i for i in idx if cs <= ms[i].start < ce and ms[i].type == "Law" and not ms[i].hint("inner")]
        made = [i for i in laws if _MAKE_VERBS.search(re.sub(r"\d{4}年度?$", "", text[cs : ms[i].start].rstrip()))]
        for i in made:
            for j in cited:
                rel(i, "implements", j, cs, ce)
        if _CITE.search(text[cs:ce]):
            cited.extend(i for i in laws if i not in made)


_CITE = re.compile(r"对标|对照|根据|依据|按照|依照|遵照|贯彻|落实")


def _subject_before(st: State, ms: list[Mention], idx: list[int], pos: int) -> list[int]:
    """The subject standing before 在…下 in the same clause: 我局在市委的领导下…"""
    cs = clause_start(st, pos)
    return _clause_subject(st, ms, [i for i in idx if cs <= ms[i].start < pos], cs)


def _honour_subject(st: State, ms: list[Mention], idx: list[int], cs: int, pos: int) -> list[int]:
    """Who won an honour: the places, bodies, policies or campaigns at the head of its clause
    (绍兴市成功入选…, “多证合一”“证照分离”改革项目成功入围…), else the report's subject."""
    head = _SUBJECT_SKIP.match(st.text, cs)
    p = head.end() if head else cs
    out: list[int] = []
    for i in sorted((i for i in idx if cs <= ms[i].start < pos), key=lambda k: ms[k].start):
        m = ms[i]
        if m.start > p + 1:
            break
        if m.type == "Place" and m.hint("relative"):
            return [ISSUER]
        out.append(i)
        p = m.end
    return out or [ISSUER]


def _clause_subject(st: State, ms: list[Mention], cidx: list[int], cs: int) -> list[int]:
    """Agencies named at the head of a clause (A、B和C等部门…), or [] when none."""
    head = _SUBJECT_SKIP.match(st.text, cs)
    pos = head.end() if head else cs
    subj: list[int] = []
    for i in cidx:  # callers pass mentions in text order
        m = ms[i]
        if m.start < pos:
            continue
        if m.start > pos:
            break
        if m.type not in ("Agency", "Place"):
            continue
        if m.type == "Agency":
            subj.append(i)
            pos = m.end
            nxt = _SUBJECT_LINK.match(st.text, pos)
            if nxt and nxt.group() in ("、", "和", "及", "与"):
                pos = nxt.end()
                continue
            break
        if m.type == "Place" and m.hint("relative"):
            return [ISSUER]
        break
    return subj


def _agencies_before(st: State, ms: list[Mention], title_start: int) -> list[int]:
    """Agencies standing right before a 《title》: 国务院《…》, 中共中央、国务院印发的《…》."""
    out: list[int] = []
    pos = title_start
    link = st.text[max(0, pos - 8) : pos]
    lm = re.search(r"(?:联合|共同)?(?:印发(?:了)?的?|发布的?|颁布的?|出台的?|制定的?|关于印发)?$", link)
    pos -= len(lm.group()) if lm else 0
    ends = st.cache.get("agency_ends")
    if ends is None or ends[0] is not ms:
        by_end: dict[int, list[int]] = {}
        for i, m in enumerate(ms):
            if m.type == "Agency":
                by_end.setdefault(m.end, []).append(i)
        ends = st.cache["agency_ends"] = (ms, by_end)
    while True:
        cand = ends[1].get(pos, [])
        if not cand:
            break
        i = max(cand, key=lambda k: ms[k].end - ms[k].start)
        out.append(i)
        pos = ms[i].start
        if pos > 0 and st.text[pos - 1] in "、和及与":
            pos -= 1
            continue
        break
    return out


def _common_run(a: str, b: str) -> int:
    """Length of the longest common substring of two short strings.

    Examples:
        >>> _common_run("监利市法治政府建设实施方案", "法治政府建设实施纲要")
        8
    """
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


_ABOUT_WINDOW = 300
_LOOK_BACK = 120
_PARTNER = re.compile(r"(?:联合|会同|协同|携手|与)$")


def _nested(ms: list[Mention], idx: list[int]) -> set[int]:
    """The mentions among ``idx`` that lie inside a longer one among them, by one sweep in order
    of start (not by comparing every pair, which a clause of thousands of characters makes slow)."""
    order = sorted(idx, key=lambda i: (ms[i].start, -ms[i].end))
    out: set[int] = set()
    best_end = -1  # the furthest end of the mentions starting before the current start
    k = 0
    while k < len(order):
        start = ms[order[k]].start
        group_end = -1  # the furthest end among the mentions of this start seen so far
        g = k
        while g < len(order) and ms[order[g]].start == start:
            i = order[g]
            if best_end >= ms[i].end or group_end > ms[i].end:
                out.add(i)
            group_end = max(group_end, ms[i].end)
            g += 1
        best_end = max(best_end, group_end)
        k = g
    return out


def _stat_about(st: State, ms: list[Mention], x: StatisticMention,
                by_start: list[int], starts: list[int]) -> int | None:
    """The mention a statistic is about: a policy or initiative in its clause, else the agency
    that is the subject of its clause. ``by_start`` orders the indices of ``ms`` by start and
    ``starts`` holds those starts, so only mentions in range are looked at."""
    cs, ce = clause_start(st, x.start), clause_end(st, x.end)

    def starting_in(lo: int, hi: int) -> list[int]:
        """Indices of the mentions that start in [lo, hi), in the order of ``ms``."""
        return sorted(by_start[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)])

    # what a number is about stands near it: a clause of a text without punctuation may run on
    # for thousands of characters, so only a window around the number is looked at
    lo, hi = max(cs, x.start - _ABOUT_WINDOW), min(ce + 1, x.end + _ABOUT_WINDOW)
    inside = [i for i in starting_in(lo, hi) if ms[i].type in ("Policy", "Initiative") and ms[i].end <= ce]
    if inside:
        return min(inside, key=lambda i: abs(ms[i].start - x.start))
    subj = [i for i in starting_in(cs, x.start) if ms[i].type == "Agency" and not ms[i].hint("national")]
    clause_subj = [i for i in subj if clause_start(st, ms[i].start) == cs]
    if clause_subj:
        return clause_subj[0]
    return None


@Language.factory("govkg_relations", assigns=['doc.user_data'], default_config={})
def make_relations(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """spaCy factory of ``govkg_relations``; it also exposes the mentions as ``doc.spans["govkg"]``."""
    run = component(relations)

    def relations_and_spans(doc: Doc) -> Doc:
        doc = run(doc)
        spans_to_doc(doc)
        return doc

    return relations_and_spans
