"""Each page shows what an import wrote the moment it is written, with the page open: bulk
inserts bypass the change tracking, so each import reports the kinds it wrote. (Home and
Metrics: test_main_window's test of values imported into existing metrics.)"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QTreeWidgetItem

from statdesk.importing.plan import ImportOptions
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.history import HistoryPage
from statdesk.ui.pages.inventory import InventoryPage
from statdesk.ui.pages.meetings import MeetingsPage
from statdesk.ui.pages.team import TeamPage
from statdesk.workspace import Workspace


def _import(workspace: Workspace, source: Path, kind: str) -> int:
    result, _ = workspace.imports.run(workspace.imports.plan(source, ImportOptions(kind)))
    return result.batch_id


def test_team_shows_people_imported_with_it_open(
    window: MainWindow, demo: Workspace, tmp_path: Path
) -> None:
    page = window.go_to("Team")
    assert isinstance(page, TeamPage)
    before = page.people.total
    source = tmp_path / "new hires.csv"
    source.write_text(
        "Name,Title,Department\nRosa Newcomb,Analyst,Police\nIan Oduya,Clerk,Police\n"
    )
    _import(demo, source, "roster")
    with sqlite3.connect(demo.path) as db:
        people = db.execute("SELECT count(*) FROM person").fetchone()[0]
    assert page.people.total == people == before + 2
    assert {"Rosa Newcomb", "Ian Oduya"} <= {r.name for r in page.people.all_rows}


def test_inventory_shows_datasets_imported_with_it_open(
    window: MainWindow, demo: Workspace, tmp_path: Path
) -> None:
    page = window.go_to("Inventory")
    assert isinstance(page, InventoryPage)
    source = tmp_path / "inventory.csv"
    source.write_text("Title,Department\nSnow plow routes,Public Works\n")
    _import(demo, source, "inventory")
    with sqlite3.connect(demo.path) as db:
        datasets = db.execute("SELECT count(*) FROM dataset").fetchone()[0]
    assert page.datasets.total == datasets
    assert "Snow plow routes" in {r.title for r in page.datasets.all_rows}


def _agenda_lines(page: MeetingsPage) -> dict[str, str]:
    lines = {}
    for top in range(page.agenda.topLevelItemCount()):
        section: QTreeWidgetItem = page.agenda.topLevelItem(top)
        for child in range(section.childCount()):
            item = section.child(child)
            lines[item.text(0)] = item.text(2)
    return lines


def test_a_meeting_s_agenda_shows_values_imported_with_it_open(
    window: MainWindow, demo: Workspace, tmp_path: Path
) -> None:
    """The agenda showed the status a metric had before the import until restarted."""
    page = window.go_to("Meetings")
    assert isinstance(page, MeetingsPage)
    police = next(r for r in demo.meetings.rows() if r.title == "Police Stat" and r.items)
    assert page.show_record("meeting", police.id)
    metric = demo.metrics.find("Sworn officer vacancies")
    [title] = [t for t in _agenda_lines(page) if "vacancies" in t.lower()]
    shown = re.match(r"(\d+) in (\w{3} \d{4}) against", _agenda_lines(page)[title])
    assert shown is not None and shown[1] != "4"
    month = shown[2]  # the meeting's reporting period
    source = tmp_path / "vacancies.csv"
    source.write_text(f"Metric,Month,Actual\n{metric.name},{month},4\n")
    _import(demo, source, "values")
    start = datetime.strptime(month, "%b %Y").date().isoformat()
    with sqlite3.connect(demo.path) as db:
        [(value,)] = db.execute(
            "SELECT value FROM metric_value WHERE metric_id = ? AND period_start = ?",
            (metric.id, start),
        ).fetchall()
    assert value == 4
    assert _agenda_lines(page)[title].startswith(f"4 in {month} against")


def test_history_lists_an_import_the_moment_it_is_written(
    window: MainWindow, demo: Workspace, tmp_path: Path
) -> None:
    page = window.go_to("History")
    assert isinstance(page, HistoryPage)
    metric = demo.metrics.find("Sworn officer vacancies")
    source = tmp_path / "vacancies.csv"
    source.write_text(f"Metric,Month,Actual\n{metric.name},Sep 2026,4\n")
    batch = _import(demo, source, "values")
    assert page.imports.all_rows[0].id == batch
    assert page.changes.lines[0].summary == "Imported vacancies.csv (values)"
