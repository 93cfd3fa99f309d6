"""Where records come from: files, folders and zip archives, each entry named as in the contract
(``export.zip!path/in/zip.json``)."""

from __future__ import annotations

import codecs
import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from netral_cli.errors import InputError, Location
from netral_cli.items import Skipped


@dataclass(frozen=True)
class Source:
    """One readable file: its display name (``source_file``) and a way to get its bytes."""

    name: str
    read_bytes: Callable[[], bytes]
    path: Path | None = None  # the file on disk, when there is one: read as a stream by text_lines

    def open_binary(self) -> BinaryIO:
        """The bytes as a stream: the file itself when there is one (never held in memory whole)."""
        return self.path.open("rb") if self.path is not None else io.BytesIO(self.read_bytes())

    @property
    def filename(self) -> str:
        return self.name.rsplit("!", 1)[-1].rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        return Path(self.filename).suffix.lower()

    def read_text(self) -> str:
        return decode_text(self.read_bytes())


def decode_text(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")  # a cut or damaged file still reads
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM = codecs.BOM_UTF8


def head_text(data: bytes) -> str:
    """The first bytes of a file as text, to recognise its format: decoded as :func:`decode_text` would
    (UTF-16 by its BOM, else UTF-8), a character cut at the end dropped."""
    return data.decode("utf-16" if data.startswith(_UTF16_BOMS) else "utf-8-sig", errors="ignore")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def text_lines(source: Source) -> Iterator[tuple[int, str]]:
    """The lines of a text file numbered from 1, as ``LINE_BREAK.split(source.read_text())`` gives them
    (but for the empty line after a final line break), read as a stream so that a large file is never held in memory whole.

    Lines end only at ``\r\n``, ``\r`` or ``\n`` (str.splitlines() would also split at U+2028 and the like,
    which JSON strings may hold). The file is decoded as :func:`decode_text` decodes it: UTF-8 (a first pass
    checks the whole file, since one invalid byte makes it cp1252), UTF-16 with its BOM (not streamed).
    """
    with source.open_binary() as handle:
        if handle.read(2) in _UTF16_BOMS:
            lines = LINE_BREAK.split(source.read_text())
            yield from enumerate(lines[:-1] if lines[-1] == "" else lines, start=1)
            return
        handle.seek(0)
        encoding = "utf-8" if _is_utf8(handle) else "cp1252"
        handle.seek(0)
        number = 0
        for raw in handle:  # binary lines end at b"\n"; in UTF-8 and cp1252 \r and \n are never part of a character
            if number == 0 and encoding == "utf-8" and raw.startswith(_UTF8_BOM):
                raw = raw[len(_UTF8_BOM):]
                if not raw:  # a file of a BOM alone has no lines
                    return
            # (a \r that ends the last line of the file ends it as a \n would)
            body = raw[:-2] if raw.endswith(b"\r\n") else raw[:-1] if raw.endswith((b"\n", b"\r")) else raw
            for piece in body.split(b"\r"):
                number += 1
                yield number, piece.decode(encoding, errors="replace")


def _is_utf8(handle: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while block := handle.read(1 << 20):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


STDIN = "-"


def iter_sources(path: str | Path) -> Iterator[Source | Skipped]:
    """Every file under ``path`` (a file, a folder, a zip, or ``-`` for standard input), in a stable order;
    a file that cannot be opened (a broken zip, no permission) is a refused Skipped, and the next one is read."""
    if str(path) == STDIN:
        if sys.stdin is None:
            raise InputError("standard input is closed", Location(STDIN))
        yield Source(STDIN, lru_cache(maxsize=1)(lambda: sys.stdin.buffer.read()))
        return
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", Location(str(path)))
    for child in sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
        try:
            yield from _file_sources(child)
        except (InputError, OSError) as exc:
            yield unreadable(str(child), exc)


def unreadable(name: str, error: InputError | OSError) -> Skipped:
    """The refused Skipped of a file that failed to read (the InputError's own location when it has one)."""
    if isinstance(error, InputError):
        return Skipped(error.location.path if error.location else name, error.message, refused=True)
    return Skipped(name, f"cannot read file: {error.strerror or error}", refused=True)


def _file_sources(path: Path) -> Iterator[Source]:
    if path.suffix.lower() == ".zip":
        yield from _zip_sources(str(path), path.read_bytes)
    else:
        yield Source(str(path), path.read_bytes, path)


def _zip_sources(name: str, read_bytes: Callable[[], bytes]) -> Iterator[Source]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(read_bytes()))
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable zip archive ({exc})", Location(name)) from exc
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            entry = f"{name}!{info.filename}"
            data = archive.read(info)
            if info.filename.lower().endswith(".zip"):
                yield from _zip_sources(entry, lambda data=data: data)
            else:
                yield Source(entry, lambda data=data: data)
