"""Every export of a city whose every text field holds hostile text (tests/faults/hostile.py):
spreadsheet formulas never run, markup prints as the characters typed, no file is written
anywhere but the one chosen, and nothing reaches for the network."""

from __future__ import annotations

import csv
import json
import re
import shutil
import socket
import tempfile
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pikepdf
import pytest
from lxml import etree
from pypdf import PdfReader

from statdesk.reporting.spreadsheets import FORMULA_STARTS
from statdesk.storage import models as m
from statdesk.workspace import Workspace
from tests.faults.hostile import make_hostile

# What the hostile strings look like once printed: each is distinctive enough that finding it
# means the text went through as text.
MARKERS = (
    'HYPERLINK("http://evil.example/',
    "cmd|' /C calc'!A0",
    "<script>alert('x')</script>",
    "onerror=",
    '#read("/etc/passwd")',
    '#import "@preview/evil',
    "$x^2$ *bold* _under_",
    "Cost per $1,000 $ of [budget]",
    "{{ template }} ${expr} %s",
)
EXPORTS = [
    ("roster", "csv"),
    ("roster", "xlsx"),
    ("inventory", "csv"),
    ("inventory", "xlsx"),
    ("inventory", "json"),
    ("metrics", "csv"),
    ("metrics", "xlsx"),
    ("actions", "csv"),
    ("actions", "xlsx"),
    ("memo", "pdf"),
    ("memo", "docx"),
    ("followup", "pdf"),
    ("followup", "docx"),
    ("scorecard", "pdf"),
    ("site", "html"),
    ("chart", "png"),
    ("chart", "svg"),
    ("chart", "pdf"),
]


