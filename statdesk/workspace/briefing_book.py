"""The briefing book: one document for several Stat meetings (a month's sessions, or a
quarter's for council): a cover, linked contents, each meeting's Stat memo under a heading of
its own (a bookmark per meeting in the PDF), and the scorecard; as PDF/UA or .docx."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from statdesk.domain.errors import StatDeskError
from statdesk.domain.filenames import checked_suffix

if TYPE_CHECKING:
    from statdesk.workspace.core import Workspace


def write(
    ws: Workspace,
    meeting_ids: list[int],
    target: Path,
    today: date | None = None,
    *,
    with_scorecard: bool = True,
) -> Path:
    from statdesk.reporting import briefing, documents, word

    suffix = checked_suffix(target, (".pdf", ".docx"), "A briefing book")
    ids = list(dict.fromkeys(meeting_ids))
    if not ids:
        raise StatDeskError("No meeting was chosen for the briefing book.", "Choose one or more.")
    today = today or date.today()
    rows = {r.id: r for r in ws.meetings.rows()}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise StatDeskError(
            f"There is no meeting #{missing[0]} in this file.", "List them with statdesk meetings."
        )
    ordered = sorted(ids, key=lambda i: rows[i].starts_at)
    memos = [
        (
            f"{rows[i].title}, {documents.day(rows[i].starts_at)}",
            rows[i].title,
            ws.exports.meeting_document("memo", i, for_word=suffix == ".docx", today=today),
        )
        for i in ordered
    ]
    first, last = rows[ordered[0]].starts_at, rows[ordered[-1]].starts_at
    span = (
        documents.day(first)
        if first.date() == last.date()
        else f"{documents.day(first)} to {documents.day(last)}"
    )
    departments = list(dict.fromkeys(rows[i].department for i in ordered))
    city = ws.city()
    book = briefing.book(
        f"Briefing book, {first:%B %Y}"
        + (f" to {last:%B %Y}" if (first.year, first.month) != (last.year, last.month) else ""),
        f"{len(ordered)} Stat session{'s' if len(ordered) != 1 else ''}, {span}: "
        + ", ".join(departments),
        memos,
        ws.exports.scorecard_document(today) if with_scorecard else None,
        city.name,
        city.program_name or "",
        (city.logo, city.logo_media_type or "") if city.logo else None,
        today,
    )
    if suffix == ".docx":
        return word.write_docx(book, target)
    return documents.write_pdf(book, target)
