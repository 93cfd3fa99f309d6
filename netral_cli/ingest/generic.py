"""Generic CSV, JSON and JSONL records (scraper exports, spreadsheets) -> items.

Columns are found by their usual names (``text``/``message``/``caption``…, ``author``/``username``…,
``created_at``/``timestamp``…); ``--map field=column`` names any other column. Nested JSON objects
are flattened with dots, so ``user.screen_name`` can be mapped too.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from dataclasses import dataclass, field
from typing import Any

from netral_cli.ingest import jsondoc
from netral_cli.ingest.jsonpath import json_path
from netral_cli.ingest.jsonstream import stream_records
from netral_cli.ingest.sources import UTF8, LineSpan, Source, line_spans, text_lines
from netral_cli.ingest.timestamps import DEFAULT_TZ, parse_timestamp
from netral_cli.items import Item, Rejected, new_item

FIELDS = ("text", "author", "account", "timestamp", "target", "platform", "kind", "group")

# Candidate column names per field, most specific first, compared after _key() folding.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": ("text", "message", "content", "caption", "body", "fulltext", "post", "comment", "tweet",
             "isi", "pesan", "teks", "konten", "description", "desc", "title",
             "edgemediatocaption.edges.node.text", "node.edgemediatocaption.edges.node.text"),
    "author": ("author", "authorname", "author.name", "name", "displayname", "user.name", "user.displayname",
               "user", "from", "from.name", "sender", "nama", "pengirim", "owner", "pagename", "account.name",
               "authormeta.nickname", "author.nickname", "postowner.name"),
    "account": ("account", "handle", "username", "screenname", "user.screenname", "user.username",
                "user.handle", "author.username", "author.handle", "author.uniqueid", "accounthandle",
                "userhandle", "account.handle", "profileurl", "profile", "authorurl", "userurl", "akun",
                "uniqueid", "owner.username", "node.owner.username", "authormeta.name", "postowner.username"),
    # An epoch column first: 4CAT writes both ``timestamp`` (text without a zone) and ``unix_timestamp``.
    "timestamp": ("unixtimestamp", "createdat", "timestamp", "date", "time", "datetime", "postedat", "publishedat",
                  "postcreated", "createdtime", "creationtime", "createtime", "tanggal", "waktu", "timestampms",
                  "takenattimestamp", "node.takenattimestamp"),
    # tiktok-scraper's ``webVideoUrl`` is the video's page, its ``videoUrl`` the media file.
    "target": ("target", "url", "link", "permalink", "posturl", "href", "weburl", "webvideourl", "tiktokurl",
               "videourl"),
    "platform": ("platform", "network", "site"),
    "kind": ("kind", "itemkind", "jenis"),
    "group": ("group", "groupname", "grup", "chat", "chatname"),
}
_LIST_KEYS = ("data", "items", "posts", "records", "results", "rows", "comments", "messages")


@dataclass(frozen=True)
class GenericOptions:
    """How to read generic records: explicit column mapping, time zone, defaults."""

    mapping: Mapping[str, str] = field(default_factory=dict)
    tz: str = DEFAULT_TZ
    platform: str = "generic"
    kind: str = "post"


def _key(name: str) -> str:
    """``Created At`` -> ``createdat``; the dot of a flattened ``user.name`` stays (it is not ``username``)."""
    return re.sub(r"[^a-z0-9.]", "", name.lower())


def resolve_columns(columns: list[str], options: GenericOptions) -> dict[str, str]:
    """Map each item field to a column of the record, explicit ``--map`` first, then by name."""
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(_key(column), column)
    chosen: dict[str, str] = {}
    for name, column in options.mapping.items():
        chosen[name] = column if column in columns else by_key.get(_key(column), column)
    taken = set(chosen.values())
    for name in FIELDS:
        if name in chosen:
            continue
        for candidate in CANDIDATES[name]:
            column = by_key.get(candidate)
            if column and column not in taken:
                chosen[name] = column
                taken.add(column)
                break
    return chosen


class ColumnCache:
    """Columns resolved once per distinct set of record keys.

    Chosen per set, not once per file: a later record with more fields (a timestamp the first
    record lacked) must not be read with the first record's columns.
    """

    LIMIT = 256

    def __init__(self, options: GenericOptions):
        self.options = options
        self.cache: dict[tuple[str, ...], dict[str, str]] = {}

    def of(self, record: Mapping[str, Any]) -> dict[str, str]:
        keys = tuple(record)
        if keys not in self.cache:
            if len(self.cache) >= self.LIMIT:
                self.cache.clear()
            self.cache[keys] = resolve_columns(list(keys), self.options)
        return self.cache[keys]


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"user": {"name": "x"}}`` -> ``{"user.name": "x"}``; lists stay as they are, except a list of one
    object, read as that object (GraphQL captions: ``edge_media_to_caption.edges.node.text``). A record
    without nested values (most) is returned as it is."""
    if not prefix and not any(isinstance(value, (dict, list)) for value in record.values()):
        return record
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
            value = value[0]
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def record_to_item(record: Mapping[str, Any], columns: dict[str, str], source_file: str, locator: str,
                   options: GenericOptions) -> Item | Rejected:
    """One flat record -> an Item, or a Rejected that says why not."""
    # _cell of each column, a text cell (nearly all) without the call
    values = {name: (raw.strip() or None) if type(raw) is str else _cell(raw)
              for name, raw in zip(columns, map(record.get, columns.values()))}
    text = values.get("text") or ""
    target = values.get("target")
    if not text and not target and not values.get("group"):
        return Rejected(source_file, locator, "no text, target or group: nothing to scan", _excerpt(record))
    read = set(columns.values())
    extras = {k: v for k, v in record.items() if k not in read and v not in (None, "")}
    raw_time = record.get(columns["timestamp"]) if "timestamp" in columns else None
    try:
        timestamp = parse_timestamp(raw_time, options.tz)
    except ValueError as exc:
        return Rejected(source_file, locator, f"{exc} in column {columns['timestamp']!r}", _excerpt(record))
    return new_item(platform=(values.get("platform") or options.platform).lower(),
                    kind=(values.get("kind") or options.kind).lower(), text=text, source_file=source_file,
                    locator=locator, author=values.get("author"), account=values.get("account"), timestamp=timestamp,
                    target=target, group=values.get("group"), extras=extras)


