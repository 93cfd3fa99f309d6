"""WhatsApp ``.txt`` chat exports (Android and iOS, any region) -> group messages and system events.

Header lines look like ``[14/02/24 20.05.33] Nama: pesan`` (iOS) or ``14/02/24 20.05 - Nama: pesan``
(Android): ``:`` or the Indonesian ``.`` between hours, minutes and seconds, 2- or 4-digit years, an
optional comma after the date, an optional AM/PM. A file writes every header the same way; every line
that is not a header in that style (a forwarded message quoted in a body, with or without its year)
continues the message before it. A message's locator is ``line=N`` of its header line (1-based); a
non-empty line before the first message is rejected with its own ``line=N``.

Day and month order is decided over the whole file: a first number above 12 anywhere means day first,
a second number above 12 means month first. A file where neither happens (every day so far is 1-12)
is read **day first**, as Indonesian phones write dates. A 4-digit first number means year first.

Times carry no zone: they are the phone's local time and are read in ``--tz`` (Asia/Jakarta by default).

Kinds: user messages are ``group_message`` (a one-to-one chat too: its ``group`` is the chat's name);
system lines (encryption notice, group created, added, joined, left, subject changed, ...) are ``system``
with ``extras["event"]``: Android writes them without a name (author None), iOS as ``Name: \u200e<event>``
where the name (the author) is the actor or the chat's title. A media placeholder (``<Media tidak disertakan>``, ``image omitted``, ...) or a
deleted-message notice is not text the person wrote: it goes to ``extras["media"]`` or
``extras["deleted"]`` and the item's text is what remains (usually empty). ``<This message was edited>``
is removed from the text and recorded as ``extras["edited"] = True``.

The group is the chat's name from the file name (``WhatsApp Chat with X.txt``, ``Chat WhatsApp dengan
X.txt``, ``_chat.txt`` inside ``WhatsApp Chat - X.zip``), else from ``created group "X"`` (iOS quotes it
“X”), else the title on an iOS encryption notice.

Invisible characters: directional marks (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, U+FEFF) are
removed everywhere; for structure (timestamps, names) U+202F and U+00A0 also count as spaces and U+2011
as a hyphen, but the message text keeps them as written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from netral_cli.ingest.base import Adapter, Record
from netral_cli.ingest.generic import GenericOptions
from netral_cli.ingest.sources import LINE_BREAK, Source, head_text, text_lines
from netral_cli.ingest.timestamps import plausible, zone
from netral_cli.items import Rejected, new_item

PLATFORM = "whatsapp"
_DIRECTIONAL = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))
# The marks removed and the odd spaces made plain in one pass (the two sets do not overlap).
_STRUCTURAL = {**_DIRECTIONAL, **str.maketrans({"\u202f": " ", "\u00a0": " ", "\u2011": "-"})}

_HEADER = re.compile(
    r"^(?P<open>\[)?"
    r"(?P<a>\d{1,4})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4})(?P<comma>,?)[ ]"
    r"(?P<hour>\d{1,2})(?P<tsep>[:.])(?P<minute>\d{2})(?:(?P=tsep)(?P<second>\d{2}))?"
    r"(?:[ ]?(?P<ampm>[aApP]\.?[ ]?[mM]\.?))?"
    r"(?(open)\][ ]|[ ][-\u2013][ ])"
    r"(?P<rest>.*)$"
)
# A name never holds a quote: an Android system line quoting a name with a colon in it is not "Name: body".
_NAME_AND_BODY = re.compile(r"^(?P<name>[^\"“\n]+?):(?: (?P<body>.*)|(?P<dot>\..*))?$")
_PHONE = re.compile(r"^\+?[\d][\d \-()]{6,}$")
_RECOGNISE_LINES = 10

# Bodies that are a placeholder, not text someone wrote (matched on the whole first line of the body).
_MEDIA = re.compile(
    r"^(?:<Media omitted>|<Media tidak disertakan>|<attached: [^>]*>|.* \((?:file attached|file terlampir)\)"
    r"|(?:.* )?(?:image|video|audio|sticker|GIF|document|Contact card|photo) omitted"
    r"|(?:.* )?(?:gambar|foto|video|audio|stiker|GIF|dokumen|kartu kontak) tidak disertakan"
    r"|Pesan tidak didukung)$", re.I)
_DELETED = re.compile(
    r"^(?:This message was deleted|You deleted this message|Pesan ini (?:telah )?dihapus"
    r"|Anda (?:telah )?menghapus pesan ini)\.?$", re.I)
_EDITED = re.compile(r"[ \t]*<(?:This message was edited|Pesan ini (?:telah )?diedit)>[ \t]*$", re.I)

# System lines in English and Indonesian; the first match names the event.
_SYSTEM_EVENTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((event, re.compile(pattern, re.I)) for event, pattern in (
    ("encryption", r"end-to-end"),
    # iOS quotes the group's name with curly quotes, Android with straight ones.
    ("created", r"\bcreated (?:group [\"“](?P<group>[^\"“”]+)[\"”]|this group)"
                r"|\bmembuat grup (?:[\"“](?P<group_id>[^\"“”]+)[\"”]|ini)"),
    # Before "added": the Indonesian notice ends "… atau menambahkan nomor baru."
    ("number_changed", r"\bchanged (?:their phone number|to \+)|\bmeng(?:ubah|ganti) nomor"),
    ("joined", r"\bjoined using|\bbergabung (?:menggunakan|melalui|dengan)"),
    ("added", r"\badded\b|\bmenambahkan\b"),
    ("removed", r"\bremoved\b|\bmengeluarkan\b"),
    ("left", r"\bleft$|\bkeluar$"),
    ("subject", r"\bchanged the (?:group name|subject)|\bmeng(?:ubah|ganti) (?:nama grup|subjek)"),
    ("icon", r"\bchanged this group's icon|\bmeng(?:ubah|ganti) ikon grup|\bdeleted this group's icon"),
    ("description", r"\bchanged the group description|\bmeng(?:ubah|ganti) deskripsi grup"),
    ("settings", r"\bchanged (?:this group's|the group) settings|\bmeng(?:ubah|ganti) setelan grup"),
    ("disappearing", r"\bdisappearing messages|\bpesan sementara"),
    ("security_code", r"\bsecurity code|\bkode keamanan"),
    ("admin", r"\bnow an admin|\bsekarang (?:adalah )?admin"),
))

# Export file names that carry the chat's name, in the languages Indonesian users meet.
_FILE_NAMES = (
    re.compile(r"^WhatsApp Chat with (?P<name>.+)\.txt$", re.I),
    re.compile(r"^Chat WhatsApp dengan (?P<name>.+)\.txt$", re.I),
    re.compile(r"^WhatsApp Chat - (?P<name>.+?)(?:\.zip)?$", re.I),
    re.compile(r"^Chat de WhatsApp con (?P<name>.+)\.txt$", re.I),
    re.compile(r"^Conversa do WhatsApp com (?P<name>.+)\.txt$", re.I),
)


def structural(text: str) -> str:
    """The form of a line used to find its structure: no directional marks, odd spaces made plain."""
    return text if text.isascii() else text.translate(_STRUCTURAL)  # isascii(): a flag, no scan


def _without_marks(text: str) -> str:
    return text if text.isascii() else text.translate(_DIRECTIONAL)


def _header(line: str) -> re.Match[str] | None:
    return _HEADER.match(structural(line))


def recognise(source: Source) -> bool:
    """A ``.txt`` file one of whose first non-empty lines is a WhatsApp message header."""
    if source.suffix != ".txt":
        return False
    head = head_text(source.head(8192))
    lines = [line for line in LINE_BREAK.split(head)[:-1] or [head] if line.strip()][:_RECOGNISE_LINES]
    return any(_header(line) for line in lines)


@dataclass
class _Message:
    line: int
    header: re.Match[str]
    raw_first: str
    continuation: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DateOrder:
    """Which of the three date numbers is the day, the month and the year (0-based positions)."""

    day: int
    month: int
    year: int


DAY_FIRST = DateOrder(0, 1, 2)
MONTH_FIRST = DateOrder(1, 0, 2)
YEAR_FIRST = DateOrder(2, 1, 0)


def _timestamp(header: re.Match[str], order: DateOrder, tz: str) -> datetime:
    """The header's time as an aware datetime; ValueError if impossible (31/02, 25.61)."""
    written = [header["a"], header["b"], header["c"]]
    numbers = [int(n) for n in written]
    year = numbers[order.year] + (2000 if len(written[order.year]) == 2 else 0)
    hour = int(header["hour"])
    if header["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range for AM/PM")
        hour = hour % 12 + (12 if header["ampm"][0] in "pP" else 0)
    local = zone(tz)
    return plausible(datetime(year, numbers[order.month], numbers[order.day], hour, int(header["minute"]),
                              int(header["second"] or 0), tzinfo=local), local, header.group(0))


