"""Fiscal periods: a period is a start date and a frequency, labelled by the city's fiscal year.

A fiscal year is named for the calendar year in which it ends, the usual US practice: with a
July start, FY2026 runs from 1 July 2025 to 30 June 2026. Weeks start on Monday and are not
tied to the fiscal year. This is the one place that turns dates into periods and text into
periods; importers and the UI call it rather than parsing labels themselves.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from statdesk.domain.vocabulary import Frequency

_MONTHS_PER = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period; `start` is always aligned to the frequency and fiscal year."""

    start: date
    frequency: Frequency


def check_fiscal_start(month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"The fiscal year must start in a month from 1 to 12, not {month}.")
    return month


def fiscal_year(day: date, fy_start_month: int) -> int:
    """The fiscal year containing `day`, named by the calendar year in which it ends."""
    check_fiscal_start(fy_start_month)
    if fy_start_month == 1:
        return day.year
    return day.year + 1 if day.month >= fy_start_month else day.year


def fiscal_year_start(year: int, fy_start_month: int) -> date:
    check_fiscal_start(fy_start_month)
    return date(year if fy_start_month == 1 else year - 1, fy_start_month, 1)


def fiscal_quarter(day: date, fy_start_month: int) -> int:
    check_fiscal_start(fy_start_month)
    return (day.month - fy_start_month) % 12 // 3 + 1


def add_months(day: date, months: int) -> date:
    """The same day-of-month `months` later, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_containing(day: date, frequency: Frequency, fy_start_month: int) -> Period:
    check_fiscal_start(fy_start_month)
    if frequency is Frequency.WEEKLY:
        return Period(day - timedelta(days=day.weekday()), frequency)
    if frequency is Frequency.MONTHLY:
        return Period(day.replace(day=1), frequency)
    year_start = fiscal_year_start(fiscal_year(day, fy_start_month), fy_start_month)
    if frequency is Frequency.ANNUAL:
        return Period(year_start, frequency)
    quarter = fiscal_quarter(day, fy_start_month)
    return Period(add_months(year_start, 3 * (quarter - 1)), frequency)


def shift(period: Period, steps: int) -> Period:
    """The period `steps` later (earlier when negative)."""
    if period.frequency is Frequency.WEEKLY:
        return Period(period.start + timedelta(weeks=steps), period.frequency)
    return Period(add_months(period.start, steps * _MONTHS_PER[period.frequency]), period.frequency)


def next_period(period: Period) -> Period:
    return shift(period, 1)


def previous_period(period: Period) -> Period:
    return shift(period, -1)


def period_end(period: Period) -> date:
    """The last day of the period (inclusive)."""
    return next_period(period).start - timedelta(days=1)


def same_period_last_year(period: Period) -> Period:
    if period.frequency is Frequency.WEEKLY:
        return shift(period, -52)
    return Period(add_months(period.start, -12), period.frequency)


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every period from `first` to `last`, both included."""
    if first.frequency is not last.frequency:
        raise ValueError("Both ends of a range of periods must have the same frequency.")
    out: list[Period] = []
    current = first
    while current <= last:
        out.append(current)
        current = next_period(current)
    return out


def periods_within(outer: Period, frequency: Frequency, fy_start_month: int) -> list[Period]:
    """The periods of `frequency` whose start falls inside `outer` (the months of a quarter…)."""
    first = period_containing(outer.start, frequency, fy_start_month)
    if first.start < outer.start:
        first = next_period(first)
    end = period_end(outer)
    return [
        p
        for p in periods_between(first, period_containing(end, frequency, fy_start_month))
        if p.start <= end
    ]


def label(period: Period, fy_start_month: int) -> str:
    """`Week of 5 Jan 2026`, `Jan 2026`, `FY2026 Q1` or `FY2026`."""
    start = period.start
    if period.frequency is Frequency.WEEKLY:
        return f"Week of {start.day} {calendar.month_abbr[start.month]} {start.year}"
    if period.frequency is Frequency.MONTHLY:
        return f"{calendar.month_abbr[start.month]} {start.year}"
    year = fiscal_year(start, fy_start_month)
    if period.frequency is Frequency.ANNUAL:
        return f"FY{year}"
    return f"FY{year} Q{fiscal_quarter(start, fy_start_month)}"


_MONTH_NAMES = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH_NAMES["sept"] = 9

