"""Facebook "Download Your Information" JSON export -> items, in all four layout generations.

Files are recognised by their top-level key (``comments_v2``, ``reactions``, ``group_posts_v2``…) or,
for the files that are a bare array, by their name (``your_posts_1.json``,
``likes_and_reactions_2.json``…), wherever they sit in the folder or zip: the folders moved from
``posts/`` to ``your_activity_across_facebook/posts/`` to ``your_facebook_activity/posts/``.

What each record becomes:

- posts: ``post`` (``group_post`` in a group file); text = the post's text plus attachment texts
  (media descriptions, link names, poll); the first shared link is the ``target``. Photos and videos
  in albums and ``other_photos_v2``/``videos_v2`` are posts too, their description the text.
- comments: ``comment`` (``group_comment`` when it names a group); ``target`` = the owner of the post
  commented on, read from the localized title ("X commented on Y's post.").
- likes and reactions: ``reaction``; text = Facebook's title of the activity (it is all there is),
  ``target`` = whose post or which page.
- pages liked or followed: ``follow`` with the page as ``target`` (liking a page follows it).
- groups joined: ``group_join`` with the group name as ``group``.

There is no post id and no URL in these files; the item id comes from file, locator and content.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from netral_cli.ingest import meta
from netral_cli.ingest.meta import Context, Plan, attachments, child, join_distinct, media_title, text_of
from netral_cli.ingest.sources import Source
from netral_cli.items import Item, Rejected, Skipped

PLATFORM = "facebook"
NO_ACTIVITY = "Facebook export file without posts or activity"
MESSAGES = "Facebook Messenger conversation: private messages are not scanned"

# Top-level keys of the activity files, old and new, and the kind of their entries.
KEY_KINDS = {
    "comments": "comment", "comments_v2": "comment",
    "group_comments": "group_comment", "group_comments_v2": "group_comment",
    "reactions": "reaction", "reactions_v2": "reaction",
    "group_posts": "group_post", "group_posts_v2": "group_post",
    "groups_joined": "group_join", "groups_joined_v2": "group_join",
    "page_likes": "follow", "page_likes_v2": "follow", "pages_followed": "follow", "pages_followed_v2": "follow",
    "other_photos_v2": "photo", "videos_v2": "photo",
}
# Files that are a bare array: their name tells what they hold.
FILE_KINDS = (
    (re.compile(r"^your_posts(_[a-z_]+)?_\d+\.json$"), "post"),
    (re.compile(r"^likes_and_reactions(_\d+)?\.json$"), "reaction"),
    (re.compile(r"^(group_posts_and_comments|your_posts_in_groups|your_posts_and_comments_in_groups)\.json$"),
     "group_post"),
    (re.compile(r"^your_comments_in_groups\.json$"), "group_comment"),
    (re.compile(r"^comments(_\d+)?\.json$"), "comment"),
    (re.compile(r"^(pages_you've_liked|pages_you_follow|pages)\.json$"), "follow"),
    (re.compile(r"^your_group_membership_activity\.json$"), "group_join"),
)
# posts/album/0.json: {"name", "photos": [{"uri", "creation_timestamp", "description"}]}
ALBUM_FILE = re.compile(r"^\d+\.json$")
# Inside a Facebook export: under its root folder or zip (``facebook-siti-2024…/``) or its activity folders.
FACEBOOK_EXPORT = re.compile(r"(^|[/!\\])(facebook-[^/!\\]*[/!\\]|your_activity_across_facebook/|your_facebook_activity/)")
ENTRY_KEYS = frozenset({"data", "attachments", "label_values"})
BARE_ENTRY_KEYS = frozenset({"timestamp", "title", "name", "url", "uri", "fbid", "tags"})

# The owner of what was commented on or reacted to, from the localized title. English first, then
# Indonesian; "his own post" and similar have no target.
_THING = r"(?:post|comment|photo|video|link|status|album|reel|live video|event|note|life event|story)"
_BENDA = r"(?:kiriman|postingan|foto|video|komentar|tautan|status|album|reel|acara|cerita)"
_TARGET_TITLES = (
    re.compile(rf"^(?P<actor>.+?) (?:commented on|replied to|likes|liked|reacted to|loves|shared) "
               rf"(?P<target>.+?)'s? {_THING}\b"),
    re.compile(r"^(?P<actor>.+?) (?:commented on|replied to|likes|liked|reacted to|loves|shared) "
               r"(?:a|an|his own|her own|their own|your own) "),
    re.compile(rf"^(?P<actor>.+?) (?:mengomentari|membalas|menyukai|menanggapi|memberi reaksi pada|membagikan) "
               rf"{_BENDA}(?: di halaman| milik| dari)? (?P<target>.+?)\.?$"),
)
_GROUP_TITLES = (
    re.compile(r"^(?P<actor>.+?) (?:posted|wrote|commented|shared [a-z ]+?) in (?P<group>.+?)\.?$"),
    re.compile(r"^(?P<actor>.+?) (?:became a member of|joined) (?P<group>.+?)\.?$"),
    re.compile(r"^(?P<actor>.+?) (?:memposting|mengirim|menulis|berkomentar|membagikan [a-z ]+?) di (?:grup )?"
               r"(?P<group>.+?)\.?$"),
    re.compile(r"^(?P<actor>.+?) (?:bergabung dengan|menjadi anggota) (?:grup )?(?P<group>.+?)\.?$"),
)
MAX_TITLE = 500
_NO_TARGET = re.compile(r"^(?:miliknya sendiri|sendiri|anda)$", re.I)


def title_parts(title: str, patterns: tuple[re.Pattern[str], ...]) -> dict[str, str]:
    """``{"actor": …, "target"/"group": …}`` from the first pattern that matches the title."""
    if len(title) > MAX_TITLE:  # activity titles are one short sentence; bound the regex work
        return {}
    for pattern in patterns:
        found = pattern.match(title)
        if found:
            parts = {k: v.strip() for k, v in found.groupdict().items() if v and v.strip()}
            if _NO_TARGET.match(parts.get("target", "")):
                parts.pop("target")
            return parts
    return {}


# --- recognition --------------------------------------------------------------------------------


def plan(source: Source) -> Plan | None:
    """How to read ``source`` if it belongs to a Facebook export; None if it does not."""
    if meta.html_page(source, FACEBOOK_EXPORT, "Facebook") and not meta.is_instagram_name(source):
        return Skipped(source.name, meta.html_reason("Facebook"), refused=True)
    document = meta.load(source)
    if document is None:
        return None
    reader = _reader(document, meta.tail(source).rsplit("/", 1)[-1])
    if reader is not None:
        return reader
    if _facebook_shaped(document):
        return Skipped(source.name, NO_ACTIVITY)
    if meta.is_instagram_name(source) or meta.instagram_shaped(document):
        return None
    if meta.is_conversation(document):
        return Skipped(source.name, MESSAGES)
    # Other files of the export's folders hold no activity either; a generic JSON file that merely
    # has "facebook" in its name is left to the generic reader.
    if FACEBOOK_EXPORT.search(source.name.lower()) or meta.in_meta_folder(source):
        return Skipped(source.name, NO_ACTIVITY)
    return None


def _facebook_shaped(document: Any) -> bool:
    """Facebook's own top-level keys: ``profile_v2``, ``friends_v2``, ``searches_v2``…"""
    return isinstance(document, dict) and bool(document) and all(re.search(r"_v\d+$", k) for k in document)


