"""PySastrawi's stemmer, with the same stems in a fifteenth of the time per new word (on words of the
benchmark's vocabulary: 119 µs in PySastrawi 1.2.1, 7.6 µs here).

Stemming the new words is most of a cold scan's extra cost (a scan meets hundreds of thousands of
distinct words). Four things in PySastrawi cost more than the stemming itself:

- It removes an affix with ``re.sub(result, "", word, count=1)``: the stem found so far is used as a
  *pattern*, so every new word compiles a regex, and those push the stemmer's own fixed patterns out of
  ``re``'s cache of 512, to be compiled again. A pattern of only letters, digits, ``_`` and ``-`` matches
  itself literally, so ``str.replace`` gives the same string; any other pattern still goes to ``re``.
- Each fixed pattern goes through ``re``'s cache look-up, in Python, dozens of times a word; here it is
  compiled once into a larger C-level cache.
- It tries each of its 40 prefix rules (``ber-``, ``meng-``, ``pe-``, …) on every word, three times (a pass that
  removed nothing is repeated to the same effect) and again for each suffix it puts back, although a word can meet
  only a few of them.
- Each step is a visitor object called through the stemming context, each removal an object.

The modules of the ``Sastrawi`` package that use ``re`` are given :data:`REGEX` in its place. With PySastrawi
1.2.1, whose rules :data:`PREFIX_RULE_NEEDS` lists, its ``stem_singular_word`` (which its ``stem`` and its plural
words call) is :func:`singular_stemmer`'s: the same steps written as one function over strings, calling the prefix
rules' own code but not a rule whose pattern the word does not match (half the time a new word, on 60,000 words of
the benchmark's vocabulary), and ending the prefix passes after one that changed nothing (tests compare it with
PySastrawi word for word); :func:`stem` skips ``stem``'s text clean-up for a plain word. Nothing else in the
process is touched. PySastrawi's ``CachedStemmer`` is not used: netral keeps stems itself (memory and disk, see
:mod:`netral_cli.normalise`), and a second unbounded copy of every stem would only cost memory.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import metadata
from typing import Any

_LITERAL = re.compile(r"[A-Za-z0-9_-]*")
_compiled = lru_cache(maxsize=4096)(re.compile)


class _Regex:
    """The ``re`` module as PySastrawi's modules see it: ``match`` and ``sub`` as above, the rest unchanged."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    @staticmethod
    def match(pattern: Any, string: str, flags: int = 0) -> re.Match[str] | None:
        return _compiled(pattern, flags).match(string)

    @staticmethod
    def sub(pattern: Any, repl: Any, string: str, count: int = 0, flags: int = 0) -> str:
        if isinstance(pattern, str) and isinstance(repl, str) and not flags and "\\" not in repl \
                and _LITERAL.fullmatch(pattern):
            return string.replace(pattern, repl, count or -1)
        return _compiled(pattern, flags).sub(repl, string, count)


REGEX = _Regex()


