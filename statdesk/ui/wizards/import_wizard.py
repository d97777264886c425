"""The import wizard: choose a file → sheet and header row → map the columns → check → import,
with "Undo this import" at the end. Reading and writing run off the GUI thread; the choices
made for a file are remembered for the next file of the same name pattern."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from statdesk.domain.errors import Cancelled
from statdesk.domain.numbers import counted
from statdesk.importing.mapping import FIELDS, auto_map
from statdesk.importing.plan import KINDS, ImportOptions, ImportPlan, file_pattern
from statdesk.importing.progress import Progress
from statdesk.importing.shape import Table
from statdesk.importing.sources import SourceInfo
from statdesk.importing.wide import WideColumn, wide_columns
from statdesk.ui import folders, settings
from statdesk.ui.forms import ERROR_STYLE, plain_label
from statdesk.ui.tasks import run_in_background
from statdesk.ui.wizards.import_choices import ImportChoices
from statdesk.workspace import Workspace

KIND_LABELS = {
    "roster": "The team (people, titles, roles)",
    "inventory": "The data inventory (datasets)",
    "metrics": "Metric definitions (a measure register)",
    "values": "Metric values and targets",
    "raw": "Raw records to count or measure (311 requests, permits…)",
}
NOT_IMPORTED = "(not imported)"
PREVIEW_ROWS = 15


def _remembered(path: Path) -> dict[str, Any]:
    text = settings.load_text(f"import/{file_pattern(path)}")
    try:
        return dict(json.loads(text)) if text else {}
    except ValueError:
        return {}


class ImportWizard(QWizard):
    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        source: Path | None = None,
        recipe: str | None = None,
        kind: str | None = None,
    ) -> None:
        """`kind`: what the file holds, when the user said so before choosing it."""
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.workspace = workspace
        self.info: SourceInfo | None = None
        self.table: Table | None = None
        self.import_options = ImportOptions(kind="values")
        self.plan: ImportPlan | None = None
        self.batch_id: int | None = None
        self.recipe_notes: list[str] = []  # what no longer matches the chosen recipe
        self.progress: Progress | None = None  # the check or the import under way
        self.source_page = SourcePage(self, source, recipe)
        if kind in KINDS:
            self.source_page.kind.setCurrentIndex(KINDS.index(kind))
        self.layout_page = LayoutPage(self)
        self.mapping_page = MappingPage(self)
        self.report_page = ReportPage(self)
        self.done_page = DonePage(self)
        for page in (
            self.source_page,
            self.layout_page,
            self.mapping_page,
            self.report_page,
            self.done_page,
        ):
            self.addPage(page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.resize(900, 640)

    @property
    def path(self) -> Path:
        return Path(self.source_page.path.text().strip())

    @property
    def recipe(self) -> str | None:
        name = self.source_page.recipe.currentData()
        return str(name) if name else None

    def reject(self) -> None:
        """Cancel also stops a check or an import under way (an import rolls back)."""
        if self.progress is not None:
            self.progress.cancel()
        super().reject()

    def remember(self) -> None:
        settings.save_text(
            f"import/{file_pattern(self.path)}",
            json.dumps(
                {
                    "kind": self.import_options.kind,
                    "sheet": self.import_options.sheet,
                    "header_row": self.import_options.header_row,
                    "mapping": self.import_options.mapping,
                }
            ),
        )


class SourcePage(QWizardPage):
    def __init__(self, wizard: ImportWizard, source: Path | None, recipe: str | None) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Choose the file")
        self.setSubTitle(
            "A workbook (.xlsx, .xls, .ods) or a text table (.csv, .txt). StatDesk "
            "reads the real format from the file itself."
        )
        self.path = QLineEdit(str(source) if source else "")
        self.path.setAccessibleName("File to import")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        self.kind = QComboBox()
        self.kind.setAccessibleName("What the file holds")
        for kind in KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.setCurrentIndex(KINDS.index("values"))
        self.recipe = QComboBox()
        self.recipe.setAccessibleName("Saved recipe")
        self.recipe.addItem("None: choose below", None)
        self.recipes = {r.name: r for r in wizard.workspace.imports.recipes()}
        for name in sorted(self.recipes, key=str.casefold):
            self.recipe.addItem(f"{name} ({self.recipes[name].pattern})", name)
        self.recipe.setEnabled(bool(self.recipes))
        self.recipe_hint = plain_label()
        self.problem = plain_label()
        self.problem.setStyleSheet(ERROR_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        recipe_label = QLabel("Run a saved &recipe")
        recipe_label.setBuddy(self.recipe)
        form.addRow(recipe_label, self.recipe)
        form.addRow("", self.recipe_hint)
        file_label = QLabel("&File")
        file_label.setBuddy(self.path)
        form.addRow(file_label, row)
        kind_label = QLabel("It &holds")
        kind_label.setBuddy(self.kind)
        form.addRow(kind_label, self.kind)
        form.addRow("", self.problem)
        self.path.textChanged.connect(self._path_changed)
        self.path.textChanged.connect(self.completeChanged)
        self.recipe.currentIndexChanged.connect(self._recipe_chosen)
        if recipe in self.recipes:
            self.recipe.setCurrentIndex(self.recipe.findData(recipe))

    def _recipe_chosen(self) -> None:
        """A recipe says what the file holds, and finds next month's file: the newest one
        fitting its name pattern in the folder it last ran on."""
        recipe = self.recipes.get(self.recipe.currentData() or "")
        self.kind.setEnabled(recipe is None)
        if recipe is None:
            self.recipe_hint.setText("")
            return
        if recipe.kind in KINDS:
            self.kind.setCurrentIndex(KINDS.index(recipe.kind))
        newest = recipe.next_file()
        if newest is not None:
            self.path.setText(str(newest))
            self.recipe_hint.setText(
                f"The newest file fitting '{recipe.pattern}' in {recipe.folder} is filled in; "
                "choose another with Browse."
            )
        else:
            self.recipe_hint.setText(
                f"No file fitting '{recipe.pattern}' was found in "
                f"{recipe.folder or 'the folder it last ran on'}; choose the file."
            )

    def browse(self) -> None:
        recipe = self.recipes.get(self.recipe.currentData() or "")
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Choose the file to import",
            str(recipe.folder) if recipe and recipe.folder else folders.start("import"),
            "Spreadsheets and tables (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;All files (*)",
        )
        if name:
            folders.remember("import", name)
            self.path.setText(name)

    def _path_changed(self) -> None:
        remembered = _remembered(Path(self.path.text().strip()))
        if remembered.get("kind") in KINDS:
            self.kind.setCurrentIndex(KINDS.index(remembered["kind"]))

    def isComplete(self) -> bool:
        return Path(self.path.text().strip()).is_file()

    def validatePage(self) -> bool:
        try:
            self.wiz.info = self.wiz.workspace.imports.inspect(self.wiz.path)
        except Exception as error:  # the sentence says what is wrong with the file
            self.problem.setText(
                f"⚠ {getattr(error, 'message', error)} {getattr(error, 'hint', '')}"
            )
            return False
        self.problem.setText("")
        self.wiz.recipe_notes = []
        if self.wiz.recipe:
            try:
                self.wiz.import_options, self.wiz.recipe_notes = (
                    self.wiz.workspace.imports.options_for(self.wiz.recipe, self.wiz.path)
                )
            except Exception as error:  # the sentence says what no longer fits
                self.problem.setText(
                    f"⚠ {getattr(error, 'message', error)} {getattr(error, 'hint', '')}"
                )
                return False
            return True
        remembered = _remembered(self.wiz.path)
        self.wiz.import_options = ImportOptions(
            kind=self.kind.currentData(),
            sheet=remembered.get("sheet"),
            header_row=remembered.get("header_row"),
            mapping=remembered.get("mapping") or {},
        )
        return True


class LayoutPage(QWizardPage):
    """The sheet and the header row, with the rows as they will be read. Reading a sheet of
    100,000 rows takes seconds, so it is done off the GUI thread, a moment after the last
    change (the spin box can be held down), and only the newest reading is shown."""

    WAIT_MS = 250

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Sheet and header row")
        self.setSubTitle("The preview shows exactly the rows that will be imported.")
        self.sheet = QComboBox()
        self.sheet.setAccessibleName("Sheet")
        self.header = QSpinBox()
        self.header.setRange(0, 200)
        self.header.setSpecialValueText("found by StatDesk")
        self.header.setAccessibleName("Header row")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # moving: how long is not known
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Reading the sheet")
        self.busy.hide()
        self.preview = QTableWidget()
        self.preview.setAccessibleName("Preview of the rows to import")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.notices = plain_label()
        form = QFormLayout()
        form.addRow("&Sheet", self.sheet)
        form.addRow("&Header row", self.header)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.notices)
        self.reading = False
        self._asked = 0  # readings asked for; only the newest is shown
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(self.WAIT_MS)
        self._soon.timeout.connect(self.read)
        self.sheet.currentIndexChanged.connect(self.refresh)
        self.header.valueChanged.connect(self.refresh)

    def initializePage(self) -> None:
        info, options = self.wiz.info, self.wiz.import_options
        assert info is not None
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for sheet in info.sheets:
            text = sheet.name if sheet.visible else f"{sheet.name} (hidden)"
            self.sheet.addItem(f"{text} — {counted(sheet.rows, 'row')}", sheet.name)
        chosen = (
            options.sheet if options.sheet in [s.name for s in info.sheets] else info.default_sheet
        )
        self.sheet.setCurrentIndex(max(0, self.sheet.findData(chosen)))
        self.sheet.setEnabled(info.format not in ("csv",))
        self.sheet.blockSignals(False)
        self.header.blockSignals(True)
        self.header.setValue(options.header_row or 0)
        self.header.blockSignals(False)
        self.read()

    def refresh(self) -> None:
        """Read the sheet again a moment after the last change of sheet or header row."""
        self._set_reading(True)
        self._soon.start()

    def read(self) -> None:
        """Read the sheet with the sheet and header row chosen now, in the background."""
        self._soon.stop()
        info = self.wiz.info
        assert info is not None
        sheet = self.sheet.currentData() if info.format != "csv" else None
        header_row = self.header.value() or None
        self._asked += 1
        asked = self._asked
        self._set_reading(True)
        workspace = self.wiz.workspace

        def read(table: Table) -> None:
            if asked == self._asked:  # else a newer reading is on its way
                self._show(table, sheet, header_row)

        def failed(error: BaseException) -> None:
            if asked == self._asked:
                self._failed(error)

        run_in_background(lambda: workspace.imports.preview(info, sheet, header_row), read, failed)

    def _set_reading(self, reading: bool) -> None:
        self.reading = reading
        self.busy.setVisible(reading)
        if reading:
            self.notices.setText("Reading the sheet…")
        self.completeChanged.emit()

    def _failed(self, error: BaseException) -> None:
        self.wiz.table = None
        self.preview.clear()
        self.preview.setRowCount(0)
        self._set_reading(False)
        self.notices.setText(f"⚠ {getattr(error, 'message', error)} {getattr(error, 'hint', '')}")

    def _show(self, table: Table, sheet: str | None, header_row: int | None) -> None:
        self.wiz.table = table
        self.wiz.import_options.sheet = sheet
        self.wiz.import_options.header_row = header_row
        self.preview.setColumnCount(len(table.columns))
        self.preview.setHorizontalHeaderLabels(table.columns)
        shown = table.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(shown))
        self.preview.setVerticalHeaderLabels(
            [
                f"{n} (total)" if i in table.totals else str(n)
                for i, n in enumerate(table.source_rows[:PREVIEW_ROWS])
            ]
        )
        for r, row in enumerate(shown):
            for c, value in enumerate(row):
                self.preview.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.preview.resizeColumnsToContents()
        more = (
            f" Showing {len(shown)} of {counted(len(table.rows), 'row')}."
            if len(table.rows) > len(shown)
            else ""
        )
        notes = [f"⚠ {n}" for n in self.wiz.recipe_notes] + [f"• {n}" for n in table.notices]
        notes += [
            f"• Row {table.source_rows[i]} ('{t.label}') is a total: {t.reason}. It is left "
            "out unless it has an ID of its own or you keep totals on the next pages."
            for i, t in sorted(table.totals.items())
        ]
        self._set_reading(False)
        self.notices.setText("\n".join(notes) + more)

    def isComplete(self) -> bool:
        return not self.reading and self.wiz.table is not None


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


class ReportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Check before importing")
        self.setSubTitle("Nothing has been written yet.")
        self.summary = plain_label("Checking every row…")
        self.summary.setAccessibleName("What the import will do")
        self.problems = QTableWidget(0, 4)
        self.problems.setHorizontalHeaderLabels(["Row", "Column", "Problem", "What happens"])
        self.problems.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.problems.setAccessibleName("Problems by row")
        self.problems.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Checking")
        self.progress.setRange(0, 100)
        self.stop = QPushButton("S&top checking")
        self.stop.clicked.connect(lambda: self.wiz.progress and self.wiz.progress.cancel())
        checking = QHBoxLayout()
        checking.addWidget(self.progress, 1)
        checking.addWidget(self.stop)
        self.timer = QTimer(self)
        self.timer.setInterval(150)
        self.timer.timeout.connect(self._tick)
        self.choices = ImportChoices()
        self.choices.changed.connect(self._choices_changed)
        self.again = QPushButton("Check &again with these choices")
        self.again.clicked.connect(self.check_again)
        self.again.setVisible(False)
        self.stale = False  # choices changed since the last check: import only after one
        self.keep = QCheckBox("&Keep values already in the file (do not replace them)")
        self.accept = QCheckBox("&Use the existing names for the near matches listed above")
        self.accept.setVisible(False)
        for box in (self.keep, self.accept):
            box.toggled.connect(self._choices_changed)
        self.save_recipe = QCheckBox("Save these choices as a &recipe named")
        self.recipe_name = QLineEdit()
        self.recipe_name.setAccessibleName("Recipe name")
        recipe_row = QHBoxLayout()
        recipe_row.addWidget(self.save_recipe)
        recipe_row.addWidget(self.recipe_name, 1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.choices)
        top_layout.addWidget(self.again)
        top_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(top)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(self.problems)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([400, 260])
        self.problems.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(checking)
        layout.addWidget(split, 1)
        layout.addWidget(self.accept)
        layout.addWidget(self.keep)
        layout.addLayout(recipe_row)

    def initializePage(self) -> None:
        if self.wiz.recipe:  # running a recipe keeps it up to date with this month's file
            self.recipe_name.setText(self.wiz.recipe)
            self.save_recipe.setChecked(True)
        else:
            self.recipe_name.setText(file_pattern(self.wiz.path).rsplit(".", 1)[0].strip(" *"))
        self.check()

    def check(self) -> None:
        """Plan the import in the background with the options as they are now."""
        self.wiz.plan = None
        self.stale = False
        self.again.setVisible(False)
        self.summary.setText("Checking every row…")
        self.problems.setRowCount(0)
        path, options = self.wiz.path, self.wiz.import_options
        options.conflict = "keep" if self.keep.isChecked() else "replace"
        options.accept_matches = self.accept.isChecked()
        fy_start = self.choices.new_fiscal_start
        progress = self.wiz.progress = Progress()
        self._checking(True)
        run_in_background(
            lambda: self.wiz.workspace.imports.plan(path, options, progress, fy_start=fy_start),
            self._planned,
            self._failed,
        )
        self.completeChanged.emit()

    def check_again(self) -> None:
        self.choices.apply(self.wiz.import_options)
        self.check()

    def _choices_changed(self) -> None:
        if self.wiz.plan is None:
            return
        self.stale = True
        self.again.setVisible(True)
        self.again.setDefault(True)
        self.completeChanged.emit()

    def _checking(self, running: bool) -> None:
        self.progress.setValue(0)
        self.progress.setVisible(running)
        self.stop.setVisible(running)
        if running:
            self.timer.start()
        else:
            self.timer.stop()
            self.wiz.progress = None

    def _tick(self) -> None:
        progress = self.wiz.progress
        if progress is not None:
            self.progress.setValue(round(progress.fraction * 100))
            if progress.stage:
                self.summary.setText(f"{progress.stage}…")

    def _planned(self, plan: ImportPlan) -> None:
        self._checking(False)
        self.wiz.plan = plan
        lines = [plan.count_line()]
        if plan.forecast is not None:
            lines.append(f"The import will write: {plan.forecast.describe()}.")
        lines += [f"• {n}" for n in plan.notices]
        for kind, names in plan.matches.items():
            for found, existing in list(names.items())[:10]:
                lines.append(f"≈ {kind}: '{found}' looks like the existing '{existing}'")
        self.accept.setVisible(bool(plan.matches))
        if plan.missing_fields:
            lines.insert(
                0,
                "⚠ Not mapped yet: "
                + ", ".join(plan.missing_fields)
                + ". Go back and choose them.",
            )
        for choice in plan.choices_needed:  # the command line's options are for the CLI
            lines.insert(0, f"⚠ Choose {choice.split(' (')[0]}, below, then check again.")
        self.summary.setText("\n".join(lines))
        self.choices.set_plan(plan, self._distinct_values(plan), self._file_is_new())
        shown = plan.problems[:500]
        self.problems.setRowCount(len(shown))
        for r, problem in enumerate(shown):
            for c, text in enumerate(
                (str(problem.row or "file"), problem.column, problem.message, problem.action)
            ):
                self.problems.setItem(r, c, QTableWidgetItem(text))
        for column in (0, 1, 3):  # what happens is read whole; the problem takes the rest
            self.problems.resizeColumnToContents(column)
        wide = max(200, self.problems.viewport().width() // 3)
        for column in (1, 3):  # a long column name or action wraps rather than crowd it out
            self.problems.setColumnWidth(column, min(self.problems.columnWidth(column), wide))
        self.problems.resizeRowsToContents()
        self.stale = False
        self.again.setVisible(bool(plan.choices_needed))  # the proposals are filled in
        self.completeChanged.emit()

    def _distinct_values(self, plan: ImportPlan) -> dict[str, list[str]]:
        """The values of the columns a choice may name (series, filters), a few hundred each."""
        table = self.wiz.table
        if table is None or plan.collisions is None:
            return {}
        columns = [c for c, _n in plan.collisions.differing] or table.columns
        return {c: table.distinct_texts(c) for c in columns if c in table.columns}

    def _file_is_new(self) -> bool:
        counts = self.wiz.workspace.counts()
        return not counts.get("metric_values") and not counts.get("targets")

    def _failed(self, error: BaseException) -> None:
        self._checking(False)
        if isinstance(error, Cancelled):
            self.summary.setText(
                "Checking was stopped; nothing was imported. Press Back to change the "
                "choices, or Cancel to close."
            )
        else:
            self.summary.setText(
                f"⚠ {getattr(error, 'message', error)} {getattr(error, 'hint', '')}"
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        plan = self.wiz.plan
        return (
            plan is not None and plan.ready and not self.stale and not self.wiz.workspace.read_only
        )

    def validatePage(self) -> bool:
        assert self.wiz.plan is not None
        return not self.stale


class DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Import")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName("Importing")
        self.stop = QPushButton("S&top importing")
        self.stop.clicked.connect(lambda: self.wiz.progress and self.wiz.progress.cancel())
        self.timer = QTimer(self)
        self.timer.setInterval(150)
        self.timer.timeout.connect(
            lambda: (
                self.wiz.progress
                and self.progress.setValue(round(self.wiz.progress.fraction * 100))
            )
        )
        self.result = plain_label(
            "Importing… The import is one step: it finishes whole, or the file is left as it was."
        )
        self.undo = QPushButton("&Undo this import")
        self.undo.setEnabled(False)
        self.undo.clicked.connect(self.undo_import)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.stop)
        layout.addWidget(self.result)
        layout.addWidget(self.undo)
        layout.addStretch(1)
        self.finished = False

    def initializePage(self) -> None:
        self.finished = False
        plan = self.wiz.plan
        assert plan is not None
        self.wiz.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        self.stop.setVisible(True)
        progress = self.wiz.progress = Progress()
        self.timer.start()
        workspace = self.wiz.workspace
        fiscal_start = self.wiz.report_page.choices.new_fiscal_start

        def work() -> Any:
            if fiscal_start and fiscal_start != workspace.fiscal_year_start_month:
                # Chosen on a file without values, so nothing else moves: said on the page.
                workspace.update_city(fiscal_year_start_month=fiscal_start)
            return workspace.imports.run(plan, progress)[0]

        run_in_background(work, self._imported, self._failed)

    def _imported(self, result: Any) -> None:
        self.progress.setValue(100)
        self.wiz.batch_id = result.batch_id
        self.result.setText(f"Imported as import #{result.batch_id}: {result.describe()}.")
        self.wiz.remember()
        report = self.wiz.report_page
        if report.save_recipe.isChecked() and report.recipe_name.text().strip():
            assert self.wiz.plan is not None
            self.wiz.workspace.imports.save_recipe(report.recipe_name.text().strip(), self.wiz.plan)
        self.undo.setEnabled(True)
        self._finish()

    def _failed(self, error: BaseException) -> None:
        self.progress.setValue(0)
        if isinstance(error, Cancelled):
            self.result.setText("Stopped: nothing was imported; the file is as it was.")
        else:
            self.result.setText(
                f"⚠ Nothing was imported. {getattr(error, 'message', error)} "
                f"{getattr(error, 'hint', '')}"
            )
        self._finish()

    def _finish(self) -> None:
        self.timer.stop()
        self.stop.setVisible(False)
        self.wiz.progress = None
        self.finished = True
        self.wiz.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self.completeChanged.emit()

    def undo_import(self) -> None:
        """Undo this import; when a later one builds on it, say which, and undo them too only
        if asked."""
        if self.wiz.batch_id is None:
            return
        workspace = self.wiz.workspace
        with_later = False
        state = next(
            (s for b, s in workspace.imports.history() if b.id == self.wiz.batch_id), "active"
        )
        if "later imports" in state:
            answer = QMessageBox.question(
                self,
                "Undo this import",
                f"Import #{self.wiz.batch_id} is {state}: undoing it alone would take their "
                "values with it. Undo them too, the newest first?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            with_later = True
        try:
            workspace.imports.undo(self.wiz.batch_id, with_later=with_later)
        except Exception as error:  # the sentence says why
            self.result.setText(f"⚠ {getattr(error, 'message', error)}")
            return
        self.result.setText(
            f"Import #{self.wiz.batch_id} was undone: the file is as it was before it."
        )
        self.wiz.batch_id = None
        self.undo.setEnabled(False)

    def isComplete(self) -> bool:
        return self.finished
