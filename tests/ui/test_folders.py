"""File dialogs start in the folder last used for the same kind of file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from statdesk.ui.main_window import MainWindow
from statdesk.ui.pages.base import select_id


def test_each_kind_of_file_starts_where_the_last_of_its_kind_went(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    starts: list[str] = []
    answers = iter(
        [
            str(tmp_path / "memos" / "first memo.pdf"),
            "",  # the second memo: cancelled, only its start is looked at
            "",  # a chart: cancelled
            "",  # the scorecard: cancelled
        ]
    )

    def save(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        starts.append(start)
        return next(answers), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    (tmp_path / "memos").mkdir()
    meetings = window.go_to("Meetings")
    rows = meetings.meetings  # type: ignore[attr-defined]
    select_id(meetings.view, rows, rows.row(rows.index(0, 0)).id)  # type: ignore[attr-defined]
    meetings.export("memo")  # type: ignore[attr-defined]
    note = meetings.quick_note  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: note.text().startswith("Wrote"), timeout=30_000)
    assert (tmp_path / "memos" / "first memo.pdf").stat().st_size > 0
    meetings.export("memo")  # type: ignore[attr-defined]
    window.go_to("Metrics").export_chart()  # type: ignore[attr-defined]
    window.export_scorecard()
    home = str(Path.home())
    assert Path(starts[0]).parent == Path(home)  # nothing remembered yet
    assert Path(starts[1]).parent == tmp_path / "memos"
    assert Path(starts[1]).name.endswith(".pdf") and "memo" in Path(starts[1]).name
    assert Path(starts[2]).parent == Path(home)  # charts have their own folder
    assert starts[3] == str(Path(home) / "Scorecard.pdf")
