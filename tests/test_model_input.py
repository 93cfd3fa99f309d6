"""What the classifier reads of an item: its text; a like or follow without text, what it points at;
never a system line or a group's name standing in for a message without text."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from netral_cli import api
from netral_cli.classifier import load_model
from netral_cli.engines import Scorer, model_text
from netral_cli.items import new_item

WHEN = datetime(2024, 1, 20, 9, 0, tzinfo=timezone.utc)


def item(kind: str, text: str = "", target: str | None = None, group: str | None = None):
    return new_item(platform="whatsapp", kind=kind, text=text, target=target, group=group, source_file="chat.txt",
                    locator="line=1", timestamp=WHEN)


@pytest.fixture(scope="module")
def scorer():
    return Scorer(api.load_ruleset(None).active, load_model())


@pytest.mark.parametrize(("case", "expected"), [
    (item("system", "Pak Hendra Gunawan keluar", group="Guru SDN 3"), ""),
    (item("group_message", "", group="Relawan Paslon 02 Sukamaju"), ""),
    (item("comment", "", target="Bu Siti"), ""),
    (item("like", "", target="Relawan Paslon 02 Sukamaju"), "Relawan Paslon 02 Sukamaju"),
    (item("group_join", "", group="Relawan Paslon 02 Sukamaju"), "Relawan Paslon 02 Sukamaju"),
    (item("comment", "ayo coblos", target="Bu Siti"), "ayo coblos"),
])
def test_the_model_reads_only_what_the_item_says_or_points_at(case, expected):
    assert model_text(case) == expected


def test_items_with_nothing_to_read_get_no_model_probability(scorer):
    empty, system, like = scorer.score([item("group_message", "", group="Guru SDN 3 Sukamaju"),
                                        item("system", "Pak Hendra Gunawan keluar", group="Guru SDN 3 Sukamaju"),
                                        item("like", "", target="Relawan Paslon 02 Sukamaju Menang")])
    assert (empty.model_score, empty.level) == (0.0, "none")
    assert (system.model_score, system.level) == (0.0, "none")
    assert like.model_score > 0.5  # a like is judged by its target


def test_an_empty_item_reported_with_all_has_no_model_explanation(scorer):
    result = scorer([item("group_message", "", group="Guru SDN 3 Sukamaju")])
    scorer_all = Scorer(api.load_ruleset(None).active, scorer.model, selecting=api.Selecting(include_all=True))
    [(_, _, line)] = scorer_all([item("group_message", "", group="Guru SDN 3 Sukamaju")]).reported
    assert result.reported == [] and '"field": "model"' not in line
