"""Pages still being built: they show their place and what the file already holds."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from statdesk.ui.pages.base import Host, Page


class ComingPage(Page):
    def __init__(self, host: Host, title: str, counted: str, what: str) -> None:
        super().__init__(host)
        self.title = title
        self.counted = counted
        self.what = what
        self.kinds = frozenset({counted.rstrip("s").replace("_", " ")})
        self.heading = QLabel(title)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setWordWrap(True)
        self.body.setAccessibleName(f"{title} page")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        layout.addStretch(1)

    def refresh(self) -> None:
        count = self.workspace.counts().get(self.counted, 0)
        self.body.setText(
            f"This file holds {count:,} {self.counted.replace('_', ' ')}. {self.what}"
        )

    def show_record(self, kind: str, record_id: int) -> bool:
        return kind in self.kinds
