"""Formulas that were never calculated, and formulas whose result is an error.

Excel stores each formula's last result beside it, and python-calamine reads that result. A
workbook written by another program (a report generator, a script using openpyxl) may carry
formulas with no stored result: they read as empty cells. StatDesk cannot calculate Excel
formulas, so it finds those cells, by scanning the sheet's XML as a stream, and says which they
are and what to do (open the file in Excel and save it). A workbook Excel saved (it has a
calculation chain) is not scanned: the scan costs about 0.1 s per 100,000 rows.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from statdesk.domain.numbers import counted

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# One cell: its attributes, then its content up to the cell's end.
_CELL = re.compile(rb"<c\s([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]{1,3}\d{1,7})"')
_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>(.*?)</f>)", re.DOTALL)
# A stored result: a value with content. An empty one (`<v/>`, `<v></v>`, as openpyxl writes)
# is none, except in a text cell (t="str"), where Excel stores an empty text result that way.
_RESULT = re.compile(rb"<v(?:\s[^>/]*)?>[^<]+</v>")
_EMPTY_TEXT = re.compile(rb"<v(?:\s[^>/]*)?></v>")
_CHUNK = 1 << 20
MAX_LISTED = 20


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding the named sheet (workbook.xml names it, its rels place it)."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PACKAGE_REL}Relationship")}
    for entry in book.iter(f"{_MAIN}sheet"):
        if entry.get("name") == sheet:
            target = targets.get(entry.get(f"{_REL}id"), "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def scan(path: Path, sheet: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(cell, formula) for each formula cell of `sheet` with no stored result, and (cell,
    error) for each cell holding a formula's error (#DIV/0!, #N/A…), which calamine reads as
    empty; nothing for a file that is not an xlsx package. Memory stays bounded: the XML is
    read in chunks. A workbook Excel saved stores every result, so it is not scanned."""
    uncalculated: list[tuple[str, str]] = []
    errors: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            if "xl/calcChain.xml" in archive.namelist():
                return [], []
            part = _sheet_part(archive, sheet)
            if part is None or part not in archive.namelist():
                return [], []
            with archive.open(part) as stream:
                tail = b""
                while chunk := stream.read(_CHUNK):
                    text = tail + chunk
                    cut = text.rfind(b"</c>")
                    cut = cut + 4 if cut >= 0 else 0
                    if b"<f" in text[:cut]:
                        uncalculated += _scan(text[:cut])
                    if b't="e"' in text[:cut]:
                        errors += _errors(text[:cut])
                    tail = text[cut:]
                    if len(tail) > 16 * _CHUNK:  # not cells at all: give up quietly
                        break
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        pass
    return uncalculated, errors


_VALUE = re.compile(rb"<v(?:\s[^>/]*)?>([^<]+)</v>")


def _errors(xml: bytes) -> list[tuple[str, str]]:
    found = []
    for cell in _CELL.finditer(xml):
        attributes, body = cell.group(1), cell.group(2) or b""
        value = _VALUE.search(body)
        if b't="e"' in attributes and value:
            ref = _REF.search(attributes)
            found.append((ref.group(1).decode() if ref else "?", value.group(1).decode()))
    return found


def _scan(xml: bytes) -> list[tuple[str, str]]:
    found = []
    for cell in _CELL.finditer(xml):
        attributes, body = cell.group(1), cell.group(2) or b""
        formula = _FORMULA.search(body)
        if formula is None or _RESULT.search(body) or b"<is>" in body:
            continue  # no formula, or its result is stored
        if b't="str"' in attributes and _EMPTY_TEXT.search(body):
            continue  # a formula whose result is empty text
        ref = _REF.search(attributes)
        text = (formula.group(1) or b"").decode("utf-8", "replace")
        found.append(
            (ref.group(1).decode() if ref else "?", f"={text}" if text else "(shared formula)")
        )
    return found


def _listed(cells: list[tuple[str, str]]) -> str:
    listed = ", ".join(f"{ref} {text}" for ref, text in cells[:MAX_LISTED])
    more = f" and {len(cells) - MAX_LISTED:,} more" if len(cells) > MAX_LISTED else ""
    return listed + more


def notice(cells: list[tuple[str, str]]) -> str:
    return (
        f"{counted(len(cells), 'cell')} holding a formula that was never calculated "
        f"({_listed(cells)}): read as empty. Open the file in Excel, save it, and import again "
        "to bring their values in."
    )


def error_notice(cells: list[tuple[str, str]]) -> str:
    return (
        f"{counted(len(cells), 'cell')} holding a formula's error ({_listed(cells)}): read as "
        "empty. Correct them in Excel and import again, or leave those values out."
    )
