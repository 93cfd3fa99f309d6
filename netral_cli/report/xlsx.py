"""The Excel workbook: Ringkasan (summary), Akun (accounts), Temuan (findings) and Ditolak (rejected);
with ``--lang en`` Summary, Accounts, Findings and Rejected.

Every sheet is one table: a bold header row, frozen, an autofilter over the table, columns as wide as
their contents up to a cap (long text wraps), level cells coloured.

- openpyxl's *write-only* mode streams each sheet's rows to a temporary file, so memory does not grow
  with cells (a normal workbook keeps a Python object per cell: 2.8 million of them for 100,000 findings;
  openpyxl 3.1 writes strings inline, so there is no table of strings either). What stays in memory is
  the accounts and at most 65,530 hyperlinks per sheet. The price is that column widths must
  be known before the first row: the records are read twice, once to count
  (:func:`~netral_cli.report.summary.summarise`) and measure, once to write.
- Text is never a formula: openpyxl makes a formula of any string starting with ``=``, so text cells get
  the string type explicitly, and those starting with ``= + - @``, a tab or a carriage return also get
  Excel's quote prefix (the hidden apostrophe), so that editing the cell in Excel keeps it text.
- The file is byte-identical for the same report: the document's created/modified dates and every zip
  entry's date come from ``ReportMeta.generated``.
- Excel's limits: a cell holds at most 32,767 characters (longer text is cut, with a marker saying how
  much), a sheet at most 65,530 hyperlinks and a link at most 2,079 characters (beyond that the
  address stays as text).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, BinaryIO, NamedTuple
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from netral_cli.report.document import FORMULA_STARTS, Report
from netral_cli.report.evidence import distinct_clauses
from netral_cli.report.i18n import capital, words
from netral_cli.report.summary import Account, Summary, by_count, summarise
from netral_cli.score import LEVELS

MAX_CELL = 32_767
MAX_LINKS = 65_530
MAX_URL = 2_079
# What XML 1.0 (so Excel) refuses: C0 controls but tab and newlines, surrogates, U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MIN_WIDTH, PADDING = 6, 2
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
LEVEL_FILLS = {"high": "F4B6B6", "medium": "FAD7A8", "low": "FFF2B3", "none": "E6E6E6"}
ZIP_EPOCH = datetime(1980, 1, 1)  # the earliest date a zip entry can carry

FONTS = {"bold": Font(bold=True), "link": Font(color="0563C1", underline="single")}
WRAP = Alignment(wrap_text=True, vertical="top")
FILLS = {level: PatternFill("solid", start_color=colour, end_color=colour) for level, colour in LEVEL_FILLS.items()}
URL = re.compile(r"https?://\S+\Z", re.IGNORECASE)


# --- cells ------------------------------------------------------------------------------------------

# Value and Look are named tuples, not frozen dataclasses: a report makes one or two per cell (millions for a
# large --all report), and a tuple is made, compared and hashed in C.
class Value(NamedTuple):
    """What a cell shows; ``kind`` says how: text, number, link, datetime (ISO 8601), date
    (YYYY-MM-DD) or level (a record's level name, shown translated and coloured)."""

    value: Any
    kind: str = "text"


def text(value: Any) -> Value:
    return Value(value, "text")


def listed(values: Iterable[Any] | None) -> Value:
    return Value("; ".join(map(str, values or ())), "text")


class Look(NamedTuple):
    """How a cell looks, beyond its value."""

    font: str | None = None  # a key of FONTS
    level: str | None = None
    wrap: bool = False
    number_format: str | None = None
    quoted: bool = False


PLAIN = Look()
_UNSTYLED = {False: PLAIN, True: Look(wrap=True)}  # a cell's look before its value is known


class Sheet:
    """One write-only sheet holding one table: header first, then rows; :meth:`close` sets the filter."""

    def __init__(self, workbook: Workbook, title: str, headers: Sequence[str], widths: Sequence[int],
                 wraps: Sequence[bool], lang: Mapping[str, str]):
        self.sheet = workbook.create_sheet(title)
        self.words = lang
        self.wraps = wraps
        self.rows = 0
        self.links = 0
        self.looks: dict[Look, Any] = {}
        for index, width in enumerate(widths, 1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self.append([self.made(*self.text(capital(name), Look(font="bold"))) for name in headers])
        self.columns = len(headers)

    def append(self, cells: list[Any]) -> None:
        self.sheet.append(cells)
        self.rows += 1

    def row(self, values: Sequence[Value]) -> None:
        self.append([None if value.value in (None, "") else self.cell(value, wrap)
                     for value, wrap in zip(values, self.wraps)])

    def close(self) -> None:
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.columns)}{self.rows}"

    def cell(self, value: Value, wrap: bool) -> Any:
        """The cell, or the bare value when it needs neither a look nor a type of its own."""
        look, link = _UNSTYLED[wrap], None
        moment = excel_date(str(value.value), value.kind) if value.kind in ("datetime", "date") else None
        if value.kind == "number":
            content: Any = value.value
        elif value.kind == "level":
            content, look = self.text(self.words.get(f"level.{value.value}", value.value),
                                      Look(level=value.value if value.value in FILLS else "none", wrap=wrap))
        elif moment is not None:
            content = moment
            look = Look(wrap=wrap, number_format=DATETIME_FORMAT if value.kind == "datetime" else DATE_FORMAT)
        else:
            content, look = self.text(value.value, look)
            if value.kind == "link" and URL.match(content) and len(content) <= MAX_URL and self.links < MAX_LINKS:
                link, look = content, Look(font="link", wrap=wrap)
                self.links += 1
        if look == PLAIN and not isinstance(content, str):
            return content
        return self.made(content, look, link)

    def text(self, value: Any, look: Look) -> tuple[str, Look]:
        """Text Excel accepts, and marked as text when Excel could take it for a formula."""
        string = fit(NOT_XML.sub("\ufffd", str(value)), self.words)
        quoted = string.startswith(FORMULA_STARTS)
        return string, look if quoted == look.quoted else look._replace(quoted=quoted)

    def made(self, content: Any, look: Look, link: str | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet)
        cell.value = content
        if isinstance(content, str):
            cell.data_type = "s"  # openpyxl would make a formula of "=..."
        if link:
            cell.hyperlink = link
        if look != PLAIN:
            self.dress(cell, look)
        return cell

    def dress(self, cell: WriteOnlyCell, look: Look) -> None:
        """Gives ``cell`` its look. Setting a style looks it up in the workbook's style lists, which costs
        more than writing the cell, so each look is set once and its style indices copied after that."""
        if look in self.looks:
            cell._style = copy(self.looks[look])
            return
        if look.font:
            cell.font = FONTS[look.font]
        if look.level:
            cell.fill = FILLS[look.level]
        if look.wrap:
            cell.alignment = WRAP
        if look.number_format:
            cell.number_format = look.number_format
        cell.quotePrefix = look.quoted
        self.looks[look] = copy(cell._style)


