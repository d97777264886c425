"""The city's settings: its name, the program's name, the fiscal year's first month, a logo;
and the same questions (but the logo) for a new file."""

from __future__ import annotations

import calendar
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.validation import problems_with
from statdesk.ui import folders
from statdesk.ui.forms import ChoiceField, Form, TextField, judge_all

LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
MAX_LOGO_BYTES = 2_000_000


class CitySettingsDialog(QDialog):
    def __init__(
        self,
        name: str,
        program_name: str | None,
        fiscal_year_start_month: int | None,
        logo: bytes | None,
        logo_media_type: str | None,
        parent: QWidget | None = None,
        *,
        new_file: bool = False,
    ) -> None:
        """`fiscal_year_start_month` None: not known yet (a new file), to be chosen."""
        super().__init__(parent)
        self.setWindowTitle("New StatDesk file" if new_file else "City settings")
        self.form = Form(
            [
                TextField("name", "&City name"),
                TextField("program_name", "&Program name", placeholder="CityStat"),
                ChoiceField(
                    "fiscal_year_start_month",
                    "&Fiscal year starts in",
                    [(i, calendar.month_name[i]) for i in range(1, 13)],
                    none_label="Choose the month…" if fiscal_year_start_month is None else None,
                    help_text="The month the city's budget year begins: July in most US "
                    "cities, October or January in some. Periods are labelled by fiscal year: "
                    "with July, FY2026 runs from July 2025 to June 2026.",
                ),
            ]
        )
        self.form.set_values(
            {
                "name": name,
                "program_name": program_name,
                "fiscal_year_start_month": fiscal_year_start_month,
            }
        )
        self.logo, self.logo_media_type = logo, logo_media_type
        self.logo_preview = QLabel()
        self.logo_preview.setAccessibleName("Logo")
        self.logo_preview.setFixedHeight(72)
        self.logo_note = QLabel()
        self.logo_note.setTextFormat(Qt.TextFormat.PlainText)
        choose = QPushButton("Choose &logo…")
        choose.clicked.connect(self.choose_logo)
        clear = QPushButton("&Remove logo")
        clear.clicked.connect(self.clear_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addWidget(choose)
        logo_row.addWidget(clear)
        logo_row.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        if new_file:
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("C&reate")
            for widget in (self.logo_preview, choose, clear, self.logo_note):
                widget.hide()  # set later in City settings, if wanted
        layout.addLayout(logo_row)
        layout.addWidget(self.logo_note)
        layout.addWidget(self.buttons)
        self.form.changed.connect(self.check)
        self._show_logo()
        self.check()

    def check(self) -> bool:
        problems = problems_with("city", self.form.values())
        self.form.show_problems(problems)
        return not problems

    def choose_logo(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Choose the city's logo",
            folders.start("logo"),
            "Images (*.png *.jpg *.jpeg *.svg)",
        )
        if name:
            folders.remember("logo", name)
            self.load_logo(Path(name))

    def load_logo(self, path: Path) -> None:
        media_type = LOGO_TYPES.get(path.suffix.lower())
        if media_type is None:
            self.logo_note.setText("Choose a PNG, JPEG or SVG image.")
            return
        data = path.read_bytes()
        if len(data) > MAX_LOGO_BYTES:
            self.logo_note.setText("That image is over 2 MB; choose a smaller one.")
            return
        if media_type != "image/svg+xml" and QPixmap().loadFromData(data) is False:
            self.logo_note.setText(f"{path.name} is not an image StatDesk can read.")
            return
        self.logo, self.logo_media_type = data, media_type
        self.logo_note.setText("")
        self._show_logo()

    def clear_logo(self) -> None:
        self.logo = self.logo_media_type = None
        self._show_logo()

    def _show_logo(self) -> None:
        pixmap = QPixmap()
        if self.logo and pixmap.loadFromData(self.logo):
            self.logo_preview.setPixmap(
                pixmap.scaledToHeight(64, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            self.logo_preview.setText("No logo" if not self.logo else "Logo set")

    def values(self) -> dict[str, Any]:
        return {**self.form.values(), "logo": self.logo, "logo_media_type": self.logo_media_type}

    def accept(self) -> None:
        if judge_all(self, self.check):
            super().accept()
