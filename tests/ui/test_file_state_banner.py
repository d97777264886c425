"""A read-only window names the holder, follows their saves, and can edit once the file frees."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from statdesk.storage import file_store
from statdesk.storage import models as m
from statdesk.storage.lock import lock_path
from statdesk.ui.main_window import MainWindow
from statdesk.workspace import Workspace
from tests.storage.test_big_files import scribble_values
from tests.ui.message_boxes import answer


def departments_shown(window: MainWindow) -> str:
    return str(window.go_to("Team").departments.model.total)  # type: ignore[attr-defined]


def test_a_reader_follows_the_writer_and_edits_when_it_frees(
    qtbot: QtBot, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = Workspace.open(demo_path, user="colleague")
    reader = Workspace.open(demo_path, user="me")
    window = MainWindow(reader)
    qtbot.addWidget(window)
    banner = window.banner
    assert not banner.isHidden()
    assert banner.message.text().startswith("In use by colleague on ")
    assert window.state_label.text().startswith("Read-only — In use by colleague")
    assert not banner.notify.isHidden() and banner.take_over_button.isHidden()

    writer.create(m.Department, name="Libraries")
    banner.poll()
    assert departments_shown(window) == "10"

    asked = answer(monkeypatch, "question", QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(banner.notify, Qt.MouseButton.LeftButton)
    banner.poll()
    assert asked == []  # still held
    writer.close()
    banner.poll()
    assert asked == ["Harbor Bend.statdesk is no longer in use. Open it for editing?"]
    assert window.state_label.text() == "Editing" and banner.isHidden()
    reader.create(m.Department, name="Museums")
    assert departments_shown(window) == "11"


def test_a_stale_lock_can_be_taken_over_after_confirming(
    qtbot: QtBot, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock_path(demo_path).write_text(
        json.dumps(
            {
                "user": "gone",
                "display_name": "Gone Analyst",
                "host": socket.gethostname(),
                "pid": 4_000_000,
                "session_id": "s1",
                "app_version": "0.1.0",
                "acquired": "2026-01-05T08:00:00+00:00",
                "heartbeat": "2026-01-05T08:00:00+00:00",
            }
        )
    )
    window = MainWindow(Workspace.open(demo_path, user="me"))
    qtbot.addWidget(window)
    banner = window.banner
    assert not banner.take_over_button.isHidden()
    warned = answer(monkeypatch, "warning", QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(banner.take_over_button, Qt.MouseButton.LeftButton)
    assert warned and warned[0].startswith("In use by Gone Analyst")
    assert "backs it up first" in warned[0]
    assert window.state_label.text() == "Editing"
    summary = window.workspace.history.change_log(1)[0].summary
    assert summary.startswith("Took over the write lock from Gone Analyst")


def test_cancelling_the_takeover_changes_nothing(
    qtbot: QtBot, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock_path(demo_path).write_text(
        json.dumps(
            {
                "user": "gone",
                "display_name": "Gone",
                "host": socket.gethostname(),
                "pid": 4_000_000,
                "session_id": "s1",
                "app_version": "0.1.0",
                "acquired": "2026-01-05T08:00:00+00:00",
                "heartbeat": "2026-01-05T08:00:00+00:00",
            }
        )
    )
    before = lock_path(demo_path).read_text()
    window = MainWindow(Workspace.open(demo_path, user="me"))
    qtbot.addWidget(window)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(window.banner.take_over_button, Qt.MouseButton.LeftButton)
    assert window.workspace.read_only
    assert lock_path(demo_path).read_text() == before


def test_code_someone_put_in_the_file_is_removed_from_the_banner(
    qtbot: QtBot, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    conn = sqlite3.connect(demo_path)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON change_log BEGIN DELETE FROM person; END")
    conn.commit()
    conn.close()
    window = MainWindow(Workspace.open(demo_path))
    qtbot.addWidget(window)
    banner = window.banner
    assert "trigger 'wipe' on change_log" in banner.message.text()
    assert banner.remove_code_button.isVisibleTo(window)
    assert window.restore_action.isEnabled()  # the other way back
    warned = answer(monkeypatch, "warning", QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(banner.remove_code_button, Qt.MouseButton.LeftButton)
    assert "• trigger 'wipe' on change_log" in warned[0]
    assert window.state_label.text() == "Editing" and banner.isHidden()
    assert "Removed trigger 'wipe'" in window.statusBar().currentMessage()
    window.workspace.create(m.Department, name="Libraries")  # would have emptied the roster
    assert window.workspace.counts()["people"] == 25


def test_the_window_checks_a_big_file_after_showing_it(
    demo_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_store, "CHECK_ON_OPEN_LIMIT", 0)  # every file is big
    scribble_values(demo_path)
    window = MainWindow(Workspace.open(demo_path, daily_backup=False))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.banner.isHidden(), timeout=10_000)
    assert "is damaged" in window.banner.message.text()
    assert window.state_label.text().startswith("Read-only")
    assert window.restore_action.isEnabled()
