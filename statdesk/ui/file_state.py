"""The banner over a read-only file: who holds it, "notify me when it frees", take over, and
removing code that someone else put in the file.

It polls the workspace (the file's revision and its lock file) every few seconds, so a reader
sees the writer's saves and learns when the file frees; the workspace does the file work.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from statdesk.domain.errors import StatDeskError
from statdesk.domain.locations import BadAddress, ServerAddress, parse_server, title_of
from statdesk.ui.confirm import confirm
from statdesk.ui.errors import show_error
from statdesk.workspace import Workspace

POLL_MS = 5000


class FileStateBanner(QFrame):
    """Shown above the pages while the file is read-only."""

    changed_on_disk = Signal()  # someone else saved: refresh what is shown
    became_writable = Signal()  # we took the lock: editing is possible now
    remove_code_requested = Signal()  # the window closes the file, removes the code, reopens
    open_requested = Signal(object)  # a moved city's server address: the window opens it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fileStateBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#fileStateBanner { background: #fff4ce; border: 1px solid #c9a227; }")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(self.message.textFormat().PlainText)
        self.message.setAccessibleName("File state")
        self.notify = QCheckBox("&Notify me when it is free")
        self.notify.setAccessibleName("Notify me when the file is free")
        self.take_over_button = QPushButton("&Take over…")
        self.take_over_button.setAccessibleName("Take over the file from its stopped holder")
        self.take_over_button.clicked.connect(self.take_over)
        self.remove_code_button = QPushButton("&Remove it…")
        self.remove_code_button.setAccessibleName("Remove the code StatDesk did not make")
        self.remove_code_button.clicked.connect(self.remove_code_requested)
        self.moved_to: ServerAddress | None = None
        self.open_there_button = QPushButton("&Open it there")
        self.open_there_button.setAccessibleName("Open the city where it was moved")
        self.open_there_button.clicked.connect(lambda: self.open_requested.emit(self.moved_to))
        layout = QHBoxLayout(self)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.notify)
        layout.addWidget(self.take_over_button)
        layout.addWidget(self.remove_code_button)
        layout.addWidget(self.open_there_button)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.workspace: Workspace | None = None

    def show_for(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.message.setText(workspace.read_only_reason)
        held = workspace.lock_holder is not None
        self.notify.setVisible(held)
        self.notify.setChecked(False)
        self.take_over_button.setVisible(held and workspace.lock_is_stale())
        self.remove_code_button.setVisible(bool(workspace.foreign_code))
        self.moved_to = _moved_to(workspace)
        self.open_there_button.setVisible(self.moved_to is not None)
        self.setVisible(workspace.read_only)
        # A file's saves are seen by looking at its revision now and then; a server's are heard
        # as they commit (the window's saved_elsewhere), so nothing polls it.
        if workspace.read_only and not workspace.damaged and workspace.path is not None:
            self.timer.start()
        else:
            self.timer.stop()

    def poll(self) -> None:
        workspace = self.workspace
        if workspace is None or not workspace.read_only:
            self.timer.stop()
            return
        try:
            if workspace.has_changed():
                self.changed_on_disk.emit()
            if workspace.lock_holder is not None:
                self.take_over_button.setVisible(workspace.lock_is_stale())
            if self.notify.isChecked() and workspace.lock_is_free():
                self.notify.setChecked(False)
                self.offer_editing()
        except Exception as error:  # the share went away for a moment: say so once, stop
            self.timer.stop()
            show_error(self, error, "Watching the file")

    def offer_editing(self) -> None:
        workspace = self.workspace
        assert workspace is not None
        answer = QMessageBox.question(
            self,
            "The file is free",
            f"{title_of(workspace.location)} is no longer in use. Open it for editing?",
        )
        if answer == QMessageBox.StandardButton.Yes and workspace.start_editing():
            self.show_for(workspace)
            self.became_writable.emit()

    def take_over(self) -> None:
        workspace = self.workspace
        holder = workspace.lock_holder if workspace else None
        if workspace is None or holder is None:
            return
        if not confirm(
            self,
            "Take over the file",
            f"{holder.describe()}, but their StatDesk seems to have stopped (no sign of life "
            f"for {int(holder.heartbeat_age().total_seconds() // 60)} minutes).\n\n"
            "If you take the file over, StatDesk backs it up first, and anything they had not "
            "saved is lost. Take it over?",
        ):
            return
        try:
            workspace.take_over()
        except Exception as error:
            show_error(self, error, "Take over the file")
            return
        self.show_for(workspace)
        self.became_writable.emit()


def _moved_to(workspace: Workspace) -> ServerAddress | None:
    """Where a read-only file's city was moved (statdesk move), if it was."""
    if not workspace.read_only or workspace.path is None or workspace.damaged:
        return None
    try:
        moved = workspace.info().moved_to
        return parse_server(moved) if moved else None
    except (BadAddress, StatDeskError):
        return None
