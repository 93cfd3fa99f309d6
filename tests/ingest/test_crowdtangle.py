"""CrowdTangle CSV (Facebook pages and groups, Instagram) recognised by header; zones on Post Created."""

from __future__ import annotations

from pathlib import Path

import pytest

from netral_cli.ingest import IngestOptions, detect, read
from netral_cli.ingest.crowdtangle import post_created
from netral_cli.ingest.sources import Source
from netral_cli.items import Item

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "crowdtangle"


@pytest.fixture
def here(monkeypatch):
    monkeypatch.chdir(FIXTURES)


def records(path, **options):
    return list(read([str(path)], IngestOptions(**options)))


def rows(result):
    return [(r.locator, r.platform, r.kind, r.author, r.account, r.timestamp.isoformat(), r.text, r.target, r.group)
            if isinstance(r, Item) else (r.locator, r.reason) for r in result]


def test_facebook_pages(here):
    result = records("facebook_pages.csv")
    assert rows(result) == [
        ("row=1", "facebook", "post", "Relawan Desa Sukamaju", "relawandesasukamaju.example",
         "2024-01-20T19:30:12+07:00", "Ayo warga Sukamaju, 14 Februari coblos nomor 2!\nSalam menang.",
         "https://www.facebook.example/relawandesasukamaju/posts/1001", None),
        ("row=2", "facebook", "post", "Relawan Desa Sukamaju", "relawandesasukamaju.example",
         "2024-01-21T13:00:00+07:00", "Kampanye akbar paslon 02 dipadati warga",
         "https://www.facebook.example/relawandesasukamaju/posts/1002", None),
        ("row=3", "timestamp '2024-01-22 10:00:00 XYZ' has an unknown time zone 'XYZ' in column 'Post Created'"),
        ("row=4", "no text and no target: nothing to scan"),
    ]
    assert result[1].extras["Link"] == "https://berita.example/kampanye-akbar"
    assert result[1].extras["Type"] == "Link"
    assert "Message" not in result[0].extras and "Page Name" not in result[0].extras
    assert "Video Length" not in result[0].extras  # N/A is no value
    assert result[0].extras["Likes"] == "1,200"


def test_facebook_group_export(here):
    result = records("facebook_groups.csv", tz="UTC")
    assert rows(result) == [
        ("row=1", "facebook", "group_post", None, None, "2024-02-01T12:00:00+00:00",
         "Bapak ibu guru, jangan lupa ikut rapat akbar relawan besok",
         "https://www.facebook.example/groups/guruhonorercontoh/posts/77", "Grup Guru Honorer Kab. Contoh"),
    ]
    assert result[0].extras["User Name"] == "guruhonorercontoh.example"


def test_instagram_with_bom(here):
    result = records("instagram.csv")
    assert rows(result) == [
        ("row=1", "instagram", "post", "Bu Camat Rina", "bucamat.rina.example", "2024-02-10T08:05:00+07:00",
         "Bersama relawan di posko pemenangan #02 #pemilu2024", "https://www.instagram.example/p/C3abc01/", None),
        ("row=2", "instagram", "post", "Bu Camat Rina", "bucamat.rina.example", "2024-02-11T21:45:30+07:00",
         "Senam pagi", "https://www.instagram.example/p/C3abc02/", None),
    ]
    assert result[0].extras["Type"] == "Album"
    assert "Description" not in result[0].extras and "Title" not in result[1].extras


def test_recognised_by_header_only(here):
    assert detect(Source("unduhan/2024-02-10-export.csv", (FIXTURES / "instagram.csv").read_bytes)) == "crowdtangle"
    assert detect(Source("a.csv", (FIXTURES / "facebook_groups.csv").read_bytes)) == "crowdtangle"
    assert detect(Source("a.csv", lambda: b"Page Name,Message\nx,y\n")) == "csv"


@pytest.mark.parametrize("value, expected", [
    ("2024-01-20 19:30:12 WIB", "2024-01-20T19:30:12+07:00"),
    ("2024-01-20 19:30:12 EST", "2024-01-21T07:30:12+07:00"),
    ("2024-01-20 19:30:12 CET", "2024-01-21T01:30:12+07:00"),
    ("2024-01-20 19:30:12 +0530", "2024-01-20T21:00:12+07:00"),
    ("2024-01-20 19:30", "2024-01-20T19:30:00+07:00"),
])
def test_post_created_zones(value, expected):
    assert post_created(value, "Asia/Jakarta").isoformat() == expected


def test_post_created_unreadable():
    with pytest.raises(ValueError, match="unreadable timestamp 'kemarin'"):
        post_created("kemarin", "Asia/Jakarta")
    assert post_created("  ", "Asia/Jakarta") is None


def test_older_files_with_created_instead_of_post_created(tmp_path):
    path = tmp_path / "ct-2020.csv"
    path.write_text("Page Name,User Name,Created,Type,Message,URL\n"
                    "Relawan Kota,relawankota.example,2020-11-30 20:00:00 WIB,Status,Pilkada 9 Desember pilih nomor 1,"
                    "https://www.facebook.example/relawankota/posts/9\n", encoding="utf-8")
    assert rows(records(path)) == [
        ("row=1", "facebook", "post", "Relawan Kota", "relawankota.example", "2020-11-30T20:00:00+07:00",
         "Pilkada 9 Desember pilih nomor 1", "https://www.facebook.example/relawankota/posts/9", None)]
    assert records(path)[0].extras == {"Type": "Status"}
