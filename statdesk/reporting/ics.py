"""Meetings as iCalendar (RFC 5545) files any calendar program opens: one event per meeting,
with a UID kept for good and a SEQUENCE bumped whenever what a calendar shows of the meeting
changes, so a re-exported meeting replaces the copy a calendar has, never doubles it.

Times are the city's wall-clock times, written as floating times (RFC 5545 §3.3.5): a Stat
at 10:00 is at 10:00 in the city, with no time zone to get wrong. Text is escaped and lines
are folded at 75 octets, as the RFC asks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

PRODUCT = "-//StatDesk//StatDesk//EN"


@dataclass(frozen=True)
class Invitee:
    name: str
    email: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    media_type: str = "application/pdf"


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    title: str
    starts_at: datetime  # the city's wall-clock time
    minutes: int
    location: str = ""
    description: str = ""
    cancelled: bool = False
    organizer: Invitee | None = None
    attendees: Sequence[Invitee] = ()
    attachment: Attachment | None = None


def escape(text: str) -> str:
    """TEXT value escaping (§3.3.11): backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 octets (§3.1), never inside a
    character's UTF-8 bytes."""
    out: list[str] = []
    current, size = "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _param(text: str) -> str:
    """A parameter value: quoted, without the characters a quoted value may not hold."""
    return '"' + text.replace('"', "'").replace("\n", " ").replace("\r", " ") + '"'


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _event_lines(event: Event, now: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape(event.uid)}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{_stamp(now.astimezone(UTC))}Z",
        f"DTSTART:{_stamp(event.starts_at)}",
        f"DTEND:{_stamp(event.starts_at + timedelta(minutes=event.minutes))}",
        f"SUMMARY:{escape(event.title)}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        "CATEGORIES:Stat",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.organizer is not None:
        lines.append(f"ORGANIZER;CN={_param(event.organizer.name)}:mailto:{event.organizer.email}")
    for person in event.attendees:
        lines.append(
            f"ATTENDEE;CN={_param(person.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:"
            f"mailto:{person.email}"
        )
    if event.attachment is not None:
        import base64

        encoded = base64.b64encode(event.attachment.data).decode("ascii")
        lines.append(
            f"ATTACH;FMTTYPE={event.attachment.media_type};ENCODING=BASE64;VALUE=BINARY;"
            f"X-FILENAME={_param(event.attachment.filename)}:{encoded}"
        )
    lines.append("END:VEVENT")
    return lines


def calendar(events: Sequence[Event], name: str, now: datetime | None = None) -> bytes:
    """The .ics file's bytes: one calendar with these events."""
    now = now or datetime.now(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += _event_lines(event, now)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
