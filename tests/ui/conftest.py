"""The main window on the demo city, for the page tests (not shown: pages need no screen)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from statdesk.ui.main_window import MainWindow
from statdesk.workspace import Workspace


@pytest.fixture
def window(qtbot: QtBot, demo: Workspace) -> MainWindow:
    win = MainWindow(demo)
    qtbot.addWidget(win)
    return win
