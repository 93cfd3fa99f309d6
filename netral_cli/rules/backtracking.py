"""A conservative static check for regular expressions prone to catastrophic backtracking.

Python's ``re`` backtracks; a repeated group that can match the same text in several ways makes a
failing match take exponential time. Over the parsed pattern (``re._parser``) two shapes are flagged
under a quantifier (the alternation only under an unbounded or large one):

- a nested quantifier whose surroundings in the group cannot force where one repetition ends:
  ``(a+)+``, ``(.*)*``, ``(\\w+\\s?)+``, ``(\\w+\\d)+``, ``(a{1,2})+``, ``(a{1,10}){1,10}`` (but not
  ``(\\w+\\s)+``: the ``\\s`` ends each round; nor ``(a+){2}`` or ``(\\d{1,3}\\.){3}``);
- an alternation whose branches can start the same way: ``(a|a)*``, ``(.|\\s)*``, ``(\\w|\\d)+``
  (but not ``(rt|rw)+`` or ``(a|ab)*``).

Character classes are compared on a sample alphabet (ASCII, a few non-ASCII characters and the
pattern's own literals); possessive quantifiers and atomic groups are safe and skipped.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from itertools import islice
from typing import Any

if sys.version_info >= (3, 11):
    from re import _constants as sre
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as sre
    import sre_parse

LARGE = 16  # a bounded repeat this large backtracks like an unbounded one
MIN_ROUNDS = 3  # a repeat of a repeat twice over, ``(a+){2}``, costs at most length ** 2: tolerated
MAX_VARIANTS = 256  # branch combinations looked at per repeated group (a bound on the check's own time)
_SAMPLE = [chr(c) for c in range(128)] + list("\u00a0\u2003éñß€\u0660😀")
_SINGLE = {sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN}
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT}
_POSSESSIVE = getattr(sre, "POSSESSIVE_REPEAT", None)  # Python >= 3.11, like atomic groups
_ATOMIC = getattr(sre, "ATOMIC_GROUP", None)

Element = tuple[Any, Any]


def backtracking_problem(pattern: str) -> str | None:
    """Why ``pattern`` may backtrack catastrophically, or None. An invalid pattern is not judged here."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # re.error, RecursionError, OverflowError: reported elsewhere
        return None
    sample = _SAMPLE + [chr(av) for op, av in _walk(list(parsed)) if op == sre.LITERAL]
    for op, av in _walk(list(parsed)):
        if op in _REPEATS and av[1] >= MIN_ROUNDS:
            body = _flatten(list(av[2]))
            problem = _nested_quantifier(body, sample, av[1]) or (
                _ambiguous_branch(body, sample) if _is_large(av[1]) else None)
            if problem:
                return problem
    return None


def _walk(sequence: list[Element]) -> Iterator[Element]:
    """Every element, depth first."""
    for op, av in sequence:
        yield op, av
        if op in _REPEATS or op == _POSSESSIVE:
            yield from _walk(list(av[2]))
        elif op == _ATOMIC:
            yield from _walk(list(av))
        elif op == sre.SUBPATTERN:
            yield from _walk(list(av[3]))
        elif op == sre.BRANCH:
            for alternative in av[1]:
                yield from _walk(list(alternative))
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from _walk(list(av[1]))


def _is_large(maximum: int) -> bool:
    return maximum == sre.MAXREPEAT or maximum >= LARGE


def _flatten(sequence: list[Element]) -> list[Element]:
    """Groups dissolved into the sequence around them (concatenation is associative)."""
    flat: list[Element] = []
    for op, av in sequence:
        if op == sre.SUBPATTERN:
            flat.extend(_flatten(list(av[3])))
        else:
            flat.append((op, av))
    return flat


def _variants(body: list[Element]) -> Iterator[list[Element]]:
    """The body with each alternation replaced by one of its branches (first alternation only)."""
    for index, (op, av) in enumerate(body):
        if op == sre.BRANCH:
            for alternative in av[1]:
                yield from _variants(body[:index] + _flatten(list(alternative)) + body[index + 1:])
            return
    yield body


