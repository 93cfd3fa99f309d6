"""A Markdown summary short enough to paste into a chat or an e-mail: about 30 lines whatever the size
of the report. Provenance, counts, the top accounts, the top findings with their matched words in bold,
and how many more there are; the full report is the XLSX or HTML one."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from netral_cli.report.document import Report, ReportMeta
from netral_cli.report.evidence import spans_in
from netral_cli.report.i18n import capital, words
from netral_cli.report.summary import Account, by_count, is_finding, summarise
from netral_cli.score import LEVELS

TOP_ACCOUNTS = 5
TOP_FINDINGS = 10
QUOTE = 160  # characters of a finding's text shown around its first match
SHOWN_INPUTS = 3
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>~])")
URL = re.compile(r"https?://[^\s<>]+\Z", re.IGNORECASE)


def write(report: Report, out: TextIO) -> None:
    lang = words(report.meta.lang)
    top: list[dict[str, Any]] = []
    summary = summarise(keeping_top(report.records(), top))
    lines = [f"# {lang['title']}", "", provenance(report.meta, lang), "", counts(report, lang), ""]
    if summary.findings:
        lines += [f"## {lang['top_accounts'].format(n=min(TOP_ACCOUNTS, len(summary.accounts)))}", ""]
        lines += [account_line(place, account, lang)
                  for place, account in enumerate(summary.accounts[:TOP_ACCOUNTS], 1)]
        lines += ["", f"## {lang['top_findings'].format(n=len(top))}", ""]
        lines += [finding_line(record, lang) for record in top]
        if summary.findings > len(top):
            lines += ["", lang["more_findings"].format(n=summary.findings - len(top))]
    else:
        lines += [lang["no_findings"]]
    lines += ["", lang["rejected_line"].format(n=len(report.rejected), m=len(report.skipped))]
    out.write("\n".join(lines) + "\n")


def keeping_top(records: Iterator[dict[str, Any]], top: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The records, passed on; the first :data:`TOP_FINDINGS` findings among them are kept in ``top``."""
    for record in records:
        if len(top) < TOP_FINDINGS and is_finding(record):
            top.append(record)
        yield record


def provenance(meta: ReportMeta, lang: Mapping[str, str]) -> str:
    inputs = ", ".join(code(source) for source in meta.inputs[:SHOWN_INPUTS])
    if len(meta.inputs) > SHOWN_INPUTS:
        inputs += " " + lang["more"].format(n=len(meta.inputs) - SHOWN_INPUTS)
    parts = [f"{lang['generated']} {meta.generated.isoformat() if meta.generated else '?'}",
             f"netral {meta.version}" if meta.version else "",
             f"{lang['inputs']}: {inputs}" if inputs else "",
             f"{lang['model']}: {escape(meta.model)}" if meta.model else "",
             f"{lang['context']}: {escape(meta.context or lang['none'])}"]
    line = " · ".join(part for part in parts if part)
    return f"{line}. {lang['pseudonymized']}." if meta.pseudonymized else line


def counts(report: Report, lang: Mapping[str, str]) -> str:
    accounting = (f"**{capital(lang['read'])} {report.read} · {lang['scored']} {report.scored} · "
                  f"{lang['rejected'].lower()} {len(report.rejected)}.**")
    levels = " · ".join(f"{lang[f'level.{level}']} {report.levels.get(level, 0)}" for level, _ in LEVELS)
    return f"{accounting} {lang['level']}: {levels}"


def account_line(place: int, account: Account, lang: Mapping[str, str]) -> str:
    """``1. **0.94** Siti Rahmawati (`siti.rahma_guru`, facebook) — Temuan: 3; Butir SKB: A4/B6, B5``"""
    who = escape(account.name)
    where = f"{code(account.key)}, {account.platform}" if account.key != account.name else account.platform
    items = ", ".join(item for item, _ in by_count(account.skb))
    return (f"{place}. **{account.score:.2f}** {who} ({where}) — {lang['findings']}: {account.findings}"
            + (f"; {lang['skb']}: {items}" if items else ""))


def finding_line(record: dict[str, Any], lang: Mapping[str, str]) -> str:
    """``1. **tinggi** · A2/B2 · Siti (`siti.rahma_guru`) · 2024-01-20 — “… **coblos no 2** …” — `file` row=1 · <link>``"""
    level = lang.get(f"level.{record['level']}", record["level"])
    parts = [f"**{level}**", ", ".join(record.get("skb") or ()) or "—", who(record),
             (record.get("timestamp") or "?")[:10]]
    source = f"{code(record.get('source_file') or '?')} {record.get('locator') or ''}".rstrip()
    link = post_link(record)
    tail = f"{source} · {link}" if link else source
    return f"{record['rank']}. {' · '.join(parts)} — \u201c{quote(record)}\u201d — {tail}"


def who(record: dict[str, Any]) -> str:
    name, handle = record.get("author"), record.get("account")
    if name and handle and name != handle:
        return f"{escape(name)} ({code(handle)})"
    return code(handle) if handle else escape(name or "?")


def post_link(record: dict[str, Any]) -> str:
    """The post's link as an autolink (the target when it is a link); a link Markdown cannot hold as code."""
    url = record.get("post_url") or record.get("target") or ""
    if URL.match(url):
        return f"<{url}>"
    return code(url) if record.get("post_url") else ""


def quote(record: dict[str, Any], limit: int = QUOTE) -> str:
    """One line of the record's text (its target or group when it has none) around the first match, the
    matched words in bold."""
    field = next((name for name in ("text", "target", "group") if record.get(name)), "text")
    original = record.get(field) or ""
    spans = spans_in(original, field, record.get("evidence") or ())
    start, end = window(original, spans[0][0] if spans else 0, limit)
    pieces, position = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        pieces += [plain(original[position:span_start]), bold(original[span_start:span_end])]
        position = span_end
    pieces.append(plain(original[position:end]))
    line = re.sub(" {2,}", " ", "".join(pieces)).strip()  # a span's edge space next to the text's own
    return ("…" if start else "") + line + ("…" if end < len(original) else "")


def window(text: str, first: int, limit: int) -> tuple[int, int]:
    """At most ``limit`` characters of ``text`` from a little before ``first``, cut between words."""
    start = max(0, min(first - limit // 4, len(text) - limit))
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + limit)
    if end < len(text):
        space = text.rfind(" ", max(start, first) + 1, end)
        end = space if space > start + limit // 2 else end
    return start, end


def plain(text: str) -> str:
    return escape(re.sub(r"\s+", " ", text))


def bold(text: str) -> str:
    """Bold needs no space just inside its stars, so the span's edge spaces go outside them."""
    inner = plain(text)
    stripped = inner.strip()
    if not stripped:
        return inner
    lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
    return f"{lead}**{stripped}**{trail}"


def escape(text: str) -> str:
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


def code(text: str) -> str:
    return f"`{text.replace('`', chr(39))}`"

