"""Report writers. Each writes the same :class:`~netral_cli.report.document.Report`: one list of ranked
records (``Scored.to_record``) plus the scan's counts and provenance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from netral_cli.report import csv_format, jsonl, markdown
from netral_cli.report.document import Report, ReportMeta, report_of


@dataclass(frozen=True)
class Format:
    write: Callable[[Report, Any], None]  # (report, a text stream, or a binary one when ``binary``)
    binary: bool = False


def _imported_when_written(module: str) -> Callable[[Report, Any], None]:
    """The ``write`` of ``netral_cli.report.<module>``, imported only when a report of its format is written: openpyxl
    (XLSX) takes a quarter of a second to import and jinja2 (HTML) a twentieth, on every scan otherwise."""

    def write(report: Report, out: Any) -> None:
        import_module(f"netral_cli.report.{module}").write(report, out)

    return write


FORMATS: dict[str, Format] = {
    "jsonl": Format(jsonl.write),
    "csv": Format(csv_format.write),
    "md": Format(markdown.write),
    "xlsx": Format(_imported_when_written("xlsx"), binary=True),
    "html": Format(_imported_when_written("html")),
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
