"""Sources: streamed text lines are the lines of the whole decoded file; encodings; folders (links, FIFOs,
files that vanish or cannot be read); big JSON streamed as it is parsed whole; any bytes handled."""

from __future__ import annotations

import codecs
import io
import json
import os
import pickle
import sys
import tempfile
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import invoke
from netral_cli.errors import InputError
from netral_cli.ingest import IngestOptions, generic, read, sources
from netral_cli.ingest.generic import _LIST_KEYS, _whole_records
from netral_cli.ingest.jsonstream import stream_records
from netral_cli.ingest.sources import LINE_BREAK, Source, decode_text, line_spans, text_lines
from netral_cli.items import Item, Rejected, Skipped


def whole_file_lines(data: bytes) -> list[tuple[int, str]]:
    lines = list(enumerate(LINE_BREAK.split(decode_text(data)), start=1))
    return lines[:-1] if lines[-1][1] == "" else lines  # a file's last line break starts no line


def streamed(data: bytes, tmp_path=None) -> list[tuple[int, str]]:
    if tmp_path is None:
        return list(text_lines(Source("x.jsonl", lambda: data)))
    path = tmp_path / "x.jsonl"
    path.write_bytes(data)
    return list(text_lines(Source(str(path), path.read_bytes, path)))


@pytest.mark.parametrize("data", [
    b'{"a": 1}\n{"a": 2}\n',
    b'{"a": 1}\r\n\r\n{"a": 2}',
    b"satu\rdua\r\rtiga\r\n",
    b"a\r\r\nb\n\n",
    "\ufeffpertama\nkedua\u2028masih kedua\x85juga\n".encode("utf-8"),
    b"Caf\xe9 \x93kutip\x94\r\nlagi\n",  # not UTF-8: the whole file is cp1252
    "\ufeffbaris\r\nbaris 2\n".encode("utf-16"),
    b"",
    b"\n",
])
def test_lines_as_the_whole_file_splits_them(data, tmp_path):
    assert streamed(data) == whole_file_lines(data) == streamed(data, tmp_path)


def test_a_few_windows_bytes_in_a_utf8_file_read_as_cp1252_and_the_rest_stays_utf8():
    data = "kopi ☕\n".encode("utf-8") * 3 + b"caf\xe9 \x93kutip\x94\n"
    assert streamed(data) == [(1, "kopi ☕"), (2, "kopi ☕"), (3, "kopi ☕"), (4, "café “kutip”")]


@given(st.lists(st.sampled_from([b"a", b"\r", b"\n", b"\r\n", b"\xc3\xa9", b"\xe9", b"\xef\xbb\xbf", b" "]),
                max_size=30))
def test_any_mix_of_line_breaks_and_encodings(pieces):
    data = b"".join(pieces)
    assert streamed(data) == whole_file_lines(data)


def spanned(data: bytes, folder: Path, size: int) -> list[tuple[int, str]]:
    """The lines of ``data`` as a scoring process reads them from the spans the reading process found."""
    path = folder / "x.jsonl"
    path.write_bytes(data)
    return [line for span in line_spans(Source(str(path), path.read_bytes, path), size) for line in span.lines("x")]


UTF8_FILES = [
    b'{"a": 1}\n{"a": 2}\n', b'{"a": 1}\r\n\r\n{"a": 2}', b"satu\rdua\r\rtiga\r\n", b"a\r\r\nb\n\n", b"a\r",
    "\ufeffpertama\nkedua\u2028masih kedua\x85juga\n".encode("utf-8"), b"Caf\xe9 \x93kutip\x94\r\nlagi\n", b"", b"\n",
    b"\xef\xbb", "\ufeff\ufeffdua BOM\n".encode("utf-8"),
]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 4096])
@pytest.mark.parametrize("data", UTF8_FILES)
def test_spans_of_lines_give_the_lines_the_file_is_read_as(data, size, tmp_path):
    assert spanned(data, tmp_path, size) == whole_file_lines(data)


@given(st.lists(st.sampled_from([b"a", b"\r", b"\n", b"\r\n", b"\xc3\xa9", b"\xe9", b"\xef\xbb\xbf", b" "]),
                max_size=30), st.integers(1, 9))
def test_spans_cut_anywhere_in_any_mix_of_line_breaks_give_the_same_lines(pieces, size):
    data = b"".join(pieces)
    with tempfile.TemporaryDirectory() as folder:
        assert spanned(data, Path(folder), size) == whole_file_lines(data)


