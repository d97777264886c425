"""Faults a file on a shared drive meets, injected for real; each proves nothing is lost.

| fault                                  | what the test proves                                    |
|----------------------------------------|---------------------------------------------------------|
| writer killed (SIGKILL) mid-transaction| the file passes integrity_check and holds none of the   |
|                                        | interrupted writes; the stale lock can be taken over    |
| two processes on one file              | exactly one writes; the other is read-only, names the   |
|                                        | holder, sees each change, and may edit once it frees    |
| stale lock (holder's process is dead)  | taken over only after a backup; logged                  |
| lock stolen mid-session                | the next write is refused and kept in a recovery file   |
| file arriving in WAL mode              | converted to the rollback journal, its data kept        |
| newer schema                           | see test_file_kinds: read-only, names the version       |
| corrupted page                         | opened read-only, the newest healthy backup named       |
| disk full (max_page_count)             | the write is refused with a clear message, file intact  |
| folder without write permission        | read-only with the reason; backups go to the user dir   |

Process deaths use real subprocesses; permission faults are injected at the OS call, since the
tests run as root on CI, where permission bits do not stop a write.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from statdesk.cli import main
from statdesk.domain.errors import DamagedFile, FileProblem
from statdesk.storage import connection
from statdesk.storage import models as m
from statdesk.storage.lock import LockInfo, LockLost, lock_path, read_lock, this_host
from statdesk.workspace import Workspace, check_file
from statdesk.workspace.file_ops import replace_content

HELPER = Path(__file__).with_name("writer_process.py")
REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(HELPER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture
def colleague(demo_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another StatDesk process holding `demo_path` open for writing."""
    process = start("hold", str(demo_path))
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready", process.stderr.read()  # type: ignore[union-attr]
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=30)


def tell(process: subprocess.Popen[str], line: str) -> str:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(line + "\n")
    process.stdin.flush()
    return process.stdout.readline().strip()


