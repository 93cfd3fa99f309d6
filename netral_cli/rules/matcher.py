"""One compiled prefilter for a rule set: each item evaluates only the rules that can fire on it.

A rule's condition is reduced to its *requirements*: clauses of literals (a normalised token, a
token prefix for ``word*`` patterns, a hashtag, each of one field) such that whenever the condition
holds, every clause has at least one of its literals in the item (``all`` and ``near`` need a clause
per part, ``any`` one clause gathering a clause of each alternative). The matcher indexes every
clause by its literals once; per item it looks the item's distinct tokens and hashtags up in that
index and evaluates, in rule order and with the very same conditions, the rules whose clauses are
all met, so hits and evidence are those of evaluating every rule.

Rules with no requirement (a pure ``not``, a regex, campaign accounts matched by URL or handle) are
evaluated on every item. Regex leaves add no requirement: in the bundled rules they only occur under
``not`` (exceptions), where a requirement could not be used anyway.
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


Clause = frozenset[Anchor]  # at least one of these occurs (an empty clause can never be met)
Requirements = tuple[Clause, ...]  # every clause is met whenever the condition holds; () = none known


def requirements(condition: Condition) -> Requirements:
    """Clauses of literals that an item meets whenever ``condition`` holds on it."""
    if isinstance(condition, Phrase):
        return _one_clause(_first_word(condition.field, phrase) for phrase in condition.phrases)
    if isinstance(condition, Tokens):
        return (frozenset(Anchor(condition.field, WORD, w) for w in condition.words),) if condition.min_count >= 1 \
            else ()
    if isinstance(condition, Hashtag):
        return (frozenset(Anchor(condition.field, HASHTAG, tag) for tag in condition.tags),)
    if isinstance(condition, Near):  # both sides must match
        return _distinct(requirements(condition.left) + requirements(condition.right))
    if isinstance(condition, AllOf):
        return _distinct(tuple(clause for child in condition.children for clause in requirements(child)))
    if isinstance(condition, AnyOf):
        return _either(condition.children)
    if isinstance(condition, NoneOf) and len(condition.children) == 1 and isinstance(condition.children[0], NoneOf):
        return _either(condition.children[0].children)  # not(not(x, y)) holds as any(x, y)
    if isinstance(condition, ContextSet):  # unbound: matches nothing
        return (frozenset(),)
    if isinstance(condition, Terms):
        return _either(entry for entry, _ in condition.entries)
    return ()


def _first_word(field_name: str, phrase: tuple[str, ...]) -> Anchor | None:
    if not phrase or phrase[0] in ("", "*"):
        return None
    first = phrase[0]
    return Anchor(field_name, PREFIX, first[:-1]) if first.endswith("*") else Anchor(field_name, WORD, first)


def _one_clause(anchors: Iterable[Anchor | None]) -> Requirements:
    found = set()
    for anchor in anchors:
        if anchor is None:
            return ()
        found.add(anchor)
    return (frozenset(found),)


def _either(children: Iterable[Condition]) -> Requirements:
    """One clause for alternatives: the smallest clause of each, together (any child needs its own)."""
    gathered: set[Anchor] = set()
    for child in children:
        clauses = requirements(child)
        if not clauses:
            return ()
        gathered |= min(clauses, key=len)
    return (frozenset(gathered),)


def _distinct(clauses: Requirements) -> Requirements:
    return tuple(dict.fromkeys(clauses))


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

    def candidates(self, docs: Mapping[str, Doc]) -> list[int]:
        """Indices (in rule order) of the rules whose clauses are all met in ``docs``, and the unconditional ones."""
        met: dict[int, set[int]] = {}

        def meet(pairs: list[tuple[int, int]]) -> None:
            for rule, clause in pairs:
                met.setdefault(rule, set()).add(clause)

        for field_name, doc in docs.items():
            positions = doc.positions
            words = self.words.get(field_name)
            if words:
                for word in words.keys() & positions.keys():
                    meet(words[word])
            prefixes = self.prefixes.get(field_name)
            if prefixes:
                for length in self.prefix_lengths[field_name]:
                    for word in positions:
                        pairs = prefixes.get(word[:length])
                        if pairs is not None:
                            meet(pairs)
            tags = self.hashtags.get(field_name)
            if tags and doc.normalised.hashtags:
                for tag in tags.keys() & set(doc.normalised.hashtags):
                    meet(tags[tag])
        chosen = [rule for rule, clauses in met.items() if len(clauses) == self.clauses[rule]]
        return sorted(chosen + self.always)

    def evaluate(self, kind: str, docs: Mapping[str, Doc]) -> list[Hit]:
        hits = []
        for index in self.candidates(docs):
            hit = hit_of(self.rules[index], kind, docs)
            if hit is not None:
                hits.append(hit)
        return hits
