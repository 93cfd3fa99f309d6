"""Election contexts: one election's tickets, campaign accounts and calendar, loaded from YAML.

A context decides, for each item, the **stage** (``calon`` from 00:00 Asia/Jakarta of the KPU's
determination day, ``bakal_calon`` before, ``unknown`` without a timestamp), whether number gestures
mean a ticket yet (only from the number draw), and whether the item falls in the quiet period. It
also fills the rules' ``context:`` conditions (ticket names, slogans, hashtags, gestures, campaign
accounts); without a context those conditions match nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from netral_cli.errors import Location, RuleError
from netral_cli.normalise import MENTION, URL, Normalised, Token, normalise
from netral_cli.rules.conditions import (AllOf, AnyOf, Condition, ContextSet, Doc, Docs, Hashtag, NoneOf, Phrase,
                                         Result, Span)
from netral_cli.rules.engine import context_files
from netral_cli.rules.rule import Rule
from netral_cli.rules.schema import locate, schema_issues
from netral_cli.rules.yamlload import LocatedDict, load_file

JAKARTA = ZoneInfo("Asia/Jakarta")
UNKNOWN, BAKAL_CALON, CALON = "unknown", "bakal_calon", "calon"
NUMBER_GESTURES = frozenset({"gestur_1_jari", "gestur_2_jari", "gestur_3_jari", "gestur_4_jari"})
MASKED_GESTURE, MASKED_NUMBER = "gestur_jari", "x"
_HOST_ALIASES = {"twitter.com": "x.com", "fb.com": "facebook.com", "vt.tiktok.com": "tiktok.com",
                 "instagr.am": "instagram.com", "youtu.be": "youtube.com"}
_HOST_PREFIXES = ("www.", "m.", "mobile.", "web.", "mbasic.")
_NOT_HANDLES = frozenset({"groups", "pages", "p", "reel", "reels", "watch", "channel", "c", "user", "video",
                          "profile.php", "people", "share", "stories", "events"})
_OWNER_FOLDERS = frozenset({"groups", "pages", "channel", "c", "user"})  # <folder>/<name>/... names the owner
_URL_RE = re.compile(r"^(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?$")
_HANDLE_RE = re.compile(r"^@?[a-z0-9_.]+$")
TICKET_WORD = "tiket"  # evidence notes name a ticket as "tiket 02" (Ticket.label, CampaignAccount.label)
_TICKET_IN_NOTE = re.compile(rf"\b{TICKET_WORD} (\d+)\b")


@dataclass(frozen=True)
class Period:
    """First and last day, both included."""

    start: date
    end: date


@dataclass(frozen=True)
class Calendar:
    determination: date
    number_draw: date
    campaign: Period
    quiet: Period
    voting: date
    registration: Period | None = None


@dataclass(frozen=True)
class Ticket:
    number: int
    names: tuple[str, ...]
    nicknames: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    slogans: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    gestures: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{TICKET_WORD} {self.number:02d} ({' - '.join(self.names)})"


@dataclass(frozen=True)
class CampaignAccount:
    platform: str
    kind: str = "account"
    handle: str | None = None
    url: str | None = None
    name: str | None = None
    ticket: int | None = None

    @property
    def label(self) -> str:
        shown = self.handle or self.url or self.name
        ticket = f", {TICKET_WORD} {self.ticket:02d}" if self.ticket is not None else ""
        return f"akun kampanye {shown} ({self.platform} {self.kind}{ticket})"

    @property
    def keys(self) -> frozenset[str]:
        """Every identifier of the account: handle, URL (normalised) and name."""
        return frozenset(k for value in (self.handle, self.url, self.name) if value for k in account_keys(value))


@dataclass(frozen=True)
class Context:
    name: str
    type: str
    calendar: Calendar
    tickets: tuple[Ticket, ...]
    accounts: tuple[CampaignAccount, ...] = ()
    region: str = ""
    path: str = ""

    def stage_at(self, timestamp: datetime | None) -> str:
        if timestamp is None:
            return UNKNOWN
        return CALON if _local(timestamp) >= day_start(self.calendar.determination) else BAKAL_CALON

    def number_gestures_count(self, timestamp: datetime | None) -> bool:
        """Before the number draw a ✌️ is not a ticket gesture; without a timestamp it may be."""
        return timestamp is None or _local(timestamp) >= day_start(self.calendar.number_draw)

    def in_quiet_period(self, timestamp: datetime | None) -> bool:
        quiet = self.calendar.quiet
        return timestamp is not None and day_start(quiet.start) <= _local(timestamp) < day_start(
            quiet.end + timedelta(days=1))


def tickets_in(note: str) -> list[int]:
    """The ticket numbers an evidence note names (a context's labels), in the order they appear."""
    return [int(number) for number in _TICKET_IN_NOTE.findall(note)]


def day_start(day: date) -> datetime:
    """00:00 of ``day`` in Asia/Jakarta."""
    return datetime.combine(day, time(), JAKARTA)


def _local(timestamp: datetime) -> datetime:
    return timestamp.replace(tzinfo=JAKARTA) if timestamp.tzinfo is None else timestamp


# --- Where an item stands in the election -------------------------------------------------------------

@dataclass(frozen=True)
class Situation:
    """What the context says about one item's moment."""

    stage: str = UNKNOWN
    quiet: bool = False
    gestures_count: bool = True


NO_CONTEXT = Situation()


def situate(context: Context | None, timestamp: datetime | None) -> Situation:
    if context is None:
        return NO_CONTEXT
    return Situation(context.stage_at(timestamp), context.in_quiet_period(timestamp),
                     context.number_gestures_count(timestamp))


def docs_in_situation(docs: Mapping[str, Doc], situation: Situation) -> Mapping[str, Doc]:
    """The docs rules see: before the number draw, number gestures are masked (☝️ ✌️ 🤟, "2 jari")."""
    if situation.gestures_count:
        return docs
    return {name: Doc(mask_number_gestures(doc.normalised)) for name, doc in docs.items()}


def mask_number_gestures(normalised: Normalised) -> Normalised:
    """``gestur_2_jari`` -> ``gestur_jari`` and ``2 jari`` -> ``x jari``; offsets stay as they were."""
    tokens = normalised.tokens
    masked: list[Token] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1].text if index + 1 < len(tokens) else ""
        if token.text in NUMBER_GESTURES:
            token = Token(MASKED_GESTURE, token.start, token.end, token.kind)
        elif token.text in ("1", "2", "3", "4") and following == "jari":
            token = Token(MASKED_NUMBER, token.start, token.end, token.kind)
        masked.append(token)
    return Normalised(normalised.original, tuple(masked), normalised.hashtags)


