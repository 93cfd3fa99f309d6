"""The scoring formula, levels and ranking (documented in netral_cli/score.py and docs/scoring.md)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from netral_cli.items import new_item
from netral_cli.score import (QUIET_PERIOD_FACTOR, candidates, combine, level_of, post_url, profile_url, rank, sanction,
                              score_item)


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


# --- evidence fields of a record ------------------------------------------------------------------------

@pytest.mark.parametrize("platform, account, expected", [
    ("facebook", "bambang.setiadi", "https://www.facebook.com/bambang.setiadi"),
    ("instagram", "@bu.ratna_guru", "https://www.instagram.com/bu.ratna_guru/"),
    ("tiktok", "pak_eko_sman1", "https://www.tiktok.com/@pak_eko_sman1"),
    ("whatsapp", "+62 812-3456-7890", "https://wa.me/6281234567890"),
    ("whatsapp", "0812.3456.7890", "https://wa.me/6281234567890"),
    ("whatsapp", "Bu Endah", None),
    ("instagram", "https://www.instagram.com/siti.rahma_guru/", "https://www.instagram.com/siti.rahma_guru/"),
    ("facebook", "facebook.com/profile.php?id=100012345", "https://facebook.com/profile.php?id=100012345"),
    ("generic", "siti.rahma_guru", None),  # a handle of an unknown platform
    ("facebook", "Siti Rahmawati", None),  # a name, not a handle
    ("facebook", None, None),
])
def test_profile_url(platform, account, expected):
    assert profile_url(platform, account) == expected


@pytest.mark.parametrize("target, extras, expected", [
    ("https://www.facebook.com/tkd.sukamaju/posts/2001", {}, "https://www.facebook.com/tkd.sukamaju/posts/2001"),
    ("relawanmajubersama", {"url": "https://www.instagram.com/p/Jkl012mno/"}, "https://www.instagram.com/p/Jkl012mno/"),
    ("www.tiktok.com/@tim.contoh.gemoy02/video/1", {}, "https://www.tiktok.com/@tim.contoh.gemoy02/video/1"),
    ("Relawan Ganjar-Mahfud Kabupaten Sukamaju", {}, None),
    ("siti.rahma", {}, None),  # a handle with a dot is not a link
    (None, {"url": ""}, None),
])
def test_post_url(target, extras, expected):
    item = new_item(platform="instagram", kind="reaction", text="", target=target, extras=extras, source_file="f",
                    locator="$[0]")
    assert post_url(item) == expected


def rule_hit(sanction: dict, notes: tuple[str, ...] = ()):
    rule = SimpleNamespace(sanction=sanction)
    return SimpleNamespace(rule=rule, evidence=tuple(SimpleNamespace(note=note) for note in notes))


MORAL, HEAVY = "sanksi moral (PP 42/2004 Pasal 15)", "hukuman disiplin berat (PP 94/2021)"


@pytest.mark.parametrize("stage, expected", [
    ("bakal_calon", MORAL),
    ("calon", HEAVY),
    ("unknown", f"bakal_calon: {MORAL} / calon: {HEAVY}"),
])
def test_sanction_of_the_stage_and_both_when_unknown(stage, expected):
    assert sanction(rule_hit({"bakal_calon": MORAL, "calon": HEAVY}), stage) == expected


def test_sanction_the_same_at_both_stages_is_written_once_and_none_is_empty():
    assert sanction(rule_hit({"bakal_calon": HEAVY, "calon": HEAVY}), "unknown") == HEAVY
    assert sanction(rule_hit({}), "calon") == ""


def test_candidates_are_the_tickets_the_context_notes_name():
    hits = [rule_hit({}, ("tiket 02 (Prabowo Subianto - Gibran Rakabuming Raka): nickname Gibran; "
                          "tiket 01 (Anies Baswedan - Muhaimin Iskandar): hashtag #AMINAjaDulu", "")),
            rule_hit({}, ("akun kampanye @tim.contoh.gemoy02 (tiktok account, tiket 02)",)),
            rule_hit({}, ("",))]
    assert candidates(hits) == ["Paslon 01", "Paslon 02"]
    assert candidates([rule_hit({}, ("akun kampanye WAG Contoh (whatsapp group)",))]) == []
