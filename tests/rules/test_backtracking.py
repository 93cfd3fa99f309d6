"""The static check for catastrophic backtracking, on known-bad and known-good patterns."""

from __future__ import annotations

import pytest

from netral_cli.rules.backtracking import backtracking_problem

NESTED = "nested quantifier: a repeated group holds a repeat that can take over its text"
ALTERNATION = "overlapping alternation under a quantifier: two branches can match the same text"

BAD = [
    ("(a+)+", NESTED), ("^(a+)+$", NESTED), ("(a*)*", NESTED), ("(.*)*", NESTED), ("((ab)*)+", NESTED),
    (r"(\w+\s?)+", NESTED), (r"(\w+\d)+", NESTED), ("(x+x+)+y", NESTED), ("([a-z]+ ?)+", NESTED),
    (r"(\d+|x\w)+", NESTED), ("(?>(a+)+b)", NESTED), ("(a+){1,100}", NESTED),
    ("(a|a)*", ALTERNATION), ("(a|aa)+", ALTERNATION), (r"(.|\s)*", ALTERNATION), ("(a|a){1,100}", ALTERNATION),
    ("(coblos|coblos)+", ALTERNATION), ("(a{1,2})+", NESTED), ("(a{1,10}){1,10}b", NESTED), ("(a+){3}", NESTED),
    (r"(\w{2,5}\s?)+$", NESTED),
]
GOOD = [
    r"\b(rt|rw|tps|kelas|rumah|antrean|antrian|juara) nomor", r"(?<!tidak )ketahuan\b", r"(\w+\s)+", "(rt|rw)+",
    "(a|ab)*", "a+b+", r"(\d+\.)+\d+", "(a+){2}", "a++", "(?>a+)+", r"(\w|\d)+", r"(?:nomor\s*\d*)+",
    r"\bkampanye (imunisasi|vaksin\w*|gizi)", r"(nomor|no) \d+", r"[^a-z\d]+", "(unclosed",
    r"(\d{1,3}\.){3}\d{1,3}", "(a{20})+", "(a{1,2}){2}",
]


@pytest.mark.parametrize("pattern, problem", BAD)
def test_known_bad_patterns_are_flagged(pattern, problem):
    assert backtracking_problem(pattern) == problem


@pytest.mark.parametrize("pattern", GOOD)
def test_known_good_patterns_pass(pattern):
    assert backtracking_problem(pattern) is None


def test_many_alternations_are_looked_at_in_bounded_time():
    pattern = "(" + "".join(f"(a{i}|b{i})" for i in range(20)) + ")+"  # 2**20 branch combinations
    assert backtracking_problem(pattern) is None
