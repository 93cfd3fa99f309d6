"""JSON text -> Python values for every JSON reader, with the hostile cases decided once.

- Not JSON, or nested deeper than the parser goes (``[[[[…`` 100,000 times): :class:`JSONProblem`.
- ``NaN``, ``Infinity`` and numbers no float or int holds (``1e400``, 5,000 digits) are kept as the text
  written, so that every item can be written back as strict JSON.
- A lone UTF-16 surrogate escape (``"\\ud800"``), which no UTF-8 output can hold, reads as U+FFFD.
- An object that repeats a key is a :class:`Repeated`: it holds the last value, as ``json.loads`` does,
  but another JSON parser may keep the first, so two tools would read different texts. Readers reject
  the record holding one (:func:`record_problem`), or the whole file when it is above the records.
- A record nested deeper than :data:`MAX_DEPTH` levels is rejected too (later stages walk it recursively).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 100
_MAX_INT_DIGITS = 4300  # Python's limit on converting decimal text to int
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# A surrogate escape after an even run of backslashes (an odd run escapes the backslash of \u itself):
# a high half with its low half (kept), or a half alone.
_SURROGATES = re.compile(r"(?<!\\)((?:\\\\)*)(?:(\\u[dD][89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
                         r"|\\u[dD][c-fC-F][0-9a-fA-F]{2})")
TOO_DEEP = "JSON nested too deeply"


class JSONProblem(ValueError):
    """A text that is not a JSON document this tool can read; ``line`` when the parser knows it."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line

    @property
    def locator(self) -> str:
        return f"line={self.line}" if self.line is not None else "$"


class Repeated(dict):  # type: ignore[type-arg]
    """A JSON object that repeats a key; ``repeated`` names the keys written more than once."""

    repeated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A parsed document; ``repeats`` tells whether any object in it repeats a key."""

    value: Any
    repeats: bool


def parse(text: str) -> Document:
    """The document in ``text``; JSONProblem if it is not one."""
    value = loads(text)
    return Document(value, _holds_repeated(value))


def loads(text: str) -> Any:
    """The value of the JSON document in ``text`` (an object repeating a key as a :class:`Repeated`);
    JSONProblem if it is not one."""
    if _SURROGATE_ESCAPE.search(text):
        text = _SURROGATES.sub(_keep_pairs, text)
    try:
        if text.startswith("\ufeff"):  # as json.loads says it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        try:
            return _DECODER.decode(text)
        except json.JSONDecodeError:
            raise
        except ValueError:  # an integer beyond Python's digit limit
            return _WIDE_DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise JSONProblem(f"invalid JSON ({exc.msg}, column {exc.colno})", exc.lineno) from None
    except RecursionError:
        raise JSONProblem(TOO_DEEP) from None


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(items)
    if len(obj) == len(items):
        return obj
    counted: dict[str, int] = {}
    for key, _ in items:
        counted[key] = counted.get(key, 0) + 1
    repeated = Repeated(obj)
    repeated.repeated = tuple(k for k, n in counted.items() if n > 1)
    return repeated


def _holds_repeated(value: Any) -> bool:
    return any(isinstance(node, Repeated) for node, _ in _containers(value))


def _keep_pairs(match: re.Match[str]) -> str:
    backslashes, high, low = match.groups()
    return match.group() if high and low else backslashes + "\\ufffd"


def _float(text: str) -> float | str:
    number = float(text)
    return number if math.isfinite(number) else text


def _int(text: str) -> int | str:
    return int(text) if len(text.lstrip("-")) <= _MAX_INT_DIGITS else text


_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=str, parse_float=_float)
_WIDE_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=str, parse_float=_float, parse_int=_int)


def record_problem(value: Any) -> str | None:
    """Why a record cannot be read as it is (a repeated key, nested too deeply), or None."""
    for node, depth in _containers(value):
        if depth > MAX_DEPTH:
            return TOO_DEEP
        if isinstance(node, Repeated):
            return repeated_reason(node)
    return None


def _containers(value: Any) -> Iterator[tuple[Any, int]]:
    """``value`` and every object and array inside it, each with its depth (``value`` at 0), depth first."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        if isinstance(node, dict):
            stack += [(v, depth + 1) for v in node.values() if isinstance(v, (dict, list))]
        elif isinstance(node, list):
            stack += [(v, depth + 1) for v in node if isinstance(v, (dict, list))]


def repeated_reason(node: Repeated) -> str:
    keys = ", ".join(repr(k) for k in node.repeated)
    return f"JSON object repeats the key {keys} (two readers would read different values)"


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type: ``object``, ``array``, ``string``, ``number``, ``boolean``, ``null``."""
    if isinstance(value, dict):
        return "object"
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")
