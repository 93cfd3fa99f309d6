"""TikTok "Download your data" JSON (``user_data.json``, 2024+ ``user_data_tiktok.json``) -> items.

Read: own videos (``video``, also recently deleted ones with ``extras["deleted"]``), own comments
(``comment``), liked videos (``like``), favourite videos (``favourite``), followed accounts (``follow``)
and shares (``share``). Both key generations are tried at every level (``Activity`` / ``Your Activity``
/ ``Likes and Favorites``, ``Video > Videos`` / ``Post > Posts``, ``Following List`` / ``Following``),
and item fields are read case-insensitively (``Date``/``date``, ``Link``/``link``/``VideoLink``).
``null`` lists are empty; ``"N/A"`` and ``""`` are missing values.

Dates (``2024-01-20 19:30:12``) carry no zone; they are read as **UTC**, as TikTok exports are
generally taken to be, and shown in ``--tz``. Locators are JSON paths:
``$["Your Activity"]["Like List"].ItemFavoriteList[3]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from netral_cli.ingest.base import Adapter, Record
from netral_cli.ingest import jsondoc
from netral_cli.ingest.generic import GenericOptions, _excerpt
from netral_cli.ingest.jsonpath import json_path
from netral_cli.ingest.sources import Source, too_big_reason, too_big_to_hold
from netral_cli.ingest.timestamps import parse_timestamp, zone
from netral_cli.items import Rejected, Skipped, new_item

PLATFORM = "tiktok"
FILE_NAMES = ("user_data_tiktok.json", "user_data.json")
_MISSING = ("", "N/A", "n/a", None)
# Keys only TikTok exports use, as keys (followed by a colon): the same word as a value says nothing.
_DISTINCTIVE_KEYS = re.compile(rb'"(?:ItemFavoriteList|FavoriteVideoList|ProfileMap|CommentsList)"\s*:')
_ACTIVITY = ("Activity", "Your Activity")
_LIKES = (*_ACTIVITY, "Likes and Favorites")


@dataclass(frozen=True)
class Section:
    """One list in the export: its kind, where it may be (first existing path wins) and its fields."""

    kind: str
    paths: tuple[tuple[str, ...], ...]
    text: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    deleted: bool = False


SECTIONS = (
    Section("video", (("Post", "Posts", "VideoList"), ("Video", "Videos", "VideoList")),
            text=("Title", "Desc", "Description"), target=("Link", "VideoLink")),
    Section("video", (("Post", "Recently Deleted Posts", "PostList"),),
            text=("Title", "Desc", "Description"), target=("Link", "VideoLink"), deleted=True),
    Section("comment", (("Comment", "Comments", "CommentsList"),), text=("Comment",), target=("url", "Link")),
    Section("like", tuple((root, "Like List", "ItemFavoriteList") for root in _LIKES), target=("Link", "VideoLink")),
    Section("favourite", tuple((root, "Favorite Videos", "FavoriteVideoList") for root in _LIKES),
            target=("Link", "VideoLink")),
    Section("follow", tuple((root, name, "Following") for root in _ACTIVITY for name in ("Following List", "Following")),
            target=("UserName", "Username")),
    Section("share", tuple((root, "Share History", "ShareHistoryList") for root in _ACTIVITY), target=("Link",)),
)
_PROFILE_PATHS = (("Profile", "Profile Info", "ProfileMap"), ("Profile", "Profile Information", "ProfileMap"))


def recognise(source: Source) -> bool:
    """By file name, or a ``.json`` whose beginning has keys only TikTok exports use."""
    if source.filename.lower() in FILE_NAMES:
        return True
    return source.suffix == ".json" and _DISTINCTIVE_KEYS.search(source.head(65536)) is not None


def _get(document: Any, path: tuple[str, ...]) -> tuple[bool, Any]:
    """(found, value) at ``path``; a key present with ``null`` counts as found."""
    node = document
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return False, None
        node = node[key]
    return True, node


def _field(record: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    """The first present value among ``names``, compared case-insensitively; ``N/A`` and empty are missing."""
    folded = {str(k).lower(): v for k, v in record.items()}
    for name in names:
        value = folded.get(name.lower())
        if value not in _MISSING and not isinstance(value, (list, dict)):
            return str(value).strip() or None
    return None


def parse(source: Source, options: GenericOptions) -> Iterator[Record | Skipped]:
    if too_big_to_hold(source):
        yield Skipped(source.name, too_big_reason(source), refused=True)
        return
    try:
        parsed = jsondoc.parse(source.read_text())
    except jsondoc.JSONProblem as exc:
        yield Rejected(source.name, exc.locator, exc.reason)
        return
    document = parsed.value
    if isinstance(document, jsondoc.Repeated):  # which of its sections is meant?
        yield Rejected(source.name, "$", jsondoc.repeated_reason(document), _excerpt(list(document)))
        return
    profile = next((value for found, value in (_get(document, p) for p in _PROFILE_PATHS) if found), None)
    profile = profile if isinstance(profile, Mapping) else {}
    account, author = _field(profile, ("userName",)), _field(profile, ("displayName",))
    refused: set[str] = set()
    for section in SECTIONS:
        for path in section.paths:
            found, records = _get(document, path)
            if not found:
                continue
            repeated = _repeated_above(document, path) if parsed.repeats else None
            if repeated is None:
                yield from _read_section(section, path, records, source, options, account, author)
            elif repeated[0] not in refused:  # sections below an object that repeats a key: which one is meant?
                refused.add(repeated[0])
                yield Rejected(source.name, *repeated)
            break


def _repeated_above(document: Any, path: tuple[str, ...]) -> tuple[str, str] | None:
    """(locator, reason) of the first object on ``path`` that repeats a key."""
    node = document
    for depth in range(len(path)):
        if isinstance(node, jsondoc.Repeated):
            return json_path(*path[:depth]), jsondoc.repeated_reason(node)
        node = node[path[depth]]
    return None


def _read_section(section: Section, path: tuple[str, ...], records: Any, source: Source, options: GenericOptions,
                  account: str | None, author: str | None) -> Iterator[Record]:
    if records is None:
        return
    if not isinstance(records, list):
        yield Rejected(source.name, json_path(*path), f"expected a JSON array, found {jsondoc.json_type(records)}")
        return
    for index, record in enumerate(records):
        locator = json_path(*path, index)
        excerpt = _excerpt(record)
        if not isinstance(record, Mapping):
            yield Rejected(source.name, locator, f"expected a JSON object, found {jsondoc.json_type(record)}", excerpt)
            continue
        problem = jsondoc.record_problem(record)
        if problem:
            yield Rejected(source.name, locator, problem, excerpt)
            continue
        text, target = _field(record, section.text) or "", _field(record, section.target)
        if not text and not target:
            yield Rejected(source.name, locator, "no text, target or group: nothing to scan", excerpt)
            continue
        raw_date = _field(record, ("Date",))
        try:
            timestamp = parse_timestamp(raw_date, "UTC")
        except ValueError as exc:
            yield Rejected(source.name, locator, f"{exc} in field 'Date'", excerpt)
            continue
        used = {n.lower() for n in (*section.text, *section.target, "Date")}
        extras: dict[str, Any] = {k: v for k, v in record.items()
                                  if k.lower() not in used and v not in _MISSING and v != []}
        if section.deleted:
            extras["deleted"] = True
        yield new_item(platform=PLATFORM, kind=section.kind, text=text, source_file=source.name, locator=locator,
                       author=author, account=account,
                       timestamp=timestamp.astimezone(zone(options.tz)) if timestamp else None,
                       target=target, extras=extras)


ADAPTER = Adapter(name="tiktok", recognise=recognise, parse=parse)
