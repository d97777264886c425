"""Locked periods: which values and targets are final, and may not change until unlocked.

A lock covers the city (no department, no metric), one department's metrics, or one metric,
for every period that ends on or before `through` and (if `starts` is given) starts on or
after it. A value is locked when any lock covering its metric covers its period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from statdesk.domain.periods import Period, period_end


@dataclass(frozen=True)
class Lock:
    id: int
    metric_id: int | None
    department_id: int | None
    starts: date | None
    through: date

    def covers_metric(self, metric_id: int, department_id: int | None) -> bool:
        if self.metric_id is not None:
            return self.metric_id == metric_id
        if self.department_id is not None:
            return self.department_id == department_id
        return True

    def covers_period(self, period: Period) -> bool:
        if period_end(period) > self.through:
            return False
        return self.starts is None or period.start >= self.starts

    def covers(self, metric_id: int, department_id: int | None, period: Period) -> bool:
        return self.covers_metric(metric_id, department_id) and self.covers_period(period)


def lock_of(
    locks: Iterable[Lock], metric_id: int, department_id: int | None, period: Period
) -> Lock | None:
    """The first lock that makes this metric's period final, or None."""
    return next((k for k in locks if k.covers(metric_id, department_id, period)), None)


def locked_through(locks: Iterable[Lock], metric_id: int, department_id: int | None) -> date | None:
    """The last day of the latest period locked for this metric from its start (documents
    say "final through …"), or None when none is."""
    ends = [
        k.through for k in locks if k.starts is None and k.covers_metric(metric_id, department_id)
    ]
    return max(ends, default=None)
