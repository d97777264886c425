"""The one façade over a .statdesk file: open it, read records, change them, say what changed.

The UI and the CLI talk only to a `Workspace`. Each write is one short transaction that
validates through `domain/`, records who changed what in the change log, bumps the file's
revision, and returns a `Changes` so pages refresh only what an operation touched.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, event, func, insert, inspect, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from statdesk import __version__, demo, paths
from statdesk.domain.errors import (
    DamagedFile,
    EditConflict,
    FileProblem,
    NewerSchema,
    NotFound,
    Problem,
    ReadOnly,
    ValidationFailed,
)
from statdesk.domain.periods import Period, check_fiscal_start
from statdesk.domain.validation import problems_with
from statdesk.storage import models as m
from statdesk.storage.atomic import replacing
from statdesk.storage.backup import make_backup
from statdesk.storage.connection import open_engine
from statdesk.storage.schema import (
    HEAD_REVISION,
    SCHEMA_VERSION,
    integrity_problems,
    migrate,
    read_header,
    revision_of,
)

R = TypeVar("R", bound=m.Record)
T = TypeVar("T")

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
    "meetings": m.Meeting,
    "agenda_items": m.AgendaItem,
    "action_items": m.ActionItem,
    "import_batches": m.ImportBatch,
}

# Content tables, children first: what replacing a file's content empties.
_CONTENT_TABLES = (
    "change_log",
    "agenda_item",
    "attendee",
    "action_item",
    "meeting",
    "metric_dataset",
    "metric_value",
    "target",
    "metric",
    "goal",
    "strategic_priority",
    "dataset",
    "portfolio_department",
    "budget_portfolio",
    "role_assignment",
    "person",
    "department",
    "import_batch",
    "import_recipe",
)

_DEFAULT_ORDER = ("position", "name", "title", "period_start", "starts_at", "id")


def default_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in a service account or odd container
        return "unknown"


@dataclass(frozen=True)
class Changes:
    """What one operation changed: record ids per kind, and the file's new revision."""

    revision: int
    created: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    updated: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    deleted: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self.created) | frozenset(self.updated) | frozenset(self.deleted)

    def touches(self, *models: type[m.Record]) -> bool:
        return any(model.kind in self.kinds for model in models)

    def new_id(self, model: type[m.Record]) -> int:
        """The id of the one record of `model` this operation created."""
        ids = self.created.get(model.kind, ())
        if len(ids) != 1:
            raise LookupError(f"{len(ids)} {model.kind} records were created, not one.")
        return ids[0]


@dataclass(frozen=True)
class FileInfo:
    path: Path
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

    def as_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
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
        }


