"""File ▸ Export…: every export of the product in one place. Choose what, its format, and for
a chart or memo which metric or meeting; the folder is remembered between sessions and the
suggested file name is made safe for Windows. The work runs in the background; files are
written whole or not at all (the workspace's exports use atomic replacement)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from statdesk.domain.filenames import safe_file_name
from statdesk.domain.numbers import counted
from statdesk.ui import folders
from statdesk.ui.errors import show_error
from statdesk.ui.forms import plain_label
from statdesk.ui.pickers import make_searchable, picker_label
from statdesk.ui.tasks import run_in_background
from statdesk.workspace import Workspace
from statdesk.workspace.export_kinds import EXPORT_KINDS
from statdesk.workspace.meeting_files import Written


class ExportDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Export")
        self.kinds = QListWidget()
        self.kinds.setAccessibleName("What to export")
        for kind, what in EXPORT_KINDS.items():
            item = QListWidgetItem(what.title)
            item.setData(256, kind)
            item.setToolTip(what.about)
            self.kinds.addItem(item)
        self.about = plain_label()
        self.format = QComboBox()
        self.format.setAccessibleName("Format")
        self.metric_choice = QComboBox()
        self.metric_choice.setAccessibleName("Metric")
        for metric_id, name, department in workspace.metrics.names():
            self.metric_choice.addItem(picker_label(name, department), metric_id)
        make_searchable(self.metric_choice)
        self.meeting_choice = QComboBox()
        self.meeting_choice.setAccessibleName("Meeting")
        self.book_meetings = QListWidget()
        self.book_meetings.setAccessibleName("Meetings in the briefing book")
        self.department_of: dict[int, int] = {}
        for row in workspace.meetings.rows():
            shown = f"{row.title}, {row.starts_at:%Y-%m-%d}"
            self.meeting_choice.addItem(shown, row.id)
            self.department_of[row.id] = row.department_id
            item = QListWidgetItem(shown)
            item.setData(256, row.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.book_meetings.addItem(item)
        make_searchable(self.meeting_choice)
        self.series = QCheckBox("Every meeting of its department, as one calendar")
        self.non_public = QCheckBox("List non-public datasets too")
        self.leave_out = QCheckBox("Leave out datasets that break the data.json rules")
        self.folder = QLineEdit(folders.start("export"))
        self.folder.setAccessibleName("Folder")
        browse = QPushButton("&Choose…")
        browse.clicked.connect(self.choose_folder)
        self.name = QLineEdit()
        self.name.setAccessibleName("File name")
        self.outcome = plain_label(selectable=True)
        self.outcome.setAccessibleName("Export result")

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("&Format", self.format)
        form.addRow("&Metric", self.metric_choice)
        form.addRow("M&eeting", self.meeting_choice)
        form.addRow("", self.series)
        form.addRow("Meetin&gs", self.book_meetings)
        form.addRow("", self.non_public)
        form.addRow("", self.leave_out)
        folder_label = QLabel("F&older")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)
        form.addRow("File &name", self.name)
        self.form = form
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.ApplyRole)
        self.export_button.clicked.connect(self.export)
        # A mail (.eml) or a calendar file opens in the program the computer uses for it:
        # Outlook shows the mail as a draft to send, a calendar offers to add the event.
        self.send = buttons.addButton(
            "Open in the &mail or calendar program", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.send.clicked.connect(self.open_written)
        self.send.hide()
        self.written: Path | None = None
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        body = QHBoxLayout()
        body.addWidget(self.kinds)
        right = QVBoxLayout()
        right.addWidget(self.about)
        right.addLayout(form)
        right.addStretch(1)
        body.addLayout(right, 1)
        layout.addLayout(body)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)

        self.kinds.currentRowChanged.connect(lambda _row: self.choose_kind())
        self.format.currentIndexChanged.connect(lambda _i: self.suggest_name())
        self.metric_choice.currentIndexChanged.connect(lambda _i: self.suggest_name())
        self.meeting_choice.currentIndexChanged.connect(lambda _i: self.suggest_name())
        self.kinds.setCurrentRow(0)
        self.resize(760, 420)

    @property
    def kind(self) -> str:
        item = self.kinds.currentItem()
        return str(item.data(256)) if item else "chart"

    def choose_kind(self) -> None:
        kind = self.kind
        what = EXPORT_KINDS[kind]
        self.about.setText(what.about[0].upper() + what.about[1:] + ".")
        self.format.blockSignals(True)
        self.format.clear()
        for suffix in what.formats:
            self.format.addItem(suffix.lstrip(".").upper(), suffix)
        self.format.blockSignals(False)
        shown = {
            self.metric_choice: what.needs == "metric",
            self.meeting_choice: what.needs in ("meeting", "meeting or department"),
            self.series: what.needs == "meeting or department",
            self.book_meetings: what.needs == "meetings",
            self.non_public: kind == "inventory",
            self.leave_out: kind == "inventory",
        }
        for widget, visible in shown.items():
            self.form.setRowVisible(widget, visible)
        self.suggest_name()

    def suggest_name(self) -> None:
        kind, suffix = self.kind, self.format.currentData() or ""
        city = self.workspace.city().name
        if kind == "chart":
            stem = self.metric_choice.currentText() or "Chart"
        elif kind in ("memo", "followup", "calendar"):
            word = {"memo": "memo", "followup": "follow-up", "calendar": "calendar"}[kind]
            stem = f"{self.meeting_choice.currentText()} {word}"
        elif kind == "inventory" and suffix == ".json":
            stem = "data"
        else:
            stem = f"{city} {EXPORT_KINDS[kind].title.lower()} {date.today():%Y-%m-%d}"
        self.name.setText(safe_file_name(stem, suffix))

    def open_written(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        if self.written is not None and not QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(self.written))
        ):
            self.outcome.setText(
                f"No program on this computer opens {self.written.suffix} files: open "
                f"{self.written} from your mail or calendar program."
            )

    def checked_meetings(self) -> list[int]:
        return [
            int(self.book_meetings.item(i).data(256))
            for i in range(self.book_meetings.count())
            if self.book_meetings.item(i).checkState() is Qt.CheckState.Checked
        ]

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export to folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def target(self) -> Path:
        suffix = self.format.currentData() or ""
        return Path(self.folder.text()) / safe_file_name(self.name.text(), suffix)

    def export(self) -> None:
        target = self.target()
        folders.remember("export", self.folder.text(), folder=True)
        self.export_button.setEnabled(False)
        self.send.hide()
        self.outcome.setText(f"Writing {target.name}…")

        def done(report: Any) -> None:
            self.export_button.setEnabled(True)
            lines = [f"Wrote {target}."]
            if isinstance(report, Written):  # a calendar or a mail: to whom, who has no email
                lines = [report.describe()]
                self.send.setVisible(target.suffix.lower() in (".eml", ".ics"))
                self.written = target
            elif report is not None:  # the data.json catalog's report
                lines.append(f"{counted(report.written, 'dataset')} in the catalog.")
                lines += [f"Left out {t}: {'; '.join(p)}" for t, p in report.left_out.items()]
            self.outcome.setText("\n".join(lines))

        def failed(error: BaseException) -> None:
            self.export_button.setEnabled(True)
            self.outcome.setText(f"Nothing was written to {target.name}.")
            show_error(self, error, "Export")

        ws, kind = self.workspace, self.kind
        meeting = self.meeting_choice.currentData()
        series = kind == "calendar" and self.series.isChecked() and meeting is not None
        options = {
            "metric_id": self.metric_choice.currentData(),
            "meeting_id": None if series else meeting,
            "department_id": self.department_of.get(meeting) if series else None,
            "meeting_ids": self.checked_meetings(),
            "include_non_public": self.non_public.isChecked(),
            "leave_out_invalid": self.leave_out.isChecked(),
        }
        run_in_background(lambda: ws.exports.write(kind, target, **options), done, failed)
