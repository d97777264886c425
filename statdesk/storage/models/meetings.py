"""Stat meetings, who attends, the agenda (the Stat memo), and the follow-up items."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from statdesk.domain.vocabulary import (
    ActionStatus,
    AgendaSection,
    Deliverable,
    Frequency,
    MeetingStatus,
    Priority,
    WorthTime,
)
from statdesk.storage.models.base import EnumText, Record


def new_calendar_uid() -> str:
    return f"{uuid.uuid4()}@statdesk"


class Meeting(Record):
    __tablename__ = "meeting"
    kind = "meeting"

    department_id: Mapped[int] = mapped_column(
        ForeignKey("department.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # the city's local wall-clock time
    location: Mapped[str | None] = mapped_column(String(200))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    reporting_period: Mapped[date | None] = mapped_column(Date)
    reporting_frequency: Mapped[Frequency] = mapped_column(
        EnumText(Frequency), default=Frequency.MONTHLY
    )
    session_minutes: Mapped[int] = mapped_column(Integer, default=90)
    status: Mapped[MeetingStatus] = mapped_column(
        EnumText(MeetingStatus), default=MeetingStatus.PLANNED
    )
    materials_due: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # Its calendar event: a UID kept for good, and a SEQUENCE bumped whenever what a calendar
    # shows of it changes (time, length, place, title, status, attendees).
    calendar_uid: Mapped[str | None] = mapped_column(String(100), default=new_calendar_uid)
    calendar_sequence: Mapped[int] = mapped_column(Integer, default=0)


class Attendee(Record):
    __tablename__ = "attendee"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)
    kind = "attendee"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    attended: Mapped[bool | None] = mapped_column(Boolean)
    worth_time: Mapped[WorthTime | None] = mapped_column(EnumText(WorthTime))
    feedback: Mapped[str | None] = mapped_column(Text)


class AgendaItem(Record):
    __tablename__ = "agenda_item"
    kind = "agenda item"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[AgendaSection] = mapped_column(EnumText(AgendaSection))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int | None] = mapped_column(Integer)
    narrative: Mapped[str | None] = mapped_column(Text)
    questions: Mapped[str | None] = mapped_column(Text)  # one question per line
    data_source: Mapped[str | None] = mapped_column(Text)
    metric_id: Mapped[int | None] = mapped_column(ForeignKey("metric.id", ondelete="SET NULL"))
    action_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_item.id", ondelete="SET NULL")
    )


class ActionItem(Record):
    __tablename__ = "action_item"
    kind = "action item"

    description: Mapped[str] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(200))
    deliverable: Mapped[Deliverable | None] = mapped_column(EnumText(Deliverable))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="SET NULL"), index=True
    )
    due: Mapped[date | None] = mapped_column(Date)
    priority: Mapped[Priority] = mapped_column(EnumText(Priority), default=Priority.MEDIUM)
    status: Mapped[ActionStatus] = mapped_column(
        EnumText(ActionStatus), default=ActionStatus.INCOMPLETE
    )
    created_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    origin_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    origin_agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL", use_alter=True)
    )
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_item.id", ondelete="SET NULL")
    )
    notes: Mapped[str | None] = mapped_column(Text)