class _Tracker:
    """Collects what a flush changed, and writes the change log rows for it."""

    def __init__(self, user: str, log: bool) -> None:
        self.user = user
        self.log = log
        self.created: dict[str, list[int]] = defaultdict(list)
        self.updated: dict[str, list[int]] = defaultdict(list)
        self.deleted: dict[str, list[int]] = defaultdict(list)

    def changes(self, revision: int) -> Changes:
        def freeze(d: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
            return {k: tuple(dict.fromkeys(v)) for k, v in d.items()}

        return Changes(revision, freeze(self.created), freeze(self.updated), freeze(self.deleted))


def _plain(value: Any) -> Any:
    """A value as it goes into the change log's JSON."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value):,} bytes>"
    return value


def _after_flush(session: Session, _context: Any) -> None:
    tracker: _Tracker | None = session.info.get("tracker")
    if tracker is None:
        return
    rows: list[dict[str, Any]] = []

    def log(action: str, record: m.Record, summary: str, details: Any = None) -> None:
        rows.append(
            {
                "at": m.base.utc_now(),
                "user": tracker.user,
                "action": action,
                "record_kind": record.kind,
                "record_id": record.id,
                "summary": summary,
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
                diff[attr.key] = [_plain(old), _plain(getattr(record, attr.key))]
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
                {k: _plain(v) for k, v in record.fields().items()},
            )
    if tracker.log and rows:
        session.connection().execute(insert(m.ChangeLogEntry), rows)


class Workspace:
    """An open .statdesk file."""

    def __init__(
        self, path: Path, engine: Engine, *, read_only: bool, reason: str, user: str
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.read_only_reason = reason
        self.user = user
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "after_flush", _after_flush)
        self._listeners: list[Callable[[Changes], None]] = []

    # ----------------------------------------------------------------- opening and closing

    @classmethod
    def open(
        cls, path: Path | str, *, read_only: bool = False, user: str | None = None
    ) -> Workspace:
        """Open a file: check it, bring an older one up to date (after a backup), and open a
        newer one read-only. Raises a `FileProblem` that says what is wrong and what to do."""
        path = Path(path)
        header = read_header(path)
        reason = ""
        if header.is_newer:
            read_only = True
            reason = _newer_message(path)
        elif read_only:
            reason = "Opened read-only."
        engine = open_engine(path, read_only=read_only)
        try:
            with engine.connect() as conn:
                problems = integrity_problems(conn, thorough=False)
                revision = revision_of(conn)
            if problems:
                raise DamagedFile(
                    f"{path.name} is damaged ({problems[0]}).",
                    "Restore the newest backup from the 'backups' folder beside the file.",
                )
            if revision is None:
                raise DamagedFile(
                    f"{path.name} is marked as a StatDesk file but has no schema.",
                    "Restore the newest backup from the 'backups' folder.",
                )
            if header.is_older or (revision != HEAD_REVISION and not header.is_newer):
                if read_only:
                    raise FileProblem(
                        f"{path.name} was made by an older StatDesk and needs upgrading first.",
                        "Open it for editing once; StatDesk backs it up, then upgrades it.",
                    )
                make_backup(path, "before upgrade", paths.user_data_dir() / "backups")
                migrate(engine)
        except sqlite3.DatabaseError as error:
            engine.dispose()
            raise _damaged(path, error) from error
        except DBAPIError as error:
            engine.dispose()
            raise _damaged(path, error.orig) from error
        except BaseException:
            engine.dispose()
            raise
        return cls(path, engine, read_only=read_only, reason=reason, user=user or default_user())

    @classmethod
    def new(
        cls,
        path: Path | str,
        *,
        city_name: str,
        fiscal_year_start_month: int = 7,
        program_name: str | None = None,
        user: str | None = None,
        overwrite: bool = False,
        content: Callable[[Session], None] | None = None,
    ) -> Workspace:
        """Create a new file at the current schema. It is built under a temporary name in the
        same folder and renamed into place, so a half-made file never appears."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise FileProblem(
                f"{path} already exists.", "Choose another name, or open the existing file."
            )
        city_fields = {"name": city_name, "fiscal_year_start_month": fiscal_year_start_month}
        problems = problems_with("city", city_fields)
        if problems:
            raise ValidationFailed("city", problems)
        user = user or default_user()
        try:
            with replacing(path) as temp:
                engine = open_engine(temp, read_only=False)
                try:
                    migrate(engine)
                    with Session(engine) as session, session.begin():
                        session.add(
                            m.City(
                                name=city_name.strip(),
                                program_name=program_name,
                                fiscal_year_start_month=fiscal_year_start_month,
                            )
                        )
                        session.add(
                            m.FileState(
                                id=1, revision=1, created_with=__version__, written_with=__version__
                            )
                        )
                        session.add(
                            m.ChangeLogEntry(
                                user=user,
                                action="event",
                                record_kind="file",
                                summary=f"Created the file for {city_name.strip()}",
                            )
                        )
                        if content is not None:
                            content(session)
                finally:
                    engine.dispose()
        except OSError as error:
            raise FileProblem(
                f"StatDesk cannot create {path}: {error.strerror}.",
                "Choose a folder you can write to.",
            ) from error
        return cls.open(path, user=user)

    @classmethod
    def new_demo(
        cls,
        path: Path | str,
        *,
        seed: int = demo.DEFAULT_SEED,
        as_of: date | None = None,
        replace: bool = False,
        user: str | None = None,
    ) -> Workspace:
        """Create the demo city at `path`. With `replace`, an existing StatDesk file's content
        is replaced by the demo in one transaction (after a backup)."""
        fill = functools.partial(demo.populate, seed=seed, as_of=as_of)
        path = Path(path)
        if replace and path.exists():
            workspace = cls.open(path, user=user)
            try:
                workspace.backup("before demo")
                workspace.replace_content(fill, "Replaced the content with the demo city")
            except BaseException:
                workspace.close()
                raise
            return workspace
        return cls.new(
            path,
            city_name=demo.CITY,
            program_name=demo.PROGRAM,
            fiscal_year_start_month=demo.FISCAL_YEAR_START,
            user=user,
            content=fill,
        )

    def backup(self, reason: str = "manual") -> Path:
        """A checked copy of the file in its backups folder; returns the copy's path."""
        return make_backup(self.path, reason, paths.user_data_dir() / "backups")

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def subscribe(self, listener: Callable[[Changes], None]) -> None:
        """Call `listener` with the `Changes` of every write made through this workspace."""
        self._listeners.append(listener)

    # ----------------------------------------------------------------- reading

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Session]:
        try:
            with self._sessions() as session, session.begin():
                yield session
        except DBAPIError as error:
            raise _damaged(self.path, error.orig) from error

    def get(self, model: type[R], record_id: int) -> R:
        with self._reading() as session:
            record = session.get(model, record_id)
            if record is None:
                raise NotFound(
                    f"There is no {model.kind} #{record_id} in this file.",
                    "It may have been deleted; refresh the list.",
                )
            return record

    def query(self, model: type[R], /, **equals: Any) -> list[R]:
        """Every record of `model` whose fields equal `equals`, in their natural order."""
        columns = model.__table__.columns
        order = [columns[name] for name in _DEFAULT_ORDER if name in columns]
        with self._reading() as session:
            return list(session.scalars(select(model).filter_by(**equals).order_by(*order)))

    def count(self, model: type[m.Base]) -> int:
        with self._reading() as session:
            return session.scalar(select(func.count()).select_from(model)) or 0

    def counts(self) -> dict[str, int]:
        with self._reading() as session:
            return {
                name: session.scalar(select(func.count()).select_from(model)) or 0
                for name, model in COUNTED.items()
            }

    def city(self) -> m.City:
        with self._reading() as session:
            city = session.scalars(select(m.City)).first()
            if city is None:
                raise DamagedFile(
                    f"{self.path.name} has no city settings.",
                    "Restore the newest backup from the 'backups' folder.",
                )
            return city

    @property
    def fiscal_year_start_month(self) -> int:
        return self.city().fiscal_year_start_month

    def revision(self) -> int:
        with self._reading() as session:
            return session.scalar(select(m.FileState.revision)) or 0

    def change_log(self, limit: int = 200) -> list[m.ChangeLogEntry]:
        with self._reading() as session:
            stmt = select(m.ChangeLogEntry).order_by(m.ChangeLogEntry.id.desc()).limit(limit)
            return list(session.scalars(stmt))

    def values(self, metric_id: int) -> list[m.MetricValue]:
        return self.query(m.MetricValue, metric_id=metric_id)

    def targets(self, metric_id: int) -> list[m.Target]:
        return self.query(m.Target, metric_id=metric_id)

    def info(self) -> FileInfo:
        with self._reading() as session:
            state = session.scalars(select(m.FileState)).first()
            schema = revision_of(session.connection())
            version = session.connection().exec_driver_sql("PRAGMA user_version").scalar()
        return FileInfo(
            path=self.path,
            schema_revision=schema,
            schema_version=int(version or 0),
            created_with=state.created_with if state else "?",
            written_with=state.written_with if state else "?",
            written_at=state.written_at if state else None,
            revision=state.revision if state else 0,
            city=self.city().name,
            counts=self.counts(),
            read_only=self.read_only,
            read_only_reason=self.read_only_reason,
            lock=None,
        )

    # ----------------------------------------------------------------- writing

    def _write(
        self, action: Callable[[Session], T], *, log: bool = True, event_summary: str | None = None
    ) -> tuple[T, Changes]:
        """Run `action` in one IMMEDIATE transaction; log, bump the revision, tell listeners."""
        if self.read_only:
            raise ReadOnly(
                self.read_only_reason or "This file is open read-only.",
                "Changes cannot be saved to it.",
            )
        tracker = _Tracker(self.user, log)
        try:
            with self._sessions() as session:
                session.info["tracker"] = tracker
                with session.begin():
                    result = action(session)
                    session.flush()
                    if event_summary:
                        session.add(
                            m.ChangeLogEntry(
                                user=self.user,
                                action="event",
                                record_kind="file",
                                summary=event_summary,
                            )
                        )
                    session.execute(
                        update(m.FileState).values(
                            revision=m.FileState.revision + 1,
                            written_with=__version__,
                            written_at=m.base.utc_now(),
                        )
                    )
                    revision = session.scalar(select(m.FileState.revision)) or 0
        except IntegrityError as error:
            raise _integrity_failure(error) from error
        except StaleDataError as error:
            raise EditConflict(
                "Someone else changed or deleted this record since you opened it.",
                "Reload it and make your change again.",
            ) from error
        except DBAPIError as error:
            raise _write_failure(self.path, error) from error
        changes = tracker.changes(revision)
        for listener in self._listeners:
            listener(changes)
        return result, changes

    def create(self, model: type[R], /, **fields: Any) -> Changes:
        """Add one record; returns the changes (`changes.new_id(model)` is its id)."""

        def action(session: Session) -> R:
            record = model(**fields)
            _validate(record)
            session.add(record)
            return record

        return self._write(action)[1]

    def update(
        self,
        model: type[R],
        record_id: int,
        /,
        *,
        expected_version: int | None = None,
        **fields: Any,
    ) -> Changes:
        """Change fields of one record. With `expected_version` (the version the editor read),
        a record someone else saved in the meantime is reported, never overwritten."""

        def action(session: Session) -> R:
            record = self._load_for_edit(session, model, record_id, expected_version)
            for name, value in fields.items():
                if name in ("id", "version") or name not in model.__table__.columns:
                    raise AttributeError(f"{model.__name__} has no editable field {name!r}")
                setattr(record, name, value)
            _validate(record)
            return record

        return self._write(action)[1]

    def delete(
        self, model: type[R], record_id: int, /, *, expected_version: int | None = None
    ) -> Changes:
        def action(session: Session) -> None:
            session.delete(self._load_for_edit(session, model, record_id, expected_version))

        return self._write(action)[1]

    def update_city(self, **fields: Any) -> Changes:
        if "fiscal_year_start_month" in fields:
            check_fiscal_start(int(fields["fiscal_year_start_month"]))
        return self.update(m.City, self.city().id, **fields)

    def set_value(
        self, metric_id: int, period: Period, value: float | None, note: str | None = None
    ) -> Changes:
        """Record a metric's actual value for one period (replacing any earlier one)."""
        return self._upsert_period(m.MetricValue, metric_id, period, value=value, note=note)

    def set_target(
        self,
        metric_id: int,
        period: Period,
        target: float | None,
        forecast: float | None = None,
        note: str | None = None,
    ) -> Changes:
        return self._upsert_period(
            m.Target, metric_id, period, target=target, forecast=forecast, note=note
        )

    def _upsert_period(
        self,
        model: type[m.MetricValue] | type[m.Target],
        metric_id: int,
        period: Period,
        **fields: Any,
    ) -> Changes:
        def action(session: Session) -> None:
            if session.get(m.Metric, metric_id) is None:
                raise NotFound(
                    f"There is no metric #{metric_id} in this file.",
                    "It may have been deleted; refresh the list.",
                )
            existing = session.scalars(
                select(model).filter_by(
                    metric_id=metric_id, period_start=period.start, frequency=period.frequency
                )
            ).first()
            if existing is None:
                session.add(
                    model(
                        metric_id=metric_id,
                        period_start=period.start,
                        frequency=period.frequency,
                        **fields,
                    )
                )
            else:
                for name, value in fields.items():
                    setattr(existing, name, value)

        return self._write(action)[1]

    def replace_content(self, content: Callable[[Session], None], summary: str) -> Changes:
        """Empty the file's records and fill it anew in ONE transaction (the demo city): if
        StatDesk stops half-way, the file still holds everything it held before."""

        def action(session: Session) -> None:
            for table in _CONTENT_TABLES:
                session.execute(delete(m.Base.metadata.tables[table]))
            content(session)

        return self._write(action, log=False, event_summary=summary)[1]

    def _load_for_edit(
        self, session: Session, model: type[R], record_id: int, expected_version: int | None
    ) -> R:
        record = session.get(model, record_id)
        if record is None:
            raise NotFound(
                f"The {model.kind} #{record_id} no longer exists.",
                "Someone may have deleted it; refresh the list.",
            )
        if expected_version is not None and record.version != expected_version:
            last = session.scalars(
                select(m.ChangeLogEntry)
                .filter_by(record_kind=model.kind, record_id=record_id)
                .order_by(m.ChangeLogEntry.id.desc())
            ).first()
            who = f" by {last.user} at {last.at:%Y-%m-%d %H:%M} UTC" if last else ""
            raise EditConflict(
                f"The {record.describe()} was changed{who} after you opened it.",
                "Reload it to see their change, then make yours again.",
            )
        return record


