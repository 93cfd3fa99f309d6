"""Hostile JSON for every JSON reader: Facebook (four layout generations), Instagram (2018-2025), TikTok
(both generations) and generic JSON, each mutated from a valid fixture: truncated, damaged, re-encoded,
values of the wrong type, deep nesting, repeated keys, huge values, empty documents."""

from __future__ import annotations

import functools
import io
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import (ENCODINGS, HOSTILE_VALUES, cli_ingest, damaged, encoded, items, json_paths, locators,
                     records_or_error, rejected, replaced, truncated, within)
from netral_cli.ingest.jsonpath import json_path
from netral_cli.items import Item, Rejected, Skipped

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"
# One file per layout generation and record shape (the path under FIXTURES decides recognition).
FILES = (
    "facebook/classic/posts/your_posts_1.json",
    "facebook/v2_2022/comments_and_reactions/comments.json",
    "facebook/v2_2022/photos_and_videos/album/0.json",
    "facebook/activity_across_2023/your_activity_across_facebook/groups/group_posts_and_comments.json",
    "facebook/facebook_activity_2024/your_facebook_activity/comments_and_reactions/likes_and_reactions.json",
    "instagram/2018/media.json",
    "instagram/2018/connections.json",
    "instagram/2024/your_instagram_activity/comments/post_comments_1.json",
    "instagram/2025/your_instagram_activity/likes/liked_posts.json",
    "tiktok/old/user_data.json",
    "tiktok/new/user_data_tiktok.json",
    "generic/wrapped.json",
)
EXAMPLES = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def write(name: str, data: bytes, root: Path) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def read_bytes(name: str, data: bytes) -> list:
    """The records of ``data`` saved under the fixture's own relative path (which decides its reader)."""
    with tempfile.TemporaryDirectory() as root:
        return records_or_error(write(name, data, Path(root)))


def view(found: list) -> list[dict]:
    """Items without what depends on where the file was written."""
    return [{k: v for k, v in item.items() if k not in ("item_id", "source_file")} for item in items(found)]


def entry(locator: str) -> str:
    """The entry of the export an item comes from: ``$.a[1]`` for ``$.a[1].string_list_data[0]``."""
    found = re.match(r"^.*?\[\d+\]", locator)
    return found.group() if found else locator


def platforms(found: list) -> set[str]:
    return {r.platform for r in found if isinstance(r, Item)}


ORIGINAL = {name: (FIXTURES / name).read_bytes() for name in FILES}


@functools.lru_cache(maxsize=None)
def original(name: str) -> list:
    return read_bytes(name, ORIGINAL[name])


def test_every_fixture_reads_cleanly():
    for name, data in ORIGINAL.items():
        found = read_bytes(name, data)
        assert items(found), name


@pytest.mark.parametrize("name", FILES)
@EXAMPLES
@given(data=st.data())
def test_truncated_files_are_rejected_naming_the_file(name, data):
    original = ORIGINAL[name]
    cut = data.draw(truncated(original))
    found = read_bytes(name, cut)
    if cut != original and cut.strip():
        # a JSON document cut short is not JSON: one rejection (or a skip), never a partial read
        assert not any(isinstance(r, Item) for r in found) or cut.rstrip() == original.rstrip()


@pytest.mark.parametrize("name", FILES)
@EXAMPLES
@given(data=st.data())
def test_damaged_bytes_never_crash(name, data):
    read_bytes(name, data.draw(damaged(ORIGINAL[name])))


@pytest.mark.parametrize("key", ["\u2028puskesmas.mekarsari", "a\x85b", "c\u2029", "d\ne"])
def test_a_key_holding_a_line_break_stays_one_line_in_its_locator(key):
    """Found by the test above: json.dumps leaves U+2028, U+2029 and U+0085 unescaped."""
    document = {"followers": {}, "following": {key: "3018-10-03T00:00:00"}}  # out of range: rejected, with a locator
    found = read_bytes("instagram/2018/connections.json", json.dumps(document, ensure_ascii=False).encode())
    (rejected,) = [r for r in found if isinstance(r, Rejected)]
    assert json.loads(rejected.locator[len("$.following["):-1]) == key


