"""The Stat memo, the follow-up memo and the scorecard: what they say, that they are tagged
PDF/UA-1 (title, language, structure tree, figures with alternative text, embedded fonts), that
hostile text prints literally, and that the .docx files have Word's headings."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.shared import Inches
from pypdf import PdfReader

from statdesk.domain.errors import StatDeskError
from statdesk.storage import models as m
from statdesk.workspace import Workspace

pytestmark = pytest.mark.both_stores

HOSTILE = [
    '#read("/etc/passwd")',
    "#set text(red)",
    "] ) } $x^2$ *bold* _under_",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.example")',
    "\u202eRTL override",
    "Supercalifragilistic" * 20,  # a 400-character word
    "emoji 🚧",
]


ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def _text(path: Path) -> str:
    """The PDF's text as a reader copies it, without the isolates around user text (a pasted
    line keeps them; they are invisible)."""
    reader = PdfReader(path)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return text.translate(ISOLATES)


def _public_works_meeting(demo: Workspace) -> int:
    return next(
        r.id for r in demo.meetings.rows() if r.title == "Public Works Stat" and r.items == 7
    )


def test_the_stat_memo_has_the_header_the_three_sections_and_the_items(
    demo: Workspace, tmp_path: Path
) -> None:
    meeting = _public_works_meeting(demo)
    target = demo.exports.memo("memo", meeting, tmp_path / "memo.pdf", date(2026, 10, 9))
    text = _text(target)
    for expected in (
        "Briefing memorandum",
        "Date: Friday, 9 October 2026",
        "To:",
        "From:",
        "Subject: Department of Public Works briefing memorandum for reporting period Sep 2026",
        "Follow-up items (16 minutes)",
        "Standing items (22 minutes)",
        "New items (15 minutes)",
        "Pothole repair times",
        "Suggested time: 12 minutes",
        "Data source: Pothole Repair Work Orders",
        "Questions for the panel",
        "53 minutes of agenda for a 90-minute session.",
    ):
        assert expected in text, expected
    # the sections come in their order
    assert text.index("Follow-up items") < text.index("Standing items") < text.index("New items")
    # the standing item's status line is as of the reporting period (Sep 2026), read from the
    # file itself; the October value, recorded since, is not in the memo
    assert "Figures: As of Sep 2026: later periods are left out." in text
    potholes = demo.metrics.find("Potholes repaired within 48 hours")
    september, october = (
        demo.get(m.MetricValue, v.id).value
        for v in sorted(
            demo.query(m.MetricValue, metric_id=potholes.id), key=lambda v: v.period_start
        )
        if v.period_start in (date(2026, 9, 1), date(2026, 10, 1))
    )
    assert f"{september:.1f}% in Sep 2026" in text
    assert "in Oct 2026" not in text and f"{october:.1f}%" not in text  # (Oct: an axis tick)
    assert re.search(r"Page 1 of \d", text)


def structure(pdf: pikepdf.Pdf) -> tuple[list[str], list[str]]:
    """The alternative texts of the figures and the heading tags in a PDF's structure tree."""
    figures, headings = [], []
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        kind = str(node.get("/S", ""))
        if kind == "/Figure":
            figures.append(str(node.get("/Alt", "")))
        if re.fullmatch(r"/H\d?", kind):
            headings.append(kind)
        if "/K" in node:
            stack.append(node.K)
    return figures, headings


def test_a_chart_pdf_is_tagged_like_the_memos(demo: Workspace, tmp_path: Path) -> None:
    """It was matplotlib's untagged PDF: no structure tree, no language, no title."""
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    target, description = demo.exports.chart(metric.id, tmp_path / "chart.pdf")
    with pikepdf.open(target) as pdf:
        assert str(pdf.Root.Lang).startswith("en") and bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.docinfo.Title) == "Potholes repaired within 48 hours"
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        figures, headings = structure(pdf)
    assert figures == [description] and description.startswith("Potholes repaired")
    assert headings
    assert description in _text(target)  # written out for every reader


