"""Home's Stat cycle: departments overdue for a Stat by their cadence, and the share of KPIs
on track at each of the last 12 months' ends, recomputed here from the stored records."""

from __future__ import annotations

from datetime import timedelta

import pytest

from statdesk.domain.periods import add_months, period_end
from statdesk.domain.status import judged, on_track
from statdesk.domain.vocabulary import MeetingStatus
from statdesk.storage import models as m
from statdesk.workspace import Workspace
from tests.conftest import AS_OF

pytestmark = pytest.mark.both_stores


def test_departments_overdue_for_a_stat(demo: Workspace) -> None:
    home = demo.home_summary(AS_OF)
    expected = {}
    for department in demo.query(m.Department):
        if department.stat_cadence is None or not department.active:
            continue
        held = [
            x.starts_at.date()
            for x in demo.query(m.Meeting, department_id=department.id)
            if x.status is not MeetingStatus.CANCELLED and x.starts_at.date() <= AS_OF
        ]
        if not held:
            expected[department.name] = None
            continue
        due = max(held) + timedelta(days=department.stat_cadence.days)
        if due < AS_OF:
            expected[department.name] = (AS_OF - due).days
    assert {r.department: r.standing.overdue_days or None for r in home.stat_due} == expected
    assert expected  # the demo has a lapsed department


def test_the_share_of_kpis_on_track_month_by_month(demo: Workspace) -> None:
    home = demo.home_summary(AS_OF)
    months = home.on_track_history
    assert len(months) == 12
    kpis = [x.id for x in demo.query(m.Metric, is_kpi=True, active=True)]
    details = [demo.metrics.detail(k, AS_OF) for k in kpis]
    for back, month in zip(range(12, 0, -1), months, strict=True):
        start = add_months(AS_OF.replace(day=1), -back)
        end = add_months(start, 1) - timedelta(days=1)
        latest = []
        for detail in details:
            rows = [r for r in detail.rows if judged(r.status) and period_end(r.period) <= end]
            if rows:
                latest.append(rows[-1].status)
        assert month.label == f"{start:%b %Y}"
        assert (month.on_track, month.judged) == (sum(map(on_track, latest)), len(latest))
    assert months[-1].label == f"{add_months(AS_OF.replace(day=1), -1):%b %Y}"
    assert any(month.judged for month in months)
