"""Rule conditions: leaves (phrase, tokens, regex, hashtag, near, context) and combinators (any, all, not).

A condition's ``match`` returns ``None`` when it does not hold, else the token spans that made it
hold (an empty list for ``not``, which holds by absence). Conditions see normalised, unstemmed
tokens of one item field (``text`` by default; ``target`` or ``group`` for likes, follows, joins).
A ``context`` condition names a list of an election context (slogans, campaign accounts ...); it
matches nothing until :func:`netral_cli.rules.context.bind_rules` replaces it with that list.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

import regex

from netral_cli.normalise import HASHTAG, Normalised
from netral_cli.system import lazy

FIELDS = ("text", "target", "group")
CONTEXT_SETS = ("tickets", "names", "nicknames", "parties", "slogans", "hashtags", "gestures", "campaign_accounts")


@dataclass(frozen=True)
class Span:
    """Tokens ``first..last`` (inclusive) of one field; ``note`` says what they stand for, if known."""

    field: str
    first: int
    last: int
    note: str = ""


class Doc:
    """A normalised field plus the look-up tables conditions share."""

    def __init__(self, normalised: Normalised):
        self.normalised = normalised
        self.words = normalised.words

    @lazy
    def word_set(self) -> frozenset[str]:
        return frozenset(self.words)

    @lazy
    def positions(self) -> dict[str, list[int]]:
        table: dict[str, list[int]] = {}
        for index, word in enumerate(self.words):
            table.setdefault(word, []).append(index)
        return table

    @lazy
    def sorted_words(self) -> list[str]:
        return sorted(set(self.words))

    def has_prefix(self, prefix: str) -> bool:
        """Whether some token starts with ``prefix``."""
        words = self.sorted_words
        index = bisect_left(words, prefix)
        return index < len(words) and words[index].startswith(prefix)

    @lazy
    def char_starts(self) -> list[int]:
        starts, offset = [], 0
        for word in self.words:
            starts.append(offset)
            offset += len(word) + 1
        return starts

    def token_at(self, char_offset: int) -> int:
        """Index of the token containing normalised-text offset ``char_offset``."""
        starts = self.char_starts
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if starts[middle] <= char_offset:
                low = middle
            else:
                high = middle - 1
        return low


Docs = Mapping[str, Doc]
Result = list[Span] | None


def _word_matches(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


@dataclass(frozen=True)
class Phrase:
    """Any of several token sequences, contiguous; a pattern word ending in ``*`` is a prefix."""

    phrases: tuple[tuple[str, ...], ...]
    field: str = "text"

    @lazy
    def _by_first(self) -> dict[str, list[tuple[str, ...]]]:
        """Phrases by their first word (exact words only)."""
        table: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self.phrases:
            if not phrase[0].endswith("*"):
                table.setdefault(phrase[0], []).append(phrase)
        return table

    @lazy
    def _prefixed(self) -> tuple[tuple[tuple[str, ...], str], ...]:
        """Phrases whose first word is a prefix pattern, with that prefix."""
        return tuple((p, p[0][:-1]) for p in self.phrases if p[0].endswith("*"))

    def match(self, docs: Docs) -> Result:
        doc = docs.get(self.field)
        if doc is None:
            return None
        # only the phrases whose first word occurs; span order does not matter (evidence is sorted)
        by_first = self._by_first
        candidates = [p for first in by_first.keys() & doc.positions.keys() for p in by_first[first]]
        candidates += [p for p, prefix in self._prefixed if doc.has_prefix(prefix)]
        spans = [Span(self.field, start, start + len(p) - 1) for p in candidates for start in _starts(doc, p)]
        return spans or None


def _starts(doc: Doc, phrase: tuple[str, ...]) -> list[int]:
    first = phrase[0]
    if first.endswith("*"):
        stem = first[:-1]
        candidates = [i for i, w in enumerate(doc.words) if w.startswith(stem)]
    else:
        candidates = doc.positions.get(first, [])
    if len(phrase) == 1:
        return list(candidates)
    words, rest = doc.words, phrase[1:]
    return [i for i in candidates
            if i + len(phrase) <= len(words) and all(_word_matches(p, words[i + 1 + k]) for k, p in enumerate(rest))]


@dataclass(frozen=True)
class Tokens:
    """At least ``min_count`` distinct words of a set occur anywhere in the field."""

    words: frozenset[str]
    min_count: int = 1
    field: str = "text"

    def match(self, docs: Docs) -> Result:
        doc = docs.get(self.field)
        if doc is None:
            return None
        found = [w for w in self.words if w in doc.positions]
        if len(found) < self.min_count:
            return None
        return [Span(self.field, i, i) for w in found for i in doc.positions[w]]


REGEX_TIMEOUT = 1.0  # seconds a rule's regex may take over one field of one item (bundled rules: microseconds)


class RegexTimeout(Exception):
    """A regex ran longer than :data:`REGEX_TIMEOUT` on one text (``args[0]`` is the pattern)."""


@dataclass(frozen=True)
class Regex:
    """A regular expression over the normalised text (tokens joined by single spaces).

    Matched with the ``regex`` module (the syntax and meaning of ``re``, which the loader checks the
    pattern against) for its time limit: a pattern that backtracks catastrophically on some text,
    and that the static check (:mod:`netral_cli.rules.backtracking`) missed, raises
    :class:`RegexTimeout` after :data:`REGEX_TIMEOUT` seconds instead of hanging the scan."""

    pattern: regex.Pattern[str]
    field: str = "text"

    def match(self, docs: Docs) -> Result:
        doc = docs.get(self.field)
        if doc is None:
            return None
        text = doc.normalised.text
        try:
            spans = [Span(self.field, doc.token_at(m.start()), doc.token_at(max(m.start(), m.end() - 1)))
                     for m in self.pattern.finditer(text, timeout=REGEX_TIMEOUT) if m.end() > m.start()]
        except TimeoutError as exc:
            raise RegexTimeout(self.pattern.pattern) from exc
        return spans or None


@dataclass(frozen=True)
class Hashtag:
    """One of these hashtags (compared case-insensitively, without ``#``)."""

    tags: frozenset[str]
    field: str = "text"

    def match(self, docs: Docs) -> Result:
        doc = docs.get(self.field)
        if doc is None or not self.tags.intersection(doc.normalised.hashtags):
            return None
        original = doc.normalised.original
        return [Span(self.field, index, index) for index, token in enumerate(doc.normalised.tokens)
                if token.kind == HASHTAG and original[token.start + 1:token.end].casefold() in self.tags]


@dataclass(frozen=True)
class Near:
    """A match of ``left`` and a match of ``right`` at most ``within`` tokens apart, either order."""

    left: Phrase
    right: Phrase
    within: int
    field: str = "text"

    def match(self, docs: Docs) -> Result:
        """For each left match, one span from the farthest right match before it to the farthest after it
        (within reach): the union of its spans with every right match in reach, which is all the evidence
        shows. Looked up by position, so a text repeating both sides thousands of times stays linear."""
        lefts, rights = self.left.match(docs), self.right.match(docs)
        if not lefts or not rights:
            return None
        rights = sorted(rights, key=lambda span: span.first)
        starts = [span.first for span in rights]
        longest = max(span.last - span.first for span in rights)
        spans = []
        for a in lefts:
            reach = self.within + 1
            window = rights[bisect_left(starts, a.first - reach - longest):bisect_right(starts, a.last + reach)]
            near = [b for b in window if b.first <= a.last + reach and b.last >= a.first - reach]
            if near:
                spans.append(Span(self.field, min(a.first, near[0].first), max(a.last, max(b.last for b in near))))
        return spans or None


@dataclass(frozen=True)
class AnyOf:
    children: tuple["Condition", ...]

    def match(self, docs: Docs) -> Result:
        results = [r for r in (c.match(docs) for c in self.children) if r is not None]
        return [s for r in results for s in r] if results else None


@dataclass(frozen=True)
class AllOf:
    children: tuple["Condition", ...]

    def match(self, docs: Docs) -> Result:
        spans: list[Span] = []
        for child in self.children:
            result = child.match(docs)
            if result is None:
                return None
            spans.extend(result)
        return spans


@dataclass(frozen=True)
class NoneOf:
    children: tuple["Condition", ...]

    def match(self, docs: Docs) -> Result:
        return None if any(c.match(docs) is not None for c in self.children) else []


@dataclass(frozen=True)
class ContextSet:
    """A list from the election context (``context: slogans``); unbound, it matches nothing."""

    name: str
    field: str = "text"

    def match(self, docs: Docs) -> Result:
        return None


Condition = Phrase | Tokens | Regex | Hashtag | Near | AnyOf | AllOf | NoneOf | ContextSet
