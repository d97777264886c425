"""Backups are whole, checked copies that appear only when complete."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from statdesk.storage.backup import backup_name, make_backup


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
