"""The faster PySastrawi (netral_cli/stemmer.py) gives the stems PySastrawi gives, word for word."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from itertools import product
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import ROOT
from netral_cli.normalise import _sastrawi_roots
from netral_cli.stemmer import (PREFIX_FIRST, PRECEDENCE_RULES, PREFIX_RULE_NEEDS, PREFIX_RULE_STARTS, REGEX,
                                SUFFIX_STEPS, prefix_needs, singular_stemmer, stem, stemmer)

PLAIN_SASTRAWI = """
import json, sys
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
stem = StemmerFactory().create_stemmer().stem
print(json.dumps([stem(word) for word in json.load(sys.stdin)]))
"""
PREFIXES = ("", "me", "mem", "men", "meng", "meny", "ber", "be", "di", "ter", "te", "pe", "pem", "pen", "peng",
            "peny", "per", "memper", "diper", "ke", "se")
SUFFIXES = ("", "kan", "an", "i", "nya", "lah", "kah", "pun", "ku", "mu", "isasi", "isme", "kannya")


def words_to_try() -> list[str]:
    roots = sorted(_sastrawi_roots())[::60]  # about 500 roots of every initial letter
    affixed = [f"{p}{root}{s}" for root in roots for p in PREFIXES[::2] for s in SUFFIXES[::3]]
    plurals = [f"{root}-{root}" for root in roots[::5]] + [f"{root}-{root}nya" for root in roots[::7]]
    written = {word for path in sorted((ROOT / "data" / "labelled").glob("*.jsonl"))
               for line in path.read_text(encoding="utf-8").splitlines()
               for word in re.findall(r"[a-z-]+", json.loads(line)["text"].lower())}
    stacked = [f"{a}{b}{c}{root}" for root in roots[::50] for a, b, c in product(STACKED, repeat=3)]
    return (affixed + plurals + sorted(written) + invented_words() + stacked + short_words()
            + ["", "-", "a", "x" * 40, "me-", "-nya", "ber-ber"])


STACKED = ("di", "ke", "se", "ber", "ter", "per", "me", "pe")  # prefixes three deep take every pass there is


def short_words() -> list[str]:
    """Every word of up to three letters: the stemmer stops early on these (DontStemShortWord)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(letters_of) for size in (1, 2, 3) for letters_of in product(letters, repeat=size)]


def invented_words(count: int = 3000) -> list[str]:
    """Words of Indonesian syllables, most of them no root, bare and with affixes: like the names, slang and typos of
    a scan, which the stemmer tries every rule on and mostly leaves as they are."""
    random = Random(17)
    syllables = [c + v for c in ("", "b", "d", "g", "k", "l", "m", "n", "ng", "ny", "p", "r", "s", "t", "w")
                 for v in "aeiou"] + ["r", "n", "h", "k", "ng"]
    words = ["".join(random.choices(syllables, k=random.randint(1, 4))) for _ in range(count)]
    return [random.choice(PREFIXES) + word + random.choice(SUFFIXES) for word in words]


def test_stems_equal_plain_pysastrawi_on_thousands_of_words():
    words = words_to_try()
    assert len(words) > 5000
    plain = subprocess.run([sys.executable, "-c", PLAIN_SASTRAWI], input=json.dumps(words), capture_output=True,
                           text=True, check=True)
    expected = json.loads(plain.stdout)
    assert [stem(word) for word in words] == expected


@given(st.text("ab-_1", max_size=4), st.text("ab-_1x", max_size=3), st.text("ab-_1", max_size=12),
       st.integers(0, 3))
def test_a_literal_pattern_is_replaced_as_re_sub_would(pattern, repl, string, count):
    assert REGEX.sub(pattern, repl, string, count) == re.sub(pattern, repl, string, count)


def test_any_other_pattern_goes_to_re():
    assert REGEX.sub(r"(kan|an)$", "", "makanan", 1) == "makan"
    assert REGEX.sub("a.", "", "abac") == ""
    assert REGEX.sub("a", r"\\", "aa", 1) == "\\a"
    assert REGEX.match(r"^ber([aiueo].*)$", "berani").group(1) == "ani"
    assert REGEX.compile is re.compile


REMOVALS = (r"^(di|ke|se)", r"-*(lah|kah|tah|pun)$", r"-*(ku|mu|nya)$", r"(is|isme|isasi|i|kan|an)$", "a.", "-+")


@given(st.sampled_from(REMOVALS), st.text("diksealhtpunmyaz-", max_size=12), st.integers(0, 2))
def test_a_removal_pattern_asked_for_again_removes_what_re_sub_removes(pattern, string, count):
    first = REGEX.sub(pattern, "", string, count)
    assert REGEX.sub(pattern, "", string, count) == first == re.sub(pattern, "", string, count)


def _rule_classes():
    visitors = stemmer().visitor_provider.prefix_visitors
    return {type(rule).__name__: type(rule) for visitor in visitors for rule in getattr(visitor, "disambiguators", ())}


