"""Shared Meta helpers: mojibake repair (with properties), the record-shape walkers, JSON paths."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netral_cli.ingest.meta import (
    attachments,
    child,
    join_distinct,
    label_values,
    labelled,
    repair,
    repair_all,
    string_map_data,
)


def mojibake(text: str) -> str:
    """What Meta writes: every UTF-8 byte as its own latin-1 code point."""
    return text.encode("utf-8").decode("latin-1")


@pytest.mark.parametrize(("written", "meant"), [
    ("Ayo dukung \u00f0\u009f\u0091\u008d", "Ayo dukung 👍"),
    ("caf\u00c3\u00a9 di Jalan Merdeka", "café di Jalan Merdeka"),
    ("Malou har tilf\u00c3\u00b8jet et nyt billede.", "Malou har tilføjet et nyt billede."),
    ("salam \u00e2\u0098\u009d\u00ef\u00b8\u008f satu", "salam ☝️ satu"),
    ("\u00f0\u009f\u0087\u00ae\u00f0\u009f\u0087\u00a9", "🇮🇩"),
    ("you can\u00e2\u0080\u0099t lose", "you can’t lose"),
])
def test_repair_undoes_meta_byte_escapes(written, meant):
    assert repair(written) == meant


@pytest.mark.parametrize("clean", [
    "café", "Rp 50.000 ©", "Selamat pagi, Bu Ratna", "Ayo dukung 👍", "naïve résumé", "¿Qué?", "",
    "Ã© next to a real emoji 👍",  # a character beyond U+00FF: cannot be Meta's escapes
    "café Ã©",  # a lone "é" is not UTF-8: the whole string is genuine
])
def test_repair_leaves_genuine_text_alone(clean):
    assert repair(clean) == clean


def test_repair_keeps_the_repairs_of_a_title_cut_inside_a_character():
    assert repair("tilf\u00c3\u00b8jet \u00f0\u009f") == "tilføjet \u00f0\u009f"


@given(st.text())
def test_repair_inverts_mojibake_for_any_text(text):
    assert repair(mojibake(text)) == text


@given(st.text(alphabet=st.characters(blacklist_characters=[chr(c) for c in range(0x80, 0xC0)])))
def test_repair_is_identity_on_text_without_continuation_bytes(text):
    assert repair(text) == text


@given(st.text(), st.characters(min_codepoint=0x100))
def test_repair_is_identity_when_a_character_lies_beyond_latin1(text, wide):
    assert repair(text + wide) == text + wide


def test_repair_all_repairs_keys_and_nested_values():
    document = {mojibake("Pemilik média"): [{"value": mojibake("Sehat selalu 🙏")}, 3, None]}
    assert repair_all(document) == {"Pemilik média": [{"value": "Sehat selalu 🙏"}, 3, None]}


def test_label_values_flatten_nested_dicts_first_label_wins():
    values = label_values([
        {"label": "URL", "value": "https://www.instagram.com/p/Pqr345stu/"},
        {"label": "Caption", "value": "Bersama Pak Hendra"},
        {"title": "Owner", "dict": [{"dict": [{"label": "Name", "value": "Relawan Maju Bersama"},
                                              {"label": "Username", "value": "relawanmajubersama"}], "title": ""}]},
        {"label": "URL", "value": "https://second.example"},
        "not an object",
    ])
    assert list(values) == ["URL", "Caption", "Owner.Name", "Owner.Username"]
    assert labelled(values, ["Owner.Username"]) == "relawanmajubersama"
    assert labelled(values, ["Username"]) == "relawanmajubersama"
    assert labelled(values, ["url"]) == "https://www.instagram.com/p/Pqr345stu/"
    assert labelled(values, ["Missing"]) == ""


LABELS = (("Comment", "Komentar"), ("Media Owner", "Pemilik media"), ("Time", "Waktu"))


@pytest.mark.parametrize("mapping", [
    {"Comment": {"value": "Siap, Pak"}, "Media Owner": {"value": "relawan.maju"}, "Time": {"timestamp": 1705325400}},
    {"Komentar": {"value": "Siap, Pak"}, "Pemilik media": {"value": "relawan.maju"}, "Waktu": {"timestamp": 1705325400}},
    # unknown language: by value type (the time carries a timestamp, the owner is username-shaped)
    {"Yorumlar": {"value": "Siap, Pak"}, "Sahip": {"value": "relawan.maju"}, "Zaman": {"timestamp": 1705325400}},
    {"Sahip": {"value": "relawan.maju"}, "Yorumlar": {"value": "Siap, Pak"}, "Zaman": {"timestamp": 1705325400}},
])
def test_string_map_data_in_any_language(mapping):
    fields = string_map_data(mapping, *LABELS)
    assert (fields.text, fields.owner, fields.timestamp) == ("Siap, Pak", "relawan.maju", 1705325400)


def test_string_map_data_two_username_shaped_values_owner_comes_last():
    fields = string_map_data({"A": {"value": "mantap"}, "B": {"value": "agus.salim"}}, *LABELS)
    assert (fields.text, fields.owner, fields.timestamp) == ("mantap", "agus.salim", None)


def test_attachments_walks_media_links_polls_places_and_text():
    found = attachments([{"data": [
        {"media": {"uri": "posts/media/a.jpg", "description": "Rapat RT", "title": ""}},
        {"external_context": {"url": "https://berita.example.id/a", "name": "Berita desa"}},
        {"poll": {"question": "Kapan kerja bakti?", "options": [{"option": "Sabtu", "voted": True}]}},
        {"place": {"name": "Balai Desa"}},
        {"text": "teks lampiran"},
        "not an object",
    ]}, "not a block"])
    assert found.texts == ("Rapat RT", "Berita desa", "Kapan kerja bakti?", "Sabtu", "teks lampiran")
    assert found.urls == ("https://berita.example.id/a",)
    assert found.media == ("posts/media/a.jpg",)
    assert found.places == ("Balai Desa",)


def test_join_distinct_drops_repeats_of_earlier_text():
    assert join_distinct(["Sne sne!", "", "Sne sne!", "Sne", "Foto baru"]) == "Sne sne!\nFoto baru"


@pytest.mark.parametrize(("path", "key", "expected"), [
    ("$", 3, "$[3]"), ("$", "comments_v2", "$.comments_v2"), ("$.comments_v2", 5, "$.comments_v2[5]"),
    ("$.following", "siti.rahma", '$.following["siti.rahma"]'),
])
def test_json_paths(path, key, expected):
    assert child(path, key) == expected