def fit(string: str, lang: Mapping[str, str]) -> str:
    """``string`` cut to Excel's cell limit, ending with a marker that says how much was cut."""
    if len(string) <= MAX_CELL:
        return string
    kept = MAX_CELL - len(lang["truncated"].format(n=len(string)))  # the marker is never longer than this
    return string[:kept] + lang["truncated"].format(n=len(string) - kept)


def excel_date(value: str, kind: str) -> datetime | date | None:
    """An ISO 8601 timestamp as its wall-clock time (Excel has no time zones; the offset gets its own
    column), a date as a date; ``None`` when it is neither."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if kind == "datetime" else moment.date()


def utc_offset(timestamp: str | None) -> str:
    """``+07:00`` for ``2024-01-20T19:02:11+07:00``; empty without an offset."""
    try:
        offset = datetime.fromisoformat(timestamp).utcoffset() if timestamp else None
    except ValueError:
        return ""
    if offset is None:
        return ""
    minutes = int(offset.total_seconds()) // 60
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def width_of(value: Value) -> int:
    if value.kind == "datetime":
        return len("2024-01-20 19:02:11")
    if value.kind == "date":
        return len("2024-01-20")
    if value.kind == "level":
        return len("tidak ada")
    if value.value is None:
        return 0
    return max(map(len, str(value.value).split("\n"))) if value.value != "" else 0


# --- tables -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A table column: its header word, its value for a row, the widest it gets, and whether text wraps."""

    header: str
    value: Callable[[Any], Value]
    cap: int = 30
    wrap: bool = False