# PySastrawi 1.2.1's prefix rules (``Sastrawi/Morphology/Disambiguator``): ``disambiguate(word)`` returns nothing
# unless ``word`` matches the rule's pattern here, the first one its code matches ``word`` against (rules 4 and 32
# also compare it with one word). tests/test_stemmer.py checks each pattern against PySastrawi's source.
PREFIX_RULES_VERSION = "1.2.1"
PREFIX_RULE_NEEDS = {
    "DisambiguatorPrefixRule1a": r"^ber([aiueo].*)$",
    "DisambiguatorPrefixRule1b": r"^ber([aiueo].*)$",
    "DisambiguatorPrefixRule2": r"^ber([bcdfghjklmnpqrstvwxyz])([a-z])(.*)",
    "DisambiguatorPrefixRule3": r"ber([bcdfghjklmnpqrstvwxyz])([a-z])er([aiueo])(.*)",
    "DisambiguatorPrefixRule4": r"belajar\Z",
    "DisambiguatorPrefixRule5": r"be([bcdfghjklmnpqstvwxyz])(er[bcdfghjklmnpqrstvwxyz])(.*)$",
    "DisambiguatorPrefixRule6a": r"^ter([aiueo].*)$",
    "DisambiguatorPrefixRule6b": r"^ter([aiueo].*)$",
    "DisambiguatorPrefixRule7": r"^ter([bcdfghjklmnpqrstvwxyz])er([aiueo].*)$",
    "DisambiguatorPrefixRule8": r"^ter([bcdfghjklmnpqrstvwxyz])(.*)$",
    "DisambiguatorPrefixRule9": r"^te([bcdfghjklmnpqrstvwxyz])er([bcdfghjklmnpqrstvwxyz])(.*)$",
    "DisambiguatorPrefixRule10": r"^me([lrwy])([aiueo])(.*)$",
    "DisambiguatorPrefixRule11": r"^mem([bfv])(.*)$",
    "DisambiguatorPrefixRule12": r"^mempe(.*)$",
    "DisambiguatorPrefixRule13a": r"^mem([aiueo])(.*)$",
    "DisambiguatorPrefixRule13b": r"^mem([aiueo])(.*)$",
    "DisambiguatorPrefixRule14": r"^men([cdjstz])(.*)$",
    "DisambiguatorPrefixRule15a": r"^men([aiueo])(.*)$",
    "DisambiguatorPrefixRule15b": r"^men([aiueo])(.*)$",
    "DisambiguatorPrefixRule16": r"^meng([ghqk])(.*)$",
    "DisambiguatorPrefixRule17a": r"^meng([aiueo])(.*)$",
    "DisambiguatorPrefixRule17b": r"^meng([aiueo])(.*)$",
    "DisambiguatorPrefixRule17c": r"^menge(.*)$",
    "DisambiguatorPrefixRule17d": r"^meng([aiueo])(.*)$",
    "DisambiguatorPrefixRule18a": r"^meny([aiueo])(.*)$",
    "DisambiguatorPrefixRule18b": r"^meny([aiueo])(.*)$",
    "DisambiguatorPrefixRule19": r"^memp([abcdfghijklmopqrstuvwxyz])(.*)$",
    "DisambiguatorPrefixRule20": r"^pe([wy])([aiueo])(.*)$",
    "DisambiguatorPrefixRule21a": r"^per([aiueo])(.*)$",
    "DisambiguatorPrefixRule21b": r"^pe(r[aiueo])(.*)$",
    "DisambiguatorPrefixRule23": r"^per([bcdfghjklmnpqrstvwxyz])([a-z])(.*)$",
    "DisambiguatorPrefixRule24": r"^per([bcdfghjklmnpqrstvwxyz])([a-z])er([aiueo])(.*)$",
    "DisambiguatorPrefixRule25": r"^pem([bfv])(.*)$",
    "DisambiguatorPrefixRule26a": r"^pem([aiueo])(.*)$",
    "DisambiguatorPrefixRule26b": r"^pem([aiueo])(.*)$",
    "DisambiguatorPrefixRule27": r"^pen([cdjstz])(.*)$",
    "DisambiguatorPrefixRule28a": r"^pen([aiueo])(.*)$",
    "DisambiguatorPrefixRule28b": r"^pen([aiueo])(.*)$",
    "DisambiguatorPrefixRule29": r"^peng([bcdfghjklmnpqrstvwxyz])(.*)$",
    "DisambiguatorPrefixRule30a": r"^peng([aiueo])(.*)$",
    "DisambiguatorPrefixRule30b": r"^peng([aiueo])(.*)$",
    "DisambiguatorPrefixRule30c": r"^penge(.*)$",
    "DisambiguatorPrefixRule31a": r"^peny([aiueo])(.*)$",
    "DisambiguatorPrefixRule31b": r"^peny([aiueo])(.*)$",
    "DisambiguatorPrefixRule32": r"pelajar\Z|^pe(l[aiueo])(.*)$",
    "DisambiguatorPrefixRule34": r"^pe([bcdfghjklmnpqrstvwxyz])(.*)$",
    "DisambiguatorPrefixRule35": r"^ter([bcdfghjkpqstvxz])(er[bcdfghjklmnpqrstvwxyz])(.*)$",
    "DisambiguatorPrefixRule36": r"^pe([bcdfghjkpqstvxz])(er[bcdfghjklmnpqrstvwxyz])(.*)$",
    "DisambiguatorPrefixRule37a": r"^([bcdfghjklmnpqrstvwxyz])(er[aiueo])(.*)$",
    "DisambiguatorPrefixRule37b": r"^([bcdfghjklmnpqrstvwxyz])er([aiueo])(.*)$",
    "DisambiguatorPrefixRule38a": r"^([bcdfghjklmnpqrstvwxyz])(el[aiueo])(.*)$",
    "DisambiguatorPrefixRule38b": r"^([bcdfghjklmnpqrstvwxyz])el([aiueo])(.*)$",
    "DisambiguatorPrefixRule39a": r"^([bcdfghjklmnpqrstvwxyz])(em[aiueo])(.*)$",
    "DisambiguatorPrefixRule39b": r"^([bcdfghjklmnpqrstvwxyz])em([aiueo])(.*)$",
    "DisambiguatorPrefixRule40a": r"^([bcdfghjklmnpqrstvwxyz])(in[aiueo])(.*)$",
    "DisambiguatorPrefixRule40b": r"^([bcdfghjklmnpqrstvwxyz])in([aiueo])(.*)$",
    "DisambiguatorPrefixRule41": r"^ku(.*)$",
    "DisambiguatorPrefixRule42": r"^kau(.*)$",
}


