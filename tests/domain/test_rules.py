"""Inventory, roster and status rules."""

from __future__ import annotations

from datetime import date

import pytest

from statdesk.domain.inventory import is_stale, priority
from statdesk.domain.roster import unfilled_roles
from statdesk.domain.status import Status, on_track, period_status
from statdesk.domain.vocabulary import Direction, Frequency, Role, ToleranceKind, UpdateFrequency

TODAY = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("frequency", "last", "stale"),
    [
        (UpdateFrequency.MONTHLY, date(2026, 3, 1), False),
        (UpdateFrequency.MONTHLY, date(2026, 1, 31), True),
        (UpdateFrequency.DAILY, date(2026, 3, 27), True),
        (UpdateFrequency.ANNUALLY, date(2025, 4, 1), False),
        (UpdateFrequency.IRREGULAR, date(2010, 1, 1), False),
        (UpdateFrequency.WEEKLY, None, True),
        (None, None, False),
    ],
)
def test_stale_datasets(frequency: UpdateFrequency | None, last: date | None, stale: bool) -> None:
    assert is_stale(frequency, last, TODAY) is stale


def test_priority_weighs_demand_and_readiness_against_risk() -> None:
    assert priority(None, 1, 5, 5) is None
    assert priority(5, 1, 5, 5) == 5.0
    assert priority(5, 5, 5, 5) == 4.2
    assert priority(3, None, None, None) == 3.0
    assert priority(5, 1, 3, 3) > priority(3, 1, 3, 3) > priority(3, 5, 3, 3)  # type: ignore[operator]


def test_unfilled_roles_for_a_department() -> None:
    everyone = [
        (Role.PRINCIPAL, None),
        (Role.STAT_LEAD, None),
        (Role.STAT_ANALYST, None),
        (Role.PUBLIC, None),
        (Role.DATA_EXPERT, None),
    ]
    assert unfilled_roles(3, everyone, budget_covered=True) == [
        Role.DEPARTMENT_LEAD,
        Role.DEPARTMENT_CONTACT,
    ]
    mine = [
        *everyone,
        (Role.DEPARTMENT_LEAD, 3),
        (Role.DEPARTMENT_CONTACT, 4),
        (Role.BUDGET_ANALYST, None),
    ]
    assert unfilled_roles(3, mine, budget_covered=False) == [
        Role.BUDGET_ANALYST,
        Role.DEPARTMENT_CONTACT,
    ]


@pytest.mark.parametrize(
    ("actual", "target", "direction", "tolerance", "kind", "expected"),
    [
        (None, 10, Direction.UP, None, ToleranceKind.RELATIVE, Status.NO_DATA),
        (9, None, Direction.UP, None, ToleranceKind.RELATIVE, Status.NO_TARGET),
        (10, 10, Direction.UP, None, ToleranceKind.RELATIVE, Status.ON_TARGET),
        (9.6, 10, Direction.UP, 5, ToleranceKind.RELATIVE, Status.WITHIN_TOLERANCE),
        (9.4, 10, Direction.UP, 5, ToleranceKind.RELATIVE, Status.OFF_TARGET),
        (82, 85, Direction.UP, 5, ToleranceKind.ABSOLUTE, Status.WITHIN_TOLERANCE),
        (6.4, 6.5, Direction.DOWN, 5, ToleranceKind.RELATIVE, Status.ON_TARGET),
        (6.8, 6.5, Direction.DOWN, 5, ToleranceKind.RELATIVE, Status.WITHIN_TOLERANCE),
        (7.6, 6.5, Direction.DOWN, 5, ToleranceKind.RELATIVE, Status.OFF_TARGET),
    ],
)
def test_period_status_respects_direction_and_tolerance(
    actual: float | None,
    target: float | None,
    direction: Direction,
    tolerance: float | None,
    kind: ToleranceKind,
    expected: Status,
) -> None:
    assert period_status(actual, target, direction, tolerance, kind) is expected


def test_band_metrics() -> None:
    band = (15.0, 20.0)
    assert (
        period_status(17, None, Direction.BAND, 1, ToleranceKind.ABSOLUTE, band) is Status.ON_TARGET
    )
    assert (
        period_status(14.2, None, Direction.BAND, 1, ToleranceKind.ABSOLUTE, band)
        is Status.WITHIN_TOLERANCE
    )
    assert (
        period_status(13, None, Direction.BAND, 1, ToleranceKind.ABSOLUTE, band)
        is Status.OFF_TARGET
    )
    assert period_status(13, None, Direction.BAND) is Status.NO_TARGET
    assert on_track(Status.WITHIN_TOLERANCE) and not on_track(Status.NO_DATA)
    assert len({s.marker for s in Status}) == len(Status)  # each status its own shape


def test_a_metric_without_a_direction_is_not_judged() -> None:
    """121 minutes against a target of 75 is neither on nor off target until someone says
    whether less is better: StatDesk does not assume "higher is better"."""
    from statdesk.domain.trends import Heading, trend

    assert period_status(121, 75, None) is Status.NO_DIRECTION
    assert period_status(None, 75, None) is Status.NO_DATA
    assert period_status(121, 75, Direction.DOWN) is Status.OFF_TARGET
    assert trend([80, 95, 121], None).heading is Heading.UNJUDGED
    assert "direction is not set" in trend([80, 95, 121], None).describe(Frequency.MONTHLY)


def test_a_count_takes_its_noun_in_the_right_number() -> None:
    from statdesk.domain.numbers import counted

    assert counted(1, "row") == "1 row"
    assert counted(0, "row") == "0 rows"
    assert counted(2000, "row") == "2,000 rows"
    assert counted(3, "person", "people") == "3 people"
