"""The scoring formula, levels and ranking (documented in netral_cli/score.py and docs/scoring.md)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from netral_cli.items import new_item
from netral_cli.score import QUIET_PERIOD_FACTOR, combine, level_of, rank, score_item


def hit(weight: float):
    return SimpleNamespace(rule=SimpleNamespace(weight=weight))


@pytest.mark.parametrize("weights, p, expected", [
    ([], 0.0, 0.0),
    ([], 0.9, 0.9),
    ([0.9], 0.0, 0.54),
    ([0.9], 1.0, 1.0),
    ([0.9], 0.5, 1 - (1 - 0.9 * 0.8) * 0.5),
    ([0.9, 0.7], 0.0, 0.6 * (1 - 0.1 * 0.3)),
])
def test_combine(weights, p, expected):
    assert combine([hit(w) for w in weights], p) == pytest.approx(expected)


@pytest.mark.parametrize("score, level", [(0.0, "none"), (0.299, "none"), (0.3, "low"), (0.55, "medium"),
                                          (0.7999, "medium"), (0.8, "high"), (1.0, "high")])
def test_levels(score, level):
    assert level_of(score) == level


def test_rule_misfire_without_model_support_is_not_high():
    assert level_of(combine([hit(0.9)], 0.02)) == "medium"


def _item(text: str):
    return new_item(platform="generic", kind="post", text=text, source_file="f.csv", locator=f"row={len(text)}")


def test_rank_orders_by_score_then_item_id():
    scored = [score_item(_item(t), [], p) for t, p in [("a", 0.2), ("bb", 0.9), ("ccc", 0.2), ("dddd", 0.5)]]
    ranked = rank(scored)
    assert [s.rank for s in ranked] == [1, 2, 3, 4]
    assert [s.item.text for s in ranked[:2]] == ["bb", "dddd"]
    tied = ranked[2:]
    assert [s.item.item_id for s in tied] == sorted(s.item.item_id for s in tied)


@pytest.mark.parametrize("weights, p, expected", [
    ([0.7], 0.0, 0.6 * 0.91),
    ([0.9], 0.0, 0.6 * 0.99),
    ([0.7, 0.4], 0.5, 1 - (1 - (1 - (0.3 * 0.6) ** 2) * 0.8) * 0.5),
    ([], 0.4, 0.4),  # the quiet period alone is no evidence
])
def test_quiet_period_counts_every_rule_twice(weights, p, expected):
    assert QUIET_PERIOD_FACTOR == 2.0
    assert combine([hit(w) for w in weights], p, quiet=True) == pytest.approx(expected)


def test_quiet_period_raises_a_medium_like_to_high():
    assert level_of(combine([hit(0.7)], 0.5)) == "medium"
    assert level_of(combine([hit(0.7)], 0.5, quiet=True)) == "high"


def test_score_item_keeps_stage_and_quiet_for_the_record():
    scored = score_item(_item("x"), [], 0.1, stage="calon", quiet=True)
    assert (scored.stage, scored.quiet) == ("calon", True)
    assert rank([scored])[0].to_record()["stage"] == "calon"
