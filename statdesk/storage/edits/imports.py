"""Writing an import plan, and undoing it: exactly what it added goes, what it replaced comes
back. Runs inside the workspace's one transaction, so an import is never half written."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from statdesk.domain.errors import NotFound, StatDeskError
from statdesk.domain.vocabulary import Frequency, ImportKind, Role
from statdesk.importing.progress import Progress
from statdesk.storage import models as m

if TYPE_CHECKING:  # the planner (and what it reads files with) loads when an import starts
    from statdesk.importing.plan import ImportPlan

_KIND = {
    "roster": ImportKind.ROSTER,
    "inventory": ImportKind.INVENTORY,
    "metrics": ImportKind.METRIC_DEFINITIONS,
    "values": ImportKind.METRIC_VALUES,
    "raw": ImportKind.RAW_RECORDS,
}
# Undo deletes created records children first.
_UNDO_ORDER = ("role_assignment", "metric_dataset", "metric", "dataset", "person", "department")
_MODELS: dict[str, type[m.Record]] = {
    "role_assignment": m.RoleAssignment,
    "metric_dataset": m.MetricDataset,
    "metric": m.Metric,
    "dataset": m.Dataset,
    "person": m.Person,
    "department": m.Department,
    "metric_value": m.MetricValue,
    "target": m.Target,
}


@dataclass
class ImportResult:
    batch_id: int
    created: dict[str, int]
    updated: dict[str, int]
    kept: int  # existing values the file would have replaced, kept as asked
    same: int = 0  # values the file holds that were already in StatDesk as they are

    def describe(self) -> str:
        parts = [f"{n:,} {k.replace('_', ' ')}(s) added" for k, n in self.created.items() if n]
        parts += [f"{n:,} {k.replace('_', ' ')}(s) changed" for k, n in self.updated.items() if n]
        if self.kept:
            parts.append(f"{self.kept:,} existing value(s) kept")
        if self.same:
            parts.append(f"{self.same:,} value(s) already in the file as they are")
        return "; ".join(parts) or "nothing to change"


class _Writer:
    def __init__(
        self,
        session: Session,
        plan: ImportPlan,
        batch: m.ImportBatch,
        progress: Progress | None = None,
    ) -> None:
        self.s = session
        self.plan = plan
        self.batch = batch
        self.progress = progress
        self.created: dict[str, list[int]] = defaultdict(list)
        self.replaced: list[dict[str, Any]] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.changed: dict[str, int] = defaultdict(int)
        self.kept = 0
        self.same = 0
        self.departments = {d.name.casefold(): d.id for d in session.scalars(select(m.Department))}
        self.people = {p.name.casefold(): p.id for p in session.scalars(select(m.Person))}

    def new(self, table: str, record: m.Record) -> m.Record:
        self.s.add(record)
        self.s.flush()
        self.created[table].append(record.id)
        self.counts[table] += 1
        return record

    def change(self, table: str, record: m.Record, fields: dict[str, Any]) -> None:
        old = {k: getattr(record, k) for k, v in fields.items() if getattr(record, k) != v}
        if not old:
            return
        self.replaced.append(
            {"table": table, "id": record.id, "fields": {k: _plain(v) for k, v in old.items()}}
        )
        for name in old:
            setattr(record, name, fields[name])
        self.changed[table] += 1

    def department(self, name: str | None) -> int | None:
        if not name:
            return None
        name = self.plan.matched("department", name)
        key = name.casefold()
        if key not in self.departments:
            self.departments[key] = self.new("department", m.Department(name=name)).id
        return self.departments[key]


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return {"date": value.isoformat()}
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


def _unplain(value: Any) -> Any:
    if isinstance(value, dict) and "date" in value:
        from datetime import date

        return date.fromisoformat(value["date"])
    return value


def kind_of(kind: str) -> ImportKind:
    return _KIND[kind]


def apply_plan(
    session: Session, plan: ImportPlan, user: str, progress: Progress | None = None
) -> ImportResult:
    """Write the plan in the caller's transaction. A Stop (`progress` cancelled) raises
    Cancelled part-way, and the caller's rollback leaves the file as it was."""
    if not plan.ready:
        raise StatDeskError(
            "The import cannot run yet: " + ", ".join(plan.missing_fields) + " not mapped.",
            "Map the missing fields, then import again.",
        )
    batch = m.ImportBatch(
        source_name=plan.source.path.name,
        source_sha256=plan.sha256,
        import_kind=_KIND[plan.options.kind],
        rows=plan.rows_read,
        user=user,
        sheet=plan.sheet,
        options_json=json.dumps(plan.options.as_json(), default=str),
    )
    session.add(batch)
    session.flush()
    writer = _Writer(session, plan, batch, progress)
    {
        "roster": _roster,
        "inventory": _inventory,
        "metrics": _metrics,
        "values": _values,
        "raw": _values,
    }[plan.options.kind](writer)
    batch.undo_json = json.dumps({"created": writer.created, "replaced": writer.replaced})
    result = ImportResult(
        batch.id, dict(writer.counts), dict(writer.changed), writer.kept, writer.same
    )
    batch.summary = result.describe()
    return result


