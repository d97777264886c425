"""A sparkline in a table cell: the last twelve values as a small line, the latest as a dot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

LINE = QColor("#0072B2")


class SparklineDelegate(QStyledItemDelegate):
    def __init__(
        self, values_of: Callable[[QModelIndex | QPersistentModelIndex], Sequence[float | None]]
    ) -> None:
        super().__init__()
        self.values_of = values_of

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if option.state & QStyle.StateFlag.State_Selected:  # type: ignore[operator]
            painter.fillRect(option.rect, option.palette.highlight())  # type: ignore[attr-defined]
        values = [v for v in self.values_of(index) if v is not None]
        if len(values) < 2:
            return
        rect = QRectF(option.rect).adjusted(4, 4, -8, -4)  # type: ignore[attr-defined]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        step = rect.width() / (len(values) - 1)
        points = [
            QPointF(rect.left() + i * step, rect.bottom() - (v - low) / span * rect.height())
            for i, v in enumerate(values)
        ]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(LINE, 1.6))
        painter.drawPolyline(points)
        painter.setBrush(LINE)
        painter.drawEllipse(points[-1], 2.5, 2.5)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> Any:
        hint = super().sizeHint(option, index)
        hint.setWidth(max(hint.width(), 96))
        return hint