def _entries_look_right(entries: Any) -> bool:
    """An array of Facebook activity entries: objects with a timestamp and Facebook's ``data``,
    ``attachments`` or ``label_values``, or with nothing but a title or name besides (no ``text``
    or ``author`` column of a scraper's file)."""
    if not isinstance(entries, list):
        return False
    objects = [e for e in entries[:meta.RECOGNISED_BY] if isinstance(e, dict)]
    return not objects or any("timestamp" in e and (ENTRY_KEYS & set(e) or set(e) <= BARE_ENTRY_KEYS)
                              for e in objects)


def _reader(document: Any, filename: str) -> meta.FileReader | None:
    """Every activity array of the file, each with its JSON path and the kind of its entries."""
    sections: list[tuple[str, Any, str]] = []
    if isinstance(document, dict):
        for key, kind in KEY_KINDS.items():
            if key not in document:
                continue
            path, entries = child("$", key), document[key]
            if isinstance(entries, dict) and "activity_log_data" in entries:  # classic group posts
                path, entries = child(path, "activity_log_data"), entries["activity_log_data"]
            # The *_v2 keys are Facebook's own; an old bare key ("comments") must hold Facebook entries.
            if key.endswith("_v2") or _entries_look_right(entries):
                sections.append((path, entries, kind))
        if ALBUM_FILE.match(filename) and isinstance(document.get("photos"), list):
            sections.append(("$.photos", document["photos"], "photo"))
    elif isinstance(document, list) and _entries_look_right(document):
        sections += [("$", document, kind) for pattern, kind in FILE_KINDS if pattern.match(filename)][:1]
    return _file_reader(sections) if sections else None


