"""File ▸ Export…: every export in one dialog, the folder remembered, safe file names, and the
work off the GUI thread with its result (or its problems) shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from statdesk.storage import models as m
from statdesk.ui.dialogs.export_dialog import ExportDialog
from statdesk.workspace import Workspace
from statdesk.workspace.export_kinds import EXPORT_KINDS


@pytest.fixture
def dialog(qtbot: QtBot, demo: Workspace, tmp_path: Path) -> ExportDialog:
    made = ExportDialog(demo)
    qtbot.addWidget(made)
    made.folder.setText(str(tmp_path))
    return made


def _choose(dialog: ExportDialog, kind: str, suffix: str) -> None:
    row = list(EXPORT_KINDS).index(kind)
    dialog.kinds.setCurrentRow(row)
    dialog.format.setCurrentIndex(dialog.format.findData(suffix))


def test_every_export_is_offered(dialog: ExportDialog) -> None:
    assert dialog.kinds.count() == len(EXPORT_KINDS)
    _choose(dialog, "inventory", ".json")
    assert dialog.name.text() == "data.json"
    assert not dialog.meeting_choice.isVisibleTo(dialog)
    assert not dialog.metric_choice.isVisibleTo(dialog)
    _choose(dialog, "memo", ".docx")
    assert dialog.meeting_choice.isVisibleTo(dialog) and dialog.name.text().endswith("memo.docx")


@pytest.mark.parametrize(
    ("kind", "suffix"),
    [("inventory", ".json"), ("roster", ".csv"), ("metrics", ".xlsx"), ("chart", ".svg")],
)
def test_exporting_writes_the_file_and_remembers_the_folder(
    dialog: ExportDialog, qtbot: QtBot, tmp_path: Path, kind: str, suffix: str
) -> None:
    _choose(dialog, kind, suffix)
    target = tmp_path / dialog.name.text()
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("Wrote"), timeout=20_000)
    assert target.exists() and target.suffix == suffix
    if suffix == ".json":
        catalog = json.loads(target.read_text("utf-8"))["dataset"]
        assert catalog and f"{len(catalog)} datasets in the catalog." in dialog.outcome.text()
    assert ExportDialog(dialog.workspace).folder.text() == str(
        tmp_path
    )  # the next one starts there


def test_a_hostile_meeting_title_gives_a_safe_file_name(
    qtbot: QtBot, demo: Workspace, tmp_path: Path
) -> None:
    meeting = demo.meetings.rows()[0]
    demo.update(m.Meeting, meeting.id, title="CON/../<evil>: memo?")
    dialog = ExportDialog(demo)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path))
    _choose(dialog, "memo", ".pdf")
    dialog.meeting_choice.setCurrentIndex(dialog.meeting_choice.findData(meeting.id))
    name = dialog.name.text()
    assert name == f"CON_..__evil__ memo_, {meeting.starts_at:%Y-%m-%d} memo.pdf"
    assert not set('<>:"/\\|?*') & set(name)
    assert dialog.target().parent == tmp_path


def test_catalog_problems_are_shown_and_nothing_is_written(
    qtbot: QtBot, empty: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty.create(m.Dataset, title="Tree Canopy", access_level="public")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    dialog = ExportDialog(empty)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path))
    _choose(dialog, "inventory", ".json")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("Nothing"), timeout=20_000)
    assert shown and "Tree Canopy" in shown[0]
    assert not (tmp_path / "data.json").exists()
    dialog.leave_out.setChecked(True)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("Wrote"), timeout=20_000)
    assert "Left out Tree Canopy" in dialog.outcome.text()


def test_a_memo_without_any_meeting_says_what_to_do(
    qtbot: QtBot, empty: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    dialog = ExportDialog(empty)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path))
    _choose(dialog, "memo", ".pdf")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("Nothing"), timeout=20_000)
    assert shown and "No meeting was chosen" in shown[0]
    assert not list(tmp_path.glob("*.pdf"))


def test_a_calendar_series_a_mail_and_a_briefing_book_from_the_dialog(
    dialog: ExportDialog, qtbot: QtBot, tmp_path: Path, demo: Workspace
) -> None:
    from icalendar import Calendar

    _choose(dialog, "calendar", ".ics")
    assert dialog.series.isVisibleTo(dialog) and not dialog.book_meetings.isVisibleTo(dialog)
    meeting = demo.get(m.Meeting, dialog.meeting_choice.currentData())
    dialog.series.setChecked(True)
    target = tmp_path / dialog.name.text()
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("Wrote"), timeout=30_000)
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert len(events) == len(demo.query(m.Meeting, department_id=meeting.department_id))
    assert dialog.send.isVisibleTo(dialog)

    _choose(dialog, "memo", ".eml")
    target = tmp_path / dialog.name.text()
    dialog.export_button.click()
    qtbot.waitUntil(lambda: target.exists() and dialog.send.isVisibleTo(dialog), timeout=30_000)
    assert dialog.outcome.text().startswith(f"Wrote {target} to ")

    _choose(dialog, "book", ".pdf")
    assert dialog.book_meetings.isVisibleTo(dialog) and not dialog.series.isVisibleTo(dialog)
    for row in range(dialog.book_meetings.count()):
        dialog.book_meetings.item(row).setCheckState(Qt.CheckState.Checked)
    target = tmp_path / dialog.name.text()
    dialog.export_button.click()
    qtbot.waitUntil(
        lambda: target.exists() and dialog.outcome.text().startswith("Wrote"), timeout=60_000
    )
    assert target.read_bytes().startswith(b"%PDF")