def test_every_prefix_rule_has_the_pattern_its_code_matches_the_word_against():
    import inspect

    classes = _rule_classes()
    assert set(classes) == set(PREFIX_RULE_NEEDS) and len(classes) > 50
    for name, rule in classes.items():
        source = inspect.getsource(rule.disambiguate)
        words = [rf"{word}\Z" for word in re.findall(r"word == '([^']*)'", source)]
        first = re.search(r"re\.match\(r'([^']*)', word\)", source)
        assert PREFIX_RULE_NEEDS[name] == "|".join(words + [first.group(1)] if first else words), name
        # every value it returns comes after that match (or that comparison)
        body = source.split('"""')[-1]
        assert body.count("return ") == body.count("return matches") + body.count("return '") \
            and body.index("return") > min(body.index(part) for part in ("re.match", "word ==") if part in body), name


_PREFIXES = ["ber", "be", "bel", "ter", "te", "me", "mem", "men", "meng", "meny", "memp", "mempe", "pe", "pem", "pen",
             "peng", "penge", "peny", "per", "pel", "ku", "kau", "er", "el", "em", "in", "belajar", "pelajar"]


@given(st.lists(st.sampled_from(_PREFIXES), max_size=2).map("".join), st.text("abdegiklmnoprstuwy", max_size=8))
def test_a_prefix_rule_returns_nothing_for_a_word_its_pattern_does_not_match(prefix, rest):
    word = prefix + rest
    for name, rule in _rule_classes().items():
        if not re.match(PREFIX_RULE_NEEDS[name], word):
            assert rule().disambiguate(word) is None, (name, word)


@given(st.data())
def test_every_word_a_prefix_rule_can_take_has_one_of_the_starts_that_are_checked_first(data):
    pattern = data.draw(st.sampled_from(sorted(set(PREFIX_RULE_NEEDS.values()))))
    word = data.draw(st.from_regex(pattern, fullmatch=True))
    if re.match(pattern, word):
        assert PREFIX_RULE_STARTS.match(word), (pattern, word)


def test_the_precedence_test_is_the_union_of_pysastrawis_own_patterns():
    import inspect

    from Sastrawi.Stemmer.ConfixStripping import PrecedenceAdjustmentSpecification as module

    stemmer()
    assert tuple(re.findall(r"r'([^']*)'", inspect.getsource(module))) == PRECEDENCE_RULES
    specification = module.PrecedenceAdjustmentSpecification()
    for word in ["bermainlah", "bermain", "berjalan", "mengobati", "diobati", "pelari", "tertawai", "ter", "bei", "meI",
                 "be\nan", "pei\n", "dii", "dian", "xmei"]:
        assert specification.is_satisfied_by(word) is (PREFIX_FIRST.match(word) is not None), word


def test_the_stemmer_is_one_function_only_with_the_visitors_and_rules_it_follows():
    found = stemmer()
    assert found.stem_singular_word.__qualname__ == "singular_stemmer.<locals>.stem_singular_word"
    visitors = found.visitor_provider.prefix_visitors
    assert len(prefix_needs(visitors)) == len(visitors) - 1  # all but RemovePlainPrefix, which has no rules

    class Unknown:
        def disambiguate(self, word):
            return None

    class Visitor:
        disambiguators = [Unknown()]

    assert prefix_needs([Visitor()]) == {}

    class Provider:
        visitors, suffix_visitors, prefix_visitors = [], [], []

    class Other:
        visitor_provider, dictionary = Provider(), None

    assert singular_stemmer(Other()) is None


ROOTS = sorted(_sastrawi_roots())[::7]


@settings(max_examples=1500)
@given(st.lists(st.sampled_from(PREFIXES), max_size=3).map("".join),
       st.one_of(st.sampled_from(ROOTS), st.text("aeioubcdgjklmnprstwyz-1", min_size=1, max_size=9)),
       st.lists(st.sampled_from(SUFFIXES), max_size=2).map("".join))
def test_the_stemmer_in_one_function_gives_what_pysastrawis_context_gives(prefix, middle, suffix):
    from Sastrawi.Stemmer.Context.Context import Context

    word = prefix + middle + suffix
    found = stemmer()
    context = Context(word, found.dictionary, found.visitor_provider)
    context.execute()
    assert found.stem_singular_word(word) == context.result


@given(st.text("lahkptunymsiae-", max_size=6), st.sampled_from(["", "-", "--"]),
       st.sampled_from(["", "lah", "kah", "tah", "pun", "ku", "mu", "nya", "is", "isme", "isasi", "i", "kan", "an"]))
def test_the_suffix_removals_are_pysastrawis_own(base, hyphens, suffix):
    word = base + hyphens + suffix
    for (remove, _), visitor in zip(SUFFIX_STEPS, stemmer().visitor_provider.suffix_visitors):
        assert remove(word) == visitor.remove(word)
