"""The Meetings page: the Stat meetings by date and department; the chosen meeting's agenda in
its three sections with the minutes against the session; its attendees and their "was this
worth your time?" answers, with the trend per department; the memo and follow-up memo as PDF or
Word; and a quick, keyboard-only line to record follow-up items while the meeting runs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.filenames import safe_file_name
from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import ActionStatus, AgendaSection, MeetingStatus, WorthTime
from statdesk.storage.views.meetings import SECTION_TITLES, AgendaEntry, MeetingDetail, MeetingRow
from statdesk.ui import folders
from statdesk.ui.column_widths import fit_columns
from statdesk.ui.dialogs.meeting_editor import MEETING_FIELDS, MeetingEditor
from statdesk.ui.errors import show_error
from statdesk.ui.forms import ERROR_STYLE, plain_label
from statdesk.ui.models.rows import Column, RowsModel
from statdesk.ui.pages.base import (
    Host,
    Page,
    button_row,
    filter_combo,
    person_choices,
    refill,
    refilter,
    select_id,
    selected_id,
    table_view,
)
from statdesk.ui.pickers import make_searchable
from statdesk.ui.tasks import run_in_background


def _worth(row: MeetingRow) -> str:
    yes, somewhat, no = row.worth
    return f"{yes} yes · {somewhat} somewhat · {no} no" if yes + somewhat + no else ""


MEETING_COLUMNS: list[Column[MeetingRow]] = [
    Column("Meeting", lambda r: r.title),
    Column(
        "Date",
        lambda r: f"{r.starts_at:%Y-%m-%d %H:%M}",
        sort_key=lambda r: r.starts_at,
    ),
    Column("Department", lambda r: r.department),
    Column("Status", lambda r: r.status.label, fits=tuple(s.label for s in MeetingStatus)),
    Column("Items", lambda r: str(r.items), sort_key=lambda r: r.items, align_right=True),
    Column(
        "Minutes",
        lambda r: (
            f"{'⚠ ' if r.minutes > r.session_minutes else ''}{r.minutes} of {r.session_minutes}"
        ),
        sort_key=lambda r: r.minutes,
        align_right=True,
    ),
    Column("Worth your time?", _worth, sort_key=lambda r: r.worth),
]


def worth_trend(rows: list[MeetingRow]) -> list[str]:
    """Per department, the share of "yes" answers meeting by meeting, oldest first."""
    by_department: dict[str, list[MeetingRow]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.starts_at):
        if sum(row.worth):
            by_department[row.department].append(row)
    lines = []
    for department, held in sorted(by_department.items()):
        shares = [f"{r.starts_at:%b %Y} {round(100 * r.worth[0] / sum(r.worth))}%" for r in held]
        lines.append(f"{department}: 'yes' share by session — {', '.join(shares)}")
    return lines


class MeetingsPage(Page):
    title = "Meetings"
    kinds = frozenset(
        {
            "meeting",
            "agenda item",
            "attendee",
            "action item",
            "person",
            "department",
            "metric",
            "metric value",  # an agenda item shows its metric's status
            "target",
        }
    )

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.rows: list[MeetingRow] = []
        self.detail: MeetingDetail | None = None
        self.meetings = RowsModel(MEETING_COLUMNS, lambda r: r.id)
        self.department_filter = filter_combo("Filter by department", "All departments", [])
        self.department_filter.currentIndexChanged.connect(self.apply_filter)
        self.view = table_view(self.meetings, "Meetings")  # type: ignore[arg-type]
        self.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # the newest first
        self.view.activated.connect(lambda _index: self.edit_meeting())
        self.view.selectionModel().currentChanged.connect(lambda *_: self.show_detail())

        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.info = plain_label(selectable=True)
        self.info.setAccessibleName("Meeting details")
        self.agenda = QTreeWidget()
        self.agenda.setAccessibleName("Agenda")
        self.agenda.setHeaderLabels(["Agenda item", "Minutes", "Status"])
        self.attendees = QTreeWidget()
        self.attendees.setAccessibleName("Attendees")
        self.attendees.setHeaderLabels(["Attendee", "Attended", "Was this worth your time?"])
        self.attendees.setRootIsDecorated(False)
        header = self.attendees.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.trend = plain_label()
        self.trend.setAccessibleName("Worth your time, by department")

        self.quick = QLineEdit()
        self.quick.setPlaceholderText(
            "New follow-up item from this meeting: type what is to be done, then Enter"
        )
        self.quick.setAccessibleName("New follow-up item")
        self.quick.returnPressed.connect(self.quick_add)
        self.quick_owner = QComboBox()
        self.quick_owner.setAccessibleName("Owner of the new item")
        self.quick_due = QDateEdit()
        self.quick_due.setCalendarPopup(True)
        self.quick_due.setDisplayFormat("yyyy-MM-dd")
        self.quick_due.setAccessibleName("Due date of the new item")
        self.quick_note = plain_label(wrap=False)
        self._edit_buttons += [self.quick, self.quick_owner, self.quick_due]

        quick_row = QHBoxLayout()
        quick_label = QLabel("&Follow-up:")
        quick_label.setBuddy(self.quick)
        for widget in (quick_label, self.quick):
            quick_row.addWidget(widget)
        quick_row.setStretch(1, 1)
        owner_label = QLabel("O&wner")
        owner_label.setBuddy(self.quick_owner)
        due_label = QLabel("D&ue")
        due_label.setBuddy(self.quick_due)
        for widget in (owner_label, self.quick_owner, due_label, self.quick_due):
            quick_row.addWidget(widget)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.heading)
        detail_layout.addWidget(self.info)
        lists = QSplitter()
        lists.addWidget(self.agenda)
        lists.addWidget(self.attendees)
        lists.setSizes([560, 440])
        detail_layout.addWidget(lists, 1)
        detail_layout.addLayout(quick_row)
        detail_layout.addWidget(self.quick_note)
        detail_layout.addWidget(self.trend)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(button_row(self.department_filter))
        top_layout.addWidget(self.view, 1)
        top_layout.addLayout(
            button_row(
                self.edit_button("&Plan a meeting…", self.add_meeting, "Plan a Stat meeting"),
                self.open_button(self.edit_meeting, "Open the selected meeting"),
                self._export_button("Stat &memo…", "memo"),
                self._export_button("Follow-up m&emo…", "followup"),
                self._button("P&resent", self.present, "Present the meeting full screen"),
                self.edit_button("&Delete", self.delete_meeting, "Delete the selected meeting"),
            )
        )
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(detail)
        splitter.setSizes([300, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def present(self) -> None:
        """Run the selected meeting from the projector (ui.present)."""
        from statdesk.ui.present import present_meeting

        meeting_id = selected_id(self.view)
        if meeting_id is not None:
            present_meeting(self, meeting_id)

    def _export_button(self, text: str, kind: str) -> Any:
        return self._button(text, lambda: self.export(kind), f"Export the {kind} of the meeting")

    def _button(self, text: str, slot: Any, name: str) -> Any:
        button = self.open_button(slot, name)
        button.setText(text)
        return button

    # ---------------------------------------------------------------- reading
    def refresh(self) -> None:
        self.rows = self.workspace.meetings.rows()
        refill(
            self.department_filter,
            "All departments",
            sorted({(r.department_id, r.department) for r in self.rows}, key=lambda d: d[1]),
        )
        self.apply_filter(rows=self.rows)
        if selected_id(self.view) is None and self.meetings.rowCount():
            self.view.selectRow(0)
        fit_columns(self.view)
        self.trend.setText("\n".join(worth_trend(self.rows)))
        self.quick_owner.clear()
        self.quick_owner.addItem("(owner)", None)
        for person_id, name in person_choices(self.workspace):
            self.quick_owner.addItem(name, person_id)
        make_searchable(self.quick_owner)
        self.quick_due.setDate(QDate(date.today() + timedelta(days=14)))
        self.show_detail()

    def apply_filter(self, *, rows: Sequence[MeetingRow] | None = None) -> None:
        """Show the department's meetings (of `rows`, when the page has read them anew)."""
        department = self.department_filter.currentData()
        refilter(
            self.view,
            self.meetings,
            lambda r: department is None or r.department_id == department,
            rows,
        )

    def show_detail(self) -> None:
        meeting_id = selected_id(self.view)
        self.agenda.clear()
        self.attendees.clear()
        if meeting_id is None:
            self.detail = None
            self.heading.setText("No meeting chosen")
            self.info.setText("Plan a meeting, or choose one above.")
            return
        detail = self.detail = self.workspace.meetings.detail(meeting_id)
        row = detail.row
        self.heading.setText(f"{row.title}, {row.starts_at:%A %d %B %Y, %H:%M}")
        over = row.minutes - row.session_minutes
        fit = (
            f"⚠ {row.minutes} of {row.session_minutes} minutes: {over} over the session"
            if over > 0
            else f"{row.minutes} of {row.session_minutes} minutes"
        )
        parts = [
            row.location,
            f"led by {row.leader}" if row.leader else "",
            f"reporting period {detail.reporting_label}" if detail.reporting_label else "",
            row.status.label.lower(),
            fit,
        ]
        self.info.setText(" · ".join(p for p in parts if p))
        self.info.setStyleSheet(ERROR_STYLE if over > 0 else "")
        for section in AgendaSection:
            entries = detail.section(section)
            minutes = sum(e.minutes or 0 for e in entries)
            parent = QTreeWidgetItem([SECTION_TITLES[section], str(minutes), ""])
            self.agenda.addTopLevelItem(parent)
            for entry in entries:
                child = QTreeWidgetItem([entry.title, str(entry.minutes or ""), entry.status_line])
                child.setToolTip(0, entry.title)
                child.setToolTip(2, entry.status_line)
                parent.addChild(child)
            parent.setExpanded(True)
        self.agenda.resizeColumnToContents(0)
        for attendee in detail.attendees:
            item = QTreeWidgetItem([attendee.person.described, "", ""])
            self.attendees.addTopLevelItem(item)
            came = QCheckBox()
            came.setAccessibleName(f"{attendee.person.name} attended")
            came.setChecked(bool(attendee.attended))
            came.setEnabled(self.editable)
            came.toggled.connect(
                lambda on, a=attendee: self.record_attendance(a.id, a.attended, on)
            )
            self.attendees.setItemWidget(item, 1, came)
            answer = QComboBox()
            answer.setAccessibleName(f"Was this worth your time, for {attendee.person.name}")
            answer.addItem("(not asked)", None)
            for choice in WorthTime:
                answer.addItem(choice.label, choice.value)
            answer.setCurrentIndex(
                max(0, answer.findData(attendee.worth_time.value if attendee.worth_time else None))
            )
            answer.setEnabled(self.editable)
            answer.currentIndexChanged.connect(
                lambda _i, a=attendee, box=answer: self.record_answer(a.id, a.worth_time, box)
            )
            self.attendees.setItemWidget(item, 2, answer)

    def show_record(self, kind: str, record_id: int) -> bool:
        if kind != "meeting":
            return False
        self.ensure_fresh()
        self.department_filter.setCurrentIndex(0)
        return select_id(self.view, self.meetings, record_id)

    # ---------------------------------------------------------------- editing
    def _editor(
        self,
        values: dict[str, Any],
        agenda: list[dict[str, Any]],
        attendees: list[int],
        agenda_suggested: bool = False,
    ) -> MeetingEditor:
        ws = self.workspace

        def suggest(department_id: int) -> tuple[list[int], list[AgendaEntry]]:
            return ws.meetings.suggested_attendees(department_id), ws.meetings.suggested_agenda(
                department_id
            )

        editor = MeetingEditor(
            values,
            agenda,
            attendees,
            person_choices(ws),
            [(d.id, d.name) for d in ws.query("department")],
            ws.metrics.names(active_only=True),
            ws.fiscal_year_start_month,
            suggest,
            self,
            agenda_suggested=agenda_suggested,
        )
        if not self.editable:
            editor.read_only(self.workspace.read_only_reason)
        return editor

    def add_meeting(self) -> None:
        if not self.editable:
            return
        department = self.department_filter.currentData()
        departments = self.workspace.query("department")
        if department is None and departments:
            department = departments[0].id
        values: dict[str, Any] = {"department_id": department}
        attendees: list[int] = []
        agenda: list[dict[str, Any]] = []
        if department is not None:
            name = next(d.name for d in departments if d.id == department)
            values["title"] = f"{name} Stat"
            values.update(self.workspace.meetings.proposed(department))
            attendees = self.workspace.meetings.suggested_attendees(department)
            agenda = [e.as_row() for e in self.workspace.meetings.suggested_agenda(department)]
        editor = self._editor(values, agenda, attendees, agenda_suggested=True)
        if not editor.exec():
            return
        fields, rows, people = editor.values(), editor.agenda_rows(), editor.attendee_ids()
        ws = self.workspace
        self.run(
            f"Plan {fields.get('title') or 'meeting'}",
            lambda: ws.meetings.save(None, fields, people, rows),
        )

    def edit_meeting(self) -> None:
        meeting_id = selected_id(self.view)
        if meeting_id is None:
            return
        detail = self.workspace.meetings.detail(meeting_id)
        record = self.workspace.get("meeting", meeting_id)
        old = {name: getattr(record, name) for name in (*MEETING_FIELDS, "starts_at")}
        old_agenda = [e.as_row() for e in detail.items]
        old_people = [a.person.id for a in detail.attendees]
        editor = self._editor({**old, "id": meeting_id}, old_agenda, old_people)
        if not editor.exec() or not self.editable:
            return
        fields, rows, people = editor.values(), editor.agenda_rows(), editor.attendee_ids()
        ws = self.workspace
        self.run(
            f"Edit {record.title or 'meeting'}",
            lambda: ws.meetings.save(meeting_id, fields, people, rows),
        )

    def record_attendance(self, attendee_id: int, old: bool | None, came: bool) -> None:
        if not self.editable or bool(old) == came:
            return
        ws = self.workspace
        self.run("Record attendance", lambda: ws.update("attendee", attendee_id, attended=came))

    def delete_meeting(self) -> None:
        meeting_id = selected_id(self.view)
        if meeting_id is None or not self.editable:
            return
        row = next(r for r in self.rows if r.id == meeting_id)
        items = sum(
            1 for a in self.workspace.meetings.action_rows() if a.origin_meeting_id == meeting_id
        )
        kept = (
            f" The {counted(items, 'follow-up item')} recorded at it "
            f"{'stays' if items == 1 else 'stay'} on the Action items page."
            if items
            else ""
        )
        answer = QMessageBox.question(
            self,
            "Delete meeting",
            f"Delete {row.title} of {row.starts_at:%d %B %Y}, with its agenda and attendees?"
            f"{kept} You can undo this.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ws = self.workspace
        self.run(f"Delete {row.title}", lambda: ws.delete("meeting", meeting_id))

    def record_answer(self, attendee_id: int, old: WorthTime | None, box: QComboBox) -> None:
        """An attendee's answer to "was this worth your time?", asked at the session's end."""
        value = box.currentData()
        new = WorthTime(value) if value else None
        if new == old or not self.editable:
            return
        ws = self.workspace
        self.run(
            "Record 'worth your time' answer",
            lambda: ws.update("attendee", attendee_id, worth_time=new),
        )

    def quick_add(self) -> None:
        """Record a follow-up item of the chosen meeting without leaving the keyboard."""
        text = self.quick.text().strip()
        if not text or self.detail is None or not self.editable:
            return
        ws = self.workspace
        fields = {
            "description": text,
            "origin_meeting_id": self.detail.row.id,
            "department_id": self.detail.row.department_id,
            "owner_id": self.quick_owner.currentData(),
            "due": self.quick_due.date().toPython(),
            "created_on": date.today(),
            "status": ActionStatus.INCOMPLETE,
        }
        changes = self.run("Add follow-up item", lambda: ws.create("action item", **fields))
        if changes is not None:
            self.quick.clear()
            self.quick_note.setText(f"Added: {text}")

    def export(self, kind: str) -> None:
        meeting_id = selected_id(self.view)
        if meeting_id is None:
            return
        row = next(r for r in self.rows if r.id == meeting_id)
        word = "memo" if kind == "memo" else "follow-up"
        what = "memo" if kind == "memo" else "follow-up memo"
        suggested = safe_file_name(f"{row.title} {word} {row.starts_at:%Y-%m-%d}", ".pdf")
        name, _ = QFileDialog.getSaveFileName(
            self,
            f"Export the {what}",
            folders.start("memo", suggested),
            "Tagged PDF (*.pdf);;Word document (*.docx)",
        )
        if not name:
            return
        folders.remember("memo", name)
        target = Path(name)
        if target.suffix.lower() not in (".pdf", ".docx"):
            target = target.with_suffix(".pdf")
        ws = self.workspace
        self.quick_note.setText(f"Writing {target.name}…")
        run_in_background(
            lambda: ws.exports.memo(kind, meeting_id, target),
            lambda done: self.quick_note.setText(f"Wrote {done}."),
            lambda error: show_error(self, error, f"Export the {what}"),
        )
