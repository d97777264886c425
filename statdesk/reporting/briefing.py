"""The briefing book as a document: a cover, linked contents, each meeting's Stat memo under a
heading of its own (a bookmark per meeting in the PDF), and the scorecard (`book.typ`, and
`word.book_docx` for Word)."""

from __future__ import annotations

from datetime import date

from statdesk.reporting.documents import Document, _start, day, heading


def book(
    title: str,
    subtitle: str,
    memos: list[tuple[str, str, Document]],
    scorecard_document: Document | None,
    city: str,
    program: str,
    logo: tuple[bytes, str] | None,
    dated: date,
) -> Document:
    """A briefing book: a cover, the contents (linked), each meeting's Stat memo under a
    heading of its own (a bookmark per meeting), and the scorecard. `memos`: each memo with
    the heading it goes under in the book and the meeting's title, which heads its sections
    too: in a book of several sessions, "New items" alone would not say whose."""
    document = _start("book.typ", title, city, program, logo)
    meetings = []
    for number, (book_heading, meeting_title, memo_document) in enumerate(memos, start=1):
        data = dict(memo_document.data)
        renamed: dict[str, str] = {}  # two meetings may chart the same metric, as of two days
        for name, content in memo_document.files.items():
            if name.startswith("chart-"):
                stem, _, extension = name.rpartition(".")
                renamed[stem] = f"m{number}-{stem}"
                document.files[f"m{number}-{stem}.{extension}"] = content
        data["sections"] = [
            {
                **section,
                "title": f"{heading(meeting_title)}: {section['title']}",
                "items": [
                    {**item, "chart": renamed.get(item["chart"], item["chart"])}
                    if item["chart"]
                    else item
                    for item in section["items"]
                ],
            }
            for section in data["sections"]
        ]
        meetings.append({**data, "book_heading": heading(book_heading)})
    document.data.update(
        {
            "heading": heading(title),
            "subtitle": subtitle,
            "dated": day(dated),
            "meetings": meetings,
            "scorecard": None
            if scorecard_document is None
            else {**scorecard_document.data, "heading": "Scorecard"},
        }
    )
    return document