@pytest.mark.parametrize("name", FILES)
@EXAMPLES
@given(data=st.data())
def test_a_wrong_value_anywhere_touches_only_its_own_record(name, data):
    """Any value replaced by one of the wrong type or range: the other records come back unchanged."""
    document = json.loads(ORIGINAL[name])
    path = data.draw(st.sampled_from(json_paths(document)))
    value = data.draw(st.sampled_from(HOSTILE_VALUES))
    before = original(name)
    after = read_bytes(name, json.dumps(replaced(document, path, value)).encode())
    if platforms(after) != platforms(before) or path[:1] == ("Profile",):  # read as another format / the owner
        return
    changed = json_path(*path)
    untouched = [r for r in view(before) if not (within(entry(r["locator"]), changed)
                                                 or within(changed, entry(r["locator"])))]
    assert all(r in view(after) for r in untouched), (path, value)


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_re_encoded_files_give_the_same_items(name, encoding):
    text = ORIGINAL[name].decode("utf-8")
    try:
        data = encoded(text, encoding)
    except UnicodeEncodeError:
        pytest.skip("text not representable in cp1252")
    assert view(read_bytes(name, data)) == view(original(name))


# --- one nasty document at a time -------------------------------------------------------------------

NAMES = ("facebook/v2_2022/comments_and_reactions/comments.json", "instagram/2018/media.json",
         "tiktok/new/user_data_tiktok.json", "generic/array.json")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("depth", [100_000, 5_000, 990, 400])
def test_deeply_nested_document_is_rejected_not_a_crash(name, depth):
    data = b"[" * depth + b"]" * depth
    found = read_bytes(name, data)
    assert not items(found)
    code, _, errors = cli_ingest_bytes(name, data)
    assert code == 0


@pytest.mark.parametrize("depth", [100_000, 990, 300])
def test_deeply_nested_value_in_one_record_rejects_that_record(depth):
    nested = "[" * depth + "]" * depth
    data = ('[{"text": "Ayo ke TPS", "date": "2024-02-14"}, {"text": "dalam", "extra": ' + nested + "}]").encode()
    found = read_bytes("generic/array.json", data)
    if depth > 900:  # beyond what the JSON parser takes: the file is one rejection
        assert rejected(found) == [("$", "JSON nested too deeply")]
    else:
        assert [i["text"] for i in items(found)] == ["Ayo ke TPS"]
        assert rejected(found) == [("$[1]", "JSON nested too deeply")]


def cli_ingest_bytes(name: str, data: bytes) -> tuple[int, list, list[str]]:
    with tempfile.TemporaryDirectory() as root:
        return cli_ingest(write(name, data, Path(root)))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00\x00\x00"])
def test_empty_file_is_skipped(name, content):
    found = read_bytes(name, content)
    assert [(type(r), r.reason) for r in found] == [(Skipped, "empty file: no records")]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("content", [b"[]", b"{}", b"null", b"0", b'""', b"[null]", b"[[]]", b"[{}]"])
def test_empty_or_scalar_document_never_crashes(name, content):
    found = read_bytes(name, content)
    assert not items(found)
    code, written, _ = cli_ingest_bytes(name, content)
    assert (code, written) == (0, [])


