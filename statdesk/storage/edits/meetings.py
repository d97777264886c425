"""Saving a meeting whole: its fields, exactly these attendees, and exactly this agenda (in
this order), in one transaction, so a memo never shows half an edit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.storage import models as m
from statdesk.storage.edits.links import keep_only
from statdesk.storage.edits.records import save_record

AGENDA_FIELDS = (
    "section",
    "title",
    "minutes",
    "narrative",
    "questions",
    "data_source",
    "metric_id",
    "action_item_id",
)


def save_meeting(
    session: Session,
    meeting_id: int | None,
    fields: Mapping[str, Any],
    attendee_ids: Sequence[int],
    agenda: Sequence[Mapping[str, Any]],
    expected_version: int | None = None,
) -> m.Meeting:
    """`agenda` rows carry AGENDA_FIELDS and, for an item kept from before, its `id`. Items not
    listed are removed; attendees keep their answers ("worth your time") when they stay."""
    before = _calendar_view(session, meeting_id) if meeting_id is not None else None
    meeting = save_record(session, m.Meeting, meeting_id, fields, expected_version)
    present = {
        a.person_id: a
        for a in session.scalars(select(m.Attendee).where(m.Attendee.meeting_id == meeting.id))
    }
    keep_only(
        session,
        present,
        attendee_ids,
        lambda person_id: m.Attendee(meeting_id=meeting.id, person_id=person_id),
    )
    kept = {int(row["id"]) for row in agenda if row.get("id")}
    for dropped in session.scalars(
        select(m.AgendaItem).where(
            m.AgendaItem.meeting_id == meeting.id, m.AgendaItem.id.not_in(kept)
        )
    ):
        session.delete(dropped)
    for position, row in enumerate(agenda):
        values = {k: row.get(k) for k in AGENDA_FIELDS}
        save_record(
            session,
            m.AgendaItem,
            int(row["id"]) if row.get("id") else None,
            {**values, "meeting_id": meeting.id, "position": position},
        )
    session.flush()
    if before is not None and _calendar_view(session, meeting.id) != before:
        meeting.calendar_sequence = (meeting.calendar_sequence or 0) + 1
    return meeting


def _calendar_view(session: Session, meeting_id: int) -> tuple[Any, ...] | None:
    """What a calendar shows of a meeting: a change of it bumps the event's SEQUENCE, so
    calendars that have it take the new one."""
    meeting = session.get(m.Meeting, meeting_id)
    if meeting is None:
        return None
    people = session.scalars(
        select(m.Attendee.person_id).where(m.Attendee.meeting_id == meeting_id)
    )
    return (
        meeting.title,
        meeting.starts_at,
        meeting.session_minutes,
        meeting.location,
        meeting.status,
        meeting.leader_id,
        frozenset(people),
    )
