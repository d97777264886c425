"""Guards against Qt binding bugs that would crash the app on Python 3.11.

PySide6 6.12.0 released a reference to None on every QTreeWidgetItem.setData call; None is not
immortal before Python 3.12, so after some thousands of calls the interpreter aborted ("Fatal
Python error: none_dealloc"). Each call StatDesk makes on item data is checked here: a leak of
None is harmless, a loss is not.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QListWidgetItem,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
)
from pytestqt.qtbot import QtBot

CALLS = 500
ROLE = Qt.ItemDataRole.UserRole


def _none_lost(step: Callable[[int], object]) -> int:
    before = sys.getrefcount(None)
    for number in range(CALLS):
        step(number)
    return before - sys.getrefcount(None)


@pytest.mark.parametrize(
    "name",
    ["tree item data", "list item data", "table item data", "tree item alignment", "combo data"],
)
def test_item_calls_keep_none_alive(qtbot: QtBot, name: str) -> None:
    tree = QTreeWidget()
    qtbot.addWidget(tree)
    combo = QComboBox()
    qtbot.addWidget(combo)
    trees = [QTreeWidgetItem(["a", "b"]) for _ in range(CALLS)]
    lists = [QListWidgetItem("a") for _ in range(CALLS)]
    tables = [QTableWidgetItem("a") for _ in range(CALLS)]
    steps: dict[str, Callable[[int], object]] = {
        "tree item data": lambda i: trees[i].setData(0, ROLE, "kind"),
        "list item data": lambda i: lists[i].setData(ROLE, i),
        "table item data": lambda i: tables[i].setData(ROLE, i),
        "tree item alignment": lambda i: trees[i].setTextAlignment(0, Qt.AlignmentFlag.AlignRight),
        "combo data": lambda i: (combo.addItem("x", None), combo.currentData()),
    }
    assert _none_lost(steps[name]) <= 0
