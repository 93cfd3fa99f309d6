"""The HTML report: one self-contained file (no network, works opened from disk) to read in a browser or print.

Python does everything that depends on the data: the matched words are cut out of each field here
(evidence offsets are Python ``str`` indices, JavaScript strings count UTF-16 units), links are kept only
when they are http(s), and every text is escaped by Jinja2's autoescape. The findings travel as JSON in a
``<script type="application/json">`` element with every ``<``, ``>`` and ``&`` escaped; the page's script
(``templates/report.js``) builds the findings table from it a page at a time, with DOM text nodes only
(never ``innerHTML``), sorts and filters it, and shows every matching row when printed.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from typing import Any, Callable, Iterable, Mapping, TextIO
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from netral_cli.report.document import Report, ReportMeta
from netral_cli.report.evidence import distinct_clauses, spans_in, with_dates
from netral_cli.report.i18n import words
from netral_cli.report.summary import Account, Summary, account_key, summarise
from netral_cli.score import LEVELS

HIGHLIGHTED_FIELDS = ("text", "target", "group")
MONTH_GAPS_FILLED_UP_TO = 120  # a longer span (a stray date) lists only the months that have findings
LEVEL_NAMES = tuple(name for name, _ in LEVELS)
STAGE_NAMES = ("bakal_calon", "calon", "unknown")


# --- matched words ---------------------------------------------------------------------------------------

def segments(value: str, spans: Iterable[tuple[int, int]]) -> list[str]:
    """``value`` cut at ``spans``: plain, marked, plain, ..., plain (the odd indexes are the marked words)."""
    pieces: list[str] = []
    at = 0
    for start, end in spans:
        pieces += [value[at:start], value[start:end]]
        at = end
    pieces.append(value[at:])
    return pieces


def marked(record: dict[str, Any], field: str) -> list[str] | None:
    value = record.get(field)
    if not value:
        return None
    return segments(value, spans_in(value, field, record.get("evidence") or ()))


# --- one finding as the page's script reads it -----------------------------------------------------------

def link(url: Any) -> str | None:
    """``url`` when it is an http(s) address, else None (a ``javascript:`` target never becomes a link)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def epoch(timestamp: str | None) -> float | None:
    """Seconds since 1970 of an ISO 8601 timestamp, to sort moments written with different offsets."""
    try:
        return datetime.fromisoformat(timestamp).timestamp() if timestamp else None
    except ValueError:
        return None


def reporting_window(record: dict[str, Any], meta: ReportMeta) -> tuple[str | None, str | None, int | None]:
    """(date found, report by, days left): the record's own fields, else counted from the report's dates
    (plain records made before the report stage added them)."""
    dated = record if "report_by" in record else with_dates(record, meta)
    return dated.get("found_on"), dated.get("report_by"), dated.get("days_left")


def reasons(evidence: Iterable[dict[str, Any]]) -> tuple[list[list[Any]], str | None]:
    """Per fired rule ``[rule, its first reason, the other words it matched]``, and the model's reason."""
    rules: dict[str, list[Any]] = {}
    quoted: dict[str, set[str]] = {}
    model_reason = None
    for entry in evidence:
        if entry.get("field") == "model":
            model_reason = entry.get("reason")
            continue
        rule, words = str(entry.get("rule", "")), entry.get("text") or ""
        if rule not in rules:
            rules[rule], quoted[rule] = [rule, entry.get("reason") or "", []], {words}
        elif words not in quoted[rule]:
            rules[rule][2].append(words)
            quoted[rule].add(words)
    return list(rules.values()), model_reason


def row(record: dict[str, Any], account: int | None, meta: ReportMeta) -> dict[str, Any]:
    """A record as one row of the findings table (short keys: 10,000 rows travel in the file); empty
    values are left out."""
    found_on, report_by, days_left = reporting_window(record, meta)
    rule_reasons, model_reason = reasons(record.get("evidence") or ())
    post = link(record.get("post_url")) or link(record.get("target"))
    target = marked(record, "target")
    if target and len(target) == 1 and target[0].strip() == post:
        target = None  # the post link shows it
    values = {
        "r": record["rank"], "s": record["score"], "l": record["level"], "ms": record.get("model_score"),
        "a": account, "au": record.get("author"), "ac": record.get("account"), "pf": record.get("platform"),
        "k": record.get("kind"), "pu": link(record.get("profile_url")),
        "t": record.get("timestamp"), "te": epoch(record.get("timestamp")),
        "tx": marked(record, "text"), "tg": target, "gr": marked(record, "group"), "po": post,
        "sk": record.get("skb"), "lb": distinct_clauses(record.get("legal_basis")), "sa": record.get("sanction"),
        "st": record.get("stage") or "unknown", "ca": record.get("candidates"),
        "sf": record.get("source_file"), "lo": record.get("locator"),
        "fo": found_on, "rb": report_by, "dl": days_left, "ev": rule_reasons, "mr": model_reason,
    }
    return {key: value for key, value in values.items() if value not in (None, "", [])}


