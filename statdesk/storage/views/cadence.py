"""Each department's Stat cadence and where it stands: its last and next Stat, and whether it
is overdue (Home lists those), and the date to propose for its next Stat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.cadence import Standing, propose_next, standing
from statdesk.domain.vocabulary import Cadence, MeetingStatus
from statdesk.storage import models as m


@dataclass(frozen=True)
class CadenceRow:
    department_id: int
    department: str
    cadence: Cadence
    standing: Standing
    says: str  # "every two weeks; last Stat 9 weeks ago (2026-10-04); overdue by 49 days…"

    @property
    def overdue(self) -> bool:
        return self.standing.overdue_days > 0 or (
            self.standing.last is None and self.standing.next_planned is None
        )


def _meetings(
    session: Session, department_id: int | None = None
) -> dict[int, list[tuple[date, bool]]]:
    query = select(m.Meeting.department_id, m.Meeting.starts_at, m.Meeting.status)
    if department_id is not None:
        query = query.where(m.Meeting.department_id == department_id)
    found: dict[int, list[tuple[date, bool]]] = {}
    for department, starts_at, status in session.execute(query):
        found.setdefault(department, []).append(
            (starts_at.date(), status is MeetingStatus.CANCELLED)
        )
    return found


def cadence_rows(session: Session, today: date) -> list[CadenceRow]:
    """The active departments that have a cadence, most overdue first."""
    meetings = _meetings(session)
    rows = []
    for department in session.scalars(
        select(m.Department).where(m.Department.active, m.Department.stat_cadence.is_not(None))
    ):
        assert department.stat_cadence is not None
        where = standing(department.stat_cadence, meetings.get(department.id, []), today)
        rows.append(
            CadenceRow(
                department.id,
                department.name,
                department.stat_cadence,
                where,
                where.describe(department.stat_cadence, today),
            )
        )
    return sorted(rows, key=lambda r: (-r.standing.overdue_days, r.department.casefold()))


def proposed_meeting(session: Session, department_id: int, today: date) -> tuple[datetime, str]:
    """When and where to hold the department's next Stat: a cadence after its last one, on its
    usual day and time, in its usual room."""
    department = session.get(m.Department, department_id)
    if department is None:
        return propose_next(None, None, None, None, today), ""
    held = [
        day
        for day, cancelled in _meetings(session, department_id).get(department_id, [])
        if not cancelled
    ]
    last = max(held, default=None)
    when = propose_next(
        department.stat_cadence, department.stat_weekday, department.stat_time, last, today
    )
    return when, department.stat_room or ""