class Widths:
    """The widest value seen per column, capped; a column is never narrower than its header."""

    def __init__(self, columns: Sequence[Column], lang: Mapping[str, str]):
        self.columns = columns
        self.headers = [len(lang[column.header]) for column in columns]
        self.widest = [0] * len(columns)

    def measure(self, row: Any) -> None:
        widest = self.widest
        for index, column in enumerate(self.columns):
            if widest[index] < column.cap:  # a column at its cap is done: its values are not made again
                widest[index] = max(widest[index], min(width_of(column.value(row)), column.cap))

    def widths(self) -> list[int]:
        return [max(MIN_WIDTH, header, width) + PADDING for header, width in zip(self.headers, self.widest)]


def table(workbook: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Any], widths: Widths,
          lang: Mapping[str, str]) -> None:
    sheet = Sheet(workbook, title, [lang[column.header] for column in columns], widths.widths(),
                  [column.wrap for column in columns], lang)
    for row in rows:
        sheet.row([column.value(row) for column in columns])
    sheet.close()


def measured(columns: Sequence[Column], rows: Sequence[Any], lang: Mapping[str, str]) -> Widths:
    widths = Widths(columns, lang)
    for row in rows:
        widths.measure(row)
    return widths


def evidence_text(evidence: list[dict[str, Any]] | None) -> str:
    """One line per rule: ``rule (SKB): “span”, “span”``; spans outside the text name their field; the
    model's line gives the words that raised its probability."""
    lines: dict[tuple[str, str], list[str]] = {}
    for entry in evidence or ():
        quoted = f"\u201c{entry.get('text', '')}\u201d"
        if entry.get("field") == "model":
            quoted = str(entry.get("text", ""))
        elif entry.get("field") not in (None, "text"):
            quoted = f"{entry['field']}: {quoted}"
        if entry.get("note"):
            quoted += f" ({entry['note']})"
        lines.setdefault((entry.get("rule", ""), entry.get("skb", "")), []).append(quoted)
    return "\n".join(f"{rule} ({skb}): {', '.join(spans)}" for (rule, skb), spans in lines.items())


def finding_columns(lang: Mapping[str, str]) -> tuple[Column, ...]:
    """Every record field (contract fields, then the evidence fields) grouped as an analyst reads them."""
    get = dict.get
    return (
        Column("rank", lambda r: Value(r["rank"], "number"), 8),
        Column("score", lambda r: Value(r["score"], "number"), 8),
        Column("level", lambda r: Value(r["level"], "level"), 12),
        Column("item_id", lambda r: text(r["item_id"]), 18),
        Column("platform", lambda r: text(get(r, "platform")), 12),
        Column("kind", lambda r: text(get(r, "kind")), 14),
        Column("author", lambda r: text(get(r, "author")), 28, wrap=True),
        Column("account", lambda r: text(get(r, "account")), 28, wrap=True),
        Column("profile_url", lambda r: Value(get(r, "profile_url"), "link"), 40),
        Column("timestamp", lambda r: Value(get(r, "timestamp"), "datetime"), 20),
        Column("utc_offset", lambda r: text(utc_offset(get(r, "timestamp"))), 8),
        Column("text", lambda r: text(get(r, "text")), 70, wrap=True),
        Column("target", lambda r: Value(get(r, "target"), "link"), 40, wrap=True),
        Column("post_url", lambda r: Value(get(r, "post_url"), "link"), 40),
        Column("group", lambda r: text(get(r, "group")), 28, wrap=True),
        Column("rules", lambda r: listed(get(r, "rules")), 40, wrap=True),
        Column("skb", lambda r: listed(get(r, "skb")), 14),
        Column("stage", lambda r: text(lang.get(f"stage.{get(r, 'stage')}", get(r, "stage"))), 16),
        Column("candidates", lambda r: listed(get(r, "candidates")), 24, wrap=True),
        Column("legal_basis", lambda r: listed(distinct_clauses(get(r, "legal_basis"))), 50, wrap=True),
        Column("sanction", lambda r: listed(get(r, "sanction")), 40, wrap=True),
        Column("model_score", lambda r: Value(get(r, "model_score"), "number"), 10),
        Column("evidence", lambda r: text(evidence_text(get(r, "evidence"))), 80, wrap=True),
        Column("source_file", lambda r: text(get(r, "source_file")), 40, wrap=True),
        Column("locator", lambda r: text(get(r, "locator")), 24),
        Column("found_on", lambda r: Value(get(r, "found_on"), "date"), 12),
        Column("report_by", lambda r: Value(get(r, "report_by"), "date"), 12),
        Column("days_left", lambda r: Value(get(r, "days_left"), "number"), 9),
    )


