"""What a metric's chart shows, before anything is drawn: its periods and numbers
(`series_of`), the analyst's notes under it, and the alternative text that says what it shows
(`alt_text`), for screen readers and the memo's PDF tags. Light: no matplotlib."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from statdesk.domain.numbers import format_value
from statdesk.domain.periods import Period, label
from statdesk.domain.status import Status, judged
from statdesk.domain.vocabulary import Direction, Frequency, RollUp, SeriesKind, Unit

if TYPE_CHECKING:
    from statdesk.storage.views.metrics import MetricDetail

MAX_COMPARISONS = 3  # lines beside the city's own: more would hide it

DIRECTION_WORDS = {
    Direction.UP: "higher is better",
    Direction.DOWN: "lower is better",
    Direction.BAND: "best kept within the band",
    None: "direction not set",
}


@dataclass(frozen=True)
class ChartSeries:
    """The numbers a chart shows, one entry per period, from the first with data to the end
    of the current fiscal year."""

    title: str
    periods: tuple[Period, ...]
    labels: tuple[str, ...]
    actual: tuple[float | None, ...]
    target: tuple[float | None, ...]
    forecast: tuple[float | None, ...]
    unit: Unit
    decimals: int
    unit_label: str | None
    frequency: Frequency
    direction: Direction | None
    band: tuple[float | None, float | None]
    roll_up: RollUp
    status: Status
    fiscal_year_start: int
    # Other places' figures to compare with (a benchmark, the state, the nation): name and
    # value per period, drawn as labelled lines; a metric's breakdowns are not drawn.
    comparisons: tuple[tuple[str, tuple[float | None, ...]], ...] = ()
    # Per period, how far short of the target (beyond it, when lower is better) still counts
    # as within tolerance: shaded beside the target line.
    allowance: tuple[float | None, ...] = ()
    notes: tuple[str, ...] = ()  # per period, the analyst's note on its value or target

    def show(self, value: float | None) -> str:
        return format_value(value, self.unit, self.decimals, self.unit_label)

    @property
    def empty(self) -> bool:
        """Nothing to draw: no value, target or forecast of the city's own, no comparison."""
        lines = (self.actual, self.target, self.forecast, *(v for _n, v in self.comparisons))
        return all(v is None for line in lines for v in line)

    @property
    def latest_index(self) -> int | None:
        known = [i for i, v in enumerate(self.actual) if v is not None]
        return known[-1] if known else None


def series_of(detail: MetricDetail) -> ChartSeries:
    """The chart's periods run from the first with a value or a target to the last with a
    value, target, forecast or comparison: not on to the fiscal year's end with nothing."""
    rows = detail.rows
    compared = {
        p.period.start
        for line in detail.series
        if line.kind is SeriesKind.COMPARISON
        for p in line.points
        if p.value is not None
    }
    used = [
        i
        for i, r in enumerate(rows)
        if r.actual is not None
        or r.target is not None
        or r.forecast is not None
        or r.period.start in compared
    ]
    first = next((i for i in used if rows[i].actual is not None or rows[i].target is not None), 0)
    rows = rows[first : (used[-1] + 1 if used else len(rows))]
    summary = detail.summary
    return ChartSeries(
        title=summary.name,
        periods=tuple(r.period for r in rows),
        labels=tuple(r.label for r in rows),
        actual=tuple(r.actual for r in rows),
        target=tuple(r.target for r in rows),
        forecast=tuple(r.forecast for r in rows),
        unit=summary.unit,
        decimals=summary.decimals,
        unit_label=summary.unit_label,
        frequency=summary.frequency,
        direction=summary.direction,
        band=summary.band,
        roll_up=summary.roll_up,
        status=summary.status,
        fiscal_year_start=detail.fiscal_year_start,
        comparisons=_comparisons(detail, rows),
        allowance=tuple(r.allowance for r in rows),
        notes=tuple(r.note for r in rows),
    )


def _comparisons(
    detail: MetricDetail, rows: tuple[Any, ...]
) -> tuple[tuple[str, tuple[float | None, ...]], ...]:
    """The comparison series with a value in the chart's periods, at most MAX_COMPARISONS."""
    found = []
    frequency = detail.summary.frequency
    for line in detail.series:
        if line.kind is not SeriesKind.COMPARISON:
            continue
        by_start = {p.period.start: p.value for p in line.points if p.period.frequency is frequency}
        values = tuple(by_start.get(r.period.start) for r in rows)
        if any(v is not None for v in values):
            found.append((line.name, values))
    return tuple(found[:MAX_COMPARISONS])


MAX_NOTES = 3  # under a chart: the story of the latest periods, not of every one


def notes_of(series: ChartSeries) -> tuple[tuple[str, str], ...]:
    """The notes of the periods charted, latest first, each with its period's label."""
    noted = [
        (series.labels[i], note.strip())
        for i, note in enumerate(series.notes)
        if note and note.strip()
    ]
    return tuple(reversed(noted))[:MAX_NOTES]


def _long_label(period: Period, fy_start: int) -> str:
    """ "October 2026" rather than "Oct 2026", for sentences."""
    if period.frequency is Frequency.MONTHLY:
        return f"{calendar.month_name[period.start.month]} {period.start.year}"
    return label(period, fy_start)


def alt_text(series: ChartSeries, trend_words: str = "") -> str:
    """What the chart shows, in one or two sentences (WCAG 1.1.1)."""
    latest = series.latest_index
    kind = {
        Frequency.WEEKLY: "weekly",
        Frequency.MONTHLY: "monthly",
        Frequency.QUARTERLY: "quarterly",
        Frequency.ANNUAL: "yearly",
    }[series.frequency]
    if latest is None:
        return f"{series.title}, {kind}: no values recorded yet."
    known = [i for i, v in enumerate(series.actual) if v is not None]
    fy = series.fiscal_year_start
    span = (
        f"{_long_label(series.periods[known[0]], fy)} to {_long_label(series.periods[latest], fy)}"
    )
    value = series.show(series.actual[latest])
    sentence = (
        f"{series.title}, {kind}, {span}; latest {value} in "
        f"{_long_label(series.periods[latest], fy)}"
    )
    target = series.target[latest]
    low, high = series.band
    if series.direction is Direction.BAND and low is not None and high is not None:
        sentence += f" against a band of {series.show(low)} to {series.show(high)}"
    elif target is not None:
        sentence += f" against a target of {series.show(target)}"
    if judged(series.status):
        sentence += f" ({series.status.label.lower()})"
    if trend_words:
        sentence += f"; {trend_words}"
    compared = []
    for name, values in series.comparisons:
        last = max((i for i, v in enumerate(values) if v is not None), default=None)
        if last is not None:
            shown = series.show(values[last])
            compared.append(f"{name} ({shown} in {_long_label(series.periods[last], fy)})")
    if compared:
        sentence += "; compared with " + ", ".join(compared)
    ahead = [(i, v) for i, v in enumerate(series.forecast) if v is not None and i > latest]
    if ahead:
        i, v = ahead[-1]
        sentence += f"; forecast {series.show(v)} for {_long_label(series.periods[i], fy)}"
    return sentence + f"; {DIRECTION_WORDS[series.direction]}."
