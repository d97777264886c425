"""A meeting's files for other people's programs: its calendar event (.ics, one meeting or a
department's series), and its memo or follow-up memo as a ready-to-send mail (.eml) with the
PDF attached. Reached through `ws.exports` (the `calendar` kind, and memos written as .eml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from statdesk.domain.errors import StatDeskError
from statdesk.domain.filenames import checked_suffix, safe_file_name
from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import MeetingStatus
from statdesk.storage.atomic import replacing
from statdesk.storage.views import invitations as invitations_view

if TYPE_CHECKING:
    from statdesk.reporting.ics import Attachment, Invitee
    from statdesk.workspace.core import Workspace

WORDS = {"memo": "Stat memo", "followup": "follow-up memo"}


@dataclass(frozen=True)
class Written:
    """What a calendar file or a mail holds: how many events, to whom, and the people left
    out because StatDesk has no email for them (add it on the Team page)."""

    target: Path
    events: int  # a calendar's meetings (0 for a mail)
    to: tuple[str, ...]
    without_email: tuple[str, ...]

    def describe(self) -> str:
        parts = [f"Wrote {self.target}"]
        if self.events > 1:
            parts.append(f"({counted(self.events, 'meeting')})")
        if self.to:
            parts.append(f"to {', '.join(self.to)}")
        said = " ".join(parts) + "."
        if self.without_email:
            said += (
                f" No email is recorded for {', '.join(self.without_email)}: add it on the "
                "Team page to include them."
            )
        return said


def _memo_pdf(
    ws: Workspace, kind: str, meeting_id: int, title: str, day: date | None
) -> Attachment:
    from statdesk.reporting.documents import render
    from statdesk.reporting.ics import Attachment

    document = ws.exports.meeting_document(kind, meeting_id, today=day)
    return Attachment(safe_file_name(f"{title} {WORDS[kind]}", ".pdf"), render(document))


def _invitees(people: tuple[tuple[str, str], ...]) -> list[Invitee]:
    from statdesk.reporting.ics import Invitee

    return [Invitee(name, email) for name, email in people]


def _about(invite: invitations_view.Invitation, attached: bool) -> str:
    """The event's description: where the memo is, or how the meeting went."""
    if invite.status is MeetingStatus.CANCELLED:
        return f"{invite.department} Stat: cancelled."
    if invite.status is MeetingStatus.HELD:
        return f"{invite.department} Stat: held; its follow-up memo records what was agreed."
    if attached:
        return f"{invite.department} Stat. The Stat memo (the agenda) is attached."
    return f"{invite.department} Stat. The Stat memo (the agenda) comes before the session."


def calendar(
    ws: Workspace,
    target: Path,
    *,
    meeting_id: int | None = None,
    department_id: int | None = None,
    today: date | None = None,
) -> Written:
    """One meeting's event, with its Stat memo attached, or every meeting of a department in
    one calendar (without their memos: a series is for the dates)."""
    from statdesk.reporting import ics

    checked_suffix(target, (".ics",), "A calendar")
    with ws._reading() as session:
        if meeting_id is not None:
            ids = [meeting_id]
        elif department_id is not None:
            ids = invitations_view.department_meetings(session, department_id)
        else:
            raise StatDeskError("No meeting or department was chosen.", "Choose one.")
        invites = invitations_view.invitations(session, ids)
    if not invites:
        raise StatDeskError("The department has no meetings yet.", "Plan one first.")
    events = []
    for invite in invites:
        attachment = None
        if meeting_id is not None and invite.status is not MeetingStatus.CANCELLED:
            attachment = _memo_pdf(ws, "memo", invite.meeting_id, invite.title, today)
        leader = ics.Invitee(*invite.leader) if invite.leader else None
        events.append(
            ics.Event(
                uid=invite.uid,
                sequence=invite.sequence,
                title=invite.title,
                starts_at=invite.starts_at,
                minutes=invite.minutes,
                location=invite.location,
                description=_about(invite, attachment is not None),
                cancelled=invite.status is MeetingStatus.CANCELLED,
                organizer=leader,
                attendees=_invitees(invite.attendees),
                attachment=attachment,
            )
        )
    name = invites[0].title if meeting_id is not None else f"{invites[0].department} Stat"
    with replacing(target) as temp:
        temp.write_bytes(ics.calendar(events, name or ws.city().name))
    missing = sorted({n for i in invites for n in i.without_email})
    people = sorted({n for i in invites for n, _ in i.attendees})
    return Written(target, len(events), tuple(people), tuple(missing))


def mail(
    ws: Workspace, kind: str, meeting_id: int, target: Path, today: date | None = None
) -> Written:
    """The memo (`kind` memo) or follow-up memo of a meeting as a mail to send: To its
    attendees (the department's lead when none has an email), its subject and a short body,
    the PDF attached."""
    from statdesk.reporting import mail as mails
    from statdesk.reporting.documents import day, moment

    checked_suffix(target, (".eml",), "A mail")

    with ws._reading() as session:
        [invite] = invitations_view.invitations(session, [meeting_id])
    follow_up = ws.meetings.follow_up_memo(meeting_id, today) if kind == "followup" else None
    to = _invitees(invite.attendees) or _invitees(invite.leads)
    if not to:
        raise StatDeskError(
            f"No one invited to {invite.title} has an email address recorded"
            + (f" ({', '.join(invite.without_email)})" if invite.without_email else "")
            + ", nor does the department's lead.",
            "Add their email on the Team page, then write the mail again.",
        )
    when = moment(invite.starts_at)
    place = f" in {invite.location}" if invite.location else ""
    if follow_up is None:
        subject = f"{invite.title}, {day(invite.starts_at)}: Stat memo"
        body = [
            f"Attached is the Stat memo (the agenda) for {invite.title}, {when}{place}.",
        ]
    else:
        subject = f"{invite.title}, {day(invite.starts_at)}: follow-up items"
        body = [
            f"Attached is the follow-up memo of {invite.title}, held {day(invite.starts_at)}: "
            "the items agreed, who owns each and when it is due.",
        ]
        upcoming = follow_up.next_meeting
        if upcoming is not None:
            body.append(f"The next session is {moment(upcoming.starts_at)}.")
        elif follow_up.next_by_cadence is not None:
            body.append(
                f"By the department's Stat cadence, the next session is "
                f"{moment(follow_up.next_by_cadence)} (to be confirmed)."
            )
        if follow_up.next_materials_due is not None:
            body.append(f"Please send the materials for it by {day(follow_up.next_materials_due)}.")
    body.append("")
    body.append("Thank you,")
    body.append("The Stat team")
    attachment = _memo_pdf(ws, kind, meeting_id, invite.title, today)
    with replacing(target) as temp:
        temp.write_bytes(mails.draft(to, subject, "\n".join(body), [attachment]))
    return Written(target, 0, tuple(p.name for p in to), invite.without_email)
