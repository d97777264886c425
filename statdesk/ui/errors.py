"""The one place the app shows errors: user errors with their hint, bugs with "Copy details"."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from statdesk import logs
from statdesk.domain.errors import StatDeskError

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, error: BaseException, title: str = "StatDesk") -> None:
    """Show `error`: a StatDeskError as its message and hint, anything else as a bug report."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # user text is never markup
    if isinstance(error, StatDeskError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(error.message)
        box.setInformativeText(error.hint)
    else:
        details = "".join(traceback.format_exception(error))
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText(
            "Something went wrong inside StatDesk. This is a bug, not your doing; "
            "your data was not changed by it."
        )
        box.setInformativeText(f"The details are written to {logs.log_file()}.")
        box.setDetailedText(details)
        copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()
        copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()


def install_excepthook() -> None:
    """Log every uncaught exception and show it, instead of a silent crash."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        if not isinstance(error, StatDeskError):
            log.error("uncaught exception", exc_info=(kind, error, tb))
        if QApplication.instance() is not None:
            show_error(QApplication.activeWindow(), error)

    sys.excepthook = hook
