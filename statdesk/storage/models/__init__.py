"""Every table of a .statdesk file, one module per part of the program."""

from statdesk.storage.models.base import Base, Record
from statdesk.storage.models.inventory import DISCOVERY_QUESTIONS, Dataset
from statdesk.storage.models.meetings import ActionItem, AgendaItem, Attendee, Meeting
from statdesk.storage.models.metrics import (
    Goal,
    Metric,
    MetricDataset,
    MetricSeries,
    MetricValue,
    SeriesValue,
    StrategicPriority,
    Target,
)
from statdesk.storage.models.roster import (
    BudgetPortfolio,
    Department,
    Person,
    RoleAssignment,
    portfolio_department,
)
from statdesk.storage.models.system import (
    ChangeLogEntry,
    City,
    FileState,
    ImportBatch,
    ImportRecipe,
)

__all__ = [
    "DISCOVERY_QUESTIONS",
    "ActionItem",
    "AgendaItem",
    "Attendee",
    "Base",
    "BudgetPortfolio",
    "ChangeLogEntry",
    "City",
    "Dataset",
    "Department",
    "FileState",
    "Goal",
    "ImportBatch",
    "ImportRecipe",
    "Meeting",
    "Metric",
    "MetricDataset",
    "MetricSeries",
    "MetricValue",
    "Person",
    "Record",
    "RoleAssignment",
    "SeriesValue",
    "StrategicPriority",
    "Target",
    "portfolio_department",
]