def _cell(raw: Any) -> str | None:
    """A field's value as text; None when it is missing, empty or not a single value."""
    if raw is None or isinstance(raw, (list, dict)):
        return None
    return str(raw).strip() or None


def _excerpt(record: object, limit: int = 160) -> str:
    try:
        text = json.dumps(record, ensure_ascii=False, default=str)
    except RecursionError:
        return jsondoc.TOO_DEEP
    return text if len(text) <= limit else text[: limit - 1] + "…"


def csv_table(source: Source) -> tuple[list[str], Iterator[tuple[str, dict[str, str] | Rejected]]]:
    """The header of a CSV or TSV file and its data rows as ``(row=N, {column: cell})``, N 1-based, read as a
    stream (one row at a time).

    Blank rows are not records; an unreadable row or one with more fields than the header is a Rejected.
    """
    lines = _lines(source)
    sample: list[str] = []
    sampled = 0
    while sampled < _SNIFF_CHARS and (line := next(lines, None)) is not None:
        sample.append(line)
        sampled += len(line)
    csv.field_size_limit(1 << 30)
    reader = csv.reader(chain(sample, lines), delimiter=_sniff_delimiter("".join(sample)))
    try:
        header = next(reader)
    except StopIteration:
        return [], iter(())
    except csv.Error as exc:
        return [], iter([("row=0", Rejected(source.name, "row=0", f"unreadable CSV header: {exc}"))])
    header = distinct(header)
    return header, _csv_rows(reader, header, source)


def distinct(names: list[str]) -> list[str]:
    """Column names made unique as pandas does (``text``, ``text.1``): a repeated column is kept, not
    overwritten by the next one, and the first of them is the one read as the field."""
    taken: set[str] = set()
    unique = []
    for name in names:
        candidate, count = name, 0
        while candidate in taken:
            count += 1
            candidate = f"{name}.{count}"
        taken.add(candidate)
        unique.append(candidate)
    return unique


def _lines(source: Source) -> Iterator[str]:
    with source.open_text() as stream:
        yield from stream


_SNIFF_CHARS = 8192


def _sniff_delimiter(text: str) -> str:
    """Only the delimiter is sniffed: the sniffer's guesses about quoting misread quoted quotes and newlines."""
    try:
        return csv.Sniffer().sniff(text[:_SNIFF_CHARS], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _csv_rows(reader: Iterator[list[str]], header: list[str],
              source: Source) -> Iterator[tuple[str, dict[str, str] | Rejected]]:
    row_number = 0
    while True:
        row_number += 1
        locator = f"row={row_number}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield locator, Rejected(source.name, locator, f"unreadable CSV row: {exc}")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            yield locator, Rejected(source.name, locator,
                                    f"row has {len(row)} fields but the header has {len(header)}", _excerpt(row))
            continue
        yield locator, dict(zip(header, row))


def read_csv(source: Source, options: GenericOptions) -> Iterator[Item | Rejected]:
    """CSV or TSV with a header row; locators are ``row=N`` (1-based data row)."""
    header, rows = csv_table(source)
    columns = resolve_columns(header, options)
    for locator, row in rows:
        yield row if isinstance(row, Rejected) else record_to_item(row, columns, source.name, locator, options)


def read_jsonl(source: Source, options: GenericOptions) -> Iterator[Item | Rejected]:
    """One JSON object per line; locators are ``line=N``. Blank lines are not records."""
    for lines in jsonl_lines(source, options):
        yield from lines.records()


LINES = 1000  # lines a batch of JSONL lines holds at most


@dataclass(frozen=True)
class Lines:
    """Lines of a JSONL file, read but not parsed yet: a scan parses them where it scores them (in a scoring
    process), so that the reading process only reads."""

    source_file: str
    options: GenericOptions
    lines: list[tuple[int, str]]  # (line number, text), blank lines left out

    def __len__(self) -> int:
        return len(self.lines)

    def records(self) -> list[Item | Rejected]:
        """The lines' items and rejected records, in order."""
        columns = ColumnCache(self.options)
        return [_jsonl_record(line, self.source_file, f"line={number}", columns, self.options)
                for number, line in self.lines]