# --- Account identifiers ---------------------------------------------------------------------------------

def account_keys(value: str) -> frozenset[str]:
    """Identifiers to compare accounts by: ``https://www.instagram.com/relawan.x/``,
    ``instagram.com/relawan.x`` and ``@relawan.x`` all give ``@relawan.x``; a name gives ``name:<words>``."""
    text = value.strip().casefold()
    if not text:
        return frozenset()
    if _URL_RE.match(text):
        return _url_keys(text)
    if _HANDLE_RE.match(text):
        return frozenset({"@" + text.lstrip("@").rstrip(".")})
    return frozenset({"name:" + " ".join(re.findall(r"\w+", text))})


def _url_keys(url: str) -> frozenset[str]:
    url = re.sub(r"^https?://", "", url)
    url = re.split(r"[?#]", url, maxsplit=1)[0].rstrip("/")
    host, _, path = url.partition("/")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix):]
    host = _HOST_ALIASES.get(host, host)
    segments = [s for s in path.split("/") if s]
    keys = {f"{host}/{'/'.join(segments)}" if segments else host}
    if segments and segments[0] not in _NOT_HANDLES:
        keys.add("@" + segments[0].lstrip("@"))
    elif len(segments) > 2 and segments[0] in _OWNER_FOLDERS:
        keys.add(f"{host}/{segments[0]}/{segments[1]}")  # a post or permalink inside a group or page
    return frozenset(keys)


# --- context: conditions -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Terms:
    """Phrases or hashtags from the context, each with what it stands for (the evidence note)."""

    entries: tuple[tuple[Phrase | Hashtag, str], ...]

    def match(self, docs: Docs) -> Result:
        spans = [replace(span, note=note) for condition, note in self.entries for span in condition.match(docs) or ()]
        return spans or None


