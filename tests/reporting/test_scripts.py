"""Names in any script reach council as themselves: Chinese, Japanese and Korean in the shipped
Noto Sans CJK, Arabic and Hebrew in DejaVu Sans, anything else in a font of the computer's own,
and only where no font has a character, its name in brackets. Memos, charts, the PDF's bookmarks
and figure descriptions keep the real characters."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pikepdf
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from statdesk.reporting import charts, fonts
from statdesk.storage import models as m
from statdesk.workspace import Workspace
from tests.reporting.test_charts import known_series
from tests.reporting.test_documents import _public_works_meeting, _text, structure
from tests.reporting.test_pdf_ua import problems

DEPARTMENT = "市政工程局"  # Chinese: Department of Public Works
METRIC = "도로 보수 완료율 (서울)"  # Korean
PLACE = "東京都庁 会議室"  # Japanese
PERSON = "ليلى حداد"  # Arabic
ROOM = "אולם 301"  # Hebrew
ITEM = "도로 보수 시간"  # Korean: pothole repair times
MEETING = "公共事業 Stat"  # Japanese
ROADWORK = "\U0001f6a7"  # an emoji no shipped font has
THAI = "ถนน"  # Thai: no shipped font has it either


def _font_with(folder: Path, characters: str) -> Path:
    """A font file of "the computer's own" with a box for each of `characters`."""
    characters = "".join(dict.fromkeys(characters))
    names = [".notdef", *(f"g{ord(c):x}" for c in characters)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"g{ord(c):x}" for c in characters})
    pen = TTGlyphPen(None)
    for x, y in ((100, 0), (100, 700), (600, 700), (600, 0)):
        (pen.moveTo if (x, y) == (100, 0) else pen.lineTo)((x, y))
    pen.closePath()
    box = pen.glyph()
    builder.setupGlyf(dict.fromkeys(names, box))
    builder.setupHorizontalMetrics(dict.fromkeys(names, (700, 100)))
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable(
        {
            "familyName": "Test Glyphs",
            "styleName": "Regular",
            "uniqueFontIdentifier": "TestGlyphs-Regular",
            "fullName": "Test Glyphs Regular",
            "psName": "TestGlyphs-Regular",
        }
    )
    builder.setupOS2()
    builder.setupPost()
    path = folder / "TestGlyphs.ttf"
    builder.save(path)
    return path


def _embedded_fonts(target: Path) -> set[str]:
    with pikepdf.open(target) as pdf:
        found = set()
        for page in pdf.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                base = str(font.BaseFont)
                found.add(base.split("+", 1)[-1])
        return found


def _name_everything(demo: Workspace, meeting_id: int, item_title: str = ITEM) -> None:
    meeting = demo.get(m.Meeting, meeting_id)
    demo.update(m.Department, meeting.department_id, name=DEPARTMENT)
    demo.update(m.Meeting, meeting_id, location=f"{PLACE} {ROOM}", title=MEETING)
    [item] = [
        i for i in demo.meetings.detail(meeting_id).items if i.title == "Pothole repair times"
    ]
    demo.update(m.AgendaItem, item.id, title=item_title)
    metric = demo.metrics.find("Potholes repaired within 48 hours")
    demo.update(m.Metric, metric.id, name=METRIC)
    attendee = next(a for a in demo.query(m.Attendee, meeting_id=meeting_id))
    demo.update(m.Person, attendee.person_id, name=PERSON)


def test_cjk_arabic_and_hebrew_names_print_as_themselves(demo: Workspace, tmp_path: Path) -> None:
    meeting_id = _public_works_meeting(demo)
    _name_everything(demo, meeting_id)
    target = demo.exports.memo("memo", meeting_id, tmp_path / "memo.pdf")
    text = _text(target)
    for name in (DEPARTMENT, PLACE):
        assert name in text, name
    # pypdf copies right-to-left words in the order they are shown; either way, each part of
    # "name, title" is set apart, so the title stays after the name
    person = f"({PERSON}|{' '.join(reversed(PERSON.split()))})"
    assert re.search(f"{person}, Mayor; ", text)
    place = re.search(f"in {PLACE} (.{{8,10}})\\. Led by", text)
    assert place and sorted(place[1].replace(" ", "")) == sorted(ROOM.replace(" ", ""))
    assert "[" + "cjk" not in text and "[hangul" not in text and "[arabic" not in text
    assert {"NotoSans-Regular", "NotoSansCJKsc-Regular-Identity-H", "DejaVuSans"} <= {
        f.removesuffix("-Identity-H") if "CJK" not in f else f for f in _embedded_fonts(target)
    }
    with pikepdf.open(target) as pdf:
        figures, _headings = structure(pdf)
        with pdf.open_outline() as outline:
            bookmarks, stack = [], list(outline.root)
            while stack:
                entry = stack.pop()
                bookmarks.append(str(entry.title))
                stack.extend(entry.children)
        title = str(pdf.docinfo.Title)
    assert any(alt.startswith(METRIC) for alt in figures)  # the description, not "[hangul …]"
    assert ITEM in bookmarks
    assert title.startswith(f"{MEETING} briefing memorandum")
    assert problems(target) == []  # the CJK font keeps the memo PDF/UA


def test_a_chart_of_a_korean_name_draws_every_glyph() -> None:
    figure = charts.figure(known_series(title=f"{METRIC} {DEPARTMENT}"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.to_bytes(figure, "png")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
    assert figure.axes[0].get_title(loc="left").replace("\n", " ") == f"{METRIC} {DEPARTMENT}"


def test_what_no_shipped_font_has_is_set_in_the_computer_s_own(
    demo: Workspace, tmp_path: Path, computer_fonts: list[Path]
) -> None:
    meeting_id = _public_works_meeting(demo)
    _name_everything(demo, meeting_id, f"Roadworks {ROADWORK} {THAI}")
    # a computer without a font for them: their names, never a blank box
    without = _text(demo.exports.memo("memo", meeting_id, tmp_path / "a.pdf"))
    assert "Roadworks [construction sign] [thai character tho thung]" in without
    folder = tmp_path / "fonts"
    folder.mkdir()
    _font_with(folder, ROADWORK + THAI)
    computer_fonts.append(folder)
    fonts.system_fonts.cache_clear()
    target = demo.exports.memo("memo", meeting_id, tmp_path / "b.pdf")
    assert f"Roadworks {ROADWORK} {THAI}" in _text(target)
    assert "TestGlyphs-Regular" in _embedded_fonts(target)
    # charts fall back on it too
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.to_bytes(charts.figure(known_series(title=f"Roadworks {ROADWORK}")), "png")
    assert [w for w in caught if "missing from" in str(w.message)] == []
    # what each font has is kept, and read from the index the next time
    index = Path(fonts.paths.user_data_dir()) / "fonts.json"
    assert index.exists()
    fonts.system_fonts.cache_clear()
    read: list[Path] = []
    original = fonts._characters
    fonts._characters = lambda font: read.append(font) or original(font)  # type: ignore[assignment]
    try:
        assert ord(ROADWORK) in fonts.for_text([ROADWORK]).covered
    finally:
        fonts._characters = original  # type: ignore[assignment]
    assert read == []
