"""What the tables show on screen: a ranking in its rank order, the column naming the record
never squeezed to nothing, status words whole."""

from __future__ import annotations

import itertools
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from statdesk.ui.column_widths import MAIN_COLUMN
from statdesk.ui.main_window import MainWindow
from statdesk.workspace import Workspace


def _shown(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


@pytest.fixture
def shown_window(qtbot: QtBot, demo: Workspace) -> MainWindow:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_next_to_publish_shows_the_most_valuable_first(
    shown_window: MainWindow, demo: Workspace
) -> None:
    """The shared table helper sorted every table by its first column: the ranking showed
    alphabetically."""
    page = shown_window.go_to("Inventory")
    rows = _shown(page.ranking_view)  # type: ignore[attr-defined]
    with sqlite3.connect(demo.path) as db:
        waiting = {
            title
            for (title,) in db.execute("SELECT title FROM dataset WHERE status != 'published'")
        }
    assert {row[0] for row in rows} == waiting and len(rows) == len(waiting) == 18
    priorities = [float(row[1] or 0) for row in rows]
    assert priorities == sorted(priorities, reverse=True)
    assert [row[0] for row in rows] != sorted(row[0] for row in rows)  # not by title
    for (title_a, p_a, *_), (title_b, p_b, *_) in itertools.pairwise(rows):
        if p_a == p_b:
            assert title_a.casefold() <= title_b.casefold()  # ties by title


@pytest.mark.parametrize(
    ("title", "view", "status_column"),
    [
        ("Action items", "view", 6),
        ("Metrics", "view", 1),
        ("Inventory", "view", 6),
        ("Meetings", "view", 3),
        ("Team", "view", None),
    ],
)
def test_the_record_column_keeps_its_room_and_statuses_read_whole(
    shown_window: MainWindow, title: str, view: str, status_column: int | None
) -> None:
    page = shown_window.go_to(title)
    table: QTableView = getattr(page, view)
    header = table.horizontalHeader()
    model = table.model()
    metrics = table.fontMetrics()
    widest_name = max(
        metrics.horizontalAdvance(model.data(model.index(r, 0))) for r in range(model.rowCount())
    )
    assert header.sectionSize(0) >= min(widest_name, MAIN_COLUMN)
    if status_column is None:
        return
    assert model.headerData(status_column, Qt.Orientation.Horizontal) == "Status"
    words = model.columns[status_column].fits  # type: ignore[attr-defined]
    assert words
    needed = max(metrics.horizontalAdvance(w) for w in words)
    assert header.sectionSize(status_column) > needed


def test_the_record_column_takes_the_room_left_and_keeps_its_own_when_there_is_none(
    shown_window: MainWindow, qtbot: QtBot
) -> None:
    """Whatever the screen: when the other columns leave room, the name column takes all of
    it (no gap, no scrolling); when they do not, it keeps its own width and the table scrolls."""
    page = shown_window.go_to("Team")
    table: QTableView = page.view  # type: ignore[attr-defined]
    header = table.horizontalHeader()
    need = min(_widest_name(table), MAIN_COLUMN)

    def others() -> int:
        return sum(
            header.sectionSize(c) for c in range(1, header.count()) if not header.isSectionHidden(c)
        )

    def room_left() -> bool:
        """Which way the columns are laid out now, checked whichever it is."""
        width = table.viewport().width()
        if width >= others() + need:
            assert header.sectionSize(0) == width - others()  # it took the rest, exactly
            return True
        assert header.sectionSize(0) == need  # its own, and the table scrolls sideways
        return False

    shown_window.resize(500, 500)
    qtbot.waitUntil(lambda: table.viewport().width() < others() + need)
    assert not room_left()
    for column in range(2, header.count()):
        table.setColumnHidden(column, True)  # the others now leave room
    page.refresh()
    assert room_left()


def _widest_name(table: QTableView) -> int:
    table.horizontalHeader().setResizeContentsPrecision(-1)
    return table.sizeHintForColumn(0)
