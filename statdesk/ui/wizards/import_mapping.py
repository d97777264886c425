"""The import wizard's mapping page: which column of the file is what, StatDesk's guesses
filled in; columns that are periods (one a column) are shown as such."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from statdesk.importing.mapping import FIELDS, auto_map
from statdesk.importing.wide import WideColumn, wide_columns
from statdesk.ui.forms import plain_label
from statdesk.ui.wizards.import_source import NOT_IMPORTED

if TYPE_CHECKING:
    from statdesk.ui.wizards.import_wizard import ImportWizard


def _columns_named(columns: list[WideColumn]) -> str:
    """'2016', '8 columns, 2016 to 2023' (in period order, whatever the file's order), or
    '3 columns: CFY, PFY1, PFY2'."""
    if len(columns) == 1:
        return columns[0].column
    dated = [c for c in columns if c.fixed is not None]
    if len(dated) == len(columns):
        dated.sort(key=lambda c: c.fixed.start if c.fixed else date.min)
        return f"{len(columns)} columns, {dated[0].column} to {dated[-1].column}"
    names = ", ".join(c.column for c in columns[:4]) + (", …" if len(columns) > 4 else "")
    return f"{len(columns)} columns: {names}"


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Which column is what")
        self.setSubTitle(
            "StatDesk's guesses are filled in; change any of them. Columns left "
            "'(not imported)' are ignored."
        )
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(["Column in the file", "Imported as", "Sample"])
        self.columns.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.columns.setAccessibleName("Column mapping")
        self.metric_name = QLineEdit()
        self.metric_name.setAccessibleName("Metric to fill")
        self.period = QLineEdit()
        self.period.setAccessibleName("Period of every value")
        self.fiscal_year = QSpinBox()
        self.fiscal_year.setRange(0, 2100)
        self.fiscal_year.setSpecialValueText("from a column")
        self.fiscal_year.setAccessibleName("Fiscal year of month and quarter columns")
        self.date_column = QComboBox()
        self.date_column.setAccessibleName("Date column")
        self.frequency = QComboBox()
        self.frequency.setAccessibleName("Group by")
        for value in ("weekly", "monthly", "quarterly", "annual"):
            self.frequency.addItem(value.capitalize(), value)
        self.frequency.setCurrentIndex(1)
        self.measure = QLineEdit("count")
        self.measure.setAccessibleName("Measure")
        self.measure.setToolTip(
            "count, sum:COLUMN, mean:COLUMN, median:COLUMN, p90:COLUMN, "
            "median_days:START,END or share_within:START,END,DAYS"
        )
        self.filters = QLineEdit()
        self.filters.setAccessibleName("Filters")
        self.filters.setPlaceholderText("COLUMN=VALUE; COLUMN=VALUE")
        self.extra = QFormLayout()
        self.about = plain_label()
        self.about.setAccessibleName("What the file is")
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.columns, 1)
        layout.addLayout(self.extra)

    def initializePage(self) -> None:
        table, options = self.wiz.table, self.wiz.import_options
        assert table is not None
        while self.extra.rowCount():
            self.extra.takeRow(0)
        raw = options.kind == "raw"
        self.columns.setVisible(not raw)
        guessed = {} if raw else auto_map(table.columns, options.kind)
        mapping = {**guessed, **{c: f for c, f in options.mapping.items() if c in table.columns}}
        fields = FIELDS.get(options.kind, ())
        fy_start = self.wiz.workspace.fiscal_year_start_month
        wide = {}
        if options.kind == "values":
            unmapped = [c for c in table.columns if c not in mapping]
            wide = {w.column: w for w in wide_columns(unmapped, fy_start)}
        self.about.setText(self._about(wide))
        self.columns.setRowCount(len(table.columns))
        for row, column in enumerate(table.columns):
            self.columns.setItem(row, 0, QTableWidgetItem(column))
            combo = QComboBox()
            combo.setAccessibleName(f"Imported as, for {column}")
            period_column = wide.get(column)
            combo.addItem(_period_role(period_column) if period_column else NOT_IMPORTED, None)
            for spec in fields:
                combo.addItem(spec.label + (" *" if spec.required else ""), spec.name)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(column))))
            self.columns.setCellWidget(row, 1, combo)
            index = table.columns.index(column)
            samples = [str(r[index]) for r in table.rows if r[index] not in (None, "")][:3]
            self.columns.setItem(row, 2, QTableWidgetItem(" · ".join(samples)))
        self.columns.resizeColumnToContents(0)
        # As wide as the longest choice: "(not importe" read as nothing at all.
        combos = [self.columns.cellWidget(r, 1) for r in range(self.columns.rowCount())]
        metrics = self.columns.fontMetrics()
        texts = [c.itemText(i) for c in combos for i in range(c.count())]  # type: ignore[attr-defined]
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=80) + 48
        hinted = max((c.sizeHint().width() for c in combos), default=120)
        self.columns.setColumnWidth(1, max(widest, hinted))
        self.metric_name.setText(options.metric or "")
        self.period.setText(options.period or "")
        self.fiscal_year.setValue(options.fiscal_year or 0)
        self.frequency.setCurrentIndex(max(0, self.frequency.findData(options.frequency)))
        self.measure.setText(options.measure or "count")
        self.filters.setText("; ".join(options.filters))
        if options.kind == "values":
            self.extra.addRow("&Metric (when no column names it)", self.metric_name)
            self.extra.addRow("&Period of every value (when no column gives it)", self.period)
            self.extra.addRow("&Fiscal year of month or quarter columns", self.fiscal_year)
        if raw:
            self.date_column.clear()
            self.date_column.addItems(table.columns)
            if options.date_column in table.columns:
                self.date_column.setCurrentText(options.date_column)
            self.extra.addRow("&Date column", self.date_column)
            self.extra.addRow("&Group by", self.frequency)
            self.extra.addRow("Mea&sure", self.measure)
            self.extra.addRow("Fi&lters", self.filters)
            self.extra.addRow("&Metric to fill", self.metric_name)

    def _about(self, wide: dict[str, WideColumn]) -> str:
        """The file as StatDesk read it, and the columns that are periods."""
        info = self.wiz.info
        assert info is not None
        parts = [info.format.upper()]
        if info.encoding:
            parts.append(info.encoding)
        if info.delimiter:
            shown = {"\t": "tab", ";": "semicolon", ",": "comma", "|": "bar"}
            parts.append(f"{shown.get(info.delimiter, repr(info.delimiter))}-separated")
        if info.decimal == ",":
            parts.append("decimal commas (1.234,56)")
        lines = ["Read as " + ", ".join(parts) + "."]
        by_role: dict[str, list[WideColumn]] = {}
        for column in wide.values():
            by_role.setdefault(column.role, []).append(column)
        for role, columns in by_role.items():
            what = {"actual": "values", "target": "targets", "forecast": "forecasts"}[role]
            lines.append(f"{_columns_named(columns)} → {what}, one period a column.")
        return "\n".join(lines)

    def validatePage(self) -> bool:
        options = self.wiz.import_options
        mapping = {}
        for row in range(self.columns.rowCount()):
            combo = self.columns.cellWidget(row, 1)
            assert isinstance(combo, QComboBox)
            field = combo.currentData()
            mapping[self.columns.item(row, 0).text()] = field or "ignore"
        options.mapping = mapping
        options.metric = self.metric_name.text().strip() or None
        options.period = self.period.text().strip() or None
        options.fiscal_year = self.fiscal_year.value() or None
        if options.kind == "raw":
            options.date_column = self.date_column.currentText() or None
            options.frequency = self.frequency.currentData()
            options.measure = self.measure.text().strip() or "count"
            options.filters = [f.strip() for f in self.filters.text().split(";") if f.strip()]
        return True


def _period_role(column: WideColumn) -> str:
    """What an unmapped column of periods imports as: "A period's targets (FY2016)"."""
    what = {"actual": "values", "target": "targets", "forecast": "forecasts"}[column.role]
    return f"A period's {what} (the period is in its name)"
