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


def test_no_widget_hides_a_qt_method_under_an_attribute() -> None:
    """PySide takes an attribute named like a Qt virtual for a Python override of it: the
    import wizard's mapping page kept its metric field in `self.metric`, and Qt, asking the
    page's metric() when the window met a 150% screen, called a line edit and crashed
    StatDesk (a segmentation fault, no message). `self.result` on a dialog and `self.options`
    on the wizard hid Qt's own result() and options() the same way."""
    import ast
    import importlib
    import inspect
    import pkgutil

    from PySide6.QtCore import QObject

    import statdesk.ui

    hidden = []
    for info in pkgutil.walk_packages(statdesk.ui.__path__, "statdesk.ui."):
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if not (
                inspect.isclass(cls)
                and issubclass(cls, QObject)
                and cls.__module__ == module.__name__
            ):
                continue
            qt = next(base for base in cls.__mro__ if base.__module__.startswith("PySide6"))
            for node in ast.walk(ast.parse(inspect.getsource(cls))):
                targets = (
                    node.targets
                    if isinstance(node, ast.Assign)
                    else [node.target]
                    if isinstance(node, ast.AnnAssign)
                    else []
                )
                for target in targets:
                    for each in target.elts if isinstance(target, ast.Tuple) else [target]:
                        if (
                            isinstance(each, ast.Attribute)
                            and isinstance(each.value, ast.Name)
                            and each.value.id == "self"
                            and hasattr(qt, each.attr)
                        ):
                            hidden.append(f"{module.__name__}.{name}.{each.attr} ({qt.__name__})")
    assert hidden == []
