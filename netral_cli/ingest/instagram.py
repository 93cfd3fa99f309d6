"""Instagram data export (JSON) -> items, from the 2018 flat files to the 2025 ``label_values`` form.

- posts, reels, stories and archived posts: ``post``; text = the caption(s).
- comments on posts and reels: ``comment``; ``target`` = the media owner. The keys of
  ``string_map_data`` follow the account language ("Comment"/"Komentar"/"Opmerking"…): known labels
  first, then by value type (see :func:`meta.string_map_data`).
- liked posts, comments and stories: ``reaction``; ``target`` = the owner (else the post URL), the URL
  in ``extras``; in the 2025 form the liked caption is the text, as Facebook's title is for a reaction.
- accounts followed: ``follow`` with the username as ``target`` (from ``title``, ``value`` or, when both are
  empty, the profile link ``instagram.com/_u/<username>``).

2018 exports wrote times as ISO text without an offset; they are read as UTC (unconfirmed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from netral_cli.ingest import jsondoc, meta
from netral_cli.ingest.meta import Context, Plan, child, join_distinct, text_of
from netral_cli.ingest.sources import Source
from netral_cli.items import Item, Rejected, Skipped

PLATFORM = "instagram"
NO_ACTIVITY = "Instagram export file without posts or activity"
MESSAGES = "Instagram direct messages: private messages are not scanned"

TEXT_LABELS = ("Comment", "Komentar", "Opmerking", "Kommentar", "Commentaire", "Comentario", "Commento",
               "Comentário", "Yorum")
OWNER_LABELS = ("Media Owner", "Pemilik Media", "Pemilik media", "Media-eigenaar", "Medieninhaber",
                "Propriétaire du média", "Propietario del contenido", "Proprietario del contenuto",
                "Proprietário da mídia", "Medya sahibi", "Owner", "Pemilik")
TIME_LABELS = ("Time", "Waktu", "Tijd", "Zeit", "Heure", "Hora", "Ora", "Zaman")
USERNAME_LABELS = ("Username", "Nama pengguna", "Gebruikersnaam", "Benutzername", "Author", "Name", "Nama", "Naam")

# Top-level keys -> what their entries are.
COMMENT_KEYS = ("comments_media_comments", "comments_reels_comments")
LIKE_KEYS = ("likes_media_likes", "likes_comment_likes", "story_activities_story_likes")
MEDIA_KEYS = ("ig_reels_media", "ig_archived_post_media", "ig_stories")
FOLLOWING_KEYS = ("relationships_following",)
# The 2018 export's other flat files, by name and some of their keys (their names alone are too common).
FILES_2018 = {
    "profile.json": {"date_joined", "biography", "profile_pic_url"},
    "settings.json": {"allow_comments_from", "blocked_commenters", "filtered_keywords"},
    "searches.json": {"search_click"},
    "saved.json": {"saved_media"},
    "devices.json": {"devices"},
    "account_history.json": {"login_history", "registration_info"},
    "seen_content.json": {"chaining_seen"},
    "stories_activities.json": {"polls", "emoji_sliders", "questions", "countdowns"},
    "information_about_you.json": {"primary_location"},
    "contacts.json": {"contacts"},
    "connections.json": {"followers", "following", "blocked_users", "follow_requests_sent"},
    "messages.json": {"participants", "conversation"},
}
_COMMENTS_FILE = re.compile(r"^(post_|reels_)?comments(_\d+)?\.json$")
_LIKES_FILE = re.compile(r"^liked_(posts|comments)(_\d+)?\.json$")
_FOLLOWERS_FILE = re.compile(r"^followers(_\d+)?\.json$")


def plan(source: Source) -> Plan | None:
    """How to read ``source`` if it belongs to an Instagram export; None if it does not."""
    if meta.html_page(source, meta.INSTAGRAM_EXPORT, "Instagram"):
        return Skipped(source.name, meta.html_reason("Instagram"), refused=True)
    document = meta.load(source)
    if document is None:
        return None
    filename = meta.tail(source).rsplit("/", 1)[-1]
    reader = _reader(document, filename) if isinstance(document, dict) else _list_reader(document, filename)
    if reader is not None:
        return reader
    if meta.is_conversation(document):
        return Skipped(source.name, MESSAGES)
    if _file_2018(document, filename):
        return Skipped(source.name, MESSAGES if filename == "messages.json" else NO_ACTIVITY)
    if meta.instagram_shaped(document) or meta.is_instagram_name(source):
        return Skipped(source.name, NO_ACTIVITY)
    return None


def _file_2018(document: Any, filename: str) -> bool:
    keys = FILES_2018.get(filename, set())
    first = document[0] if isinstance(document, list) and document else document
    return isinstance(first, dict) and bool(keys & set(first))


def _reader(document: dict[str, Any], filename: str) -> meta.FileReader | None:
    """Every known section of an object file, each with its entry reader."""
    by_key = ((COMMENT_KEYS, _comment), (LIKE_KEYS, _like), (MEDIA_KEYS, _post), (FOLLOWING_KEYS, _following))
    sections = [(key, document[key], reader, dict) for keys, reader in by_key for key in keys if key in document]
    # 2018: media.json, comments.json, likes.json (the names are common, so the shape is checked too)
    for name, keys, field, reader, expected in (
            ("media.json", ("photos", "videos", "stories"), "taken_at", _media_2018, dict),
            ("comments.json", ("media_comments", "live_comments"), None, _comment_2018, list),
            ("likes.json", ("media_likes", "comment_likes"), None, _like_2018, list)):
        if filename == name and _has_lists_of(document, keys, field):
            sections += [(k, document[k], reader, expected) for k in keys if k in document]
    if filename == "connections.json" and isinstance(document.get("following"), dict):
        return _following_2018(document["following"])
    return _sections(sections) if sections else None


def _has_lists_of(document: dict[str, Any], keys: tuple[str, ...], field: str | None) -> bool:
    """Some of ``keys`` hold arrays (of objects with ``field``, when given)."""
    present = [document[k] for k in keys if isinstance(document.get(k), list)]
    if field is None:
        return bool(present)
    return any(isinstance(e, dict) and field in e for entries in present for e in entries[:5])


def _list_reader(document: Any, filename: str) -> meta.FileReader | None:
    objects = [e for e in document[:meta.RECOGNISED_BY] if isinstance(e, dict)] if isinstance(document, list) else []
    if not objects or _FOLLOWERS_FILE.match(filename):
        return None
    if any(_is_media(m) for e in objects if isinstance(e.get("media"), list) for m in e["media"]):
        return _sections([("$", document, _post, dict)])
    if _COMMENTS_FILE.match(filename) and any("string_map_data" in e or "string_list_data" in e for e in objects):
        return _sections([("$", document, _comment, dict)])
    if _LIKES_FILE.match(filename) and any("label_values" in e or "string_list_data" in e for e in objects):
        return _sections([("$", document, _like, dict)])
    if filename == "following.json" and any("string_list_data" in e for e in objects):
        return _sections([("$", document, _following, dict)])
    return None


def _is_media(value: Any) -> bool:
    """Instagram's media object: a file ``uri`` and its ``creation_timestamp``."""
    return isinstance(value, dict) and "uri" in value and "creation_timestamp" in value


