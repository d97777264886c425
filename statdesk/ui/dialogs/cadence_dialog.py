"""A department's Stat cadence: how often it comes to Stat, its usual day, time and room.
Home lists the departments overdue for a Stat, and planning a meeting proposes the next date
from these."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.cadence import WEEKDAYS, usual_time
from statdesk.domain.vocabulary import Cadence
from statdesk.ui.forms import plain_label


class CadenceDialog(QDialog):
    def __init__(self, name: str, values: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Stat cadence of {name}")
        self.cadence = QComboBox()
        self.cadence.setAccessibleName("How often")
        self.cadence.addItem("No regular Stat", None)
        for cadence in Cadence:
            self.cadence.addItem(cadence.label, cadence)
        self.cadence.setCurrentIndex(max(0, self.cadence.findData(values.get("stat_cadence"))))
        self.weekday = QComboBox()
        self.weekday.setAccessibleName("Usual day")
        self.weekday.addItem("Any day", None)
        for number, day in enumerate(WEEKDAYS):
            self.weekday.addItem(day, number)
        self.weekday.setCurrentIndex(max(0, self.weekday.findData(values.get("stat_weekday"))))
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName("Usual time")
        at = usual_time(values.get("stat_time"))
        self.time.setTime(QTime(at.hour, at.minute))
        self.room = QLineEdit(values.get("stat_room") or "")
        self.room.setAccessibleName("Usual room")
        self.room.setMaxLength(200)
        form = QFormLayout()
        form.addRow("&How often", self.cadence)
        form.addRow("Usual &day", self.weekday)
        form.addRow("Usual &time", self.time)
        form.addRow("Usual &room", self.room)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            plain_label(
                "The guide asks for each department in the room at least monthly. Home lists "
                "the departments whose Stat is overdue, and Plan a meeting proposes the next "
                "date from this."
            )
        )
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "stat_cadence": self.cadence.currentData(),
            "stat_weekday": self.weekday.currentData(),
            "stat_time": self.time.time().toString("HH:mm"),
            "stat_room": self.room.text().strip() or None,
        }
