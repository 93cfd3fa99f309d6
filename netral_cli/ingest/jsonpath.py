"""Locators inside JSON documents, spelled one way everywhere: ``$.Activity["Like List"].ItemFavoriteList[3]``."""

from __future__ import annotations

import json
import re

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Line breaks to Python's str.splitlines that json.dumps leaves as they are (it escapes those below U+0020 only):
# escaped too, so that a locator, which a rejected record's message quotes, stays on one line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_path(*steps: str | int) -> str:
    """``json_path("Activity", "Like List", "ItemFavoriteList", 3)`` -> ``$.Activity["Like List"].ItemFavoriteList[3]``."""
    return "$" + "".join(map(json_step, steps))


def json_step(step: str | int) -> str:
    """One step of a path: a key that is an identifier with a dot, another in brackets as a JSON string, a list
    index (0-based) in brackets."""
    if isinstance(step, int):
        return f"[{step}]"
    if _IDENTIFIER.match(step):
        return f".{step}"
    return f"[{json.dumps(step, ensure_ascii=False).translate(_LINE_BREAKS)}]"
