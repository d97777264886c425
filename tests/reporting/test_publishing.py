"""Publishing: the inventory as DCAT-US v1.1 data.json (checked before writing), spreadsheets
out with formula injection neutralised, and the public performance page (escaped, accessible,
self-contained)."""

from __future__ import annotations

import csv
import dataclasses
import itertools
import json
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from statdesk.domain.errors import StatDeskError
from statdesk.domain.vocabulary import AccessLevel, DatasetStatus, UpdateFrequency
from statdesk.reporting import dcat, site
from statdesk.storage import models as m
from statdesk.workspace import Workspace

pytestmark = pytest.mark.both_stores

HOSTILE = [
    '=HYPERLINK("http://example.com/x","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\tTabbed",
    "\rReturned",
]


# ---------------------------------------------------------------- data.json
def test_the_demo_catalog_keeps_the_v1_1_rules(demo: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "data.json"
    report = demo.exports.inventory(target)
    catalog = json.loads(target.read_text("utf-8"))
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert catalog["@type"] == "dcat:Catalog"
    listed = catalog["dataset"]
    public = [d for d in demo.query(m.Dataset) if d.access_level is not AccessLevel.NON_PUBLIC]
    assert report.written == len(listed) == len(public) > 0 and report.left_out == {}
    for entry in listed:
        assert dcat.problems_with(entry) == []
        for field in ("title", "description", "modified", "identifier", "accessLevel"):
            assert entry[field]
        assert entry["keyword"] and entry["publisher"]["name"]
        assert entry["contactPoint"]["hasEmail"].startswith("mailto:")
        assert entry["accessLevel"] in ("public", "restricted public")
        if entry["accessLevel"] != "public":
            assert entry["rights"]
        for distribution in entry.get("distribution", []):
            assert distribution["mediaType"] and distribution["downloadURL"].startswith("https")
    periodicities = {e.get("accrualPeriodicity") for e in listed} - {None}
    assert periodicities and periodicities <= set(dcat.PERIODICITY.values())
    assert len({e["identifier"] for e in listed}) == len(listed)

    demo.exports.inventory(tmp_path / "all.json", include_non_public=True)
    everything = json.loads((tmp_path / "all.json").read_text("utf-8"))
    assert len(everything["dataset"]) == len(demo.query(m.Dataset))


def test_an_inventory_with_missing_fields_is_reported_and_nothing_invalid_is_written(
    empty: Workspace, tmp_path: Path
) -> None:
    department = empty.create(m.Department, name="Parks").new_id(m.Department)
    contact = empty.create(m.Person, name="Kim Lo", email="kim@parks.example").new_id(m.Person)
    good = {
        "title": "Park Inspections",
        "description": "Every inspection.",
        "keywords": "parks; inspections",
        "last_updated": date(2026, 11, 1),
        "department_id": department,
        "contact_id": contact,
        "access_level": AccessLevel.PUBLIC,
        "update_frequency": UpdateFrequency.MONTHLY,
        "temporal_start": date(2020, 1, 1),
        "temporal_end": date(2026, 10, 31),
        "license": "CC0",
    }
    empty.create(m.Dataset, **good)
    empty.create(m.Dataset, title="Tree Canopy", access_level=AccessLevel.PUBLIC)
    empty.create(
        m.Dataset,
        **{
            **good,
            "title": "Shelter Intake",
            "access_level": AccessLevel.RESTRICTED_PUBLIC,
            "download_url": "https://parks.example/intake.bin",
            "license": "ask the clerk",
        },
    )
    target = tmp_path / "data.json"
    with pytest.raises(dcat.CatalogProblems) as caught:
        empty.exports.inventory(target)
    problems = caught.value.problems
    assert set(problems) == {"Tree Canopy", "Shelter Intake"}
    canopy = " ".join(problems["Tree Canopy"])
    for needed in ("description", "keyword", "last updated", "contact person", "email"):
        assert needed in canopy
    intake = " ".join(problems["Shelter Intake"])
    assert "rights statement" in intake and "media type" in intake and "web address" in intake
    assert "Tree Canopy" in caught.value.message and not target.exists()

    report = empty.exports.inventory(target, leave_out_invalid=True)
    written = json.loads(target.read_text("utf-8"))
    assert [d["title"] for d in written["dataset"]] == ["Park Inspections"]
    entry = written["dataset"][0]
    assert entry["temporal"] == "2020-01-01/2026-10-31"
    assert entry["accrualPeriodicity"] == "R/P1M"
    assert entry["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert entry["identifier"] == f"riverton-dataset-{empty.query(m.Dataset)[0].id}"
    assert report.written == 1 and set(report.left_out) == {"Tree Canopy", "Shelter Intake"}


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("modified", "last Tuesday", "ISO 8601 date"),
        ("modified", "2026-13-01", "ISO 8601 date"),
        ("accessLevel", "private", "access level"),
        ("temporal", "2020", "ISO 8601 interval"),
        ("accrualPeriodicity", "monthly", "update frequency"),
        ("landingPage", "javascript:alert(1)", "web address"),
        ("contactPoint", {"fn": "Kim", "hasEmail": "mailto:kim"}, "is not an address"),
        ("contactPoint", {"fn": "Kim", "hasEmail": "mailto:a#b@x.org"}, "is not an address"),
        ("keyword", ["", " "], "keyword"),
        ("rights", "x" * 256, "255"),
    ],
)
def test_each_rule_names_the_problem(field: str, value: object, words: str) -> None:
    entry = {
        "title": "T",
        "description": "D",
        "keyword": ["k"],
        "modified": "2026-11-01",
        "publisher": {"name": "Parks"},
        "contactPoint": {"fn": "Kim", "hasEmail": "mailto:kim@parks.example"},
        "identifier": "t",
        "accessLevel": "public",
    }
    assert dcat.problems_with(entry) == []
    entry[field] = value
    assert any(words in problem for problem in dcat.problems_with(entry))