def test_repeated_key_rejects_the_record_and_names_the_key():
    data = ('[{"text": "Ayo ke TPS"}, {"text": "Pilih nomor 1", "text": "Pilih nomor 2"},'
            ' {"text": "ok", "user": {"name": "A", "name": "B"}}]').encode()
    found = read_bytes("generic/array.json", data)
    assert [i["text"] for i in items(found)] == ["Ayo ke TPS"]
    assert rejected(found) == [
        ("$[1]", "JSON object repeats the key 'text' (two readers would read different values)"),
        ("$[2]", "JSON object repeats the key 'name' (two readers would read different values)"),
    ]


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("generic/wrapped.json", b'{"data": [{"text": "a"}], "data": [{"text": "b"}]}', "$"),
    ("facebook/v2_2022/comments_and_reactions/comments.json",
     b'{"comments_v2": [{"timestamp": 1707800000, "data": [{"comment": {"comment": "a"}}]}],'
     b' "comments_v2": []}', "$"),
    ("tiktok/new/user_data_tiktok.json",
     b'{"Post": {"Posts": {"VideoList": [{"Link": "https://t.example/1"}]}}, "Post": {}}', "$"),
])
def test_repeated_key_above_the_records_rejects_the_file(name, data, expected):
    found = read_bytes(name, data)
    assert not items(found)
    assert [locator for locator, _ in rejected(found)] == [expected]
    assert "repeats the key" in rejected(found)[0][1]


@pytest.mark.parametrize(("name", "data", "locator"), [
    ("facebook/v2_2022/comments_and_reactions/comments.json",
     b'{"comments_v2": [{"timestamp": 1707800000, "data": [{"comment": {"comment": "a", "comment": "b"}}]},'
     b' {"timestamp": 1707800000, "data": [{"comment": {"comment": "c"}}]}]}', "$.comments_v2[0]"),
    ("instagram/2024/your_instagram_activity/comments/post_comments_1.json",
     b'[{"string_map_data": {"Comment": {"value": "a"}, "Comment": {"value": "b"}}},'
     b' {"string_map_data": {"Comment": {"value": "c"}}}]', "$[0]"),
    ("tiktok/new/user_data_tiktok.json",
     b'{"Post": {"Posts": {"VideoList": [{"Link": "https://t.example/1", "Link": "https://t.example/2"},'
     b' {"Link": "https://t.example/3"}]}}}', '$.Post.Posts.VideoList[0]'),
])
def test_repeated_key_in_a_platform_record(name, data, locator):
    found = read_bytes(name, data)
    assert len(items(found)) == 1
    assert [loc for loc, _ in rejected(found)] == [locator]


@pytest.mark.parametrize("name", NAMES)
def test_non_finite_and_huge_numbers(name):
    """NaN, Infinity and 1e400 (which Python's json writes and reads) and a 5000-digit integer: no crash,
    and nothing written that is not strict JSON (checked in ``records``)."""
    data = b'[{"text": NaN, "date": Infinity, "n": -Infinity, "f": 1e400, "i": ' + b"7" * 5000 + b"}]"
    read_bytes(name, data)
    code, _, _ = cli_ingest_bytes(name, data)
    assert code == 0


def test_non_finite_numbers_are_kept_as_written():
    data = b'[{"text": "Ayo", "likes": NaN, "shares": 1e400, "views": ' + b"7" * 5000 + b"}]"
    (item,) = items(read_bytes("generic/array.json", data))
    assert item["extras"] == {"likes": "NaN", "shares": "1e400", "views": "7" * 5000}


@pytest.mark.parametrize("field", ["text", "date", "author"])
def test_a_million_character_value(field):
    big = "kampanye " * 120_000
    data = json.dumps([{"text": "Ayo", "date": "2024-02-14", "author": "Budi", field: big}]).encode()
    found = read_bytes("generic/array.json", data)
    assert len(found) == 1
    if field == "date":
        assert isinstance(found[0], Rejected) and len(found[0].reason) < 400
    else:
        assert items(found)[0][field] == big.strip()


@pytest.mark.parametrize("value", [None, True, -1, 1.5e300, "99999-01-01", "9999-12-31T23:59:59-12:00",
                                   "0001-01-01T00:00:00+14:00", [2024, 2, 14], {"t": 1}, "31/02/2024"])
@pytest.mark.parametrize("name", ["generic/array.json", "tiktok/new/user_data_tiktok.json",
                                  "facebook/v2_2022/comments_and_reactions/comments.json"])
