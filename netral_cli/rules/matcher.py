"""One compiled prefilter for a rule set: each item evaluates only the rules that can fire on it.

A rule's condition is reduced to its *requirements*: clauses of literals (a normalised token, a
token prefix for ``word*`` patterns, a hashtag, each of one field) such that whenever the condition
holds, every clause has at least one of its literals in the item (``all`` and ``near`` need a clause
per part; ``any`` needs, for every way of picking one clause of each alternative, the union of the
picked clauses). A phrase is anchored on its most telling word, not on its first: a word that is not one of
Sastrawi's stop words, then the longest word or prefix. ``yang dukung`` needs ``dukung``, which is far rarer than
``yang``, and ``kiri sendiri`` needs ``kiri`` rather than the frequent ``sendiri``.
The matcher indexes every clause by its literals once. For a chunk of items it numbers their tokens
(:mod:`netral_cli.tokens`; a scan reuses the classifier's numbers), keeps the clauses each token meets (as a word,
or through a prefix it starts with) by its number, finds with numpy the items that meet every clause of some rule,
and evaluates on each item, in rule order and with the very same conditions, the rules whose clauses are all met,
so hits and evidence are those of evaluating every rule.

Rules with no requirement (a pure ``not``, a regex, campaign accounts matched by URL or handle) are
evaluated on every item. Regex leaves add no requirement: in the bundled rules they only occur under
``not`` (exceptions), where a requirement could not be used anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import chain, groupby, product
from math import prod
from operator import is_, itemgetter

import numpy as np

from netral_cli.normalise import Normalised

from netral_cli.rules.conditions import (FIELDS, AllOf, AnyOf, Condition, ContextSet, Doc, Hashtag, Near, NoneOf, Phrase,
                                         Regex, Tokens)
from netral_cli.rules.context import CampaignAccounts, Terms
from netral_cli.rules.engine import Hit, RuleTimeout, hit_of
from netral_cli.rules.rule import Rule
from netral_cli.tokens import ChunkTokens, NumberedRuns, spans, token_numbers

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


def _by_first(prefixes: Mapping[str, list[int]]) -> dict[str, list[tuple[str, list[int]]]]:
    """Prefixes and their pairs, by the prefix's first character."""
    grouped: dict[str, list[tuple[str, list[int]]]] = {}
    for prefix, pairs in prefixes.items():
        grouped.setdefault(prefix[0], []).append((prefix, pairs))
    return grouped


def _minimal(clauses: Requirements) -> Requirements:
    """The clauses without repeats and without any that holds whenever a smaller one does (a superset)."""
    distinct = tuple(dict.fromkeys(clauses))
    return tuple(c for c in distinct if not any(other < c for other in distinct))


