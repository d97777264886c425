"""One metric in full: its chart, its values and targets, the target helper, its definition."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.periods import label, same_period_last_year
from statdesk.domain.trends import Change
from statdesk.domain.vocabulary import Unit, direction_label
from statdesk.reporting import chart_series, charts
from statdesk.storage.edits.metrics import PeriodEdit
from statdesk.storage.views.metrics import MetricDetail, MetricSummary
from statdesk.storage.views.targets import TargetHelper
from statdesk.ui.forms import WARNING_STYLE, plain_label
from statdesk.ui.models.periods import COLUMNS, PeriodGridModel, PeriodGridView
from statdesk.ui.target_helper import TargetHelperTab

STATUS_COLOURS = {"on_target": "#d9f2e6", "within_tolerance": "#fff3cd", "off_target": "#fbdde0"}


def _change(summary: MetricSummary, change: Change | None, against: str) -> str:
    if change is None:
        return ""
    sign = "+" if change.absolute > 0 else ("−" if change.absolute < 0 else "±")
    if summary.unit is Unit.PERCENT:  # a change of a percentage is in points
        size = f"{abs(change.absolute):.{max(summary.decimals, 1)}f} points"
    else:
        size = summary.show(abs(change.absolute))
    share = f" ({sign}{abs(change.relative):.0%})" if change.relative is not None else ""
    return f"{sign}{size}{share} vs {against}"


def latest_line(detail: MetricDetail) -> str:
    """ "Latest: 7.4 min in Oct 2026 against 6.2 min (▲ off target) · +0.3 min vs Sep 2026 · …"""
    summary = detail.summary
    latest = summary.latest
    if latest is None:
        return "No value recorded yet."
    parts = [
        f"Latest: {summary.show(latest.actual)} in {latest.label}"
        + (f" against {summary.show(latest.target)}" if latest.target is not None else "")
        + f" ({latest.status.marker} {latest.status.label.lower()})"
    ]
    rows = [r for r in detail.rows if r.actual is not None]
    if len(rows) > 1:
        parts.append(_change(summary, summary.vs_previous, rows[-2].label))
    year_ago = same_period_last_year(latest.period)
    parts.append(_change(summary, summary.vs_last_year, label(year_ago, detail.fiscal_year_start)))
    parts.append(summary.trend.describe(summary.frequency))
    return " · ".join(p for p in parts if p)


class MetricDetailPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.detail: MetricDetail | None = None
        self.heading = plain_label(selectable=True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAccessibleName("Metric")
        self.subline = plain_label(selectable=True)
        self.latest = plain_label(selectable=True)
        self.latest.setAccessibleName("Latest period")
        self.worth = plain_label(selectable=True)
        self.worth.setStyleSheet(WARNING_STYLE)
        self.apart = plain_label(selectable=True)  # figures kept at another frequency
        self.apart.setStyleSheet(WARNING_STYLE)
        self.chart_box = QVBoxLayout()
        self.canvas: QWidget | None = None
        self.alt_text = ""
        self._chart_to_draw: chart_series.ChartSeries | None = None

        self.grid = PeriodGridModel()
        self.grid_view = PeriodGridView()
        self.grid_view.setModel(self.grid)
        self.grid_view.setAccessibleName("Values and targets by period")
        self.grid_view.verticalHeader().setVisible(False)
        self.grid_view.setTabKeyNavigation(False)
        self.grid_view.setAlternatingRowColors(True)
        header = self.grid_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Sized from the rows around the one in view, not all of ten years of months on each
        # pass of the layout (12,000 cells measured to show one metric).
        header.setResizeContentsPrecision(40)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        grid_hint = plain_label(
            "Type in a cell, or paste a column copied from Excel (Ctrl+V) "
            "starting at the selected cell. Every change can be undone.",
        )
        self.locks_button = QPushButton("&Locked periods…")
        self.locks_button.setAccessibleName("Locked periods: what is final, lock, unlock")
        grid_page = QWidget()
        grid_layout = QVBoxLayout(grid_page)
        hint_row = QHBoxLayout()
        hint_row.addWidget(grid_hint, 1)
        hint_row.addWidget(self.locks_button)
        grid_layout.addLayout(hint_row)
        grid_layout.addWidget(self.grid_view)

        self.helper = TargetHelperTab()

        self.series_note = plain_label(selectable=True)
        self.series_list = QTreeWidget()
        self.series_list.setAccessibleName("Breakdowns and comparisons")
        self.series_list.setHeaderLabels(["Series", "Kind", "Period", "Value", "Beside the city's"])
        self.series_list.setRootIsDecorated(False)
        self.series_list.setSortingEnabled(True)
        series_page = QWidget()
        series_layout = QVBoxLayout(series_page)
        series_layout.addWidget(self.series_note)
        series_layout.addWidget(self.series_list)

        self.definition = plain_label(selectable=True)
        definition_page = QWidget()
        definition_layout = QVBoxLayout(definition_page)
        definition_layout.addWidget(self.definition)
        definition_layout.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.addTab(grid_page, "&Values and targets")
        self.tabs.addTab(self.helper, "Target &helper")
        self.series_tab = self.tabs.addTab(series_page, "&Breakdowns and comparisons")
        self.tabs.addTab(definition_page, "De&finition")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subline)
        layout.addWidget(self.latest)
        layout.addWidget(self.worth)
        layout.addWidget(self.apart)
        layout.addLayout(self.chart_box, 5)
        layout.addWidget(self.tabs, 4)

    def connect_edits(
        self, on_edit: Callable[[list[PeriodEdit], str], bool], on_locks: Callable[[], None]
    ) -> None:
        """Edits of the grid and the target helper's proposal go to `on_edit`; the Locked
        periods button opens `on_locks`."""
        self.grid.on_edit = on_edit
        self.helper.on_accept = lambda target, periods: on_edit(
            [PeriodEdit(p, {"target": target}) for p in periods], "Use the proposed target"
        )
        self.locks_button.clicked.connect(on_locks)
        self.grid.on_problem = lambda message: QMessageBox.warning(self, "Values", message)

    def set_editable(self, editable: bool) -> None:
        self.grid.editable = editable
        self.helper.set_editable(editable)

    def show_detail(self, detail: MetricDetail, helper: TargetHelper) -> None:
        self.detail = detail
        summary = detail.summary
        kind = "KPI" if summary.is_kpi else "Supporting metric"
        self.heading.setText(summary.name)
        parts = [
            kind,
            summary.department,
            f"owner: {detail.owner}" if detail.owner else "",
            summary.frequency.label,
            summary.unit.label,
            direction_label(summary.direction),
        ]
        self.subline.setText(" · ".join(p for p in parts if p))
        self.latest.setText(latest_line(detail))
        if summary.missing_worth:
            self.worth.setText(
                "⚠ Not yet shown to be worth tracking: nothing records that it "
                + "; that it ".join(summary.missing_worth)
                + "."
            )
        self.worth.setVisible(bool(summary.missing_worth))
        self.apart.setText(detail.kept_apart_sentence())
        self.apart.setVisible(bool(detail.kept_apart))
        self._show_chart(detail)
        self.grid.set_rows(detail.rows, summary.unit, summary.decimals, summary.final_through)
        latest = max((i for i, r in enumerate(detail.rows) if r.actual is not None), default=0)
        self.grid_view.scrollTo(
            self.grid.index(latest, 0), self.grid_view.ScrollHint.PositionAtCenter
        )
        self.helper.show_helper(detail, helper)
        self._show_series(detail)
        sources = "\n".join(f"• {title}" for _id, title in detail.sources) or "none recorded"
        self.definition.setText(
            f"Methodology: {detail.methodology or 'not written yet'}\n\n"
            f"Source datasets:\n{sources}\n\nRoll-up: {summary.roll_up.label}. Decimals "
            f"shown: {summary.decimals}."
        )

    def _show_chart(self, detail: MetricDetail) -> None:
        """The chart is drawn just after the rest of the metric shows: it takes a few tenths of
        a second (more the first time, when matplotlib loads), the numbers none."""
        series, self.alt_text = charts.described(detail)
        if self._chart_to_draw is None:
            QTimer.singleShot(0, self, self.draw_chart)
        self._chart_to_draw = series  # a newer metric replaces one not drawn yet

    def draw_chart(self) -> None:
        """Draw the chart of the metric shown (at once, if it is still waiting)."""
        series, self._chart_to_draw = self._chart_to_draw, None
        if series is None:
            return
        if series.empty:  # an empty axis of months to come would say nothing, or mislead
            self._replace_canvas(plain_label(f"Nothing to chart yet: {self.alt_text}"))
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        # Built at about the size it is shown (the canvas gives a figure 100 pixels an inch),
        # so its period labels are chosen for that width.
        width = max(4.0, (self.width() - 20) / 100)
        # The chart shares the panel's height with the table below it, five parts to four.
        height = max(2.6, (self.height() - 120) * 5 / 9 / 100)
        # Untitled: the metric's name heads the panel just above it.
        figure = charts.figure(series, width=width, height=height, titled=False)
        canvas = FigureCanvasQTAgg(figure)
        canvas.setMinimumHeight(240)
        canvas.setAccessibleName(f"Chart of {series.title}")
        canvas.setAccessibleDescription(self.alt_text)
        canvas.setToolTip(self.alt_text)
        self._replace_canvas(canvas)

    def _replace_canvas(self, canvas: QWidget) -> None:
        if self.canvas is not None:
            self.chart_box.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.chart_box.addWidget(canvas)
        self.canvas = canvas

    def _show_series(self, detail: MetricDetail) -> None:
        """Each breakdown and comparison at the city's latest period (or its own latest),
        beside the city's own value then; none is judged against the target."""
        summary, fy = detail.summary, detail.fiscal_year_start
        self.series_list.setSortingEnabled(False)
        self.series_list.clear()
        latest = summary.latest
        for line in detail.series:
            points = [p for p in line.points if p.value is not None]
            point = next(
                (p for p in points if latest is not None and p.period == latest.period),
                points[-1] if points else None,
            )
            own = next((r.actual for r in detail.rows if point and r.period == point.period), None)
            item = QTreeWidgetItem(
                [
                    line.name,
                    line.kind.label,
                    label(point.period, fy) if point else "",
                    summary.show(point.value) if point else "–",
                    summary.show(own) if point else "",
                ]
            )
            for column in (3, 4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.series_list.addTopLevelItem(item)
        self.series_list.setSortingEnabled(True)
        self.series_list.sortItems(1, Qt.SortOrder.DescendingOrder)  # comparisons first
        for column in range(5):
            self.series_list.resizeColumnToContents(column)
        count = len(detail.series)
        self.tabs.setTabText(
            self.series_tab,
            f"&Breakdowns and comparisons ({count})" if count else "&Breakdowns and comparisons",
        )
        dimension = next((line.dimension for line in detail.series if line.dimension), "")
        self.series_note.setText(
            (
                f"{count:,} series from the file's '{dimension}' column"
                if dimension
                else f"{count:,} series"
            )
            + ". Comparisons (benchmarks, the state, the nation) are drawn on the chart; "
            "breakdowns (districts, groups) are listed here. Only the city's own figures are "
            "judged against the target."
            if count
            else "This metric has only the city's own figures. An import whose rows differ by "
            "a district or a benchmark keeps them here, as series of the metric."
        )

    def old_values(self, edits: list[PeriodEdit]) -> list[PeriodEdit]:
        """The same periods as they are now, to undo `edits`."""
        current = {row.period: row for row in self.grid.rows}
        attribute = {key: attr for _title, attr, key in COLUMNS if key}
        out = []
        for edit in edits:
            row = current.get(edit.period)
            before: dict[str, float | str | None] = {}
            for key in edit.changes:
                value = getattr(row, attribute[key]) if row is not None else None
                before[key] = (value or None) if key == "note" else value  # keep a real 0
            out.append(PeriodEdit(edit.period, before))
        return out
