"""`netral explain`: normalisation, rule spans, model probability and top features for one text."""

from __future__ import annotations

import json

from helpers import invoke


def test_explain_shows_every_stage():
    result = invoke("explain", "Ayo nyoblos paslon no. 2!")
    assert result.exit_code == 0
    out = result.stdout
    assert "normalised : ayo coblos pasangan calon nomor 2" in out
    assert "rule       : a2b2.ajakan-coblos-nomor (A2/B2, high) \u201cnyoblos paslon no. 2\u201d [4:24]" in out
    model_line, for_line, against_line = [line for line in out.splitlines()
                                          if line.startswith(("model ", "for ", "against "))]
    assert model_line.startswith("model      : 0.9") and model_line.endswith("; SKB guess A2/B2)")
    assert for_line.startswith("for        : ") and "‹coblos› +" in for_line
    assert against_line.startswith("against    : ")


def test_explain_json_lists_signed_ngrams_that_match_the_probability():
    appeal = json.loads(invoke("explain", "Ayo nyoblos paslon no. 2!", "--json").stdout)
    neutral = json.loads(invoke("explain", "Selamat pagi bapak ibu guru", "--json").stdout)
    for data in (appeal, neutral):
        assert all(f["weight"] > 0 for f in data["features"]["for"])
        assert all(f["weight"] < 0 for f in data["features"]["against"])
        assert {f["source"] for f in data["features"]["for"] + data["features"]["against"]} <= {"stems", "chars"}
    assert appeal["model_score"] > appeal["threshold"] and appeal["logit"] > 0
    assert appeal["features"]["for"][0]["weight"] > -appeal["features"]["against"][0]["weight"]
    assert neutral["model_score"] < neutral["threshold"] and neutral["logit"] < 0
    assert neutral["features"]["against"][0]["weight"] < -neutral["features"]["for"][0]["weight"]


def test_explain_json_for_a_neutral_text():
    result = invoke("explain", "Selamat pagi bapak ibu guru", "--json")
    data = json.loads(result.stdout)
    assert data["rules"] == []
    assert data["level"] in ("none", "low")
    assert data["model_score"] < 0.5


def test_explain_item_json_uses_the_target_of_a_like():
    item = json.dumps({"kind": "reaction", "text": "", "target": "Relawan Prabowo-Gibran Sukamaju"})
    result = invoke("explain", "--item-json", item, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["normalised"] == "relawan prabowo gibran sukamaju"


def test_explain_needs_text():
    result = invoke("explain")
    assert result.exit_code == 1
    assert "give a TEXT or --item-json" in result.stderr
