"""The file on a shared drive: paths that are not files, restores, backups and the lock.

Each case is a fault a careful tester met, run through the command line (a process of its own,
as a user runs it) or the workspace the window uses: a sentence with its exit code, no hang,
and the file's rows, backups and lock as they were, or as the sentence says. The README's
table lists them."""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from statdesk.domain.errors import FileProblem
from statdesk.storage import backup as backup_module
from statdesk.storage import lock as lock_module
from statdesk.storage.backup import backups_of, make_backup, prune
from statdesk.storage.lock import STALE_AFTER, lock_path, read_lock
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import create_file, restore_backup
from tests.faults.runner import run_cli


def metric_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM metric").fetchone()[0])
    finally:
        conn.close()


def test_restore_refuses_a_path_that_is_not_a_statdesk_file(demo_path: Path) -> None:
    kept = make_backup(demo_path, "manual", demo_path.parent / "fallback")
    roster = demo_path.parent / "roster.csv"
    roster.write_text("Name,Role\nAna,Analyst\n", encoding="utf-8")
    done = run_cli("restore", str(roster), "--from", str(kept))
    assert done.returncode == 4, done.stderr
    assert "not a StatDesk file" in done.stderr and "does not restore over it" in done.stderr
    assert roster.read_text(encoding="utf-8") == "Name,Role\nAna,Analyst\n"
    assert not lock_path(roster).exists()


@pytest.mark.parametrize(
    "where", ["the file", "restore PATH", "restore --from", "an import source"]
)
def test_a_pipe_is_refused_before_it_is_opened(demo_path: Path, where: str) -> None:
    pipe = demo_path.parent / "pipe.statdesk"
    os.mkfifo(pipe)
    command = {
        "the file": ("info", str(pipe)),
        "restore PATH": ("restore", str(pipe), "--from", str(demo_path)),
        "restore --from": ("restore", str(demo_path), "--from", str(pipe)),
        "an import source": ("import", str(demo_path), str(pipe), "--kind", "values"),
    }[where]
    started = time.monotonic()
    done = run_cli(*command)
    assert time.monotonic() - started < 10
    assert done.returncode == (10 if where == "an import source" else 4), done.stderr
    assert "is a pipe (FIFO), not a file" in done.stderr
    assert metric_count(demo_path) == 20


def test_two_restores_in_one_second_keep_both_safety_copies(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, statdesk_home: Path
) -> None:
    """The first restore's safety copy holds the only copy of what the file was."""
    old = make_backup(demo_path, "manual", statdesk_home)
    conn = sqlite3.connect(demo_path)
    conn.execute("DELETE FROM metric_value")
    conn.execute("UPDATE metric SET name = name || ' (changed)'")
    conn.commit()
    conn.close()

    class Frozen(datetime):
        @classmethod
        def now(cls, tz: object = None) -> Frozen:  # type: ignore[override]
            return cls(2026, 12, 2, 9, 30, 0, tzinfo=UTC)

    monkeypatch.setattr(backup_module, "datetime", Frozen)
    first = restore_backup(demo_path, old, user="tester")
    second = restore_backup(demo_path, old, user="tester")
    assert first is not None and second is not None and first != second
    assert first.exists() and second.exists()
    conn = sqlite3.connect(first)
    changed = conn.execute("SELECT COUNT(*) FROM metric WHERE name LIKE '%(changed)'").fetchone()
    conn.close()
    assert changed == (20,)  # what the file was before the first restore
    found = backups_of(demo_path, statdesk_home)
    assert found.index(second) < found.index(first)  # the later one is the newer


def test_a_clock_set_back_never_prunes_the_backup_just_made(
    demo_path: Path, statdesk_home: Path
) -> None:
    folder = demo_path.parent / "backups"
    folder.mkdir()
    for day in range(1, 21):  # backups of 20 days after today's (wrong) clock
        (
            folder / f"{demo_path.stem}.2030010{day % 9 + 1}-0{day % 9}0000.daily.statdesk"
        ).write_bytes(demo_path.read_bytes())
    made = make_backup(demo_path, "before restore", statdesk_home)
    assert made.exists()
    assert made in backups_of(demo_path, statdesk_home)


