"""Facebook DYI JSON: the four layout generations, mojibake, locators, rejections, skips, HTML, zips."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import by_locator, counts, ingest, invoke, rejected, skipped
from netral_cli.errors import InputError
from netral_cli.ingest import IngestOptions, detect, read
from netral_cli.ingest.facebook import _TARGET_TITLES, KEY_KINDS, title_parts
from netral_cli.ingest.sources import iter_sources
from netral_cli.items import Item, Rejected

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "facebook"
NO_ACTIVITY = "Facebook export file without posts or activity"
HTML_REASON = ("Facebook export page in HTML: netral reads only exports in JSON format "
               "(request your data again from Facebook choosing Format: JSON)")


@pytest.fixture(autouse=True)
def here(monkeypatch):
    """Source names relative to the fixture folder, so that they do not depend on the checkout."""
    monkeypatch.chdir(FIXTURES)


# --- classic (<= 2020) ----------------------------------------------------------------------------


def test_classic_counts_and_accounting():
    records = ingest("classic")
    assert counts(records) == {
        ("posts/your_posts_1.json", "post"): 3,
        ("comments/comments.json", "comment"): 1,
        ("comments/comments.json", "group_comment"): 1,
        ("likes_and_reactions/posts_and_comments.json", "reaction"): 2,
        ("likes_and_reactions/pages.json", "follow"): 2,
        ("groups/your_posts_and_comments_in_groups.json", "group_post"): 1,
    }
    assert rejected(records) == [("classic/posts/your_posts_1.json", "$[3]", "expected a JSON object, found array")]
    assert skipped(records) == [("classic/profile_information/profile_information.json", NO_ACTIVITY)]


def test_classic_records():
    records = ingest("classic")
    posts = by_locator(records, "your_posts_1.json")
    assert posts["$[0]"].text == "Selamat pagi, semangat bekerja rekan-rekan guru SDN 2 Sukamaju 😊"
    assert posts["$[0]"].timestamp.isoformat() == "2019-03-02T07:15:00+07:00"
    assert posts["$[0]"].extras == {"title": "Siti Rahmawati memperbarui statusnya."}
    assert posts["$[1]"].text == "Rapat koordinasi di kantor kecamatan"  # the media description repeats it
    photo_only = posts["$[2]"]
    assert (photo_only.kind, photo_only.text) == ("post", "")
    assert photo_only.extras["media"] == ["photos_and_videos/your_posts/kopi.jpg"]

    comments = by_locator(records, "comments/comments.json")
    first = comments["$.comments[0]"]
    assert (first.kind, first.text, first.author, first.target) == (
        "comment", "Semoga lancar acaranya, Bu Dewi 🙏", "Siti Rahmawati", "Dewi Yuliani")
    in_group = comments["$.comments[1]"]
    assert (in_group.kind, in_group.text, in_group.group) == (
        "group_comment", "Mantap, café baru di Jalan Merdeka enak kopinya", "Kuliner Sukamaju")
    assert in_group.source_file == "classic/comments/comments.json"

    reactions = by_locator(records, "posts_and_comments.json")
    love = reactions["$.reactions[1]"]
    assert (love.kind, love.text, love.target, love.extras) == (
        "reaction", "Siti Rahmawati menanggapi postingan Relawan Maju Bersama.", "Relawan Maju Bersama",
        {"reaction": "LOVE"})
    pages = by_locator(records, "pages.json")
    assert (pages["$.page_likes[1]"].kind, pages["$.page_likes[1]"].target) == ("follow", "Relawan Maju Bersama")
    assert pages["$.page_likes[1]"].timestamp.isoformat() == "2019-02-01T20:00:00+07:00"
    group_post = by_locator(records, "your_posts_and_comments_in_groups.json")["$.group_posts.activity_log_data[0]"]
    assert (group_post.kind, group_post.group, group_post.text) == (
        "group_post", "Info Guru Sukamaju", "Info: pendaftaran PPDB dibuka minggu depan.")


# --- 2021-22: *_v2 keys -----------------------------------------------------------------------------


def test_v2_counts_and_rejections():
    records = ingest("v2_2022")
    assert counts(records) == {
        ("posts/your_posts_1.json", "post"): 2,
        ("comments_and_reactions/comments.json", "comment"): 3,
        ("comments_and_reactions/posts_and_comments.json", "reaction"): 2,
        ("groups/your_posts_in_groups.json", "group_post"): 2,
        ("groups/your_comments_in_groups.json", "group_comment"): 1,
        ("photos_and_videos/album/0.json", "post"): 2,
        ("photos_and_videos/your_videos.json", "post"): 1,
    }
    assert rejected(records) == [("v2_2022/comments_and_reactions/comments.json", "$.comments_v2[3]",
                                  "unreadable timestamp 'kemarin'")]
    assert skipped(records) == []


def test_v2_records():
    records = ingest("v2_2022")
    posts = by_locator(records, "posts/your_posts_1.json")
    shared = posts["$[0]"]
    assert shared.text == ("Selamat untuk rekan-rekan yang dilantik hari ini 🎉\n"
                           "Pelantikan kepala sekolah se-Kabupaten Sukamaju")
    assert shared.target == "https://berita.example.id/pelantikan-kepsek"
    assert shared.timestamp.isoformat() == "2022-03-01T06:30:00+07:00"
    assert posts["$[1]"].text == "Mohon diisi ya warga RT 04\nJadwal kerja bakti RT 04?\nSabtu pagi\nMinggu pagi"

    comments = by_locator(records, "comments_and_reactions/comments.json")
    title_only = comments["$.comments_v2[1]"]
    assert (title_only.text, title_only.author, title_only.target) == ("", "Siti Rahmawati", "Dewi Yuliani")
    sticker = comments["$.comments_v2[2]"]
    assert (sticker.text, sticker.target, sticker.extras["media"]) == ("", None, ["stickers_used/jempol.png"])

    reaction = by_locator(records, "posts_and_comments.json")["$.reactions_v2[1]"]
    assert (reaction.target, reaction.extras["reaction"]) == ("Puskesmas Mekarsari", "CARE")
    groups = by_locator(records, "your_posts_in_groups.json")
    assert groups["$.group_posts_v2[0]"].group == "Info Guru Sukamaju"
    assert (groups["$.group_posts_v2[1]"].text, groups["$.group_posts_v2[1]"].group) == ("", None)
    album = by_locator(records, "album/0.json")
    assert (album["$.photos[0]"].text, album["$.photos[0]"].extras) == (
        "Foto bersama guru-guru setelah upacara 📸\nKegiatan Sekolah",
        {"media": ["photos_and_videos/KegiatanSekolah/1.jpg"]})
    assert album["$.photos[1]"].timestamp.isoformat() == "2022-02-14T09:05:00+07:00"
    video = by_locator(records, "your_videos.json")["$.videos_v2[0]"]
    assert (video.kind, video.text) == ("post", "Senam pagi bersama warga RW 05")
    group_comment = by_locator(records, "your_comments_in_groups.json")["$.group_comments_v2[0]"]
    assert (group_comment.kind, group_comment.text, group_comment.group, group_comment.target) == (
        "group_comment", "Siap hadir, Bu 👍", "Info Guru Sukamaju", "Dewi Yuliani")


# --- mid 2022-23: your_activity_across_facebook/ ------------------------------------------------------


def test_activity_across_facebook():
    records = ingest("activity_across_2023")
    base = "your_activity_across_facebook/"
    assert counts(records) == {
        ("your_activity_across_facebook/posts/your_posts__check_ins__photos_and_videos_1.json", "post"): 2,
        (base + "comments_and_reactions/comments.json", "comment"): 1,
        (base + "comments_and_reactions/likes_and_reactions_1.json", "reaction"): 2,
        (base + "groups/group_posts_and_comments.json", "group_post"): 1,
        (base + "groups/your_comments_in_groups.json", "group_comment"): 1,
        (base + "pages/pages_you've_liked.json", "follow"): 1,
    }
    assert rejected(records) == []
    assert skipped(records) == [
        ("activity_across_2023/personal_information/profile_information/profile_information.json", NO_ACTIVITY),
        ("activity_across_2023/your_activity_across_facebook/messages/inbox/dewiyuliani_123/message_1.json",
         "Facebook Messenger conversation: private messages are not scanned"),
    ]
    posts = by_locator(records, "your_posts__check_ins__photos_and_videos_1.json")
    assert posts["$[0]"].text == "Dirgahayu Republik Indonesia ke-78 🇮🇩"
    assert posts["$[0]"].extras == {"places": ["Alun-alun Sukamaju"], "tags": ["Dewi Yuliani"]}
    assert posts["$[1]"].text == "Rp 50.000 © harga tiket jalan sehat, hadiah utama sepeda"
    likes = by_locator(records, "likes_and_reactions_1.json")
    assert (likes["$[0]"].target, likes["$[1]"].target) == ("Relawan Maju Bersama", None)
    page = by_locator(records, "pages_you've_liked.json")["$.page_likes_v2[0]"]
    assert (page.kind, page.target, page.extras) == (
        "follow", "Relawan Maju Bersama", {"url": "https://www.facebook.example/relawanmajubersama"})
    assert page.timestamp.isoformat() == "2023-10-10T10:10:10+07:00"


# --- 2024+: your_facebook_activity/ and label_values ----------------------------------------------------


def test_facebook_activity_2024():
    records = ingest("facebook_activity_2024")
    base = "your_facebook_activity/"
    assert counts(records) == {
        (base + "posts/your_posts__check_ins__photos_and_videos_1.json", "post"): 2,
        (base + "comments_and_reactions/comments.json", "comment"): 2,
        (base + "comments_and_reactions/likes_and_reactions.json", "reaction"): 2,
        (base + "groups/group_posts_and_comments.json", "group_post"): 1,
        (base + "groups/group_posts_and_comments.json", "group_comment"): 1,
        (base + "groups/your_group_membership_activity.json", "group_join"): 1,
        (base + "pages/pages_you_follow.json", "follow"): 1,
    }
    folder = "facebook_activity_2024/your_facebook_activity/"
    assert rejected(records) == [
        (folder + "comments_and_reactions/comments.json", "$.comments_v2[2]",
         "'data' should be a JSON array, found object"),
        (folder + "comments_and_reactions/likes_and_reactions.json", "$[2]", "no name, URL or title in label_values"),
        (folder + "posts/your_posts__check_ins__photos_and_videos_1.json", "$[2]",
         "empty post: no text, title or attachment"),
    ]
    assert skipped(records) == [
        ("facebook_activity_2024/ads_information/advertisers_using_your_activity_or_information.json", NO_ACTIVITY),
        ("facebook_activity_2024/security_and_login_information/logins_and_logouts.json", NO_ACTIVITY),
    ]


def test_facebook_activity_2024_records():
    records = ingest("facebook_activity_2024")
    comment = by_locator(records, "comments_and_reactions/comments.json")["$.comments_v2[0]"]
    assert comment.to_dict() | {"item_id": None} == {
        "platform": "facebook", "kind": "comment", "item_id": None, "author": "Siti Rahmawati", "account": None,
        "timestamp": "2024-01-15T20:30:00+07:00",
        "text": "Siap menangkan Pak Hendra! Ayo coblos nomor 2 tanggal 14 Februari 👍✌️",
        "target": "Relawan Maju Bersama", "group": None,
        "source_file": "facebook_activity_2024/your_facebook_activity/comments_and_reactions/comments.json",
        "locator": "$.comments_v2[0]",
        "extras": {"title": "Siti Rahmawati commented on Relawan Maju Bersama's post."},
    }
    likes = by_locator(records, "likes_and_reactions.json")
    assert (likes["$[0]"].kind, likes["$[0]"].target, likes["$[0]"].extras) == (
        "reaction", "Relawan Maju Bersama",
        {"url": "https://www.facebook.example/relawanmajubersama/posts/1", "reaction": "Like"})
    assert likes["$[1]"].timestamp.isoformat() == "2024-01-19T06:15:00+07:00"
    groups = by_locator(records, "group_posts_and_comments.json")
    assert (groups["$[0]"].text, groups["$[0]"].group) == ("Ayo dukung 👍 kegiatan posyandu balita di RW 05",
                                                           "Info Guru Sukamaju")
    assert (groups["$[1]"].kind, groups["$[1]"].group) == ("group_comment", "Info Guru Sukamaju")
    joined = by_locator(records, "your_group_membership_activity.json")["$.groups_joined_v2[0]"]
    assert (joined.kind, joined.group, joined.timestamp.isoformat()) == (
        "group_join", "Relawan Maju Bersama Kec. Cibeunying", "2023-12-30T20:00:00+07:00")
    followed = by_locator(records, "pages_you_follow.json")["$.pages_followed_v2[0]"]
    assert (followed.kind, followed.target) == ("follow", "Puskesmas Mekarsari")


def test_item_ids_are_stable():
    first = [r.item_id for r in ingest("facebook_activity_2024") if isinstance(r, Item)]
    assert first == [r.item_id for r in ingest("facebook_activity_2024") if isinstance(r, Item)]
    assert len(set(first)) == len(first)


def test_other_time_zone():
    records = list(read(["facebook_activity_2024"], IngestOptions(tz="Asia/Makassar")))
    comment = by_locator(records, "comments_and_reactions/comments.json")["$.comments_v2[0]"]
    assert comment.timestamp.isoformat() == "2024-01-15T21:30:00+08:00"


# --- recognition ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("generation", ["classic", "v2_2022", "activity_across_2023", "facebook_activity_2024"])
def test_every_json_file_of_an_export_is_claimed_by_the_facebook_adapter(generation):
    assert {detect(source) for source in iter_sources(generation)} == {"facebook"}


@pytest.mark.parametrize(("name", "document", "expected"), [
    ("comments.json", {"comments": [{"text": "halo", "timestamp": 1}]}, "json"),  # a scraper's comments
    ("your_posts_1.json", [{"text": "halo"}], "json"),
    ("comments.json", [{"name": "Budi", "timestamp": 1705325400, "text": "halo"}], "json"),
    ("comments.json", [{"timestamp": 1705325400, "title": "Siti commented on Budi's post."}], "facebook"),
    ("data.json", {"comments_v2": [{"timestamp": 1, "title": "x"}]}, "facebook"),  # the key is enough
    ("likes_and_reactions_3.json", [{"timestamp": 1, "label_values": []}], "facebook"),
    ("anything.json", {"profile_v2": {"name": "x"}}, "facebook"),
])
def test_recognition_by_key_and_name(tmp_path, name, document, expected):
    (tmp_path / name).write_text(json.dumps(document), encoding="utf-8")
    assert [detect(s) for s in iter_sources(tmp_path / name)] == [expected]


def test_malformed_arrays_and_composite_files(tmp_path):
    path = tmp_path / "comments.json"
    path.write_text(json.dumps({
        "comments_v2": [{"timestamp": 1705325400, "data": [{"comment": {"comment": "Siap, Bu", "author": "Siti"}}]}],
        "group_comments_v2": {"not": "an array"},
    }), encoding="utf-8")
    records = list(read([path], IngestOptions()))
    assert [(type(r).__name__, r.locator) for r in records] == [("Item", "$.comments_v2[0]"),
                                                                ("Rejected", "$.group_comments_v2")]
    assert records[1].reason == "expected a JSON array, found object"


@pytest.mark.parametrize(("path", "document", "expected"), [
    # a scraper's file that merely mentions Facebook is generic data
    ("kasus_facebook/facebook-posts-2024.json", [{"text": "halo", "created_at": "2024-01-01"}], "json"),
    # any other file under an export's root folder holds no activity
    ("facebook-sitirahmawati-2024/about_you/friend_peer_group.json", {"friend_peer_group": "Adult Life"},
     "facebook"),
    ("unduhan/logged_information/search/your_search_history.json", {"searches": []}, "facebook"),
    ("siti_2019/about_you/friend_peer_group.json", {"friend_peer_group": "Adult Life"}, "facebook"),
    ("kasus/events/agenda.json", [{"text": "Rapat RT", "date": "2024-01-01"}], "json"),
])
def test_recognition_by_folder(tmp_path, path, document, expected):
    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text(json.dumps(document), encoding="utf-8")
    assert [detect(s) for s in iter_sources(tmp_path / path)] == [expected]


def test_file_without_activity_under_the_export_root_is_skipped(tmp_path):
    path = tmp_path / "facebook-sitirahmawati-2024" / "about_you" / "friend_peer_group.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"friend_peer_group": "Adult Life"}', encoding="utf-8")
    assert skipped(list(read([tmp_path], IngestOptions()))) == [(str(path), NO_ACTIVITY)]


@pytest.mark.parametrize(("title", "parts"), [
    ("Siti Rahmawati commented on Relawan Maju Bersama's post.", {"actor": "Siti Rahmawati",
                                                                   "target": "Relawan Maju Bersama"}),
    ("Siti Rahmawati replied to Agus' comment.", {"actor": "Siti Rahmawati", "target": "Agus"}),
    ("Siti Rahmawati commented on her own post.", {"actor": "Siti Rahmawati"}),
    ("Siti Rahmawati likes a post.", {"actor": "Siti Rahmawati"}),
    ("Budi Santoso menyukai foto di halaman Puskesmas Mekarsari.", {"actor": "Budi Santoso",
                                                                     "target": "Puskesmas Mekarsari"}),
    ("Siti Rahmawati mengomentari kiriman miliknya sendiri.", {"actor": "Siti Rahmawati"}),
    ("Siti Rahmawati memperbarui statusnya.", {}),
])
def test_title_parts(title, parts):
    assert title_parts(title, _TARGET_TITLES) == parts


# --- zip with nested folders ----------------------------------------------------------------------------------


def _zip_of(folder: Path, root: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{root}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def test_zip_export_with_nested_folders(tmp_path):
    export = tmp_path / "facebook-sitirahmawati-2024.zip"
    export.write_bytes(_zip_of(FIXTURES / "facebook_activity_2024", "facebook-sitirahmawati-2024"))
    records = list(read([export], IngestOptions()))
    items = [r for r in records if isinstance(r, Item)]
    assert len(items) == 10
    assert len([r for r in records if isinstance(r, Rejected)]) == 3
    comment = next(i for i in items if i.locator == "$.comments_v2[0]")
    assert comment.source_file == (f"{export}!facebook-sitirahmawati-2024/your_facebook_activity/"
                                   "comments_and_reactions/comments.json")
    assert comment.text == "Siap menangkan Pak Hendra! Ayo coblos nomor 2 tanggal 14 Februari 👍✌️"


# --- HTML export ------------------------------------------------------------------------------------------------


def test_html_export_alone_is_an_input_error():
    with pytest.raises(InputError) as info:
        ingest("html")
    assert str(info.value) == f"html/index.html: {HTML_REASON}"


def test_html_export_through_the_cli_exits_1_with_one_line():
    result = invoke("ingest", "html")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: html/index.html: {HTML_REASON}\n"


def test_html_pages_next_to_a_json_export_are_listed_as_skipped():
    records = ingest("html", "facebook_activity_2024")
    assert ("html/your_facebook_activity/posts/your_posts_1.html", HTML_REASON) in skipped(records)
    assert len([r for r in records if isinstance(r, Item)]) == 10


def test_saved_web_page_is_not_taken_for_an_export(tmp_path):
    page = tmp_path / "berita.html"
    page.write_text("<html><body>Bagikan ke Facebook</body></html>", encoding="utf-8")
    assert skipped(list(read([page], IngestOptions()))) == [(str(page), "unrecognised file type .html")]


# --- end to end -----------------------------------------------------------------------------------------------------


def test_ingest_cli_counts_facebook_items():
    result = invoke("ingest", "facebook_activity_2024")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 10
    errors = result.stderr.splitlines()
    assert ("facebook_activity_2024/your_facebook_activity/comments_and_reactions/comments.json"
            "\tfacebook\tcomment\t2") in errors
    assert errors[-1] == "read 13, scored 10, rejected 3"


def test_scan_ranks_the_campaign_comment_first():
    result = invoke("scan", "facebook_activity_2024", "--all", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout.splitlines()[0])
    assert (first["rank"], first["platform"], first["kind"], first["level"]) == (1, "facebook", "comment", "high")
    assert first["locator"] == "$.comments_v2[0]"
    assert first["source_file"] == "facebook_activity_2024/your_facebook_activity/comments_and_reactions/comments.json"
    assert "a2b2.ajakan-coblos-nomor" in first["rules"]
    assert "read 13, scored 10, rejected 3" in result.stderr


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["timestamp", "data", "title", "comment", "reaction", "post", "attachments", "media",
                         "external_context", "label_values", "label", "value", "name", "group", "author"]),
        inner, max_size=5),
    max_leaves=25)


@settings(max_examples=150, deadline=None)
@given(st.lists(JSON_VALUES, max_size=6), st.sampled_from(sorted(k for k in KEY_KINDS if k.endswith("_v2"))))
def test_any_entry_becomes_exactly_one_item_or_rejected(tmp_path_factory, entries, key):
    path = tmp_path_factory.mktemp("fb") / "comments.json"
    path.write_text(json.dumps({key: entries}), encoding="utf-8")
    records = list(read([path], IngestOptions()))
    assert all(isinstance(r, (Item, Rejected)) for r in records)
    assert [r.locator for r in records] == [f"$.{key}[{i}]" for i in range(len(entries))]


def test_album_names_facebook_gives_itself_are_not_post_text(tmp_path):
    folder = tmp_path / "your_facebook_activity" / "posts"
    folder.mkdir(parents=True)
    entry = {"timestamp": 1705311000, "attachments": [{"data": [{"media": {
        "uri": "photos/1.jpg", "title": "Foto Seluler", "creation_timestamp": 1705311000}}]}]}
    named = {"timestamp": 1705311060, "attachments": [{"data": [{"media": {
        "uri": "photos/2.jpg", "title": "Relawan Kecamatan Fiktif", "creation_timestamp": 1705311060}}]}]}
    (folder / "your_posts__check_ins__photos_and_videos_1.json").write_text(json.dumps([entry, named]),
                                                                         encoding="utf-8")
    items = [r for r in read([tmp_path]) if isinstance(r, Item)]
    assert [(i.text, i.extras.get("media")) for i in items] == [
        ("", ["photos/1.jpg"]), ("Relawan Kecamatan Fiktif", ["photos/2.jpg"])]
