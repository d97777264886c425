"""Typing into a form's field and leaving it, as a user does (the field's problem may then
show)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication

from statdesk.ui.forms import Field


def leave(field: Field) -> None:
    """The focus leaves `field` (Tab, or a click elsewhere)."""
    event = QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason)
    QApplication.sendEvent(field.focusProxy() or field, event)


def fill(field: Field, value: Any) -> None:
    """Put `value` in `field` and leave it."""
    field.set_value(value)
    leave(field)
