"""The CSV report: a cell a spreadsheet would run as a formula is neutralised; numbers and JSONL stay raw."""

from __future__ import annotations

import csv
import io
import json

import pytest

from netral_cli.report import FORMATS
from netral_cli.report.csv_format import cell
from report_samples import record, sample_report


def written(report, fmt: str = "csv") -> str:
    out = io.StringIO()
    FORMATS[fmt].write(report, out)
    return out.getvalue()


@pytest.mark.parametrize("value, expected", [
    ('=HYPERLINK("http://example.com/x","klik")', '\'=HYPERLINK("http://example.com/x","klik")'),
    ("+62 812-0000-0000", "'+62 812-0000-0000"),
    ("-grup guru", "'-grup guru"),
    ("@siti.rahma_guru", "'@siti.rahma_guru"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("coblos = 2", "coblos = 2"),
    (" =1+1", " =1+1"),
    ("", ""),
])
def test_text_cells_that_start_like_a_formula_get_a_quote(value, expected):
    assert cell("text", value) == expected


def test_numbers_are_never_prefixed_even_negative_ones():
    assert [cell("days_left", -2), cell("score", 0.95), cell("rank", 1)] == [-2, 0.95, 1]


def test_joined_lists_and_evidence_are_checked_after_joining():
    assert cell("rules", ["=x", "y"]) == "'=x; y"
    assert cell("evidence", [{"rule": "r1", "skb": "A2", "text": "=1"}]) == "r1 (A2): \u201c=1\u201d"


def test_the_csv_report_neutralises_formulas_and_jsonl_keeps_them():
    records = [record(1, 0.9, "high", text="=cmd|' /C calc'!A0", author="+62 812-0000-0000",
                      account="@siti.rahma_guru", group="-grup guru", days_left=-3, evidence=[])]
    report = sample_report(records=records)
    (row,) = csv.DictReader(io.StringIO(written(report)))
    assert [row[name] for name in ("text", "author", "account", "group", "days_left", "score")] == [
        "'=cmd|' /C calc'!A0", "'+62 812-0000-0000", "'@siti.rahma_guru", "'-grup guru", "-3", "0.9"]
    (line,) = written(report, "jsonl").splitlines()
    raw = json.loads(line)
    assert (raw["text"], raw["author"], raw["days_left"]) == ("=cmd|' /C calc'!A0", "+62 812-0000-0000", -3)
