"""The main window: title, navigation, menus, read-only mode, layout restored, smoke mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from statdesk import recent
from statdesk.storage import models as m
from statdesk.storage.lock import lock_path, read_lock
from statdesk.ui import app
from statdesk.ui.main_window import TITLES, MainWindow
from statdesk.ui.pages.home import HomePage
from statdesk.workspace import Workspace


@pytest.fixture
def window(qtbot: QtBot, demo: Workspace) -> MainWindow:
    win = MainWindow(demo)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


def test_the_window_names_the_city_and_file_and_opens_on_home(
    window: MainWindow, demo: Workspace
) -> None:
    assert window.windowTitle() == "Harbor Bend — Harbor Bend.statdesk — StatDesk"
    assert window.state_label.text() == "Editing"
    assert window.file_label.text() == str(demo.path)
    assert isinstance(window.stack.currentWidget(), HomePage)
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        "Home",
        "Team",
        "Inventory",
        "Metrics",
        "Meetings",
        "Action items",
        "History",
    ]
    assert recent.last_file() == demo.path


def test_ctrl_5_and_6_reach_meetings_and_action_items(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = window.stack.currentWidget()
    assert page.title == "Meetings"
    assert page.meetings.rowCount() == 4  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget().title == "Action items"


def test_keyboard_navigation_and_find(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget().title == "Team"
    window.find()
    team = window.page("Team")
    assert team.search is not None and team.search.hasFocus()


def test_read_only_disables_every_editing_action(qtbot: QtBot, demo_path: Path) -> None:
    window = MainWindow(Workspace.open(demo_path, read_only=True))
    qtbot.addWidget(window)
    assert window.state_label.text().startswith("Read-only")
    assert window.editing_actions and not any(a.isEnabled() for a in window.editing_actions)
    for title in TITLES:  # every page, built now or when first shown
        page = window.page(title)
        assert all(not b.isEnabled() for b in page._edit_buttons), page.title
    team = window.page("Team")
    assert not any(b.isEnabled() for b in team.departments._buttons)  # type: ignore[attr-defined]


def test_the_window_remembers_its_size_and_splitter(qtbot: QtBot, demo_path: Path) -> None:
    first = MainWindow(Workspace.open(demo_path))
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(720, 520)
    first.splitter.setSizes([90, 630])
    chosen = first.splitter.sizes()
    first.close()
    second = MainWindow(Workspace.open(demo_path))
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (720, 520)
    assert second.splitter.sizes() == chosen


def test_home_lines_open_their_records(window: MainWindow) -> None:
    home = window.page("Home")
    assert isinstance(home, HomePage)
    assert home.headline.text().endswith("KPIs on track (67%)")
    stale = home.datasets.tree.topLevelItem(0)
    home.datasets.tree.itemActivated.emit(stale, 0)
    inventory = window.page("Inventory")
    assert window.stack.currentWidget() is inventory and not inventory.stale
    assert inventory.datasets.row(inventory.view.currentIndex()).title == stale.text(0)  # type: ignore[attr-defined]


def test_city_settings_are_undoable(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from statdesk.ui.dialogs import city_settings

    def accept(dialog: city_settings.CitySettingsDialog) -> int:
        dialog.form.fields["name"].set_value("Harbor Bend Township")
        return 1

    monkeypatch.setattr(city_settings.CitySettingsDialog, "exec", accept)
    window.city_settings()
    assert window.windowTitle().startswith("Harbor Bend Township — ")
    assert window.undo_action.text() == "&Undo Change city settings"
    window.undo_stack.undo()
    assert window.workspace.city().name == "Harbor Bend"


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


def test_city_names_are_shown_as_plain_text(qtbot: QtBot, empty: Workspace) -> None:
    empty.update_city(name="<b>Bold</b> & Co")
    window = MainWindow(empty)
    qtbot.addWidget(window)
    assert window.windowTitle().startswith("<b>Bold</b> & Co — ")
    assert window.file_label.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.slow
def test_smoke_mode_opens_paints_and_exits(demo_path: Path, statdesk_home: Path) -> None:
    env = {**os.environ, "STATDESK_HOME": str(statdesk_home), "QT_QPA_PLATFORM": "offscreen"}
    for extra in ([], ["--read-only"]):
        if extra:
            lock = Workspace.open(demo_path)  # someone else holds it: the window is read-only
        result = subprocess.run(
            [sys.executable, "-m", "statdesk", "gui", str(demo_path), "--smoke"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if extra:
            lock.close()
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Harbor Bend — Harbor Bend.statdesk — StatDesk painted" in result.stdout
        assert "KPIs on track" in result.stdout


def test_pages_follow_changes_at_once_or_when_shown(window: MainWindow, demo: Workspace) -> None:
    team = window.go_to("Team")
    demo.create(m.Department, name="Libraries")
    assert team.departments.model.total == 10  # type: ignore[attr-defined]  # on screen: at once
    inventory = window.page("Inventory")
    demo.create(m.Dataset, title="Library loans")
    assert inventory.stale  # off screen: re-read when shown
    window.go_to("Inventory")
    assert not inventory.stale and inventory.datasets.total == 31  # type: ignore[attr-defined]


def test_home_counts_what_the_file_holds_after_showing_its_page(
    window: MainWindow, demo: Workspace, qtbot: QtBot
) -> None:
    """The count line is read off the GUI thread (seconds on a big file over Wi-Fi), then
    follows each save."""
    import sqlite3

    def in_the_file(table: str) -> int:
        conn = sqlite3.connect(demo.path)
        try:
            return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        finally:
            conn.close()

    home = window.go_to("Home")
    assert isinstance(home, HomePage)
    line = home.file_line
    qtbot.waitUntil(lambda: line.text().startswith("This file holds"))
    people, values = in_the_file("person"), in_the_file("metric_value")
    assert f"{in_the_file('department')} departments, {people} people," in line.text()
    assert f"{values:,} metric values," in line.text()
    demo.create(m.Department, name="Libraries")
    departments = in_the_file("department")
    qtbot.waitUntil(lambda: f"holds {departments} departments," in line.text())


@pytest.mark.slow
def test_a_terminated_app_releases_its_lock(demo_path: Path, statdesk_home: Path) -> None:
    """A logoff or "end task" sends SIGTERM: the app closes the file and frees the lock."""
    import signal
    import time

    from statdesk.storage.lock import lock_path

    env = {**os.environ, "STATDESK_HOME": str(statdesk_home), "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "statdesk", "gui", str(demo_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not lock_path(demo_path).exists():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(1.0)  # let the window open fully
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert not lock_path(demo_path).exists()


def test_a_big_file_s_pages_are_read_in_the_background(
    qtbot: QtBot, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from statdesk.ui import main_window

    monkeypatch.setattr(main_window, "WARM_UP_ABOVE", 0)  # every file counts as big
    workspace = Workspace.open(demo_path)
    read: list[str] = []
    real = workspace.warm_up
    monkeypatch.setattr(workspace, "warm_up", lambda: (real(), read.append("done")))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    for thread in threading.enumerate():
        if thread.name == "statdesk-warm-up":
            thread.join(timeout=30)
    assert read == ["done"]
    datasets = workspace.inventory.rows()
    assert window.go_to("Inventory").datasets.all_rows == datasets  # type: ignore[attr-defined]


def test_opening_the_file_already_open_keeps_it_as_it_is(window: MainWindow) -> None:
    """From File ▸ Open recent, Open or a second start: the window must not find its own lock
    and go read-only, nor let the lock go."""
    workspace = window.workspace
    before = read_lock(workspace.path)
    assert window.open_path(workspace.path)
    link = workspace.path.with_name("link.statdesk")
    link.symlink_to(workspace.path)
    assert window.open_path(link)
    assert window.workspace is workspace and not workspace.read_only
    assert lock_path(workspace.path).exists() and read_lock(workspace.path) == before
    assert "already open in this window" in window.statusBar().currentMessage()


def test_pages_show_new_figures_right_after_an_import_and_its_undo(
    window: MainWindow, demo: Workspace, tmp_path: Path
) -> None:
    """A values import into existing metrics wrote its values in bulk, which the change
    tracking never saw: Home and Metrics kept the old figures until restarted."""
    from statdesk.importing.plan import ImportOptions
    from statdesk.ui.pages.metrics import MetricsPage

    home = window.go_to("Home")
    assert isinstance(home, HomePage)
    metrics = window.go_to("Metrics")
    assert isinstance(metrics, MetricsPage)
    metric = demo.metrics.find("Potholes repaired within 48 hours")

    def shown() -> object:
        return metrics.metrics.row(metrics.metrics.index_of(metric.id))

    # the month's value has not arrived yet: the import brings it, as a new row
    latest = shown().latest  # type: ignore[attr-defined]
    [value] = [v for v in demo.metrics.values(metric.id) if v.period_start == latest.period.start]
    demo.delete(m.MetricValue, value.id)
    before = shown()
    assert before.latest.label != latest.label  # type: ignore[attr-defined]
    window.go_to("Home")
    window.go_to("Metrics")
    on_track = int(home.headline.text().split()[0])
    source = tmp_path / "november.csv"
    source.write_text(f"Metric,Month,Actual\n{metric.name},{latest.label},50\n")
    result, _ = demo.imports.run(demo.imports.plan(source, ImportOptions("values")))
    assert result.created == {"metric_value": 1} and not result.updated
    now = shown().latest  # type: ignore[attr-defined]
    assert (now.label, now.actual) == (latest.label, 50.0)  # on screen: at once
    assert home.stale  # off screen: re-read when shown
    window.go_to("Home")
    assert int(home.headline.text().split()[0]) == on_track - 1  # the KPI is off target now
    window.go_to("Metrics")
    demo.imports.undo(result.batch_id)
    assert shown().latest.label == before.latest.label  # type: ignore[attr-defined]
    assert home.stale


def test_both_redo_keys_redo_on_every_platform(window: MainWindow) -> None:
    from PySide6.QtGui import QKeySequence

    keys = {k.toString() for k in window.redo_action.shortcuts()}
    assert {QKeySequence("Ctrl+Y").toString(), QKeySequence("Ctrl+Shift+Z").toString()} <= keys
