"""Asking before a step that replaces or removes something: Yes, or Cancel by default."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from statdesk.domain.errors import EditConflict


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """A warning that names what will happen; True only for an explicit Yes."""
    answer = QMessageBox.warning(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def keep_or_reload(parent: QWidget | None, conflict: EditConflict, title: str) -> bool:
    """Someone else saved the record being saved: True to keep this edit over theirs, False
    to reload (the default: nothing of theirs is replaced without a choice)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # user text is never markup
    box.setText(conflict.message)
    box.setInformativeText(
        "Reload to see their change (then make yours again if it is still needed), or keep "
        "yours: the fields you changed are saved over theirs. The History page keeps both."
    )
    keep = box.addButton("&Keep mine", QMessageBox.ButtonRole.AcceptRole)
    reload = box.addButton("&Reload", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reload)
    box.exec()
    return box.clickedButton() is keep
