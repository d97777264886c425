"""The import wizard's first two pages: the file (with what it holds, or a saved recipe), and
its sheet and header row with a preview of the rows as they will be read (read off the GUI
thread)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from statdesk.domain.numbers import counted
from statdesk.importing.plan import KINDS, ImportOptions
from statdesk.importing.recipe_files import file_pattern
from statdesk.importing.shape import Table
from statdesk.ui import folders, settings
from statdesk.ui.forms import ERROR_STYLE, plain_label
from statdesk.ui.tasks import run_in_background

if TYPE_CHECKING:
    from statdesk.ui.wizards.import_wizard import ImportWizard


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
