"""The data inventory as the Inventory page shows it: one row per dataset, with its flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from statdesk.domain.inventory import is_stale, priority
from statdesk.domain.vocabulary import AccessLevel, DatasetStatus, UpdateFrequency
from statdesk.storage import models as m
from statdesk.storage.views.roster import department_names


@dataclass(frozen=True)
class DatasetRow:
    id: int
    version: int
    title: str
    department_id: int | None
    department: str
    contact_id: int | None
    contact: str
    update_frequency: UpdateFrequency | None
    last_updated: date | None
    access_level: AccessLevel
    status: DatasetStatus
    priority: float | None
    stale: bool
    metrics: int
    keywords: str
    source_system: str


def dataset_rows(session: Session, today: date) -> list[DatasetRow]:
    departments = department_names(session)
    people = dict(session.execute(select(m.Person.id, m.Person.name)).all())
    feeds = dict(
        session.execute(
            select(m.MetricDataset.dataset_id, func.count()).group_by(m.MetricDataset.dataset_id)
        ).all()
    )
    return [
        DatasetRow(
            id=d.id,
            version=d.version,
            title=d.title,
            department_id=d.department_id,
            department=departments.get(d.department_id, "") if d.department_id else "",
            contact_id=d.contact_id,
            contact=people.get(d.contact_id, "") if d.contact_id else "",
            update_frequency=d.update_frequency,
            last_updated=d.last_updated,
            access_level=d.access_level,
            status=d.status,
            priority=priority(d.score_value, d.score_risk, d.score_quality, d.score_readiness),
            stale=is_stale(d.update_frequency, d.last_updated, today),
            metrics=feeds.get(d.id, 0),
            keywords=d.keywords or "",
            source_system=d.source_system or "",
        )
        for d in session.scalars(select(m.Dataset).order_by(m.Dataset.title))
    ]


def publish_next(rows: list[DatasetRow]) -> list[DatasetRow]:
    """Datasets not yet published, most valuable first: what to verify or publish next."""
    waiting = [r for r in rows if r.status is not DatasetStatus.PUBLISHED]
    return sorted(waiting, key=lambda r: (-(r.priority or 0), r.title.casefold()))


def metrics_fed_by(session: Session, dataset_id: int) -> list[tuple[int, str]]:
    rows = session.execute(
        select(m.Metric.id, m.Metric.name)
        .join(m.MetricDataset, m.MetricDataset.metric_id == m.Metric.id)
        .where(m.MetricDataset.dataset_id == dataset_id)
        .order_by(m.Metric.name)
    )
    return list(rows)
