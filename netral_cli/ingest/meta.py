"""What the Facebook and Instagram "download your information" exports share.

Meta writes each UTF-8 byte of a string as its own ``\\u00XX`` escape, so after ``json.loads`` "é"
reads "Ã©" and 👍 reads "ð\\x9f\\x91\\x8d". :func:`repair` undoes that, one string at a time, only
where the string really has that shape. The walkers read the three record shapes both exports use
(``label_values``, ``string_map_data``, ``string_list_data``) and post attachments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from netral_cli.ingest import generic, jsondoc
from netral_cli.ingest.base import Adapter
from netral_cli.ingest.generic import GenericOptions, _excerpt
from netral_cli.ingest.jsonstream import recognisable_head
from netral_cli.ingest.jsonpath import json_step
from netral_cli.ingest.sources import Source, decode_text, too_big_to_hold
from netral_cli.ingest.timestamps import parse_timestamp
from netral_cli.items import Item, Rejected, Skipped, new_item

MetaRecord = Item | Rejected | Skipped

# A UTF-8 multi-byte sequence written as latin-1 code points: a lead byte and a continuation byte.
_SEQUENCE = re.compile(r"[\u00c2-\u00f4][\u0080-\u00bf]")
_BEYOND_LATIN1 = re.compile(r"[^\u0000-\u00ff]")


def repair(text: str) -> str:
    """Meta mojibake -> the intended text; any other string is returned unchanged.

    Repaired only when the string has the shape (every character within U+00FF, at least one UTF-8
    sequence) and all of it decodes as UTF-8, so "café" or "Rp 50.000 ©" stay as they are. One
    exception: a string Meta cut inside its last character keeps that broken tail and is repaired
    before it.
    """
    if text.isascii() or _BEYOND_LATIN1.search(text) or not _SEQUENCE.search(text):
        return text
    raw = text.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            return raw[:exc.start].decode("utf-8") + text[exc.start:]
        return text


def repair_all(value: Any) -> Any:
    """Every string in a parsed JSON document repaired, keys included (Instagram localizes keys)."""
    if isinstance(value, str):
        return repair(value)
    if isinstance(value, list):
        return [repair_all(v) for v in value]
    if isinstance(value, jsondoc.Repeated):
        repaired = jsondoc.Repeated({repair(k): repair_all(v) for k, v in value.items()})
        repaired.repeated = tuple(repair(k) for k in value.repeated)
        return repaired
    if isinstance(value, dict):
        return {repair(k): repair_all(v) for k, v in value.items()}
    return value


def load(source: Source) -> Any:
    """The repaired JSON document of a ``.json`` source, or None when it is not JSON."""
    document = parsed(source)
    return document.value if document else None


def parsed(source: Source) -> jsondoc.Document | None:
    """As :func:`load`, with whether any object in the document repeats a key."""
    return _parsed(source.read_bytes()) if source.suffix == ".json" else None


# Both adapters look at the same file one after the other (recognise, then parse): parse it once.
# Keyed by content, so a file rewritten between two runs in one process is read afresh.
@lru_cache(maxsize=2)
def _parsed(data: bytes) -> jsondoc.Document | None:
    try:
        document = jsondoc.parse(decode_text(data))
        return jsondoc.Document(repair_all(document.value), document.repeats)
    except (jsondoc.JSONProblem, RecursionError):  # (a document too deep to repair is left to the generic reader)
        return None


def tail(source: Source) -> str:
    """The file's path inside its export, lower case, with ``/`` separators (folder or zip alike)."""
    return source.name.rsplit("!", 1)[-1].replace("\\", "/").lower()


# Class names of the pages in Meta's HTML export (a saved news page about Facebook has none of them).
_HTML_EXPORT_CLASSES = ("_a706", "_2ph_", "_3-96", "_a6-g", "uiboxwhite")


def html_page(source: Source, export_path: re.Pattern[str], platform: str) -> bool:
    """A page of Meta's HTML export: an HTML file inside the platform's export folders, or whose
    first kilobytes have the export's markup and name the platform."""
    if source.suffix not in (".html", ".htm"):
        return False
    if export_path.search(source.name.lower()):
        return True
    head = source.head(8192).decode("utf-8", errors="ignore").lower()
    return any(c in head for c in _HTML_EXPORT_CLASSES) and platform.lower() in head