def _marked_at(line: str, position: int) -> bool:
    """Whether a left-to-right mark comes just before character ``position`` of the line without its directional
    marks: iOS writes system lines as "Name: \u200e<event>"; a user's own words are never so marked."""
    kept = [i for i, ch in enumerate(line) if ord(ch) not in _DIRECTIONAL]  # where each kept character was
    return 0 < position < len(kept) and "\u200e" in line[kept[position - 1] + 1:kept[position]]


def group_from_file_name(source_name: str) -> str | None:
    """The chat's name from ``WhatsApp Chat with X.txt``, or for ``_chat.txt`` from its zip or folder."""
    parts = re.split(r"[!/\\]", source_name)
    candidates = [parts[-1]] + ([parts[-2]] if len(parts) > 1 and parts[-1].lower() == "_chat.txt" else [])
    for candidate in candidates:
        for pattern in _FILE_NAMES:
            match = pattern.match(candidate)
            if match:
                return match["name"].strip()
    return None


def _system_event(body: str) -> tuple[str, str | None]:
    """The event a system line reports, and the group name if it names one."""
    for event, pattern in _SYSTEM_EVENTS:
        match = pattern.search(body)
        if match:
            named = match.groupdict().get("group") or match.groupdict().get("group_id")
            return event, named
    return "other", None


