"""Connections to a .statdesk file, with the settings a file on a shared drive needs.

SQLite's documentation warns that WAL needs shared memory, which network filesystems do not
give, and that network locking is fragile; so every connection uses the rollback journal
(`journal_mode=DELETE`), full syncs, enforced foreign keys, a busy timeout, and write
transactions that begin IMMEDIATE so two writers fail at BEGIN rather than at COMMIT.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

BUSY_TIMEOUT_MS = 8000

# Safe on every connection, reading or writing.
_COMMON_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA trusted_schema = OFF",
    "PRAGMA cell_size_check = ON",
    "PRAGMA mmap_size = 0",
    "PRAGMA synchronous = FULL",
)


def sqlite_uri(path: Path, mode: str) -> str:
    """A `file:` URI for `path` that also works for Windows drive letters and UNC shares.

    `mode` is `ro` (read only), `rw` (read and write, never create) or `rwc` (may create).
    """
    posix = Path(path).absolute().as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # C:/share/x.statdesk -> /C:/share/x.statdesk
    # A UNC path (//server/share/...) keeps its two slashes inside the path: file:////server/...
    return f"file://{quote(posix, safe='/:')}?mode={mode}"


def connect_raw(path: Path, mode: str) -> sqlite3.Connection:
    """A plain sqlite3 connection in autocommit mode with StatDesk's pragmas applied."""
    conn = sqlite3.connect(
        sqlite_uri(path, mode),
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    for pragma in _COMMON_PRAGMAS:
        conn.execute(pragma)
    if mode != "ro":
        conn.execute("PRAGMA journal_mode = DELETE").fetchone()
    return conn


def open_engine(path: Path, *, read_only: bool) -> Engine:
    """An engine whose transactions are BEGIN IMMEDIATE when writing, plain BEGIN when reading.

    NullPool: each unit of work opens its own connection and closes it, so no connection (and
    no shared lock) lingers on the shared drive between operations.
    """
    mode = "ro" if read_only else "rw"
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: connect_raw(path, mode),
        poolclass=NullPool,
    )
    begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine
