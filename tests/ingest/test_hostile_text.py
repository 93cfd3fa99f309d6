"""Hostile text for every line- and row-based reader: generic CSV and JSONL, CrowdTangle CSV and WhatsApp
chats (Android and iOS, 12 and 24 hours, dot times, invisible characters), each mutated from a valid
fixture: truncated, damaged, re-encoded, and the nasty cases of each format."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import (ENCODINGS, cli_ingest, damaged, encoded, items, locators, records_or_error,
                     rejected)
from netral_cli.items import Item, Rejected, Skipped

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
CSV = ("id,text,author,created_at,url\r\n"
       '1,"Ayo coblos nomor 2, jangan lupa!",Budi Santoso,2024-02-10 08:30:15,https://contoh.example/p/1\r\n'
       "2,Rapat RT malam ini jam 19.30 – mohon hadir,Siti Rahmawati,2024-02-11T19:05:00+07:00,\r\n"
       '3,"Kata ""netral"" itu penting, café pagi",Agus,1707868800,https://contoh.example/p/3\r\n')
JSONL = ('{"text": "Ayo coblos nomor 2!", "author": "Budi", "created_at": "2024-02-10 08:30:15"}\n'
         '{"text": "Rapat RT – mohon hadir", "user": {"name": "Siti"}, "timestamp": 1707868800}\n'
         '{"message": "Kata \\"netral\\" itu penting", "url": "https://contoh.example/p/3"}\n')
# name -> (file name, text); the file name decides the reader.
FILES = {
    "csv": ("posts.csv", CSV),
    "jsonl": ("posts.jsonl", JSONL),
    "crowdtangle": ("facebook_pages.csv", (FIXTURES / "crowdtangle" / "facebook_pages.csv").read_text("utf-8")),
    "crowdtangle-instagram": ("instagram.csv", (FIXTURES / "crowdtangle" / "instagram.csv").read_text("utf-8-sig")),
    "whatsapp-android-24h": ("WhatsApp Chat with Relawan Kecamatan.txt",
                             (FIXTURES / "whatsapp" / "WhatsApp Chat with Relawan Kecamatan.txt").read_text("utf-8")),
    "whatsapp-android-dot": ("Chat WhatsApp dengan Tim Desa Sukamaju.txt",
                             (FIXTURES / "whatsapp" / "Chat WhatsApp dengan Tim Desa Sukamaju.txt")
                             .read_text("utf-8-sig")),
    "whatsapp-ios-dot": ("_chat.txt", (FIXTURES / "whatsapp" / "ios_dot" / "_chat.txt").read_text("utf-8")),
    "whatsapp-ios-12h": ("_chat.txt", (FIXTURES / "whatsapp" / "judge" / "ios_us_12h" / "_chat.txt").read_text("utf-8")),
}
PLATFORM = {"csv": "generic", "jsonl": "generic", "crowdtangle": "facebook", "crowdtangle-instagram": "instagram"}
EXAMPLES = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_bytes(filename: str, data: bytes) -> list:
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / filename
        path.write_bytes(data)
        return records_or_error(path)


def ingest_bytes(filename: str, data: bytes) -> tuple[int, list, list[str]]:
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / filename
        path.write_bytes(data)
        return cli_ingest(path)


def view(found: list) -> list[dict]:
    return [{k: v for k, v in item.items() if k not in ("item_id", "source_file")} for item in items(found)]


@functools.lru_cache(maxsize=None)
def original(name: str) -> list:
    filename, text = FILES[name]
    return read_bytes(filename, text.encode("utf-8"))


def test_every_fixture_reads_cleanly_with_its_reader():
    for name in FILES:
        found = original(name)
        assert items(found) and all(isinstance(r, (Item, Rejected)) for r in found), name
        expected = PLATFORM.get(name, "whatsapp")
        assert {i["platform"] for i in items(found)} == {expected}, name


@pytest.mark.parametrize("name", FILES)
@EXAMPLES
@given(data=st.data())
def test_truncated_at_a_line_end_keeps_every_earlier_record(name, data):
    """Cut after any line: every record that ended before the cut comes back the same (the last one may
    be cut short); WhatsApp times are compared apart, since a file decides its day/month order as a whole."""
    filename, text = FILES[name]
    lines = text.splitlines(keepends=True)
    keep = data.draw(st.integers(1, len(lines)))
    found = read_bytes(filename, "".join(lines[:keep]).encode())
    before, after = view(original(name)), view(found)
    if name.startswith("whatsapp"):
        before, after = ([(i["locator"], i["author"], i["kind"]) for i in v] for v in (before, after))
    assert after[:-1] == before[:max(len(after) - 1, 0)]
    assert len(after) <= len(before)


@pytest.mark.parametrize("name", FILES)
@EXAMPLES
@given(data=st.data())
def test_truncated_at_any_byte_never_crashes(name, data):
    filename, text = FILES[name]
    cut = data.draw(st.integers(0, len(text.encode())))
    records_or_error_ = read_bytes(filename, text.encode()[:cut])
    assert isinstance(records_or_error_, list)


@pytest.mark.parametrize("name", FILES)
@EXAMPLES
@given(data=st.data())
def test_damaged_bytes_never_crash(name, data):
    filename, text = FILES[name]
    assert isinstance(read_bytes(filename, data.draw(damaged(text.encode()))), list)


@pytest.mark.parametrize("name", ["csv", "jsonl", "crowdtangle", "whatsapp-android-dot", "whatsapp-ios-dot"])
def test_damaged_file_through_the_cli(name):
    """A few fixed damages through ``netral ingest``: exit 0, the accounting adds up, every message one line."""
    filename, text = FILES[name]
    data = text.encode()
    middle = len(data) // 2
    for damage in (data[:middle], data[:middle] + b"\x00\xff\xed\xa0\x80" + data[middle:], data.replace(b"\n", b"\r", 2),
                   b"\xff\xfe" + data, data[:7] + b"\x00" * 40 + data[7:]):
        code, written, _ = ingest_bytes(filename, damage)
        assert code == 0


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_re_encoded_files_give_the_same_items(name, encoding):
    filename, text = FILES[name]
    try:
        data = encoded(text, encoding)
    except UnicodeEncodeError:
        pytest.skip("text not representable in cp1252")
    assert view(read_bytes(filename, data)) == view(original(name))


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings_give_the_same_items(name, newline):
    filename, text = FILES[name]
    same = newline.join(text.splitlines())
    assert newlines_in_fields_as_lf(view(read_bytes(filename, same.encode()))) == view(original(name))


def newlines_in_fields_as_lf(found: list[dict]) -> list[dict]:
    """A line break inside a quoted CSV cell is data, kept as written: compare it as LF."""
    return [{**i, "text": i["text"].replace("\r\n", "\n").replace("\r", "\n")} for i in found]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("content", [b"", b" \r\n\t\n", b"\xef\xbb\xbf", b"\xfe\xff", b"\x00" * 64])
def test_empty_file(name, content):
    filename, _ = FILES[name]
    found = read_bytes(filename, content)
    expected = "text file that is not a WhatsApp chat export" if filename.endswith(".txt") else "empty file: no records"
    assert [(type(r), r.reason) for r in found] == [(Skipped, expected)]


# --- CSV -----------------------------------------------------------------------------------------------

def csv_records(text: str | bytes, filename: str = "posts.csv") -> list:
    return read_bytes(filename, text.encode() if isinstance(text, str) else text)


def test_csv_ragged_rows():
    found = csv_records("text,author\nsatu\ndua,Budi,lebih\ntiga,Siti\n")
    assert [(i["locator"], i["text"], i["author"]) for i in items(found)] == [
        ("row=1", "satu", None), ("row=3", "tiga", "Siti")]
    assert rejected(found) == [("row=2", "row has 3 fields but the header has 2")]


def test_csv_quote_never_closed_keeps_the_rows_before_it():
    found = csv_records('text,author\nsatu,Budi\n"dua tanpa tutup,Siti\ntiga,Agus\n')
    assert [(i["locator"], i["text"]) for i in items(found)][0] == ("row=1", "satu")
    assert len(locators(found)) == 2


def test_csv_nul_bytes_and_controls_are_kept_as_text():
    found = csv_records(b"text,author\nsa\x00tu,Bu\x1bdi\n")
    assert [(i["text"], i["author"]) for i in items(found)] == [("sa\x00tu", "Bu\x1bdi")]


def test_csv_field_larger_than_the_csv_module_default():
    big = "kampanye " * 30_000  # 270 kB, over csv.field_size_limit()'s default of 128 kB
    found = csv_records(f'text,author\n"{big}",Budi\nkedua,Siti\n')
    assert [i["text"] for i in items(found)] == [big.strip(), "kedua"]


def test_csv_million_character_line():
    big = "x" * 1_000_000
    found = csv_records(f"text,author\n{big},Budi\n")
    assert [len(i["text"]) for i in items(found)] == [1_000_000]


def test_csv_formulas_are_read_as_the_text_written():
    found = csv_records('text,author\n"=HYPERLINK(""http://x.example"",""klik"")",@Budi\n+62 812,-Siti\n')
    assert [(i["text"], i["author"]) for i in items(found)] == [
        ('=HYPERLINK("http://x.example","klik")', "@Budi"), ("+62 812", "-Siti")]


def test_csv_header_only():
    assert csv_records("text,author,created_at\n") == []


def test_csv_repeated_header_names_keep_both_columns():
    found = csv_records("text,text,author,\nsatu,dua,Budi,x\n")
    (item,) = items(found)
    assert (item["text"], item["extras"]) == ("satu", {"text.1": "dua", "": "x"})


def test_csv_header_with_bom_in_every_encoding():
    for encoding in ENCODINGS:
        if encoding == "cp1252":
            continue
        found = csv_records(encoded("\ufefftext,author\nsatu,Budi\n" if encoding == "utf-16" else
                                    "text,author\nsatu,Budi\n", encoding))
        assert [(i["text"], i["author"]) for i in items(found)] == [("satu", "Budi")], encoding


def test_mixed_encodings_read_every_row():
    """UTF-8 rows and one cp1252 row: read as cp1252 (no row lost; the UTF-8 text is garbled, not dropped)."""
    data = "text,author\nsatu – é,Budi\n".encode() + "dua é,Siti\n".encode("cp1252")
    found = csv_records(data)
    assert [i["locator"] for i in items(found)] == ["row=1", "row=2"]


# --- JSONL ---------------------------------------------------------------------------------------------

def test_jsonl_bad_lines_are_rejected_alone():
    data = ('{"text": "satu"}\n'
            '{"text": "dua", "text": "tiga"}\n'
            + "[" * 100_000 + "\n"
            + '{"text": ' + "[" * 500 + "]" * 500 + "}\n"
            + '{"text": "\\ud800 lone", "n": NaN}\n'
            + "\x00\x00\n"
            + '{"text": "lima"}\n')
    found = read_bytes("posts.jsonl", data.encode())
    assert [(i["locator"], i["text"]) for i in items(found)] == [
        ("line=1", "satu"), ("line=5", "\ufffd lone"), ("line=7", "lima")]
    assert [(loc, reason.split(" (")[0]) for loc, reason in rejected(found)] == [
        ("line=2", "JSON object repeats the key 'text'"),
        ("line=3", "JSON nested too deeply"),
        ("line=4", "JSON nested too deeply"),
        ("line=6", "invalid JSON"),
    ]


def test_jsonl_million_character_message():
    big = "ayo " * 250_000
    found = read_bytes("posts.jsonl", ('{"text": "%s"}\n{"text": "dua"}\n' % big).encode())
    assert [len(i["text"]) for i in items(found)] == [len(big.strip()), 3]


# --- CrowdTangle -----------------------------------------------------------------------------------------

CT_HEADER = "Page Name,User Name,Post Created,URL,Message\n"


@pytest.mark.parametrize(("created", "reason"), [
    ("2024-02-31 10:00:00 WIB", "unreadable timestamp '2024-02-31 10:00:00 WIB'"),
    ("2024-01-20 25:61:00", "unreadable timestamp '2024-01-20 25:61:00'"),
    ("9999-12-31 23:59:59 PST", "timestamp out of range (years 1970-2099): '9999-12-31 23:59:59 PST'"),
    ("0001-01-01 00:00:00 +1400", "timestamp out of range (years 1970-2099): '0001-01-01 00:00:00 +1400'"),
    ("2024-01-20 10:00:00 +9999", "unreadable timestamp '2024-01-20 10:00:00 +9999'"),
    ("2024-01-20 10:00:00 " + "Z" * 5, "timestamp '2024-01-20 10:00:00 ZZZZZ' has an unknown time zone 'ZZZZZ'"),
    ("x" * 5000, "unreadable timestamp '" + "x" * 78 + "…"),
])
def test_crowdtangle_impossible_times_reject_their_row(created, reason):
    found = read_bytes("page.csv", (CT_HEADER + f"Relawan,relawan.example,{created},https://fb.example/1,Halo\n"
                                    "Relawan,relawan.example,2024-01-20 10:00:00 WIB,https://fb.example/2,Dua\n").encode())
    assert [i["text"] for i in items(found)] == ["Dua"]
    assert rejected(found) == [("row=1", f"{reason} in column 'Post Created'")]


# --- WhatsApp --------------------------------------------------------------------------------------------

CHAT = "WhatsApp Chat with Relawan.txt"


def chat(text: str) -> list:
    return read_bytes(CHAT, text.encode())


def test_whatsapp_lines_before_the_first_message_are_rejected_one_by_one():
    found = chat("judul tanpa waktu\n\n05/01/2024, 09:20 - Budi: Halo\nlanjutan\n")
    assert rejected(found) == [("line=1", "not a WhatsApp message line (before the first message)")]
    assert [(i["locator"], i["text"]) for i in items(found)] == [("line=3", "Halo\nlanjutan")]


@pytest.mark.parametrize("stamp", ["31/02/2024, 09:20", "05/01/2024, 25:61", "32/01/2024, 09:20",
                                   "00/00/0000, 00:00", "05/01/0001, 09:20", "05/01/9999, 09:20"])
def test_whatsapp_impossible_times_reject_their_message(stamp):
    found = chat(f"05/01/2024, 09:19 - Budi: satu\n{stamp} - Budi: dua\nlanjutan dua\n05/01/2024, 09:21 - Siti: tiga\n")
    assert [i["text"] for i in items(found)] == ["satu", "tiga"]
    assert [locator for locator, _ in rejected(found)] == ["line=2"]


def test_whatsapp_invisible_marks_anywhere_in_the_header():
    marks = "\u200e\u200f\u202a\u202c\u2066\u2069\ufeff"
    found = chat(f"{marks}[05/01/24 09.20.00]{marks} ~\u202fBudi{marks}: {marks}Halo\u202fsemua\n")
    assert [(i["author"], i["text"]) for i in items(found)] == [("Budi", "Halo\u202fsemua")]


def test_whatsapp_rtl_override_in_a_name_is_kept_out_of_the_structure():
    found = chat("05/01/2024, 09:20 - \u202eibdu\u202c B: Halo\n")
    assert [(i["author"], i["text"]) for i in items(found)] == [("ibdu B", "Halo")]


def test_whatsapp_message_of_ten_thousand_lines():
    body = "\n".join(f"baris {n}" for n in range(10_000))
    found = chat(f"05/01/2024, 09:20 - Budi: awal\n{body}\n05/01/2024, 09:21 - Siti: akhir\n")
    assert [len(i["text"].split("\n")) for i in items(found)] == [10_001, 1]


def test_whatsapp_million_character_message():
    big = "coblos " * 150_000
    found = chat(f"05/01/2024, 09:20 - Budi: {big}\n")
    assert [len(i["text"]) for i in items(found)] == [len(big)]