def _file_reader(sections: list[tuple[str, Any, str]]) -> meta.FileReader:
    def read(context: Context) -> Iterator[Item | Rejected]:
        for path, entries, kind in sections:
            yield from meta.read_entries(context, path, entries,
                                         lambda c, loc, e, kind=kind: _entry(c, loc, e, kind))
    return read


# --- one entry ----------------------------------------------------------------------------------


def _entry(context: Context, locator: str, entry: dict[str, Any], kind: str) -> Iterator[Item | Rejected]:
    data = entry.get("data", [])
    if not isinstance(data, list):
        yield context.reject(locator, f"'data' should be a JSON array, found {meta.json_type(data)}", entry)
        return
    data = [d for d in data if isinstance(d, dict)]
    if "label_values" in entry:
        yield _labelled(context, locator, entry, kind)
    elif kind == "photo":
        yield _photo(context, locator, entry)
    elif kind in ("follow", "group_join"):
        yield _membership(context, locator, entry, data, kind)
    elif any(isinstance(d.get("reaction"), dict) for d in data) or kind == "reaction":
        yield _reaction(context, locator, entry, data)
    elif any(isinstance(d.get("comment"), dict) for d in data) or kind in ("comment", "group_comment"):
        yield _comment(context, locator, entry, data, kind)
    else:
        yield _post(context, locator, entry, data, kind)


GROUP_KINDS = ("group_post", "group_comment")


def _extras(entry: dict[str, Any], found: meta.Attachments, **more: Any) -> dict[str, Any]:
    tags = [text_of(t.get("name")) for t in entry.get("tags", []) if isinstance(t, dict)] \
        if isinstance(entry.get("tags"), list) else []
    return {"title": text_of(entry.get("title")), "urls": list(found.urls), "media": list(found.media),
            "places": list(found.places), "tags": [t for t in tags if t], **more}


def _post(context: Context, locator: str, entry: dict[str, Any], data: list[dict[str, Any]],
          kind: str) -> Item | Rejected:
    found = attachments(entry.get("attachments"))
    title = text_of(entry.get("title"))
    text = join_distinct([*(text_of(d.get("post")) for d in data), *found.texts])
    if not (text or title or found.media or found.urls):
        return context.reject(locator, "empty post: no text, title or attachment", entry)
    parts = title_parts(title, _GROUP_TITLES)
    kind = "group_post" if kind in GROUP_KINDS else "post"
    return context.item(locator, entry, kind=kind, text=text, timestamp=entry.get("timestamp"),
                        author=parts.get("actor"), target=found.urls[0] if found.urls else None,
                        group=parts.get("group") if kind == "group_post" else None, extras=_extras(entry, found))


def _photo(context: Context, locator: str, entry: dict[str, Any]) -> Item | Rejected:
    """A photo or video of the user's own (albums, uncategorized photos, videos): a post whose text is
    its description."""
    uri = text_of(entry.get("uri"))
    text = join_distinct([text_of(entry.get("description")), media_title(entry.get("title"))])
    if not (uri or text):
        return context.reject(locator, "photo without file or description", entry)
    return context.item(locator, entry, kind="post", text=text, timestamp=entry.get("creation_timestamp"),
                        extras={"media": [uri]})


