"""Where records come from: files, folders and zip archives, each entry named as in the contract
(``export.zip!path/in/zip.json``), and how their bytes become text.

Nothing is read before a reader asks for it, and then as a stream: a zip on disk is opened from the file,
its entries are decompressed one at a time as they are read, under :class:`ZipLimits` (a zip bomb, a
hostile or broken entry becomes a skipped file naming the entry; the other entries are still read).
A folder is walked without following symbolic links, and special files (FIFOs, devices) are never opened.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import shutil
import stat
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath
from typing import BinaryIO, TextIO

from netral_cli.errors import InputError, Location
from netral_cli.items import Skipped

try:  # an interpreter built without lzma or bz2 cannot decompress those entries: they are refused, not a crash
    from lzma import LZMAError
except ImportError:  # pragma: no cover
    LZMAError = zlib.error  # type: ignore[misc,assignment]

# Files a whole-document reader (Meta, TikTok) may hold in memory; larger ones are read only by streaming readers.
WHOLE_FILE_LIMIT = 256 << 20


def too_big_to_hold(source: Source) -> bool:
    """Whether a whole-document reader must leave this file alone (it is over WHOLE_FILE_LIMIT)."""
    return source.size is not None and source.size > WHOLE_FILE_LIMIT


def too_big_reason(source: Source) -> str:
    return (f"file of {_size(source.size or 0)} is over the {_size(WHOLE_FILE_LIMIT)} this export format is read in "
            "at most (it is read whole)")


class UnreadableFile(InputError):
    """A file or zip entry that cannot be read (or not read further): the scan lists it as skipped and goes on."""


@dataclass(frozen=True)
class Source:
    """One readable file: its display name (``source_file``) and a way to get its bytes.

    ``opener`` gives the bytes as a stream (a zip entry, decompressed as it is read); ``path`` is the
    file on disk, when there is one; ``size`` its (declared) size in bytes, when known.
    """

    name: str
    read_bytes: Callable[[], bytes]
    path: Path | None = None
    opener: Callable[[], BinaryIO] | None = None
    size: int | None = None

    def open_binary(self) -> BinaryIO:
        """The bytes as a stream, never held in memory whole when they come from a file or a zip entry."""
        if self.opener is not None:
            return self.opener()
        return self.path.open("rb") if self.path is not None else io.BytesIO(self.read_bytes())

    def head(self, size: int) -> bytes:
        """The first ``size`` bytes (what recognisers look at), without reading the rest."""
        with self.open_binary() as handle:
            return handle.read(size)

    def open_text(self) -> TextIO:
        """The text as a stream of lines ending at ``\\r\\n``, ``\\r`` or ``\\n`` (kept), decoded as
        :func:`decode_text` decodes the whole file."""
        encoding = self.encoding()
        return io.TextIOWrapper(self.open_binary(), encoding=encoding, errors=_errors(encoding), newline="")

    def encoding(self) -> str:
        """The codec its text is read with (:func:`text_encoding` of its first bytes)."""
        return text_encoding(self.head(_SNIFF_BYTES))

    @property
    def filename(self) -> str:
        return self.name.rsplit("!", 1)[-1].rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        return Path(self.filename).suffix.lower()

    def read_text(self) -> str:
        return decode_text(self.read_bytes())


# --- encodings -------------------------------------------------------------------------------------

_SNIFF_BYTES = 4096
_FALLBACK = "netral-cp1252"
UTF8 = "utf-8-sig"  # a byte order mark dropped


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 are read as cp1252, one invalid sequence at a time: a UTF-8 file with a few
    Windows bytes keeps its UTF-8 text, a cp1252 file reads as cp1252, and the line numbers stay."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error(_FALLBACK, _cp1252_fallback)


def text_encoding(head: bytes) -> str:
    """The codec for a file starting with ``head``: UTF-16 by its BOM, UTF-16 without BOM when every other
    byte is NUL (ASCII-range text saved as UTF-16), else UTF-8 (its BOM dropped)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    pairs = len(head) // 2
    if pairs >= 2:
        even_nuls, odd_nuls = head[0:pairs * 2:2].count(0), head[1:pairs * 2:2].count(0)
        if odd_nuls >= 0.9 * pairs and even_nuls == 0:
            return "utf-16-le"
        if even_nuls >= 0.9 * pairs and odd_nuls == 0:
            return "utf-16-be"
    return UTF8


