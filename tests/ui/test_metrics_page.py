"""The Metrics page: tree and list, the chart with its alternative text, the values grid with
typing, pasting and undo, the metric editor, exporting a chart, read-only mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from statdesk.domain.vocabulary import Unit
from statdesk.storage import models as m
from statdesk.ui.dialogs import metric_editor
from statdesk.ui.dialogs.metric_editor import MetricEditor
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.metrics import MetricsPage
from statdesk.workspace import Workspace
from tests.ui.fields import leave


@pytest.fixture
def page(window: MainWindow) -> MetricsPage:
    metrics = window.go_to("Metrics")
    assert isinstance(metrics, MetricsPage)
    return metrics


def grid_row(page: MetricsPage, label: str) -> int:
    return next(i for i, r in enumerate(page.detail.grid.rows) if r.label == label)


def test_models_pass_qt_model_tester(page: MetricsPage, qtmodeltester: object) -> None:
    qtmodeltester.check(page.metrics)  # type: ignore[attr-defined]
    qtmodeltester.check(page.detail.grid)  # type: ignore[attr-defined]


def test_tree_and_list_show_every_metric_with_status(page: MetricsPage) -> None:
    assert page.metrics.total == 20 and page.count.text() == "20 metrics"
    priorities = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert priorities[0] == "Safe Neighborhoods"
    goal = page.tree.topLevelItem(0).child(0)
    assert goal.text(0).startswith("★ Bold goal: Reach every emergency")
    assert goal.child(0).text(0) == "KPI: Median response time to priority 1 calls"
    assert goal.child(0).text(2) in {"▲ Off target", "◐ Within tolerance", "● On target"}
    page.search.setText("potholes")  # type: ignore[union-attr]
    assert page.count.text() == "2 of 20 metrics"


def test_home_kpis_open_the_metric(window: MainWindow, demo: Workspace) -> None:
    home = window.page("Home")
    item = home.kpis.tree.topLevelItem(1)  # type: ignore[attr-defined]
    home.kpis.tree.itemActivated.emit(item, 0)  # type: ignore[attr-defined]
    page = window.stack.currentWidget()
    assert isinstance(page, MetricsPage)
    assert page.detail.heading.text() == item.text(0)


def test_the_chart_is_drawn_just_after_the_numbers_show(page: MetricsPage, qtbot: QtBot) -> None:
    page.show_metric(page.workspace.metrics.find("Potholes repaired within 48 hours").id)
    assert page.detail.heading.text() == "Potholes repaired within 48 hours"
    assert page.detail.alt_text.startswith("Potholes repaired within 48 hours, ")
    assert page.detail._chart_to_draw is not None  # not drawn yet: the numbers come first
    qtbot.waitUntil(lambda: page.detail._chart_to_draw is None, timeout=10_000)
    canvas = page.detail.canvas
    assert canvas is not None
    assert canvas.accessibleName() == "Chart of Potholes repaired within 48 hours"


def test_the_chart_carries_its_alternative_text(page: MetricsPage) -> None:
    page.detail.draw_chart()
    canvas = page.detail.canvas
    assert canvas is not None
    assert canvas.accessibleDescription() == page.detail.alt_text
    assert page.detail.alt_text.startswith(page.detail.heading.text() + ", ")


def test_typing_a_value_is_saved_flagged_and_undoable(page: MetricsPage, demo: Workspace) -> None:
    page.show_metric(demo.metrics.find("Potholes repaired within 48 hours").id)
    grid = page.detail.grid
    row = grid_row(page, "Nov 2026")
    assert grid.setData(grid.index(row, 1), "6498")
    assert (
        page.host.undo_stack.undoText()
        == "Set the actual of Nov 2026 of Potholes repaired within 48 hours"
    )
    row = grid_row(page, "Nov 2026")
    assert grid.rows[row].actual == 6498
    assert grid.data(grid.index(row, 6)) == "⚠ 6498 is not a percentage between 0 and 100."
    page.host.undo_stack.undo()
    assert page.detail.grid.rows[grid_row(page, "Nov 2026")].actual is None


def test_a_word_in_a_number_cell_is_refused(
    page: MetricsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    page.detail.grid.on_problem = told.append
    before = page.workspace.revision()
    assert not page.detail.grid.setData(page.detail.grid.index(0, 1), "lots")
    assert told == ["'lots' is not a number. Type a number, or leave the cell empty."]
    assert page.workspace.revision() == before


def test_pasting_a_column_from_excel_is_one_undoable_step(
    page: MetricsPage, demo: Workspace, qtbot: QtBot
) -> None:
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    page.show_metric(metric.id)
    top = grid_row(page, "Nov 2026")
    QApplication.clipboard().setText("86.5%\t90\n 872 \t\nN/A\t91\n")
    view = page.detail.grid_view
    view.setCurrentIndex(page.detail.grid.index(top, 1))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert page.host.undo_stack.undoText() == "Paste 6 values of Potholes repaired within 48 hours"
    rows = page.detail.grid.rows
    assert (rows[top].actual, rows[top].target) == (86.5, 90)
    assert rows[top + 1].actual == 872.0  # not a percentage: kept, and flagged
    assert rows[top + 1].problem is not None
    assert rows[top + 1].target is None  # an empty cell pasted clears it, as in Excel
    assert (rows[top + 2].actual, rows[top + 2].target) == (None, 91)
    page.host.undo_stack.undo()
    rows = page.detail.grid.rows
    assert rows[top].actual is None and rows[top].target == 85


def test_a_paste_with_a_bad_cell_writes_nothing(page: MetricsPage) -> None:
    told: list[str] = []
    page.detail.grid.on_problem = told.append
    before = page.workspace.revision()
    assert not page.detail.grid.paste(0, 1, "12\nfourteen\n16")
    assert told and told[0].startswith("Nothing was pasted.") and "'fourteen'" in told[0]
    assert not page.detail.grid.paste(0, 1, "87,2")  # a decimal comma is not a thousand
    assert "does not separate thousands" in told[-1]
    assert page.workspace.revision() == before


def test_add_and_edit_a_metric(
    page: MetricsPage, demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(editor: MetricEditor) -> int:
        assert not editor.check()  # a name is needed, but not said before Save or leaving
        assert all(label.isHidden() for label in editor.about._problems.values())
        editor.about.fields["name"].set_value("Trees planted")
        editor.measure.fields["unit"].set_value(Unit.COUNT)
        editor.measure.fields["baseline_value"].set_value(120)
        editor.measure.fields["baseline_period"].edit.setText("FY2025")  # type: ignore[attr-defined]
        assert not editor.worth_warning.isHidden()
        editor.sources.item(0).setCheckState(Qt.CheckState.Checked)
        return 1 if editor.check() else 0

    monkeypatch.setattr(metric_editor.MetricEditor, "exec", fill)
    page.add_metric()
    [trees] = demo.query(m.Metric, name="Trees planted")
    assert trees.baseline_value == 120 and trees.baseline_period.isoformat() == "2024-07-01"  # type: ignore[union-attr]
    assert page.detail.heading.text() == "Trees planted"
    assert "Not yet shown to be worth tracking" in page.detail.worth.text()
    assert len(demo.metrics.detail(trees.id).sources) == 1

    def rename(editor: MetricEditor) -> int:
        editor.about.fields["name"].set_value("Street trees planted")
        return 1

    monkeypatch.setattr(metric_editor.MetricEditor, "exec", rename)
    page.edit_metric()
    assert demo.get(m.Metric, trees.id).name == "Street trees planted"
    page.host.undo_stack.undo()
    assert demo.get(m.Metric, trees.id).name == "Trees planted"


def test_the_editor_refuses_a_period_it_cannot_read(qtbot: QtBot, page: MetricsPage) -> None:
    editor = page._editor(None, [])
    qtbot.addWidget(editor)
    editor.about.fields["name"].set_value("X")
    period = editor.measure.fields["baseline_period"]
    period.edit.setText("the spring")  # type: ignore[attr-defined]
    assert not editor.check()
    problem = editor.measure._problems["baseline_period"]
    assert problem.isHidden()  # still typing
    leave(period)
    assert not problem.isHidden() and "is not a period" in problem.text()


def test_export_chart(page: MetricsPage, tmp_path: Path) -> None:
    written = page.save_chart(tmp_path / "chart.svg")
    assert written is not None and written.read_text().lstrip().startswith("<?xml")
    assert page.detail.alt_text in written.read_text()


def test_read_only_files_cannot_be_typed_into(qtbot: QtBot, demo_path: Path) -> None:
    window = MainWindow(Workspace.open(demo_path, read_only=True))
    qtbot.addWidget(window)
    page = window.go_to("Metrics")
    assert isinstance(page, MetricsPage)
    grid = page.detail.grid
    assert not grid.flags(grid.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not grid.setData(grid.index(0, 1), "5")
    assert not grid.paste(0, 1, "5")


def test_the_latest_line_gives_change_against_last_period_and_last_year(
    page: MetricsPage, demo: Workspace
) -> None:
    from statdesk.ui.metric_detail import latest_line

    detail = demo.metrics.detail(demo.metrics.find("Potholes repaired within 48 hours").id)
    line = latest_line(detail)
    latest = detail.summary.latest
    assert latest is not None
    assert line.startswith(f"Latest: {detail.summary.show(latest.actual)} in {latest.label}")
    assert " points" in line and " vs " in line and line.endswith("in a row")
    count = demo.metrics.detail(demo.metrics.find("Building permits issued").id)
    assert " points" not in latest_line(count)


def test_priorities_and_goals_are_edited_from_the_tree(
    page: MetricsPage, demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from statdesk.ui.dialogs import goal_editor
    from statdesk.ui.dialogs.goal_editor import GoalEditor

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Green City", True))
    page.add_priority()
    green = demo.query(m.StrategicPriority, name="Green City")[0]
    top = next(
        page.tree.topLevelItem(i)
        for i in range(page.tree.topLevelItemCount())
        if page.tree.topLevelItem(i).text(0) == "Green City"
    )
    page.tree.setCurrentItem(top)

    def shade(editor: GoalEditor) -> int:
        editor.form.fields["title"].set_value("Shade every street")
        editor.form.fields["is_bold"].set_value(True)
        return 1 if editor.check() else 0

    monkeypatch.setattr(goal_editor.GoalEditor, "exec", shade)
    page.add_goal()
    [goal] = demo.query(m.Goal, title="Shade every street")
    assert goal.priority_id == green.id and goal.is_bold
    assert [g.title for g in demo.query(m.Goal, is_bold=True)] == ["Shade every street"]

    old_bold = "Reach every emergency in under eight minutes"
    page.host.undo_stack.undo()  # removes the new goal
    assert demo.query(m.Goal, title="Shade every street") == []
    assert [g.title for g in demo.query(m.Goal, is_bold=True)] == [old_bold]
    first = page.tree.topLevelItem(0).child(0)
    assert first.text(0).startswith("★ Bold goal: " + old_bold)
    page.tree.setCurrentItem(first)
    monkeypatch.setattr(
        goal_editor.GoalEditor, "exec", lambda e: e.form.fields["is_bold"].set_value(False) or 1
    )
    page.edit_goal()
    assert demo.query(m.Goal, is_bold=True) == []
    page.host.undo_stack.undo()
    assert [g.title for g in demo.query(m.Goal, is_bold=True)] == [old_bold]


def test_metrics_without_a_direction_are_listed_and_set_many_at_once(
    page: MetricsPage, window: MainWindow, demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statdesk.domain.status import Status
    from statdesk.domain.vocabulary import Direction
    from statdesk.ui.dialogs import directions

    waits = demo.metrics.find("Potholes repaired within 48 hours")
    crimes = next(x for x in demo.query(m.Metric) if x.id != waits.id)
    demo.metrics.set_directions({waits.id: None, crimes.id: None})
    home = window.go_to("Home")
    home.refresh()
    assert home.unjudged.tree.topLevelItemCount() == 2  # type: ignore[attr-defined]
    window.go_to("Metrics")
    page.refresh()
    assert "2 without a direction" in page.count.text()
    page.unjudged.setChecked(True)
    assert page.metrics.shown == 2
    assert page.metrics.row(page.metrics.index(0, 0)).status in (
        Status.NO_DIRECTION,
        Status.NO_DATA,
    )

    def accept(dialog: directions.DirectionsDialog) -> int:
        table = dialog.directions
        assert [r.name for r in table.rows] == sorted(r.name for r in table.rows)
        potholes = next(i for i, r in enumerate(table.rows) if r.key == waits.id)
        assert table.rows[potholes].proposal is Direction.UP  # "within" 48 hours: up
        table.take_proposals()
        table.combos[potholes].setCurrentIndex(table.combos[potholes].findData("up"))
        return 1

    monkeypatch.setattr(directions.DirectionsDialog, "exec", accept)
    page.set_directions()
    assert demo.get(m.Metric, waits.id).direction is Direction.UP
    assert page.host.undo_stack.undoText().startswith("Set the direction of")
    page.host.undo_stack.undo()
    assert demo.get(m.Metric, waits.id).direction is None


def test_a_metric_with_nothing_to_chart_says_so_instead_of_an_empty_axis(
    page: MetricsPage, qtbot: QtBot
) -> None:
    created = page.workspace.create(m.Metric, name="Library cards issued", frequency="monthly")
    page.show_metric(created.new_id(m.Metric))
    qtbot.waitUntil(lambda: page.detail._chart_to_draw is None, timeout=10_000)
    canvas = page.detail.canvas
    assert isinstance(canvas, QLabel)
    assert canvas.text().startswith("Nothing to chart yet: Library cards issued")


def test_a_long_list_of_source_datasets_is_found_by_typing(page: MetricsPage) -> None:
    editor = page._editor(None, [])
    sources = editor.sources
    [box] = [
        b for b in editor.findChildren(QLineEdit) if b.accessibleName() == "Find in source datasets"
    ]

    def shown() -> list[str]:
        items = [sources.item(i) for i in range(sources.count())]
        return [item.text() for item in items if not item.isHidden()]

    everything = shown()
    assert len(everything) == len(page.workspace.inventory.rows()) > 12
    assert all(" — " in text for text in everything)  # each with its department
    first = sources.item(0)
    first.setCheckState(Qt.CheckState.Checked)
    box.setText("pothole")
    assert shown() and all("pothole" in t.casefold() for t in shown())
    assert len(shown()) == sum("pothole" in t.casefold() for t in everything)
    box.setText("nothing like this")
    assert shown() == [] and editor.source_ids() == [first.data(Qt.ItemDataRole.UserRole)]
