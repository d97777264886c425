"""The target helper: what helps set and judge a metric's target (its history, the baseline,
the year so far rolled up by quarter and year, what the rest of the year must average)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from statdesk.domain.periods import Period, fiscal_year, label, period_containing
from statdesk.domain.trends import (
    HistoryStats,
    RolledUp,
    WhatItTakes,
    history_stats,
    roll_up,
    what_it_would_take,
)
from statdesk.domain.vocabulary import Frequency
from statdesk.storage.views.metrics import MetricDetail


@dataclass(frozen=True)
class TargetHelper:
    """What helps set and judge a target: the history, the baseline, the year so far."""

    history: HistoryStats | None
    baseline: str  # "62 in FY2024", or "" when none is recorded
    fiscal_year: str  # "FY2027"
    what_it_takes: WhatItTakes | None
    quarters: tuple[RolledUp, ...]
    years: tuple[RolledUp, ...]
    quarter_targets: dict[Period, float | None]
    year_targets: dict[Period, float | None]


def target_helper(detail: MetricDetail, today: date) -> TargetHelper:
    summary, fy = detail.summary, detail.fiscal_year_start
    rows = detail.rows
    metric_baseline = next((r for r in rows if r.actual is not None), None)
    baseline = ""
    if detail.baseline_value is not None and detail.baseline_period is not None:
        period = period_containing(detail.baseline_period, summary.frequency, fy)
        baseline = f"{summary.show(detail.baseline_value)} in {label(period, fy)}"
    elif metric_baseline is not None:
        baseline = (
            f"{summary.show(metric_baseline.actual)} in {metric_baseline.label} "
            "(the first value recorded)"
        )
    year = fiscal_year(today, fy)
    in_year = [r for r in rows if fiscal_year(r.period.start, fy) == year]
    past = [r for r in in_year if r.period.start <= today]
    takes = None  # nothing to aim at without knowing which way is better
    if summary.direction is not None:
        takes = what_it_would_take(
            [r.actual for r in past],
            [r.target for r in in_year],
            summary.roll_up,
            summary.direction,
        )
    actuals = [(r.period, r.actual) for r in rows]
    aims = [(r.period, r.target) for r in rows]
    quarters: tuple[RolledUp, ...] = ()
    quarter_targets: dict[Period, float | None] = {}
    if summary.frequency in (Frequency.MONTHLY, Frequency.WEEKLY):
        quarters = tuple(
            q
            for q in roll_up(actuals, summary.roll_up, Frequency.QUARTERLY, fy)
            if q.periods_with_data
        )
        quarter_targets = {
            q.period: q.value for q in roll_up(aims, summary.roll_up, Frequency.QUARTERLY, fy)
        }
    years: tuple[RolledUp, ...] = ()
    year_targets: dict[Period, float | None] = {}
    if summary.frequency is not Frequency.ANNUAL:
        years = tuple(
            y
            for y in roll_up(actuals, summary.roll_up, Frequency.ANNUAL, fy)
            if y.periods_with_data
        )
        year_targets = {
            y.period: y.value for y in roll_up(aims, summary.roll_up, Frequency.ANNUAL, fy)
        }
    return TargetHelper(
        history=history_stats([r.actual for r in rows]),
        baseline=baseline,
        fiscal_year=f"FY{year}",
        what_it_takes=takes,
        quarters=quarters,
        years=years,
        quarter_targets=quarter_targets,
        year_targets=year_targets,
    )
