"""The Team page: people and their roles, departments, budget portfolios, who's who."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QCheckBox, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from statdesk.domain.vocabulary import Role
from statdesk.storage.views.roster import PersonRow
from statdesk.ui.column_widths import fit_columns
from statdesk.ui.dialogs.person_editor import PersonEditor
from statdesk.ui.forms import plain_label
from statdesk.ui.models.rows import Column, RowsModel
from statdesk.ui.pages.base import (
    Host,
    Page,
    button_row,
    filter_combo,
    refill,
    refilter,
    search_box,
    select_id,
    selected_id,
    table_view,
)
from statdesk.ui.pages.team_tabs import DepartmentsTab, PortfoliosTab, WhosWhoTab

PERSON_FIELDS = ("name", "title", "department_id", "email", "phone", "active", "notes")

PEOPLE_COLUMNS: list[Column[PersonRow]] = [
    Column("Name", lambda r: r.name),
    Column("Title", lambda r: r.title),
    Column("Department", lambda r: r.department),
    Column("Roles", lambda r: r.roles_text, tooltip=lambda r: r.roles_text.replace("; ", "\n")),
    Column("Email", lambda r: r.email),
    Column("Phone", lambda r: r.phone),
    Column("Active", lambda r: "Yes" if r.active else "No"),
]


class TeamPage(Page):
    title = "Team"
    kinds = frozenset({"person", "role assignment", "department", "budget portfolio"})

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.people = RowsModel(PEOPLE_COLUMNS, lambda r: r.id)
        self.search = search_box("Search names, titles, emails, roles", "Search people")
        self.department_filter = filter_combo("Filter by department", "All departments", [])
        self.role_filter = filter_combo("Filter by role", "All roles", [(r, r.label) for r in Role])
        self.show_inactive = QCheckBox("Show &inactive")
        self.count = plain_label(wrap=False)
        self.view = table_view(self.people, "People")  # type: ignore[arg-type]
        self.view.activated.connect(lambda _index: self.edit_person())
        for signal in (
            self.search.textChanged,
            self.department_filter.currentIndexChanged,
            self.role_filter.currentIndexChanged,
            self.show_inactive.toggled,
        ):
            signal.connect(self.apply_filter)

        people_tab = QWidget()
        layout = QVBoxLayout(people_tab)
        layout.addLayout(
            button_row(self.search, self.department_filter, self.role_filter, self.show_inactive)
        )
        layout.addWidget(self.view)
        layout.addLayout(
            button_row(
                self.edit_button("&Add person…", self.add_person),
                self.open_button(self.edit_person, "Open person"),
                self.edit_button("&Delete…", self.delete_person, "Delete person"),
                self.count,
            )
        )

        self.departments = DepartmentsTab(self)
        self.portfolios = PortfoliosTab(self)
        self.whos_who = WhosWhoTab(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(people_tab, "&People")
        self.tabs.addTab(self.departments, "De&partments")
        self.tabs.addTab(self.portfolios, "&Budget portfolios")
        self.tabs.addTab(self.whos_who, "&Who's who")
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)

    # ----------------------------------------------------------------- showing
    def refresh(self) -> None:
        departments = [(d.id, d.name) for d in self.workspace.roster.department_rows()]
        refill(self.department_filter, "All departments", departments)
        self.apply_filter(rows=self.workspace.roster.people_rows())
        fit_columns(self.view)
        self.departments.refresh()
        self.portfolios.refresh()
        self.whos_who.refresh()

    def apply_filter(self, *, rows: Sequence[PersonRow] | None = None) -> None:
        """Show the people the filters keep (of `rows`, when the page has read them anew)."""
        words = self.search.text().casefold().split() if self.search else []
        dept = self.department_filter.currentData()
        role = self.role_filter.currentData()
        inactive = self.show_inactive.isChecked()

        def keep(row: PersonRow) -> bool:
            if not inactive and not row.active:
                return False
            if (
                dept is not None
                and row.department_id != dept
                and all(d != dept for _, d in row.roles)
            ):
                return False
            if role is not None and all(r != role for r, _ in row.roles):
                return False
            if not words:
                return True
            text = f"{row.name} {row.title} {row.email} {row.roles_text}".casefold()
            return all(word in text for word in words)

        refilter(self.view, self.people, keep, rows)  # type: ignore[arg-type]
        shown, total = self.people.shown, self.people.total
        self.count.setText(f"{total} people" if shown == total else f"{shown} of {total} people")

    def show_record(self, kind: str, record_id: int) -> bool:
        if kind == "department":  # a department is shown in who's who
            self.tabs.setCurrentWidget(self.whos_who)
            return True
        if kind != "person":
            return False
        self.tabs.setCurrentIndex(0)
        if not select_id(self.view, self.people, record_id):  # type: ignore[arg-type]
            self.search.clear()  # type: ignore[union-attr]
            self.department_filter.setCurrentIndex(0)
            self.role_filter.setCurrentIndex(0)
            self.show_inactive.setChecked(True)
            select_id(self.view, self.people, record_id)  # type: ignore[arg-type]
        self.view.setFocus()
        return True

    # ----------------------------------------------------------------- editing
    def _editor(self, person: PersonRow | None = None, notes: str | None = None) -> PersonEditor:
        departments = [(d.id, d.name) for d in self.workspace.roster.department_rows()]
        return PersonEditor(departments, self.people.all_rows, person, notes, self)

    def add_person(self) -> None:
        if not self.editable:
            return
        editor = self._editor()
        if not editor.exec():
            return
        fields, roles = editor.values(), editor.role_values()
        ws = self.workspace
        self.run(f"Add {fields['name']}", lambda: ws.roster.save_person(None, fields, roles))

    def _current(self) -> PersonRow | None:
        record_id = selected_id(self.view)
        if record_id is None:
            return None
        return next((r for r in self.people.all_rows if r.id == record_id), None)

    def _old_fields(self, row: PersonRow) -> dict[str, Any]:
        person = self.workspace.get("person", row.id)
        return {name: getattr(person, name) for name in PERSON_FIELDS}

    def edit_person(self) -> None:
        row = self._current()
        if row is None:
            return
        old = self._old_fields(row)
        editor = self._editor(row, old["notes"])
        if not self.editable:
            editor.read_only(self.workspace.read_only_reason)
        if not editor.exec() or not self.editable:
            return
        new, roles = editor.values(), editor.role_values()
        if new == old and roles == list(row.roles):
            return
        ws = self.workspace
        mine = {name: value for name, value in new.items() if old.get(name) != value}
        self.run(
            f"Edit {row.name}",
            lambda: ws.roster.save_person(row.id, new, roles, expected_version=row.version),
            keep_mine=lambda: ws.roster.save_person(row.id, mine, roles),
        )

    def delete_person(self) -> None:
        row = self._current()
        if row is None or not self.editable:
            return
        references = self.workspace.roster.person_references(row.id)
        ws = self.workspace
        if references:
            listed = ", ".join(f"{count} {what}" for what, count in references.items())
            answer = QMessageBox.question(
                self,
                "Delete person",
                f"{row.name} is named in the file ({listed}). Deleting would leave those "
                "records without a person. Mark them inactive instead?",
            )
            if answer != QMessageBox.StandardButton.Yes or not row.active:
                return
            roles = list(row.roles)
            inactive = {"active": False}
            self.run(
                f"Mark {row.name} inactive", lambda: ws.roster.save_person(row.id, inactive, roles)
            )
            return
        answer = QMessageBox.question(
            self, "Delete person", f"Delete {row.name} and their roles? You can undo this."
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.run(f"Delete {row.name}", lambda: ws.delete("person", row.id))

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        for tab in (self.departments, self.portfolios):
            tab.set_editable(editable)
