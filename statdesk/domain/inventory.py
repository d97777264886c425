"""Rules of the data inventory: when a dataset is stale, and which to work on next."""

from __future__ import annotations

from datetime import date, timedelta

from statdesk.domain.vocabulary import DatasetStatus, UpdateFrequency

# How old the last update may be before a dataset counts as stale: its cycle plus some grace.
ALLOWED_AGE: dict[UpdateFrequency, timedelta] = {
    UpdateFrequency.REAL_TIME: timedelta(days=2),
    UpdateFrequency.DAILY: timedelta(days=3),
    UpdateFrequency.WEEKLY: timedelta(days=10),
    UpdateFrequency.MONTHLY: timedelta(days=45),
    UpdateFrequency.QUARTERLY: timedelta(days=120),
    UpdateFrequency.ANNUALLY: timedelta(days=400),
}


def is_stale(frequency: UpdateFrequency | None, last_updated: date | None, today: date) -> bool:
    """Whether a dataset's last update is older than its update frequency allows.

    Irregular and never-updated datasets, and ones whose frequency is unknown, are never
    stale; a dataset with a frequency but no last-update date is.
    """
    allowed = ALLOWED_AGE.get(frequency) if frequency is not None else None
    if allowed is None:
        return False
    return last_updated is None or today - last_updated > allowed


def priority(
    value: int | None, risk: int | None, quality: int | None, readiness: int | None
) -> float | None:
    """A 1–5 priority from the four scores: demand counts double, quality and readiness add,
    risk (privacy, security) takes away. None until the value score is known."""
    if value is None:
        return None
    parts = [2 * value]
    weights = 2
    for score in (quality, readiness):
        if score is not None:
            parts.append(score)
            weights += 1
    if risk is not None:
        parts.append(6 - risk)
        weights += 1
    return round(sum(parts) / weights, 2)


NEXT_STATUS: dict[DatasetStatus, DatasetStatus] = {
    DatasetStatus.DISCOVERED: DatasetStatus.VERIFIED,
    DatasetStatus.VERIFIED: DatasetStatus.PUBLISHED,
}