def script_json(value: Any) -> Markup:
    """JSON safe inside a ``<script>`` element: no ``</script>`` or ``<!--`` can end or bend it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# --- the summary's bars ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: float  # of the longest bar
    key: str = ""


def bars(counts: Mapping[str, int], order: Iterable[str] | None = None,
         label: Callable[[str], str] = str) -> list[Bar]:
    """Bars in ``order`` (keys without a count left out), else most frequent first."""
    keys = [key for key in order if counts.get(key)] if order is not None else [
        key for key, _ in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))]
    top = max((counts[key] for key in keys), default=0)
    return [Bar(label(key), counts[key], 100.0 * counts[key] / top, key) for key in keys]


def month_keys(months: Mapping[str, int]) -> list[str]:
    """Every month from the first finding to the last (a month without findings shows as an empty
    column), then "?" for findings without a date."""
    dated = sorted(month for month in months if month != "?")
    if not dated:
        return list(months)
    first, last = (int(dated[0][:4]), int(dated[0][5:7])), (int(dated[-1][:4]), int(dated[-1][5:7]))
    span = (last[0] - first[0]) * 12 + last[1] - first[1]
    if span <= MONTH_GAPS_FILLED_UP_TO:
        dated = [f"{first[0] + (first[1] - 1 + i) // 12:04d}-{(first[1] - 1 + i) % 12 + 1:02d}"
                 for i in range(span + 1)]
    return dated + (["?"] if "?" in months else [])


def month_bars(months: Mapping[str, int], said: Mapping[str, str]) -> list[Bar]:
    names = said["html.months"].split()

    def label(month: str) -> str:
        return said["html.no_timestamp"] if month == "?" else f"{names[int(month[5:7]) - 1]} {month[:4]}"

    keys = month_keys(months)
    top = max(months.values(), default=0)
    return [Bar(label(key), months.get(key, 0), 100.0 * months.get(key, 0) / top if top else 0.0, key)
            for key in keys]


# --- the page --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def choices(counts: Counter[str], order: Iterable[str] | None = None, label: Callable[[str], str] = str) -> list[Choice]:
    keys = [key for key in order if counts.get(key)] if order is not None else sorted(counts)
    return [Choice(key, f"{label(key)} ({counts[key]})") for key in keys]


def account_label(account: Account) -> str:
    handle = f" ({account.key})" if account.key != account.name else ""
    return f"{account.name}{handle} · {account.platform}"


def filters(rows: list[dict[str, Any]], accounts: list[Account], said: Mapping[str, str]) -> dict[str, list[Choice]]:
    """The options of each filter: only values that occur, with their number of rows."""
    levels = Counter(r["l"] for r in rows)
    skb = Counter(item for r in rows for item in r.get("sk", ()))
    platforms = Counter(r.get("pf", "?") for r in rows)
    stages = Counter(r["st"] for r in rows)
    return {
        "level": choices(levels, LEVEL_NAMES, lambda key: said[f"level.{key}"]),
        "skb": choices(skb),
        "platform": choices(platforms),
        "stage": choices(stages, STAGE_NAMES, lambda key: said.get(f"stage.{key}", key)),
        "account": [Choice(str(i), f"{i + 1}. {account_label(a)} ({a.findings})") for i, a in enumerate(accounts)],
    }


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("netral_cli.report", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _asset(name: str) -> Markup:
    """The page's own CSS or script, inlined as it is (our code, not data)."""
    return Markup(files("netral_cli.report").joinpath("templates", name).read_text(encoding="utf-8"))


def stamp(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    return moment.isoformat(sep=" ") if isinstance(moment, datetime) else moment.isoformat()


def write(report: Report, out: TextIO) -> None:
    """The whole page; the records are read twice (counts, then rows)."""
    meta = report.meta
    said = words(meta.lang)
    summary: Summary = summarise(report.records())
    account_of = {(a.platform, a.key): i for i, a in enumerate(summary.accounts)}
    rows = [row(record, account_of.get(account_key(record)), meta) for record in report.records()]
    page = _environment().get_template("report.html").render(
        w=said, meta=meta, report=report, summary=summary, stamp=stamp, link=link,
        level_bars=bars(summary.levels, LEVEL_NAMES, lambda key: said[f"level.{key}"]),
        skb_bars=bars(summary.skb), platform_bars=bars(summary.platforms),
        stage_bars=bars(summary.stages, STAGE_NAMES, lambda key: said.get(f"stage.{key}", key)),
        month_bars=month_bars(summary.months, said), filters=filters(rows, summary.accounts, said),
        data=script_json({"words": said, "rows": rows}), css=_asset("report.css"), script=_asset("report.js"))
    out.write(page)
