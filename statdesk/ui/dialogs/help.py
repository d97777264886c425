"""The user guide, shown from the Help menu (F1)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from statdesk import paths


def show_user_guide(parent: QWidget | None) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle("StatDesk user guide")
    browser = QTextBrowser()
    browser.setAccessibleName("User guide")
    browser.setOpenExternalLinks(False)
    guide = paths.resources_dir() / "help" / "user-guide.md"
    browser.setMarkdown(guide.read_text(encoding="utf-8"))  # our own text, not the user's
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    layout.addWidget(buttons)
    dialog.resize(640, 700)
    dialog.show()
    return dialog
