"""The counts and the account ranking every human-readable report shows."""

from __future__ import annotations

import pytest

from netral_cli import cli
from netral_cli.report import FORMATS
from netral_cli.report.i18n import WORDS, words
from netral_cli.report.summary import summarise
from netral_cli.errors import InputError


def finding(rank: int, score: float, level: str, account: str | None, **extra) -> dict:
    return {"rank": rank, "score": score, "level": level, "platform": extra.pop("platform", "facebook"),
            "kind": "post", "account": account, "author": extra.pop("author", None), "skb": extra.pop("skb", ["A4"]),
            "stage": "bakal_calon", "timestamp": extra.pop("timestamp", "2024-01-05T08:00:00+07:00"),
            "rules": ["r1"], "source_file": "a.json", **extra}


def test_many_medium_findings_outrank_one_high_and_one_low():
    records = [finding(1, 0.85, "high", "tunggal.tinggi"), finding(2, 0.6, "medium", "sering.sedang"),
               finding(3, 0.6, "medium", "sering.sedang"), finding(4, 0.6, "medium", "sering.sedang"),
               finding(5, 0.35, "low", "sekali.rendah")]
    ranked = summarise(records).accounts
    assert [a.key for a in ranked] == ["sering.sedang", "tunggal.tinggi", "sekali.rendah"]
    assert ranked[0].score == pytest.approx(1 - 0.4 ** 3)
    assert (ranked[0].findings, ranked[0].ranks, ranked[0].best) == (3, [2, 3, 4], 0.6)


def test_items_below_low_are_not_findings_and_count_nowhere():
    summary = summarise([finding(1, 0.5, "low", "a"), finding(2, 0.1, "none", "b")])
    assert summary.findings == 1
    assert [a.key for a in summary.accounts] == ["a"]
    assert dict(summary.levels) == {"low": 1}


def test_counts_per_skb_platform_stage_and_month():
    summary = summarise([
        finding(1, 0.9, "high", "a", skb=["A4", "A5"], timestamp="2024-01-31T23:00:00+07:00"),
        finding(2, 0.6, "medium", "b", platform="instagram", skb=["B6"], timestamp="2024-02-01T00:30:00+07:00"),
        finding(3, 0.6, "medium", "b", platform="instagram", skb=["B6"], timestamp=None)])
    assert dict(summary.skb) == {"A4": 1, "A5": 1, "B6": 2}
    assert dict(summary.platforms) == {"facebook": 1, "instagram": 2}
    assert dict(summary.months) == {"2024-01": 1, "2024-02": 1, "?": 1}
    assert summary.accounts[1].first == summary.accounts[1].last == "2024-02-01T00:30:00+07:00"


def test_first_and_last_are_moments_not_strings():
    summary = summarise([finding(1, 0.9, "high", "a", timestamp="2024-01-05T08:00:00+07:00"),
                         finding(2, 0.9, "high", "a", timestamp="2024-01-05T02:00:00+00:00")])
    assert (summary.accounts[0].first, summary.accounts[0].last) == ("2024-01-05T08:00:00+07:00",
                                                                     "2024-01-05T02:00:00+00:00")


def test_an_account_is_its_handle_else_its_name_and_its_most_frequent_name_is_shown():
    summary = summarise([finding(1, 0.9, "high", "budi.s", author="Budi S"),
                         finding(2, 0.9, "high", "budi.s", author="Budi Santoso"),
                         finding(3, 0.9, "high", "budi.s", author="Budi Santoso"),
                         finding(4, 0.9, "high", None, author="Pak Darto", platform="whatsapp")])
    assert [(a.platform, a.key, a.name) for a in summary.accounts] == [
        ("facebook", "budi.s", "Budi Santoso"), ("whatsapp", "Pak Darto", "Pak Darto")]


def test_both_languages_have_the_same_words():
    assert set(WORDS["id"]) == set(WORDS["en"])
    assert words("en")["level.high"] == "high" and words("id")["level.high"] == "tinggi"
    with pytest.raises(InputError, match="unknown report language 'fr'"):
        words("fr")


def test_the_cli_offers_exactly_the_formats_and_languages_there_are():
    assert set(cli.REPORT_FORMATS) == set(FORMATS)
    assert set(cli.LANGUAGES) == set(WORDS)
