"""The Metrics page: the goal tree and the metric list on the left, one metric on the right."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.filenames import safe_file_name
from statdesk.domain.numbers import counted
from statdesk.domain.status import Status
from statdesk.reporting import charts
from statdesk.storage.edits.metrics import PeriodEdit
from statdesk.storage.views.goals import PriorityNode
from statdesk.storage.views.metrics import MetricSummary
from statdesk.ui import folders
from statdesk.ui.column_widths import fit_columns
from statdesk.ui.dialogs.goal_editor import GoalEditor
from statdesk.ui.dialogs.metric_editor import MetricEditor, metric_editor_for
from statdesk.ui.errors import show_error
from statdesk.ui.forms import plain_label
from statdesk.ui.metric_detail import STATUS_COLOURS, MetricDetailPanel
from statdesk.ui.models.rows import ID_ROLE, Column, RowsModel
from statdesk.ui.models.sparkline import SparklineDelegate
from statdesk.ui.pages.base import (
    Host,
    Page,
    button_row,
    refilter,
    search_box,
    select_id,
    selected_id,
    table_view,
)
from statdesk.workspace import field_names

METRIC_FIELDS = tuple(field_names("metric"))


def _latest(s: MetricSummary, attribute: str) -> str:
    return s.show(getattr(s.latest, attribute)) if s.latest else "–"


def _trend(s: MetricSummary) -> str:
    if not s.trend.periods:
        return ""
    return f"{s.trend.heading.arrow} {s.trend.heading.label} ({s.trend.periods})"


METRIC_COLUMNS: list[Column[MetricSummary]] = [
    Column("Metric", lambda s: s.name),
    Column(
        "Status",
        lambda s: f"{s.status.marker} {s.status.label}",
        sort_key=lambda s: list(STATUS_ORDER).index(s.status.value),
        background=lambda s: STATUS_COLOURS.get(s.status.value),
        fits=tuple(f"{status.marker} {status.label}" for status in Status),
    ),
    Column(
        "Latest",
        lambda s: _latest(s, "actual"),
        align_right=True,
        sort_key=lambda s: (s.latest.actual if s.latest else None) or 0,
    ),
    Column(
        "Target",
        lambda s: _latest(s, "target"),
        align_right=True,
        sort_key=lambda s: (s.latest.target if s.latest else None) or 0,
    ),
    Column("Trend", _trend, tooltip=lambda s: s.trend.describe(s.frequency)),
    Column(
        "Last 12",
        lambda s: "",
        tooltip=lambda s: "Sparkline of the last values",
        sort_key=lambda s: 0,
    ),
    Column(
        "Period",
        lambda s: s.latest.label if s.latest else "",
        sort_key=lambda s: s.latest.period.start if s.latest else date.min,
    ),
    Column("KPI", lambda s: "KPI" if s.is_kpi else "", sort_key=lambda s: not s.is_kpi),
    Column("Department", lambda s: s.department),
]
GOAL_ROLE = ID_ROLE + 1
PRIORITY_ROLE = ID_ROLE + 2
STATUS_ORDER = (
    "no_direction",
    "off_target",
    "within_tolerance",
    "on_target",
    "no_target",
    "no_data",
)


class MetricsPage(Page):
    title = "Metrics"
    kinds = frozenset(
        {
            "metric",
            "metric value",
            "target",
            "metric series",  # comparisons drawn beside the city's own line
            "series value",
            "metric source",
            "goal",
            "strategic priority",
            "department",
            "person",
            "dataset",
            "city",
        }
    )

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.current: int | None = None
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Priority, goal and metric", "Latest", "Status"])
        self.tree.setAccessibleName("Strategic priorities, goals and metrics")
        self.tree.currentItemChanged.connect(self._tree_picked)

        self.metrics = RowsModel(METRIC_COLUMNS, lambda s: s.id)
        self.search = search_box("Search metrics and departments", "Search metrics")
        self.search.textChanged.connect(self.apply_filter)
        self.count = plain_label(wrap=False)
        self.view = table_view(self.metrics, "Metrics")  # type: ignore[arg-type]
        self.view.setItemDelegateForColumn(
            [c.title for c in METRIC_COLUMNS].index("Last 12"),
            SparklineDelegate(lambda index: self.metrics.row(index).sparkline),
        )
        self.view.selectionModel().currentChanged.connect(
            lambda current, _previous: self._list_picked(current)
        )
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        self.unjudged = QCheckBox("Only metrics &without a direction")
        self.unjudged.setAccessibleName("Only metrics without a direction")
        self.unjudged.toggled.connect(self.apply_filter)
        self.unworthy = QCheckBox("Only metrics &lacking a worth-tracking answer")
        self.unworthy.toggled.connect(self.apply_filter)
        list_layout.addWidget(self.search)
        list_layout.addWidget(self.unjudged)
        list_layout.addWidget(self.unworthy)
        list_layout.addWidget(self.view)
        list_layout.addWidget(self.count)

        goals_page = QWidget()
        goals_layout = QVBoxLayout(goals_page)
        goals_layout.addWidget(self.tree)
        goals_layout.addLayout(
            button_row(
                self.edit_button("Add &priority…", self.add_priority, "Add strategic priority"),
                self.edit_button("Add g&oal…", self.add_goal, "Add goal"),
                self.edit_button("Edit go&al…", self.edit_goal, "Edit the selected goal"),
            )
        )
        self.left = QTabWidget()
        self.left.addTab(goals_page, "&Goals")
        self.left.addTab(list_page, "&List")

        self.detail = MetricDetailPanel()
        self.detail.connect_edits(self.edit_periods, self.open_locks)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail)
        right_layout.addLayout(
            button_row(
                self.edit_button("&Add metric…", self.add_metric),
                self.edit_button(
                    "Set di&rections…", self.set_directions, "Set the directions of metrics"
                ),
                self._definition_button(),
                self._export_button(),
            )
        )
        self.splitter = QSplitter()
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        outer = QVBoxLayout(self)
        outer.addWidget(self.splitter)

    def _definition_button(self) -> QWidget:
        button = self.open_button(self.edit_metric, "Open the metric's definition")
        button.setText("&Definition…")
        return button

    def _export_button(self) -> QWidget:
        button = self.open_button(self.export_chart, "Export chart")
        button.setText("E&xport chart…")
        return button

    # ----------------------------------------------------------------- showing
    def refresh(self) -> None:
        tree = self.workspace.metrics.tree()
        summaries = [s for p in tree for g in p.goals for s in g.metrics]
        self.apply_filter(rows=summaries)
        fit_columns(self.view, widest=240)
        self._fill_tree(tree)
        if self.current is None and summaries:
            self.current = summaries[0].id
        if self.current is not None:
            self.show_metric(self.current)

    def _fill_tree(self, tree: list[PriorityNode]) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        for priority in tree:
            top = QTreeWidgetItem([priority.name])
            top.setData(0, PRIORITY_ROLE, priority.id)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for goal in priority.goals:
                when = f", by {goal.target_date:%b %Y}" if goal.target_date else ""
                horizon = f" ({goal.horizon.label.lower()} term{when})" if goal.horizon else ""
                goal_item = QTreeWidgetItem(
                    top, [("★ Bold goal: " if goal.is_bold else "") + goal.title + horizon]
                )
                goal_item.setData(0, GOAL_ROLE, goal.id)
                for summary in goal.metrics:
                    parent = goal_item
                    name = summary.name
                    if not summary.is_kpi:
                        name = f"↳ {name}" if summary.kpi_id else name
                    else:
                        name = f"KPI: {name}"
                    item = QTreeWidgetItem(
                        parent,
                        [
                            name,
                            _latest(summary, "actual"),
                            f"{summary.status.marker} {summary.status.label}",
                        ],
                    )
                    item.setData(0, ID_ROLE, summary.id)
                    item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                    colour = STATUS_COLOURS.get(summary.status.value)
                    if colour:
                        item.setBackground(2, QColor(colour))
                    if summary.id == self.current:
                        self.tree.setCurrentItem(item)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        # The names take the room left, never squeezed to "Wri…"; the latest value and the
        # status fit theirs.
        fit_columns(self.tree, widest=160)

    def apply_filter(self, *, rows: Sequence[MetricSummary] | None = None) -> None:
        """Show the metrics the search keeps (of `rows`, when the page has read them anew)."""
        words = self.search.text().casefold().split() if self.search else []

        only_unjudged = self.unjudged.isChecked() if self.unjudged else False
        only_unworthy = self.unworthy.isChecked() if self.unworthy else False

        def keep(s: MetricSummary) -> bool:
            if (only_unjudged and s.direction is not None) or (
                only_unworthy and not s.missing_worth
            ):
                return False
            text = f"{s.name} {s.department} {s.goal}".casefold()
            return all(word in text for word in words)

        refilter(self.view, self.metrics, keep, rows)  # type: ignore[arg-type]
        shown, total = self.metrics.shown, self.metrics.total
        text = f"{total} metrics" if shown == total else f"{shown} of {total} metrics"
        unset = sum(1 for s in self.metrics.all_rows if s.direction is None)
        if unset:
            text += f"; {unset} without a direction (not judged until it is set)"
        self.count.setText(text)

    def _tree_picked(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        metric_id = item.data(0, ID_ROLE) if item is not None else None
        if metric_id is not None and metric_id != self.current:
            self.show_metric(int(metric_id))

    def _list_picked(self, index: Any) -> None:
        if index.isValid():
            metric_id = self.metrics.row(index).id
            if metric_id != self.current:
                self.show_metric(metric_id)

    def show_metric(self, metric_id: int) -> None:
        try:
            detail = self.workspace.metrics.detail(metric_id)
        except Exception as error:
            show_error(self, error, "Show metric")
            return
        self.current = metric_id
        helper = self.workspace.metrics.target_helper(metric_id, detail=detail)
        self.detail.show_detail(detail, helper)
        if selected_id(self.view) != metric_id:
            select_id(self.view, self.metrics, metric_id)  # type: ignore[arg-type]

    def show_record(self, kind: str, record_id: int) -> bool:
        if kind != "metric":
            return False
        self.ensure_fresh()
        self.show_metric(record_id)
        return True

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self.detail.set_editable(editable)

    # ----------------------------------------------------------------- editing
    def edit_periods(self, edits: list[PeriodEdit], label: str) -> bool:
        metric_id = self.current
        if metric_id is None or not self.editable:
            return False
        name = self.detail.detail.summary.name if self.detail.detail else "the metric"
        ws = self.workspace
        done = self.run(
            f"{label} of {name}",
            lambda: ws.metrics.set_periods(metric_id, edits),
            with_reason=lambda why: ws.metrics.set_periods(metric_id, edits, reason=why),
        )
        return done is not None

    def open_locks(self) -> None:
        from statdesk.ui.dialogs.locks_dialog import LocksDialog

        LocksDialog(self, self.current).exec()

    def add_priority(self) -> None:
        name, ok = QInputDialog.getText(self, "Add a strategic priority", "Priority:")
        if not ok or not name.strip() or not self.editable:
            return
        ws = self.workspace
        self.run(
            f"Add priority {name.strip()}",
            lambda: ws.create(
                "strategic priority",
                name=name.strip(),
                position=len(ws.query("strategic priority")),
            ),
        )

    def _picked(self, role: int) -> int | None:
        item = self.tree.currentItem()
        while item is not None and item.data(0, role) is None:
            item = item.parent()
        return None if item is None else int(item.data(0, role))

    def _goal_editor(self, values: dict[str, Any] | None) -> GoalEditor:
        priorities = [(p.id, p.name) for p in self.workspace.query("strategic priority")]
        return GoalEditor(priorities, values, self)

    def add_goal(self) -> None:
        if not self.editable:
            return
        editor = self._goal_editor({"priority_id": self._picked(PRIORITY_ROLE)})
        if not editor.exec():
            return
        fields = editor.values()
        ws = self.workspace
        self.run(f"Add goal {fields['title']}", lambda: ws.metrics.save_goal(None, fields))

    def edit_goal(self) -> None:
        goal_id = self._picked(GOAL_ROLE)
        if goal_id is None or not self.editable:
            return
        goal = self.workspace.get("goal", goal_id)
        names = ("title", "priority_id", "horizon", "target_date", "description", "is_bold")
        editor = self._goal_editor({name: getattr(goal, name) for name in names})
        if not editor.exec():
            return
        new = editor.values()
        ws = self.workspace
        self.run(f"Edit goal {goal.title}", lambda: ws.metrics.save_goal(goal_id, new))

    def _editor(
        self, values: dict[str, Any] | None, sources: list[int], metric_id: int | None = None
    ) -> MetricEditor:
        return metric_editor_for(self, values, sources, metric_id)

    def add_metric(self) -> None:
        if not self.editable:
            return
        editor = self._editor(None, [])
        if not editor.exec():
            return
        fields, sources = editor.values(), editor.source_ids()
        ws = self.workspace
        changes = self.run(
            f"Add metric {fields['name']}", lambda: ws.metrics.save(None, fields, sources)
        )
        if changes is not None:
            self.show_metric(changes.new_id("metric"))

    def set_directions(self) -> None:
        """Directions for the metrics that have none, many at once, with the proposals."""
        from statdesk.importing.words import direction_from_name
        from statdesk.ui.dialogs.directions import DirectionsDialog, Unjudged

        if not self.editable:
            return
        rows = [
            Unjudged(metric_id, name, department, *direction_from_name(name))
            for metric_id, name, department in self.workspace.metrics.without_direction()
        ]
        if not rows:
            QMessageBox.information(self, "Set directions", "Every metric has a direction.")
            return
        dialog = DirectionsDialog(rows, self)
        if not dialog.exec():
            return
        chosen = dialog.directions.chosen()
        if not chosen:
            return
        ws = self.workspace
        self.run(
            f"Set the direction of {counted(len(chosen), 'metric')}",
            lambda: ws.metrics.set_directions(chosen),
        )

    def edit_metric(self) -> None:
        metric_id = self.current
        if metric_id is None:
            return
        metric = self.workspace.get("metric", metric_id)
        old = {name: getattr(metric, name) for name in METRIC_FIELDS}
        old_sources = [i for i, _t in self.workspace.metrics.detail(metric_id).sources]
        editor = self._editor(old, old_sources, metric_id)
        if not self.editable:
            editor.read_only(self.workspace.read_only_reason)
        if not editor.exec() or not self.editable:
            return
        new = editor.values()
        changed = {k: v for k, v in new.items() if old.get(k) != v}
        sources = editor.source_ids()
        if not changed and sorted(sources) == sorted(old_sources):
            return
        ws = self.workspace
        self.run(
            f"Edit {metric.name}",
            lambda: ws.metrics.save(metric_id, changed, sources, expected_version=metric.version),
            keep_mine=lambda: ws.metrics.save(metric_id, changed, sources),
        )

    def export_chart(self) -> None:
        detail = self.detail.detail
        if detail is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export the chart",
            folders.start("chart", safe_file_name(detail.summary.name, ".png")),
            "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)",
        )
        if not name:
            return
        folders.remember("chart", name)
        self.save_chart(Path(name))

    def save_chart(self, target: Path) -> Path | None:
        detail = self.detail.detail
        if detail is None:
            return None
        if target.suffix.lower() not in charts.FORMATS:
            target = target.with_suffix(".png")
        try:
            return self.workspace.exports.chart(detail.summary.id, target)[0]
        except Exception as error:
            show_error(self, error, "Export the chart")
            return None