def html_reason(platform: str) -> str:
    return (f"{platform} export page in HTML: netral reads only exports in JSON format "
            f"(request your data again from {platform} choosing Format: JSON)")


# --- which export a file belongs to -----------------------------------------------------------

# Folders of the exports (all generations) that hold no activity; names too common for a folder of
# other data ("events/", "pages/") are left out, so a generic file there is still read.
META_FOLDERS = ("personal_information/", "logged_information/", "security_and_login_information/",
                "ads_information/", "apps_and_websites_off_of_", "connections/friends/", "activity_messages/",
                "your_topics/", "profile_information/", "facebook_marketplace/", "saved_items_and_collections/",
                "information_about_you/", "preferences/your_topics", "about_you/", "ads_and_businesses/",
                "apps_and_websites/", "following_and_followers/", "payment_history/", "search_history/",
                "your_places/", "other_activity/", "facebook_gaming/", "facebook_payments/",
                "login_and_account_creation/", "account_information/", "past_instagram_insights/",
                "recent_searches/", "story_sticker_interactions/")
INSTAGRAM_EXPORT = re.compile(r"(^|[/!\\])(instagram-[^/!\\]*[/!\\]|your_instagram_activity/)")
_INSTAGRAM_KEYS = ("string_map_data", "string_list_data", "media_list_data")
_INSTAGRAM_PREFIXES = ("relationships_", "likes_", "comments_", "ig_", "profile_", "account_", "saved_",
                       "story_activities_", "inbox_", "searches_", "ads_", "topics_")


def in_meta_folder(source: Source) -> bool:
    return any(folder in tail(source) for folder in META_FOLDERS)


def is_instagram_name(source: Source) -> bool:
    """The path is inside an Instagram export (``instagram-siti-2024…zip!…``, ``your_instagram_activity/``)."""
    return bool(INSTAGRAM_EXPORT.search(source.name.lower()))


# No recogniser of either export reads more than the first entries of an array.
RECOGNISED_BY = 20


def large_head(source: Source) -> bytes | None:
    """A ``.json`` file the generic reader streams (over its ``STREAM_JSON_ABOVE``), as the JSON of what the
    recognisers look at (:func:`~netral_cli.ingest.jsonstream.recognisable_head`: every array cut to its first
    :data:`RECOGNISED_BY` entries); None for any other file, or when that is not valid JSON."""
    if source.suffix != ".json" or (source.size or 0) <= generic.STREAM_JSON_ABOVE:
        return None
    if not (_last_head and _last_head[0][0] is source):
        head = recognisable_head(source, RECOGNISED_BY)
        _last_head[:] = [(source, None if head is None else json.dumps(head).encode())]
    return _last_head[0][1]


# The last source's head. Both adapters look at the same Source (an object is read to its end once); a file read
# again later is a new Source, so a file rewritten in between is read afresh.
_last_head: list[tuple[Source, bytes | None]] = []


def instagram_shaped(document: Any) -> bool:
    """Instagram's record shapes (``string_map_data``…) or its top-level key prefixes."""
    if isinstance(document, dict):
        if document and all(k.startswith(_INSTAGRAM_PREFIXES) for k in document):
            return True
        entries = next((v for v in document.values() if isinstance(v, list)), [])
    else:
        entries = document if isinstance(document, list) else []
    return any(isinstance(e, dict) and any(k in e for k in _INSTAGRAM_KEYS) for e in entries[:RECOGNISED_BY])


def is_conversation(document: Any) -> bool:
    """A Messenger or Instagram direct-message thread (``participants`` and ``messages``)."""
    return isinstance(document, dict) and isinstance(document.get("participants"), list) \
        and isinstance(document.get("messages"), list)


# --- JSON paths -------------------------------------------------------------------------------

def child(path: str, key: str | int) -> str:
    """``$.a`` + 3 -> ``$.a[3]``; ``$`` + ``b`` -> ``$.b``; keys that are not identifiers in brackets."""
    return path + json_step(key)