_FY = r"(?:fy|fiscal\s*year)\s*'?(?P<fy>\d{4}|\d{2})"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in [
        ("fy_quarter", rf"^{_FY}\s*[-/ ]?\s*q(?:uarter)?\s*(?P<q>[1-4])$"),
        ("quarter_fy", rf"^q(?:uarter)?\s*(?P<q>[1-4])\s*[-/ ,]?\s*{_FY}$"),
        ("fy_span", r"^(?:fy|fiscal\s*year)?\s*(?P<y1>\d{4})\s*[-/–]\s*(?P<y2>\d{4}|\d{2})$"),
        ("fy", rf"^{_FY}$"),
        ("year_quarter", r"^(?P<fy>\d{4})\s*,?\s*q(?:tr|uarter)?\s*(?P<q>[1-4])$"),
        ("year", r"^(?P<fy>(19|20)\d{2})$"),
        ("week", r"^(?:week\s+of\s+)(?P<rest>.+)$"),
        ("month_name", r"^(?P<m>[a-z]{3,9})\.?[\s\-,]*'?(?P<y>\d{4}|\d{2})$"),
        ("iso_month", r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})$"),
        ("us_month", r"^(?P<m>\d{1,2})[-/](?P<y>\d{4})$"),
        ("iso_date", r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
        ("us_date", r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})$"),
    ]
]


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _parse_day(text: str) -> date | None:
    text = text.strip()
    for name, pattern in _PATTERNS:
        match = pattern.match(text)
        if match and name in ("iso_date", "us_date"):
            return date(int(match["y"]), int(match["m"]), int(match["d"]))
    parts = text.replace(",", " ").split()
    if len(parts) == 3 and parts[1].casefold() in _MONTH_NAMES:
        return date(int(parts[2]), _MONTH_NAMES[parts[1].casefold()], int(parts[0]))
    return None


def parse_period(text: str, fy_start_month: int, frequency: Frequency | None = None) -> Period:
    """Read a period from what people write: `FY2026 Q1`, `Q1 FY26`, `2011, Q1`, `Jan 2026`,
    `Jan-2024`, `2026-01`, `FY2026`, `2014` (a fiscal year), `2015-16`, `Week of 5 Jan 2026`,
    or a date (then `frequency` says which period).

    Raises ValueError with a sentence a person can act on.
    """
    check_fiscal_start(fy_start_month)
    cleaned = " ".join(str(text).split())
    try:
        period = _parse(cleaned, fy_start_month, frequency)
    except ValueError:
        period = None
    if period is None:
        raise ValueError(
            f"'{cleaned}' is not a period StatDesk recognises; write it like "
            "'FY2026 Q1', 'Jan 2026', '2026-01', 'FY2026' or a date."
        )
    return period


def _parse(text: str, fy_start_month: int, frequency: Frequency | None) -> Period | None:
    for name, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        if name in ("fy_quarter", "quarter_fy", "year_quarter"):
            start = fiscal_year_start(_full_year(match["fy"]), fy_start_month)
            return Period(add_months(start, 3 * (int(match["q"]) - 1)), Frequency.QUARTERLY)
        if name in ("fy", "year"):  # a bare year is the fiscal year of that name
            return Period(
                fiscal_year_start(_full_year(match["fy"]), fy_start_month), Frequency.ANNUAL
            )
        if name == "fy_span":
            first, second = int(match["y1"]), match["y2"]
            end_year = _full_year(second) if len(second) == 4 else first // 100 * 100 + int(second)
            if end_year != first + 1:
                continue  # not a fiscal year span; perhaps a month such as 2026-01
            year = end_year if fy_start_month != 1 else first
            return Period(fiscal_year_start(year, fy_start_month), Frequency.ANNUAL)
        if name == "week":
            day = _parse_day(match["rest"])
            return None if day is None else period_containing(day, Frequency.WEEKLY, 1)
        if name == "month_name":
            month = _MONTH_NAMES.get(match["m"].casefold())
            if month is None:
                continue
            return Period(date(_full_year(match["y"]), month, 1), Frequency.MONTHLY)
        if name in ("iso_month", "us_month"):
            return Period(date(int(match["y"]), int(match["m"]), 1), Frequency.MONTHLY)
        day = _parse_day(text)
        if day is None:
            return None
        return period_containing(day, frequency or Frequency.MONTHLY, fy_start_month)
    return None


def fiscal_month(month: int, fiscal_year_number: int, fy_start_month: int) -> Period:
    """The month called `month` (1–12) within fiscal year `fiscal_year_number`: with a July
    start, OCT of FY2016 is October 2015 and MAR is March 2016."""
    start = fiscal_year_start(fiscal_year_number, fy_start_month)
    return Period(add_months(start, (month - fy_start_month) % 12), Frequency.MONTHLY)


def fiscal_quarter_period(quarter: int, fiscal_year_number: int, fy_start_month: int) -> Period:
    start = fiscal_year_start(fiscal_year_number, fy_start_month)
    return Period(add_months(start, 3 * (quarter - 1)), Frequency.QUARTERLY)
