"""Reading what departments send: the real format from the bytes, then rows of cells.

A file's extension is a hint at best (an HTML table saved as .xls, a CSV named .txt), so the
first bytes decide. Workbooks are read with python-calamine; CSV text with its encoding found
from the BOM, else UTF-8, else a detected guess (Windows-1252 in practice), and its delimiter
sniffed. Limits are checked before any parser runs, so a zip bomb or an encrypted workbook is
refused with a sentence, not a hang or a traceback.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from statdesk.domain.errors import StatDeskError
from statdesk.domain.files import real_file

MAX_BYTES = 1_500_000_000  # larger files are refused: split them, or export fewer columns
MAX_UNZIPPED = 2_000_000_000  # what a workbook's parts may unpack to, in all
MAX_RATIO = 200  # unpacked size over packed size; real workbooks stay far below

SAMPLE_BYTES = 4_000_000  # enough of a text file to judge its encoding and delimiter
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


class SourceProblem(StatDeskError):
    """The file cannot be read as a table; nothing was imported."""

    exit_code = 10


@dataclass(frozen=True)
class SheetInfo:
    name: str
    visible: bool  # hidden and very hidden sheets are listed, never chosen by default
    rows: int


@dataclass(frozen=True)
class SourceInfo:
    path: Path
    format: str  # xlsx, xlsm, xls, ods, csv, html
    encoding: str | None = None
    delimiter: str | None = None
    sheets: tuple[SheetInfo, ...] = ()
    decimal: str = "."  # a text file's decimal mark: "," where numbers read 1.234,56

    @property
    def default_sheet(self) -> str | None:
        for sheet in self.sheets:
            if sheet.visible and sheet.rows > 0:
                return sheet.name
        return self.sheets[0].name if self.sheets else None


@dataclass
class RawTable:
    """A sheet's cells, top-left at (0, 0), with the merged ranges ((r0, c0), (r1, c1))."""

    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    sheet: str | None = None
    date_1904: bool = False
    notices: list[str] = field(default_factory=list)  # what reading found (formulas…)


def sniff_format(path: Path) -> str:
    """What the file really is, from its first bytes and, for zips, their parts."""
    path = real_file(path, SourceProblem)  # a pipe would be waited on forever
    if path.is_dir():  # Windows says "permission denied" for a folder: tell it apart first
        raise SourceProblem(
            f"{path.name} is a folder, not a file.", "Choose the spreadsheet inside it."
        )
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError as error:
        raise SourceProblem(f"There is no file at {path}.", "Check the path.") from error
    except PermissionError as error:
        raise SourceProblem(
            f"{path.name} is locked by another program (often Excel has it open).",
            "Close it in Excel, or save a copy, and import again.",
        ) from error
    if size == 0:
        raise SourceProblem(f"{path.name} is empty.", "Ask the department to send it again.")
    if size > MAX_BYTES:
        raise SourceProblem(
            f"{path.name} is {size / 1e9:.1f} GB, more than StatDesk imports at once.",
            "Export only the columns and years you need, or split the file.",
        )
    if head.startswith(_ZIP):
        return _zip_kind(path)
    if head.startswith(_OLE):
        return _ole_kind(path, head)
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        if b"<table" in head.lower() or text.startswith((b"<!doctype html", b"<html")):
            return "html"
        raise SourceProblem(
            f"{path.name} is an XML file, not a table StatDesk can import.",
            "Open it in Excel and save it as .xlsx or .csv.",
        )
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceProblem(
            f"{path.name} is not a spreadsheet or a text table.",
            "Import an Excel workbook (.xlsx, .xls), an .ods, or a CSV file.",
        )
    return "csv"


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            packed = sum(i.compress_size for i in infos) or 1
            unpacked = sum(i.file_size for i in infos)
    except zipfile.BadZipFile as error:
        raise SourceProblem(
            f"{path.name} is a damaged zip or workbook.", "Ask the department to save it again."
        ) from error
    if unpacked > MAX_UNZIPPED or unpacked / packed > MAX_RATIO:
        raise SourceProblem(
            f"{path.name} would unpack to {unpacked / 1e6:,.0f} MB from {packed / 1e6:,.1f} MB, "
            "far more than a real workbook: StatDesk did not open it.",
            "If the file is genuine, save it again from Excel and retry.",
        )
    if "xl/workbook.xml" in names:
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    raise SourceProblem(
        f"{path.name} is a zip archive, not a workbook.",
        "Unzip it and import the spreadsheet inside.",
    )


