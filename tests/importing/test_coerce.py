"""Cells as departments fill them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from statdesk.domain.periods import Period, label
from statdesk.domain.vocabulary import Frequency
from statdesk.importing.coerce import (
    number,
    percent_scale,
    split_name_title,
    to_date,
    to_period,
    truthy,
)


@pytest.mark.parametrize(
    ("cell", "value", "original"),
    [
        ("64.98%", 64.98, None),
        ("$2,500,000 ", 2_500_000.0, None),
        ("375\u00a0000", 375000.0, None),
        ("(1,200)", -1200.0, None),
        ("91.370000000000005", 91.37, None),
        (".71999999999999997", 0.72, None),
        (12, 12.0, None),
        ("N\\A", None, "N\\A"),
        ("No Data", None, "No Data"),
        ("New Meas.", None, "New Meas."),
        ("-", None, "-"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_numbers(cell: object, value: float | None, original: str | None) -> None:
    result = number(cell)
    assert (result.value, result.original, result.problem) == (value, original, None)


def test_words_are_problems_that_keep_the_original() -> None:
    result = number("AAA")
    assert result.value is None and result.original == "AAA"
    assert result.problem == "'AAA' is not a number."


def test_percent_scale_is_resolved_with_a_warning() -> None:
    assert percent_scale([0.75, 0.8, 1.0])[0] == 100
    assert "fractions" in percent_scale([0.75, 0.8])[1]
    assert percent_scale([75.0, 80.0]) == (1, "")
    assert percent_scale([0.75], ["0.75%"]) == (1, "")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (45292, date(2024, 1, 1)),
        (45292.75, date(2024, 1, 1)),
        ("2024-01-05", date(2024, 1, 5)),
        ("12/27/2017 08:15:23 AM", date(2017, 12, 27)),
        ("12/31/2017 12:00:00 AM", date(2017, 12, 31)),
        ("2022/06/14 00:00:00+00", date(2022, 6, 14)),
        ("2024-01-05T10:30:00Z", date(2024, 1, 5)),
        (datetime(2024, 3, 1, 9), date(2024, 3, 1)),
        ("14-Jan-2024", date(2024, 1, 14)),
    ],
)
def test_dates(cell: object, expected: date) -> None:
    assert to_date(cell).value == expected


def test_the_1904_date_system() -> None:
    assert to_date(43830, date_1904=True).value == date(2024, 1, 1)  # 45292 in 1900
    assert to_date("someday").problem == "'someday' is not a date StatDesk recognises."


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("2014", "FY2014"),
        (2014.0, "FY2014"),
        ("FY2026", "FY2026"),
        ("FY26 Q1", "FY2026 Q1"),
        ("2011, Q1", "FY2011 Q1"),
        ("Jan-2024", "Jan 2024"),
        ("January 2024", "Jan 2024"),
        ("2015-16", "FY2016"),
        (date(2024, 2, 10), "Feb 2024"),
    ],
)
def test_periods(cell: object, text: str) -> None:
    result = to_period(cell, 7)
    assert isinstance(result.value, Period) and label(result.value, 7) == text


def test_a_date_read_as_the_period_of_a_frequency() -> None:
    assert label(to_period("2024-02-10", 7, Frequency.QUARTERLY).value, 7) == "FY2024 Q3"


@pytest.mark.parametrize(
    ("cell", "name", "title"),
    [
        ("Khalil Example - Deputy Mayor, Operations", "Khalil Example", "Deputy Mayor, Operations"),
        ("Chief of Staff - John Example", "John Example", "Chief of Staff"),
        ("Ana Ruiz", "Ana Ruiz", ""),
    ],
)
def test_name_and_title_in_one_cell(cell: str, name: str, title: str) -> None:
    assert split_name_title(cell) == (name, title)


def test_truthy() -> None:
    assert [truthy(v) for v in ("Y", "no", 1, 0.0, "x", "maybe", None)] == [
        True,
        False,
        True,
        False,
        True,
        None,
        None,
    ]


def test_number_cells_lose_their_binary_noise_too() -> None:
    assert number(91.37000000000001).value == 91.37
    assert number(float("nan")).value is None
    assert number(7).value == 7.0
