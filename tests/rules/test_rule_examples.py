"""Every bundled rule's inline examples, one test each (ids ``<rule-id>:match:<n>``), through the
same runner as ``netral rules test``."""

from __future__ import annotations

import pytest

from netral_cli.resources import bundled_path
from netral_cli.rules.engine import load_rules
from netral_cli.rules.check import validate_folder
from netral_cli.rules.testing import run_example

RULESET = load_rules(bundled_path("rules"))
CASES = [(rule, expectation, index, example)
         for rule in RULESET.active
         for expectation, examples in (("match", rule.match_examples), ("no_match", rule.no_match_examples))
         for index, example in enumerate(examples, start=1)]


def test_bundled_rules_load_without_problems():
    assert [str(e) for e in RULESET.errors] == []
    assert [i for i in validate_folder(bundled_path("rules")).issues if i.severity == "error"] == []


@pytest.mark.parametrize("rule, expectation, index, example", CASES,
                         ids=[f"{r.id}:{e}:{i}" for r, e, i, _ in CASES])
def test_rule_example(rule, expectation, index, example):
    result = run_example(rule, expectation, index, example)
    assert result.passed, f"{result.location}: {result.message}"


REQUIRED_FORMS = {"A2/B2", "A4/B6", "A5/B7", "B8"}


def test_catalogue_covers_the_online_observable_forms():
    covered = {rule.skb_items("unknown") for rule in RULESET.active}
    assert REQUIRED_FORMS <= covered


HARD_NEGATIVES = [
    "ASN wajib netral! Jangan like, komen, share postingan paslon #ASNNetral",
    "Bawaslu temukan 12 ASN like postingan capres, kini diteruskan ke BKN",
    "Ayo ke TPS 14 Februari, jangan golput!",
    "ASN dilarang berfoto dengan pose satu jari, dua jari atau tiga jari selama masa kampanye",
    "Relawan banjir dari posko kecamatan sudah turun ke lokasi 🙏",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_match_no_rule(text):
    from netral_cli.rules.engine import docs_for, evaluate

    hits = evaluate(RULESET.active, "post", docs_for({"text": text}))
    assert [h.rule.id for h in hits] == []
