"""Which way is better, for many metrics at once: a table of metrics without a direction, each
with StatDesk's proposal from its name (crime, wait times, backlogs, costs: lower is better),
which the analyst takes, changes or leaves not set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import NOT_SET, Direction
from statdesk.ui.forms import plain_label


@dataclass(frozen=True)
class Unjudged:
    """A metric without a direction, and what its name suggests."""

    key: Any  # the metric's id, or its name in an import not yet written
    name: str
    department: str
    proposal: Direction | None
    because: str


class DirectionsTable(QWidget):
    """The metrics, each with a choice of direction; "Take the proposals" fills them in."""

    def __init__(self, rows: Sequence[Unjudged], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = list(rows)
        self.table = QTableWidget(len(self.rows), 4)
        self.table.setAccessibleName("Directions of the metrics")
        self.table.setHorizontalHeaderLabels(["Metric", "Department", "Better when", "Why"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.combos: list[QComboBox] = []
        for index, row in enumerate(self.rows):
            self.table.setItem(index, 0, QTableWidgetItem(row.name))
            self.table.setItem(index, 1, QTableWidgetItem(row.department))
            combo = QComboBox()
            combo.setAccessibleName(f"Direction of {row.name}")
            combo.addItem(NOT_SET, None)
            for direction in Direction:
                combo.addItem(direction.label, direction.value)
            self.table.setCellWidget(index, 2, combo)
            why = f"Proposed: {row.proposal.label} ({row.because})" if row.proposal else ""
            self.table.setItem(index, 3, QTableWidgetItem(why))
            self.combos.append(combo)
        for column in (1, 2, 3):
            self.table.resizeColumnToContents(column)
        proposed = sum(1 for row in self.rows if row.proposal)
        take = QPushButton(
            "&Take the proposal" if proposed == 1 else f"&Take the {proposed} proposals"
        )
        take.setEnabled(bool(proposed))
        take.clicked.connect(self.take_proposals)
        clear = QPushButton("&Leave all not set")
        clear.clicked.connect(lambda: [c.setCurrentIndex(0) for c in self.combos])
        buttons = QHBoxLayout()
        buttons.addWidget(take)
        buttons.addWidget(clear)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def take_proposals(self) -> None:
        for row, combo in zip(self.rows, self.combos, strict=True):
            if row.proposal is not None:
                combo.setCurrentIndex(combo.findData(row.proposal.value))

    def chosen(self) -> dict[Any, Direction]:
        """The directions set, by key (metrics left not set are not in it)."""
        out = {}
        for row, combo in zip(self.rows, self.combos, strict=True):
            value = combo.currentData()
            if value:
                out[row.key] = Direction(value)
        return out


class DirectionsDialog(QDialog):
    def __init__(self, rows: Sequence[Unjudged], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set directions")
        note = plain_label(
            f"{counted(len(rows), 'metric')} without a direction: StatDesk shows their values but "
            "judges "
            "no status or trend until it knows which way is better. Choose for each, or take "
            "the proposals made from their names."
        )
        self.directions = DirectionsTable(rows, self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.directions, 1)
        layout.addWidget(buttons)
        self.resize(820, 520)
