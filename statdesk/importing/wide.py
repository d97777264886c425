"""Wide layouts: one column per period (`FY 21 Actual`…, `OCT`…`SEP`, `QTR1`…`QTR4`, and
exports that count years from the current one: `CFY_ACTUAL`, `PFY2_ACTUAL`), unpivoted into
(period, actual | target | forecast)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from itertools import pairwise

from statdesk.domain.periods import (
    Period,
    fiscal_month,
    fiscal_quarter_period,
    fiscal_year_start,
    parse_period,
)
from statdesk.domain.vocabulary import Frequency
from statdesk.importing.mapping import normalise

_ROLE_WORDS = {
    "actual": "actual",
    "actuals": "actual",
    "value": "actual",
    "result": "actual",
    "expense": "actual",
    "expenses": "actual",
    "expenditure": "actual",
    "expenditures": "actual",
    "spent": "actual",
    "spending": "actual",
    "target": "target",
    "goal": "target",
    "approved": "target",
    "amended": "target",
    "adopted": "target",
    "budget": "target",
    "budgeted": "target",
    "proposed": "target",
    "appropriation": "target",
    "appropriations": "target",
    "appropriated": "target",
    "forecast": "forecast",
    "estimate": "forecast",
    "projected": "forecast",
    "projection": "forecast",
}
# When several columns give a target for the same period, the first of these wins.
TARGET_PREFERENCE = (
    "approved",
    "adopted",
    "target",
    "goal",
    "amended",
    "budget",
    "budgeted",
    "appropriation",
    "appropriations",
    "appropriated",
    "proposed",
)
_MONTHS = (
    {calendar.month_abbr[i].casefold(): i for i in range(1, 13)}
    | {calendar.month_name[i].casefold(): i for i in range(1, 13)}
    | {"sept": 9}
)
_RELATIVE = re.compile(r"^(c|p)fy(\d?)(?:\s+(\w+))?$")
_QUARTER = re.compile(r"^(?:q|qtr|quarter)\s*([1-4])(?:\s+(\w+))?$")


@dataclass(frozen=True)
class WideColumn:
    column: str
    role: str  # actual, target or forecast
    word: str  # the word that gave the role ("approved"), to choose among targets
    fixed: Period | None = None  # "FY 21 Actual", "Jan 2024"
    years_back: int | None = None  # CFY = 0, PFY2 = 2 (counted from the row's fiscal year)
    month: int | None = None  # OCT → 10, within the row's fiscal year
    quarter: int | None = None  # QTR2 → 2, within the row's fiscal year
    # The month the file's own fiscal year starts in, when its months and quarters are dated
    # by the file's order rather than by the city's fiscal year (None: the city's).
    file_start: int | None = None

    @property
    def needs_year(self) -> bool:
        return self.fixed is None

    def period(self, fiscal_year: int | None, fy_start: int) -> Period | None:
        if self.fixed is not None:
            return self.fixed
        if fiscal_year is None:
            return None
        if self.years_back is not None:
            return Period(
                fiscal_year_start(fiscal_year - self.years_back, fy_start), Frequency.ANNUAL
            )
        if self.month is not None:
            return fiscal_month(self.month, fiscal_year, self.file_start or fy_start)
        if self.quarter is not None:
            start = self.file_start or fy_start
            if (start - fy_start) % 3:  # the file's quarters are not the city's
                return None
            return fiscal_quarter_period(self.quarter, fiscal_year, start)
        return None

    def dated_from(self, file_start: int) -> WideColumn:
        """This column with its month or quarter dated by a fiscal year starting in
        `file_start` (the file's own order), not the city's."""
        return replace(self, file_start=file_start)


def fiscal_order(columns: list[WideColumn], fy_start: int) -> int | None:
    """The month the file's own fiscal year starts in, when its month columns (in the file's
    order) run across the start of the city's fiscal year: OCT…SEP in a July city gives 10,
    as dating them by the city's year would put JUL…SEP a year before OCT. None when the
    months stay within one of the city's fiscal years (or are not one run in order)."""
    months = [c.month for c in columns if c.month is not None]
    if len(months) < 2 or len(set(months)) != len(months):
        return None
    if any((b - a) % 12 != 1 for a, b in pairwise(months)):
        return None  # not one run of months in order
    return months[0] if fy_start in months[1:] else None


def classify(column: str, fy_start: int) -> WideColumn | None:
    """Whether a column holds one period's numbers, and which."""
    key = normalise(column)
    relative = _RELATIVE.match(key)
    if relative:
        word = relative.group(3) or ""
        if word not in _ROLE_WORDS:
            return None  # "CFY" itself is the year; "PFY1_DATA_ID" is not a value
        if relative.group(1) == "p" and not relative.group(2):
            return None
        back = 0 if relative.group(1) == "c" else int(relative.group(2))
        return WideColumn(column, _ROLE_WORDS[word], word, years_back=back)
    if key in _MONTHS:
        return WideColumn(column, "actual", "actual", month=_MONTHS[key])
    quarter = _QUARTER.match(key)
    if quarter and (quarter.group(2) or "actual") in _ROLE_WORDS:
        word = quarter.group(2) or "actual"
        return WideColumn(column, _ROLE_WORDS[word], word, quarter=int(quarter.group(1)))
    words = key.split()
    role_words = [w for w in words if w in _ROLE_WORDS]
    rest = " ".join(w for w in words if w not in _ROLE_WORDS)
    if not rest or not any(ch.isdigit() for ch in rest):
        return None
    try:
        period = parse_period(rest, fy_start)
    except ValueError:
        return None
    word = role_words[0] if role_words else "actual"
    return WideColumn(column, _ROLE_WORDS[word], word, fixed=period)


def wide_columns(columns: list[str], fy_start: int) -> list[WideColumn]:
    found = [c for c in (classify(name, fy_start) for name in columns) if c is not None]
    return found if len(found) >= 2 else []


def year_column(columns: list[str]) -> str | None:
    """The column holding each row's fiscal year, for month, quarter and CFY/PFY columns."""
    for column in columns:
        if normalise(column) in ("cfy", "fy", "fiscal year", "year", "current fiscal year"):
            return column
    return None