# PySastrawi 1.2.1's test of whether a word's prefix is removed before its suffix
# (``ConfixStripping/PrecedenceAdjustmentSpecification``): any of these matches, each tried in turn there.
PRECEDENCE_RULES = (r"^be(.*)lah$", r"^be(.*)an$", r"^me(.*)i$", r"^di(.*)i$", r"^pe(.*)i$", r"^ter(.*)i$")
PREFIX_FIRST = re.compile("|".join(f"(?:{rule})" for rule in PRECEDENCE_RULES))  # one regex: 1.5 -> 0.2 us


# What every pattern of PREFIX_RULE_NEEDS starts with: be-, te-, me-, pe-, ku-, kau- or a consonant and an infix
# (tests/test_stemmer.py checks it against words each pattern matches). It is told in a tenth of the time of the
# union of the patterns, and half of a scan's new words start with none of them.
PREFIX_RULE_STARTS = re.compile(r"be|te|me|pe|ku|ka|[bcdfghjklmnpqrstvwxyz](?:er|el|em|in)")


@lru_cache(maxsize=1)
def stemmer() -> Any:
    """PySastrawi's (uncached) stemmer, its modules given :data:`REGEX` and, with PySastrawi
    :data:`PREFIX_RULES_VERSION`, :func:`singular_stemmer`'s ``stem_singular_word``, which its ``stem`` and its
    plural words call."""
    import Sastrawi
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    for module in sastrawi_modules(Sastrawi):
        if getattr(module, "re", None) is re:
            module.re = REGEX
    stemmer = StemmerFactory().create_stemmer(isDev=False).delegatedStemmer
    if metadata.version("PySastrawi") == PREFIX_RULES_VERSION:
        stemmer.stem_singular_word = singular_stemmer(stemmer) or stemmer.stem_singular_word
    return stemmer


def stem(text: str) -> str:
    """PySastrawi's ``stem(text)``. A word of ASCII lowercase letters alone, most of a scan's new words, goes straight
    to its ``stem_singular_word``: for such a word ``stem``'s text clean-up (two regex substitutions), plural test and
    join change nothing, and cost a fifth of the stemming."""
    if text.isascii() and text.isalpha() and text.islower():
        return stemmer().stem_singular_word(text)
    return stemmer().stem(text)


