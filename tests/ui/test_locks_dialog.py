"""Metrics ▸ Locked periods: lock a quarter from the window, the grid marks it final and
will not edit it, unlock with a reason."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from statdesk.domain.errors import PeriodLocked
from statdesk.domain.periods import parse_period
from statdesk.ui.dialogs.locks_dialog import LocksDialog
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.metrics import MetricsPage
from statdesk.workspace import Workspace

POTHOLES = "Potholes repaired within 48 hours"


def test_lock_from_the_window_then_unlock_with_a_reason(
    window: MainWindow, demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.go_to("Metrics")
    assert isinstance(page, MetricsPage)
    metric = demo.metrics.find(POTHOLES)
    page.show_metric(metric.id)
    dialog = LocksDialog(page, metric.id)
    dialog.scope.setCurrentIndex(dialog.scope.findData("city"))
    dialog.through.setText("Q1 FY2027")
    dialog.note.setText("reported to council")
    dialog.lock()
    assert dialog.list.topLevelItemCount() == 1
    assert dialog.list.topLevelItem(0).text(0) == "locked through 2026-09-30 for the whole city"
    with pytest.raises(PeriodLocked):
        demo.metrics.set_value(metric.id, parse_period("Sep 2026", 7), 1.0)
    page.show_metric(metric.id)
    grid = page.detail.grid
    sep = next(i for i, r in enumerate(grid.rows) if r.label == "Sep 2026")
    octo = next(i for i, r in enumerate(grid.rows) if r.label == "Oct 2026")
    assert grid.data(grid.index(sep, 0)) == "Sep 2026 (final)"
    assert not grid.flags(grid.index(sep, 1)) & Qt.ItemFlag.ItemIsEditable
    assert grid.flags(grid.index(octo, 1)) & Qt.ItemFlag.ItemIsEditable
    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("audit fix", True))
    dialog.lift()
    assert dialog.list.topLevelItemCount() == 0
    demo.metrics.set_value(metric.id, parse_period("Sep 2026", 7), 1.0)
    bad = LocksDialog(page, metric.id)
    bad.through.setText("Smarch")
    shown: list[str] = []
    monkeypatch.setattr(
        "statdesk.ui.dialogs.locks_dialog.show_error", lambda _p, e, _t: shown.append(str(e))
    )
    bad.lock()
    assert shown and "Smarch" in shown[0]
