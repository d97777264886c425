"""The Stat memo, the follow-up memo and the scorecard as tagged PDFs (PDF/UA-1), by Typst.

The templates live in `resources/templates/`. Everything the documents say is handed to them as
one JSON value through Typst's `sys.inputs`, never written into markup, so a title such as
`#read("/etc/passwd")` or `]` prints exactly as typed. Charts (SVG, with their alternative text)
and the city's logo are written into a private temporary folder that is the only folder the
template may read. Text is set in the fonts StatDesk ships, so a memo looks the same on every
computer; a character they lack is set in one of the computer's own (see `fonts`).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from statdesk import paths
from statdesk.domain.bidi import isolated, plain
from statdesk.domain.errors import StatDeskError
from statdesk.domain.status import Status, on_track
from statdesk.domain.vocabulary import AgendaSection
from statdesk.reporting import fonts
from statdesk.reporting.tables import column_shares
from statdesk.storage.atomic import replacing
from statdesk.storage.views.actions import ActionRow
from statdesk.storage.views.goals import PriorityNode
from statdesk.storage.views.meetings import SECTION_TITLES, FollowUpMemo, MeetingDetail
from statdesk.storage.views.roster import PersonLine

SECTION_EMPTY = {
    AgendaSection.FOLLOW_UP: "No open follow-up items.",
    AgendaSection.STANDING: "No standing items.",
    AgendaSection.NEW: "No new items.",
}
LOGO_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/svg+xml": ".svg"}


@dataclass
class Chart:
    svg: bytes
    alt: str
    png: bytes | None = None  # for Word, which shows no SVG
    # The story behind the curve: the notes of the periods charted, latest first, each with
    # its period (("Sep 2026", "a storm closed two crews for a week")).
    notes: tuple[tuple[str, str], ...] = ()


@dataclass
class Document:
    """What one document needs: its template, its data, and the files it shows."""

    template: str
    data: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


def day(value: date | datetime | None) -> str:
    """ "Tuesday, 10 November 2026" reads the same everywhere (no 11/10 vs 10/11)."""
    if value is None:
        return ""
    return f"{value:%A}, {value.day} {value:%B %Y}"


def moment(value: datetime) -> str:
    hour = value.strftime("%I").lstrip("0")
    return f"{day(value)}, {hour}:{value:%M %p}"


FOOTER_LIMIT = 140  # characters: one line at the foot of a page


def _middle_cut(text: str, limit: int) -> str:
    """`text` at most `limit` long, cut in the middle so both ends (the city, the date) show."""
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half] + "…" + text[-half:]


def _start(
    template: str, title: str, city: str, program: str, logo: tuple[bytes, str] | None
) -> Document:
    """A document's title, author, masthead (the city, its program, its logo) and footer."""
    files: dict[str, bytes] = {}
    logo_name = None
    if logo is not None and logo[1] in LOGO_TYPES:
        logo_name = "logo" + LOGO_TYPES[logo[1]]
        files[logo_name] = logo[0]
    return Document(
        template,
        {
            "title": plain(title),  # the file's properties: no isolates
            "author": program or city or "StatDesk",
            "city": isolated(city),
            "program": isolated(program),
            "logo": logo_name,
            "footer": _middle_cut(f"{isolated(city)} · {title}" if city else title, FOOTER_LIMIT),
        },
        files,
    )


TEXT_WIDTH = 8.5 - 2 * 0.9  # inches between a letter page's margins (common.typ)


def unbroken(text: str) -> str:
    """`text` kept on one line: its spaces made no-break spaces."""
    return text.replace(" ", "\u00a0")


def heading(text: str) -> str:
    """User text that makes a heading: a line of its own, with nothing of StatDesk's after it
    to reorder, so without isolates (they would show in the PDF's bookmarks)."""
    return plain(text)


def _person(person: PersonLine) -> str:
    """ "Name, Title", each set apart: an Arabic name must not carry "Mayor" to its left."""
    return isolated(person.name) + (f", {isolated(person.title)}" if person.title else "")


