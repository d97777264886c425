"""The target helper: what helps set and judge a metric's target (its history, the baseline,
the year so far rolled up by quarter and year, what the rest of the year must average), the
situation it is in, the values that stand out, a proposed target, and the fiscal year's path:
year to date against the target, and what the rest of the year would take against the trend."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from statdesk.domain.numbers import counted
from statdesk.domain.periods import Period, fiscal_year, label, period_containing
from statdesk.domain.target_setting import (
    Anomaly,
    Judgement,
    Proposal,
    Situation,
    anomalies,
    judge,
    propose,
)
from statdesk.domain.trends import (
    HistoryStats,
    RolledUp,
    WhatItTakes,
    history_stats,
    roll_up,
    what_it_would_take,
)
from statdesk.domain.vocabulary import Direction, Frequency, RollUp
from statdesk.storage.views.metrics import Figure, MetricDetail, PeriodRow

Show = Callable[[float], str]


@dataclass(frozen=True)
class PathPoint:
    """One period of the fiscal year on the "what it would take" chart: year to date for a
    sum (per period otherwise), the target's path, the path that meets the year's target from
    the latest value, and where the year's trend leads."""

    period: Period
    label: str
    actual: float | None
    target: float | None
    needed: float | None
    trend: float | None


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
    judgement: Judgement | None = None
    anomalies: tuple[tuple[str, Anomaly], ...] = ()  # (period label, what stands out)
    proposal: Proposal | None = None
    proposal_periods: tuple[Period, ...] = ()  # the year's periods not reported yet
    path: tuple[PathPoint, ...] = ()
    cumulative: bool = False  # the path is year to date (a sum roll-up)


# A metric's figures kept at another frequency than its own (a monthly measure whose file
# gives its targets and prior years by year), read with it (MetricDetail.kept_apart).
OtherFigures = Mapping[Frequency, Sequence[Figure]]


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
    show = summary.show
    judgement = judge([(r.actual, r.target) for r in rows], summary.direction, show)
    known = [r for r in rows if r.actual is not None]
    current = next((r.target for r in reversed(rows) if r.target is not None), None)
    proposal = propose(
        judgement, [r.actual for r in rows], current, summary.direction, summary.decimals, show
    )
    proposal_periods = tuple(r.period for r in in_year if r.actual is None)
    other = dict(detail.kept_apart)
    coarser = _judged_elsewhere(judgement, other, summary.direction, show)
    if coarser is None:
        judgement = _kept_elsewhere(judgement, other)
    else:  # its targets are kept by year (or quarter), not by its periods
        frequency, figures, judgement = coarser
        current = next((t for _, _, t in reversed(figures) if t is not None), None)
        proposal = propose(
            judgement,
            [a for _, a, _ in figures],
            current,
            summary.direction,
            summary.decimals,
            show,
        )
        per = {"annual": "year", "quarterly": "quarter", "monthly": "month"}.get(
            frequency.value, "period"
        )
        proposal = Proposal(proposal.target, f"{proposal.reasoning} (a target per {per})")
        proposal_periods = ()  # set by the year, as the file keeps it, not from here
    standing_out = tuple(
        (known[a.index].label, a) for a in anomalies([r.actual for r in known], show)
    )
    cumulative = summary.roll_up is RollUp.SUM
    return TargetHelper(
        history=history_stats([r.actual for r in rows]),
        baseline=baseline,
        fiscal_year=f"FY{year}",
        what_it_takes=takes,
        quarters=quarters,
        years=years,
        quarter_targets=quarter_targets,
        year_targets=year_targets,
        judgement=judgement,
        anomalies=standing_out,
        proposal=proposal,
        proposal_periods=proposal_periods,
        path=_path(in_year, takes, cumulative),
        cumulative=cumulative,
    )


def _judged_elsewhere(
    own: Judgement, other: OtherFigures, direction: Direction | None, show: Show
) -> tuple[Frequency, Sequence[tuple[str, float | None, float | None]], Judgement] | None:
    """When the metric's own periods have too few targets to judge and another frequency it
    is kept at has enough (a monthly measure with targets by year), the judgement there, with
    the rule saying so."""
    if own.situation is not Situation.NO_BASELINE or direction is None:
        return None
    for frequency, figures in other.items():
        judged = judge([(a, t) for _, a, t in figures], direction, show)
        if judged.compared >= 3 and judged.situation is not Situation.NO_BASELINE:
            words = {"annual": "yearly", "quarterly": "quarterly", "monthly": "monthly"}
            rule = (
                f"judged on its {words.get(frequency.value, frequency.value)} figures, where "
                f"its targets are kept: {judged.rule}"
            )
            return frequency, figures, replace(judged, rule=rule)
    return None


def _kept_elsewhere(own: Judgement, other: OtherFigures) -> Judgement:
    """A judgement of too few targets says where the metric's other targets are, if any: its
    "no period with both" must not read as "none at all" when the file kept them by year."""
    if own.situation is not Situation.NO_BASELINE:
        return own
    words = {"annual": "year", "quarterly": "quarter", "monthly": "month", "weekly": "week"}
    notes = []
    for frequency, figures in other.items():
        both = sum(a is not None and t is not None for _, a, t in figures)
        targets = sum(t is not None for _, _, t in figures)
        if targets:
            per = words.get(frequency.value, frequency.value)
            notes.append(
                f"{counted(targets, 'target')} by the {per} ({counted(both, per)} with a "
                "value as well), too few to judge it on"
            )
    if not notes:
        return own
    return replace(own, rule=f"{own.rule}; the file keeps {' and '.join(notes)}")


def _path(
    rows: list[PeriodRow], takes: WhatItTakes | None, cumulative: bool
) -> tuple[PathPoint, ...]:
    """The fiscal year's periods: year to date (a sum) or each period's value, the target's
    path, what the remaining periods need from the latest value on, and the trend (the year's
    average so far, carried on)."""
    done = [r for r in rows if r.actual is not None]
    if not rows or not done:
        return ()
    last = rows.index(done[-1])
    average = sum(r.actual for r in done if r.actual is not None) / len(done)
    reached = sum(r.actual or 0.0 for r in rows[: last + 1])  # the year to date, at the latest
    points = []
    so_far = aim = 0.0
    aims = True
    for number, row in enumerate(rows):
        if cumulative:
            so_far += row.actual or 0.0
            aims = aims and row.target is not None
            aim += row.target or 0.0
            actual = so_far if number <= last else None
            target = aim if aims else None
            trend = so_far + average * (number - last) if number >= last else None
            if number < last or takes is None or takes.needed_per_period is None:
                needed = None
            else:
                needed = reached + takes.needed_per_period * (number - last)
        else:
            actual = row.actual if number <= last else None
            target = row.target
            trend = average if number >= last else None
            needed = (
                takes.needed_per_period
                if takes is not None and takes.needed_per_period is not None and number > last
                else None
            )
        points.append(PathPoint(row.period, row.label, actual, target, needed, trend))
    return tuple(points)
