"""The Action items page: every follow-up item with its owner, due date and status, the
filters an analyst needs before a session, and who is carrying what (open, overdue, time to
close) per owner and per department."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QTabWidget, QVBoxLayout

from statdesk.domain.actions import FollowUpStatus
from statdesk.domain.vocabulary import ActionStatus
from statdesk.storage.views.actions import ActionRow, Workload, workload, workloads
from statdesk.ui.column_widths import fit_columns
from statdesk.ui.dialogs.action_editor import FIELDS, ActionEditor
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
    search_box,
    select_id,
    selected_id,
    table_view,
)

_WARN = {FollowUpStatus.OVERDUE: "#fde2d2", FollowUpStatus.COMPLETED_LATE: "#fff1c9"}

ACTION_COLUMNS: list[Column[ActionRow]] = [
    Column("Item", lambda r: r.description),
    Column("Topic", lambda r: r.topic),
    Column("Owner", lambda r: r.owner),
    Column("Department", lambda r: r.department),
    Column("Deliverable", lambda r: r.deliverable.label if r.deliverable else ""),
    Column(
        "Due",
        lambda r: r.due.isoformat() if r.due else "",
        sort_key=lambda r: r.due or date.max,
    ),
    Column(
        "Status",
        lambda r: ("⚠ " if r.follow_up is FollowUpStatus.OVERDUE else "") + r.follow_up.label,
        sort_key=lambda r: list(FollowUpStatus).index(r.follow_up),
        background=lambda r: _WARN.get(r.follow_up),
        fits=tuple(f"⚠ {s.label}" for s in FollowUpStatus),
    ),
    Column("Priority", lambda r: r.priority.label, sort_key=lambda r: r.priority.value),
    Column("From meeting", lambda r: r.origin),
]


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


WORKLOAD_COLUMNS: list[Column[Workload]] = [
    Column("Name", lambda w: w.name),
    Column("Open", lambda w: str(w.open), sort_key=lambda w: w.open, align_right=True),
    Column("Overdue", lambda w: str(w.overdue), sort_key=lambda w: w.overdue, align_right=True),
    Column("Completed", lambda w: str(w.closed), sort_key=lambda w: w.closed, align_right=True),
    Column(
        "Median days to close",
        lambda w: _days(w.median_days_to_close),
        sort_key=lambda w: w.median_days_to_close or 0,
        align_right=True,
    ),
]


class ActionsPage(Page):
    title = "Action items"
    kinds = frozenset({"action item", "meeting", "person", "department"})

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.rows: list[ActionRow] = []
        self.items = RowsModel(ACTION_COLUMNS, lambda r: r.id)
        self.search = search_box("Search items, topics, owners", "Search follow-up items")
        self.status_filter = filter_combo(
            "Filter by status", "Any status", [(s, s.label) for s in FollowUpStatus]
        )
        self.department_filter = filter_combo("Filter by department", "All departments", [])
        self.owner_filter = filter_combo("Filter by owner", "All owners", [])
        self.open_only = QCheckBox("O&pen only")
        self.open_only.setChecked(True)
        for signal in (
            self.search.textChanged,
            self.status_filter.currentIndexChanged,
            self.department_filter.currentIndexChanged,
            self.owner_filter.currentIndexChanged,
            self.open_only.toggled,
        ):
            signal.connect(self.apply_filter)
        self.view = table_view(self.items, "Follow-up items")  # type: ignore[arg-type]
        self.view.activated.connect(lambda _index: self.edit_item())
        self.count = plain_label(wrap=False)
        self.by_owner = RowsModel(WORKLOAD_COLUMNS, lambda w: hash(w.name))
        self.by_department = RowsModel(WORKLOAD_COLUMNS, lambda w: hash(w.name))
        analyses = QTabWidget()
        analyses.setAccessibleName("Who is carrying what")
        self.analysis_views = []
        for model, name in ((self.by_owner, "By owner"), (self.by_department, "By department")):
            view = table_view(model, f"Follow-up items {name.lower()}")  # type: ignore[arg-type]
            self.analysis_views.append(view)
            analyses.addTab(view, name)
        self.summary = plain_label()
        self.summary.setAccessibleName("Follow-up summary")
        layout = QVBoxLayout(self)
        layout.addLayout(
            button_row(
                self.search,
                self.status_filter,
                self.department_filter,
                self.owner_filter,
                self.open_only,
            )
        )
        layout.addWidget(self.view, 3)
        layout.addLayout(
            button_row(
                self.count,
                self.edit_button("&Add item…", self.add_item, "Add a follow-up item"),
                self.open_button(self.edit_item, "Open the selected follow-up item"),
                self.edit_button("Mark &completed", self.complete_item, "Mark the item completed"),
            )
        )
        layout.addWidget(self.summary)
        layout.addWidget(analyses, 2)

    # ---------------------------------------------------------------- reading
    def refresh(self) -> None:
        self.rows = self.workspace.meetings.action_rows()
        refill(
            self.department_filter,
            "All departments",
            sorted({(r.department_id, r.department) for r in self.rows if r.department_id}),
        )
        refill(
            self.owner_filter,
            "All owners",
            sorted({(r.owner_id, r.owner) for r in self.rows if r.owner_id}, key=lambda p: p[1]),
        )
        self.apply_filter(rows=self.rows)
        self.by_owner.set_rows(workloads(self.rows, "owner"))
        self.by_department.set_rows(workloads(self.rows, "department"))
        total = workload("All items", self.rows)
        median = total.median_days_to_close
        self.summary.setText(
            f"{total.open} open, {total.overdue} overdue, of {len(self.rows)} items."
            + (f" Completed items took a median of {median:g} days." if median is not None else "")
        )
        fit_columns(self.view, widest=190)
        for view in self.analysis_views:
            fit_columns(view)

    def apply_filter(self, *, rows: Sequence[ActionRow] | None = None) -> None:
        """Show the items the filters keep (of `rows`, when the page has read them anew)."""
        words = self.search.text().casefold().split() if self.search else []
        status = self.status_filter.currentData()
        department = self.department_filter.currentData()
        owner = self.owner_filter.currentData()
        open_only = self.open_only.isChecked() and status is None

        def keep(row: ActionRow) -> bool:
            text = f"{row.description} {row.topic} {row.owner} {row.department}".casefold()
            return (
                all(w in text for w in words)
                and (status is None or row.follow_up == status)
                and (department is None or row.department_id == department)
                and (owner is None or row.owner_id == owner)
                and (not open_only or row.is_open)
            )

        refilter(self.view, self.items, keep, rows)
        self.count.setText(f"{self.items.rowCount()} of {len(self.rows)} items")

    def show_record(self, kind: str, record_id: int) -> bool:
        if kind != "action item":
            return False
        self.ensure_fresh()
        self.open_only.setChecked(False)
        self.status_filter.setCurrentIndex(0)
        return select_id(self.view, self.items, record_id)

    # ---------------------------------------------------------------- editing
    def _editor(self, values: dict[str, Any] | None) -> ActionEditor:
        ws = self.workspace
        editor = ActionEditor(
            values,
            person_choices(ws),
            [(d.id, d.name) for d in ws.query("department")],
            [(r.id, f"{r.title}, {r.starts_at:%d %b %Y}") for r in ws.meetings.rows()],
            [(r.id, r.description[:80]) for r in self.rows],
            self,
        )
        if not self.editable:
            editor.read_only(self.workspace.read_only_reason)
        return editor

    def add_item(self, defaults: dict[str, Any] | None = None) -> None:
        if not self.editable:
            return
        editor = self._editor({"created_on": date.today(), **(defaults or {})})
        if not editor.exec():
            return
        fields = {**editor.values(), "created_on": date.today()}
        ws = self.workspace
        self.run("Add follow-up item", lambda: ws.create("action item", **fields))

    def edit_item(self) -> None:
        item_id = selected_id(self.view)
        if item_id is None:
            return
        record = self.workspace.get("action item", item_id)
        old = {name: getattr(record, name) for name in FIELDS}
        editor = self._editor({**old, "id": item_id})
        if not editor.exec() or not self.editable:
            return
        new = editor.values()
        if new.get("status") is ActionStatus.COMPLETED and not new.get("completed_on"):
            new["completed_on"] = date.today()
        self._update(item_id, f"Edit follow-up item {record.description[:40]}", new)

    def complete_item(self) -> None:
        item_id = selected_id(self.view)
        if item_id is None or not self.editable:
            return
        record = self.workspace.get("action item", item_id)
        new = {"status": ActionStatus.COMPLETED, "completed_on": date.today()}
        self._update(item_id, f"Complete {record.description[:40]}", new)

    def _update(self, item_id: int, label: str, new: dict[str, Any]) -> None:
        ws = self.workspace
        self.run(label, lambda: ws.update("action item", item_id, **new))
