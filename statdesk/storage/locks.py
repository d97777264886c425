"""Keeping locked periods final: every write's flush is checked (storage.changes calls
`check_flush`), and writes that go around the ORM (an import's undo, taking back an edit) ask
`refuse_periods` first. A write told to (`session.info["change_locked"]`, an import given a
reason for it) may change them; the change log keeps its `session.info["reason"]`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.errors import PeriodLocked
from statdesk.domain.locks import Lock, lock_of
from statdesk.domain.periods import Period, label
from statdesk.domain.vocabulary import Frequency
from statdesk.storage import models as m

PeriodKey = tuple[int, date, Frequency]  # metric id, period start, frequency


def lock_records(session: Session) -> list[m.PeriodLock]:
    with session.no_autoflush:
        return list(session.scalars(select(m.PeriodLock).order_by(m.PeriodLock.id)))


def as_lock(record: m.PeriodLock) -> Lock:
    return Lock(record.id, record.metric_id, record.department_id, record.starts, record.through)


def read_locks(session: Session) -> list[Lock]:
    return [as_lock(record) for record in lock_records(session)]


def check_flush(session: Session) -> None:
    """Refuse a flush that adds, changes or removes a locked period's value or target."""
    if session.info.get("change_locked"):
        return
    touched: list[PeriodKey] = []
    series: list[tuple[int, date, Frequency]] = []
    for record in (*session.new, *session.dirty, *session.deleted):
        if isinstance(record, m.MetricValue | m.Target):
            if record in session.dirty and not session.is_modified(record):
                continue
            touched.append((record.metric_id, record.period_start, record.frequency))
        elif isinstance(record, m.SeriesValue):
            if record in session.dirty and not session.is_modified(record):
                continue
            series.append((record.series_id, record.period_start, record.frequency))
    if not touched and not series:
        return
    refuse_periods(session, touched + _of_their_metrics(session, series))


def refuse_rows(session: Session, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Refuse writing these rows of `table` back or away if any is a locked period's value
    or target (rows of other tables pass)."""
    if table in ("metric_value", "target"):
        refuse_periods(
            session,
            [(r["metric_id"], r["period_start"], Frequency(r["frequency"])) for r in rows],
        )
    elif table == "series_value":
        series = [(r["series_id"], r["period_start"], Frequency(r["frequency"])) for r in rows]
        refuse_periods(session, _of_their_metrics(session, series))


def _of_their_metrics(
    session: Session, series: list[tuple[int, date, Frequency]]
) -> list[PeriodKey]:
    """Series' periods as their metrics' periods: a breakdown's final figures are final too."""
    if not series:
        return []
    with session.no_autoflush:
        rows = session.execute(
            select(m.MetricSeries.id, m.MetricSeries.metric_id).where(
                m.MetricSeries.id.in_({s for s, _, _ in series})
            )
        ).all()
    owners = {int(series_id): int(metric_id) for series_id, metric_id in rows}
    return [(owners[s], start, f) for s, start, f in series if s in owners]


def refuse_batch(session: Session, batch_id: int) -> None:
    """Refuse undoing an import that wrote values of periods locked since."""
    for model in (m.MetricValue, m.Target):
        rows = session.execute(
            select(model.metric_id, model.period_start, model.frequency).where(
                model.import_batch_id == batch_id
            )
        ).all()
        refuse_periods(session, [(int(i), s, f) for i, s, f in rows])
    series = session.execute(
        select(m.MetricSeries.metric_id, m.SeriesValue.period_start, m.SeriesValue.frequency)
        .join(m.MetricSeries, m.MetricSeries.id == m.SeriesValue.series_id)
        .where(m.SeriesValue.import_batch_id == batch_id)
    ).all()
    refuse_periods(session, [(int(i), s, f) for i, s, f in series])


def refuse_periods(session: Session, periods: Iterable[PeriodKey]) -> None:
    """Raise PeriodLocked naming the first locked one of these metrics' periods (and how many
    more), unless the write was told to change them (an import given a reason)."""
    wanted = list(periods)
    if not wanted or session.info.get("change_locked"):
        return
    locks = read_locks(session)
    if not locks:
        return
    with session.no_autoflush:
        rows = session.execute(
            select(m.Metric.id, m.Metric.name, m.Metric.department_id).where(
                m.Metric.id.in_({metric for metric, _, _ in wanted})
            )
        ).all()
    metrics = {int(i): (str(n), d) for i, n, d in rows}
    hits = []
    for metric_id, start, frequency in wanted:
        name, department = metrics.get(metric_id, (f"metric #{metric_id}", None))
        lock = lock_of(locks, metric_id, department, Period(start, frequency))
        if lock is not None:
            hits.append((name, Period(start, frequency), lock))
    if not hits:
        return
    fy = fiscal_start(session)
    name, period, lock = hits[0]
    more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
    raise PeriodLocked(
        f"{name}, {label(period, fy)} is final: {describe(session, lock)}{more}. "
        "Nothing was changed.",
        "Unlock the period first, with a reason (Metrics ▸ Locked periods, or statdesk "
        "unlock), if it must change.",
    )


def describe(session: Session, lock: Lock) -> str:
    """'locked through 2026-09-30 for Police' (the city, a department or a metric)."""
    with session.no_autoflush:
        if lock.metric_id is not None:
            metric = session.get(m.Metric, lock.metric_id)
            scope = f"the metric '{metric.name if metric else lock.metric_id}'"
        elif lock.department_id is not None:
            department = session.get(m.Department, lock.department_id)
            scope = department.name if department else f"department #{lock.department_id}"
        else:
            scope = "the whole city"
    since = f"from {lock.starts.isoformat()} " if lock.starts else ""
    return f"locked {since}through {lock.through.isoformat()} for {scope}"


def fiscal_start(session: Session) -> int:
    with session.no_autoflush:
        city = session.scalars(select(m.City)).first()
    return city.fiscal_year_start_month if city else 7
