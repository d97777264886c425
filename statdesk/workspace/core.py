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
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from statdesk import __version__, paths
from statdesk.domain.errors import (
    DamagedFile,
    EditConflict,
    FileProblem,
    NotFound,
    ReadOnly,
    ValidationFailed,
)
from statdesk.domain.files import real_file
from statdesk.domain.numbers import counted
from statdesk.domain.periods import Period, check_fiscal_start
from statdesk.domain.validation import problems_with
from statdesk.domain.vocabulary import Direction, Role
from statdesk.storage import file_upkeep, journal
from statdesk.storage import models as m
from statdesk.storage.atomic import replacing
from statdesk.storage.changes import Changes, Tracker, bulk_written, plain, track
from statdesk.storage.edits import meetings as meeting_edits
from statdesk.storage.edits import metrics as metric_edits
from statdesk.storage.edits import roster as roster_edits
from statdesk.storage.file_store import FileStore
from statdesk.storage.health import (
    check_file,
    explain_database_error,
    explain_integrity_error,
    explain_write_failure,
)
from statdesk.storage.lock import (
    LockInfo,
    LockLost,
    WriterLock,
    read_lock,
)
from statdesk.storage.models import field_names
from statdesk.storage.schema import (
    SchemaObject,
    revision_of,
)
from statdesk.storage.store import Store, open_store
from statdesk.storage.views import history as history_view
from statdesk.storage.views import home as home_view
from statdesk.storage.views import inventory as inventory_view
from statdesk.storage.views import meetings as meetings_view
from statdesk.storage.views import metrics as metrics_view
from statdesk.storage.views import roster as roster_view
from statdesk.storage.views import series as series_view
from statdesk.workspace.exports import Exports
from statdesk.workspace.imports import Imports

