"""The History page: who changed what and when (the file's change log, newest first, a screen at
a time), and every import with its state and a way to undo it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QMessageBox, QTabWidget, QVBoxLayout, QWidget

from statdesk.domain.numbers import counted
from statdesk.storage.views.history import ChangeLine, HistoryFilter, ImportLine
from statdesk.ui.column_widths import fit_columns
from statdesk.ui.errors import show_error
from statdesk.ui.forms import plain_label
from statdesk.ui.models.rows import Column, RowsModel
from statdesk.ui.pages.base import (
    Host,
    Page,
    button_row,
    filter_combo,
    refill,
    reload,
    search_box,
    selected_id,
    table_view,
)
from statdesk.workspace import Changes

Index = QModelIndex | QPersistentModelIndex

# How far back the "When" filter reaches.
SINCE: list[tuple[object, str]] = [
    (0, "Today"),
    (7, "The last 7 days"),
    (30, "The last 30 days"),
    (365, "The last 12 months"),
]


def local_time(moment: datetime) -> str:
    """A UTC moment as the clock on this computer showed it."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


CHANGE_COLUMNS: list[tuple[str, Any]] = [
    ("When", lambda line: local_time(line.at)),
    ("Who", lambda line: line.user),
    ("What", lambda line: line.summary),
    ("Old → new", lambda line: line.details),
]


class ChangeLogModel(QAbstractTableModel):
    """The change log, newest first, read a screen at a time as the view scrolls: the first
    screen of a 100,000-line log is one small query, not the whole table."""

    BATCH = 200

    def __init__(self, read: Any) -> None:
        super().__init__()
        self._read = read  # (filter, before_id, limit) -> list[ChangeLine]
        self.where = HistoryFilter()
        self.lines: list[ChangeLine] = []
        self.exhausted = True

    def reset(self, where: HistoryFilter | None = None) -> None:
        """Read the first screen again (with a new filter, when given)."""
        self.beginResetModel()
        if where is not None:
            self.where = where
        self.lines = self._read(self.where, None, self.BATCH)
        self.exhausted = len(self.lines) < self.BATCH
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CHANGE_COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self.exhausted

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self.exhausted or not self.lines:
            return
        more = self._read(self.where, self.lines[-1].id, self.BATCH)
        self.exhausted = len(more) < self.BATCH
        if more:
            first = len(self.lines)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self.lines.extend(more)
            self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return CHANGE_COLUMNS[index.column()][1](line)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() >= 2:
            return "\n".join(part for part in (line.summary, line.details) if part)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return CHANGE_COLUMNS[section][0]
        return None


IMPORT_COLUMNS: list[Column[ImportLine]] = [
    Column("Import", lambda i: f"#{i.id}", sort_key=lambda i: i.id, align_right=True),
    Column("File", lambda i: i.source + (f" ({i.sheet})" if i.sheet else "")),
    Column("Kind", lambda i: i.kind),
    Column("Who", lambda i: i.user),
    Column("When", lambda i: local_time(i.at), sort_key=lambda i: i.at),
    Column("Rows", lambda i: f"{i.rows:,}", sort_key=lambda i: i.rows, align_right=True),
    Column("State", lambda i: i.state, tooltip=lambda i: i.summary),
]


