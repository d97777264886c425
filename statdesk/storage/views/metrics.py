"""Metrics as the Metrics page, the CLI and the charts see them: each metric's periods with
their status, the latest period, trend and changes, and the priority → goal → metric tree."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from statdesk.domain.errors import NotFound
from statdesk.domain.numbers import counted, format_value, implausible
from statdesk.domain.periods import (
    Period,
    fiscal_year,
    fiscal_year_start,
    label,
    period_containing,
    period_end,
    periods_between,
    same_period_last_year,
)
from statdesk.domain.questions import WORTH_QUESTIONS
from statdesk.domain.status import Status, allowance, period_status
from statdesk.domain.trends import (
    Change,
    Trend,
    change,
    trend,
)
from statdesk.domain.vocabulary import Direction, Frequency, RollUp, Unit
from statdesk.storage import models as m
from statdesk.storage.views.roster import department_names
from statdesk.storage.views.series import SeriesLine, metric_series

SPARK_PERIODS = 12
ONE_DAY = timedelta(days=1)


Figure = tuple[str, float | None, float | None]  # a period's label, actual and target


@dataclass(frozen=True)
class PeriodRow:
    period: Period
    label: str
    actual: float | None
    target: float | None
    forecast: float | None
    note: str
    status: Status
    problem: str | None  # why the value cannot be right for its unit
    # How far short of the target (beyond it, for "lower is better") still counts as within
    # tolerance; None without a target or a tolerance, and for band metrics.
    allowance: float | None = None


@dataclass(frozen=True)
class MetricSummary:
    id: int
    version: int
    name: str
    is_kpi: bool
    active: bool
    kpi_id: int | None
    goal_id: int | None
    goal: str
    department_id: int | None
    department: str
    unit: Unit
    unit_label: str | None
    decimals: int
    frequency: Frequency
    direction: Direction | None  # None: not set yet, so no status or trend is judged
    band: tuple[float | None, float | None]
    roll_up: RollUp
    latest: PeriodRow | None  # the latest period with a value
    trend: Trend
    vs_previous: Change | None
    vs_last_year: Change | None
    sparkline: tuple[float | None, ...]
    missing_worth: tuple[str, ...]  # the "worth tracking" answers not recorded
    # The end of the last period locked from the start (final: storage.locks keeps it so).
    final_through: date | None = None

    def is_final(self, period: Period) -> bool:
        return self.final_through is not None and period_end(period) <= self.final_through

    @property
    def status(self) -> Status:
        return self.latest.status if self.latest else Status.NO_DATA

    def show(self, value: float | None) -> str:
        return format_value(value, self.unit, self.decimals, self.unit_label)


@dataclass(frozen=True)
class MetricDetail:
    summary: MetricSummary
    rows: tuple[PeriodRow, ...]
    sources: tuple[tuple[int, str], ...]
    owner: str
    fiscal_year_start: int
    baseline_value: float | None = None
    baseline_period: date | None = None
    methodology: str = ""
    # Its breakdowns (districts, groups) and comparisons (benchmarks, the nation): shown
    # beside the city's own series, never judged against its target.
    series: tuple[SeriesLine, ...] = ()
    # Values and targets the file keeps at another frequency than the metric's own (a monthly
    # measure's prior years and targets, by the year), coarsest first: (frequency, its periods'
    # (label, actual, target) in order). The grid and chart show the metric's own periods; the
    # panel says these are there, and the Target helper judges them.
    kept_apart: tuple[tuple[Frequency, tuple[Figure, ...]], ...] = ()

    def kept_apart_counts(self) -> tuple[tuple[Frequency, int, int], ...]:
        """(frequency, values, targets) of the figures kept at other frequencies."""
        return tuple(
            (
                frequency,
                sum(actual is not None for _, actual, _ in figures),
                sum(target is not None for _, _, target in figures),
            )
            for frequency, figures in self.kept_apart
        )

    def kept_apart_sentence(self) -> str:
        """ "Also recorded by the year: 5 values and 2 targets. …" """
        if not self.kept_apart:
            return ""
        words = {"annual": "the year", "quarterly": "the quarter", "monthly": "the month"}
        parts = []
        for frequency, values, targets in self.kept_apart_counts():
            held = " and ".join(
                counted(n, what) for n, what in ((values, "value"), (targets, "target")) if n
            )
            parts.append(f"by {words.get(frequency.value, 'the week')}: {held}")
        return (
            f"Also recorded {'; '.join(parts)}. This grid and the chart show the metric's "
            f"{self.summary.frequency.label.lower()} periods; the Target helper reads the others."
        )


# Five hundred metrics of ten years of months share the same 120 periods: each label and each
# run of periods is worked out once, not once per metric (3.5 s to well under 1 s).
_label = functools.lru_cache(maxsize=8192)(label)


@functools.lru_cache(maxsize=1024)
def _periods(first: Period, last: Period) -> tuple[Period, ...]:
    return tuple(periods_between(first, last))


def _frame(
    metric: m.Metric, values: list[Any], targets: list[Any], fy_start: int, today: date
) -> tuple[tuple[Period, ...], dict[date, Any], dict[date, Any]]:
    """The periods from the first with data to the end of the current fiscal year, and the
    metric's values and targets by the start of their period."""
    frequency = metric.frequency
    actual = {v.period_start: v for v in values if v.frequency is frequency}
    goal = {t.period_start: t for t in targets if t.frequency is frequency}
    starts = set(actual) | set(goal)
    year_end = fiscal_year_start(fiscal_year(today, fy_start) + 1, fy_start)
    last = period_containing(
        max([*starts, year_end - ONE_DAY]) if starts else year_end - ONE_DAY,
        frequency,
        fy_start,
    )
    first = (
        period_containing(min(starts), frequency, fy_start)
        if starts
        else period_containing(today, frequency, fy_start)
    )
    return _periods(first, last), actual, goal