def test_duplicate_identifiers_are_refused(empty: Workspace) -> None:
    """An identifier made from a landing page can meet another dataset's own identifier."""
    page = "https://data.riverton.example/d/a"
    empty.create(m.Dataset, title="A", identifier=page, access_level=AccessLevel.PUBLIC)
    empty.create(m.Dataset, title="B", landing_page=page, access_level=AccessLevel.PUBLIC)
    with pytest.raises(dcat.CatalogProblems) as caught:
        empty.exports.catalog()
    assert any("same identifier as 'A'" in p for p in caught.value.problems["B"])


# ---------------------------------------------------------------- spreadsheets
@pytest.fixture
def hostile_people(demo: Workspace) -> list[str]:
    for number, text in enumerate(HOSTILE):
        demo.create(m.Person, name=f"Person {number}", title=text, notes=text)
    return HOSTILE


def test_injection_strings_round_trip_as_text_through_csv_and_xlsx(
    demo: Workspace, hostile_people: list[str], tmp_path: Path
) -> None:
    csv_path = demo.exports.table("roster", tmp_path / "team.csv")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    titles = {r["Name"]: r["Title"] for r in rows}
    for number, text in enumerate(hostile_people):
        assert titles[f"Person {number}"] == "'" + text  # shown as text, never run
    frame = pd.read_csv(csv_path, encoding="utf-8-sig", keep_default_na=False)
    assert not frame["Title"].str.startswith(("=", "+", "-", "@")).any()

    xlsx_path = demo.exports.table("roster", tmp_path / "team.xlsx")
    sheet = openpyxl.load_workbook(xlsx_path)["Team"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    title_column = header.index("Title") + 1
    found = {}
    for row in sheet.iter_rows(min_row=2):
        cell = row[title_column - 1]
        found[row[0].value] = cell
    for number, text in enumerate(hostile_people):
        cell = found[f"Person {number}"]
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    read_back = pd.read_excel(
        xlsx_path, sheet_name="Team", keep_default_na=False, engine="calamine"
    )
    assert set(hostile_people) <= set(read_back["Title"])


def test_metric_numbers_stay_numbers_in_their_units_format_and_dates_are_dates(
    demo: Workspace, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(demo.exports.table("metrics", tmp_path / "metrics.xlsx"))
    assert book.sheetnames == ["Metrics", "Values"]
    values = book["Values"]
    header = [c.value for c in values[1]]
    rows = list(values.iter_rows(min_row=2))
    by_unit = {}
    for row in rows:
        unit, value, starts = (
            row[header.index("Unit")].value,
            row[header.index("Value")],
            row[header.index("Period starts")],
        )
        if value.value is not None:
            assert isinstance(value.value, (int, float))
            by_unit.setdefault(unit, value.number_format)
        assert isinstance(starts.value, datetime) and starts.number_format == "yyyy-mm-dd"
    assert by_unit["Percent"].endswith('"%"')
    assert by_unit["Minutes"].endswith('"min"')
    assert by_unit["Count"].startswith("#,##0")
    assert values.column_dimensions["A"].width > 20

    frame = pd.read_csv(
        demo.exports.table("metrics", tmp_path / "values.csv"), encoding="utf-8-sig"
    )
    assert (
        frame["Value"].dtype.kind == "f"
        and frame["Period starts"].str.match(r"\d{4}-\d\d-\d\d$").all()
    )
    assert len(frame) == len(rows)


def test_every_table_exports_and_a_wrong_extension_is_explained(
    demo: Workspace, tmp_path: Path
) -> None:
    for kind in ("roster", "inventory", "metrics", "actions"):
        for suffix in (".csv", ".xlsx"):
            assert demo.exports.table(kind, tmp_path / f"{kind}{suffix}").stat().st_size > 100
    actions = pd.read_excel(tmp_path / "actions.xlsx", engine="calamine")
    assert len(actions) == len(demo.meetings.action_rows())
    inventory = pd.read_csv(tmp_path / "inventory.csv", encoding="utf-8-sig")
    assert len(inventory) == len(demo.query(m.Dataset))
    with pytest.raises(StatDeskError, match=r"\.csv or \.xlsx"):
        demo.exports.table("roster", tmp_path / "team.ods")
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


# ---------------------------------------------------------------- the public page
class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _contrast(foreground: str, background: str = "#ffffff") -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_public_page_escapes_every_text_and_links_only_web_addresses(
    demo: Workspace, tmp_path: Path
) -> None:
    kpi = next(s for s in demo.metrics.summaries() if s.is_kpi and s.active)
    demo.update(m.Metric, kpi.id, name="<script>alert('name')</script> & $5 $ per")
    goal = demo.query(m.Goal)[0]
    demo.update(m.Goal, goal.id, title='<img src=x onerror="alert(1)">')
    dataset = demo.query(m.Dataset)[0]
    demo.update(
        m.Dataset,
        dataset.id,
        title="]#set page(width: 1pt)",
        status=DatasetStatus.PUBLISHED,
        access_level=AccessLevel.PUBLIC,
    )
    text = demo.exports.site(tmp_path / "site.html").read_text("utf-8")
    # Addresses the inventory editor refuses, as a file changed elsewhere could hold them.
    from statdesk.storage.views.inventory import dataset_facts

    with demo._reading() as session:
        forged = dataclasses.replace(
            dataset_facts(session)[0],
            landing_page="javascript:alert(1)",
            download_url='https://x.example/a" onclick="alert(1)',
        )
    text += site.page("C", "", [], {}, {}, [forged], date(2026, 11, 20))
    parsed = _Page()
    parsed.feed(text)
    tags = parsed.tags
    assert not [t for t, _ in tags if t in ("script", "img", "iframe", "object", "link")]
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on")]
    hrefs = [attrs.get("href") or "" for t, attrs in tags if t == "a"]
    assert not [h for h in hrefs if not (h.startswith(("#", "https://", "http://")))]
    words = "".join(parsed.text)
    assert "<script>alert('name')</script> & $5 $ per" in words
    assert '<img src=x onerror="alert(1)">' in words
    assert "]#set page(width: 1pt)" in words
    # nothing is fetched: no external style, script, image or font
    assert not re.search(r"<[^>]*\bsrc=|@import|url\(\s*['\"]?https?:", text)


def test_the_public_page_has_the_accessibility_basics(demo: Workspace, tmp_path: Path) -> None:
    text = demo.exports.site(tmp_path / "site.html", date(2026, 11, 20)).read_text("utf-8")
    parsed = _Page()
    parsed.feed(text)
    tags = parsed.tags
    names = [t for t, _ in tags]
    assert ("html", {"lang": "en"}) in tags
    for landmark in ("header", "nav", "main", "footer"):
        assert names.count(landmark) == 1
    assert any(t == "a" and a.get("href") == "#main" for t, a in tags)  # skip link
    levels = [int(t[1]) for t in names if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    ids = [a["id"] for _, a in tags if a.get("id")]
    assert len(ids) == len(set(ids))  # charts' ids made unique
    svgs = [a for t, a in tags if t == "svg"]
    kpis = [s for s in demo.metrics.summaries() if s.is_kpi and s.active]
    assert len(svgs) == len(kpis) > 0
    for attrs in svgs:  # the caption says what it shows, once; the drawing is not read
        assert attrs["aria-hidden"] == "true" and "role" not in attrs
    assert names.count("figcaption") == len(svgs)
    assert names.count("table") == len(svgs) + 1  # one per chart, and the datasets
    # every table scrolls sideways in a region of its own, named, so the page reflows at
    # 320 px without scrolling sideways itself
    regions = [a for t, a in tags if t == "div" and a.get("class") == "scroll"]
    assert len(regions) == names.count("table")
    assert all(a["role"] == "region" and a["aria-label"] and a["tabindex"] == "0" for a in regions)
    assert "overflow-wrap: anywhere" in text and ".scroll { overflow-x: auto" in text
    # the story behind the curve, under the chart
    noted = [v for v in demo.query(m.MetricValue) if v.note]
    kpi_ids = {k.id for k in kpis}
    assert any(v.metric_id in kpi_ids for v in noted)
    assert "About these numbers" in "".join(parsed.text)
    for value in noted:
        if value.metric_id in kpi_ids and value.period_start >= date(2026, 8, 1):
            assert value.note in "".join(parsed.text), value.note
    assert all(a.get("scope") in ("col", "row") for t, a in tags if t == "th")
    words = "".join(parsed.text)
    for status in ("On target", "Off target", "Within tolerance"):
        if any(s.status.label == status for s in kpis):
            assert re.search(rf"[●◐▲○–] {status}", words)  # a shape and a word, not colour only
    for colour in (*site.STATUS_COLOURS.values(), site.INK, site.MUTED, site.ACCENT):
        assert _contrast(colour) >= 4.5, colour
    published = [d for d in demo.query(m.Dataset) if d.status is DatasetStatus.PUBLISHED]
    assert published and all(
        d.title in words for d in published if d.access_level.value == "public"
    )