def test_wrong_timestamps_are_rejected_or_missing(name, value):
    """A timestamp of the wrong type or out of range rejects its record; null is a missing time."""
    record = {"text": "Ayo", "Link": "https://t.example/1", "date": value, "Date": value, "timestamp": value,
              "data": [{"comment": {"comment": "Ayo"}}]}
    document = {"Post": {"Posts": {"VideoList": [record]}}} if name.startswith("tiktok") else \
        {"comments_v2": [record]} if name.startswith("facebook") else [record]
    found = read_bytes(name, json.dumps(document).encode())
    assert len(locators(found)) == 1
    if value is None:
        assert items(found)[0]["timestamp"] is None
    elif items(found):  # accepted: no time (a list or object is not read as one) or a real one in 1970-2099
        timestamp = items(found)[0]["timestamp"]
        assert timestamp is None or "1970" <= timestamp[:4] < "2100"


# --- whole exports, as a folder and as the zip Meta sends -------------------------------------------------

LAYOUTS = ("facebook/classic", "facebook/v2_2022", "facebook/activity_across_2023", "facebook/facebook_activity_2024",
           "instagram/2018", "instagram/2021", "instagram/2024", "instagram/2025", "instagram/judge/ig_2025")


def zipped(folder: Path, damage: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            archive.writestr(name, (damage or {}).get(name, path.read_bytes()))
    return buffer.getvalue()


def by_entry(found: list, prefix: str) -> list[tuple]:
    """(path inside the export, locator, kind, text, timestamp) of every item and rejected record."""
    return [(r.source_file[len(prefix):].replace("\\", "/"), r.locator, getattr(r, "kind", "rejected"),
             getattr(r, "text", r.reason if isinstance(r, Rejected) else ""), str(getattr(r, "timestamp", "")))
            for r in found if isinstance(r, (Item, Rejected))]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_export_reads_the_same_as_a_folder_and_as_a_zip_with_one_entry_damaged(layout, tmp_path):
    """The zip gives what the folder gives; cutting one of its entries in half changes only that entry."""
    folder = FIXTURES / layout
    as_folder = by_entry(records_or_error(folder), f"{folder}{os.sep}")
    (tmp_path / "export.zip").write_bytes(zipped(folder))
    assert by_entry(records_or_error(tmp_path / "export.zip"), f"{tmp_path / 'export.zip'}!") == as_folder
    victim = next(r[0] for r in as_folder if r[2] != "rejected")
    damaged_zip = zipped(folder, {victim: (folder / victim).read_bytes()[: (folder / victim).stat().st_size // 2]})
    (tmp_path / "damaged.zip").write_bytes(damaged_zip)
    found = by_entry(records_or_error(tmp_path / "damaged.zip"), f"{tmp_path / 'damaged.zip'}!")
    assert [r for r in found if r[0] != victim] == [r for r in as_folder if r[0] != victim]
    (cut,) = [r for r in found if r[0] == victim]  # one rejection naming the entry and the line
    assert cut[1].startswith("line=") and cut[2] == "rejected" and cut[3].startswith("invalid JSON (")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                              lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                                          max_size=4)).map(json.dumps),
                 st.text(max_size=40), st.text(max_size=40).map(lambda t: "\ufeff" + t)))
def test_the_shared_decoder_reads_and_refuses_what_json_loads_does(text):
    from netral_cli.ingest import jsondoc

    try:
        expected = json.loads(text, parse_constant=str)
    except json.JSONDecodeError as exc:
        with pytest.raises(jsondoc.JSONProblem) as refused:
            jsondoc.loads(text)
        assert refused.value.reason == f"invalid JSON ({exc.msg}, column {exc.colno})"
        return
    except ValueError:  # an integer beyond the digit limit: read by the wide decoder instead
        return
    value = jsondoc.loads(text)
    assert json.dumps(value, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert jsondoc.parse(text).repeats is False
