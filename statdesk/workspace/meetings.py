"""Stat meetings and their follow-up (`ws.meetings`): the list, one meeting's agenda and
memo, the suggested attendees and agenda, and saving a meeting whole."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from statdesk.domain.cadence import materials_due
from statdesk.domain.errors import NotFound
from statdesk.storage import models as m
from statdesk.storage.changes import Changes, plain
from statdesk.storage.edits import meetings as meeting_edits
from statdesk.storage.views import actions as actions_view
from statdesk.storage.views import cadence as cadence_view
from statdesk.storage.views import meetings as meetings_view

if TYPE_CHECKING:
    from statdesk.workspace.core import Workspace


class Meetings:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    def rows(self) -> list[meetings_view.MeetingRow]:
        with self.ws._reading() as session:
            return meetings_view.meeting_rows(session)

    def detail(self, meeting_id: int, today: date | None = None) -> meetings_view.MeetingDetail:
        with self.ws._reading() as session:
            return meetings_view.meeting_detail(
                session, meeting_id, self.ws._fy(session), today or date.today()
            )

    def follow_up_memo(
        self, meeting_id: int, today: date | None = None
    ) -> meetings_view.FollowUpMemo:
        with self.ws._reading() as session:
            return meetings_view.follow_up_memo(
                session, meeting_id, self.ws._fy(session), today or date.today()
            )

    def action_rows(self, today: date | None = None) -> list[actions_view.ActionRow]:
        day = today or date.today()
        return self.ws._for_revision(
            "actions", lambda session: actions_view.action_rows(session, day), day
        )

    def suggested_attendees(self, department_id: int) -> list[int]:
        with self.ws._reading() as session:
            return meetings_view.suggested_attendees(session, department_id)

    def suggested_agenda(
        self, department_id: int, today: date | None = None
    ) -> list[meetings_view.AgendaEntry]:
        with self.ws._reading() as session:
            return meetings_view.suggested_agenda(
                session, department_id, self.ws._fy(session), today or date.today()
            )

    def cadences(self, today: date | None = None) -> list[cadence_view.CadenceRow]:
        """The departments with a Stat cadence, where each stands (most overdue first)."""
        with self.ws._reading() as session:
            return cadence_view.cadence_rows(session, today or date.today())

    def proposed(self, department_id: int, today: date | None = None) -> dict[str, Any]:
        """A new meeting's fields for the department: its next Stat's time by its cadence,
        its usual room, and when the materials are due."""
        today = today or date.today()
        with self.ws._reading() as session:
            when, room = cadence_view.proposed_meeting(session, department_id, today)
        fields: dict[str, Any] = {
            "starts_at": when,
            "materials_due": materials_due(when.date(), today),
        }
        if room:
            fields["location"] = room
        return fields

    def find(self, id_text: str) -> int:
        """A meeting's id from the text a user gave (its number); else the meetings there are."""
        text = id_text.strip().lstrip("#")
        if text.isdigit() and self.ws.query(m.Meeting, id=int(text)):
            return int(text)
        listed = ", ".join(f"#{r.id} {r.title} {r.starts_at:%Y-%m-%d}" for r in self.rows())
        raise NotFound(f"There is no meeting '{id_text}'.", f"Meetings: {listed or 'none yet'}.")

    def save(
        self,
        meeting_id: int | None,
        fields: Mapping[str, Any],
        attendee_ids: Sequence[int],
        agenda: Sequence[Mapping[str, Any]],
        *,
        expected_version: int | None = None,
    ) -> Changes:
        """Create (`meeting_id` None) or change a meeting with exactly these attendees and this
        agenda, in order, in one transaction."""
        edit = {
            "operation": "save meeting",
            "record_id": meeting_id,
            "fields": {k: plain(v) for k, v in fields.items()},
            "attendees": list(attendee_ids),
            "agenda": [{k: plain(v) for k, v in row.items()} for row in agenda],
        }
        return self.ws._write(
            lambda s: meeting_edits.save_meeting(
                s, meeting_id, fields, attendee_ids, agenda, expected_version
            ),
            recovery=edit,
        )[1]