def _splits_many_ways(inner: tuple[int, int], rounds: int) -> bool:
    """A repeat of variable length (``a+``, ``a{1,10}``) inside a repeat can share the same text out in
    many ways: exponentially many under a large repeat, as many as length ** rounds under a bounded one."""
    low, high = inner
    return low < high and (_is_large(rounds) or _is_large(high) or rounds * high >= LARGE)


def _nested_quantifier(body: list[Element], sample: list[str], rounds: int) -> str | None:
    for variant in islice(_variants(body), MAX_VARIANTS):
        for index, (op, av) in enumerate(variant):
            if op not in _REPEATS or not _splits_many_ways((av[0], av[1]), rounds):
                continue
            inner = _chars([(op, av)], sample)
            others = variant[:index] + variant[index + 1:]
            if all(_nullable([other]) or _chars([other], sample) & inner for other in others):
                return "nested quantifier: a repeated group holds a repeat that can take over its text"
    return None


def _ambiguous_branch(body: list[Element], sample: list[str]) -> str | None:
    for index, (op, av) in enumerate(body):
        if op != sre.BRANCH:
            continue
        continuation = body[index + 1:] + body  # what follows a branch: the rest, then the next round
        prefixes = [_prefix_classes(_flatten(list(alt)) + continuation, sample) for alt in av[1]]
        for i in range(len(prefixes)):
            for j in range(i + 1, len(prefixes)):
                if not _disjoint(prefixes[i], prefixes[j]):
                    return "overlapping alternation under a quantifier: two branches can match the same text"
    return None


def _disjoint(a: list[frozenset[str]], b: list[frozenset[str]]) -> bool:
    return any(not (x & y) for x, y in zip(a, b))


def _prefix_classes(sequence: list[Element], sample: list[str], limit: int = 8) -> list[frozenset[str]]:
    """The character sets of the first characters a sequence must match, as far as they are fixed."""
    classes: list[frozenset[str]] = []
    for op, av in _flatten(sequence):
        if len(classes) >= limit:
            break
        if op in _ZERO_WIDTH:
            continue
        if op in _SINGLE:
            classes.append(_chars([(op, av)], sample))
            continue
        if op in _REPEATS and av[0] >= 1:
            classes.extend(_prefix_classes(list(av[2]), sample, 1))
        break
    return classes


def _nullable(sequence: list[Element]) -> bool:
    for op, av in sequence:
        if op in _ZERO_WIDTH:
            continue
        if op in _REPEATS or op == _POSSESSIVE:
            if av[0] == 0 or _nullable(list(av[2])):
                continue
            return False
        if op in (sre.SUBPATTERN, _ATOMIC):
            if _nullable(list(av[3] if op == sre.SUBPATTERN else av)):
                continue
            return False
        if op == sre.BRANCH:
            if any(_nullable(list(alt)) for alt in av[1]):
                continue
            return False
        return False
    return True


def _chars(sequence: list[Element], sample: list[str]) -> frozenset[str]:
    """Every sample character the sequence can consume anywhere."""
    found: set[str] = set()
    for op, av in _walk(sequence):
        if op in _SINGLE:
            found.update(c for c in sample if _single_matches(op, av, c))
        elif op == sre.GROUPREF:
            found.update(sample)  # a backreference: assume anything
    return frozenset(found)


def _single_matches(op: Any, av: Any, char: str) -> bool:
    if op == sre.LITERAL:
        return ord(char) == av
    if op == sre.NOT_LITERAL:
        return ord(char) != av
    if op == sre.ANY:
        return char != "\n"
    negate = bool(av) and av[0][0] == sre.NEGATE
    hit = any(_set_item_matches(item_op, item_av, char) for item_op, item_av in av if item_op != sre.NEGATE)
    return hit != negate


_CATEGORIES = {
    "CATEGORY_DIGIT": str.isdecimal,
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
}


def _set_item_matches(op: Any, av: Any, char: str) -> bool:
    if op == sre.LITERAL:
        return ord(char) == av
    if op == sre.RANGE:
        return av[0] <= ord(char) <= av[1]
    if op == sre.CATEGORY:
        name = str(av)
        positive = name.replace("NOT_", "")
        test = _CATEGORIES.get(positive)
        if test is None:
            return True  # line breaks and other rare categories: assume a match
        return test(char) != ("NOT_" in name)
    return True
