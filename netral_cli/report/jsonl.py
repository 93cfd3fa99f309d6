"""One JSON object per line, keys in contract order; byte-identical for identical input."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from netral_cli.report.document import Report


def write(report: Report, out: TextIO) -> None:
    write_records(report.records(), out)


def write_records(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
