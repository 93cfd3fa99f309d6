"""One problem found by ``netral rules check``: where, which rule, which check, how bad, what.

Every output format serialises the same sorted list of ``Issue.to_record()`` dicts (sqlfluff style).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from netral_cli.errors import RuleError

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Issue:
    file: str
    line: int | None
    column: int | None
    rule_id: str
    validator: str
    severity: str
    message: str

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line or 0, self.column or 0, self.rule_id, self.validator, self.message)

    def to_record(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "rule_id": self.rule_id,
                "validator": self.validator, "severity": self.severity, "message": self.message}


def issue_from_error(error: RuleError, validator: str, rule_id: str = "") -> Issue:
    """A loader error as an issue; ``rule X: `` prefixes become the issue's rule id."""
    message = error.message
    if message.startswith("rule ") and ": " in message:
        prefix, rest = message.split(": ", 1)
        rule_id, message = prefix[len("rule "):], rest
    location = error.location
    return Issue(location.path if location else "", location.line if location else None,
                 location.column if location else None, rule_id, validator, ERROR, message)


def sorted_records(issues: Iterable[Issue]) -> list[dict[str, Any]]:
    """Each distinct issue once (a YAML alias repeats a condition, and so its issues), in file order."""
    return [issue.to_record() for issue in sorted(set(issues), key=Issue.sort_key)]
