"""A JSON document too big to hold, read one record at a time with ijson (yajl's C parser).

Two passes over the file: the first checks that the whole document is valid JSON (so that a broken
file is one rejected record, as when it is parsed whole) and finds where its records are (the
top-level array, or the array of records under a top-level key); the second builds the records one
by one. Only the second keeps anything, and only one record at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

import ijson

from netral_cli.ingest.jsonpath import json_path
from netral_cli.ingest.sources import Source, UnreadableFile
from netral_cli.items import Rejected

# Deeper documents are refused: ijson's record paths grow with the depth (quadratic memory).
MAX_DEPTH = 512


class _TooDeep(Exception):
    pass


@dataclass
class _Shape:
    """The top level of a document: ``array``, ``object`` or ``value``; for an object, each key in order
    of first appearance with, when its (last) value is an array, whether that holds an object and whether
    it is empty."""

    top: str = "value"
    keys: dict[str, tuple[bool, bool] | None] = field(default_factory=dict)


def stream_records(source: Source, list_keys: Iterable[str]) -> tuple[str, Iterator[Any]] | Rejected:
    """``(path, records)`` as ``generic._find_records`` finds them in the parsed document (the top-level
    array, else the first of ``list_keys``, then of the other keys, whose array holds an object, else the
    document as one record), or the Rejected of a document that is not valid JSON."""
    try:
        shape = _shape(source)
    except ijson.JSONError as exc:
        return Rejected(source.name, "$", f"invalid JSON ({_first_line(exc)})")
    except _TooDeep:
        return Rejected(source.name, "$", "JSON nested too deeply")
    if shape.top == "array":
        return "$", _items(source, "item")
    preferred = tuple(list_keys)
    lists = {key: state for key, state in shape.keys.items() if state is not None}
    for key in (*preferred, *lists):
        if key in lists and (lists[key][0] or (key in preferred and lists[key][1])):
            return json_path(key), _items(source, f"{key}.item")
    return "", _items(source, "")


def recognisable_head(source: Source, count: int) -> Any:
    """What recognisers look at of a large document, read as a stream: its value with every array, at any depth,
    cut to its first ``count`` entries. A top-level array is read no further than those entries; anything else
    is read to its end. None when the top level is not an array or an object, or when what is read is not valid
    JSON (or deeper than :data:`MAX_DEPTH`)."""
    try:
        with _Utf8Bytes(source) as stream:
            return _cut(ijson.basic_parse(stream), count)
    except (ijson.JSONError, _TooDeep, RecursionError):
        return None


_STARTS = {"start_map": dict, "start_array": list}
_ENDS = frozenset({"end_map", "end_array"})


def _cut(events: Iterator[tuple[str, Any]], count: int) -> Any:
    """The value the events spell, each array cut to ``count`` entries (the events of the rest are skipped)."""
    first = next(events, None)
    if first is None or first[0] not in _STARTS:
        return None
    root = _STARTS[first[0]]()
    open_: list[Any] = [root]  # the containers being filled, innermost last
    key = None
    skipped = 0  # depth inside an array entry past ``count``
    for event, value in events:
        if skipped:
            skipped += 1 if event in _STARTS else -1 if event in _ENDS else 0
            continue
        if event in _ENDS:
            open_.pop()
            if not open_:
                break
            continue
        if event == "map_key":
            key = value
            continue
        parent = open_[-1]
        if type(parent) is list and len(parent) == count:
            if parent is root:  # a top-level array's first entries are all there is to read
                return root
            skipped = 1 if event in _STARTS else 0
            continue
        made = _STARTS[event]() if event in _STARTS else _as_json_loads(value)
        if type(parent) is list:
            parent.append(made)
        else:
            parent[key] = made
        if event in _STARTS:
            open_.append(made)
            if len(open_) > MAX_DEPTH:
                raise _TooDeep
    for _ in events:  # whatever follows the value must be nothing (yajl raises on trailing data)
        pass
    return root


def _shape(source: Source) -> _Shape:
    shape = _Shape()
    depth = 0
    key = ""
    with _Utf8Bytes(source) as stream:
        for event, value in ijson.basic_parse(stream):
            if event in ("start_map", "start_array"):
                if depth == 0:
                    shape.top = "object" if event == "start_map" else "array"
                elif depth == 1 and shape.top == "object":
                    shape.keys[key] = (False, True) if event == "start_array" else None
                elif depth == 2 and shape.keys.get(key) is not None:
                    _in_list(shape, key, event == "start_map")
                depth += 1
                if depth > MAX_DEPTH:
                    raise _TooDeep
            elif event in ("end_map", "end_array"):
                depth -= 1
            elif event == "map_key" and depth == 1:
                key = value
            elif depth == 1 and shape.top == "object":
                shape.keys[key] = None
            elif depth == 2 and shape.keys.get(key) is not None:
                _in_list(shape, key, False)
    return shape


def _in_list(shape: _Shape, key: str, is_object: bool) -> None:
    holds_object = shape.keys[key][0]  # type: ignore[index]
    shape.keys[key] = (holds_object or is_object, False)


def _items(source: Source, prefix: str) -> Iterator[Any]:
    with _Utf8Bytes(source) as stream:
        try:
            for item in ijson.items(stream, prefix):
                yield _as_json_loads(item)
        except ijson.JSONError as exc:  # the file changed since the first pass
            raise UnreadableFile(f"invalid JSON ({_first_line(exc)})") from exc


def _as_json_loads(value: Any) -> Any:
    """Numbers as ``json.loads`` gives them: ijson gives a Decimal for every number with a fraction or an
    exponent (its ``use_float`` would fail on integers beyond 64 bits)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: _as_json_loads(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json_loads(item) for item in value]
    return value


def _first_line(exc: Exception) -> str:
    return str(exc).strip().split("\n", 1)[0]


class _Utf8Bytes:
    """The file's text (decoded as every reader decodes it) as UTF-8 bytes, which is what yajl reads."""

    def __init__(self, source: Source):
        self.text: TextIO = source.open_text()

    def read(self, size: int = -1) -> bytes:
        return self.text.read(size).encode("utf-8", "surrogatepass")

    def __enter__(self) -> _Utf8Bytes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.text.close()