def _validate(record: m.Record) -> None:
    problems = problems_with(record.kind, record.fields())
    if problems:
        raise ValidationFailed(record.kind, problems)


def _newer_message(path: Path) -> str:
    """Name the StatDesk that wrote a newer file, read straight from it without the ORM."""
    written_with = "a newer version"
    with contextlib.suppress(sqlite3.Error):
        from statdesk.storage.connection import connect_raw

        conn = connect_raw(path, "ro")
        try:
            row = conn.execute("SELECT written_with FROM file_state").fetchone()
            if row and row[0]:
                written_with = f"version {row[0]}"
        finally:
            conn.close()
    return (
        f"{path.name} was saved by StatDesk {written_with}, newer than this StatDesk "
        f"({__version__}, schema {SCHEMA_VERSION}); it is open read-only. Install StatDesk "
        f"{written_with.removeprefix('version ')} or later to edit it."
    )


def _damaged(path: Path, error: BaseException | None) -> FileProblem:
    text = str(error)
    if "not a database" in text or "file is encrypted" in text:
        return DamagedFile(
            f"{path.name} is not a readable database ({text}).",
            "Restore the newest backup from the 'backups' folder beside the file.",
        )
    if "unable to open" in text:
        return FileProblem(
            f"StatDesk cannot open {path}: {text}.",
            "Check that the shared drive is connected and you may read the file.",
        )
    return DamagedFile(
        f"{path.name} is damaged ({text}).",
        "Restore the newest backup from the 'backups' folder beside the file.",
    )


