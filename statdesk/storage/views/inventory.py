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
    d = m.Dataset
    columns = (
        d.id,
        d.version,
        d.title,
        d.department_id,
        d.contact_id,
        d.update_frequency,
        d.last_updated,
        d.access_level,
        d.status,
        d.score_value,
        d.score_risk,
        d.score_quality,
        d.score_readiness,
        d.keywords,
        d.source_system,
    )
    rows = []
    for (
        id_,
        version,
        title,
        dept,
        contact,
        frequency,
        last,
        access,
        status,
        value,
        risk,
        quality,
        readiness,
        keywords,
        source,
    ) in session.connection().execute(select(*columns).order_by(d.title)):  # plain rows: no ORM
        rows.append(
            DatasetRow(
                id=id_,
                version=version,
                title=title,
                department_id=dept,
                department=departments.get(dept, "") if dept else "",
                contact_id=contact,
                contact=people.get(contact, "") if contact else "",
                update_frequency=frequency,
                last_updated=last,
                access_level=access,
                status=status,
                priority=priority(value, risk, quality, readiness),
                stale=is_stale(frequency, last, today),
                metrics=feeds.get(id_, 0),
                keywords=keywords or "",
                source_system=source or "",
            )
        )
    return rows


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


@dataclass(frozen=True)
class DatasetFacts:
    """What the inventory knows about one dataset, as a data catalog (data.json) needs it."""

    id: int
    identifier: str
    title: str
    description: str
    keywords: tuple[str, ...]
    last_updated: date | None
    publisher: str  # the department
    city: str
    contact_name: str
    contact_email: str
    access_level: AccessLevel
    rights: str
    license: str
    spatial: str
    temporal_start: date | None
    temporal_end: date | None
    update_frequency: UpdateFrequency | None
    landing_page: str
    data_dictionary: str
    download_url: str
    media_type: str
    format: str
    published: bool  # the inventory marks it published on the open data portal


def dataset_facts(session: Session, include_non_public: bool = False) -> list[DatasetFacts]:
    """The datasets a public catalog lists: public and restricted-public ones (and the
    non-public ones when asked), by title. A dataset without an identifier is given a stable
    one from its landing page or the file's own number."""
    city = session.scalars(select(m.City)).first()
    city_name = city.name if city else ""
    slug = "-".join(city_name.casefold().split()) or "city"
    departments = department_names(session)
    people = {p.id: p for p in session.scalars(select(m.Person))}
    query = select(m.Dataset).order_by(m.Dataset.title)
    if not include_non_public:
        query = query.where(m.Dataset.access_level != AccessLevel.NON_PUBLIC)
    found = []
    for d in session.scalars(query):
        contact = people.get(d.contact_id or d.owner_id or -1)
        found.append(
            DatasetFacts(
                id=d.id,
                identifier=(d.identifier or d.landing_page or f"{slug}-dataset-{d.id}").strip(),
                title=d.title or "",
                description=d.description or "",
                keywords=tuple(k.strip() for k in (d.keywords or "").split(";") if k.strip()),
                last_updated=d.last_updated,
                publisher=departments.get(d.department_id, "") if d.department_id else "",
                city=city_name,
                contact_name=contact.name if contact else "",
                contact_email=(contact.email or "") if contact else "",
                access_level=d.access_level,
                rights=d.rights or d.access_reason or "",
                license=d.license or "",
                spatial=d.spatial or "",
                temporal_start=d.temporal_start,
                temporal_end=d.temporal_end,
                update_frequency=d.update_frequency,
                landing_page=d.landing_page or "",
                data_dictionary=d.data_dictionary_url or "",
                download_url=d.download_url or "",
                media_type=d.media_type or "",
                format=d.format or "",
                published=d.status is DatasetStatus.PUBLISHED,
            )
        )
    return found
