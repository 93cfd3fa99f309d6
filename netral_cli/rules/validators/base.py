"""Validator base (pySigma style): ``validate(rule)`` per rule, ``finalize()`` for checks across rules.

A validator instance lives for one run; its cross-rule state is gathered in ``validate`` and reported
in ``finalize``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from netral_cli.rules.issues import ERROR, Issue
from netral_cli.rules.rule import LEAF_KEYS, Rule
from netral_cli.rules.schema import locate

Steps = tuple[str | int, ...]


@dataclass(frozen=True)
class RuleSource:
    """A valid rule and the YAML mapping it was built from (for lines and columns)."""

    rule: Rule
    document: Any

    @property
    def path(self) -> str:
        return self.rule.location.path


@dataclass(frozen=True)
class Leaf:
    """One phrase/tokens/regex/hashtag/near entry of a condition, where it sits, and whether a ``not``
    (an odd number of them) is above it."""

    steps: Steps
    key: str
    value: Any
    negated: bool


class Validator:
    name: ClassVar[str]
    description: ClassVar[str]
    severity: ClassVar[str] = ERROR
    include_deprecated: ClassVar[bool] = False

    def validate(self, source: RuleSource) -> list[Issue]:
        return []

    def finalize(self) -> list[Issue]:
        return []

    def issue(self, source: RuleSource, message: str, steps: Steps = (), severity: str | None = None) -> Issue:
        line, column = locate(source.document, list(steps))
        return Issue(source.path, line, column, source.rule.id, self.name, severity or self.severity, message)


def leaves(document: Any, steps: Steps = ("condition",), negated: bool = False) -> Iterator[Leaf]:
    """Every leaf of a rule's condition, in document order."""
    condition = document
    for step in steps:
        condition = condition[step]
    yield from _leaves(condition, steps, negated)


def _leaves(condition: Any, steps: Steps, negated: bool) -> Iterator[Leaf]:
    for key, value in condition.items():
        if key in LEAF_KEYS:
            yield Leaf(steps + (key,), key, value, negated)
        elif key in ("any", "all", "not"):
            for index, child in enumerate(value):
                yield from _leaves(child, steps + (key, index), negated != (key == "not"))


def entries(leaf: Leaf) -> Sequence[tuple[Steps, str]]:
    """The strings of a phrase/regex/hashtag/tokens leaf with their steps (near: left then right)."""
    if leaf.key == "near":
        return [pair for side in ("left", "right") for pair in _strings(leaf.value[side], leaf.steps + (side,))]
    value = leaf.value["words"] if leaf.key == "tokens" and isinstance(leaf.value, dict) else leaf.value
    steps = leaf.steps + ("words",) if leaf.key == "tokens" and isinstance(leaf.value, dict) else leaf.steps
    return _strings(value, steps)


def _strings(value: Any, steps: Steps) -> list[tuple[Steps, str]]:
    if isinstance(value, str):
        return [(steps, value.strip())]
    return [(steps + (index,), item.strip()) for index, item in enumerate(value)]
