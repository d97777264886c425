"""The hostile-input corpus, made by code: each maker writes one bad file into a folder and
returns its path. No binary blobs live in the repository; every case is rebuilt on each run.

IMPORTS lists the files departments might send, each with what StatDesk must do with it:
refuse it with a sentence that matches `message` (CLI exit code 10), or read it (exit 0)
with `shows` somewhere in the dry run's JSON.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HEADER = ["Metric", "Period", "Actual"]


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Path], Path]
    message: str | None = None  # refused, with this in the message (a regular expression)
    shows: str | None = None  # read, and this is in the dry run's report
    kind: str = "values"


def _xlsx_bytes(rows: list[list[object]], **options: object) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    if options.get("date1904"):
        book.epoch = __import__("openpyxl").utils.datetime.CALENDAR_MAC_1904
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_ROWS: list[list[object]] = [HEADER, ["Potholes filled", "Jul 2025", 412]]


def _write(name: str, data: bytes | str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        return path

    return make


def _rewrite_part(name: str, part: str, change: Callable[[bytes], bytes]) -> Callable[[Path], Path]:
    """A real workbook with one of its XML parts changed."""

    def make(folder: Path) -> Path:
        source = zipfile.ZipFile(io.BytesIO(_xlsx_bytes(GOOD_ROWS)))
        path = folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                target.writestr(info.filename, change(data) if info.filename == part else data)
        return path

    return make


SHEET = "xl/worksheets/sheet1.xml"


def _with_doctype(doctype: str) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        head, rest = text.split("?>", 1) if text.startswith("<?xml") else ("", text)
        prolog = f"{head}?>" if head else ""
        body = rest.replace("Potholes filled", "&boom;")
        return f"{prolog}{doctype}{body}".encode()

    return change


BILLION_LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY a "lol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + '<!ENTITY boom "&j;">]>'
)
EXTERNAL_ENTITY = '<!DOCTYPE worksheet [<!ENTITY boom SYSTEM "file:///etc/passwd">]>'


def _truncated_xlsx(folder: Path) -> Path:
    data = _xlsx_bytes(GOOD_ROWS)
    path = folder / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _zip_bomb(folder: Path) -> Path:
    path = folder / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(SHEET, b"<" * 80_000_000)
    return path


def _wide_sheet(folder: Path) -> Path:
    """16,384 columns, Excel's limit (A to XFD)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(["Metric", *(f"Column {i}" for i in range(2, 16_385))])
    sheet.append(["Potholes filled", *range(2, 16_385)])
    path = folder / "wide.xlsx"
    book.save(path)
    return path


def _big_cell(folder: Path) -> Path:
    path = folder / "big-cell.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*HEADER, "Note"])
        writer.writerow(["Potholes filled", "Jul 2025", "412", "x" * 10_000_000])
    return path


def _cached_error(name: str, formula: str, error: str) -> Callable[[Path], Path]:
    """A cell whose formula failed, as Excel saves it: t="e" with the error as its value."""

    def change(data: bytes) -> bytes:
        cell = f'<c r="C2" t="e"><f>{formula}</f><v>{error}</v></c>'
        return data.decode("utf-8").replace('<c r="C2" t="n"><v>412</v></c>', cell).encode()

    return _rewrite_part(name, SHEET, change)


def _uncached_formulas(folder: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["Potholes filled", "Jul 2025", "=200+212"])
    path = folder / "uncached.xlsx"
    book.save(path)
    return path


def _date_1904(folder: Path) -> Path:
    path = folder / "mac.xlsx"
    path.write_bytes(_xlsx_bytes([HEADER, ["Potholes filled", date(2025, 7, 1), 412]], date1904=1))
    return path


def _old_dates(folder: Path) -> Path:
    path = folder / "old.xlsx"
    path.write_bytes(_xlsx_bytes([HEADER, ["Potholes filled", "1899-12-31", 412]]))
    return path


def _long_unicode_path(folder: Path) -> Path:
    deep = folder / "Départements — Öffentliche Arbeiten" / ("Ünïcødé " * 12).strip()
    deep.mkdir(parents=True)
    path = deep / ("Rapport mensuel des nids-de-poule réparés " * 3 + ".csv")
    path.write_text("Metric,Period,Actual\nNids-de-poule réparés,Jul 2025,412\n", encoding="utf-8")
    return path


def _folder_instead(folder: Path) -> Path:
    path = folder / "a-folder.csv"
    path.mkdir()
    return path


def _huge_sparse(folder: Path) -> Path:
    path = folder / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"Metric,Period,Actual\n")
        handle.truncate(2_000_000_000)  # sparse: takes no disk space
    return path


def _docx(folder: Path) -> Path:
    path = folder / "memo.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return path


def _empty_sheet(folder: Path) -> Path:
    path = folder / "empty-sheet.xlsx"
    path.write_bytes(_xlsx_bytes([]))
    return path


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

