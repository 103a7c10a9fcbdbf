"""One exception family for everything govkg reports to a user.

Every message says what went wrong, where (a file, a line, an offset) and what to do about
it, so the CLI can print it on one line and exit without a traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "GovkgError",
    "InputError",
    "ExtractionError",
    "ValidationError",
    "QueryError",
    "StoreError",
    "GoldError",
]


class GovkgError(Exception):
    """Base class of every error govkg raises on purpose."""

    def __init__(self, message: str, *, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.reason = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


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
