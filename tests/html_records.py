"""Invented records and reports for the HTML report's tests (importable as ``html_records``)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from netral_cli.items import Rejected, Skipped
from netral_cli.report import Report, ReportMeta, report_of

WIB = timezone(timedelta(hours=7))
META = ReportMeta(lang="id", generated=datetime(2024, 2, 10, 9, 30, tzinfo=WIB), found_on=date(2024, 2, 8),
                  today=date(2024, 2, 10), inputs=("ekspor/",), rules="rules", model="netral-default (sha256 0123)",
                  context="pemilu-2024", threshold=0.4, version="0.1.0")


def evidence_for(text: str, *phrases: str, field: str = "text", skb: str = "A2/B2") -> list[dict[str, Any]]:
    """One rule entry per phrase, with the phrase's offsets (Python ``str`` indices) in ``text``."""
    entries = []
    for phrase in phrases:
        start = text.index(phrase)
        entries.append({"field": field, "start": start, "end": start + len(phrase), "text": phrase,
                        "rule": "a2b2.ajakan-coblos-nomor", "skb": skb,
                        "reason": f"Ajakan mencoblos nomor urut (SKB 2/2022 {skb}): \u201c{phrase}\u201d"})
    return entries


def record(rank: int, score: float, level: str, text: str, *phrases: str, **fields: Any) -> dict[str, Any]:
    """A scored record as ``scan`` writes it (contract fields, then the evidence fields of issue 6)."""
    handle = fields.pop("account", f"asn.contoh{rank}")
    values = {
        "rank": rank, "score": score, "level": level, "item_id": f"{rank:016x}", "platform": "facebook",
        "kind": "post", "author": f"Pegawai Contoh {rank}", "account": handle,
        "timestamp": "2024-02-01T08:00:00+07:00", "text": text, "target": None, "group": None,
        "rules": ["a2b2.ajakan-coblos-nomor"], "skb": ["A2/B2"], "stage": "calon", "model_score": 0.9,
        "evidence": evidence_for(text, *phrases), "source_file": "ekspor/posts.json",
        "locator": f"$.posts[{rank - 1}]", "profile_url": f"https://www.facebook.com/{handle}",
        "post_url": f"https://www.facebook.com/{handle}/posts/{rank}", "candidates": ["Paslon 02"],
        "legal_basis": ["SKB 2/2022 huruf A angka 2"], "sanction": ["hukuman disiplin sedang"],
        "found_on": "2024-02-08", "report_by": "2024-02-15", "days_left": 5,
    }
    values.update(fields)
    return values


def report(records: list[dict[str, Any]], meta: ReportMeta = META, rejected: list[Rejected] | None = None,
           skipped: list[Skipped] | None = None) -> Report:
    levels: dict[str, int] = {}
    for one in records:
        levels[one["level"]] = levels.get(one["level"], 0) + 1
    return report_of(records, levels=levels, rejected=rejected or [], skipped=skipped or [], meta=meta)


def embedded_rows(page: str) -> list[dict[str, Any]]:
    """The findings the page carries in its ``<script type="application/json">``."""
    found = re.search(r'<script type="application/json" id="netral-data">(.*?)</script>', page, re.S)
    assert found, "no data element"
    return json.loads(found.group(1))["rows"]
