"""A table model over a list of plain rows, filtered and sorted in Python, shown lazily.

Filtering and sorting 10,000 rows in Python takes milliseconds; what costs is the view asking
for every row at once, so rows are handed to the view in batches (`canFetchMore`/`fetchMore`)
as it scrolls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    sort_key: Callable[[Row], Any] | None = None
    align_right: bool = False
    tooltip: Callable[[Row], str] | None = None
    background: Callable[[Row], str | None] | None = None  # a colour, always with words too
    # Texts the column must fit whichever rows show (every status word), so a status never
    # reads "▲ Off ta" because the rows read first were all "● On target".
    fits: tuple[str, ...] = ()


def _casefold_key(value: str) -> tuple[bool, str]:
    return (value == "", value.casefold())


class RowsModel(QAbstractTableModel, Generic[Row]):
    BATCH = 200

    def __init__(self, columns: Sequence[Column[Row]], row_id: Callable[[Row], int]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.row_id = row_id
        self._all: list[Row] = []
        self._visible: list[Row] = []
        self._loaded = 0
        self._filter: Callable[[Row], bool] = lambda _row: True
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # ----------------------------------------------------------------- feeding
    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._recompute()
        self.endResetModel()

    def set_filter(
        self, predicate: Callable[[Row], bool], rows: Sequence[Row] | None = None
    ) -> None:
        """Show the rows `predicate` keeps: of `rows` when given (new rows and their filter in
        one pass, not two), else of the rows the model has."""
        self.beginResetModel()
        self._filter = predicate
        if rows is not None:
            self._all = list(rows)
        self._recompute()
        self.endResetModel()

    def _recompute(self) -> None:
        visible = [row for row in self._all if self._filter(row)]
        if self._sort is not None:
            column, order = self._sort
            spec = self.columns[column]
            key = spec.sort_key or (lambda row: _casefold_key(spec.text(row)))
            visible.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self._visible = visible
        self._loaded = min(self.BATCH, len(visible))

    # ----------------------------------------------------------------- reading
    @property
    def all_rows(self) -> list[Row]:
        """Every row given, whether the filter shows it or not."""
        return self._all

    @property
    def total(self) -> int:
        return len(self._all)

    @property
    def shown(self) -> int:
        """How many rows pass the filter (whether or not the view has fetched them yet)."""
        return len(self._visible)

    def row(self, index: Index) -> Row:
        return self._visible[index.row()]

    def index_of(self, record_id: int) -> QModelIndex:
        """The index of the row with this id, fetching up to it; invalid if filtered out."""
        for position, row in enumerate(self._visible):
            if self.row_id(row) == record_id:
                while self._loaded <= position:
                    self.fetchMore(QModelIndex())
                return self.index(position, 0)
        return QModelIndex()

    # ----------------------------------------------------------------- Qt's interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._loaded < len(self._visible)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        count = min(self.BATCH, len(self._visible) - self._loaded)
        if count <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._loaded, self._loaded + count - 1)
        self._loaded += count
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            not index.isValid()
            or not (0 <= index.row() < self._loaded)
            or not (0 <= index.column() < len(self.columns))
        ):
            return None
        row = self._visible[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and column.background is not None:
            colour = column.background(row)
            return QColor(colour) if colour else None
        if role == ID_ROLE:
            return self.row_id(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.beginResetModel()
        self._sort = (column, order)
        self._recompute()
        self.endResetModel()
