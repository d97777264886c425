"""The public performance page: one self-contained HTML file (no server, nothing fetched: the
style is inline, the charts are inline SVG) with the key performance indicators by priority
and goal, each with its status, latest value, target, trend, chart and a table of the
numbers behind the chart, and the datasets the city publishes.

Made for WCAG 2.1 AA: a language, landmarks (header, nav, main, footer) and a skip link,
headings in order, text contrast of at least 4.5:1, status in a word and a shape as well as
a colour, every chart an image with a title and a caption, tables with header cells, and
focus visible for the keyboard. Every text from the file is escaped; links are only made
for http(s) addresses.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from statdesk.domain.status import Status, on_track
from statdesk.storage.views.goals import PriorityNode
from statdesk.storage.views.inventory import DatasetFacts
from statdesk.storage.views.metrics import MetricDetail

INK, PAPER, MUTED, ACCENT = "#1f1f1f", "#ffffff", "#4a4a4a", "#005a8c"
# Text colours for each status, all at least 4.5:1 on white (tests/reporting check it).
STATUS_COLOURS = {
    Status.ON_TARGET: "#146c2e",
    Status.WITHIN_TOLERANCE: "#7a5300",
    Status.OFF_TARGET: "#b3261e",
    Status.NO_TARGET: "#4a4a4a",
    Status.NO_DATA: "#4a4a4a",
    Status.NO_DIRECTION: "#4a4a4a",
}
TABLE_PERIODS = 12  # the table under each chart: the latest twelve periods
_LINK = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)

STYLE = f"""
:root {{ color: {INK}; background: {PAPER}; }}
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial,
  sans-serif; line-height: 1.5; margin: 0 auto; max-width: 62rem; padding: 0 1rem 3rem;
  overflow-wrap: anywhere; }}
