"""What every record editor shares: Save and Cancel, saving only when valid, read-only mode."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget


class RecordEditor(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._read_only = False

    def check(self) -> bool:
        """Show the record's problems beside its fields; True when it may be saved."""
        raise NotImplementedError

    def read_only(self) -> None:
        """Show the record without letting it be saved (the file is read-only)."""
        self.setWindowTitle(self.windowTitle().replace("Edit ", "", 1) + " (read-only)")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        self._read_only = True

    def accept(self) -> None:
        if not self._read_only and self.check():
            super().accept()
