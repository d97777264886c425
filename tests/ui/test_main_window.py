"""The first window: it names the city and file, shows what the file holds, and its state."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from statdesk import recent
from statdesk.storage import models as m
from statdesk.ui import app
from statdesk.ui.main_window import MainWindow
from statdesk.workspace import Workspace


def counts_shown(window: MainWindow) -> dict[str, str]:
    table = window.counts
    return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}


def test_the_window_names_the_city_and_file_and_lists_counts(qtbot: QtBot, demo: Workspace) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Harbor Bend — Harbor Bend.statdesk — StatDesk"
    shown = counts_shown(window)
    assert shown["People"] == "25" and shown["Metrics"] == "20"
    assert shown["Metric values"] == f"{demo.counts()['metric_values']:,}"
    assert window.state_label.text() == "Editing"
    assert recent.last_file() == demo.path


def test_counts_follow_changes(qtbot: QtBot, demo: Workspace) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    demo.create(m.Department, name="Libraries")
    assert counts_shown(window)["Departments"] == "10"


def test_a_read_only_file_says_so(qtbot: QtBot, demo_path: Path) -> None:
    workspace = Workspace.open(demo_path, read_only=True)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert window.state_label.text().startswith("Read-only")


def test_city_names_are_shown_as_plain_text(qtbot: QtBot, empty: Workspace) -> None:
    empty.update_city(name="<b>Bold</b> & Co")
    window = MainWindow(empty)
    qtbot.addWidget(window)
    assert window.heading.text() == "<b>Bold</b> & Co"
    assert window.heading.textFormat().name == "PlainText"


def test_startup_opens_the_demo_city_when_there_is_no_last_file(qtbot: QtBot) -> None:
    with app.startup_workspace(None) as workspace:
        assert workspace.city().name == "Harbor Bend"
        assert workspace.path.parent.name == "data"


def test_startup_explains_a_broken_file_and_falls_back_to_the_demo(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    broken = tmp_path / "broken.statdesk"
    broken.write_text("hello")
    with app.startup_workspace(broken) as workspace:
        assert workspace.city().name == "Harbor Bend"
    assert shown == ["broken.statdesk is not a StatDesk file (it is not a database at all)."]
