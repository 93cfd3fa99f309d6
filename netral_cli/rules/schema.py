"""JSON Schemas of rule and context files, and their errors placed at file:line:column.

The rule schema says what ``rule.py`` accepts (tests/rules/test_schema.py keeps the two in step); it is
for editors and CI, and ``netral rules check`` runs it before the loader's own checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from netral_cli.errors import Location, RuleError
from netral_cli.rules.issues import ERROR, Issue
from netral_cli.rules.yamlload import LocatedDict, LocatedList

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_KINDS = ("rule", "context")


def schema_path(kind: str) -> Path:
    return SCHEMA_DIR / f"{kind}.schema.json"


def schema_text(kind: str = "rule") -> str:
    path = schema_path(kind)
    try:
        return path.read_text("utf-8")
    except OSError as exc:
        raise RuleError(f"no {kind} schema installed", Location(str(path))) from exc


@lru_cache(maxsize=None)
def _validator(path: Path) -> jsonschema.protocols.Validator:
    schema = json.loads(path.read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validator_for(kind: str) -> jsonschema.protocols.Validator:
    schema_text(kind)  # a clear error when the schema file is missing
    return _validator(schema_path(kind))


def schema_issues(document: Any, path: str, kind: str = "rule") -> list[Issue]:
    """Every schema error of one YAML document, at the line and column of the offending key or item."""
    if not isinstance(document, dict):
        shape = "a list" if isinstance(document, list) else f"{type(document).__name__} {document!r:.40}"
        return [Issue(path, getattr(document, "line", None) or 1, getattr(document, "column", None) or 1, "",
                      "schema", ERROR, f"a {kind} file must be a mapping of keys, not {shape}")]
    rule_id = document.get("id") if isinstance(document.get("id"), str) else ""
    errors = [_most_relevant(e) for e in validator_for(kind).iter_errors(document)]
    unexpected = {tuple(e.absolute_path) for e in errors if e.validator == "additionalProperties"}
    misformatted = {tuple(e.absolute_path) for e in errors if e.validator == "format"}
    issues = []
    for error in errors:
        if _needs_one_of(error) and tuple(error.absolute_path) in unexpected:
            continue  # "unknown key 'frase'" already explains the missing condition
        if error.validator == "pattern" and tuple(error.absolute_path) in misformatted:
            continue  # "'2024-09-22T10:00' is not a 'date'" says it; the pattern would say it again
        steps = list(error.absolute_path)
        message = _message(error)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            unknown = [str(key) for key in error.instance if key not in allowed]
            steps += unknown[:1]
            message = "unknown key " + ", ".join(repr(key) for key in unknown)
        line, column = locate(document, steps)
        if error.validator == "format" and error.validator_value == "regex":
            issues.append(Issue(path, line, column, rule_id, "invalid_regex", ERROR, _regex_message(error.instance)))
            continue
        where = dotted(error.absolute_path)
        issues.append(Issue(path, line, column, rule_id, "schema", ERROR, f"{where}: {message}" if where else message))
    return sorted(issues, key=Issue.sort_key)


def _most_relevant(error: ValidationError) -> ValidationError:
    """Under anyOf (a string or a list; a string or a mapping) follow the alternative of the right type."""
    while error.context and not _needs_one_of(error):
        depth = len(error.absolute_path)
        candidates = [e for e in error.context if not (e.validator == "type" and len(e.absolute_path) == depth)]
        if not candidates:
            break
        error = max(candidates, key=lambda e: len(e.absolute_path))
    return error


def _regex_message(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"invalid regex {pattern!r}: {exc}"
    return f"invalid regex {pattern!r}"


def _needs_one_of(error: ValidationError) -> bool:
    return error.validator == "anyOf" and bool(error.context) and all(e.validator == "required"
                                                                      for e in error.context)


_PATTERN_WORDS = {  # patterns whose own text says little
    "^[^\\n]*\\S[^\\n]*$": "must be one line of text",
    "\\S": "must not be empty",
    "^[a-z0-9][a-z0-9._-]{2,79}$": "must be 3-80 characters a-z 0-9 . _ -, starting with a letter or digit",
    "^(A[1-7]|B(?:[1-9]|1[0-3]))$": "is not an SKB 2/2022 item (A1-A7, B1-B13)",
}


def _message(error: ValidationError) -> str:
    if error.validator == "pattern" and error.validator_value in _PATTERN_WORDS:
        return f"{error.instance!r} {_PATTERN_WORDS[error.validator_value]}"
    if error.validator == "minItems" and list(error.absolute_path)[-2:] == ["tokens", "words"]:
        return f"{len(error.instance)} word(s), fewer than min {error.validator_value}"
    if _needs_one_of(error):
        return "needs one of " + ", ".join(sorted(e.validator_value[0] for e in error.context))
    if error.validator == "anyOf" and error.context and all(e.validator == "type" for e in error.context):
        kinds = " or ".join(dict.fromkeys(str(e.validator_value) for e in error.context))
        return f"{error.instance!r} is not of type {kinds}"
    return error.message


def locate(document: Any, steps: list[str | int]) -> tuple[int | None, int | None]:
    """Line and column of the deepest key or list item on ``steps`` that the loader recorded."""
    line = getattr(document, "line", None) or None
    column = getattr(document, "column", None) or None
    node = document
    for step in steps:
        if isinstance(node, LocatedDict) and str(step) in node.key_lines:
            line, column = node.key_lines[str(step)], node.key_columns[str(step)]
            node = node[step]
        elif isinstance(node, LocatedList) and isinstance(step, int) and step < len(node.item_lines):
            line, column = node.item_lines[step], node.item_columns[step]
            node = node[step]
        else:
            break
    return line, column


def dotted(steps: Iterator[str | int] | Any) -> str:
    """``condition.all[0].phrase`` for a path of keys and indices."""
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text