def _row(metric: m.Metric, period: Period, value: Any, target: Any, fy_start: int) -> PeriodRow:
    number = value.value if value else None
    aim = target.target if target else None
    return PeriodRow(
        period=period,
        label=_label(period, fy_start),
        actual=number,
        target=aim,
        forecast=target.forecast if target else None,
        note=(value.note if value and value.note else "")
        or (target.note if target and target.note else ""),
        status=period_status(
            number,
            aim,
            metric.direction,
            metric.tolerance,
            metric.tolerance_kind,
            (metric.band_low, metric.band_high),
        ),
        problem=implausible(number, metric.unit),
        allowance=(
            allowance(aim, metric.tolerance, metric.tolerance_kind)
            if aim is not None
            and metric.tolerance
            and metric.direction in (Direction.UP, Direction.DOWN)
            else None
        ),
    )


def _series(
    metric: m.Metric,
    values: list[Any],
    targets: list[Any],
    fy_start: int,
    today: date,
) -> list[PeriodRow]:
    """Every period from the first with data to the end of the current fiscal year."""
    periods, actual, goal = _frame(metric, values, targets, fy_start, today)
    return [
        _row(metric, period, actual.get(period.start), goal.get(period.start), fy_start)
        for period in periods
    ]


@dataclass(frozen=True)
class _Known:
    """What a summary needs of a metric's periods: the values in order, and full rows only
    for the latest periods with a value (the sparkline's, and the one before them) and for the
    same period a year before the latest."""

    numbers: list[float]
    tail: list[PeriodRow]
    year_ago: PeriodRow | None


def _known_from_rows(rows: list[PeriodRow]) -> _Known:
    with_data = [r for r in rows if r.actual is not None]
    latest = with_data[-1] if with_data else None
    by_start = {r.period.start: r for r in rows}
    year_ago = by_start.get(same_period_last_year(latest.period).start) if latest else None
    return _Known(
        [r.actual for r in with_data if r.actual is not None],
        with_data[-(SPARK_PERIODS + 1) :],
        year_ago,
    )


def _known(
    metric: m.Metric, values: list[Any], targets: list[Any], fy_start: int, today: date
) -> _Known:
    """As `_known_from_rows(_series(…))`, without making a row for every period: a list of
    500 metrics of 10 years of months is read in a fraction of the time."""
    periods, actual, goal = _frame(metric, values, targets, fy_start, today)
    known = [p for p in periods if (v := actual.get(p.start)) is not None and v.value is not None]
    tail = [
        _row(metric, p, actual.get(p.start), goal.get(p.start), fy_start)
        for p in known[-(SPARK_PERIODS + 1) :]
    ]
    year_ago = None
    if tail:
        before = same_period_last_year(tail[-1].period)
        if before.start in actual:
            year_ago = _row(metric, before, actual[before.start], goal.get(before.start), fy_start)
    return _Known([actual[p.start].value for p in known], tail, year_ago)


