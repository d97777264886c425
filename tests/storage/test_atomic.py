"""Files written whole or not at all, and a file another program holds open while it is
replaced (Windows refuses that rename: a colleague's StatDesk reading it over the share, a
backup scanner). Windows' refusal is made here by raising what Windows raises."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from statdesk.domain.errors import FileProblem
from statdesk.storage import atomic
from statdesk.storage import models as m
from statdesk.storage.lock import WriterLock, lock_path, read_lock
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import restore_backup
from tests.conftest import dump_tables


def sharing_violation() -> PermissionError:
    error = PermissionError(13, "The process cannot access the file because it is being used")
    error.winerror = 32  # type: ignore[attr-defined]  # as Windows sets it
    return error


def held_open(monkeypatch: pytest.MonkeyPatch, target: Path, times: float) -> list[Path]:
    """Renames over `target` refused `times` times (as while another program holds it open);
    returns the temporary files that were to be renamed."""
    tried: list[Path] = []
    rename = Path.replace

    def replace(self: Path, other: Path | str) -> Path:
        if Path(other) == target:
            tried.append(self)
            if len(tried) <= times:
                raise sharing_violation()
        return rename(self, other)

    monkeypatch.setattr(Path, "replace", replace)
    monkeypatch.setattr(atomic, "IN_USE_RETRY_SECONDS", 1.0)
    return tried


def backed_up_then_changed(path: Path) -> Path:
    """A backup of `path`, which then changes; returns the backup."""
    with Workspace.open(path, user="ana") as workspace:
        backup = workspace.backup("manual")
        workspace.create(m.Department, name="Added after the backup")
    return backup


def test_a_restore_waits_out_a_short_hold_on_the_file(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = backed_up_then_changed(demo_path)
    tried = held_open(monkeypatch, demo_path, times=2)
    restore_backup(demo_path, backup, user="ana")
    assert len(tried) == 3
    assert dump_tables(demo_path) == dump_tables(backup)


def test_a_file_held_open_for_good_is_a_sentence_and_is_kept(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = backed_up_then_changed(demo_path)
    before = dump_tables(demo_path)
    tried = held_open(monkeypatch, demo_path, times=float("inf"))
    with pytest.raises(FileProblem) as raised:
        restore_backup(demo_path, backup, user="ana")
    assert "held open by another program or computer" in raised.value.message
    assert "nothing was replaced" in raised.value.message
    assert "Close it where it is open" in raised.value.hint
    assert len(tried) > 2  # tried again before giving up
    assert dump_tables(demo_path) == before
    assert not any(path.exists() for path in tried)  # no temporary copy left beside it
    assert not demo_path.with_name(demo_path.name + ".lock").exists()


def test_other_errors_are_not_waited_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "export.csv"
    calls = []

    def replace(self: Path, other: Path | str) -> Path:
        calls.append(other)
        raise PermissionError(13, "Permission denied")  # no winerror: not someone's hold

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(PermissionError), atomic.replacing(target) as temp:
        temp.write_text("a,b\n", encoding="utf-8")
    assert len(calls) == 1
    assert not target.exists()


def test_a_lock_held_for_a_moment_by_another_program_is_still_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An antivirus scanner reading the lock file as its holder closes: the lock must still go,
    or colleagues are turned away for five minutes."""
    database = tmp_path / "City.statdesk"
    lock = WriterLock.acquire(database, user="ana")
    refused = []
    unlink = Path.unlink

    def unlink_while_scanned(self: Path, missing_ok: bool = False) -> None:
        if self == lock_path(database) and len(refused) < 2:
            refused.append(self)
            raise OSError(errno.EBUSY, "Device or resource busy")
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink_while_scanned)
    lock.release()
    assert len(refused) == 2
    assert read_lock(database) is None
    assert WriterLock.acquire(database, user="bo").info.user == "bo"


def test_a_file_written_whole_is_readable_by_colleagues(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        with atomic.replacing(tmp_path / "memo.csv") as temp:
            temp.write_text("a,b\n", encoding="utf-8")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "memo.csv").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["memo.csv"]
