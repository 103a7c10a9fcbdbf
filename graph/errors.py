"""One exception family for everything govkg reports to a user.

Every message says what went wrong, where (a file, a line, an offset) and what to do about
it, so the CLI can print it on one line and exit without a traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "shown",
    "GovkgError",
    "InputError",
    "ExtractionError",
    "ValidationError",
    "QueryError",
    "StoreError",
    "GoldError",
]


def shown(name: str | Path) -> str:
    r"""A file name as printed on one line: control characters (a newline, a tab, an escape)
    written as Python writes them in a ``repr``, everything else, Chinese included, as it is.

    A file name may hold any character but ``/`` and NUL; a newline in one would otherwise
    break the one-line messages and the summary into lines that look like others.

    Examples:
        >>> print(shown("报告\n2022.txt"))
        报告\n2022.txt
        >>> shown("监利市 2021.txt")
        '监利市 2021.txt'
    """
    s = str(name)
    if s.isprintable():
        return s
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in s)


class GovkgError(Exception):
    """Base class of every error govkg raises on purpose."""

    def __init__(self, message: str, *, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.reason = message
        super().__init__(f"{shown(self.path)}: {message}" if self.path else message)


class InputError(GovkgError):
    """A report could not be read: missing, empty, binary, undecodable or of an unknown format."""


class ExtractionError(GovkgError):
    """The NLP stage found nothing usable in a report."""


class ValidationError(GovkgError):
    """The RDF output does not conform to the SHACL shapes."""

    def __init__(self, message: str, *, report_text: str = "", path: str | Path | None = None):
        super().__init__(message, path=path)
        self.report_text = report_text


class QueryError(GovkgError):
    """A SPARQL query is malformed or could not be answered."""


class StoreError(GovkgError):
    """The on-disk SPARQL store is missing, locked or unreadable."""


class GoldError(GovkgError):
    """A gold annotation file for ``govkg eval`` is missing, not JSON, or lacks what scoring needs."""