excerpt = _excerpt  # one way to quote a record in every reader


# --- values -----------------------------------------------------------------------------------


def text_of(value: Any) -> str:
    """A string field, stripped; anything else (missing, number, list) -> ''."""
    return value.strip() if isinstance(value, str) else ""


def when(value: Any, options: GenericOptions) -> datetime | None:
    """Epoch seconds (Meta's ``timestamp``/``creation_timestamp``) -> aware datetime; 0 means unknown.

    ValueError for a value that is not a time at all.
    """
    if value in (None, 0, ""):
        return None
    if isinstance(value, (dict, list)):
        raise ValueError(f"not a timestamp: {excerpt(value, 40)}")
    return parse_timestamp(value, options.tz)


def first_text(values: Iterable[Any]) -> str:
    return next((t for t in (text_of(v) for v in values) if t), "")


def join_distinct(parts: Iterable[str]) -> str:
    """Non-empty parts, each once, in order; a part already contained in an earlier one is dropped."""
    kept: list[str] = []
    for part in parts:
        if part and not any(part in earlier for earlier in kept):
            kept.append(part)
    return "\n".join(kept)


# --- the shared record shapes -------------------------------------------------------------------


def label_values(entries: Any, prefix: str = "") -> dict[str, dict[str, Any]]:
    """``[{"label": "URL", "value": …, "href": …}, {"title": "Owner", "dict": [{"dict": [...]}]}]`` ->
    ``{"URL": {...}, "Owner.Username": {...}}``; the first occurrence of a label wins."""
    found: dict[str, dict[str, Any]] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        if "label" in entry:
            found.setdefault(f"{prefix}{text_of(entry['label'])}", entry)
        nested = entry.get("dict")
        if isinstance(nested, list):
            title = text_of(entry.get("title"))
            inner_prefix = f"{prefix}{title}." if title else prefix
            for part in nested:
                inner = part.get("dict") if isinstance(part, dict) and "dict" in part else [part]
                for label, value in label_values(inner, inner_prefix).items():
                    found.setdefault(label, value)
    return found


def labelled(values: Mapping[str, Mapping[str, Any]], names: Iterable[str]) -> str:
    """The first non-empty ``value`` among ``names`` (compared case-insensitively, nested labels by their last part)."""
    by_name: dict[str, str] = {}
    for label, entry in values.items():
        value = text_of(entry.get("value"))
        if value:
            by_name.setdefault(label.lower(), value)
            by_name.setdefault(label.rsplit(".", 1)[-1].lower(), value)
    return next((by_name[n.lower()] for n in names if n.lower() in by_name), "")


_USERNAME = re.compile(r"^[A-Za-z0-9._]{1,30}$")


@dataclass(frozen=True)
class MapFields:
    """What one ``string_map_data`` record says, its localized keys resolved."""

    text: str
    owner: str
    timestamp: Any
    href: str


def string_map_data(mapping: Mapping[str, Any], text_labels: Iterable[str], owner_labels: Iterable[str],
                    time_labels: Iterable[str]) -> MapFields:
    """Resolve ``{"Comment": {"value"}, "Media Owner": {"value"}, "Time": {"timestamp"}}`` in any language.

    Known labels first; then by value type: the time is the entry carrying a ``timestamp``, the owner
    an unclaimed value shaped like a username, the text the remaining value.
    """
    fields = {k: v for k, v in mapping.items() if isinstance(v, dict)}

    def pick(labels: Iterable[str]) -> str | None:
        folded = {k.lower(): k for k in fields}
        return next((folded[label.lower()] for label in labels if label.lower() in folded), None)

    text_key, owner_key, time_key = pick(text_labels), pick(owner_labels), pick(time_labels)
    if time_key is None:
        time_key = next((k for k, v in fields.items() if v.get("timestamp") and not text_of(v.get("value"))), None)
    unclaimed = [k for k, v in fields.items() if k not in (text_key, owner_key, time_key) and text_of(v.get("value"))]
    if owner_key is None:
        shaped = [k for k in unclaimed if _USERNAME.match(text_of(fields[k]["value"]))]
        # Two unknown values: Meta lists the comment before the owner, so the owner is the last username.
        if shaped and (text_key is not None or len(unclaimed) > 1):
            owner_key = shaped[-1]
            unclaimed.remove(owner_key)
    if text_key is None and unclaimed:
        text_key = unclaimed[0]
    timestamp = fields[time_key].get("timestamp") if time_key else None
    if not timestamp:
        timestamp = next((v.get("timestamp") for v in fields.values() if v.get("timestamp")), None)
    return MapFields(text=text_of(fields[text_key].get("value")) if text_key else "",
                     owner=text_of(fields[owner_key].get("value")) if owner_key else "",
                     timestamp=timestamp,
                     href=next((text_of(v.get("href")) for v in fields.values() if text_of(v.get("href"))), ""))


