"""Fiscal periods: labels follow the city's fiscal-year start, and text reads back to periods."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statdesk.domain.periods import (
    Period,
    fiscal_quarter,
    fiscal_year,
    fiscal_year_start,
    label,
    next_period,
    parse_period,
    period_containing,
    period_end,
    periods_between,
    periods_within,
    previous_period,
    same_period_last_year,
)
from statdesk.domain.vocabulary import Frequency

M, Q, A, W = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUAL, Frequency.WEEKLY

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
months = st.integers(min_value=1, max_value=12)
frequencies = st.sampled_from(list(Frequency))


@pytest.mark.parametrize(
    ("day", "start", "expected"),
    [
        (date(2025, 7, 1), 7, 2026),  # a July fiscal year is named for the year it ends in
        (date(2025, 6, 30), 7, 2025),
        (date(2025, 10, 1), 10, 2026),  # federal-style October start
        (date(2025, 9, 30), 10, 2025),
        (date(2025, 1, 1), 1, 2025),  # calendar fiscal year
        (date(2025, 12, 31), 1, 2025),
    ],
)
def test_fiscal_year_is_named_for_the_year_it_ends(day: date, start: int, expected: int) -> None:
    assert fiscal_year(day, start) == expected


def test_labels_follow_the_city_fiscal_year() -> None:
    assert label(period_containing(date(2025, 8, 14), Q, 7), 7) == "FY2026 Q1"
    assert label(period_containing(date(2026, 6, 30), Q, 7), 7) == "FY2026 Q4"
    assert label(period_containing(date(2025, 8, 14), Q, 10), 10) == "FY2025 Q4"
    assert label(period_containing(date(2025, 8, 14), A, 7), 7) == "FY2026"
    assert label(period_containing(date(2026, 1, 20), M, 7), 7) == "Jan 2026"
    assert label(period_containing(date(2026, 1, 7), W, 7), 7) == "Week of 5 Jan 2026"


def test_quarter_starts_are_aligned_to_the_fiscal_year() -> None:
    assert period_containing(date(2025, 8, 14), Q, 7).start == date(2025, 7, 1)
    assert period_containing(date(2025, 12, 31), Q, 10).start == date(2025, 10, 1)
    assert period_containing(date(2026, 2, 1), Q, 2).start == date(2026, 2, 1)
    assert fiscal_year_start(2026, 7) == date(2025, 7, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FY2026 Q1", Period(date(2025, 7, 1), Q)),
        ("fy26 q2", Period(date(2025, 10, 1), Q)),
        ("Q3 FY2026", Period(date(2026, 1, 1), Q)),
        ("FY2026-Q4", Period(date(2026, 4, 1), Q)),
        ("FY2026", Period(date(2025, 7, 1), A)),
        ("FY 26", Period(date(2025, 7, 1), A)),
        ("2015-16", Period(date(2015, 7, 1), A)),
        ("FY2015-2016", Period(date(2015, 7, 1), A)),
        ("Jan 2026", Period(date(2026, 1, 1), M)),
        ("January 2026", Period(date(2026, 1, 1), M)),
        ("Sept. 2025", Period(date(2025, 9, 1), M)),
        ("Mar-26", Period(date(2026, 3, 1), M)),
        ("2026-01", Period(date(2026, 1, 1), M)),
        ("01/2026", Period(date(2026, 1, 1), M)),
        ("2026-01-15", Period(date(2026, 1, 1), M)),
        ("  Week of 5 Jan 2026 ", Period(date(2026, 1, 5), W)),
    ],
)
def test_parse_reads_what_people_write(text: str, expected: Period) -> None:
    assert parse_period(text, 7) == expected


def test_parse_a_date_as_the_period_that_contains_it() -> None:
    assert parse_period("8/14/2025", 7, Q) == Period(date(2025, 7, 1), Q)
    assert parse_period("2025-08-14", 7, A) == Period(date(2025, 7, 1), A)


@pytest.mark.parametrize(
    "text", ["", "N/A", "FY2026 Q5", "2026-13", "Smarch 2026", "2015-18", "banana"]
)
def test_parse_refuses_nonsense_with_a_sentence(text: str) -> None:
    with pytest.raises(ValueError, match="not a period StatDesk recognises"):
        parse_period(text, 7)


def test_fiscal_start_month_is_checked() -> None:
    with pytest.raises(ValueError, match="from 1 to 12"):
        fiscal_year(date(2025, 1, 1), 13)


def test_months_of_a_quarter_and_quarters_of_a_year() -> None:
    quarter = Period(date(2025, 7, 1), Q)
    assert [p.start.month for p in periods_within(quarter, M, 7)] == [7, 8, 9]
    year = Period(date(2025, 7, 1), A)
    assert [label(p, 7) for p in periods_within(year, Q, 7)] == [
        "FY2026 Q1",
        "FY2026 Q2",
        "FY2026 Q3",
        "FY2026 Q4",
    ]
    assert len(periods_between(Period(date(2025, 7, 1), M), Period(date(2026, 6, 1), M))) == 12


def test_same_period_last_year() -> None:
    assert same_period_last_year(Period(date(2026, 1, 1), M)) == Period(date(2025, 1, 1), M)
    assert same_period_last_year(Period(date(2025, 10, 1), Q)) == Period(date(2024, 10, 1), Q)


@given(day=days, frequency=frequencies, start=months)
def test_a_period_contains_the_day_it_was_made_from(
    day: date, frequency: Frequency, start: int
) -> None:
    period = period_containing(day, frequency, start)
    assert period.start <= day <= period_end(period)
    assert period_containing(period.start, frequency, start) == period


@given(day=days, frequency=frequencies, start=months)
def test_next_and_previous_are_inverse_and_adjacent(
    day: date, frequency: Frequency, start: int
) -> None:
    period = period_containing(day, frequency, start)
    assert previous_period(next_period(period)) == period
    assert (next_period(period).start - period_end(period)).days == 1


@given(day=days, frequency=frequencies, start=months)
def test_every_label_reads_back_to_its_period(day: date, frequency: Frequency, start: int) -> None:
    period = period_containing(day, frequency, start)
    assert parse_period(label(period, start), start) == period


@given(day=days, start=months)
def test_a_quarter_holds_three_months_of_its_fiscal_year(day: date, start: int) -> None:
    quarter = period_containing(day, Q, start)
    months_in = periods_within(quarter, M, start)
    assert len(months_in) == 3
    assert {fiscal_year(p.start, start) for p in months_in} == {fiscal_year(day, start)}
    assert {fiscal_quarter(p.start, start) for p in months_in} == {fiscal_quarter(day, start)}
