"""Metric edits: a metric with its source datasets, and many periods' numbers at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.errors import NotFound
from statdesk.domain.periods import Period
from statdesk.storage import models as m
from statdesk.storage.edits.links import keep_only
from statdesk.storage.edits.records import save_record

VALUE_FIELDS = {"actual": "value", "note": "note"}
TARGET_FIELDS = {"target": "target", "forecast": "forecast"}


@dataclass(frozen=True)
class PeriodEdit:
    """New numbers for one period: only the keys given change (actual, target, forecast,
    note); None clears a number."""

    period: Period
    changes: Mapping[str, float | str | None]


def save_metric(
    session: Session,
    metric_id: int | None,
    fields: Mapping[str, Any],
    sources: Iterable[int],
    expected_version: int | None,
) -> m.Metric:
    metric = save_record(session, m.Metric, metric_id, fields, expected_version)
    current = {
        link.dataset_id: link
        for link in session.scalars(select(m.MetricDataset).filter_by(metric_id=metric.id))
    }
    keep_only(
        session,
        current,
        sources,
        lambda dataset_id: m.MetricDataset(metric_id=metric.id, dataset_id=dataset_id),
    )
    return metric


def save_goal(session: Session, goal_id: int | None, fields: Mapping[str, Any]) -> m.Goal:
    """Create or change a goal. A program has one bold goal: marking this one bold clears the
    mark from any other."""
    goal = save_record(session, m.Goal, goal_id, fields)
    if goal.is_bold:
        for other in session.scalars(select(m.Goal).where(m.Goal.is_bold, m.Goal.id != goal.id)):
            other.is_bold = False
    return goal


def _row(
    session: Session, model: type[m.MetricValue] | type[m.Target], metric_id: int, period: Period
) -> Any:
    return session.scalars(
        select(model).filter_by(
            metric_id=metric_id, period_start=period.start, frequency=period.frequency
        )
    ).first()


def revised_reported_targets(
    session: Session, metric_id: int, edits: Sequence[PeriodEdit]
) -> list[Period]:
    """The periods whose target these edits change although the period was already reported
    against (it has an actual): bending a target toward the actuals after the fact needs a
    reason the change log keeps."""
    revised = []
    for edit in edits:
        if "target" not in edit.changes:
            continue
        row = _row(session, m.Target, metric_id, edit.period)
        new = edit.changes["target"]
        if row is None or row.target is None or row.target == (None if new == "" else new):
            continue
        actual = _row(session, m.MetricValue, metric_id, edit.period)
        if actual is not None and actual.value is not None:
            revised.append(edit.period)
    return revised


def set_periods(session: Session, metric_id: int, edits: Sequence[PeriodEdit]) -> int:
    """Apply every edit in one transaction; a row left with nothing in it is removed."""
    if session.get(m.Metric, metric_id) is None:
        raise NotFound(
            f"There is no metric #{metric_id} in this file.",
            "It may have been deleted; refresh the list.",
        )
    for edit in edits:
        unknown = set(edit.changes) - set(VALUE_FIELDS) - set(TARGET_FIELDS)
        if unknown:
            raise ValueError(f"Cannot set {', '.join(sorted(unknown))} of a period.")
        for model, names in ((m.MetricValue, VALUE_FIELDS), (m.Target, TARGET_FIELDS)):
            wanted = {
                column: edit.changes[key] for key, column in names.items() if key in edit.changes
            }
            if not wanted:
                continue
            row = _row(session, model, metric_id, edit.period)
            if row is None:
                if all(v in (None, "") for v in wanted.values()):
                    continue
                row = model(
                    metric_id=metric_id,
                    period_start=edit.period.start,
                    frequency=edit.period.frequency,
                )
                session.add(row)
            for column, value in wanted.items():
                setattr(row, column, value if value != "" else None)
            kept = [getattr(row, c) for c in names.values()]
            if all(v is None for v in kept) and row in session:
                if row.id is None:
                    session.expunge(row)
                else:
                    session.delete(row)
    return len(edits)
