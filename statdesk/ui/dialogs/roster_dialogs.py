"""Small roster dialogs: merging a department into another, a budget portfolio."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from statdesk.ui.pickers import CheckList


class MergeDepartmentsDialog(QDialog):
    def __init__(
        self, departments: Sequence[tuple[int, str]], source_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        source = dict(departments)[source_id]
        self.setWindowTitle(f"Merge {source}")
        self.target = QComboBox()
        self.target.setAccessibleName("Merge into")
        for dept_id, name in departments:
            if dept_id != source_id:
                self.target.addItem(name, dept_id)
        explanation = QLabel(
            f"Everything of {source} (its people, roles, datasets, metrics, meetings, follow-up "
            "items and budget portfolios) moves to the department you choose, and "
            f"{source} is removed. StatDesk backs the file up first, and Edit ▸ Undo takes the "
            "merge back."
        )
        explanation.setWordWrap(True)
        explanation.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        label = QLabel("Merge &into")
        label.setBuddy(self.target)
        form.addRow(label, self.target)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Merge")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def target_id(self) -> int:
        return int(self.target.currentData())


class PortfolioEditor(QDialog):
    """A budget portfolio: its name, its budget analyst, the departments it covers."""

    def __init__(
        self,
        departments: Sequence[tuple[int, str]],
        analysts: Sequence[tuple[int, str]],
        name: str = "",
        analyst_id: int | None = None,
        covered: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Budget portfolio {name}" if name else "Add a budget portfolio")
        self.name = QLineEdit(name)
        self.name.setAccessibleName("Portfolio name")
        self.analyst = QComboBox()
        self.analyst.setAccessibleName("Budget analyst")
        self.analyst.addItem("(nobody yet)", None)
        for person_id, person in analysts:
            self.analyst.addItem(person, person_id)
        self.analyst.setCurrentIndex(max(0, self.analyst.findData(analyst_id)))
        self.departments = CheckList(departments, covered, "Departments covered")
        form = QFormLayout()
        for text, widget in (
            ("&Name", self.name),
            ("Budget &analyst", self.analyst),
            ("&Departments", self.departments),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            bool(self.name.text().strip())
        )

    def values(self) -> tuple[str, int | None, list[int]]:
        covered = self.departments.checked_ids()
        return self.name.text().strip(), self.analyst.currentData(), covered