def test_a_span_of_a_file_that_changed_since_is_an_error_naming_the_file_and_line(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"satu\ndua\ntiga\n")
    second = list(line_spans(Source(str(path), path.read_bytes, path), 5))[1]
    assert list(second.lines("x.jsonl")) == [(2, "dua")]
    path.write_bytes(b"satu\ndua\ntiga\nempat\n")  # written to while it is scanned
    with pytest.raises(InputError) as raised:
        list(second.lines("x.jsonl"))
    assert str(raised.value).startswith("x.jsonl (line=2): the file changed while it was scanned")
    assert pickle.loads(pickle.dumps(raised.value)) == raised.value  # as it reaches the scan from a scoring process


# --- encodings ----------------------------------------------------------------------------------------------

CSV_TEXT = "text\tauthor\r\nAyo coblos nomor 2 ☕\tSiti Rahayu\r\n"


def texts(path) -> list[tuple[str, str | None]]:
    return [(r.text, r.author) for r in read([str(path)], IngestOptions()) if isinstance(r, Item)]


@pytest.mark.parametrize("encoded", [
    codecs.BOM_UTF16_LE + CSV_TEXT.encode("utf-16-le"),  # Excel "Unicode text": UTF-16 LE with BOM, tabs
    codecs.BOM_UTF16_BE + CSV_TEXT.encode("utf-16-be"),
    CSV_TEXT.encode("utf-16-le"),  # no BOM: every other byte NUL
    CSV_TEXT.encode("utf-16-be"),
    codecs.BOM_UTF8 + CSV_TEXT.encode("utf-8"),
    CSV_TEXT.encode("utf-8"),
], ids=["utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "utf8-bom", "utf8"])
def test_excel_unicode_text_and_the_other_unicode_forms_read_the_same(tmp_path, encoded):
    path = tmp_path / "ekspor.tsv"
    path.write_bytes(encoded)
    assert texts(path) == [("Ayo coblos nomor 2 ☕", "Siti Rahayu")]


def test_a_cp1252_csv_reads_as_cp1252(tmp_path):
    path = tmp_path / "ekspor.csv"
    path.write_bytes("text,author\n\u201cCoblos\u201d caf\u00e9,Andr\u00e9\n".encode("cp1252"))
    assert texts(path) == [("\u201cCoblos\u201d caf\u00e9", "Andr\u00e9")]


def test_a_mixed_file_keeps_its_utf8_lines_and_its_line_numbers(tmp_path):
    path = tmp_path / "campur.jsonl"
    path.write_bytes('{"text": "Kopi ☕"}\n'.encode("utf-8") + b'{"text": "Caf\xe9"}\n' + b'{"text": "Teh \xf0\x9f\x8d\xb5"}\n')
    assert [(r.locator, r.text) for r in read([str(path)], IngestOptions())] == [
        ("line=1", "Kopi ☕"), ("line=2", "Café"), ("line=3", "Teh 🍵")]


def test_nul_bytes_are_text_in_csv_and_invalid_json_in_jsonl(tmp_path):
    table, lines = tmp_path / "nul.csv", tmp_path / "nul.jsonl"
    table.write_bytes(b"text\nsa\x00tu\n")
    lines.write_bytes(b'{"text": "sa\x00tu"}\n')
    assert texts(table) == [("sa\x00tu", None)]
    [rejected] = read([str(lines)], IngestOptions())
    assert (rejected.locator, rejected.reason) == ("line=1", "invalid JSON (Invalid control character at, column 13)")


def test_invalid_utf16_is_replaced_not_a_crash(tmp_path):
    path = tmp_path / "ganjil.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "text\nhalo\n".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    assert texts(path) == [("halo", None), ("\ufffd", None)]


# --- folders ------------------------------------------------------------------------------------------------

GOOD = "text\nAyo coblos!\n"


def outcome(*paths) -> list[tuple[str, str]]:
    return [(Path(r.source_file).name, r.text if isinstance(r, Item) else r.reason)
            for r in read([str(p) for p in paths], IngestOptions()) if isinstance(r, (Item, Skipped))]


def test_symbolic_links_inside_a_folder_are_listed_not_followed(tmp_path):
    outside, folder = tmp_path / "luar.csv", tmp_path / "ekspor"
    outside.write_text(GOOD)
    folder.mkdir()
    (folder / "a.csv").write_text(GOOD)
    (folder / "ke-luar.csv").symlink_to(outside)
    (folder / "putar").symlink_to(folder)  # a loop
    (folder / "patah.csv").symlink_to(tmp_path / "tidak-ada.csv")
    link = "symbolic link inside a folder (not followed)"
    assert outcome(folder) == [("a.csv", "Ayo coblos!"), ("ke-luar.csv", link), ("patah.csv", link),
                               ("putar", link)]


def test_a_symbolic_link_named_on_the_command_line_is_followed(tmp_path):
    (tmp_path / "asli.csv").write_text(GOOD)
    (tmp_path / "tautan.csv").symlink_to(tmp_path / "asli.csv")
    assert outcome(tmp_path / "tautan.csv") == [("tautan.csv", "Ayo coblos!")]


def test_a_fifo_does_not_hang_the_scan(tmp_path):
    folder = tmp_path / "ekspor"
    folder.mkdir()
    (folder / "a.csv").write_text(GOOD)
    os.mkfifo(folder / "pipa.csv")
    reason = "not a regular file: a FIFO, socket or device is not read (give - to read standard input)"
    assert outcome(folder) == [("a.csv", "Ayo coblos!"), ("pipa.csv", reason)]
    with pytest.raises(InputError) as info:
        outcome(folder / "pipa.csv")
    assert str(info.value) == f"{folder / 'pipa.csv'}: {reason}"


def test_a_file_that_vanishes_during_the_scan_is_skipped(tmp_path):
    for name in ("a.csv", "b.csv", "c.csv"):
        (tmp_path / name).write_text(GOOD)
    seen = []
    for record in read([str(tmp_path)], IngestOptions()):
        seen.append((Path(record.source_file).name, record.text if isinstance(record, Item) else record.reason))
        if len(seen) == 1:
            (tmp_path / "b.csv").unlink()
    assert seen == [("a.csv", "Ayo coblos!"), ("b.csv", "cannot read file: No such file or directory"),
                    ("c.csv", "Ayo coblos!")]


def test_an_unreadable_file_is_skipped_and_alone_is_an_input_error(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_text(GOOD)
    (tmp_path / "terkunci.csv").write_text(GOOD)
    opened = Path.open

    def forbidden(self, *args, **kwargs):
        if self.name == "terkunci.csv":
            raise PermissionError(13, "Permission denied")
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", forbidden)
    assert outcome(tmp_path) == [("a.csv", "Ayo coblos!"), ("terkunci.csv", "cannot read file: Permission denied")]
    result = invoke("ingest", str(tmp_path / "terkunci.csv"))
    assert (result.exit_code, result.stderr) == (1, f"Error: {tmp_path / 'terkunci.csv'}: cannot read file: "
                                                    "Permission denied\n")


# --- big JSON: streamed as the whole document is read ------------------------------------------------------

def both_ways(data: bytes, tmp_path: Path) -> tuple[list, list]:
    path = tmp_path / "besar.json"
    path.write_bytes(data)
    source = Source(str(path), path.read_bytes, path, size=len(data))
    whole = _whole_records(source)
    streamed = stream_records(source, _LIST_KEYS)
    return ([whole] if isinstance(whole, Rejected) else [whole[0], list(whole[1])],
            [streamed] if isinstance(streamed, Rejected) else [streamed[0], list(streamed[1])])


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                         st.sampled_from(["data", "items", "text", "x", "rows", "a b"]), inner, max_size=3),
                     max_leaves=12)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=_JSON)
