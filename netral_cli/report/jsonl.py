"""One JSON object per line, keys in contract order; byte-identical for identical input."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from netral_cli.report.document import Report


def write(report: Report, out: TextIO) -> None:
    write_lines(report.lines() if report.lines else map(line_of, report.records()), out)


def write_records(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    write_lines(map(line_of, records), out)


def line_of(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False)


def write_lines(lines: Iterable[str], out: TextIO) -> None:
    for line in lines:
        out.write(line + "\n")
