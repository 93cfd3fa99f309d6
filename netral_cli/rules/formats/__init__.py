"""Output formats of ``netral rules check``: each serialises the same report dict (records, rules,
matrix, budgets, summary) from :meth:`netral_cli.rules.check.CheckResult.to_report`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

from netral_cli.rules.formats import github, json_format, junit, text

Writer = Callable[[dict[str, Any], TextIO], None]

FORMATS: dict[str, Writer] = {
    "text": text.write,
    "json": json_format.write,
    "junit": junit.write,
    "github": github.write,
}

__all__ = ["FORMATS", "Writer"]
