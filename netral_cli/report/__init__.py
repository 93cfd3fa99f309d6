"""Report writers. Each serialises the same list of plain records (``Scored.to_record``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from netral_cli.report import csv_format, jsonl, markdown

Writer = Callable[[Iterable[dict[str, Any]], TextIO], None]

FORMATS: dict[str, Writer] = {
    "jsonl": jsonl.write,
    "csv": csv_format.write,
    "md": markdown.write,
}
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".md": "md"}


def format_for(path: str | None, requested: str | None) -> str:
    """The requested format, else the one the output suffix names, else JSONL."""
    if requested:
        return requested
    if path and path != "-":
        return _SUFFIXES.get(Path(path).suffix.lower(), "jsonl")
    return "jsonl"


__all__ = ["FORMATS", "Writer", "format_for"]