def account_columns() -> tuple[Column, ...]:
    """Columns of (rank, :class:`Account`) rows."""
    return (
        Column("rank", lambda ranked: Value(ranked[0], "number"), 8),
        Column("account_score", lambda ranked: Value(round(ranked[1].score, 6), "number"), 10),
        Column("author", lambda ranked: text(ranked[1].name), 28, wrap=True),
        Column("handle", lambda ranked: text(ranked[1].key), 28, wrap=True),
        Column("platform", lambda ranked: text(ranked[1].platform), 12),
        Column("profile_url", lambda ranked: Value(ranked[1].profile_url, "link"), 40),
        Column("findings_count", lambda ranked: Value(ranked[1].findings, "number"), 10),
        *(Column(f"level.{level}", lambda ranked, level=level: Value(ranked[1].levels.get(level, 0), "number"), 10)
          for level in ("high", "medium", "low")),
        Column("skb", lambda ranked: text(skb_counts(ranked[1])), 30, wrap=True),
        Column("first_seen", lambda ranked: Value(ranked[1].first, "datetime"), 20),
        Column("last_seen", lambda ranked: Value(ranked[1].last, "datetime"), 20),
        Column("finding_ranks", lambda ranked: text(", ".join(map(str, ranked[1].ranks))), 40, wrap=True),
    )


def skb_counts(account: Account) -> str:
    """``A2/B2 ×3; B5 ×1``: most frequent first."""
    return "; ".join(f"{item} \u00d7{count}" for item, count in by_count(account.skb))


SUMMARY_COLUMNS = (
    Column("section", lambda row: text(row[0]), 30, wrap=True),
    Column("item", lambda row: row[1], 60, wrap=True),
    Column("value", lambda row: row[2], 60, wrap=True),
)


def summary_rows(report: Report, summary: Summary, lang: Mapping[str, str]) -> Iterator[tuple[str, Value, Value]]:
    """(section, item, value) rows: provenance, accounting, then the counts."""
    meta = report.meta
    section = lang["report"]
    yield section, text(lang["generated"]), text(meta.generated.isoformat() if meta.generated else "")
    yield section, text(lang["version"]), text(meta.version)
    for source in meta.inputs:
        yield section, text(lang["inputs"]), text(source)
    yield section, text(lang["rules_dir"]), text(meta.rules)
    yield section, text(lang["model"]), text(meta.model)
    yield section, text(lang["threshold"]), Value(meta.threshold, "number")
    yield section, text(lang["context"]), text(meta.context or lang["none"])
    yield section, text(lang["found_on"]), Value(meta.found_on.isoformat() if meta.found_on else None, "date")
    yield section, text(lang["pseudonymized"]), text(lang["yes"] if meta.pseudonymized else lang["no"])
    section = lang["accounting"]
    for label, count in ((lang["read"], report.read), (lang["scored"], report.scored),
                         (lang["rejected"], len(report.rejected)), (lang["skipped"], len(report.skipped)),
                         (lang["findings"], summary.findings)):
        yield section, text(capital(label)), Value(count, "number")
    for level, _ in LEVELS:
        yield lang["levels_scored"], Value(level, "level"), Value(report.levels.get(level, 0), "number")
    for item, count in by_count(summary.skb):
        yield lang["skb"], text(item), Value(count, "number")
    for platform, count in by_count(summary.platforms):
        yield lang["platform"], text(platform), Value(count, "number")
    for stage, count in by_count(summary.stages):
        yield lang["stage"], text(lang.get(f"stage.{stage}", stage)), Value(count, "number")
    for month, count in sorted(summary.months.items(), key=lambda pair: (pair[0] == "?", pair[0])):
        yield lang["month"], text(month), Value(count, "number")
    yield lang["formula"], text(lang["formula.text"]), text("")


