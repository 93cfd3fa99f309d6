"""Instagram data export (JSON): 2018 flat files, 2020-23, 2024 and 2025 layouts, localized keys."""

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
from netral_cli.ingest.sources import iter_sources
from netral_cli.items import Item, Rejected

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "instagram"
NO_ACTIVITY = "Instagram export file without posts or activity"


@pytest.fixture(autouse=True)
def here(monkeypatch):
    monkeypatch.chdir(FIXTURES)


def summary(item: Item) -> tuple:
    return item.kind, item.text, item.target, item.timestamp.isoformat() if item.timestamp else None


# --- 2018 flat files ---------------------------------------------------------------------------------


def test_2018_export():
    records = ingest("2018")
    assert counts(records) == {("media.json", "post"): 3, ("comments.json", "comment"): 1,
                               ("likes.json", "reaction"): 2, ("connections.json", "follow"): 2}
    assert rejected(records) == [("2018/comments.json", "$.media_comments[1]", "expected [time, comment, owner]")]
    assert skipped(records) == [("2018/profile.json", NO_ACTIVITY)]
    media = by_locator(records, "media.json")
    # 2018 times have no offset and are read as UTC
    assert summary(media["$.photos[0]"]) == (
        "post", "Upacara Hari Guru Nasional bersama murid kelas 5 👩\u200d🏫", None, "2018-11-25T08:30:00+07:00")
    assert summary(media["$.videos[0]"]) == ("post", "Latihan paduan suara", None, "2018-12-01T17:15:00+07:00")
    assert summary(by_locator(records, "comments.json")["$.media_comments[0]"]) == (
        "comment", "Keren sekali Bu! 👏", "dewiyuliani.guru", "2018-11-27T19:00:00+07:00")
    likes = by_locator(records, "likes.json")
    assert (likes["$.comment_likes[0]"].target, likes["$.comment_likes[0]"].extras) == ("agus.salim",
                                                                                        {"liked": "comment"})
    following = by_locator(records, "connections.json")
    assert summary(following['$.following["puskesmas.mekarsari"]']) == (
        "follow", "", "puskesmas.mekarsari", "2018-10-03T07:00:00+07:00")
    assert following["$.following.relawanmajubersama"].target == "relawanmajubersama"


# --- 2020-23: content/, comments/, likes/, followers_and_following/ -------------------------------------


def test_2021_export():
    records = ingest("2021")
    assert counts(records) == {
        ("content/posts_1.json", "post"): 2, ("comments/post_comments.json", "comment"): 1,
        ("likes/liked_posts.json", "reaction"): 3, ("likes/liked_comments.json", "reaction"): 1,
        ("followers_and_following/following.json", "follow"): 1,
    }
    assert rejected(records) == [
        ("2021/comments/post_comments.json", "$.comments_media_comments[1]", "comment without text"),
        ("2021/content/posts_1.json", "$[2]", "'media' should be a JSON array, found string"),
    ]
    assert skipped(records) == [("2021/followers_and_following/followers_1.json", NO_ACTIVITY)]
    posts = by_locator(records, "posts_1.json")
    assert summary(posts["$[0]"]) == ("post", "Lomba tujuh belasan di sekolah 🇮🇩 #HUTRI76", None,
                                      "2021-08-17T09:00:00+07:00")
    assert posts["$[0]"].extras == {"media": ["media/posts/202108/a.jpg"], "cross_post_source": "FB"}
    carousel = posts["$[1]"]
    assert carousel.text == "Kunjungan ke perpustakaan daerah — anak-anak senang sekali"
    assert carousel.extras["media"] == ["media/posts/202109/b.jpg", "media/posts/202109/c.jpg"]
    assert summary(by_locator(records, "post_comments.json")["$.comments_media_comments[0]"]) == (
        "comment", "Selamat ya Bu 🎉", "dewiyuliani.guru", "2021-09-02T20:00:00+07:00")
    likes = by_locator(records, "liked_posts.json")
    assert summary(likes["$.likes_media_likes[0]"]) == ("reaction", "", "relawanmajubersama",
                                                        "2021-09-04T08:00:00+07:00")
    assert likes["$.likes_media_likes[0]"].extras == {"url": "https://www.instagram.com/p/AbC123xyz/",
                                                      "reaction": "👍", "liked": "post"}
    assert summary(likes["$.likes_media_likes[1].string_list_data[1]"]) == (
        "reaction", "", "puskesmas.mekarsari", "2021-09-06T08:00:00+07:00")
    follow = by_locator(records, "following.json")["$.relationships_following[0]"]
    assert summary(follow) == ("follow", "", "relawanmajubersama", "2021-07-01T12:00:00+07:00")


# --- 2024: your_instagram_activity/content/ ---------------------------------------------------------------


