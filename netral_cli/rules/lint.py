"""Checks across a rule's conditions that the parser cannot make: keywords that can never match."""

from __future__ import annotations

from collections.abc import Iterator

from netral_cli.normalise import normalise
from netral_cli.rules.conditions import AllOf, AnyOf, Condition, Near, NoneOf, Phrase, Tokens
from netral_cli.rules.engine import RuleSet

# Tokens the normaliser produces itself and that no text spells this way.
_SYNTHETIC_PREFIXES = ("gestur_", "emoji_", "@", "http", "www.")


def keywords(condition: Condition) -> Iterator[tuple[str, ...]]:
    """Every word sequence a condition looks for (regexes and hashtags excluded)."""
    if isinstance(condition, Phrase):
        yield from condition.phrases
    elif isinstance(condition, Tokens):
        yield from ((word,) for word in sorted(condition.words))
    elif isinstance(condition, Near):
        yield from keywords(condition.left)
        yield from keywords(condition.right)
    elif isinstance(condition, (AnyOf, AllOf, NoneOf)):
        for child in condition.children:
            yield from keywords(child)


def rewritten_keyword_problems(ruleset: RuleSet) -> list[str]:
    """Keywords the normaliser would rewrite (``paslon`` -> ``pasangan calon``): they can never match."""
    problems = []
    for rule in ruleset.active:
        for phrase in dict.fromkeys(keywords(rule.condition)):
            for word in phrase:
                if word.endswith("*") or word.startswith(_SYNTHETIC_PREFIXES):
                    continue
                normalised = normalise(word).text
                if word not in (normalised, normalise(word.upper()).text):  # KTA, BKN: acronyms in capitals
                    problems.append(f"{rule.location}: rule {rule.id}: keyword {word!r} is normalised to "
                                    f"{normalised!r} and can never match; write {normalised!r}")
    return problems
