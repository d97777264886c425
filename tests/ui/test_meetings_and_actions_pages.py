"""The Meetings page (agenda in three sections, minutes against the session, planning a meeting
from suggestions, reordering, quick keyboard entry of follow-up items, undo) and the Action
items page (filters, who carries what, marking an item completed, undo)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QMessageBox
from pytestqt.qtbot import QtBot

from statdesk.domain.actions import FollowUpStatus
from statdesk.domain.vocabulary import ActionStatus, AgendaSection
from statdesk.storage import models as m
from statdesk.ui.dialogs import meeting_editor
from statdesk.ui.dialogs.meeting_editor import MeetingEditor
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.actions import ActionsPage
from statdesk.ui.pages.base import select_id
from statdesk.ui.pages.meetings import MeetingsPage, worth_trend
from statdesk.workspace import Workspace
from tests.ui.message_boxes import answer


@pytest.fixture
def meetings(window: MainWindow) -> MeetingsPage:
    page = window.go_to("Meetings")
    assert isinstance(page, MeetingsPage)
    return page


@pytest.fixture
def actions(window: MainWindow) -> ActionsPage:
    page = window.go_to("Action items")
    assert isinstance(page, ActionsPage)
    return page


def _public_works(demo: Workspace) -> int:
    return next(d.id for d in demo.query(m.Department) if d.name == "Public Works")


def _october(demo: Workspace) -> int:
    return next(r.id for r in demo.meetings.rows() if r.items == 7)


def test_models_pass_qt_model_tester(
    meetings: MeetingsPage, actions: ActionsPage, qtmodeltester: object
) -> None:
    qtmodeltester.check(meetings.meetings)  # type: ignore[attr-defined]
    qtmodeltester.check(actions.items)  # type: ignore[attr-defined]
    qtmodeltester.check(actions.by_owner)  # type: ignore[attr-defined]


def test_a_meeting_shows_its_agenda_by_section_with_minutes(
    meetings: MeetingsPage, demo: Workspace
) -> None:
    assert meetings.meetings.rowCount() == 4
    assert select_id(meetings.view, meetings.meetings, _october(demo))
    sections = [meetings.agenda.topLevelItem(i) for i in range(3)]
    assert [s.text(0) for s in sections] == ["Follow-up items", "Standing items", "New items"]
    assert [s.childCount() for s in sections] == [4, 2, 1]
    assert [s.text(1) for s in sections] == ["16", "22", "15"]
    assert "53 of 90 minutes" in meetings.info.text()
    standing = sections[1].child(0)
    # as of its reporting period (Sep 2026), not the value recorded since
    assert standing.text(0) == "Pothole repair times" and "in Sep 2026" in standing.text(2)
    assert meetings.attendees.topLevelItemCount() == 6
    assert "Public Works: 'yes' share by session" in meetings.trend.text()


def test_worth_trend_is_the_yes_share_per_session(demo: Workspace) -> None:
    rows = demo.meetings.rows()
    lines = worth_trend(rows)
    police = [r for r in rows if r.department == "Police" and sum(r.worth)]
    assert len(lines) == 2 and lines[0].startswith("Police: ")
    [held] = police
    share = round(100 * held.worth[0] / sum(held.worth))
    assert lines[0].endswith(f"{held.starts_at:%b %Y} {share}%")
    assert worth_trend([]) == []


def test_planning_a_meeting_from_suggestions_and_undoing_it(
    meetings: MeetingsPage, demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    pw = _public_works(demo)
    meetings.department_filter.setCurrentIndex(meetings.department_filter.findData(pw))
    seen: dict[str, MeetingEditor] = {}

    def accept(editor: MeetingEditor) -> int:
        seen["editor"] = editor
        assert editor.form.values()["department_id"] == pw
        editor.suggest_items()  # nothing new: the suggestions are already there
        return 1

    monkeypatch.setattr(meeting_editor.MeetingEditor, "exec", accept)
    before = len(demo.meetings.rows())
    meetings.add_meeting()
    rows = demo.meetings.rows()
    assert len(rows) == before + 1
    new = max(rows, key=lambda r: r.id)
    detail = demo.meetings.detail(new.id)
    follow_ups = detail.section(AgendaSection.FOLLOW_UP)
    standing = detail.section(AgendaSection.STANDING)
    open_pw = [a for a in demo.meetings.action_rows() if a.department_id == pw and a.is_open]
    assert {e.action_item_id for e in follow_ups} == {a.id for a in open_pw}
    kpis = [s for s in demo.metrics.summaries() if s.department_id == pw and s.is_kpi]
    assert {e.metric_id for e in standing} == {k.id for k in kpis}
    assert standing[0].data_source  # from the metric's datasets
    people = {a.person.id for a in detail.attendees}
    assert set(demo.meetings.suggested_attendees(pw)) == people
    lead = next(
        r.person_id
        for r in demo.query(m.RoleAssignment, role="department_lead")
        if r.department_id == pw
    )
    assert lead in people
    meetings.host.undo_stack.undo()
    assert len(demo.meetings.rows()) == before


def _suggested_for(demo: Workspace, department: int) -> set[tuple[object, object]]:
    return {(e.action_item_id, e.metric_id) for e in demo.meetings.suggested_agenda(department)}


def _plan_a_meeting(
    meetings: MeetingsPage, department: int, monkeypatch: pytest.MonkeyPatch
) -> MeetingEditor:
    """Plan a meeting for `department` from the Meetings page; the editor, as it opened."""
    meetings.department_filter.setCurrentIndex(meetings.department_filter.findData(department))
    opened: list[MeetingEditor] = []
    monkeypatch.setattr(
        meeting_editor.MeetingEditor, "exec", lambda editor: opened.append(editor) or 0
    )
    meetings.add_meeting()
    [editor] = opened
    return editor


def _on_agenda(editor: MeetingEditor) -> list[tuple[object, object]]:
    return [(r.get("action_item_id"), r.get("metric_id")) for r in editor.agenda]


def test_suggesting_again_replaces_the_earlier_suggestions_and_keeps_the_analyst_s(
    meetings: MeetingsPage, demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It used to add them again beside the first ones ("130 of 90 minutes")."""
    pw = _public_works(demo)
    editor = _plan_a_meeting(meetings, pw, monkeypatch)
    suggested = _suggested_for(demo, pw)
    assert len(editor.agenda) == len(suggested) > 2
    total = editor.minutes_total()
    editor.items.setCurrentRow(0)
    editor.narrative.setPlainText("Ask about the backlog")  # this one is the analyst's now
    edited = dict(editor.agenda[0])
    editor.add_item(AgendaSection.NEW)
    editor.item_title.setText("Snow plan")
    editor.suggest_items()
    editor.suggest_items()
    assert sorted(map(str, _on_agenda(editor))) == sorted(map(str, [*suggested, (None, None)]))
    assert editor.minutes_total() == total + 15
    assert [r["narrative"] for r in editor.agenda if r.get("narrative") == "Ask about the backlog"]
    assert any(r["title"] == edited["title"] for r in editor.agenda)
    assert editor.suggestion_note.text() == (
        f"{len(suggested) - 1} items suggested, in place of the "
        f"{len(suggested) - 1} suggestions made before."
    )


