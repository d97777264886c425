"""The choices a file needs before it imports truthfully, on the wizard's check page: rows that
land on the same metric and period (series, sum, mean, first, last, or only some rows), totals,
the fiscal order of month columns, the order of dates, percents written as fractions, and the
directions of the metrics the import creates. Each widget shows only when the plan needs it;
the proposal StatDesk makes is filled in, and nothing applies until the analyst checks again
or imports."""

from __future__ import annotations

import calendar
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import Direction
from statdesk.importing.plan import ImportOptions, ImportPlan
from statdesk.ui.forms import plain_label

_COMBINE = (
    ("sum", "Add them up (sum: line items of one total)"),
    ("mean", "Average them"),
    ("first", "Keep the first row of each (the others are listed)"),
    ("last", "Keep the last row of each (the others are listed)"),
)


class ImportChoices(QWidget):
    """What the analyst decides for one plan; `apply` writes it into the import's options."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan: ImportPlan | None = None
        self.directions: dict[str, str] = {}
        self.new_fiscal_start: int | None = None  # the city's, when the analyst changes it
        self._filter_set: str | None = None  # the filter these choices added
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self._groups: list[QWidget] = []

    # ----------------------------------------------------------------- building
    def set_plan(self, plan: ImportPlan, columns: dict[str, list[str]], file_is_new: bool) -> None:
        """`columns`: each column's distinct values (for series and filters), at most a few
        hundred each."""
        self.plan = plan
        for group in self._groups:
            self.layout_.removeWidget(group)
            group.deleteLater()
        self._groups = []
        self.how = self.series_column = self.own = self.filter_column = None
        self.filter_value = self.keep_totals = self.by_file = self.set_city = None
        self.date_order = self.rescale = None
        self.columns = columns
        if plan.collisions is not None and plan.collisions.groups:
            self._collisions(plan)
        if any("is a total" in p.message for p in plan.problems) or plan.options.keep_totals:
            self._totals(plan)
        if plan.fiscal_order or plan.options.file_fiscal_start:
            self._fiscal(plan, file_is_new)
        if any("--date-order" in c for c in plan.choices_needed) or plan.options.date_order:
            self._dates(plan)
        if plan.scale_mixes or plan.options.rescale:
            self._scales(plan)
        if plan.direction_proposals:
            self._directions(plan)

    def _group(self, title: str, text: str) -> tuple[QGroupBox, QVBoxLayout]:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.addWidget(plain_label(text))
        self.layout_.addWidget(box)
        self._groups.append(box)
        return box, layout

    def _combo(self, items: list[tuple[Any, str]], name: str, chosen: Any = None) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for data, text in items:
            combo.addItem(text, data)
        index = combo.findData(chosen)
        combo.setCurrentIndex(max(0, index))
        combo.currentIndexChanged.connect(self._update)
        return combo

    def _collisions(self, plan: ImportPlan) -> None:
        report = plan.collisions
        assert report is not None
        _box, layout = self._group(
            "Rows that land on the same metric and period", report.sentence()
        )
        options = plan.options
        series = [c for c, f in options.mapping.items() if f == "series"]
        current = (
            "series" if series else (options.combine or ("filter" if options.filters else None))
        )
        proposal, _, column = report.proposal.partition(":")
        if current is None and proposal == "series":
            current, series = "series", [column]
        elif current is None and proposal == "combine":
            current = column
        items: list[tuple[Any, str]] = [
            (None, "Choose what to do…"),
            ("series", "Keep them apart, as series of the metric, by the column"),
            *_COMBINE,
            ("filter", "Keep only the rows where a column has one value"),
        ]
        self.how = self._combo(items, "What to do with them", current)
        differing = [c for c, _n in report.differing] or list(self.columns)
        self.series_column = self._combo(
            [(c, c) for c in differing], "Series column", series[0] if series else None
        )
        self.own = QComboBox()
        self.own.setAccessibleName("The city's own figure")
        self.own.currentIndexChanged.connect(self._update)
        self.series_column.currentIndexChanged.connect(self._fill_own)
        self.filter_column = self._combo([(c, c) for c in differing], "Filter column")
        self.filter_value = QComboBox()
        self.filter_value.setAccessibleName("Filter value")
        self.filter_column.currentIndexChanged.connect(self._fill_filter)
        form = QFormLayout()
        form.addRow("&Do", self.how)
        form.addRow("Series &by", self.series_column)
        form.addRow("The &city's own figure is", self.own)
        form.addRow("Only rows where", self.filter_column)
        form.addRow("&is", self.filter_value)
        layout.addLayout(form)
        if report.proposal:
            how, _, what = report.proposal.partition(":")
            words = f"series by '{what}'" if how == "series" else what
            layout.addWidget(plain_label(f"Proposed: {words}, as {'; '.join(report.reasons)}."))
        self._fill_own()
        self._fill_filter()
        if options.own_series:
            self.own.setCurrentIndex(max(0, self.own.findData(options.own_series)))
        self._update()

    def _fill_own(self) -> None:
        assert self.own is not None and self.series_column is not None
        self.own.blockSignals(True)
        self.own.clear()
        self.own.addItem("None: every row is a breakdown or comparison", None)
        for value in self.columns.get(self.series_column.currentData() or "", []):
            self.own.addItem(value, value)
        self.own.blockSignals(False)

    def _fill_filter(self) -> None:
        assert self.filter_value is not None and self.filter_column is not None
        self.filter_value.clear()
        for value in self.columns.get(self.filter_column.currentData() or "", []):
            self.filter_value.addItem(value, value)

    def _update(self) -> None:
        how = self.how.currentData() if self.how is not None else None
        for widget, shown in (
            (self.series_column, how == "series"),
            (self.own, how == "series"),
            (self.filter_column, how == "filter"),
            (self.filter_value, how == "filter"),
        ):
            if widget is not None:
                widget.setEnabled(shown)
        self.changed.emit()

    def _totals(self, plan: ImportPlan) -> None:
        count = sum(1 for p in plan.problems if "is a total" in p.message)
        _box, layout = self._group(
            "Totals",
            f"{counted(count, 'row')} labelled and placed as totals of the rows above them: "
            "left out (each is listed below).",
        )
        self.keep_totals = QCheckBox("&Import the rows labelled as totals as data")
        self.keep_totals.setChecked(plan.options.keep_totals)
        self.keep_totals.toggled.connect(self.changed)
        layout.addWidget(self.keep_totals)

    def _fiscal(self, plan: ImportPlan, file_is_new: bool) -> None:
        start = plan.fiscal_order or plan.options.file_fiscal_start or 1
        month = calendar.month_name[start]
        _box, layout = self._group(
            "The file's fiscal year",
            f"The file's month columns run from {month}: its fiscal year starts in {month}, not "
            "in this city's month.",
        )
        self.by_file = QRadioButton(f"&Date the months by the file's order ({month} first)")
        self.set_city = QRadioButton(f"Set this &city's fiscal year to start in {month}")
        self.set_city.setEnabled(file_is_new)
        if not file_is_new:
            self.set_city.setToolTip(
                "The file already holds values; change the fiscal-year start in "
                "File ▸ City settings, which says what it moves."
            )
        self.by_file.setChecked(bool(plan.options.file_fiscal_start) or not file_is_new)
        for button in (self.by_file, self.set_city):
            button.toggled.connect(self.changed)
            layout.addWidget(button)
        self._fiscal_start = start

    def _dates(self, plan: ImportPlan) -> None:
        problem = next((p.message for p in plan.problems if "read either way" in p.message), "")
        _box, layout = self._group("Dates", problem or "The dates are read in the order chosen.")
        self.date_order = self._combo(
            [
                (None, "Choose the order…"),
                ("mdy", "Month first (05/01/2026 is 1 May)"),
                ("dmy", "Day first (05/01/2026 is 5 January)"),
            ],
            "Date order",
            plan.options.date_order,
        )
        layout.addWidget(self.date_order)

    def _scales(self, plan: ImportPlan) -> None:
        _box, layout = self._group(
            "Percents written as fractions",
            "These percent metrics hold values between 0 and 1 (0.75 for 75%), some beside "
            "percents. Tick those whose values between 0 and 1 should be multiplied by 100.",
        )
        self.rescale = QListWidget()
        self.rescale.setAccessibleName("Metrics to rescale")
        chosen = {name.casefold() for name in plan.options.rescale}
        for name in dict.fromkeys([*plan.scale_mixes, *plan.options.rescale]):
            if name == "*":
                continue
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = name.casefold() in chosen or "*" in chosen
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.rescale.addItem(item)
        self.rescale.itemChanged.connect(self.changed)
        self.rescale.setMaximumHeight(120)
        layout.addWidget(self.rescale)

    def _directions(self, plan: ImportPlan) -> None:
        count = len(plan.direction_proposals)
        self.directions = dict(plan.options.directions)
        _box, layout = self._group(
            "Directions",
            f"{counted(count, 'metric')} without a direction in the file: StatDesk judges no "
            "status for them until you say which way is better.",
        )
        row = QHBoxLayout()
        button = QPushButton("Set &directions…")
        button.clicked.connect(self.choose_directions)
        row.addWidget(button)
        self.directions_said = plain_label(self._directions_text())
        row.addWidget(self.directions_said, 1)
        layout.addLayout(row)

    def _directions_text(self) -> str:
        chosen = [k for k, v in self.directions.items() if v and k != "*"]
        return f"{len(chosen)} set." if chosen else "None set yet."

    def choose_directions(self) -> None:
        from statdesk.ui.dialogs.directions import DirectionsDialog, Unjudged

        assert self.plan is not None
        departments = {d["name"]: d.get("department", "") for d in self.plan.metrics}
        rows = [
            Unjudged(
                name,
                name,
                departments.get(name, ""),
                Direction(proposal) if proposal else None,
                why,
            )
            for name, (proposal, why) in self.plan.direction_proposals.items()
        ]
        dialog = DirectionsDialog(rows, self)
        for row, combo in zip(dialog.directions.rows, dialog.directions.combos, strict=True):
            way = self.directions.get(row.key)
            if way:
                combo.setCurrentIndex(combo.findData(way))
        if dialog.exec():
            self.directions = {k: v.value for k, v in dialog.directions.chosen().items()}
            self.directions_said.setText(self._directions_text())
            self.changed.emit()

    # ----------------------------------------------------------------- applying
    def apply(self, options: ImportOptions) -> None:
        """Write the choices into `options` (before checking again, or importing)."""
        if self.how is not None:
            how = self.how.currentData()
            options.mapping = {c: f for c, f in options.mapping.items() if f != "series"}
            options.combine = how if how in ("sum", "mean", "first", "last") else None
            options.own_series = None
            options.filters = [f for f in options.filters if f != self._filter_set]
            self._filter_set = None
            if how == "series" and self.series_column is not None:
                options.mapping[self.series_column.currentData()] = "series"
                options.own_series = self.own.currentData() if self.own is not None else None
            if how == "filter" and self.filter_column is not None:
                value = self.filter_value.currentData() if self.filter_value else None
                if value is not None:
                    self._filter_set = f"{self.filter_column.currentData()}={value}"
                    options.filters.append(self._filter_set)
        if self.keep_totals is not None:
            options.keep_totals = self.keep_totals.isChecked()
        self.new_fiscal_start = None
        if self.by_file is not None and self.set_city is not None:
            if self.set_city.isChecked():
                options.file_fiscal_start = None
                self.new_fiscal_start = self._fiscal_start
            else:
                options.file_fiscal_start = self._fiscal_start
        if self.date_order is not None:
            options.date_order = self.date_order.currentData()
        if self.rescale is not None:
            options.rescale = [
                self.rescale.item(i).text()
                for i in range(self.rescale.count())
                if self.rescale.item(i).checkState() == Qt.CheckState.Checked
            ]
        if self.directions:
            options.directions = dict(self.directions)
