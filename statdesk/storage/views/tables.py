"""The file's records as plain tables, for spreadsheets (CSV and XLSX): a name, a header and
rows of plain values. A metric's numbers travel as `Quantity`, so a spreadsheet can show each
in its unit (87.1%, $2,500, 24 days) and still keep it a number."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.inventory import DISCOVERY_QUESTIONS, priority
from statdesk.domain.periods import label
from statdesk.domain.vocabulary import Unit, direction_label
from statdesk.storage import models as m
from statdesk.storage.views.actions import ActionRow
from statdesk.storage.views.metrics import MetricDetail
from statdesk.storage.views.roster import department_names, people_rows


class Quantity(NamedTuple):
    value: float
    unit: Unit
    decimals: int


Cell = str | int | float | bool | date | datetime | Quantity | None


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def roster_table(session: Session) -> Table:
    return Table(
        "Team",
        ("Name", "Title", "Department", "Roles", "Email", "Phone", "Active"),
        [
            (p.name, p.title, p.department, p.roles_text, p.email, p.phone, p.active)
            for p in people_rows(session)
        ],
    )


INVENTORY_COLUMNS = (
    "Identifier",
    "Title",
    "Description",
    "Department",
    "Owner",
    "Contact",
    "Contact email",
    "Source system",
    "Format",
    "Location",
    "Update frequency",
    "Last updated",
    "Covers from",
    "Covers to",
    "Place covered",
    "License",
    "Rights",
    "Access level",
    "Why not public",
    "Personal information",
    "Data dictionary",
    "Landing page",
    "Download URL",
    "Media type",
    "Keywords",
    "Kind of data",
    "Status",
    *(question for _name, question in DISCOVERY_QUESTIONS),
    "Value",
    "Risk",
    "Quality",
    "Readiness",
    "Priority",
    "Metrics it feeds",
    "Notes",
)


def inventory_table(session: Session) -> Table:
    departments = department_names(session)
    people = {p.id: p for p in session.scalars(select(m.Person))}
    feeds: dict[int, int] = {}
    for (dataset_id,) in session.execute(select(m.MetricDataset.dataset_id)):
        feeds[dataset_id] = feeds.get(dataset_id, 0) + 1
    rows: list[tuple[Cell, ...]] = []
    for d in session.scalars(select(m.Dataset).order_by(m.Dataset.title)):
        owner = people.get(d.owner_id) if d.owner_id else None
        contact = people.get(d.contact_id) if d.contact_id else None
        rows.append(
            (
                d.identifier,
                d.title,
                d.description,
                departments.get(d.department_id, "") if d.department_id else "",
                owner.name if owner else "",
                contact.name if contact else "",
                contact.email if contact else "",
                d.source_system,
                d.format,
                d.location,
                d.update_frequency.label if d.update_frequency else "",
                d.last_updated,
                d.temporal_start,
                d.temporal_end,
                d.spatial,
                d.license,
                d.rights,
                d.access_level.label,
                d.access_reason,
                d.contains_pii,
                d.data_dictionary_url,
                d.landing_page,
                d.download_url,
                d.media_type,
                d.keywords,
                d.data_kind.label if d.data_kind else "",
                d.status.label,
                *(getattr(d, name) for name, _question in DISCOVERY_QUESTIONS),
                d.score_value,
                d.score_risk,
                d.score_quality,
                d.score_readiness,
                priority(d.score_value, d.score_risk, d.score_quality, d.score_readiness),
                feeds.get(d.id, 0),
                d.notes,
            )
        )
    return Table("Inventory", INVENTORY_COLUMNS, rows)


def _quantity(detail: MetricDetail, value: float | None) -> Quantity | None:
    summary = detail.summary
    return None if value is None else Quantity(value, summary.unit, summary.decimals)


def metrics_table(details: Sequence[MetricDetail]) -> Table:
    """One row per metric: what it is and where it stands."""
    rows: list[tuple[Cell, ...]] = []
    for detail in details:
        s = detail.summary
        latest = s.latest
        rows.append(
            (
                s.name,
                s.is_kpi,
                s.goal,
                s.department,
                detail.owner,
                s.unit.label,
                s.frequency.label,
                direction_label(s.direction),
                latest.label if latest else "",
                _quantity(detail, latest.actual) if latest else None,
                _quantity(detail, latest.target) if latest else None,
                s.status.label,
                s.trend.describe(s.frequency),
                "; ".join(title for _id, title in detail.sources),
                s.active,
            )
        )
    return Table(
        "Metrics",
        (
            "Metric",
            "KPI",
            "Goal",
            "Department",
            "Owner",
            "Unit",
            "Frequency",
            "Better when",
            "Latest period",
            "Latest value",
            "Target",
            "Status",
            "Trend",
            "Data sources",
            "Active",
        ),
        rows,
    )


def values_table(details: Sequence[MetricDetail]) -> Table:
    """One row per metric and period that has a value, a target or a forecast."""
    rows: list[tuple[Cell, ...]] = []
    for detail in details:
        s = detail.summary
        for row in detail.rows:
            if row.actual is None and row.target is None and row.forecast is None:
                continue
            rows.append(
                (
                    s.name,
                    "",
                    "Own",
                    row.label,
                    row.period.start,
                    s.frequency.label,
                    s.unit.label,
                    _quantity(detail, row.actual),
                    _quantity(detail, row.target),
                    _quantity(detail, row.forecast),
                    row.status.label,
                    row.note,
                )
            )
        for line in detail.series:  # breakdowns and comparisons: never judged
            for point in line.points:
                rows.append(
                    (
                        s.name,
                        line.name,
                        line.kind.label,
                        label(point.period, detail.fiscal_year_start),
                        point.period.start,
                        point.period.frequency.label,
                        s.unit.label,
                        _quantity(detail, point.value),
                        _quantity(detail, point.target),
                        _quantity(detail, point.forecast),
                        "",
                        point.note,
                    )
                )
    return Table(
        "Values",
        (
            "Metric",
            "Series",
            "Series kind",
            "Period",
            "Period starts",
            "Frequency",
            "Unit",
            "Value",
            "Target",
            "Forecast",
            "Status",
            "Note",
        ),
        rows,
    )


def actions_table(items: Sequence[ActionRow]) -> Table:
    described = {a.id: a.description for a in items}
    return Table(
        "Action items",
        (
            "Item",
            "Topic",
            "Deliverable",
            "Owner",
            "Department",
            "Due",
            "Priority",
            "Recorded status",
            "Status",
            "Created",
            "Completed",
            "From meeting",
            "Merged into",
            "Notes",
        ),
        [
            (
                a.description,
                a.topic,
                a.deliverable.label if a.deliverable else "",
                a.owner,
                a.department,
                a.due,
                a.priority.label,
                a.status.label,
                a.follow_up.label,
                a.created_on,
                a.completed_on,
                a.origin,
                described.get(a.merged_into_id, "") if a.merged_into_id else "",
                a.notes,
            )
            for a in items
        ],
    )
