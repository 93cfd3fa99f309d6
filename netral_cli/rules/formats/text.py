"""``path:line:col: severity [validator] rule-id: message`` lines, then the per-rule tables."""

from __future__ import annotations

from typing import Any, TextIO


def issue_line(record: dict[str, Any]) -> str:
    place = record["file"]
    if record["line"] is not None:
        place += f":{record['line']}"
        if record["column"] is not None:
            place += f":{record['column']}"
    who = f"{record['rule_id']}: " if record["rule_id"] else ""
    return f"{place}: {record['severity']} [{record['validator']}] {who}{record['message']}"


def write(report: dict[str, Any], out: TextIO) -> None:
    for record in report["records"]:
        out.write(issue_line(record) + "\n")
    if report["matrix"]:
        _table(out, ["rule", "TP", "FN", "TN", "FP"],
               [[r["rule_id"], r["tp"], r["fn"], r["tn"], r["fp"]] for r in report["matrix"]])
    if report["budgets"]:
        _table(out, ["rule", "hits", "TP", "FP", "FP rate", "budget", ""],
               [[r["rule_id"], r["hits"], r["tp"], r["fp"], f"{r['fp_rate']:.4f}", f"{r['budget']:g}",
                 "ok" if r["within_budget"] else "OVER"] for r in report["budgets"]])


def _table(out: TextIO, header: list[str], rows: list[list[Any]]) -> None:
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        line = "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
        out.write(line.rstrip() + "\n")