def test_2024_export():
    records = ingest("2024")
    activity = "your_instagram_activity/"
    assert counts(records) == {
        (activity + "content/posts_1.json", "post"): 1,
        (activity + "comments/post_comments_1.json", "comment"): 2,
        (activity + "comments/reels_comments.json", "comment"): 1,
        (activity + "likes/liked_posts.json", "reaction"): 1,
        ("connections/followers_and_following/following.json", "follow"): 2,
    }
    assert rejected(records) == []
    assert skipped(records) == [
        ("2024/personal_information/personal_information/personal_information.json", NO_ACTIVITY)]
    comments = by_locator(records, "post_comments_1.json")
    assert summary(comments["$[1]"]) == ("comment", "Siap dukung, Pak! ☝️", "relawanmajubersama",
                                         "2024-01-15T20:30:00+07:00")
    assert comments["$[1]"].source_file == "2024/your_instagram_activity/comments/post_comments_1.json"
    reel = by_locator(records, "reels_comments.json")["$.comments_reels_comments[0]"]
    assert summary(reel) == ("comment", "Lucu banget 😂", "dewiyuliani.guru", "2024-01-16T21:00:00+07:00")
    assert reel.extras == {"on": "reel"}
    following = by_locator(records, "connections/followers_and_following/following.json")
    assert summary(following["$.relationships_following[1]"]) == (
        "follow", "", "puskesmas.mekarsari", "2023-12-21T19:00:00+07:00")
    assert following["$.relationships_following[1]"].extras == {
        "url": "https://www.instagram.com/_u/puskesmas.mekarsari"}


# --- 2025: your_instagram_activity/media/, label_values, localized string_map_data ----------------------------


def test_2025_export():
    records = ingest("2025")
    activity = "your_instagram_activity/"
    assert counts(records) == {
        (activity + "media/posts_1.json", "post"): 1,
        (activity + "comments/post_comments_1.json", "comment"): 3,
        (activity + "likes/liked_posts.json", "reaction"): 2,
        (activity + "likes/liked_comments.json", "reaction"): 1,
        (activity + "story_interactions/story_likes.json", "reaction"): 1,
    }
    assert rejected(records) == []
    assert skipped(records) == [("2025/your_instagram_activity/messages/inbox/dewiyuliani_987/message_1.json",
                                 "Instagram direct messages: private messages are not scanned")]
    comments = by_locator(records, "post_comments_1.json")
    assert summary(comments["$[0]"]) == ("comment", "Mantap Bu, lanjutkan! 🔥", "dewiyuliani.guru",
                                         "2025-02-02T19:00:00+07:00")  # Komentar / Pemilik media / Waktu
    assert summary(comments["$[1]"]) == ("comment", "Prachtig", "agus.salim", "2025-02-03T19:00:00+07:00")
    assert summary(comments["$[2]"]) == ("comment", "Kapan acaranya?", "puskesmas.mekarsari",
                                         "2025-02-04T19:00:00+07:00")  # unknown labels: by value type
    liked = by_locator(records, "liked_posts.json")
    assert summary(liked["$[0]"]) == ("reaction", "Bersama Pak Hendra, kita lanjutkan pembangunan! ✌️ #MajuBersama",
                                      "relawanmajubersama", "2025-02-05T21:00:00+07:00")
    assert liked["$[0]"].extras == {"url": "https://www.instagram.com/p/Pqr345stu/", "liked": "post"}
    assert liked["$[1]"].target == "https://www.instagram.com/reel/Vwx678yza/"  # no owner: the URL
    assert summary(by_locator(records, "liked_comments.json")["$.likes_comment_likes[0]"]) == (
        "reaction", "", "agus.salim", "2025-02-07T06:00:00+07:00")
    story = by_locator(records, "story_likes.json")["$.story_activities_story_likes[0]"]
    assert summary(story) == ("reaction", "", "relawanmajubersama", "2025-02-09T20:00:00+07:00")
    assert story.extras == {"liked": "story"}


# --- recognition, zip, HTML ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["2018", "2021", "2024", "2025"])
def test_every_json_file_of_an_export_is_claimed_by_the_instagram_adapter(layout):
    assert {detect(source) for source in iter_sources(layout)} == {"instagram"}


@pytest.mark.parametrize(("name", "document", "expected"), [
    ("media.json", {"photos": [{"url": "x"}]}, "json"),  # not the 2018 shape (no taken_at)
    ("posts_1.json", [{"media": [{"uri": "a.jpg", "creation_timestamp": 1705325400, "title": "halo"}]}], "instagram"),
    ("tweets.json", [{"text": "halo", "media": [{"url": "https://x.example/a.jpg"}]}], "json"),
    ("comments.json", [{"text": "halo"}], "json"),
    ("anything.json", {"likes_media_likes": []}, "instagram"),
    ("connections.json", {"followers": {"dewiyuliani.guru": "2018-10-01T00:00:00"}}, "instagram"),  # nothing to read
    ("profile.json", {"name": "Siti", "text": "halo"}, "json"),
])
def test_recognition_by_key_and_name(tmp_path, name, document, expected):
    (tmp_path / name).write_text(json.dumps(document), encoding="utf-8")
    assert [detect(s) for s in iter_sources(tmp_path / name)] == [expected]


