"""Add or edit a person: their details and the roles they hold, checked as you type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.validation import problems_with
from statdesk.domain.vocabulary import Role
from statdesk.storage.views.roster import PersonRow
from statdesk.ui.dialogs.editor import RecordEditor
from statdesk.ui.forms import (
    WARNING_STYLE,
    CheckField,
    ChoiceField,
    Form,
    NotesField,
    TextField,
    problem_label,
)

CITYWIDE = "Citywide"


class PersonEditor(RecordEditor):
    def __init__(
        self,
        departments: Sequence[tuple[int, str]],
        people: Sequence[PersonRow],
        person: PersonRow | None = None,
        notes: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit {person.name}" if person else "Add a person")
        self.departments = list(departments)
        self.others = [p for p in people if person is None or p.id != person.id]
        self.form = Form(
            [
                TextField("name", "&Name", "The person's full name, as colleagues write it."),
                TextField("title", "&Title", "Their job title."),
                ChoiceField(
                    "department_id", "&Department", self.departments, "The department they work in."
                ),
                TextField("email", "&Email", placeholder="name@city.gov"),
                TextField("phone", "&Phone"),
                CheckField("active", "&Active (still with the city)"),
                NotesField("notes", "N&otes"),
            ]
        )
        self.duplicate = QLabel()
        self.duplicate.setTextFormat(Qt.TextFormat.PlainText)
        self.duplicate.setStyleSheet(WARNING_STYLE)
        self.duplicate.setWordWrap(True)
        self.duplicate.hide()

        roles_box = QGroupBox("&Roles")
        self.roles = QTableWidget(0, 2)
        self.roles.setHorizontalHeaderLabels(["Role", "For"])
        self.roles.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.roles.verticalHeader().setVisible(False)
        self.roles.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.roles.setAccessibleName("Roles held")
        add_role = QPushButton("Add ro&le")
        add_role.clicked.connect(lambda: self.add_role(Role.DATA_EXPERT, None))
        remove_role = QPushButton("Re&move role")
        remove_role.clicked.connect(self.remove_role)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(add_role)
        buttons_row.addWidget(remove_role)
        buttons_row.addStretch(1)
        roles_layout = QVBoxLayout(roles_box)
        roles_layout.addWidget(self.roles)
        roles_layout.addLayout(buttons_row)

        self.other_problems = problem_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.duplicate)
        layout.addWidget(roles_box)
        layout.addWidget(self.other_problems)
        layout.addWidget(self.buttons)

        if person is not None:
            self.form.set_values(
                {
                    "name": person.name,
                    "title": person.title,
                    "department_id": person.department_id,
                    "email": person.email,
                    "phone": person.phone,
                    "active": person.active,
                    "notes": notes,
                }
            )
            for role, dept in person.roles:
                self.add_role(role, dept)
        else:
            self.form.set_values({"active": True})
        self.form.changed.connect(self.check)
        self.check()
        self.resize(560, 640)

    # ----------------------------------------------------------------- roles
    def add_role(self, role: Role, department_id: int | None) -> None:
        row = self.roles.rowCount()
        self.roles.insertRow(row)
        roles = QComboBox()
        for choice in Role:
            roles.addItem(choice.label, choice)
        roles.setCurrentIndex(list(Role).index(role))
        roles.setAccessibleName(f"Role {row + 1}")
        scope = QComboBox()
        scope.addItem(CITYWIDE, None)
        for dept_id, name in self.departments:
            scope.addItem(name, dept_id)
        scope.setCurrentIndex(max(0, scope.findData(department_id)))
        scope.setAccessibleName(f"Role {row + 1} is for")
        self.roles.setCellWidget(row, 0, roles)
        self.roles.setCellWidget(row, 1, scope)

    def remove_role(self) -> None:
        row = self.roles.currentRow()
        if row >= 0:
            self.roles.removeRow(row)

    def role_values(self) -> list[tuple[Role, int | None]]:
        out = []
        for row in range(self.roles.rowCount()):
            role = self.roles.cellWidget(row, 0)
            scope = self.roles.cellWidget(row, 1)
            assert isinstance(role, QComboBox) and isinstance(scope, QComboBox)
            out.append((Role(role.currentData()), scope.currentData()))
        return list(dict.fromkeys(out))

    # ----------------------------------------------------------------- checking
    def values(self) -> dict[str, Any]:
        return self.form.values()

    def check(self) -> bool:
        values = self.values()
        problems = problems_with("person", values)
        self.other_problems.setText(
            "\n".join(f"⚠ {p.message}" for p in self.form.show_problems(problems))
        )
        self.other_problems.setVisible(bool(self.other_problems.text()))
        name = (values.get("name") or "").casefold()
        same = [p for p in self.others if p.name.casefold() == name] if name else []
        if same:
            where = ", ".join(filter(None, (same[0].title, same[0].department))) or "no details"
            self.duplicate.setText(
                f"Note: someone named {same[0].name} is already on the "
                f"roster ({where}). Save anyway if this is another person."
            )
        self.duplicate.setVisible(bool(same))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not problems)
        return not problems
