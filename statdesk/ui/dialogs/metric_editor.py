"""Add or edit a metric: its definition, how it is judged, where its data comes from, and the
four answers that make it worth tracking."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.questions import WORTH_QUESTIONS
from statdesk.domain.validation import problems_with
from statdesk.domain.vocabulary import (
    NOT_SET,
    Direction,
    Frequency,
    MeasureType,
    RollUp,
    ToleranceKind,
    Unit,
)
from statdesk.ui.dialogs.editor import RecordEditor
from statdesk.ui.forms import (
    WARNING_STYLE,
    CheckField,
    ChoiceField,
    Form,
    NotesField,
    NumberField,
    PeriodField,
    TextField,
    plain_label,
    problem_label,
    scrolling,
)
from statdesk.ui.pickers import CheckList

if TYPE_CHECKING:
    from statdesk.ui.pages.base import Page


class MetricEditor(RecordEditor):
    def __init__(
        self,
        *,
        fiscal_year_start: int,
        goals: Sequence[tuple[int, str]],
        kpis: Sequence[tuple[int, str]],
        departments: Sequence[tuple[int, str]],
        people: Sequence[tuple[int, str]],
        datasets: Sequence[tuple[int, str]],
        values: dict[str, Any] | None = None,
        sources: Sequence[int] = (),
        parent: QWidget | None = None,
        target_helper: str = "",
    ) -> None:
        super().__init__(parent)
        values = dict(values or {})
        name = values.get("name")
        self.setWindowTitle(f"Edit {name}" if name else "Add a metric")
        frequency = Frequency(values.get("frequency") or Frequency.MONTHLY)
        self.about = Form(
            [
                TextField("name", "&Name", "What is counted, in plain words."),
                NotesField("description", "&Description", lines=2),
                TextField("code", "Source &ID", "The measure's id in the system it comes from."),
                ChoiceField("goal_id", "&Goal", goals, "The goal this metric measures."),
                CheckField("is_kpi", "This is a &key performance indicator (KPI)"),
                ChoiceField(
                    "kpi_id",
                    "&Supports KPI",
                    kpis,
                    "For a supporting metric: the KPI it helps explain.",
                ),
                ChoiceField(
                    "department_id", "De&partment", departments, "The department that owns it."
                ),
                ChoiceField("owner_id", "Acco&untable person", people),
            ]
        )
        self.measure = Form(
            [
                ChoiceField.of_enum("measure_type", "&Measure type", MeasureType),
                ChoiceField.of_enum("unit", "&Unit", Unit, none_label=None),
                TextField("unit_label", "Unit &label", "What one unit is: potholes, calls…"),
                ChoiceField(
                    "decimals", "&Decimals shown", [(i, str(i)) for i in range(4)], none_label=None
                ),
                ChoiceField.of_enum("frequency", "&Frequency", Frequency, none_label=None),
                ChoiceField.of_enum(
                    "roll_up",
                    "&Roll-up",
                    RollUp,
                    none_label=None,
                    help_text="How periods add up to quarters and years.",
                ),
                ChoiceField.of_enum(
                    "direction",
                    "&Direction",
                    Direction,
                    none_label=f"{NOT_SET}: no status is judged",
                    help_text="Which way is better. Until it is set, StatDesk shows the "
                    "values but judges no status or trend.",
                ),
                NumberField("band_low", "Band l&ow", "For a metric kept within a band."),
                NumberField("band_high", "Band &high"),
                NumberField(
                    "tolerance",
                    "&Tolerance",
                    "How far from target still counts as within tolerance.",
                ),
                ChoiceField.of_enum(
                    "tolerance_kind",
                    "Tolerance &is",
                    ToleranceKind,
                    none_label=None,
                    help_text="Relative: percent of the target. Absolute: in the "
                    "metric's unit (points for a percentage).",
                ),
                NumberField("baseline_value", "&Baseline value"),
                PeriodField("baseline_period", "Baseline &period", fiscal_year_start, frequency),
                NotesField(
                    "methodology",
                    "Me&thodology",
                    "How the data is collected, calculated and reported.",
                    lines=4,
                ),
            ]
        )
        self.worth = Form(
            [NotesField(name, f"It {text}", lines=2) for name, text in WORTH_QUESTIONS]
        )
        self.worth_warning = QLabel()
        self.worth_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.worth_warning.setWordWrap(True)
        self.worth_warning.setStyleSheet(WARNING_STYLE)
        self.sources = CheckList(datasets, sources, "Source datasets")
        sources_note = QLabel(
            "The datasets this metric's values come from. The Stat team is "
            "never the source of the data."
        )
        sources_note.setWordWrap(True)

        self.tabs = QTabWidget()
        self.tabs.addTab(scrolling(self.about), "&About")
        self.tabs.addTab(scrolling(self.measure), "Mea&surement")
        self.tabs.addTab(scrolling(self.worth_warning, self.worth), "&Worth tracking")
        sources_page = QWidget()
        sources_layout = QVBoxLayout(sources_page)
        sources_layout.addWidget(sources_note)
        sources_layout.addWidget(self.sources.search_box())
        sources_layout.addWidget(self.sources)
        self.tabs.addTab(sources_page, "Data s&ources")
        if target_helper:  # an existing metric: what its history says of its target
            self.tabs.addTab(
                scrolling(plain_label(target_helper, selectable=True)), "&Target helper"
            )
        self.other_problems = problem_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.other_problems)
        layout.addWidget(self.buttons)

        defaults = {
            "unit": Unit.COUNT,
            "decimals": 0,
            "frequency": Frequency.MONTHLY,
            "roll_up": RollUp.SUM,
            "tolerance_kind": ToleranceKind.RELATIVE,
        }
        for form in self.forms:
            form.set_values({**defaults, **values})
            form.changed.connect(self.check)
        self.check()
        self.resize(620, 700)

    @property
    def forms(self) -> tuple[Form, ...]:
        return (self.about, self.measure, self.worth)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for form in self.forms:
            out.update(form.values())
        return out

    def source_ids(self) -> list[int]:
        return self.sources.checked_ids()

    def check(self) -> bool:
        values = self.values()
        problems = [p for form in self.forms for p in form.typing_problems()]
        problems += problems_with("metric", values)
        unplaced = list(problems)
        for form in self.forms:
            mine = [p for p in problems if p.field in form.fields]
            form.show_problems(mine)
            unplaced = [p for p in unplaced if p not in mine]
        self.other_problems.setText("\n".join(f"⚠ {p.message}" for p in unplaced))
        self.other_problems.setVisible(bool(unplaced))
        missing = [text for name, text in WORTH_QUESTIONS if not values.get(name)]
        self.worth_warning.setText(
            "⚠ Not yet shown to be worth tracking: record that it "
            + "; that it ".join(missing)
            + "."
            if missing
            else ""
        )
        self.worth_warning.setVisible(bool(missing))
        return not problems


def metric_editor_for(
    page: Page, values: dict[str, Any] | None, sources: list[int], metric_id: int | None
) -> MetricEditor:
    """The editor of a metric (a new one when `metric_id` is None) with the file's choices,
    and, for an existing metric, the target helper's judgement and proposal."""
    from statdesk.ui.pages.base import person_choices
    from statdesk.ui.pickers import picker_label

    ws = page.workspace
    helper = ""
    if metric_id is not None:
        found = ws.metrics.target_helper(metric_id)
        if found.judgement is not None and found.proposal is not None:
            situation = found.judgement.situation
            name = situation.label if situation is not None else "Not judged"
            helper = (
                f"{name}: {found.judgement.rule}.\n\n{found.judgement.advice}\n\n"
                f"Proposed target: {found.proposal.reasoning}\n\nThe Target helper tab of "
                "the Metrics page shows the history, the values that stand out and the "
                "year's path, and sets the proposed target."
            )
    return MetricEditor(
        fiscal_year_start=ws.fiscal_year_start_month,
        goals=[(g.id, g.title) for g in ws.query("goal")],
        kpis=[(k.id, k.name) for k in ws.query("metric", is_kpi=True)],
        departments=[(d.id, d.name) for d in ws.roster.department_rows()],
        people=person_choices(ws),
        datasets=[(d.id, picker_label(d.title, d.department)) for d in ws.inventory.rows()],
        values=values,
        sources=sources,
        parent=page,
        target_helper=helper,
    )
