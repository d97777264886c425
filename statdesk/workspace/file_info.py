"""What `statdesk info` says about a file or a server's city: its schema and versions, its
revision, how many records of each kind, and who holds it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from statdesk.domain.locations import shown
from statdesk.storage import models as m
from statdesk.storage.lock import read_lock
from statdesk.storage.schema import revision_of

if TYPE_CHECKING:
    from statdesk.workspace.core import Workspace

# What `info` counts, by the names the CLI's JSON promises.
COUNTED: dict[str, type[m.Base]] = {
    "departments": m.Department,
    "people": m.Person,
    "role_assignments": m.RoleAssignment,
    "budget_portfolios": m.BudgetPortfolio,
    "strategic_priorities": m.StrategicPriority,
    "goals": m.Goal,
    "datasets": m.Dataset,
    "metrics": m.Metric,
    "metric_values": m.MetricValue,
    "targets": m.Target,
    "metric_series": m.MetricSeries,
    "series_values": m.SeriesValue,
    "meetings": m.Meeting,
    "agenda_items": m.AgendaItem,
    "action_items": m.ActionItem,
    "import_batches": m.ImportBatch,
}


@dataclass(frozen=True)
class FileInfo:
    path: str  # the file's path, or the server's address without any password
    schema_revision: str | None
    schema_version: int
    created_with: str
    written_with: str
    written_at: datetime | None
    revision: int
    city: str
    counts: dict[str, int]
    read_only: bool
    read_only_reason: str
    lock: dict[str, Any] | None
    moved_to: str | None = None  # where the city is kept now, for a file it moved out of

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "city": self.city,
            "schema_revision": self.schema_revision,
            "schema_version": self.schema_version,
            "created_with": self.created_with,
            "written_with": self.written_with,
            "written_at": self.written_at.isoformat() if self.written_at else None,
            "revision": self.revision,
            "counts": self.counts,
            "read_only": self.read_only,
            "read_only_reason": self.read_only_reason or None,
            "lock": self.lock,
            "moved_to": self.moved_to,
        }


def read_info(ws: Workspace) -> FileInfo:
    lock_info = read_lock(ws.path) if ws.path is not None else None
    with ws._reading() as session:
        state = session.scalars(select(m.FileState)).first()
        conn = session.connection()
        schema = revision_of(conn)
        if conn.dialect.name == "sqlite":
            version = conn.exec_driver_sql("PRAGMA user_version").scalar()
        else:  # a server keeps the revision only; each revision's number is its version
            version = int(schema) if schema and schema.isdigit() else 0
    return FileInfo(
        path=shown(ws.location),
        schema_revision=schema,
        schema_version=int(version or 0),
        created_with=state.created_with if state else "?",
        written_with=state.written_with if state else "?",
        written_at=state.written_at if state else None,
        revision=state.revision if state else 0,
        city=ws.city().name,
        counts=ws.counts(),
        read_only=ws.read_only,
        read_only_reason=ws.read_only_reason,
        lock=lock_info.as_json() if lock_info else None,
        moved_to=state.moved_to if state else None,
    )