def test_a_streamed_document_gives_the_records_of_the_parsed_one(tmp_path, document):
    """(but for NaN and Infinity, which json.loads accepts and a streamed file rejects as invalid JSON)"""
    whole, streamed = both_ways(json.dumps(document).encode("utf-8"), tmp_path)
    assert streamed == whole


def test_a_big_json_file_is_streamed_with_the_same_locators(tmp_path, monkeypatch):
    monkeypatch.setattr(generic, "STREAM_JSON_ABOVE", 10)
    path = tmp_path / "besar.json"
    path.write_text(json.dumps({"meta": {"n": 2}, "posts": [{"text": "Satu"}, 7, {"text": "Dua"}]}))
    assert [(r.locator, r.text if isinstance(r, Item) else r.reason) for r in read([str(path)], IngestOptions())] == [
        ("$.posts[0]", "Satu"), ("$.posts[1]", "expected a JSON object, found number"), ("$.posts[2]", "Dua")]


@pytest.mark.parametrize("data, reason", [
    (b'[{"text": "a"},\n {"text": }]', "invalid JSON (parse error: unallowed token at this point in JSON text)"),
    (b'[{"text": "a"}', "invalid JSON (parse error: premature EOF)"),
    (b"[" * 600 + b"]" * 600, "JSON nested too deeply"),
])
def test_a_broken_big_json_file_is_one_rejected_record(tmp_path, monkeypatch, data, reason):
    monkeypatch.setattr(generic, "STREAM_JSON_ABOVE", 10)
    path = tmp_path / "rusak.json"
    path.write_bytes(data)
    assert list(read([str(path)], IngestOptions())) == [Rejected(str(path), "$", reason)]