def _summary(
    metric: m.Metric, known: _Known, goals: dict[int, str], departments: dict[int, str]
) -> MetricSummary:
    latest = known.tail[-1] if known.tail else None
    previous = known.tail[-2] if len(known.tail) > 1 else None
    year_ago = known.year_ago
    band = (metric.band_low, metric.band_high)
    return MetricSummary(
        id=metric.id,
        version=metric.version,
        name=metric.name,
        is_kpi=metric.is_kpi,
        active=metric.active,
        kpi_id=metric.kpi_id,
        goal_id=metric.goal_id,
        goal=goals.get(metric.goal_id, "") if metric.goal_id else "",
        department_id=metric.department_id,
        department=departments.get(metric.department_id, "") if metric.department_id else "",
        unit=metric.unit,
        unit_label=metric.unit_label,
        decimals=metric.decimals,
        frequency=metric.frequency,
        direction=metric.direction,
        band=band,
        roll_up=metric.roll_up,
        latest=latest,
        trend=trend(known.numbers, metric.direction, band),
        vs_previous=change(latest.actual, previous.actual) if latest and previous else None,
        vs_last_year=change(latest.actual, year_ago.actual) if latest and year_ago else None,
        sparkline=tuple(r.actual for r in known.tail[-SPARK_PERIODS:]),
        missing_worth=tuple(
            text for name, text in WORTH_QUESTIONS if not (getattr(metric, name) or "").strip()
        ),
    )


class _Value(NamedTuple):
    period_start: date
    frequency: Frequency
    value: float | None
    note: str | None


class _Target(NamedTuple):
    period_start: date
    frequency: Frequency
    target: float | None
    forecast: float | None
    note: str | None


def _load(
    session: Session, metric_ids: list[int] | None = None, as_of: date | None = None
) -> tuple[list[m.Metric], dict[int, list[Any]], dict[int, list[Any]]]:
    """The metrics, and their values and targets as plain rows (the columns a series needs):
    a file holds hundreds of thousands, and rows are read several times faster than records.
    With `as_of`, only the values of periods that had ended by then: what a memo for that
    reporting period could know (targets, set in advance, are all kept)."""
    V, T = m.MetricValue, m.Target
    # The period's start as stored (ISO text): a file has a few hundred distinct periods in
    # hundreds of thousands of rows, so each is parsed once, not once per row.
    start_of = (type_coerce(V.period_start, String), type_coerce(T.period_start, String))
    query = select(m.Metric).order_by(m.Metric.position, m.Metric.name)
    values_query = select(V.metric_id, start_of[0], V.frequency, V.value, V.note).order_by(
        V.period_start
    )
    targets_query = select(
        T.metric_id, start_of[1], T.frequency, T.target, T.forecast, T.note
    ).order_by(T.period_start)
    if metric_ids is not None:
        query = query.where(m.Metric.id.in_(metric_ids))
        values_query = values_query.where(V.metric_id.in_(metric_ids))
        targets_query = targets_query.where(T.metric_id.in_(metric_ids))
    rows = session.connection()  # plain rows, without the ORM's bookkeeping per row
    day: dict[str, date] = {}

    def parsed(text: str | date) -> date:
        if isinstance(text, date):  # a server hands back dates as dates
            return text
        found = day.get(text)
        if found is None:
            found = day[text] = date.fromisoformat(text)
        return found

    values: dict[int, list[Any]] = defaultdict(list)
    ended: dict[tuple[date, Frequency], bool] = {}
    for metric_id, start, frequency, value, note in rows.execute(values_query):
        begun = parsed(start)
        if as_of is not None:
            key = (begun, frequency)
            if key not in ended:
                ended[key] = period_end(Period(begun, frequency)) <= as_of
            if not ended[key]:
                continue
        values[metric_id].append(_Value(begun, frequency, value, note))
    targets: dict[int, list[Any]] = defaultdict(list)
    for metric_id, start, frequency, target, forecast, note in rows.execute(targets_query):
        targets[metric_id].append(_Target(parsed(start), frequency, target, forecast, note))
    return list(session.scalars(query)), values, targets


def metric_summaries(
    session: Session,
    fy_start: int,
    today: date,
    metric_ids: list[int] | None = None,
    as_of: date | None = None,
) -> list[MetricSummary]:
    """Every metric (or these) with its latest period, trend and sparkline; with `as_of`,
    from the periods ended by then only."""
    metrics, values, targets = _load(session, metric_ids, as_of)
    goals = dict(session.execute(select(m.Goal.id, m.Goal.title)).all())
    departments = department_names(session)
    final = _final(session)
    return [
        final(
            metric,
            _summary(
                metric,
                _known(metric, values[metric.id], targets[metric.id], fy_start, today),
                goals,
                departments,
            ),
        )
        for metric in metrics
    ]