# Words that make a name an organisation's already ("Department of Sanitation", "Police
# Department", "Office of Budget"): the subject does not put "Department of" before them.
_ORGANISATION = re.compile(
    r"\b(department|dept|office|agency|bureau|division|commission|authority|administration|"
    r"board|council|services?|corporation)\b",
    re.IGNORECASE,
)


def _subject(detail: MeetingDetail) -> str:
    period = f" for reporting period {detail.reporting_label}" if detail.reporting_label else ""
    name = detail.row.department
    named = isolated(name) if _ORGANISATION.search(name) else f"Department of {isolated(name)}"
    return f"{named} briefing memorandum{period}"


def memo(
    detail: MeetingDetail,
    charts: dict[int, Chart],
    logo: tuple[bytes, str] | None,
    dated: date,
) -> Document:
    """The Stat memo: who it is to and from, the session, and the three sections of items.
    `dated` is the memo's date, the day its statuses are as of."""
    title = f"{isolated(detail.row.title)} briefing memorandum, {day(detail.row.starts_at)}"
    document = _start("memo.typ", title, detail.city, detail.program, logo)
    to = [_person(p) for p in detail.panel]
    sender = ", ".join(isolated(p.name) for p in detail.stat_team)
    team = f"{isolated(detail.program)} team" if detail.program else "The Stat team"
    sections = []
    for section in AgendaSection:
        items = []
        listed = detail.section(section)
        if section is AgendaSection.FOLLOW_UP:  # every item open at the meeting, on it or not
            listed = [*listed, *detail.open_follow_ups]
        for item in listed:
            chart_name = None
            chart = charts.get(item.metric_id) if item.metric_id else None
            if chart is not None:
                chart_name = f"chart-{item.metric_id}"
                if chart.svg:
                    document.files[chart_name + ".svg"] = chart.svg
                if chart.png is not None:
                    document.files[chart_name + ".png"] = chart.png
            items.append(
                {
                    "title": heading(item.title),
                    "minutes": f"Suggested time: {item.minutes} minutes" if item.minutes else "",
                    "status": item.status_line,
                    # A narrative that only repeats the status line is said once.
                    "narrative": ""
                    if item.narrative.strip() == item.status_line.strip()
                    else "\n".join(isolated(line) for line in item.narrative.split("\n")),
                    "chart": chart_name,
                    "alt": chart.alt if chart else "",
                    "notes": [f"{when}: {isolated(note)}" for when, note in chart.notes]
                    if chart
                    else [],
                    "source": isolated(item.data_source),
                    "questions": [isolated(q) for q in item.questions],
                }
            )
        minutes = sum(i.minutes or 0 for i in detail.section(section))
        sections.append(
            {
                "title": f"{SECTION_TITLES[section]} ({minutes} minutes)"
                if minutes
                else SECTION_TITLES[section],
                "items": items,
                "empty": SECTION_EMPTY[section],
            }
        )
    row = detail.row
    place = f" in {isolated(row.location)}" if row.location else ""
    over = row.minutes - row.session_minutes
    fit = f"{row.minutes} minutes of agenda for a {row.session_minutes}-minute session" + (
        f": {over} minutes over." if over > 0 else "."
    )
    leader = f" Led by {isolated(row.leader)}." if row.leader else ""
    document.data.update(
        {
            "heading": "Briefing memorandum",
            "lines": [
                ["To", "; ".join(to) or "The department and the panel"],
                ["From", f"{team} ({sender})" if sender else team],
                ["Date", day(dated)],
                ["Subject", _subject(detail)],
                *(
                    [["Figures", f"As of {detail.as_of_label}: later periods are left out."]]
                    if detail.as_of_label
                    else []
                ),
            ],
            "session": f"Session: {moment(row.starts_at)}{place}.{leader} {fit}",
            "sections": sections,
        }
    )
    return document


