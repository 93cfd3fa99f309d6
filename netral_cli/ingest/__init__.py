"""Ingest: files, folders and zips -> items. Platform adapters (``ADAPTERS``) first, then the generic readers."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from netral_cli.errors import InputError, Location
from netral_cli.ingest import crowdtangle, facebook, instagram, tiktok, whatsapp
from netral_cli.ingest.base import Adapter, Parser, Record
from netral_cli.ingest.generic import (FIELDS, GenericOptions, Lines, SpannedLines, jsonl_batches, read_csv, read_json,
                                      read_jsonl)
from netral_cli.ingest.sources import STDIN, Source, head_text, iter_sources, unreadable
from netral_cli.ingest.timestamps import DEFAULT_TZ, zone
from netral_cli.items import Skipped
from netral_cli.system import printable

# Platform adapters, tried in order before the generic readers (a Facebook export is JSON too).
ADAPTERS: list[Adapter] = [
    whatsapp.ADAPTER,
    tiktok.ADAPTER,
    crowdtangle.ADAPTER,
    facebook.ADAPTER,
    instagram.ADAPTER,
]

PARSERS: dict[str, Parser] = {
    "csv": read_csv,
    "json": read_json,
    "jsonl": read_jsonl,
}
_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_MEDIA_SUFFIXES = frozenset(
    ".jpg .jpeg .png .gif .webp .heic .bmp .mp4 .mov .3gp .webm .mkv .avi .opus .ogg .mp3 .m4a .aac .wav .amr "
    ".vcf .pdf .doc .docx .xls .xlsx .ppt .pptx".split())


def parser_names() -> list[str]:
    return [adapter.name for adapter in ADAPTERS] + list(PARSERS)


def _parser(name: str) -> Parser:
    for adapter in ADAPTERS:
        if adapter.name == name:
            return adapter.parse
    return PARSERS[name]


@dataclass(frozen=True)
class IngestOptions:
    """``input_format`` overrides detection; ``mapping`` is ``--map field=column``."""

    input_format: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    tz: str = DEFAULT_TZ

    def __post_init__(self) -> None:
        if self.input_format is not None and self.input_format not in parser_names():
            raise InputError(f"unknown input format {self.input_format!r}; choose from {', '.join(parser_names())}")
        unknown = sorted(set(self.mapping) - set(FIELDS))
        if unknown:
            raise InputError(f"--map names unknown field(s) {', '.join(unknown)}; fields are {', '.join(FIELDS)}")
        try:
            zone(self.tz)
        except ValueError as exc:
            raise InputError(str(exc), hint="use an IANA name such as Asia/Jakarta or UTC") from exc


def detect(source: Source) -> str | None:
    """The adapter for a file: the first platform adapter that recognises it, else a generic reader."""
    for adapter in ADAPTERS:
        if adapter.recognise(source):
            return adapter.name
    return detect_generic(source)


def detect_generic(source: Source) -> str | None:
    """The generic reader for a file, by its suffix and, for ``.json`` and standard input, its first characters."""
    kind = "json" if source.name == STDIN else _SUFFIXES.get(source.suffix)
    if kind == "json":
        head = head_text(source.head(4096)).lstrip()
        first_line = head.split("\n", 1)[0].strip()
        if first_line.startswith("{") and first_line.endswith("}") and ("\n{" in head or source.name == STDIN):
            return "jsonl"
        if source.name == STDIN and not head.startswith(("[", "{")):
            return "csv"
    return kind


def skip_reason(source: Source) -> str:
    """Why a file that no reader recognised is not read, in words a user can act on."""
    if source.suffix in _MEDIA_SUFFIXES:
        return f"media or document file {source.suffix} (not read)"
    if source.suffix == ".txt":
        return "text file that is not a WhatsApp chat export"
    return f"unrecognised file type {source.suffix or '(no suffix)'}"


EMPTY = "empty file: no records"
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BLANK_BYTES = b" \t\r\n\x00\x0b\x0c"


def is_blank(source: Source) -> bool:
    """Nothing but a BOM, white space or NUL bytes (an empty download, a file saved before it was written)."""
    with source.open_binary() as handle:
        block = handle.read(1 << 16)
        block = next((block[len(bom):] for bom in _BOMS if block.startswith(bom)), block)
        while block:
            if block.strip(_BLANK_BYTES):
                return False
            block = handle.read(1 << 16)
    return True


def read(paths: Iterable[str | Path], options: IngestOptions | None = None) -> Iterator[Record | Skipped]:
    """Every item and rejected record in ``paths``, plus a Skipped for each file not understood or not
    readable (no permission, a broken zip, a read error midway): the other files are still read. A path
    that does not exist fails before anything is read; when no file could be read at all, the first
    unreadable one fails the ingest with its reason (rather than an empty, seemingly clean result)."""
    yield from parsed(read_deferred(paths, options))


Batch = Lines | SpannedLines  # a JSONL file's lines, read or located, parsed where they are scored
BATCHES = (Lines, SpannedLines)


def read_deferred(paths: Iterable[str | Path], options: IngestOptions | None = None
                  ) -> Iterator[Record | Skipped | Batch]:
    """As :func:`read`, but a generic JSONL file's lines come as batches (:data:`Batch`), read or located and not yet
    parsed: a scan parses them in the process that scores them (:func:`parsed`)."""
    options = options or IngestOptions()
    generic = GenericOptions(mapping=options.mapping, tz=options.tz)
    paths = [str(path) for path in paths]
    for path in paths:
        if path != STDIN and not os.path.exists(path):  # (a broken symbolic link too)
            raise InputError("no such file or folder", Location(printable(path)))
    refused: Skipped | None = None
    readable = False
    for path in paths:
        for source in iter_sources(path):
            records = [replace(source, source_file=printable(source.source_file))] if isinstance(source, Skipped) \
                else _records(source, options.input_format, generic)
            for record in records:
                if isinstance(record, Skipped) and record.refused:
                    refused = refused or record
                elif not isinstance(record, Skipped):
                    readable = True
                yield record
    if refused is not None and not readable:
        raise InputError(refused.reason, Location(refused.source_file))


def _records(source: Source, input_format: str | None, generic: GenericOptions) -> Iterator[Record | Skipped | Batch]:
    """The records of one file; a file that fails to read (even after some records) ends as a refused Skipped."""
    source = replace(source, name=printable(source.name))
    try:
        name = input_format or detect(source)
        if name is None:
            yield Skipped(source.name, skip_reason(source))
            return
        if is_blank(source):
            yield Skipped(source.name, EMPTY)
            return
        yield from jsonl_batches(source, generic) if name == "jsonl" else _parser(name)(source, generic)
    except (InputError, OSError) as exc:
        yield unreadable(source.name, exc)


def parsed(pieces: Iterable[Record | Skipped | Batch]) -> Iterator[Record | Skipped]:
    """The pieces in order, each batch of lines replaced by its parsed items and rejected records."""
    for piece in pieces:
        if isinstance(piece, BATCHES):
            yield from piece.records()
        else:
            yield piece


__all__ = ["ADAPTERS", "BATCHES", "PARSERS", "Adapter", "Batch", "IngestOptions", "Lines", "Record", "SpannedLines",
           "detect", "parser_names", "read", "read_deferred", "parsed"]
