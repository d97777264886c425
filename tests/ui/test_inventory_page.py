"""The Inventory page: filters, the dataset editor, status workflow, undo, ranking."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from statdesk.domain.inventory import is_stale
from statdesk.domain.vocabulary import AccessLevel, DatasetStatus
from statdesk.storage import models as m
from statdesk.ui.dialogs import dataset_editor
from statdesk.ui.dialogs.dataset_editor import DatasetEditor
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.base import select_id
from statdesk.ui.pages.inventory import InventoryPage
from statdesk.workspace import Workspace
from tests.ui.fields import fill


@pytest.fixture
def inventory(qtbot: QtBot, demo: Workspace) -> InventoryPage:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    page = window.go_to("Inventory")
    assert isinstance(page, InventoryPage)
    return page


def test_models_pass_qt_model_tester(inventory: InventoryPage, qtmodeltester: object) -> None:
    qtmodeltester.check(inventory.datasets)  # type: ignore[attr-defined]
    qtmodeltester.check(inventory.ranking)  # type: ignore[attr-defined]


def test_filters(inventory: InventoryPage) -> None:
    assert inventory.count.text() == "30 datasets"
    # Which datasets are stale depends on today's date (the demo is built as of a fixed day):
    # count them by the domain rule, independently of the page.
    rows = inventory.datasets.all_rows
    needing_care = sum(
        is_stale(r.update_frequency, r.last_updated, date.today()) or r.contact_id is None
        for r in rows
    )
    assert 1 <= needing_care < len(rows)
    inventory.stale_only.setChecked(True)
    assert inventory.datasets.shown == needing_care
    inventory.stale_only.setChecked(False)
    inventory.access_filter.setCurrentIndex(
        inventory.access_filter.findData(AccessLevel.NON_PUBLIC)
    )
    assert all(
        r.access_level is AccessLevel.NON_PUBLIC
        for r in inventory.datasets.all_rows
        if inventory.datasets.index_of(r.id).isValid()
    )
    inventory.access_filter.setCurrentIndex(0)
    inventory.search.setText("pothole")  # type: ignore[union-attr]
    assert inventory.count.text() == "1 of 30 datasets"


def test_the_ranking_lists_unpublished_datasets_by_priority(inventory: InventoryPage) -> None:
    rows = inventory.ranking.all_rows
    assert rows and all(r.status is not DatasetStatus.PUBLISHED for r in rows)
    assert [r.priority or 0 for r in rows] == sorted((r.priority or 0 for r in rows), reverse=True)


def test_the_editor_validates_and_computes_priority(qtbot: QtBot, inventory: InventoryPage) -> None:
    editor = inventory._editor(None, None)
    qtbot.addWidget(editor)
    assert not editor.check()  # a title is required
    assert all(label.isHidden() for label in editor.about._problems.values())  # not yet said
    fill(editor.about.fields["title"], "Snow plow routes")
    fill(editor.source.fields["landing_page"], "ask Bob")
    assert not editor.check()
    assert "is not a web address" in editor.source._problems["landing_page"].text()
    editor.source.fields["landing_page"].set_value("https://data.city.example/plows")
    editor.scores.fields["score_value"].set_value(5)
    editor.scores.fields["score_risk"].set_value(1)
    assert editor.priority.text() == "Priority: 5.0 of 5"
    assert editor.check()


def test_add_edit_advance_delete_with_undo(
    inventory: InventoryPage, monkeypatch: pytest.MonkeyPatch, demo: Workspace
) -> None:
    def fill(editor: DatasetEditor) -> int:
        editor.about.fields["title"].set_value("Snow Plow Routes")
        editor.discovery.fields["q_grant_reports"].set_value(True)
        return 1

    monkeypatch.setattr(dataset_editor.DatasetEditor, "exec", fill)
    inventory.add_dataset()
    [plows] = demo.query(m.Dataset, title="Snow Plow Routes")
    assert plows.q_grant_reports is True and plows.q_oversight is None
    assert plows.status is DatasetStatus.DISCOVERED
    stack = inventory.host.undo_stack

    select_id(inventory.view, inventory.datasets, plows.id)  # type: ignore[arg-type]
    assert inventory.advance.text() == "Mark verified"
    inventory.advance_status()
    assert demo.get(m.Dataset, plows.id).status is DatasetStatus.VERIFIED
    assert inventory.advance.text() == "Mark published"
    stack.undo()
    assert demo.get(m.Dataset, plows.id).status is DatasetStatus.DISCOVERED

    potholes = demo.query(m.Dataset, title="Pothole Repair Work Orders")[0]
    select_id(inventory.view, inventory.datasets, potholes.id)  # type: ignore[arg-type]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    inventory.delete_dataset()
    assert demo.query(m.Dataset, title="Pothole Repair Work Orders") == []
    stack.undo()
    assert len(demo.inventory.metrics_fed_by(potholes.id)) == 2  # its links to metrics come back


def test_editing_in_a_read_only_file_is_disabled(qtbot: QtBot, demo_path: object) -> None:
    window = MainWindow(Workspace.open(demo_path, read_only=True))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    page = window.go_to("Inventory")
    assert isinstance(page, InventoryPage)
    assert not page.advance.isEnabled()
    page.add_dataset()  # does nothing: no editor opens, nothing is written
    assert window.workspace.count(m.Dataset) == 30


def test_a_reader_can_open_a_dataset_but_not_save_it(
    qtbot: QtBot, demo_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(Workspace.open(demo_path, read_only=True))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    page = window.go_to("Inventory")
    assert isinstance(page, InventoryPage)
    select_id(page.view, page.datasets, page.datasets.all_rows[0].id)  # type: ignore[arg-type]
    seen: list[DatasetEditor] = []

    def look(editor: DatasetEditor) -> int:
        seen.append(editor)
        editor.about.fields["title"].set_value("Changed while reading")
        editor.accept()
        return 0

    monkeypatch.setattr(dataset_editor.DatasetEditor, "exec", look)
    page.edit_dataset()
    assert seen and seen[0].windowTitle().endswith("(read-only)")
    assert seen[0].buttons.button(QDialogButtonBox.StandardButton.Save).isHidden()
    assert window.workspace.query(m.Dataset, title="Changed while reading") == []


def test_reading_the_page_anew_keeps_the_filter_and_reads_each_row_once(
    inventory: InventoryPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory.search.setText("pothole")  # type: ignore[union-attr]
    looked_at: list[int] = []
    inner = inventory.datasets._recompute

    def counted() -> None:
        looked_at.append(len(inventory.datasets._all))
        inner()

    monkeypatch.setattr(inventory.datasets, "_recompute", counted)
    inventory.refresh()
    assert looked_at == [30]  # the new rows and the search together, in one pass
    assert inventory.count.text() == "1 of 30 datasets"