def chart_page(
    city: str, program: str, title: str, chart: Chart, logo: tuple[bytes, str] | None
) -> Document:
    """One metric's chart as a tagged PDF page: its name, the chart with its alternative
    text, and that text written out below it."""
    document = _start("chart.typ", title, city, program, logo)
    document.files["chart.svg"] = chart.svg
    document.data.update({"heading": heading(title), "alt": chart.alt})
    return document


def _action(row: ActionRow) -> list[str]:
    return [
        isolated(row.description),
        isolated(row.owner) + (f" ({isolated(row.department)})" if row.department else ""),
        row.deliverable.label if row.deliverable else "",
        f"{row.due:%d %b %Y}" if row.due else "",
        row.follow_up.label,
    ]


def follow_up(memo_data: FollowUpMemo, logo: tuple[bytes, str] | None, dated: date) -> Document:
    """The follow-up memo: the session's items by topic, what is still open from earlier, who
    to reply to, and the next session with its materials deadline."""
    detail = memo_data.meeting
    title = f"{isolated(detail.row.title)} follow-up, {day(detail.row.starts_at)}"
    document = _start("followup.typ", title, detail.city, detail.program, logo)
    topics: dict[str, list[list[str]]] = {}
    for row in memo_data.from_this_meeting:
        topics.setdefault(heading(row.topic) or "Other items", []).append(_action(row))
    still_open = [_action(r) for r in memo_data.still_open]
    head = ["Item", "Owner", "Deliverable", "Due", "Status"]
    reply = memo_data.reply_to
    upcoming = memo_data.next_meeting
    next_lines = []
    if upcoming is not None:
        place = f", {isolated(upcoming.location)}" if upcoming.location else ""
        next_lines.append(f"Next session: {moment(upcoming.starts_at)}{place}.")
        if memo_data.next_materials_due:
            next_lines.append(f"Materials are due by {day(memo_data.next_materials_due)}.")
    elif memo_data.next_by_cadence is not None:
        place = f", {isolated(memo_data.next_room)}" if memo_data.next_room else ""
        next_lines.append(
            f"Next session, by the department's Stat cadence: {moment(memo_data.next_by_cadence)}"
            f"{place} (to be confirmed)."
        )
        if memo_data.next_materials_due:
            next_lines.append(f"Materials are due by {day(memo_data.next_materials_due)}.")
    else:
        next_lines.append("The next session is not scheduled yet.")
    document.data.update(
        {
            "heading": "Follow-up memorandum",
            "lines": [
                [
                    "To",
                    "; ".join(_person(p) for p in detail.panel) or isolated(detail.row.department),
                ],
                [
                    "From",
                    f"{isolated(detail.program)} team" if detail.program else "The Stat team",
                ],
                ["Date", day(dated)],
                [
                    "Subject",
                    f"Follow-up items from the {isolated(detail.row.title)} session of "
                    f"{day(detail.row.starts_at)}",
                ],
            ],
            "head": head,
            "topics": [{"title": t, "rows": rows} for t, rows in topics.items()],
            "open": still_open,
            "columns": column_shares(
                head, [*(r for rows in topics.values() for r in rows), *still_open], TEXT_WIDTH
            ),
            # The address is a mailto link, printed whole (never isolated or broken).
            "reply": f"Reply to {isolated(reply.name)}" if reply else "",
            "reply_email": reply.email if reply else "",
            "next": next_lines,
        }
    )
    return document