def _person(name: str) -> tuple[str, str | None]:
    """Author and account: ``~ Budi`` (an unsaved contact on iOS) -> ``Budi``; a phone number is the account."""
    author = re.sub(r"\s+", " ", name).strip().lstrip("~").strip()
    return author, (author if _PHONE.match(author) else None)


def parse(source: Source, options: GenericOptions) -> Iterator[Record]:
    """Every message of the chat as an item; unparseable lines before the first message are rejected.

    The file is read twice as a stream, never held whole: once to learn how it writes its headers, its
    date order and its group (:class:`_Survey`), then message by message."""
    survey = _Survey(group_from_file_name(source.name))
    for number, line in text_lines(source):
        survey.add(number, line)
    style, order = survey.style, survey.order()
    group = survey.group()
    message: _Message | None = None
    for number, line in text_lines(source):
        header = _header(line)
        if header and _style(header) == style:
            if message is not None:
                yield _to_record(message, _head(message), order, group, source, options)
            message = _Message(number, header, line)
        elif message is not None:
            message.continuation.append(line)
        elif line.strip():
            yield Rejected(source.name, f"line={number}", "not a WhatsApp message line (before the first message)",
                           line.strip()[:160])
    if message is not None:
        yield _to_record(message, _head(message), order, group, source, options)


class _Survey:
    """What the whole file decides, gathered line by line for every header style it meets (the most frequent
    style wins, the first met on a tie): how often each is used, which date numbers exceed 12 or have four
    digits, and the group a system line names (when the file name does not)."""

    def __init__(self, named_group: str | None):
        self.named_group = named_group
        self.uses: Counter[tuple[object, ...]] = Counter()
        self.year_first: set[tuple[object, ...]] = set()
        self.day_over_12: set[tuple[object, ...]] = set()
        self.month_over_12: set[tuple[object, ...]] = set()
        self.groups: dict[tuple[object, ...] | None, str] = {}

    def add(self, number: int, line: str) -> None:
        header = _header(line)
        if not header:
            return
        style = _style(header)
        self.uses[style] += 1
        if len(header["a"]) == 4:
            self.year_first.add(style)
        if int(header["a"]) > 12:
            self.day_over_12.add(style)
        if int(header["b"]) > 12:
            self.month_over_12.add(style)
        if self.named_group is None and style not in self.groups:
            found = _group_named_by(_head(_Message(number, header, line)))
            if found:
                self.groups[style] = found

    @property
    def style(self) -> tuple[object, ...] | None:
        return self.uses.most_common(1)[0][0] if self.uses else None

    def order(self) -> DateOrder:
        """The date order over every header in the file's style; ambiguous files are day first (Indonesian phones)."""
        style = self.style
        if style in self.year_first:
            return YEAR_FIRST
        if style in self.day_over_12:
            return DAY_FIRST
        return MONTH_FIRST if style in self.month_over_12 else DAY_FIRST

    def group(self) -> str | None:
        return self.named_group or self.groups.get(self.style)


def _style(header: re.Match[str]) -> tuple[object, ...]:
    """How a file writes its headers. A line in another style (a forwarded message quoted in the body)
    is not a new message."""
    return (header["open"], header["sep"], header["comma"], header["tsep"], header["second"] is None,
            header["ampm"] is None)


@dataclass(frozen=True)
class _Head:
    """A header line taken apart: the name (None on Android system lines), the first body line as
    written minus directional marks, and what the body is (placeholder, system event)."""

    name: str | None
    first: str
    system_event: str | None