def _comment(context: Context, locator: str, entry: dict[str, Any], data: list[dict[str, Any]],
             kind: str) -> Item | Rejected:
    comment = next((d["comment"] for d in data if isinstance(d.get("comment"), dict)), {})
    found = attachments(entry.get("attachments"))
    title = text_of(entry.get("title"))
    text = join_distinct([text_of(comment.get("comment")), *found.texts])
    if not (text or title or found.media or found.urls):
        return context.reject(locator, "empty comment: no text, title or attachment", entry)
    parts = {**title_parts(title, _GROUP_TITLES), **title_parts(title, _TARGET_TITLES)}
    in_group = kind in GROUP_KINDS
    group = text_of(comment.get("group")) or (parts.get("group", "") if in_group else "")
    return context.item(locator, entry, kind="group_comment" if group or in_group else "comment",
                        text=text, timestamp=entry.get("timestamp") or comment.get("timestamp"),
                        author=text_of(comment.get("author")) or parts.get("actor"), target=parts.get("target"),
                        group=group, extras=_extras(entry, found))


def _reaction(context: Context, locator: str, entry: dict[str, Any], data: list[dict[str, Any]]) -> Item | Rejected:
    reaction = next((d["reaction"] for d in data if isinstance(d.get("reaction"), dict)), {})
    title = text_of(entry.get("title"))
    if not title and not reaction:
        return context.reject(locator, "reaction without title or reaction data", entry)
    parts = title_parts(title, _TARGET_TITLES)
    return context.item(locator, entry, kind="reaction", text=title, timestamp=entry.get("timestamp"),
                        author=text_of(reaction.get("actor")) or parts.get("actor"), target=parts.get("target"),
                        extras=_extras(entry, attachments(entry.get("attachments")),
                                       reaction=text_of(reaction.get("reaction")), title=""))


def _membership(context: Context, locator: str, entry: dict[str, Any], data: list[dict[str, Any]],
                kind: str) -> Item | Rejected:
    title = text_of(entry.get("title"))
    name = text_of(entry.get("name")) or meta.first_text(d.get("name") for d in data)
    name = name or title_parts(title, _GROUP_TITLES).get("group", "")
    if not name:
        return context.reject(locator, "no page or group name", entry)
    url = text_of(entry.get("url")) or meta.first_text(d.get("uri") or d.get("url") for d in data)
    return _towards(context, locator, entry, kind, name, title, {"url": url})


def _towards(context: Context, locator: str, entry: dict[str, Any], kind: str, name: str, title: str,
              extras: dict[str, Any]) -> Item | Rejected:
    """A reaction or a page followed (the name is the ``target``), or a group joined (the ``group``)."""
    joined = kind == "group_join"
    return context.item(locator, entry, kind=kind, text=title, timestamp=entry.get("timestamp"),
                        target=None if joined else name, group=name if joined else None, extras=extras)


def _labelled(context: Context, locator: str, entry: dict[str, Any], kind: str) -> Item | Rejected:
    """The 2024+ form: ``{"timestamp", "label_values": [{"label": "Reaction", "value": "Like"}, …]}``."""
    values = meta.label_values(entry["label_values"])
    name = meta.labelled(values, ("Name", "Nama", "Title", "Judul", "Page", "Halaman", "Group", "Grup"))
    url = meta.labelled(values, ("URL", "Link", "Tautan"))
    reaction = meta.labelled(values, ("Reaction", "Reaksi", "Type", "Jenis"))
    title = text_of(entry.get("title"))
    if not (name or url or title):
        return context.reject(locator, "no name, URL or title in label_values", entry)
    kind = kind if kind in ("follow", "group_join") else "reaction"
    return _towards(context, locator, entry, kind, name or url, title, {"url": url, "reaction": reaction})


ADAPTER = meta.make_adapter(PLATFORM, plan)
