"""`netral ingest`: unified items on stdout, counts and every rejected record on stderr."""

from __future__ import annotations

import json

from helpers import EXAMPLES, invoke


def test_ingest_writes_items_and_lists_every_rejection():
    result = invoke("ingest", str(EXAMPLES))
    assert result.exit_code == 0
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(items) == 19
    assert set(items[0]) == {"platform", "kind", "item_id", "author", "account", "timestamp", "text", "target",
                             "group", "source_file", "locator", "extras"}
    errors = result.stderr.splitlines()
    assert f"rejected: {EXAMPLES / 'grup_dan_komentar.jsonl'} line=6: invalid JSON " \
           "(Unterminated string starting at, column 13)" in errors
    assert f"rejected: {EXAMPLES / 'postingan_contoh.csv'} row=14: no text and no target: nothing to scan" in errors
    assert f"rejected: {EXAMPLES / 'postingan_contoh.csv'} row=15: unreadable timestamp 'kemarin sore' " \
           "in column 'created_at'" in errors
    assert f"{EXAMPLES / 'postingan_contoh.csv'}\tinstagram\tpost\t6" in errors
    assert errors[-1] == "read 22, scored 19, rejected 3"


def test_ingest_to_file_and_tz(tmp_path):
    data = tmp_path / "a.jsonl"
    data.write_text('{"text": "halo", "created_at": "2024-02-14 07:00:00"}\n', encoding="utf-8")
    out = tmp_path / "items.jsonl"
    result = invoke("ingest", str(data), "-o", str(out), "--tz", "Asia/Makassar")
    assert result.exit_code == 0
    assert json.loads(out.read_text())["timestamp"] == "2024-02-14T07:00:00+08:00"


def test_unknown_time_zone_is_a_usage_error(tmp_path):
    result = invoke("ingest", str(EXAMPLES), "--tz", "Mars/Olympus")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown time zone 'Mars/Olympus'")


def test_unknown_files_are_skipped_with_a_reason(tmp_path):
    (tmp_path / "notes.odt").write_bytes(b"PK")
    (tmp_path / "a.csv").write_text("text\nhalo\n", encoding="utf-8")
    result = invoke("ingest", str(tmp_path))
    assert f"skipped: {tmp_path / 'notes.odt'}: unrecognised file type .odt" in result.stderr
    assert "read 1, scored 1, rejected 0" in result.stderr
