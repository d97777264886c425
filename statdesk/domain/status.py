"""The status of one period of a metric: on target, within tolerance, off target, no target,
no data; respecting the metric's direction and its tolerance band."""

from __future__ import annotations

from statdesk.domain.vocabulary import Direction, Labelled, ToleranceKind


class Status(Labelled):
    ON_TARGET = "on_target"
    WITHIN_TOLERANCE = "within_tolerance"
    OFF_TARGET = "off_target"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"
    NO_DIRECTION = "no_direction"  # the metric's direction is not set: nothing to judge by

    @property
    def marker(self) -> str:
        """A shape that carries the status without colour (for tables, charts and print)."""
        return _MARKERS[self]


_MARKERS = {
    Status.ON_TARGET: "●",
    Status.WITHIN_TOLERANCE: "◐",
    Status.OFF_TARGET: "▲",
    Status.NO_TARGET: "○",
    Status.NO_DATA: "–",
    Status.NO_DIRECTION: "?",
}


def allowance(target: float, tolerance: float | None, kind: ToleranceKind) -> float:
    """How far from `target` a value may fall and still be within tolerance."""
    if not tolerance:
        return 0.0
    if kind is ToleranceKind.ABSOLUTE:
        return tolerance
    return abs(target) * tolerance / 100


def period_status(
    actual: float | None,
    target: float | None,
    direction: Direction | None,
    tolerance: float | None = None,
    tolerance_kind: ToleranceKind = ToleranceKind.RELATIVE,
    band: tuple[float | None, float | None] = (None, None),
) -> Status:
    """Judge one period. For a band metric the band is the target and the tolerance widens it;
    otherwise the target is a floor (up is better) or a ceiling (down is better). Without a
    direction there is no telling better from worse: nothing is judged."""
    if actual is None:
        return Status.NO_DATA
    if direction is None:
        return Status.NO_DIRECTION
    if direction is Direction.BAND:
        low, high = band
        if low is None or high is None:
            return Status.NO_TARGET
        if low <= actual <= high:
            return Status.ON_TARGET
        edge = low if actual < low else high
        near = abs(actual - edge) <= allowance(edge, tolerance, tolerance_kind)
        return Status.WITHIN_TOLERANCE if near else Status.OFF_TARGET
    if target is None:
        return Status.NO_TARGET
    shortfall = target - actual if direction is Direction.UP else actual - target
    if shortfall <= 0:
        return Status.ON_TARGET
    if shortfall <= allowance(target, tolerance, tolerance_kind):
        return Status.WITHIN_TOLERANCE
    return Status.OFF_TARGET


def on_track(status: Status) -> bool:
    """On target or within tolerance: what the citywide share of KPIs on track counts."""
    return status in (Status.ON_TARGET, Status.WITHIN_TOLERANCE)


def judged(status: Status) -> bool:
    """Whether a period was judged against its target (it had a value, a target and a
    direction to judge by)."""
    return status in (Status.ON_TARGET, Status.WITHIN_TOLERANCE, Status.OFF_TARGET)
