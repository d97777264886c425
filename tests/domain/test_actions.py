"""Follow-up items read as one of the eight GovEx statuses, derived from dates."""

from __future__ import annotations

from datetime import date

from statdesk.domain.actions import FollowUpStatus, follow_up_status, is_open
from statdesk.domain.vocabulary import ActionStatus

TODAY = date(2026, 3, 10)


def test_incomplete_items_are_overdue_only_after_their_due_date() -> None:
    assert (
        follow_up_status(ActionStatus.INCOMPLETE, date(2026, 3, 10), None, TODAY)
        is FollowUpStatus.NOT_YET_DUE
    )
    assert (
        follow_up_status(ActionStatus.INCOMPLETE, date(2026, 3, 9), None, TODAY)
        is FollowUpStatus.OVERDUE
    )
    assert (
        follow_up_status(ActionStatus.INCOMPLETE, None, None, TODAY) is FollowUpStatus.NOT_YET_DUE
    )


def test_completed_items_are_on_time_or_late_by_their_completion_date() -> None:
    due = date(2026, 2, 1)
    assert (
        follow_up_status(ActionStatus.COMPLETED, due, date(2026, 2, 1), TODAY)
        is FollowUpStatus.COMPLETED_ON_TIME
    )
    assert (
        follow_up_status(ActionStatus.COMPLETED, due, date(2026, 2, 2), TODAY)
        is FollowUpStatus.COMPLETED_LATE
    )


def test_the_other_statuses_read_as_recorded_and_all_eight_have_labels() -> None:
    assert follow_up_status(ActionStatus.MERGED, None, None, TODAY) is FollowUpStatus.MERGED
    assert len(FollowUpStatus) == 8
    assert FollowUpStatus.OVERDUE.label == "Incomplete – overdue"
    assert is_open(ActionStatus.ON_HOLD) and not is_open(ActionStatus.COMPLETED)
