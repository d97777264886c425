"""Team ▸ Departments ▸ Stat cadence: how often, the usual day, time and room; shown in the
list, used by Plan a meeting and listed on Home when overdue."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QTime

from statdesk.domain.vocabulary import Cadence
from statdesk.storage import models as m
from statdesk.ui.dialogs.cadence_dialog import CadenceDialog
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.base import select_id
from statdesk.ui.pages.team import TeamPage
from statdesk.workspace import Workspace


def test_setting_a_cadence_from_the_departments_tab(
    window: MainWindow, demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.go_to("Team")
    assert isinstance(page, TeamPage)
    tab = page.departments
    tab.refresh()
    parks = demo.roster.find_department("Parks & Recreation")
    assert select_id(tab.view, tab.model, parks)  # type: ignore[arg-type]

    def choose(dialog: CadenceDialog) -> int:
        dialog.cadence.setCurrentIndex(dialog.cadence.findData(Cadence.BIWEEKLY))
        dialog.weekday.setCurrentIndex(dialog.weekday.findData(3))
        dialog.time.setTime(QTime(14, 30))
        dialog.room.setText("Parks Annex, Room B")
        return 1

    monkeypatch.setattr(CadenceDialog, "exec", choose)
    tab.cadence()
    department = demo.get(m.Department, parks)
    assert (department.stat_cadence, department.stat_weekday) == (Cadence.BIWEEKLY, 3)
    assert (department.stat_time, department.stat_room) == ("14:30", "Parks Annex, Room B")
    tab.refresh()
    row = next(r for r in tab.model.all_rows if r.id == parks)  # type: ignore[attr-defined]
    assert row.stat == "Every two weeks, Thursday 14:30, Parks Annex, Room B"
    proposed = demo.meetings.proposed(parks, date(2026, 11, 22))
    assert proposed["starts_at"] == datetime(2026, 11, 26, 14, 30)  # the next Thursday
    assert proposed["location"] == "Parks Annex, Room B"
    page.host.undo_stack.undo()
    assert demo.get(m.Department, parks).stat_cadence is None