# --- any bytes ---------------------------------------------------------------------------------------------

@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.lists(st.sampled_from(
           [b"{", b"}", b"[", b"]", b'"text"', b":", b",", b'"a"', b"\n", b"\r", b"\t", b"\x00", b"\xff\xfe", b"\xe9",
            b"PK\x03\x04", b"1", b"text,author\n", b"\xef\xbb\xbf"]), max_size=40).map(b"".join),
       suffix=st.sampled_from([".csv", ".tsv", ".json", ".jsonl", ".txt", ".zip", ""]),
       stream=st.booleans())
def test_any_bytes_as_a_file_give_records_or_a_handled_error(tmp_path, monkeypatch, data, suffix, stream):
    monkeypatch.setattr(generic, "STREAM_JSON_ABOVE", -1 if stream else 16 << 20)
    path = tmp_path / f"acak{suffix}"
    path.write_bytes(data)
    try:
        records = list(read([str(path)], IngestOptions()))
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert all(isinstance(r, (Item, Rejected, Skipped)) for r in records)


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_json_nested_deeper_than_python_can_parse_is_a_rejected_record(tmp_path, suffix):
    path = tmp_path / f"dalam{suffix}"
    path.write_text('{"text": "x", "a": ' * 5000 + "1" + "}" * 5000 + "\n")
    [rejected] = read([str(path)], IngestOptions())
    assert (rejected.locator, rejected.reason) == ("$" if suffix == ".json" else "line=1", "JSON nested too deeply")


# --- standard input -----------------------------------------------------------------------------------------

def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def _read(path: str) -> list[tuple[str, ...]]:
    """What was read, without the file's name (an item's id is derived from it)."""
    return [(type(r).__name__, r.locator, r.text) if isinstance(r, Item) else (type(r).__name__, r.locator, r.reason)
            for r in read([path], IngestOptions())]


@pytest.mark.parametrize("spooled_to_disk", [False, True])
@pytest.mark.parametrize("suffix, data", [
    (".jsonl", b'{"text": "Ayo coblos nomor 2", "author": "Budi Santoso"}\n{"text": "halo"}\n{"text": \n'),
    (".csv", b"text,username\nayo nyoblos paslon nomor 2 ya,budi\nsalam,sari\n"),
    (".json", json.dumps({"meta": 1, "posts": [{"text": "Satu"}, 7, {"text": "Dua"}]}, indent=1).encode()),
])
def test_standard_input_reads_as_the_same_bytes_in_a_file(tmp_path, monkeypatch, suffix, data, spooled_to_disk):
    """Small or spooled to a temporary file, standard input gives the records a file with its bytes gives, even
    to a reader that reads it twice (a JSON document over STREAM_JSON_ABOVE is checked, then streamed)."""
    monkeypatch.setattr(generic, "STREAM_JSON_ABOVE", 10)
    if spooled_to_disk:
        monkeypatch.setattr(sources, "_SPOOL_IN_MEMORY", 16)
    path = tmp_path / f"posts{suffix}"
    path.write_bytes(data)
    _stdin(monkeypatch, data)
    from_stdin = _read("-")
    assert len(from_stdin) >= 2 and from_stdin == _read(str(path))


class _Pipe:
    """A standard input that can only be read a block at a time, as a pipe of any size must be."""

    def __init__(self, data: bytes):
        self.data = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        assert size is not None and size >= 0, "standard input read whole into memory"
        return self.data.read(size)


def test_standard_input_is_never_read_whole_into_memory(monkeypatch):
    monkeypatch.setattr(sources, "_SPOOL_IN_MEMORY", 1000)
    lines = b"".join(b'{"text": "postingan nomor %d"}\n' % i for i in range(500))
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=_Pipe(lines)))
    found = _read("-")
    assert len(found) == 500 and found[-1] == ("Item", "line=500", "postingan nomor 499")
