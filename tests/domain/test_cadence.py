"""A department's Stat cadence: due, overdue, and the next Stat proposed."""

from __future__ import annotations

from datetime import date, datetime

from statdesk.domain.cadence import materials_due, propose_next, standing
from statdesk.domain.vocabulary import Cadence

TODAY = date(2026, 11, 22)  # a Sunday


def test_a_monthly_department_met_ten_weeks_ago_is_overdue() -> None:
    where = standing(Cadence.MONTHLY, [(date(2026, 9, 8), False)], TODAY)
    assert where.due == date(2026, 10, 9) and where.overdue_days == (TODAY - date(2026, 10, 9)).days
    said = where.describe(Cadence.MONTHLY, TODAY)
    assert said.startswith("Monthly; last Stat 10 weeks ago (2026-09-08); overdue by 44 days")
    assert said.endswith("none planned")


def test_a_planned_stat_is_said_but_does_not_hide_a_lapse() -> None:
    meetings = [(date(2026, 9, 8), False), (date(2026, 12, 8), False)]
    where = standing(Cadence.MONTHLY, meetings, TODAY)
    assert where.next_planned == date(2026, 12, 8) and where.overdue_days == 44
    assert "next planned for 2026-12-08" in where.describe(Cadence.MONTHLY, TODAY)


def test_cancelled_stats_do_not_count_and_recent_ones_are_not_overdue() -> None:
    cancelled = standing(Cadence.WEEKLY, [(date(2026, 11, 20), True)], TODAY)
    assert cancelled.last is None and "no Stat held yet" in cancelled.describe(
        Cadence.WEEKLY, TODAY
    )
    fresh = standing(Cadence.BIWEEKLY, [(date(2026, 11, 16), False)], TODAY)
    assert fresh.overdue_days == 0 and fresh.due == date(2026, 11, 30)


def test_the_next_stat_is_a_cadence_on_on_the_usual_day_and_time() -> None:
    # monthly, on Tuesdays at 10:00: four weeks after Tuesday 10 November is 8 December
    assert propose_next(Cadence.MONTHLY, 1, "10:00", date(2026, 11, 10), TODAY) == datetime(
        2026, 12, 8, 10, 0
    )
    # long overdue: the next usual weekday from tomorrow, not a date in the past
    assert propose_next(Cadence.MONTHLY, 1, "14:30", date(2026, 1, 6), TODAY) == datetime(
        2026, 11, 24, 14, 30
    )
    # nothing set: tomorrow at nine
    assert propose_next(None, None, None, None, TODAY) == datetime(2026, 11, 23, 9, 0)


def test_materials_are_due_three_working_days_before_never_in_the_past() -> None:
    assert materials_due(date(2026, 12, 8), TODAY) == date(2026, 12, 3)  # Tue → Thu before
    assert materials_due(date(2026, 11, 24), TODAY) == TODAY
