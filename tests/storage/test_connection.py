"""Every connection carries the settings a file on a shared drive needs."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from statdesk.storage import connection
from statdesk.storage.connection import BUSY_TIMEOUT_MS, connect_raw, open_engine, sqlite_uri
from statdesk.storage.models import Department


def test_pragmas_on_every_connection(demo_path: Path) -> None:
    conn = connect_raw(demo_path, "rw")
    values = {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in (
            "journal_mode",
            "synchronous",
            "foreign_keys",
            "busy_timeout",
            "trusted_schema",
            "cell_size_check",
            "mmap_size",
        )
    }
    conn.close()
    assert values == {
        "journal_mode": "delete",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": BUSY_TIMEOUT_MS,
        "trusted_schema": 0,
        "cell_size_check": 1,
        "mmap_size": 0,
    }


def test_writes_take_the_write_lock_at_begin(demo_path: Path) -> None:
    """BEGIN IMMEDIATE: a second writer is refused at once, not at commit after its work."""
    engine = open_engine(demo_path, read_only=False)
    with Session(engine) as session, session.begin():
        session.add(Department(name="Libraries"))
        session.flush()
        other = sqlite3.connect(demo_path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    engine.dispose()


def test_read_only_engines_cannot_write(demo_path: Path) -> None:
    engine = open_engine(demo_path, read_only=True)
    with pytest.raises(Exception, match="readonly"), Session(engine) as session, session.begin():
        session.add(Department(name="Libraries"))
    engine.dispose()


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        (Path("/srv/stat/x.statdesk"), "file:///srv/stat/x.statdesk?mode=ro"),
        (Path("/srv/My Stat/x#1.statdesk"), "file:///srv/My%20Stat/x%231.statdesk?mode=ro"),
    ],
)
def test_uris_quote_what_needs_quoting(path: Path, uri: str) -> None:
    assert sqlite_uri(path, "ro") == uri


def _open_handles(path: Path) -> int:
    """How many of this process's file descriptors are on `path`."""
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if _points_to(fd, path))


def _points_to(fd: Path, path: Path) -> bool:
    try:
        return fd.resolve() == path.resolve()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_a_burst_of_work_opens_the_file_once_and_quiet_closes_it(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over a network each open costs round trips and empties the client's cache: the units of
    work of one burst share a connection, and a second of quiet lets the file go."""
    monkeypatch.setattr(connection, "IDLE_SECONDS", 0.2)
    opened: list[object] = []
    engine = open_engine(demo_path, read_only=False)
    event.listen(engine, "connect", lambda *_a: opened.append(1))
    for _ in range(5):
        with Session(engine) as session, session.begin():
            session.scalars(select(Department)).all()
    assert len(opened) == 1
    assert _open_handles(demo_path) == 1
    deadline = time.monotonic() + 5
    while _open_handles(demo_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _open_handles(demo_path) == 0  # nothing holds the file while the analyst reads
    with Session(engine) as session:
        assert session.scalars(select(Department)).first() is not None
    assert len(opened) == 2
    engine.dispose()


def test_a_reader_sees_the_file_a_restore_put_in_place(demo_path: Path, tmp_path: Path) -> None:
    """A kept connection would go on reading the old file after a restore renamed another
    into place; a reader notices the file changed and reads the new one."""
    reader = open_engine(demo_path, read_only=True)
    with Session(reader) as session:
        before = len(session.scalars(select(Department)).all())
    other = tmp_path / "other.statdesk"
    shutil.copyfile(demo_path, other)
    with sqlite3.connect(other) as conn:
        conn.execute("INSERT INTO department (name, active, version) VALUES ('Libraries', 1, 1)")
    conn.close()
    other.replace(demo_path)
    with Session(reader) as session:
        assert len(session.scalars(select(Department)).all()) == before + 1
    if Path("/proc/self/fd").is_dir():  # and the new file's connection is let go when idle
        deadline = time.monotonic() + 5
        while _open_handles(demo_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _open_handles(demo_path) == 0
    reader.dispose()
