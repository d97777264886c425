"""What every page shares: the window it lives in, refreshing, finding, read-only mode."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from statdesk.domain.errors import EditConflict, ReasonNeeded
from statdesk.ui.commands import perform
from statdesk.ui.confirm import keep_or_reload
from statdesk.ui.errors import show_error
from statdesk.ui.models.rows import ID_ROLE, RowsModel
from statdesk.ui.pickers import picker_label
from statdesk.workspace import Changes, Workspace


class Host(Protocol):
    """The window, as pages see it."""

    workspace: Workspace
    undo_stack: QUndoStack

    def import_file(self, kind: str | None = None) -> None: ...

    def plan_meeting(self) -> None: ...


class Page(QWidget):
    title = ""
    kinds: frozenset[str] = frozenset()  # record kinds whose changes this page shows
    open_record = Signal(str, int)  # (record kind, id): ask the window to show it

    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host
        self.editable = True
        self.stale = True  # what is shown may be older than the file
        self._edit_buttons: list[QWidget] = []
        self.search: QLineEdit | None = None

    @property
    def workspace(self) -> Workspace:
        return self.host.workspace

    def refresh(self) -> None:
        """Read again what the page shows from the workspace."""

    def request_refresh(self) -> None:
        """Refresh now if the page is on screen; otherwise when it is next shown, so a change
        never makes every page of a big file re-read at once."""
        if self.is_current():
            self.refresh()
            self.stale = False
        else:
            self.stale = True

    def ensure_fresh(self) -> None:
        if self.stale:
            self.refresh()
            self.stale = False

    def is_current(self) -> bool:
        stack = self.parentWidget()
        return stack is not None and getattr(stack, "currentWidget", lambda: None)() is self

    def on_changes(self, changes: Changes) -> None:
        if changes.kinds & self.kinds:
            self.request_refresh()

    def show_record(self, kind: str, record_id: int) -> bool:
        """Select (and open) a record of this page; False if the page does not hold it."""
        return False

    def focus_search(self) -> bool:
        if self.search is None:
            return False
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def set_editable(self, editable: bool) -> None:
        """Read-only files disable every editing control rather than letting it fail."""
        self.editable = editable
        for widget in self._edit_buttons:
            widget.setEnabled(editable)

    def edit_button(self, text: str, slot: Callable[[], object], name: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name or text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        self._edit_buttons.append(button)
        return button

    def open_button(self, slot: Callable[[], object], name: str) -> QPushButton:
        """Opens the selected record: to edit it, or only to read it in a read-only file."""
        button = QPushButton("&Open…")
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    def run(
        self,
        label: str,
        do: Callable[[], Changes],
        keep_mine: Callable[[], Changes] | None = None,
        with_reason: Callable[[str], Changes] | None = None,
    ) -> Changes | None:
        """Carry out an edit as an undoable command; show its error if it fails. When someone
        else saved the same record since it was opened (several editors of a server), the
        user chooses: reload to see theirs, or keep theirs out with `keep_mine` (the same
        edit without the check; the History page keeps both changes). An edit that needs a
        reason for the change log (`with_reason`: the same edit given one) asks for it."""
        try:
            return perform(self.host.undo_stack, self.workspace, label, do, self)
        except EditConflict as conflict:
            self.request_refresh()
            if keep_mine is not None and keep_or_reload(self, conflict, label):
                return self.run(label, keep_mine)
            if keep_mine is None:
                show_error(self, conflict, label)
            return None
        except ReasonNeeded as needed:
            if with_reason is None:
                show_error(self, needed, label)
                return None
            reason, ok = QInputDialog.getText(self, label, f"{needed.message}\n\nReason:")
            if not ok or not reason.strip():
                return None
            return self.run(label, lambda: with_reason(reason.strip()))
        except Exception as error:
            show_error(self, error, label)
            return None


def person_choices(workspace: Workspace) -> list[tuple[int, str]]:
    """The active people, by name, each with their department (two Ana Ruizes are two
    people), for a picker of a person."""
    return sorted(
        (
            (p.id, picker_label(p.name, p.department))
            for p in workspace.roster.people_rows()
            if p.active
        ),
        key=lambda choice: choice[1].casefold(),
    )


def search_box(placeholder: str, name: str) -> QLineEdit:
    box = QLineEdit()
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    # wide enough to read what it searches (it was "Search items, top…")
    box.setMinimumWidth(box.fontMetrics().horizontalAdvance(placeholder) + 40)
    box.setAccessibleName(name)
    return box


def filter_combo(name: str, everything: str, choices: list[tuple[object, str]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(everything, None)
    for value, text in choices:
        combo.addItem(text, value)
    return combo


def refill(combo: QComboBox, everything: str, choices: Sequence[tuple[object, str]]) -> None:
    """Replace a filter's choices, keeping what was chosen if it is still there."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for value, text in choices:
        combo.addItem(text, value)
    combo.setCurrentIndex(max(0, combo.findData(chosen)))
    combo.blockSignals(False)


def table_view(model: RowsModel[object], name: str, sortable: bool = True) -> QTableView:
    """A table of records, sorted by its first column until the user clicks another; one that
    is not `sortable` shows its rows in the order given (a ranking, a log)."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    if sortable:
        view.setSortingEnabled(True)
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setStretchLastSection(False)
    view.setWordWrap(False)
    return view


def reload(view: QTableView, model: RowsModel[Any], rows: Sequence[Any]) -> None:
    """Give the model new rows, keeping the selected record selected."""
    current = selected_id(view)
    model.set_rows(rows)
    if current is not None:
        select_id(view, model, current)


def refilter(
    view: QTableView,
    model: RowsModel[Any],
    keep: Callable[[Any], bool],
    rows: Sequence[Any] | None = None,
) -> None:
    """Filter the model's rows (or new rows, when given: one pass over them, not two),
    keeping the selected record selected if it still shows. Pages give `rows` by keyword to
    their `apply_filter`, which is also the slot of their filters' signals: Qt passes a slot
    only the arguments it takes by position."""
    current = selected_id(view)
    model.set_filter(keep, rows)
    if current is not None:
        select_id(view, model, current)


def selected_id(view: QTableView) -> int | None:
    index: QModelIndex = view.currentIndex()
    if not index.isValid():
        return None
    value = view.model().data(index.siblingAtColumn(0), ID_ROLE)
    return int(value) if value is not None else None


def select_id(view: QTableView, model: RowsModel[object], record_id: int) -> bool:
    index = model.index_of(record_id)
    if not index.isValid():
        return False
    view.setCurrentIndex(index)
    view.scrollTo(index)
    return True


def button_row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
