"""Rules a record must meet before it is saved, as plain functions over field values.

Each rule takes the record's fields as a mapping (the whole record as it would be saved) and
returns the problems found, so a form can show them beside the fields and the workspace can
refuse the save. Rules that need the whole file (unique names) live in the workspace.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from statdesk.domain.errors import Problem
from statdesk.domain.vocabulary import Direction

Fields = Mapping[str, Any]
Rule = Callable[[Fields], list[Problem]]

_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\"]{2,}$")
_PHONE = re.compile(r"^[+()\d][\d\s().\-/x#ext+]{5,}$", re.IGNORECASE)
_URL = re.compile(r"^(https?|ftp)://\S+$|^(\\\\|[a-zA-Z]:\\)\S.*$|^file://\S+$")


def _required(fields: Fields, name: str, what: str) -> list[Problem]:
    value = fields.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return [Problem(name, f"{what} is required.")]
    return []


def _max_length(fields: Fields, name: str, limit: int) -> list[Problem]:
    value = fields.get(name)
    if isinstance(value, str) and len(value) > limit:
        return [Problem(name, f"Keep the {name.replace('_', ' ')} under {limit} characters.")]
    return []


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text.strip()))


def is_link(text: str) -> bool:
    """A web address, a file:// link, or a Windows path to a shared folder or drive."""
    return bool(_URL.match(text.strip()))


def _in_range(fields: Fields, name: str, low: float, high: float, what: str) -> list[Problem]:
    value = fields.get(name)
    if value is not None and not low <= value <= high:
        return [Problem(name, f"{what} must be from {low:g} to {high:g}.")]
    return []


def department(fields: Fields) -> list[Problem]:
    problems = _required(fields, "name", "A department name") + _max_length(fields, "name", 120)
    problems += _in_range(fields, "stat_weekday", 0, 6, "The usual Stat day")
    problems += _max_length(fields, "stat_room", 200)
    time = fields.get("stat_time")
    if time and not _is_time(str(time)):
        problems.append(
            Problem("stat_time", f"'{time}' is not a time of day: write it as 09:30 or 14:00.")
        )
    return problems


def _is_time(text: str) -> bool:
    hours, _, minutes = text.partition(":")
    return (
        len(text) == 5
        and hours.isdigit()
        and minutes.isdigit()
        and 0 <= int(hours) <= 23
        and 0 <= int(minutes) <= 59
    )


def person(fields: Fields) -> list[Problem]:
    problems = _required(fields, "name", "A name") + _max_length(fields, "name", 120)
    email = (fields.get("email") or "").strip()
    if email and not is_email(email):
        problems.append(Problem("email", f"'{email}' does not look like an email address."))
    phone = (fields.get("phone") or "").strip()
    if phone and not _PHONE.match(phone):
        problems.append(Problem("phone", f"'{phone}' does not look like a phone number."))
    return problems


def role_assignment(fields: Fields) -> list[Problem]:
    return _required(fields, "person_id", "A person") + _required(fields, "role", "A role")


def budget_portfolio(fields: Fields) -> list[Problem]:
    return _required(fields, "name", "A portfolio name")


def strategic_priority(fields: Fields) -> list[Problem]:
    return _required(fields, "name", "A priority name")


def goal(fields: Fields) -> list[Problem]:
    return _required(fields, "title", "A goal title") + _required(
        fields, "priority_id", "A strategic priority"
    )


def metric(fields: Fields) -> list[Problem]:
    problems = _required(fields, "name", "A metric name") + _max_length(fields, "name", 200)
    low, high = fields.get("band_low"), fields.get("band_high")
    if fields.get("direction") == Direction.BAND:
        if low is None or high is None:
            problems.append(Problem("band_low", "A metric kept within a band needs both ends."))
        elif low > high:
            problems.append(Problem("band_low", "The band's low end is above its high end."))
    tolerance = fields.get("tolerance")
    if tolerance is not None and tolerance < 0:
        problems.append(Problem("tolerance", "The tolerance cannot be negative."))
    if fields.get("is_kpi") and fields.get("kpi_id") is not None:
        problems.append(Problem("kpi_id", "A KPI cannot be a supporting metric of another KPI."))
    if fields.get("id") is not None and fields.get("kpi_id") == fields.get("id"):
        problems.append(Problem("kpi_id", "A metric cannot support itself."))
    if fields.get("baseline_value") is not None and fields.get("baseline_period") is None:
        problems.append(Problem("baseline_period", "Say which period the baseline is from."))
    return problems


def dataset(fields: Fields) -> list[Problem]:
    problems = _required(fields, "title", "A dataset title") + _max_length(fields, "title", 300)
    for name in ("score_value", "score_risk", "score_quality", "score_readiness"):
        problems += _in_range(fields, name, 1, 5, "A prioritization score")
    for name in ("data_dictionary_url", "landing_page", "download_url"):
        link = (fields.get(name) or "").strip()
        if link and not is_link(link):
            problems.append(Problem(name, f"'{link}' is not a web address or folder path."))
    start, end = fields.get("temporal_start"), fields.get("temporal_end")
    if isinstance(start, date) and isinstance(end, date) and start > end:
        problems.append(Problem("temporal_start", "The time covered starts after it ends."))
    return problems


def meeting(fields: Fields) -> list[Problem]:
    problems = _required(fields, "department_id", "A department") + _required(
        fields, "starts_at", "A date and time"
    )
    problems += _in_range(fields, "session_minutes", 5, 480, "The session length in minutes")
    return problems


def attendee(fields: Fields) -> list[Problem]:
    return _required(fields, "person_id", "A person")


def agenda_item(fields: Fields) -> list[Problem]:
    problems = _required(fields, "title", "An agenda item title")
    return problems + _in_range(fields, "minutes", 0, 480, "Suggested minutes")


def action_item(fields: Fields) -> list[Problem]:
    problems = _required(fields, "description", "A description of what is to be done")
    if fields.get("merged_into_id") is not None and fields.get("merged_into_id") == fields.get(
        "id"
    ):
        problems.append(Problem("merged_into_id", "An item cannot be merged into itself."))
    if fields.get("status") == "merged" and fields.get("merged_into_id") is None:
        problems.append(Problem("merged_into_id", "Say which item this one was merged into."))
    return problems


def city(fields: Fields) -> list[Problem]:
    problems = _required(fields, "name", "The city's name")
    problems += _required(fields, "fiscal_year_start_month", "The fiscal year's first month")
    return problems + _in_range(
        fields, "fiscal_year_start_month", 1, 12, "The fiscal year's first month"
    )


def import_recipe(fields: Fields) -> list[Problem]:
    return _required(fields, "name", "A recipe name")


def _none(fields: Fields) -> list[Problem]:
    return []


RULES: dict[str, Rule] = {
    "department": department,
    "person": person,
    "role assignment": role_assignment,
    "budget portfolio": budget_portfolio,
    "strategic priority": strategic_priority,
    "goal": goal,
    "metric": metric,
    "dataset": dataset,
    "meeting": meeting,
    "attendee": attendee,
    "agenda item": agenda_item,
    "action item": action_item,
    "city": city,
    "import recipe": import_recipe,
}


def problems_with(kind: str, fields: Fields) -> list[Problem]:
    """The problems of a record of `kind` (the record kind's human name)."""
    return RULES.get(kind, _none)(fields)
