"""One broken rule file per problem; each is refused with its file, line and a precise message."""

from __future__ import annotations

import pytest

from helpers import invoke
from netral_cli.rules.engine import load_rules

from helpers import GOOD



@pytest.mark.parametrize("broken, line, message", [
    (GOOD.replace("severity: high", "severity: extreme"), 5, "severity must be one of high, medium, low"),
    (GOOD.replace("legal_basis: SKB 2/2022 Lampiran II\n", ""), 1, "missing legal_basis"),
    (GOOD.replace("skb: {bakal_calon: A2, calon: B2}", "skb: {bakal_calon: A9, calon: B2}"), 3,
     "skb for bakal_calon must be an SKB 2/2022 item"),
    (GOOD + "colour: red\n", 11, "unknown key 'colour'"),
    (GOOD.replace("title: Contoh", "title: Contoh\ntitle: Lagi"), 3, "duplicate key 'title'"),
    (GOOD.replace("id: a2b2.contoh", "id: Bad Id!"), 1, "id must be 3-80 lowercase"),
    (GOOD.replace("id: a2b2.contoh", "id: a2b2." + "x" * 76), 1, "id must be 3-80 lowercase"),
    (GOOD.replace("title: Contoh", "title: |\n  Contoh\n  lagi"), 2, "title must be one line"),
    (GOOD.replace("severity: high", "severity: high\nkinds: [post, reactoin]"), 6,
     "kinds must be a non-empty list of item kinds"),
    (GOOD.replace("severity: high", "severity: high\nkinds: [{a: 1}]"), 6,
     "kinds must be a non-empty list of item kinds"),
    (GOOD.replace("  phrase: coblos", "  phrase: [coblos"), 8, "invalid YAML"),
])
def test_broken_rule_is_refused_at_its_line(tmp_path, broken, line, message):
    path = tmp_path / "rule.yaml"
    path.write_text(broken, encoding="utf-8")
    errors = [str(e) for e in load_rules(tmp_path).errors]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{path}:{line}")
    assert message in errors[0]


