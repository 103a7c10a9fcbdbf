"""One report's extraction: a :class:`~graph.model.Document` in, an
:class:`~graph.model.Extraction` out, through read -> nlp -> resolve.

This is the per-document step every build runs, whatever its size: the corpus bookkeeping
(:mod:`graph.corpus`) calls it in its worker processes and the evaluation calls it on gold
reports. It lives apart from the orchestration in :mod:`graph.pipeline` so that the modules the
build calls never import the build. (It is not named ``graph/extract.py``: importing a
submodule of that name would bind it as ``graph.extract`` and hide the public function.)
"""

from __future__ import annotations

from pathlib import Path

from .errors import ExtractionError, InputError
from .model import Document, Extraction

__all__ = ["DEFAULT_MAX_CHARS", "check_length", "extract_document", "extract"]

#: Longest report text extracted, in characters (``--max-chars``): a longer one is skipped up
#: front with its own message instead of running for hours.
DEFAULT_MAX_CHARS = 2_000_000


def check_length(document: Document, max_chars: int = 0) -> None:
    """Refuse a report longer than ``max_chars`` characters (``--max-chars``) before NLP.

    Raises:
        InputError: the report is too long.
    """
    limit = max_chars or DEFAULT_MAX_CHARS
    n = len(document.text)
    if n > limit:
        raise InputError(
            f"is {n:,} characters long, more than --max-chars {limit:,}; split it into its reports, "
            "or raise --max-chars if it really is one report",
            path=document.path,
        )


def extract_document(document: Document, max_chars: int = 0) -> Extraction:
    """NLP and resolution for one document.

    Raises:
        InputError: the report is longer than ``max_chars`` (default :data:`DEFAULT_MAX_CHARS`).
        ExtractionError: nothing at all was found, which means the text is not a report.
    """
    from .nlp import annotate, get_nlp
    from .resolve import resolve

    check_length(document, max_chars)
    nlp = get_nlp()
    # spaCy refuses texts over nlp.max_length (E088, a million by default) with a message about
    # its parser's memory, which govkg's pipeline does not have: our own limit is the one
    nlp.max_length = max(nlp.max_length, len(document.text) + 1)
    ann = annotate(document, nlp)
    if not ann.mentions and not ann.statistics:
        raise ExtractionError(
            "found no agency, law, policy, initiative, place or statistic; is this a government report?",
            path=document.path,
        )
    return resolve(document, ann)


def extract(path: str | Path, max_chars: int = 0) -> Extraction:
    """Read one report file and extract its knowledge graph content."""
    from .read import read_path

    return extract_document(read_path(path), max_chars)
