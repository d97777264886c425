"""The import wizard: choose a file → sheet and header row → map the columns → check → import,
with "Undo this import" at the end. Reading and writing run off the GUI thread; the choices
made for a file are remembered for the next file of the same name pattern."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QWidget,
    QWizard,
)

from statdesk.importing.plan import KINDS, ImportOptions, ImportPlan
from statdesk.importing.progress import Progress
from statdesk.importing.recipe_files import file_pattern
from statdesk.importing.shape import Table
from statdesk.importing.sources import SourceInfo
from statdesk.ui import settings
from statdesk.ui.wizards.import_check import DonePage, ReportPage
from statdesk.ui.wizards.import_mapping import MappingPage
from statdesk.ui.wizards.import_source import LayoutPage, SourcePage
from statdesk.workspace import Workspace


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