def test_duplicate_ids_across_files_are_refused(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    errors = [str(e) for e in load_rules(tmp_path).errors]
    assert errors == [f"{tmp_path / 'b.yaml'}:1: rule a2b2.contoh: duplicate id (first defined at {tmp_path / 'a.yaml'}:1)"]


def run_rules(tmp_path, rule_text: str, command: str = "check"):
    """Write one rule file ``a.yaml`` and run ``netral rules COMMAND`` on its folder."""
    (tmp_path / "a.yaml").write_text(rule_text, encoding="utf-8")
    return invoke("rules", command, str(tmp_path))


def test_rules_check_passes_a_good_folder(tmp_path):
    result = run_rules(tmp_path, GOOD.replace("severity: high", "severity: high\nsanction: B2"))
    assert result.exit_code == 0, result.stdout
    assert result.stderr == "1 rule(s) in 1 file(s): 0 error(s), 0 warning(s); examples: 10 passed, 0 failed\n"


def test_rules_check_fails_on_a_failing_example_with_exit_2(tmp_path):
    result = run_rules(tmp_path, GOOD.replace("no_match: [pilih menu,", "no_match: [ayo coblos sekarang,"))
    assert result.exit_code == 2
    assert (f"{tmp_path / 'a.yaml'}:10: error [example] a2b2.contoh: no_match example 1: a2b2.contoh matched "
            "['coblos'] in an example that must not match; normalised: text: ayo coblos sekarang") in result.stdout


def test_rules_check_requires_five_examples_of_each_kind(tmp_path):
    result = run_rules(tmp_path, GOOD.replace("no_match: [pilih menu, makan, tidur, kerja, libur]",
                                              "no_match: [pilih menu]"))
    assert result.exit_code == 2
    assert "error [example_count] a2b2.contoh: 1 no_match example(s), at least 5 required" in result.stdout


def test_rules_list_shows_bundled_rules():
    result = invoke("rules", "list")
    assert result.exit_code == 0
    assert "a2b2.ajakan-coblos-nomor\tA2/B2\thigh" in result.stdout


def test_keyword_the_normaliser_rewrites_is_refused(tmp_path):
    result = run_rules(tmp_path, GOOD.replace("  phrase: coblos", "  phrase: [coblos, 'dukung paslon']"), "validate")
    assert result.exit_code == 2
    assert (f"{tmp_path / 'a.yaml'}:7:20: error [rewritten_keyword] a2b2.contoh: keyword 'paslon' is normalised to "
            "'pasangan calon' and can never match; write 'pasangan calon'") in result.stdout


def test_acronym_keywords_written_in_lowercase_are_accepted(tmp_path):
    assert run_rules(tmp_path, GOOD.replace("  phrase: coblos", "  phrase: [coblos, kta]"), "validate").exit_code == 0


def test_a_self_referring_yaml_alias_is_refused(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(GOOD + "references: &loop [x, *loop]\n", encoding="utf-8")
    assert [str(e) for e in load_rules(tmp_path).errors] == [f"{path}:11:13: a YAML alias refers to itself"]


def test_context_folders_are_not_rule_files(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "contexts").mkdir()
    (tmp_path / "contexts" / "pemilu.yaml").write_text("name: Pemilu 2024\n", encoding="utf-8")
    ruleset = load_rules(tmp_path)
    assert [r.id for r in ruleset.rules] == ["a2b2.contoh"]
    assert (ruleset.errors, ruleset.files) == ((), (str(tmp_path / "a.yaml"),))


def test_a_keyword_of_wildcards_only_is_refused(tmp_path):
    result = run_rules(tmp_path, GOOD.replace("  phrase: coblos", "  phrase: [coblos, 'nomor *', '* *']"), "validate")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[1:] == [
        f"{tmp_path / 'a.yaml'}:7:31: error [ineffective_condition] a2b2.contoh: phrase '* *' is only wildcards: "
        "a bare '*' is a prefix of every word, so it matches every item"]  # line 0: the missing sanction


def test_a_backtracking_regex_is_refused_when_rules_are_loaded_for_a_scan(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(GOOD.replace("  phrase: coblos", "  regex: '(\\w+\\s?)+$'"), encoding="utf-8")
    assert [str(e) for e in load_rules(tmp_path).errors] == [
        f"{path}:1: rule a2b2.contoh: regex '(\\\\w+\\\\s?)+$' may backtrack catastrophically: nested quantifier: "
        "a repeated group holds a repeat that can take over its text"]


def test_a_near_condition_another_rule_has_is_a_duplicate_pattern(tmp_path):
    near = "  near: {left: [coblos, pilih], right: nomor, within: 2}"
    (tmp_path / "a.yaml").write_text(GOOD.replace("  phrase: coblos", near), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD.replace("  phrase: coblos", near.replace("[coblos, pilih]", "[pilih, coblos]"))
                                     .replace("id: a2b2.contoh", "id: a2b2.kembar").replace("title: Contoh", "title: Lain"),
                                     encoding="utf-8")
    result = invoke("rules", "validate", str(tmp_path))
    assert (f"{tmp_path / 'b.yaml'}:7:3: warning [duplicate_pattern] a2b2.kembar: near left ['pilih', 'coblos'], "
            "right ['nomor'], within 2 is also a pattern of a2b2.contoh") in result.stdout.splitlines()
    other_distance = GOOD.replace("  phrase: coblos", near.replace("within: 2", "within: 3"))
    (tmp_path / "b.yaml").write_text(other_distance.replace("id: a2b2.contoh", "id: a2b2.kembar")
                                     .replace("title: Contoh", "title: Lain"), encoding="utf-8")
    assert "duplicate_pattern" not in invoke("rules", "validate", str(tmp_path)).stdout


def test_a_regex_word_the_normaliser_rewrites_is_refused(tmp_path):
    result = run_rules(tmp_path, GOOD.replace("  phrase: coblos", "  regex: ['\\bcoblos\\b', '\\b(gw|saya) (?P<x>dukung)\\w*']"),
                       "validate")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[1:] == [
        f"{tmp_path / 'a.yaml'}:7:25: error [rewritten_keyword] a2b2.contoh: keyword 'gw' in regex "
        "'\\\\b(gw|saya) (?P<x>dukung)\\\\w*' is normalised to 'saya' and can never match; write 'saya'"]
