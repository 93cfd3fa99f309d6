"""Checks and mutations shared by the hostile-input tests (``tests/ingest/test_hostile_*.py``).

Every reader must turn any bytes into items, rejected records and skipped files, or (for a file that
cannot be opened at all) one InputError: never another exception, never a message on two lines, and
every rejected record names its file and where in it.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import strategies as st

from netral_cli.cli import cli
from netral_cli.errors import InputError
from netral_cli.ingest import IngestOptions, read
from netral_cli.items import Item, Rejected, Skipped

LOCATOR = re.compile(r"^(row=\d+|line=\d+|\$.*)$")
ACCOUNTING = re.compile(r"^read (\d+), scored (\d+), rejected (\d+)$")


def one_line(text: str) -> bool:
    return bool(text) and not any(ch in text for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def records(*paths: str | Path, **options: Any) -> list[Item | Rejected | Skipped]:
    """Every record of ``paths`` through the library, checked: only the project's records come back,
    each rejected record or skipped file names a file that was read and says why on one line."""
    found = list(read([str(p) for p in paths], IngestOptions(**options)))
    for record in found:
        assert isinstance(record, (Item, Rejected, Skipped)), record
        assert any(record.source_file.startswith(str(p)) for p in paths), record
        if isinstance(record, Rejected):
            assert LOCATOR.match(record.locator) and one_line(record.locator), record
            assert one_line(record.reason), record
        if isinstance(record, Skipped):
            assert one_line(record.reason), record
        if isinstance(record, Item):
            assert LOCATOR.match(record.locator), record
            json.dumps(record.to_dict(), allow_nan=False)  # every item writes as strict JSON
    return found


def records_or_error(*paths: str | Path, **options: Any) -> list[Item | Rejected | Skipped] | InputError:
    """As :func:`records`, or the InputError of an input that cannot be read at all (one line, naming it)."""
    try:
        return records(*paths, **options)
    except InputError as exc:
        assert one_line(str(exc)) and exc.location is not None, exc
        return exc


def items(found: Iterable[object]) -> list[dict[str, Any]]:
    return [r.to_dict() for r in found if isinstance(r, Item)]


def rejected(found: Iterable[object]) -> list[tuple[str, str]]:
    return [(r.locator, r.reason) for r in found if isinstance(r, Rejected)]


def locators(found: Iterable[object]) -> list[str]:
    return [r.locator for r in found if isinstance(r, (Item, Rejected))]


def cli_ingest(*paths: str | Path) -> tuple[int, list[dict[str, Any]], list[str]]:
    """``netral ingest PATHS``: exit code, items written, stderr lines; checked against the contract
    (exit 0 or 1, no traceback, no internal error, one line per message, the accounting adds up)."""
    result = CliRunner().invoke(cli, ["ingest", *map(str, paths)], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    errors = result.stderr.splitlines()
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    if result.exit_code == 1:
        assert len(errors) == 1 and errors[0].startswith("Error: "), errors
        assert any(str(p) in errors[0] for p in paths), errors
        return 1, [], errors
    written = [json.loads(line) for line in result.stdout.splitlines()]
    accounting = ACCOUNTING.match(errors[-1])
    assert accounting, errors
    read_, scored, rejected_ = map(int, accounting.groups())
    assert read_ == scored + rejected_ and scored == len(written), (errors[-1], len(written))
    assert sum(line.startswith("rejected: ") for line in errors) == rejected_, errors
    for line in errors:
        if line.startswith(("rejected: ", "skipped: ")):
            assert any(str(p) in line for p in paths), line
    return 0, written, errors


# --- mutations ------------------------------------------------------------------------------------

def truncated(data: bytes) -> st.SearchStrategy[bytes]:
    return st.integers(0, len(data)).map(lambda n: data[:n])


# Bytes that break parsers: NUL, C0 controls, a lone UTF-8 continuation byte, half a surrogate in
# UTF-8 (ED A0 80 is U+D800, invalid in UTF-8), a BOM in the middle, an overlong encoding, 0xFF.
NASTY = [b"\x00", b"\x01\x02\x1b", b"\x80", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\xc0\xaf", b"\xff\xfe",
         b"\x1a", b"\r", b"\x85", "\u2028".encode(), "\u202e".encode(), b"\\", b'"', b"\\u0000", b"\\ud800"]


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes flipped, nasty bytes inserted or a slice cut out."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(out)))
        how = draw(st.sampled_from(("flip", "insert", "cut")))
        if how == "flip" and at < len(out):
            out[at] ^= draw(st.integers(1, 255))
        elif how == "insert":
            out[at:at] = draw(st.sampled_from(NASTY))
        else:
            del out[at:at + draw(st.integers(1, 16))]
    return bytes(out)


ENCODINGS = ("utf-8-sig", "cp1252", "utf-16-le-bom", "utf-16-be-bom", "utf-16")


def encoded(text: str, encoding: str) -> bytes:
    """``text`` as Excel and Windows tools save it (UTF-16 with its BOM, UTF-8 with a BOM, cp1252)."""
    if encoding == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(encoding)


# JSON values that a reader may meet where it expects something else.
HOSTILE_VALUES = [None, True, False, 0, -1, 1.5, -1e300, 10**30, "", " ", "N/A", "null", [], {}, [None], [[]],
                  {"": None}, "\u0000", "\ud800", "99999-01-01", "9999-12-31 23:59:59", "0001-01-01T00:00:00+14:00",
                  "31/02/2024", "x" * 5000, 253402300800, -62135596801, 1e20, "1e400", {"timestamp": 1}]


def json_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a parsed JSON document, as a tuple of keys and indexes."""
    places = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            places += json_paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            places += json_paths(child, (*path, index))
    return places


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``document`` with the value at ``path`` replaced (the whole document for ``()``)."""
    if not path:
        return value
    copy = document.copy()
    copy[path[0]] = replaced(document[path[0]], path[1:], value)
    return copy


def within(locator: str, entry: str) -> bool:
    """``locator`` is ``entry`` or inside it (``$.a[3]`` holds ``$.a[3].b`` but not ``$.a[30]``)."""
    return locator == entry or locator.startswith((entry + ".", entry + "["))
