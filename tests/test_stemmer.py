"""The faster PySastrawi (netral_cli/stemmer.py) gives the stems PySastrawi gives, word for word."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from helpers import ROOT
from netral_cli.normalise import _sastrawi_roots
from netral_cli.stemmer import REGEX, stemmer

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
    return affixed + plurals + sorted(written) + ["", "-", "a", "x" * 40, "me-", "-nya", "ber-ber"]


def test_stems_equal_plain_pysastrawi_on_thousands_of_words():
    words = words_to_try()
    assert len(words) > 5000
    plain = subprocess.run([sys.executable, "-c", PLAIN_SASTRAWI], input=json.dumps(words), capture_output=True,
                           text=True, check=True)
    expected = json.loads(plain.stdout)
    ours = stemmer()
    assert [ours.stem(word) for word in words] == expected


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
