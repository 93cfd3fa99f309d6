"""Checks of a rule's condition: patterns another rule already has, regexes that backtrack, keywords
the normaliser rewrites, conditions that cannot do their job."""

from __future__ import annotations

import re
from collections.abc import Iterator

from netral_cli.normalise import normalise
from netral_cli.rules.backtracking import backtracking_problem
from netral_cli.rules.conditions import AllOf, AnyOf, Condition, NoneOf
from netral_cli.rules.issues import WARNING, Issue
from netral_cli.rules.validators.base import Leaf, RuleSource, Validator, entries, leaves

# Tokens the normaliser produces itself and that no text spells this way.
_SYNTHETIC_PREFIXES = ("gestur_", "emoji_", "@", "http", "www.")


class DuplicatePattern(Validator):
    name = "duplicate_pattern"
    description = ("a phrase, regex, hashtag or near pattern (the whole list) that another rule already has as a "
                   "positive pattern; shared vetoes under `not` are fine")
    severity = WARNING

    def __init__(self) -> None:
        self.first: dict[tuple[object, ...], str] = {}
        self.issues: list[Issue] = []

    def validate(self, source: RuleSource) -> list[Issue]:
        for leaf in leaves(source.document):
            if leaf.negated or leaf.key not in ("phrase", "regex", "hashtag", "near"):
                continue
            texts = [text for _, text in entries(leaf)]
            if leaf.key == "near":  # both sides and the distance
                sides = [[t for steps, t in entries(leaf) if side in steps] for side in ("left", "right")]
                key = (leaf.key, *(frozenset(_pattern_key("near", t) for t in side) for side in sides),
                       leaf.value["within"])
                described = f"near left {sides[0]}, right {sides[1]}, within {leaf.value['within']}"
            else:
                key = (leaf.key, frozenset(_pattern_key(leaf.key, text) for text in texts))
                described = f"{leaf.key} {texts[0] if len(texts) == 1 else texts!r}"
            owner = self.first.setdefault(key, source.rule.id)
            if owner != source.rule.id:
                self.issues.append(self.issue(source, f"{described} is also a pattern of {owner}", leaf.steps))
        return []

    def finalize(self) -> list[Issue]:
        return self.issues


def _pattern_key(key: str, text: str) -> str:
    if key == "regex":
        return text
    return text.casefold().lstrip("#") if key == "hashtag" else " ".join(text.casefold().split())


class BacktrackingRegex(Validator):
    name = "backtracking_regex"
    description = "regexes prone to catastrophic backtracking (nested quantifiers, overlapping alternation)"

    def validate(self, source: RuleSource) -> list[Issue]:
        issues = []
        for leaf in leaves(source.document):
            if leaf.key != "regex":
                continue
            for steps, pattern in entries(leaf):
                problem = backtracking_problem(pattern)
                if problem:
                    issues.append(self.issue(source, f"regex {pattern!r} may backtrack catastrophically: {problem}",
                                             steps))
        return issues


class RewrittenKeyword(Validator):
    name = "rewritten_keyword"
    description = "keywords the normaliser rewrites (paslon -> pasangan calon) can never match"

    def validate(self, source: RuleSource) -> list[Issue]:
        issues = []
        for leaf in leaves(source.document):
            if leaf.key not in ("phrase", "tokens", "near", "regex"):
                continue
            for steps, text in entries(leaf):
                words = _regex_words(text) if leaf.key == "regex" else text.split()
                where = f" in regex {text!r}" if leaf.key == "regex" else ""
                for word in dict.fromkeys(words):
                    if word.endswith("*") or word.startswith(_SYNTHETIC_PREFIXES):
                        continue
                    normalised = normalise(word).text
                    if word not in (normalised, normalise(word.upper()).text):  # KTA, BKN: acronyms in capitals
                        issues.append(self.issue(source, f"keyword {word!r}{where} is normalised to {normalised!r} "
                                                         f"and can never match; write {normalised!r}", steps))
        return issues


def _regex_words(pattern: str) -> list[str]:
    """The literal words of a regex (what is left once escapes, classes and group syntax are removed);
    a regex reads the normalised text, so a word the normaliser rewrites can never match there either."""
    text = re.sub(r"\\.", " ", pattern)
    text = re.sub(r"\[[^\]]*\]|\(\?P?<[^>]*>|\(\?[a-zA-Z]+[:)]|\{[\d,]*\}", " ", text)
    return [word for word in re.findall(r"[a-z0-9_]+", text) if len(word) > 1]


class IneffectiveCondition(Validator):
    name = "ineffective_condition"
    description = "conditions that match (nearly) everything, never match, or repeat an entry"

    def validate(self, source: RuleSource) -> list[Issue]:
        issues = []
        if _only_negative(source.rule.condition):
            issues.append(self.issue(source, "the condition holds by absence only (a `not` without a positive "
                                             "part): it matches every item without those words", ("condition",)))
        issues.extend(self._leaf_issues(source))
        return issues

    def _leaf_issues(self, source: RuleSource) -> Iterator[Issue]:
        for leaf in leaves(source.document):
            if leaf.key in ("phrase", "tokens", "near"):
                yield from (self.issue(source, f"{leaf.key} {text!r} is only wildcards: a bare '*' is a prefix of "
                                               "every word, so it matches every item", steps)
                            for steps, text in entries(leaf) if set(text.split()) == {"*"})
            if leaf.key == "near":
                continue
            seen: set[str] = set()
            for steps, text in entries(leaf):
                if leaf.key == "hashtag" and not text.lstrip("#"):
                    yield self.issue(source, f"hashtag {text!r} is empty and never matches", steps)
                key = text.casefold() if leaf.key != "regex" else text
                if key in seen:
                    yield self.issue(source, f"{leaf.key} {text!r} is listed twice", steps, WARNING)
                seen.add(key)


def _only_negative(condition: Condition) -> bool:
    """True when the condition can hold without any word being present."""
    if isinstance(condition, NoneOf):
        return True
    if isinstance(condition, AllOf):
        return all(_only_negative(child) for child in condition.children)
    if isinstance(condition, AnyOf):
        return any(_only_negative(child) for child in condition.children)
    return False


__all__ = ["BacktrackingRegex", "DuplicatePattern", "IneffectiveCondition", "Leaf", "RewrittenKeyword"]