class RuleMatcher:
    """Rules compiled once into an anchor index; :meth:`evaluate` equals ``engine.evaluate`` on them."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = tuple(rules)
        self.always: list[int] = []
        clauses: list[int] = []  # number of clauses of each rule
        pair_rules: list[int] = []  # the rule of each (rule, clause) pair, by the pair's number
        # literal -> the numbers of the (rule, clause) pairs it meets, per field
        self.words: dict[str, dict[str, list[int]]] = {}
        self.prefixes: dict[str, dict[str, list[int]]] = {}
        self.hashtags: dict[str, dict[str, list[int]]] = {}
        tables = {WORD: self.words, PREFIX: self.prefixes, HASHTAG: self.hashtags}
        for index, rule in enumerate(self.rules):
            found = requirements(rule.condition)
            clauses.append(len(found))
            if not found:
                self.always.append(index)
            for clause in found:
                pair_rules.append(index)
                for anchor in clause:
                    tables[anchor.kind].setdefault(anchor.field, {}).setdefault(anchor.value, []).append(
                        len(pair_rules) - 1)
        self.clauses = np.array(clauses, dtype=np.int64)
        self.pair_rules = np.array(pair_rules, dtype=np.int64)
        # per field, the prefixes by their first character; and the pairs each token meets, kept by its number
        self._by_first = {field_name: _by_first(table) for field_name, table in self.prefixes.items()}
        self._met = {field_name: NumberedRuns(partial(self._pairs_met, field_name))
                     for field_name in sorted(self.words.keys() | self.prefixes.keys())}
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
        return self.chunk_candidates([docs])[0]

    def chunk_candidates(self, docs_of: Sequence[Mapping[str, Doc]], tokens: ChunkTokens | None = None,
                         numbered: Sequence[Normalised] = ()) -> list[list[int]]:
        """:meth:`candidates` of each item's ``docs``, for a chunk of items at once. Its tokens are numbered (those of
        a doc that is ``numbered[i]`` read from ``tokens``, numbered for the same chunk), the pairs each token meets
        are read by its number, and only the items that meet every clause of some rule are looked at one by one."""
        if tokens is None:
            token_numbers().make_room()
        items, pairs = [], []
        for field_name, met in self._met.items():
            token_items, numbers = self._numbered(field_name, docs_of, tokens, numbered)
            found, lengths = met.of(numbers)
            items.append(np.repeat(token_items, lengths))
            pairs.append(found)
        tagged = self._tagged(docs_of)
        items.append(np.array([item for item, _ in tagged], dtype=np.int64))
        pairs.append(np.array([pair for _, pair in tagged], dtype=np.int64))
        return self._chosen(np.concatenate(items), np.concatenate(pairs), len(docs_of))

    def _numbered(self, field_name: str, docs_of: Sequence[Mapping[str, Doc]], tokens: ChunkTokens | None,
                  numbered: Sequence[Normalised]) -> tuple[np.ndarray, np.ndarray]:
        """The item and the number of each token of the items' ``field_name`` docs."""
        at = [i for i, docs in enumerate(docs_of) if field_name in docs]
        normalised = [docs_of[i][field_name].normalised for i in at]
        where = np.array(at, dtype=np.int64)
        items, numbers = [where[:0]], [where[:0]]
        others: list[int] = list(range(len(at)))
        if tokens is not None:
            reused = np.fromiter(map(is_, normalised, map(numbered.__getitem__, at)), dtype=bool, count=len(at))
            mine = where[reused]
            lengths = tokens.starts[mine + 1] - tokens.starts[mine]
            items.append(np.repeat(mine, lengths))
            numbers.append(tokens.numbers[spans(tokens.starts[mine], lengths)])
            others = np.flatnonzero(~reused).tolist()
        if others:
            words_of = [normalised[k].words for k in others]
            counts = np.fromiter(map(len, words_of), dtype=np.int64, count=len(words_of))
            items.append(np.repeat(where[others], counts))
            numbers.append(token_numbers().numbers(chain.from_iterable(words_of), int(counts.sum())))
        return np.concatenate(items), np.concatenate(numbers)

    def _pairs_met(self, field_name: str, texts: list[str], _kinds: list[int]) -> list[list[int]]:
        """The pairs each token of ``field_name`` meets: as a word, and through the prefixes it starts with."""
        words, by_first = self.words.get(field_name, {}), self._by_first.get(field_name, {})
        return [[*words.get(text, ()), *(pair for prefix, pairs in by_first.get(text[:1], ()) if text.startswith(prefix)
                                         for pair in pairs)] for text in texts]

    def _tagged(self, docs_of: Sequence[Mapping[str, Doc]]) -> list[tuple[int, int]]:
        """The (item, pair) of each pair a hashtag of an item meets."""
        return [(item, pair) for item, docs in enumerate(docs_of) for field_name, doc in docs.items()
                if doc.normalised.hashtags and field_name in self.hashtags
                for tag in self.hashtags[field_name].keys() & set(doc.normalised.hashtags)
                for pair in self.hashtags[field_name][tag]]

    def _chosen(self, items: np.ndarray, pairs: np.ndarray, n_items: int) -> list[list[int]]:
        """Each item's candidates, given the pairs it meets (repeats allowed): the rules whose every clause is met,
        and the unconditional ones, in rule order."""
        n_pairs, n_rules = max(len(self.pair_rules), 1), len(self.rules)
        met = np.unique(items * n_pairs + pairs)
        item_rules, clauses_met = np.unique(met // n_pairs * n_rules + self.pair_rules[met % n_pairs],
                                            return_counts=True)
        chosen = item_rules[clauses_met == self.clauses[item_rules % n_rules]]
        found = [self.always] * n_items
        for item, rules in groupby(zip((chosen // n_rules).tolist(), (chosen % n_rules).tolist()), key=itemgetter(0)):
            found[item] = sorted([rule for _, rule in rules] + self.always)
        return found

    def evaluate(self, kind: str, docs: Mapping[str, Doc], timed_out: list[Rule] | None = None,
                 candidates: list[int] | None = None) -> list[Hit]:
        """The hits of the rules on one item (``candidates``: its :meth:`candidates`, when found for its chunk).
        With ``timed_out``, a rule whose regex runs past its time limit is added to it and switched off for every
        later item (so a hostile rule costs one time limit, not one per item) instead of raising
        :class:`RuleTimeout`."""
        hits = []
        applying = self.applying(kind)
        for index in self.candidates(docs) if candidates is None else candidates:
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
