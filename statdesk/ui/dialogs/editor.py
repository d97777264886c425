"""What every record editor shares: Save and Cancel, saving only when valid, read-only mode."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QBoxLayout,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)

from statdesk.ui.forms import judge_all, plain_label
from statdesk.ui.pickers import FINDS


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

    def read_only(self, reason: str = "") -> None:
        """Show the record without letting anything in it change (the file is read-only):
        text can be read and copied, lists scrolled and tabs switched, but no field takes
        typing, no box a tick and no button acts; the reason is said at the top."""
        self.setWindowTitle(self.windowTitle().replace("Edit ", "", 1) + " (read-only)")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        self._read_only = True
        for widget in self.findChildren(QWidget):
            _freeze(widget, self.buttons)
        reason = reason.strip() or "The file is open read-only"
        if not reason.endswith((".", "!", "?")):
            reason += "."
        notice = plain_label(f"Read-only: nothing here can be changed. {reason}")
        notice.setObjectName("readOnlyNotice")
        notice.setAccessibleName("Read-only")
        notice.setStyleSheet(
            "#readOnlyNotice { background: #fff4ce; border: 1px solid #c9a227; padding: 6px; }"
        )
        layout = self.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, notice)

    def accept(self) -> None:
        if not self._read_only and judge_all(self, self.check):
            super().accept()


def _freeze(widget: QWidget, keep: QWidget) -> None:
    """Make one widget of a read-only editor show its value without taking a change."""
    if (
        keep.isAncestorOf(widget)
        or isinstance(widget.parentWidget(), QTabBar)
        or widget.property(FINDS)
    ):
        return  # Close, the tab bar's own scroll arrows, and fields that only find
    if isinstance(widget, QLineEdit | QPlainTextEdit | QAbstractSpinBox):
        widget.setReadOnly(True)
    elif isinstance(widget, QComboBox | QAbstractButton):
        widget.setEnabled(False)
    elif isinstance(widget, QListWidget):
        widget.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        for row in range(widget.count()):
            item = widget.item(row)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
