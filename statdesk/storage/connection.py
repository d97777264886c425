"""Connections to a .statdesk file, with the settings a file on a shared drive needs.

SQLite's documentation warns that WAL needs shared memory, which network filesystems do not
give, and that network locking is fragile; so every connection uses the rollback journal
(`journal_mode=DELETE`), full syncs, enforced foreign keys, a busy timeout, and write
transactions that begin IMMEDIATE so two writers fail at BEGIN rather than at COMMIT.

Over a network every open of the file, every page SQLite reads and every lock costs a round
trip (30 ms on a laptop on Wi-Fi), so an engine keeps its connection, and with it SQLite's page
cache, between the units of work of one burst (opening the file and showing a page, a save),
and lets it go after a second of quiet, so nothing holds the file open while the analyst reads.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import QueuePool

BUSY_TIMEOUT_MS = 8000
# A connection unused this long is closed (and the file with it).
IDLE_SECONDS = 1.0

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

    Its connection is kept while work follows work and closed after `IDLE_SECONDS` of quiet
    (outside a transaction SQLite holds no lock, so a kept connection blocks no one). A reader's
    connection is also dropped when the file at `path` is no longer the one it opened (a
    restore renames a new file into place): it would go on reading the old one. A writer holds
    the writer lock, and nobody replaces the file under it.
    """
    mode = "ro" if read_only else "rw"
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: connect_raw(path, mode),
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=-1,  # a worker thread reading beside the window gets a connection of its own
        pool_reset_on_return="rollback",
    )
    begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    _IdleRelease(engine)
    if read_only:
        _follow_replacements(engine, path)
    return engine


class _IdleRelease:
    """Closes an engine's kept connection once none has been in use for `IDLE_SECONDS`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.timer: threading.Timer | None = None
        self.guard = threading.Lock()
        event.listen(engine, "checkout", self.checked_out)
        event.listen(engine, "checkin", self.checked_in)

    def checked_out(self, *_args: Any) -> None:
        with self.guard:
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None

    def checked_in(self, *_args: Any) -> None:
        with self.guard:
            if self.timer is None:
                self.timer = threading.Timer(IDLE_SECONDS, self.release)
                self.timer.daemon = True
                self.timer.start()

    def release(self) -> None:
        with self.guard:
            self.timer = None
            pool = self.engine.pool
            if pool.checkedout() == 0:  # type: ignore[attr-defined]  # QueuePool's
                pool.dispose()  # closes the idle connection; the next use opens one


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_ino, found.st_dev, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def _follow_replacements(engine: Engine, path: Path) -> None:
    """Drop a kept connection when the file at `path` changed since it was opened: replaced
    (a restore), or written by the writer, whose saves its next read would see anyway. An
    unchanged file keeps its connection and SQLite's page cache."""

    @event.listens_for(engine, "connect")
    def _opened(_dbapi: Any, record: Any) -> None:
        record.info["identity"] = _identity(path)
        record.info["new"] = True

    @event.listens_for(engine, "checkout")
    def _checked_out(_dbapi: Any, record: Any, _proxy: Any) -> None:
        now = _identity(path)
        if record.info.get("identity") == now:
            record.info.pop("new", None)
        elif record.info.pop("new", False):  # opened just now: what it opened is the file
            record.info["identity"] = now
        else:
            raise DisconnectionError("the file changed since this connection opened it")


@contextlib.contextmanager
def whole_file_cached(conn: Connection, size: int) -> Iterator[None]:
    """Within the block, the whole file (`size` bytes) is in this connection's page cache, read
    once in page order, for a check that reads every page. Over a network that is a few long
    reads the client reads ahead for, instead of a round trip for each page in the order the
    check asks for them (and the client keeps what it read for the first page shown after).
    The cache goes back to its usual size after the block, so big saves still spill to the
    journal."""
    raw = conn.connection.driver_connection
    if raw is None or not hasattr(raw, "serialize"):  # SQLite 3.23 and Python 3.11
        yield
        return
    usual = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = -{size // 1024 + 64}")  # in KiB, with room to spare
    try:
        raw.serialize()
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {int(usual)}")