@dataclass(frozen=True)
class SpannedLines:
    """Lines of a UTF-8 JSONL file on disk, by where they lie in it: the process that scores them reads them (the
    reading process only finds where lines end, a few C calls a block, and a batch crosses to a scoring process
    as a few numbers rather than a thousand strings)."""

    source_file: str
    options: GenericOptions
    span: LineSpan

    def __len__(self) -> int:
        return self.span.count

    def loaded(self) -> Lines:
        """The non-blank lines, read."""
        return Lines(self.source_file, self.options,
                     [(number, line) for number, line in self.span.lines(self.source_file) if line.strip()])

    def records(self) -> list[Item | Rejected]:
        return self.loaded().records()


def jsonl_batches(source: Source, options: GenericOptions) -> Iterator[Lines | SpannedLines]:
    """A JSONL file's lines in batches to parse later: spans of a UTF-8 file on disk, else :func:`jsonl_lines`."""
    if source.path is None or source.opener is not None or source.encoding() != UTF8:
        yield from jsonl_lines(source, options)
        return
    for span in line_spans(source):
        yield SpannedLines(source.name, options, span)


def jsonl_lines(source: Source, options: GenericOptions) -> Iterator[Lines]:
    """The non-blank lines of a JSONL file in batches of at most :data:`LINES`."""
    batch: list[tuple[int, str]] = []
    for number, line in text_lines(source):
        if line.strip():
            batch.append((number, line))
            if len(batch) >= LINES:
                yield Lines(source.name, options, batch)
                batch = []
    if batch:
        yield Lines(source.name, options, batch)


def _jsonl_record(line: str, source_file: str, locator: str, columns: ColumnCache,
                  options: GenericOptions) -> Item | Rejected:
    try:
        record = jsondoc.loads(line)
    except jsondoc.JSONProblem as exc:
        return Rejected(source_file, locator, exc.reason, line[:160])
    return _json_record(record, source_file, locator, columns, options, line[:160])


def read_json(source: Source, options: GenericOptions) -> Iterator[Item | Rejected]:
    """A JSON array of records, or an object holding one; locators are JSON paths (``$.data[3]``).

    A file over STREAM_JSON_ABOVE bytes is streamed (:mod:`netral_cli.ingest.jsonstream`): its records are
    read one at a time, never the whole document.
    """
    large = source.size is not None and source.size > STREAM_JSON_ABOVE
    found = stream_records(source, _LIST_KEYS) if large else _whole_records(source)
    if isinstance(found, Rejected):
        yield found
        return
    path, records = found
    columns = ColumnCache(options)
    for index, record in enumerate(records):
        locator = f"{path}[{index}]" if path else "$"
        yield _json_record(record, source.name, locator, columns, options)


def _json_record(record: Any, source_file: str, locator: str, columns: ColumnCache, options: GenericOptions,
                 excerpt: str | None = None) -> Item | Rejected:
    """One parsed JSON record -> an Item, or a Rejected (not an object, a repeated key, nested too deeply)."""
    if type(record) is dict and _SCALARS.issuperset(map(type, record.values())):  # most records: nothing to check
        return record_to_item(record, columns.of(record), source_file, locator, options)
    if not isinstance(record, dict):
        return Rejected(source_file, locator, f"expected a JSON object, found {jsondoc.json_type(record)}",
                        excerpt if excerpt is not None else _excerpt(record))
    problem = jsondoc.record_problem(record)
    if problem:
        return Rejected(source_file, locator, problem, excerpt if excerpt is not None else _excerpt(list(record)))
    flat = flatten(record)
    return record_to_item(flat, columns.of(flat), source_file, locator, options)


# A plain dict (not a jsondoc.Repeated) holding only these is neither nested nor repeating a key: flat as it is.
_SCALARS = frozenset((str, int, float, bool, type(None)))
STREAM_JSON_ABOVE = 16 << 20


def _whole_records(source: Source) -> tuple[str, Iterable[Any]] | Rejected:
    try:
        document = jsondoc.loads(source.read_text())
    except jsondoc.JSONProblem as exc:
        return Rejected(source.name, exc.locator, exc.reason)
    path, records = _find_records(document)
    if path and isinstance(document, jsondoc.Repeated):  # the object holding the records: which list is meant?
        return Rejected(source.name, "$", jsondoc.repeated_reason(document), _excerpt(list(document)))
    return path, records


def _find_records(document: Any) -> tuple[str, list[Any]]:
    if isinstance(document, list):
        return "$", document
    if isinstance(document, dict):
        lists = {k: v for k, v in document.items() if isinstance(v, list)}
        for key in (*_LIST_KEYS, *lists):
            if key in lists and (any(isinstance(v, dict) for v in lists[key])
                                 or (key in _LIST_KEYS and not lists[key])):
                return json_path(key), lists[key]
    return "", [document]
