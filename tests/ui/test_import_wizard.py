"""The import wizard: file → sheet and header → mapping → check → import → undo, with the
reading and writing off the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QWizard
from pytestqt.qtbot import QtBot

from statdesk.importing.plan import ImportOptions
from statdesk.storage import models as m
from statdesk.ui.wizards.import_wizard import ImportWizard
from statdesk.workspace import Workspace


def messy_file(tmp_path: Path) -> Path:
    path = tmp_path / "Trees 2026-10.csv"
    path.write_text(
        "Tree planting report\n\nMeasure,Month,Planted\n"
        'Trees planted,Oct 2026,"1,204"\nTrees planted,Nov 2026,N/A\n'
        "Total,,1204\n"
    )
    return path


def to_layout(wizard: ImportWizard, qtbot: QtBot) -> None:
    """On to the sheet and header row, once its rows have been read (in the background)."""
    wizard.next()
    qtbot.waitUntil(wizard.layout_page.isComplete, timeout=20_000)


def test_the_wizard_imports_a_messy_file_and_undoes_it(
    qtbot: QtBot, demo: Workspace, tmp_path: Path
) -> None:
    wizard = ImportWizard(demo, source=messy_file(tmp_path))
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.source_page.isComplete()
    to_layout(wizard, qtbot)
    layout = wizard.layout_page
    assert wizard.table is not None and wizard.table.header_row == 3
    assert layout.preview.rowCount() == 3  # the total is shown, marked as one
    assert layout.preview.verticalHeaderItem(2).text() == "6 (total)"
    assert "Row 6 ('Total') is a total" in layout.notices.text()
    wizard.next()  # → mapping
    mapping = wizard.mapping_page
    combos = {
        mapping.columns.item(r, 0).text(): mapping.columns.cellWidget(r, 1)
        for r in range(mapping.columns.rowCount())
    }
    assert isinstance(combos["Measure"], QComboBox)
    assert combos["Measure"].currentData() == "metric"
    assert combos["Month"].currentData() == "period"
    planted = combos["Planted"]
    assert isinstance(planted, QComboBox)
    planted.setCurrentIndex(planted.findData("actual"))
    wizard.next()  # → check (runs in the background)
    report = wizard.report_page
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=20_000)
    assert report.isComplete()
    assert "2 values" in report.summary.text() and "'N/A'" in report.summary.text()
    report.save_recipe.setChecked(True)
    wizard.next()  # → import (runs in the background)
    qtbot.waitUntil(lambda: wizard.done_page.finished, timeout=20_000)
    assert wizard.done_page.result.text().startswith("Imported as import #1")
    [trees] = demo.query(m.Metric, name="Trees planted")
    assert [v.value for v in demo.metrics.values(trees.id)] == [1204.0, None]
    assert demo.query(m.ImportRecipe, name="Trees")
    wizard.done_page.undo.click()
    assert demo.query(m.Metric, name="Trees planted") == []
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()


def test_the_wizard_remembers_choices_for_the_next_months_file(
    qtbot: QtBot, demo: Workspace, tmp_path: Path
) -> None:
    first = ImportWizard(demo, source=messy_file(tmp_path))
    qtbot.addWidget(first)
    first.source_page.kind.setCurrentIndex(first.source_page.kind.findData("values"))
    first.import_options.kind = "values"
    first.source_page.validatePage()
    first.import_options.mapping = {"Planted": "actual"}
    first.remember()
    november = tmp_path / "Trees 2026-11.csv"
    november.write_text("Measure,Month,Planted\nTrees planted,Nov 2026,1100\n")
    second = ImportWizard(demo, source=november)
    qtbot.addWidget(second)
    second.source_page.validatePage()
    assert second.import_options.mapping == {"Planted": "actual"}


def test_a_file_that_is_not_a_table_is_explained_on_the_first_page(
    qtbot: QtBot, demo: Workspace, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.csv"
    empty.touch()
    wizard = ImportWizard(demo, source=empty)
    qtbot.addWidget(wizard)
    assert not wizard.source_page.validatePage()
    assert "is empty" in wizard.source_page.problem.text()


def test_a_saved_recipe_finds_next_months_file_and_fills_every_choice(
    qtbot: QtBot, demo: Workspace, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    october = drop / "Requests 2026-10.csv"
    october.write_text("Opened,Kind\n2026-10-02,Pothole\n2026-10-03,Graffiti\n")
    plan = demo.imports.plan(
        october,
        ImportOptions(
            "raw", date_column="Opened", metric="Pothole requests", filters=["Kind=Pothole"]
        ),
    )
    demo.imports.run(plan)
    demo.imports.save_recipe("Pothole requests", plan)
    november = drop / "Requests 2026-11.csv"
    november.write_text("Opened,Kind\n2026-11-02,Pothole\n2026-11-05,Pothole\n")
    wizard = ImportWizard(demo, recipe="Pothole requests")
    qtbot.addWidget(wizard)
    wizard.show()
    source = wizard.source_page
    assert source.path.text() == str(november)  # the newest file fitting "Requests *.csv"
    assert source.kind.currentData() == "raw" and not source.kind.isEnabled()
    to_layout(wizard, qtbot)
    wizard.next()  # → mapping
    mapping = wizard.mapping_page
    assert mapping.date_column.currentText() == "Opened"
    assert mapping.filters.text() == "Kind=Pothole"
    assert mapping.metric_name.text() == "Pothole requests"
    wizard.next()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=20_000)
    assert [(v.period.start.month, v.value) for v in wizard.plan.values] == [(11, 2.0)]
    report = wizard.report_page
    assert report.save_recipe.isChecked() and report.recipe_name.text() == "Pothole requests"
    assert not report.stop.isVisible()


def test_stopping_the_check_says_nothing_was_imported(
    qtbot: QtBot, demo: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = ImportWizard(demo, source=messy_file(tmp_path))
    qtbot.addWidget(wizard)
    wizard.show()
    to_layout(wizard, qtbot)
    wizard.next()  # → mapping
    started = threading.Event()
    release = threading.Event()
    real = demo.imports.plan

    def slow_plan(*args: object, **kwargs: object) -> object:
        started.set()
        release.wait(10)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(demo.imports, "plan", slow_plan)
    wizard.next()
    report = wizard.report_page
    assert started.wait(10)
    assert report.stop.isVisible()
    report.stop.click()
    release.set()
    qtbot.waitUntil(lambda: "stopped" in report.summary.text(), timeout=20_000)
    assert not report.isComplete() and not report.stop.isVisible()
    assert demo.imports.batches() == []


def test_the_check_page_proposes_series_and_imports_after_checking_again(
    qtbot: QtBot, demo: Workspace, tmp_path: Path
) -> None:
    source = tmp_path / "rates 2026.csv"
    source.write_text(
        "Indicator,Geography,Year,Value\n"
        "Violent crime rate,Harbor Bend,2025,512\n"
        "Violent crime rate,State,2025,380\n"
        "Violent crime rate,Harbor Bend,2026,498\n"
        "Violent crime rate,State,2026,371\n"
    )
    wizard = ImportWizard(demo, source=source)
    qtbot.addWidget(wizard)
    wizard.show()
    to_layout(wizard, qtbot)
    wizard.next()  # → mapping
    wizard.next()  # → check
    report = wizard.report_page
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=20_000)
    assert not report.isComplete() and report.again.isVisible()
    choices = report.choices
    assert choices.how is not None and choices.how.currentData() == "series"  # proposed
    assert choices.series_column is not None
    assert choices.series_column.currentData() == "Geography"
    assert choices.own is not None
    choices.own.setCurrentIndex(choices.own.findData("Harbor Bend"))
    report.check_again()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=20_000)
    plan = wizard.plan
    assert plan is not None and plan.ready and report.isComplete()
    assert plan.forecast is not None and plan.forecast.created["series_value"] == 2
    assert "The import will write" in report.summary.text()
    wizard.next()  # → import
    qtbot.waitUntil(lambda: wizard.done_page.finished, timeout=20_000)
    [metric] = demo.query(m.Metric, name="Violent crime rate")
    assert [v.value for v in demo.metrics.values(metric.id)] == [512.0, 498.0]
    [state] = demo.metrics.series(metric.id)
    assert (state.name, [p.value for p in state.points]) == ("State", [380.0, 371.0])


def test_period_columns_are_named_in_period_order_not_the_file_s() -> None:
    """NYC's MMR file has its year columns as 2019, 2023, 2016…: the mapping page said
    "8 columns 2019–2022"."""
    from statdesk.importing.wide import wide_columns
    from statdesk.ui.wizards.import_mapping import _columns_named

    columns = wide_columns(["2019", "2023", "2016", "2020"], 7)
    assert _columns_named(columns) == "4 columns, 2016 to 2023"
    assert _columns_named(columns[:1]) == "2019"


def test_the_sheet_is_read_off_the_gui_thread_once_the_header_row_settles(
    qtbot: QtBot, demo: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Holding the header row's arrow read and shaped the whole sheet on the GUI thread at
    every step; now one reading runs in the background after the last step, and a reading
    overtaken by a newer choice is never shown."""
    reads: list[tuple[int | None, str]] = []
    real = demo.imports.preview
    slow_row, release = 2, threading.Event()
    finished: list[int | None] = []

    def watched(info: object, sheet: str | None, header_row: int | None) -> object:
        reads.append((header_row, threading.current_thread().name))
        if header_row == slow_row:
            release.wait(10)
        table = real(info, sheet, header_row)  # type: ignore[arg-type]
        finished.append(header_row)
        return table

    monkeypatch.setattr(demo.imports, "preview", watched)
    wizard = ImportWizard(demo, source=messy_file(tmp_path))
    qtbot.addWidget(wizard)
    wizard.show()
    to_layout(wizard, qtbot)
    layout = wizard.layout_page
    assert reads[0][1] != threading.main_thread().name
    assert wizard.table is not None and wizard.table.header_row == 3
    for row in (1, 2, 3, 4):  # the arrow held down
        layout.header.setValue(row)
        assert not layout.isComplete() and layout.busy.isVisibleTo(wizard)
    qtbot.waitUntil(layout.isComplete, timeout=20_000)
    assert [row for row, _ in reads] == [None, 4]  # once, with the last choice
    assert wizard.import_options.header_row == 4 and wizard.table.columns[0] == "Trees planted"
    assert not layout.busy.isVisibleTo(wizard)
    layout.header.setValue(slow_row)
    layout.read()  # a slow reading…
    layout.header.setValue(3)
    layout.read()  # …overtaken by a quicker one
    qtbot.waitUntil(layout.isComplete, timeout=20_000)
    release.set()
    qtbot.waitUntil(lambda: slow_row in finished, timeout=10_000)
    qtbot.wait(200)  # its result reaches the GUI thread, and is not shown
    assert wizard.import_options.header_row == 3 and wizard.table.columns[0] == "Measure"
    assert layout.isComplete()
