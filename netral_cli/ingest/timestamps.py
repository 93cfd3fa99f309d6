"""Timestamps in any of the forms exports use -> timezone-aware datetimes."""

from __future__ import annotations

import re
from datetime import datetime, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser

DEFAULT_TZ = "Asia/Jakarta"
_NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")
_MS_THRESHOLD = 100_000_000_000  # 1e11 s is the year 5138, so anything larger is milliseconds
# Indonesian zone abbreviations (dateutil knows none of them and would read "10:15 WITA" as naive).
_ZONE_ABBREVIATIONS = {"WIB": 7 * 3600, "WITA": 8 * 3600, "WIT": 9 * 3600}
_INDONESIAN_MONTHS = {
    "januari": "January", "februari": "February", "pebruari": "February", "maret": "March", "april": "April",
    "mei": "May", "juni": "June", "juli": "July", "agustus": "August", "september": "September",
    "oktober": "October", "november": "November", "nopember": "November", "desember": "December",
    "agu": "Aug", "agt": "Aug", "okt": "Oct", "des": "Dec", "peb": "Feb",
}
# Indonesian dot time after a date: "14 Februari 2024 10.15" or "10.15.33".
_DOT_TIME_RE = re.compile(r"(?<=\s)(\d{1,2})\.(\d{2})(?:\.(\d{2}))?(?=\s|$)")
# Times outside these years are not when a post was made but a broken or hostile value (and year 1 or
# 9999 would overflow when later stages shift them by a zone or a few days).
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)
_MONTH_RE = re.compile(r"\b(" + "|".join(sorted(_INDONESIAN_MONTHS, key=len, reverse=True)) + r")\b", re.I)


@lru_cache(maxsize=32)
def zone(name: str) -> tzinfo:
    """A zone by IANA name (``Asia/Jakarta``) or as ``UTC``; ValueError if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def parse_timestamp(value: object, tz: str = DEFAULT_TZ) -> datetime | None:
    """Epoch seconds or milliseconds (number or numeric string), ISO 8601, or a common date text.

    Naive values are read in ``tz``; every result is expressed in ``tz``. Empty -> None;
    unreadable -> ValueError.
    """
    local = zone(tz)
    text = value.strip() if isinstance(value, str) else None
    if text is not None and text[4:5] == "-":  # a date written year first (most values): neither blank nor a number
        return _from_text(text, local, value)
    if value is None or text == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a timestamp: {shown(value)}")
    if isinstance(value, (int, float)) or (text is not None and _NUMERIC.match(text)):
        try:
            seconds = float(value)
        except OverflowError as exc:  # an int too large for a float
            raise ValueError(f"epoch value out of range: {len(str(value))} digits") from exc
        return _from_epoch(seconds, local, value)
    if text is None:
        raise ValueError(f"not a timestamp: {shown(value)}")
    return _from_text(text, local, value)


def _from_text(text: str, local: tzinfo, value: object) -> datetime:
    """:func:`parse_timestamp` of ``value``, a date text (``text``: without surrounding whitespace)."""
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            english = _MONTH_RE.sub(lambda m: _INDONESIAN_MONTHS[m.group().lower()], text)
            english = _DOT_TIME_RE.sub(lambda m: ":".join(g for g in m.groups() if g), english)
            parsed = dateutil_parser.parse(english, dayfirst=not re.match(r"^\d{4}", text), tzinfos=_zone_offset)
        except (ValueError, OverflowError) as exc:
            raise ValueError(f"unreadable timestamp {shown(value)}") from exc
    return plausible(parsed.replace(tzinfo=local) if parsed.tzinfo is None else parsed, local, value)


def _zone_offset(name: str | None, offset: int | None) -> int | None:
    """The zone of a date text for dateutil: a written offset (or UTC/GMT/Z), an Indonesian abbreviation.
    Any other name is an error: dateutil would warn on stderr and read the time as local."""
    if offset is not None or name is None:
        return offset
    if name in _ZONE_ABBREVIATIONS:
        return _ZONE_ABBREVIATIONS[name]
    raise ValueError(f"unknown time zone {name!r}")


def plausible(moment: datetime, local: tzinfo, value: object) -> datetime:
    """An aware ``moment`` expressed in ``local``; ValueError naming ``value`` (what the file wrote)
    when it lies outside 1970-2099."""
    # Comparing aware datetimes asks both for their offsets (about 1 us); a year clear of the bounds by more than
    # any offset cannot be outside them.
    if not EARLIEST.year < moment.year < LATEST.year - 1 and not EARLIEST <= moment < LATEST:
        raise ValueError(f"timestamp out of range (years {EARLIEST.year}-{LATEST.year - 1}): {shown(value)}")
    return moment.astimezone(local)


def shown(value: object, limit: int = 80) -> str:
    """A value quoted in a message, cut short: a reason stays one readable line whatever the file holds."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _from_epoch(seconds: float, local: tzinfo, value: object) -> datetime:
    if abs(seconds) >= _MS_THRESHOLD:
        seconds /= 1000.0
    try:
        moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError) as exc:
        raise ValueError(f"epoch value out of range: {seconds!r}") from exc
    return plausible(moment, local, value)
