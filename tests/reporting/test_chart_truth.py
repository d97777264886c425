"""Every chart tells the truth as drawn: each y tick label is its tick's value, no label
repeats, no text covers another or leaves the chart, the latest value's callout covers no line
or marker, the axis ends where the data does, and a long name wraps, then is cut with the
whole name in the alternative text. Checked on the drawn figure (`chart_geometry`) for every
demo metric and for the shapes real files have."""

from __future__ import annotations

import math
from datetime import date

import pytest

from statdesk.domain.periods import Period
from statdesk.domain.vocabulary import Direction, Frequency, RollUp, Unit
from statdesk.reporting import chart_series, charts
from statdesk.workspace import Workspace
from tests.conftest import AS_OF, REALWORLD
from tests.reporting import chart_geometry
from tests.reporting.test_charts import known_series


def months(count: int, start: date = date(2016, 7, 1)) -> tuple[Period, ...]:
    first = start.year * 12 + start.month - 1
    return tuple(
        Period(date((first + i) // 12, (first + i) % 12 + 1, 1), Frequency.MONTHLY)
        for i in range(count)
    )


def years(count: int, first: int = 2000) -> tuple[Period, ...]:
    return tuple(Period(date(first + i, 7, 1), Frequency.ANNUAL) for i in range(count))


def quarters(count: int) -> tuple[Period, ...]:
    return tuple(
        Period(date(2015 + (i * 3 + 6) // 12, (i * 3 + 6) % 12 + 1, 1), Frequency.QUARTERLY)
        for i in range(count)
    )


def series(
    periods: tuple[Period, ...],
    actual: list[float | None],
    *,
    target: list[float | None] | None = None,
    **changes: object,
) -> chart_series.ChartSeries:
    """`known_series` (test_charts) reshaped: these periods and values, a response time."""
    n = len(periods)
    fields: dict[str, object] = {
        "title": "Average response time",
        "periods": periods,
        "labels": tuple(p.start.isoformat() for p in periods),
        "actual": tuple(actual),
        "target": tuple(target) if target is not None else (None,) * n,
        "forecast": (None,) * n,
        "unit": Unit.MINUTES,
        "decimals": 1,
        "frequency": periods[0].frequency,
        "direction": Direction.DOWN,
        **changes,
    }
    return known_series(**fields)


def wave(n: int, low: float, high: float) -> list[float | None]:
    return [low + (high - low) * (0.5 + 0.5 * math.sin(i / 3)) for i in range(n)]


HARD_CASES = {
    # gridlines at 6.25, 6.75, 7.25, 7.75 once read "6.2, 6.8, 7.2, 7.8 min"
    "quarter-steps": series(
        months(12), [6.3, 6.9, 7.1, 7.4, 7.8, 7.6, 7.2, 6.8, 7.0, 7.5, 7.7, 7.8]
    ),
    "ten-years-of-months": series(months(120), wave(120, 40, 60), target=[45.0] * 120),
    "three-annual-points": series(years(3, 2021), [12.0, 14.5, 13.0], unit=Unit.COUNT, decimals=0),
    "thirty-years": series(years(30), wave(30, 100, 400), unit=Unit.COUNT, decimals=0),
    "forty-quarters": series(quarters(40), wave(40, 70, 95), unit=Unit.PERCENT, decimals=0),
    "zero-to-one": series(
        months(12),
        [0.2, 0.5, 0.9, 0.1, 0.6, 1.0, 0.0, 0.3, 0.7, 0.4, 0.8, 0.5],
        unit=Unit.RATE,
        decimals=2,
    ),
    "a-small-range": series(
        months(8), [1.01, 1.02, 1.0, 1.03, 1.02, 1.01, 1.04, 1.03], unit=Unit.COUNT, decimals=0
    ),
    "ten-million": series(
        months(12),
        [1.0e7 + i * 1.3e5 for i in range(12)],
        unit=Unit.CURRENCY,
        decimals=0,
        direction=Direction.UP,
    ),
    "negative-values": series(
        months(12),
        [-3.5, -1.0, 0.5, 2.0, -2.5, -4.0, 1.5, 3.0, -0.5, 2.5, 1.0, -1.5],
        unit=Unit.COUNT,
        decimals=1,
        direction=Direction.UP,
    ),
    "a-200-character-name": series(
        months(12),
        wave(12, 20, 30),
        title=(
            "Percentage of residential building permit applications reviewed "
            "for completeness and either approved, returned with comments or referred to the "
            "zoning board within ten business days of submission, citywide"
        ),
    ),
    "a-flat-line": series(
        months(12), [50.0] * 12, unit=Unit.PERCENT, decimals=0, target=[50.0] * 12
    ),
    "latest-at-the-top-right": series(
        months(12),
        [float(v) for v in range(10, 130, 10)],
        unit=Unit.COUNT,
        decimals=0,
        roll_up=RollUp.SUM,
        direction=Direction.UP,
        target=[100.0] * 12,
    ),
    "one-value": series(months(1), [7.0]),
    # NYC: the callout's room grew the y range after the labels were measured, which then ran
    # off the chart's left edge
    "days-with-two-decimals": series(
        years(8, 2015),
        [5.0, 5.1, 4.71, 6.0, 9.0, 6.5, 12.0, 15.0],
        labels=tuple(f"FY{year}" for year in range(2016, 2024)),
        unit=Unit.DAYS,
        decimals=2,
        title="Calendar days to third next available new appointment - pediatric medicine",
    ),
}


MEMO = (8.0, 2.4, False)  # a memo's chart (statdesk.workspace.exports)


@pytest.mark.parametrize("name", sorted(HARD_CASES))
def test_a_hard_case_is_drawn_truthfully(name: str) -> None:
    assert chart_geometry.problems(charts.figure(HARD_CASES[name])) == []
    width, height, titled = MEMO  # its key beside the subtitle, or under the x labels
    short = charts.figure(HARD_CASES[name], width=width, height=height, titled=titled)
    assert chart_geometry.problems(short) == []


def test_every_demo_metric_is_drawn_truthfully(demo: Workspace) -> None:
    found = {}
    for summary in demo.metrics.summaries(AS_OF):
        series_, _alt = charts.described(demo.metrics.detail(summary.id, AS_OF))
        # a page's width; a narrow column; the Metrics page on a 1366-pixel screen (short,
        # untitled: the callout once left its too-short plot); a memo's (untitled)
        for width, height, titled in (
            (8.0, 4.2, True),
            (6.0, 3.4, True),
            (7.1, 2.6, False),
            MEMO,
        ):
            figure = charts.figure(series_, width=width, height=height, titled=titled)
            wrong = chart_geometry.problems(figure)
            if wrong:
                found[f"{summary.name} at {width}×{height} in"] = wrong
    assert found == {}


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="needs ../shared/data/realworld")
def test_charts_of_a_real_city_s_indicators_are_drawn_truthfully(empty: Workspace) -> None:
    """NYC's MMR indicators, eight fiscal years each, names up to 200 characters, days with
    two decimals, fractions of a percent, millions: one chart in seven (every one passed when
    tried: 1,139 charts)."""
    from statdesk.importing.plan import ImportOptions

    source = REALWORLD / "nyc_comptroller_mmr_indicators_desired_direction_fy2016_fy2023.csv"
    empty.imports.run(empty.imports.plan(source, ImportOptions("values")))
    today = date(2026, 12, 6)
    found, drawn = {}, 0
    for summary in empty.metrics.summaries(today)[::7]:
        series_, _alt = charts.described(empty.metrics.detail(summary.id, today))
        if series_.empty:
            continue
        drawn += 1
        for width, height, titled in ((8.0, 4.2, True), MEMO):
            figure = charts.figure(series_, width=width, height=height, titled=titled)
            wrong = chart_geometry.problems(figure)
            if wrong:
                found[f"{summary.name} at {width}×{height} in"] = wrong
    assert drawn > 100
    assert found == {}
