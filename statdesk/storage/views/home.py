"""The program at a glance: KPIs on track, overdue follow-ups, datasets needing care, what is
next. Every row carries the id of the record it opens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from statdesk.domain.actions import FollowUpStatus, follow_up_status
from statdesk.domain.periods import add_months, period_end
from statdesk.domain.status import Status, judged, on_track
from statdesk.domain.vocabulary import MeetingStatus, Role
from statdesk.storage import models as m
from statdesk.storage.views.cadence import CadenceRow, cadence_rows
from statdesk.storage.views.inventory import DatasetRow, dataset_rows
from statdesk.storage.views.metrics import MetricDetail, metric_details
from statdesk.storage.views.roster import department_names, whos_who


@dataclass(frozen=True)
class KpiRow:
    metric_id: int
    name: str
    department: str
    period: str
    actual: float | None
    target: float | None
    status: Status
    actual_text: str = ""  # in the metric's unit: 83.3%, 7.4 min
    target_text: str = ""


@dataclass(frozen=True)
class OverdueRow:
    action_id: int
    description: str
    owner: str
    department: str
    due: date
    days_overdue: int


@dataclass(frozen=True)
class MeetingRow:
    meeting_id: int
    title: str
    department: str
    starts_at: datetime


@dataclass(frozen=True)
class GapRow:
    department_id: int
    department: str
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class UnjudgedRow:
    """A metric whose direction is not set: its periods are not judged until it is."""

    metric_id: int
    name: str
    department: str


@dataclass(frozen=True)
class Holdings:
    people: int
    departments: int
    datasets: int
    metrics: int
    meetings: int
    action_items: int


@dataclass(frozen=True)
class OnTrackMonth:
    """The KPIs as Home would have judged them at a month's end: each KPI's latest period
    ended by then that has a value and a target."""

    label: str  # "Nov 2026"
    on_track: int
    judged: int

    @property
    def share(self) -> float | None:
        return self.on_track / self.judged if self.judged else None


@dataclass(frozen=True)
class HomeSummary:
    kpis: tuple[KpiRow, ...]
    overdue: tuple[OverdueRow, ...]
    stale: tuple[DatasetRow, ...]
    no_contact: tuple[DatasetRow, ...]
    next_meetings: tuple[MeetingRow, ...]
    gaps: tuple[GapRow, ...]
    holds: Holdings  # for a new file's "Getting started", and sections that say nothing false
    no_direction: tuple[UnjudgedRow, ...] = ()
    stat_due: tuple[CadenceRow, ...] = ()  # departments overdue for a Stat, most overdue first
    on_track_history: tuple[OnTrackMonth, ...] = ()  # the last 12 months, oldest first

    @property
    def kpis_on_track(self) -> int:
        return sum(on_track(k.status) for k in self.kpis)

    @property
    def kpis_judged(self) -> int:
        """KPIs whose latest period has both a value and a target."""
        return sum(judged(k.status) for k in self.kpis)


def latest_kpis(details: list[MetricDetail]) -> list[KpiRow]:
    """Each active KPI's latest period, judged exactly as the Metrics page judges it."""
    rows = []
    for s in (detail.summary for detail in details):
        last = s.latest
        actual, target = (last.actual, last.target) if last else (None, None)
        rows.append(
            KpiRow(
                s.id,
                s.name,
                s.department,
                last.label if last else "",
                actual,
                target,
                s.status,
                s.show(actual),
                s.show(target),
            )
        )
    return rows


def on_track_history(
    details: list[MetricDetail], today: date, months: int = 12
) -> list[OnTrackMonth]:
    """The share of KPIs on track at the end of each of the last `months` months ended."""
    if not details:
        return []
    judged_rows = [
        [(period_end(r.period), r.status) for r in d.rows if judged(r.status)] for d in details
    ]
    first_of_this_month = today.replace(day=1)
    history = []
    for back in range(months, 0, -1):
        month_start = add_months(first_of_this_month, -back)
        month_end = add_months(month_start, 1) - timedelta(days=1)
        latest = [
            next((status for end, status in reversed(rows) if end <= month_end), None)
            for rows in judged_rows
        ]
        statuses = [s for s in latest if s is not None]
        history.append(
            OnTrackMonth(f"{month_start:%b %Y}", sum(on_track(s) for s in statuses), len(statuses))
        )
    return history


def home_summary(session: Session, today: date, now: datetime, fy_start: int) -> HomeSummary:
    # The active KPIs with all their periods, read once: their latest and their last year.
    kpi_ids = list(session.scalars(select(m.Metric.id).where(m.Metric.is_kpi, m.Metric.active)))
    kpis = metric_details(session, fy_start, today, kpi_ids) if kpi_ids else []
    departments = department_names(session)
    people = dict(session.execute(select(m.Person.id, m.Person.name)).all())
    overdue = []
    for item in session.scalars(select(m.ActionItem).order_by(m.ActionItem.due)):
        if (
            follow_up_status(item.status, item.due, item.completed_on, today)
            is FollowUpStatus.OVERDUE
            and item.due is not None
        ):
            overdue.append(
                OverdueRow(
                    item.id,
                    item.description,
                    people.get(item.owner_id, "") if item.owner_id else "",
                    departments.get(item.department_id, "") if item.department_id else "",
                    item.due,
                    (today - item.due).days,
                )
            )
    datasets = dataset_rows(session, today)
    upcoming = session.scalars(
        select(m.Meeting)
        .where(m.Meeting.starts_at >= now, m.Meeting.status == MeetingStatus.PLANNED.value)
        .order_by(m.Meeting.starts_at)
        .limit(5)
    )
    gaps = [
        GapRow(w.department_id, w.department, w.unfilled) for w in whos_who(session) if w.unfilled
    ]
    return HomeSummary(
        kpis=tuple(latest_kpis(kpis)),
        overdue=tuple(sorted(overdue, key=lambda r: -r.days_overdue)),
        stale=tuple(d for d in datasets if d.stale),
        no_contact=tuple(d for d in datasets if d.contact_id is None),
        next_meetings=tuple(
            MeetingRow(
                mt.id,
                mt.title or "Stat meeting",
                departments.get(mt.department_id, ""),
                mt.starts_at,
            )
            for mt in upcoming
        ),
        gaps=tuple(gaps),
        holds=Holdings(
            people=len(people),
            departments=len(departments),
            datasets=len(datasets),
            metrics=_count(session, m.Metric),
            meetings=_count(session, m.Meeting),
            action_items=_count(session, m.ActionItem),
        ),
        stat_due=tuple(r for r in cadence_rows(session, today) if r.overdue),
        on_track_history=tuple(on_track_history(kpis, today)),
        no_direction=tuple(
            UnjudgedRow(i, name, departments.get(d, "") if d else "")
            for i, name, d in session.execute(
                select(m.Metric.id, m.Metric.name, m.Metric.department_id)
                .where(m.Metric.direction.is_(None), m.Metric.active)
                .order_by(m.Metric.is_kpi.desc(), m.Metric.name)
            )
        ),
    )


def _count(session: Session, model: type[m.Record]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0