__all__ = [
    "COUNTED",
    "Changes",
    "FileInfo",
    "Workspace",
    "check_file",
    "default_user",
    "field_names",
]

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    pass

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
    "metric_series": m.MetricSeries,
    "series_values": m.SeriesValue,
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
    "series_value",
    "metric_series",
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
        self.exports = Exports(self)  # memos, charts, spreadsheets, data.json, the public page
        self.imports = Imports(self)  # plan, run, undo; recipes

    # ----------------------------------------------------------------- the store, as it stands

    @property
    def path(self) -> Path:
        return self.store.path

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
        path: Path | str,
        *,
        read_only: bool = False,
        user: str | None = None,
        lock: WriterLock | None = None,
        daily_backup: bool = True,
        take_over: bool = False,
    ) -> Workspace:
        """Open a file for editing under the writer lock, or read-only when someone else holds
        it, when it comes from a newer StatDesk, or when it is damaged (the store says how:
        storage.file_store for a file). A takeover on opening goes into the change log."""
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
            workspace._write(lambda _s: None, event_summary=store.takeover_event)
        return workspace

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
        """Create a new file at the current schema for a city (with `content`, filled by it in
        the same transaction), and open it."""
        path = real_file(path)
        if path.exists() and not overwrite:
            raise FileProblem(
                f"{path} already exists.", "Choose another name, or open the existing file."
            )
        city_fields = {"name": city_name, "fiscal_year_start_month": fiscal_year_start_month}
        problems = problems_with("city", city_fields)
        if problems:
            raise ValidationFailed("city", problems)
        user = user or default_user()

        def fill(session: Session) -> None:
            session.add(
                m.City(
                    name=city_name.strip(),
                    program_name=program_name,
                    fiscal_year_start_month=fiscal_year_start_month,
                )
            )
            session.add(
                m.FileState(id=1, revision=1, created_with=__version__, written_with=__version__)
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

        file_upkeep.create(path, fill)
        return cls.open(path, user=user, daily_backup=False)  # nothing to back up yet

    @classmethod
    def new_demo(
        cls,
        path: Path | str,
        *,
        seed: int | None = None,
        as_of: date | None = None,
        replace: bool = False,
        user: str | None = None,
    ) -> Workspace:
        """Create the demo city at `path` (`seed`: the demo's own by default). With `replace`,
        an existing StatDesk file's content is replaced by the demo in one transaction (after
        a backup)."""
        from statdesk import demo

        chosen = demo.DEFAULT_SEED if seed is None else seed
        fill = functools.partial(demo.populate, seed=chosen, as_of=as_of)
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

    @classmethod
    def restore(
        cls, path: Path | str, backup: Path | str, *, user: str | None = None
    ) -> Path | None:
        """Put `backup` in place of `path` (file_upkeep.put_back says how) and note it in the
        change log. Returns the safety copy of the file as it was, if there was one."""
        user = user or default_user()
        safety, lock = file_upkeep.put_back(real_file(path), real_file(backup), user)
        with cls._open_with(path, user, lock) as workspace:
            workspace._write(
                lambda _s: None, event_summary=f"Restored from the backup {Path(backup).name}"
            )
        return safety

    @classmethod
    def remove_foreign_code(cls, path: Path | str, *, user: str | None = None) -> list[str]:
        """Drop the triggers and views StatDesk did not make (after a backup), open the file as
        usual, and put what was dropped in the change log. Returns it, in words."""
        user = user or default_user()
        removed, lock = file_upkeep.drop_foreign_code(real_file(path), user)
        with cls._open_with(path, user, lock) as workspace:
            if removed:
                workspace._write(
                    lambda _s: None,
                    event_summary="Removed code StatDesk did not make: " + ", ".join(removed),
                )
        return removed

    @classmethod
    def _open_with(cls, path: Path | str, user: str, lock: WriterLock) -> Workspace:
        """Open the file under a lock already taken; the lock is given up if that fails."""
        try:
            return cls.open(path, user=user, daily_backup=False, lock=lock)
        except BaseException:
            lock.release()
            raise

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

    def _save_recovery(self, edit: dict[str, Any]) -> Path:
        """Keep an edit that could not be saved, in the user's data folder."""
        moment = datetime.now(UTC)
        target = (
            paths.user_data_dir() / "recovery" / f"{self.path.stem}.{moment:%Y%m%d-%H%M%S-%f}.json"
        )
        record = {"file": str(self.path), "user": self.user, "at": moment.isoformat(), "edit": edit}
        with replacing(target) as temp:
            temp.write_text(json.dumps(record, indent=1, default=str), encoding="utf-8")
        return target

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def subscribe(self, listener: Callable[[Changes], None]) -> None:
        """Call `listener` with the `Changes` of every write made through this workspace."""
        self._listeners.append(listener)

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
            raise explain_database_error(self.path, error.orig) from error

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
            raise explain_database_error(self.path, error.orig) from error

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

    def change_lines(
        self,
        where: history_view.HistoryFilter | None = None,
        before_id: int | None = None,
        limit: int = 200,
    ) -> list[history_view.ChangeLine]:
        """The History page's change log: a screen of lines older than `before_id`."""
        with self._reading() as session:
            return history_view.change_lines(
                session, where or history_view.HistoryFilter(), before_id, limit
            )

    def history_choices(self) -> tuple[list[str], list[str]]:
        """The record kinds and people the change log names, for the History page's filters."""
        return self._for_revision("history choices", history_view.history_choices)

    def import_lines(self) -> list[history_view.ImportLine]:
        return self._for_revision("imports", history_view.import_lines)

    def values(self, metric_id: int) -> list[m.MetricValue]:
        return self.query(m.MetricValue, metric_id=metric_id)

    def targets(self, metric_id: int) -> list[m.Target]:
        return self.query(m.Target, metric_id=metric_id)

    # ----------------------------------------------------------------- what the pages show

    def people_rows(self) -> list[roster_view.PersonRow]:
        return self._for_revision("people", roster_view.people_rows)

    def department_rows(self) -> list[roster_view.DepartmentRow]:
        return self._for_revision("departments", roster_view.department_rows)

    def whos_who(self) -> list[roster_view.WhosWho]:
        return self._for_revision("whos_who", roster_view.whos_who)

    def roles_of(self, person_id: int) -> list[tuple[Role, int | None]]:
        with self._reading() as session:
            return roster_edits.roles_of(session, person_id)

    def person_references(self, person_id: int) -> dict[str, int]:
        with self._reading() as session:
            return roster_edits.person_references(session, person_id)

    def portfolio_rows(self) -> list[roster_view.PortfolioRow]:
        return self._for_revision("portfolios", roster_view.portfolio_rows)

    def portfolio_departments(self, portfolio_id: int) -> list[int]:
        with self._reading() as session:
            return roster_edits.portfolio_departments(session, portfolio_id)

    def dataset_rows(self, today: date | None = None) -> list[inventory_view.DatasetRow]:
        day = today or date.today()
        return self._for_revision(
            "datasets", lambda session: inventory_view.dataset_rows(session, day), day
        )

    def metrics_fed_by(self, dataset_id: int) -> list[tuple[int, str]]:
        with self._reading() as session:
            return inventory_view.metrics_fed_by(session, dataset_id)

    def home_summary(
        self, today: date | None = None, now: datetime | None = None
    ) -> home_view.HomeSummary:
        with self._reading() as session:
            city = session.scalars(select(m.City)).one()
            return home_view.home_summary(
                session, today or date.today(), now or datetime.now(), city.fiscal_year_start_month
            )

    def metric_summaries(self, today: date | None = None) -> list[metrics_view.MetricSummary]:
        with self._reading() as session:
            return metrics_view.metric_summaries(session, self._fy(session), today or date.today())

    def metric_names(self, *, active_only: bool = False) -> list[tuple[int, str, str]]:
        """Each metric's id, name and department ("" if none), in the Metrics page's order:
        for choosing one (two metrics may share a name), without reading any values."""
        query = (
            select(m.Metric.id, m.Metric.name, m.Department.name)
            .outerjoin(m.Department, m.Department.id == m.Metric.department_id)
            .order_by(m.Metric.position, m.Metric.name)
        )
        if active_only:
            query = query.where(m.Metric.active)
        with self._reading() as session:
            return [(int(i), str(n), str(d or "")) for i, n, d in session.execute(query)]

    def metric_detail(
        self, metric_id: int, today: date | None = None, as_of: date | None = None
    ) -> metrics_view.MetricDetail:
        """A metric with all its periods; with `as_of`, the values of periods ended by then."""
        with self._reading() as session:
            return metrics_view.metric_detail(
                session, metric_id, self._fy(session), today or date.today(), as_of
            )

    def all_series(self) -> dict[int, list[series_view.SeriesLine]]:
        """Every metric's breakdowns and comparisons, by metric id."""
        with self._reading() as session:
            ids = list(session.scalars(select(m.Metric.id)))
            return series_view.metric_series(session, ids)

    def metric_series(self, metric_id: int) -> list[series_view.SeriesLine]:
        """The metric's breakdowns and comparisons (its own series is in metric_detail)."""
        with self._reading() as session:
            return series_view.metric_series(session, [metric_id]).get(metric_id, [])

    def target_helper(
        self,
        metric_id: int,
        today: date | None = None,
        detail: metrics_view.MetricDetail | None = None,
    ) -> metrics_view.TargetHelper:
        """What it takes to meet the year's targets; `detail`, if the caller has just read it,
        saves reading the metric again."""
        today = today or date.today()
        if detail is None or detail.summary.id != metric_id:
            detail = self.metric_detail(metric_id, today)
        return metrics_view.target_helper(detail, today)

    def metric_tree(
        self, today: date | None = None, as_of: date | None = None
    ) -> list[metrics_view.PriorityNode]:
        """Priorities, goals and their metrics; with `as_of`, from the periods ended by then."""
        day = today or date.today()

        def read(session: Session) -> list[metrics_view.PriorityNode]:
            summaries = metrics_view.metric_summaries(session, self._fy(session), day, as_of=as_of)
            return metrics_view.metric_tree(session, summaries)

        return self._for_revision("metric_tree", read, day, as_of)

    # ------------------------------------------------------------ meetings and follow-up

    def meeting_rows(self) -> list[meetings_view.MeetingRow]:
        with self._reading() as session:
            return meetings_view.meeting_rows(session)

    def meeting_detail(
        self, meeting_id: int, today: date | None = None
    ) -> meetings_view.MeetingDetail:
        with self._reading() as session:
            return meetings_view.meeting_detail(
                session, meeting_id, self._fy(session), today or date.today()
            )

    def follow_up_memo(
        self, meeting_id: int, today: date | None = None
    ) -> meetings_view.FollowUpMemo:
        with self._reading() as session:
            return meetings_view.follow_up_memo(
                session, meeting_id, self._fy(session), today or date.today()
            )

    def action_rows(self, today: date | None = None) -> list[meetings_view.ActionRow]:
        day = today or date.today()
        return self._for_revision(
            "actions", lambda session: meetings_view.action_rows(session, day), day
        )

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
            self.dataset_rows,
            self.people_rows,
            self.whos_who,
            self.department_rows,
            self.portfolio_rows,
            self.metric_tree,
            self.action_rows,
        ):
            try:
                read()
            except Exception as error:  # the file closed, or the share blinked
                log.info("warming up %s stopped: %s", read.__name__, error)
                return

    def forget_readings(self) -> None:
        """Drop what `_for_revision` kept (benchmarks time a page's first reading with it)."""
        self._read_cache.clear()

    def suggested_attendees(self, department_id: int) -> list[int]:
        with self._reading() as session:
            return meetings_view.suggested_attendees(session, department_id)

    def suggested_agenda(
        self, department_id: int, today: date | None = None
    ) -> list[meetings_view.AgendaEntry]:
        with self._reading() as session:
            return meetings_view.suggested_agenda(
                session, department_id, self._fy(session), today or date.today()
            )

    def find_meeting(self, id_text: str) -> int:
        """A meeting's id from the text a user gave (its number); else the meetings there are."""
        text = id_text.strip().lstrip("#")
        if text.isdigit() and self.query(m.Meeting, id=int(text)):
            return int(text)
        listed = ", ".join(f"#{r.id} {r.title} {r.starts_at:%Y-%m-%d}" for r in self.meeting_rows())
        raise NotFound(f"There is no meeting '{id_text}'.", f"Meetings: {listed or 'none yet'}.")

    def find_metric(self, id_or_name: str) -> m.Metric:
        """A metric by its id, or by its name (exactly, or the one name that contains it)."""
        text = id_or_name.strip()
        if text.isdigit():
            return self.get(m.Metric, int(text))
        metrics = self.query(m.Metric)
        exact = [x for x in metrics if x.name.casefold() == text.casefold()]
        partial = [x for x in metrics if text.casefold() in x.name.casefold()]
        found = exact or partial
        if len(found) == 1:
            return found[0]
        if not found:
            raise NotFound(
                f"No metric is called '{text}'.",
                "Run 'statdesk metrics FILE' to list them with their ids.",
            )
        names = "; ".join(f"#{x.id} {x.name}" for x in found[:5])
        raise NotFound(
            f"'{text}' matches {len(found)} metrics: {names}.",
            "Give the metric's id or its whole name.",
        )

    @staticmethod
    def _fy(session: Session) -> int:
        return session.scalars(select(m.City.fiscal_year_start_month)).one()

    def info(self) -> FileInfo:
        lock_info = read_lock(self.path)
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
            lock=lock_info.as_json() if lock_info else None,
        )

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
                kept = self._save_recovery(recovery or {"operation": "edit"})
                self.store.stop_writing(lost.message)
                raise LockLost(
                    f"{lost.message} Your change was not saved.",
                    f"It is kept in {kept}; reopen the file to make it again.",
                ) from lost
        tracker = Tracker(self.user, log)
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
                                summary=event_summary()
                                if callable(event_summary)
                                else event_summary,
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
            raise explain_integrity_error(error) from error
        except StaleDataError as error:
            raise EditConflict(
                "Someone else changed or deleted this record since you opened it.",
                "Reload it and make your change again.",
            ) from error
        except DBAPIError as error:
            raise explain_write_failure(self.path, error) from error
        changes = tracker.changes(revision)
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

        return self._write(action, recovery=_edit("create", model, None, fields))[1]

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
            record = self._load_for_edit(session, model, record_id, expected_version)
            for name, value in fields.items():
                if name in ("id", "version") or name not in model.__table__.columns:
                    raise AttributeError(f"{model.__name__} has no editable field {name!r}")
                setattr(record, name, value)
            _validate(record)
            return record

        return self._write(action, recovery=_edit("update", model, record_id, fields))[1]

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
            session.delete(self._load_for_edit(session, model, record_id, expected_version))

        return self._write(action, recovery=_edit("delete", model, record_id, {}))[1]

    def save_person(
        self,
        person_id: int | None,
        fields: Mapping[str, Any],
        roles: Iterable[tuple[Role, int | None]],
        *,
        expected_version: int | None = None,
    ) -> Changes:
        """Create (`person_id` None) or change a person and set exactly these roles."""
        roles = list(roles)
        edit = {
            "operation": "save person",
            "record_id": person_id,
            "fields": {k: plain(v) for k, v in fields.items()},
            "roles": [[plain(r), d] for r, d in roles],
        }
        return self._write(
            lambda s: roster_edits.save_person(s, person_id, fields, roles, expected_version),
            recovery=edit,
        )[1]

    def merge_departments(self, source_id: int, into_id: int) -> Changes:
        """Move the people, roles, datasets, metrics, meetings, action items and portfolio
        links of one department to another, then delete the first."""
        names: list[str] = []

        def action(session: Session) -> None:
            names.extend(roster_edits.merge_departments(session, source_id, into_id))

        def summary() -> str:
            return f"Merged department '{names[0]}' into '{names[1]}'"

        return self._write(
            action,
            event_summary=summary,
            recovery={"operation": "merge departments", "from": source_id, "into": into_id},
        )[1]

    def save_portfolio(
        self,
        portfolio_id: int | None,
        name: str,
        analyst_id: int | None,
        department_ids: Iterable[int],
    ) -> Changes:
        departments = list(department_ids)
        return self._write(
            lambda s: roster_edits.save_portfolio(s, portfolio_id, name, analyst_id, departments),
            event_summary=f"Set the departments of the budget portfolio '{name}'",
            recovery={
                "operation": "save portfolio",
                "record_id": portfolio_id,
                "name": name,
                "analyst_id": analyst_id,
                "departments": departments,
            },
        )[1]

    def save_metric(
        self,
        metric_id: int | None,
        fields: Mapping[str, Any],
        sources: Iterable[int],
        *,
        expected_version: int | None = None,
    ) -> Changes:
        """Create (`metric_id` None) or change a metric and set exactly these source datasets."""
        sources = list(sources)
        edit = {
            "operation": "save metric",
            "record_id": metric_id,
            "fields": {k: plain(v) for k, v in fields.items()},
            "sources": sources,
        }
        return self._write(
            lambda s: metric_edits.save_metric(s, metric_id, fields, sources, expected_version),
            recovery=edit,
        )[1]

    def save_meeting(
        self,
        meeting_id: int | None,
        fields: Mapping[str, Any],
        attendee_ids: Sequence[int],
        agenda: Sequence[Mapping[str, Any]],
        *,
        expected_version: int | None = None,
    ) -> Changes:
        """Create (`meeting_id` None) or change a meeting with exactly these attendees and this
        agenda, in order, in one transaction."""
        edit = {
            "operation": "save meeting",
            "record_id": meeting_id,
            "fields": {k: plain(v) for k, v in fields.items()},
            "attendees": list(attendee_ids),
            "agenda": [{k: plain(v) for k, v in row.items()} for row in agenda],
        }
        return self._write(
            lambda s: meeting_edits.save_meeting(
                s, meeting_id, fields, attendee_ids, agenda, expected_version
            ),
            recovery=edit,
        )[1]

    def fiscal_start_effects(self, new_month: int) -> str:
        """What changing the fiscal-year start to `new_month` would do to the values and
        targets already in the file, in a sentence ("" when nothing moves): quarterly and
        annual periods are kept by their first day, so those that no longer start a fiscal
        quarter or year would be labelled as another period."""
        from statdesk.domain.periods import label, period_containing

        check_fiscal_start(new_month)
        old_month = self.fiscal_year_start_month
        if new_month == old_month:
            return ""
        moved: dict[str, int] = {}
        example = ""
        with self._reading() as session:
            for model, name in ((m.MetricValue, "value"), (m.Target, "target")):
                rows = session.execute(
                    select(model.period_start, model.frequency, func.count())
                    .where(model.frequency.in_(["quarterly", "annual"]))
                    .group_by(model.period_start, model.frequency)
                )
                for start, frequency, count in rows:
                    period = Period(start, frequency)
                    if period_containing(start, frequency, new_month).start == start:
                        continue
                    moved[name] = moved.get(name, 0) + count
                    example = example or (
                        f"{label(period, old_month)} would read as "
                        f"{label(period_containing(start, frequency, new_month), new_month)}"
                    )
        if not moved:
            return (
                "No quarterly or yearly value or target moves; monthly values keep their "
                "months, and quarters and years are added up anew from them."
            )
        parts = [counted(n, what) for what, n in moved.items()]
        return (
            f"{' and '.join(parts)} of quarters or fiscal years would no longer start one "
            f"({example}), and Home and the memos would show them as such. Monthly values keep "
            "their months. Re-import those files after the change instead, if they follow the "
            "new fiscal year."
        )

    def set_directions(self, directions: Mapping[int, Direction | None]) -> Changes:
        """Set (or clear) the direction of several metrics in one step: a metric's periods are
        judged only once it has one."""

        def action(session: Session) -> None:
            for metric_id, direction in directions.items():
                metric = session.get(m.Metric, metric_id)
                if metric is None:
                    raise NotFound(f"There is no metric #{metric_id}.", "Refresh the list.")
                metric.direction = direction

        count = len(directions)
        return self._write(
            action,
            event_summary=f"Set the direction of {counted(count, 'metric')}",
            recovery={"operation": "set directions", "metrics": list(directions)},
        )[1]

    def metrics_without_direction(self) -> list[tuple[int, str, str]]:
        """(id, name, department) of the metrics whose direction is not set."""
        with self._reading() as session:
            names = roster_view.department_names(session)
            rows = session.execute(
                select(m.Metric.id, m.Metric.name, m.Metric.department_id)
                .where(m.Metric.direction.is_(None))
                .order_by(m.Metric.name)
            )
            return [(i, n, names.get(d, "") if d else "") for i, n, d in rows]

    def save_goal(self, goal_id: int | None, fields: Mapping[str, Any]) -> Changes:
        """Create (`goal_id` None) or change a goal; only one goal is the bold goal."""
        edit = {
            "operation": "save goal",
            "record_id": goal_id,
            "fields": {k: plain(v) for k, v in fields.items()},
        }
        return self._write(lambda s: metric_edits.save_goal(s, goal_id, fields), recovery=edit)[1]

    def set_periods(self, metric_id: int, edits: Sequence[metric_edits.PeriodEdit]) -> Changes:
        """Set actuals, targets, forecasts and notes of many periods in one transaction (a
        column pasted from Excel, or one cell)."""
        edit = {
            "operation": "set periods",
            "metric_id": metric_id,
            "periods": [
                [e.period.start.isoformat(), e.period.frequency.value, dict(e.changes)]
                for e in edits
            ],
        }
        return self._write(lambda s: metric_edits.set_periods(s, metric_id, edits), recovery=edit)[
            1
        ]

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

        edit = _edit("set", model, None, {"metric_id": metric_id, "period": period, **fields})
        return self._write(action, recovery=edit)[1]

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


def _model(kind: type[R] | str) -> type[R] | type[m.Record]:
    return m.by_kind(kind) if isinstance(kind, str) else kind


def _validate(record: m.Record) -> None:
    problems = problems_with(record.kind, record.fields())
    if problems:
        raise ValidationFailed(record.kind, problems)


def _edit(
    operation: str, model: type[m.Record], record_id: int | None, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """An edit as it goes into a recovery file, readable by a person and by StatDesk."""
    return {
        "operation": operation,
        "kind": model.kind,
        "record_id": record_id,
        "fields": {k: plain(v) for k, v in fields.items()},
    }
