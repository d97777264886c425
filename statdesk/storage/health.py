"""Telling what is wrong with a file, in words a user can act on, and finding a way back.

Each SQLite or OS failure is turned into a `FileProblem` whose message says what happened and
whose hint says what to do; `check_file` is the thorough check behind `statdesk check`.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError, IntegrityError

from statdesk import __version__
from statdesk.domain.errors import (
    DamagedFile,
    FileProblem,
    ForeignCode,
    NewerSchema,
    Problem,
    ValidationFailed,
)
from statdesk.domain.files import real_file
from statdesk.domain.numbers import counted
from statdesk.storage.backup import BACKUP_FOLDER, backups_of
from statdesk.storage.connection import connect_raw, open_engine
from statdesk.storage.lock import read_lock
from statdesk.storage.schema import (
    FOREIGN_CODE_SQL,
    HEAD_REVISION,
    SCHEMA_VERSION,
    SchemaObject,
    foreign_code,
    integrity_problems,
    known_revisions,
    read_header,
    revision_of,
    unknown_revision_message,
)

RESTORE_HINT = "Restore the newest backup from the 'backups' folder beside the file."


log = logging.getLogger(__name__)


def newer_message(path: Path, *, opened: bool = True) -> str:
    """Name the StatDesk that wrote a newer file, read straight from it without the ORM;
    `opened`: it has just been opened (read-only)."""
    written_with = ""
    with contextlib.suppress(sqlite3.Error):
        conn = connect_raw(path, "ro")
        try:
            row = conn.execute("SELECT written_with FROM file_state").fetchone()
            written_with = str(row[0]) if row and row[0] else ""
        finally:
            conn.close()
    return newer_sentence(path.name, written_with, opened=opened)


def newer_sentence(name: str, written_with: str, *, opened: bool = True) -> str:
    """What to say of a city (a file's name, a server's database) a newer StatDesk saved."""
    version = f"version {written_with}" if written_with else "a newer version"
    state = "; it is open read-only" if opened else ""
    return (
        f"{name} was saved by StatDesk {version}, newer than this StatDesk "
        f"({__version__}, schema {SCHEMA_VERSION}){state}. Install StatDesk "
        f"{version.removeprefix('version ')} or later to edit it."
    )


def explain_database_error(path: Path, error: BaseException | None) -> FileProblem:
    text = str(error)
    if "not a database" in text or "file is encrypted" in text:
        return DamagedFile(
            f"{path.name} is not a readable database ({text}).",
            RESTORE_HINT,
        )
    if "i/o error" in text.lower():  # the drive or the network went away, not damage
        return FileProblem(
            f"StatDesk lost touch with {path.name} ({text}): the shared drive or the network "
            "went away. A save under way was not finished, and everything saved before it is "
            "kept.",
            "Check that the drive is connected (or the laptop on the network), then open the "
            "file again: StatDesk undoes the unfinished save when it opens it.",
        )
    if "unable to open" in text:
        return FileProblem(
            f"StatDesk cannot open {path}: {text}.",
            "Check that the shared drive is connected and you may read the file.",
        )
    return DamagedFile(
        f"{path.name} is damaged ({text}).",
        RESTORE_HINT,
    )


def foreign_code_problem(path: Path, objects: list[SchemaObject]) -> ForeignCode:
    """What to say about a file that holds triggers or views StatDesk did not make."""
    listed = ", ".join(str(o) for o in objects[:3])
    more = f" and {len(objects) - 3} more" if len(objects) > 3 else ""
    return ForeignCode(
        f"{path.name} holds database code that StatDesk did not put there ({listed}{more}); "
        "it could change or delete records whenever the file is saved.",
        "If you do not know who added it, restore a backup from before it appeared. Otherwise "
        f"remove it, after a backup, with 'statdesk check \"{path}\" --remove-foreign-code' or "
        "the 'Remove it' button above the pages.",
    )


def explain_write_failure(path: Path, error: DBAPIError) -> FileProblem:
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
    return explain_database_error(path, error.orig)


def explain_integrity_error(error: IntegrityError) -> ValidationFailed:
    """A refused save as the field it is about: SQLite's words, or a server's SQLSTATE."""
    text = str(error.orig)
    code = str(getattr(error.orig, "sqlstate", "") or "")
    unique = _unique_column(error) if code == "23505" else None
    if unique is None and "UNIQUE constraint failed" in text:
        unique = text.split(":", 1)[1].split(",")[0].strip().partition(".")[::2]
    if unique is not None:
        table, column = unique
        kind = table.replace("_", " ")
        return ValidationFailed(
            kind, [Problem(column, f"Another {kind} already has this {column.replace('_', ' ')}.")]
        )
    if code == "23503" or "FOREIGN KEY constraint failed" in text:
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


def _unique_column(error: IntegrityError) -> tuple[str, str] | None:
    """The table and first column of the unique constraint a server says was broken (named by
    the models' convention: uq_TABLE_COLUMN…)."""
    diag = getattr(error.orig, "diag", None)
    table = str(getattr(diag, "table_name", "") or "")
    constraint = str(getattr(diag, "constraint_name", "") or "")
    prefix = f"uq_{table}_"
    if not table or not constraint.startswith(prefix):
        return None
    from statdesk.storage.models import Base

    rest = constraint[len(prefix) :]
    columns = (
        [c.name for c in Base.metadata.tables[table].columns]
        if table in Base.metadata.tables
        else []
    )
    column = next((c for c in sorted(columns, key=len, reverse=True) if rest.startswith(c)), rest)
    return table, column


def has_hot_journal(path: Path) -> bool:
    journal = path.with_name(path.name + "-journal")
    return journal.is_file() and journal.stat().st_size > 0


def roll_back_unfinished_save(path: Path) -> bool:
    """Undo what a StatDesk that died mid-save left in the rollback journal, as SQLite does on
    the next access, but never while a live writer holds the lock (network locks cannot be
    trusted to say so). The dead writer's lock is left for the next editor to take over, so the
    takeover is logged. Returns whether an unfinished save was rolled back."""
    if not has_hot_journal(path):
        return False
    holder = read_lock(path)
    if holder is not None and not holder.is_stale():
        raise FileProblem(
            f"{holder.describe()}, and a save is under way.",
            "Try again in a moment, or once they have closed the file.",
        )
    conn = connect_raw(path, "rw")  # the first read rolls a hot journal back
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()
    # SQLite deletes a journal it rolled back; one it judged not hot (never synced) stays and
    # is harmless: the next write transaction replaces it.
    return not has_hot_journal(path)


def check_file(path: Path | str) -> str:
    """Check a file thoroughly: the header, SQLite's full integrity check, references between
    records, the schema and the city settings. Nothing is changed, except that a save left
    unfinished by a StatDesk that died is rolled back first. Returns a one-line summary when
    healthy; raises the `FileProblem` that describes what is wrong otherwise."""
    path = real_file(path)
    header = read_header(path)
    if header.is_newer:
        raise NewerSchema(
            newer_message(path, opened=False),
            "This StatDesk cannot check it.",
        )
    rolled_back = roll_back_unfinished_save(path)
    engine = open_engine(path, read_only=True)
    try:
        with engine.connect() as conn:
            problems = integrity_problems(conn, thorough=True)
            revision = revision_of(conn) if not problems else None
            foreign = foreign_code(conn) if not problems else []
            cities = conn.exec_driver_sql("SELECT count(*) FROM city").scalar() if revision else 0
    except sqlite3.DatabaseError as error:
        raise explain_database_error(path, error) from error
    except DBAPIError as error:
        raise explain_database_error(path, error.orig) from error
    finally:
        engine.dispose()
    if problems:
        more = f" and {counted(len(problems) - 1, 'more problem')}" if len(problems) > 1 else ""
        raise DamagedFile(
            f"{path.name} is damaged: {problems[0]}{more}.",
            RESTORE_HINT,
        )
    if revision is None:
        raise DamagedFile(
            f"{path.name} is marked as a StatDesk file but has no schema.",
            RESTORE_HINT,
        )
    if revision not in known_revisions():
        raise NewerSchema(
            f"{unknown_revision_message(path, revision)}.",
            "Check it with the StatDesk that saved it; this one opens it read-only.",
        )
    if foreign:
        raise foreign_code_problem(path, foreign)
    if cities != 1:
        raise DamagedFile(
            f"{path.name} should hold one city's settings but holds {cities}.",
            RESTORE_HINT,
        )
    note = "" if revision == HEAD_REVISION else "; it will be upgraded when opened for editing"
    if rolled_back:
        note += "; an unfinished save left by a StatDesk that stopped was rolled back"
    return f"schema revision {revision}, {header.page_count * header.page_size:,} bytes{note}"


def newest_healthy_backup(path: Path, fallback: Path) -> Path | None:
    """The newest backup of `path` that passes SQLite's quick check and holds no foreign code,
    or None."""
    for candidate in backups_of(path, fallback):
        with contextlib.suppress(sqlite3.Error, FileProblem):
            read_header(candidate)
            conn = connect_raw(candidate, "ro")
            try:
                healthy = conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
                code = conn.execute(FOREIGN_CODE_SQL).fetchone()
                if healthy and code is None:
                    return candidate
            finally:
                conn.close()
    return None


def restore_hint(path: Path, fallback: Path) -> str:
    backup = newest_healthy_backup(path, fallback)
    if backup is None:
        return f"No healthy backup was found in the '{BACKUP_FOLDER}' folder beside the file."
    return (
        f"The newest healthy backup is {backup.name}; restore it with File > Restore from "
        f'backup, or \'statdesk restore "{path}" --from "{backup}"\'.'
    )


def damaged_reason(path: Path, problem: str, hint: str) -> str:
    return (
        f"{path.name} is damaged ({problem}); it is open read-only so nothing more is lost. {hint}"
    )


def recover_from_a_crash_here(path: Path, user: str) -> tuple[str, bool]:
    """When a StatDesk on this computer died holding `path` (power cut, killed), undo its
    unfinished save now: it cannot come back to finish it. Returns what to tell the user, and
    whether the lock was the same user's, whose next open takes it over."""
    holder = read_lock(path)
    if holder is None or not holder.is_dead_here():
        return "", False
    journal = has_hot_journal(path)
    try:
        rolled_back = roll_back_unfinished_save(path)
    except (sqlite3.Error, OSError):  # a read-only folder: the usual messages follow
        rolled_back = journal = False
    undone = (
        "; its unfinished save was undone"
        if rolled_back
        else "; its unfinished save never reached the file"
        if journal
        else ""
    )
    log.info("%s was left by a StatDesk that stopped (pid %s)%s", path, holder.pid, undone)
    return (
        f"StatDesk stopped unexpectedly while {holder.holder} had {path.name} open (since "
        f"{holder.since()}){undone}. Everything saved before then is kept.",
        holder.user == user,
    )


def open_failure(path: Path, error: BaseException, read_only: bool, fallback: Path) -> FileProblem:
    """Why SQLite could not read a file, with what the user can do about it."""
    wal = path.with_name(path.name + "-wal")
    if read_only and has_hot_journal(path):
        holder = read_lock(path)
        who = f" ({holder.holder} on {holder.host})" if holder else ""
        return FileProblem(
            f"The last editor's StatDesk{who} stopped in the middle of saving {path.name}, "
            "and the unfinished save must be undone before anyone can read it.",
            "The owner must reopen the file; if they cannot, take the file over.",
        )
    if read_only and wal.exists():
        return FileProblem(
            f"{path.name} was saved in WAL mode, which is not safe on a shared drive.",
            "Open it for editing once; StatDesk converts it.",
        )
    problem = explain_database_error(path, getattr(error, "orig", None) or error)
    if isinstance(problem, DamagedFile):
        problem.hint = restore_hint(path, fallback)
    return problem
