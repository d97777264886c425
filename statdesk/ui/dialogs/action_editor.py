"""Add or edit a follow-up item: what, the deliverable, who owns it, by when, how it stands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from statdesk.domain.validation import problems_with
from statdesk.domain.vocabulary import ActionStatus, Deliverable, Priority
from statdesk.ui.dialogs.editor import RecordEditor
from statdesk.ui.forms import ChoiceField, DateField, Form, NotesField, TextField

FIELDS = (
    "description",
    "topic",
    "deliverable",
    "owner_id",
    "department_id",
    "due",
    "priority",
    "status",
    "completed_on",
    "origin_meeting_id",
    "merged_into_id",
    "notes",
)


class ActionEditor(RecordEditor):
    def __init__(
        self,
        values: dict[str, Any] | None,
        people: Sequence[tuple[int, str]],
        departments: Sequence[tuple[int, str]],
        meetings: Sequence[tuple[int, str]],
        items: Sequence[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.record_id = (values or {}).get("id")
        self.setWindowTitle("Edit follow-up item" if self.record_id else "Add a follow-up item")
        self.form = Form(
            [
                NotesField("description", "&What is to be done", lines=2),
                TextField("topic", "&Topic", "Items are grouped by topic in the follow-up memo."),
                ChoiceField.of_enum("deliverable", "De&liverable", Deliverable),
                ChoiceField("owner_id", "&Owner", people),
                ChoiceField("department_id", "De&partment", departments),
                DateField("due", "&Due"),
                ChoiceField.of_enum("priority", "P&riority", Priority, none_label=None),
                ChoiceField.of_enum(
                    "status",
                    "&Status",
                    ActionStatus,
                    "Overdue and late are worked out from the due date.",
                    none_label=None,
                ),
                DateField("completed_on", "&Completed on"),
                ChoiceField("origin_meeting_id", "From &meeting", meetings),
                ChoiceField(
                    "merged_into_id",
                    "Merged &into",
                    [(i, t) for i, t in items if i != self.record_id],
                ),
                NotesField("notes", "&Notes", lines=2),
            ]
        )
        self.form.set_values(
            {"priority": Priority.MEDIUM, "status": ActionStatus.INCOMPLETE, **(values or {})}
        )
        self.form.changed.connect(self.check)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.resize(620, 640)
        self.check()

    def values(self) -> dict[str, Any]:
        return self.form.values()

    def check(self) -> bool:
        problems = problems_with("action item", {**self.values(), "id": self.record_id})
        self.form.show_problems(problems)
        return not problems