def test_a_name_with_brackets_has_its_backups_found_and_pruned(
    demo_path: Path, statdesk_home: Path
) -> None:
    draft = demo_path.with_name("City [draft].statdesk")
    demo_path.rename(draft)
    folder = draft.parent / "backups"
    folder.mkdir()
    for second in range(14):
        (folder / f"City [draft].20261201-1200{second:02d}.manual.statdesk").write_bytes(b"x")
    assert len(backups_of(draft, statdesk_home)) == 14
    removed = prune(folder, draft.stem)
    assert len(removed) == 4 and len(backups_of(draft, statdesk_home)) == 10


def test_a_link_to_the_file_does_not_get_around_the_lock(demo_path: Path, tmp_path: Path) -> None:
    link = tmp_path / "elsewhere" / "City link.statdesk"
    link.parent.mkdir()
    link.symlink_to(demo_path)
    source = tmp_path / "values.csv"
    source.write_text("Metric,Month,Actual\nNew measure,Jan 2026,5\n", encoding="utf-8")
    with Workspace.open(demo_path, user="window") as workspace:
        assert not workspace.read_only
        done = run_cli("import", str(link), str(source), "--kind", "values", "--direction", "up")
        assert done.returncode == 6, done.stderr
        assert "In use by window" in done.stderr
        assert not lock_path(link).exists()
    assert metric_count(demo_path) == 20
    with Workspace.open(link, user="tester") as through_link:
        assert through_link.path == demo_path  # its lock sits beside the real file
        assert lock_path(demo_path).exists()


def _lock_of_another_computer(path: Path, heartbeat: datetime, written: float) -> None:
    lock = lock_path(path)
    lock.write_text(
        json.dumps(
            {
                "user": "colleague",
                "display_name": "Colleague",
                "host": "CLERK-LAPTOP-7",
                "pid": 4242,
                "session_id": "s1",
                "app_version": "0.1.0",
                "acquired": heartbeat.isoformat(),
                "heartbeat": heartbeat.isoformat(),
            }
        ),
        encoding="utf-8",
    )
    os.utime(lock, (written, written))


def test_a_live_colleague_whose_clock_is_behind_is_not_taken_for_gone(demo_path: Path) -> None:
    behind = datetime.now(UTC) - timedelta(minutes=10)
    _lock_of_another_computer(demo_path, behind, time.time())  # written just now
    assert Workspace.stale_holder(demo_path) is None
    with Workspace.open(demo_path, user="me", take_over=True) as workspace:
        assert workspace.read_only and "In use by Colleague" in workspace.read_only_reason
    assert json.loads(lock_path(demo_path).read_text())["session_id"] == "s1"


def test_a_heartbeat_in_the_future_still_goes_stale(demo_path: Path) -> None:
    ahead = datetime.now(UTC) + timedelta(hours=3)
    quiet = time.time() - STALE_AFTER.total_seconds() - 60  # not written for six minutes
    _lock_of_another_computer(demo_path, ahead, quiet)
    holder = Workspace.stale_holder(demo_path)
    assert holder is not None and holder.host == "CLERK-LAPTOP-7"