def string_list_data(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``string_list_data`` objects of an entry (non-objects dropped)."""
    values = entry.get("string_list_data")
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []


@dataclass(frozen=True)
class Attachments:
    """What a post's or comment's ``attachments`` hold: texts worth scanning, links, media files."""

    texts: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    media: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


# Albums Facebook names itself: their title says nothing the user wrote (a user-named album does).
SYSTEM_ALBUMS = frozenset({
    "mobile uploads", "foto seluler", "unggahan seluler", "timeline photos", "foto kronologi",
    "profile pictures", "foto profil", "cover photos", "foto sampul", "untitled album", "album tanpa judul",
    "instagram photos", "foto instagram", "videos", "video", "photos", "foto", "featured", "unggulan",
})


def media_title(value: Any) -> str:
    """A photo's or video's title, unless it is the name of an album Facebook made itself."""
    title = text_of(value)
    return "" if title.strip().lower() in SYSTEM_ALBUMS else title


def attachments(value: Any) -> Attachments:
    """Walk ``attachments[].data[]``: media titles/descriptions, external_context names and URLs,
    poll questions and options, place and event names, free ``text``."""
    texts: list[str] = []
    urls: list[str] = []
    media: list[str] = []
    places: list[str] = []
    for block in value if isinstance(value, list) else []:
        for data in block.get("data", []) if isinstance(block, dict) and isinstance(block.get("data"), list) else []:
            if not isinstance(data, dict):
                continue
            item = data.get("media")
            if isinstance(item, dict):
                media.append(text_of(item.get("uri")))
                texts += [text_of(item.get("description")), media_title(item.get("title"))]
            context = data.get("external_context")
            if isinstance(context, dict):
                urls.append(text_of(context.get("url")))
                texts.append(text_of(context.get("name")))
            poll = data.get("poll")
            if isinstance(poll, dict):
                texts.append(text_of(poll.get("question")))
                texts += [text_of(o.get("option")) for o in poll.get("options", []) if isinstance(o, dict)]
            for key in ("place", "event", "fundraiser"):
                if isinstance(data.get(key), dict):
                    places.append(text_of(data[key].get("name") or data[key].get("title")))
            texts.append(text_of(data.get("text")))
    return Attachments(tuple(t for t in texts if t), tuple(u for u in urls if u), tuple(m for m in media if m),
                       tuple(p for p in places if p))


# --- building records ---------------------------------------------------------------------------


# Meta names a download after its owner: facebook-budi.santoso-20_01_2024-Xk3pQ9.zip,
# instagram-siti.rahma-2024-01-20-AbCdEf (a zip, or the folder it unpacks to).
_EXPORT_ROOT = re.compile(r"^(?:facebook|instagram)-(?P<owner>[A-Za-z0-9._]+)-"
                          r"(?:\d{1,2}_\d{1,2}_\d{4}|\d{4}-\d{2}-\d{2}|\d{8})-[A-Za-z0-9]+(?:\.zip)?$", re.IGNORECASE)


def export_owner(source_name: str) -> str | None:
    """The account a Meta export belongs to, from the name of its zip or folder: every record in it is
    that account's own activity, so it is the items' ``account`` when the record names none."""
    for part in re.split(r"[/!\\]", source_name):
        found = _EXPORT_ROOT.match(part)
        if found:
            return found["owner"]
    return None


@dataclass(frozen=True)
class Context:
    """The file being read and how: platform name, source and options."""

    platform: str
    source: Source
    options: GenericOptions
    repeats: bool = False  # some object of the document repeats a key: check each entry

    def item(self, locator: str, raw: Any, *, kind: str, text: str = "", timestamp: Any = None,
             author: str | None = None, account: str | None = None, target: str | None = None,
             group: str | None = None, extras: dict[str, Any] | None = None) -> Item | Rejected:
        """An item, or a Rejected when its timestamp is unreadable."""
        try:
            moment = when(timestamp, self.options)
        except ValueError as exc:
            return self.reject(locator, str(exc), raw)
        return new_item(platform=self.platform, kind=kind, text=text, source_file=self.source.name,
                        locator=locator, author=author or None, account=account or export_owner(self.source.name),
                        timestamp=moment,
                        target=target or None, group=group or None,
                        extras={k: v for k, v in (extras or {}).items() if v not in (None, "", [], ())})

    def reject(self, locator: str, reason: str, raw: Any) -> Rejected:
        return Rejected(self.source.name, locator, reason, excerpt(raw))


EntryReader = Callable[[Context, str, Any], Iterator[Item | Rejected]]


def read_entries(context: Context, path: str, entries: Any, reader: EntryReader,
                 expected: type = dict) -> Iterator[Item | Rejected]:
    """Each entry of a list through ``reader``; an entry of the wrong JSON type is Rejected at its locator."""
    if not isinstance(entries, list):
        yield context.reject(path, f"expected a JSON array, found {json_type(entries)}", entries)
        return
    for index, entry in enumerate(entries):
        locator = child(path, index)
        if not isinstance(entry, expected):
            yield context.reject(locator, f"expected a JSON {json_type(expected())}, found {json_type(entry)}", entry)
            continue
        problem = jsondoc.record_problem(entry) if context.repeats else None
        if problem:
            yield context.reject(locator, problem, entry)
            continue
        yield from reader(context, locator, entry)


json_type = jsondoc.json_type


def invalid_json(source: Source) -> Rejected | None:
    """The Rejected for a file that is not valid JSON (None if it is)."""
    try:
        jsondoc.loads(source.read_text())
    except jsondoc.JSONProblem as exc:
        return Rejected(source.name, exc.locator, exc.reason)
    return None


# --- the adapter around a plan ------------------------------------------------------------------

FileReader = Callable[[Context], Iterator[Item | Rejected]]
Plan = FileReader | Skipped


def make_adapter(platform: str, plan: Callable[[Source], Plan | None]) -> Adapter:
    """An Adapter from ``plan(source)``: how to read a file of the export, a Skipped for a file of the
    export without activity, or None for a file that is not the platform's."""
    @lru_cache(maxsize=2)
    def cached_plan(name: str, data: bytes) -> Plan | None:
        return plan(Source(name, lambda: data))

    def planned(source: Source) -> Plan | None:
        if source.suffix not in (".json", ".html", ".htm") or too_big_to_hold(source):  # media: not even read
            return None  # (and a file too big to parse whole goes to the streaming generic readers)
        head = large_head(source)
        if head is not None and cached_plan(source.name, head) is None:
            return None  # a scraper's large file: its head is not the export's, so it is not parsed whole
        return cached_plan(source.name, source.read_bytes())

    def recognise(source: Source) -> bool:
        return planned(source) is not None

    def parse(source: Source, options: GenericOptions) -> Iterator[MetaRecord]:
        found = planned(source)
        if found is None:
            broken = invalid_json(source) if source.suffix == ".json" else None
            found = broken or Skipped(source.name, f"not recognised as {platform.title()} export data")
        if isinstance(found, (Skipped, Rejected)):
            yield found
            return
        document = parsed(source)
        if document and isinstance(document.value, jsondoc.Repeated):  # which of its sections is meant?
            yield Rejected(source.name, "$", jsondoc.repeated_reason(document.value), excerpt(list(document.value)))
            return
        yield from found(Context(platform, source, options, bool(document and document.repeats)))

    return Adapter(name=platform, recognise=recognise, parse=parse)
