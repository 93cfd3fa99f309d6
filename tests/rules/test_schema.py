"""The JSON Schema and rule.py accept the same rules: every bundled rule, and a set of broken variants."""

from __future__ import annotations

import json

import pytest

from helpers import ROOT, invoke
from netral_cli.items import KINDS
from netral_cli.resources import bundled_path
from netral_cli.rules.engine import rule_files
from netral_cli.rules.rule import _Collector, read_documents, rule_from_dict
from netral_cli.rules.schema import schema_issues, schema_text
from netral_cli.rules.yamlload import load_documents

BUNDLED = [(path, document) for path in rule_files(bundled_path("rules")) for document in read_documents(path)]

GOOD = (ROOT / "tests" / "fixtures" / "rules" / "clean" / "rule.yaml").read_text(encoding="utf-8")
VARIANTS = {
    "good": GOOD,
    "no examples": GOOD.split("examples:")[0],
    "skb string": GOOD.replace("skb: {bakal_calon: A2, calon: B2}", "skb: B8"),
    "skb one stage": GOOD.replace("skb: {bakal_calon: A2, calon: B2}", "skb: {calon: B2}"),
    "skb bad item": GOOD.replace("skb: {bakal_calon: A2, calon: B2}", "skb: B14"),
    "skb number": GOOD.replace("skb: {bakal_calon: A2, calon: B2}", "skb: {calon: 2}"),
    "skb empty": GOOD.replace("skb: {bakal_calon: A2, calon: B2}", "skb: {}"),
    "sanction empty map": GOOD.replace("sanction: {bakal_calon: sanksi moral, calon: hukuman disiplin berat}",
                                       "sanction: {}"),
    "sanction list value": GOOD.replace("calon: hukuman disiplin berat}", "calon: [x]}"),
    "sanction null": GOOD.replace("sanction: {bakal_calon: sanksi moral, calon: hukuman disiplin berat}",
                                  "sanction: null"),
    "no id": GOOD.replace("id: a2b2.contoh\n", ""),
    "bad id": GOOD.replace("id: a2b2.contoh", "id: A2"),
    "blank title": GOOD.replace("title: Ajakan coblos (contoh)", "title: '  '"),
    "multi-line title": GOOD.replace("title: Ajakan coblos (contoh)", "title: |\n  Ajakan coblos\n  (contoh)"),
    "date title": GOOD.replace("title: Ajakan coblos (contoh)", "title: 2024-02-14"),  # dates stay strings
    "status test": GOOD + "status: test\n",
    "status bad": GOOD + "status: draft\n",
    "status null": GOOD + "status:\n",
    "kinds": GOOD + "kinds: [post, comment]\n",
    "kinds empty": GOOD + "kinds: []\n",
    "kinds null": GOOD + "kinds:\n",
    "kinds bad": GOOD + "kinds: [tweet]\n",
    "description list": GOOD + "description: [a]\n",
    "references": GOOD + "references: ['https://example.org/skb']\n",
    "references string": GOOD + "references: https://example.org\n",
    "budget": GOOD + "false_positive_budget: 0.01\n",
    "budget too big": GOOD + "false_positive_budget: 2\n",
    "budget bool": GOOD + "false_positive_budget: true\n",
    "budget null": GOOD + "false_positive_budget:\n",
    "no condition": GOOD.replace("condition:\n  phrase: coblos\n", ""),
    "field only": GOOD.replace("  phrase: coblos", "  field: target"),
    "nested field only": GOOD.replace("  phrase: coblos", "  any:\n    - field: group"),
    "bad field": GOOD.replace("  phrase: coblos", "  field: body\n  phrase: coblos"),
    "phrase list": GOOD.replace("  phrase: coblos", "  phrase: [coblos, 'pilih nomor*']"),
    "phrase blank": GOOD.replace("  phrase: coblos", "  phrase: ' '"),
    "phrase map": GOOD.replace("  phrase: coblos", "  phrase: {a: b}"),
    "tokens": GOOD.replace("  phrase: coblos", "  tokens: {words: [kaos, topi], min: 2}"),
    "tokens float min": GOOD.replace("  phrase: coblos", "  tokens: {words: [kaos, topi], min: 2.0}"),
    "tokens min too big": GOOD.replace("  phrase: coblos", "  tokens: {words: [kaos, topi], min: 3}"),
    "tokens min bool": GOOD.replace("  phrase: coblos", "  tokens: {words: [kaos, topi], min: true}"),
    "tokens extra key": GOOD.replace("  phrase: coblos", "  tokens: {words: [kaos], max: 2}"),
    "tokens no words": GOOD.replace("  phrase: coblos", "  tokens: {min: 1}"),
    "regex list": GOOD.replace("  phrase: coblos", "  regex: ['coblos \\\\d', 'pilih']"),
    "regex invalid": GOOD.replace("  phrase: coblos", "  regex: '[a-'"),
    "regex longest": GOOD.replace("  phrase: coblos", "  regex: '" + "a" * 2000 + "'"),
    "regex too long": GOOD.replace("  phrase: coblos", "  regex: '" + "a" * 2001 + "'"),
    "hashtag": GOOD.replace("  phrase: coblos", "  hashtag: ['#Coblos2']"),
    "near": GOOD.replace("  phrase: coblos", "  near: {left: coblos, right: [nomor 2], within: 3}"),
    "near missing within": GOOD.replace("  phrase: coblos", "  near: {left: coblos, right: nomor}"),
    "near negative": GOOD.replace("  phrase: coblos", "  near: {left: coblos, right: nomor, within: -1}"),
    "near far": GOOD.replace("  phrase: coblos", "  near: {left: coblos, right: nomor, within: 50}"),
    "near too far": GOOD.replace("  phrase: coblos", "  near: {left: coblos, right: nomor, within: 51}"),
    "near extra": GOOD.replace("  phrase: coblos", "  near: {left: a, right: b, within: 1, gap: 2}"),
    "all any not": GOOD.replace("  phrase: coblos", "  all:\n    - any:\n        - phrase: coblos\n"
                                                    "        - regex: nyoblos\n  not:\n    - phrase: bawaslu"),
    "context": GOOD.replace("  phrase: coblos", "  context: slogans"),
    "context unknown set": GOOD.replace("  phrase: coblos", "  context: candidates"),
    "empty all": GOOD.replace("  phrase: coblos", "  all: []"),
    "all of strings": GOOD.replace("  phrase: coblos", "  all: [coblos]"),
    "unknown condition": GOOD.replace("  phrase: coblos", "  frase: coblos"),
    "condition list": GOOD.replace("condition:\n  phrase: coblos", "condition: [coblos]"),
    "examples list": GOOD.split("examples:")[0] + "examples: [a]\n",
    "examples null": GOOD.split("examples:")[0] + "examples:\n",
    "examples unknown section": GOOD.replace("  no_match:", "  nomatch:"),
    "match not a list": GOOD.split("examples:")[0] + "examples: {match: coblos}\n",
    "example mapping": GOOD.replace("match: [coblos,", "match: [{text: ayo coblos, spans: [coblos], kind: comment},"),
    "example target": GOOD.replace("match: [coblos,", "match: [{text: '', kind: follow, target: Coblos Club},"),
    "example bad kind": GOOD.replace("match: [coblos,", "match: [{text: coblos, kind: tweet},"),
    "example spans string": GOOD.replace("match: [coblos,", "match: [{text: coblos, spans: coblos},"),
    "example unknown key": GOOD.replace("match: [coblos,", "match: [{text: coblos, label: 1},"),
    "example number text": GOOD.replace("match: [coblos,", "match: [{text: 5},"),
    "example number": GOOD.replace("match: [coblos,", "match: [5,"),
    "no_match spans": GOOD.replace("no_match: [pilih menu,", "no_match: [{text: pilih, spans: [pilih]},"),
    "no_match empty spans": GOOD.replace("no_match: [pilih menu,", "no_match: [{text: pilih, spans: []},"),
    "unknown key": GOOD + "colour: red\n",
    "not a mapping": "- id: a2b2.contoh\n",
}


