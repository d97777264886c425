"""What one write did to each row, kept so the write can be taken back (undo) and made again.

Every write runs with a `Tracker` (storage.changes); its journal notes, per row, the values
before and after. A row the database itself deleted or emptied with it (ON DELETE CASCADE or
SET NULL: a meeting's agenda, a metric's values, the follow-up items pointing at an agenda
item) is noted too, read just before the delete. `reverse` applies a journal backwards inside
a write (Workspace.take_back); that write has its own journal, so redo is the undo of the
undo, with the same ids.

A journal is complete only if every change went through it. A statement that writes many rows
at once (an import's values, the demo city replacing a file's content) is not journalled row
by row: that write's journal says it cannot be reversed, and its own undo (an import's batch)
is used instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, Literal

from sqlalchemy import ColumnElement, Table, and_, delete, insert, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from statdesk.domain.errors import EditConflict
from statdesk.storage import models as m
from statdesk.storage.edits.records import last_change
from statdesk.storage.locks import refuse_rows

Row = Mapping[str, Any]
Key = tuple[Any, ...]
Written = Literal["created", "updated"]

# Tables a write changes on the side, never part of what an edit did.
_BOOKKEEPING = frozenset({m.ChangeLogEntry.__tablename__, m.FileState.__tablename__})
_CHUNK = 400  # ids per IN (…): well below SQLite's limit of bound parameters


@dataclass(frozen=True)
class Cascade:
    """What the database did to other rows when one row was deleted: rows it deleted with it
    (parents before children), and columns it set to NULL (table, key, column, old value)."""

    deleted: tuple[tuple[str, Row], ...] = ()
    nulled: tuple[tuple[str, Key, str, Any], ...] = ()


@dataclass(frozen=True)
class RowChange:
    table: str
    key: Key
    before: Row | None  # None: the write created the row
    after: Row | None  # None: the write deleted the row
    cascade: Cascade = field(default_factory=Cascade)


@dataclass(frozen=True)
class Journal:
    rows: tuple[RowChange, ...]
    complete: bool

    @property
    def reversible(self) -> bool:
        return self.complete and bool(self.rows)


class JournalBuilder:
    """Collects a write's row changes as its flushes happen."""

    def __init__(self) -> None:
        self.rows: list[RowChange] = []
        self.complete = True
        self._cascades: dict[tuple[str, Key], Cascade] = {}
        self._quiet = 0  # >0 while this module writes rows it notes itself

    def journal(self) -> Journal:
        return Journal(tuple(self.rows), self.complete)

    @contextlib.contextmanager
    def noting(self) -> Iterator[None]:
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def saw_statement(self, state: ORMExecuteState) -> None:
        """A statement run through the session: one that writes rows behind the ORM's back
        makes the journal incomplete, unless this module wrote and noted them."""
        if self._quiet or not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) not in _BOOKKEEPING:
            self.complete = False

    def before_flush(self, session: Session) -> None:
        """Read what the database will delete or empty with each row about to be deleted."""
        leaving = {
            (record.__tablename__, (record.id,))
            for record in session.deleted
            if isinstance(record, m.Record)
        }
        for record in session.deleted:
            if isinstance(record, m.Record):
                table = m.Base.metadata.tables[record.__tablename__]
                key = (table.name, (record.id,))
                self._cascades[key] = _cascade(session, table, [record.id], leaving)

    def after_flush(self, session: Session) -> None:
        for record in session.new:
            if isinstance(record, m.Record):
                self._note(record, None, _row(record))
        for record in session.dirty:
            if isinstance(record, m.Record) and session.is_modified(record):
                self._note(record, _stored(record), _row(record))
        for record in session.deleted:
            if isinstance(record, m.Record):
                self._note(record, _stored(record), None)

    def note(self, table: Table, before: Row | None, after: Row | None) -> None:
        """A row of a plain table (a link) this module wrote."""
        row = before if before is not None else after
        assert row is not None
        self.rows.append(RowChange(table.name, _key(table, row), before, after))

    def _note(self, record: m.Record, before: Row | None, after: Row | None) -> None:
        table = record.__tablename__
        cascade = self._cascades.pop((table, (record.id,)), Cascade()) if after is None else None
        self.rows.append(RowChange(table, (record.id,), before, after, cascade or Cascade()))


