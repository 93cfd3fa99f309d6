"""The report-stage fields of a record: when the findings were found and how long is left to report them.

Bawaslu takes a report within 7 days of the day the act becomes known (SKB 2/2022 reference, section
4), so every record gets ``found_on`` (``--found-on``, default today), ``report_by`` (found_on + 7 days)
and ``days_left`` (report_by - today; negative = overdue). They depend on the day a report is made, so
they are added here, from :class:`ReportMeta`, and not when items are scored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from netral_cli.report.document import ReportMeta

REPORT_WINDOW_DAYS = 7


def report_by(found_on: date) -> date:
    return found_on + timedelta(days=REPORT_WINDOW_DAYS)


def with_dates(record: dict[str, Any], meta: ReportMeta) -> dict[str, Any]:
    """``record`` with ``found_on``, ``report_by`` and ``days_left`` (None when the report has no dates)."""
    return {**record, **dates(meta)}


def dates(meta: ReportMeta) -> dict[str, Any]:
    """The fields :func:`with_dates` adds, the same for every record of a report."""
    found_on = meta.found_on or meta.today
    if found_on is None:
        return {"found_on": None, "report_by": None, "days_left": None}
    deadline = report_by(found_on)
    today = meta.today or found_on
    return {"found_on": found_on.isoformat(), "report_by": deadline.isoformat(), "days_left": (deadline - today).days}


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ``(start, end)`` spans joined, in order."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def distinct_clauses(bases: Iterable[str] | None) -> list[str]:
    """The legal bases of several rules as their distinct clauses, in order of appearance: rules of one
    family cite the same SKB item and articles, which a reader needs to see once."""
    return list(dict.fromkeys(clause.strip() for basis in bases or () for clause in basis.split(";")
                              if clause.strip()))


def spans_in(value: str, field: str, evidence: Iterable[dict[str, Any]]) -> list[tuple[int, int]]:
    """The merged spans the evidence marks in ``field``; an entry whose offsets fall outside the value or
    whose quoted text is not what they cover is left out rather than mark the wrong words."""
    found = []
    for entry in evidence:
        start, end = entry.get("start"), entry.get("end")
        if entry.get("field") != field or not isinstance(start, int) or not isinstance(end, int):
            continue
        if 0 <= start < end <= len(value) and entry.get("text", value[start:end]) == value[start:end]:
            found.append((start, end))
    return merged(found)