def test_memo_pdfs_are_tagged_pdf_ua_with_alt_text_on_every_figure(
    demo: Workspace, tmp_path: Path
) -> None:
    meeting = _public_works_meeting(demo)
    target = demo.exports.memo("memo", meeting, tmp_path / "memo.pdf")
    with pikepdf.open(target) as pdf:
        root = pdf.Root
        assert str(root.Lang).startswith("en")
        assert bool(root.MarkInfo.Marked)
        assert "/StructTreeRoot" in root
        assert str(pdf.docinfo.Title).startswith("Public Works Stat briefing memorandum")
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        figures, headings = structure(pdf)
        fonts = [
            font for page in pdf.pages for font in (page.Resources.get("/Font") or {}).values()
        ]
        descriptors = [
            (f.DescendantFonts[0] if "/DescendantFonts" in f else f).FontDescriptor for f in fonts
        ]
        assert descriptors and all(  # every font is embedded in the file
            any(key in d for key in ("/FontFile", "/FontFile2", "/FontFile3")) for d in descriptors
        )
        assert any("NotoSans" in str(d.FontName) for d in descriptors)
    assert len(figures) == 2  # the two standing items with a metric
    assert all(alt.startswith(("Potholes repaired", "Street lights repaired")) for alt in figures)
    assert "latest" in figures[0] and "higher is better" in figures[0]
    assert len(headings) >= 10


def test_hostile_text_prints_literally_in_pdf_and_word(demo: Workspace, tmp_path: Path) -> None:
    meeting = _public_works_meeting(demo)
    [item] = [
        i for i in demo.meetings.detail(meeting).items if i.title == "Solid waste route changes"
    ]
    assert item.id is not None
    demo.update(
        m.AgendaItem,
        item.id,
        title=HOSTILE[0],
        narrative="\n".join(HOSTILE[1:5]),
        questions="\n".join(HOSTILE[5:]),
        data_source="$ ] #",
    )
    demo.update(m.Meeting, meeting, location="<b>Room</b> #301 ]")
    pdf = demo.exports.memo("memo", meeting, tmp_path / "memo.pdf")
    text = _text(pdf)
    for hostile in (*HOSTILE[:5], "emoji", "Data source: $ ] #", "in <b>Room</b> #301 ]"):
        assert " ".join(hostile.split()) in text, hostile
    assert "root:" not in text  # nothing was read from the file system
    assert "emoji [construction sign]" in text  # no font has it: its name, not a blank box
    word = demo.exports.memo("memo", meeting, tmp_path / "memo.docx")
    paragraphs = [p.text for p in docx.Document(str(word)).paragraphs]
    for hostile in HOSTILE:
        assert any(hostile in p for p in paragraphs), hostile


def test_the_follow_up_memo_lists_items_by_topic_and_the_next_session(
    demo: Workspace, tmp_path: Path
) -> None:
    first = min(
        (r for r in demo.meetings.rows() if r.title == "Public Works Stat"),
        key=lambda r: r.starts_at,
    )
    target = demo.exports.memo("followup", first.id, tmp_path / "fu.pdf")
    text = _text(target)
    for expected in (
        "Follow-up memorandum",
        "Items from this session",
        "Potholes",
        "Street lights",
        "Map pothole repair times by council district",
        "Completed – on time",
        "Completed – after deadline",
        "Overtaken by events",
        "Reply to",
        "Next session: Tuesday, 13 October 2026",
        "Materials are due by Tuesday, 6 October 2026.",
    ):
        assert expected in text, expected
    # An item from the later session is not "still open from earlier sessions".
    assert "Pilot new solid waste routes" not in text
    word = docx.Document(str(demo.exports.memo("followup", first.id, tmp_path / "f.docx")))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Follow-up memorandum", "Items from this session"]
    header = word.tables[0].rows[0]
    assert [c.text for c in header.cells] == ["Item", "Owner", "Deliverable", "Due", "Status"]
    assert header._tr.trPr is not None and "tblHeader" in header._tr.trPr.xml
    # columns as wide as their content: sentences get the room, a date stays whole
    # (13 characters of 10.5 pt text with its padding: 12 an inch)
    table = word.tables[0]
    widths = [c.width for c in table.columns]
    assert len(set(widths)) > 2 and sum(widths) <= Inches(6.0)
    assert widths[3] >= Inches(len("01 Sep 2026  ") / 12)
    for column, width in zip(table.columns, widths, strict=True):
        longest = max(len(w) for cell in column.cells for w in cell.text.split())
        assert width >= Inches((longest + 2) / 12), longest
    assert len(word.tables) > 1  # one a topic; their columns line up
    assert all([c.width for c in other.columns] == widths for other in word.tables)
    assert all(cell.width == widths[3] for cell in word.tables[0].columns[3].cells)