def _ole_kind(path: Path, head: bytes) -> str:
    data = path.read_bytes()[:2_000_000]
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise SourceProblem(
            f"{path.name} is protected by a password.",
            "Open it in Excel, remove the password (File > Info), save, and import again.",
        )
    return "xls"


# ---------------------------------------------------------------- text files


def detect_encoding(raw: bytes) -> str:
    """BOM first, then UTF-8, then Windows-1252, then charset-normalizer's best guess."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:  # what Excel writes on US Windows; only five bytes are undefined in it
        raw.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:2_000_000]).best()
    guess = best.encoding if best is not None else "cp1252"
    return "cp1252" if guess in ("ascii", "latin_1", "iso8859_1") else guess


_COMMON_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "mac-roman", "cp850")


def check_encoding(encoding: str) -> str:
    """The encoding's name, or a sentence with the nearest one StatDesk knows."""
    import codecs
    import difflib

    try:
        return codecs.lookup(encoding).name
    except LookupError:
        near = difflib.get_close_matches(encoding.casefold(), _COMMON_ENCODINGS, n=1)
        raise SourceProblem(
            f"'{encoding}' is not a text encoding.",
            (f"Did you mean '{near[0]}'? " if near else "")
            + "Files from Excel on Windows are usually cp1252; others utf-8.",
        ) from None


def cannot_decode(path: Path, encoding: str, error: UnicodeDecodeError) -> SourceProblem:
    """The sentence for a file that is not in the encoding given."""
    with path.open("rb") as handle:
        guess = detect_encoding(handle.read(SAMPLE_BYTES))
    return SourceProblem(
        f"{path.name} cannot be read as {encoding}: byte {error.start:,} of a block is not "
        f"{encoding} text.",
        f"Try --encoding {guess} (what the file looks like)"
        if guess != encoding
        else "Choose another encoding (Windows-1252 is common).",
    )


def detect_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample[:64_000], delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample[:10_000].count(d) for d in ",;\t|"}
        return max(counts, key=lambda d: counts[d])


_COMMA_DECIMAL = re.compile(r"^[-+(]?(\d{1,3}(\.\d{3})+|\d+),\d+\)?%?$")
_DOT_DECIMAL = re.compile(r"^[-+(]?(\d{1,3}(,\d{3})+|\d+)\.\d+\)?%?$")
_COMMA_NUMBER = re.compile(r"^\s*[-+(]?\s*[$€£]?\s*(\d{1,3}(\.\d{3})+|\d+)(,\d+)?\s*\)?\s*%?\s*$")


def detect_decimal(sample: str, delimiter: str) -> str:
    """ "," when the sample's numbers are written 1.234,56 or 0,75 (a comma and one or two
    digits, or dots between groups of three before a comma), more often than 1,234.56 or
    0.75; else ".". "1,234" alone says nothing (a thousand, or one and a bit)."""
    comma = dot = 0
    # The sample's lines split on the delimiter: quotes and long cells are no matter here.
    for line in sample[:200_000].splitlines()[1:2_000]:
        for cell in line.split(delimiter):
            cell = cell.strip().strip('"')
            text = cell.strip()
            if _COMMA_DECIMAL.match(text) and not re.match(r"^\d{1,3},\d{3}$", text):
                comma += 1
            elif _DOT_DECIMAL.match(text) and not re.match(r"^\d{1,3}\.\d{3}$", text):
                dot += 1
    return "," if comma >= 3 and comma > 2 * dot else "."


def comma_decimals(rows: list[list[Any]]) -> None:
    """Cells written with decimal commas ("1.234,56", "0,75 %") rewritten as the numbers
    they are ("1234.56", "0.75 %"); text cells that are not numbers stay as they are."""
    for row in rows:
        for index, cell in enumerate(row):
            if isinstance(cell, str) and "," in cell and _COMMA_NUMBER.match(cell):
                row[index] = cell.replace(".", "").replace(",", ".")


