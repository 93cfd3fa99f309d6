"""Locators inside JSON documents, spelled one way everywhere: ``$.Activity["Like List"].ItemFavoriteList[3]``."""

from __future__ import annotations

import json
import re

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(*steps: str | int) -> str:
    """``json_path("Activity", "Like List", "ItemFavoriteList", 3)`` -> ``$.Activity["Like List"].ItemFavoriteList[3]``.

    Keys that are identifiers are written with a dot, others in brackets as JSON strings; list indexes
    (0-based) in brackets.
    """
    parts = ["$"]
    for step in steps:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif _IDENTIFIER.match(step):
            parts.append(f".{step}")
        else:
            parts.append(f"[{json.dumps(step, ensure_ascii=False)}]")
    return "".join(parts)
