"""One compiled prefilter for a rule set: each item evaluates only the rules that can fire on it.

A rule's condition is reduced to its *requirements*: clauses of literals (a normalised token, a
token prefix for ``word*`` patterns, a hashtag, each of one field) such that whenever the condition
holds, every clause has at least one of its literals in the item (``all`` and ``near`` need a clause
per part; ``any`` needs, for every way of picking one clause of each alternative, the union of the
picked clauses). A phrase is anchored on its most telling word, not on its first: a word that is not one of
Sastrawi's stop words, then the longest word or prefix. ``yang dukung`` needs ``dukung``, which is far rarer than
``yang``, and ``kiri sendiri`` needs ``kiri`` rather than the frequent ``sendiri``.
The matcher indexes every clause by its literals once; per item it finds the item's tokens and hashtags that
are literals of that index (with set operations: most tokens are none) and
evaluates, in rule order and with the very same conditions, the rules whose clauses are all met, so
hits and evidence are those of evaluating every rule.

Rules with no requirement (a pure ``not``, a regex, campaign accounts matched by URL or handle) are
evaluated on every item. Regex leaves add no requirement: in the bundled rules they only occur under
``not`` (exceptions), where a requirement could not be used anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from math import prod

from netral_cli.rules.conditions import (FIELDS, AllOf, AnyOf, Condition, ContextSet, Doc, Hashtag, Near, NoneOf, Phrase,
                                         Regex, Tokens)
from netral_cli.rules.context import CampaignAccounts, Terms
from netral_cli.rules.engine import Hit, RuleTimeout, hit_of
from netral_cli.rules.rule import Rule

WORD, PREFIX, HASHTAG = "word", "prefix", "hashtag"


@dataclass(frozen=True)
class Anchor:
    field: str
    kind: str  # WORD, PREFIX or HASHTAG
    value: str


Clause = frozenset[Anchor]  # at least one of these occurs (an empty clause can never be met)
Requirements = tuple[Clause, ...]  # every clause is met whenever the condition holds; () = none known
MAX_PICKS = 64  # an ``any`` with more ways of picking one clause per alternative keeps one gathered clause


def requirements(condition: Condition) -> Requirements:
    """Clauses of literals that an item meets whenever ``condition`` holds on it."""
    if isinstance(condition, Phrase):
        return _one_clause(_anchor(condition.field, phrase) for phrase in condition.phrases)
    if isinstance(condition, Tokens):
        return (frozenset(Anchor(condition.field, WORD, w) for w in condition.words),) if condition.min_count >= 1 \
            else ()
    if isinstance(condition, Hashtag):
        return (frozenset(Anchor(condition.field, HASHTAG, tag) for tag in condition.tags),)
    if isinstance(condition, Near):  # both sides must match
        return _minimal(requirements(condition.left) + requirements(condition.right))
    if isinstance(condition, AllOf):
        return _minimal(tuple(clause for child in condition.children for clause in requirements(child)))
    if isinstance(condition, AnyOf):
        return _either(condition.children)
    if isinstance(condition, NoneOf) and len(condition.children) == 1 and isinstance(condition.children[0], NoneOf):
        return _either(condition.children[0].children)  # not(not(x, y)) holds as any(x, y)
    if isinstance(condition, ContextSet):  # unbound: matches nothing
        return (frozenset(),)
    if isinstance(condition, Terms):
        return _either(entry for entry, _ in condition.entries)
    return ()


def _anchor(field_name: str, phrase: tuple[str, ...]) -> Anchor | None:
    """The literal a phrase match needs that is likely the rarest: a word or prefix (``word*``) that is not a stop
    word, then the longest, short words being the frequent ones, a word before a prefix as long; None when every
    word is a bare ``*``. (Any word of the phrase would do: the choice changes only how often the rule is tried.)"""
    anchors = [Anchor(field_name, WORD, w) for w in phrase if w and not w.endswith("*")]
    anchors += [Anchor(field_name, PREFIX, w[:-1]) for w in phrase if len(w) > 1 and w.endswith("*")]
    frequent = stop_words()
    return max(anchors, key=lambda anchor: (anchor.value not in frequent, len(anchor.value), anchor.kind == WORD),
               default=None)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Sastrawi's Indonesian stop words (``yang``, ``kita``, ``saya``, ``bukan``…): the frequent words."""
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words())


def _one_clause(anchors: Iterable[Anchor | None]) -> Requirements:
    found = set()
    for anchor in anchors:
        if anchor is None:
            return ()
        found.add(anchor)
    return (frozenset(found),)


def _either(children: Iterable[Condition]) -> Requirements:
    """Alternatives: whichever holds meets each of its clauses, so every union of one clause per alternative
    is met. With too many such unions, one: the smallest clause of each alternative, together."""
    alternatives = []
    for child in children:
        clauses = requirements(child)
        if not clauses:
            return ()
        alternatives.append(clauses)
    if prod(map(len, alternatives)) > MAX_PICKS:
        return (frozenset().union(*(min(clauses, key=len) for clauses in alternatives)),)
    return _minimal(tuple(frozenset().union(*picked) for picked in product(*alternatives)))


def fields_read(condition: Condition) -> frozenset[str]:
    """The item fields whose docs a condition reads: every field for a condition of a kind not known here."""
    if isinstance(condition, (AnyOf, AllOf, NoneOf)):
        return frozenset().union(*map(fields_read, condition.children))
    if isinstance(condition, Near):
        return fields_read(condition.left) | fields_read(condition.right)
    if isinstance(condition, Terms):
        return frozenset().union(*(fields_read(entry) for entry, _ in condition.entries))
    if isinstance(condition, CampaignAccounts):
        return frozenset(condition.fields)
    if isinstance(condition, (Phrase, Tokens, Regex, Hashtag, ContextSet)):
        return frozenset((condition.field,))
    return frozenset(FIELDS)


