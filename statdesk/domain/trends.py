"""A metric over time: trend, change, roll-ups to quarters and years, and the target helper.

All functions take plain values in period order; the caller pairs them with periods (see
`domain.periods`). "Better" always respects the metric's direction.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from statdesk.domain.numbers import counted
from statdesk.domain.periods import Period, period_containing
from statdesk.domain.vocabulary import Direction, Frequency, Labelled, RollUp


class Heading(Labelled):
    IMPROVING = "improving"
    WORSENING = "worsening"
    STEADY = "steady"
    UNKNOWN = "unknown"
    UNJUDGED = "unjudged"  # the metric's direction is not set

    @property
    def arrow(self) -> str:
        return {"improving": "↗", "worsening": "↘", "steady": "→"}.get(self.value, "")


@dataclass(frozen=True)
class Trend:
    heading: Heading
    periods: int  # how many periods in a row it has been heading that way

    def describe(self, frequency: Frequency) -> str:
        if self.heading is Heading.UNKNOWN:
            return "not enough data for a trend"
        if self.heading is Heading.UNJUDGED:
            return "no trend judged: the direction is not set"
        unit = {
            Frequency.WEEKLY: "week",
            Frequency.MONTHLY: "month",
            Frequency.QUARTERLY: "quarter",
            Frequency.ANNUAL: "year",
        }[frequency]
        if self.heading is Heading.STEADY:
            return f"steady for {counted(self.periods, unit)}"
        return f"{self.heading.value} {counted(self.periods, unit)} in a row"


def _better(
    new: float, old: float, direction: Direction, band: tuple[float | None, float | None]
) -> int:
    """+1 if `new` is better than `old`, -1 if worse, 0 if the same."""
    if direction is Direction.BAND:
        low, high = band
        if low is None or high is None:
            return 0

        def distance(v: float) -> float:
            return max(low - v, 0.0, v - high)

        new_d, old_d = distance(new), distance(old)
        return (new_d < old_d) - (new_d > old_d)
    sign = 1 if direction is Direction.UP else -1
    return (new > old) * sign - (new < old) * sign


def trend(
    values: Sequence[float | None],
    direction: Direction | None,
    band: tuple[float | None, float | None] = (None, None),
) -> Trend:
    """How many of the latest periods in a row moved the same way (missing values skipped)."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return Trend(Heading.UNKNOWN, 0)
    if direction is None:
        return Trend(Heading.UNJUDGED, 0)
    steps = [_better(new, old, direction, band) for old, new in pairwise(known)]
    last = steps[-1]
    run = 0
    for step in reversed(steps):
        if step != last:
            break
        run += 1
    heading = {1: Heading.IMPROVING, -1: Heading.WORSENING, 0: Heading.STEADY}[last]
    return Trend(heading, run)


@dataclass(frozen=True)
class Change:
    absolute: float
    relative: float | None  # a share of the earlier value; None when that was zero


def change(current: float | None, earlier: float | None) -> Change | None:
    if current is None or earlier is None:
        return None
    return Change(current - earlier, None if earlier == 0 else (current - earlier) / abs(earlier))


def roll(values: Sequence[float], how: RollUp) -> float | None:
    if not values:
        return None
    if how is RollUp.SUM:
        return float(sum(values))
    if how is RollUp.AVERAGE:
        return statistics.fmean(values)
    return values[-1]


@dataclass(frozen=True)
class RolledUp:
    period: Period
    value: float | None
    periods_with_data: int
    periods_in_all: int

    @property
    def complete(self) -> bool:
        return self.periods_with_data == self.periods_in_all


def roll_up(
    series: Sequence[tuple[Period, float | None]], how: RollUp, to: Frequency, fy_start: int
) -> list[RolledUp]:
    """Roll a series up to quarters or fiscal years (sum, average or last value), saying how
    many of each bigger period's periods had data."""
    groups: dict[Period, list[float]] = {}
    counts: dict[Period, int] = {}
    for period, value in series:
        bigger = period_containing(period.start, to, fy_start)
        groups.setdefault(bigger, [])
        counts[bigger] = counts.get(bigger, 0) + 1
        if value is not None:
            groups[bigger].append(value)
    size = _periods_in(series[0][0].frequency, to) if series else 0
    return [
        RolledUp(p, roll(v, how), len(v), max(size, counts[p])) for p, v in sorted(groups.items())
    ]


def _periods_in(small: Frequency, big: Frequency) -> int:
    months = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}
    if small is Frequency.WEEKLY or big is Frequency.WEEKLY:
        return 0
    return months[big] // months[small]


@dataclass(frozen=True)
class HistoryStats:
    count: int
    minimum: float
    mean: float
    median: float
    maximum: float


def history_stats(values: Sequence[float | None]) -> HistoryStats | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return HistoryStats(
        len(known), min(known), statistics.fmean(known), statistics.median(known), max(known)
    )


@dataclass(frozen=True)
class WhatItTakes:
    year_target: float  # the fiscal year's target, rolled up from its periods' targets
    so_far: float | None  # the year to date, rolled up the same way
    periods_left: int
    needed_per_period: float | None  # what each remaining period must average; None if done
    reached: bool  # the target is already met for the year (sum) or by the latest value
    direction: Direction = Direction.UP

    def describe(self, fmt: Callable[[float | None], str] = lambda v: f"{v or 0:,.1f}") -> str:
        if self.periods_left == 0:
            return (
                "The fiscal year is over: it ended at "
                f"{fmt(self.so_far)} against a target of {fmt(self.year_target)}."
            )
        if self.needed_per_period is None:
            return f"The year's target of {fmt(self.year_target)} is already met."
        if self.direction is Direction.DOWN:
            return (
                f"To stay within {fmt(self.year_target)} for the fiscal year, the "
                f"{counted(self.periods_left, 'remaining period')} may average at most "
                f"{fmt(self.needed_per_period)}."
            )
        return (
            f"To reach {fmt(self.year_target)} for the fiscal year, each of the "
            f"{counted(self.periods_left, 'remaining period')} needs {fmt(self.needed_per_period)}."
        )


def what_it_would_take(
    actuals: Sequence[float | None],
    targets: Sequence[float | None],
    how: RollUp,
    direction: Direction,
) -> WhatItTakes | None:
    """For the periods of one fiscal year (actuals so far, None for those still to come, and
    every period's target): what the remaining periods must achieve to meet the year's target.
    """
    known_targets = [t for t in targets if t is not None]
    if not known_targets or not targets:
        return None
    year_target = roll(known_targets, how)
    assert year_target is not None
    done = [a for a in actuals if a is not None]
    left = len(targets) - len(actuals) + sum(a is None for a in actuals)
    so_far = roll(done, how)

    def better(a: float, b: float) -> bool:
        return a <= b if direction is Direction.DOWN else a >= b

    if left <= 0:
        return WhatItTakes(
            year_target,
            so_far,
            0,
            None,
            so_far is not None and better(so_far, year_target),
            direction,
        )
    if how is RollUp.SUM:
        needed = (year_target - sum(done)) / left
        reached = better(sum(done), year_target) and direction is Direction.UP
    elif how is RollUp.AVERAGE:
        needed = (year_target * len(targets) - sum(done)) / left
        reached = False
    else:
        needed, reached = year_target, False
    return WhatItTakes(year_target, so_far, left, None if reached else needed, reached, direction)
