"""Where records come from: files, folders and zip archives, each entry named as in the contract
(``export.zip!path/in/zip.json``)."""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from netral_cli.errors import InputError, Location


@dataclass(frozen=True)
class Source:
    """One readable file: its display name (``source_file``) and a way to get its bytes."""

    name: str
    read_bytes: Callable[[], bytes]

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
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


STDIN = "-"


def iter_sources(path: str | Path) -> Iterator[Source]:
    """Every file under ``path`` (a file, a folder, a zip, or ``-`` for standard input), in a stable order."""
    if str(path) == STDIN:
        yield Source(STDIN, lru_cache(maxsize=1)(lambda: sys.stdin.buffer.read()))
        return
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", Location(str(path)))
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            yield from _file_sources(child)
    else:
        yield from _file_sources(path)


def _file_sources(path: Path) -> Iterator[Source]:
    if path.suffix.lower() == ".zip":
        yield from _zip_sources(str(path), path.read_bytes)
    else:
        yield Source(str(path), path.read_bytes)


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
