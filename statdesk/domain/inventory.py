"""Rules of the data inventory: when a dataset is stale, and which to work on next."""

from __future__ import annotations

import re
from datetime import date, timedelta

from statdesk.domain.vocabulary import AccessLevel, DatasetStatus, UpdateFrequency

# The eight questions of the discovery meeting, as (column, question) in the guide's order.
DISCOVERY_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("q_grant_reports", "Used for federal, state or non-profit grant reports?"),
    ("q_department_database", "Kept in a database the department manages?"),
    ("q_council_reports", "Compiled for council or legislative reports?"),
    ("q_strategic_plan", "Tied to a strategic plan or key performance objectives?"),
    ("q_oversight", "Under state or federal oversight, audit, or a corrective action plan?"),
    ("q_performance_budgeting", "Part of performance-based budgeting or evaluation?"),
    ("q_public_requests", "Often requested by the public (records requests, 311)?"),
    ("q_initiative", "Aligned with an agency or citywide initiative?"),
)

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


# How data classifications seen in cities' registers read as DCAT-US access levels. Order
# matters: the first phrase found decides, so "Restricted public" is read before
# "Restricted", and any restrictive word before "public" ("Level 5 - Restricted", "Public
# - Level 3"). A classification that is not in this table is not public: nothing becomes
# publishable by guess.
ACCESS_WORDS: tuple[tuple[str, AccessLevel, bool], ...] = (
    # phrase (words of the cell, casefolded), the level, whether the reading is restrictive
    ("restricted public", AccessLevel.RESTRICTED_PUBLIC, False),
    ("public restricted", AccessLevel.RESTRICTED_PUBLIC, False),
    ("limited public", AccessLevel.RESTRICTED_PUBLIC, False),
    ("public limited", AccessLevel.RESTRICTED_PUBLIC, False),
    ("public on request", AccessLevel.RESTRICTED_PUBLIC, False),
    ("available on request", AccessLevel.RESTRICTED_PUBLIC, False),
    ("non public", AccessLevel.NON_PUBLIC, True),
    ("nonpublic", AccessLevel.NON_PUBLIC, True),
    ("not public", AccessLevel.NON_PUBLIC, True),
    ("not for public", AccessLevel.NON_PUBLIC, True),
    ("private", AccessLevel.NON_PUBLIC, True),
    ("internal", AccessLevel.NON_PUBLIC, True),
    ("confidential", AccessLevel.NON_PUBLIC, True),
    ("restricted", AccessLevel.NON_PUBLIC, True),
    ("sensitive", AccessLevel.NON_PUBLIC, True),
    ("protected", AccessLevel.NON_PUBLIC, True),
    ("secret", AccessLevel.NON_PUBLIC, True),
    ("exempt", AccessLevel.NON_PUBLIC, True),
    ("pii", AccessLevel.NON_PUBLIC, True),
    ("org", AccessLevel.NON_PUBLIC, True),  # ArcGIS: the organisation only
    ("organization", AccessLevel.NON_PUBLIC, True),
    ("shared", AccessLevel.NON_PUBLIC, True),  # ArcGIS: some groups only
    ("closed", AccessLevel.NON_PUBLIC, True),
    ("public", AccessLevel.PUBLIC, False),
    ("open", AccessLevel.PUBLIC, False),
    ("unrestricted", AccessLevel.PUBLIC, False),
    ("published", AccessLevel.PUBLIC, False),
    ("everyone", AccessLevel.PUBLIC, False),
)
_LEVEL = re.compile(r"\b(level|category|class|tier)\s*(\d)\b")


def access_level_of(text: str) -> tuple[AccessLevel, bool]:
    """The access level a classification stands for, and whether it was read from a word
    StatDesk knows. Levels and categories: 1 is public, 2 and up are not. Unknown words
    (and an empty cell) are non-public."""
    words = " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())
    if words in ("yes", "y", "true"):
        return AccessLevel.PUBLIC, True
    if words in ("no", "n", "false"):
        return AccessLevel.NON_PUBLIC, True
    level = _LEVEL.search(words)
    found: list[tuple[AccessLevel, bool]] = []
    for phrase, level_of, restricts in ACCESS_WORDS:
        pattern = rf"\b{phrase}\b"
        if re.search(pattern, words):
            found.append((level_of, restricts))
            words = re.sub(pattern, " ", words)  # "restricted public" is not "restricted" too
    if any(restricts for _, restricts in found) or (level and level.group(2) != "1"):
        return AccessLevel.NON_PUBLIC, True
    if found:
        return found[0][0], True
    if level:  # "Level 1"
        return AccessLevel.PUBLIC, True
    return AccessLevel.NON_PUBLIC, False
