"""Add or edit a goal: what it aims at, under which priority, by when, and whether it is the
program's one bold goal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from statdesk.domain.validation import problems_with
from statdesk.domain.vocabulary import GoalHorizon
from statdesk.ui.dialogs.editor import RecordEditor
from statdesk.ui.forms import CheckField, ChoiceField, DateField, Form, NotesField, TextField


class GoalEditor(RecordEditor):
    def __init__(
        self,
        priorities: Sequence[tuple[int, str]],
        values: dict[str, Any] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title = (values or {}).get("title")
        self.setWindowTitle(f"Edit {title}" if title else "Add a goal")
        self.form = Form(
            [
                TextField("title", "&Goal"),
                ChoiceField("priority_id", "Strategic &priority", priorities, none_label=None),
                ChoiceField.of_enum(
                    "horizon",
                    "&Horizon",
                    GoalHorizon,
                    help_text="Short: 1–2 years; intermediate: 2–4; long: 4–20.",
                ),
                DateField("target_date", "&Target date"),
                NotesField("description", "&Description", lines=3),
                CheckField("is_bold", "This is the program's &bold goal (there is only one)"),
            ]
        )
        self.form.set_values(values or {})
        self.form.changed.connect(self.check)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.check()

    def values(self) -> dict[str, Any]:
        return self.form.values()

    def check(self) -> bool:
        problems = problems_with("goal", self.values())
        self.form.show_problems(problems)
        return not problems
