"""CSV with the record's columns (the contract's, then the evidence fields of a report); lists become
``; ``-joined cells (legal basis and sanction `` | ``-joined), evidence its spans; a field an older
record lacks is an empty cell.

A text cell that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage
return: a post ``=HYPERLINK("http://example.com/x", "klik")``) gets a leading ``'``, as OWASP advises
against CSV injection; numbers (rank, score, model_score, days_left) are written as they are."""

from __future__ import annotations

import csv
from typing import Any, TextIO

from netral_cli.report.document import FORMULA_STARTS, Report

COLUMNS = ("rank", "score", "level", "item_id", "platform", "kind", "author", "account", "timestamp", "text",
           "target", "group", "rules", "skb", "stage", "model_score", "evidence", "source_file", "locator",
           "profile_url", "post_url", "candidates", "legal_basis", "sanction", "found_on", "report_by", "days_left")
LIST_SEPARATORS = {"legal_basis": " | ", "sanction": " | "}  # their entries contain "; " themselves


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
        value = evidence_summary(value)
    elif isinstance(value, list):
        value = LIST_SEPARATORS.get(name, "; ").join(map(str, value))
    return not_a_formula(value)


def not_a_formula(value: Any) -> Any:
    """A string a spreadsheet would take for a formula, with ``'`` before it; anything else as it is."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def write(report: Report, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in report.records():
        writer.writerow([cell(name, record.get(name)) for name in COLUMNS])
