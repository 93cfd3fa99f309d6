"""A corpus of nasty files, written by a small generator (no committed binaries), through ``netral scan``:
every file is read, rejected record by record or skipped, the accounting adds up to the exact counts, and
no message is a traceback. Then zips and file names that break (sources.py)."""

from __future__ import annotations

import codecs
import io
import json
import os
import zipfile
from pathlib import Path

from hostile import cli_ingest
from helpers import invoke

FACEBOOK_COMMENTS = {"comments_v2": [
    {"timestamp": 1707800000, "title": "Budi mengomentari kiriman Siti.",
     "data": [{"comment": {"timestamp": 1707800000, "comment": "Ayo coblos nomor 2", "author": "Budi"}}]},
    {"timestamp": -1, "data": [{"comment": {"comment": "waktu negatif"}}]},
    {"timestamp": 1707800000, "data": None},
]}


def write_corpus(root: Path) -> None:
    """Ten files, each hostile in its own way; the comment says what each gives (items + rejected, or skipped)."""
    # Excel's "Unicode text" CSV: UTF-16 LE with BOM, CRLF. 2 items; a ragged row and 31 February rejected.
    (root / "excel.csv").write_bytes(codecs.BOM_UTF16_LE + (
        "text,author,created_at\r\n"
        "Rapat relawan malam ini,Budi,2024-02-10 19:00\r\n"
        "=1+2,@Siti,2024-02-11 08:00\r\n"
        "lebih,satu,2024-02-11 08:00,kolom\r\n"
        "tanggal salah,Agus,31/02/2024\r\n"
        ",,\r\n").encode("utf-16-le"))
    # JSONL: 3 items (a NaN, a lone surrogate); a repeated key, 100,000 brackets, an array and a line cut short rejected.
    (root / "feed.jsonl").write_text(
        '{"text": "Salam dari posko", "created_at": "2024-02-10T08:00:00+07:00"}\n'
        '{"text": "satu", "text": "dua"}\n'
        + "[" * 100_000 + "\n"
        '{"text": "Dukung terus", "likes": NaN, "shares": 1e400}\n'
        "[1, 2]\n"
        "\n"
        '{"text": "\\ud800 tanda rusak"}\n'
        '{"text": "pot', encoding="utf-8")
    # A JSON document nested 100,000 deep: one rejection naming the file.
    (root / "deep.json").write_text("[" * 100_000, encoding="utf-8")
    (root / "empty.json").write_bytes(b"")  # skipped
    (root / "bom_only.csv").write_bytes(codecs.BOM_UTF8)  # skipped
    # WhatsApp in cp1252 with a title line, 31 February and 2,000 continuation lines: 2 items, 2 rejected.
    (root / "WhatsApp Chat with Relawan Desa.txt").write_bytes((
        "Ekspor obrolan – Relawan Desa\r\n"
        "05/01/2024, 09:20 - Budi: Kumpul di posko, café depan balai\r\n"
        "31/02/2024, 09:21 - Siti: tanggal mustahil\r\n"
        "05/01/2024, 09:22 - Agus: daftar relawan:\r\n" + "".join(f"relawan {n}\r\n" for n in range(2000))
    ).encode("cp1252"))
    # TikTok: 1 item; a date in year 9999 and a repeated key rejected.
    (root / "user_data_tiktok.json").write_text(
        '{"Post": {"Posts": {"VideoList": ['
        '{"Date": "2024-01-15 12:00:00", "Link": "https://tiktok.example/v/1", "Title": "Kampanye akbar"},'
        '{"Date": "9999-12-31 23:59:59", "Link": "https://tiktok.example/v/2"},'
        '{"Link": "https://tiktok.example/v/3", "Link": "https://tiktok.example/v/4"}]}}}', encoding="utf-8")
    # Facebook comments: 1 item; a negative timestamp and a null "data" rejected.
    comments = root / "facebook-budi-2024-02-20-AbCdEf" / "your_facebook_activity" / "comments_and_reactions"
    comments.mkdir(parents=True)
    (comments / "comments.json").write_text(json.dumps(FACEBOOK_COMMENTS), encoding="utf-8")
    (root / "photo.jpg").write_bytes(bytes(range(256)) * 4)  # skipped (media)
    # CrowdTangle with a BOM: 1 item; an unknown zone rejected.
    (root / "crowdtangle.csv").write_bytes(codecs.BOM_UTF8 + (
        "Page Name,User Name,Post Created,URL,Message\n"
        "Relawan,relawan.example,2024-01-20 19:30:12 WIB,https://fb.example/1,Ayo ke TPS\n"
        "Relawan,relawan.example,2024-01-21 19:30:12 XYZ,https://fb.example/2,Zona aneh\n").encode())


