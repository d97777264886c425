"""Stat meetings and follow-up items as the pages, the memos and the CLI see them.

A meeting's memo is its agenda in three sections (follow-up, standing, new); its follow-up memo
lists the items it produced and what is still open for the department. Suggestions for a new
meeting (who to invite, what to put on the agenda) are worked out here from the roster, the open
items and the department's KPIs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.bidi import isolated
from statdesk.domain.errors import NotFound
from statdesk.domain.periods import Period, label, period_end
from statdesk.domain.vocabulary import (
    AgendaSection,
    MeetingStatus,
    Role,
    WorthTime,
)
from statdesk.storage import models as m
from statdesk.storage.views.actions import ActionRow, action_rows
from statdesk.storage.views.metrics import MetricSummary, metric_summaries
from statdesk.storage.views.roster import PersonLine, department_names, person_lines

STAT_TEAM = (Role.STAT_LEAD, Role.STAT_ANALYST)
PRINCIPALS_TEAM = (Role.PRINCIPAL, Role.CHIEF_OF_STAFF, Role.LEGAL_COUNSEL)
DEFAULT_MINUTES = {AgendaSection.FOLLOW_UP: 5, AgendaSection.STANDING: 10, AgendaSection.NEW: 15}
SECTION_TITLES = {
    AgendaSection.FOLLOW_UP: "Follow-up items",
    AgendaSection.STANDING: "Standing items",
    AgendaSection.NEW: "New items",
}


@dataclass(frozen=True)
class MeetingRow:
    id: int
    department_id: int
    department: str
    title: str
    starts_at: datetime
    location: str
    status: MeetingStatus
    leader: str
    items: int
    minutes: int
    session_minutes: int
    worth: tuple[int, int, int]  # yes, somewhat, no
    materials_due: date | None


@dataclass(frozen=True)
class AttendeeLine:
    id: int
    person: PersonLine
    attended: bool | None
    worth_time: WorthTime | None


@dataclass(frozen=True)
class AgendaEntry:
    id: int | None
    section: AgendaSection
    title: str
    minutes: int | None
    narrative: str
    questions: tuple[str, ...]
    data_source: str
    metric_id: int | None
    metric: str
    action_item_id: int | None
    status_line: str  # the KPI's latest status, or the follow-up item's status

    def as_row(self) -> dict[str, Any]:
        """The entry as a row of the agenda a meeting is saved with (Meetings.save)."""
        return {
            "id": self.id,
            "section": self.section,
            "title": self.title,
            "minutes": self.minutes,
            "narrative": self.narrative,
            "questions": "\n".join(self.questions),
            "data_source": self.data_source,
            "metric_id": self.metric_id,
            "action_item_id": self.action_item_id,
        }


@dataclass(frozen=True)
class MeetingDetail:
    row: MeetingRow
    version: int
    leader_id: int | None
    reporting_period: Period | None
    reporting_label: str
    materials_due: date | None
    notes: str
    attendees: tuple[AttendeeLine, ...]
    items: tuple[AgendaEntry, ...]
    city: str
    program: str
    fiscal_year_start: int

    stat_team: tuple[PersonLine, ...]  # the attendees who hold a Stat lead or analyst role
    # The day its figures are as of: the end of its reporting period (or the memo's date,
    # when that is earlier or there is none); values of later periods are left out.
    as_of: date | None = None
    as_of_label: str = ""
    # The department's follow-up items open at the meeting that its agenda does not name:
    # the memo's Follow-up section lists them too.
    open_follow_ups: tuple[AgendaEntry, ...] = ()

    @property
    def panel(self) -> list[PersonLine]:
        """The attendees the memos go to: everyone but the Stat team."""
        stat = {p.id for p in self.stat_team}
        return [a.person for a in self.attendees if a.person.id not in stat]

    def section(self, section: AgendaSection) -> list[AgendaEntry]:
        return [i for i in self.items if i.section is section]


# ---------------------------------------------------------------- meetings


def meeting_rows(session: Session, only: int | None = None) -> list[MeetingRow]:
    """Every meeting (or only meeting `only`), newest first, with its agenda's size and its
    "worth your time" answers."""
    departments = department_names(session)
    people = person_lines(session)
    items: dict[int, list[int]] = defaultdict(list)
    agenda = select(m.AgendaItem.meeting_id, m.AgendaItem.minutes)
    answered = select(m.Attendee.meeting_id, m.Attendee.worth_time).where(
        m.Attendee.worth_time.is_not(None)
    )
    meetings = select(m.Meeting).order_by(m.Meeting.starts_at.desc())
    if only is not None:
        agenda = agenda.where(m.AgendaItem.meeting_id == only)
        answered = answered.where(m.Attendee.meeting_id == only)
        meetings = meetings.where(m.Meeting.id == only)
    for meeting_id, minutes in session.execute(agenda):
        items[meeting_id].append(minutes or 0)
    worth: dict[int, Counter[WorthTime]] = defaultdict(Counter)
    for meeting_id, answer in session.execute(answered):
        if answer is not None:
            worth[meeting_id][answer] += 1
    rows = []
    for meeting in session.scalars(meetings):
        answers = worth[meeting.id]
        leader = people.get(meeting.leader_id) if meeting.leader_id else None
        rows.append(
            MeetingRow(
                meeting.id,
                meeting.department_id,
                departments.get(meeting.department_id, ""),
                meeting.title or f"{departments.get(meeting.department_id, '')} Stat",
                meeting.starts_at,
                meeting.location or "",
                meeting.status,
                leader.name if leader else "",
                len(items[meeting.id]),
                sum(items[meeting.id]),
                meeting.session_minutes,
                (answers[WorthTime.YES], answers[WorthTime.SOMEWHAT], answers[WorthTime.NO]),
                meeting.materials_due,
            )
        )
    return rows


def _role_holders(session: Session, roles: tuple[Role, ...]) -> set[int]:
    return set(
        session.scalars(select(m.RoleAssignment.person_id).where(m.RoleAssignment.role.in_(roles)))
    )


def meeting_detail(session: Session, meeting_id: int, fy_start: int, today: date) -> MeetingDetail:
    meeting = session.get(m.Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"There is no meeting #{meeting_id}.", "List them with statdesk meetings.")
    [row] = meeting_rows(session, only=meeting_id)
    people = person_lines(session)
    attendees = tuple(
        AttendeeLine(a.id, people[a.person_id], a.attended, a.worth_time)
        for a in session.scalars(
            select(m.Attendee).where(m.Attendee.meeting_id == meeting_id).order_by(m.Attendee.id)
        )
        if a.person_id in people
    )
    on_agenda = [  # only these metrics' periods are read: a file may hold hundreds of metrics
        metric_id
        for metric_id in session.scalars(
            select(m.AgendaItem.metric_id).where(m.AgendaItem.meeting_id == meeting_id)
        )
        if metric_id is not None
    ]
    period = (
        Period(meeting.reporting_period, meeting.reporting_frequency)
        if meeting.reporting_period
        else None
    )
    as_of = min(period_end(period), today) if period is not None else today
    as_of_label = (
        label(period, fy_start)
        if period is not None and as_of == period_end(period)
        else f"{as_of.day} {as_of:%B %Y}"
    )
    metrics = {s.id: s for s in metric_summaries(session, fy_start, today, on_agenda, as_of=as_of)}
    # Follow-up items as they stood at the meeting (or today, for one still to come).
    held_on = min(meeting.starts_at.date(), today)
    actions = {a.id: a for a in action_rows(session, held_on, as_it_stood=True)}
    items = []
    for item in session.scalars(
        select(m.AgendaItem)
        .where(m.AgendaItem.meeting_id == meeting_id)
        .order_by(m.AgendaItem.position, m.AgendaItem.id)
    ):
        summary = metrics.get(item.metric_id) if item.metric_id else None
        action = actions.get(item.action_item_id) if item.action_item_id else None
        items.append(
            AgendaEntry(
                item.id,
                item.section,
                item.title,
                item.minutes,
                item.narrative or "",
                tuple(q.strip() for q in (item.questions or "").splitlines() if q.strip()),
                item.data_source or "",
                item.metric_id,
                summary.name if summary else "",
                item.action_item_id,
                _metric_line(summary) if summary else (_action_line(action) if action else ""),
            )
        )
    order = list(AgendaSection)
    items.sort(key=lambda i: order.index(i.section))  # the three sections, in their order
    named = {i.action_item_id for i in items if i.action_item_id is not None}
    open_follow_ups = tuple(
        _follow_up_entry(action)
        for action in actions.values()
        if action.department_id == meeting.department_id
        and action.id not in named
        and action.is_open
        and (action.created_on is None or action.created_on <= held_on)
        and action.origin_meeting_id != meeting_id
    )
    city = session.scalars(select(m.City)).first()
    stat_ids = _role_holders(session, STAT_TEAM)
    return MeetingDetail(
        row,
        meeting.version,
        meeting.leader_id,
        period,
        label(period, fy_start) if period else "",
        meeting.materials_due,
        meeting.notes or "",
        attendees,
        tuple(items),
        city.name if city else "",
        (city.program_name or "") if city else "",
        fy_start,
        tuple(a.person for a in attendees if a.person.id in stat_ids),
        as_of,
        as_of_label,
        open_follow_ups,
    )


def _follow_up_entry(action: ActionRow) -> AgendaEntry:
    """A follow-up item as an agenda entry, with where it stands as its status line."""
    return AgendaEntry(
        None,
        AgendaSection.FOLLOW_UP,
        f"Follow-up: {action.description}",
        None,
        "",
        (),
        "",
        None,
        "",
        action.id,
        _action_line(action),
    )


def _metric_line(summary: MetricSummary) -> str:
    latest = summary.latest
    if latest is None:
        return "No data yet."
    target = f" against a target of {summary.show(latest.target)}" if latest.target else ""
    final = f" Final: {latest.label} is locked." if summary.is_final(latest.period) else ""
    return (
        f"{summary.show(latest.actual)} in {latest.label}{target}: "
        f"{summary.status.marker} {summary.status.label.lower()}; "
        f"{summary.trend.describe(summary.frequency)}.{final}"
    )


def _action_line(action: ActionRow) -> str:
    """Where a follow-up item stands, its owner's name set apart (`domain.bidi`)."""
    due = f", due {action.due:%d %b %Y}" if action.due else ""
    owner = f"; {isolated(action.owner)}" if action.owner else ""
    return f"{action.follow_up.label}{due}{owner}."


