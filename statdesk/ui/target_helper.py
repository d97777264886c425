"""The Target helper tab of a metric: the situation it is in and why, its history, what the
rest of the fiscal year would take (in words and as a chart), the values that stand out, and a
proposed target the analyst may accept for the periods not reported yet."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.numbers import counted
from statdesk.domain.periods import Period, label
from statdesk.storage.views.metrics import MetricDetail
from statdesk.storage.views.targets import TargetHelper
from statdesk.ui.forms import plain_label

Accept = Callable[[float, tuple[Period, ...]], None]


class TargetHelperTab(QScrollArea):
    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.on_accept: Accept | None = None
        self.helper: TargetHelper | None = None
        self.situation = plain_label(selectable=True)
        font = self.situation.font()
        font.setBold(True)
        self.situation.setFont(font)
        self.situation.setAccessibleName("Situation")
        self.text = plain_label(selectable=True)
        self.proposal = plain_label(selectable=True)
        self.proposal.setAccessibleName("Proposed target")
        self.accept = QPushButton("&Use the proposed target")
        self.accept.setAccessibleName("Use the proposed target for the periods not reported yet")
        self.accept.clicked.connect(self._accept)
        self.anomalies = QTreeWidget()
        self.anomalies.setAccessibleName("Values that stand out")
        self.anomalies.setHeaderLabels(["Period", "Value", "Why it stands out"])
        self.anomalies.setRootIsDecorated(False)
        self.anomalies.setMinimumHeight(90)
        self.chart_box = QVBoxLayout()
        self.canvas: QWidget | None = None
        self.rollups = QTreeWidget()
        self.rollups.setAccessibleName("Roll-ups to quarters and fiscal years")
        self.rollups.setHeaderLabels(["Period", "Value", "Target", "Periods with data"])
        self.rollups.setRootIsDecorated(False)
        self.rollups.setMinimumHeight(120)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.situation)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        row.addWidget(self.proposal, 1)
        row.addWidget(self.accept, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        layout.addLayout(self.chart_box)
        layout.addWidget(plain_label("Values that stand out:"))
        layout.addWidget(self.anomalies)
        layout.addWidget(plain_label("Roll-ups:"))
        layout.addWidget(self.rollups)
        self.setWidget(body)
        self.editable = True

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self._enable()

    def _enable(self) -> None:
        helper = self.helper
        ready = bool(
            helper
            and helper.proposal
            and helper.proposal.target is not None
            and helper.proposal_periods
        )
        self.accept.setEnabled(self.editable and ready)

    def show_helper(self, detail: MetricDetail, helper: TargetHelper) -> None:
        self.helper = helper
        show = detail.summary.show
        judgement = helper.judgement
        if judgement is not None:
            name = judgement.situation.label if judgement.situation else "Not judged"
            self.situation.setText(f"{name}: {judgement.rule}.")
        lines = [judgement.advice] if judgement is not None else []
        if helper.history is not None:
            h = helper.history
            lines.append(
                f"History ({h.count} periods): lowest {show(h.minimum)}, mean "
                f"{show(h.mean)}, median {show(h.median)}, highest {show(h.maximum)}."
            )
        lines.append(f"Baseline: {helper.baseline or 'none recorded'}.")
        if helper.what_it_takes is not None:
            lines.append(f"{helper.fiscal_year}: {helper.what_it_takes.describe(show)}")
        else:
            lines.append(f"{helper.fiscal_year}: no targets are set for this fiscal year yet.")
        self.text.setText("\n".join(lines))
        proposal = helper.proposal
        periods = helper.proposal_periods
        fy = detail.fiscal_year_start
        if proposal is not None:
            where = (
                f" For the {counted(len(periods), 'period')} of {helper.fiscal_year} not "
                f"reported yet ({label(periods[0], fy)} to {label(periods[-1], fy)})."
                if periods and proposal.target is not None
                else ""
            )
            self.proposal.setText(f"Proposed target: {proposal.reasoning}{where}")
        self._enable()
        self.anomalies.clear()
        for period, anomaly in helper.anomalies:
            item = QTreeWidgetItem([period, show(anomaly.value), anomaly.why])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            self.anomalies.addTopLevelItem(item)
        if not helper.anomalies:
            self.anomalies.addTopLevelItem(
                QTreeWidgetItem(["", "", "No value stands out from the history."])
            )
        for column in range(2):
            self.anomalies.resizeColumnToContents(column)
        self._show_rollups(detail, helper)
        self._draw_path(detail, helper)

    def _draw_path(self, detail: MetricDetail, helper: TargetHelper) -> None:
        from statdesk.reporting.target_charts import described, path_figure

        said = described(helper, detail.summary.name, detail.summary.show)
        if self.canvas is not None:
            self.chart_box.removeWidget(self.canvas)
            self.canvas.deleteLater()
            self.canvas = None
        if not helper.path:
            self.canvas = plain_label(said)
        else:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

            width = max(5.0, (self.viewport().width() - 30) / 100)
            figure = path_figure(helper, detail.summary.show, detail.fiscal_year_start, width=width)
            canvas = FigureCanvasQTAgg(figure)
            canvas.setMinimumHeight(300)
            canvas.setAccessibleName(f"What it would take, {helper.fiscal_year}")
            canvas.setAccessibleDescription(said)
            canvas.setToolTip(said)
            self.canvas = canvas
        self.chart_box.addWidget(self.canvas)

    def _show_rollups(self, detail: MetricDetail, helper: TargetHelper) -> None:
        show, fy = detail.summary.show, detail.fiscal_year_start
        self.rollups.clear()
        for group, targets in (
            (helper.years, helper.year_targets),
            (helper.quarters, helper.quarter_targets),
        ):
            for rolled in reversed(group):
                item = QTreeWidgetItem(
                    [
                        label(rolled.period, fy),
                        show(rolled.value),
                        show(targets.get(rolled.period)),
                        f"{rolled.periods_with_data} of {rolled.periods_in_all}"
                        + ("" if rolled.complete else " (so far)"),
                    ]
                )
                for column in (1, 2):
                    item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
                self.rollups.addTopLevelItem(item)
        for column in range(4):
            self.rollups.resizeColumnToContents(column)

    def _accept(self) -> None:
        helper = self.helper
        if helper is None or helper.proposal is None or helper.proposal.target is None:
            return
        if self.on_accept is not None:
            self.on_accept(helper.proposal.target, helper.proposal_periods)
