"""Every table of a .statdesk file, one module per part of the program."""

import functools

from statdesk.storage.models.base import Base, Record
from statdesk.storage.models.inventory import Dataset
from statdesk.storage.models.meetings import ActionItem, AgendaItem, Attendee, Meeting
from statdesk.storage.models.metrics import (
    Goal,
    Metric,
    MetricDataset,
    MetricSeries,
    MetricValue,
    PeriodLock,
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
    "PeriodLock",
    "Person",
    "Record",
    "RoleAssignment",
    "SeriesValue",
    "StrategicPriority",
    "Target",
    "portfolio_department",
]


@functools.cache
def by_kind(kind: str) -> type[Record]:
    """The record class of a kind name ("dataset", "action item"), as the window names it."""
    for mapper in Base.registry.mappers:
        model = mapper.class_
        if issubclass(model, Record) and model.kind == kind:
            return model
    raise LookupError(f"StatDesk has no kind of record called {kind!r}.")


@functools.cache
def by_table(table: str) -> type[Record] | None:
    """The record class stored in `table`; None for a plain table (a link) or a system one."""
    for mapper in Base.registry.mappers:
        model = mapper.class_
        if issubclass(model, Record) and model.__tablename__ == table:
            return model
    return None


def field_names(kind: str) -> list[str]:
    """The fields of a kind of record a person edits (not its id, version or place in a list)."""
    columns = by_kind(kind).__table__.columns
    return [c.key for c in columns if c.key not in ("id", "version", "position")]