EXPECTED_REJECTED = {
    ("excel.csv", "row=3"), ("excel.csv", "row=4"),
    ("feed.jsonl", "line=2"), ("feed.jsonl", "line=3"), ("feed.jsonl", "line=5"), ("feed.jsonl", "line=8"),
    ("deep.json", "$"),
    ("WhatsApp Chat with Relawan Desa.txt", "line=1"), ("WhatsApp Chat with Relawan Desa.txt", "line=3"),
    ("user_data_tiktok.json", "$.Post.Posts.VideoList[1]"), ("user_data_tiktok.json", "$.Post.Posts.VideoList[2]"),
    ("comments.json", "$.comments_v2[1]"), ("comments.json", "$.comments_v2[2]"),
    ("crowdtangle.csv", "row=2"),
}


def test_hostile_corpus_scan_counts(tmp_path):
    (tmp_path / "corpus").mkdir()
    write_corpus(tmp_path / "corpus")
    out = tmp_path / "out.jsonl"
    result = invoke("scan", str(tmp_path / "corpus"), "--all", "--no-progress", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    errors = result.stderr.splitlines()
    assert errors[-1].startswith("read 24, scored 10, rejected 14; ")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 10
    corpus = str(tmp_path / "corpus") + os.sep
    assert sorted(line for line in errors if line.startswith("skipped: ")) == [
        f"skipped: {corpus}bom_only.csv: empty file: no records",
        f"skipped: {corpus}empty.json: empty file: no records",
        f"skipped: {corpus}photo.jpg: media or document file .jpg (not read)",
    ]
    shown = [line for line in errors if line.startswith("rejected: ")]
    assert len(shown) == len(EXPECTED_REJECTED)
    for name, locator in EXPECTED_REJECTED:
        assert sum(f"{os.sep}{name} {locator}: " in line for line in shown) == 1, (name, locator)


def test_hostile_corpus_ingest_lists_every_rejected_record(tmp_path):
    write_corpus(tmp_path)
    code, written, errors = cli_ingest(tmp_path)
    assert code == 0 and len(written) == 10
    rejected = {(Path(r["source_file"]).name, r["locator"]) for r in _rejected(tmp_path)}
    assert rejected == EXPECTED_REJECTED
    assert errors[-1] == "read 24, scored 10, rejected 14"


def _rejected(root: Path) -> list[dict]:
    from netral_cli.api import ingest

    return [r.to_dict() for r in ingest([str(root)]).rejected]


# --- zips and file names: sources.py (owned by h-sources), pinned here ------------------------------------

def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GOOD_ZIP = _zip({"posts.csv": b"text\n" + b"Rapat relawan malam ini dan besok pagi\n" * 50})


def test_truncated_zip_is_skipped_and_the_good_files_are_read(tmp_path):
    (tmp_path / "good.csv").write_text("text\nhalo\n", encoding="utf-8")
    (tmp_path / "cut.zip").write_bytes(GOOD_ZIP[: len(GOOD_ZIP) // 2])
    code, written, errors = cli_ingest(tmp_path)
    assert (code, len(written)) == (0, 1)
    assert any(line.startswith(f"skipped: {tmp_path / 'cut.zip'}") for line in errors)


def test_damaged_zip_entry_is_a_clean_error_or_skip(tmp_path):
    data = bytearray(GOOD_ZIP)
    data[30 + len("posts.csv") + 5] ^= 0xFF  # inside the first entry's compressed data
    (tmp_path / "bad.zip").write_bytes(bytes(data))
    cli_ingest(tmp_path / "bad.zip")


def test_file_name_that_is_not_utf8(tmp_path):
    with open(os.path.join(os.fsencode(tmp_path), b"pos\xfft.csv"), "wb") as handle:
        handle.write(b"text\nhalo\n")
    code, written, _ = cli_ingest(tmp_path)
    assert (code, len(written)) == (0, 1)


def test_zip_entry_name_with_a_line_break(tmp_path):
    (tmp_path / "nl.zip").write_bytes(_zip({"a\nb.csv": b"text\nhalo\n", "c.csv": b"text\nhalo\n"}))
    code, _, errors = cli_ingest(tmp_path / "nl.zip")
    assert all(line.startswith(("rejected: ", "skipped: ", "read ")) or "\t" in line for line in errors), errors
