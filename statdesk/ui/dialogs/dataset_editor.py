"""Add or edit a dataset of the inventory: every field DOMAIN.md lists, in four tabs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.inventory import DISCOVERY_QUESTIONS, priority
from statdesk.domain.validation import problems_with
from statdesk.domain.vocabulary import AccessLevel, DataKind, DatasetStatus, UpdateFrequency
from statdesk.ui.dialogs.editor import RecordEditor
from statdesk.ui.forms import (
    CheckField,
    ChoiceField,
    DateField,
    Form,
    NotesField,
    ScoreField,
    TextField,
    problem_label,
    scrolling,
)


class DatasetEditor(RecordEditor):
    open_metric = Signal(int)

    def __init__(
        self,
        departments: Sequence[tuple[int, str]],
        people: Sequence[tuple[int, str]],
        values: dict[str, Any] | None = None,
        metrics: Sequence[tuple[int, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title = (values or {}).get("title")
        self.setWindowTitle(f"Edit {title}" if title else "Add a dataset")
        self.about = Form(
            [
                TextField("title", "&Title"),
                TextField(
                    "identifier",
                    "&Identifier",
                    "A unique, permanent id for open-data catalogs (data.json).",
                ),
                NotesField("description", "&Description", "What the data holds, in plain words."),
                ChoiceField("department_id", "&Department", departments),
                ChoiceField("owner_id", "&Owner", people, "Who owns or maintains the data."),
                ChoiceField(
                    "contact_id",
                    "&Contact",
                    people,
                    "The department contact who knows its metadata and cleans it.",
                ),
                TextField("keywords", "&Keywords", "Separate keywords with semicolons."),
                ChoiceField.of_enum(
                    "data_kind",
                    "&Kind of data",
                    DataKind,
                    "Operational (overtime, vacancies), subject-matter (the "
                    "department's service data) or validating (census, BLS).",
                ),
                ChoiceField.of_enum("status", "&Status", DatasetStatus, none_label=None),
                NotesField("notes", "N&otes", lines=2),
            ]
        )
        self.source = Form(
            [
                TextField("source_system", "&Source system"),
                TextField("format", "&Format"),
                TextField(
                    "location", "&Location", "Where the data lives: a server, folder or URL."
                ),
                ChoiceField.of_enum("update_frequency", "&Update frequency", UpdateFrequency),
                DateField("last_updated", "Last &updated"),
                DateField("temporal_start", "Time covered &from"),
                DateField("temporal_end", "Time covered &to"),
                TextField("spatial", "&Place covered"),
                ChoiceField.of_enum("access_level", "&Access level", AccessLevel, none_label=None),
                NotesField("access_reason", "Access &reason", "Why access is restricted.", lines=2),
                CheckField("contains_pii", "Contains &personal information (PII)", tristate=True),
                NotesField("privacy_notes", "Pri&vacy notes", lines=2),
                TextField("license", "Li&cense"),
                NotesField("rights", "Ri&ghts", lines=2),
                TextField("data_dictionary_url", "Data &dictionary"),
                TextField("landing_page", "Landing pa&ge"),
                TextField("download_url", "Do&wnload URL"),
                TextField("media_type", "&Media type", placeholder="text/csv"),
            ]
        )
        self.discovery = Form(
            [
                *(
                    CheckField(
                        column,
                        question,
                        "Checked: yes. Unchecked: no. Partly checked: not asked yet.",
                        tristate=True,
                    )
                    for column, question in DISCOVERY_QUESTIONS
                ),
                NotesField("discovery_notes", "&Notes from the discovery meeting"),
            ]
        )
        self.scores = Form(
            [
                ScoreField(
                    "score_value", "&Value", "Demand from council, departments, the public."
                ),
                ScoreField("score_risk", "&Risk", "Privacy and security risk (5 is high risk)."),
                ScoreField("score_quality", "&Quality"),
                ScoreField("score_readiness", "Rea&diness"),
            ]
        )
        self.priority = QLabel()
        self.priority.setAccessibleName("Computed priority")
        priority_page = QWidget()
        priority_layout = QVBoxLayout(priority_page)
        priority_layout.addWidget(self.scores)
        priority_layout.addWidget(self.priority)
        priority_layout.addStretch(1)

        self.metrics = QListWidget()
        self.metrics.setAccessibleName("Metrics this dataset feeds")
        for metric_id, name in metrics:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, metric_id)
            self.metrics.addItem(item)
        if not metrics:
            self.metrics.addItem("No metric uses this dataset yet.")
        self.metrics.itemActivated.connect(self._open_metric)

        self.tabs = QTabWidget()
        self.tabs.addTab(scrolling(self.about), "&About")
        self.tabs.addTab(scrolling(self.source), "Source && &access")
        self.tabs.addTab(scrolling(self.discovery), "Dis&covery")
        self.tabs.addTab(priority_page, "&Priority")
        self.tabs.addTab(self.metrics, "&Metrics fed")
        self.other_problems = problem_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.other_problems)
        layout.addWidget(self.buttons)

        # A new dataset's discovery questions start as "not asked yet", its PII as unknown.
        defaults: dict[str, Any] = {
            "status": DatasetStatus.DISCOVERED,
            "access_level": AccessLevel.NON_PUBLIC,
            "contains_pii": None,
            **{column: None for column, _ in DISCOVERY_QUESTIONS},
        }
        for form in self.forms:
            form.set_values({**defaults, **(values or {})})
            form.changed.connect(self.check)
        self.check()
        self.resize(640, 720)

    @property
    def forms(self) -> tuple[Form, ...]:
        return (self.about, self.source, self.discovery, self.scores)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for form in self.forms:
            out.update(form.values())
        return out

    def check(self) -> bool:
        values = self.values()
        problems = problems_with("dataset", values)
        unplaced = list(problems)
        for form in self.forms:
            placed = {p for p in problems if p.field in form.fields}
            form.show_problems([p for p in problems if p in placed])
            unplaced = [p for p in unplaced if p not in placed]
        self.other_problems.setText("\n".join(f"⚠ {p.message}" for p in unplaced))
        self.other_problems.setVisible(bool(unplaced))
        score = priority(
            values["score_value"],
            values["score_risk"],
            values["score_quality"],
            values["score_readiness"],
        )
        self.priority.setText(
            "Priority: give a value score to compute it."
            if score is None
            else f"Priority: {score:.1f} of 5"
        )
        return not problems

    def _open_metric(self, item: QListWidgetItem) -> None:
        metric_id = item.data(Qt.ItemDataRole.UserRole)
        if metric_id is not None:
            self.open_metric.emit(metric_id)