def _sections(sections: list[tuple[str, Any, meta.EntryReader, type]]) -> meta.FileReader:
    def read(context: Context) -> Iterator[Item | Rejected]:
        for key, entries, reader, expected in sections:
            path = "$" if key == "$" else child("$", key)
            yield from meta.read_entries(context, path, entries, reader, expected)
    return read


def _utc_if_naive(value: Any) -> Any:
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$", value.strip()):
        return value.strip() + "+00:00"
    return value


def _about(context: Context, locator: str, word: str) -> bool:
    """The section (``$.likes_comment_likes``) or the file (``liked_comments.json``) names ``word``."""
    return word in locator or word in context.source.filename


# --- posts ----------------------------------------------------------------------------------------


def _post(context: Context, locator: str, entry: dict[str, Any]) -> Iterator[Item | Rejected]:
    """A post or reel (``{"media": [...], "title"?}``), or a story that is a media object itself."""
    media = entry.get("media", [entry] if "uri" in entry else [])
    if not isinstance(media, list):
        yield context.reject(locator, f"'media' should be a JSON array, found {meta.json_type(media)}", entry)
        return
    media = [m for m in media if isinstance(m, dict)]
    text = join_distinct([text_of(entry.get("title")), *(text_of(m.get("title")) for m in media)])
    if not text and not media:
        yield context.reject(locator, "empty post: no caption and no media", entry)
        return
    timestamp = entry.get("creation_timestamp") or next(
        (m.get("creation_timestamp") for m in media if m.get("creation_timestamp")), None)
    cross_post = next((m["cross_post_source"].get("source_app") for m in media
                       if isinstance(m.get("cross_post_source"), dict)), None)
    yield context.item(locator, entry, kind="post", text=text, timestamp=timestamp,
                       extras={"media": [text_of(m.get("uri")) for m in media if text_of(m.get("uri"))],
                               "cross_post_source": cross_post})


def _media_2018(context: Context, locator: str, entry: dict[str, Any]) -> Iterator[Item | Rejected]:
    text = text_of(entry.get("caption"))
    if not text and not entry.get("path"):
        yield context.reject(locator, "empty post: no caption and no media", entry)
        return
    yield context.item(locator, entry, kind="post", text=text, timestamp=_utc_if_naive(entry.get("taken_at")),
                       extras={"media": [text_of(entry.get("path"))], "location": text_of(entry.get("location"))})


# --- comments ---------------------------------------------------------------------------------------


