"""Streamed text lines are the lines of the whole decoded file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netral_cli.ingest.sources import LINE_BREAK, Source, decode_text, text_lines


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
