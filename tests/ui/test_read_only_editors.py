"""In a read-only window every record editor shows its record without taking a change: no field
takes typing, no box a tick, no button acts, and the reason is said at the top."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from statdesk.ui.dialogs.editor import RecordEditor
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.base import select_id
from statdesk.ui.pickers import FINDS
from statdesk.workspace import Workspace

# page, the model and view holding its records, the method opening the selected one
OPENERS = (
    ("Team", "people", "edit_person"),
    ("Inventory", "datasets", "edit_dataset"),
    ("Metrics", "metrics", "edit_metric"),
    ("Meetings", "meetings", "edit_meeting"),
    ("Action items", "items", "edit_item"),
)


@pytest.fixture
def reader(qtbot: QtBot, demo_path: Path) -> Iterator[MainWindow]:
    """A window on a file a colleague is editing."""
    with Workspace.open(demo_path, user="rosa") as holder:
        assert not holder.read_only
        window = MainWindow(Workspace.open(demo_path, user="tester"))
        qtbot.addWidget(window)
        assert window.workspace.read_only
        yield window
        window.workspace.close()


def _frozen(editor: RecordEditor) -> list[str]:
    """The widgets of `editor` that would still take a change."""
    alive = []
    for widget in editor.findChildren(QWidget):
        if editor.buttons.isAncestorOf(widget) or isinstance(widget.parentWidget(), QTabBar):
            continue
        if widget.property(FINDS):  # "type to find" in a list: it changes nothing
            assert isinstance(widget, QLineEdit) and not widget.isReadOnly()
            continue
        name = f"{type(widget).__name__} {widget.accessibleName() or widget.objectName()}"
        if isinstance(widget, QLineEdit | QPlainTextEdit | QAbstractSpinBox):
            if not widget.isReadOnly() and widget.isEnabled():
                alive.append(name)
        elif isinstance(widget, QComboBox | QAbstractButton):
            if widget.isEnabled():
                alive.append(name)
        elif isinstance(widget, QListWidget):
            for row in range(widget.count()):
                if widget.item(row).flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    alive.append(f"{name} row {row}")
    return alive


@pytest.mark.parametrize(("title", "model", "opener"), OPENERS)
def test_every_field_of_an_editor_in_a_read_only_window_is_read_only(
    reader: MainWindow, monkeypatch: pytest.MonkeyPatch, title: str, model: str, opener: str
) -> None:
    page = reader.go_to(title)
    rows = getattr(page, model)
    view = page.view  # type: ignore[attr-defined]
    first = rows.row(rows.index(0, 0)).id  # the first shown
    if title == "Metrics":
        page.show_record("metric", first)
    else:
        select_id(view, rows, first)
    seen: list[RecordEditor] = []
    monkeypatch.setattr(RecordEditor, "exec", lambda editor: seen.append(editor) or 0)
    getattr(page, opener)()
    [editor] = seen
    assert editor.windowTitle().endswith("(read-only)")
    assert editor.buttons.button(QDialogButtonBox.StandardButton.Save).isHidden()
    assert editor.buttons.button(QDialogButtonBox.StandardButton.Cancel).isEnabled()
    assert _frozen(editor) == []
    notice = editor.findChild(QLabel, "readOnlyNotice")
    assert notice is not None and editor.layout().indexOf(notice) == 0
    assert notice.text().startswith("Read-only: nothing here can be changed. In use by rosa on ")
