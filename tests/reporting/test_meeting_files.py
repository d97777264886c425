"""A meeting's files for other programs: the .ics calendar (parsed by the `icalendar`
package), the memo and follow-up memo as ready-to-send mails (parsed by Python's `email`),
and the briefing book (PDF/UA checkers, its bookmarks; Word's outline). Facts come from the
stored records, read with SQL-level queries, not from what the exporter says."""

from __future__ import annotations

import email
import email.policy
import io
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from statdesk.domain.errors import StatDeskError
from statdesk.storage import models as m
from statdesk.workspace import Workspace
from tests.conftest import AS_OF
from tests.reporting.test_pdf_ua import problems

pytestmark = pytest.mark.both_stores


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def meeting_named(ws: Workspace, title: str, held: bool) -> m.Meeting:
    found = [x for x in ws.query(m.Meeting, title=title) if (x.status.value == "held") == held]
    return max(found, key=lambda x: x.starts_at)


def attendee_emails(ws: Workspace, meeting_id: int) -> set[str]:
    people = {a.person_id for a in ws.query(m.Attendee, meeting_id=meeting_id)}
    return {p.email for p in ws.query(m.Person) if p.id in people and p.email}


def test_a_meeting_as_an_ics_event(demo: Workspace, tmp_path: Path) -> None:
    meeting = meeting_named(demo, "Police Stat", held=False)
    target = tmp_path / "police.ics"
    written = demo.exports.write("calendar", target, meeting_id=meeting.id, today=AS_OF)
    raw = target.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded (RFC 5545 3.1)
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF line ends
    [event] = Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["UID"]) == meeting.calendar_uid and event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == meeting.starts_at  # floating: the city's own time
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(
        minutes=meeting.session_minutes
    )
    assert str(event["LOCATION"]) == meeting.location and str(event["SUMMARY"]) == meeting.title
    attendees = event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]
    emails = {str(a).removeprefix("mailto:") for a in attendees}
    assert emails == attendee_emails(demo, meeting.id) and emails
    assert set(written.to) == {
        p.name for p in demo.query(m.Person) if p.email in emails
    }  # named as the Team page names them
    attachment = event["ATTACH"]
    memo = attachment.binary if hasattr(attachment, "binary") else event.decoded("ATTACH")
    assert memo.startswith(b"%PDF") and "Briefing memorandum" in pdf_text(memo)


def test_the_uid_stays_and_the_sequence_rises_when_the_meeting_changes(
    demo: Workspace, tmp_path: Path
) -> None:
    meeting = meeting_named(demo, "Police Stat", held=False)
    target = tmp_path / "m.ics"

    def event() -> object:
        demo.exports.write("calendar", target, meeting_id=meeting.id, today=AS_OF)
        [found] = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
        return found

    first = event()
    detail = demo.meetings.detail(meeting.id, AS_OF)
    agenda = [{**entry.as_row(), "id": entry.id} for entry in detail.items]
    people = [a.person.id for a in detail.attendees]
    fields = {"starts_at": meeting.starts_at + timedelta(hours=1)}
    demo.meetings.save(meeting.id, fields, people, agenda)
    moved = event()
    assert moved["UID"] == first["UID"] and moved["SEQUENCE"] == 1  # type: ignore[index]
    demo.meetings.save(meeting.id, fields, people, agenda)  # nothing a calendar shows changed
    assert event()["SEQUENCE"] == 1  # type: ignore[index]
    demo.meetings.save(meeting.id, fields, people[:-1], agenda)  # one attendee fewer
    assert event()["SEQUENCE"] == 2  # type: ignore[index]


def test_a_departments_series_in_one_calendar(demo: Workspace, tmp_path: Path) -> None:
    police = demo.roster.find_department("Police")
    target = tmp_path / "series.ics"
    demo.exports.write("calendar", target, department_id=police, today=AS_OF)
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    stored = demo.query(m.Meeting, department_id=police)
    assert sorted(str(e["UID"]) for e in events) == sorted(x.calendar_uid for x in stored)
    assert len({str(e["UID"]) for e in events}) == len(stored) >= 2