def _starts(prefixes: Mapping[str, list[tuple[int, int]]]) -> list[tuple[str, list[tuple[str, list[tuple[int, int]]]]]]:
    """Prefixes as the starts of words of a text after a space, ``" calon"``, with their (rule, clause) pairs. Those
    that share a first character are grouped under it written the same way (``" @"``): the group is passed over
    when no word starts so."""
    groups: dict[str, list[tuple[str, list[tuple[int, int]]]]] = {}
    for prefix, pairs in prefixes.items():
        groups.setdefault(" " + prefix[0], []).append((" " + prefix, pairs))
    return [(first, group) if len(group) > 1 else (group[0][0], group) for first, group in groups.items()]


def _minimal(clauses: Requirements) -> Requirements:
    """The clauses without repeats and without any that holds whenever a smaller one does (a superset)."""
    distinct = tuple(dict.fromkeys(clauses))
    return tuple(c for c in distinct if not any(other < c for other in distinct))


class RuleMatcher:
    """Rules compiled once into an anchor index; :meth:`evaluate` equals ``engine.evaluate`` on them."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = tuple(rules)
        self.always: list[int] = []
        self.clauses: list[int] = []  # number of clauses of each rule
        # literal -> the (rule, clause) pairs it meets, per field
        self.words: dict[str, dict[str, list[tuple[int, int]]]] = {}
        self.prefixes: dict[str, dict[str, list[tuple[int, int]]]] = {}
        self.hashtags: dict[str, dict[str, list[tuple[int, int]]]] = {}
        tables = {WORD: self.words, PREFIX: self.prefixes, HASHTAG: self.hashtags}
        for index, rule in enumerate(self.rules):
            clauses = requirements(rule.condition)
            self.clauses.append(len(clauses))
            if not clauses:
                self.always.append(index)
            for number, clause in enumerate(clauses):
                for anchor in clause:
                    tables[anchor.kind].setdefault(anchor.field, {}).setdefault(anchor.value, []).append(
                        (index, number))
        self.known_words = {field_name: frozenset(table) for field_name, table in self.words.items()}
        self.starts = {field_name: _starts(table) for field_name, table in self.prefixes.items()}
        self.switched_off: set[int] = set()  # rules whose regex ran past its time limit (see evaluate)
        self._applying: dict[str, frozenset[int]] = {}

    def applying(self, kind: str) -> frozenset[int]:
        """The indices of the rules that apply to items of ``kind`` (others never hit them)."""
        found = self._applying.get(kind)
        if found is None:
            found = self._applying[kind] = frozenset(
                index for index, rule in enumerate(self.rules) if rule.status != "deprecated" and rule.applies_to(kind))
        return found

    def fields(self, kind: str) -> frozenset[str]:
        """The fields that the rules applying to ``kind`` read: an item's other fields need no normalising (a
        comment's target is the link of the post it answers, new on every item, and no rule for comments reads it)."""
        return frozenset().union(*(fields_read(self.rules[index].condition) for index in self.applying(kind)))

    def candidates(self, docs: Mapping[str, Doc]) -> list[int]:
        """Indices (in rule order) of the rules whose clauses are all met in ``docs``, and the unconditional ones."""
        met: dict[int, set[int]] = {}
        for field_name, doc in docs.items():
            for pairs in self._pairs_in(field_name, doc):
                for rule, clause in pairs:
                    met.setdefault(rule, set()).add(clause)
            tags = self.hashtags.get(field_name)
            if tags and doc.normalised.hashtags:
                for tag in tags.keys() & set(doc.normalised.hashtags):
                    for rule, clause in tags[tag]:
                        met.setdefault(rule, set()).add(clause)
        chosen = [rule for rule, clauses in met.items() if len(clauses) == self.clauses[rule]]
        return sorted(chosen + self.always)

    def _pairs_in(self, field_name: str, doc: Doc) -> list[list[tuple[int, int]]]:
        """The (rule, clause) pairs the tokens of one field meet, as words and through their prefixes: with set
        operations and substring searches in C (most tokens meet none), not token by token. A token starts a word of
        the field's text, after a space or at its start."""
        words = self.words.get(field_name, {})
        found = [words[word] for word in self.known_words.get(field_name, frozenset()).intersection(doc.words)]
        starts = self.starts.get(field_name)
        if starts:
            text = " " + doc.normalised.text
            found += [pairs for first, prefixes in starts if first in text for start, pairs in prefixes if start in text]
        return found

    def evaluate(self, kind: str, docs: Mapping[str, Doc], timed_out: list[Rule] | None = None) -> list[Hit]:
        """The hits of the rules on one item. With ``timed_out``, a rule whose regex runs past its time limit
        is added to it and switched off for every later item (so a hostile rule costs one time limit,
        not one per item) instead of raising :class:`RuleTimeout`."""
        hits = []
        applying = self.applying(kind)
        for index in self.candidates(docs):
            if index in self.switched_off or index not in applying:
                continue
            try:
                hit = hit_of(self.rules[index], kind, docs)
            except RuleTimeout:
                if timed_out is None:
                    raise
                self.switched_off.add(index)
                timed_out.append(self.rules[index])
                continue
            if hit is not None:
                hits.append(hit)
        return hits
