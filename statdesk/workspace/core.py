"""The one façade over a .statdesk file: open it, read records, change them, say what changed.

The UI and the CLI talk only to a `Workspace`. Each write is one short transaction that
validates through `domain/`, records who changed what in the change log, bumps the file's
revision, and returns a `Changes` so pages refresh only what an operation touched.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar, overload

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from statdesk.domain.errors import DamagedFile, NotFound, ReadOnly, ValidationFailed
from statdesk.domain.locations import Location, ServerAddress, title_of
from statdesk.domain.periods import check_fiscal_start
from statdesk.domain.validation import problems_with
from statdesk.storage import journal
from statdesk.storage import models as m
from statdesk.storage.changes import Changes, bulk_written, track
from statdesk.storage.edits.records import load_for_edit
from statdesk.storage.file_store import FileStore
from statdesk.storage.lock import LockInfo, LockLost, WriterLock
from statdesk.storage.schema import SchemaObject
from statdesk.storage.server_listen import RemoteChange
from statdesk.storage.store import Store, open_store
from statdesk.storage.transaction import one_write
from statdesk.storage.views import home as home_view
from statdesk.workspace.exports import Exports
from statdesk.workspace.file_info import COUNTED, FileInfo, read_info
from statdesk.workspace.history import History
from statdesk.workspace.imports import Imports
from statdesk.workspace.inventory import Inventory
from statdesk.workspace.meetings import Meetings
from statdesk.workspace.metrics import Metrics
from statdesk.workspace.recovery import edit_note, keep_recovery
from statdesk.workspace.roster import Roster

log = logging.getLogger(__name__)

R = TypeVar("R", bound=m.Record)
T = TypeVar("T")

_DEFAULT_ORDER = ("position", "name", "title", "period_start", "starts_at", "id")


def default_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in a service account or odd container
        return "unknown"


class Workspace:
    """An open .statdesk file: read-write under this StatDesk's lock, or read-only."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.user = store.user
        # The big lists' last reading, by the file's revision: see `_for_revision`.
        self._read_cache: dict[str, tuple[tuple[object, ...], Any]] = {}
        self._sessions = sessionmaker(store.engine, expire_on_commit=False)
        store.on_new_engine(lambda engine: self._sessions.configure(bind=engine))
        track(self._sessions)
        self._listeners: list[Callable[[Changes], None]] = []
        self._seen_revision = self.revision()
        # The rooms: each part of the program's reads and edits, over this core's transactions.
        self.roster = Roster(self)  # people, roles, departments, portfolios
        self.inventory = Inventory(self)  # the data inventory
        self.metrics = Metrics(self)  # metrics, goals, periods, the target helper
        self.meetings = Meetings(self)  # Stat meetings and follow-up items
        self.history = History(self)  # the change log and the imports, for the History page
        self.exports = Exports(self)  # memos, charts, spreadsheets, data.json, the public page
        self.imports = Imports(self)  # plan, run, undo; recipes

    # ----------------------------------------------------------------- the store, as it stands

    @property
    def path(self) -> Path | None:
        """The file, for a city kept in a file; None for one on a server."""
        return self.store.path

    @property
    def location(self) -> Location:
        """The file, or the server's city (`domain.locations.shown` writes it without any
        password; `title_of` gives its short name)."""
        return self.store.location

    @property
    def signed_in_as(self) -> str:  # on a server: "ana, analyst"; "" for a file
        return self.store.signed_in_as

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def read_only_reason(self) -> str:
        return self.store.read_only_reason

    @property
    def lock(self) -> WriterLock | None:
        return self.store.lock

    @property
    def lock_holder(self) -> LockInfo | None:
        return self.store.lock_holder

    @property
    def damaged(self) -> bool:
        return self.store.damaged

    @property
    def foreign_code(self) -> list[SchemaObject]:
        return self.store.foreign_code

    @property
    def notice(self) -> str:
        return self.store.notice

    @property
    def check_pending(self) -> bool:
        return self.store.check_pending

    # ----------------------------------------------------------------- opening and closing

    @classmethod
    def open(
        cls,
        path: Path | str | ServerAddress,
        *,
        read_only: bool = False,
        user: str | None = None,
        lock: WriterLock | None = None,
        daily_backup: bool = True,
        take_over: bool = False,
    ) -> Workspace:
        """Open a file for editing under the writer lock, or read-only when someone else holds
        it, when it comes from a newer StatDesk, or when it is damaged (the store says how:
        storage.file_store for a file); a postgresql:// address (or a ServerAddress) opens
        the city on that server (storage.server_store). A takeover on opening goes into the
        change log."""
        store = open_store(
            path,
            user=user or default_user(),
            read_only=read_only,
            lock=lock,
            daily_backup=daily_backup,
            take_over=take_over,
        )
        workspace = cls(store)
        if store.takeover_event is not None:
            workspace.note_event(store.takeover_event)
        return workspace

    def note_event(self, summary: str) -> Changes:
        """Put an event of the file (a takeover, a restore) in the change log."""
        return self._write(lambda _s: None, event_summary=summary)[1]

    def backup(self, reason: str = "manual") -> Path:
        """A checked copy of the file in its backups folder; returns the copy's path."""
        return self.store.backup(reason)

    # ----------------------------------------------------------------- the writer lock

    @staticmethod
    def stale_holder(path: Path | str) -> LockInfo | None:
        """The holder of `path`'s lock if their StatDesk has stopped, else None."""
        return FileStore.stale_holder(path)

    def lock_is_free(self) -> bool:
        """For a read-only window waiting for the holder to finish."""
        return self.store.lock_is_free()

    def lock_is_stale(self) -> bool:
        return self.store.lock_is_stale()

    def start_editing(self) -> bool:
        """Become the writer if the lock is free now (after "notify me when it frees")."""
        return self.store.start_editing()

    def take_over(self) -> Changes:
        """Take the lock of a holder that stopped, after a backup; logged."""
        summary = self.store.take_over()
        return self._write(lambda _s: None, event_summary=summary)[1]

    def check_now(self) -> list[str]:
        """Run the health check deferred when a big file was opened (see the store's)."""
        return self.store.check_now()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def subscribe(self, listener: Callable[[Changes], None]) -> None:
        """Call `listener` with the `Changes` of every write made through this workspace."""
        self._listeners.append(listener)

    def watch(self, heard: Callable[[RemoteChange], None]) -> bool:
        """Call `heard` (on another thread) with each save another editor makes, as it commits
        (a server); False when the store cannot tell (a file: poll `has_changed`)."""
        return self.store.watch(heard)

    def has_changed(self) -> bool:
        """Whether someone else wrote to the file since the last call (for read-only windows
        that poll and refresh)."""
        current = self.revision()
        changed = current != self._seen_revision
        self._seen_revision = current
        return changed

    # ----------------------------------------------------------------- reading

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Session]:
        try:
            with self._sessions() as session, session.begin():
                yield session
        except DBAPIError as error:
            raise self.store.explain(error, writing=False) from error

    @contextlib.contextmanager
    def _pretending(self) -> Iterator[Session]:
        """A session whose changes are never flushed and are rolled back at the end: the dry
        run's writer changes records in memory only."""
        try:
            with self._sessions() as session:
                try:
                    with session.no_autoflush:
                        yield session
                finally:
                    session.rollback()
        except DBAPIError as error:
            raise self.store.explain(error, writing=False) from error

    @overload
    def get(self, model: type[R], record_id: int) -> R: ...
    @overload
    def get(self, model: str, record_id: int) -> m.Record: ...
    def get(self, model: type[m.Record] | str, record_id: int) -> m.Record:
        """One record by its kind (a class, or its name as the window gives it) and id."""
        model = _model(model)
        with self._reading() as session:
            record: m.Record | None = session.get(model, record_id)
            if record is None:
                raise NotFound(
                    f"There is no {model.kind} #{record_id} in this file.",
                    "It may have been deleted; refresh the list.",
                )
            return record

    @overload
    def query(self, model: type[R], /, **equals: Any) -> list[R]: ...
    @overload
    def query(self, model: str, /, **equals: Any) -> list[m.Record]: ...
    def query(self, model: type[m.Record] | str, /, **equals: Any) -> list[Any]:
        """Every record of `model` whose fields equal `equals`, in their natural order."""
        model = _model(model)
        columns = model.__table__.columns
        order = [columns[name] for name in _DEFAULT_ORDER if name in columns]
        with self._reading() as session:
            return list(session.scalars(select(model).filter_by(**equals).order_by(*order)))

    def count(self, model: type[m.Base]) -> int:
        with self._reading() as session:
            return session.scalar(select(func.count()).select_from(model)) or 0

    def counts(self) -> dict[str, int]:
        """How many records of each kind `COUNTED` names, read in one statement."""
        each = [
            select(func.count()).select_from(model).scalar_subquery().label(name)
            for name, model in COUNTED.items()
        ]

        def read(session: Session) -> dict[str, int]:
            row = session.execute(select(*each)).one()
            return {name: int(row._mapping[name] or 0) for name in COUNTED}

        return dict(self._for_revision("counts", read))

    def city(self) -> m.City:
        with self._reading() as session:
            city = session.scalars(select(m.City)).first()
            if city is None:
                raise DamagedFile(
                    f"{title_of(self.location)} has no city settings.",
                    "Restore the newest backup from the 'backups' folder.",
                )
            return city

    @property
    def fiscal_year_start_month(self) -> int:
        return self.city().fiscal_year_start_month

    def revision(self) -> int:
        with self._reading() as session:
            return session.scalar(select(m.FileState.revision)) or 0

    # ----------------------------------------------------------------- what the pages show

    def home_summary(
        self, today: date | None = None, now: datetime | None = None
    ) -> home_view.HomeSummary:
        with self._reading() as session:
            city = session.scalars(select(m.City)).one()
            return home_view.home_summary(
                session, today or date.today(), now or datetime.now(), city.fiscal_year_start_month
            )

    # ------------------------------------------------------------ meetings and follow-up

    def _for_revision(self, name: str, read: Callable[[Session], T], *key: object) -> T:
        """`read` in one reading transaction, or what it gave last if the file's revision (and
        `key`) is the same: every save, here or by a colleague, changes the revision. Callers
        only read what they are given. `warm_up` fills this ahead of the pages."""
        with self._reading() as session:
            revision = session.scalar(select(m.FileState.revision)) or 0
            wanted = (revision, *key)
            last = self._read_cache.get(name)
            if last is not None and last[0] == wanted:
                return last[1]  # type: ignore[no-any-return]
            result = read(session)
        self._read_cache[name] = (wanted, result)
        return result

    def warm_up(self) -> None:
        """Read the big pages' lists now (on a worker thread, after the first page shows), so
        each page of a big file shows at once when first opened. Never raises: a page that
        cannot be read says so when it is shown."""
        for read in (
            self.inventory.rows,
            self.roster.people_rows,
            self.roster.whos_who,
            self.roster.department_rows,
            self.roster.portfolio_rows,
            self.metrics.tree,
            self.meetings.action_rows,
        ):
            try:
                read()
            except Exception as error:  # the file closed, or the share blinked
                log.info("warming up %s stopped: %s", read.__name__, error)
                return

    def forget_readings(self) -> None:
        """Drop what `_for_revision` kept (benchmarks time a page's first reading with it)."""
        self._read_cache.clear()

    @staticmethod
    def _fy(session: Session) -> int:
        return session.scalars(select(m.City.fiscal_year_start_month)).one()

    def info(self) -> FileInfo:
        """What the file is: schema, versions, revision, counts, who holds it."""
        return read_info(self)

    # ----------------------------------------------------------------- writing

    def _write(
        self,
        action: Callable[[Session], T],
        *,
        log: bool = True,
        event_summary: str | Callable[[], str] | None = None,
        recovery: dict[str, Any] | None = None,
    ) -> tuple[T, Changes]:
        """Run `action` in one IMMEDIATE transaction; log, bump the revision, tell listeners.

        First the lock file must still carry this session's id: if someone took the file over,
        the write is refused and the edit (`recovery`) is kept in a recovery file instead.
        """
        if self.check_pending:  # a big file is checked before anything is saved to it
            self.check_now()
        if self.read_only:
            raise ReadOnly(
                self.read_only_reason or "This file is open read-only.",
                "Changes cannot be saved to it.",
            )
        if self.lock is not None:
            try:
                self.store.verify_writer()
            except LockLost as lost:
                kept = keep_recovery(self.location, self.user, recovery or {"operation": "edit"})
                self.store.stop_writing(lost.message)
                raise LockLost(
                    f"{lost.message} Your change was not saved.",
                    f"It is kept in {kept}; reopen the file to make it again.",
                ) from lost
        result, changes = one_write(
            self._sessions,
            self.user,
            action,
            log=log,
            event=event_summary,
            explain=lambda error: self.store.explain(error, writing=True),
            announce=self.store.announce,
        )
        for listener in self._listeners:
            listener(changes)
        return result, changes

    def take_back(self, changes: Changes, label: str) -> Changes:
        """Undo the write that returned `changes`, in one transaction: rows it created go,
        rows it changed get their values back, rows it deleted return with the same ids (and
        what the database deleted with them). A row someone changed since is never
        overwritten: EditConflict. Taking back the returned changes is redo."""

        def action(session: Session) -> None:
            journal.reverse(session, changes.journal)
            for what, models in journal.restored_on_the_side(changes.journal).items():
                for model in models:
                    bulk_written(session, what, model)

        return self._write(
            action,
            event_summary=label,
            recovery={"operation": "take back", "what": label},
        )[1]

    def create(self, model: type[m.Record] | str, /, **fields: Any) -> Changes:
        """Add one record; returns the changes (`changes.new_id(model)` is its id)."""
        model = _model(model)

        def action(session: Session) -> m.Record:
            record = model(**fields)
            _validate(record)
            session.add(record)
            return record

        return self._write(action, recovery=edit_note("create", model, None, fields))[1]

    def update(
        self,
        model: type[m.Record] | str,
        record_id: int,
        /,
        *,
        expected_version: int | None = None,
        **fields: Any,
    ) -> Changes:
        """Change fields of one record. With `expected_version` (the version the editor read),
        a record someone else saved in the meantime is reported, never overwritten."""
        model = _model(model)

        def action(session: Session) -> m.Record:
            record = load_for_edit(session, model, record_id, expected_version)
            for name, value in fields.items():
                if name in ("id", "version") or name not in model.__table__.columns:
                    raise AttributeError(f"{model.__name__} has no editable field {name!r}")
                setattr(record, name, value)
            _validate(record)
            return record

        return self._write(action, recovery=edit_note("update", model, record_id, fields))[1]

    def delete(
        self,
        model: type[m.Record] | str,
        record_id: int,
        /,
        *,
        expected_version: int | None = None,
    ) -> Changes:
        """Delete one record, and what the database deletes with it (a meeting's agenda, a
        metric's values); `take_back` puts all of it back."""
        model = _model(model)

        def action(session: Session) -> None:
            session.delete(load_for_edit(session, model, record_id, expected_version))

        return self._write(action, recovery=edit_note("delete", model, record_id, {}))[1]

    def update_city(self, **fields: Any) -> Changes:
        if "fiscal_year_start_month" in fields:
            check_fiscal_start(int(fields["fiscal_year_start_month"]))
        return self.update(m.City, self.city().id, **fields)


def _model(kind: type[R] | str) -> type[R] | type[m.Record]:
    return m.by_kind(kind) if isinstance(kind, str) else kind


def _validate(record: m.Record) -> None:
    problems = problems_with(record.kind, record.fields())
    if problems:
        raise ValidationFailed(record.kind, problems)
