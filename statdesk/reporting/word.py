"""The Stat memo and the follow-up memo as editable Word files (python-docx).

They are made from the same `Document` data as the PDFs, with Word's built-in styles (Title,
Heading 1–3, List Bullet, Table Grid), so the analyst can edit them and Word's navigation pane and
accessibility checker see a real outline. Charts carry their alternative text; table header rows
are marked as headers (repeated on each page). User text is added as text runs, never parsed.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from statdesk.reporting.documents import Document, map_text
from statdesk.reporting.tables import column_shares
from statdesk.reporting.xml_text import xml_text
from statdesk.storage.atomic import replacing


def _header_row(row: Any) -> None:
    """Mark a table row as its header: Word repeats it and screen readers announce it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _table(doc: Any, head: list[str], rows: list[list[str]], every: list[list[str]]) -> None:
    """A table with its header row marked, and columns as wide as the content needs of
    `every` row of the document's tables (so the tables' columns line up)."""
    from docx.shared import Twips

    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    _header_row(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    room = _text_width(doc)
    shares = column_shares(head, every, room / 914400)  # EMU an inch
    for column, share in zip(table.columns, shares, strict=True):
        width = Twips(int(room * share / Twips(1)))  # Word keeps widths in twips
        column.width = width  # Word reads the grid; LibreOffice and others read each cell
        for cell in column.cells:
            cell.width = width


def _field(paragraph: Any, code: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in as it lays the pages out."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def mark(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    shown = OxmlElement("w:t")
    shown.text = placeholder  # until Word counts
    run = paragraph.add_run()._r
    for element in (mark("begin"), instruction, mark("separate"), shown, mark("end")):
        run.append(element)


def _footer(doc: Any, text: str) -> None:
    """The city and the document's title, then "Page N of M", at the foot of every page."""
    from docx.shared import Pt

    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.text = ""
    run = paragraph.add_run(f"{text}    Page ")
    run.font.size = Pt(8.5)
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ").font.size = Pt(8.5)
    _field(paragraph, "NUMPAGES")


def _text_width(doc: Any) -> Any:
    """The width between the page's margins: what a picture may take."""
    section = doc.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def _property(text: str) -> str:
    """A document property (title, author): Word keeps at most 255 characters."""
    return text if len(text) <= 255 else text[:254] + "…"


def _start(document: Document) -> Any:
    """A memo's start: the masthead, its heading, and To / From / Date / Subject."""
    data = document.data
    doc = _new(document)
    doc.add_heading(data["heading"], level=1)
    _lines(doc, data["lines"])
    return doc


def _lines(doc: Any, lines: list[list[str]]) -> None:
    for key, value in lines:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{key}: ").bold = True
        paragraph.add_run(value)


def _new(document: Document) -> Any:
    """A Word document with the document's properties, font, footer and masthead."""
    import docx
    from docx.shared import Pt

    data = document.data
    doc = docx.Document()
    properties = doc.core_properties
    properties.title = _property(data["title"])
    properties.author = properties.last_modified_by = _property(data["author"])
    properties.language = "en-US"
    properties.created = properties.modified = datetime.now(UTC).replace(tzinfo=None)
    properties.revision = 1
    properties.comments = properties.subject = properties.keywords = ""
    properties.category = "Stat memo"
    # The body in the PDFs' font; Word falls back to its own sans serif where it is missing.
    normal = doc.styles["Normal"]
    normal.font.name = "Noto Sans"
    normal.font.size = Pt(10.5)
    _footer(doc, data["footer"])
    if data.get("logo"):
        picture = doc.add_picture(io.BytesIO(document.files[data["logo"]]), height=Pt(40))
        _describe(doc, data["city"] + " logo")
        del picture
    line = doc.add_paragraph()
    line.add_run(data["city"]).bold = True
    if data["program"]:
        line.add_run(" · " + data["program"])
    return doc


def _describe(doc: Any, alt: str) -> None:
    """Alternative text on the picture just added (Word's "Alt Text": docPr's descr)."""
    inline = doc.inline_shapes[-1]._inline
    inline.docPr.set("descr", alt)
    inline.docPr.set("title", alt[:80])


def memo_docx(document: Document) -> Any:
    doc = _start(document)
    _memo_body(doc, document.data, document.files)
    return doc


def _memo_body(doc: Any, data: dict[str, Any], files: dict[str, bytes]) -> None:
    """The session line and the memo's sections of items (headings 2 and 3)."""
    doc.add_paragraph(data["session"])
    for section in data["sections"]:
        doc.add_heading(section["title"], level=2)
        if not section["items"]:
            doc.add_paragraph(section["empty"])
        for item in section["items"]:
            doc.add_heading(item["title"], level=3)
            about = [item["minutes"], f"Data source: {item['source']}" if item["source"] else ""]
            if any(about):  # when and where from, on one line, as in the PDF
                doc.add_paragraph(" · ".join(part for part in about if part))
            if item["status"]:
                paragraph = doc.add_paragraph()
                paragraph.add_run("Status: ").bold = True
                paragraph.add_run(item["status"])
            for text in item["narrative"].splitlines():
                if text.strip():
                    doc.add_paragraph(text)
            if item["chart"]:
                doc.add_picture(io.BytesIO(files[item["chart"] + ".png"]), width=_text_width(doc))
                _describe(doc, item["alt"])
            if item["notes"]:
                paragraph = doc.add_paragraph()
                paragraph.add_run("About these numbers").bold = True
                for note in item["notes"]:
                    doc.add_paragraph(note, style="List Bullet")
            if item["questions"]:
                paragraph = doc.add_paragraph()
                paragraph.add_run("Questions for the panel").bold = True
                for question in item["questions"]:
                    doc.add_paragraph(question, style="List Bullet")


def _update_fields_on_open(doc: Any) -> None:
    """Word fills in the contents (with page numbers) when the file is opened."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)


def book_docx(document: Document) -> Any:
    """The briefing book: its cover, a table of contents Word fills in (References ▸ Update
    Table), each meeting's memo under a heading 1, and the scorecard."""
    from docx.enum.text import WD_BREAK

    data = document.data
    doc = _new(document)
    doc.add_heading(data["heading"], level=0)
    doc.add_paragraph(data["subtitle"])
    doc.add_paragraph(data["dated"])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph().add_run("Contents").bold = True
    contents = "; ".join(meeting["book_heading"] for meeting in data["meetings"])
    _field(doc.add_paragraph(), 'TOC \\o "1-1" \\h \\z \\u', contents)
    _update_fields_on_open(doc)
    for meeting in data["meetings"]:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(meeting["book_heading"], level=1)
        _lines(doc, meeting["lines"])
        _memo_body(doc, meeting, document.files)
    card = data.get("scorecard")
    if card:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(card["heading"], level=1)
        doc.add_paragraph(card["intro"])
        every = [row for p in card["priorities"] for g in p["goals"] for row in g["rows"]]
        for priority in card["priorities"]:
            doc.add_heading(priority["name"], level=2)
            for goal in priority["goals"]:
                doc.add_heading(goal["title"], level=3)
                _table(doc, card["head"], goal["rows"], every)
    return doc


def follow_up_docx(document: Document) -> Any:
    data = document.data
    doc = _start(document)
    every = [*(row for topic in data["topics"] for row in topic["rows"]), *data["open"]]
    doc.add_heading("Items from this session", level=2)
    if not data["topics"]:
        doc.add_paragraph("The session produced no follow-up items.")
    for topic in data["topics"]:
        doc.add_heading(topic["title"], level=3)
        _table(doc, data["head"], topic["rows"], every)
    doc.add_heading("Still open from earlier sessions", level=2)
    if data["open"]:
        _table(doc, data["head"], data["open"], every)
    else:
        doc.add_paragraph("Nothing is still open from earlier sessions.")
    doc.add_heading("Next steps", level=2)
    reply = data["reply"]
    if reply:
        email = data["reply_email"]
        reply += (f" ({email})" if email else "") + " with updates or questions."
    for text in [reply, *data["next"]]:
        if text:
            doc.add_paragraph(text)
    return doc


def write_docx(document: Document, target: Path) -> Path:
    document = replace(document, data=map_text(document.data, xml_text))  # no control chars
    made = {"memo.typ": memo_docx, "book.typ": book_docx}.get(document.template, follow_up_docx)
    doc = made(document)
    with replacing(target) as temp:
        doc.save(str(temp))
    return target