# ---------------------------------------------------------------- suggestions


def suggested_attendees(session: Session, department_id: int) -> list[int]:
    """The principal's team and the Stat team, the department's lead and contact, and the
    budget analyst whose portfolio covers the department."""
    wanted: list[int] = []
    for assignment in session.scalars(select(m.RoleAssignment).order_by(m.RoleAssignment.id)):
        central = assignment.role in (*PRINCIPALS_TEAM, *STAT_TEAM)
        own = assignment.department_id == department_id and assignment.role in (
            Role.DEPARTMENT_LEAD,
            Role.DEPARTMENT_CONTACT,
        )
        if central or own:
            wanted.append(assignment.person_id)
    for portfolio in session.scalars(select(m.BudgetPortfolio)):
        covered = session.scalars(
            select(m.portfolio_department.c.department_id).where(
                m.portfolio_department.c.portfolio_id == portfolio.id
            )
        )
        if portfolio.analyst_id and department_id in set(covered):
            wanted.append(portfolio.analyst_id)
    active = set(session.scalars(select(m.Person.id).where(m.Person.active.is_(True))))
    return [p for p in dict.fromkeys(wanted) if p in active]


def suggested_agenda(
    session: Session, department_id: int, fy_start: int, today: date
) -> list[AgendaEntry]:
    """Follow-up: the department's open action items. Standing: its KPIs with their latest
    status. The New section is the analyst's to fill."""
    from statdesk.domain.questions import questions_for

    entries: list[AgendaEntry] = []
    for action in action_rows(session, today):
        if action.department_id == department_id and action.is_open:
            entries.append(
                AgendaEntry(
                    None,
                    AgendaSection.FOLLOW_UP,
                    f"Follow-up: {action.description}",
                    DEFAULT_MINUTES[AgendaSection.FOLLOW_UP],
                    "",  # where it stands is its status line, read when the memo is made
                    tuple(questions_for("Follow-up")[:2]),
                    "",
                    None,
                    "",
                    action.id,
                    _action_line(action),
                )
            )
    sources = _metric_sources(session)
    kpis = list(
        session.scalars(
            select(m.Metric.id).where(
                m.Metric.department_id == department_id, m.Metric.is_kpi, m.Metric.active
            )
        )
    )
    for summary in metric_summaries(session, fy_start, today, kpis):
        if summary.department_id == department_id and summary.is_kpi and summary.active:
            entries.append(
                AgendaEntry(
                    None,
                    AgendaSection.STANDING,
                    summary.name,
                    DEFAULT_MINUTES[AgendaSection.STANDING],
                    "",  # the latest figures are its status line, read when the memo is made
                    tuple(
                        questions_for("Current status", summary.name)[:1]
                        + questions_for("Course correction", summary.name)[:1]
                    ),
                    "; ".join(sources.get(summary.id, [])),
                    summary.id,
                    summary.name,
                    None,
                    _metric_line(summary),
                )
            )
    return entries


