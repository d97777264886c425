"""Backups are whole, checked copies that appear only when complete."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from statdesk.storage.backup import backup_name, make_backup
from tests.conftest import dump_tables


def test_a_backup_is_a_checked_copy_beside_the_file(demo_path: Path, tmp_path: Path) -> None:
    copy = make_backup(demo_path, "manual", tmp_path / "fallback")
    assert copy.parent == demo_path.parent / "backups"
    assert copy.name.startswith("Harbor Bend.") and copy.name.endswith(".manual.statdesk")
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM metric").fetchone() == (20,)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()
    assert not [p for p in copy.parent.iterdir() if p.name.endswith(".tmp")]


def test_backup_names_sort_by_time_and_say_why() -> None:
    from datetime import UTC, datetime

    name = backup_name(
        Path("x/Harbor Bend.statdesk"), "Before upgrade", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    )
    assert name == "Harbor Bend.20260102-030405.before-upgrade.statdesk"


def test_rotation_keeps_the_last_ten_and_one_a_day_for_two_weeks(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from statdesk.storage.backup import prune

    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    names = []
    for day in range(20):  # three backups a day for twenty days
        for hour in (9, 12, 17):
            moment = start + timedelta(days=day, hours=hour - 9)
            name = backup_name(Path("City.statdesk"), "daily", moment)
            (tmp_path / name).write_bytes(b"x")
            names.append(name)
    removed = prune(tmp_path, "City")
    kept = sorted(p.name for p in tmp_path.iterdir())
    newest_ten = sorted(names)[-10:]
    assert set(newest_ten) <= set(kept)
    days_kept = {n.split(".")[1][:8] for n in kept}
    assert len(days_kept) == 14 and "20260320" in days_kept and "20260306" not in days_kept
    assert len(kept) == 10 + (14 - 4)  # the newest ten cover four days
    assert len(removed) == len(names) - len(kept)


@pytest.mark.parametrize("way", ["one image", "page by page"])
def test_a_backup_holds_every_row_and_is_never_in_wal_mode(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    """A file up to IMAGE_COPY_LIMIT is copied as one image (a few round trips over a share),
    a bigger one page by page; a file that arrived in WAL mode is copied in rollback mode."""
    from statdesk.storage import backup

    if way == "page by page":
        monkeypatch.setattr(backup, "IMAGE_COPY_LIMIT", 0)
    conn = sqlite3.connect(demo_path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("UPDATE department SET name = 'Written into the WAL' WHERE id = 1")
    conn.commit()  # left in the -wal file while this connection stays open
    try:
        copy = make_backup(demo_path, "manual", tmp_path / "fallback")
        assert dump_tables(copy) == dump_tables(demo_path)
    finally:
        conn.close()
    assert copy.read_bytes()[18:20] == b"\x01\x01"  # rollback journal, as StatDesk writes
    check = sqlite3.connect(copy)
    assert check.execute("PRAGMA quick_check").fetchone() == ("ok",)
    assert check.execute("SELECT name FROM department WHERE id = 1").fetchone() == (
        "Written into the WAL",
    )
    check.close()
