"""Formulas with no stored result (a workbook written by a program, never opened in Excel) are
named in a notice instead of silently reading as empty; Excel's own files are untouched."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from statdesk.importing.plan import ImportOptions
from statdesk.importing.planning import plan_import


def test_uncalculated_formulas_are_named_and_calculated_ones_read(tmp_path: Path) -> None:
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    cover["A1"] = "=1+1"  # another sheet's formula is not this import's business
    sheet = book.create_sheet("Values")
    sheet.append(["Metric", "Month", "Actual"])
    sheet.append(["Potholes", "Jan 2026", 5])
    sheet.append(["Potholes", "Feb 2026", "=C2*2"])  # openpyxl stores no result
    sheet.append(["Potholes", "Mar 2026", 7])
    path = tmp_path / "generated.xlsx"
    book.save(path)
    plan = plan_import(path, ImportOptions("values", sheet="Values"), 7)
    [notice] = [n for n in plan.notices if "never calculated" in n]
    assert "C3 =C2*2" in notice and "Open the file in Excel, save it" in notice
    assert "A1" not in notice
    assert [v.value for v in plan.values] == [5.0, 7.0]


def test_a_workbook_without_formulas_has_no_formula_notice(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Metric", "Month", "Actual"])
    book.active.append(["Potholes", "Jan 2026", 5])
    path = tmp_path / "plain.xlsx"
    book.save(path)
    plan = plan_import(path, ImportOptions("values"), 7)
    assert not any("formula" in n for n in plan.notices)


def test_each_way_of_writing_a_missing_result_is_recognised() -> None:
    from statdesk.importing.formulas import _scan

    xml = (
        b'<c r="A1"><f>1+1</f><v/></c>'  # openpyxl without lxml
        b'<c r="A2"><f>1+2</f><v></v></c>'  # openpyxl with lxml
        b'<c r="A3"><f>1+3</f></c>'  # no value element at all
        b'<c r="A4" s="1"><f>1+4</f><v>5</v></c>'  # Excel: calculated
        b'<c r="A5" t="str"><f>""</f><v></v></c>'  # Excel: a formula giving empty text
        b'<c r="A6"><f t="shared" si="0"/></c>'  # a shared formula, never calculated
    )
    assert _scan(xml) == [
        ("A1", "=1+1"),
        ("A2", "=1+2"),
        ("A3", "=1+3"),
        ("A6", "(shared formula)"),
    ]
