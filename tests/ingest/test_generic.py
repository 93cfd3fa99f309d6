"""Generic CSV / JSON / JSONL ingest: columns, encodings, timestamps, locators, rejections, zips, folders."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netral_cli.errors import InputError
from netral_cli.ingest import IngestOptions, detect, parser_names, read
from netral_cli.ingest.generic import GenericOptions, read_csv, read_jsonl
from netral_cli.ingest.sources import Source
from netral_cli.ingest.timestamps import parse_timestamp
from netral_cli.items import Item, Rejected, Skipped, new_item

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "generic"


@pytest.fixture
def here(monkeypatch):
    """Run inside the fixture folder, so that source_file names (and item ids) do not depend on the checkout."""
    monkeypatch.chdir(FIXTURES)


def records(*paths, **options):
    return list(read([str(p) for p in paths], IngestOptions(**options)))


def view(record):
    """An item or rejected record without its (separately tested) item_id."""
    data = record.to_dict()
    data.pop("item_id", None)
    return data


def item(text, locator, source_file, *, author=None, account=None, timestamp=None, target=None,
         platform="generic", kind="post", group=None, extras=None):
    return {"platform": platform, "kind": kind, "author": author, "account": account, "timestamp": timestamp,
            "text": text, "target": target, "group": group, "source_file": source_file, "locator": locator,
            "extras": extras or {}}


def rejected(locator, source_file, reason, excerpt=""):
    return {"source_file": source_file, "locator": locator, "reason": reason, "excerpt": excerpt}


def test_an_items_id_is_the_hash_of_where_it_was_found_and_what_it_says(here):
    first, second = records("posts_comma.csv")[:2]
    assert (first.item_id, second.item_id) == ("bebf2d520509789c", "e8aba134f06b5a4b")  # as earlier versions wrote them
    assert list(first.to_dict())[:4] == ["platform", "kind", "item_id", "author"]
    assert first.to_dict()["item_id"] == first.item_id


@given(st.dictionaries(st.sampled_from(["author", "account", "target", "group"]), st.text(max_size=5)),
       st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
def test_an_item_from_new_item_is_the_item_its_dataclass_makes(optional, extras):
    fields = {"platform": "generic", "kind": "post", "text": "teks", "source_file": "f.jsonl", "locator": "line=1",
              "timestamp": parse_timestamp("2024-02-10T08:00:00+07:00", "Asia/Jakarta"), **optional}
    made = new_item(**fields, extras=extras)
    expected = Item(**{"author": None, "account": None, "target": None, "group": None, **fields}, extras=extras)
    assert (made, vars(made), made.to_dict(), made.item_id) == (expected, vars(expected), expected.to_dict(),
                                                                 expected.item_id)
    with pytest.raises(AttributeError):
        made.text = "lain"  # still frozen


# --- CSV -----------------------------------------------------------------------------------------

def test_comma_csv(here):
    assert [view(r) for r in records("posts_comma.csv")] == [
        item("Ayo coblos nomor 2, jangan lupa!", "row=1", "posts_comma.csv", author="Budi Santoso",
             timestamp="2024-02-10T15:30:15+07:00", target="https://contoh.example/p/1", platform="facebook",
             extras={"id": "1"}),
        item("Rapat RT ditunda ke jam 19.00", "row=2", "posts_comma.csv", author="Siti Aminah",
             timestamp="2024-02-11T19:05:00+07:00", extras={"id": "2"}),
        item("", "row=3", "posts_comma.csv", author="Anonim", timestamp="2024-02-14T07:00:00+07:00",
             target="https://contoh.example/p/3", extras={"id": "3"}),
    ]


def test_semicolon_csv(here):
    assert [view(r) for r in records("posts_semicolon.csv")] == [
        item("Salam dua jari, pilih paslon 02", "row=1", "posts_semicolon.csv", account="relawan_kelurahan",
             timestamp="2024-02-14T07:15:00+07:00", target="https://contoh.example/s/1"),
        item("Kerja bakti; bawa cangkul", "row=2", "posts_semicolon.csv", account="pak.rt05",
             timestamp="2024-02-14T07:00:00+07:00"),
    ]


def test_tab_separated(here):
    assert [view(r) for r in records("posts_tab.tsv")] == [
        item("Selamat pagi, warga Sukamaju", "row=1", "posts_tab.tsv", author="Rina Wulandari",
             timestamp="2024-02-12T05:00:00+07:00", target="https://contoh.example/t/1"),
        item("Jangan lupa bawa KTP ke TPS", "row=2", "posts_tab.tsv", author="Agus Salim",
             timestamp="2024-02-13T11:53:20+07:00"),
    ]


def test_utf8_with_bom(here):
    assert (FIXTURES / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbfcaption,")
    assert [view(r) for r in records("bom.csv")] == [
        item("Mantaaap #PilihNomor2", "row=1", "bom.csv", author="Dian Permata",
             timestamp="2024-02-13T21:45:10+07:00"),
    ]


def test_cp1252(here):
    assert b"Caf\xe9" in (FIXTURES / "cp1252.csv").read_bytes()
    assert [view(r) for r in records("cp1252.csv")] == [
        item("Café di pojok “alun-alun”, ramai", "row=1", "cp1252.csv", author="Dewi Lestari"),
    ]


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes("text,author\nSelamat pagi,Ani\n".encode("utf-16"))
    assert [(r.text, r.author, r.locator) for r in records(path)] == [("Selamat pagi", "Ani", "row=1")]


def test_too_many_csv_fields(here):
    assert [view(r) for r in records("too_many_fields.csv")] == [
        item("Dukung caleg nomor 5", "row=1", "too_many_fields.csv", author="Joko Prasetyo",
             timestamp="2024-02-01T00:00:00+07:00"),
        rejected("row=2", "too_many_fields.csv", "row has 4 fields but the header has 3",
                 '["Halo", " apa kabar semua", "Rudi", "2024-02-02"]'),
        item("Hujan deras di Bekasi", "row=3", "too_many_fields.csv", author="Maya",
             timestamp="2024-02-03T00:00:00+07:00"),
    ]


def test_csv_rows_count_blank_lines_and_multiline_cells_are_one_row(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_text('text,author\n"Baris satu\nbaris dua",Ani\n\nLagi,Budi\n,\n', encoding="utf-8")
    assert [(r.locator, r.text) for r in records(path)] == [("row=1", "Baris satu\nbaris dua"), ("row=3", "Lagi")]


def test_csv_with_only_a_header_has_no_records(tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_text("text,author\n", encoding="utf-8")
    assert records(path) == []


def test_csv_short_row_is_read_with_missing_fields_empty(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("text,author,created_at\nHalo warga\n", encoding="utf-8")
    assert [view(r) for r in records(path)] == [item("Halo warga", "row=1", str(path))]


# --- column detection ----------------------------------------------------------------------------

@pytest.mark.parametrize("header", ["text", "message", "content", "caption", "body", "Text", "MESSAGE", "full_text"])
def test_text_column_detected(tmp_path, header):
    path = tmp_path / "t.csv"
    path.write_text(f"{header},other\nAyo ke TPS,x\n", encoding="utf-8")
    (result,) = records(path)
    assert (result.text, result.extras) == ("Ayo ke TPS", {"other": "x"})


@pytest.mark.parametrize("header", ["author", "name", "Author Name", "display_name", "nama"])
def test_author_column_detected(tmp_path, header):
    path = tmp_path / "a.csv"
    path.write_text(f"text,{header}\nAyo ke TPS,Bambang Sutrisno\n", encoding="utf-8")
    (result,) = records(path)
    assert (result.author, result.extras) == ("Bambang Sutrisno", {})


@pytest.mark.parametrize("header", ["created_at", "timestamp", "date", "time", "Created At", "datetime"])
def test_timestamp_column_detected(tmp_path, header):
    path = tmp_path / "ts.csv"
    path.write_text(f"text,{header}\nAyo ke TPS,2024-02-14 08:09:10\n", encoding="utf-8")
    (result,) = records(path)
    assert result.timestamp.isoformat() == "2024-02-14T08:09:10+07:00"
    assert result.extras == {}


@pytest.mark.parametrize("header", ["url", "link", "permalink", "URL", "post_url"])
def test_target_column_detected(tmp_path, header):
    path = tmp_path / "u.csv"
    path.write_text(f"text,{header}\nAyo ke TPS,https://contoh.example/p/7\n", encoding="utf-8")
    (result,) = records(path)
    assert result.target == "https://contoh.example/p/7"


@pytest.mark.parametrize(("cell", "platform"), [("Facebook", "facebook"), ("TIKTOK", "tiktok"), ("", "generic")])
def test_platform_column_lowercased_with_generic_default(tmp_path, cell, platform):
    path = tmp_path / "p.csv"
    path.write_text(f"text,platform\nAyo ke TPS,{cell}\n", encoding="utf-8")
    (result,) = records(path)
    assert result.platform == platform


@pytest.mark.parametrize("header", ["account", "handle", "username", "screen_name", "profile_url"])
def test_account_column_detected(tmp_path, header):
    path = tmp_path / "a.csv"
    path.write_text(f"text,{header}\nAyo ke TPS,bambang.s\n", encoding="utf-8")
    (result,) = records(path)
    assert (result.author, result.account, result.extras) == (None, "bambang.s", {})


def test_name_goes_to_author_and_username_to_account(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("text,name,username\nHalo,Budi,budi_01\n", encoding="utf-8")
    (result,) = records(path)
    assert (result.author, result.account) == ("Budi", "budi_01")


def test_flattened_user_name_is_not_mistaken_for_username(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_text('{"text": "Halo", "user": {"name": "Budi Santoso", "username": "budi_01"}}\n', encoding="utf-8")
    (result,) = records(path)
    assert (result.author, result.account) == ("Budi Santoso", "budi_01")


# --- JSON ----------------------------------------------------------------------------------------

def test_json_array_with_nested_user(here):
    assert [view(r) for r in records("array.json")] == [
        item("Relawan siap menangkan paslon 01!", "$[0]", "array.json", author="Hendra Wijaya", account="hendra_w",
             timestamp="2024-02-07T10:15:30+07:00", target="https://contoh.example/status/100",
             extras={"id_str": "100"}),
        item("Info banjir di Kemang", "$[1]", "array.json", author="Lina Marlina", account="lina.m",
             timestamp="2024-02-07T10:00:00+07:00", extras={"id_str": "101"}),
    ]


def test_json_object_holding_a_list(here):
    assert [view(r) for r in records("wrapped.json")] == [
        item("Pagi yang cerah", "$.data[0]", "wrapped.json", author="Taufik Hidayat",
             timestamp="2024-02-14T07:00:00+07:00"),
        item("Ayo #ASNNetral", "$.data[1]", "wrapped.json", author="Wulan Sari", timestamp="2024-02-14T16:30:00+07:00"),
        item("Nyoblos no. 3 aja", "$.data[2]", "wrapped.json", author="Bayu Nugroho",
             timestamp="2024-02-14T12:00:00+07:00"),
        rejected("$.data[3]", "wrapped.json", "no text, target or group: nothing to scan",
                 '{"caption": "", "author": "Kosong", "timestamp": 1707868800}'),
        rejected("$.data[4]", "wrapped.json", "expected a JSON object, found string", '"bukan objek"'),
    ]


def test_json_list_under_an_unusual_key(tmp_path):
    path = tmp_path / "unggahan.json"
    path.write_text(json.dumps({"info": "x", "unggahan": [{"text": "Satu"}, {"text": "Dua"}]}), encoding="utf-8")
    assert [(r.locator, r.text) for r in records(path)] == [("$.unggahan[0]", "Satu"), ("$.unggahan[1]", "Dua")]


def test_json_single_object_is_one_record(tmp_path):
    path = tmp_path / "satu.json"
    path.write_text(json.dumps({"text": "Hanya satu", "author": "Ani"}), encoding="utf-8")
    assert [view(r) for r in records(path)] == [item("Hanya satu", "$", str(path), author="Ani")]


def test_invalid_json_file_is_one_rejected_record_with_its_line(tmp_path):
    path = tmp_path / "rusak.json"
    path.write_text('[\n  {"text": "a"},\n  {"text": }\n]\n', encoding="utf-8")
    assert [view(r) for r in records(path)] == [
        rejected("line=3", str(path), "invalid JSON (Expecting value, column 12)"),
    ]


def test_jsonl_content_in_a_json_file_is_detected(here):
    assert detect(Source("lines_in.json", (FIXTURES / "lines_in.json").read_bytes)) == "jsonl"
    assert detect(Source("array.json", (FIXTURES / "array.json").read_bytes)) == "json"
    assert [view(r) for r in records("lines_in.json")] == [
        item("Satu baris", "line=1", "lines_in.json", author="Sri Wahyuni"),
        item("Dua baris", "line=2", "lines_in.json", author="Tono"),
    ]


# --- JSONL ---------------------------------------------------------------------------------------

def test_jsonl_locators_count_blank_lines_and_every_rejection_is_reported(here):
    assert [view(r) for r in records("posts.jsonl")] == [
        item("Coblos nomor 1 ya", "line=1", "posts.jsonl", author="Andi Saputra",
             timestamp="2024-02-14T07:00:00+07:00"),
        rejected("line=3", "posts.jsonl", "invalid JSON (Expecting value, column 35)",
                 '{"text": "baris rusak", "author": '),
        rejected("line=4", "posts.jsonl", "no text, target or group: nothing to scan", "{}"),
        rejected("line=7", "posts.jsonl", "expected a JSON object, found array", '["daftar", "bukan", "objek"]'),
        rejected("line=8", "posts.jsonl", "unreadable timestamp 'kemarin sore' in column 'created_at'",
                 '{"text": "Kapan rapat?", "created_at": "kemarin sore"}'),
        item("Ikut kampanye nanti malam", "line=9", "posts.jsonl", account="rahmat_h",
             timestamp="2024-02-14T16:00:00+07:00"),
        item("Salam tiga jari 🤟", "line=11", "posts.jsonl", timestamp="2024-02-14T09:15:30+07:00"),
    ]


def test_jsonl_later_record_with_more_fields_gets_its_columns(tmp_path):
    path = tmp_path / "campur.jsonl"
    path.write_text('{"text": "tanpa waktu"}\n{"text": "dengan waktu", "created_at": "2024-02-14 10:00:00", '
                    '"author": "Ani"}\n', encoding="utf-8")
    assert [view(r) for r in records(path)] == [
        item("tanpa waktu", "line=1", str(path)),
        item("dengan waktu", "line=2", str(path), author="Ani", timestamp="2024-02-14T10:00:00+07:00"),
    ]


def test_a_cell_that_is_a_number_reads_as_its_text_and_a_list_as_missing(tmp_path):
    path = tmp_path / "angka.jsonl"
    path.write_text('{"text": 2024, "author": 7.5, "account": [1, 2], "target": "  ", "group": true}\n'
                    '{"text": "  dua  ", "author": ["Ani", "Budi"], "account": null}\n', encoding="utf-8")
    assert [view(r) for r in records(path)] == [
        item("2024", "line=1", str(path), author="7.5", group="True"),
        item("dua", "line=2", str(path)),
    ]


def test_jsonl_lines_end_only_at_newlines(tmp_path):
    path = tmp_path / "pemisah.jsonl"
    lines = [json.dumps({"text": "satu\u2028dua"}, ensure_ascii=False), json.dumps({"text": "tiga\x85empat"},
             ensure_ascii=False), json.dumps({"text": "lima"})]
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    assert [(r.locator, r.text) for r in records(path)] == [
        ("line=1", "satu\u2028dua"), ("line=2", "tiga\x85empat"), ("line=3", "lima"),
    ]


def test_nested_json_mapped_with_map(here):
    mapping = {"text": "isi_postingan", "author": "user.nama_lengkap", "timestamp": "waktu_unggah",
               "target": "tautan"}
    assert [view(r) for r in records("mapping.jsonl", mapping=mapping)] == [
        item("Pak lurah ajak warga pilih nomor 3", "line=1", "mapping.jsonl", author="Eko Purnomo",
             account="warga_sukamaju", timestamp="2024-02-09T16:20:45+07:00", target="https://contoh.example/v/9"),
        item("Pengajian rutin malam Jumat", "line=2", "mapping.jsonl", author="Ratna Sari", account="ibu.ratna",
             timestamp="2024-02-09T16:00:45+07:00"),
    ]


def test_unusual_columns_without_map_are_rejected_not_lost(here):
    result = records("mapping.jsonl")
    assert [(type(r), r.locator, r.reason) for r in result] == [
        (Rejected, "line=1", "no text, target or group: nothing to scan"),
        (Rejected, "line=2", "no text, target or group: nothing to scan"),
    ]


def test_map_matches_column_names_loosely(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("Isi Postingan,Akun\nHalo warga,warga01\n", encoding="utf-8")
    (result,) = records(path, mapping={"text": "isi_postingan", "account": "akun"})
    assert (result.text, result.account) == ("Halo warga", "warga01")


# --- timestamps ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "tz", "expected"), [
    (1707868800, "Asia/Jakarta", "2024-02-14T07:00:00+07:00"),
    (1707868800000, "Asia/Jakarta", "2024-02-14T07:00:00+07:00"),
    ("1707868800", "Asia/Jakarta", "2024-02-14T07:00:00+07:00"),
    ("1707868800000", "Asia/Jakarta", "2024-02-14T07:00:00+07:00"),
    (1707868800.5, "Asia/Jakarta", "2024-02-14T07:00:00.500000+07:00"),
    ("2024-02-14T08:30:15Z", "Asia/Jakarta", "2024-02-14T15:30:15+07:00"),
    ("2024-02-14T09:00:00+08:00", "Asia/Jakarta", "2024-02-14T08:00:00+07:00"),
    ("2024-02-14T10:15:30+0700", "Asia/Jakarta", "2024-02-14T10:15:30+07:00"),
    ("2024-02-14 10:15:30", "Asia/Jakarta", "2024-02-14T10:15:30+07:00"),
    ("2024-02-14 10:15:30", "UTC", "2024-02-14T10:15:30+00:00"),
    ("2024-02-14 10:15:30", "Asia/Makassar", "2024-02-14T10:15:30+08:00"),
    ("2024-02-14T10:15:30Z", "Asia/Jayapura", "2024-02-14T19:15:30+09:00"),
    ("14/02/2024 10:00", "Asia/Jakarta", "2024-02-14T10:00:00+07:00"),
    ("02/03/2024", "Asia/Jakarta", "2024-03-02T00:00:00+07:00"),
    ("Wed Feb 14 03:15:30 +0000 2024", "Asia/Jakarta", "2024-02-14T10:15:30+07:00"),
    ("2024-02-14 10:15:30 WIB", "Asia/Jakarta", "2024-02-14T10:15:30+07:00"),
    ("2024-02-14 10:15:30 WITA", "Asia/Jakarta", "2024-02-14T09:15:30+07:00"),
    ("14/02/2024 10:15 WIT", "Asia/Jakarta", "2024-02-14T08:15:00+07:00"),
    # padded: read as written without the spaces, a number or a date text alike
    ("  2024-02-14T08:30:15Z\t", "Asia/Jakarta", "2024-02-14T15:30:15+07:00"),
    ("   1707868800 ", "Asia/Jakarta", "2024-02-14T07:00:00+07:00"),
])
def test_parse_timestamp(value, tz, expected):
    assert parse_timestamp(value, tz).isoformat() == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_timestamp_is_none(value):
    assert parse_timestamp(value) is None


@pytest.mark.parametrize(("value", "message"), [
    ("kemarin sore", "unreadable timestamp 'kemarin sore'"),
    ("abcd-efgh", "unreadable timestamp 'abcd-efgh'"),  # a dash where a year-first date has one: still no date
    ("    -86400", "timestamp out of range (years 1970-2099): '    -86400'"),  # a number, though its dash is fifth
    (True, "not a timestamp: True"),
    ([1707868800], "not a timestamp: [1707868800]"),
    pytest.param(-(10**20), "epoch value out of range: -1e+17", id="epoch-too-small"),
    pytest.param("9" * 400, "epoch value out of range: inf", id="epoch-string-too-large"),
    pytest.param(10**400, "epoch value out of range: 401 digits", id="epoch-int-too-large"),
])
def test_unreadable_timestamp(value, message):
    with pytest.raises(ValueError) as info:
        parse_timestamp(value)
    assert str(info.value) == message


def test_naive_times_read_in_the_tz_option(here):
    assert [r.timestamp.isoformat() for r in records("posts_comma.csv", tz="UTC")] == [
        "2024-02-10T08:30:15+00:00", "2024-02-11T19:05:00+00:00", "2024-02-14T00:00:00+00:00",
    ]
    assert [r.timestamp.isoformat() for r in records("posts_comma.csv", tz="Asia/Makassar")] == [
        "2024-02-10T16:30:15+08:00", "2024-02-11T19:05:00+08:00", "2024-02-14T08:00:00+08:00",
    ]


def test_timestamp_list_or_huge_number_in_json_is_rejected(tmp_path):
    path = tmp_path / "obj.jsonl"
    huge = "1" + "0" * 400
    path.write_text('{"text": "Halo", "timestamp": [2024, 2, 14]}\n'
                    f'{{"text": "Besar", "date": {huge}}}\n', encoding="utf-8")
    assert [view(r) for r in records(path)] == [
        rejected("line=1", str(path), "not a timestamp: [2024, 2, 14] in column 'timestamp'",
                 '{"text": "Halo", "timestamp": [2024, 2, 14]}'),
        rejected("line=2", str(path), "epoch value out of range: 401 digits in column 'date'",
                 '{"text": "Besar", "date": ' + huge[:133] + "…"),
    ]


# --- zips, folders, unknown files ----------------------------------------------------------------

def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_zip_with_nested_zip(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("dalam/b.jsonl", (FIXTURES / "folder" / "sub" / "b.jsonl").read_bytes())
    _zip(tmp_path / "x.zip", {
        "inner/a.csv": (FIXTURES / "folder" / "a.csv").read_bytes(),
        "inner/catatan.txt": b"bukan data",
        "inner/arsip.zip": inner.getvalue(),
        "inner/": b"",
    })
    assert [view(r) for r in records("x.zip")] == [
        item("Rapat koordinasi relawan", "row=1", "x.zip!inner/a.csv", author="Fajar Ramadhan",
             timestamp="2024-02-05T09:00:00+07:00"),
        item("Jangan lupa bawa undangan ke TPS", "line=1", "x.zip!inner/arsip.zip!dalam/b.jsonl", author="Nur Aini",
             timestamp="2024-02-14T06:45:00+07:00"),
        {"source_file": "x.zip!inner/catatan.txt", "reason": "text file that is not a WhatsApp chat export"},
    ]


def test_folder_is_read_recursively_in_a_stable_order(here):
    result = records("folder")
    assert [view(r) for r in result] == [
        {"source_file": "folder/README", "reason": "unrecognised file type (no suffix)"},
        item("Rapat koordinasi relawan", "row=1", "folder/a.csv", author="Fajar Ramadhan",
             timestamp="2024-02-05T09:00:00+07:00"),
        item("Posko relawan buka jam 08.00", "$[0]", "folder/c.json", account="posko_rw05",
             timestamp="2024-02-06T00:00:00+07:00"),
        {"source_file": "folder/notes.txt", "reason": "text file that is not a WhatsApp chat export"},
        item("Jangan lupa bawa undangan ke TPS", "line=1", "folder/sub/b.jsonl", author="Nur Aini",
             timestamp="2024-02-14T06:45:00+07:00"),
    ]
    assert [type(r) for r in result] == [Skipped, Item, Item, Skipped, Item]


def test_input_format_overrides_detection(here):
    assert [view(r) for r in records("folder/notes.txt", input_format="csv")] == []
    result = records("folder/README", input_format="jsonl")
    assert [view(r) for r in result] == [
        rejected("line=1", "folder/README", "invalid JSON (Expecting value, column 1)", "tanpa akhiran"),
    ]


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as info:
        records(tmp_path / "tidak-ada.csv")
    assert str(info.value) == f"{tmp_path / 'tidak-ada.csv'}: no such file or folder"


def test_broken_zip_is_an_input_error(tmp_path):
    path = tmp_path / "rusak.zip"
    path.write_bytes(b"PK\x03\x04 bukan zip")
    with pytest.raises(InputError) as info:
        records(path)
    assert str(info.value) == f"{path}: not a readable zip archive (File is not a zip file)"


# --- item ids ------------------------------------------------------------------------------------

def test_item_ids_are_stable_and_pinned(here):
    first = [r.item_id for r in records("posts_comma.csv")]
    second = [r.item_id for r in records("posts_comma.csv")]
    assert first == second == ["bebf2d520509789c", "e8aba134f06b5a4b", "b26b9a22b887db20"]


def test_item_ids_differ_between_records_and_places(here, tmp_path):
    ids = [r.item_id for path in ("posts_comma.csv", "posts_semicolon.csv", "array.json", "posts.jsonl")
           for r in records(path) if isinstance(r, Item)]
    assert len(ids) == 10
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 16 and set(i) <= set("0123456789abcdef") for i in ids)

    same_text = tmp_path / "sama.csv"
    same_text.write_text("text\nAyo ke TPS\nAyo ke TPS\n", encoding="utf-8")
    a, b = records(same_text)
    assert a.item_id != b.item_id

    copy = tmp_path / "posts_comma.csv"
    shutil.copy(FIXTURES / "posts_comma.csv", copy)
    assert records(copy)[0].item_id != records("posts_comma.csv")[0].item_id


# --- options -------------------------------------------------------------------------------------

def test_unknown_map_field():
    with pytest.raises(InputError) as info:
        IngestOptions(mapping={"txt": "isi", "penulis": "nama", "text": "isi"})
    assert str(info.value) == ("--map names unknown field(s) penulis, txt; "
                               "fields are text, author, account, timestamp, target, platform, kind, group")


def test_unknown_time_zone():
    with pytest.raises(InputError) as info:
        IngestOptions(tz="Asia/Jakrta")
    assert str(info.value) == "unknown time zone 'Asia/Jakrta' (use an IANA name such as Asia/Jakarta or UTC)"
    assert info.value.exit_code == 1


def test_unknown_input_format():
    with pytest.raises(InputError) as info:
        IngestOptions(input_format="xlsx")
    assert str(info.value) == f"unknown input format 'xlsx'; choose from {', '.join(parser_names())}"
    assert parser_names()[-3:] == ["csv", "json", "jsonl"]


# --- nothing is lost -----------------------------------------------------------------------------

_VALUES = st.one_of(
    st.none(), st.text(max_size=30), st.integers(), st.floats(), st.booleans(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.sampled_from(["name", "x"]), st.text(max_size=5)),
    st.sampled_from(["Ayo coblos nomor 2", "2024-02-14T10:00:00Z", "kemarin sore", "1707868800", "", "  ",
                     10**400, -(10**20), "9" * 400]),
)
_KEYS = st.one_of(st.sampled_from(["text", "message", "author", "created_at", "timestamp", "url", "platform",
                                   "user", "kind"]), st.text(min_size=1, max_size=10))
_RECORD = st.one_of(st.dictionaries(_KEYS, _VALUES, max_size=6), _VALUES)
_ONE_LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=30)
_JSONL_LINE = st.one_of(
    st.tuples(_RECORD, st.booleans()).map(lambda r: json.dumps(r[0], ensure_ascii=r[1])),  # a record
    _ONE_LINE,                                                                             # garbage
    st.sampled_from(["", "  ", "\t"]),                                                    # blank
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_JSONL_LINE, max_size=15), line_end=st.sampled_from(["\n", "\r\n"]))
def test_jsonl_every_non_blank_line_is_an_item_or_rejected(lines, line_end):
    data = line_end.join(lines).encode("utf-8")
    result = list(read_jsonl(Source("gen.jsonl", lambda: data), GenericOptions()))
    assert all(isinstance(r, (Item, Rejected)) for r in result)
    expected = [f"line={n}" for n, line in enumerate(lines, start=1) if line.strip()]
    assert [r.locator for r in result] == expected


_CELL = st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                          max_size=20),
                  st.sampled_from(["Ayo coblos nomor 2", "1707868800", "kemarin sore", "", "a,b", 'kata "kutip"']))


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(_CELL, min_size=1, max_size=7), max_size=10),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_csv_every_non_blank_row_is_an_item_or_rejected(rows, delimiter):
    header = ["text", "author", "created_at", "url", "extra"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    result = list(read_csv(Source("gen.csv", lambda: data), GenericOptions()))
    assert all(isinstance(r, (Item, Rejected)) for r in result)
    expected = [f"row={n}" for n, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    assert [r.locator for r in result] == expected
    assert sum(isinstance(r, Rejected) and "fields but the header has 5" in r.reason for r in result) == \
        sum(len(row) > 5 for row in rows if any(cell.strip() for cell in row))


@pytest.mark.parametrize("value, expected", [
    ("14 Februari 2024 07:30", "2024-02-14T07:30:00+07:00"),
    ("3 Mei 2024", "2024-05-03T00:00:00+07:00"),
    ("27 Nopember 2024 10.15 WITA", "2024-11-27T09:15:00+07:00"),
    ("1 Agustus 2024, 19:00:05", "2024-08-01T19:00:05+07:00"),
])
def test_indonesian_month_names(value, expected):
    assert parse_timestamp(value).isoformat() == expected


def test_an_empty_record_list_yields_no_records(tmp_path):
    path = tmp_path / "kosong.json"
    path.write_text('{"meta": {"count": 0}, "data": []}', encoding="utf-8")
    assert list(read([path])) == []


def test_a_group_join_without_text_or_target_is_an_item(tmp_path):
    path = tmp_path / "joins.jsonl"
    path.write_text('{"kind": "group_join", "group": "Relawan Contoh Desa", "author": "Sri Wahyuni"}\n',
                    encoding="utf-8")
    (result,) = records(path)
    assert (type(result), result.kind, result.group, result.text, result.target) == \
        (Item, "group_join", "Relawan Contoh Desa", "", None)
