"""Every window fits the screen it opens on.

City laptops have 1366×768 screens, and Windows often scales 1920×1080 by 150% (1280×720 for
Qt). A dialog sized for a bigger screen, or grown by its content, had its Save button below the
screen's edge. Every top-level window (the main window, dialogs, wizards, message boxes) is
shrunk to the screen's free area when it is shown and moved fully onto it; long content then
scrolls inside it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

MARGIN = 8  # pixels kept free around a window that would otherwise fill the screen exactly
WINDOWS = (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)


def available(widget: QWidget) -> QRect:
    """The screen area a window may take: its screen without the taskbar."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit(widget: QWidget) -> None:
    """Shrink `widget` (a window) to fit its screen's free area, and move it onto it. A
    window's frame (title bar, borders) is counted where the platform reports it."""
    area = available(widget)
    frame = widget.frameGeometry()
    inner = widget.geometry()
    extra_w = max(frame.width() - inner.width(), 0)
    extra_h = max(frame.height() - inner.height(), 0)
    room_w = area.width() - extra_w - 2 * MARGIN
    room_h = area.height() - extra_h - 2 * MARGIN
    if widget.minimumWidth() > room_w or widget.minimumHeight() > room_h:
        widget.setMinimumSize(
            min(widget.minimumWidth(), room_w), min(widget.minimumHeight(), room_h)
        )
    width, height = min(widget.width(), room_w), min(widget.height(), room_h)
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        widget.move(x, y)


class FitToScreen(QObject):
    """Fits each window as it is shown (installed once on the application)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.windowType() in WINDOWS  # popups and tool tips place themselves
        ):
            fit(watched)
        return False


_installed: list[FitToScreen] = []


def install(app: QApplication) -> None:
    """Fit every window of `app` to its screen from now on."""
    if not _installed:
        _installed.append(FitToScreen(app))
        app.installEventFilter(_installed[0])