def _write_failure(path: Path, error: DBAPIError) -> FileProblem:
    text = str(error.orig)
    if "locked" in text or "busy" in text:
        return FileProblem(
            f"{path.name} is busy: another program is writing to it.",
            "Wait a moment and try again; nothing was saved.",
        )
    if "full" in text:
        return FileProblem(
            f"There is no room left to save {path.name}; nothing was saved.",
            "Free some space on the drive, then try again.",
        )
    if "readonly" in text or "read-only" in text:
        return FileProblem(
            f"{path.name} cannot be written: the file or folder is read-only.",
            "Ask for write access to the folder, or save a copy elsewhere.",
        )
    return _damaged(path, error.orig)


def _integrity_failure(error: IntegrityError) -> ValidationFailed:
    text = str(error.orig)
    if "UNIQUE constraint failed" in text:
        table, _, column = text.split(":", 1)[1].split(",")[0].strip().partition(".")
        kind = table.replace("_", " ")
        return ValidationFailed(
            kind, [Problem(column, f"Another {kind} already has this {column.replace('_', ' ')}.")]
        )
    if "FOREIGN KEY constraint failed" in text:
        return ValidationFailed(
            "record",
            [
                Problem(
                    "",
                    "It refers to a record that no longer exists, or other records still refer to "
                    "it (a department with meetings cannot be deleted; merge it instead).",
                )
            ],
        )
    return ValidationFailed("record", [Problem("", text)])


