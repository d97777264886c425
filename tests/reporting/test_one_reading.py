"""A document reads everything it says in one transaction: one state of the file, even when a
colleague saves meanwhile (a memo read its meeting, then each agenda metric, in a connection
each: N+2 readings over the share, and a save between two of them mixed two states)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from statdesk.workspace import Workspace

pytestmark = pytest.mark.both_stores


@pytest.fixture
def readings(demo: Workspace, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    counted: list[str] = []
    real = demo._reading

    @contextlib.contextmanager
    def counting() -> Iterator[object]:
        counted.append("read")
        with real() as session:
            yield session

    monkeypatch.setattr(demo, "_reading", counting)
    return counted


def test_a_memo_with_charted_items_is_read_once(demo: Workspace, readings: list[str]) -> None:
    meeting = max(demo.meetings.rows(), key=lambda r: r.items)
    charted = {i.metric_id for i in demo.meetings.detail(meeting.id).items if i.metric_id}
    assert len(charted) >= 2
    readings.clear()
    demo.exports.meeting_document("memo", meeting.id, for_word=True)
    assert readings == ["read"]


@pytest.mark.parametrize("kind", ["followup", "scorecard", "chart", "site"])
def test_each_document_is_read_once(
    demo: Workspace, readings: list[str], tmp_path: Path, kind: str
) -> None:
    meeting = max(demo.meetings.rows(), key=lambda r: r.items)
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    readings.clear()
    if kind == "followup":
        demo.exports.meeting_document("followup", meeting.id)
    elif kind == "scorecard":
        demo.exports.scorecard(tmp_path / "scorecard.pdf")
    elif kind == "chart":
        demo.exports.chart(metric.id, tmp_path / "chart.svg")
    else:
        demo.exports.site(tmp_path / "page.html")
    assert readings == ["read"]
