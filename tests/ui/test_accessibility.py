"""Every control can be found by a screen reader and reached by keyboard; status is never
colour alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from statdesk.domain.status import Status
from statdesk.storage import models as m
from statdesk.ui.dialogs.city_settings import CitySettingsDialog
from statdesk.ui.dialogs.roster_dialogs import MergeDepartmentsDialog, PortfolioEditor
from statdesk.ui.main_window import TITLES, MainWindow
from statdesk.workspace import Workspace

NAMED = (QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox, QPlainTextEdit)


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QHeaderView) or widget.window() is not root:
            continue  # a view's header, a combo box's popup: named by their owner
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(widget, NAMED):
            continue
        if isinstance(widget, QAbstractButton):
            if not (widget.text().strip() or widget.accessibleName()):
                missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
        elif isinstance(widget, NAMED) and not widget.accessibleName():
            # a line edit inside a combo box or spin box is named by its owner
            owner = widget.parentWidget()
            if isinstance(owner, QComboBox | QAbstractSpinBox) and owner.accessibleName():
                continue
            if type(widget).__name__ in ("QCalendarWidget", "QCalendarView"):
                continue
            missing.append(f"{type(widget).__name__} in {type(widget.parentWidget()).__name__}")
    return missing


def test_every_control_of_every_page_has_an_accessible_name(qtbot: QtBot, demo: Workspace) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    for title in TITLES:
        window.go_to(title)
    assert unnamed_controls(window) == []


@pytest.mark.parametrize("which", ["person", "dataset", "city", "portfolio", "merge"])
def test_every_control_of_every_editor_has_an_accessible_name(
    qtbot: QtBot, demo: Workspace, which: str
) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    departments = [(d.id, d.name) for d in demo.roster.department_rows()]
    if which == "person":
        dialog = window.go_to("Team")._editor(demo.roster.people_rows()[0])  # type: ignore[attr-defined]
    elif which == "dataset":
        dialog = window.go_to("Inventory")._editor(None, None)  # type: ignore[attr-defined]
    elif which == "city":
        city = demo.city()
        dialog = CitySettingsDialog(city.name, city.program_name, 7, None, None)
    elif which == "portfolio":
        dialog = PortfolioEditor(departments, [(1, "A")], "P", 1, [departments[0][0]])
    else:
        dialog = MergeDepartmentsDialog(departments, departments[0][0])
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []


def test_every_field_label_has_a_mnemonic_and_a_buddy(qtbot: QtBot, demo: Workspace) -> None:
    from PySide6.QtWidgets import QLabel

    window = MainWindow(demo)
    qtbot.addWidget(window)
    editor = window.go_to("Team")._editor()  # type: ignore[attr-defined]
    qtbot.addWidget(editor)
    labels = [lab for lab in editor.findChildren(QLabel) if lab.buddy() is not None]
    assert len(labels) >= 5
    assert all("&" in lab.text() for lab in labels)


def test_status_is_shown_by_shape_and_word_not_colour(qtbot: QtBot, demo: Workspace) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    home = window.page("Home")
    tree = home.kpis.tree  # type: ignore[attr-defined]
    statuses = {tree.topLevelItem(i).text(5) for i in range(tree.topLevelItemCount())}
    words = {f"{s.marker} {s.label}" for s in Status}
    assert statuses and statuses <= words


def test_keyboard_alone_reaches_the_pages_and_the_table(qtbot: QtBot, demo: Workspace) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    inventory = window.stack.currentWidget()
    assert inventory.title == "Inventory"
    inventory.view.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClick(inventory.view, Qt.Key.Key_Down)  # type: ignore[attr-defined]
    row = inventory.datasets.row(inventory.view.currentIndex())  # type: ignore[attr-defined]
    assert demo.get(m.Dataset, row.id).title == row.title
