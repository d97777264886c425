"""The Inventory page: every dataset the departments hold, what needs care, what is next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from statdesk.domain.inventory import NEXT_STATUS
from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import AccessLevel, DatasetStatus
from statdesk.storage.views.inventory import DatasetRow, publish_next
from statdesk.ui.column_widths import fit_columns
from statdesk.ui.dialogs.dataset_editor import DatasetEditor
from statdesk.ui.forms import plain_label
from statdesk.ui.models.rows import Column, RowsModel
from statdesk.ui.pages.base import (
    Host,
    Page,
    button_row,
    filter_combo,
    person_choices,
    refill,
    refilter,
    reload,
    search_box,
    select_id,
    selected_id,
    table_view,
)
from statdesk.workspace import field_names


def _priority(row: DatasetRow) -> str:
    return "" if row.priority is None else f"{row.priority:.1f}"


def _stale(row: DatasetRow) -> str:
    return "⚠ Stale" if row.stale else ""


DATASET_COLUMNS: list[Column[DatasetRow]] = [
    Column("Title", lambda r: r.title),
    Column("Department", lambda r: r.department),
    Column("Contact", lambda r: r.contact or "⚠ none"),
    Column("Updated", lambda r: r.update_frequency.label if r.update_frequency else ""),
    Column(
        "Last update",
        lambda r: r.last_updated.isoformat() if r.last_updated else "",
        sort_key=lambda r: r.last_updated or date.min,
    ),
    Column("Access", lambda r: r.access_level.label),
    Column(
        "Status",
        lambda r: r.status.label,
        sort_key=lambda r: list(DatasetStatus).index(r.status),
        fits=tuple(s.label for s in DatasetStatus),
    ),
    Column("Priority", _priority, sort_key=lambda r: r.priority or 0, align_right=True),
    Column(
        "Stale",
        _stale,
        sort_key=lambda r: r.stale,
        tooltip=lambda r: "The last update is older than its frequency allows." if r.stale else "",
    ),
]

RANKING_COLUMNS: list[Column[DatasetRow]] = [
    Column("Title", lambda r: r.title, sort_key=lambda r: r.title.casefold()),
    Column("Priority", _priority, sort_key=lambda r: r.priority or 0, align_right=True),
    Column("Status", lambda r: r.status.label, fits=tuple(s.label for s in DatasetStatus)),
    Column(
        "Next step",
        lambda r: f"Mark {NEXT_STATUS[r.status].label.lower()}" if r.status in NEXT_STATUS else "",
    ),
    Column("Department", lambda r: r.department),
    Column("Contact", lambda r: r.contact or "⚠ none"),
]

EDITABLE_FIELDS = tuple(field_names("dataset"))


class InventoryPage(Page):
    title = "Inventory"
    kinds = frozenset({"dataset", "metric source", "department", "person"})

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.datasets = RowsModel(DATASET_COLUMNS, lambda r: r.id)
        self.search = search_box("Search titles, keywords, systems, contacts", "Search datasets")
        self.department_filter = filter_combo("Filter by department", "All departments", [])
        self.status_filter = filter_combo(
            "Filter by status", "Any status", [(s, s.label) for s in DatasetStatus]
        )
        self.access_filter = filter_combo(
            "Filter by access level", "Any access", [(a, a.label) for a in AccessLevel]
        )
        self.stale_only = QCheckBox("&Stale or without contact")
        self.count = plain_label(wrap=False)
        self.view = table_view(self.datasets, "Datasets")  # type: ignore[arg-type]
        self.view.activated.connect(lambda _index: self.edit_dataset())
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_advance())
        for signal in (
            self.search.textChanged,
            self.department_filter.currentIndexChanged,
            self.status_filter.currentIndexChanged,
            self.access_filter.currentIndexChanged,
            self.stale_only.toggled,
        ):
            signal.connect(self.apply_filter)
        self.advance = self.edit_button(
            "Mark &verified", self.advance_status, "Advance the dataset's status"
        )
        all_tab = QWidget()
        layout = QVBoxLayout(all_tab)
        layout.addLayout(
            button_row(
                self.search,
                self.department_filter,
                self.status_filter,
                self.access_filter,
                self.stale_only,
            )
        )
        layout.addWidget(self.view)
        layout.addLayout(
            button_row(
                self.edit_button("&Add dataset…", self.add_dataset),
                self.open_button(self.edit_dataset, "Open dataset"),
                self.advance,
                self.edit_button("&Delete…", self.delete_dataset, "Delete dataset"),
                self.count,
            )
        )

        self.ranking = RowsModel(RANKING_COLUMNS, lambda r: r.id)
        self.ranking_view = table_view(  # most valuable first, as publish_next ranks them
            self.ranking,  # type: ignore[arg-type]
            "What to inventory or publish next",
            sortable=False,
        )
        self.ranking_view.activated.connect(
            lambda index: self.show_record("dataset", self.ranking.row(index).id)
        )
        next_tab = QWidget()
        next_layout = QVBoxLayout(next_tab)
        next_layout.addWidget(self.ranking_view)

        self.tabs = QTabWidget()
        self.tabs.addTab(all_tab, "&All datasets")
        self.tabs.addTab(next_tab, "&Next to publish")
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)

    # ----------------------------------------------------------------- showing
    def refresh(self) -> None:
        departments = [(d.id, d.name) for d in self.workspace.roster.department_rows()]
        refill(self.department_filter, "All departments", departments)
        rows = self.workspace.inventory.rows()
        reload(self.ranking_view, self.ranking, publish_next(rows))  # type: ignore[arg-type]
        self.apply_filter(rows=rows)
        fit_columns(self.view, widest=260)
        fit_columns(self.ranking_view)
        self._update_advance()

    def apply_filter(self, *, rows: Sequence[DatasetRow] | None = None) -> None:
        """Show the datasets the filters keep (of `rows`, when the page has read them anew)."""
        words = self.search.text().casefold().split() if self.search else []
        dept = self.department_filter.currentData()
        status = self.status_filter.currentData()
        access = self.access_filter.currentData()
        needs_care = self.stale_only.isChecked()

        def keep(row: DatasetRow) -> bool:
            if dept is not None and row.department_id != dept:
                return False
            if status is not None and row.status != status:
                return False
            if access is not None and row.access_level != access:
                return False
            if needs_care and not (row.stale or row.contact_id is None):
                return False
            if not words:
                return True
            text = f"{row.title} {row.keywords} {row.source_system} {row.contact}".casefold()
            return all(word in text for word in words)

        refilter(self.view, self.datasets, keep, rows)  # type: ignore[arg-type]
        shown, total = self.datasets.shown, self.datasets.total
        self.count.setText(
            f"{total} datasets" if shown == total else f"{shown} of {total} datasets"
        )

    def _current(self) -> DatasetRow | None:
        record_id = selected_id(self.view)
        return next((r for r in self.datasets.all_rows if r.id == record_id), None)

    def _update_advance(self) -> None:
        row = self._current()
        following = NEXT_STATUS.get(row.status) if row else None
        self.advance.setText(f"Mark {following.label.lower()}" if following else "Mark &verified")
        self.advance.setEnabled(self.editable and following is not None)

    def show_record(self, kind: str, record_id: int) -> bool:
        if kind != "dataset":
            return False
        self.tabs.setCurrentIndex(0)
        if not select_id(self.view, self.datasets, record_id):  # type: ignore[arg-type]
            for combo in (self.department_filter, self.status_filter, self.access_filter):
                combo.setCurrentIndex(0)
            self.search.clear()  # type: ignore[union-attr]
            self.stale_only.setChecked(False)
            select_id(self.view, self.datasets, record_id)  # type: ignore[arg-type]
        self.view.setFocus()
        return True

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self._update_advance()

    # ----------------------------------------------------------------- editing
    def _choices(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        departments = [(d.id, d.name) for d in self.workspace.roster.department_rows()]
        people = person_choices(self.workspace)
        return departments, people

    def _editor(self, values: dict[str, Any] | None, dataset_id: int | None) -> DatasetEditor:
        departments, people = self._choices()
        metrics = self.workspace.inventory.metrics_fed_by(dataset_id) if dataset_id else []
        editor = DatasetEditor(departments, people, values, metrics, self)
        editor.open_metric.connect(lambda metric_id: self.open_record.emit("metric", metric_id))
        return editor

    def add_dataset(self) -> None:
        if not self.editable:
            return
        editor = self._editor(None, None)
        if not editor.exec():
            return
        fields = editor.values()
        ws = self.workspace
        self.run(f"Add dataset {fields['title']}", lambda: ws.create("dataset", **fields))

    def edit_dataset(self) -> None:
        row = self._current()
        if row is None:
            return
        record = self.workspace.get("dataset", row.id)
        old = {name: getattr(record, name) for name in EDITABLE_FIELDS}
        editor = self._editor(old, row.id)
        if not self.editable:
            editor.read_only(self.workspace.read_only_reason)
        if not editor.exec() or not self.editable:
            return
        new = editor.values()
        changed = {k: v for k, v in new.items() if old.get(k) != v}
        if not changed:
            return
        ws = self.workspace
        self.run(
            f"Edit {row.title}",
            lambda: ws.update("dataset", row.id, expected_version=record.version, **changed),
            keep_mine=lambda: ws.update("dataset", row.id, **changed),
        )

    def advance_status(self) -> None:
        row = self._current()
        if row is None or row.status not in NEXT_STATUS or not self.editable:
            return
        following = NEXT_STATUS[row.status]
        ws = self.workspace
        self.run(
            f"Mark {row.title} {following.label.lower()}",
            lambda: ws.update("dataset", row.id, status=following),
        )

    def delete_dataset(self) -> None:
        row = self._current()
        if row is None or not self.editable:
            return
        feeds = self.workspace.inventory.metrics_fed_by(row.id)
        extra = (
            f" It feeds {counted(len(feeds), 'metric')}, which lose this source." if feeds else ""
        )
        answer = QMessageBox.question(
            self,
            "Delete dataset",
            f"Delete {row.title} from the inventory?{extra} You can undo this.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ws = self.workspace
        self.run(f"Delete {row.title}", lambda: ws.delete("dataset", row.id))