def decode_text(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM; any bytes that are not UTF-8 read as cp1252), UTF-16."""
    encoding = text_encoding(data[:_SNIFF_BYTES])
    return data.decode(encoding, errors=_errors(encoding))


def head_text(data: bytes) -> str:
    """The first bytes of a file as text, to recognise its format: decoded as :func:`decode_text` would,
    a character cut at the end dropped."""
    return data.decode(text_encoding(data), errors="ignore")


def _errors(encoding: str) -> str:
    return _FALLBACK if encoding == UTF8 else "replace"


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def text_lines(source: Source) -> Iterator[tuple[int, str]]:
    """The lines of a text file numbered from 1, as ``LINE_BREAK.split(source.read_text())`` gives them
    (but for the empty line after a final line break), read as a stream so that a large file is never held
    in memory whole.

    Lines end only at ``\\r\\n``, ``\\r`` or ``\\n`` (str.splitlines() would also split at U+2028 and the like,
    which JSON strings may hold).
    """
    with source.open_text() as lines:
        for number, line in enumerate(lines, start=1):
            yield number, line.rstrip("\r\n")  # one line ending at most: newline="" ends a line at each


SPAN_BYTES = 1 << 18  # bytes :func:`line_spans` reads at a time: about 700 lines of a scraper's JSONL


@dataclass(frozen=True)
class LineSpan:
    """Whole lines of a UTF-8 file on disk, by where they lie in it: ``size`` bytes from ``offset``, the lines
    numbered from ``first``, ``count`` of them. ``stamp`` is the file's (size, modification time, inode) when
    it was first read, to tell a file that changed since."""

    path: str
    offset: int
    size: int
    first: int
    count: int
    stamp: tuple[int, int, int]

    def lines(self, name: str) -> Iterator[tuple[int, str]]:
        """Its lines read again, numbered and decoded as :func:`text_lines` gives them (``name``: the file's name in
        errors)."""
        text = self._data(name).decode("utf-8", errors=_FALLBACK)
        return enumerate(LINE_BREAK.split(text)[:self.count], start=self.first)

    def _data(self, name: str) -> bytes:
        where = Location(name, f"line={self.first}")
        try:
            with open(self.path, "rb") as handle:
                changed = _stamp(os.fstat(handle.fileno())) != self.stamp
                handle.seek(self.offset)
                data = handle.read(self.size)
        except OSError as exc:
            raise InputError(f"cannot read the file again: {exc.strerror or exc}", where) from exc
        if changed or len(data) != self.size:
            raise InputError("the file changed while it was scanned; scan it again when nothing writes to it", where)
        return data


def line_spans(source: Source, size: int = SPAN_BYTES) -> Iterator[LineSpan]:
    """The lines of a UTF-8 file on disk (``source.path``) in spans of about ``size`` bytes that end at a line break
    (the last one at the end of the file), found without decoding them: the lines are read where they are used.
    The numbers are :func:`text_lines`'s; a UTF-8 byte order mark is left out of the first span."""
    assert source.path is not None
    with source.path.open("rb") as handle:
        stamp = _stamp(os.fstat(handle.fileno()))
        offset = len(codecs.BOM_UTF8) if handle.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8 else 0
        handle.seek(offset)
        number, rest = 1, b""
        while block := handle.read(size):
            data = rest + block
            # after the last line break; a final \r may be the first half of a \r\n
            last_cr = data.rfind(b"\r", 0, len(data) - 1)
            end = max(data.rfind(b"\n"), last_cr) + 1
            if end:  # most files have no \r before the end: their line breaks are their \n, counted in one pass
                breaks = data.count(b"\n", 0, end) if last_cr < 0 else _line_breaks(data, end)
                yield LineSpan(str(source.path), offset, end, number, breaks, stamp)
                offset, number = offset + end, number + breaks
            rest = data[end:]
        if rest:
            lines = _line_breaks(rest, len(rest)) + (not rest.endswith(b"\r"))
            yield LineSpan(str(source.path), offset, len(rest), number, lines, stamp)


