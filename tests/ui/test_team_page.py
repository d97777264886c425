"""The Team page: people with roles, the person editor, departments, portfolios, who's who."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from statdesk.domain.vocabulary import Role
from statdesk.storage import models as m
from statdesk.ui.dialogs import person_editor
from statdesk.ui.dialogs.person_editor import PersonEditor
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.base import select_id
from statdesk.ui.pages.team import TeamPage
from statdesk.workspace import Workspace
from tests.ui.fields import fill, leave
from tests.ui.message_boxes import answer


@pytest.fixture
def team(qtbot: QtBot, demo: Workspace) -> TeamPage:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    page = window.go_to("Team")
    assert isinstance(page, TeamPage)
    return page


def fill_editor(monkeypatch: pytest.MonkeyPatch, fill: Callable[[PersonEditor], None]) -> None:
    def run(editor: PersonEditor) -> int:
        fill(editor)
        return QDialog.DialogCode.Accepted.value if editor.check() else 0

    monkeypatch.setattr(person_editor.PersonEditor, "exec", run)


def test_models_pass_qt_model_tester(team: TeamPage, qtmodeltester: object) -> None:
    for model in (team.people, team.departments.model, team.portfolios.model):
        qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_filters_by_search_department_and_role(team: TeamPage) -> None:
    assert team.count.text() == "25 people"
    team.search.setText("budget")  # type: ignore[union-attr]
    # the director, the two analysts, and the DBA who is Budget & Finance's contact
    assert team.people.shown == 4
    team.search.clear()  # type: ignore[union-attr]
    team.role_filter.setCurrentIndex(team.role_filter.findData(Role.DATA_EXPERT))
    assert sorted(
        r.title for r in team.people.all_rows if team.people.index_of(r.id).isValid()
    ) == ["Database Administrator", "GIS Analyst"]
    police = team.department_filter.findText("Police")
    team.department_filter.setCurrentIndex(police)
    assert team.people.shown == 0
    assert team.count.text() == "0 of 25 people"


def test_the_editor_checks_as_you_type(qtbot: QtBot, team: TeamPage) -> None:
    editor = team._editor()
    qtbot.addWidget(editor)
    name = editor.form._problems["name"]
    assert not editor.check() and name.isHidden()  # a name is required, said only later
    editor.accept()  # Save: every problem shows, and the dialog stays open
    assert not name.isHidden() and "required" in name.text().lower()
    assert editor.result() == 0
    editor = team._editor()
    qtbot.addWidget(editor)
    fill(editor.form.fields["name"], team.people.all_rows[0].name)
    email = editor.form.fields["email"]
    email.set_value("not-an-email")
    problem = editor.form._problems["email"]
    assert problem.isHidden()  # not while typing
    leave(email)
    assert not problem.isHidden() and "does not look like an email" in problem.text()
    assert not editor.duplicate.isHidden() and "already on the roster" in editor.duplicate.text()
    email.set_value("ok@city.example")
    assert problem.isHidden() and editor.check()


def test_add_edit_undo_redo_a_person(
    team: TeamPage, monkeypatch: pytest.MonkeyPatch, demo: Workspace
) -> None:
    parks = demo.query(m.Department, name="Parks & Recreation")[0].id

    def new_person(editor: PersonEditor) -> None:
        editor.form.fields["name"].set_value("Rosa Newcomb")
        editor.form.fields["email"].set_value("rosa@harborbend.example")
        editor.add_role(Role.DEPARTMENT_CONTACT, parks)

    fill_editor(monkeypatch, new_person)
    team.add_person()
    stack = team.host.undo_stack
    assert stack.undoText() == "Add Rosa Newcomb"
    [rosa] = demo.query(m.Person, name="Rosa Newcomb")
    assert demo.roster.roles_of(rosa.id) == [(Role.DEPARTMENT_CONTACT, parks)]
    assert team.count.text() == "26 people"

    select_id(team.view, team.people, rosa.id)  # type: ignore[arg-type]
    fill_editor(monkeypatch, lambda e: e.form.fields["title"].set_value("Volunteer Lead"))
    team.edit_person()
    assert stack.undoText() == "Edit Rosa Newcomb"
    assert demo.get(m.Person, rosa.id).title == "Volunteer Lead"

    stack.undo()
    assert demo.get(m.Person, rosa.id).title is None
    stack.undo()
    assert demo.query(m.Person, name="Rosa Newcomb") == []
    assert team.count.text() == "25 people"
    stack.redo()
    stack.redo()
    again = demo.get(m.Person, rosa.id)  # the same record comes back, with its id
    assert again.title == "Volunteer Lead"
    assert demo.roster.roles_of(rosa.id) == [(Role.DEPARTMENT_CONTACT, parks)]


def test_a_person_named_on_records_is_marked_inactive_not_deleted(
    team: TeamPage, monkeypatch: pytest.MonkeyPatch, demo: Workspace
) -> None:
    contact = next(r for r in team.people.all_rows if r.title == "Operations Analyst")
    select_id(team.view, team.people, contact.id)  # type: ignore[arg-type]
    asked = answer(monkeypatch, "question", QMessageBox.StandardButton.Yes)
    team.delete_person()
    assert "datasets as contact" in asked[0]
    assert demo.get(m.Person, contact.id).active is False
    assert team.count.text() == "24 of 25 people"  # inactive people are hidden by default
    team.host.undo_stack.undo()
    assert demo.get(m.Person, contact.id).active is True


def test_deleting_an_unreferenced_person_is_undoable(
    team: TeamPage, monkeypatch: pytest.MonkeyPatch, demo: Workspace
) -> None:
    resident = next(r for r in team.people.all_rows if r.roles[0][0] is Role.PUBLIC)
    select_id(team.view, team.people, resident.id)  # type: ignore[arg-type]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    team.delete_person()
    assert demo.query(m.Person, name=resident.name) == []
    team.host.undo_stack.undo()
    assert demo.roster.roles_of(resident.id) == [(Role.PUBLIC, None)]


def test_departments_add_rename_merge(
    team: TeamPage, monkeypatch: pytest.MonkeyPatch, demo: Workspace
) -> None:
    tab = team.departments
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Libraries", True))
    tab.add()
    assert tab.model.total == 10
    library = demo.query(m.Department, name="Libraries")[0].id
    select_id(tab.view, tab.model, library)  # type: ignore[arg-type]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Public Libraries", True))
    tab.rename()
    assert demo.get(m.Department, library).name == "Public Libraries"
    team.host.undo_stack.undo()
    assert demo.get(m.Department, library).name == "Libraries"

    from statdesk.ui.dialogs import roster_dialogs

    monkeypatch.setattr(roster_dialogs.MergeDepartmentsDialog, "exec", lambda d: 1)
    parks = demo.query(m.Department, name="Parks & Recreation")[0].id
    select_id(tab.view, tab.model, parks)  # type: ignore[arg-type]
    owned = {x.id for x in demo.query(m.Metric, department_id=parks)}
    assert owned
    tab.merge()
    assert tab.model.total == 9 and demo.query(m.Department, id=parks) == []
    assert list((demo.path.parent / "backups").glob("*.before-merge.statdesk"))
    assert team.host.undo_stack.undoText().startswith("Merge Parks & Recreation into ")
    team.host.undo_stack.undo()  # the department comes back with the same id and its metrics
    assert tab.model.total == 10
    assert {x.id for x in demo.query(m.Metric, department_id=parks)} == owned


def test_portfolios_and_whos_who(
    team: TeamPage, monkeypatch: pytest.MonkeyPatch, demo: Workspace
) -> None:
    assert team.portfolios.model.total == 3
    safety = next(r for r in team.portfolios.model.all_rows if r.name == "Public Safety")
    assert safety.departments == "Fire & Rescue, Police"
    assert team.whos_who.tree.topLevelItemCount() == 9
    mayor = next(
        team.whos_who.tree.topLevelItem(i)
        for i in range(9)
        if team.whos_who.tree.topLevelItem(i).text(0) == "Office of the Mayor"
    )
    assert mayor.text(1) == "⚠ 2 roles unfilled"

    from statdesk.ui.dialogs import roster_dialogs

    def cover_mayor(dialog: roster_dialogs.PortfolioEditor) -> int:
        dialog.name.setText("Executive")
        return 1

    monkeypatch.setattr(roster_dialogs.PortfolioEditor, "exec", cover_mayor)
    team.portfolios.add()
    assert team.portfolios.model.total == 4
    team.host.undo_stack.undo()
    assert team.portfolios.model.total == 3


def test_an_undo_refused_is_said_and_the_other_change_stays(
    team: TeamPage, monkeypatch: pytest.MonkeyPatch, demo: Workspace
) -> None:
    """Someone changed the person after this window's edit: undo would overwrite them, so it
    is refused with a sentence, the stack drops the edit, and redo does nothing."""
    from statdesk.ui import commands

    said: list[str] = []
    monkeypatch.setattr(commands, "show_error", lambda _w, error, _t: said.append(str(error)))
    row = team.people.all_rows[0]
    select_id(team.view, team.people, row.id)  # type: ignore[arg-type]
    fill_editor(monkeypatch, lambda e: e.form.fields["title"].set_value("Volunteer Lead"))
    team.edit_person()
    stack = team.host.undo_stack
    assert stack.undoText() == f"Edit {row.name}"
    demo.update(m.Person, row.id, title="Changed elsewhere")
    stack.undo()
    assert said and "taking the edit back would overwrite that change" in said[0]
    assert demo.get(m.Person, row.id).title == "Changed elsewhere"
    assert not stack.canRedo() and stack.undoText() != f"Edit {row.name}"
