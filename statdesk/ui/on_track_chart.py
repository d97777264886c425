"""Home's small chart: the share of KPIs on track at the end of each of the last twelve
months, as bars with the share written on each (so nothing depends on colour), and the same
in words for screen readers."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from statdesk.storage.views.home import OnTrackMonth

BAR = QColor("#0072B2")
INK = QColor("#222222")
RULE = QColor("#bbbbbb")


def described(months: Sequence[OnTrackMonth]) -> str:
    judged = [m for m in months if m.share is not None]
    if not judged:
        return "No KPI had both a value and a target in the last twelve months."
    parts = [f"{m.label} {m.on_track} of {m.judged}" for m in judged]
    return "Share of KPIs on track at each month's end: " + "; ".join(parts) + "."


class OnTrackChart(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.months: tuple[OnTrackMonth, ...] = ()
        self.setAccessibleName("KPIs on track, last 12 months")
        self.setMinimumHeight(120)

    def show_months(self, months: Sequence[OnTrackMonth]) -> None:
        self.months = tuple(months)
        said = described(self.months)
        self.setAccessibleDescription(said)
        self.setToolTip(said)
        self.setVisible(any(m.share is not None for m in self.months))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(640, 120)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.months:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        painter.setPen(INK)
        painter.drawText(
            QRectF(self.rect()).adjusted(4, 0, -4, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            "KPIs on track at each month's end:",
        )
        area = QRectF(self.rect()).adjusted(4, 2 * line + 6, -4, -(line + 6))
        slot = area.width() / len(self.months)
        painter.setPen(QPen(RULE, 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        for number, month in enumerate(self.months):
            left = area.left() + number * slot
            painter.setPen(INK)
            same_year = number and month.label[-4:] == self.months[number - 1].label[-4:]
            painter.drawText(
                QRectF(left, area.bottom() + 3, slot, line),
                Qt.AlignmentFlag.AlignHCenter,
                month.label.split(" ")[0] if same_year else month.label,
            )
            if month.share is None:
                continue
            height = area.height() * month.share
            bar = QRectF(left + slot * 0.18, area.bottom() - height, slot * 0.64, height)
            painter.fillRect(bar, BAR)
            painter.drawText(
                QRectF(left, bar.top() - line - 1, slot, line),
                Qt.AlignmentFlag.AlignHCenter,
                f"{month.share:.0%}",
            )
        painter.end()
