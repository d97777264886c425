"""The Team page's other tabs: departments, budget portfolios, and who's who."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QInputDialog,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import Role
from statdesk.storage.views.roster import DepartmentRow, PortfolioRow
from statdesk.ui.column_widths import fit_columns
from statdesk.ui.dialogs.cadence_dialog import CadenceDialog
from statdesk.ui.dialogs.roster_dialogs import MergeDepartmentsDialog, PortfolioEditor
from statdesk.ui.errors import show_error
from statdesk.ui.models.rows import Column, RowsModel
from statdesk.ui.pages.base import button_row, reload, selected_id, table_view
from statdesk.ui.pickers import picker_label

if TYPE_CHECKING:
    from statdesk.ui.pages.team import TeamPage


class _Tab(QWidget):
    def __init__(self, page: TeamPage) -> None:
        super().__init__()
        self.page = page
        self._buttons: list[QPushButton] = []

    def button(self, text: str, slot: Callable[[], object], name: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        self._buttons.append(button)
        return button

    def set_editable(self, editable: bool) -> None:
        for button in self._buttons:
            button.setEnabled(editable)


DEPARTMENT_COLUMNS: list[Column[DepartmentRow]] = [
    Column("Department", lambda r: r.name),
    Column("Short name", lambda r: r.short_name),
    Column("People", lambda r: f"{r.people:,}", sort_key=lambda r: r.people, align_right=True),
    Column(
        "Datasets", lambda r: f"{r.datasets:,}", sort_key=lambda r: r.datasets, align_right=True
    ),
    Column("Metrics", lambda r: f"{r.metrics:,}", sort_key=lambda r: r.metrics, align_right=True),
    Column(
        "Meetings", lambda r: f"{r.meetings:,}", sort_key=lambda r: r.meetings, align_right=True
    ),
    Column("Stat", lambda r: r.stat or "no regular Stat"),
]


class DepartmentsTab(_Tab):
    def __init__(self, page: TeamPage) -> None:
        super().__init__(page)
        self.model = RowsModel(DEPARTMENT_COLUMNS, lambda r: r.id)
        self.view = table_view(self.model, "Departments")  # type: ignore[arg-type]
        self.view.activated.connect(lambda _i: self.rename())
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(
            button_row(
                self.button("A&dd department…", self.add, "Add department"),
                self.button("&Rename…", self.rename, "Rename department"),
                self.button("&Merge into…", self.merge, "Merge department into another"),
                self.button("Stat &cadence…", self.cadence, "Stat cadence of the department"),
            )
        )

    def refresh(self) -> None:
        reload(self.view, self.model, self.page.workspace.roster.department_rows())  # type: ignore[arg-type]
        fit_columns(self.view)

    def add(self) -> None:
        name, ok = QInputDialog.getText(self, "Add a department", "Department name:")
        if not ok or not name.strip():
            return
        ws = self.page.workspace
        self.page.run(
            f"Add department {name.strip()}", lambda: ws.create("department", name=name.strip())
        )

    def rename(self) -> None:
        dept_id = selected_id(self.view)
        if dept_id is None or not self.page.editable:
            return
        old = self.page.workspace.get("department", dept_id).name
        name, ok = QInputDialog.getText(self, "Rename the department", "New name:", text=old)
        if not ok or not name.strip() or name.strip() == old:
            return
        ws = self.page.workspace
        self.page.run(
            f"Rename {old} to {name.strip()}",
            lambda: ws.update("department", dept_id, name=name.strip()),
        )

    def cadence(self) -> None:
        dept_id = selected_id(self.view)
        if dept_id is None or not self.page.editable:
            return
        department = self.page.workspace.get("department", dept_id)
        names = ("stat_cadence", "stat_weekday", "stat_time", "stat_room")
        dialog = CadenceDialog(department.name, {n: getattr(department, n) for n in names}, self)
        if not dialog.exec():
            return
        ws, chosen = self.page.workspace, dialog.values()
        self.page.run(
            f"Stat cadence of {department.name}",
            lambda: ws.update("department", dept_id, **chosen),
        )

    def merge(self) -> None:
        dept_id = selected_id(self.view)
        if dept_id is None or not self.page.editable:
            return
        departments = [(r.id, r.name) for r in self.model.all_rows]
        if len(departments) < 2:
            return
        dialog = MergeDepartmentsDialog(departments, dept_id, self)
        if not dialog.exec():
            return
        ws = self.page.workspace
        try:
            ws.backup("before merge")
        except Exception as error:
            show_error(self, error, "Merge departments")
            return
        into_id = dialog.target_id()
        names = dict(departments)
        self.page.run(
            f"Merge {names[dept_id]} into {names[into_id]}",
            lambda: ws.roster.merge_departments(dept_id, into_id),
        )


PORTFOLIO_COLUMNS: list[Column[PortfolioRow]] = [
    Column("Portfolio", lambda r: r.name),
    Column("Budget analyst", lambda r: r.analyst),
    Column("Departments", lambda r: r.departments),
]


class PortfoliosTab(_Tab):
    def __init__(self, page: TeamPage) -> None:
        super().__init__(page)
        self.model = RowsModel(PORTFOLIO_COLUMNS, lambda r: r.id)
        self.view = table_view(self.model, "Budget portfolios")  # type: ignore[arg-type]
        self.view.activated.connect(lambda _i: self.edit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(
            button_row(
                self.button("Add p&ortfolio…", self.add, "Add budget portfolio"),
                self.button("Edit po&rtfolio…", self.edit, "Edit budget portfolio"),
            )
        )

    def refresh(self) -> None:
        rows = self.page.workspace.roster.portfolio_rows()
        reload(self.view, self.model, rows)  # type: ignore[arg-type]
        fit_columns(self.view, widest=600)

    def _choices(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        departments = [(d.id, d.name) for d in self.page.departments.model.all_rows]
        analysts = [
            (p.id, picker_label(p.name, p.department))
            for p in self.page.people.all_rows
            if any(r is Role.BUDGET_ANALYST for r, _ in p.roles)
        ]
        return departments, analysts

    def add(self) -> None:
        departments, analysts = self._choices()
        dialog = PortfolioEditor(departments, analysts, parent=self)
        if not dialog.exec():
            return
        name, analyst, covered = dialog.values()
        ws = self.page.workspace
        self.page.run(
            f"Add budget portfolio {name}",
            lambda: ws.roster.save_portfolio(None, name, analyst, covered),
        )

    def edit(self) -> None:
        record_id = selected_id(self.view)
        row = next((r for r in self.model.all_rows if r.id == record_id), None)
        if row is None or not self.page.editable:
            return
        departments, analysts = self._choices()
        if row.analyst_id is not None and all(a != row.analyst_id for a, _ in analysts):
            analysts.append((row.analyst_id, row.analyst))
        dialog = PortfolioEditor(
            departments, analysts, row.name, row.analyst_id, row.department_ids, self
        )
        if not dialog.exec():
            return
        name, analyst, covered = dialog.values()
        ws = self.page.workspace
        self.page.run(
            f"Edit budget portfolio {row.name}",
            lambda: ws.roster.save_portfolio(row.id, name, analyst, covered),
        )


class WhosWhoTab(QWidget):
    """Per department: who leads, who is the contact, which budget analyst covers it, the
    data experts, and the roles still unfilled."""

    def __init__(self, page: TeamPage) -> None:
        super().__init__()
        self.page = page
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Department", "Who"])
        self.tree.setAccessibleName("Who's who by department")
        self.tree.setColumnWidth(0, 260)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)

    def refresh(self) -> None:
        self.tree.clear()
        for entry in self.page.workspace.roster.whos_who():
            gaps = len(entry.unfilled)
            top = QTreeWidgetItem(
                [
                    entry.department,
                    f"⚠ {counted(gaps, 'role')} unfilled" if gaps else "All roles filled",
                ]
            )
            lines = [
                ("Lead", entry.leads),
                ("Contact", entry.contacts),
                ("Budget analyst", entry.budget_analysts),
                ("Data experts", entry.data_experts),
            ]
            for label, names in lines:
                QTreeWidgetItem(top, [label, ", ".join(names) or "⚠ nobody"])
            if entry.unfilled:
                QTreeWidgetItem(top, ["Unfilled", ", ".join(r.label for r in entry.unfilled)])
            top.setData(0, Qt.ItemDataRole.UserRole, entry.department_id)
            self.tree.addTopLevelItem(top)
            top.setExpanded(bool(gaps))