def decimal_notice() -> str:
    return (
        "Numbers in this file are written with decimal commas (1.234,56): they are read as "
        "1234.56. If they are not, give --decimal ."
    )


def unclosed_quote_notice(line: int) -> str:
    return (
        f"A quotation mark on line {line} is never closed, so everything after it reads as "
        "one cell. Fix the quote in the file and import again."
    )


def _count_lines(path: Path) -> int:
    count, last = 0, b"\n"
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (0 if last == b"\n" else 1)


def _read_text(path: Path, encoding: str | None) -> tuple[str, str]:
    raw = path.read_bytes()
    chosen = encoding or detect_encoding(raw)
    try:
        return raw.decode(chosen), chosen
    except UnicodeDecodeError as error:
        raise cannot_decode(path, chosen, error) from error
    except LookupError as error:
        raise SourceProblem(
            f"{path.name} cannot be read as {chosen}.",
            "Choose another encoding (Windows-1252 is common).",
        ) from error


# ---------------------------------------------------------------- opening


def inspect_source(path: Path | str, encoding: str | None = None) -> SourceInfo:
    """What a file is and what it holds (sheets, encoding, delimiter), without reading it all."""
    path = Path(path)
    kind = sniff_format(path)
    if encoding:
        check_encoding(encoding)
    if kind == "csv":
        # A sample decides encoding and delimiter; lines are counted by streaming the bytes,
        # so a big extract is never decoded whole just to be described.
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
        chosen = encoding or detect_encoding(head)
        sample = head.decode(chosen, errors="ignore")
        rows = _count_lines(path)
        delimiter = detect_delimiter(sample)
        return SourceInfo(
            path,
            "csv",
            chosen,
            delimiter,
            (SheetInfo("(text)", True, rows),),
            detect_decimal(sample, delimiter),
        )
    if kind == "html":
        tables = _html_tables(path)
        return SourceInfo(
            path,
            "html",
            sheets=tuple(SheetInfo(f"Table {i + 1}", True, len(t)) for i, t in enumerate(tables)),
        )
    workbook = _open_workbook(path)
    sheets = []
    for meta in workbook.sheets_metadata:
        visible = str(meta.visible).endswith("Visible") and "Hidden" not in str(meta.visible)
        try:
            height = (
                _sheet(workbook, path, meta.name, kind).sheet.total_height
                if "WorkSheet" in str(meta.typ)
                else 0
            )
        except Exception:
            height = 0
        sheets.append(SheetInfo(meta.name, visible, int(height)))
    return SourceInfo(path, kind, sheets=tuple(sheets))


def _open_workbook(path: Path) -> Any:
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine's errors carry no type we can rely on
        text = str(error)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise SourceProblem(
                f"{path.name} is protected by a password.",
                "Remove the password in Excel, save, and import again.",
            ) from error
        raise SourceProblem(
            f"{path.name} could not be read as a workbook ({text}).",
            "Open it in Excel, save it as .xlsx, and import again.",
        ) from error


Formulas = tuple[list[tuple[str, str]], list[tuple[str, str]]]  # formulas.scan's answer


class _Loaded(NamedTuple):
    sheet: Any  # calamine's
    formulas: Formulas | None  # an xlsx sheet's formulas without results, and errors


_LOADED: dict[tuple[str, float, str], _Loaded] = {}


def _sheet(workbook: Any, path: Path, name: str, kind: str) -> _Loaded:
    """A loaded sheet, kept for the next call: describing a workbook (its sheets' sizes) and
    reading it then load each sheet once. Only the last workbook's sheets are kept.

    calamine parses a sheet without holding Python's lock, so an xlsx sheet's XML is scanned
    for formulas (formulas.scan) on another thread meanwhile: the scan then costs no time."""
    key = (str(path), path.stat().st_mtime, name)
    if key not in _LOADED:
        if any(k[:2] != key[:2] for k in _LOADED):
            _LOADED.clear()
        scanned: list[Formulas] = []
        scanner = None
        if kind in ("xlsx", "xlsm"):
            from statdesk.importing import formulas

            scanner = threading.Thread(
                target=lambda: scanned.append(formulas.scan(path, name)), daemon=True
            )
            scanner.start()
        try:
            sheet = workbook.get_sheet_by_name(name)
        finally:
            if scanner is not None:
                scanner.join()
        _LOADED[key] = _Loaded(sheet, scanned[0] if scanned else None)
    return _LOADED[key]


