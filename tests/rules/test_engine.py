"""Condition semantics and evidence spans, on small rules written here."""

from __future__ import annotations

import textwrap

import pytest

from netral_cli.rules.engine import docs_for, evaluate, load_rules

BASE = """\
id: t.rule
title: test
skb: {bakal_calon: A4, calon: B6}
legal_basis: SKB 2/2022
severity: medium
"""


def rule_from(tmp_path, condition: str, extra: str = ""):
    path = tmp_path / "r.yaml"
    path.write_text(BASE + extra + "condition:\n" + textwrap.indent(textwrap.dedent(condition), "  "),
                    encoding="utf-8")
    ruleset = load_rules(path)
    assert [str(e) for e in ruleset.errors] == []
    return ruleset.rules[0]


def spans(rule, text, kind="post", **fields):
    hits = evaluate([rule], kind, docs_for({"text": text, **fields}))
    return None if not hits else [e.text for e in hits[0].evidence]


def test_phrase_matches_normalised_tokens_and_reports_original_text(tmp_path):
    rule = rule_from(tmp_path, "phrase: 'coblos pasangan calon nomor 2'")
    assert spans(rule, "Ayo nyoblos paslon no. 2 ya!") == ["nyoblos paslon no. 2"]
    assert spans(rule, "coblos nomor 2") is None


def test_prefix_wildcard(tmp_path):
    rule = rule_from(tmp_path, "phrase: 'dukung*'")
    assert spans(rule, "Dukungan penuh untuk timnas") == ["Dukungan"]


def test_tokens_min_count(tmp_path):
    rule = rule_from(tmp_path, "tokens: {words: [kaos, rompi, topi], min: 2}")
    assert spans(rule, "pakai kaos dan topi baru") == ["kaos", "topi"]
    assert spans(rule, "pakai kaos baru") is None


def test_near_within_distance_either_order(tmp_path):
    rule = rule_from(tmp_path, "near: {left: foto, right: calon bupati, within: 3}")
    assert spans(rule, "foto bareng pak cabup tadi") == ["foto bareng pak cabup"]
    assert spans(rule, "cabup datang, kami semua tadi siang sempat foto") is None


def test_not_vetoes_and_all_requires_every_part(tmp_path):
    rule = rule_from(tmp_path, """\
        all:
          - phrase: coblos
          - regex: 'nomor [0-9]'
        not:
          - phrase: bawaslu
        """)
    assert spans(rule, "coblos no 3!") == ["coblos no 3"]
    assert spans(rule, "Bawaslu: ada ajakan coblos nomor 3") is None
    assert spans(rule, "coblos dong") is None


def test_hashtag_condition_reports_the_whole_hashtag(tmp_path):
    rule = rule_from(tmp_path, "hashtag: ['#PrabowoGemoy']")
    assert spans(rule, "keren #prabowogemoy 🔥") == ["#prabowogemoy"]


def test_field_target_matches_a_like_without_text(tmp_path):
    rule = rule_from(tmp_path, "field: target\nphrase: relawan", extra="kinds: [reaction, follow]\n")
    assert spans(rule, "", kind="reaction", target="Relawan Ganjar Sukamaju") == ["Relawan"]
    assert spans(rule, "", kind="post", target="Relawan Ganjar Sukamaju") is None  # kinds restrict


@pytest.mark.parametrize("condition, message", [
    ("regex: '(unclosed'", "invalid regex '(unclosed'"),
    ("frase: coblos", "unknown condition 'frase'"),
    ("near: {left: a, right: b}", "near takes left, right and within"),
    ("tokens: {words: [a], min: 3}", "tokens: min must be a whole number"),
    ("field: body\nphrase: a", "field must be one of text, target, group"),
    ("field: target", "a condition needs one of all, any, hashtag, near, not, phrase, regex, tokens"),
    ("any:\n  - field: group", "a condition needs one of all, any, hashtag, near, not, phrase, regex, tokens"),
])
def test_bad_conditions_are_reported_with_file_and_line(tmp_path, condition, message):
    path = tmp_path / "r.yaml"
    path.write_text(BASE + "condition:\n" + textwrap.indent(condition, "  ") + "\n", encoding="utf-8")
    errors = [str(e) for e in load_rules(path).errors]
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:")
    assert message in errors[0]