def insert_rows(session: Session, table: Table, rows: Sequence[Row]) -> None:
    """Add rows to a plain table (a link table), noted in the write's journal."""
    builder = _builder(session)
    with builder.noting() if builder else contextlib.nullcontext():
        for row in rows:
            session.execute(insert(table).values(**row))
            if builder:
                builder.note(table, None, row)


def delete_rows(session: Session, table: Table, where: ColumnElement[bool]) -> None:
    """Delete the rows of a plain table that match, noted in the write's journal."""
    builder = _builder(session)
    rows = [dict(r._mapping) for r in session.execute(select(table).where(where))]
    with builder.noting() if builder else contextlib.nullcontext():
        session.execute(delete(table).where(where))
    if builder:
        for row in rows:
            builder.note(table, row, None)


def reverse(session: Session, journal: Journal) -> None:
    """Take back what `journal` did, in the session's transaction: its row changes undone in
    the opposite order (so a department merged away is back before its records point at it
    again). A row changed since (it no longer holds what the journal left in it) is never
    overwritten: EditConflict, before anything is written."""
    if not journal.complete:
        raise EditConflict(
            "This change was made in one step over many rows and cannot be taken back here.",
            "An import is undone from the History page.",
        )
    with session.no_autoflush:
        _check_unchanged_since(session, journal)
        touched: dict[str, list[Row]] = {}  # a locked period's value is not taken back
        for change in journal.rows:
            touched.setdefault(change.table, []).extend(
                r for r in (change.before, change.after) if r
            )
        for table, rows in touched.items():
            refuse_rows(session, table, rows)
        for step, run in groupby(reversed(journal.rows), key=_step):
            changes = list(run)
            if step == "created":
                _drop(session, changes)
            elif step == "updated":
                _put_back_values(session, changes)
            else:
                _bring_back(session, changes)


def _step(change: RowChange) -> str:
    if change.before is None:
        return "created"
    return "deleted" if change.after is None else "updated"


def _check_unchanged_since(session: Session, journal: Journal) -> None:
    """Each row the journal touched must be as the journal left it."""
    last: dict[tuple[str, Key], RowChange] = {}
    first: dict[tuple[str, Key], RowChange] = {}
    for change in journal.rows:
        last[(change.table, change.key)] = change
        first.setdefault((change.table, change.key), change)
    for where, change in last.items():
        model = m.by_table(change.table)
        if model is None:
            continue
        record = _fresh(session, model, change.key[0])
        if change.after is None:
            if record is not None and first[where].before is not None:
                raise EditConflict(
                    f"A new {model.kind} took the place of the deleted one (#{change.key[0]}).",
                    "Make the change by hand instead.",
                )
        elif record is None:
            if first[where].before is not None:
                raise _gone(model.kind, change)
        else:
            _check_unchanged(session, record, change)


def _drop(session: Session, changes: list[RowChange]) -> None:
    """Rows the write created go (the database deletes what refers to them, noted for redo)."""
    tables = m.Base.metadata.tables
    for change in changes:
        model = m.by_table(change.table)
        if model is None:
            table = tables[change.table]
            delete_rows(session, table, _key_matches(table, change.key))
        else:
            record = _fresh(session, model, change.key[0])
            if record is not None:  # None: gone already with a row deleted before it
                session.delete(record)
                session.flush()  # one by one, newest first: the database takes what it must


def _put_back_values(session: Session, changes: list[RowChange]) -> None:
    for change in changes:
        model = m.by_table(change.table)
        assert change.before is not None and model is not None
        record = _fresh(session, model, change.key[0])
        if record is None:
            raise _gone(model.kind, change)
        for name, value in change.before.items():
            if name not in ("id", "version") and getattr(record, name) != value:
                setattr(record, name, value)
    session.flush()


def _bring_back(session: Session, changes: list[RowChange]) -> None:
    """Rows the write deleted come back with the same ids, then their links, what the
    database deleted with them, and the columns it emptied pointing at them again."""
    tables = m.Base.metadata.tables
    for change in changes:
        model = m.by_table(change.table)
        if model is not None and change.before is not None:
            session.add(model(**{k: v for k, v in change.before.items() if k != "version"}))
    session.flush()
    builder = _builder(session)
    for change in changes:
        if m.by_table(change.table) is None and change.before is not None:
            insert_rows(session, tables[change.table], [change.before])
        with builder.noting() if builder else contextlib.nullcontext():
            for name, row in change.cascade.deleted:
                session.execute(insert(tables[name]).values(**row))
            for name, key, column, value in change.cascade.nulled:
                target = tables[name]
                where = and_(_key_matches(target, key), target.c[column].is_(None))
                session.execute(update(target).where(where).values({column: value}))


