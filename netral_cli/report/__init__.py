"""Report writers. Each writes the same :class:`~netral_cli.report.document.Report`: one list of ranked
records (``Scored.to_record``) plus the scan's counts and provenance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netral_cli.report import csv_format, html, jsonl, markdown
from netral_cli.report.document import Report, ReportMeta, report_of


@dataclass(frozen=True)
class Format:
    write: Callable[[Report, Any], None]  # (report, a text stream, or a binary one when ``binary``)
    binary: bool = False


def _write_xlsx(report: Report, out: Any) -> None:
    from netral_cli.report import xlsx  # openpyxl takes a quarter of a second to import: only when asked for

    xlsx.write(report, out)


FORMATS: dict[str, Format] = {
    "jsonl": Format(jsonl.write),
    "csv": Format(csv_format.write),
    "md": Format(markdown.write),
    "xlsx": Format(_write_xlsx, binary=True),
    "html": Format(html.write),
}
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".md": "md", ".html": "html", ".htm": "html",
             ".xlsx": "xlsx"}


def format_for(path: str | None, requested: str | None) -> str:
    """The requested format, else the one the output suffix names, else JSONL."""
    if requested:
        return requested
    if path and path != "-":
        return _SUFFIXES.get(Path(path).suffix.lower(), "jsonl")
    return "jsonl"


__all__ = ["FORMATS", "Format", "Report", "ReportMeta", "format_for", "report_of"]