def _head(message: _Message) -> _Head:
    rest = message.header["rest"]
    found = _NAME_AND_BODY.match(rest)
    text = _without_marks(message.raw_first)
    start = message.header.start("rest")
    if not found:
        return _Head(None, text[start:], _system_event(rest)[0])
    body_start = start + (found.start("body") if found["body"] is not None else
                          found.start("dot") if found["dot"] is not None else len(rest))
    first = text[body_start:]
    marked = len(text) < len(message.raw_first) and _marked_at(message.raw_first, body_start)
    event = _system_event(structural(first))[0] if marked and message.header["open"] else "other"
    return _Head(found["name"], first, None if event == "other" else event)


def _group_named_by(head: _Head) -> str | None:
    """The group a system line names: ``X created group "Y"``, else the name on an iOS encryption notice (iOS
    writes the chat's name there)."""
    if head.system_event is None:
        return None
    named = _system_event(structural(head.first))[1]
    if named:
        return named
    if head.system_event == "encryption" and head.name:
        return _person(head.name)[0]
    return None


def _to_record(message: _Message, head: _Head, order: DateOrder, group: str | None, source: Source,
               options: GenericOptions) -> Record:
    locator = f"line={message.line}"
    try:
        timestamp = _timestamp(message.header, order, options.tz)
    except ValueError:
        stamp = message.header.group(0)[: message.header.start("rest")].strip(" -\u2013[]")
        return Rejected(source.name, locator, f"impossible date or time {stamp!r}", message.raw_first.strip()[:160])
    body_lines = [head.first, *map(_without_marks, message.continuation)]
    while len(body_lines) > 1 and not body_lines[-1].strip():
        body_lines.pop()
    extras: dict[str, object] = {}
    kind = "group_message"
    first_structure = structural(head.first).strip()
    if _MEDIA.match(first_structure):
        extras["media"] = first_structure
        body_lines = body_lines[1:]
    elif _DELETED.match(first_structure):
        extras["deleted"] = first_structure
        body_lines = body_lines[1:]
    elif head.system_event is not None:
        kind = "system"
        extras["event"] = head.system_event
    text = "\n".join(body_lines)
    if _EDITED.search(text):
        text = _EDITED.sub("", text)
        extras["edited"] = True
    author, account = _person(head.name) if head.name is not None else (None, None)
    return new_item(platform=PLATFORM, kind=kind, text=text, source_file=source.name, locator=locator,
                    author=author, account=account, timestamp=timestamp, group=group, extras=extras)


ADAPTER = Adapter(name="whatsapp", recognise=recognise, parse=parse)


# --- the people a chat names besides its authors (for --pseudonymize) ----------------------------

# Where a system line's actor ends (before the verb) and, for added/removed, where the people it names start.
_ACTOR_ENDS = re.compile(
    r"\s(?:added|removed|left|joined|created|changed|deleted|is now|menambahkan|mengeluarkan|keluar|bergabung"
    r"|membuat|mengubah|mengganti|menghapus|sekarang)\b", re.I)
_OBJECTS_FOLLOW = re.compile(r"^\s(?:added|removed|menambahkan|mengeluarkan)\b", re.I)
_SECURITY_CODE_WITH = re.compile(r"\b(?:with|dengan) (?P<name>.+?) (?:changed|telah berubah|berubah)\b", re.I)
_LIST_SEPARATOR = re.compile(r",\s*|\s+(?:dan|and|&)\s+", re.I)
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")
_YOU = {"you", "anda", "kamu"}


GROUP_EVENTS = frozenset({"created", "added", "removed", "joined", "left", "subject", "icon", "description",
                          "settings", "admin"})  # system events only a group chat has


def people_named(text: str, event: str | None) -> list[str]:
    """The people (names or numbers) a system line names: its actor and the people it adds or removes.
    ``You``/``Anda`` are not names."""
    found = []
    line = _QUOTED.sub("", structural(text).split("\n", 1)[0]).strip()
    if event == "security_code":
        match = _SECURITY_CODE_WITH.search(line)
        found.append(match["name"] if match else "")
    elif event not in (None, "encryption", "disappearing"):
        verb = _ACTOR_ENDS.search(line)
        if verb:
            found.append(line[:verb.start()])
            if _OBJECTS_FOLLOW.match(line[verb.start():]):
                found += _LIST_SEPARATOR.split(line[verb.end():])
    names = (name.strip(" .~").strip() for name in found)
    return [name for name in dict.fromkeys(names) if name and name.casefold() not in _YOU]
