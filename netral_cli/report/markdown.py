"""A short Markdown summary (top findings), to paste into a chat or an e-mail."""

from __future__ import annotations

from collections import Counter
from typing import Any, TextIO

from netral_cli.report.document import Report

TOP = 20


def _one_line(text: str, limit: int = 120) -> str:
    text = " ".join((text or "").split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write(report: Report, out: TextIO) -> None:
    """One pass over the records: the first ``TOP`` are kept for the table, the rest only counted."""
    levels: Counter[str] = Counter()
    shown: list[dict[str, Any]] = []
    for record in report.records():
        levels[record["level"]] += 1
        if len(shown) < TOP:
            shown.append(record)
    total = sum(levels.values())
    out.write("# Laporan netral\n\n")
    out.write(f"{total} item: " + ", ".join(f"{levels.get(k, 0)} {k}" for k in ("high", "medium", "low"))
              + "\n\n")
    out.write("| # | level | skor | SKB | akun | waktu | teks | sumber |\n|---|---|---|---|---|---|---|---|\n")
    for record in shown:
        who = record.get("account") or record.get("author") or ""
        out.write(f"| {record['rank']} | {record['level']} | {record['score']:.2f} | {', '.join(record['skb'])} "
                  f"| {_one_line(who, 40)} | {record.get('timestamp') or ''} | {_one_line(record['text'])} "
                  f"| {_one_line(record['source_file'], 60)} {record['locator']} |\n")
    if total > TOP:
        out.write(f"\n… dan {total - TOP} item lainnya.\n")
