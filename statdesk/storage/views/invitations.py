"""What a meeting's calendar event and its memo's mail need: its calendar identity, time and
place, who leads it, and who is invited, with their email (those without one are named, so
the analyst can add it, never dropped in silence)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.errors import NotFound
from statdesk.domain.vocabulary import MeetingStatus, Role
from statdesk.storage import models as m

Person = tuple[str, str]  # name, email


@dataclass(frozen=True)
class Invitation:
    meeting_id: int
    uid: str
    sequence: int
    title: str
    department_id: int
    department: str
    starts_at: datetime
    minutes: int
    location: str
    status: MeetingStatus
    leader: Person | None  # with an email, else None
    attendees: tuple[Person, ...]  # those with an email
    without_email: tuple[str, ...]  # the attendees (and leader) who have none
    leads: tuple[Person, ...]  # the department's leads with an email


def invitations(session: Session, meeting_ids: list[int]) -> list[Invitation]:
    found = []
    for meeting_id in meeting_ids:
        meeting = session.get(m.Meeting, meeting_id)
        if meeting is None:
            raise NotFound(f"There is no meeting #{meeting_id} in this file.")
        people = list(
            session.scalars(
                select(m.Person)
                .join(m.Attendee, m.Attendee.person_id == m.Person.id)
                .where(m.Attendee.meeting_id == meeting_id)
                .order_by(m.Person.name)
            )
        )
        leader = session.get(m.Person, meeting.leader_id) if meeting.leader_id else None
        leads = session.scalars(
            select(m.Person)
            .join(m.RoleAssignment, m.RoleAssignment.person_id == m.Person.id)
            .where(
                m.RoleAssignment.role == Role.DEPARTMENT_LEAD,
                m.RoleAssignment.department_id == meeting.department_id,
            )
        )
        missing = [p.name for p in people if not p.email]
        if leader is not None and not leader.email and leader.name not in missing:
            missing.append(leader.name)
        department = session.get(m.Department, meeting.department_id)
        found.append(
            Invitation(
                meeting.id,
                meeting.calendar_uid or f"statdesk-meeting-{meeting.id}@statdesk",
                meeting.calendar_sequence or 0,
                meeting.title or f"{department.name if department else ''} Stat".strip(),
                meeting.department_id,
                department.name if department else "",
                meeting.starts_at,
                meeting.session_minutes,
                meeting.location or "",
                meeting.status,
                (leader.name, leader.email) if leader is not None and leader.email else None,
                tuple((p.name, p.email) for p in people if p.email),
                tuple(missing),
                tuple((p.name, p.email) for p in leads if p.email),
            )
        )
    return found


def department_meetings(session: Session, department_id: int) -> list[int]:
    """The department's meetings, oldest first: its series in one calendar file."""
    if session.get(m.Department, department_id) is None:
        raise NotFound(f"There is no department #{department_id} in this file.")
    return list(
        session.scalars(
            select(m.Meeting.id)
            .where(m.Meeting.department_id == department_id)
            .order_by(m.Meeting.starts_at)
        )
    )
