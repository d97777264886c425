"""What a write changed: collected from SQLAlchemy's flush, written to the change log.

Every write goes through a session carrying a `Tracker` (see Workspace._write); after each flush
the tracker notes the records created, changed and deleted, and adds one change-log row per
record with who did it and, for changes, each field's old and new value.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from statdesk.storage import models as m
from statdesk.storage.journal import Journal, JournalBuilder
from statdesk.storage.locks import check_flush


@dataclass(frozen=True)
class Changes:
    """What one operation changed: record ids per kind, and the file's new revision."""

    revision: int
    created: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    updated: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    deleted: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    journal: Journal = field(default=Journal((), complete=False), compare=False, repr=False)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self.created) | frozenset(self.updated) | frozenset(self.deleted)

    def touches(self, *models: type[m.Record]) -> bool:
        return any(model.kind in self.kinds for model in models)

    def new_id(self, model: type[m.Record] | str) -> int:
        """The id of the one record of `model` (a class or a kind's name) this operation
        created."""
        kind = model if isinstance(model, str) else model.kind
        ids = self.created.get(kind, ())
        if len(ids) != 1:
            raise LookupError(f"{len(ids)} {kind} records were created, not one.")
        return ids[0]


class Tracker:
    """Collects what a flush changed, and writes the change log rows for it."""

    def __init__(self, user: str, log: bool) -> None:
        self.user = user
        self.log = log
        self.created: dict[str, list[int]] = defaultdict(list)
        self.updated: dict[str, list[int]] = defaultdict(list)
        self.deleted: dict[str, list[int]] = defaultdict(list)
        self.journal = JournalBuilder()

    def changes(self, revision: int) -> Changes:
        def freeze(d: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
            return {k: tuple(dict.fromkeys(v)) for k, v in d.items()}

        return Changes(
            revision,
            freeze(self.created),
            freeze(self.updated),
            freeze(self.deleted),
            self.journal.journal(),
        )


def bulk_written(
    session: Session, action: Literal["created", "updated", "deleted"], model: type[m.Record]
) -> None:
    """Report a statement that wrote many rows of `model` at once (an import's values, its
    undo): flush events never see those, and the pages showing that kind must still refresh.
    The ids are not listed."""
    tracker: Tracker | None = session.info.get("tracker")
    if tracker is not None:
        getattr(tracker, action).setdefault(model.kind, [])


def plain(value: Any) -> Any:
    """A value as it goes into the change log's JSON."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value):,} bytes>"
    return value


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    tracker: Tracker | None = session.info.get("tracker")
    if tracker is not None:
        check_flush(session)
        tracker.journal.before_flush(session)


def _on_statement(state: ORMExecuteState) -> None:
    tracker: Tracker | None = state.session.info.get("tracker")
    if tracker is not None:
        tracker.journal.saw_statement(state)


def _after_flush(session: Session, _context: Any) -> None:
    tracker: Tracker | None = session.info.get("tracker")
    if tracker is None:
        return
    tracker.journal.after_flush(session)
    rows: list[dict[str, Any]] = []
    reason = session.info.get("reason")

    def log(action: str, record: m.Record, summary: str, details: Any = None) -> None:
        rows.append(
            {
                "at": m.base.utc_now(),
                "user": tracker.user,
                "action": action,
                "record_kind": record.kind,
                "record_id": record.id,
                "summary": summary + (f" (reason: {reason})" if reason else ""),
                "details_json": None if details is None else json.dumps(details, default=str),
            }
        )

    for record in session.new:
        if isinstance(record, m.Record):
            tracker.created[record.kind].append(record.id)
            log("created", record, f"Created {record.describe()}")
    for record in session.dirty:
        if not isinstance(record, m.Record) or not session.is_modified(record):
            continue
        state = inspect(record)
        diff = {}
        for attr in state.mapper.column_attrs:
            history = state.attrs[attr.key].history
            if attr.key != "version" and history.has_changes():
                old = history.deleted[0] if history.deleted else None
                diff[attr.key] = [plain(old), plain(getattr(record, attr.key))]
        if diff:
            tracker.updated[record.kind].append(record.id)
            names = ", ".join(k.replace("_", " ") for k in diff)
            log("changed", record, f"Changed {names} of {record.describe()}", diff)
    for record in session.deleted:
        if isinstance(record, m.Record):
            tracker.deleted[record.kind].append(record.id)
            log(
                "deleted",
                record,
                f"Deleted {record.describe()}",
                {k: plain(v) for k, v in record.fields().items()},
            )
    if tracker.log and rows:
        session.connection().execute(insert(m.ChangeLogEntry), rows)


def track(sessions: sessionmaker[Session]) -> None:
    """Have every session made by `sessions` report its changes to its tracker."""
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "do_orm_execute", _on_statement)
    event.listen(sessions, "after_flush", _after_flush)
