"""Present mode: one agenda item per screen, keyboard navigation, the timer against the
item's minutes, follow-up items typed in the room, nothing off the agenda."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from statdesk.storage import models as m
from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.meetings import MeetingsPage
from statdesk.ui.present import PresentWindow, meeting_charts
from statdesk.workspace import Workspace


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def meeting(demo: Workspace) -> m.Meeting:
    return max(demo.query(m.Meeting, title="Public Works Stat"), key=lambda x: x.starts_at)


def test_one_item_per_screen_by_the_keyboard_and_nothing_else(
    qtbot: QtBot, demo: Workspace, meeting: m.Meeting
) -> None:
    detail = demo.meetings.detail(meeting.id)
    charts = meeting_charts(demo, detail)
    charted = {i.metric_id for i in detail.items if i.metric_id}
    assert set(charts) == charted and charted  # every agenda metric, and only those
    window = PresentWindow(detail, charts, None, Clock())
    qtbot.addWidget(window)
    stored = demo.query(m.AgendaItem, meeting_id=meeting.id)
    assert len(window.screens) == len(stored) + 1  # the cover, then each agenda item
    assert window.title.text() == detail.row.title
    assert all(f"{item.title}" in window.body.text() for item in stored)
    seen = []
    for _ in stored:
        qtbot.keyClick(window, Qt.Key.Key_Right)
        seen.append(window.title.text())
    assert seen == [item.title for item in sorted(stored, key=lambda i: i.position)]
    qtbot.keyClick(window, Qt.Key.Key_Right)  # past the end: stays on the last
    assert window.index == len(stored)
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.index == 0
    qtbot.keyClick(window, Qt.Key.Key_End)
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert window.index == len(stored) - 1
    assert not window.follow_up.isEnabled()  # read-only: nothing can be added


def test_the_timer_counts_the_time_on_each_item(
    qtbot: QtBot, demo: Workspace, meeting: m.Meeting
) -> None:
    detail = demo.meetings.detail(meeting.id)
    clock = Clock()
    window = PresentWindow(detail, {}, None, clock)
    qtbot.addWidget(window)
    timed = next(n for n, s in enumerate(window.screens) if s.item and s.item.minutes)
    minutes = window.screens[timed].item.minutes  # type: ignore[union-attr]
    window.show_screen(timed)
    clock.now += 90
    window._show_time()
    assert window.timer_label.text() == f"1:30 of {minutes}:00"
    window.show_screen(0)
    clock.now += 600  # time on another screen does not count
    window.show_screen(timed)
    clock.now += minutes * 60
    window._show_time()
    assert window.timer_label.text().endswith("over by 1:30")


def test_follow_up_items_typed_in_the_room_are_saved_with_their_item(
    qtbot: QtBot, window: MainWindow, demo: Workspace, meeting: m.Meeting
) -> None:
    page = window.go_to("Meetings")
    assert isinstance(page, MeetingsPage)
    added: list[tuple[str, int | None]] = []

    def add(text: str, item: object) -> bool:
        fields = {
            "description": text,
            "origin_meeting_id": meeting.id,
            "origin_agenda_item_id": getattr(item, "id", None),
            "department_id": meeting.department_id,
        }
        added.append((text, fields["origin_agenda_item_id"]))
        return (
            page.run("Add follow-up item", lambda: demo.create("action item", **fields)) is not None
        )

    presenting = PresentWindow(demo.meetings.detail(meeting.id), {}, add, Clock())
    qtbot.addWidget(presenting)
    presenting.show_screen(2)
    qtbot.keyClick(presenting, Qt.Key.Key_N)
    assert presenting.follow_up.hasFocus() or presenting.follow_up.isEnabled()
    presenting.follow_up.setText("Bring the crew schedule by Friday")
    presenting.follow_up.returnPressed.emit()
    [saved] = demo.query(m.ActionItem, description="Bring the crew schedule by Friday")
    assert saved.origin_meeting_id == meeting.id
    assert saved.origin_agenda_item_id == presenting.screens[2].item.id  # type: ignore[union-attr]
    assert presenting.follow_up.text() == "" and "Added:" in presenting.added.text()


def test_the_meetings_page_presents_the_selected_meeting(
    qtbot: QtBot, window: MainWindow, meeting: m.Meeting
) -> None:
    from statdesk.ui.pages.base import select_id

    page = window.go_to("Meetings")
    assert isinstance(page, MeetingsPage)
    select_id(page.view, page.meetings, meeting.id)  # type: ignore[arg-type]
    page.present()
    qtbot.waitUntil(lambda: getattr(page, "presenting", None) is not None, timeout=20_000)
    presenting = page.presenting  # type: ignore[attr-defined]
    qtbot.addWidget(presenting)
    assert presenting.isFullScreen() and presenting.detail.row.id == meeting.id
    assert presenting.follow_up.isEnabled()
    qtbot.keyClick(presenting, Qt.Key.Key_Escape)
    assert not presenting.isVisible()