# PySastrawi 1.2.1's suffix removals (``Sastrawi/Stemmer/Context/Visitor``) on a word without a line break (``$``
# also matches before a last one, and ``stem`` leaves none): re.sub(pattern, "", word, count=1) of
# r"-*(lah|kah|tah|pun)$", r"-*(ku|mu|nya)$" and r"(is|isme|isasi|i|kan|an)$". Each pattern ends at the word's end, so
# the match that starts first is the longest suffix of the word it matches.
def without_particle(word: str) -> str:
    return word[:-3].rstrip("-") if word[-3:] in ("lah", "kah", "tah", "pun") else word


def without_pronoun(word: str) -> str:
    if word.endswith("nya"):
        return word[:-3].rstrip("-")
    return word[:-2].rstrip("-") if word[-2:] in ("ku", "mu") else word


def without_derivational_suffix(word: str) -> str:
    for suffix in ("isasi", "isme", "kan", "is", "an", "i"):
        if word.endswith(suffix):
            return word[:-len(suffix)]
    return word


SUFFIX_STEPS = ((without_particle, "P"), (without_pronoun, "PP"), (without_derivational_suffix, "DS"))
_SUFFIX_VISITORS = ("RemoveInflectionalParticle", "RemoveInflectionalPossessivePronoun", "RemoveDerivationalSuffix")
PLAIN_PREFIXES = ("di", "ke", "se")  # RemovePlainPrefix: re.sub(r"^(di|ke|se)", "", word, count=1)

Removal = tuple[str, str, str, str]  # subject, result, removed part, affix type: PySastrawi's Removal


class _Stemming:
    """A word being stemmed: PySastrawi's stemming context without its visitors."""

    __slots__ = ("current", "removals", "stopped")

    def __init__(self, word: str):
        self.current = word
        self.removals: list[Removal] = []
        self.stopped = len(word) <= 3  # DontStemShortWord, the context's one visitor before the suffixes

    def remove(self, result: str, affix_type: str) -> None:
        """A visitor's removal: the removed part as PySastrawi finds it, ``re.sub(result, "", word, count=1)`` (a
        pattern of letters is the literal it spells)."""
        word = self.current
        self.removals.append((word, result, word.replace(result, "", 1), affix_type))
        self.current = result


