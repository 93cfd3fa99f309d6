"""The whole report (records, rules, matrix, budgets, summary) as one JSON document."""

from __future__ import annotations

import json
from typing import Any, TextIO


def write(report: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
