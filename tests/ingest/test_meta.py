"""Shared Meta helpers: mojibake repair (with properties), the record-shape walkers, JSON paths."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netral_cli.ingest import IngestOptions, facebook, generic, instagram, jsonstream, meta, read
from netral_cli.ingest.jsonstream import recognisable_head
from netral_cli.ingest.sources import Source, iter_sources
from netral_cli.ingest.meta import (
    RECOGNISED_BY,
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


# --- large files: recognised from their first entries ----------------------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def _read_all(root: Path) -> list[object]:
    return list(read([str(root)], IngestOptions()))


@pytest.mark.parametrize("folder", ["facebook", "instagram", "scrapers", "generic", "tiktok"])
def test_files_read_the_same_when_every_file_is_recognised_from_its_head(monkeypatch, folder):
    whole = _read_all(FIXTURES / folder)
    monkeypatch.setattr(generic, "STREAM_JSON_ABOVE", -1)  # every .json counts as large
    assert _read_all(FIXTURES / folder) == whole


def _counted(source: Source) -> tuple[Source, list[int]]:
    calls: list[int] = []

    def read_bytes() -> bytes:
        calls.append(1)
        return source.read_bytes()

    return replace(source, read_bytes=read_bytes), calls


_POSTS = [{"text": f"postingan {i}", "author": "Budi Santoso", "timestamp": 1707552000 + i, "data": [{"post": "x"}]}
          for i in range(50)]


@pytest.mark.parametrize("document", [_POSTS, {"meta": {"count": 50}, "data": _POSTS}], ids=["array", "object"])
def test_a_large_scraper_file_is_not_parsed_whole_to_be_recognised(tmp_path, monkeypatch, document):
    monkeypatch.setattr(generic, "STREAM_JSON_ABOVE", 10)
    path = tmp_path / "hasil_scraper.json"
    path.write_text(json.dumps(document))
    heads = []
    monkeypatch.setattr(meta, "recognisable_head", lambda source, count: heads.append(source) or
                        jsonstream.recognisable_head(source, count))
    [source] = iter_sources(path)
    source, calls = _counted(source)
    assert not facebook.ADAPTER.recognise(source) and not instagram.ADAPTER.recognise(source)
    assert calls == []  # read as a stream: an array's first entries, an object with its arrays cut
    assert heads == [source]  # once for both adapters
    assert [r.text for r in read([str(path)], IngestOptions())][:2] == ["postingan 0", "postingan 1"]
    assert len(heads) == 2 and heads[1] is not source  # a file read again is looked at again


@pytest.mark.parametrize("name, document, kind", [
    ("your_posts_1.json", [{"timestamp": 1707552000 + i, "data": [{"post": f"Ayo coblos nomor {i}"}]}
                           for i in range(30)], "post"),
    ("comments.json", {"comments_v2": [
        {"timestamp": 1707552000 + i, "title": "Budi Santoso commented on Sari Wulandari's post.",
         "data": [{"comment": {"comment": f"Ayo coblos nomor {i}", "author": "Budi Santoso"}}]} for i in range(30)]},
     "comment"),
], ids=["array", "object"])
def test_a_large_facebook_file_is_still_read_as_facebook(tmp_path, monkeypatch, name, document, kind):
    monkeypatch.setattr(generic, "STREAM_JSON_ABOVE", 10)
    path = tmp_path / name
    path.write_text(json.dumps(document))
    [source] = iter_sources(path)
    source, calls = _counted(source)
    assert facebook.ADAPTER.recognise(source) and calls == [1]
    items = list(read([str(path)], IngestOptions()))
    assert [(item.platform, item.kind, item.text) for item in items[:2]] == [
        ("facebook", kind, "Ayo coblos nomor 0"), ("facebook", kind, "Ayo coblos nomor 1")]
    assert len(items) == 30


_KEYS = ["timestamp", "data", "attachments", "title", "label_values", "media", "string_map_data", "string_list_data",
         "media_list_data", "text", "author", "url", "name", "fbid"]
_VALUES = st.one_of(st.integers(0, 2_000_000_000), st.text(max_size=5), st.just([{"post": "x"}]),
                    st.just([{"uri": "a.jpg", "creation_timestamp": 1}]), st.just({"Comment": {"value": "x"}}))


@settings(max_examples=300)
@given(entries=st.tuples(  # often entries no recogniser takes first, then ones they may take
           st.integers(0, 25).flatmap(lambda n: st.lists(
               st.integers() | st.dictionaries(st.sampled_from(["text", "author", "url"]), _VALUES), min_size=n, max_size=n)),
           st.lists(st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=4), max_size=20)).map(lambda t: t[0] + t[1]),
       name=st.sampled_from(["your_posts_1.json", "likes_and_reactions_1.json", "comments.json", "post_comments_1.json",
                             "liked_posts.json", "following.json", "posts_1.json", "hasil.json",
                             "facebook-budi-2024-01-01-x/lain.json"]))
def test_an_array_is_recognised_from_its_first_entries_as_from_the_whole(entries, name):
    whole = json.dumps(entries).encode()
    head = json.dumps(entries[:RECOGNISED_BY]).encode()
    for plan in (facebook.plan, instagram.plan):
        assert (plan(Source(name, lambda: whole)) is None) == (plan(Source(name, lambda: head)) is None)


def _cut(value, count):
    """The oracle: every array of a parsed value cut to ``count`` entries."""
    if isinstance(value, list):
        return [_cut(v, count) for v in value[:count]]
    if isinstance(value, dict):
        return {k: _cut(v, count) for k, v in value.items()}
    return value


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                     | st.text(max_size=4),
                     lambda inner: st.lists(inner, max_size=5)
                     | st.dictionaries(st.text(max_size=3), inner, max_size=4),
                     max_leaves=30)


@settings(max_examples=300)
@given(document=st.lists(_JSON, max_size=6) | st.dictionaries(st.text(max_size=3), _JSON, max_size=5),
       count=st.integers(1, 4))
def test_the_head_of_a_document_is_the_document_with_its_arrays_cut(document, count):
    data = json.dumps(document).encode()
    assert recognisable_head(Source("x.json", lambda: data), count) == _cut(document, count)


_SECTIONS = ["comments_v2", "comments", "group_posts_v2", "reactions", "page_likes_v2", "other_photos_v2", "photos",
             "comments_media_comments", "likes_media_likes", "ig_stories", "relationships_following", "media_comments",
             "participants", "messages", "profile_v2", "data", "items", "following"]
_ENTRY = st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=4) | st.integers()
_ENTRIES = st.tuples(st.lists(st.dictionaries(st.sampled_from(["text", "author", "url"]), _VALUES), max_size=25),
                     st.lists(_ENTRY, max_size=20)).map(lambda t: t[0] + t[1])


@settings(max_examples=300)
@given(document=st.dictionaries(st.sampled_from(_SECTIONS), _ENTRIES | st.fixed_dictionaries(
           {"activity_log_data": _ENTRIES}) | _VALUES, max_size=4),
       name=st.sampled_from(["your_posts_1.json", "comments.json", "post_comments_1.json", "liked_posts.json",
                             "connections.json", "likes.json", "media.json", "1.json", "hasil.json",
                             "facebook-budi-2024-01-01-x/lain.json", "instagram-budi-2024/lain.json"]))
def test_an_object_is_recognised_from_its_head_as_from_the_whole(document, name):
    whole = json.dumps(document).encode()
    head = json.dumps(recognisable_head(Source(name, lambda: whole), RECOGNISED_BY)).encode()
    for plan in (facebook.plan, instagram.plan):
        assert (plan(Source(name, lambda: whole)) is None) == (plan(Source(name, lambda: head)) is None)
