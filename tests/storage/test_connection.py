"""Every connection carries the settings a file on a shared drive needs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

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