def test_the_memo_as_a_mail_ready_to_send(demo: Workspace, tmp_path: Path) -> None:
    meeting = meeting_named(demo, "Police Stat", held=False)
    target = tmp_path / "memo.eml"
    demo.exports.write("memo", target, meeting_id=meeting.id, today=AS_OF)
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    to = {a.addr_spec for a in message["To"].addresses}
    assert to == attendee_emails(demo, meeting.id)
    assert meeting.title in message["Subject"] and "Stat memo" in message["Subject"]
    [pdf] = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    memo = pdf.get_content()
    assert "Briefing memorandum" in pdf_text(memo) and meeting.title in pdf_text(memo)
    assert meeting.title in message.get_body(("plain",)).get_content()


def test_the_follow_up_mail_says_the_next_session_by_the_cadence(
    demo: Workspace, tmp_path: Path
) -> None:
    meeting = meeting_named(demo, "Public Works Stat", held=True)
    department = demo.get(m.Department, meeting.department_id)
    later = [
        x
        for x in demo.query(m.Meeting, department_id=department.id)
        if x.starts_at > meeting.starts_at
    ]
    assert department.stat_cadence is not None and later == []  # none planned: the cadence says
    target = tmp_path / "followup.eml"
    demo.exports.write("followup", target, meeting_id=meeting.id, today=AS_OF)
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",)).get_content()
    assert "By the department's Stat cadence, the next session is" in body
    assert "Please send the materials for it by" in body
    [pdf] = list(message.iter_attachments())
    assert "Follow-up memorandum" in pdf_text(pdf.get_content())
    assert "by the department's Stat cadence" in pdf_text(pdf.get_content())


def test_people_without_an_email_are_named_never_dropped(demo: Workspace, tmp_path: Path) -> None:
    meeting = meeting_named(demo, "Police Stat", held=False)
    people = [a.person_id for a in demo.query(m.Attendee, meeting_id=meeting.id)]
    nameless = demo.get(m.Person, people[0])
    demo.update(m.Person, nameless.id, email=None)
    written = demo.exports.write("memo", tmp_path / "m.eml", meeting_id=meeting.id, today=AS_OF)
    assert nameless.name in written.without_email and nameless.name not in written.to
    assert "add it on the Team page" in written.describe()
    for person_id in people:
        demo.update(m.Person, person_id, email=None)
    leads = [
        r.person_id
        for r in demo.query(m.RoleAssignment, department_id=meeting.department_id)
        if r.role.value == "department_lead"
    ]
    for person_id in leads:
        demo.update(m.Person, person_id, email=None)
    with pytest.raises(StatDeskError, match="has an email address recorded"):
        demo.exports.write("memo", tmp_path / "none.eml", meeting_id=meeting.id, today=AS_OF)
    assert not (tmp_path / "none.eml").exists()


def test_a_briefing_book_of_the_demos_meetings(demo: Workspace, tmp_path: Path) -> None:
    rows = sorted(demo.meetings.rows(), key=lambda r: r.starts_at)
    target = tmp_path / "book.pdf"
    demo.exports.write("book", target, meeting_ids=[r.id for r in rows], today=AS_OF)
    assert problems(target) == []
    reader = PdfReader(target)
    marks = [item.title for item in reader.outline if not isinstance(item, list)]
    from statdesk.reporting.documents import day

    assert marks == [f"{r.title}, {day(r.starts_at)}" for r in rows] + ["Scorecard"]
    text = pdf_text(target.read_bytes())
    assert "Contents" in text and text.count("Briefing book") >= 1
    word = tmp_path / "book.docx"
    demo.exports.write("book", word, meeting_ids=[r.id for r in rows], today=AS_OF)
    import docx

    headings = [p.text for p in docx.Document(str(word)).paragraphs if p.style.name == "Heading 1"]
    assert headings == marks
