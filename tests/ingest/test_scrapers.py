"""Common scraper exports read through the generic reader without --map."""

from __future__ import annotations

from pathlib import Path

import pytest

from netral_cli.ingest import IngestOptions, detect, read
from netral_cli.ingest.sources import Source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "scrapers"


@pytest.fixture
def here(monkeypatch):
    monkeypatch.chdir(FIXTURES)


def records(path):
    return [(r.locator, r.author, r.account, r.timestamp.isoformat(), r.text, r.target)
            for r in read([str(path)], IngestOptions())]


def test_tweet_scraper_jsonl_with_nested_user(here):
    assert records("tweets.jsonl") == [
        ("line=1", "Budi Santoso", "budi_asn_example", "2024-02-14T07:30:00+07:00",
         "Sudah nyoblos? Jangan lupa 02 ya! #pemilu2024", None),
        ("line=2", "Budi Santoso", "budi_asn_example", "2024-02-14T08:00:00+07:00", "Antre di TPS 05 panjang sekali", None),
    ]


def test_instaloader_post_json_with_graphql_caption(here):
    assert detect(Source("2024-02-10_08-00-00_UTC.json", (FIXTURES / "2024-02-10_08-00-00_UTC.json").read_bytes)) \
        == "json"
    assert records("2024-02-10_08-00-00_UTC.json") == [
        ("$", None, "pak.lurah.example", "2024-02-10T15:00:00+07:00",
         "Bersama tim pemenangan 02 di Kecamatan Sukamaju 💪", None),
    ]


def test_facebook_scraper_csv(here):
    assert records("facebook_scraper.csv") == [
        ("row=1", None, "Kepala Desa Sukamaju", "2024-02-14T06:00:00+07:00",
         "Selamat pagi warga Desa Sukamaju, mari datang ke TPS", "https://www.facebook.example/story.php?story_fbid=1001"),
    ]
