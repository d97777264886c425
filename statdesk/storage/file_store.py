"""A .statdesk file as the store under a workspace: opened for editing under the writer lock
(or read-only, with the reason: someone else holds it, it is damaged, newer, or carries code
StatDesk did not make), checked, upgraded and backed up on the way; the lock kept alive by a
heartbeat, taken over from a holder that stopped, given up on close.

The façade (statdesk.workspace) reads and writes through `engine` and asks this store whether
it may write; everything that knows the store is one file on a shared drive lives here, so a
server store can stand beside it (see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from statdesk import __version__, paths
from statdesk.domain.errors import (
    DamagedFile,
    FileProblem,
    ReadOnly,
    StatDeskError,
)
from statdesk.domain.files import real_file
from statdesk.storage import models as m
from statdesk.storage.backup import (
    made_today,
    make_backup,
)
from statdesk.storage.connection import open_engine, whole_file_cached
from statdesk.storage.health import (
    damaged_reason,
    explain_database_error,
    explain_write_failure,
    foreign_code_problem,
    newer_message,
    open_failure,
    recover_from_a_crash_here,
    restore_hint,
)
from statdesk.storage.lock import (
    Heartbeat,
    LockHeld,
    LockInfo,
    WriterLock,
    read_lock,
)
from statdesk.storage.schema import (
    CHECK_ON_OPEN_LIMIT,
    HEAD_REVISION,
    FileHeader,
    SchemaObject,
    foreign_code,
    integrity_problems,
    known_revisions,
    migrate,
    read_header,
    revision_of,
    unknown_revision_message,
)
from statdesk.storage.server_listen import RemoteChange

log = logging.getLogger(__name__)


def fallback_folder() -> Path:
    """Where backups go when the folder of the file cannot be written."""
    return paths.user_data_dir() / "backups"


class FileStore:
    """One open .statdesk file: its engine, whether this StatDesk may write it and why not,
    and the writer lock while it may."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        *,
        read_only: bool,
        reason: str,
        user: str,
        lock: WriterLock | None = None,
        holder: LockInfo | None = None,
        damaged: bool = False,
        foreign: Sequence[SchemaObject] = (),
    ) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self.read_only_reason = reason
        self.user = user
        self.lock = lock
        self.lock_holder = holder  # who holds the file when we opened it read-only for that
        self.damaged = damaged
        self.foreign_code = list(foreign)  # triggers and views StatDesk did not make
        self.notice = ""  # what happened to the file since it was last open, if anything
        self.takeover_event: str | None = None  # for the change log, when opening took it over
        # A big file's quick check is not run on open (over a slow share it reads the whole
        # file): `check_now` runs it, in the background in the app, and before the first save.
        self.check_pending = False
        self._check_lock = threading.Lock()
        self._heartbeat = Heartbeat(lock) if lock else None
        self._on_new_engine: list[Callable[[Engine], None]] = []

    @property
    def location(self) -> Path:
        return self.path

    signed_in_as = ""  # a file has no sign-in: whoever holds the lock edits it

    def explain(self, error: DBAPIError, *, writing: bool) -> StatDeskError:
        if writing:
            return explain_write_failure(self.path, error)
        return explain_database_error(self.path, error.orig)

    def announce(self, session: Session, revision: int, kinds: set[str], summary: str) -> None:
        """A file's readers see its revision change: nothing to send."""

    def watch(self, heard: Callable[[RemoteChange], None]) -> bool:
        return False

    def on_new_engine(self, rebind: Callable[[Engine], None]) -> None:
        """Call `rebind(engine)` when the store opens the file anew (it became the writer)."""
        self._on_new_engine.append(rebind)

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        user: str,
        read_only: bool = False,
        lock: WriterLock | None = None,
        daily_backup: bool = True,
        take_over: bool = False,
    ) -> FileStore:
        """Open a file for editing under the writer lock, or read-only when someone else holds
        it, when it comes from a newer StatDesk, or when it is damaged. An older file is backed
        up, then upgraded. With `take_over`, a stale lock (its holder stopped) is taken over,
        after a backup, and the takeover logged. Raises a `FileProblem` that says what is wrong
        and what to do."""
        path = real_file(path)  # the lock sits beside the real file, not beside a link to it
        header = read_header(path)
        notice, mine = ("", False) if header.is_newer else recover_from_a_crash_here(path, user)
        take_over = take_over or (mine and not read_only)
        reason = "Opened read-only." if read_only else ""
        holder: LockInfo | None = None
        taken_from: LockInfo | None = None
        if header.is_newer:
            read_only, reason = True, newer_message(path)
        elif not read_only and lock is None:
            try:
                lock = WriterLock.acquire(path, user=user, app_version=__version__)
            except LockHeld as held:
                if take_over and held.info.is_stale():
                    lock = WriterLock.take_over(path, held.info, user=user, app_version=__version__)
                    taken_from = held.info
                else:
                    read_only, holder, reason = True, held.info, held.message
                    if held.info.is_stale():
                        reason += (
                            " Its holder seems to have stopped; you may take it over (Take over,"
                            f' above the pages, or: statdesk check "{path}" --take-over).'
                        )
            except OSError as error:
                read_only = True
                reason = (
                    f"You cannot write in {path.parent} ({error.strerror}); "
                    "the file is open read-only."
                )
        try:
            store = cls._open_checked(
                path,
                header,
                read_only,
                reason,
                user,
                lock,
                holder,
                daily_backup,
                taken_from is not None,
            )
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        if taken_from is not None:  # for the façade to write in the change log
            store.takeover_event = notice if mine else takeover_summary(taken_from)
        store.notice = notice
        return store

    @classmethod
    def _open_checked(
        cls,
        path: Path,
        header: FileHeader,
        read_only: bool,
        reason: str,
        user: str,
        lock: WriterLock | None,
        holder: LockInfo | None,
        daily_backup: bool,
        taking_over: bool,
    ) -> FileStore:
        engine = open_engine(path, read_only=read_only)
        try:
            # A writer's first connection also rolls back a crashed writer's journal and turns
            # a file that arrived in WAL mode back to the rollback journal (connect_raw).
            with engine.connect() as conn:
                size = header.page_count * header.page_size
                deferred = size > CHECK_ON_OPEN_LIMIT
                if deferred:
                    problems = []
                else:
                    with whole_file_cached(conn, size):
                        problems = integrity_problems(conn, thorough=False)
                revision = revision_of(conn)
                # A newer StatDesk may make triggers of its own; that file is only read anyway.
                foreign = [] if problems or header.is_newer else foreign_code(conn)
        except (sqlite3.DatabaseError, DBAPIError) as error:
            engine.dispose()
            problem = open_failure(path, error, read_only, fallback_folder())
            if not isinstance(problem, DamagedFile):
                raise problem from error
            problems = [str(getattr(error, "orig", None) or error)]
        if problems:
            # Never write to a damaged file: show what is left, read-only, and offer a backup.
            engine.dispose()
            if lock is not None:
                lock.release()
            hint = restore_hint(path, fallback_folder())
            reason = damaged_reason(path, problems[0], hint)
            store = cls(
                path,
                open_engine(path, read_only=True),
                read_only=True,
                reason=reason,
                user=user,
                damaged=True,
            )
            try:
                with store.engine.connect() as conn:  # what is left must be readable
                    conn.execute(select(m.FileState.revision)).scalar()
                return store
            except (sqlite3.DatabaseError, DBAPIError, StatDeskError):
                store.engine.dispose()
                raise DamagedFile(
                    f"{path.name} is damaged ({problems[0]}) and cannot be read.", hint
                ) from None
        if foreign:
            # Never save through code someone else put in the file: read, and offer removal.
            engine.dispose()
            if lock is not None:
                lock.release()
            problem = foreign_code_problem(path, foreign)
            return cls(
                path,
                open_engine(path, read_only=True),
                read_only=True,
                reason=f"{problem.message} It is open read-only, so nothing runs. {problem.hint}",
                user=user,
                foreign=foreign,
            )
        if revision is not None and revision not in known_revisions():
            # Never migrate or save a schema this StatDesk does not know: show it read-only.
            engine.dispose()
            if lock is not None:
                lock.release()
            return cls(
                path,
                open_engine(path, read_only=True),
                read_only=True,
                reason=f"{unknown_revision_message(path, revision)}; it is open read-only. "
                "Edit it with the StatDesk that saved it.",
                user=user,
            )
        try:
            if revision is None:
                raise DamagedFile(
                    f"{path.name} is marked as a StatDesk file but has no schema.",
                    restore_hint(path, fallback_folder()),
                )
            if header.is_older or (revision != HEAD_REVISION and not header.is_newer):
                if read_only and holder is not None:  # its editor's StatDesk upgrades it
                    raise ReadOnly(
                        f"{holder.describe()}, and {path.name} was made by an older StatDesk: "
                        "it can be read once they have opened it for editing, which upgrades "
                        "it.",
                        "Ask them to open it in StatDesk; if their StatDesk has stopped, take "
                        f'it over once it has been silent for five minutes (statdesk check "'
                        f'{path}" --take-over).',
                    )
                if read_only:
                    raise FileProblem(
                        f"{path.name} was made by an older StatDesk and needs upgrading first.",
                        "Open it for editing once; StatDesk backs it up, then upgrades it.",
                    )
                make_backup(path, "before upgrade", fallback_folder())
                migrate(engine)
            if taking_over:  # after the stopped writer's half-save was rolled back, above
                make_backup(path, "before takeover", fallback_folder())
            moved = _moved(engine, path)
            if moved:  # its city is kept on a server now: this copy is only read
                reason = moved
                if not read_only:
                    engine.dispose()
                    engine = open_engine(path, read_only=True)
                    if lock is not None:
                        lock.release()
                    read_only, lock = True, None
            if daily_backup and not read_only and not made_today(path, fallback_folder(), "daily"):
                make_backup(path, "daily", fallback_folder())
            store = cls(
                path,
                engine,
                read_only=read_only,
                reason=reason,
                user=user,
                lock=lock,
                holder=holder,
            )
            store.check_pending = deferred
            return store
        except BaseException:
            engine.dispose()
            raise

    def backup(self, reason: str = "manual") -> Path:
        """A checked copy of the file in its backups folder; returns the copy's path."""
        return make_backup(self.path, reason, fallback_folder())

    # ----------------------------------------------------------------- the writer lock

    @staticmethod
    def stale_holder(path: Path | str) -> LockInfo | None:
        """The holder of `path`'s lock if their StatDesk has stopped, else None (also when the
        lock cannot be read at all)."""
        try:
            holder = read_lock(Path(path))
        except FileProblem:
            return None
        return holder if holder is not None and holder.is_stale() else None

    def lock_is_free(self) -> bool:
        """For a read-only window waiting for the holder to finish."""
        return read_lock(self.path) is None

    def lock_is_stale(self) -> bool:
        current = read_lock(self.path)
        return current is not None and current.is_stale()

    def start_editing(self) -> bool:
        """Become the writer if the lock is free now (after "notify me when it frees")."""
        if not self.read_only or self.damaged or self.lock_holder is None:
            return False
        try:
            lock = WriterLock.acquire(self.path, user=self.user, app_version=__version__)
        except LockHeld as held:
            self.lock_holder = held.info
            return False
        self._become_writer(lock)
        return True

    def take_over(self) -> str:
        """Take the lock of a holder that stopped (crashed, or went home with the laptop):
        only a stale lock, and only after a backup. Returns what the change log is to say."""
        holder = read_lock(self.path)
        if holder is None or not holder.is_stale():
            raise StatDeskError(
                f"{self.path.name} is still in use"
                + (f" by {holder.holder} on {holder.host}." if holder else "."),
                "Only a lock whose holder has stopped may be taken over; ask them to close it.",
            )
        lock = WriterLock.take_over(self.path, holder, user=self.user, app_version=__version__)
        try:
            engine = open_engine(self.path, read_only=False)
            with engine.connect() as conn:  # rolls back what the stopped writer left half-done
                integrity_problems(conn, thorough=False)
            engine.dispose()
            make_backup(self.path, "before takeover", fallback_folder())
        except BaseException:
            lock.release()
            raise
        self._become_writer(lock)
        return takeover_summary(holder)

    def check_now(self) -> list[str]:
        """Run the quick check deferred when a big file was opened (once: a second caller waits
        for the first). A damaged file stops being written at once: it becomes read-only, with
        the reason and the newest healthy backup. Returns the problems found."""
        with self._check_lock:
            if not self.check_pending:
                return []
            engine = open_engine(self.path, read_only=True)
            try:
                with engine.connect() as conn:
                    problems = integrity_problems(conn, thorough=False)
            except (sqlite3.DatabaseError, DBAPIError) as error:
                problems = [str(getattr(error, "orig", None) or error)]
            finally:
                engine.dispose()
            self.check_pending = False
            if problems:
                log.error("%s failed its quick check: %s", self.path, problems[0])
                hint = restore_hint(self.path, fallback_folder())
                lock = self.lock
                self.stop_writing(damaged_reason(self.path, problems[0], hint))
                if lock is not None:
                    lock.release()  # never written to again by this StatDesk
                self.lock_holder, self.damaged = None, True
            return problems

    def _become_writer(self, lock: WriterLock) -> None:
        self.engine.dispose()
        self.engine = open_engine(self.path, read_only=False)
        for rebind in self._on_new_engine:
            rebind(self.engine)
        self.lock, self.lock_holder = lock, None
        self.read_only, self.read_only_reason = False, ""
        self._heartbeat = Heartbeat(lock)

    def stop_writing(self, reason: str) -> None:
        """The lock is no longer ours: stop writing, keep reading."""
        if self._heartbeat is not None:
            self._heartbeat.stop()
            self._heartbeat = None
        self.lock = None
        self.read_only, self.read_only_reason = True, reason
        self.lock_holder = read_lock(self.path)

    def verify_writer(self) -> None:
        """Raise LockLost when the lock file no longer carries this session (taken over)."""
        if self.lock is not None:
            self.lock.verify()

    def close(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.stop()
            self._heartbeat = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self.engine.dispose()


def _moved(engine: Engine, path: Path) -> str:
    """Why the file is only read because its city moved to a server, or "" when it did not."""
    with engine.connect() as conn:
        row = conn.execute(select(m.FileState.moved_to, m.FileState.moved_at)).first()
    if row is None or not row.moved_to:
        return ""
    when = f" on {row.moved_at:%Y-%m-%d}" if row.moved_at else ""
    return (
        f"The city in {path.name} was moved to {row.moved_to}{when}: it is kept and edited "
        "there now, and this file is a copy of it as it was then, open read-only. Open the "
        "server instead (File ▸ Connect to a server…)."
    )


def takeover_summary(holder: LockInfo) -> str:
    age = holder.heartbeat_age()
    silent = "" if age.days > 3650 else f", silent for {int(age.total_seconds() // 60)} min"
    return (
        f"Took over the write lock from {holder.holder} on {holder.host} "
        f"(held since {holder.since()}{silent})"
    )