@pytest.fixture(scope="module")
def hostile(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    path = tmp_path_factory.mktemp("hostile") / "Hostile City.statdesk"
    shutil.copyfile(demo_template, path)
    with Workspace.open(path, user="tester", daily_backup=False) as workspace:
        filled = make_hostile(workspace)
        # data.json refuses a license or media type that is not one (tests/reporting covers
        # those rules): with these mended, the hostile titles and descriptions go through.
        for dataset in workspace.query(m.Dataset):
            workspace.update(
                m.Dataset, dataset.id, license="CC0", media_type="text/csv", rights="Hostile."
            )
    assert {"agenda_item", "metric", "person", "dataset", "action_item"} <= set(filled)
    with Workspace.open(path, read_only=True) as workspace:
        yield workspace


class NoNetwork:
    """Records, and refuses, any attempt to look up a host or connect."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: list[str] = []
        for owner, name in (
            (socket, "getaddrinfo"),
            (socket, "create_connection"),
            (socket.socket, "connect"),
            (socket.socket, "connect_ex"),
        ):
            monkeypatch.setattr(owner, name, self._refuse(name))

    def _refuse(self, name: str) -> Any:
        def refuse(*args: object, **kwargs: object) -> None:
            self.attempts.append(f"{name}{args[-1:]}")
            raise OSError("network use refused by the test")

        return refuse


def files_under(folder: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def _meeting_with_most_items(workspace: Workspace) -> int:
    return max(workspace.meetings.rows(), key=lambda r: r.items).id


@pytest.mark.parametrize(("kind", "suffix"), EXPORTS, ids=[f"{k}.{s}" for k, s in EXPORTS])
def test_every_export_of_hostile_text_is_inert(
    kind: str,
    suffix: str,
    hostile: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    private_temp = tmp_path / "temp"
    private_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_temp))
    network = NoNetwork(monkeypatch)
    target = chosen / f"{kind}.{suffix}"
    around = files_under(tmp_path) | files_under(hostile.path.parent)
    options: dict[str, Any] = {}
    if kind in ("memo", "followup"):
        options["meeting_id"] = _meeting_with_most_items(hostile)
    if kind == "chart":
        options["metric_id"] = hostile.query(m.Metric)[0].id
    if kind == "inventory" and suffix == "json":
        options["leave_out_invalid"] = True
    hostile.exports.write(kind, target, **options)

    assert network.attempts == []
    assert sorted(p.name for p in chosen.iterdir()) == [target.name]
    assert files_under(tmp_path) | files_under(hostile.path.parent) == around | {
        target: (target.stat().st_size, target.stat().st_mtime_ns)
    }
    assert list(private_temp.iterdir()) == []  # temporary files were cleared away
    INSPECT[suffix](target)


def _found(text: str, at_least: int = 2) -> None:
    seen = [marker for marker in MARKERS if marker in text]
    assert len(seen) >= at_least, text[:2000]
    assert "root:x:0:0" not in text  # nothing was read from the file system


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def inspect_csv(path: Path) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    live = [c for c in cells if c.startswith(FORMULA_STARTS) and not _is_number(c)]
    assert live == []  # a spreadsheet would run these
    _found("\n".join(cells))


def inspect_xlsx(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(FORMULA_STARTS):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate)
    _found("\n".join(texts))


def inspect_json(path: Path) -> None:
    _found(json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False))


def _pdf_is_inert(path: Path) -> None:
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                for key in ("/JS", "/JavaScript", "/Launch", "/OpenAction", "/AA", "/URI"):
                    assert key not in obj, key


def inspect_pdf(path: Path) -> None:
    _pdf_is_inert(path)
    text = " ".join((page.extract_text() or "") for page in PdfReader(path).pages)
    text = " ".join(text.replace("\u200b", "").split())
    _found(text, at_least=1 if len(PdfReader(path).pages) == 1 else 2)


def inspect_docx(path: Path) -> None:
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml"))
        names = {etree.QName(e).localname for e in body.iter() if isinstance(e.tag, str)}
        assert not names & {"instrText", "fldSimple", "hyperlink", "object", "altChunk"}
        texts = "".join(body.itertext())
        assert not [n for n in package.namelist() if "vbaProject" in n or "externalLink" in n]
    _found(texts)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def inspect_html(path: Path) -> None:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "object", "embed", "form"), tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert not (value or "").strip().lower().startswith(("javascript:", "vbscript:"))
                if tag == "img":
                    assert (value or "").startswith("data:image/"), value  # nothing fetched
    _found("".join(parser.text))


def inspect_svg(path: Path) -> None:
    tree = etree.parse(str(path))
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert etree.QName(element).localname not in ("script", "foreignObject")
        for name, value in element.attrib.items():
            assert not etree.QName(name).localname.startswith("on")
            if etree.QName(name).localname == "href":
                assert value.startswith(("#", "data:")), value
    _found("".join(tree.getroot().itertext()), at_least=1)


def inspect_png(path: Path) -> None:
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    from PIL import Image

    with Image.open(path) as image:
        alt = image.info.get("Description", "") + image.info.get("Title", "")
    _found(alt, at_least=1)


INSPECT = {
    "csv": inspect_csv,
    "xlsx": inspect_xlsx,
    "json": inspect_json,
    "pdf": inspect_pdf,
    "docx": inspect_docx,
    "html": inspect_html,
    "svg": inspect_svg,
    "png": inspect_png,
}


def test_typst_markup_in_any_field_prints_as_typed(hostile: Workspace, tmp_path: Path) -> None:
    meeting = _meeting_with_most_items(hostile)
    detail = hostile.meetings.detail(meeting)
    typed = [i.title for i in detail.items] + [i.narrative for i in detail.items]
    pdf = hostile.exports.write("memo", tmp_path / "memo.pdf", meeting_id=meeting) or (
        tmp_path / "memo.pdf"
    )
    text = " ".join(
        (page.extract_text() or "").replace("\u200b", "") for page in PdfReader(pdf).pages
    )
    text = " ".join(text.split())
    markup = [t for t in typed if re.search(r"#(read|image|import|set)\b|\$", t)]
    assert markup
    for value in markup:
        words = " ".join(value.split())
        assert words[:60] in text, words