def test_zip_export_with_nested_folders(tmp_path):
    export = tmp_path / "instagram-siti.rahma-2025-02-10.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((FIXTURES / "2025").rglob("*.json")):
            archive.write(path, f"instagram-siti.rahma-2025-02-10/{path.relative_to(FIXTURES / '2025').as_posix()}")
    export.write_bytes(buffer.getvalue())
    items = [r for r in read([export], IngestOptions()) if isinstance(r, Item)]
    assert len(items) == 8
    liked = next(i for i in items if i.locator == "$[0]" and "liked_posts" in i.source_file)
    assert liked.source_file == (f"{export}!instagram-siti.rahma-2025-02-10/your_instagram_activity/"
                                 "likes/liked_posts.json")


def test_html_export_is_refused(tmp_path):
    page = tmp_path / "instagram-siti.rahma-2025-02-10" / "your_instagram_activity" / "comments"
    page.mkdir(parents=True)
    (page / "post_comments_1.html").write_text("<html><body>Komentar</body></html>", encoding="utf-8")
    reason = ("Instagram export page in HTML: netral reads only exports in JSON format "
              "(request your data again from Instagram choosing Format: JSON)")
    with pytest.raises(InputError) as info:
        list(read([tmp_path], IngestOptions()))
    assert str(info.value) == f"{page / 'post_comments_1.html'}: {reason}"
    result = invoke("ingest", str(tmp_path))
    assert (result.exit_code, result.stderr) == (1, f"Error: {page / 'post_comments_1.html'}: {reason}\n")


def test_scan_ranks_the_supporting_comment_first():
    result = invoke("scan", "2024", "--all", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout.splitlines()[0])
    assert (first["platform"], first["kind"], first["locator"], first["target"]) == (
        "instagram", "comment", "$[1]", "relawanmajubersama")
    assert "read 7, scored 7, rejected 0" in result.stderr


def test_reels_and_stories(tmp_path):
    reels = tmp_path / "reels.json"
    reels.write_text(json.dumps({"ig_reels_media": [{"media": [
        {"uri": "media/reels/a.mp4", "creation_timestamp": 1705325400, "title": "Tutorial senam \u00f0\u009f\u0092\u00aa"}]}]}),
        encoding="utf-8")
    stories = tmp_path / "stories.json"
    stories.write_text(json.dumps({"ig_stories": [
        {"uri": "media/stories/b.jpg", "creation_timestamp": 1705329000, "title": "Pagi ceria"}, "rusak"]}),
        encoding="utf-8")
    records = list(read([reels, stories], IngestOptions()))
    assert [(type(r).__name__, r.locator) for r in records] == [
        ("Item", "$.ig_reels_media[0]"), ("Item", "$.ig_stories[0]"), ("Rejected", "$.ig_stories[1]")]
    assert summary(records[0]) == ("post", "Tutorial senam 💪", None, "2024-01-15T20:30:00+07:00")
    assert summary(records[1]) == ("post", "Pagi ceria", None, "2024-01-15T21:30:00+07:00")
    assert records[2].reason == "expected a JSON object, found string"


def test_liked_comments_in_the_label_values_form(tmp_path):
    path = tmp_path / "liked_comments.json"
    path.write_text(json.dumps([{"timestamp": 1705325400, "label_values": [
        {"label": "URL", "value": "https://www.instagram.com/p/Abc/"},
        {"title": "Owner", "dict": [{"dict": [{"label": "Username", "value": "agus.salim"}], "title": ""}]}]}]),
        encoding="utf-8")
    [item] = read([path], IngestOptions())
    assert (item.kind, item.target, item.extras) == ("reaction", "agus.salim",
                                                     {"url": "https://www.instagram.com/p/Abc/", "liked": "comment"})


def test_forced_format_on_a_file_of_another_kind(tmp_path):
    path = tmp_path / "catatan.csv"
    path.write_text("text\nhalo\n", encoding="utf-8")
    records = list(read([path], IngestOptions(input_format="instagram")))
    assert [(type(r).__name__, r.reason) for r in records] == [("Skipped", "not recognised as Instagram export data")]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["string_map_data", "string_list_data", "Comment", "Komentar", "Time", "value", "href",
                         "timestamp", "title", "media", "uri", "creation_timestamp"]), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(st.lists(JSON_VALUES, max_size=5),
       st.sampled_from(["comments_media_comments", "comments_reels_comments", "relationships_following",
                        "ig_reels_media"]))
def test_any_entry_becomes_exactly_one_item_or_rejected(tmp_path_factory, entries, key):
    path = tmp_path_factory.mktemp("ig") / "data.json"
    path.write_text(json.dumps({key: entries}), encoding="utf-8")
    records = list(read([path], IngestOptions()))
    assert all(isinstance(r, (Item, Rejected)) for r in records)
    assert [r.locator for r in records] == [f"$.{key}[{i}]" for i in range(len(entries))]