def test_changing_a_planned_meeting_s_department_offers_the_new_one_s_plan(
    meetings: MeetingsPage, demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    departments = {d.name: d.id for d in demo.query(m.Department)}
    pw = departments["Public Works"]
    other = next(
        d for name, d in departments.items() if name != "Public Works" and _suggested_for(demo, d)
    )
    other_name = next(name for name, d in departments.items() if d == other)
    editor = _plan_a_meeting(meetings, pw, monkeypatch)
    editor.add_item(AgendaSection.NEW)
    editor.item_title.setText("Snow plan")
    said = answer(monkeypatch, "question", QMessageBox.StandardButton.No)
    field = editor.form.fields["department_id"]
    field.set_value(other)  # type: ignore[attr-defined]
    assert len(said) == 1 and "The 1 item you wrote or edited stay" in said[0]
    assert editor.form.values()["title"] == "Public Works Stat"  # No: nothing else changed
    said = answer(monkeypatch, "question", QMessageBox.StandardButton.Yes)
    field.set_value(pw)  # type: ignore[attr-defined]
    field.set_value(other)  # type: ignore[attr-defined]
    assert editor.form.values()["title"] == f"{other_name} Stat"
    assert set(editor.attendee_ids()) == set(demo.meetings.suggested_attendees(other))
    assert sorted(map(str, _on_agenda(editor))) == sorted(
        map(str, [*_suggested_for(demo, other), (None, None)])
    )
    assert any(r["title"] == "Snow plan" for r in editor.agenda)


def test_the_agenda_total_warns_over_the_session_and_order_keeps_sections(
    meetings: MeetingsPage, demo: Workspace
) -> None:
    october = _october(demo)
    detail = demo.meetings.detail(october)
    editor = meetings._editor(
        {"department_id": detail.row.department_id, "title": "X", "session_minutes": 60},
        [e.as_row() for e in detail.items],
        [],
    )
    assert editor.total.text() == "53 of 60 minutes"
    editor.items.setCurrentRow(len(editor.agenda) - 1)  # the New item
    editor.minutes.setValue(30)
    assert editor.total.text().startswith("⚠ 68 of 60 minutes: 8 over")
    assert editor.check()  # over the session is a warning, not a refusal
    first, second = editor.agenda[0]["title"], editor.agenda[1]["title"]
    editor.items.setCurrentRow(0)
    editor.move_item(1)
    assert [r["title"] for r in editor.agenda[:2]] == [second, first]
    editor.items.setCurrentRow(3)  # the last follow-up item cannot pass into Standing
    editor.move_item(1)
    assert editor.agenda[3]["section"] is AgendaSection.FOLLOW_UP
    editor.items.setCurrentRow(4)
    editor.section.setCurrentIndex(editor.section.findData("new"))  # moves with its section
    assert [AgendaSection(r["section"]) for r in editor.agenda].count(AgendaSection.NEW) == 2
    assert AgendaSection(editor.agenda[-1]["section"]) is AgendaSection.NEW
    editor.add_question("Data quality", 0)
    assert "Where do the numbers for" in editor.questions.toPlainText()
    editor.item_title.setText("")
    assert not editor.check() and "needs a title" in editor.problem.text()


def test_saving_an_edited_agenda_keeps_answers_and_order(demo: Workspace) -> None:
    october = _october(demo)
    detail = demo.meetings.detail(october)
    rows = [e.as_row() for e in detail.items]
    for row, entry in zip(rows, detail.items, strict=True):
        row["narrative"] = entry.narrative
    rows[0], rows[1] = rows[1], rows[0]
    rows.pop()  # the New item goes
    keep = [a.person.id for a in detail.attendees][:-1]
    fields = {"title": "Public Works Stat", "department_id": detail.row.department_id}
    demo.meetings.save(october, fields, keep, rows)
    after = demo.meetings.detail(october)
    assert [e.title for e in after.items] == [r["title"] for r in rows]
    assert [e.id for e in after.items[:2]] == [rows[0]["id"], rows[1]["id"]]
    assert [a.person.id for a in after.attendees] == keep
    assert [a.worth_time for a in after.attendees] == [a.worth_time for a in detail.attendees][:-1]


def test_quick_entry_records_a_follow_up_item_with_the_keyboard(
    meetings: MeetingsPage, demo: Workspace, qtbot: QtBot
) -> None:
    october = _october(demo)
    assert select_id(meetings.view, meetings.meetings, october)
    person = demo.query(m.Person)[3]
    owner = meetings.quick_owner.findData(person.id)
    assert meetings.quick_owner.itemText(owner).startswith(f"{person.name} — ")  # and department
    meetings.quick_owner.setCurrentIndex(owner)
    qtbot.keyClicks(meetings.quick, "Send the route maps to council")
    qtbot.keyClick(meetings.quick, Qt.Key.Key_Return)
    [item] = demo.query(m.ActionItem, description="Send the route maps to council")
    assert item.origin_meeting_id == october
    assert item.department_id == demo.meetings.detail(october).row.department_id
    assert item.owner_id == demo.query(m.Person)[3].id and item.due is not None
    assert meetings.quick.text() == ""
    meetings.host.undo_stack.undo()
    assert demo.query(m.ActionItem, description="Send the route maps to council") == []


def test_action_items_filter_analyse_and_complete(actions: ActionsPage, demo: Workspace) -> None:
    rows = demo.meetings.action_rows()
    open_rows = [r for r in rows if r.is_open]
    assert actions.items.rowCount() == len(open_rows)  # open only, at first
    actions.status_filter.setCurrentIndex(actions.status_filter.findData(FollowUpStatus.OVERDUE))
    overdue = [r for r in rows if r.follow_up is FollowUpStatus.OVERDUE]
    assert actions.items.rowCount() == len(overdue) >= 1
    owners = {w.name: w for w in actions.by_owner._all}  # type: ignore[attr-defined]
    assert sum(w.overdue for w in owners.values()) == len(overdue)
    assert f"{len(open_rows)} open, {len(overdue)} overdue" in actions.summary.text()
    target = overdue[0]
    assert select_id(actions.view, actions.items, target.id)
    actions.complete_item()
    done = demo.get(m.ActionItem, target.id)
    assert done.status is ActionStatus.COMPLETED and done.completed_on == date.today()
    assert actions.host.undo_stack.undoText().startswith("Complete")
    actions.host.undo_stack.undo()
    assert demo.get(m.ActionItem, target.id).status is ActionStatus.INCOMPLETE


def test_worth_your_time_answers_are_recorded_per_attendee_with_undo(
    meetings: MeetingsPage, demo: Workspace
) -> None:
    upcoming = next(r.id for r in demo.meetings.rows() if r.items == 0)
    assert select_id(meetings.view, meetings.meetings, upcoming)
    item = meetings.attendees.topLevelItem(0)
    box = meetings.attendees.itemWidget(item, 2)
    assert isinstance(box, QComboBox) and box.currentData() is None
    box.setCurrentIndex(box.findData("yes"))
    assert next(r for r in demo.meetings.rows() if r.id == upcoming).worth == (1, 0, 0)
    meetings.host.undo_stack.undo()
    assert next(r for r in demo.meetings.rows() if r.id == upcoming).worth == (0, 0, 0)


def test_attendance_is_recorded_per_attendee_with_undo(
    meetings: MeetingsPage, demo: Workspace
) -> None:
    october = _october(demo)
    assert select_id(meetings.view, meetings.meetings, october)
    attendee = demo.meetings.detail(october).attendees[0]
    came = meetings.attendees.itemWidget(meetings.attendees.topLevelItem(0), 1)
    assert isinstance(came, QCheckBox) and came.isChecked() == bool(attendee.attended)
    came.setChecked(not came.isChecked())
    assert demo.get(m.Attendee, attendee.id).attended is (not attendee.attended)
    meetings.host.undo_stack.undo()
    assert demo.get(m.Attendee, attendee.id).attended == attendee.attended


def test_deleting_a_meeting_keeps_its_follow_up_items_and_undo_restores_it_whole(
    meetings: MeetingsPage, demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    october = _october(demo)
    before = demo.meetings.detail(october)
    answers = [(a.person.id, a.attended, a.worth_time) for a in before.attendees]
    followed = [r.id for r in demo.meetings.action_rows() if r.origin_meeting_id == october]
    assert followed and answers
    asked = answer(monkeypatch, "question", QMessageBox.StandardButton.Yes)
    assert select_id(meetings.view, meetings.meetings, october)
    meetings.delete_meeting()
    assert f"The {len(followed)} follow-up items recorded at it stay" in asked[0]
    assert october not in [r.id for r in demo.meetings.rows()]
    assert demo.query(m.AgendaItem, meeting_id=october) == []
    assert all(demo.get(m.ActionItem, i).origin_meeting_id is None for i in followed)

    meetings.host.undo_stack.undo()
    after = demo.meetings.detail(october)
    assert [e.title for e in after.items] == [e.title for e in before.items]
    assert [(a.person.id, a.attended, a.worth_time) for a in after.attendees] == answers
    assert [r.id for r in demo.meetings.action_rows() if r.origin_meeting_id == october] == followed
    meetings.host.undo_stack.redo()
    assert october not in [r.id for r in demo.meetings.rows()]


def test_person_pickers_name_each_person_with_their_department(
    actions: ActionsPage, demo: Workspace
) -> None:
    """Two people of one name are told apart, and a long list is searched by typing."""
    editor = actions._editor(None)
    combo = editor.form.fields["owner_id"].combo  # type: ignore[attr-defined]
    departments = {d.id: d.name for d in demo.query(m.Department)}
    active = [p for p in demo.query(m.Person) if p.active]
    assert combo.count() == len(active) + 1  # and "(none)"
    for person in active:
        text = combo.itemText(combo.findData(person.id))
        department = departments.get(person.department_id or 0)
        assert text == (f"{person.name} — {department}" if department else person.name)
    assert combo.isEditable() and combo.completer() is not None  # 25 people: type to find
