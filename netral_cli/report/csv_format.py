"""CSV with the contract's columns; lists become ``; ``-joined cells, evidence its reasons."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from netral_cli.report.document import Report

COLUMNS = ("rank", "score", "level", "item_id", "platform", "kind", "author", "account", "timestamp", "text",
           "target", "group", "rules", "skb", "stage", "model_score", "evidence", "source_file", "locator")


def evidence_summary(evidence: list[dict[str, Any]]) -> str:
    """``rule (SKB): “span”, “span” | other-rule (SKB): “span”`` in one cell."""
    spans: dict[tuple[str, str], list[str]] = {}
    for entry in evidence:
        spans.setdefault((entry["rule"], entry["skb"]), []).append(f"\u201c{entry['text']}\u201d")
    return " | ".join(f"{rule} ({skb}): {', '.join(texts)}" for (rule, skb), texts in spans.items())


def cell(name: str, value: Any) -> Any:
    if value is None:
        return ""
    if name == "evidence":
        return evidence_summary(value)
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return value


def write(report: Report, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in report.records():
        writer.writerow([cell(name, record.get(name)) for name in COLUMNS])
