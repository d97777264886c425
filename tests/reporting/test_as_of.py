"""Documents are as of their reporting period: a memo re-printed months later, or exported
with an earlier date, shows what was known for its period, says so, and lists every follow-up
item open at the meeting. Expected figures are read from the file with SQL, not from the views
that make the documents."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

from statdesk.domain.vocabulary import Frequency
from statdesk.storage import models as m
from statdesk.workspace import Workspace
from tests.reporting.test_documents import ISOLATES, _text


def sql(path: Path, query: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute(query, args))
    finally:
        conn.close()


def value_in(path: Path, metric: str, month: date) -> float:
    [(value,)] = sql(
        path,
        "SELECT v.value FROM metric_value v JOIN metric m ON m.id = v.metric_id "
        "WHERE m.name = ? AND v.period_start = ? AND v.frequency = 'monthly'",
        metric,
        month.isoformat(),
    )
    assert isinstance(value, float)
    return value


def test_a_memo_printed_after_its_period_shows_what_was_known_then(
    demo: Workspace, tmp_path: Path
) -> None:
    [(meeting_id,)] = sql(
        demo.path,
        "SELECT a.meeting_id FROM agenda_item a JOIN metric m ON m.id = a.metric_id "
        "WHERE m.name = 'Potholes repaired within 48 hours' GROUP BY a.meeting_id "
        "ORDER BY a.meeting_id DESC LIMIT 1",
    )
    assert isinstance(meeting_id, int)
    demo.update(
        m.Meeting,
        meeting_id,
        reporting_period=date(2026, 8, 1),
        reporting_frequency=Frequency.MONTHLY,
    )
    later = demo.exports.memo(  # printed in December, from a file with Oct values
        "memo", meeting_id, tmp_path / "memo.pdf", date(2026, 12, 1)
    )
    text = _text(later)
    august = value_in(demo.path, "Potholes repaired within 48 hours", date(2026, 8, 1))
    assert f"{august:.1f}% in Aug 2026" in text
    assert "Figures: As of Aug 2026: later periods are left out." in text
    for month in (date(2026, 9, 1), date(2026, 10, 1)):
        later_value = value_in(demo.path, "Potholes repaired within 48 hours", month)
        assert f"{later_value:.1f}%" not in text
    assert "in Sep 2026" not in text and "in Oct 2026" not in text
    # the story behind the curve: the notes of the periods charted, none after August
    noted = sql(
        demo.path,
        "SELECT v.period_start, v.note FROM metric_value v JOIN metric m ON m.id = v.metric_id "
        "WHERE m.name = 'Potholes repaired within 48 hours' AND v.note IS NOT NULL",
    )
    assert noted  # the demo notes some periods
    assert "About these numbers" in text
    for start, note in noted:
        month = date.fromisoformat(str(start))
        shown = f"{month:%b %Y}: {note}" in text
        assert shown == (month <= date(2026, 8, 1)), (month, note)


def test_a_memo_dated_before_the_period_ends_leaves_the_period_out(
    demo: Workspace, tmp_path: Path
) -> None:
    """Exported on 15 September for the September session: September has not ended."""
    [(meeting_id,)] = sql(
        demo.path, "SELECT id FROM meeting WHERE reporting_period = '2026-09-01' LIMIT 1"
    )
    assert isinstance(meeting_id, int)
    text = _text(demo.exports.memo("memo", meeting_id, tmp_path / "m.pdf", date(2026, 9, 15)))
    assert "Figures: As of 15 September 2026" in text
    assert "in Sep 2026" not in text and "in Aug 2026" in text


def test_the_memo_lists_every_follow_up_item_open_at_the_meeting(
    demo: Workspace, tmp_path: Path
) -> None:
    for meeting_id, department_id, starts_at in sql(
        demo.path, "SELECT id, department_id, starts_at FROM meeting ORDER BY id"
    ):
        held = datetime.fromisoformat(str(starts_at)).date()
        dated = min(held, date(2026, 11, 22))
        open_then = {
            str(description)
            for description, created, completed, status in sql(
                demo.path,
                "SELECT description, created_on, completed_on, status FROM action_item "
                "WHERE department_id = ? AND (origin_meeting_id IS NULL OR origin_meeting_id != ?)",
                department_id,
                meeting_id,
            )
            if (created is None or date.fromisoformat(str(created)) <= dated)
            and (
                status in ("incomplete", "under_review", "on_hold")
                or (completed is not None and date.fromisoformat(str(completed)) > dated)
            )
        }
        memo = demo.exports.memo(
            "memo", int(meeting_id), tmp_path / f"memo-{meeting_id}.pdf", date(2026, 11, 22)
        )
        text = _text(memo)
        for description in open_then:
            assert f"Follow-up: {description}" in text, (meeting_id, description)
        if open_then:
            assert "No open follow-up items" not in text


def test_a_scorecard_dated_earlier_shows_that_day_s_latest_periods(
    demo: Workspace, tmp_path: Path
) -> None:
    card = demo.exports.scorecard(tmp_path / "card.pdf", date(2026, 9, 15))
    text = _text(card)
    assert "As of Tuesday, 15 September 2026" in text
    august = value_in(demo.path, "Potholes repaired within 48 hours", date(2026, 8, 1))
    assert f"{august:.1f}% (Aug 2026)" in text
    assert "(Sep 2026)" not in text and "(Oct 2026)" not in text


def test_the_word_memo_carries_the_same_notes(demo: Workspace, tmp_path: Path) -> None:
    import docx

    [(meeting_id,)] = sql(
        demo.path, "SELECT id FROM meeting WHERE reporting_period = '2026-09-01' LIMIT 1"
    )
    assert isinstance(meeting_id, int)
    word = demo.exports.memo("memo", meeting_id, tmp_path / "m.docx", date(2026, 10, 9))
    paragraphs = [p.text.translate(ISOLATES) for p in docx.Document(str(word)).paragraphs]
    [(note,)] = sql(
        demo.path,
        "SELECT v.note FROM metric_value v JOIN metric m ON m.id = v.metric_id "
        "WHERE m.name = 'Potholes repaired within 48 hours' AND v.period_start = '2026-09-01'",
    )
    assert "About these numbers" in paragraphs
    assert f"Sep 2026: {note}" in paragraphs
    assert "Figures: As of Sep 2026: later periods are left out." in paragraphs


def test_a_follow_up_memo_shows_each_item_as_it_stood_on_its_date(
    demo: Workspace, tmp_path: Path
) -> None:
    [(meeting_id, description, completed)] = sql(
        demo.path,
        "SELECT origin_meeting_id, description, completed_on FROM action_item "
        "WHERE completed_on IS NOT NULL AND origin_meeting_id IS NOT NULL "
        "ORDER BY completed_on DESC LIMIT 1",
    )
    done = date.fromisoformat(str(completed))
    before = date.fromordinal(done.toordinal() - 1)
    text = _text(demo.exports.memo("followup", int(str(meeting_id)), tmp_path / "f.pdf", before))
    row = text[text.index(str(description)[:30]) :][:200]
    assert "Completed" not in row and "Incomplete" in row, row
    text = _text(demo.exports.memo("followup", int(str(meeting_id)), tmp_path / "g.pdf", done))
    row = text[text.index(str(description)[:30]) :][:200]
    assert "Completed" in row, row