def singular_stemmer(found: Any) -> Callable[[str], str] | None:
    """PySastrawi 1.2.1's ``stem_singular_word`` (``Context.execute``) for a word as its ``stem`` passes one (lowercase
    letters, digits and hyphens), as one function over strings and tuples: the same steps, in the same order, with the same checks against the same
    dictionary, and the prefix rules' own ``disambiguate``; the visitor objects, their ``accept``/``visit`` calls, the
    removal objects and the regex substitutions are what it leaves out (a new word in about half the time). None when
    the stemmer's visitors are not the ones this follows."""
    provider = found.visitor_provider
    prefix_visitors = provider.prefix_visitors
    names = [type(visitor).__name__ for visitor in (*provider.visitors, *provider.suffix_visitors, *prefix_visitors)]
    needs = prefix_needs(prefix_visitors)
    if names[:5] != ["DontStemShortWord", *_SUFFIX_VISITORS, "RemovePlainPrefix"] \
            or len(needs) != len(prefix_visitors) - 1 or not hasattr(found.dictionary, "words"):
        return None
    contains = found.dictionary.words.__contains__
    passes = [(None, None)] + [(visitor.disambiguators, needs[id(visitor)]) for visitor in prefix_visitors[1:]]
    any_rule = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in passes[1:]))

    def prefix_pass(state: _Stemming) -> None:
        """``Context.accept_prefix_visitors``: the plain prefixes, then the rules, until one removes something; a rule
        whose pattern (:data:`PREFIX_RULE_NEEDS`) the word does not match is not called. It would return nothing and
        leave the word as it is, and the checks after it would go on as the checks before it did: only when no check
        has run yet are they made, as after the first visitor. A word that none of the patterns matches (one regex
        tells, after :data:`PREFIX_RULE_STARTS`) meets only the plain prefixes. The word a pass starts with is the
        word all its rules see: a rule changes it only by removing a prefix, which ends the pass."""
        word = state.current
        count = len(state.removals)
        checked = False
        for rules, pattern in passes if PREFIX_RULE_STARTS.match(word) and any_rule.match(word) else passes[:1]:
            if rules is None:
                if word[:2] in PLAIN_PREFIXES:
                    state.remove(word[2:], "DP")
            elif pattern.match(word):
                result = None
                for rule in rules:  # AbstractDisambiguatePrefixRule.visit: the last rule's result unless one is a root
                    result = rule.disambiguate(word)
                    if contains(result):
                        break
                if result is not None:
                    state.remove(result, "DP")
            elif checked:
                continue
            checked = True
            if contains(state.current) or state.stopped or len(state.removals) > count:
                return

    def remove_prefixes(state: _Stemming) -> None:
        """Up to three prefix passes; after one that changed nothing the next would start from the same state, and
        end in it again."""
        for _ in range(3):
            before = state.current, len(state.removals)
            prefix_pass(state)
            if contains(state.current) or (state.current, len(state.removals)) == before:
                return

    def remove_suffixes(state: _Stemming) -> None:
        for remove, affix_type in SUFFIX_STEPS:
            result = remove(state.current)
            if result != state.current:
                state.remove(result, affix_type)
            if contains(state.current) or state.stopped:
                return

    def put_suffixes_back(state: _Stemming) -> None:
        """``loop_pengembalian_akhiran``: from the word before its first removal, without prefix removals, each suffix
        removal undone in turn (last first) and the prefixes removed again."""
        if state.removals:
            state.current = state.removals[0][0]
        removals = state.removals = [removal for removal in state.removals if removal[3] != "DP"]
        before = state.current
        for subject, result, removed, _ in reversed(removals):
            if removed == "kan":
                state.current = result + "k"
                remove_prefixes(state)
                if contains(state.current):
                    return
                state.current = result + "kan"
            else:
                state.current = subject
            remove_prefixes(state)
            if contains(state.current):
                return
            state.current = before

    def stem_singular_word(word: str) -> str:
        if contains(word):
            return word
        state = _Stemming(word)
        if PREFIX_FIRST.match(word):  # the prefix first, then the suffixes; on failure, from the word again
            remove_prefixes(state)
            if contains(state.current):
                return state.current
            remove_suffixes(state)
            if contains(state.current):
                return state.current
            state.current, state.removals = word, []
        remove_suffixes(state)
        if not contains(state.current):
            remove_prefixes(state)
            if not contains(state.current):
                put_suffixes_back(state)
        return state.current if contains(state.current) else word

    return stem_singular_word


def prefix_needs(visitors: Sequence[Any]) -> dict[int, re.Pattern[str]]:
    """For each prefix visitor (by ``id``) whose rules :data:`PREFIX_RULE_NEEDS` all knows, the pattern a word must
    match for any of them to return something."""
    needs = {}
    for visitor in visitors:
        names = [type(rule).__name__ for rule in getattr(visitor, "disambiguators", ())]
        if names and all(name in PREFIX_RULE_NEEDS for name in names):
            needs[id(visitor)] = re.compile("|".join(f"(?:{PREFIX_RULE_NEEDS[name]})" for name in names))
    return needs


def sastrawi_modules(package: Any) -> list[Any]:
    """Every module of the ``Sastrawi`` package, imported."""
    return [importlib.import_module(info.name) for info in pkgutil.walk_packages(package.__path__, "Sastrawi.")]
