"""One compiled prefilter for a rule set: each item evaluates only the rules that can fire on it.

A rule's condition is reduced to its *requirements*: clauses of literals (a normalised token, a
token prefix for ``word*`` patterns, a hashtag, each of one field) such that whenever the condition
holds, every clause has at least one of its literals in the item (``all`` and ``near`` need a clause
per part; ``any`` needs, for every way of picking one clause of each alternative, the union of the
picked clauses). A phrase is anchored on its most telling word, not on its first: a word that is not one of
Sastrawi's stop words, then the longest word or prefix. ``yang dukung`` needs ``dukung``, which is far rarer than
``yang``, and ``kiri sendiri`` needs ``kiri`` rather than the frequent ``sendiri``.
The matcher indexes every clause by its literals once; per item it looks the item's distinct tokens
(each token's literals are looked up once and remembered) and hashtags up in that index and
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
from itertools import islice, product
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


def _minimal(clauses: Requirements) -> Requirements:
    """The clauses without repeats and without any that holds whenever a smaller one does (a superset)."""
    distinct = tuple(dict.fromkeys(clauses))
    return tuple(c for c in distinct if not any(other < c for other in distinct))


class TokenMemo:
    """The tokens of one field found to meet clauses (with their (rule, clause) pairs) and found to meet none, at
    most :data:`MEMO` of each (a few hundred bytes a token). Past that, a memo keeps the first :data:`KEEP` tokens
    it was given: in a Zipf stream the frequent ones come first, so the head is not looked up again. Links are not
    kept: they are nearly always new (each item's own URL), and filled the memo only to empty it. On 200k items
    this took the tokens looked up from 3.03 an item to 2.76, most of them each item's link and new words."""

    MEMO = 100_000
    KEEP = MEMO // 4

    def __init__(self) -> None:
        self.met: dict[str, tuple[tuple[int, int], ...]] = {}
        self.unmet: set[str] = set()
        self._unmet_order: list[str] = []  # the set's tokens in the order they came

    def add(self, token: str, pairs: tuple[tuple[int, int], ...]) -> None:
        if pairs:
            if len(self.met) >= self.MEMO:
                self.met = dict(islice(self.met.items(), self.KEEP))
            self.met[token] = pairs
        elif "/" not in token:
            if len(self.unmet) >= self.MEMO:
                del self._unmet_order[self.KEEP:]
                self.unmet = set(self._unmet_order)
            self.unmet.add(token)
            self._unmet_order.append(token)


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
        self.prefix_lengths = {field_name: sorted({len(p) for p in table}) for field_name, table in self.prefixes.items()}
        self._memos: dict[str, TokenMemo] = {}  # per field: what its tokens were found to meet
        self.switched_off: set[int] = set()  # rules whose regex ran past its time limit (see evaluate)
        self._fields: dict[str, frozenset[str]] = {}

    def fields(self, kind: str) -> frozenset[str]:
        """The fields that the rules applying to ``kind`` read: an item's other fields need no normalising (a
        comment's target is the link of the post it answers, new on every item, and no rule for comments reads it)."""
        found = self._fields.get(kind)
        if found is None:
            found = self._fields[kind] = frozenset().union(
                *(fields_read(rule.condition) for rule in self.rules if rule.status != "deprecated" and rule.applies_to(kind)))
        return found

    def candidates(self, docs: Mapping[str, Doc]) -> list[int]:
        """Indices (in rule order) of the rules whose clauses are all met in ``docs``, and the unconditional ones."""
        met: dict[int, set[int]] = {}
        for field_name, doc in docs.items():
            memo = self._memos.get(field_name) or self._memos.setdefault(field_name, TokenMemo())
            # Most tokens meet no clause: the set difference leaves them out in C, not one by one.
            for word in doc.word_set - memo.unmet:
                pairs = memo.met.get(word)
                if pairs is None:
                    pairs = self._pairs_of(field_name, word)
                    memo.add(word, pairs)
                for rule, clause in pairs:
                    met.setdefault(rule, set()).add(clause)
            tags = self.hashtags.get(field_name)
            if tags and doc.normalised.hashtags:
                for tag in tags.keys() & set(doc.normalised.hashtags):
                    for rule, clause in tags[tag]:
                        met.setdefault(rule, set()).add(clause)
        chosen = [rule for rule, clauses in met.items() if len(clauses) == self.clauses[rule]]
        return sorted(chosen + self.always)

    def _pairs_of(self, field_name: str, word: str) -> tuple[tuple[int, int], ...]:
        """The (rule, clause) pairs a token meets in a field: as a word and through each prefix."""
        pairs = list(self.words.get(field_name, {}).get(word, ()))
        prefixes = self.prefixes.get(field_name)
        if prefixes:
            for length in self.prefix_lengths[field_name]:
                pairs.extend(prefixes.get(word[:length], ()))
        return tuple(pairs)

    def evaluate(self, kind: str, docs: Mapping[str, Doc], timed_out: list[Rule] | None = None) -> list[Hit]:
        """The hits of the rules on one item. With ``timed_out``, a rule whose regex runs past its time limit
        is added to it and switched off for every later item (so a hostile rule costs one time limit,
        not one per item) instead of raising :class:`RuleTimeout`."""
        hits = []
        for index in self.candidates(docs):
            if index in self.switched_off:
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