def _line_breaks(data: bytes, end: int) -> int:
    return data.count(b"\n", 0, end) + data.count(b"\r", 0, end) - data.count(b"\r\n", 0, end)


def _stamp(status: os.stat_result) -> tuple[int, int, int]:
    return status.st_size, status.st_mtime_ns, status.st_ino


# --- zip archives ------------------------------------------------------------------------------------

_SIZE = re.compile(r"(?i)^\s*(\d+)\s*([kmgt]?)i?b?\s*$")
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


@dataclass(frozen=True)
class ZipLimits:
    """What netral reads out of a zip archive at most. Each can be set by an environment variable
    ``NETRAL_ZIP_<NAME>`` (``NETRAL_ZIP_MAX_ENTRY_SIZE=4G``); sizes are uncompressed bytes actually read."""

    max_entry_size: int = 2 << 30      # one entry
    max_total_size: int = 16 << 30     # all the entries read from one archive, nested archives included
    max_ratio: int = 200               # uncompressed / compressed size of an entry, once over RATIO_FROM bytes
    max_entries: int = 100_000         # entries in one archive (a Meta export with its photos has thousands)
    max_depth: int = 3                 # archives inside archives: export.zip!inner.zip!deeper.zip

    RATIO_FROM = 1 << 20

    @classmethod
    def from_environment(cls) -> ZipLimits:
        values = {}
        for spec in fields(cls):
            variable = f"NETRAL_ZIP_{spec.name.upper()}"
            raw = os.environ.get(variable)
            if raw is not None:
                match = _SIZE.match(raw)
                if not match:
                    raise InputError(f"{variable}={raw!r} is not a number (sizes may end in K, M, G or T)")
                values[spec.name] = int(match.group(1)) * _UNITS[match.group(2).lower()]
        return cls(**values)


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


_SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_DRIVE = re.compile(r"^[A-Za-z]:")
# What a damaged or lying entry raises while it is decompressed.
_CORRUPT = (zipfile.BadZipFile, EOFError, zlib.error, LZMAError, OSError, NotImplementedError, RuntimeError)


class _Budget:
    """The uncompressed bytes read so far from one outer archive (nested ones share it); an entry read
    twice (recognised, then parsed) counts once, as far as it was read."""

    def __init__(self) -> None:
        self.total = 0
        self.reached: dict[str, int] = {}

    def add(self, entry: str, count: int) -> None:
        reached = self.reached.get(entry, 0)
        if count > reached:
            self.total += count - reached
            self.reached[entry] = count