def loader_accepts(document) -> bool:
    collector = _Collector("x.yaml")
    rule = rule_from_dict(document, collector)
    return rule is not None and not collector.errors


@pytest.mark.parametrize("path, document", BUNDLED, ids=[str(p.name) for p, _ in BUNDLED])
def test_every_bundled_rule_validates(path, document):
    assert schema_issues(document, str(path)) == []
    assert loader_accepts(document)


@pytest.mark.parametrize("name", VARIANTS)
def test_schema_and_loader_agree(name):
    (document,) = load_documents(VARIANTS[name], "x.yaml")
    assert (schema_issues(document, "x.yaml") == []) == loader_accepts(document), \
        [i.message for i in schema_issues(document, "x.yaml")]


def test_variants_include_both_verdicts():
    verdicts = [loader_accepts(load_documents(text, "x.yaml")[0]) for text in VARIANTS.values()]
    assert verdicts.count(True) == 23 and verdicts.count(False) == len(VARIANTS) - 23


def test_schema_names_every_item_kind_and_rule_key():
    from netral_cli.rules.rule import RULE_KEYS

    schema = json.loads(schema_text("rule"))
    assert schema["properties"]["kinds"]["items"]["enum"] == list(KINDS)
    assert set(schema["properties"]) == RULE_KEYS


def test_rules_schema_prints_the_rule_schema():
    result = invoke("rules", "schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "netral rule"
    assert result.stdout == schema_text("rule")


def test_rules_schema_context_without_a_schema_is_a_rule_error(monkeypatch, tmp_path):
    from netral_cli.rules import schema

    monkeypatch.setattr(schema, "SCHEMA_DIR", tmp_path)
    result = invoke("rules", "schema", "--kind", "context")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'context.schema.json'}: no context schema installed\n"


@pytest.mark.parametrize("variant, message", [
    ("tokens min too big", "condition.tokens.words: 2 word(s), fewer than min 3"),
    ("skb bad item", "skb: 'B14' is not an SKB 2/2022 item (A1-A7, B1-B13)"),
    ("bad id", "id: 'A2' must be 3-80 characters a-z 0-9 . _ -, starting with a letter or digit"),
    ("blank title", "title: '  ' must be one line of text"),
    ("multi-line title", "title: 'Ajakan coblos\\n(contoh)\\n' must be one line of text"),
])
def test_schema_messages_say_what_is_wrong_in_words(variant, message):
    (document,) = load_documents(VARIANTS[variant], "x.yaml")
    assert [i.message for i in schema_issues(document, "x.yaml")] == [message]
