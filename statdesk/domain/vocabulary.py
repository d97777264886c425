"""The closed lists of a Stat program (roles, measure types, statuses…) with their labels.

Values are stored in the file as the enum's value, so they never change once released;
labels are what people read and may be reworded freely.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A string enum whose members have a human label."""

    @property
    def label(self) -> str:
        value = self._value_  # not `.value`: a descriptor, slow in lists of thousands
        return _LABELS.get(value, value.replace("_", " ").capitalize())

    @classmethod
    def from_text(cls, text: str) -> Labelled:
        """Accept a value or a label, in any case, with spaces, dashes or underscores."""
        key = " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()
        for member in cls:
            if key in (member.value.replace("_", " ").casefold(), member.label.casefold()):
                return member
        choices = ", ".join(m.label for m in cls)
        raise ValueError(f"'{text}' is not one of: {choices}")


class Role(Labelled):
    PRINCIPAL = "principal"
    DEPARTMENT_LEAD = "department_lead"
    STAT_LEAD = "stat_lead"
    STAT_ANALYST = "stat_analyst"
    BUDGET_ANALYST = "budget_analyst"
    DEPARTMENT_CONTACT = "department_contact"
    DATA_EXPERT = "data_expert"
    PUBLIC = "public"
    CHIEF_OF_STAFF = "chief_of_staff"
    LEGAL_COUNSEL = "legal_counsel"
    FRONTLINE_STAFF = "frontline_staff"
    DEPARTMENT_DATA_OFFICER = "department_data_officer"


# The roles a Stat program needs filled; the others are people invited to sessions.
CORE_ROLES: tuple[Role, ...] = (
    Role.PRINCIPAL,
    Role.DEPARTMENT_LEAD,
    Role.STAT_LEAD,
    Role.STAT_ANALYST,
    Role.BUDGET_ANALYST,
    Role.DEPARTMENT_CONTACT,
    Role.DATA_EXPERT,
    Role.PUBLIC,
)


class MeasureType(Labelled):
    INPUT = "input"
    OUTPUT = "output"
    EFFICIENCY = "efficiency"
    PRODUCTIVITY = "productivity"
    SERVICE_QUALITY = "service_quality"
    OUTCOME = "outcome"


class Unit(Labelled):
    COUNT = "count"
    PERCENT = "percent"
    CURRENCY = "currency"
    DAYS = "days"
    HOURS = "hours"
    MINUTES = "minutes"
    RATE = "rate"
    SCORE = "score"


class Frequency(Labelled):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class Cadence(Labelled):
    """How often a department comes to Stat (the guide: at least monthly)."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @property
    def days(self) -> int:
        """The longest gap between two Stats at this cadence, in days."""
        return {"weekly": 7, "biweekly": 14, "monthly": 31, "quarterly": 92}[self._value_]

    @property
    def weeks(self) -> int:
        """Whole weeks from one Stat to the next, on the same weekday."""
        return {"weekly": 1, "biweekly": 2, "monthly": 4, "quarterly": 13}[self._value_]


class Direction(Labelled):
    UP = "up"
    DOWN = "down"
    BAND = "band"


NOT_SET = "Not set"  # how a direction that is not set yet reads


def direction_label(direction: Direction | None) -> str:
    return direction.label if direction is not None else NOT_SET


class SeriesKind(Labelled):
    """What a series of a metric other than the city's own is: the city's figure split by a
    district, ward or group (a breakdown), or another place's figure to compare with."""

    BREAKDOWN = "breakdown"
    COMPARISON = "comparison"


class RollUp(Labelled):
    SUM = "sum"
    AVERAGE = "average"
    LAST = "last"


class ToleranceKind(Labelled):
    """How a metric's tolerance band is measured around its target."""

    RELATIVE = "relative"  # percent of the target
    ABSOLUTE = "absolute"  # in the metric's own unit (points for a percent)


class GoalHorizon(Labelled):
    SHORT = "short"
    INTERMEDIATE = "intermediate"
    LONG = "long"


class AccessLevel(Labelled):
    PUBLIC = "public"
    RESTRICTED_PUBLIC = "restricted_public"
    NON_PUBLIC = "non_public"


class DataKind(Labelled):
    OPERATIONAL = "operational"
    SUBJECT_MATTER = "subject_matter"
    VALIDATING = "validating"


class DatasetStatus(Labelled):
    DISCOVERED = "discovered"
    VERIFIED = "verified"
    PUBLISHED = "published"


class UpdateFrequency(Labelled):
    REAL_TIME = "real_time"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUALLY = "annually"
    IRREGULAR = "irregular"
    NEVER = "never"


class AgendaSection(Labelled):
    FOLLOW_UP = "follow_up"
    STANDING = "standing"
    NEW = "new"


class MeetingStatus(Labelled):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class Deliverable(Labelled):
    MEMO = "memo"
    REPORT = "report"
    BRIEFING = "briefing"
    ANALYSIS = "analysis"
    PROGRAM_LAUNCH = "program_launch"
    BUDGET_REQUEST = "budget_request"
    RESOURCE_DEPLOYMENT = "resource_deployment"
    OTHER = "other"


class Priority(Labelled):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ActionStatus(Labelled):
    """What the analyst records; whether an item is overdue or late is derived from dates."""

    INCOMPLETE = "incomplete"
    COMPLETED = "completed"
    UNDER_REVIEW = "under_review"
    OVERTAKEN_BY_EVENTS = "overtaken_by_events"
    MERGED = "merged"
    ON_HOLD = "on_hold"


class WorthTime(Labelled):
    """An attendee's answer to "was this session worth your time?"."""

    YES = "yes"
    SOMEWHAT = "somewhat"
    NO = "no"


class ImportKind(Labelled):
    ROSTER = "roster"
    INVENTORY = "inventory"
    METRIC_DEFINITIONS = "metric_definitions"
    METRIC_VALUES = "metric_values"
    RAW_RECORDS = "raw_records"  # rows counted or measured into metric values


# The word for each kind of import, as the command line, recipes and the wizard say it; the
# enum's value is what the file keeps with each import.
IMPORT_WORDS: dict[str, ImportKind] = {
    "roster": ImportKind.ROSTER,
    "inventory": ImportKind.INVENTORY,
    "metrics": ImportKind.METRIC_DEFINITIONS,
    "values": ImportKind.METRIC_VALUES,
    "raw": ImportKind.RAW_RECORDS,
}


_LABELS = {
    "biweekly": "Every two weeks",
    "department_lead": "Department lead",
    "stat_lead": "Stat lead",
    "stat_analyst": "Stat analyst",
    "department_contact": "Department contact",
    "department_data_officer": "Department data officer",
    "restricted_public": "Restricted public",
    "non_public": "Non-public",
    "subject_matter": "Subject-matter",
    "real_time": "Real time",
    "follow_up": "Follow-up",
    "overtaken_by_events": "Overtaken by events",
    "metric_values": "Metric values",
    "metric_definitions": "Metric definitions",
    "raw_records": "Raw records",
    "band": "Stay within a band",
    "up": "Up is better",
    "down": "Down is better",
    "last": "Last value",
}