def scorecard(
    city: str,
    program: str,
    tree: list[PriorityNode],
    logo: tuple[bytes, str] | None,
    today: date,
) -> Document:
    """Every KPI with its status, latest value, target and trend, grouped by priority and goal."""
    document = _start(
        "scorecard.typ", f"{isolated(program or city)} scorecard, {day(today)}", city, program, logo
    )
    priorities = []
    counted = on_target = tracked = finals = 0
    for priority in tree:
        goals = []
        for goal in priority.goals:
            rows = []
            for metric in goal.metrics:
                if not metric.is_kpi or not metric.active:
                    continue
                latest = metric.latest
                finals += bool(latest and metric.is_final(latest.period))
                counted += 1
                on_target += metric.status is Status.ON_TARGET
                tracked += on_track(metric.status)
                rows.append(
                    [
                        isolated(metric.name),
                        f"{metric.status.marker} {metric.status.label}",
                        # at most two lines: the value, then its period
                        f"{unbroken(metric.show(latest.actual))} ({unbroken(latest.label)}"
                        + (", final)" if metric.is_final(latest.period) else ")")
                        if latest
                        else "No data",
                        metric.show(latest.target) if latest and latest.target is not None else "",
                        metric.trend.describe(metric.frequency).capitalize(),
                    ]
                )
            if rows:
                goals.append(
                    {"title": ("★ " if goal.is_bold else "") + heading(goal.title), "rows": rows}
                )
        if goals:
            priorities.append({"name": heading(priority.name), "goals": goals})
    intro = (
        f"As of {day(today)}: each indicator's latest period ended by then; later ones are "
        f"left out. {on_target} of {counted} key performance indicators are on target and "
        f"{tracked - on_target} more within tolerance: {tracked} on track. Status marks: "
        "● on target, ◐ within tolerance, ▲ off target, ○ no target, – no data. "
        "★ marks the bold goal."
        + (
            f" {finals} of the latest periods are final: locked, they will not change."
            if finals
            else ""
        )
    )
    head = ["Indicator", "Status", "Latest", "Target", "Trend"]
    every_row = [row for p in priorities for g in p["goals"] for row in g["rows"]]
    document.data.update(
        {
            "heading": "Scorecard",
            "intro": intro,
            "head": head,
            "priorities": priorities,
            # one set of widths for all the tables, so their columns line up
            "columns": column_shares(head, every_row, TEXT_WIDTH),
        }
    )
    return document


_LONG_WORD = re.compile(r"\S{31,}")
_BREAK_EVERY = 24
_ADDRESS = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+|[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


def breakable(text: str) -> str:
    """Long runs without a space (a 5,000-letter "word") get a place to break every few
    characters, so they wrap instead of running off the page: a soft hyphen, which shows as a
    hyphen only where the line breaks and is left out of copied text. Email and web addresses
    are left whole, so they copy and click as written."""

    def soft(match: re.Match[str]) -> str:
        word = match[0]
        if _ADDRESS.fullmatch(word.strip("()<>.,;:")):
            return word
        return "\u00ad".join(word[i : i + _BREAK_EVERY] for i in range(0, len(word), _BREAK_EVERY))

    return _LONG_WORD.sub(soft, text)


def _strings(value: Any) -> Iterator[str]:
    """Every string in `value`, through dicts and lists."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def map_text(value: Any, change: Callable[[str], str]) -> Any:
    """`value` with `change` applied to every string in it, through dicts and lists."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list | tuple):
        return [map_text(v, change) for v in value]
    if isinstance(value, dict):
        return {k: map_text(v, change) for k, v in value.items()}
    return value


def render(document: Document) -> bytes:
    """The document as PDF/UA-1 bytes."""
    import typst

    resources = paths.resources_dir()
    with tempfile.TemporaryDirectory(prefix="statdesk-doc-") as folder:
        root = Path(folder)
        for template in (resources / "templates").glob("*.typ"):
            shutil.copy(template, root / template.name)
        for name, content in document.files.items():
            (root / name).write_bytes(content)
        chosen = fonts.for_text(_strings(document.data))
        try:
            return bytes(
                typst.compile(
                    str(root / document.template),
                    root=str(root),
                    font_paths=[str(f) for f in chosen.folders],
                    ignore_system_fonts=True,
                    sys_inputs={
                        "data": json.dumps(
                            map_text(document.data, lambda t: breakable(chosen.printable(t)))
                        )
                    },
                    pdf_standards=["ua-1"],
                )
            )
        except Exception as error:  # typst's errors carry no type of their own
            raise StatDeskError(
                f"The document could not be made: {error}",
                "This is a fault in StatDesk; the log has the details.",
            ) from error


def write_pdf(document: Document, target: Path) -> Path:
    content = render(document)
    with replacing(target) as temp:
        Path(temp).write_bytes(content)
    return target