a {{ color: {ACCENT}; }}
a:focus, summary:focus {{ outline: 3px solid {ACCENT}; outline-offset: 2px; }}
.skip {{ position: absolute; left: -100rem; }}
.skip:focus {{ position: static; display: inline-block; margin: .5rem 0; }}
header {{ border-bottom: 2px solid {INK}; margin-bottom: 1rem; }}
header p {{ margin: .25rem 0; }}
.city {{ font-weight: 600; color: {MUTED}; }}
nav ul {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }}
h2 {{ margin-top: 2.5rem; border-bottom: 1px solid #bbbbbb; }}
h3 {{ margin-top: 1.75rem; }}
.kpi {{ border: 1px solid #bbbbbb; border-radius: 6px; padding: .25rem 1rem 1rem;
  margin: 1rem 0; }}
.kpi h4 {{ font-size: 1.15rem; margin: .75rem 0 .25rem; }}
.status {{ font-weight: 700; margin: 0; }}
dl {{ display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr);
  gap: .1rem 1rem; margin: .5rem 0; }}
.scroll {{ overflow-x: auto; max-width: 100%; }}
.scroll:focus {{ outline: 3px solid {ACCENT}; outline-offset: 2px; }}
dt {{ font-weight: 600; }} dd {{ margin: 0; }}
figure {{ margin: .5rem 0; }}
figure svg {{ width: 100%; height: auto; max-width: 48rem; }}
figure svg text {{ font-family: "Noto Sans", "DejaVu Sans", Verdana, sans-serif; }}
figcaption {{ color: {MUTED}; font-size: .95rem; }}
table {{ border-collapse: collapse; margin: .5rem 0; }}
th, td {{ border: 1px solid #bbbbbb; padding: .2rem .6rem; text-align: left; }}
td.number {{ text-align: right; font-variant-numeric: tabular-nums; }}
caption {{ text-align: left; font-weight: 600; }}
footer {{ margin-top: 3rem; color: {MUTED}; font-size: .9rem; }}
{"".join(f".s-{s.value} {{ color: {c}; }} " for s, c in STATUS_COLOURS.items())}
"""


@dataclass(frozen=True)
class SiteChart:
    svg: str  # matplotlib's SVG of the metric's chart
    alt: str
    notes: tuple[tuple[str, str], ...] = ()  # (period, note), latest first: "About these numbers"


def e(text: object) -> str:
    """Text as HTML text or attribute value: never markup."""
    return html.escape(str(text), quote=True)


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _link(url: str, text: str) -> str:
    url = url.strip()
    return f'<a href="{e(url)}">{e(text)}</a>' if _LINK.match(url) else e(text)


def inline_svg(svg: str, prefix: str, title: str) -> str:
    """matplotlib's SVG made fit to sit in a page beside others: no XML prologue or metadata,
    every id prefixed (two charts would otherwise share ids), sized by CSS, and an image
    with a title for assistive technology."""
    body = svg[svg.index("<svg") :]
    body = re.sub(r"<metadata>.*?</metadata>", "", body, flags=re.DOTALL)
    body = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', body)
    body = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", body)
    body = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', body)
    opening = re.match(r"<svg\b[^>]*>", body)
    assert opening is not None
    tag = re.sub(r'\s(width|height)="[^"]*"', "", opening.group(0))
    # The figure's caption says what the chart shows, once: the drawing itself is hidden from
    # screen readers (it would be read a second time), its title kept for a mouse's tooltip.
    tag = tag[:-1] + ' aria-hidden="true" focusable="false">'
    return f"{tag}<title>{e(title)}</title>{body[opening.end() :]}"


def _kpi(detail: MetricDetail, chart: SiteChart | None) -> str:
    s = detail.summary
    anchor = f"kpi-{s.id}"
    latest = s.latest
    facts = [
        ("Latest", f"{s.show(latest.actual)} ({latest.label})" if latest else "No data yet"),
        ("Target", s.show(latest.target) if latest and latest.target is not None else "None"),
        ("Trend", s.trend.describe(s.frequency).capitalize()),
    ]
    if detail.sources:
        facts.append(("Data", "; ".join(title for _id, title in detail.sources)))
    parts = [
        f'<article class="kpi" aria-labelledby="{anchor}">',
        f'<h4 id="{anchor}">{e(s.name)}</h4>',
        f'<p class="status s-{s.status.value}"><span aria-hidden="true">{s.status.marker}</span> '
        f"{e(s.status.label)}</p>",
        "<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts) + "</dl>",
    ]
    if chart is not None:
        parts.append(
            f"<figure>{inline_svg(chart.svg, f'chart-{s.id}', chart.alt)}"
            f"<figcaption>{e(chart.alt)}</figcaption></figure>"
        )
        if chart.notes:
            parts.append(
                f'<section aria-labelledby="{anchor}-notes"><h5 id="{anchor}-notes">About these '
                "numbers</h5><ul>"
                + "".join(f"<li>{e(when)}: {e(note)}</li>" for when, note in chart.notes)
                + "</ul></section>"
            )
    shown = [r for r in detail.rows if r.actual is not None or r.target is not None]
    shown = [r for r in shown if r.actual is not None][-TABLE_PERIODS:] or shown[-TABLE_PERIODS:]
    if shown:
        rows = "".join(
            f'<tr><th scope="row">{e(r.label)}</th>'
            f'<td class="number">{e(s.show(r.actual))}</td>'
            f'<td class="number">{e(s.show(r.target))}</td>'
            f"<td>{e(r.status.marker)} {e(r.status.label)}</td></tr>"
            for r in shown
        )
        parts.append(
            "<details><summary>The numbers behind the chart</summary>"
            f'<div class="scroll" role="region" tabindex="0" aria-label="{e(s.name)}: the '
            f'numbers, scrolling sideways on a narrow screen">'
            f"<table><caption>{e(s.name)}: the latest {len(shown)} periods</caption>"
            '<thead><tr><th scope="col">Period</th><th scope="col">Value</th>'
            '<th scope="col">Target</th><th scope="col">Status</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div></details>"
        )
    parts.append("</article>")
    return "\n".join(parts)


def _datasets(datasets: Sequence[DatasetFacts]) -> str:
    if not datasets:
        return "<p>No datasets are published yet.</p>"
    rows = []
    for d in datasets:
        links = [
            _link(url, label)
            for url, label in (
                (d.landing_page, "About the data"),
                (d.download_url, "Download"),
                (d.data_dictionary, "Data dictionary"),
            )
            if _LINK.match(url.strip())
        ]
        rows.append(
            f'<tr><th scope="row">{e(d.title)}</th><td>{e(d.description)}</td>'
            f"<td>{e(d.publisher)}</td>"
            f"<td>{e(d.update_frequency.label if d.update_frequency else '')}</td>"
            f"<td>{e(_day(d.last_updated))}</td>"
            f"<td>{' · '.join(links)}</td></tr>"
        )
    return (
        '<div class="scroll" role="region" tabindex="0" aria-label="Datasets the city '
        'publishes, scrolling sideways on a narrow screen">'
        "<table><caption>Datasets the city publishes</caption><thead><tr>"
        + "".join(
            f'<th scope="col">{h}</th>'
            for h in ("Dataset", "What it holds", "Department", "Updated", "Last update", "Links")
        )
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


def page(
    city: str,
    program: str,
    tree: Sequence[PriorityNode],
    details: dict[int, MetricDetail],
    charts: dict[int, SiteChart],
    datasets: Sequence[DatasetFacts],
    today: date,
) -> str:
    """The whole page as text. `details` and `charts` are by metric id; only active KPIs show."""
    title = f"{program or city}: how {city or 'the city'} is doing"
    nav: list[str] = []
    sections: list[str] = []
    counted = tracked = 0
    for number, priority in enumerate(tree, start=1):
        goals = []
        for goal in priority.goals:
            kpis = [
                details[m.id] for m in goal.metrics if m.is_kpi and m.active and m.id in details
            ]
            if not kpis:
                continue
            counted += len(kpis)
            tracked += sum(on_track(k.summary.status) for k in kpis)
            goals.append(
                f"<h3>{e(goal.title)}</h3>\n"
                + "\n".join(_kpi(k, charts.get(k.summary.id)) for k in kpis)
            )
        if goals:
            anchor = f"priority-{number}"
            nav.append(f'<li><a href="#{anchor}">{e(priority.name)}</a></li>')
            sections.append(
                f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{e(priority.name)}</h2>\n'
                + "\n".join(goals)
                + "</section>"
            )
    nav.append('<li><a href="#open-data">Open data</a></li>')
    summary = (
        f"{tracked} of {counted} key performance indicators are on track (on target or within "
        "tolerance)."
        if counted
        else "No key performance indicators are published yet."
    )
    legend = " ".join(f"{s.marker} {s.label}." for s in Status)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="StatDesk">
<title>{e(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the measures</a>
<header>
<p class="city">{e(city)}</p>
<h1>{e(title)}</h1>
<p>{e(summary)} Figures as of {e(_day(today))}.</p>
<p>Status is shown by a word and a shape: {e(legend)}</p>
</header>
<nav aria-label="On this page"><ul>{"".join(nav)}</ul></nav>
<main id="main" tabindex="-1">
{"".join(sections)}
<section aria-labelledby="open-data"><h2 id="open-data">Open data</h2>
{_datasets(datasets)}
</section>
</main>
<footer><p>Published by {e(program or city)} with StatDesk on {e(_day(today))}.</p></footer>
</body>
</html>
"""
