"""One compiled prefilter for a rule set: each item evaluates only the rules that can fire on it.

A rule's condition is reduced to its *anchors*: literals (a normalised token, a token prefix for
``word*`` patterns, a hashtag) of one field, at least one of which occurs in an item whenever the
condition holds. The matcher indexes every rule by its anchors once; per item it looks the item's
distinct tokens and hashtags up in that index and evaluates the candidate rules, in rule order, with
the very same conditions, so hits and evidence are those of evaluating every rule.

Rules whose condition has no literal anchor (a pure ``not``, a regex, campaign accounts matched by
URL or handle) are evaluated on every item. Regex leaves are not anchored: in the bundled rules they
only occur under ``not`` (exceptions), where an anchor would not help anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from netral_cli.rules.conditions import AllOf, AnyOf, Condition, ContextSet, Doc, Hashtag, Near, NoneOf, Phrase, Tokens
from netral_cli.rules.context import Terms
from netral_cli.rules.engine import Hit, hit_of
from netral_cli.rules.rule import Rule

WORD, PREFIX, HASHTAG = "word", "prefix", "hashtag"


@dataclass(frozen=True)
class Anchor:
    field: str
    kind: str  # WORD, PREFIX or HASHTAG
    value: str


Anchors = frozenset[Anchor] | None  # None: no anchor known, evaluate always; empty: can never hold


def anchors(condition: Condition) -> Anchors:
    """Literals at least one of which occurs in an item whenever ``condition`` holds."""
    if isinstance(condition, Phrase):
        return _union(_word_anchor(condition.field, phrase) for phrase in condition.phrases)
    if isinstance(condition, Tokens):
        if condition.min_count < 1:
            return None
        return frozenset(Anchor(condition.field, WORD, word) for word in condition.words)
    if isinstance(condition, Hashtag):
        return frozenset(Anchor(condition.field, HASHTAG, tag) for tag in condition.tags)
    if isinstance(condition, Near):  # both sides must match: either side's anchors will do
        return _fewest([anchors(condition.left), anchors(condition.right)])
    if isinstance(condition, AnyOf):
        return _union(anchors(child) for child in condition.children)
    if isinstance(condition, AllOf):
        return _fewest([anchors(child) for child in condition.children])
    if isinstance(condition, NoneOf) and len(condition.children) == 1 and isinstance(condition.children[0], NoneOf):
        return _union(anchors(child) for child in condition.children[0].children)  # not(not(x)) holds as x
    if isinstance(condition, ContextSet):  # unbound: matches nothing
        return frozenset()
    if isinstance(condition, Terms):
        return _union(anchors(entry) for entry, _ in condition.entries)
    return None


def _word_anchor(field_name: str, phrase: tuple[str, ...]) -> Anchors:
    if not phrase or phrase[0] in ("", "*"):
        return None
    first = phrase[0]
    return frozenset({Anchor(field_name, PREFIX, first[:-1]) if first.endswith("*") else Anchor(field_name, WORD, first)})


def _union(parts: Iterable[Anchors]) -> Anchors:
    found: set[Anchor] = set()
    for part in parts:
        if part is None:
            return None
        found |= part
    return frozenset(found)


def _fewest(parts: list[Anchors]) -> Anchors:
    known = [part for part in parts if part is not None]
    return min(known, key=len) if known else None


class RuleMatcher:
    """Rules compiled once into an anchor index; :meth:`evaluate` equals ``engine.evaluate`` on them."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = tuple(rules)
        self.always: list[int] = []
        self.words: dict[str, dict[str, list[int]]] = {}
        self.prefixes: dict[str, dict[str, list[int]]] = {}
        self.hashtags: dict[str, dict[str, list[int]]] = {}
        tables = {WORD: self.words, PREFIX: self.prefixes, HASHTAG: self.hashtags}
        for index, rule in enumerate(self.rules):
            found = anchors(rule.condition)
            if found is None:
                self.always.append(index)
                continue
            for anchor in found:
                tables[anchor.kind].setdefault(anchor.field, {}).setdefault(anchor.value, []).append(index)
        self.prefix_lengths = {field_name: sorted({len(p) for p in table}) for field_name, table in self.prefixes.items()}

    def candidates(self, docs: Mapping[str, Doc]) -> list[int]:
        """Indices (in rule order) of the rules whose anchors occur in ``docs``, plus the unanchored ones."""
        chosen = set(self.always)
        for field_name, doc in docs.items():
            positions = doc.positions
            words = self.words.get(field_name)
            if words:
                for word in words.keys() & positions.keys():
                    chosen.update(words[word])
            prefixes = self.prefixes.get(field_name)
            if prefixes:
                for length in self.prefix_lengths[field_name]:
                    for word in positions:
                        rules = prefixes.get(word[:length])
                        if rules is not None:
                            chosen.update(rules)
            tags = self.hashtags.get(field_name)
            if tags and doc.normalised.hashtags:
                for tag in tags.keys() & set(doc.normalised.hashtags):
                    chosen.update(tags[tag])
        return sorted(chosen)

    def evaluate(self, kind: str, docs: Mapping[str, Doc]) -> list[Hit]:
        hits = []
        for index in self.candidates(docs):
            hit = hit_of(self.rules[index], kind, docs)
            if hit is not None:
                hits.append(hit)
        return hits