IMPORTS: tuple[Case, ...] = (
    Case("truncated-xlsx", _truncated_xlsx, message="damaged zip or workbook"),
    Case(
        "encrypted-xlsx",
        _write(
            "secret.xlsx",
            OLE + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512,
        ),
        message="protected by a password",
    ),
    Case(
        "xls-that-is-html",
        _write(
            "report.xls",
            "<html><body><table><tr><th>Metric</th><th>Period</th><th>Actual</th></tr>"
            "<tr><td>Potholes filled</td><td>Jul 2025</td><td>412</td></tr></table></body></html>",
        ),
        shows='"format": "html"',
    ),
    Case(
        "xls-that-is-tsv",
        _write("export.xls", "Metric\tPeriod\tActual\nPotholes filled\tJul 2025\t412\n"),
        shows='"rows_read": 1',
    ),
    Case("csv-that-is-xlsx", _write("data.csv", _xlsx_bytes(GOOD_ROWS)), shows='"format": "xlsx"'),
    Case("empty-file", _write("empty.csv", b""), message="is empty"),
    Case("only-a-bom", _write("bom.csv", b"\xef\xbb\xbf"), message="empty|no header row"),
    Case(
        "only-a-header",
        _write("header.csv", "Metric,Period,Actual\n"),
        message=r"only one row \(Metric, Period, Actual\) and no data",
    ),
    Case("blank-lines-only", _write("blank.csv", "\n\n\r\n\n"), message="no header row|empty"),
    Case("empty-sheet", _empty_sheet, message="empty|no header row|no rows"),
    Case("16384-columns", _wide_sheet, shows='"rows_read": 1'),
    Case("10-mb-cell", _big_cell, shows='"values": 1'),
    Case(
        "nul-bytes-in-csv",
        _write(
            "nul.csv",
            "Metric,Period,Actual\n"
            + "Potholes filled,Jul 2025,412\n" * 200
            + "Pot\x00holes,Aug 2025,398\n",
        ),
        shows='"rows_read": 201',
    ),
    Case(
        "nul-bytes-at-the-start",
        _write("nul-head.csv", b"Metric\x00,Period,Actual\nPotholes,Jul 2025,412\n"),
        message="not a spreadsheet or a text table",
    ),
    Case(
        "mixed-line-endings",
        _write(
            "mixed.csv",
            "Metric,Period,Actual\r\nPotholes filled,Jul 2025,412\n"
            "Potholes filled,Aug 2025,398\rPotholes filled,Sep 2025,455\r\n",
        ),
        shows='"rows_read": 3',
    ),
    Case(
        "invalid-utf8-no-bom",
        _write("latin.csv", "Metric,Period,Actual\nRéparations,Jul 2025,412\n", "cp1252"),
        shows='"encoding": "cp1252"',
    ),
    Case(
        "utf16-csv",
        _write(
            "utf16.csv", "\ufeffMetric,Period,Actual\nPotholes filled,Jul 2025,412\n", "utf-16-le"
        ),
        shows='"rows_read": 1',
    ),
    Case("zip-bomb", _zip_bomb, message="far more than a real workbook"),
    Case(
        "billion-laughs-xml",
        _rewrite_part("laughs.xlsx", SHEET, _with_doctype(BILLION_LAUGHS)),
        message="could not be read as a workbook|DTD|entity",
    ),
    Case(
        "external-entity-xml",
        _rewrite_part("xxe.xlsx", SHEET, _with_doctype(EXTERNAL_ENTITY)),
        message="could not be read as a workbook|DTD|entity",
    ),
    Case(
        "div0-cached", _cached_error("div0.xlsx", "1/0", "#DIV/0!"), shows=r"error \(C2 #DIV/0!\)"
    ),
    Case("na-cached", _cached_error("na.xlsx", "NA()", "#N/A"), shows=r"error \(C2 #N/A\)"),
    Case("formulas-without-values", _uncached_formulas, shows=r"never calculated \(C2 =200\+212\)"),
    Case("1904-date-system", _date_1904, shows='"values": 1'),
    Case("dates-before-1900", _old_dates, shows=r"1899-12-31.{0,40}before 1900"),
    Case(
        "duplicate-column-names",
        _write("dupes.csv", "Metric,Period,Actual,Actual\nPotholes filled,Jul 2025,412,413\n"),
        shows='"rows_read": 1',
    ),
    Case(
        "header-of-numbers",
        _write("years.csv", "Metric,2023,2024,2025\nPotholes filled,4100,4350,4800\n"),
        shows='"values": 3',
    ),
    Case("non-ascii-long-path", _long_unicode_path, shows="Départements — Öffentliche"),
    Case(
        "unc-path-missing",
        lambda folder: Path("//fileserver/Performance/July.xlsx"),
        message="There is no file at",
    ),
    Case("a-folder", _folder_instead, message="folder|There is no file|cannot be read"),
    Case("2-gb-file", _huge_sparse, message="more than StatDesk imports at once|GB"),
    Case(
        "png-named-csv",
        _write("chart.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        message="not a spreadsheet",
    ),
    Case("word-document-named-xlsx", _docx, message="zip archive, not a workbook"),
    Case(
        "xml-feed",
        _write("feed.xlsx", "<?xml version='1.0'?><rss><channel/></rss>"),
        message="XML file",
    ),
    Case(
        "unclosed-quote",
        _write("quote.csv", 'Metric,Period,Actual\n"Potholes filled,Jul 2025,412\nx,y,z\n'),
        shows=r"quotation mark on line 2 is never closed",
    ),
    Case(
        "formula-text-in-cells",
        _write("inject.csv", 'Metric,Period,Actual\n=HYPERLINK("http://x"),Jul 2025,412\n'),
        shows='"values": 1',
    ),
    Case(
        "largest-double",
        _write("huge.csv", "Metric,Period,Actual\nA,Jul 2025,1.7976931348623157e308\n"),
        shows=r"1\.7976931348623157e308' is too large to be a real figure",
    ),
)