def read_table(info: SourceInfo, sheet: str | None = None) -> RawTable:
    """Every cell of one sheet (or of the text file), as Python values."""
    if info.format == "csv":
        # A cell may hold a long text (a 10 MB comment); the file's size is bounded already.
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        text, _ = _read_text(info.path, info.encoding)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=info.delimiter or ",")
        rows, last_start, line = [], 1, 0
        for row in reader:
            rows.append(row)
            last_start, line = line + 1, reader.line_num
        notices = []
        if info.decimal == ",":
            comma_decimals(rows)
            notices.append(decimal_notice())
        swallowed = rows and any("\n" in cell or "\r" in cell for cell in rows[-1])
        if swallowed and text.count('"') % 2:  # a quote never closed took the rest of the file
            notices.append(unclosed_quote_notice(last_start))
        return RawTable(rows, sheet=None, notices=notices)
    if info.format == "html":
        tables = _html_tables(info.path)
        names = [f"Table {i + 1}" for i in range(len(tables))]
        name = sheet or names[0]
        if name not in names:
            raise SourceProblem(
                f"{info.path.name} is a web page whose tables are {', '.join(names)}; it has no "
                f"table called '{name}'.",
                f"Choose one of: {', '.join(names)}.",
            )
        return RawTable(tables[names.index(name)], sheet=name)
    workbook = _open_workbook(info.path)
    chosen = sheet or info.default_sheet
    if chosen is None or chosen not in [s.name for s in info.sheets]:
        raise SourceProblem(
            f"{info.path.name} has no sheet called '{chosen}'.",
            f"Choose one of: {', '.join(s.name for s in info.sheets)}.",
        )
    try:
        loaded = _sheet(workbook, info.path, chosen, info.format)
        data = loaded.sheet
        rows = data.to_python(skip_empty_area=False)
    except Exception as error:  # calamine: XML Excel never writes (entities, DTDs), bad parts
        raise SourceProblem(
            f"The sheet '{chosen}' of {info.path.name} could not be read ({error}).",
            "Open the file in Excel, save it again as .xlsx, and import again.",
        ) from error
    merged = [((a[0], a[1]), (b[0], b[1])) for a, b in (data.merged_cell_ranges or [])]
    # calamine starts at the first used cell; shift merged ranges to match.
    top, left = data.start if data.start else (0, 0)
    merged = [((r0 - top, c0 - left), (r1 - top, c1 - left)) for (r0, c0), (r1, c1) in merged]
    notices = []
    if info.format in ("xlsx", "xlsm"):
        from statdesk.importing import formulas

        uncalculated, errors = loaded.formulas or formulas.scan(info.path, chosen)
        if uncalculated:
            notices.append(formulas.notice(uncalculated))
        if errors:
            notices.append(formulas.error_notice(errors))
    return RawTable(rows, merged, sheet=chosen, notices=notices)


def _html_tables(path: Path) -> list[list[list[str]]]:
    """Tables of an HTML file (what some systems save as .xls), with the standard library."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tables: list[list[list[str]]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag == "table":
                self.tables.append([])
            elif tag == "tr" and self.tables:
                self.tables[-1].append([])
            elif tag in ("td", "th") and self.tables and self.tables[-1]:
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None:
                self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
                self.cell = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    text, _ = _read_text(path, None)
    parser = Tables()
    parser.feed(text)
    tables = [t for t in parser.tables if t]
    if not tables:
        raise SourceProblem(
            f"{path.name} is a web page without a table.", "Open it in Excel and save it as .xlsx."
        )
    return tables