def _comment(context: Context, locator: str, entry: dict[str, Any]) -> Iterator[Item | Rejected]:
    on = "reel" if _about(context, locator, "reels") else "post"
    mapping = entry.get("string_map_data")
    if isinstance(mapping, dict):
        fields = meta.string_map_data(mapping, TEXT_LABELS, OWNER_LABELS, TIME_LABELS)
        text, owner, timestamp, url = fields.text, fields.owner, fields.timestamp, fields.href
    else:
        values = meta.string_list_data(entry)
        first = values[0] if values else {}
        text, owner = text_of(first.get("value")), text_of(entry.get("title"))
        timestamp, url = first.get("timestamp"), text_of(first.get("href"))
    if not text:
        yield context.reject(locator, "comment without text", entry)
        return
    yield context.item(locator, entry, kind="comment", text=text, timestamp=timestamp, target=owner,
                       extras={"url": url, "on": on})


def _comment_2018(context: Context, locator: str, entry: list[Any]) -> Iterator[Item | Rejected]:
    """``[time, text, owner]``."""
    if len(entry) < 3 or not text_of(entry[1]):
        yield context.reject(locator, "expected [time, comment, owner]", entry)
        return
    yield context.item(locator, entry, kind="comment", text=text_of(entry[1]), timestamp=_utc_if_naive(entry[0]),
                       target=text_of(entry[2]))


# --- likes --------------------------------------------------------------------------------------------


def _like(context: Context, locator: str, entry: dict[str, Any]) -> Iterator[Item | Rejected]:
    liked = next((w for w in ("comment", "story") if _about(context, locator, w)), "post")
    if "label_values" in entry:
        values = meta.label_values(entry["label_values"])
        owner = meta.labelled(values, [f"Owner.{label}" for label in USERNAME_LABELS])
        url = meta.labelled(values, ("URL", "Link", "Tautan"))
        caption = meta.labelled(values, ("Caption", "Keterangan", "Teks", "Onderschrift"))
        if not (owner or url or caption):
            yield context.reject(locator, "no owner, URL or caption in label_values", entry)
            return
        yield context.item(locator, entry, kind="reaction", text=caption, timestamp=entry.get("timestamp"),
                           target=owner or url, extras={"url": url, "liked": liked})
        return
    values = meta.string_list_data(entry)
    if not values:
        yield context.reject(locator, "like without string_list_data", entry)
        return
    owner = text_of(entry.get("title"))
    for index, value in enumerate(values):
        url = text_of(value.get("href"))
        here = locator if len(values) == 1 else child(child(locator, "string_list_data"), index)
        yield context.item(here, entry, kind="reaction", timestamp=value.get("timestamp"), target=owner or url,
                           extras={"url": url, "reaction": text_of(value.get("value")), "liked": liked})


def _like_2018(context: Context, locator: str, entry: list[Any]) -> Iterator[Item | Rejected]:
    """``[time, owner]``."""
    if len(entry) < 2 or not text_of(entry[1]):
        yield context.reject(locator, "expected [time, owner]", entry)
        return
    liked = next((w for w in ("comment", "story") if _about(context, locator, w)), "post")
    yield context.item(locator, entry, kind="reaction", timestamp=_utc_if_naive(entry[0]), target=text_of(entry[1]),
                       extras={"liked": liked})


# --- following ------------------------------------------------------------------------------------------


def _following(context: Context, locator: str, entry: dict[str, Any]) -> Iterator[Item | Rejected]:
    values = meta.string_list_data(entry)
    first = values[0] if values else {}
    url = text_of(first.get("href"))
    account = text_of(entry.get("title")) or text_of(first.get("value")) or _username_in(url)
    if not account:
        yield context.reject(locator, "followed account without a username", entry)
        return
    yield context.item(locator, entry, kind="follow", timestamp=first.get("timestamp"), target=account,
                       extras={"url": url})


_PROFILE_URL = re.compile(r"^https?://(?:www\.)?instagram\.com/(?:_u/)?(?P<name>[A-Za-z0-9._]{1,30})/?$")


def _username_in(url: str) -> str:
    """``https://www.instagram.com/_u/siti.rahma`` -> ``siti.rahma`` (a profile link only)."""
    found = _PROFILE_URL.match(url)
    return found["name"] if found else ""


def _following_2018(following: dict[str, Any]) -> meta.FileReader:
    """``{"following": {"username": "2018-06-10T15:11:11"}}``."""
    def read(context: Context) -> Iterator[Item | Rejected]:
        if isinstance(following, jsondoc.Repeated):
            yield context.reject("$.following", jsondoc.repeated_reason(following), list(following))
            return
        for account, moment in following.items():
            yield context.item(child("$.following", account), moment, kind="follow",
                               timestamp=_utc_if_naive(moment), target=account)
    return read


ADAPTER = meta.make_adapter(PLATFORM, plan)
