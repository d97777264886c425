"""The History page: who changed what (the change log, newest first, read as it scrolls) and the
imports, each of which it can undo; Edit ▸ Undo takes back an import made in this window."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QMessageBox

from statdesk.importing.plan import ImportOptions
from statdesk.storage import models as m
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.history import HistoryPage
from statdesk.workspace import Workspace


def _history(window: MainWindow) -> HistoryPage:
    page = window.go_to("History")
    assert isinstance(page, HistoryPage)
    return page


def _log_lines(path: Path, where: str = "1") -> list[tuple[int, str]]:
    with sqlite3.connect(path) as db:
        return db.execute(
            f"SELECT id, summary FROM change_log WHERE {where} ORDER BY id DESC"
        ).fetchall()


def _values(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM metric_value").fetchone()[0])


def test_the_newest_change_comes_first_with_who_and_old_and_new_values(
    window: MainWindow, demo: Workspace
) -> None:
    page = _history(window)
    person = demo.query(m.Person)[0]
    demo.update(m.Person, person.id, title="Deputy director of testing")
    first = page.changes.lines[0]
    assert (first.user, first.record_kind, first.record_id) == ("tester", "person", person.id)
    model = page.changes
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row[1] == "tester"
    assert row[2] == first.summary == f"Changed title of person '{person.name}'"
    assert row[3] == f"title: {person.title or '(empty)'} → Deputy director of testing"
    # what the file holds, newest first
    assert [(line.id, line.summary) for line in model.lines] == _log_lines(demo.path)[:200]


def test_filters_narrow_the_log_to_a_kind_a_person_and_words(
    window: MainWindow, demo: Workspace, tmp_path: Path
) -> None:
    page = _history(window)
    assert page.user_filter.findData("ana") == -1
    for metric in demo.query(m.Metric)[:3]:
        demo.update(m.Metric, metric.id, description=f"About {metric.name}")
    for person in demo.query(m.Person)[:4]:
        demo.update(m.Person, person.id, title="Analyst (100% of the time)")
    demo.user = "ana"  # a colleague's edit, as if she had the file next
    demo.update(m.Person, demo.query(m.Person)[0].id, title="Lead")
    assert page.user_filter.findData("ana") > 0  # the page re-read its choices
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("metric"))
    expected = _log_lines(demo.path, "record_kind = 'metric'")
    assert len(expected) == 3
    assert [(line.id, line.summary) for line in page.changes.lines] == expected
    page.kind_filter.setCurrentIndex(0)
    page.user_filter.setCurrentIndex(page.user_filter.findData("ana"))
    assert [(line.user, line.summary) for line in page.changes.lines] == [
        ("ana", f"Changed title of person '{demo.query(m.Person)[0].name}'")
    ]
    page.user_filter.setCurrentIndex(0)
    page.search.setText("100%_")  # LIKE's wildcards are taken as themselves
    assert page.changes.lines == [] and page.change_count.text() == "No changes match."
    page.search.setText("PERSON")
    expected = _log_lines(demo.path, "lower(summary) LIKE '%person%'")
    assert len(expected) == 5 and [line.id for line in page.changes.lines] == [
        i for i, _ in expected
    ]
    page.since_filter.setCurrentIndex(page.since_filter.findData(0))  # today
    assert len(page.changes.lines) == 5
    assert page.change_count.text() == "5 changes, newest first."


def test_a_long_log_is_read_a_screen_at_a_time(window: MainWindow, demo: Workspace) -> None:
    for number in range(450):
        demo.update(m.City, demo.city().id, program_name=f"Stat {number}")
    total = len(_log_lines(demo.path))
    page = _history(window)
    model = page.changes
    assert len(model.lines) == 200 and model.canFetchMore(QModelIndex())
    assert "The newest 200 changes" in page.change_count.text()
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [(line.id, line.summary) for line in model.lines] == _log_lines(demo.path)
    assert model.rowCount() == total > 450


def test_the_imports_tab_undoes_an_import_and_says_so(
    window: MainWindow, demo: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _values(demo.path)
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    source = tmp_path / "later.csv"
    source.write_text(
        f"Metric,Month,Actual\n{metric.name},Jun 2031,50\n{metric.name},Jul 2031,60\n"
    )
    result, _ = demo.imports.run(demo.imports.plan(source, ImportOptions("values")))
    assert _values(demo.path) == before + 2
    page = _history(window)
    page.tabs.setCurrentIndex(1)
    lines = page.imports.all_rows
    assert lines[0].id == result.batch_id and lines[0].state == "active"
    assert (lines[0].source, lines[0].rows) == ("later.csv", 2)
    page.import_view.setCurrentIndex(page.imports.index_of(result.batch_id))
    assert page.undo_button.isEnabled()
    asked: list[str] = []

    def yes(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    page.undo_button.click()
    assert f"Undo import #{result.batch_id} (later.csv, 2 rows)?" in asked[0]
    assert _values(demo.path) == before
    undone = next(i for i in page.imports.all_rows if i.id == result.batch_id)
    assert undone.state == "undone"
    page.import_view.setCurrentIndex(page.imports.index_of(result.batch_id))
    assert not page.undo_button.isEnabled()
    assert page.changes.lines[0].summary == f"Undid import #{result.batch_id}"


def test_edit_undo_takes_back_an_import_made_in_the_window_and_redo_makes_it_again(
    window: MainWindow, demo: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statdesk.ui.wizards import import_wizard

    metric = demo.metrics.find("Potholes repaired within 48 hours")
    source = tmp_path / "later.csv"
    source.write_text(f"Metric,Month,Actual\n{metric.name},Jun 2031,50\n")
    before = _values(demo.path)

    def import_in_the_wizard(wizard: import_wizard.ImportWizard) -> int:
        wizard.plan = demo.imports.plan(source, ImportOptions("values"))
        wizard.batch_id = demo.imports.run(wizard.plan)[0].batch_id
        return 1

    monkeypatch.setattr(import_wizard.ImportWizard, "exec", import_in_the_wizard)
    window.import_file()
    assert _values(demo.path) == before + 1
    assert window.undo_action.text() == "&Undo Import later.csv"
    window.undo_action.trigger()
    assert _values(demo.path) == before
    window.redo_action.trigger()
    assert _values(demo.path) == before + 1
    window.undo_action.trigger()
    assert _values(demo.path) == before
    states = [line.state for line in demo.imports.history()]
    assert states[:2] == ["undone", "undone"]


def test_a_read_only_window_offers_no_undo_of_imports(qtbot: object, demo_path: Path) -> None:
    with Workspace.open(demo_path, read_only=True) as workspace:
        window = MainWindow(workspace)
        page = _history(window)
        page.tabs.setCurrentIndex(1)
        if page.imports.rowCount():
            page.import_view.setCurrentIndex(page.imports.index(0, 0))
        assert not page.undo_button.isEnabled()
        window.close()
