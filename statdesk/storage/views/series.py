"""A metric's series besides the city's own, as the Metrics page, the charts, the memos and
the exports show them: each breakdown (a district, a group) and comparison (a benchmark, the
state, the nation), with its values by period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.periods import Period, period_end
from statdesk.domain.vocabulary import SeriesKind
from statdesk.storage import models as m


@dataclass(frozen=True)
class SeriesPoint:
    period: Period
    value: float | None
    target: float | None
    forecast: float | None
    note: str


@dataclass(frozen=True)
class SeriesLine:
    id: int
    metric_id: int
    name: str
    kind: SeriesKind
    dimension: str  # the column that told the series apart: "Geographic Identifier"
    points: tuple[SeriesPoint, ...]

    def value_at(self, start: date) -> float | None:
        return next((p.value for p in self.points if p.period.start == start), None)


def metric_series(
    session: Session, metric_ids: list[int], as_of: date | None = None
) -> dict[int, list[SeriesLine]]:
    """Each metric's series, comparisons first (they go on the chart), then breakdowns, each
    kind by position and name; points in period order (with `as_of`, those of the periods
    ended by then)."""
    if not metric_ids:
        return {}
    series = list(
        session.scalars(select(m.MetricSeries).where(m.MetricSeries.metric_id.in_(metric_ids)))
    )
    points: dict[int, list[SeriesPoint]] = defaultdict(list)
    query = (
        select(m.SeriesValue)
        .where(m.SeriesValue.series_id.in_([s.id for s in series]))
        .order_by(m.SeriesValue.period_start)
    )
    for row in session.scalars(query):
        period = Period(row.period_start, row.frequency)
        if as_of is not None and period_end(period) > as_of:
            continue
        points[row.series_id].append(
            SeriesPoint(
                period,
                row.value,
                row.target,
                row.forecast,
                row.note or "",
            )
        )
    out: dict[int, list[SeriesLine]] = defaultdict(list)
    order = {SeriesKind.COMPARISON: 0, SeriesKind.BREAKDOWN: 1}
    for s in sorted(series, key=lambda s: (order[s.series_kind], s.position, s.name.casefold())):
        out[s.metric_id].append(
            SeriesLine(
                s.id,
                s.metric_id,
                s.name,
                s.series_kind,
                s.dimension or "",
                tuple(points[s.id]),
            )
        )
    return dict(out)
