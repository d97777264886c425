"""Present mode: a Stat meeting run from the projector. One screen per agenda item (its
title, its chart large, the status line, the questions), in large high-contrast type, with a
timer against the item's minutes and a bar to record follow-up items as they are agreed.

Only the agenda is shown: no list of other metrics, no navigation, no file; the cover lists the
agenda itself. Keys: → / Page Down / Space next, ← / Page Up previous, Home and End, F11 full
screen on and off, N (or Ctrl+N) to type a follow-up item (Enter adds it, Esc returns),
Esc to leave."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent, QPixmap, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from statdesk.storage.views.meetings import SECTION_TITLES, AgendaEntry, MeetingDetail
from statdesk.ui.forms import plain_label
from statdesk.workspace import Workspace

if TYPE_CHECKING:
    from statdesk.ui.pages.base import Page

INK, PAPER, MUTED, OVER = "#000000", "#ffffff", "#333333", "#b00020"
AddItem = Callable[[str, AgendaEntry | None], bool]


@dataclass(frozen=True)
class Screen:
    item: AgendaEntry | None  # None: the cover
    chart: bytes | None = None  # the item's metric's chart, PNG
    chart_alt: str = ""


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


class PresentWindow(QWidget):
    def __init__(
        self,
        detail: MeetingDetail,
        charts: dict[int, tuple[bytes, str]],
        add_item: AddItem | None,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.setWindowTitle(f"{detail.row.title}: present")
        self.setAccessibleName(f"Presenting {detail.row.title}")
        self.detail = detail
        self.add_item = add_item
        self.now = now
        self.screens = [Screen(None)] + [
            Screen(item, *charts.get(item.metric_id, (None, "")))
            if item.metric_id
            else Screen(item)
            for item in detail.items
        ]
        self.index = 0
        self.spent = [0.0] * len(self.screens)  # seconds each screen has been shown
        self._since = now()
        self.setStyleSheet(
            f"QWidget {{ background: {PAPER}; color: {INK}; }}"
            f"QLineEdit {{ border: 2px solid {INK}; padding: 6px; }}"
        )
        self.where = plain_label(wrap=False)
        self.title = plain_label()
        self.status = plain_label()
        self.chart = QLabel()
        self.chart.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart.setMinimumSize(200, 120)
        self.body = plain_label()
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.timer_label = plain_label(wrap=False)
        self.timer_label.setAccessibleName("Time on this item")
        self.follow_up = QLineEdit()
        self.follow_up.setAccessibleName("New follow-up item")
        self.follow_up.setPlaceholderText(
            "N: type a follow-up item agreed in the room; Enter adds it"
        )
        self.follow_up.returnPressed.connect(self._add)
        self.follow_up.setEnabled(add_item is not None)
        self.follow_up.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # keys turn pages until N
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.added = plain_label(wrap=False)
        self.added.setAccessibleName("Follow-up items added")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 28, 48, 20)
        top = QHBoxLayout()
        top.addWidget(self.where, 1)
        top.addWidget(self.timer_label)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        middle = QHBoxLayout()
        middle.addWidget(self.chart, 3)
        middle.addWidget(self.body, 2)
        layout.addLayout(middle, 1)
        bar = QHBoxLayout()
        bar.addWidget(self.follow_up, 1)
        bar.addWidget(self.added)
        layout.addLayout(bar)
        self.tick = QTimer(self)
        self.tick.timeout.connect(self._show_time)
        self.tick.start(1000)
        self._scale()
        self.show_screen(0)

    # ------------------------------------------------------------------ navigation
    def show_screen(self, index: int) -> None:
        index = max(0, min(index, len(self.screens) - 1))
        moment = self.now()
        self.spent[self.index] += moment - self._since
        self._since = moment
        self.index = index
        screen = self.screens[index]
        total = len(self.screens) - 1
        if screen.item is None:
            self._cover()
        else:
            item = screen.item
            section = SECTION_TITLES[item.section]
            self.where.setText(f"{self.detail.row.title} · {section} · item {index} of {total}")
            self.title.setText(item.title)
            self.status.setText(item.status_line)
            self.status.setVisible(bool(item.status_line))
            lines = [f"• {q}" for q in item.questions]
            self.body.setText(
                ("Questions for the panel\n" + "\n".join(lines)) if lines else item.narrative
            )
            self._show_chart(screen)
        self._show_time()

    def _cover(self) -> None:
        row = self.detail.row
        self.where.setText(f"{self.detail.city} · {self.detail.program}".strip(" ·"))
        self.title.setText(row.title)
        self.status.setText(
            f"{row.starts_at:%A %d %B %Y, %H:%M}" + (f", {row.location}" if row.location else "")
        )
        self.status.setVisible(True)
        agenda = [
            f"{number}. {item.title}" + (f" ({item.minutes} min)" if item.minutes else "")
            for number, item in enumerate(self.detail.items, start=1)
        ]
        self.body.setText("Agenda\n" + "\n".join(agenda) if agenda else "The agenda is empty.")
        self.chart.clear()
        self.chart.setAccessibleDescription("")
        self.chart.hide()

    def _show_chart(self, screen: Screen) -> None:
        if screen.chart is None:
            self.chart.clear()
            self.chart.hide()
            return
        pixmap = QPixmap()
        pixmap.loadFromData(screen.chart, "PNG")
        self.chart.setProperty("full", pixmap)
        self.chart.setAccessibleName("Chart")
        self.chart.setAccessibleDescription(screen.chart_alt)
        self.chart.setToolTip(screen.chart_alt)
        self.chart.show()
        self._fit_chart()

    def _fit_chart(self) -> None:
        full = self.chart.property("full")
        if isinstance(full, QPixmap) and not full.isNull() and self.chart.isVisible():
            self.chart.setPixmap(
                full.scaled(
                    self.chart.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def _show_time(self) -> None:
        screen = self.screens[self.index]
        spent = self.spent[self.index] + self.now() - self._since
        minutes = screen.item.minutes if screen.item is not None else None
        if screen.item is None:
            self.timer_label.setText("")
            return
        if not minutes:
            self.timer_label.setText(clock(spent))
            self.timer_label.setStyleSheet(f"color: {INK};")
            return
        allowed = minutes * 60
        if spent > allowed:
            self.timer_label.setText(
                f"{clock(spent)} of {clock(allowed)}: over by {clock(spent - allowed)}"
            )
            self.timer_label.setStyleSheet(f"color: {OVER}; font-weight: bold;")
        else:
            self.timer_label.setText(f"{clock(spent)} of {clock(allowed)}")
            self.timer_label.setStyleSheet(f"color: {INK};")

    def _add(self) -> None:
        text = self.follow_up.text().strip()
        if not text or self.add_item is None:
            return
        if self.add_item(text, self.screens[self.index].item):
            self.follow_up.clear()
            self.added.setText(f"Added: {text}")
            self.setFocus()

    def show_on(self, screen: QScreen) -> None:
        """Full screen on `screen` (the projector, when there is a second screen)."""
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.activateWindow()
        self.setFocus()

    # ------------------------------------------------------------------ keys and size
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if self.follow_up.hasFocus():
            if key == Qt.Key.Key_Escape:
                self.setFocus()
                return
            super().keyPressEvent(event)
            return
        steps = {
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_PageDown: 1,
            Qt.Key.Key_Space: 1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_PageUp: -1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Backspace: -1,
        }
        if key in steps:
            self.show_screen(self.index + steps[key])
        elif key == Qt.Key.Key_Home:
            self.show_screen(0)
        elif key == Qt.Key.Key_End:
            self.show_screen(len(self.screens) - 1)
        elif key == Qt.Key.Key_F11:
            self.showNormal() if self.isFullScreen() else self.showFullScreen()
        elif key == Qt.Key.Key_N and (ctrl or not event.modifiers()):
            if self.follow_up.isEnabled():
                self.follow_up.setFocus()
        elif key == Qt.Key.Key_Escape:
            self.close()
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale()
        self._fit_chart()

    def _scale(self) -> None:
        """Type sized for the back of the room: the title a twentieth of the screen's height."""
        height = max(600, self.height())
        for label, share, bold in (
            (self.where, 0.026, False),
            (self.timer_label, 0.034, True),
            (self.title, 0.052, True),
            (self.status, 0.034, False),
            (self.body, 0.030, False),
            (self.added, 0.024, False),
            (self.follow_up, 0.026, False),
        ):
            font = label.font()
            font.setPixelSize(int(height * share))
            font.setBold(bold)
            label.setFont(font)