@dataclass(frozen=True)
class CampaignAccounts:
    """The item's target or group is a campaign account, page or group of the context (by handle,
    normalised URL or name), or its text names or links one (a like's activity title, a tag)."""

    by_key: tuple[tuple[str, str], ...]
    names: tuple[tuple[tuple[str, ...], str], ...]
    fields: tuple[str, ...] = ("target", "group", "text")

    def names_in(self, field_name: str) -> Terms:
        return Terms(tuple((Phrase((words,), field_name), note) for words, note in self.names))

    def match(self, docs: Docs) -> Result:
        labels = dict(self.by_key)
        spans: list[Span] = []
        for field_name in self.fields:
            doc = docs.get(field_name)
            if doc is None:
                continue
            whole = [labels[k] for k in sorted(account_keys(doc.normalised.original)) if k in labels]
            if whole and doc.words and field_name != "text":
                spans += [Span(field_name, 0, len(doc.words) - 1, note) for note in whole]
                continue
            spans += list(_token_account_spans(doc, field_name, labels))
            spans += self.names_in(field_name).match(docs) or []
        return spans or None


def _token_account_spans(doc: Doc, field_name: str, labels: Mapping[str, str]) -> Iterator[Span]:
    if URL not in doc.normalised.kinds and MENTION not in doc.normalised.kinds:
        return  # without making the tokens' offsets
    original = doc.normalised.original
    for index, token in enumerate(doc.normalised.tokens):
        if token.kind in (URL, MENTION):
            for key in sorted(account_keys(original[token.start:token.end])):
                if key in labels:
                    yield Span(field_name, index, index, labels[key])
                    break


def _phrase(term: str) -> tuple[str, ...]:
    return normalise(term).words


def term_condition(context: Context, name: str, field_name: str) -> Condition:
    """The concrete condition for ``context: <name>``."""
    if name == "campaign_accounts":
        by_key = {key: account.label for account in context.accounts for key in sorted(account.keys)
                  if not key.startswith("name:")}
        names = tuple((_phrase(a.name), a.label) for a in context.accounts if a.name and _phrase(a.name))
        return CampaignAccounts(tuple(sorted(by_key.items())), names)
    lists = {"tickets": ("names", "nicknames"), "names": ("names",), "nicknames": ("nicknames",),
             "parties": ("parties",), "slogans": ("slogans",), "gestures": ("gestures",), "hashtags": ("hashtags",)}
    entries: dict[Phrase | Hashtag, str] = {}  # one note per condition: ☝️ and 👆 are the same gesture token
    for ticket in context.tickets:
        for attribute in lists[name]:
            for term in getattr(ticket, attribute):
                note = f"{ticket.label}: {attribute[:-1]} {term}"
                words = _phrase(term)
                if attribute == "hashtags":
                    entries.setdefault(Hashtag(frozenset({term.lstrip("#").casefold()}), field_name), note)
                elif words:
                    entries.setdefault(Phrase((words,), field_name), note)
    return Terms(tuple(entries.items()))


def bind_condition(condition: Condition, context: Context) -> Condition:
    if isinstance(condition, ContextSet):
        return term_condition(context, condition.name, condition.field)
    if isinstance(condition, (AnyOf, AllOf, NoneOf)):
        return type(condition)(tuple(bind_condition(c, context) for c in condition.children))
    return condition


def uses_context(condition: Condition) -> bool:
    if isinstance(condition, ContextSet):
        return True
    return isinstance(condition, (AnyOf, AllOf, NoneOf)) and any(uses_context(c) for c in condition.children)


def bind_rules(rules: Iterable[Rule], context: Context | None) -> tuple[Rule, ...]:
    """Rules with their ``context:`` conditions filled from ``context`` (unchanged without one)."""
    rules = tuple(rules)
    if context is None:
        return rules
    return tuple(replace(r, condition=bind_condition(r.condition, context)) if uses_context(r.condition) else r
                 for r in rules)


# --- Loading ------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def load_context(path: str | Path) -> Context:
    """A context file, validated; the first problem is raised as a RuleError at its file and line."""
    context, problems = read_context(path)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RuleError(first.message + more, first.location)
    assert context is not None
    return context