def department_names(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    names = {row[0] for row in conn.execute("SELECT name FROM department")}
    conn.close()
    return names


def test_a_writer_killed_mid_transaction_loses_only_its_unfinished_write(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = department_names(demo_path)
    mark = tmp_path / "halfway"
    process = start("big", str(demo_path), str(mark))
    deadline = time.monotonic() + 120
    while not mark.exists():
        assert process.poll() is None, process.stderr.read()  # type: ignore[union-attr]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    journal = demo_path.with_name(demo_path.name + "-journal")
    assert journal.stat().st_size > 0  # the write really was half-way
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    holder = read_lock(demo_path)
    assert holder is not None and holder.user == "crasher" and holder.is_stale()
    # `statdesk check` rolls the unfinished save back (its holder is dead) and passes.
    assert main(["check", str(demo_path)]) == 0
    assert "rolled back" in capsys.readouterr().out
    assert not journal.exists() or journal.stat().st_size == 0
    conn = sqlite3.connect(demo_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    with Workspace.open(demo_path, user="me") as reader:  # the dead writer's lock remains
        assert reader.read_only and reader.lock_is_stale()
        assert {d.name for d in reader.query(m.Department)} == before
    with Workspace.open(demo_path, user="me", take_over=True) as writer:
        assert not writer.read_only
        assert writer.history.change_log(1)[0].summary.startswith(
            "Took over the write lock from crasher"
        )


def _killed_mid_save(demo_path: Path, tmp_path: Path) -> None:
    mark = tmp_path / "halfway"
    process = start("big", str(demo_path), str(mark))
    while not mark.exists():
        assert process.poll() is None, process.stderr.read()  # type: ignore[union-attr]
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def test_a_reader_of_a_file_killed_mid_save_sees_the_last_whole_save(
    demo_path: Path, tmp_path: Path
) -> None:
    """The dead writer was on this computer, so it can never finish: its half-save is undone
    on the next open, which says so; its stale lock is then offered for takeover."""
    before = department_names(demo_path)
    _killed_mid_save(demo_path, tmp_path)
    with Workspace.open(demo_path, user="me") as reader:
        assert reader.read_only and reader.lock_is_stale()
        assert "stopped unexpectedly while crasher" in reader.notice
        assert "its unfinished save was undone" in reader.notice
        assert {d.name for d in reader.query(m.Department)} == before
    with Workspace.open(demo_path, user="me", take_over=True) as writer:
        assert {d.name for d in writer.query(m.Department)} == before
        assert writer.history.change_log(1)[0].summary.startswith(
            "Took over the write lock from crasher"
        )
    assert list((demo_path.parent / "backups").glob("*.before-takeover.statdesk"))


def test_a_half_save_by_another_computer_is_left_for_its_owner_or_a_takeover(
    demo_path: Path, tmp_path: Path
) -> None:
    """A silent writer elsewhere may be a laptop asleep mid-save: its journal is not touched
    until someone decides to take the file over."""
    _killed_mid_save(demo_path, tmp_path)
    path = lock_path(demo_path)
    path.write_text(path.read_text().replace(this_host(), "CLERK-LAPTOP-7"))
    with pytest.raises(
        FileProblem, match=r"crasher on CLERK-LAPTOP-7\) stopped in the middle"
    ) as told:
        Workspace.open(demo_path, user="me")
    assert "take the file over" in told.value.hint
    assert demo_path.with_name(demo_path.name + "-journal").stat().st_size > 0


def test_two_processes_one_writes_the_other_reads_and_follows(
    demo_path: Path, colleague: subprocess.Popen[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with Workspace.open(demo_path, user="me") as mine:
        assert mine.read_only
        assert mine.read_only_reason.startswith(f"In use by colleague on {this_host()} since ")
        assert mine.read_only_reason.endswith("— opened read-only.")
        assert mine.lock_holder is not None and not mine.lock_is_stale()
        assert main(["info", str(demo_path)]) == 0
        assert f"held by colleague on {this_host()}" in capsys.readouterr().out

        assert not mine.has_changed()
        assert tell(colleague, "add Libraries") == "ok"
        assert mine.has_changed()
        assert [d.name for d in mine.query(m.Department, name="Libraries")] == ["Libraries"]
        assert not mine.start_editing()  # still held

        tell(colleague, "quit")
        colleague.wait(timeout=30)
        assert mine.lock_is_free()
        assert mine.start_editing()
        assert not mine.read_only
        mine.create(m.Department, name="Museums")
    assert {"Libraries", "Museums"} <= department_names(demo_path)
    assert read_lock(demo_path) is None  # released on close


def test_a_stale_lock_is_taken_over_after_a_backup_and_logged(
    demo_path: Path, colleague: subprocess.Popen[str]
) -> None:
    colleague.send_signal(signal.SIGKILL)
    colleague.wait(timeout=30)
    with Workspace.open(demo_path, user="me") as mine:
        assert mine.read_only and mine.lock_is_stale()
        assert "you may take it over" in mine.read_only_reason
        mine.take_over()
        assert not mine.read_only
        mine.create(m.Department, name="Libraries")
        log = [e.summary for e in mine.history.change_log(3)]
    assert any(s.startswith("Took over the write lock from colleague") for s in log)
    assert list((demo_path.parent / "backups").glob("*.before-takeover.statdesk"))
    assert "Libraries" in department_names(demo_path)


def test_a_live_lock_cannot_be_taken_over(
    demo_path: Path, colleague: subprocess.Popen[str]
) -> None:
    with Workspace.open(demo_path, user="me", take_over=True) as mine:
        assert mine.read_only
        with pytest.raises(Exception, match="still in use by colleague"):
            mine.take_over()


def test_a_lock_stolen_mid_session_refuses_the_next_write_and_keeps_it(
    demo_path: Path, statdesk_home: Path
) -> None:
    workspace = Workspace.open(demo_path, user="me")
    thief = LockInfo(
        user="other",
        display_name="Other Analyst",
        host="OTHER-PC",
        pid=1,
        session_id="stolen",
        app_version="0.1.0",
        acquired="2026-01-01T09:00:00+00:00",
        heartbeat="2026-01-01T09:00:00+00:00",
    )
    lock_path(demo_path).write_text(json.dumps(thief.as_json()))
    with pytest.raises(LockLost, match="Other Analyst on OTHER-PC took over") as caught:
        workspace.create(m.Department, name="Libraries")
    assert workspace.read_only
    [kept] = (statdesk_home / "data" / "recovery").glob("*.json")
    assert str(kept) in caught.value.hint
    edit = json.loads(kept.read_text())["edit"]
    assert edit == {
        "operation": "create",
        "kind": "department",
        "record_id": None,
        "fields": {"name": "Libraries"},
    }
    workspace.close()
    assert read_lock(demo_path) == thief  # someone else's lock is never removed
    assert "Libraries" not in department_names(demo_path)


def test_a_file_arriving_in_wal_mode_is_converted_with_its_data(
    demo_path: Path, tmp_path: Path
) -> None:
    conn = sqlite3.connect(demo_path)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    conn.execute("INSERT INTO department (name, active, version) VALUES ('Libraries', 1, 1)")
    conn.commit()
    # Copy the file with its un-checkpointed WAL while the other program still has it open.
    arrived = tmp_path / "arrived" / "city.statdesk"
    arrived.parent.mkdir()
    for suffix in ("", "-wal"):
        arrived.with_name(arrived.name + suffix).write_bytes(
            demo_path.with_name(demo_path.name + suffix).read_bytes()
        )
    conn.close()
    with Workspace.open(arrived) as workspace:
        assert workspace.query(m.Department, name="Libraries")
    assert arrived.read_bytes()[18:20] == b"\x01\x01"  # rollback journal again, not WAL
    assert not arrived.with_name(arrived.name + "-wal").exists()
    assert "schema revision" in check_file(arrived)


def _scribble(path: Path, page: int) -> bytes:
    data = bytearray(path.read_bytes())
    data[4096 * (page - 1) : 4096 * page] = b"\x5a" * 4096
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_corrupted_file_opens_read_only_and_names_the_newest_healthy_backup(
    demo_path: Path,
) -> None:
    Workspace.open(demo_path).close()  # makes today's backup
    conn = sqlite3.connect(demo_path)
    [page] = conn.execute(
        "SELECT max(pageno) FROM dbstat WHERE name = 'metric_value' AND pagetype = 'leaf'"
    ).fetchone()
    conn.close()
    damaged = _scribble(demo_path, page)
    with Workspace.open(demo_path) as workspace:
        assert workspace.read_only and workspace.damaged
        assert "is damaged" in workspace.read_only_reason
        assert ".daily.statdesk" in workspace.read_only_reason
        assert "statdesk restore" in workspace.read_only_reason
        assert workspace.counts()["people"] == 25  # what is left can still be read
    assert read_lock(demo_path) is None
    assert demo_path.read_bytes() == damaged  # never written to


def test_a_file_damaged_past_reading_names_the_newest_healthy_backup(demo_path: Path) -> None:
    Workspace.open(demo_path).close()
    data = bytearray(demo_path.read_bytes())
    data[100:4096] = b"\x5a" * 3996  # the schema's page, past the file header
    damaged = bytes(data)
    demo_path.write_bytes(damaged)
    with pytest.raises(DamagedFile, match="is damaged") as caught:
        Workspace.open(demo_path)
    assert ".daily.statdesk" in caught.value.hint
    assert demo_path.read_bytes() == damaged
    assert read_lock(demo_path) is None


def test_a_full_disk_refuses_the_write_and_keeps_the_file(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = department_names(demo_path)
    pages = sqlite3.connect(demo_path).execute("PRAGMA page_count").fetchone()[0]
    monkeypatch.setattr(
        connection,
        "_COMMON_PRAGMAS",
        (*connection._COMMON_PRAGMAS, f"PRAGMA max_page_count = {pages + 2}"),
    )
    with Workspace.open(demo_path, daily_backup=False) as workspace:

        def many(session: object) -> None:
            for number in range(3000):
                session.add(m.Department(name=f"Department {number:05d} " + "x" * 80))  # type: ignore[attr-defined]

        with pytest.raises(FileProblem, match="no room left") as caught:
            replace_content(workspace, many, "too big")
        assert "nothing was saved" in caught.value.message
    monkeypatch.undo()
    assert department_names(demo_path) == before
    assert "schema revision" in check_file(demo_path)


@pytest.mark.parametrize("refused", ["the lock file", "the claim on it"])
def test_a_folder_without_write_permission_opens_read_only_with_the_reason(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, statdesk_home: Path, refused: str
) -> None:
    real_open, real_mkdir = os.open, Path.mkdir

    def refuse_lock(path: object, flags: int, *args: int) -> int:
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    def refuse_claim(path: Path, *args: object, **kwargs: object) -> None:
        if path.name.endswith(".lock-claim"):
            raise PermissionError(13, "Permission denied")
        real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    if refused == "the lock file":
        monkeypatch.setattr(os, "open", refuse_lock)
    else:
        monkeypatch.setattr(Path, "mkdir", refuse_claim)
    with Workspace.open(demo_path) as workspace:
        assert workspace.read_only
        assert workspace.read_only_reason.startswith(f"You cannot write in {demo_path.parent}")
        assert workspace.counts()["people"] == 25
    assert sorted(p.name for p in demo_path.parent.iterdir() if "lock" in p.name) == []


def test_backups_fall_back_to_the_user_folder_when_the_share_is_read_only(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, statdesk_home: Path
) -> None:
    import tempfile

    from statdesk.storage import backup

    real = tempfile.mkstemp

    def refuse(*args: object, dir: object = None, **kwargs: object) -> object:
        if dir is not None and Path(str(dir)).parent == demo_path.parent:
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=dir, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(backup.tempfile, "mkstemp", refuse)
    with Workspace.open(demo_path, read_only=True) as workspace:
        copy = workspace.backup()
    assert copy.parent == statdesk_home / "data" / "backups" / demo_path.stem
    assert sqlite3.connect(copy).execute("PRAGMA quick_check").fetchone() == ("ok",)
