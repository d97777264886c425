"""Work on a .statdesk file that is not open: make a new one, put a backup in its place, take
out code someone else put in it. Each leaves the file ready to open (FileStore.open), and the
ones that need it hand back the writer lock they took, for the workspace to open it with."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from statdesk import __version__
from statdesk.domain.errors import DamagedFile, FileProblem, NewerSchema, NotAStatDeskFile
from statdesk.storage import crashpoints
from statdesk.storage.atomic import replacing
from statdesk.storage.backup import backup_folder, copy_database, free_backup_name, make_backup
from statdesk.storage.connection import open_engine
from statdesk.storage.file_store import fallback_folder
from statdesk.storage.health import RESTORE_HINT, check_file, explain_write_failure, newer_message
from statdesk.storage.lock import LockHeld, WriterLock
from statdesk.storage.schema import drop_foreign_code as drop_objects
from statdesk.storage.schema import foreign_code, integrity_problems, migrate, read_header


def create(path: Path, fill: Callable[[Session], None]) -> None:
    """Make a new file at the current schema, `fill` writing its first rows in the same
    transaction. It is built under a temporary name in the same folder and renamed into
    place, so a half-made file never appears."""
    try:
        with replacing(path) as temp:
            engine = open_engine(temp, read_only=False)
            try:
                migrate(engine)
                with Session(engine) as session, session.begin():
                    fill(session)
            finally:
                engine.dispose()
    except OSError as error:
        raise FileProblem(
            f"StatDesk cannot create {path}: {error.strerror}.",
            "Choose a folder you can write to.",
        ) from error
    except DBAPIError as error:  # a full disk, mostly: nothing is left behind
        raise explain_write_failure(path, error) from error


def put_back(path: Path, backup: Path, user: str) -> tuple[Path | None, WriterLock]:
    """Put `backup` in place of `path`, under the writer lock, after backing up the current
    file (a damaged one is kept as a plain copy). Returns that safety copy's path (None when
    there was no file to keep) and the lock, for the workspace to open the file with. Refused
    when `path` is there but is not a StatDesk file: restoring over a spreadsheet or a
    device would destroy it."""
    check_file(backup)
    if path.exists():
        try:
            read_header(path)
        except NotAStatDeskFile as error:
            raise NotAStatDeskFile(
                f"{error.message.rstrip('.')}; StatDesk does not restore over it, for that "
                "would destroy it.",
                "Give the path of the StatDesk file to restore, or a path where no file is yet.",
            ) from None
        except DamagedFile:
            pass  # a damaged StatDesk file is what a restore is for
    lock = WriterLock.acquire(path, user=user, app_version=__version__) if path.exists() else None
    try:
        safety = _safety_copy(path) if path.exists() else None
        # The old file's journal, if a crash left one, must not be replayed onto the backup.
        journal = path.with_name(path.name + "-journal")
        journal.unlink(missing_ok=True)
        copy_database(backup, path)
        crashpoints.reached("restore-replaced")
        if lock is None:
            lock = WriterLock.acquire(path, user=user, app_version=__version__)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return safety, lock


def drop_foreign_code(path: Path, user: str) -> tuple[list[str], WriterLock]:
    """Drop the triggers and views StatDesk did not make, under the writer lock and after a
    backup, in one transaction. Returns what was dropped, in words, and the lock, for the
    façade to open the file with (an older one is then upgraded as usual)."""
    if read_header(path).is_newer:  # its triggers may be a newer StatDesk's own
        raise NewerSchema(newer_message(path, opened=False), "")
    try:
        lock = WriterLock.acquire(path, user=user, app_version=__version__)
    except LockHeld as held:
        raise FileProblem(
            f"{held.info.describe()}.", "The code can be removed once they close the file."
        ) from None
    try:
        engine = open_engine(path, read_only=False)
        try:
            with engine.begin() as conn:
                problems = integrity_problems(conn, thorough=False)
                found = [] if problems else foreign_code(conn)
                if found:
                    make_backup(path, "before removing foreign code", fallback_folder())
                    drop_objects(conn, found)
        finally:
            engine.dispose()
        if problems:
            raise DamagedFile(f"{path.name} is damaged ({problems[0]}).", RESTORE_HINT)
    except BaseException:
        lock.release()
        raise
    return [str(o) for o in found], lock


def _safety_copy(path: Path) -> Path:
    try:
        return make_backup(path, "before restore", fallback_folder())
    except (FileProblem, sqlite3.Error):
        target = free_backup_name(
            backup_folder(path, fallback_folder()), path, "damaged before restore"
        )
        shutil.copyfile(path, target)
        return target
