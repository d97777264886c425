"""Plan a Stat meeting: when and where, who leads and who attends, and the agenda in its three
sections (follow-up, standing, new), with the minutes adding up against the session's length.

The agenda is edited as a list (drag, or Alt+Up / Alt+Down, to reorder within the order of the
sections) with the selected item's details beside it. "Suggest" fills the follow-up section from
the department's open items and the standing section from its KPIs, replacing what it suggested
before (an item the analyst edited is theirs and stays); changing a planned meeting's department
offers the new department's title, attendees and suggestions. Questions for the panel come from
the built-in question bank or are typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.numbers import counted
from statdesk.domain.questions import QUESTION_BANK, questions_for
from statdesk.domain.validation import problems_with
from statdesk.domain.vocabulary import AgendaSection, Frequency, MeetingStatus
from statdesk.storage.views.meetings import DEFAULT_MINUTES, AgendaEntry
from statdesk.ui.dialogs.editor import RecordEditor
from statdesk.ui.forms import (
    ERROR_STYLE,
    ChoiceField,
    DateField,
    Form,
    NotesField,
    NumberField,
    PeriodField,
    TextField,
    plain_label,
)
from statdesk.ui.pickers import CheckList, make_searchable, picker_label

SECTIONS = list(AgendaSection)
# For a department: the attendees and the agenda items StatDesk suggests.
Suggest = Callable[[int], tuple[list[int], list[AgendaEntry]]]
SECTION_NAMES = {
    AgendaSection.FOLLOW_UP: "Follow-up",
    AgendaSection.STANDING: "Standing",
    AgendaSection.NEW: "New",
}
MEETING_FIELDS = (
    "department_id",
    "title",
    "location",
    "leader_id",
    "reporting_period",
    "session_minutes",
    "status",
    "materials_due",
    "notes",
)


class MeetingEditor(RecordEditor):
    def __init__(
        self,
        values: dict[str, Any],
        agenda: Sequence[dict[str, Any]],
        attendee_ids: Sequence[int],
        people: Sequence[tuple[int, str]],
        departments: Sequence[tuple[int, str]],
        metrics: Sequence[tuple[int, str, str]],
        fiscal_year_start: int,
        suggest: Suggest,
        parent: QWidget | None = None,
        *,
        agenda_suggested: bool = False,
    ) -> None:
        """`agenda_suggested`: the agenda given is StatDesk's suggestion (a new meeting's), so
        suggesting again or changing the department replaces it."""
        super().__init__(parent)
        self.record_id = values.get("id")
        self.setWindowTitle(
            f"Edit {values.get('title') or 'meeting'}" if self.record_id else "Plan a Stat meeting"
        )
        self.suggest = suggest
        self._loading = False  # True while an item's details are being shown, not edited
        self.metric_choices = list(metrics)
        self.metric_names = {metric_id: name for metric_id, name, _ in metrics}
        self.department_names = dict(departments)
        self.form = Form(
            [
                ChoiceField("department_id", "&Department", departments, none_label=None),
                TextField("title", "&Title", placeholder="Public Works Stat"),
                TextField("location", "&Place"),
                ChoiceField("leader_id", "&Led by", people),
                PeriodField(
                    "reporting_period", "&Reporting period", fiscal_year_start, Frequency.MONTHLY
                ),
                NumberField("session_minutes", "Session &length (minutes)"),
                ChoiceField.of_enum("status", "Stat&us", MeetingStatus, none_label=None),
                DateField("materials_due", "&Materials due"),
                NotesField("notes", "N&otes", lines=2),
            ]
        )
        self.starts = QDateTimeEdit()
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.starts.setAccessibleName("Starts at")
        starts_at = values.get("starts_at") or datetime.now().replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        self.starts.setDateTime(QDateTime(starts_at))
        self.form.set_values({"session_minutes": 90, "status": MeetingStatus.PLANNED, **values})
        self._department = self.form.values().get("department_id")
        self.form.changed.connect(self._department_changed)
        self.form.changed.connect(self.check)
        starts_label = QLabel("&Starts at")
        starts_label.setBuddy(self.starts)
        when = QFormLayout()
        when.addRow(starts_label, self.starts)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addLayout(when)
        details_layout.addWidget(self.form)
        details_layout.addStretch(1)  # the fields at the top of the tab, however tall

        self.attendees = CheckList(people, attendee_ids, "Attendees")
        suggest_people = QPushButton("Tick the &suggested attendees")
        suggest_people.clicked.connect(self.tick_suggested)
        people_tab = QWidget()
        people_layout = QVBoxLayout(people_tab)
        people_layout.addWidget(
            plain_label(
                "Suggested: the principal's team and the Stat team, the department's lead and "
                "contact, and the budget analyst whose portfolio covers the department."
            )
        )
        people_layout.addWidget(suggest_people)
        people_layout.addWidget(self.attendees.search_box())
        people_layout.addWidget(self.attendees)

        self.agenda: list[dict[str, Any]] = [dict(row) for row in agenda]
        # The agenda rows StatDesk suggested that the analyst has not touched, by identity.
        self._suggested = {id(row) for row in self.agenda} if agenda_suggested else set()
        self.tabs = QTabWidget()
        self.tabs.addTab(details, "&When and where")
        self.tabs.addTab(people_tab, "&Attendees")
        self.tabs.addTab(self._agenda_tab(), "A&genda")
        self.problem = plain_label()
        self.problem.setStyleSheet(ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(980, 700)
        self._fill_list(0 if self.agenda else None)
        self.check()

    # ---------------------------------------------------------------- agenda
    def _agenda_tab(self) -> QWidget:
        self.items = QListWidget()
        self.items.setAccessibleName("Agenda items")
        self.items.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.items.model().rowsMoved.connect(self._dropped)
        self.items.currentRowChanged.connect(self._show_item)
        self.total = plain_label(wrap=False)
        self.total.setAccessibleName("Minutes on the agenda")
        add = QToolButton()
        add.setText("&Add item")
        add.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(add)
        for section in SECTIONS:
            menu.addAction(f"{SECTION_NAMES[section]} item", lambda s=section: self.add_item(s))
        add.setMenu(menu)
        remove = QPushButton("&Remove")
        remove.clicked.connect(self.remove_item)
        up = QPushButton("Move u&p")
        up.clicked.connect(lambda: self.move_item(-1))
        down = QPushButton("Move do&wn")
        down.clicked.connect(lambda: self.move_item(1))
        for keys, step in (("Alt+Up", -1), ("Alt+Down", 1)):
            QShortcut(QKeySequence(keys), self.items, lambda s=step: self.move_item(s))
        suggest = QPushButton("Su&ggest items")
        suggest.setToolTip(
            "Follow-up: the department's open action items. Standing: its KPIs with their "
            "latest status."
        )
        suggest.clicked.connect(self.suggest_items)
        buttons = QHBoxLayout()
        for widget in (add, remove, up, down, suggest):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.items, 1)
        left_layout.addWidget(self.total)
        self.suggestion_note = plain_label()
        self.suggestion_note.setAccessibleName("What was suggested")
        left_layout.addWidget(self.suggestion_note)

        self.section = QComboBox()
        for section in SECTIONS:
            self.section.addItem(SECTION_NAMES[section], section.value)
        self.item_title = QLineEdit()
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 240)
        self.minutes.setSuffix(" min")
        self.chart_metric = QComboBox()
        self.chart_metric.addItem("(none)", None)
        for metric_id, name, department in self.metric_choices:
            self.chart_metric.addItem(picker_label(name, department), metric_id)
        make_searchable(self.chart_metric)
        self.source = QLineEdit()
        self.narrative = QPlainTextEdit()
        self.questions = QPlainTextEdit()
        self.questions.setPlaceholderText("One question per line")
        bank = QToolButton()
        bank.setText("Add from the &question bank")
        bank.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        bank_menu = QMenu(bank)
        for group in QUESTION_BANK:
            sub = bank_menu.addMenu(group)
            for index, text in enumerate(questions_for(group)):
                sub.addAction(text, lambda g=group, i=index: self.add_question(g, i))
        bank.setMenu(bank_menu)
        form = QFormLayout()
        for text, widget, name in (
            ("Se&ction", self.section, "Section"),
            ("T&itle", self.item_title, "Item title"),
            ("Mi&nutes", self.minutes, "Suggested minutes"),
            ("Me&tric (chart)", self.chart_metric, "Metric charted"),
            ("Data so&urce", self.source, "Data source"),
            ("Narrati&ve", self.narrative, "Narrative"),
            ("Questions for the &panel", self.questions, "Questions for the panel"),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(name)
            form.addRow(label, widget)
        form.addRow("", bank)
        self.detail = QWidget()
        self.detail.setLayout(form)
        for signal in (
            self.section.currentIndexChanged,
            self.item_title.textChanged,
            self.minutes.valueChanged,
            self.chart_metric.currentIndexChanged,
            self.source.textChanged,
            self.narrative.textChanged,
            self.questions.textChanged,
        ):
            signal.connect(self._edited)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setSizes([380, 560])
        return splitter

    def _label(self, row: dict[str, Any]) -> str:
        minutes = f" ({row['minutes']} min)" if row.get("minutes") else ""
        section = SECTION_NAMES[AgendaSection(row["section"])]
        return f"{section} · {row['title'] or '(untitled)'}{minutes}"

    def _fill_list(self, current: int | None) -> None:
        order = {s: i for i, s in enumerate(SECTIONS)}
        self.agenda.sort(key=lambda r: order[AgendaSection(r["section"])])  # stable
        self.items.blockSignals(True)
        self.items.clear()
        for row in self.agenda:
            self.items.addItem(QListWidgetItem(self._label(row)))
        self.items.blockSignals(False)
        if current is not None and self.agenda:
            self.items.setCurrentRow(max(0, min(current, len(self.agenda) - 1)))
        self._show_item(self.items.currentRow())
        self._update_total()

    def _show_item(self, row: int) -> None:
        self.detail.setEnabled(0 <= row < len(self.agenda))
        if not 0 <= row < len(self.agenda):
            return
        item = self.agenda[row]
        self._loading = True
        self.section.setCurrentIndex(self.section.findData(AgendaSection(item["section"]).value))
        self.item_title.setText(item.get("title") or "")
        self.minutes.setValue(int(item.get("minutes") or 0))
        self.chart_metric.setCurrentIndex(max(0, self.chart_metric.findData(item.get("metric_id"))))
        self.source.setText(item.get("data_source") or "")
        self.narrative.setPlainText(item.get("narrative") or "")
        self.questions.setPlainText(item.get("questions") or "")
        self._loading = False

    def _edited(self) -> None:
        row = self.items.currentRow()
        if self._loading or not 0 <= row < len(self.agenda):
            return
        item = self.agenda[row]
        self._suggested.discard(id(item))  # edited: the analyst's now, kept by Suggest
        section = AgendaSection(self.section.currentData())
        item.update(
            {
                "title": self.item_title.text().strip(),
                "minutes": self.minutes.value() or None,
                "metric_id": self.chart_metric.currentData(),
                "data_source": self.source.text().strip() or None,
                "narrative": self.narrative.toPlainText().strip() or None,
                "questions": self.questions.toPlainText().strip() or None,
            }
        )
        if section != AgendaSection(item["section"]):
            item["section"] = section
            self._fill_list(self.agenda.index(item))
        else:
            self.items.item(row).setText(self._label(item))
            self._update_total()
        self.check()

    def _dropped(self, *_args: Any) -> None:
        """A drag reordered the list: read the new order back, keeping sections in order."""
        labels = [self.items.item(i).text() for i in range(self.items.count())]
        remaining = list(self.agenda)
        ordered = []
        for text in labels:
            match = next(r for r in remaining if self._label(r) == text)
            remaining.remove(match)
            ordered.append(match)
        self.agenda = ordered
        self._fill_list(self.items.currentRow())

    def add_item(self, section: AgendaSection) -> None:
        row = {"id": None, "section": section, "title": "", "minutes": DEFAULT_MINUTES[section]}
        self.agenda.append(row)
        self._fill_list(None)
        self.items.setCurrentRow(self.agenda.index(row))
        self.item_title.setFocus()
        self.check()

    def remove_item(self) -> None:
        row = self.items.currentRow()
        if 0 <= row < len(self.agenda):
            self._suggested.discard(id(self.agenda[row]))
            del self.agenda[row]
            self._fill_list(row)
            self.check()

    def move_item(self, step: int) -> None:
        row = self.items.currentRow()
        other = row + step
        if not (0 <= row < len(self.agenda) and 0 <= other < len(self.agenda)):
            return
        if self.agenda[row]["section"] != self.agenda[other]["section"]:
            return  # the sections keep their order; change an item's section to move it
        self.agenda[row], self.agenda[other] = self.agenda[other], self.agenda[row]
        self._fill_list(other)

    def add_question(self, group: str, index: int) -> None:
        row = self.items.currentRow()
        if not 0 <= row < len(self.agenda):
            return
        metric = self.metric_names.get(self.chart_metric.currentData())
        question = questions_for(group, metric)[index]
        text = self.questions.toPlainText().rstrip()
        self.questions.setPlainText(f"{text}\n{question}".strip())

    def suggest_items(self) -> None:
        department = self.form.values().get("department_id")
        if department is None:
            return
        _people, entries = self.suggest(department)
        self._replace_suggestions(entries)

    def _replace_suggestions(self, entries: Sequence[AgendaEntry]) -> None:
        """Put these suggestions in place of those made before that are still untouched; an
        item already on the agenda (the same action item or metric) is not added twice."""
        dropped = sum(1 for row in self.agenda if id(row) in self._suggested)
        self.agenda = [row for row in self.agenda if id(row) not in self._suggested]
        have_actions = {r.get("action_item_id") for r in self.agenda if r.get("action_item_id")}
        have_metrics = {r.get("metric_id") for r in self.agenda if r.get("metric_id")}
        rows = [
            entry.as_row()
            for entry in entries
            if entry.action_item_id not in have_actions
            and (entry.metric_id is None or entry.metric_id not in have_metrics)
        ]
        self.agenda.extend(rows)
        self._suggested = {id(row) for row in rows}
        self._fill_list(0)
        note = f"{counted(len(rows), 'item')} suggested"
        if dropped:
            note += f", in place of the {counted(dropped, 'suggestion')} made before"
        self.suggestion_note.setText(note + ".")
        self.check()

    def _department_changed(self) -> None:
        """A planned meeting moved to another department: offer that department's title,
        attendees and suggested agenda in place of the old one's."""
        values = self.form.values()
        department = values.get("department_id")
        if department is None or department == self._department:
            return
        self._department = department
        if self._read_only or values.get("status") is not MeetingStatus.PLANNED:
            return
        name = self.department_names.get(department, "the department")
        title = f"{name} Stat"
        kept = sum(1 for row in self.agenda if id(row) not in self._suggested)
        answer = QMessageBox.question(
            self,
            "Change the department",
            f"Plan this meeting for {name} instead: title it '{title}', invite the people "
            f"suggested for {name} and put its suggested items on the agenda in place of "
            "those suggested before?"
            + (f" The {counted(kept, 'item')} you wrote or edited stay." if kept else ""),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.form.set_values({"title": title})
        people, entries = self.suggest(department)
        self.attendees.set_checked(people)
        self._replace_suggestions(entries)

    def tick_suggested(self) -> None:
        department = self.form.values().get("department_id")
        if department is None:
            return
        people, _entries = self.suggest(department)
        wanted = set(people)
        for index in range(self.attendees.count()):
            item = self.attendees.item(index)
            if item.data(Qt.ItemDataRole.UserRole) in wanted:
                item.setCheckState(Qt.CheckState.Checked)

    def minutes_total(self) -> int:
        return sum(int(r.get("minutes") or 0) for r in self.agenda)

    def _update_total(self) -> None:
        session = int(self.form.values().get("session_minutes") or 90)
        total = self.minutes_total()
        over = total - session
        self.total.setText(
            f"⚠ {total} of {session} minutes: {over} over the session"
            if over > 0
            else f"{total} of {session} minutes"
        )
        self.total.setStyleSheet(ERROR_STYLE if over > 0 else "")

    # ---------------------------------------------------------------- saving
    def values(self) -> dict[str, Any]:
        values = self.form.values()
        if values.get("session_minutes") is not None:
            values["session_minutes"] = int(values["session_minutes"])
        values["starts_at"] = self.starts.dateTime().toPython()
        return values

    def agenda_rows(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.agenda]

    def attendee_ids(self) -> list[int]:
        return self.attendees.checked_ids()

    def check(self) -> bool:
        problems = [*self.form.typing_problems(), *problems_with("meeting", self.values())]
        untitled = [i + 1 for i, r in enumerate(self.agenda) if not (r.get("title") or "").strip()]
        unplaced = self.form.show_problems(problems)
        lines = [f"⚠ {p.message}" for p in unplaced]
        if untitled:
            numbers = ", ".join(map(str, untitled))
            lines.append(
                f"⚠ Agenda item {numbers} needs a title."
                if len(untitled) == 1
                else f"⚠ Agenda items {numbers} need a title."
            )
        self.problem.setText("\n".join(lines))
        self._update_total()
        return not problems and not untitled
