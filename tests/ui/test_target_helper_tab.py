"""The Target helper tab: the situation with its rule, the values that stand out, the path
chart, accepting the proposed target, and a reason asked for revising a reported target."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog

from statdesk.domain.periods import parse_period
from statdesk.storage import models as m
from statdesk.storage.edits.metrics import PeriodEdit
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.metrics import MetricsPage
from statdesk.workspace import Workspace

PERMITS = "Median days to issue a residential building permit"


@pytest.fixture
def page(window: MainWindow, demo: Workspace) -> MetricsPage:
    metrics = window.go_to("Metrics")
    assert isinstance(metrics, MetricsPage)
    metrics.show_metric(demo.metrics.find(PERMITS).id)
    return metrics


def test_the_tab_says_the_situation_and_accepts_the_proposal(
    page: MetricsPage, demo: Workspace
) -> None:
    tab = page.detail.helper
    helper = tab.helper
    assert helper is not None and helper.proposal is not None
    assert tab.situation.text().startswith("Mediocrity: met its target")
    assert tab.canvas is not None
    assert tab.canvas.accessibleDescription().startswith(PERMITS)
    assert tab.accept.isEnabled()
    periods = helper.proposal_periods
    tab.accept.click()
    metric = demo.metrics.find(PERMITS)
    targets = {t.period_start: t.target for t in demo.metrics.targets(metric.id)}
    assert {targets[p.start] for p in periods} == {helper.proposal.target}
    page.host.undo_stack.undo()
    targets = {t.period_start: t.target for t in demo.metrics.targets(metric.id)}
    assert helper.proposal.target not in {targets.get(p.start) for p in periods}


def test_revising_a_reported_target_asks_why(
    page: MetricsPage, demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    metric = demo.metrics.find(PERMITS)
    october = parse_period("Oct 2026", 7)
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str) -> tuple[str, bool]:
        asked.append(text)
        return "council amended the plan", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    assert page.edit_periods([PeriodEdit(october, {"target": 28.0})], "Set target")
    assert "Oct 2026 was already reported against" in asked[0]
    logged = [e.summary for e in demo.query(m.ChangeLogEntry, record_kind="target")]
    assert any("(reason: council amended the plan)" in s for s in logged)

    monkeypatch.setattr(QInputDialog, "getText", lambda *_: ("", False))  # Cancel
    assert not page.edit_periods([PeriodEdit(october, {"target": 20.0})], "Set target")
    target = next(t for t in demo.metrics.targets(metric.id) if t.period_start == october.start)
    assert target.target == 28.0


def test_a_read_only_file_cannot_accept(page: MetricsPage) -> None:
    page.set_editable(False)
    assert not page.detail.helper.accept.isEnabled()


def test_the_metric_editor_says_the_situation_and_the_proposal(page: MetricsPage) -> None:
    metric_id = page.current
    assert metric_id is not None
    editor = page._editor(None, [], metric_id)
    titles = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert "&Target helper" in titles
    shown = editor.tabs.widget(titles.index("&Target helper"))
    from PySide6.QtWidgets import QLabel

    text = " ".join(label.text() for label in shown.findChildren(QLabel))
    assert text.startswith("Mediocrity: met its target") and "Proposed target: " in text
    new = page._editor(None, [])  # a metric not saved yet has no history to judge
    assert "&Target helper" not in [new.tabs.tabText(i) for i in range(new.tabs.count())]


def test_figures_kept_at_another_frequency_are_said_on_the_panel(
    page: MetricsPage, demo: Workspace
) -> None:
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    page.show_metric(metric.id)
    assert not page.detail.apart.isVisibleTo(page.detail)
    demo.metrics.set_value(metric.id, parse_period("FY2026", 7), 84.0)
    page.show_metric(metric.id)
    assert page.detail.apart.isVisibleTo(page.detail)
    assert page.detail.apart.text().startswith("Also recorded by the year: 1 value.")
