"""Editor forms: one widget per field kind, values in and out as plain Python, problems shown
beside the field they are about.

An editor declares its fields; `Form` builds the widgets, reads and writes a dict of values,
and shows the `Problem`s that `domain.validation` finds under the fields, so every editor
validates the same way the workspace will when it saves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.errors import Problem
from statdesk.domain.numbers import parse_number
from statdesk.domain.periods import Period, parse_period, period_containing
from statdesk.domain.periods import label as period_label
from statdesk.domain.vocabulary import Frequency, Labelled
from statdesk.ui.pickers import make_searchable

ERROR_STYLE = "color: #a4262c;"  # with a ⚠ sign, so the message never relies on colour alone
WARNING_STYLE = "color: #7a5b00;"


class Field(QWidget):
    """A labelled value; subclasses hold one editing widget."""

    changed = Signal()

    def __init__(self, name: str, label: str, help_text: str = "") -> None:
        super().__init__()
        self.name = name
        self.label = label
        self.setToolTip(help_text)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self

    def problem(self) -> str | None:
        """What is wrong with what was typed, before any record rule runs (not a number…)."""
        return None

    def _adopt(self, widget: QWidget) -> None:
        widget.setAccessibleName(self.label.replace("&", ""))
        if self.toolTip():
            widget.setAccessibleDescription(self.toolTip())
        self._layout.addWidget(widget, 1)
        self.setFocusProxy(widget)


class TextField(Field):
    def __init__(self, name: str, label: str, help_text: str = "", placeholder: str = "") -> None:
        super().__init__(name, label, help_text)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.textChanged.connect(self.changed)
        self._adopt(self.edit)

    def value(self) -> str | None:
        text = self.edit.text().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class NumberField(TextField):
    """A number typed as people write it ("1,250", "85%", "$2.5"); empty is none."""

    def value(self) -> float | None:
        try:
            return parse_number(self.edit.text())
        except ValueError:
            return None

    def problem(self) -> str | None:
        try:
            parse_number(self.edit.text())
        except ValueError as error:
            return str(error)
        return None

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else f"{value:g}")


class PeriodField(TextField):
    """A period typed as people write it ("FY2026 Q1", "Jan 2026"); stored as its start."""

    def __init__(
        self,
        name: str,
        label: str,
        fiscal_year_start: int,
        frequency: Frequency,
        help_text: str = "",
    ) -> None:
        super().__init__(name, label, help_text, placeholder="e.g. FY2025 or Jul 2024")
        self.fiscal_year_start = fiscal_year_start
        self.frequency = frequency

    def _period(self) -> Period | None:
        text = self.edit.text().strip()
        return parse_period(text, self.fiscal_year_start, self.frequency) if text else None

    def value(self) -> date | None:
        try:
            period = self._period()
        except ValueError:
            return None
        return period.start if period else None

    def problem(self) -> str | None:
        try:
            self._period()
        except ValueError as error:
            return str(error)
        return None

    def set_value(self, value: Any) -> None:
        if value is None:
            self.edit.clear()
            return
        period = period_containing(value, self.frequency, self.fiscal_year_start)
        self.edit.setText(period_label(period, self.fiscal_year_start))


class NotesField(Field):
    def __init__(self, name: str, label: str, help_text: str = "", lines: int = 3) -> None:
        super().__init__(name, label, help_text)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * lines + 14)
        self.edit.textChanged.connect(self.changed)
        self._adopt(self.edit)
        # As tall as its lines: in a tall dialog the form's spare height went to this row, the
        # box sinking to the bottom of it, far below its label.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def value(self) -> str | None:
        text = self.edit.toPlainText().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class ChoiceField(Field):
    """A choice among labelled values (an enum, or records by id); optionally none."""

    def __init__(
        self,
        name: str,
        label: str,
        choices: Iterable[tuple[Any, str]],
        help_text: str = "",
        none_label: str | None = "(none)",
        enum: type[Labelled] | None = None,
    ) -> None:
        super().__init__(name, label, help_text)
        self.enum = enum
        self.combo = QComboBox()
        if none_label is not None:
            self.combo.addItem(none_label, None)
        for value, text in choices:
            self.combo.addItem(text, value)
        make_searchable(self.combo)
        self.combo.currentIndexChanged.connect(self.changed)
        self._adopt(self.combo)

    @classmethod
    def of_enum(
        cls,
        name: str,
        label: str,
        enum: type[Labelled],
        help_text: str = "",
        none_label: str | None = "(not set)",
    ) -> ChoiceField:
        return cls(name, label, [(m, m.label) for m in enum], help_text, none_label, enum)

    def value(self) -> Any:
        data = self.combo.currentData()  # Qt hands an enum back as its plain string
        return self.enum(data) if self.enum is not None and data is not None else data

    def set_value(self, value: Any) -> None:
        for index in range(self.combo.count()):
            data = self.combo.itemData(index)
            if data == value or (isinstance(data, StrEnum) and data.value == value):
                self.combo.setCurrentIndex(index)
                return
        self.combo.setCurrentIndex(0)


class CheckField(Field):
    """Yes / no; with `tristate`, also "not answered yet" (shown partly checked)."""

    def __init__(self, name: str, label: str, help_text: str = "", tristate: bool = False) -> None:
        super().__init__(name, label, help_text)
        self.box = QCheckBox(label)
        self.box.setTristate(tristate)
        self.box.stateChanged.connect(self.changed)
        self._adopt(self.box)

    def value(self) -> bool | None:
        state = self.box.checkState()
        if state == Qt.CheckState.PartiallyChecked:
            return None
        return state == Qt.CheckState.Checked

    def set_value(self, value: Any) -> None:
        if value is None and self.box.isTristate():
            self.box.setCheckState(Qt.CheckState.PartiallyChecked)
        else:
            self.box.setChecked(bool(value))


class DateField(Field):
    """A date that may be left unset."""

    def __init__(self, name: str, label: str, help_text: str = "") -> None:
        super().__init__(name, label, help_text)
        self.known = QCheckBox("Known")
        self.known.setAccessibleName(f"{label.replace('&', '')} known")
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(QDate.currentDate())
        self.known.toggled.connect(self.edit.setEnabled)
        self.known.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)
        self._layout.addWidget(self.known)
        self._adopt(self.edit)
        self.setFocusProxy(self.known)
        self.edit.setEnabled(False)

    def value(self) -> date | None:
        if not self.known.isChecked():
            return None
        picked = self.edit.date()
        return date(picked.year(), picked.month(), picked.day())

    def set_value(self, value: Any) -> None:
        self.known.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))


class ScoreField(Field):
    """A 1–5 score, or "not scored"."""

    def __init__(self, name: str, label: str, help_text: str = "") -> None:
        super().__init__(name, label, help_text)
        self.spin = QSpinBox()
        self.spin.setRange(0, 5)
        self.spin.setSpecialValueText("not scored")
        self.spin.valueChanged.connect(self.changed)
        self._adopt(self.spin)

    def value(self) -> int | None:
        return self.spin.value() or None

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value or 0))


class Form(QWidget):
    """Fields in a form layout, each with a line for its problem underneath.

    A field's problem shows once the user has left the field (or when it held something when
    the form opened), or after Save was pressed (`reveal`): a new, empty dialog is not a page
    of red errors, and an email is not "wrong" at its first letter.
    """

    changed = Signal()

    def __init__(self, fields: Sequence[Field]) -> None:
        super().__init__()
        self.fields = {f.name: f for f in fields}
        self.touched: set[str] = set()
        self.revealed = False
        self._owners: dict[QWidget, str] = {}
        self._problems: dict[str, QLabel] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        # Fields start at the top of a tall tab, under what is above them, not at its bottom.
        layout.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for field in fields:
            problem = QLabel()
            problem.setTextFormat(Qt.TextFormat.PlainText)
            problem.setStyleSheet(ERROR_STYLE)
            problem.setWordWrap(True)
            problem.hide()
            self._problems[field.name] = problem
            column = QWidget()
            stack = QVBoxLayout(column)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.setSpacing(2)
            stack.addWidget(field)
            stack.addWidget(problem)
            if isinstance(field, CheckField):
                layout.addRow("", column)
            else:
                label = QLabel(field.label)
                label.setBuddy(field.focus_widget())
                layout.addRow(label, column)
            field.changed.connect(self.changed)
            for widget in (field, *field.findChildren(QWidget)):
                self._owners[widget] = field.name
                widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QWidget):
            name = self._owners.get(watched)
            if name is not None and name not in self.touched:
                self.touched.add(name)  # left: its problem, if any, may show now
                self.changed.emit()
        return False

    def reveal(self) -> None:
        """Show every field's problem from now on (Save was pressed)."""
        self.revealed = True

    def values(self) -> dict[str, Any]:
        return {name: field.value() for name, field in self.fields.items()}

    def typing_problems(self) -> list[Problem]:
        """Fields whose text cannot be read (a number that is not one, an unknown period)."""
        return [
            Problem(name, text)
            for name, field in self.fields.items()
            if (text := field.problem()) is not None
        ]

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the fields; one given something (a record being edited) is judged at once."""
        for name, field in self.fields.items():
            if name in values:
                field.set_value(values[name])
                if values[name] not in (None, ""):
                    self.touched.add(name)

    def first_shown_problem(self) -> Field | None:
        """The first field whose problem is shown, if any."""
        return next(
            (self.fields[name] for name, label in self._problems.items() if not label.isHidden()),
            None,
        )

    def show_problems(self, problems: Iterable[Problem]) -> list[Problem]:
        """Show each problem under its field, once the field may be judged (see the class);
        returns those no field of this form shows."""
        for label in self._problems.values():
            label.hide()
        unplaced = []
        for problem in problems:
            label = self._problems.get(problem.field)
            if label is None:
                unplaced.append(problem)
                continue
            if self.revealed or problem.field in self.touched:
                label.setText(f"⚠ {problem.message}")
                label.show()
        return unplaced


def judge_all(dialog: QWidget, check: Callable[[], bool]) -> bool:
    """Save was pressed: show every problem of `dialog`'s forms from now on and run `check`;
    when something is wrong, the first field it names takes the focus. True when all is well."""
    forms = dialog.findChildren(Form)
    for form in forms:
        form.reveal()
    if check():
        return True
    for form in forms:
        field = form.first_shown_problem()
        if field is not None:
            field.setFocus(Qt.FocusReason.OtherFocusReason)
            break
    return False


def scrolling(*widgets: QWidget) -> QScrollArea:
    """Widgets at the top of a tab, scrolling when the dialog is short."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(holder)
    return scroll


def plain_label(text: str = "", *, wrap: bool = True, selectable: bool = False) -> QLabel:
    """A label that shows text as it is: whatever a user typed is never read as markup."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def problem_label() -> QLabel:
    """A line for problems that belong to no single field (shown above the buttons)."""
    label = plain_label()
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def records(
    rows: Iterable[Any], text: Callable[[Any], str] = lambda r: r.name
) -> list[tuple[int, str]]:
    """(id, label) pairs for a ChoiceField of records."""
    return [(row.id, text(row)) for row in rows]