class HistoryPage(Page):
    title = "History"

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.changes = ChangeLogModel(
            lambda where, before, limit: self.workspace.history.lines(where, before, limit)
        )
        self.search = search_box("Find in the changes", "Find in the change log")
        self.kind_filter = filter_combo("Filter by kind of record", "Every kind of record", [])
        self.user_filter = filter_combo("Filter by person", "Everyone", [])
        self.since_filter = filter_combo("Filter by date", "Any time", SINCE)
        for signal in (
            self.search.textChanged,
            self.kind_filter.currentIndexChanged,
            self.user_filter.currentIndexChanged,
            self.since_filter.currentIndexChanged,
        ):
            signal.connect(self.apply_filter)
        # always newest first, read as it scrolls
        self.change_view = table_view(self.changes, "Changes", sortable=False)  # type: ignore[arg-type]
        self.change_view.activated.connect(self._open_changed_record)
        self.change_count = plain_label(wrap=False)

        changes_tab = QWidget()
        changes_layout = QVBoxLayout(changes_tab)
        changes_layout.addLayout(
            button_row(self.search, self.kind_filter, self.user_filter, self.since_filter)
        )
        changes_layout.addWidget(self.change_view, 1)
        changes_layout.addWidget(self.change_count)

        self.imports = RowsModel(IMPORT_COLUMNS, lambda i: i.id)
        self.import_view = table_view(self.imports, "Imports")  # type: ignore[arg-type]
        self.import_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.import_view.selectionModel().currentRowChanged.connect(self._import_chosen)
        self.undo_button = self.edit_button(
            "&Undo this import…", self.undo_import, "Undo the selected import"
        )
        self.import_note = plain_label()
        imports_tab = QWidget()
        imports_layout = QVBoxLayout(imports_tab)
        imports_layout.addWidget(
            plain_label(
                "Each import can be undone as a whole: what it added is removed and what it "
                "replaced is put back. An import that later imports build on is undone with them."
            )
        )
        imports_layout.addWidget(self.import_view, 1)
        imports_layout.addLayout(button_row(self.undo_button))
        imports_layout.addWidget(self.import_note)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("History")
        self.tabs.addTab(changes_tab, "&Changes")
        self.tabs.addTab(imports_tab, "&Imports")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    # ---------------------------------------------------------------- reading
    def on_changes(self, changes: Changes) -> None:
        self.request_refresh()  # every write adds to the history

    def refresh(self) -> None:
        kinds, users = self.workspace.history.choices()
        refill(self.kind_filter, "Every kind of record", [(k, k.capitalize()) for k in kinds])
        refill(self.user_filter, "Everyone", [(u, u) for u in users])
        self.apply_filter()
        reload(self.import_view, self.imports, self.workspace.imports.history())
        if not self.import_view.currentIndex().isValid() and self.imports.rowCount():
            self.import_view.setCurrentIndex(self.imports.index(0, 0))  # the newest
        fit_columns(self.import_view, widest=300, stretch=1)
        self._import_chosen()

    def current_filter(self) -> HistoryFilter:
        days = self.since_filter.currentData()
        since = None
        if days is not None:
            midnight = (
                datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
            )
            since = (midnight - timedelta(days=days)).astimezone(UTC)
        return HistoryFilter(
            record_kind=self.kind_filter.currentData(),
            user=self.user_filter.currentData(),
            since=since,
            text=self.search.text() if self.search else "",
        )

    def apply_filter(self) -> None:
        self.changes.reset(self.current_filter())
        shown = len(self.changes.lines)
        if shown == 0:
            self.change_count.setText("No changes match.")
        elif self.changes.exhausted:
            self.change_count.setText(counted(shown, "change") + ", newest first.")
        else:
            self.change_count.setText(
                f"The newest {shown:,} changes; older ones come as you scroll."
            )
        fit_columns(self.change_view, widest=480, stretch=2)  # what changed takes the room

    def _open_changed_record(self, index: QModelIndex) -> None:
        line = self.changes.lines[index.row()]
        if line.record_id is not None and line.action != "deleted":
            self.open_record.emit(line.record_kind, line.record_id)

    # ---------------------------------------------------------------- imports
    def _chosen_import(self) -> ImportLine | None:
        batch_id = selected_id(self.import_view)
        return next((i for i in self.imports.all_rows if i.id == batch_id), None)

    def _import_chosen(self, *_args: object) -> None:
        chosen = self._chosen_import()
        self.undo_button.setEnabled(self.editable and chosen is not None and not chosen.undone)
        self.import_note.setText(chosen.summary if chosen is not None else "")

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self._import_chosen()

    def undo_import(self) -> None:
        chosen = self._chosen_import()
        if chosen is None or chosen.undone or not self.editable:
            return
        later = "later imports" in chosen.state
        question = (
            f"Undo import #{chosen.id} ({chosen.source}, {counted(chosen.rows, 'row')})? What "
            "it added is removed and what it replaced is put back."
        )
        if later:
            question = (
                f"Import #{chosen.id} is {chosen.state}: undoing it alone would take their "
                "values with it. Undo them too, the newest first?"
            )
        answer = QMessageBox.question(self, "Undo this import", question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.workspace.imports.undo(chosen.id, with_later=later)
        except Exception as error:
            show_error(self, error, "Undo this import")
            return
        self.host.undo_stack.clear()  # earlier edits may refer to what the import made
