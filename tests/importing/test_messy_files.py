"""A standing corpus of messy files, made by the tests, one per mess departments send; each is
read, shaped and planned as the analyst would want, or refused with a sentence."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from statdesk.domain.periods import label
from statdesk.importing.plan import ImportOptions
from statdesk.importing.planning import plan_import
from statdesk.importing.shape import shape
from statdesk.importing.sources import SourceProblem, inspect_source, read_table


def write_xlsx(
    path: Path,
    rows: list[list[object]],
    merged: list[str] = (),  # type: ignore[assignment]
    hidden: bool = False,
) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    for area in merged:
        sheet.merge_cells(area)
    if hidden:
        secret = book.create_sheet("Lookups")
        secret.append(["x"])
        secret.sheet_state = "veryHidden"
        book.move_sheet("Lookups", offset=-1)
    book.save(path)
    return path


def test_format_comes_from_the_bytes_not_the_extension(tmp_path: Path) -> None:
    csv_as_xls = tmp_path / "export.xls"
    csv_as_xls.write_text("Metric,Value\nPotholes,12\n")
    assert inspect_source(csv_as_xls).format == "csv"
    html = tmp_path / "report.xls"
    html.write_text(
        "<html><body><table><tr><th>Metric</th><th>Value</th></tr>"
        "<tr><td>Potholes</td><td>12</td></tr></table></body></html>"
    )
    info = inspect_source(html)
    assert info.format == "html"
    assert shape(read_table(info)).rows == [["Potholes", "12"]]
    book = write_xlsx(tmp_path / "data.csv", [["Metric", "Value"], ["Potholes", 12]])
    assert inspect_source(book).format == "xlsx"


def test_windows_1252_csv_with_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_bytes("Indicateur;Période;Valeur\nRéparations;Jan 2026;64,98%\n".encode("cp1252"))
    info = inspect_source(path)
    assert (info.encoding, info.delimiter) == ("cp1252", ";")
    assert shape(read_table(info)).columns == ["Indicateur", "Période", "Valeur"]


def test_hidden_sheets_are_listed_but_not_chosen(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "b.xlsx", [["Metric", "Value"], ["Potholes", 1]], hidden=True)
    info = inspect_source(book)
    assert [(s.name, s.visible) for s in info.sheets] == [("Lookups", False), ("Data", True)]
    assert info.default_sheet == "Data"


def test_titles_two_level_headers_totals_and_footnotes(tmp_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "t.xlsx",
        [
            ["Public Works Report"],
            ["Fiscal year 2026"],
            [None, "Counts", None, "Rates", None],
            ["Crew", "Potholes\nfilled", "Lights1", "Per mile", "Per day"],
            ["North", 120, 30, 1.5, 4],
            ["South", 80, 12, 0.9, 2],
            [None, None, None, None, None],
            ["Grand Total", 200, 42, None, None],
            ["1 Lights counted by work orders closed, not opened."],
        ],
        merged=["B3:C3", "D3:E3"],
    )
    table = shape(read_table(inspect_source(book)))
    assert table.header_row == 4
    assert table.columns == [
        "Crew",
        "Counts: Potholes filled",
        "Counts: Lights",
        "Rates: Per mile",
        "Rates: Per day",
    ]
    # The total stays in the table, marked as such: the planner leaves it out and lists it.
    assert [r[0] for r in table.rows] == ["North", "South", "Grand Total"]
    assert {i: t.label for i, t in table.totals.items()} == {2: "Grand Total"}
    assert "sum of rows 5–6" in table.totals[2].reason
    notices = " ".join(table.notices)
    assert "note or footnote" in notices and "titles" in notices


def test_phantom_used_range_and_ids_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("ZIP,Dept code,Count,,,\n02134,007,5,,,\n" + ",,,,,\n" * 500)
    table = shape(read_table(inspect_source(path)))
    assert table.columns == ["ZIP", "Dept code", "Count"]
    assert table.rows == [["02134", "007", "5"]]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "is empty"),
        ("picture.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a spreadsheet"),
        ("only_title.csv", b"Report for council\n\n\n", r"only one row \(Report for council\)"),
        ("feed.xml", b"<?xml version='1.0'?><root><a/></root>", "XML file"),
    ],
)
def test_files_that_are_not_tables_are_refused_with_a_sentence(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceProblem, match=message):
        shape(read_table(inspect_source(path)))


def test_a_password_protected_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret.xlsx"  # an encrypted workbook is an OLE file with this stream
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 512
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 512
    )
    with pytest.raises(SourceProblem, match="protected by a password"):
        inspect_source(path)


def test_a_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 60_000_000)
    with pytest.raises(SourceProblem, match="far more than a real workbook"):
        inspect_source(path)


def test_numbers_stored_as_text_sentinels_and_wide_periods(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(
        "Measure,Dept,FY 24 Actual,FY 25 Actual,FY 25 Target\n"
        'Potholes filled,Public Works,"1,234",N\\A,"1,300"\n'
        'Budget,Finance,"$2,500,000 ","(12,000)",No Data\n'
        "Grade,Finance,AAA,AA,\n"
    )
    plan = plan_import(path, ImportOptions("values"), 7)
    assert plan.ready and [w.column for w in plan.wide] == [
        "FY 24 Actual",
        "FY 25 Actual",
        "FY 25 Target",
    ]
    values = {(v.metric, label(v.period, 7), v.field): (v.value, v.note) for v in plan.values}
    assert values[("Potholes filled", "FY2024", "actual")] == (1234.0, None)
    assert values[("Potholes filled", "FY2025", "actual")] == (None, "N\\A")
    assert values[("Budget", "FY2025", "actual")] == (-12000.0, None)
    assert values[("Budget", "FY2025", "target")] == (None, "No Data")
    assert values[("Grade", "FY2024", "actual")] == (None, "AAA")
    assert [(p.row, p.column) for p in plan.problems] == [(4, "FY 24 Actual"), (4, "FY 25 Actual")]


def test_fiscal_month_columns_take_the_year_from_a_column(tmp_path: Path) -> None:
    path = tmp_path / "months.csv"
    path.write_text("MEASURE_NAME,CFY,OCT,NOV,SEP,QTR1\nCalls,2016,10,11,12,31\n")
    plan = plan_import(path, ImportOptions("values"), 10)
    periods = {v.period.start for v in plan.values}
    assert {date(2015, 10, 1), date(2015, 11, 1), date(2016, 9, 1)} <= periods
    assert any(label(v.period, 10) == "FY2016 Q1" and v.value == 31 for v in plan.values)


def test_long_values_with_excel_dates(tmp_path: Path) -> None:
    book = write_xlsx(
        tmp_path / "long.xlsx",
        [
            ["Metric", "Month", "Actual", "Target"],
            ["Potholes filled", date(2026, 1, 1), 120, 100],
            ["Potholes filled", "Feb-2026", "130", ""],
            ["Potholes filled", "sometime", 5, 5],
        ],
    )
    plan = plan_import(book, ImportOptions("values"), 7)
    got = sorted((label(v.period, 7), v.field, v.value) for v in plan.values)
    assert got == [
        ("Feb 2026", "actual", 130.0),
        ("Jan 2026", "actual", 120.0),
        ("Jan 2026", "target", 100.0),
    ]
    assert plan.skipped_rows == {4}


def test_roster_with_name_and_title_in_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        'agency,submitter,reviewer\nPublic Works,"Ana Ruiz - Director",'
        '"Budget Analyst - Bo Lee"\nParks,"Cy Park - Director","Bo Lee"\n'
    )
    plan = plan_import(path, ImportOptions("roster"), 7)
    people = {p["name"]: p for p in plan.people}
    assert set(people) == {"Ana Ruiz", "Bo Lee", "Cy Park"}
    assert people["Bo Lee"]["title"] == "Budget Analyst"
    assert ("department_contact", "Public Works") in people["Ana Ruiz"]["roles"]
    assert plan.departments == {"Public Works", "Parks"}


def test_raw_rows_become_monthly_values(tmp_path: Path) -> None:
    path = tmp_path / "311.csv"
    path.write_text(
        "Created,Closed,Type\n"
        "01/03/2026 09:00:00 AM,01/04/2026 09:00:00 AM,Pothole\n"
        "01/10/2026 10:00:00 AM,01/15/2026 10:00:00 AM,Pothole\n"
        "01/11/2026 10:00:00 AM,,Graffiti\n"
        "02/02/2026 11:00:00 AM,02/03/2026 11:00:00 AM,Pothole\n"
        "not a date,,Pothole\n"
    )
    options = ImportOptions(
        "raw", date_column="Created", metric="Requests", filters=["Type=pothole"]
    )
    with pytest.raises(SourceProblem, match=r"read either way.*--date-order"):
        plan_import(path, options, 7)  # 01/03 … 02/02: 3 January or 1 March? Not a guess.
    options.date_order = "mdy"
    count = plan_import(path, options, 7)
    assert [(v.period.start, v.value) for v in count.values] == [
        (date(2026, 1, 1), 2.0),
        (date(2026, 2, 1), 1.0),
    ]
    assert any("without a readable date" in n for n in count.notices)
    share = plan_import(
        path,
        ImportOptions(
            "raw", date_column="Created", metric="On time", measure="share_within:Created,Closed,2"
        ),
        7,
    )
    assert [(v.period.start, v.value) for v in share.values] == [
        (date(2026, 1, 1), 50.0),
        (date(2026, 2, 1), 100.0),
    ]


def test_raw_sums_read_numbers_as_the_coercer_does(tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    path.write_text(
        'Paid on,Amount\n2026-01-05,"$1,000"\n2026-01-09,"(200)"\n2026-01-20,N/A\n2026-02-02,50.5\n'
    )
    plan = plan_import(
        path, ImportOptions("raw", date_column="Paid on", metric="Paid", measure="sum:Amount"), 7
    )
    assert [(v.period.start, v.value) for v in plan.values] == [
        (date(2026, 1, 1), 800.0),
        (date(2026, 2, 1), 50.5),
    ]
