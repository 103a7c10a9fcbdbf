"""The NLP stage: a spaCy pipeline (``spacy.blank("zh")`` with jieba) of govkg's own components.

Components, in pipeline order, each registered with ``@Language.factory``:

``govkg_sections``   sentences and their role (achievement / problem / plan) from the headings
``govkg_places``     administrative divisions (GB/T 2260), 我市-style references, named sites
``govkg_agencies``   central bodies and local bodies: a place prefix (explicit or relative, 市委)
                     joined to a body name from the lexicon (司法局, 纪监委, 融媒体中心 …)
``govkg_laws``       《》 titles (and 〈〉 inside them) and national laws named without marks
``govkg_terms``      policies and initiatives: quoted names with their head word, unquoted names
                     ending in a head word (制度, 机制, 改革, 专项行动 …), well-known terms
``govkg_statistics`` numbers with units, normalised, with what they count
``govkg_relations``  relations stated in a sentence, between mentions or with the issuer

jieba's words are too coarse and too fine at once for names (it cuts 市场监督管理局 into four
words and merges across name boundaries), so the components match on characters of the folded
text and use jieba's word boundaries only to keep matches from starting or ending inside a word.
Results are kept as character offsets; :func:`annotate` turns a processed Doc into plain
:class:`~graph.model.Annotations`, so no spaCy object leaves this package.

One module per component, as in ``spacy/pipeline/``; :mod:`.state` holds what they share. The
words and patterns they look for live in ``graph/data/`` (head words, body names, trigger verbs,
units), loaded by :mod:`graph.lexicon`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Annotations, Document, Mention, Sentence, StatisticMention
from .state import State, state_of

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["COMPONENTS", "annotate", "annotate_many", "get_nlp"]

#: Component names in pipeline order.
COMPONENTS: tuple[str, ...] = (
    "govkg_sections",
    "govkg_places",
    "govkg_agencies",
    "govkg_laws",
    "govkg_terms",
    "govkg_statistics",
    "govkg_relations",
)

def _jieba_cache_dir() -> Path:
    base = os.environ.get("GOVKG_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) / "govkg" if base else Path(tempfile.gettempdir()) / "govkg-cache"
    if os.environ.get("GOVKG_CACHE_DIR"):
        root = Path(os.environ["GOVKG_CACHE_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def _init_jieba() -> None:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    # jieba caches its prefix dictionary in a temp dir of its own choosing; keep it in ours.
    jieba.dt.tmp_dir = str(_jieba_cache_dir())
    jieba.initialize()


@cache
def get_nlp() -> Language:
    """The govkg pipeline: ``spacy.blank("zh")`` with the jieba segmenter and our components."""
    import spacy

    # importing the component modules registers their factories with spaCy
    from . import agencies, laws, places, relations, sections, statistics, terms  # noqa: F401

    _init_jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


def make_doc(nlp: Language, text: str) -> Doc:
    """The Doc of ``text`` cut by jieba, its words aligned to the text in one pass.

    spaCy's own alignment (``util.get_words_and_spaces``) slices the rest of the text for every
    word, which is quadratic in a long report (a 300,000-character one spent most of its time
    there); this gives the same words and spaces in linear time.
    """
    from spacy.tokens import Doc

    seg = getattr(nlp.tokenizer, "jieba_seg", None)
    if seg is None:
        return nlp.make_doc(text)
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    n = len(text)
    for word in seg.cut(text, cut_all=False):
        if not word or word.isspace():
            continue
        start = text.index(word, pos)
        if start > pos:
            words.append(text[pos:start])
            spaces.append(False)
        words.append(word)
        spaces.append(False)
        pos = start + len(word)
        if pos < n and text[pos] == " ":
            spaces[-1] = True
            pos += 1
    if pos < n:
        words.append(text[pos:])
        spaces.append(False)
    return Doc(nlp.vocab, words=words, spaces=spaces)


def annotate(document: Document, nlp: Language | None = None) -> Annotations:
    """Run the pipeline on one document and return plain annotations."""
    nlp = nlp or get_nlp()
    doc = make_doc(nlp, document.folded)
    doc.user_data["govkg"] = State(
        text=document.folded,
        content=document.content,
        locality=document.meta.locality,
        locality_chain=document.meta.locality_chain,
        issuer=document.meta.issuer,
    )
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return to_annotations(doc, document.text)


def annotate_many(documents: Iterable[Document], nlp: Language | None = None) -> Iterator[Annotations]:
    """Annotate documents one by one (each Doc is dropped as soon as it is converted)."""
    nlp = nlp or get_nlp()
    for d in documents:
        yield annotate(d, nlp)


def to_annotations(doc: Doc, original: str | None = None) -> Annotations:
    """Convert a processed Doc into :class:`Annotations` with surface text from ``original``."""
    st = state_of(doc)
    text = original if original is not None and len(original) == len(st.text) else st.text

    def surf(s: int, e: int) -> str:
        return text[s:e]

    mentions = tuple(
        Mention(
            start=m.start, end=m.end, text=surf(m.start, m.end), type=m.type, name=m.name,
            sentence=m.sentence, component=m.component, core=m.core, hints=m.hints,
        )
        for m in st.mentions
    )
    sentences = tuple(
        Sentence(s.index, s.start, s.end, surf(s.start, s.end), s.role, s.heading) for s in st.sentences
    )
    stats = tuple(
        StatisticMention(
            start=x.start, end=x.end, text=surf(x.start, x.end), value=x.value, unit=x.unit,
            measure=x.measure, sentence=x.sentence, component=x.component, raw=x.raw,
            approximate=x.approximate, about=x.about,
        )
        for x in st.statistics
    )
    return Annotations(sentences=sentences, mentions=mentions, relations=tuple(st.relations), statistics=stats)

