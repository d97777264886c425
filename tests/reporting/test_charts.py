"""Charts: valid PNG, SVG and PDF files, and alternative text that says what they show."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from statdesk.domain.periods import Period
from statdesk.domain.status import Status
from statdesk.domain.vocabulary import Direction, Frequency, RollUp, Unit
from statdesk.reporting import chart_series, charts
from statdesk.workspace import Workspace
from tests.conftest import AS_OF

pytestmark = pytest.mark.both_stores


def known_series(**changes: object) -> chart_series.ChartSeries:
    periods = tuple(Period(date(2025, month, 1), Frequency.MONTHLY) for month in range(1, 7))
    fields: dict[str, object] = {
        "title": "Potholes repaired within 48 hours",
        "periods": periods,
        "labels": tuple(f"{p.start:%b %Y}" for p in periods),
        "actual": (80.0, 82.0, 84.0, 85.0, 87.0, None),
        "target": (90.0,) * 6,
        "forecast": (None,) * 5 + (88.0,),
        "unit": Unit.PERCENT,
        "decimals": 0,
        "unit_label": None,
        "frequency": Frequency.MONTHLY,
        "direction": Direction.UP,
        "band": (None, None),
        "roll_up": RollUp.AVERAGE,
        "status": Status.OFF_TARGET,
        "fiscal_year_start": 7,
    }
    fields.update(changes)
    return chart_series.ChartSeries(**fields)  # type: ignore[arg-type]


def test_alt_text_for_a_known_series() -> None:
    assert chart_series.alt_text(known_series(), "improving 4 months in a row") == (
        "Potholes repaired within 48 hours, monthly, January 2025 to May 2025; latest 87% in "
        "May 2025 against a target of 90% (off target); improving 4 months in a row; "
        "forecast 88% for June 2025; higher is better."
    )


def test_alt_text_for_a_band_and_for_no_data() -> None:
    band = known_series(
        direction=Direction.BAND,
        band=(15.0, 20.0),
        title="Reserve",
        status=Status.WITHIN_TOLERANCE,
        actual=(16.0, 14.5) + (None,) * 4,
    )
    assert chart_series.alt_text(band) == (
        "Reserve, monthly, January 2025 to February 2025; latest 15% in February 2025 against "
        "a band of 15% to 20% (within tolerance); forecast 88% for June 2025; best kept "
        "within the band."
    )
    empty = known_series(actual=(None,) * 6)
    assert (
        chart_series.alt_text(empty) == "Potholes repaired within 48 hours, monthly: no values "
        "recorded yet."
    )


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_every_format_is_a_valid_file_with_its_description(tmp_path: Path, suffix: str) -> None:
    series = known_series()
    target = charts.save(
        charts.figure(series),
        tmp_path / f"chart{suffix}",
        title=series.title,
        description="What the chart shows.",
    )
    data = target.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and b"What the chart shows." in data
        from PIL import Image

        with Image.open(target) as image:
            assert image.size == (1600, 840)  # 8 x 4.2 inches at 200 dpi
    elif suffix == ".svg":
        root = ET.fromstring(data)
        assert root.tag.endswith("svg")
        assert "What the chart shows." in data.decode()
    else:
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_unknown_formats_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="PNG, SVG or PDF"):
        charts.save(charts.figure(known_series()), tmp_path / "c.gif", title="t", description="d")


def test_series_and_chart_of_every_demo_metric(demo: Workspace, tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    for summary in demo.metrics.summaries(AS_OF):
        series = chart_series.series_of(demo.metrics.detail(summary.id, AS_OF))
        assert series.actual[0] is not None  # charts start at the first value
        figure = charts.figure(series)
        assert isinstance(figure, Figure)
        legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
        assert legend[0] == "Actual" and ("Target" in legend or legend[1].startswith("Target band"))
        text = chart_series.alt_text(series)
        assert text.startswith(summary.name) and summary.show(summary.latest.actual) in text  # type: ignore[union-attr]


def test_the_package_never_uses_pyplot() -> None:
    package = Path(charts.__file__).resolve().parents[1]
    pattern = re.compile(r"matplotlib\.pyplot|from matplotlib import pyplot")
    offenders = [p for p in package.rglob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert offenders == []


def test_dollar_signs_are_text_and_every_label_stays_inside_the_chart() -> None:
    """Two '$' once made matplotlib read a name as math; the fixed margins must still fit the
    widest y-axis label, and the latest value's label turns left near the right edge."""
    series = known_series(
        title=r"Cost per $1,000 of \undefined $ spent",
        unit=Unit.CURRENCY,
        actual=(1_250_000.0, 1_300_000.0, 1_280_000.0, 1_310_000.0, 1_350_000.0, 1_400_000.0),
        target=(1_200_000.0,) * 6,
        forecast=(None,) * 6,
        direction=Direction.DOWN,
    )
    figure = charts.figure(series)
    charts.fixed(figure)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    page = figure.bbox
    axes = figure.axes[0]
    assert axes.get_title(loc="left") == r"Cost per $1,000 of \undefined $ spent"
    texts = [
        *axes.get_yticklabels(),
        *axes.get_xticklabels(),
        axes.title,
        axes._left_title,  # the title set with loc="left"
        *axes.texts,
        *axes.get_legend().get_texts(),
    ]
    for text in texts:
        if not text.get_text() or not text.get_visible():
            continue
        box = text.get_window_extent(renderer)
        assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1, text.get_text()
        assert page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1, text.get_text()