def test_the_word_memo_has_headings_and_charts_with_alt_text(
    demo: Workspace, tmp_path: Path
) -> None:
    meeting = _public_works_meeting(demo)
    word = docx.Document(str(demo.exports.memo("memo", meeting, tmp_path / "m.docx")))
    styles = [p.style.name for p in word.paragraphs]
    assert styles.count("Heading 2") == 3 and "Heading 3" in styles
    assert word.core_properties.title.startswith("Public Works Stat briefing memorandum")
    alts = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert len(alts) == 2 and all(alt and "monthly" in alt for alt in alts)


def test_the_scorecard_lists_every_kpi_by_goal(demo: Workspace, tmp_path: Path) -> None:
    target = demo.exports.scorecard(tmp_path / "scorecard.pdf", today=date(2026, 11, 22))
    text = _text(target)
    kpis = [s for s in demo.metrics.summaries() if s.is_kpi]
    assert f"of {len(kpis)} key performance indicators are on target" in text
    for kpi in kpis:
        assert " ".join(kpi.name.split()[:3]) in text
    assert "Keep streets in good repair" in text


def test_wrong_extensions_are_refused_with_a_sentence(demo: Workspace, tmp_path: Path) -> None:
    with pytest.raises(StatDeskError, match=r"\.pdf or \.docx"):
        demo.exports.memo("memo", 1, tmp_path / "memo.txt")
    with pytest.raises(StatDeskError, match=r"written as \.pdf"):
        demo.exports.scorecard(tmp_path / "scorecard.docx")


def test_right_to_left_names_cannot_reorder_the_memo_s_own_words(
    demo: Workspace, tmp_path: Path
) -> None:
    """A U+202E in a department's name once reversed the rest of the subject ("…mudnaromem
    gnifeirb"); Arabic and Hebrew names moved the words and numbers beside them."""
    meeting_id = _public_works_meeting(demo)
    meeting = demo.get(m.Meeting, meeting_id)
    demo.update(m.Department, meeting.department_id, name="\u202eRTL override")
    demo.update(m.Meeting, meeting_id, location="\u05d0\u05d5\u05dc\u05dd 301")  # Hebrew
    attendee = next(a for a in demo.query(m.Attendee, meeting_id=meeting_id))
    demo.update(
        m.Person, attendee.person_id, name="\u0644\u064a\u0644\u0649 \u062d\u062f\u0627\u062f"
    )
    text = _text(demo.exports.memo("memo", meeting_id, tmp_path / "m.pdf", date(2026, 10, 9)))
    assert "briefing memorandum for reporting period Sep 2026" in text
    assert "mudnaromem" not in text and "doirep gnitroper" not in text
    assert re.search(r"Session: Tuesday, 13 October 2026, 10:00 AM in .{6,12}\. Led by", text)
    assert "53 minutes of agenda for a 90-minute session." in text


def test_the_word_memo_has_a_footer_with_page_numbers_and_its_own_properties(
    demo: Workspace, tmp_path: Path
) -> None:
    from docx.shared import Emu

    meeting = _public_works_meeting(demo)
    word = docx.Document(str(demo.exports.memo("memo", meeting, tmp_path / "m.docx")))
    section = word.sections[0]
    footer = section.footer.paragraphs[0]
    assert footer.text.translate(ISOLATES).startswith("Harbor Bend · Public Works Stat briefing")
    fields = footer._p.xml
    assert "PAGE" in fields and "NUMPAGES" in fields  # "Page N of M", filled in by Word
    room = Emu(section.page_width - section.left_margin - section.right_margin)
    pictures = word.inline_shapes
    assert len(pictures) >= 2 and all(p.width <= room for p in pictures)
    properties = word.core_properties
    assert properties.author == "BendStat" and properties.created.year >= 2026
    assert properties.last_modified_by == "BendStat" and properties.revision == 1
    assert word.styles["Normal"].font.name == "Noto Sans"


def test_the_subject_names_a_department_once(demo: Workspace, tmp_path: Path) -> None:
    """A city imported from NYC's files has "Department of Sanitation": the subject read
    "Department of Department of Sanitation briefing memorandum"."""
    meeting_id = _public_works_meeting(demo)
    meeting = demo.get(m.Meeting, meeting_id)
    for name, subject in (
        ("Department of Sanitation", "Department of Sanitation briefing"),
        ("Police Department", "Police Department briefing"),
        ("Parks", "Department of Parks briefing"),
    ):
        demo.update(m.Department, meeting.department_id, name=name)
        text = _text(demo.exports.memo("memo", meeting_id, tmp_path / "m.pdf"))
        assert f"Subject: {subject} memorandum" in text, name