def _metric_sources(session: Session) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for metric_id, title in session.execute(
        select(m.MetricDataset.metric_id, m.Dataset.title)
        .join(m.Dataset, m.Dataset.id == m.MetricDataset.dataset_id)
        .order_by(m.Dataset.title)
    ):
        found[metric_id].append(title)
    return found


@dataclass(frozen=True)
class FollowUpMemo:
    meeting: MeetingDetail
    from_this_meeting: tuple[ActionRow, ...]
    still_open: tuple[ActionRow, ...]  # the department's open items from earlier sessions
    reply_to: PersonLine | None
    next_meeting: MeetingRow | None
    next_materials_due: date | None
    # With no next session planned: when the department's cadence puts it, and its room.
    next_by_cadence: datetime | None = None
    next_room: str = ""


def follow_up_memo(session: Session, meeting_id: int, fy_start: int, today: date) -> FollowUpMemo:
    detail = meeting_detail(session, meeting_id, fy_start, today)
    rows = action_rows(session, today, as_it_stood=True)  # statuses as of the memo's date
    mine = tuple(r for r in rows if r.origin_meeting_id == meeting_id)
    meetings = meeting_rows(session)
    held = {r.id: r.starts_at for r in meetings}

    def before_this(row: ActionRow) -> bool:
        if row.origin_meeting_id in held:
            return held[row.origin_meeting_id] < detail.row.starts_at
        return row.created_on is not None and row.created_on < detail.row.starts_at.date()

    earlier = tuple(
        r
        for r in rows
        if r.department_id == detail.row.department_id
        and r.origin_meeting_id != meeting_id
        and r.is_open
        and before_this(r)
    )
    later = [
        r
        for r in meetings
        if r.department_id == detail.row.department_id
        and r.starts_at > detail.row.starts_at
        and r.status is not MeetingStatus.CANCELLED
    ]
    upcoming = min(later, key=lambda r: r.starts_at) if later else None
    analysts = [p for p in detail.stat_team if p.email] or detail.stat_team
    leader = next((a.person for a in detail.attendees if a.person.id == detail.leader_id), None)
    reply_to = next(iter(analysts), leader)
    due = upcoming.materials_due if upcoming else None
    by_cadence, room = None, ""
    department = session.get(m.Department, detail.row.department_id)
    if upcoming is None and department is not None and department.stat_cadence is not None:
        from statdesk.domain.cadence import materials_due
        from statdesk.storage.views.cadence import proposed_meeting

        after = max(today, detail.row.starts_at.date())
        by_cadence, room = proposed_meeting(session, department.id, after)
        due = materials_due(by_cadence.date(), after)
    return FollowUpMemo(detail, mine, earlier, reply_to, upcoming, due, by_cadence, room)
