"""How wide a table's columns are: each as wide as what it holds, status words whole, and the
column naming the record given the room the others leave, never squeezed to nothing.

When the columns do not all fit, the widest give way first (down to a floor, and never below
their status words); only then does the table scroll sideways. This is worked out again
whenever the table changes size.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView, QTreeView

# Measure the rows in view and 20 more, not 1,000 (Qt's default): on a table of 10,000
# datasets that was 200 ms of every first showing.
FIT_ROWS = 20
# The column naming the record keeps at least this much room (or its text's width, if less):
# with nine columns, "what space is left" was 30 px, and every item read "A…".
MAIN_COLUMN = 280
# Other columns give way down to this (or their own width, if less) before the table scrolls.
FLOOR = 110
CELL_PADDING = 10


View = QTableView | QTreeView


def header_of(view: View) -> QHeaderView:
    return view.horizontalHeader() if isinstance(view, QTableView) else view.header()


def fit_columns(view: View, widest: int = 320, stretch: int = 0) -> None:
    """Size `view`'s columns (a table's or a tree's) to what they hold, no wider than `widest`
    and at least as wide as their `fits` texts; the `stretch` column (the first, which names
    the record, unless said) takes the space left."""
    header = header_of(view)
    header.setResizeContentsPrecision(FIT_ROWS)
    for column in range(header.count()):
        view.resizeColumnToContents(column)
    columns = getattr(view.model(), "columns", [])
    metrics = view.fontMetrics()
    natural, floors = [], []
    for column in range(header.count()):
        width = min(header.sectionSize(column), widest)
        fits = columns[column].fits if column < len(columns) else ()
        least = min(width, FLOOR)
        if fits:
            least = max(metrics.horizontalAdvance(text) for text in fits) + 2 * CELL_PADDING
            width = max(width, least)
        natural.append(width)
        floors.append(least)
    keeper = view.findChild(_Widths)
    if keeper is None:
        keeper = _Widths(view)
    keeper.keep(stretch, min(header.sectionSize(stretch), MAIN_COLUMN), natural, floors)


class _Widths(QObject):
    """Lays a table's columns out again whenever the table changes size."""

    def __init__(self, view: View) -> None:
        super().__init__(view)
        self.view = view
        self.header = header_of(view)
        self.main = 0
        self.need = 0
        self.natural: list[int] = []
        self.floors: list[int] = []
        view.viewport().installEventFilter(self)
        self.header.setStretchLastSection(False)

    def keep(self, main: int, need: int, natural: list[int], floors: list[int]) -> None:
        self.main, self.need, self.natural, self.floors = main, need, natural, floors
        for column in range(self.header.count()):
            self.header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.fit()

    def fit(self) -> None:
        header = self.header
        others = [
            c for c in range(len(self.natural)) if c != self.main and not header.isSectionHidden(c)
        ]
        room = self.view.viewport().width() - self.need
        ceiling = max((self.natural[c] for c in others), default=0)

        def width(column: int) -> int:
            return max(self.floors[column], min(self.natural[column], ceiling))

        while ceiling > FLOOR and sum(width(c) for c in others) > room:
            ceiling -= 10  # the widest give way first
        for column in others:
            header.resizeSection(column, width(column))
        used = sum(width(c) for c in others)
        header.resizeSection(self.main, max(self.need, self.view.viewport().width() - used))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False