def _roster(w: _Writer) -> None:
    existing = {
        (a.person_id, a.role, a.department_id) for a in w.s.scalars(select(m.RoleAssignment))
    }
    for entry in w.plan.people:
        fields = {k: entry[k] for k in ("title", "email", "phone") if entry.get(k)}
        dept = w.department(entry.get("department"))
        if dept is not None:
            fields["department_id"] = dept
        entry = {**entry, "name": w.plan.matched("person", entry["name"])}
        person_id = w.people.get(entry["name"].casefold())
        if person_id is None:
            person = w.new("person", m.Person(name=entry["name"], **fields))
            person_id = w.people[entry["name"].casefold()] = person.id
        else:
            record = w.s.get(m.Person, person_id)
            assert record is not None
            w.change(
                "person", record, {k: v for k, v in fields.items() if not getattr(record, k)}
            )  # fill, never overwrite
        for role, scope in entry["roles"]:
            key = (person_id, Role(role), w.department(scope))
            if key not in existing:
                existing.add(key)
                w.new(
                    "role_assignment",
                    m.RoleAssignment(person_id=key[0], role=key[1], department_id=key[2]),
                )


def _inventory(w: _Writer) -> None:
    datasets = list(w.s.scalars(select(m.Dataset)))
    by_id = {d.identifier.casefold(): d for d in datasets if d.identifier}
    by_title = {(d.title.casefold(), d.department_id, d.landing_page or ""): d for d in datasets}
    for item in w.plan.datasets:
        fields = {
            k: v for k, v in item.items() if k not in ("row", "department", "owner", "contact")
        }
        dept = w.department(item.get("department"))
        if dept is not None:
            fields["department_id"] = dept
        notes = [fields.pop("notes")] if fields.get("notes") else []
        for role in ("owner", "contact"):
            name = item.get(role)
            if name and name.casefold() in w.people:
                fields[f"{role}_id"] = w.people[name.casefold()]
            elif name:
                notes.append(f"{role.capitalize()}: {name}")
        if notes:
            fields["notes"] = "\n".join(notes)
        key = (item["title"].casefold(), dept, item.get("landing_page") or "")
        found = by_id.get((item.get("identifier") or "").casefold()) or by_title.get(key)
        if found is None:
            record = w.new("dataset", m.Dataset(**fields))
            by_title[key] = record  # type: ignore[assignment]
        else:
            fields.pop("status", None)  # an update never moves a dataset back to "discovered"
            w.change("dataset", found, fields)


_METRIC_FIELDS = (
    "description",
    "is_kpi",
    "unit",
    "frequency",
    "direction",
    "measure_type",
    "methodology",
)


def _metric_index(w: _Writer) -> dict[tuple[str, int | None], m.Metric]:
    return {(x.name.casefold(), x.department_id): x for x in w.s.scalars(select(m.Metric))}


def _find_metric(
    index: dict[tuple[str, int | None], m.Metric], name: str, dept: int | None
) -> m.Metric | None:
    found = index.get((name.casefold(), dept))
    if found is None and dept is None:
        same = [x for (n, _d), x in index.items() if n == name.casefold()]
        found = same[0] if len(same) == 1 else None
    return found


def _metrics(w: _Writer) -> None:
    index = _metric_index(w)
    for item in w.plan.metrics:
        item = {**item, "name": w.plan.matched("metric", item["name"])}
        dept = w.department(item.get("department"))
        fields = {k: item[k] for k in _METRIC_FIELDS if k in item}
        found = _find_metric(index, item["name"], dept)
        if found is None:
            index[(item["name"].casefold(), dept)] = w.new(  # type: ignore[assignment]
                "metric", m.Metric(name=item["name"], department_id=dept, **fields)
            )
        else:
            w.change("metric", found, fields)


def _values(w: _Writer) -> None:
    index = _metric_index(w)
    definitions = {
        (d["name"].casefold(), (d.get("department") or "").casefold()): d for d in w.plan.metrics
    }
    finest: dict[tuple[str, str], Frequency] = {}
    order = list(Frequency)
    for v in w.plan.values:
        key = (v.metric.casefold(), v.department.casefold())
        if key not in finest or order.index(v.period.frequency) < order.index(finest[key]):
            finest[key] = v.period.frequency
    metric_ids: dict[tuple[str, str], int] = {}
    for key, frequency in finest.items():
        definition = dict(definitions.get(key, {"name": key[0]}))
        definition["name"] = w.plan.matched("metric", definition["name"])
        dept = w.department(definition.get("department") or None)
        found = _find_metric(index, definition["name"], dept)
        if found is None:
            fields = {k: definition[k] for k in _METRIC_FIELDS if k in definition}
            fields.setdefault("frequency", frequency)
            created = m.Metric(name=definition["name"], department_id=dept, **fields)
            w.new("metric", created)
            index[(definition["name"].casefold(), dept)] = found = created
        metric_ids[key] = found.id
    _write_values(w, metric_ids)


