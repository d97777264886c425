"""A big file opens without reading every page (SQLite's quick check does, and over an office
network that takes seconds); the check runs after the first page shows, and always before the
first save, so a damaged big file is still never written to."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from statdesk.domain.errors import ReadOnly
from statdesk.storage import file_store
from statdesk.storage import models as m
from statdesk.storage.lock import read_lock
from statdesk.workspace import Workspace


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as big."""
    monkeypatch.setattr(file_store, "CHECK_ON_OPEN_LIMIT", 0)


def scribble_values(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    [page] = conn.execute(
        "SELECT max(pageno) FROM dbstat WHERE name = 'metric_value' AND pagetype = 'leaf'"
    ).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    data[4096 * (page - 1) : 4096 * page] = b"\x5a" * 4096
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_small_file_is_checked_as_it_opens(demo_path: Path) -> None:
    with Workspace.open(demo_path) as workspace:
        assert not workspace.check_pending


def test_a_big_healthy_file_is_checked_later_and_then_saves(big: None, demo_path: Path) -> None:
    with Workspace.open(demo_path, daily_backup=False) as workspace:
        assert workspace.check_pending and not workspace.read_only
        assert workspace.check_now() == []
        assert not workspace.check_pending
        workspace.create(m.Department, name="Libraries")
        assert workspace.query(m.Department, name="Libraries")


def test_a_damaged_big_file_is_caught_before_the_first_save(big: None, demo_path: Path) -> None:
    Workspace.open(demo_path).close()  # today's healthy backup
    damaged = scribble_values(demo_path)
    with Workspace.open(demo_path, daily_backup=False) as workspace:
        assert not workspace.read_only and workspace.check_pending  # opened without reading it all
        assert workspace.counts()["people"] == 25
        with pytest.raises(ReadOnly, match="is damaged") as refused:
            workspace.create(m.Department, name="Libraries")
        assert ".daily.statdesk" in refused.value.message  # the backup to restore
        assert workspace.damaged and workspace.read_only
        assert read_lock(demo_path) is None  # given up at once
    assert demo_path.read_bytes() == damaged