def meeting_charts(workspace: Workspace, detail: MeetingDetail) -> dict[int, tuple[bytes, str]]:
    """Each agenda metric's chart as the memo has it (figures as of the meeting's reporting
    period), drawn for a wide screen: PNG bytes and the alternative text."""
    from statdesk.reporting import charts

    made = {}
    for metric_id in dict.fromkeys(i.metric_id for i in detail.items if i.metric_id):
        metric = workspace.metrics.detail(metric_id, as_of=detail.as_of)
        series, alt = charts.described(metric)
        if series.empty:
            continue
        # Drawn small and shown large: its words grow with it, readable from the back.
        figure = charts.figure(series, width=7.0, height=3.9, titled=False)
        made[metric_id] = (charts.to_bytes(figure, "png"), alt)
    return made


def projector(window: QWidget) -> QScreen:
    """The screen to present on: another screen than the window's, when there is one."""
    own = window.screen()
    others = [s for s in QGuiApplication.screens() if s is not own]
    return others[-1] if others else own


def present_meeting(page: Page, meeting_id: int) -> None:
    """Open a meeting full screen once its charts are drawn (off the GUI thread), kept as the
    page's `presenting`; follow-up items typed in the room are saved as the page saves any
    edit (undoable)."""
    from datetime import date

    from statdesk.domain.vocabulary import ActionStatus
    from statdesk.ui.errors import show_error
    from statdesk.ui.tasks import run_in_background

    ws = page.workspace
    detail = ws.meetings.detail(meeting_id)

    def add(text: str, item: AgendaEntry | None) -> bool:
        fields = {
            "description": text,
            "origin_meeting_id": meeting_id,
            "origin_agenda_item_id": item.id if item is not None else None,
            "department_id": detail.row.department_id,
            "created_on": date.today(),
            "status": ActionStatus.INCOMPLETE,
        }
        return (
            page.run("Add follow-up item", lambda: ws.create("action item", **fields)) is not None
        )

    def shown(charts: dict[int, tuple[bytes, str]]) -> None:
        window = PresentWindow(detail, charts, add if page.editable else None)
        page.presenting = window  # type: ignore[attr-defined]
        window.show_on(projector(page))

    run_in_background(
        lambda: meeting_charts(ws, detail), shown, lambda e: show_error(page, e, "Present")
    )
