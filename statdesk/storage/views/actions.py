"""Follow-up items as the Action items page, the memos and the CLI see them: each with its
follow-up status on a day, and the workload per owner or department (open, overdue, how fast
items close)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.actions import FollowUpStatus, follow_up_status, is_open
from statdesk.domain.vocabulary import ActionStatus, Deliverable, Priority
from statdesk.storage import models as m
from statdesk.storage.views.roster import department_names, person_lines


@dataclass(frozen=True)
class ActionRow:
    id: int
    version: int
    description: str
    topic: str
    deliverable: Deliverable | None
    owner_id: int | None
    owner: str
    department_id: int | None
    department: str
    due: date | None
    priority: Priority
    status: ActionStatus
    follow_up: FollowUpStatus
    created_on: date | None
    completed_on: date | None
    origin_meeting_id: int | None
    origin: str
    merged_into_id: int | None
    notes: str

    @property
    def is_open(self) -> bool:
        return is_open(self.status)

    @property
    def days_to_close(self) -> int | None:
        if self.completed_on is None or self.created_on is None:
            return None
        return (self.completed_on - self.created_on).days


@dataclass(frozen=True)
class Workload:
    """Open and overdue items of one owner or department, and how fast items close."""

    name: str
    open: int
    overdue: int
    closed: int
    median_days_to_close: float | None


def action_rows(session: Session, today: date, *, as_it_stood: bool = False) -> list[ActionRow]:
    """Every follow-up item with its status on `today`. With `as_it_stood`, an item
    completed after `today` is shown as it was then: still open."""
    departments = department_names(session)
    people = person_lines(session)
    meetings = {
        mt.id: f"{mt.title or departments.get(mt.department_id, '')} {mt.starts_at:%d %b %Y}"
        for mt in session.scalars(select(m.Meeting))
    }
    rows = []
    for item in session.scalars(select(m.ActionItem).order_by(m.ActionItem.due, m.ActionItem.id)):
        owner = people.get(item.owner_id) if item.owner_id else None
        status, completed = item.status, item.completed_on
        if as_it_stood and completed is not None and completed > today:
            status, completed = ActionStatus.INCOMPLETE, None
        rows.append(
            ActionRow(
                item.id,
                item.version,
                item.description,
                item.topic or "",
                item.deliverable,
                item.owner_id,
                owner.name if owner else "",
                item.department_id,
                departments.get(item.department_id, "") if item.department_id else "",
                item.due,
                item.priority,
                status,
                follow_up_status(status, item.due, completed, today),
                item.created_on,
                completed,
                item.origin_meeting_id,
                meetings.get(item.origin_meeting_id, "") if item.origin_meeting_id else "",
                item.merged_into_id,
                item.notes or "",
            )
        )
    return rows


def workload(name: str, items: list[ActionRow]) -> Workload:
    """Open, overdue and completed items, and the median days from creation to completion."""
    days = [d for d in (i.days_to_close for i in items) if d is not None]
    return Workload(
        name,
        sum(i.is_open for i in items),
        sum(i.follow_up is FollowUpStatus.OVERDUE for i in items),
        sum(i.status is ActionStatus.COMPLETED for i in items),
        statistics.median(days) if days else None,
    )


def workloads(rows: list[ActionRow], by: str) -> list[Workload]:
    """Open, overdue and closed items per owner (`by="owner"`) or per department, with the
    median days from creation to completion; the busiest first."""
    groups: dict[str, list[ActionRow]] = defaultdict(list)
    for row in rows:
        groups[(row.owner if by == "owner" else row.department) or "(none)"].append(row)
    result = [workload(name, items) for name, items in groups.items()]
    return sorted(result, key=lambda w: (-w.overdue, -w.open, w.name.casefold()))
