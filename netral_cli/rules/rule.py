"""Typed, frozen rules built from YAML, with every problem reported at its file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import regex

from netral_cli.errors import Location, RuleError
from netral_cli.items import KINDS
from netral_cli.rules.conditions import (CONTEXT_SETS, FIELDS, AllOf, AnyOf, Condition, ContextSet, Hashtag,
                                         Near, NoneOf, Phrase, Regex, Tokens)
from netral_cli.rules.yamlload import LocatedDict, LocatedList, load_file

SEVERITIES = {"high": 0.9, "medium": 0.7, "low": 0.4}
STATUSES = ("stable", "test", "deprecated")
STAGES = ("bakal_calon", "calon")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
_SKB_RE = re.compile(r"^(A[1-7]|B(?:[1-9]|1[0-3]))$")
RULE_KEYS = {"id", "title", "description", "skb", "legal_basis", "sanction", "severity", "kinds", "status",
             "condition", "examples", "references", "false_positive_budget"}
LEAF_KEYS = {"phrase", "tokens", "regex", "hashtag", "near", "context"}
EXAMPLE_KEYS = {"text", "spans", "kind", "target", "group", "timestamp", "context"}
CONDITION_KEYS = LEAF_KEYS | {"any", "all", "not", "field"}
MAX_TOKENS_MIN = 10  # a bound JSON Schema can express ("min <= number of words" it cannot)
MAX_WITHIN = 50  # tokens between the sides of a near (the bundled rules use at most 10): bounds its work per item
MAX_REGEX_LENGTH = 2000  # characters of one regex (the bundled rules' longest has 229): bounds compile time and size


@dataclass(frozen=True)
class Example:
    """An inline example: text (and, for likes or follows, a target or group) plus expected spans;
    ``context`` (a context file, relative to the rule file) and ``timestamp`` place it in an election."""

    text: str
    line: int
    spans: tuple[str, ...] = ()
    kind: str | None = None
    target: str | None = None
    group: str | None = None
    timestamp: datetime | None = None
    context: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    skb: dict[str, str]
    legal_basis: str
    severity: str
    condition: Condition
    location: Location
    description: str = ""
    sanction: dict[str, str] = field(default_factory=dict)
    kinds: frozenset[str] | None = None
    status: str = "stable"
    match_examples: tuple[Example, ...] = ()
    no_match_examples: tuple[Example, ...] = ()
    references: tuple[str, ...] = ()
    false_positive_budget: float | None = None

    @property
    def weight(self) -> float:
        return SEVERITIES[self.severity]

    def skb_items(self, stage: str) -> str:
        """``A4`` before determination, ``B6`` after, ``A4/B6`` when the stage is unknown."""
        if stage in self.skb:
            return self.skb[stage]
        return "/".join(dict.fromkeys(self.skb[s] for s in STAGES))

    def applies_to(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


class _Collector:
    """Gathers every problem of one file instead of stopping at the first."""

    def __init__(self, path: str):
        self.path = path
        self.errors: list[RuleError] = []

    def error(self, message: str, line: int | None, rule_id: str | None = None) -> None:
        prefix = f"rule {rule_id}: " if rule_id else ""
        self.errors.append(RuleError(prefix + message, Location(self.path, line=line)))


def load_rule_file(path: Path) -> tuple[list[Rule], list[RuleError]]:
    """All rules in one YAML file (one rule per document) and all problems found in it."""
    documents, errors = load_rule_documents(path)
    return [rule for rule, _ in documents if rule is not None], errors


def read_documents(path: Path) -> list[Any]:
    """The YAML documents of one file; unreadable or invalid YAML raises RuleError."""
    documents = load_file(path, "rule")
    if not documents:
        raise RuleError("empty file: no YAML document (a rule file holds one rule per document)",
                        Location(str(path), line=1))
    return documents


def load_rule_documents(path: Path) -> tuple[list[tuple[Rule | None, Any]], list[RuleError]]:
    """Each document of a rule file with the rule built from it (None when invalid), and every problem."""
    collector = _Collector(str(path))
    try:
        documents = read_documents(path)
    except RuleError as exc:
        return [], [exc]
    return [(rule_from_dict(document, collector), document) for document in documents], collector.errors


def rule_from_dict(data: Any, collector: _Collector) -> Rule | None:
    if not isinstance(data, LocatedDict):
        collector.error("a rule must be a mapping", getattr(data, "line", 1))
        return None
    before = len(collector.errors)
    rule_id = data.get("id")
    line = data.line
    lines = data.key_lines
    if not isinstance(rule_id, str) or not _ID_RE.match(rule_id):
        collector.error(f"id must be 3-80 lowercase letters, digits, '.', '_' or '-' (got {rule_id!r})",
                        lines.get("id", line))
        rule_id = str(rule_id)
    for key in sorted(set(data) - RULE_KEYS):
        collector.error(f"unknown key {key!r}", lines.get(key, line), rule_id)
    for key in ("title", "legal_basis"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            collector.error(f"missing {key}", lines.get(key, line), rule_id)
    if isinstance(data.get("title"), str) and "\n" in data["title"].strip():
        collector.error("title must be one line", lines.get("title", line), rule_id)
    severity = data.get("severity")
    if severity not in SEVERITIES:
        collector.error(f"severity must be one of {', '.join(SEVERITIES)}", lines.get("severity", line), rule_id)
    status = data.get("status", "stable")
    if status not in STATUSES:
        collector.error(f"status must be one of {', '.join(STATUSES)}", lines.get("status", line), rule_id)
    skb = _stage_map(data.get("skb"), "skb", lines.get("skb", line), collector, rule_id, validate=_SKB_RE)
    sanction = _stage_map(data.get("sanction", {}), "sanction", lines.get("sanction", line), collector, rule_id)
    kinds = data.get("kinds")
    if "kinds" in data and not (isinstance(kinds, list) and kinds
                                and all(isinstance(k, str) and k in KINDS for k in kinds)):
        collector.error(f"kinds must be a non-empty list of item kinds ({', '.join(KINDS)})",
                        lines.get("kinds", line), rule_id)
        kinds = None
    if "condition" not in data:
        collector.error("missing condition", line, rule_id)
        condition: Condition | None = None
    else:
        condition = parse_condition(data["condition"], collector, rule_id, "text", lines.get("condition", line))
    if "description" in data and not isinstance(data["description"], str):
        collector.error("description must be a string", lines.get("description", line), rule_id)
    if "references" in data and not _is_string_list(data["references"]):
        collector.error("references must be a list of strings", lines.get("references", line), rule_id)
    examples = data.get("examples", {})
    matches = _examples(examples, "match", collector, rule_id, lines.get("examples", line))
    no_matches = _examples(examples, "no_match", collector, rule_id, lines.get("examples", line))
    budget = data.get("false_positive_budget")
    if "false_positive_budget" in data and not (_is_number(budget) and 0 <= budget <= 1):
        collector.error("false_positive_budget must be a rate between 0 and 1", lines.get("false_positive_budget"),
                        rule_id)
    if len(collector.errors) > before or condition is None:
        return None
    return Rule(id=rule_id, title=data["title"].strip(), skb=skb, legal_basis=data["legal_basis"].strip(),
                severity=severity, condition=condition, location=Location(collector.path, line=line),
                description=data.get("description", "").strip(), sanction=sanction,
                kinds=frozenset(kinds) if kinds else None, status=status, match_examples=matches,
                no_match_examples=no_matches, references=tuple(data.get("references", ())),
                false_positive_budget=budget)


def _stage_map(value: Any, name: str, line: int, collector: _Collector, rule_id: str,
               validate: re.Pattern[str] | None = None) -> dict[str, str]:
    """``B8`` (any stage) or ``{bakal_calon: A4, calon: B6}``."""
    if isinstance(value, str):
        mapping = {stage: value for stage in STAGES}
    elif isinstance(value, dict) and set(value) <= set(STAGES) and value and all(isinstance(v, str)
                                                                                  for v in value.values()):
        mapping = {stage: str(value.get(stage, value.get("calon", value.get("bakal_calon")))) for stage in STAGES}
    elif name == "sanction" and value == {}:
        return {}
    else:
        collector.error(f"{name} must be a string or a mapping with bakal_calon and calon", line, rule_id)
        return {}
    if validate is not None:
        for stage, item in mapping.items():
            if not validate.match(item):
                collector.error(f"{name} for {stage} must be an SKB 2/2022 item A1-A7 or B1-B13 (got {item!r})",
                                line, rule_id)
    return mapping


def parse_condition(data: Any, collector: _Collector, rule_id: str, field_name: str, line: int) -> Condition | None:
    """A condition mapping; several keys in one mapping must all hold."""
    if not isinstance(data, LocatedDict) or not data:
        collector.error("a condition must be a non-empty mapping", getattr(data, "line", line), rule_id)
        return None
    line = data.line
    unknown = sorted(set(map(str, data)) - CONDITION_KEYS)
    for key in unknown:
        collector.error(f"unknown condition {key!r}; use one of {', '.join(sorted(CONDITION_KEYS))}",
                        data.key_lines.get(key, line), rule_id)
    field_name = data.get("field", field_name)
    if field_name not in FIELDS:
        collector.error(f"field must be one of {', '.join(FIELDS)}", data.key_lines.get("field", line), rule_id)
        return None
    if not set(data) & (CONDITION_KEYS - {"field"}):
        if not unknown:
            collector.error("a condition needs one of " + ", ".join(sorted(CONDITION_KEYS - {"field"})), line,
                            rule_id)
        return None
    parts: list[Condition] = []
    for key in ("phrase", "tokens", "regex", "hashtag", "near", "context", "any", "all", "not"):
        if key not in data:
            continue
        key_line = data.key_lines.get(key, line)
        part = _parse_part(key, data[key], collector, rule_id, field_name, key_line)
        if part is not None:
            parts.append(part)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _parse_part(key: str, value: Any, collector: _Collector, rule_id: str, field_name: str,
                line: int) -> Condition | None:
    if key in ("any", "all", "not"):
        if not isinstance(value, list) or not value:
            collector.error(f"{key} takes a non-empty list of conditions", line, rule_id)
            return None
        item_lines = getattr(value, "item_lines", [line] * len(value))
        children = [parse_condition(v, collector, rule_id, field_name, item_lines[i]) for i, v in enumerate(value)]
        if any(c is None for c in children):
            return None
        kids = tuple(c for c in children if c is not None)
        return {"any": AnyOf, "all": AllOf, "not": NoneOf}[key](kids)
    if key == "near":
        return _parse_near(value, collector, rule_id, field_name, line)
    if key == "context":
        if value not in CONTEXT_SETS:
            collector.error(f"context takes one of {', '.join(CONTEXT_SETS)} (got {value!r})", line, rule_id)
            return None
        return ContextSet(value, field_name)
    words = _string_list(value, key, collector, rule_id, line)
    if words is None:
        return None
    if key == "phrase":
        return Phrase(tuple(tuple(w.split()) for w in words), field_name)
    if key == "hashtag":
        return Hashtag(frozenset(w.lstrip("#").casefold() for w in words), field_name)
    if key == "regex":
        compiled = []
        for pattern in words:
            problem = regex_problem(pattern)
            if problem:
                collector.error(problem, line, rule_id)
            else:
                compiled.append(Regex(regex.compile(pattern), field_name))
        return (compiled[0] if len(compiled) == 1 else AnyOf(tuple(compiled))) if len(compiled) == len(words) else None
    return _parse_tokens(value, words, collector, rule_id, field_name, line)


def regex_problem(pattern: str) -> str | None:
    """Why a rule's regex is refused (too long, or not valid in Python's ``re``, whose syntax and meaning
    rules use), or None."""
    if len(pattern) > MAX_REGEX_LENGTH:
        return f"regex of {len(pattern):,} characters is longer than {MAX_REGEX_LENGTH:,}: split it or use phrase"
    try:
        re.compile(pattern)
        regex.compile(pattern)
    except (re.error, regex.error, RecursionError, OverflowError) as exc:
        return f"invalid regex {pattern!r}: {exc}"
    return None


def _parse_tokens(value: Any, words: list[str], collector: _Collector, rule_id: str, field_name: str,
                  line: int) -> Tokens | None:
    if isinstance(value, dict) and set(value) - {"words", "min"}:
        collector.error(f"tokens takes words and min (got {', '.join(sorted(map(str, value)))})", line, rule_id)
        return None
    minimum = value.get("min", 1) if isinstance(value, dict) else 1
    if not _is_whole(minimum) or not 1 <= minimum <= min(len(words), MAX_TOKENS_MIN):
        collector.error(f"tokens: min must be a whole number between 1 and the number of words "
                        f"(at most {MAX_TOKENS_MIN})", line, rule_id)
        return None
    return Tokens(frozenset(words), int(minimum), field_name)


def _parse_near(value: Any, collector: _Collector, rule_id: str, field_name: str, line: int) -> Near | None:
    if not isinstance(value, dict) or set(value) != {"left", "right", "within"}:
        collector.error("near takes left, right and within", line, rule_id)
        return None
    within = value["within"]
    if not _is_whole(within) or not 0 <= within <= MAX_WITHIN:
        collector.error(f"near: within must be a whole number of tokens from 0 to {MAX_WITHIN}", line, rule_id)
        return None
    left = _string_list(value["left"], "near.left", collector, rule_id, line)
    right = _string_list(value["right"], "near.right", collector, rule_id, line)
    if left is None or right is None:
        return None
    return Near(Phrase(tuple(tuple(w.split()) for w in left), field_name),
                Phrase(tuple(tuple(w.split()) for w in right), field_name), int(within), field_name)


def _string_list(value: Any, key: str, collector: _Collector, rule_id: str, line: int) -> list[str] | None:
    if isinstance(value, dict) and key == "tokens":
        value = value.get("words")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        collector.error(f"{key} takes a string or a non-empty list of strings", line, rule_id)
        return None
    return [v.strip() for v in value]


def _examples(examples: Any, key: str, collector: _Collector, rule_id: str, line: int) -> tuple[Example, ...]:
    if not isinstance(examples, dict):
        if key == "match":  # said once for both lists
            collector.error("examples must be a mapping with match and no_match", line, rule_id)
        return ()
    if key == "match":
        for unknown in sorted(set(map(str, examples)) - {"match", "no_match"}):
            collector.error(f"unknown examples key {unknown!r}; use match and no_match", line, rule_id)
    values = examples.get(key, [])
    if not isinstance(values, list):
        collector.error(f"examples.{key} must be a list", line, rule_id)
        return ()
    item_lines = values.item_lines if isinstance(values, LocatedList) else [line] * len(values)
    result = []
    for index, value in enumerate(values):
        example = _example(value, item_lines[index], collector, rule_id, key)
        if example is not None:
            result.append(example)
    return tuple(result)


def _example(value: Any, line: int, collector: _Collector, rule_id: str, key: str) -> Example | None:
    if isinstance(value, str):
        return Example(text=value, line=line)
    if isinstance(value, dict) and isinstance(value.get("text", ""), str):
        unknown = set(value) - EXAMPLE_KEYS
        if unknown:
            collector.error(f"unknown example key(s) {', '.join(sorted(map(str, unknown)))}", line, rule_id)
            return None
        spans = value.get("spans", [])
        if not _is_string_list(spans) or not all(s.strip() for s in spans):
            collector.error("spans must be a list of non-empty strings", line, rule_id)
            return None
        if value.get("kind", "post") not in KINDS:
            collector.error(f"example kind must be one of {', '.join(KINDS)}", line, rule_id)
            return None
        if not all(isinstance(value.get(name, ""), str) for name in ("target", "group")):
            collector.error("example target and group must be strings", line, rule_id)
            return None
        if key == "no_match" and spans:
            collector.error("a no_match example cannot have spans", line, rule_id)
            return None
        timestamp = _example_time(value.get("timestamp"))
        if value.get("timestamp") is not None and timestamp is None:
            collector.error("example timestamp must be ISO 8601 with an offset, e.g. 2024-02-12T08:00:00+07:00",
                            line, rule_id)
            return None
        context = value.get("context")
        if context is not None and not isinstance(context, str):
            collector.error("example context must be the path of a context file", line, rule_id)
            return None
        return Example(text=value.get("text", ""), line=line, spans=tuple(map(str, spans)), kind=value.get("kind"),
                       target=value.get("target"), group=value.get("group"), timestamp=timestamp, context=context)
    collector.error(f"examples.{key} entries are strings or mappings with text", line, rule_id)
    return None


def _is_string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_whole(value: Any) -> bool:
    """As JSON Schema's integer: 2 and 2.0, not True."""
    return _is_number(value) and float(value).is_integer()


def _example_time(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, datetime) and value.tzinfo is not None else None