def restored_on_the_side(journal: Journal) -> dict[Written, set[type[m.Record]]]:
    """The kinds of record a reversal of `journal` writes besides its own rows (what the
    database had deleted or emptied with them), by "created" and "updated", so the pages
    showing them refresh."""
    found: dict[Written, set[type[m.Record]]] = {"created": set(), "updated": set()}
    for change in journal.rows:
        tables: list[str]
        action: Written
        for action, tables in (
            ("created", [t for t, _row in change.cascade.deleted]),
            ("updated", [t for t, *_rest in change.cascade.nulled]),
        ):
            found[action].update(model for t in tables if (model := m.by_table(t)) is not None)
    return found


# ----------------------------------------------------------------- helpers


def _builder(session: Session) -> JournalBuilder | None:
    tracker = session.info.get("tracker")
    return None if tracker is None else tracker.journal


def _row(record: m.Record) -> dict[str, Any]:
    return dict(record.fields())


def _stored(record: m.Record) -> dict[str, Any]:
    """The row as the database held it before this flush (a record changed, then deleted in
    one write, is kept with its stored values, not the changed ones)."""
    row = _row(record)
    state = inspect(record)
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if history.deleted:
            row[attr.key] = history.deleted[0]
    return row


def _key(table: Table, row: Row) -> Key:
    return tuple(row[c.name] for c in table.primary_key.columns)


def _key_matches(table: Table, key: Key) -> ColumnElement[bool]:
    return and_(*(c == v for c, v in zip(table.primary_key.columns, key, strict=True)))


def _fresh(session: Session, model: type[m.Record], record_id: int) -> m.Record | None:
    """The row as the database holds it now (a delete before may have taken it with it)."""
    return session.get(model, record_id, populate_existing=True)


def _check_unchanged(session: Session, record: m.Record, change: RowChange) -> None:
    """The row must hold what the edit left in it. Its version is not compared: an edit and
    its undo later on the stack leave the values as they were, with a newer version."""
    assert change.after is not None
    now = {k: v for k, v in _row(record).items() if k != "version"}
    if now != {k: v for k, v in change.after.items() if k != "version"}:
        raise EditConflict(
            f"The {record.describe()} was changed{last_change(session, record)} after this "
            "edit; taking the edit back "
            "would overwrite that change.",
            "Make the change by hand instead.",
        )


def _gone(kind: str, change: RowChange) -> EditConflict:
    return EditConflict(
        f"The {kind} #{change.key[0]} was deleted after this edit, so the edit cannot be "
        "taken back.",
        "Make the change by hand instead.",
    )


def _cascade(
    session: Session, table: Table, ids: list[Any], leaving: set[tuple[str, Key]]
) -> Cascade:
    """What deleting the rows of `table` with these single-column keys takes with it."""
    deleted: list[tuple[str, Row]] = []
    nulled: list[tuple[str, Key, str, Any]] = []
    _walk(session, table, ids, leaving, deleted, nulled)
    return Cascade(tuple(deleted), tuple(nulled))


def _walk(
    session: Session,
    table: Table,
    ids: list[Any],
    leaving: set[tuple[str, Key]],
    deleted: list[tuple[str, Row]],
    nulled: list[tuple[str, Key, str, Any]],
) -> None:
    for other in m.Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table:
                continue
            column = fk.parent
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                if fk.ondelete == "CASCADE":
                    rows = [
                        dict(r._mapping)
                        for r in session.execute(select(other).where(column.in_(chunk)))
                    ]
                    rows = [r for r in rows if (other.name, _key(other, r)) not in leaving]
                    deleted.extend((other.name, r) for r in rows)
                    if rows and len(other.primary_key.columns) == 1:
                        (pk,) = other.primary_key.columns
                        _walk(session, other, [r[pk.name] for r in rows], leaving, deleted, nulled)
                elif fk.ondelete == "SET NULL":
                    keys = list(other.primary_key.columns)
                    found = session.execute(select(*keys, column).where(column.in_(chunk))).all()
                    nulled.extend(
                        (other.name, tuple(r[:-1]), column.name, r[-1])
                        for r in found
                        if (other.name, tuple(r[:-1])) not in leaving
                    )
