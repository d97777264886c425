"""Every `.statdesk` file of the hostile corpus (databases.DATABASES) through `statdesk check` and
through the app's way of opening a file: a specific sentence, never a traceback, and the file
left exactly as it was unless StatDesk's repair is the point (a rollback, a conversion, an
upgrade), in which case nothing that was saved is lost."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from statdesk.storage import models as m
from statdesk.storage.lock import lock_path
from statdesk.ui.file_state import FileStateBanner
from statdesk.ui.opening import open_workspace
from statdesk.workspace import Workspace
from tests.faults.databases import DATABASES, FileCase
from tests.faults.runner import run_cli
from tests.ui.message_boxes import answer

IDS = [case.id for case in DATABASES]


def fingerprint(path: Path) -> dict[str, str]:
    """The bytes of the file and of what lies beside it (journal, WAL, lock)."""
    found = {}
    for suffix in ("", "-journal", "-wal", ".lock"):
        part = path.with_name(path.name + suffix)
        if part.is_file():
            found[suffix] = hashlib.sha256(part.read_bytes()).hexdigest()
    return found


def test_the_corpus_has_every_kind_of_case() -> None:
    assert len(IDS) == len(set(IDS)) >= 20
    assert {case.opens for case in DATABASES} == {"refused", "read-only", "editing"}


@pytest.mark.slow
@pytest.mark.parametrize("case", DATABASES, ids=IDS)
def test_the_check_command_explains_each_file(case: FileCase, demo_path: Path) -> None:
    path = case.make(demo_path)
    before = fingerprint(path)
    result = run_cli("check", str(path))
    code, message = case.check
    assert result.returncode == code, result.stdout + result.stderr
    said = result.stdout if code == 0 else result.stderr
    assert re.search(message, said), said
    if code != 0:
        assert said.startswith("statdesk: ") and len(said.strip().splitlines()) >= 2  # a hint
    assert "Traceback" not in result.stderr and "something went wrong" not in result.stderr
    if not case.changes_file:
        assert fingerprint(path) == before


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What the app's message boxes said; an offer to take a file over is declined."""
    texts: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: texts.append(f"{box.text()} {box.informativeText()}") or 0
    )
    answer(monkeypatch, "warning", QMessageBox.StandardButton.Cancel, texts)
    yield texts


@pytest.mark.parametrize("case", DATABASES, ids=IDS)
def test_the_app_explains_each_file(
    case: FileCase, demo_path: Path, shown: list[str], qtbot: object
) -> None:
    path = case.make(demo_path)
    before = fingerprint(path)
    workspace = open_workspace(None, path)
    if case.opens == "refused":
        assert workspace is None
        assert len(shown) == 1 and re.search(case.says, shown[0]), shown
        assert "Something went wrong" not in shown[0]
    else:
        assert workspace is not None, shown
        with workspace:
            assert workspace.read_only == (case.opens == "read-only")
            banner = FileStateBanner()
            banner.show_for(workspace)
            said = f"{workspace.read_only_reason} {workspace.notice}"
            assert re.search(case.says, said), said
            assert banner.message.text() == workspace.read_only_reason
            assert banner.remove_code_button.isVisibleTo(banner) == bool(workspace.foreign_code)
            assert workspace.counts()["people"] >= 1  # what is there can be read
    if not case.changes_file:
        assert fingerprint(path) == before


def test_a_half_save_is_undone_and_what_was_saved_is_kept(demo_path: Path) -> None:
    departments = sorted(
        d.name for d in Workspace.open(demo_path, read_only=True).query(m.Department)
    )
    path = next(c for c in DATABASES if c.id == "hot-journal").make(demo_path)
    with Workspace.open(path, read_only=True) as workspace:
        assert sorted(d.name for d in workspace.query(m.Department)) == departments
    assert not path.with_name(path.name + "-journal").exists()


def test_a_file_copied_with_its_wal_keeps_what_the_wal_held(demo_path: Path) -> None:
    path = next(c for c in DATABASES if c.id == "wal-mode").make(demo_path)
    with Workspace.open(path) as workspace:
        assert workspace.query(m.Department, name="Libraries")
    assert path.read_bytes()[18:20] == b"\x01\x01"  # the rollback journal, not WAL


def test_foreign_code_is_removed_after_a_backup_and_logged(demo_path: Path) -> None:
    path = next(c for c in DATABASES if c.id == "malicious-trigger").make(demo_path)
    values = Workspace.open(path, read_only=True).counts()["metric_values"]
    result = run_cli("check", str(path), "--remove-foreign-code")
    assert result.returncode == 0, result.stderr
    assert "Removed trigger 'wipe' on change_log." in result.stdout
    assert "healthy" in result.stdout
    [backup] = (path.parent / "backups").glob("*.before-removing-foreign-code.statdesk")
    with Workspace.open(path) as workspace:
        assert not workspace.read_only and not workspace.foreign_code
        workspace.create(m.Department, name="Libraries")  # the trigger would have run here
        assert workspace.counts()["metric_values"] == values
        summaries = [entry.summary for entry in workspace.history.change_log(5)]
        assert any("Removed code StatDesk did not make: trigger 'wipe'" in s for s in summaries)
    assert lock_path(path).exists() is False
    assert "wipe" in backup.read_bytes().decode("latin-1")  # the backup keeps the file as it was


def test_the_readme_table_lists_every_case() -> None:
    table = Path(__file__).with_name("README.md").read_text(encoding="utf-8")
    assert [case for case in IDS if f"| `{case}` |" not in table] == []


def test_info_says_an_unreadable_lock_file_counts_as_in_use(demo_path: Path) -> None:
    path = next(c for c in DATABASES if c.id == "lock-file-garbage-json").make(demo_path)
    result = run_cli("info", str(path))
    assert result.returncode == 0, result.stderr
    assert "Write lock:      its lock file cannot be read" in result.stdout
