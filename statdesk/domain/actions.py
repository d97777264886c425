"""Follow-up items: the eight statuses people read, derived from what is recorded and the dates."""

from __future__ import annotations

from datetime import date

from statdesk.domain.vocabulary import ActionStatus, Labelled


class FollowUpStatus(Labelled):
    """The eight statuses of the GovEx follow-up practice."""

    NOT_YET_DUE = "not_yet_due"
    OVERDUE = "overdue"
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    UNDER_REVIEW = "under_review"
    OVERTAKEN_BY_EVENTS = "overtaken_by_events"
    MERGED = "merged"
    ON_HOLD = "on_hold"

    @property
    def label(self) -> str:
        return _FOLLOW_UP_LABELS[self]


_FOLLOW_UP_LABELS = {
    FollowUpStatus.NOT_YET_DUE: "Incomplete – not yet due",
    FollowUpStatus.OVERDUE: "Incomplete – overdue",
    FollowUpStatus.COMPLETED_ON_TIME: "Completed – on time",
    FollowUpStatus.COMPLETED_LATE: "Completed – after deadline",
    FollowUpStatus.UNDER_REVIEW: "Under review",
    FollowUpStatus.OVERTAKEN_BY_EVENTS: "Overtaken by events",
    FollowUpStatus.MERGED: "Merged",
    FollowUpStatus.ON_HOLD: "On hold",
}

OPEN_STATUSES = frozenset(
    {ActionStatus.INCOMPLETE, ActionStatus.UNDER_REVIEW, ActionStatus.ON_HOLD}
)


def follow_up_status(
    status: ActionStatus, due: date | None, completed_on: date | None, today: date
) -> FollowUpStatus:
    """What an item's status reads as today: overdue and late are never stored, only derived."""
    if status is ActionStatus.INCOMPLETE:
        return (
            FollowUpStatus.OVERDUE
            if due is not None and today > due
            else FollowUpStatus.NOT_YET_DUE
        )
    if status is ActionStatus.COMPLETED:
        late = due is not None and completed_on is not None and completed_on > due
        return FollowUpStatus.COMPLETED_LATE if late else FollowUpStatus.COMPLETED_ON_TIME
    return FollowUpStatus(status.value)


def is_open(status: ActionStatus) -> bool:
    """Open items carry forward into the next Stat memo's follow-up section."""
    return status in OPEN_STATUSES
