"""Ingest: files, folders and zips -> items. Platform adapters (``ADAPTERS``) first, then the generic readers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from netral_cli.errors import InputError, Location
from netral_cli.ingest import crowdtangle, facebook, instagram, tiktok, whatsapp
from netral_cli.ingest.base import Adapter, Parser, Record
from netral_cli.ingest.generic import FIELDS, GenericOptions, read_csv, read_json, read_jsonl
from netral_cli.ingest.sources import STDIN, Source, UnreadableFile, iter_sources
from netral_cli.ingest.timestamps import DEFAULT_TZ, zone
from netral_cli.items import Skipped

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
        head = source.head(4096).decode("utf-8-sig", errors="ignore").lstrip()
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


def read(paths: Iterable[str | Path], options: IngestOptions | None = None) -> Iterator[Record | Skipped]:
    """Every item and rejected record in ``paths``, plus a Skipped for each file not understood."""
    options = options or IngestOptions()
    generic = GenericOptions(mapping=options.mapping, tz=options.tz)
    refused: Skipped | None = None
    readable = False
    for path in paths:
        for source in iter_sources(path):
            for record, parsed in _read_source(source, options, generic):
                if isinstance(record, Skipped) and record.refused:
                    refused = refused or record
                elif parsed:
                    readable = True
                yield record
    if refused is not None and not readable:
        raise InputError(refused.reason, Location(refused.source_file))


def _read_source(source: Source | Skipped, options: IngestOptions,
                 generic: GenericOptions) -> Iterator[tuple[Record | Skipped, bool]]:
    """The records of one file, each with whether a parser gave it (a file no reader recognises gives none).

    A file that cannot be read (or read further: a damaged zip entry, a zip bomb, a file gone or
    forbidden) ends as a refused Skipped after the records read before it, and the scan goes on.
    """
    if isinstance(source, Skipped):
        yield source, False
        return
    try:
        name = options.input_format or detect(source)
        if name is None:
            yield Skipped(source.name, skip_reason(source)), False
            return
        for record in _parser(name)(source, generic):
            yield record, True
    except UnreadableFile as exc:
        yield Skipped(source.name, exc.message, refused=True), False
    except OSError as exc:
        yield Skipped(source.name, f"cannot read file: {exc.strerror or exc}", refused=True), False


__all__ = ["ADAPTERS", "PARSERS", "Adapter", "IngestOptions", "Record", "detect", "parser_names", "read"]
