"""TikTok "download your data" JSON: old and 2025 key names, null lists, N/A values, UTC dates, JSON-path locators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netral_cli.ingest import IngestOptions, detect, read
from netral_cli.ingest.jsonpath import json_path
from netral_cli.ingest.sources import Source
from netral_cli.items import Item, Rejected

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "tiktok"


@pytest.fixture
def here(monkeypatch):
    monkeypatch.chdir(FIXTURES)


def records(path, **options):
    return list(read([str(path)], IngestOptions(**options)))


def rows(result):
    return [(r.locator, r.kind, r.timestamp.isoformat() if r.timestamp else None, r.text, r.target, r.extras)
            if isinstance(r, Item) else (r.locator, r.reason) for r in result]


def test_old_export_keys(here):
    result = records("old/user_data.json")
    assert rows(result) == [
        ("$.Video.Videos.VideoList[0]", "video", "2023-10-30T15:00:00+07:00", "",
         "https://www.tiktokv.example/share/video/7295000000000000001/", {"Likes": "58", "WhoCanView": "Everyone"}),
        ("$.Comment.Comments.CommentsList[0]", "comment", "2023-11-03T09:30:00+07:00",
         "Mantap pak, coblos nomor 2 ya semua 👍", None, {}),
        ("$.Comment.Comments.CommentsList[1]", "unreadable timestamp 'kemarin' in field 'Date'"),
        ('$.Activity["Like List"].ItemFavoriteList[0]', "like", "2023-11-02T06:59:59+07:00", "",
         "https://www.tiktokv.example/share/video/7296000000000000001/", {}),
        ('$.Activity["Like List"].ItemFavoriteList[1]', "like", "2023-11-02T07:00:01+07:00", "",
         "https://www.tiktokv.example/share/video/7296000000000000002/", {}),
        ('$.Activity["Favorite Videos"].FavoriteVideoList[0]', "favourite", "2023-11-02T08:15:40+07:00", "",
         "https://www.tiktokv.example/share/video/7297000000000000001/", {}),
        ('$.Activity["Following List"].Following[0]', "follow", "2023-10-28T20:00:00+07:00", "",
         "relawan.bersatu.example", {}),
        ('$.Activity["Following List"].Following[1]', "no text, target or group: nothing to scan"),
    ]
    items = [r for r in result if isinstance(r, Item)]
    assert {(i.platform, i.author, i.account) for i in items} == {("tiktok", "Pak Guru Andi", "guru.sd.example")}
    assert result[2].excerpt == '{"Date": "kemarin", "Comment": "Siap"}'


def test_2025_export_keys_with_null_lists_and_na_values(here):
    result = records("new/user_data_tiktok.json")
    assert rows(result) == [
        ("$.Post.Posts.VideoList[0]", "video", "2024-01-15T19:00:00+07:00",
         "Kampanye akbar di lapangan desa #pemilu2024 #02",
         "https://www.tiktokv.example/share/video/7324000000000000001/",
         {"Likes": "1204", "WhoCanView": "Everyone", "AIGeneratedContent": "No"}),
        ("$.Comment.Comments.CommentsList[0]", "comment", "2024-01-21T02:30:12+07:00", "Gas terus pak, 02 menang!",
         None, {}),
        ("$.Comment.Comments.CommentsList[1]", "no text, target or group: nothing to scan"),
        ('$["Your Activity"]["Like List"].ItemFavoriteList[0]', "like", "2024-01-19T04:41:23+07:00", "",
         "https://www.tiktokv.example/share/video/7325000000000000001/", {}),
        ('$["Your Activity"]["Like List"].ItemFavoriteList[1]', "like", "2024-01-19T04:42:00+07:00", "",
         "https://www.tiktokv.example/share/video/7325000000000000002/", {}),
        ('$["Your Activity"]["Like List"].ItemFavoriteList[2]', "no text, target or group: nothing to scan"),
        ('$["Your Activity"]["Like List"].ItemFavoriteList[3]', "expected a JSON object, found string"),
        ('$["Your Activity"].Following.Following[0]', "follow", "2024-01-10T10:00:00+07:00", "",
         "tim.pemenangan.example", {}),
        ('$["Your Activity"]["Share History"].ShareHistoryList[0]', "share", "2024-01-19T12:05:05+07:00", "",
         "https://www.tiktokv.example/share/video/7325000000000000001/", {"SharedContent": "video", "Method": "whatsapp"}),
    ]
    assert {(r.author, r.account) for r in result if isinstance(r, Item)} == {("Rina K", "bu.rina.example")}


def test_dates_are_utc_shown_in_the_tz_option(here):
    result = records("new/user_data_tiktok.json", tz="UTC")
    assert result[1].timestamp.isoformat() == "2024-01-20T19:30:12+00:00"
    assert records("new/user_data_tiktok.json", tz="Asia/Jayapura")[1].timestamp.isoformat() == \
        "2024-01-21T04:30:12+09:00"


def test_likes_under_likes_and_favorites_root_and_deleted_posts(tmp_path):
    path = tmp_path / "user_data_tiktok.json"
    path.write_text('{"Likes and Favorites": {"Like List": {"ItemFavoriteList": [{"date": "2024-02-01 00:00:00", '
                    '"link": "https://www.tiktokv.example/v/1/"}]}}, "Post": {"Recently Deleted Posts": {"PostList": '
                    '[{"Date": "2024-02-02 00:00:00", "Link": "https://www.tiktokv.example/v/2/", "Title": "Ayo 02"}]}}}',
                    encoding="utf-8")
    assert rows(records(path)) == [
        ("$.Post[\"Recently Deleted Posts\"].PostList[0]", "video", "2024-02-02T07:00:00+07:00", "Ayo 02",
         "https://www.tiktokv.example/v/2/", {"deleted": True}),
        ('$["Likes and Favorites"]["Like List"].ItemFavoriteList[0]', "like", "2024-02-01T07:00:00+07:00", "",
         "https://www.tiktokv.example/v/1/", {}),
    ]


def test_a_section_that_is_not_a_list_and_invalid_json_are_rejected(tmp_path):
    path = tmp_path / "user_data.json"
    path.write_text('{"Activity": {"Like List": {"ItemFavoriteList": {"Date": "x"}}}}', encoding="utf-8")
    assert [(r.locator, r.reason) for r in records(path)] == [
        ('$.Activity["Like List"].ItemFavoriteList', "expected a JSON array, found object")]
    path.write_text('{"Activity": ', encoding="utf-8")
    assert records(path) == [Rejected(str(path), "line=1", "invalid JSON (Expecting value, column 14)")]


def test_recognised_by_name_or_by_its_keys():
    body = b'{"Profile": {"Profile Info": {"ProfileMap": {"userName": "x"}}}}'
    assert detect(Source("z.zip!TikTok/user_data_tiktok.json", lambda: b"{}")) == "tiktok"
    assert detect(Source("unduhan/ekspor.json", lambda: body)) == "tiktok"
    assert detect(Source("unduhan/posts.json", lambda: b'[{"text": "halo"}]')) == "json"


@pytest.mark.parametrize("steps, path", [
    (("data", 3), "$.data[3]"),
    (("Activity", "Like List", "ItemFavoriteList", 3), '$.Activity["Like List"].ItemFavoriteList[3]'),
    (("Your Activity", 'Say "hi"'), '$["Your Activity"]["Say \\"hi\\""]'),
    ((), "$"),
    (("following", "\u2028a\x85b\u2029\nc"), '$.following["\\u2028a\\u0085b\\u2029\\nc"]'),
])
def test_json_path_spelling(steps, path):
    assert json_path(*steps) == path


def test_a_key_with_line_breaks_reads_back_as_itself():
    key = "\u2028a\x85b\u2029\nc"
    spelled = json_path(key)
    assert spelled.splitlines() == [spelled] and json.loads(spelled[2:-1]) == key


def test_a_tiktok_key_word_as_a_value_does_not_make_a_file_tiktok(tmp_path):
    path = tmp_path / "comments.json"
    path.write_text(json.dumps({"comments_v2": ["FavoriteVideoList"]}), encoding="utf-8")
    records = list(read([path]))
    assert [(type(r).__name__, r.locator, r.reason) for r in records] == [
        ("Rejected", "$.comments_v2[0]", "expected a JSON object, found string")]
