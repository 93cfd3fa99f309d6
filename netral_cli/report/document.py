"""What every report writer receives: the ranked records, the scan's counts and its provenance.

JSONL and CSV serialise only :attr:`Report.records` (so they are byte-identical for identical
inputs); HTML, XLSX and Markdown also show the counts, the rejected records and :class:`ReportMeta`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from netral_cli.items import Rejected, Skipped

LANGUAGES = ("id", "en")
# Text a spreadsheet would take for a formula (OWASP "CSV injection"): the CSV writer prefixes it with
# ``'``, the XLSX writer stores it as text with Excel's quote prefix.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ReportMeta:
    """Where a report comes from. ``found_on`` is the day the findings count as found (the start of
    the 7-day reporting window), ``today`` the day the report was made."""

    lang: str = "id"
    generated: datetime | None = None
    found_on: date | None = None
    today: date | None = None
    inputs: tuple[str, ...] = ()
    rules: str = ""
    model: str = ""
    context: str = ""
    threshold: float | None = None
    pseudonymized: bool = False
    version: str = ""


@dataclass
class Report:
    """``records`` gives the ranked records (rank 1 first) anew at every call, so a writer may read them
    twice; ``levels`` counts every scored item per level, not only the reported ones. ``lines``, when
    given, gives the same records already serialised as JSONL writes them, without decoding them."""

    records: Callable[[], Iterator[dict[str, Any]]]
    levels: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    meta: ReportMeta = field(default_factory=ReportMeta)
    lines: Callable[[], Iterator[str]] | None = None

    @property
    def scored(self) -> int:
        return sum(self.levels.values())

    @property
    def read(self) -> int:
        return self.scored + len(self.rejected)


def report_of(records: Iterable[dict[str, Any]], **fields: Any) -> Report:
    """A report over records already in memory (tests, the library, ``ingest``)."""
    kept = list(records)
    return Report(records=lambda: iter(kept), **fields)
