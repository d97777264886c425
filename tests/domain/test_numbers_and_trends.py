"""Numbers as written, values in their unit, and a metric over time."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statdesk.domain.numbers import format_value, implausible, parse_number
from statdesk.domain.periods import Period, label, parse_period
from statdesk.domain.trends import (
    Heading,
    change,
    history_stats,
    roll_up,
    trend,
    what_it_would_take,
)
from statdesk.domain.vocabulary import Direction, Frequency, RollUp, Unit

M = Frequency.MONTHLY


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("64.98%", 64.98),
        ("$2,500,000 ", 2_500_000.0),
        ("375\u00a0000", 375_000.0),
        ("375,000", 375_000.0),
        ("(1,200)", -1200.0),
        ("1200-", -1200.0),
        (" 12 ", 12.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        (7, 7.0),
        (2.5, 2.5),
        ("N\\A", None),
        ("N/A", None),
        ("No Data", None),
        ("", None),
        (None, None),
        ("—", None),
        (float("nan"), None),
    ],
)
def test_parse_number_reads_what_departments_send(text: object, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["twelve", "12 potholes", "1.2.3", True, "$"])
def test_parse_number_refuses_words_naming_them(text: object) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(text)


def test_decimal_comma() -> None:
    assert parse_number("1.234,5", decimal_comma=True) == 1234.5


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_formatted_counts_read_back(value: float) -> None:
    shown = format_value(value, Unit.COUNT, 2)  # within half a cent of the value itself
    assert abs(parse_number(shown) - value) <= 0.005 + 1e-12 * max(1.0, abs(value))


def test_format_by_unit() -> None:
    assert format_value(87.123, Unit.PERCENT, 1) == "87.1%"
    assert format_value(2500000, Unit.CURRENCY) == "$2,500,000"
    assert format_value(-1200, Unit.CURRENCY) == "-$1,200"
    assert format_value(24, Unit.DAYS) == "24 days"
    assert format_value(7.84, Unit.MINUTES, 1) == "7.8 min"
    assert format_value(None, Unit.COUNT) == "–"


def test_implausible_values_are_named() -> None:
    assert implausible(6498, Unit.PERCENT) == "6498 is not a percentage between 0 and 100."
    assert implausible(-3, Unit.COUNT) == "A count cannot be negative (-3)."
    assert implausible(99.5, Unit.PERCENT) is None
    assert implausible(-50, Unit.CURRENCY) is None


@pytest.mark.parametrize(
    ("values", "direction", "heading", "run"),
    [
        ([1, 2, 3, 4], Direction.UP, Heading.IMPROVING, 3),
        ([5, 4, 3, 4], Direction.UP, Heading.IMPROVING, 1),
        ([5, 4, 3, 4], Direction.DOWN, Heading.WORSENING, 1),
        ([9, 8, 7, None, 6], Direction.DOWN, Heading.IMPROVING, 3),
        ([3, 3, 3], Direction.UP, Heading.STEADY, 2),
        ([3], Direction.UP, Heading.UNKNOWN, 0),
    ],
)
def test_trend_counts_periods_in_a_row(
    values: list[float | None], direction: Direction, heading: Heading, run: int
) -> None:
    result = trend(values, direction)
    assert (result.heading, result.periods) == (heading, run)


def test_band_trend_is_judged_by_distance_from_the_band() -> None:
    assert trend([22, 21, 19], Direction.BAND, (15, 20)).heading is Heading.IMPROVING
    assert trend([17, 19, 14], Direction.BAND, (15, 20)).heading is Heading.WORSENING
    assert trend([22, 21, 19], Direction.UP).describe(M) == "worsening 2 months in a row"


def test_change() -> None:
    result = change(90, 80)
    assert result is not None and result.absolute == 10 and result.relative == 0.125
    assert change(5, 0).relative is None  # type: ignore[union-attr]
    assert change(None, 3) is None


def months(
    first: str, values: list[float | None], fy: int = 7
) -> list[tuple[Period, float | None]]:
    start = parse_period(first, fy)
    out = []
    for offset, value in enumerate(values):
        year, month = divmod(start.start.month - 1 + offset, 12)
        out.append((Period(date(start.start.year + year, month + 1, 1), M), value))
    return out


def test_roll_up_to_quarters_and_fiscal_years() -> None:
    series = months("Jun 2025", [1, 2, 3, 4, None, 6, 7])  # Jun (FY2025) .. Dec (FY2026)
    quarters = roll_up(series, RollUp.SUM, Frequency.QUARTERLY, 7)
    assert [(label(q.period, 7), q.value, q.complete) for q in quarters] == [
        ("FY2025 Q4", 1.0, False),
        ("FY2026 Q1", 9.0, True),
        ("FY2026 Q2", 13.0, False),
    ]
    years = roll_up(series, RollUp.AVERAGE, Frequency.ANNUAL, 7)
    assert [(label(y.period, 7), y.value) for y in years] == [("FY2025", 1.0), ("FY2026", 4.4)]
    last = roll_up(series, RollUp.LAST, Frequency.ANNUAL, 7)
    assert last[1].value == 7.0 and last[1].periods_with_data == 5


def test_history_stats() -> None:
    stats = history_stats([4, None, 1, 7, 2])
    assert stats is not None
    assert (stats.count, stats.minimum, stats.median, stats.maximum) == (4, 1, 3.0, 7)
    assert stats.mean == 3.5
    assert history_stats([None]) is None


def test_what_it_would_take_for_a_sum() -> None:
    # A year of 4 quarters, 100 a quarter: 150 so far after two quarters, 125 needed each.
    result = what_it_would_take([70, 80], [100] * 4, RollUp.SUM, Direction.UP)
    assert result is not None
    assert (result.year_target, result.so_far, result.periods_left) == (400, 150, 2)
    assert result.needed_per_period == 125
    assert "each of the 2 remaining periods needs 125.0" in result.describe()


def test_what_it_would_take_for_an_average_and_a_met_sum() -> None:
    result = what_it_would_take([80, 82, None], [85] * 12, RollUp.AVERAGE, Direction.UP)
    assert result is not None and result.periods_left == 10
    assert result.needed_per_period == pytest.approx((85 * 12 - 162) / 10)
    met = what_it_would_take([300, 200], [100] * 4, RollUp.SUM, Direction.UP)
    assert met is not None and met.reached and met.needed_per_period is None
    assert what_it_would_take([1], [None], RollUp.SUM, Direction.UP) is None
    over = what_it_would_take([90] * 4, [100] * 4, RollUp.AVERAGE, Direction.UP)
    assert over is not None and over.periods_left == 0 and not over.reached


def test_what_it_would_take_for_a_ceiling() -> None:
    result = what_it_would_take([500, 400], [450] * 4, RollUp.SUM, Direction.DOWN)
    assert result is not None and result.needed_per_period == 450
    assert result.describe() == (
        "To stay within 1,800.0 for the fiscal year, the 2 remaining "
        "periods may average at most 450.0."
    )


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (14.5, 0, "15%"),  # Python's own rounding said 14%, Excel says 15%
        (2.675, 2, "2.68%"),  # the binary 2.67499999… is written 2.675
        (-0.5, 0, "-1%"),  # halves away from zero, as Excel's ROUND
        (0.125, 2, "0.13%"),
        (1_234_567.5, 0, "1,234,568%"),
        (99.95, 1, "100.0%"),
        (7.56, 1, "7.6%"),
    ],
)
def test_halves_round_away_from_zero_as_in_excel(value: float, decimals: int, shown: str) -> None:
    assert format_value(value, Unit.PERCENT, decimals) == shown