def read_context(path: str | Path) -> tuple[Context | None, list[RuleError]]:
    """A context and every problem found in its file (schema, then dates and ticket numbers)."""
    path_text = str(path)
    try:
        documents = load_file(Path(path), "context")
    except RuleError as exc:
        return None, [exc]
    if len(documents) != 1:
        return None, [RuleError(f"a context file holds exactly one YAML document (found {len(documents)})",
                                Location(path_text, line=1))]
    data = documents[0]
    problems = schema_problems(data, path_text)
    if problems:
        return None, problems
    context = _build(data, path_text)
    problems = consistency_problems(context, data, path_text)
    return (None, problems) if problems else (context, [])


def schema_problems(data: Any, path: str) -> list[RuleError]:
    """Schema violations, each at the line of the offending key or item."""
    return [RuleError(issue.message, Location(path, line=issue.line, column=issue.column))
            for issue in schema_issues(data, path, "context")]


def _line_at(data: Any, where: list[Any]) -> int | None:
    return locate(data, where)[0]


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _period(value: Any) -> Period | None:
    return Period(_day(value["start"]), _day(value["end"])) if value else None


def _build(data: Mapping[str, Any], path: str) -> Context:
    cal = data["calendar"]
    calendar = Calendar(determination=_day(cal["determination"]), number_draw=_day(cal["number_draw"]),
                        campaign=_period(cal["campaign"]), quiet=_period(cal["quiet"]),  # type: ignore[arg-type]
                        voting=_day(cal["voting"]), registration=_period(cal.get("registration")))
    tickets = tuple(Ticket(number=t["number"], **{k: tuple(t.get(k) or ()) for k in
                                                  ("names", "nicknames", "parties", "slogans", "hashtags", "gestures")})
                    for t in data["tickets"])
    accounts = tuple(CampaignAccount(platform=a["platform"], kind=a.get("kind", "account"), handle=a.get("handle"),
                                     url=a.get("url"), name=a.get("name"), ticket=a.get("ticket"))
                     for a in data.get("campaign_accounts") or ())
    return Context(name=data["name"], type=data["type"], calendar=calendar, tickets=tickets, accounts=accounts,
                   region=data.get("region", ""), path=path)


def consistency_problems(context: Context, data: LocatedDict, path: str) -> list[RuleError]:
    """What the schema cannot say: the calendar runs forward, ticket numbers are unique and referenced."""
    problems = []
    cal = context.calendar
    registration = cal.registration
    order = [("registration.start", registration.start if registration else None),
             ("registration.end", registration.end if registration else None),
             ("determination", cal.determination), ("number_draw", cal.number_draw),
             ("campaign.start", cal.campaign.start), ("campaign.end", cal.campaign.end),
             ("quiet.start", cal.quiet.start), ("quiet.end", cal.quiet.end), ("voting", cal.voting)]
    dated = [(name, day) for name, day in order if day is not None]
    for (before, first), (after, second) in zip(dated, dated[1:]):
        if second < first:
            line = _line_at(data, ["calendar", *after.split(".")])
            problems.append(RuleError(f"calendar.{after} ({second}) is before calendar.{before} ({first})",
                                      Location(path, line=line)))
    numbers: dict[int, int] = {}
    for index, ticket in enumerate(context.tickets):
        if ticket.number in numbers:
            problems.append(RuleError(f"tickets[{index}].number: ticket {ticket.number} is defined twice",
                                      Location(path, line=_line_at(data, ["tickets", index, "number"]))))
        numbers.setdefault(ticket.number, index)
    for index, account in enumerate(context.accounts):
        if account.ticket is not None and account.ticket not in numbers:
            problems.append(RuleError(f"campaign_accounts[{index}].ticket: no ticket number {account.ticket}",
                                      Location(path, line=_line_at(data, ["campaign_accounts", index, "ticket"]))))
    return sorted(problems, key=lambda e: e.location.line or 0)


def context_folder_problems(rules_dir: str | Path) -> list[RuleError]:
    """Every problem of every context file in the ``contexts/`` folder of a rule directory."""
    return [problem for path in context_files(rules_dir) for problem in read_context(path)[1]]


@lru_cache(maxsize=16)
def cached_context(path: str) -> Context:
    """A context file loaded once per process (rule examples share them)."""
    return load_context(path)
