"""The import wizard's last pages: the check (the plan, run in the background: every row that
would not land as it stands, every choice the file needs, and what the import will write),
and the import itself, with "Undo this import"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from statdesk.domain.errors import Cancelled
from statdesk.importing.plan import ImportPlan
from statdesk.importing.progress import Progress
from statdesk.importing.recipe_files import file_pattern
from statdesk.ui.forms import plain_label
from statdesk.ui.tasks import run_in_background
from statdesk.ui.wizards.import_choices import ImportChoices

if TYPE_CHECKING:
    from statdesk.ui.wizards.import_wizard import ImportWizard


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
            lines += [f"• {line}" for line in plan.forecast.locked_lines(10)]
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
            (i.state for i in workspace.imports.history() if i.id == self.wiz.batch_id), "active"
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
