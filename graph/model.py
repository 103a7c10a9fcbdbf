"""Plain frozen dataclasses that the pipeline stages hand to each other.

read -> :class:`Document`; nlp -> :class:`Annotations` (mentions, mention-level relations and
statistics, all with character offsets into ``Document.text``); resolve -> :class:`Extraction`
(entities with stable keys, relations between them). Nothing here imports spaCy or rdflib, so
every stage after the NLP one is plain Python and testable on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "ENTITY_TYPES",
    "ROLES",
    "PREDICATES",
    "ISSUER",
    "ReportMeta",
    "Document",
    "Sentence",
    "Mention",
    "MentionRelation",
    "StatisticMention",
    "Annotations",
    "Entity",
    "Relation",
    "Statistic",
    "Extraction",
]

#: The entity types of the annotation guidelines (Statistic is kept apart: it is a measurement).
ENTITY_TYPES: tuple[str, ...] = ("Agency", "Law", "Policy", "Initiative", "Place")

#: The role of a sentence in a report, from the section it stands in.
ROLES: tuple[str, ...] = ("achievement", "problem", "plan")

#: Relation names, as local names of govkg ontology properties.
PREDICATES: tuple[str, ...] = (
    "issues",  # Agency -> Law
    "implements",  # Agency -> Policy | Law ; Law -> Law (a local plan implements an outline)
    "organizes",  # Agency -> Initiative | Policy
    "promotes",  # Agency -> Law | Policy | Initiative (publicity, 普法)
    "concerns",  # Law -> Policy
    "basedOn",  # Initiative | Policy -> Law
    "locatedIn",  # Place -> Place
    "extendsTo",  # Policy | Initiative -> Place
    "subOrganizationOf",  # Agency -> Agency
    "jurisdiction",  # Agency | Law | Initiative | Policy -> Place
    "ledBy",  # Agency -> Agency (在X的领导下)
    "guidedBy",  # Agency -> Agency (在X的指导下)
    "reportsTo",  # Agency -> Agency (向X报告, 报请X)
    "worksWith",  # Agency -> Agency (与X沟通, 配合X)
    "hosts",  # Agency -> Agency (履行X办公室职能)
    "establishes",  # Agency -> Agency | Policy (成立, 组建, 建立)
    "participatesIn",  # Agency -> Initiative (参加)
    "receives",  # Agency | Place | Policy | Initiative -> Initiative (an honour: 入选, 荣获)
)

#: Mention index that stands for the report's own issuing body, the implicit subject of most
#: sentences in these reports.
ISSUER = -1


@dataclass(frozen=True)
class ReportMeta:
    """What a report says about itself: title, issuing body, locality and dates.

    Dates are ISO strings (``2021-12-31``); ``locality`` is a canonical place name from the
    administrative-division table, ``locality_chain`` its ancestors, nearest first.
    """

    title: str | None = None
    issuer: str | None = None
    locality: str | None = None
    locality_code: str | None = None
    locality_chain: tuple[str, ...] = ()
    year: int | None = None
    report_date: str | None = None
    published: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Document:
    """A report as read from disk.

    ``text`` is the decoded original; ``folded`` has the same length, with full-width forms
    folded to half-width (and the look-alike radicals some PDFs carry folded to the ordinary
    characters) so that matching sees one form while offsets stay those of ``text``.
    ``content`` lists the (start, end) character ranges that are report content, that is, not
    web-page debris such as 发布时间, 浏览次数 or 打印|关闭 lines.
    """

    path: str
    name: str
    text: str
    folded: str
    encoding: str
    content_hash: str
    content: tuple[tuple[int, int], ...]
    meta: ReportMeta
    format: str = "txt"


@dataclass(frozen=True)
class Sentence:
    """A sentence (or heading) of report content, with its section role."""

    index: int
    start: int
    end: int
    text: str
    role: str
    heading: bool = False


@dataclass(frozen=True)
class Mention:
    """One occurrence of a named entity in the text.

    ``name`` is the name as the text gives it, cleaned (no quotes or book-title marks, head word
    kept: “证照分离”改革 -> 证照分离改革); ``core`` is a shorter form worth keeping as an alias
    (the quoted part, or the lexicon term inside a longer name). ``hints`` carries what the
    component knew that resolution needs, e.g. ``("relative", "市")`` for 市委.
    """

    start: int
    end: int
    text: str
    type: str
    name: str
    sentence: int
    component: str
    core: str | None = None
    hints: tuple[tuple[str, str], ...] = ()

    def hint(self, key: str) -> str | None:
        """The value of hint ``key``, or None."""
        for k, v in self.hints:
            if k == key:
                return v
        return None


@dataclass(frozen=True)
class MentionRelation:
    """A relation stated in one sentence, between two mentions (indices into ``mentions``).

    ``subject`` may be :data:`ISSUER`, the report's issuing body.
    """

    subject: int
    predicate: str
    object: int
    sentence: int
    component: str
    start: int
    end: int


@dataclass(frozen=True)
class StatisticMention:
    """A number the report gives about its work, as found in the text.

    ``value`` is normalised (1269万元 -> 12690000, unit 元); ``measure`` says what is counted;
    ``about`` is the index of the mention it is about, if the text says.
    """

    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    measure: str
    sentence: int
    component: str
    raw: str
    approximate: bool = False
    about: int | None = None


@dataclass(frozen=True)
class Annotations:
    """What the NLP stage found in one document."""

    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[MentionRelation, ...]
    statistics: tuple[StatisticMention, ...]


@dataclass(frozen=True)
class Entity:
    """A distinct thing the report names, with every surface form seen.

    ``key`` is stable across runs and across reports where the thing is the same (national
    bodies and laws, places); local things carry their locality in the key.
    """

    key: str
    type: str
    label: str
    aliases: tuple[str, ...]
    mentions: tuple[int, ...]
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, key: str) -> str | None:
        """The value of attribute ``key``, or None."""
        for k, v in self.attrs:
            if k == key:
                return v
        return None


@dataclass(frozen=True)
class Relation:
    """A relation between two entities (by key), with the evidence it came from.

    ``sentence`` is None for relations that come from reference data (a place's parent from
    the administrative-division table) rather than from a sentence.
    """

    subject: str
    predicate: str
    object: str
    component: str
    sentence: int | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Statistic:
    """A resolved statistic: the mention plus the entity key it is about."""

    index: int
    value: Decimal
    unit: str
    measure: str
    text: str
    start: int
    end: int
    sentence: int
    component: str
    raw: str
    approximate: bool = False
    about: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything govkg knows about one report, ready to become RDF."""

    document: Document
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    statistics: tuple[Statistic, ...]
    issuer: str | None = None
    locality: str | None = None
    counts: dict[str, int] = field(default_factory=dict, compare=False)