class _GuardedEntry(io.RawIOBase):
    """A zip entry decompressed as it is read, stopped with an UnreadableFile as soon as the bytes
    actually produced pass a limit (headers lie), or when the entry turns out to be damaged."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: ZipLimits,
                 budget: _Budget):
        super().__init__()
        self.info, self.name, self.limits, self.budget = info, name, limits, budget
        self.count = 0
        self._check(info.file_size, declared=True)
        try:
            self.inner = archive.open(info)
        except _CORRUPT as exc:
            raise _damaged(name, exc) from exc

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        try:
            data = self.inner.read(len(buffer))
        except _CORRUPT as exc:
            raise _damaged(self.name, exc) from exc
        self.count += len(data)
        self.budget.add(self.name, self.count)
        self._check(self.count, declared=False)
        buffer[:len(data)] = data
        return len(data)

    def _check(self, size: int, declared: bool) -> None:
        limits, said = self.limits, "declares" if declared else "holds"
        if size > limits.max_entry_size:
            raise UnreadableFile(f"zip entry {said} more than {_size(limits.max_entry_size)} uncompressed, over the "
                                 "limit (NETRAL_ZIP_MAX_ENTRY_SIZE)", Location(self.name))
        if size > limits.RATIO_FROM and size > limits.max_ratio * max(self.info.compress_size, 1):
            raise UnreadableFile(f"zip entry {said} {_size(size)} from {_size(self.info.compress_size)} compressed, "
                                 f"over {limits.max_ratio} times (a zip bomb? limit NETRAL_ZIP_MAX_RATIO)",
                                 Location(self.name))
        if not declared and self.budget.total > limits.max_total_size:
            raise UnreadableFile(f"zip archive holds more than {_size(limits.max_total_size)} uncompressed, over the "
                                 "limit (NETRAL_ZIP_MAX_TOTAL_SIZE)", Location(self.name))

    def close(self) -> None:
        if hasattr(self, "inner"):
            self.inner.close()
        super().close()


def _damaged(name: str, exc: BaseException) -> UnreadableFile:
    detail = str(exc) or type(exc).__name__
    return UnreadableFile(f"damaged zip entry ({detail})", Location(name))


def _refusal(info: zipfile.ZipInfo, seen: dict[str, int]) -> str | None:
    """Why an entry is not read at all, judged from its header alone (None: it may be read)."""
    name = info.filename
    parts = PurePosixPath(name).parts
    if name.startswith("/") or _DRIVE.match(name) or ".." in parts or "\\" in name:
        return "unsafe path in zip entry name (absolute, drive letter, .. or backslash)"
    if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
        return "zip entry is a symbolic link (not followed)"
    if info.flag_bits & 0x1:
        return "zip entry is encrypted"
    if info.compress_type not in _SUPPORTED_METHODS:
        return f"zip entry uses an unsupported compression method ({info.compress_type})"
    if seen[name] > 1:
        return f"zip archive holds {seen[name]} entries named {name!r} (none is read)"
    return None


def _zip_sources(name: str, file: str | BinaryIO, depth: int, limits: ZipLimits,
                 budget: _Budget) -> Iterator[Source | Skipped]:
    try:
        archive = zipfile.ZipFile(file)
    except OSError as exc:
        yield Skipped(name, f"cannot read file: {exc.strerror or exc}", refused=True)
        return
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        yield Skipped(name, f"not a readable zip archive ({exc})", refused=True)
        return
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > limits.max_entries:
            yield Skipped(name, f"zip archive has {len(infos)} entries, over the limit of {limits.max_entries} "
                                "(NETRAL_ZIP_MAX_ENTRIES)", refused=True)
            return
        seen: dict[str, int] = {}
        for info in infos:
            seen[info.filename] = seen.get(info.filename, 0) + 1
        for info in sorted(infos, key=lambda i: i.filename):
            entry = f"{name}!{info.filename}"
            reason = _refusal(info, seen)
            if reason:
                yield Skipped(entry, reason, refused=True)
            elif info.filename.lower().endswith(".zip"):
                yield from _nested_zip(entry, archive, info, depth + 1, limits, budget)
            else:
                yield _entry_source(entry, archive, info, limits, budget)


def _entry_source(entry: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits,
                  budget: _Budget) -> Source:
    def opener() -> BinaryIO:
        return io.BufferedReader(_GuardedEntry(archive, info, entry, limits, budget))  # type: ignore[return-value]

    def read_bytes() -> bytes:
        with opener() as handle:
            return handle.read()

    return Source(entry, read_bytes, opener=opener, size=info.file_size)


# Nested archives (they need seeking) and standard input (read more than once) are copied out: in memory up to
# this size, else to a temporary file.
_SPOOL_IN_MEMORY = 32 << 20


def _nested_zip(entry: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, depth: int, limits: ZipLimits,
                budget: _Budget) -> Iterator[Source | Skipped]:
    if depth > limits.max_depth:
        yield Skipped(entry, f"zip archive nested more than {limits.max_depth} deep, over the limit "
                             "(NETRAL_ZIP_MAX_DEPTH)", refused=True)
        return
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as copy:
        try:
            with _entry_source(entry, archive, info, limits, budget).open_binary() as handle:
                shutil.copyfileobj(handle, copy, 1 << 20)
        except UnreadableFile as exc:
            yield Skipped(entry, exc.message, refused=True)
            return
        copy.seek(0)
        yield from _zip_sources(entry, copy, depth, limits, budget)  # type: ignore[arg-type]


# --- files and folders -------------------------------------------------------------------------------

STDIN = "-"


def iter_sources(path: str | Path, limits: ZipLimits | None = None) -> Iterator[Source | Skipped]:
    """Every file under ``path`` (a file, a folder, a zip, or ``-`` for standard input), in a stable order,
    and a Skipped for each one found but not to be read (a symbolic link in a folder, a FIFO, a refused
    zip entry). A zip entry can be read while the iteration is under way (its archive is open till then)."""
    if str(path) == STDIN:
        yield from _stdin_source()
        return
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or folder", Location(str(path)))
    limits = limits or ZipLimits.from_environment()
    in_folder = path.is_dir()
    for child in _walk(path) if in_folder else [path]:
        if isinstance(child, Skipped):
            yield child
            continue
        try:
            yield from _file_sources(child, limits, in_folder)
        except (InputError, OSError) as exc:
            yield unreadable(str(child), exc)


def _stdin_source() -> Iterator[Source | Skipped]:
    """Standard input, copied as it comes to a spooled file (in memory up to _SPOOL_IN_MEMORY, else an
    anonymous temporary file), which every reader then reads like a file: its memory does not grow with the
    input. The copy is dropped when the iteration goes past it."""
    if sys.stdin is None:
        raise InputError("standard input is closed", Location(STDIN))
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as copy:
        try:
            shutil.copyfileobj(sys.stdin.buffer, copy, 1 << 20)
        except OSError as exc:  # a full disk
            yield unreadable(STDIN, exc)
            return
        size = copy.tell()

        def opener() -> BinaryIO:
            return io.BufferedReader(_Reading(copy))  # type: ignore[return-value]

        def read_bytes() -> bytes:
            copy.seek(0)
            return copy.read()

        yield Source(STDIN, read_bytes, opener=opener, size=size)


class _Reading(io.RawIOBase):
    """One reader's own position in a file that several readers share (detection, then one or two passes)."""

    def __init__(self, file: BinaryIO):
        self.file = file
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        self.file.seek(self.position)
        data = self.file.read(len(buffer))
        buffer[:len(data)] = data
        self.position += len(data)
        return len(data)


