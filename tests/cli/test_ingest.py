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
    assert f"rejected: {EXAMPLES / 'postingan_contoh.csv'} row=14: no text, target or group: nothing to scan" in errors
    # the value a reason quotes could be any text of the record: hidden unless --show-text
    assert f"rejected: {EXAMPLES / 'postingan_contoh.csv'} row=15: unreadable timestamp '\u2026' " \
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


FIXTURES = EXAMPLES.parent / "tests" / "fixtures" / "ingest"


def test_ingest_stats_table_on_stdout_when_items_go_to_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    out = tmp_path / "items.jsonl"
    result = invoke("ingest", "whatsapp/WhatsApp Chat with Rina Kusuma.txt", "tiktok/old", "crowdtangle/instagram.csv",
                    "-o", str(out), "--stats")
    assert result.exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 14
    assert result.stdout == """\
file                                         platform   kind           records
crowdtangle/instagram.csv                    instagram  post                 2
tiktok/old/user_data.json                    tiktok     comment              1
tiktok/old/user_data.json                    tiktok     favourite            1
tiktok/old/user_data.json                    tiktok     follow               1
tiktok/old/user_data.json                    tiktok     like                 2
tiktok/old/user_data.json                    tiktok     video                1
tiktok/old/user_data.json                               (rejected)           2
whatsapp/WhatsApp Chat with Rina Kusuma.txt  whatsapp   group_message        5
whatsapp/WhatsApp Chat with Rina Kusuma.txt  whatsapp   system               1

platform   items
instagram      2
tiktok         6
whatsapp       6

kind           items
comment            1
favourite          1
follow             1
group_message      5
like               2
post               2
system             1
video              1

rejected records: 2
  tiktok/old/user_data.json $.Comment.Comments.CommentsList[1]: unreadable timestamp 'kemarin' in field 'Date'
      {"Date": "kemarin", "Comment": "Siap"}
  tiktok/old/user_data.json $.Activity["Following List"].Following[1]: no text, target or group: nothing to scan
      {"Date": "2023-10-29 14:10:05", "UserName": "N/A"}

skipped files: 0
"""
    assert result.stderr == "read 16, scored 14, rejected 2\n"


def test_ingest_stats_go_to_stderr_when_items_go_to_stdout_and_list_skipped_files(tmp_path):
    (tmp_path / "foto.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "catatan.txt").write_text("bukan chat\n", encoding="utf-8")
    (tmp_path / "WhatsApp Chat with Uji.txt").write_text("Judul\n14/02/24 20.05 - Ani: halo\n", encoding="utf-8")
    result = invoke("ingest", str(tmp_path), "--stats")
    assert result.exit_code == 0
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == ["halo"]
    assert result.stderr.endswith(f"""\
rejected records: 1
  {tmp_path / 'WhatsApp Chat with Uji.txt'} line=1: not a WhatsApp message line (before the first message)
      Judul

skipped files: 2
  {tmp_path / 'catatan.txt'}: text file that is not a WhatsApp chat export
  {tmp_path / 'foto.jpg'}: media or document file .jpg (not read)
read 2, scored 1, rejected 1
""")


def test_ingest_stats_as_json(monkeypatch, tmp_path):
    monkeypatch.chdir(FIXTURES)
    result = invoke("ingest", "tiktok/new", "--stats", "--json", "-o", str(tmp_path / "items.jsonl"))
    stats = json.loads(result.stdout)
    assert {k: stats[k] for k in ("read", "items", "rejected", "skipped")} == \
        {"read": 9, "items": 6, "rejected": 3, "skipped": 0}
    assert stats["files"] == [{"source_file": "tiktok/new/user_data_tiktok.json", "items": 6, "rejected": 3, "kinds": [
        {"platform": "tiktok", "kind": "comment", "items": 1}, {"platform": "tiktok", "kind": "follow", "items": 1},
        {"platform": "tiktok", "kind": "like", "items": 2}, {"platform": "tiktok", "kind": "share", "items": 1},
        {"platform": "tiktok", "kind": "video", "items": 1}]}]
    assert stats["kinds"] == {"comment": 1, "follow": 1, "like": 2, "share": 1, "video": 1}
    assert stats["rejected_records"][2] == {
        "source_file": "tiktok/new/user_data_tiktok.json", "locator": '$["Your Activity"]["Like List"].ItemFavoriteList[3]',
        "reason": "expected a JSON object, found string",
        "excerpt": '"https://www.tiktokv.example/share/video/7325000000000000004/"'}


def test_json_without_stats_is_a_usage_error():
    result = invoke("ingest", str(EXAMPLES), "--json")
    assert result.exit_code == 1
    assert "--json goes with --stats" in result.stderr


def test_ingest_stream_hands_on_items_as_they_are_read_and_keeps_none(tmp_path):
    from netral_cli import api

    data = tmp_path / "a.jsonl"
    data.write_text('{"text": "satu", "platform": "tiktok"}\n{"text": "dua", "platform": "tiktok"}\n'
                    '{"text": \n{"text": "tiga", "platform": "x"}\n', encoding="utf-8")
    result, items = api.ingest_stream([data])
    first = next(items)
    assert first.text == "satu"
    assert (result.read, result.rejected) == (1, [])  # the rest of the file is not read yet
    assert [item.text for item in items] == ["dua", "tiga"]
    assert result.items == []
    assert result.counts() == {(str(data), "tiktok", "post"): 2, (str(data), "x", "post"): 1}
    assert [record.locator for record in result.rejected] == ["line=3"]
    assert api.accounting_line(result) == "read 4, scored 3, rejected 1"
    kept = api.ingest([data])
    assert [item.text for item in kept.items] == ["satu", "dua", "tiga"]
    assert kept.items[0] == first
    assert api.ingest_stats(kept) == api.ingest_stats(result)
    assert api.ingest_stats(result)["platforms"] == {"tiktok": 2, "x": 1}