def test_ten_years_of_months_are_labelled_by_year_not_crowded_by_quarter() -> None:
    from datetime import date
    from types import SimpleNamespace

    from statdesk.domain.periods import Period
    from statdesk.domain.vocabulary import Frequency
    from statdesk.reporting.charts import _tick_positions

    months = [Period(date(2016 + i // 12, i % 12 + 1, 1), Frequency.MONTHLY) for i in range(120)]
    series = SimpleNamespace(
        periods=months, frequency=Frequency.MONTHLY, fiscal_year_start=7
    )  # the three fields the tick choice reads
    wide = _tick_positions(series, width=8.0)  # type: ignore[arg-type]
    narrow = _tick_positions(series, width=4.0)  # type: ignore[arg-type]
    assert all(months[i].start.month == 7 for i in wide)  # each fiscal year's first month
    assert set(narrow) < set(wide)  # every other year, say, where a year each would crowd
    three_years = months[:36]
    series.periods = three_years  # type: ignore[attr-defined]
    quarters = _tick_positions(series, width=8.0)  # type: ignore[arg-type]
    assert {three_years[i].start.month for i in quarters} == {1, 4, 7, 10}


def test_comparisons_are_drawn_labelled_and_named_in_the_alt_text(
    empty: Workspace, tmp_path: Path
) -> None:
    from statdesk.importing.plan import ImportOptions
    from statdesk.storage.models import Metric

    source = tmp_path / "rates.csv"
    source.write_text(
        "Indicator,Geography,Year,Value\n"
        + "".join(
            f"Violent crime rate,{place},{year},{base + year - 2020}\n"
            for year in range(2020, 2026)
            for place, base in (
                ("Riverton", 500),
                ("State", 380),
                ("United States", 360),
                ("North district", 700),
            )
        )
    )
    options = ImportOptions("values", mapping={"Geography": "series"}, own_series="Riverton")
    empty.imports.run(empty.imports.plan(source, options))
    [metric] = empty.query(Metric)
    detail = empty.metrics.detail(metric.id, date(2026, 1, 1))
    assert {line.name for line in detail.series} == {"State", "United States", "North district"}
    series, alt = charts.described(detail)
    names = [name for name, _values in series.comparisons]
    assert sorted(names) == ["State", "United States"]  # the district is a breakdown: not drawn
    assert "compared with" in alt and "United States (365 in FY2025)" in alt
    fig = charts.figure(series)
    legend = [text.get_text() for text in fig.axes[0].get_legend().get_texts()]
    assert legend[0] == "Actual" and {"State", "United States"} <= set(legend)
    drawn = {line.get_label(): line for line in fig.axes[0].get_lines()}
    values = [v for v in drawn["State"].get_ydata() if v == v]
    assert values == [380, 381, 382, 383, 384, 385]


def test_charts_are_set_in_the_documents_font(tmp_path: Path) -> None:
    """The memos' body is Noto Sans (shipped with StatDesk); the charts in them were DejaVu."""
    figure = charts.figure(known_series())
    axes = figure.axes[0]
    texts = [axes.title, *axes.texts, *axes.get_legend().get_texts(), *axes.get_xticklabels()]
    assert {t.get_fontname() for t in texts if t.get_text()} == {"Noto Sans"}
    svg = charts.to_bytes(figure, "svg").decode("utf-8")
    # the others only for what the first lacks
    assert "font-family: 'Noto Sans', 'Noto Sans CJK SC', 'DejaVu Sans'" in svg