def _write_values(w: _Writer, metric_ids: dict[tuple[str, str], int]) -> None:
    """New rows by bulk insert; existing ones replaced (old values kept for undo) or kept."""
    replace = w.plan.options.conflict != "keep"
    ids = list(set(metric_ids.values()))
    existing: dict[tuple[str, int, Any, str], Any] = {}
    for value in w.s.scalars(select(m.MetricValue).where(m.MetricValue.metric_id.in_(ids))):
        existing[("metric_value", value.metric_id, value.period_start, value.frequency.value)] = (
            value
        )
    for target in w.s.scalars(select(m.Target).where(m.Target.metric_id.in_(ids))):
        existing[("target", target.metric_id, target.period_start, target.frequency.value)] = target
    fresh: dict[tuple[str, int, Any, str], dict[str, Any]] = {}
    total = max(1, len(w.plan.values))
    for index, v in enumerate(w.plan.values):
        if w.progress is not None and index % 10_000 == 0:
            w.progress.step(index / total, "Writing the values")
        metric_id = metric_ids[(v.metric.casefold(), v.department.casefold())]
        table = "metric_value" if v.field == "actual" else "target"
        column = {"actual": "value", "target": "target", "forecast": "forecast"}[v.field]
        key = (table, metric_id, v.period.start, v.period.frequency.value)
        row = existing.get(key)
        if row is not None:
            if not replace:
                w.kept += 1
                continue
            before = {
                column: getattr(row, column),
                "note": row.note,
                "import_batch_id": row.import_batch_id,
            }
            after: dict[str, Any] = {column: v.value, "import_batch_id": w.batch.id}
            if v.note:
                after["note"] = v.note
            if any(getattr(row, k) != val for k, val in after.items() if k != "import_batch_id"):
                w.replaced.append({"table": table, "id": row.id, "fields": before})
                for name, value in after.items():
                    setattr(row, name, value)
                w.changed[table] += 1
            else:
                w.same += 1
            continue
        record = fresh.setdefault(
            key,
            {
                "metric_id": metric_id,
                "period_start": v.period.start,
                "frequency": v.period.frequency.value,
                "import_batch_id": w.batch.id,
                "version": 1,
                "note": None,
                **(
                    {"value": None}
                    if table == "metric_value"
                    else {"target": None, "forecast": None}
                ),
            },
        )
        record[column] = v.value
        if v.note:
            record["note"] = v.note
    for model, table in ((m.MetricValue, "metric_value"), (m.Target, "target")):
        rows = [r for k, r in fresh.items() if k[0] == table]
        if rows:
            w.s.execute(insert(model), rows)
            w.counts[table] += len(rows)


def undo_import(session: Session, batch_id: int) -> m.ImportBatch:
    """Remove what the import added and put back what it replaced."""
    batch = session.get(m.ImportBatch, batch_id)
    if batch is None:
        raise NotFound(
            f"There is no import #{batch_id} in this file.",
            "Run 'statdesk imports FILE' to list them.",
        )
    if batch.undone_at is not None:
        raise StatDeskError(
            f"Import #{batch_id} was already undone on {batch.undone_at:%Y-%m-%d %H:%M} UTC.",
            "Nothing to do.",
        )
    undo = json.loads(batch.undo_json or "{}")
    replaced = undo.get("replaced", [])
    kept_ids = {(r["table"], r["id"]) for r in replaced}
    for table, model in (("metric_value", m.MetricValue), ("target", m.Target)):
        ids = [row_id for (t, row_id) in kept_ids if t == table]
        query = delete(model).where(model.import_batch_id == batch_id)
        if ids:
            query = query.where(model.id.not_in(ids))
        session.execute(query)
    for entry in replaced:
        record = session.get(_MODELS[entry["table"]], entry["id"])
        if record is not None:
            for name, value in entry["fields"].items():
                setattr(record, name, _unplain(value))
    created = undo.get("created", {})
    for table in _UNDO_ORDER:
        for record_id in reversed(created.get(table, [])):
            record = session.get(_MODELS[table], record_id)
            if record is not None:
                session.delete(record)
        session.flush()
    batch.undone_at = datetime.now(UTC)
    return batch


def earlier_imports(session: Session, sha256: str) -> list[m.ImportBatch]:
    """Imports of the same file (by content) that have not been undone."""
    return list(
        session.scalars(
            select(m.ImportBatch).where(
                m.ImportBatch.source_sha256 == sha256, m.ImportBatch.undone_at.is_(None)
            )
        )
    )