def _final(session: Session) -> Callable[[m.Metric, MetricSummary], MetricSummary]:
    """What marks a summary with how far its metric's periods are final (locked)."""
    from statdesk.domain.locks import locked_through
    from statdesk.storage.locks import read_locks

    locks = read_locks(session)

    def mark(metric: m.Metric, summary: MetricSummary) -> MetricSummary:
        if not locks:
            return summary
        through = locked_through(locks, metric.id, metric.department_id)
        return summary if through is None else replace(summary, final_through=through)

    return mark


def metric_detail(
    session: Session, metric_id: int, fy_start: int, today: date, as_of: date | None = None
) -> MetricDetail:
    details = metric_details(session, fy_start, today, [metric_id], as_of)
    if not details:
        raise NotFound(
            f"There is no metric #{metric_id} in this file.",
            "It may have been deleted; refresh the list.",
        )
    return details[0]


def metric_details(
    session: Session,
    fy_start: int,
    today: date,
    metric_ids: list[int] | None = None,
    as_of: date | None = None,
) -> list[MetricDetail]:
    """Every metric (or these) with all its periods, read in three queries; with `as_of`,
    the values (the city's own and its series') of the periods ended by then only."""
    metrics, values, targets = _load(session, metric_ids, as_of)
    goals = dict(session.execute(select(m.Goal.id, m.Goal.title)).all())
    departments = department_names(session)
    owners = {metric.owner_id for metric in metrics if metric.owner_id}
    people = dict(  # only the owners: a city may list thousands of people
        session.execute(select(m.Person.id, m.Person.name).where(m.Person.id.in_(owners))).all()
    )
    sources: dict[int, list[tuple[int, str]]] = defaultdict(list)
    source_query = (
        select(m.MetricDataset.metric_id, m.Dataset.id, m.Dataset.title)
        .join(m.Dataset, m.MetricDataset.dataset_id == m.Dataset.id)
        .order_by(m.Dataset.title)
    )
    if metric_ids is not None:
        source_query = source_query.where(m.MetricDataset.metric_id.in_(metric_ids))
    for metric_id, dataset_id, title in session.execute(source_query):
        sources[metric_id].append((dataset_id, title))
    lines = metric_series(session, [metric.id for metric in metrics], as_of)
    final = _final(session)
    details = []
    for metric in metrics:
        rows = _series(metric, values[metric.id], targets[metric.id], fy_start, today)
        details.append(
            MetricDetail(
                summary=final(metric, _summary(metric, _known_from_rows(rows), goals, departments)),
                rows=tuple(rows),
                sources=tuple(sources[metric.id]),
                owner=people.get(metric.owner_id, "") if metric.owner_id else "",
                fiscal_year_start=fy_start,
                baseline_value=metric.baseline_value,
                baseline_period=metric.baseline_period,
                methodology=metric.methodology or "",
                series=tuple(lines.get(metric.id, ())),
                kept_apart=_kept_apart(metric, values[metric.id], targets[metric.id], fy_start),
            )
        )
    return details


def _kept_apart(
    metric: m.Metric, values: list[Any], targets: list[Any], fy_start: int
) -> tuple[tuple[Frequency, tuple[Figure, ...]], ...]:
    figures: dict[Frequency, dict[date, list[float | None]]] = {}
    for value in values:
        if value.frequency is not metric.frequency and value.value is not None:
            figures.setdefault(value.frequency, {}).setdefault(value.period_start, [None, None])[
                0
            ] = value.value
    for target in targets:
        if target.frequency is not metric.frequency and target.target is not None:
            figures.setdefault(target.frequency, {}).setdefault(target.period_start, [None, None])[
                1
            ] = target.target
    coarsest_first = [Frequency.ANNUAL, Frequency.QUARTERLY, Frequency.MONTHLY, Frequency.WEEKLY]
    return tuple(
        (
            frequency,
            tuple(
                (_label(Period(start, frequency), fy_start), pair[0], pair[1])
                for start, pair in sorted(figures[frequency].items())
            ),
        )
        for frequency in coarsest_first
        if frequency in figures
    )