def check_file(path: Path | str) -> str:
    """Check a file thoroughly without changing it: the header, SQLite's full integrity check,
    references between records, the schema and the city settings. Returns a one-line summary
    when healthy; raises the `FileProblem` that describes what is wrong otherwise."""
    path = Path(path)
    header = read_header(path)
    if header.is_newer:
        raise NewerSchema(
            _newer_message(path).replace("; it is open read-only", ""),
            "This StatDesk cannot check it.",
        )
    engine = open_engine(path, read_only=True)
    try:
        with engine.connect() as conn:
            problems = integrity_problems(conn, thorough=True)
            revision = revision_of(conn) if not problems else None
            cities = conn.exec_driver_sql("SELECT count(*) FROM city").scalar() if revision else 0
    except sqlite3.DatabaseError as error:
        raise _damaged(path, error) from error
    except DBAPIError as error:
        raise _damaged(path, error.orig) from error
    finally:
        engine.dispose()
    if problems:
        more = f" and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
        raise DamagedFile(
            f"{path.name} is damaged: {problems[0]}{more}.",
            "Restore the newest backup from the 'backups' folder beside the file.",
        )
    if revision is None:
        raise DamagedFile(
            f"{path.name} is marked as a StatDesk file but has no schema.",
            "Restore the newest backup from the 'backups' folder.",
        )
    if cities != 1:
        raise DamagedFile(
            f"{path.name} should hold one city's settings but holds {cities}.",
            "Restore the newest backup from the 'backups' folder.",
        )
    note = "" if revision == HEAD_REVISION else "; it will be upgraded when opened for editing"
    return f"schema revision {revision}, {header.page_count * header.page_size:,} bytes{note}"
