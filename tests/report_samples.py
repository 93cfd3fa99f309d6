"""A small invented report for the writer tests (importable as ``report_samples``): three accounts,
four records (one below low), a rejected record and a skipped file, every record field filled."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from netral_cli.items import Rejected, Skipped
from netral_cli.report import Report, ReportMeta, report_of

WIB = timezone(timedelta(hours=7))
GENERATED = datetime(2024, 3, 1, 9, 30, tzinfo=WIB)
SITI_TEXT = "Ayo bapak ibu guru, coblos nomor 2 tanggal 14 ya! Lanjutkan!"


def evidence(text: str, phrase: str, rule: str, skb: str, field: str = "text") -> dict[str, Any]:
    start = text.index(phrase)
    return {"field": field, "start": start, "end": start + len(phrase), "text": phrase, "rule": rule, "skb": skb,
            "reason": f"{rule} (SKB 2/2022 {skb}): \u201c{phrase}\u201d"}


def record(rank: int, score: float, level: str, **fields: Any) -> dict[str, Any]:
    """A record with every field, in JSONL order; ``fields`` overrides."""
    base: dict[str, Any] = {
        "rank": rank, "score": score, "level": level, "item_id": f"{rank:016x}", "platform": "facebook",
        "kind": "post", "author": "Siti Rahmawati", "account": "siti.rahma_guru",
        "timestamp": "2024-01-20T19:02:11+07:00", "text": SITI_TEXT, "target": None, "group": None,
        "rules": ["a2b2.ajakan-coblos-nomor"], "skb": ["A2/B2"], "stage": "calon", "model_score": 0.97,
        "evidence": [evidence(SITI_TEXT, "coblos nomor 2", "a2b2.ajakan-coblos-nomor", "A2/B2"),
                     {"field": "model", "rule": "model", "skb": "A2/B2", "text": "‹coblos› +1.20, ‹nomor› +0.80",
                      "features": [], "reason": "Classifier probability 0.97"}],
        "source_file": "ekspor/siti.zip!your_activity/posts/your_posts_1.json", "locator": "$[3]",
        "profile_url": "https://www.facebook.com/siti.rahma_guru",
        "post_url": "https://www.facebook.com/siti.rahma_guru/posts/1001",
        "candidates": ["Paslon 02"], "legal_basis": ["UU 5/2014 Pasal 9 ayat (2)", "PP 94/2021 Pasal 5 huruf n"],
        "sanction": ["hukuman disiplin berat (PP 94/2021)"],
        "found_on": "2024-03-01", "report_by": "2024-03-08", "days_left": 7,
    }
    base.update(fields)
    return base


def sample_records() -> list[dict[str, Any]]:
    budi_text = "Siap menangkan pak calon! #Menang02"
    return [
        record(1, 0.95, "high"),
        record(2, 0.62, "medium", item_id="00000000000000b2", platform="instagram", author="Budi Santoso",
               account="budi.s_kelurahan", timestamp="2024-02-09T20:00:00+08:00", text=budi_text,
               rules=["a4b6.komentar-dukungan"], skb=["A4/B6"], stage="unknown", model_score=0.7,
               evidence=[evidence(budi_text, "Siap menangkan", "a4b6.komentar-dukungan", "A4/B6"),
                         evidence(budi_text, "#Menang02", "a4b6.komentar-dukungan", "A4/B6")],
               source_file="ekspor/budi/comments.json", locator="$.comments_v2[5]",
               profile_url="https://www.instagram.com/budi.s_kelurahan/", post_url=None, candidates=[],
               sanction=["hukuman disiplin sedang", "hukuman disiplin berat"], days_left=-2,
               report_by="2024-02-28"),
        record(3, 0.4, "low", item_id="00000000000000c3", author="Siti Rahmawati", kind="reaction", text="",
               target="https://www.facebook.com/paslon02.example/posts/77", timestamp="2024-02-01T07:15:00+07:00",
               rules=["a4b6.suka-konten-kampanye"], skb=["A4/B6"], model_score=0.1,
               evidence=[evidence("https://www.facebook.com/paslon02.example/posts/77", "paslon02",
                                  "a4b6.suka-konten-kampanye", "A4/B6", field="target")],
               locator="$[9]", post_url="https://www.facebook.com/paslon02.example/posts/77"),
        record(4, 0.05, "none", item_id="00000000000000d4", platform="whatsapp", author="Pak Darto", account=None,
               timestamp=None, text="Selamat pagi bapak ibu", rules=[], skb=[], evidence=[], model_score=0.05,
               source_file="ekspor/grup.txt", locator="line=12", profile_url=None, post_url=None,
               candidates=[], legal_basis=[], sanction=[]),
    ]


def sample_report(lang: str = "id", records: list[dict[str, Any]] | None = None) -> Report:
    return report_of(
        sample_records() if records is None else records,
        levels={"high": 1, "medium": 1, "low": 1, "none": 1},
        rejected=[Rejected("ekspor/grup.txt", "line=40", "no text, target or group: nothing to scan",
                           "=cmd|' /C calc'!A0")],
        skipped=[Skipped("ekspor/siti.zip!your_activity/posts/posts.html", "Meta's HTML export is not read")],
        meta=ReportMeta(lang=lang, generated=GENERATED, found_on=date(2024, 3, 1), today=date(2024, 3, 1),
                        inputs=("ekspor/siti.zip", "ekspor/budi", "ekspor/grup.txt"), rules="rules",
                        model="netral-default (sha256 0123456789ab)", context="pilpres-2024", threshold=0.4,
                        version="0.1.0"))