@pytest.mark.parametrize(
    ("case", "change"),
    [
        ("heartbeat-without-time-zone", {"heartbeat": "2026-12-02T09:00:00"}),
        ("numeric-timestamps", {"acquired": 1764666000, "heartbeat": 1764666000}),
        ("pid-of-10-to-the-20", {"pid": 10**20}),
        ("pid-as-text", {"pid": "4242"}),
        ("a-list", None),
    ],
)
def test_a_lock_file_statdesk_did_not_write_is_read_as_unreadable(
    demo_path: Path, case: str, change: dict[str, object] | None
) -> None:
    now = datetime.now(UTC).isoformat()
    fields: object = [1, 2, 3]
    if change is not None:
        fields = {
            "user": "x",
            "display_name": "X",
            "host": socket.gethostname(),
            "pid": 4242,
            "session_id": "s",
            "app_version": "0.1.0",
            "acquired": now,
            "heartbeat": now,
            **change,
        }
    lock_path(demo_path).write_text(json.dumps(fields), encoding="utf-8")
    before = lock_path(demo_path).read_bytes()
    holder = read_lock(demo_path)
    assert holder is not None and holder.session_id == "unreadable", case
    assert not holder.is_stale()  # written just now: someone may be writing it
    info = run_cli("info", str(demo_path))
    assert info.returncode == 0, info.stderr
    with Workspace.open(demo_path, user="me") as workspace:
        assert workspace.read_only and "lock file cannot be read" in workspace.read_only_reason
    assert lock_path(demo_path).read_bytes() == before


