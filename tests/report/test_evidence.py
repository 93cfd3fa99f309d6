"""Report-stage dates: found_on, report_by (found_on + 7 days) and days_left (negative = overdue)."""

from __future__ import annotations

from datetime import date

import pytest

from netral_cli.report.document import ReportMeta
from netral_cli.report.evidence import distinct_clauses, with_dates


@pytest.mark.parametrize("found_on, today, expected", [
    (date(2024, 2, 10), date(2024, 2, 14), ("2024-02-10", "2024-02-17", 3)),
    (date(2024, 2, 14), date(2024, 2, 14), ("2024-02-14", "2024-02-21", 7)),
    (date(2024, 2, 7), date(2024, 2, 14), ("2024-02-07", "2024-02-14", 0)),
    (date(2024, 1, 30), date(2024, 2, 14), ("2024-01-30", "2024-02-06", -8)),
    (date(2024, 2, 26), date(2024, 3, 1), ("2024-02-26", "2024-03-04", 3)),  # leap year
    (None, date(2024, 2, 14), ("2024-02-14", "2024-02-21", 7)),
])
def test_dates_from_the_report_meta(found_on, today, expected):
    record = with_dates({"rank": 1, "locator": "row=2"}, ReportMeta(found_on=found_on, today=today))
    assert record == {"rank": 1, "locator": "row=2", "found_on": expected[0], "report_by": expected[1],
                      "days_left": expected[2]}


def test_a_report_without_dates_has_empty_date_fields():
    assert with_dates({"rank": 1}, ReportMeta()) == {"rank": 1, "found_on": None, "report_by": None,
                                                     "days_left": None}


def test_legal_bases_of_one_family_are_shown_as_their_distinct_clauses():
    bases = ["SKB 2/2022 huruf A angka 2; UU 20/2023 Pasal 9 ayat (2); PP 94/2021 Pasal 5 huruf n angka 6",
             "SKB 2/2022 huruf A angka 2; UU 20/2023 Pasal 9 ayat (2); PP 94/2021 Pasal 5 huruf n"]
    assert distinct_clauses(bases) == ["SKB 2/2022 huruf A angka 2", "UU 20/2023 Pasal 9 ayat (2)",
                                       "PP 94/2021 Pasal 5 huruf n angka 6", "PP 94/2021 Pasal 5 huruf n"]
    assert distinct_clauses(None) == []
