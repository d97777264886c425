"""Undoing an import: exactly what it added goes, what it replaced comes back, in order.

An import that a later one changed or builds on is not undone on its own: removing a metric
the first import made would take the second import's values with it (and leave the second
shown as not undone), and putting back a value the second replaced would lose the second's.
Such an undo is refused with the later imports named; `with_later` undoes them first, newest
first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from statdesk.domain.errors import NotFound, StatDeskError
from statdesk.storage import models as m
from statdesk.storage.changes import bulk_written
from statdesk.storage.locks import refuse_batch

if TYPE_CHECKING:
    from sqlalchemy import CursorResult

# Undo deletes created records children first.
_UNDO_ORDER = (
    "role_assignment",
    "metric_dataset",
    "metric_series",
    "metric",
    "dataset",
    "person",
    "department",
)
_MODELS: dict[str, type[m.Record]] = {
    "role_assignment": m.RoleAssignment,
    "metric_dataset": m.MetricDataset,
    "metric_series": m.MetricSeries,
    "metric": m.Metric,
    "dataset": m.Dataset,
    "person": m.Person,
    "department": m.Department,
    "metric_value": m.MetricValue,
    "target": m.Target,
    "series_value": m.SeriesValue,
}
ValueModel = type[m.MetricValue] | type[m.Target] | type[m.SeriesValue]
_VALUES: tuple[tuple[str, ValueModel], ...] = (
    ("metric_value", m.MetricValue),
    ("target", m.Target),
    ("series_value", m.SeriesValue),
)
# What a later import's own records may point at, by table: (column, the table it refers to).
_REFERENCES = {
    "role_assignment": (("person_id", "person"), ("department_id", "department")),
    "dataset": (("department_id", "department"), ("owner_id", "person"), ("contact_id", "person")),
    "metric": (("department_id", "department"),),
    "metric_series": (("metric_id", "metric"),),
    "person": (("department_id", "department"),),
}


@dataclass(frozen=True)
class _Undo:
    created: dict[str, list[int]]
    replaced: list[dict[str, Any]]

    @classmethod
    def of(cls, batch: m.ImportBatch) -> _Undo:
        undo = json.loads(batch.undo_json or "{}")
        return cls(undo.get("created", {}), undo.get("replaced", []))

    def made(self, table: str) -> set[int]:
        return set(self.created.get(table, []))


def _batch(session: Session, batch_id: int) -> m.ImportBatch:
    batch = session.get(m.ImportBatch, batch_id)
    if batch is None:
        raise NotFound(
            f"There is no import #{batch_id} in this file.",
            "Run 'statdesk imports FILE' to list them.",
        )
    return batch


def later_dependents(session: Session, batch_id: int) -> list[m.ImportBatch]:
    """The imports after `batch_id`, not undone, that changed what it wrote or build on what it
    made, and those that depend on them in turn; newest first."""
    batch = _batch(session, batch_id)
    later = list(
        session.scalars(
            select(m.ImportBatch)
            .where(m.ImportBatch.id > batch.id, m.ImportBatch.undone_at.is_(None))
            .order_by(m.ImportBatch.id)
        )
    )
    chain: list[m.ImportBatch] = []
    depended = [batch]
    for candidate in later:
        if any(_depends(session, candidate, earlier) for earlier in depended):
            chain.append(candidate)
            depended.append(candidate)
    return list(reversed(chain))


def _depends(session: Session, later: m.ImportBatch, earlier: m.ImportBatch) -> bool:
    """Whether `later` replaced a value or record `earlier` wrote, or made records (values
    among them) that hang on records `earlier` made."""
    first, second = _Undo.of(earlier), _Undo.of(later)
    for entry in second.replaced:
        if entry["fields"].get("import_batch_id") == earlier.id:
            return True
        if entry["id"] in first.made(entry["table"]):
            return True
    metrics, series = first.made("metric"), first.made("metric_series")
    for model, owner, mine in (
        (m.MetricValue, m.MetricValue.metric_id, metrics),
        (m.Target, m.Target.metric_id, metrics),
        (m.SeriesValue, m.SeriesValue.series_id, series),
    ):
        if mine and session.scalar(
            select(model.id).where(model.import_batch_id == later.id, owner.in_(mine)).limit(1)
        ):
            return True
    for table, references in _REFERENCES.items():
        ids = second.made(table)
        if not ids:
            continue
        record = _MODELS[table]
        for column, parent in references:
            parents = first.made(parent)
            if parents and session.scalar(
                select(record.id)
                .where(record.id.in_(ids), getattr(record, column).in_(parents))
                .limit(1)
            ):
                return True
    return False


def describe(batch: m.ImportBatch) -> str:
    return f"import #{batch.id} ({batch.source_name}, {batch.imported_at:%Y-%m-%d %H:%M} UTC)"


def undo_import(session: Session, batch_id: int, *, with_later: bool = False) -> list[int]:
    """Remove what the import added and put back what it replaced; with `with_later`, the
    later imports that depend on it first. Returns the imports undone, in the order undone."""
    batch = _batch(session, batch_id)
    if batch.undone_at is not None:
        raise StatDeskError(
            f"Import #{batch_id} was already undone on {batch.undone_at:%Y-%m-%d %H:%M} UTC.",
            "Nothing to do.",
        )
    dependents = later_dependents(session, batch_id)
    if dependents and not with_later:
        names = ", ".join(describe(b) for b in dependents)
        raise StatDeskError(
            f"Import #{batch_id} cannot be undone on its own: {names} changed what it "
            "wrote or builds on what it added.",
            f"Undo {'it' if len(dependents) == 1 else 'them'} first, or undo them together "
            f"('statdesk imports FILE --undo {batch_id} --with-later').",
        )
    done = []
    for each in [*dependents, batch]:
        _undo_one(session, each)
        done.append(each.id)
    return done


def _undo_one(session: Session, batch: m.ImportBatch) -> None:
    refuse_batch(session, batch.id)  # what it wrote of a period locked since stays
    undo = _Undo.of(batch)
    kept_ids = {(r["table"], r["id"]) for r in undo.replaced}
    for table, model in _VALUES:
        ids = [row_id for (t, row_id) in kept_ids if t == table]
        query = delete(model).where(model.import_batch_id == batch.id)
        if ids:
            query = query.where(model.id.not_in(ids))
        removed = cast("CursorResult[Any]", session.execute(query))
        if removed.rowcount:
            bulk_written(session, "deleted", model)
    for entry in undo.replaced:
        record = session.get(_MODELS[entry["table"]], entry["id"])
        if record is not None:
            for name, value in entry["fields"].items():
                setattr(record, name, _unplain(value))
    for table in _UNDO_ORDER:
        for record_id in reversed(undo.created.get(table, [])):
            record = session.get(_MODELS[table], record_id)
            if record is not None:
                session.delete(record)
        session.flush()
    batch.undone_at = datetime.now(UTC)


def _unplain(value: Any) -> Any:
    if isinstance(value, dict) and "date" in value:
        from datetime import date

        return date.fromisoformat(value["date"])
    return value


def state(session: Session, batch: m.ImportBatch) -> str:
    """'undone', 'active', or 'active; later imports build on it (#5, #7)'."""
    if batch.undone_at is not None:
        return "undone"
    later = later_dependents(session, batch.id)
    if later:
        return "active; later imports build on it (" + ", ".join(f"#{b.id}" for b in later) + ")"
    return "active"