def test_a_full_disk_leaves_no_empty_lock(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(handle: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(lock_module.os, "write", full)
    with pytest.raises(FileProblem, match=r"could not write its lock file.*No space left"):
        Workspace.open(demo_path, user="me")
    monkeypatch.undo()
    assert not lock_path(demo_path).exists()
    with Workspace.open(demo_path, user="colleague") as workspace:
        assert not workspace.read_only  # nobody is turned away by an empty lock


def test_a_stopped_holder_is_taken_over_from_the_command_line(demo_path: Path) -> None:
    quiet = time.time() - STALE_AFTER.total_seconds() - 60
    _lock_of_another_computer(demo_path, datetime.now(UTC), quiet)
    done = run_cli("check", str(demo_path), "--take-over")
    assert done.returncode == 0, done.stderr
    assert "Took the write lock over from Colleague on CLERK-LAPTOP-7" in done.stdout
    assert "healthy" in done.stdout
    assert list((demo_path.parent / "backups").glob("*.before-takeover.statdesk"))
    with Workspace.open(demo_path, user="me") as workspace:
        assert workspace.history.change_log(1)[0].summary.startswith("Took over the write lock")


def test_a_live_holder_is_not_taken_over_from_the_command_line(demo_path: Path) -> None:
    _lock_of_another_computer(demo_path, datetime.now(UTC), time.time())
    before = lock_path(demo_path).read_bytes()
    done = run_cli("check", str(demo_path), "--take-over")
    assert done.returncode == 6, done.stderr
    assert "In use by Colleague on CLERK-LAPTOP-7" in done.stderr
    assert lock_path(demo_path).read_bytes() == before


def _unknown_revision(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0ffe'")
    conn.commit()
    conn.close()


def test_a_schema_revision_this_statdesk_does_not_know_opens_read_only(
    demo_path: Path, tmp_path: Path
) -> None:
    _unknown_revision(demo_path)
    before = demo_path.read_bytes()
    checked = run_cli("check", str(demo_path))
    assert checked.returncode == 5 and "schema revision 0ffe" in checked.stderr
    source = tmp_path / "values.csv"
    source.write_text("Metric,Month,Actual\nA,Jan 2026,5\n", encoding="utf-8")
    imported = run_cli("import", str(demo_path), str(source), "--kind", "values")
    assert imported.returncode == 6 and "comes from another StatDesk" in imported.stderr
    with Workspace.open(demo_path, user="me") as workspace:
        assert workspace.read_only and "does not know" in workspace.read_only_reason
    assert demo_path.read_bytes() == before  # never migrated, never backed up over
    assert not lock_path(demo_path).exists()


@pytest.mark.parametrize(
    ("case", "args", "code", "said"),
    [
        ("non-utf8-path", ("new", "bad\udcff.statdesk", "--city", "X"), 2, "not UTF-8 text"),
        ("non-utf8-city", ("new", "{dir}/n.statdesk", "--city", "B\udcffd"), 2, "not UTF-8"),
        (
            "300-character-name",
            ("new", "{dir}/" + "a" * 300 + ".statdesk", "--city", "X"),
            3,
            "longer than this computer allows",
        ),
        (
            "symlink-loop-as-source",
            ("import", "{file}", "{dir}/loop1", "--kind", "values"),
            10,
            "leads back to itself",
        ),
        (
            "restore-a-folder",
            ("restore", "{dir}/folder", "--from", "{file}"),
            4,
            "is a folder.*does not restore over it",
        ),
        (
            "export-to-a-folder",
            ("export", "{file}", "roster", "-o", "{dir}/folder"),
            9,
            "written as .csv or .xlsx",
        ),
        (
            "unknown-encoding",
            ("import", "{file}", "{dir}/v.csv", "--kind", "values", "--encoding", "klingon"),
            10,
            "klingon",
        ),
        (
            "html-xls-with-a-sheet",
            ("import", "{file}", "{dir}/h.xls", "--kind", "values", "--sheet", "Nope"),
            10,
            "no table called 'Nope'",
        ),
        ("huge-undo-number", ("imports", "{file}", "--undo", "9" * 25), 2, "there is no import"),
        (
            "date-9999-12-31",
            ("export", "{file}", "scorecard", "-o", "{dir}/s.pdf", "--date", "9999-12-31"),
            2,
            "between 1900 and 2999",
        ),
        (
            "folder-named-like-the-journal",
            ("check", "{file}"),
            3,
            "not a file .*-journal.* where SQLite keeps its save journal",
        ),
    ],
)
def test_each_bad_argument_is_a_sentence(
    demo_path: Path, case: str, args: tuple[str, ...], code: int, said: str
) -> None:
    folder = demo_path.parent
    (folder / "folder").mkdir()
    (folder / "loop1").symlink_to(folder / "loop2")
    (folder / "loop2").symlink_to(folder / "loop1")
    (folder / "v.csv").write_text("Metric,Month,Actual\nA,Jan 2026,5\n", encoding="utf-8")
    (folder / "h.xls").write_text(
        "<html><table><tr><td>Metric</td><td>Month</td><td>Actual</td></tr>"
        "<tr><td>A</td><td>Jan 2026</td><td>1</td></tr></table></html>",
        encoding="utf-8",
    )
    if case == "folder-named-like-the-journal":
        demo_path.with_name(demo_path.name + "-journal").mkdir()
    argv = [a.format(dir=folder, file=demo_path) for a in args]
    done = run_cli(*argv)
    assert done.returncode == code, (case, done.stderr)
    assert re.search(said, done.stderr), (case, done.stderr)
    assert "went wrong inside StatDesk" not in done.stderr
    if case == "folder-named-like-the-journal":
        demo_path.with_name(demo_path.name + "-journal").rmdir()  # SQLite cannot read past it
    assert metric_count(demo_path) == 20


@pytest.mark.parametrize("name", ["roster.csv", "roster.xlsx", "scorecard.pdf", "site.html"])
def test_a_full_disk_during_an_export_is_a_sentence_and_keeps_the_old_file(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    target = demo_path.parent / name
    target.write_bytes(b"last week's")

    def full(self: Path, target: Path) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    with Workspace.open(demo_path, user="me") as workspace:
        monkeypatch.setattr(Path, "replace", full)
        with pytest.raises(FileProblem, match=r"no room left on the drive to write .*kept"):
            workspace.exports.write(name.split(".")[0], target)
        monkeypatch.undo()
    assert target.read_bytes() == b"last week's"
    assert sorted(p.name for p in demo_path.parent.iterdir() if p.name.startswith(".")) == []


def test_a_new_file_on_a_full_disk_is_a_sentence_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    import statdesk.storage.file_upkeep as file_upkeep

    def full(engine: object) -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(file_upkeep, "migrate", full)
    with pytest.raises(FileProblem, match=r"no room left to save City\.statdesk"):
        create_file(tmp_path / "City.statdesk", city_name="City")
    assert list(tmp_path.iterdir()) == []
