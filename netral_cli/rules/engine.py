"""Loads a rule folder and runs its rules over normalised items, returning hits with evidence."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netral_cli.errors import Location, RuleError
from netral_cli.normalise import Normalised, normalise
from netral_cli.rules.backtracking import backtracking_problem
from netral_cli.rules import conditions
from netral_cli.rules.conditions import AllOf, AnyOf, Condition, Doc, NoneOf, Regex, RegexTimeout, Span
from netral_cli.rules.rule import Rule, load_rule_file

_GAP_RE = re.compile(r"^[\W_]*$")


@dataclass(frozen=True)
class Evidence:
    """A stretch of an item's original field that a rule matched."""

    field: str
    start: int
    end: int
    text: str
    note: str = ""  # what the span stands for, e.g. the campaign account of the context it names

    def to_dict(self) -> dict[str, object]:
        return {"field": self.field, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Hit:
    rule: Rule
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class RuleSet:
    """Every rule found in a folder (deprecated ones included, for id checks) and every problem."""

    rules: tuple[Rule, ...]
    errors: tuple[RuleError, ...]
    files: tuple[str, ...] = ()

    @property
    def active(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.status != "deprecated")

    def require_valid(self) -> "RuleSet":
        if self.errors:
            first = self.errors[0]
            more = f" (and {len(self.errors) - 1} more; run `netral rules check`)" if len(self.errors) > 1 else ""
            raise RuleError(first.message + more, first.location)
        if not self.active:
            raise RuleError("no active rules found", Location(self.files[0] if self.files else "rules"))
        return self


CONTEXTS = "contexts"  # election context files live in a contexts/ folder of a rule folder


def rule_files(path: str | Path) -> list[Path]:
    """Rule files under ``path``; the ``contexts/`` folder holds election contexts, not rules."""
    path = Path(path)
    if path.is_file():
        return [] if path.parent.name == CONTEXTS else [path]
    return [p for p in _yaml_files(path) if CONTEXTS not in p.relative_to(path).parts[:-1]]


def context_files(path: str | Path) -> list[Path]:
    """YAML files under any ``contexts/`` folder of a rule folder (or ``path`` itself, a file in one)."""
    path = Path(path)
    if path.is_file():
        return [path] if path.parent.name == CONTEXTS else []
    return [p for p in _yaml_files(path) if CONTEXTS in p.relative_to(path).parts[:-1]]


def _yaml_files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_rules(path: str | Path) -> RuleSet:
    """Load every ``*.yaml``/``*.yml`` under ``path``; problems are collected, not raised."""
    path = Path(path)
    if not path.exists():
        return RuleSet((), (RuleError("no such rule file or folder", Location(str(path))),))
    rules: list[Rule] = []
    errors: list[RuleError] = []
    files = rule_files(path)
    for file in files:
        found, problems = load_rule_file(file)
        rules.extend(found)
        errors.extend(problems)
    seen: dict[str, Rule] = {}
    for rule in rules:
        errors.extend(RuleError(f"rule {rule.id}: regex {pattern!r} may backtrack catastrophically: {problem}",
                                rule.location) for pattern, problem in _backtracking_regexes(rule.condition))
        if rule.id in seen:
            errors.append(RuleError(f"rule {rule.id}: duplicate id (first defined at {seen[rule.id].location})",
                                    rule.location))
        seen.setdefault(rule.id, rule)
    return RuleSet(tuple(rules), tuple(errors), tuple(map(str, files)))


def _backtracking_regexes(condition: Condition) -> list[tuple[str, str]]:
    """Each regex of a condition that may backtrack catastrophically (it could hang a scan), with why."""
    if isinstance(condition, Regex):
        problem = backtracking_problem(condition.pattern.pattern)
        return [(condition.pattern.pattern, problem)] if problem else []
    if isinstance(condition, (AnyOf, AllOf, NoneOf)):
        return [found for child in condition.children for found in _backtracking_regexes(child)]
    return []


def docs_for(fields: Mapping[str, Normalised | str | None]) -> dict[str, Doc]:
    """Normalise each present field once; rules share the resulting look-up tables."""
    docs = {}
    for name, value in fields.items():
        if value:
            docs[name] = Doc(value if isinstance(value, Normalised) else normalise(value))
    return docs


def evaluate(rules: Iterable[Rule], kind: str, docs: Mapping[str, Doc]) -> list[Hit]:
    """Every rule (that applies to ``kind``) whose condition holds, with its merged evidence."""
    return [hit for hit in (hit_of(rule, kind, docs) for rule in rules) if hit is not None]


class RuleTimeout(RuleError):
    """A rule's regex ran past its time limit on one item: the rule cannot say whether it holds there."""

    def __init__(self, rule: Rule, pattern: str):
        shown = pattern if len(pattern) <= 60 else pattern[:59] + "…"
        super().__init__(f"rule {rule.id}: regex {shown!r} ran longer than {conditions.REGEX_TIMEOUT:g} s on one text "
                         "(it backtracks catastrophically; rewrite it)", rule.location)
        self.rule = rule


def hit_of(rule: Rule, kind: str, docs: Mapping[str, Doc]) -> Hit | None:
    """The rule's hit on one item, or None when it does not apply to ``kind`` or its condition fails.
    A regex past its time limit raises :class:`RuleTimeout` (treating it as "no match" would make a
    ``not`` around it hold)."""
    if rule.status == "deprecated" or not rule.applies_to(kind):
        return None
    try:
        spans = rule.condition.match(docs)
    except RegexTimeout as exc:
        raise RuleTimeout(rule, str(exc.args[0])) from exc
    return None if spans is None else Hit(rule, merge_evidence(spans, docs))


def merge_evidence(spans: Iterable[Span], docs: Mapping[str, Doc]) -> tuple[Evidence, ...]:
    """Token spans -> original character spans, merged where only spaces or punctuation separate them."""
    by_field: dict[str, list[tuple[int, int, str]]] = {}
    for span in spans:
        start, end = docs[span.field].normalised.span(span.first, span.last)
        by_field.setdefault(span.field, []).append((start, end, span.note))
    evidence = []
    for field_name, ranges in by_field.items():
        original = docs[field_name].normalised.original
        merged: list[list[Any]] = []
        for start, end, note in sorted(ranges):
            if merged and (start <= merged[-1][1] or _GAP_RE.match(original[merged[-1][1]:start])):
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][2] = list(dict.fromkeys([*merged[-1][2], *([note] if note else [])]))
            else:
                merged.append([start, end, [note] if note else []])
        evidence.extend(Evidence(field_name, s, e, original[s:e], "; ".join(notes)) for s, e, notes in merged)
    return tuple(evidence)
