"""What a file on disk is, and bringing it to this StatDesk's schema.

The header of an SQLite file is read before SQLite ever sees it, so a spreadsheet renamed
`.statdesk`, another program's database, a truncated copy, or a file from a newer StatDesk are
each told apart with a sentence the user can act on.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from statdesk.domain.errors import DamagedFile, FileMissing, FileProblem, NotAStatDeskFile
from statdesk.domain.files import refuse_special
from statdesk.domain.numbers import counted
from statdesk.storage import crashpoints

APPLICATION_ID = 0x5374446B  # "StDk"
SCHEMA_VERSION = 5  # PRAGMA user_version written by the newest migration
HEAD_REVISION = "0005"  # Alembic's head; a test checks it against the migrations folder
MIGRATIONS = Path(__file__).with_name("migrations")

_SQLITE_MAGIC = b"SQLite format 3\x00"
# Above this size, opening a file does not run SQLite's quick check, which reads every page
# (over an office network, seconds for a big file); the workspace runs it after the first page
# shows, and before anything is saved.
CHECK_ON_OPEN_LIMIT = 16 * 1024 * 1024


@dataclass(frozen=True)
class FileHeader:
    size: int
    page_size: int
    page_count: int
    user_version: int
    application_id: int

    @property
    def is_newer(self) -> bool:
        return self.user_version > SCHEMA_VERSION

    @property
    def is_older(self) -> bool:
        return self.user_version < SCHEMA_VERSION


def read_header(path: Path) -> FileHeader:
    """Read and judge the 100-byte SQLite header; raise if it is not a usable StatDesk file."""
    path = Path(path)
    refuse_special(path)  # a pipe or a device is refused before it is opened
    if not path.exists():
        raise FileMissing(
            f"There is no file at {path}.", "Check the path, or create a file with 'statdesk new'."
        )
    for suffix, what in (("-journal", "its save journal"), ("-wal", "its write-ahead log")):
        companion = path.with_name(path.name + suffix)
        if companion.exists() and not companion.is_file():
            raise FileProblem(
                f"Something that is not a file ({companion.name}) sits beside {path.name} where "
                f"SQLite keeps {what}, so StatDesk cannot read or save it safely.",
                f"Move or rename {companion.name}, then open the file again.",
            )
    if path.is_dir():
        raise NotAStatDeskFile(
            f"{path} is a folder, not a StatDesk file.", "Choose the .statdesk file inside it."
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except OSError as error:
        raise FileMissing(
            f"StatDesk cannot read {path}: {error.strerror}.",
            "Check that you have permission to open it.",
        ) from error
    size = path.stat().st_size
    if size == 0:
        raise NotAStatDeskFile(
            f"{path.name} is empty, not a StatDesk file.",
            "Open the file a colleague shared, or restore it from a backup.",
        )
    if not head.startswith(_SQLITE_MAGIC) or len(head) < 100:
        raise NotAStatDeskFile(
            f"{path.name} is not a StatDesk file (it is not a database at all).",
            "If it is a spreadsheet, use File > Import instead.",
        )
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    (page_count,) = struct.unpack(">I", head[28:32])
    (user_version,) = struct.unpack(">I", head[60:64])
    (application_id,) = struct.unpack(">I", head[68:72])
    header = FileHeader(size, page_size, page_count, user_version, application_id)
    if application_id != APPLICATION_ID:
        raise NotAStatDeskFile(
            f"{path.name} is a database made by another program, not a StatDesk file.",
            "Open a .statdesk file, or create one with File > New.",
        )
    # The page count is valid when the file was last written by SQLite 3.7.0 or later.
    valid_for, change_counter = struct.unpack(">II", head[92:100])[0], head[24:28]
    if valid_for == struct.unpack(">I", change_counter)[0] and size < page_count * page_size:
        raise DamagedFile(
            f"{path.name} is incomplete: it holds {size:,} bytes of the "
            f"{page_count * page_size:,} it should. It was probably cut off while being copied.",
            "Copy it again from its source, or restore the newest backup.",
        )
    return header


def known_revisions() -> set[str]:
    """The schema revisions this StatDesk has migrations for (each file in
    migrations/versions is named after its revision: `0003_series_and_direction.py`)."""
    return {p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py")}


def unknown_revision_message(path: Path, revision: str) -> str:
    return (
        f"{path.name} is at schema revision {revision}, which this StatDesk does not know: it "
        "comes from another StatDesk (a newer or a trial version)"
    )


def revision_of(conn: Connection) -> str | None:
    """The Alembic revision a file or a server database is at (None where no migration ever
    ran)."""
    if conn.dialect.name == "sqlite":
        found = "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    else:
        found = "SELECT 1 WHERE to_regclass('alembic_version') IS NOT NULL"
    if not conn.execute(text(found)).first():
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def is_newer_revision(revision: str) -> bool:
    """Whether an unknown revision comes after every one this StatDesk knows (revisions are
    numbered: 0004 follows 0003); otherwise it is a trial or a branch of another StatDesk."""
    return revision.isdigit() and all(
        int(revision) > int(known) for known in known_revisions() if known.isdigit()
    )


def migrate(engine: Engine, target: str = "head") -> None:
    """Run the migrations to `target` in one transaction. On a file, foreign keys are off
    while tables are rebuilt (as SQLite's ALTER TABLE documentation requires), then every
    reference is checked; a server keeps checking them itself, and its DDL is transactional.
    """
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn, conn.begin():
            upgrade(conn, target)
        return
    with engine.connect() as conn:
        raw = conn.connection.driver_connection  # outside any transaction, as the pragma needs
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                upgrade(conn, target)
                crashpoints.reached("migration-upgraded")
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise DamagedFile(
                        f"Upgrading the file left {counted(len(broken), 'broken reference')}; "
                        "nothing was changed.",
                        "Send the file to StatDesk support; your backup is untouched.",
                    )
        finally:  # the connection goes back to the engine's pool and is used again
            raw.execute("PRAGMA foreign_keys = ON")


def upgrade(conn: Connection, target: str = "head") -> None:
    """Alembic's upgrade to `target` inside the caller's transaction on `conn`."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, target)


FOREIGN_CODE_SQL = (
    "SELECT type, name, tbl_name FROM sqlite_master "
    "WHERE type IN ('trigger', 'view') ORDER BY type, name"
)


@dataclass(frozen=True)
class SchemaObject:
    kind: str  # "trigger" or "view" (a server's: also "function", "rule", "policy")
    name: str
    table: str

    def __str__(self) -> str:
        if self.kind in ("trigger", "rule", "policy"):
            return f"{self.kind} '{self.name}' on {self.table}"
        return f"{self.kind} '{self.name}'"


def foreign_code(conn: Connection) -> list[SchemaObject]:
    """The triggers and views in a file. StatDesk's schema has none, so each was added by
    another program or by hand; a trigger runs inside StatDesk's own saves and could change or
    delete any record (`trusted_schema = OFF` only keeps it from calling unsafe functions)."""
    rows = conn.exec_driver_sql(FOREIGN_CODE_SQL).fetchall()
    return [SchemaObject(str(kind), str(name), str(table)) for kind, name, table in rows]


def drop_foreign_code(conn: Connection, objects: list[SchemaObject]) -> None:
    """Drop the given triggers and views (in the caller's transaction)."""
    for obj in objects:
        quoted = '"' + obj.name.replace('"', '""') + '"'
        conn.exec_driver_sql(f"DROP {obj.kind.upper()} IF EXISTS {quoted}")


def integrity_problems(conn: Connection, *, thorough: bool) -> list[str]:
    """SQLite's own consistency check, then broken references; empty when healthy."""
    pragma = "integrity_check" if thorough else "quick_check"
    rows = [str(r[0]) for r in conn.exec_driver_sql(f"PRAGMA {pragma}").fetchall()]
    problems = [] if rows == ["ok"] else rows
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    problems += [f"row {r[1]} of {r[0]} refers to a missing {r[2]}" for r in broken]
    return problems
