"""False-positive budgets over a labelled corpus and ``rules diff`` between two rule folders."""

from __future__ import annotations

import json

import yaml

from helpers import ROOT, invoke

FIXTURES = ROOT / "tests" / "fixtures" / "rules"
CORPUS = str(FIXTURES / "corpus" / "corpus.jsonl")
CLEAN = (FIXTURES / "clean" / "rule.yaml").read_text(encoding="utf-8")


def check_with_budget(tmp_path, budget: str | None):
    text = CLEAN + (f"false_positive_budget: {budget}\n" if budget is not None else "")
    (tmp_path / "rule.yaml").write_text(text, encoding="utf-8")
    return invoke("rules", "check", str(tmp_path), "--corpus", CORPUS)


def test_a_false_positive_over_the_default_budget_fails(tmp_path):
    result = check_with_budget(tmp_path, None)
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == (
        f"{tmp_path / 'rule.yaml'}:1: error [fp_budget] a2b2.contoh: 1 false positive(s) in 3 label-0 corpus "
        "item(s) (rate 0.3333) exceed the budget 0")
    assert result.stdout.splitlines()[-2:] == ["rule         hits  TP  FP  FP rate  budget",
                                                "a2b2.contoh     2   1   1   0.3333       0  OVER"]


def test_a_declared_budget_is_reported_at_its_key(tmp_path):
    result = check_with_budget(tmp_path, "0.25")
    assert result.exit_code == 2
    assert result.stdout.startswith(f"{tmp_path / 'rule.yaml'}:12: error [fp_budget] a2b2.contoh: 1 false "
                                    "positive(s) in 3 label-0 corpus item(s) (rate 0.3333) exceed the budget 0.25\n")


def test_within_budget_passes(tmp_path):
    result = check_with_budget(tmp_path, "0.5")
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "a2b2.contoh     2   1   1   0.3333     0.5  ok"
    report = json.loads(invoke("rules", "check", str(tmp_path), "--corpus", CORPUS, "--format", "json").stdout)
    assert report["budgets"] == [{"rule_id": "a2b2.contoh", "file": str(tmp_path / "rule.yaml"), "hits": 2, "tp": 1,
                                  "fp": 1, "negatives": 3, "fp_rate": 0.333333, "budget": 0.5,
                                  "within_budget": True}]


def test_a_missing_corpus_is_an_input_error(tmp_path):
    result = invoke("rules", "check", str(FIXTURES / "clean"), "--corpus", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'nope.jsonl'}: no such file or folder\n"


def test_a_broken_corpus_line_is_named(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "makan siang", "label": 0}\n{"text": "coblos", "label": 1\n', encoding="utf-8")
    result = invoke("rules", "check", str(FIXTURES / "clean"), "--corpus", str(corpus))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: corpus.jsonl (line=2): cannot read labelled data: ")


def test_a_diff_to_a_broken_rule_folder_is_refused(tmp_path):
    (tmp_path / "rule.yaml").write_text(CLEAN.replace("severity: high", "severity: extreme"), encoding="utf-8")
    result = invoke("rules", "diff", str(FIXTURES / "clean"), str(tmp_path), "--corpus", CORPUS)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'rule.yaml'}:6: rule a2b2.contoh: severity must be one of")


DIFF_ARGS = ("rules", "diff", str(FIXTURES / "clean"), str(FIXTURES / "corpus" / "new"), "--corpus", CORPUS)


def test_diff_lists_items_whose_verdict_changes():
    result = invoke(*DIFF_ARGS)
    assert result.exit_code == 0
    assert result.stdout == (
        "- corpus.jsonl:2 label=0 [a2b2.contoh] Cara coblos surat suara yang benar, kata petugas KPPS\n"
        "+ corpus.jsonl:4 label=1 [a2b2.contoh-baru] Yuk menangkan pak Hendra Saputra!\n"
        "5 item(s): 1 newly matched (0 with label 0), 1 no longer matched (0 with label 1)\n")


def test_diff_json():
    result = json.loads(invoke(*DIFF_ARGS, "--json").stdout)
    assert result == {
        "changes": [
            {"change": "no_longer_matched", "where": "corpus.jsonl:2", "label": 0, "rules": ["a2b2.contoh"],
             "text": "Cara coblos surat suara yang benar, kata petugas KPPS"},
            {"change": "newly_matched", "where": "corpus.jsonl:4", "label": 1, "rules": ["a2b2.contoh-baru"],
             "text": "Yuk menangkan pak Hendra Saputra!"}],
        "summary": {"items": 5, "newly_matched": 1, "no_longer_matched": 1, "newly_matched_label_0": 0,
                    "no_longer_matched_label_1": 0}}


def test_pre_commit_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == ("netral-rules-check", "netral rules check", "python")
    import re

    assert re.search(hook["files"], "rules/skb/a2b2-ajakan.yaml")
    assert re.search(hook["files"], "rules/x.yml")
    assert not re.search(hook["files"], "README.md")


def test_corpus_rows_keep_their_kind_target_and_group(tmp_path):
    from netral_cli.api import read_corpus

    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "", "label": 1, "kind": "follow", "target": "Relawan Contoh 02"}\n'
                      '{"text": "Halo", "label": 0, "kind": "group_message", "group": "Arisan RT 05"}\n'
                      '{"text": "Halo juga", "label": 0}\n', encoding="utf-8")
    assert [(i.kind, i.target, i.group) for i in read_corpus(corpus)] == [
        ("follow", "Relawan Contoh 02", None), ("group_message", None, "Arisan RT 05"), ("post", None, None)]
