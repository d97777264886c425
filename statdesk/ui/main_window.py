"""The main window: the open file, its city, and what it holds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from statdesk import APP_NAME, __version__, recent
from statdesk.ui.errors import show_error
from statdesk.ui.file_state import FileStateBanner
from statdesk.ui.opening import open_workspace
from statdesk.workspace import Changes, Workspace

FILE_FILTER = "StatDesk files (*.statdesk);;All files (*)"


def _plain_label(text: str, role: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # city names and paths are never markup
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        label.setObjectName(role)
    return label


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace: Workspace = workspace
        self.heading = _plain_label("", "heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.file_label = _plain_label("", "file")
        self.counts = QTableWidget(0, 2)
        self.counts.setHorizontalHeaderLabels(["Records", "Count"])
        self.counts.verticalHeader().setVisible(False)
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.counts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts.setAccessibleName("Record counts")
        self.banner = FileStateBanner()
        self.banner.changed_on_disk.connect(self.refresh_counts)
        self.banner.became_writable.connect(self.refresh_state)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(self.heading)
        layout.addWidget(self.file_label)
        layout.addWidget(self.counts)
        self.setCentralWidget(central)
        self.state_label = _plain_label("")
        self.statusBar().addPermanentWidget(self.state_label, 1)
        self._build_menus()
        self.resize(720, 600)
        self.show_workspace(workspace)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        for text, shortcut, slot in (
            ("&Open…", QKeySequence.StandardKey.Open, self.open_file),
            ("Open &demo city", None, self.open_demo),
            ("&Quit", QKeySequence.StandardKey.Quit, self.close),
        ):
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            file_menu.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About StatDesk", self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def show_workspace(self, workspace: Workspace) -> None:
        """Show a newly opened file (closing the one shown before)."""
        if workspace is not self.workspace:
            self.workspace.close()
            self.workspace = workspace
        workspace.subscribe(self._changed)
        recent.remember(workspace.path)
        self.refresh_state()

    def refresh_state(self) -> None:
        """Show the file's name, city, and whether it may be edited."""
        workspace = self.workspace
        city = workspace.city()
        self.setWindowTitle(f"{city.name} — {workspace.path.name} — {APP_NAME}")
        program = f" · {city.program_name}" if city.program_name else ""
        self.heading.setText(f"{city.name}{program}")
        self.file_label.setText(str(workspace.path))
        if workspace.read_only:
            self.state_label.setText(f"Read-only — {workspace.read_only_reason}")
        else:
            self.state_label.setText("Editing")
        self.banner.show_for(workspace)
        self.refresh_counts()

    def _changed(self, _changes: Changes) -> None:
        self.refresh_counts()

    def refresh_counts(self) -> None:
        counts = self.workspace.counts()
        self.counts.setRowCount(len(counts))
        for row, (name, count) in enumerate(counts.items()):
            self.counts.setItem(row, 0, QTableWidgetItem(name.replace("_", " ").capitalize()))
            number = QTableWidgetItem(f"{count:,}")
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.counts.setItem(row, 1, number)

    def open_path(self, path: Path) -> bool:
        workspace = open_workspace(self, path)
        if workspace is None:
            return False
        self.show_workspace(workspace)
        return True

    def open_file(self) -> None:
        start = str(self.workspace.path.parent)
        name, _ = QFileDialog.getOpenFileName(self, "Open a StatDesk file", start, FILE_FILTER)
        if name:
            self.open_path(Path(name))

    def open_demo(self) -> None:
        from statdesk.ui.app import open_demo_workspace

        try:
            self.show_workspace(open_demo_workspace())
        except Exception as error:
            show_error(self, error, "Open demo city")

    def about(self) -> None:
        import platform

        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        from statdesk import logs

        info = self.workspace.info()
        box = QMessageBox(self)
        box.setWindowTitle(f"About {APP_NAME}")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"{APP_NAME} {__version__}")
        box.setInformativeText(
            f"Qt {qVersion()} · PySide6 {pyside_version} · Python {platform.python_version()}\n"
            f"File: {info.path}\nSchema revision: {info.schema_revision}\n"
            f"Log folder: {logs.log_file().parent}"
        )
        box.exec()

    def closeEvent(self, event: object) -> None:
        self.workspace.close()
        super().closeEvent(event)  # type: ignore[arg-type]