REJECTED_COLUMNS = (
    Column("kind", lambda row: text(row[0]), 20),
    Column("source_file", lambda row: text(row[1]), 50, wrap=True),
    Column("locator", lambda row: text(row[2]), 24),
    Column("reason", lambda row: text(row[3]), 60, wrap=True),
    Column("excerpt", lambda row: text(row[4]), 60, wrap=True),
)


def rejected_rows(report: Report, lang: Mapping[str, str]) -> list[tuple[str, str, str, str, str]]:
    rows = [(lang["rejected_record"], r.source_file, r.locator, r.reason, r.excerpt) for r in report.rejected]
    return rows + [(lang["skipped_file"], s.source_file, "", s.reason, "") for s in report.skipped]


# --- the workbook -----------------------------------------------------------------------------------

def write(report: Report, out: BinaryIO) -> None:
    lang = words(report.meta.lang)
    findings = finding_columns(lang)
    finding_widths = Widths(findings, lang)
    summary = summarise(measuring(report.records(), finding_widths))
    workbook = Workbook(write_only=True)
    summary_table = list(summary_rows(report, summary, lang))
    table(workbook, lang["summary"], SUMMARY_COLUMNS, summary_table, measured(SUMMARY_COLUMNS, summary_table, lang),
          lang)
    accounts = list(enumerate(summary.accounts, 1))
    table(workbook, lang["accounts"], account_columns(), accounts, measured(account_columns(), accounts, lang), lang)
    table(workbook, lang["findings"], findings, report.records(), finding_widths, lang)
    rejected = rejected_rows(report, lang)
    table(workbook, lang["rejected"], REJECTED_COLUMNS, rejected, measured(REJECTED_COLUMNS, rejected, lang), lang)
    save(workbook, out, report.meta.generated, lang["title"])


def measuring(records: Iterator[dict[str, Any]], widths: Widths) -> Iterator[dict[str, Any]]:
    for record in records:
        widths.measure(record)
        yield record


def save(workbook: Workbook, out: BinaryIO, generated: datetime | None, title: str) -> None:
    """The workbook into ``out``, its dates all ``generated`` (UTC), so equal reports give equal bytes."""
    moment = generated.astimezone(timezone.utc).replace(tzinfo=None) if generated else ZIP_EPOCH
    moment = max(moment, ZIP_EPOCH)
    workbook.properties.created = workbook.properties.modified = moment
    workbook.properties.creator = "netral"
    workbook.properties.title = title
    with DatedZip(out, moment) as archive:
        ExcelWriter(workbook, archive).save()  # not Workbook.save, which stamps the current time


class DatedZip(ZipFile):
    """A zip whose entries all carry one date (``ZipFile`` stamps the current time or a file's)."""

    def __init__(self, out: BinaryIO, moment: datetime):
        super().__init__(out, "w", ZIP_DEFLATED, allowZip64=True)
        self.stamp = moment.timetuple()[:6]

    def entry(self, name: str) -> ZipInfo:
        info = ZipInfo(name, self.stamp)
        info.compress_type = ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def writestr(self, name: str | ZipInfo, data: str | bytes, *args: Any, **kwargs: Any) -> None:
        super().writestr(self.entry(name) if isinstance(name, str) else name, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """A worksheet's temporary file, streamed in (it may be large)."""
        with open(filename, "rb") as source, self.open(self.entry(arcname or str(filename)), "w") as target:
            shutil.copyfileobj(source, target)
