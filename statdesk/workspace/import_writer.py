"""Writing an import plan: people, datasets, metrics and values, in the workspace's one
transaction, so an import is never half written.

The same writer makes the dry run's forecast: with `dry=True` it reads what the file holds and
decides, record by record and value by value, what it would add, change, keep or leave as it
is, and writes nothing. The dry run's counts are the import's counts because they are made by
the same code. Undoing an import is in storage.edits.import_undo.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from statdesk.domain.errors import StatDeskError
from statdesk.domain.vocabulary import IMPORT_WORDS, Role
from statdesk.importing.progress import Progress
from statdesk.importing.result import ImportResult
from statdesk.storage import models as m
from statdesk.storage.changes import bulk_written

if TYPE_CHECKING:  # the planner (and what it reads files with) loads when an import starts
    from statdesk.importing.plan import ImportPlan


class _Writer:
    def __init__(
        self,
        session: Session,
        plan: ImportPlan,
        batch: m.ImportBatch,
        progress: Progress | None = None,
        dry: bool = False,
    ) -> None:
        self.s = session
        self.plan = plan
        self.batch = batch
        self.progress = progress
        self.dry = dry
        self.created: dict[str, list[int]] = defaultdict(list)
        self.replaced: list[dict[str, Any]] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.changed: dict[str, int] = defaultdict(int)
        self.kept = 0
        self.same = 0
        self.locked: list[tuple[int, str, str]] = []  # row, metric, period: left as they are
        self._fresh: dict[tuple[type[m.Record], int], m.Record] = {}  # made in a dry run
        self._made: set[tuple[str, int]] = set()  # (table, id) of records this import made
        self.departments = {d.name.casefold(): d.id for d in session.scalars(select(m.Department))}
        self.people = {p.name.casefold(): p.id for p in session.scalars(select(m.Person))}

    def new(self, table: str, record: m.Record) -> m.Record:
        """Add a record (in a dry run: count it, and give it an id of its own, below 0)."""
        if self.dry:
            record.id = -1 - len(self._fresh)
            self._fresh[(type(record), record.id)] = record
        else:
            self.s.add(record)
            self.s.flush()
            self.created[table].append(record.id)
        self._made.add((table, record.id))
        self.counts[table] += 1
        return record

    def get(self, model: type[m.Record], record_id: int) -> Any:
        return self._fresh.get((model, record_id)) or self.s.get(model, record_id)

    def change(self, table: str, record: m.Record, fields: dict[str, Any]) -> None:
        """Change what differs (in a dry run too: nothing is ever flushed, and the session is
        rolled back after it)."""
        old = {k: getattr(record, k) for k, v in fields.items() if getattr(record, k) != v}
        if not old:
            return
        if (table, record.id) not in self._made:  # a record made by this import is just filled
            self.replaced.append(
                {"table": table, "id": record.id, "fields": {k: plain(v) for k, v in old.items()}}
            )
            self.changed[table] += 1
        for name in old:
            setattr(record, name, fields[name])

    def insert(self, model: type[m.Record], table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if not self.dry:
            self.s.execute(insert(model), rows)
            bulk_written(self.s, "created", model)
        self.counts[table] += len(rows)

    def department(self, name: str | None) -> int | None:
        if not name:
            return None
        name = self.plan.matched("department", name)
        key = name.casefold()
        if key not in self.departments:
            self.departments[key] = self.new("department", m.Department(name=name)).id
        return self.departments[key]

    def step(self, fraction: float) -> None:
        if self.progress is not None:
            self.progress.step(fraction, "Writing the values")


def plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return {"date": value.isoformat()}
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


def apply_plan(
    session: Session,
    plan: ImportPlan,
    user: str,
    progress: Progress | None = None,
    *,
    dry: bool = False,
) -> ImportResult:
    """Write the plan in the caller's transaction. A Stop (`progress` cancelled) raises
    Cancelled part-way, and the caller's rollback leaves the file as it was.

    With `dry`, nothing is written: the result says what the import would add and change.
    Run it with autoflush off and roll the session back afterwards (Workspace.forecast)."""
    if not plan.ready and not dry:
        needed = plan.missing_fields + plan.choices_needed
        raise StatDeskError(
            "The import cannot run yet: it needs " + "; ".join(needed) + ".",
            "Make the choices (the dry run lists them), then import again.",
        )
    batch = m.ImportBatch(
        source_name=plan.source.path.name,
        source_sha256=plan.sha256,
        import_kind=IMPORT_WORDS[plan.options.kind],
        rows=plan.rows_read,
        user=user,
        sheet=plan.sheet,
        options_json=json.dumps(plan.options.as_json(), default=str),
    )
    if dry:
        batch.id = 0
    else:
        session.add(batch)
        session.flush()
    if plan.options.change_locked and not dry:
        session.info["reason"] = session.info["change_locked"] = plan.options.change_locked
    writer = _Writer(session, plan, batch, progress, dry)
    {
        "roster": _roster,
        "inventory": _inventory,
        "metrics": _metrics,
        "values": _values,
        "raw": _values,
    }[plan.options.kind](writer)
    result = ImportResult(
        batch.id, dict(writer.counts), dict(writer.changed), writer.kept, writer.same, writer.locked
    )
    if not dry:
        batch.undo_json = json.dumps({"created": writer.created, "replaced": writer.replaced})
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
            record = w.get(m.Person, person_id)
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
    """Datasets are found by their identifier; without one, by title, department and link
    (and description, where several share those). Each existing dataset is matched once:
    two rows of one title never write over each other."""
    datasets = list(w.s.scalars(select(m.Dataset)))
    by_id = {d.identifier.casefold(): d for d in datasets if d.identifier}
    by_title: dict[tuple[str, int | None, str], list[m.Dataset]] = defaultdict(list)
    for d in datasets:
        by_title[(d.title.casefold(), d.department_id, d.landing_page or "")].append(d)
    matched: set[int] = set()
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
        identifier = (item.get("identifier") or "").casefold()
        if identifier:
            found = by_id.get(identifier)
        else:
            key = (item["title"].casefold(), dept, item.get("landing_page") or "")
            found = _one_of(by_title.get(key, []), item, matched)
        if found is None or found.id in matched:
            record = w.new("dataset", m.Dataset(**fields))
            if identifier:
                by_id[identifier] = record  # type: ignore[assignment]
            matched.add(record.id)
        else:
            matched.add(found.id)
            fields.pop("status", None)  # an update never moves a dataset back to "discovered"
            w.change("dataset", found, fields)


def _one_of(
    candidates: list[m.Dataset], item: dict[str, Any], matched: set[int]
) -> m.Dataset | None:
    """The existing dataset a row without an identifier stands for: the only one of its
    title, department and link, or the one among several with its description."""
    free = [d for d in candidates if d.id not in matched]
    if len(candidates) == 1:
        return candidates[0] if free else None
    description = item.get("description") or ""
    return next((d for d in free if (d.description or "") == description), None)


_METRIC_FIELDS = (
    "code",
    "description",
    "is_kpi",
    "unit",
    "frequency",
    "direction",
    "measure_type",
    "methodology",
    "decimals",
)


class _Metrics:
    """The file's metrics, found by their source id first, then by name and department."""

    def __init__(self, session: Session) -> None:
        metrics = list(session.scalars(select(m.Metric)))
        self.by_name = {(x.name.casefold(), x.department_id): x for x in metrics}
        self.by_code = {x.code.casefold(): x for x in metrics if x.code}

    def find(self, name: str, dept: int | None, code: str | None) -> m.Metric | None:
        if code and code.casefold() in self.by_code:
            return self.by_code[code.casefold()]
        found = self.by_name.get((name.casefold(), dept))
        if found is None and dept is None:
            same = [x for (n, _d), x in self.by_name.items() if n == name.casefold()]
            found = same[0] if len(same) == 1 else None
        return found

    def add(self, metric: m.Metric) -> None:
        self.by_name[(metric.name.casefold(), metric.department_id)] = metric
        if metric.code:
            self.by_code[metric.code.casefold()] = metric


def _metrics(w: _Writer) -> None:
    """A register's metrics, and the targets it gives for a period."""
    index = _Metrics(w.s)
    for item in w.plan.metrics:
        item = {**item, "name": w.plan.matched("metric", item["name"])}
        dept = w.department(item.get("department"))
        fields = {k: item[k] for k in _METRIC_FIELDS if k in item}
        found = index.find(item["name"], dept, item.get("code"))
        if found is None:
            metric = m.Metric(name=item["name"], department_id=dept, **fields)
            index.add(w.new("metric", metric))  # type: ignore[arg-type]
        else:
            w.change("metric", found, fields)
    if w.plan.values:
        _values(w, index)


def _values(w: _Writer, index: _Metrics | None = None) -> None:
    from statdesk.workspace.import_values import write_values

    write_values(w, index or _Metrics(w.s), _METRIC_FIELDS)


def earlier_imports(session: Session, sha256: str) -> list[m.ImportBatch]:
    """Imports of the same file (by content) that have not been undone."""
    return list(
        session.scalars(
            select(m.ImportBatch).where(
                m.ImportBatch.source_sha256 == sha256, m.ImportBatch.undone_at.is_(None)
            )
        )
    )
