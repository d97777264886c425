"""The values-and-targets grid: one row per period, numbers typed or pasted from Excel.

The model never writes: an edit becomes `PeriodEdit`s handed to `on_edit`, which the page runs
as an undoable command; the page then gives the model the file's new rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QApplication, QTableView

from statdesk.domain.numbers import counted, format_value, parse_number
from statdesk.domain.periods import period_end
from statdesk.domain.vocabulary import Unit
from statdesk.storage.edits.metrics import PeriodEdit
from statdesk.storage.views.metrics import PeriodRow

Index = QModelIndex | QPersistentModelIndex

# (title, PeriodRow attribute, PeriodEdit key or None when not editable)
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("Period", "label", None),
    ("Actual", "actual", "actual"),
    ("Target", "target", "target"),
    ("Forecast", "forecast", "forecast"),
    ("Note", "note", "note"),
    ("Status", "status", None),
    ("Check", "problem", None),
)
NUMBERS = {"actual", "target", "forecast"}
WARNING_BACKGROUND = QColor("#fde7e9")


class PeriodGridModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PeriodRow] = []
        self.unit = Unit.COUNT
        self.decimals = 0
        self.final: date | None = None
        self.editable = True
        self.on_edit: Callable[[list[PeriodEdit], str], bool] = lambda _edits, _label: False
        self.on_problem: Callable[[str], None] = lambda _message: None

    def set_rows(
        self, rows: Sequence[PeriodRow], unit: Unit, decimals: int, final: date | None = None
    ) -> None:
        """`final`: the last day of the periods locked (final), which are not editable."""
        self.beginResetModel()
        self.rows, self.unit, self.decimals = list(rows), unit, decimals
        self.final = final
        self.endResetModel()

    def is_final(self, row: PeriodRow) -> bool:
        return self.final is not None and period_end(row.period) <= self.final

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][0]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if (
            index.isValid()
            and self.editable
            and COLUMNS[index.column()][2] is not None
            and not self.is_final(self.rows[index.row()])
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        _title, attribute, key = COLUMNS[index.column()]
        value = getattr(row, attribute)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if attribute == "status":
                return f"{value.marker} {value.label}"
            if attribute == "problem":
                return f"⚠ {value}" if value else ""
            if key in NUMBERS:
                return "" if value is None else format_value(value, self.unit, self.decimals)
            if attribute == "label" and self.is_final(row):
                return f"{value} (final)"
            return value
        if role == Qt.ItemDataRole.EditRole:
            if key in NUMBERS:
                return "" if value is None else f"{value:g}"
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and key in NUMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and row.problem
            and attribute in ("actual", "problem")
        ):
            return WARNING_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole and row.problem:
            return row.problem
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = COLUMNS[index.column()][2]
        if key is None or not self.editable:
            return False
        try:
            edit = self._edit(index.row(), key, value)
        except ValueError as error:
            self.on_problem(f"{error} Type a number, or leave the cell empty.")
            return False
        row = self.rows[index.row()]
        return self.on_edit([edit], f"Set the {key} of {row.label}")

    def _edit(self, row: int, key: str, value: object) -> PeriodEdit:
        parsed = parse_number(value) if key in NUMBERS else (str(value).strip() or None)
        return PeriodEdit(self.rows[row].period, {key: parsed})

    def paste(self, top: int, left: int, text: str) -> bool:
        """Paste tab-separated cells (a block copied from Excel) from (top, left) down; every
        cell is checked first and nothing is written if one is wrong."""
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        while lines and lines[-1] == "":
            lines.pop()
        edits: dict[int, dict[str, float | str | None]] = {}
        problems = []
        for offset, line in enumerate(lines):
            row = top + offset
            if row >= len(self.rows):
                over = len(lines) - offset
                problems.append(
                    f"{counted(over, 'line')} {'goes' if over == 1 else 'go'} past the last period."
                )
                break
            for step, cell in enumerate(line.split("\t")):
                column = left + step
                key = COLUMNS[column][2] if column < len(COLUMNS) else None
                if key is None:
                    continue
                try:
                    changes = self._edit(row, key, cell).changes
                except ValueError as error:
                    problems.append(f"{self.rows[row].label}: {error}")
                    continue
                edits.setdefault(row, {}).update(changes)
        if problems:
            self.on_problem(
                "Nothing was pasted. "
                + " ".join(problems[:5])
                + (" …" if len(problems) > 5 else "")
            )
            return False
        if not edits:
            return False
        cells = sum(len(c) for c in edits.values())
        return self.on_edit(
            [PeriodEdit(self.rows[r].period, c) for r, c in sorted(edits.items())],
            f"Paste {counted(cells, 'value')}",
        )


class PeriodGridView(QTableView):
    """The grid, with Ctrl+V pasting a block copied from a spreadsheet."""

    def keyPressEvent(self, event: Any) -> None:
        model = self.model()
        if event.matches(QKeySequence.StandardKey.Paste) and isinstance(model, PeriodGridModel):
            index = self.currentIndex()
            if index.isValid() and model.editable:
                model.paste(index.row(), index.column(), QApplication.clipboard().text())
                return
        super().keyPressEvent(event)
