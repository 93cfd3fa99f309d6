"""CrowdTangle CSV exports (Facebook pages and groups, Instagram accounts) -> posts.

Recognised by the header: ``User Name``, ``Post Created`` (``Created`` in 2020-21 files), ``URL``, and
``Page Name`` / ``Group Name`` (Facebook) or ``Account`` (Instagram). The text is ``Message`` on Facebook
(``Description``, the shared link's text, when there is no message) and ``Description`` (the caption) on
Instagram, else ``Title``. A group export gives ``group_post`` items whose group is ``Group Name``.

``Post Created`` is ``2024-01-20 19:30:12 WIB``: the trailing zone abbreviation (or ``+0700``) is honoured;
a time without one is read in ``--tz``; an abbreviation this reader does not know rejects the row rather
than guessing its offset.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone

from netral_cli.ingest.base import Adapter, Record
from netral_cli.ingest.generic import GenericOptions, _excerpt, csv_table
from netral_cli.ingest.sources import LINE_BREAK, Source, head_text
from netral_cli.ingest.timestamps import plausible, shown, zone
from netral_cli.items import Rejected, new_item

_REQUIRED = {"User Name", "URL"}
_CREATED = ("Post Created", "Created")
_ENTITY = ("Page Name", "Group Name", "Account")
_HOURS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "IST": 5.5, "ICT": 7, "WIB": 7, "WITA": 8, "WIT": 9, "SGT": 8, "MYT": 8, "PHT": 8, "HKT": 8, "AWST": 8,
    "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9,
    "AKDT": -8, "HST": -10,
}
_CREATED_RE = re.compile(r"^(?P<time>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)"
                         r"(?:\s*(?P<zone>[A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?$")


def _header(source: Source) -> list[str]:
    head = head_text(source.head(8192))
    try:
        return next(csv.reader(io.StringIO(LINE_BREAK.split(head, 1)[0])), [])
    except csv.Error:
        return []


def recognise(source: Source) -> bool:
    if source.suffix != ".csv":
        return False
    columns = {c.strip() for c in _header(source)}
    return _REQUIRED <= columns and any(c in columns for c in _CREATED) and any(c in columns for c in _ENTITY)


def post_created(value: str, tz: str) -> datetime | None:
    """``2024-01-20 19:30:12 WIB`` -> an aware datetime in ``tz``; ValueError if unreadable."""
    value = value.strip()
    if not value:
        return None
    match = _CREATED_RE.match(value)
    if not match:
        raise ValueError(f"unreadable timestamp {shown(value)}")
    token = match["zone"]
    if token is not None and token[0] not in "+-" and token.upper() not in _HOURS:
        raise ValueError(f"timestamp {shown(value)} has an unknown time zone {token!r}")
    try:
        naive = datetime.fromisoformat(match["time"].replace("T", " "))
        moment = naive.replace(tzinfo=zone(tz) if token is None else _offset(token))
    except ValueError as exc:  # 31 February, 25:61, an offset of a day or more
        raise ValueError(f"unreadable timestamp {shown(value)}") from exc
    return plausible(moment, zone(tz), value)


def _offset(token: str) -> timezone:
    """``+0700``, ``-05:00`` or a known abbreviation (``WIB``) as a fixed zone."""
    if token[0] in "+-":
        digits = token.replace(":", "")
        return timezone(timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5])) * (-1 if digits[0] == "-" else 1))
    return timezone(timedelta(hours=_HOURS[token.upper()]))


def _cell(row: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = (row.get(name) or "").strip()
        if value and value != "N/A":
            return value
    return None


def parse(source: Source, options: GenericOptions) -> Iterator[Record]:
    header, rows = csv_table(source)
    header = [c.strip() for c in header]
    instagram = "Account" in header and "Page Name" not in header and "Group Name" not in header
    created = next((c for c in _CREATED if c in header), _CREATED[0])
    for locator, row in rows:
        if isinstance(row, Rejected):
            yield row
            continue
        row = {k.strip(): v for k, v in row.items()}
        yield _to_record(row, locator, instagram, created, source, options)


def _to_record(row: dict[str, str], locator: str, instagram: bool, created: str, source: Source,
               options: GenericOptions) -> Record:
    excerpt = _excerpt({k: v for k, v in row.items() if v})
    group = None if instagram else _cell(row, "Group Name")
    text_columns = ("Description", "Title") if instagram else ("Message", "Description", "Link Text")
    # (author, account) columns; a group export names the group, not who posted.
    people = ("Account", "User Name") if instagram else (None, None) if group else ("Page Name", "User Name")
    author, account = (_cell(row, c) if c else None for c in people)
    text_column = next((c for c in text_columns if _cell(row, c)), None)
    text, target = (_cell(row, text_column) or "") if text_column else "", _cell(row, "URL")
    if not text and not target:
        return Rejected(source.name, locator, "no text, target or group: nothing to scan", excerpt)
    try:
        timestamp = post_created(row.get(created) or "", options.tz)
    except ValueError as exc:
        return Rejected(source.name, locator, f"{exc} in column {created!r}", excerpt)
    used = {created, "URL", text_column, *people, "Group Name" if group else None}
    extras = {k: v for k, v in row.items() if k not in used and v.strip() and v.strip() != "N/A"}
    return new_item(platform="instagram" if instagram else "facebook", kind="group_post" if group else "post",
                    text=text, source_file=source.name, locator=locator, author=author, account=account,
                    timestamp=timestamp, target=target, group=group, extras=extras)


ADAPTER = Adapter(name="crowdtangle", recognise=recognise, parse=parse)
