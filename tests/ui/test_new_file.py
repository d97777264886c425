"""A new file starts well: File ▸ New asks for the city's name and its fiscal year's first
month (never assumed), and Home shows the first steps, each a button, instead of claims about
records the file does not hold yet. Home counts each dataset needing care once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from statdesk.importing.plan import ImportOptions
from statdesk.storage import models as m
from statdesk.ui.dialogs import city_settings
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.home import ID_ROLE, HomePage
from statdesk.ui.wizards import import_wizard
from statdesk.workspace import Workspace
from tests.ui.fields import fill


def _home(window: MainWindow) -> HomePage:
    page = window.go_to("Home")
    assert isinstance(page, HomePage)
    return page


def _texts(page: HomePage) -> str:
    return "\n".join(label.text() for label in page.findChildren(QLabel) if label.isVisibleTo(page))


def test_file_new_asks_the_fiscal_year_s_first_month_and_assumes_none(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "Riverside.statdesk"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    tries: list[bool] = []

    def answer(dialog: city_settings.CitySettingsDialog) -> int:
        assert dialog.windowTitle() == "New StatDesk file"
        fill(dialog.form.fields["name"], "Riverside")
        dialog.accept()  # no month chosen: refused, and said
        tries.append(dialog.result() == 1)
        problem = dialog.form._problems["fiscal_year_start_month"]
        assert not problem.isHidden() and "first month" in problem.text()
        fill(dialog.form.fields["fiscal_year_start_month"], 10)
        fill(dialog.form.fields["program_name"], "RiverStat")
        dialog.accept()
        tries.append(dialog.result() == 1)
        return dialog.result()

    monkeypatch.setattr(city_settings.CitySettingsDialog, "exec", answer)
    window.new_file()
    assert tries == [False, True]
    assert window.workspace.path == target
    with sqlite3.connect(target) as db:
        assert db.execute(
            "SELECT name, program_name, fiscal_year_start_month FROM city"
        ).fetchall() == [("Riverside", "RiverStat", 10)]


def test_an_empty_file_s_home_shows_the_first_steps_and_no_false_claims(
    qtbot: QtBot, empty: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = MainWindow(empty)
    qtbot.addWidget(window)
    home = _home(window)
    steps = home.getting_started
    assert steps.isVisibleTo(home)
    assert all(button.isVisibleTo(home) for button in steps.buttons.values())
    shown = _texts(home)
    for claim in ("Every dataset is current", "Every department has every role", "KPIs on track"):
        assert claim not in shown
    assert "Welcome: Riverton has no metrics yet." in shown
    qtbot.waitUntil(lambda: home.file_line.text() == "This file holds no records yet.")
    opened: list[str] = []
    monkeypatch.setattr(
        import_wizard.ImportWizard,
        "exec",
        lambda wizard: opened.append(wizard.source_page.kind.currentData()) or 0,
    )
    steps.buttons["people"].click()
    steps.buttons["metrics"].click()
    assert opened == ["roster", "metrics"]

    roster = tmp_path / "team.csv"
    roster.write_text("Name,Title,Department\nAna Ruiz,Analyst,Finance\nBo Li,Clerk,Finance\n")
    empty.imports.run(empty.imports.plan(roster, ImportOptions("roster")))
    home = _home(window)
    with sqlite3.connect(empty.path) as db:
        people = db.execute("SELECT count(*) FROM person").fetchone()[0]
    assert people == 2
    assert steps.lines["people"].text() == "✓ 2 people"
    assert not steps.buttons["people"].isVisibleTo(home)
    assert steps.buttons["datasets"].isVisibleTo(home)


def test_home_names_each_dataset_needing_care_once(window: MainWindow, demo: Workspace) -> None:
    """A dataset both stale and without a contact was counted twice: "3534 datasets stale or
    without a contact" in a file of 1,781."""
    for dataset in demo.query(m.Dataset):
        demo.update(m.Dataset, dataset.id, contact_id=None, last_updated=None)
    with sqlite3.connect(demo.path) as db:
        total = db.execute("SELECT count(*) FROM dataset").fetchone()[0]
    home = _home(window)
    section = home.datasets
    assert section.tree.topLevelItemCount() == min(total, 50)
    ids = [section.tree.topLevelItem(i).data(0, ID_ROLE) for i in range(min(total, 50))]
    assert len(set(ids)) == len(ids)
    assert section.summary.text().startswith(f"{total} datasets of {total} stale or without")
    assert "Stale" in section.tree.topLevelItem(0).text(2)
    assert "No contact" in section.tree.topLevelItem(0).text(2)
