"""A department's Stat cadence: when its next Stat is due, whether it is overdue, and the date
and time to propose for the next one (its usual weekday and time, after the last one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from statdesk.domain.vocabulary import Cadence

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_TIME = time(9, 0)


def usual_time(text: str | None) -> time:
    """The department's usual Stat time ("14:00"), or 9:00 when none is set."""
    if not text:
        return DEFAULT_TIME
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes))


def due(cadence: Cadence, last: date | None) -> date | None:
    """The day by which the next Stat should have been held (None: never held yet)."""
    return None if last is None else last + timedelta(days=cadence.days)


@dataclass(frozen=True)
class Standing:
    """Where a department stands against its cadence on a day."""

    last: date | None  # its last Stat held (or planned and past, not cancelled)
    next_planned: date | None  # its next planned Stat, today or later
    due: date | None
    overdue_days: int  # 0 when not overdue

    def describe(self, cadence: Cadence, today: date) -> str:
        parts = [cadence.label]
        if self.last is None:
            parts.append("no Stat held yet")
        else:
            days = (today - self.last).days
            ago = f"{days // 7} weeks ago" if days >= 14 else f"{days} days ago"
            parts.append(f"last Stat {ago} ({self.last.isoformat()})")
            if self.overdue_days:
                parts.append(f"overdue by {self.overdue_days} days (due {self.due})")
        if self.next_planned is not None:
            parts.append(f"next planned for {self.next_planned.isoformat()}")
        else:
            parts.append("none planned")
        return "; ".join(parts)


def standing(cadence: Cadence, meetings: list[tuple[date, bool]], today: date) -> Standing:
    """`meetings`: each Stat's day and whether it was cancelled."""
    held = [day for day, cancelled in meetings if not cancelled and day <= today]
    ahead = [day for day, cancelled in meetings if not cancelled and day >= today]
    last = max(held, default=None)
    next_planned = min(ahead, default=None)
    when_due = due(cadence, last)
    late = (today - when_due).days if when_due is not None and when_due < today else 0
    return Standing(last, next_planned, when_due, late)


def propose_next(
    cadence: Cadence | None,
    weekday: int | None,
    at: str | None,
    last: date | None,
    today: date,
) -> datetime:
    """The next Stat: one cadence after the last (or tomorrow, if none or it is past), moved to
    the usual weekday on or after it, at the usual time."""
    earliest = today + timedelta(days=1)
    start = earliest
    if cadence is not None and last is not None:
        start = max(earliest, last + timedelta(weeks=cadence.weeks))
    if weekday is not None:
        start += timedelta(days=(weekday - start.weekday()) % 7)
    return datetime.combine(start, usual_time(at))


def materials_due(meeting_day: date, today: date, days_before: int = 3) -> date:
    """When a department's materials for a Stat are due: three working days before it (today,
    if that has passed)."""
    day = meeting_day
    left = days_before
    while left:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return max(day, today)