def unreadable(name: str, error: InputError | OSError) -> Skipped:
    """The refused Skipped of a file that failed to read (the InputError's own location when it has one)."""
    if isinstance(error, InputError):
        return Skipped(error.location.path if error.location else name, error.message, refused=True)
    return Skipped(name, f"cannot read file: {error.strerror or error}", refused=True)


def _walk(folder: Path) -> list[Path | Skipped]:
    """Everything under ``folder`` but folders, sorted by name, without following symbolic links (a link
    to a folder is listed, not entered: no loops, nothing outside the folder); a Skipped for each folder
    that cannot be listed."""
    found: list[Path] = []
    unlisted: list[Skipped] = []

    def unreadable(exc: OSError) -> None:
        unlisted.append(Skipped(str(exc.filename), f"cannot read folder: {exc.strerror or exc}", refused=True))

    for root, folders, files in os.walk(folder, onerror=unreadable):
        base = Path(root)
        found.extend(base / name for name in files)
        found.extend(base / name for name in folders if (base / name).is_symlink())
    return sorted([*found, *unlisted], key=lambda p: p if isinstance(p, Path) else Path(p.source_file))


def _file_sources(path: Path, limits: ZipLimits, in_folder: bool) -> Iterator[Source | Skipped]:
    """A file's Source (a zip's entries), or a Skipped: a symbolic link inside a folder is not followed
    (one named on the command line is), and only regular files are opened (a FIFO would hang the scan)."""
    name = str(path)
    try:
        if in_folder and path.is_symlink():
            yield Skipped(name, "symbolic link inside a folder (not followed)")
            return
        status = path.stat()
    except OSError as exc:
        yield Skipped(name, f"cannot read file: {exc.strerror or exc}", refused=True)
        return
    if not stat.S_ISREG(status.st_mode):
        yield Skipped(name, "not a regular file: a FIFO, socket or device is not read (give - to read standard "
                            "input)", refused=True)
    elif path.suffix.lower() == ".zip":
        yield from _zip_sources(name, name, 0, limits, _Budget())
    else:
        yield Source(name, path.read_bytes, path, size=status.st_size)
