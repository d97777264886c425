"""What the workspace writes out for other people and other systems: the Stat memo and
follow-up memo (PDF/UA or .docx), the scorecard, a metric's chart, the spreadsheets (CSV or
XLSX), the inventory as a data.json catalog, and the public performance page.

`EXPORT_KINDS` (export_kinds.py, light to import) is the one list of them: the command
line's `export` and the window's Export dialog are built from it. `Exports` is the
workspace's room for writing them (`ws.exports`); it reads through the workspace. Every file
is written whole or not at all; the heavy libraries (matplotlib, Typst, openpyxl,
python-docx) are imported only when used.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.errors import StatDeskError
from statdesk.domain.filenames import checked_suffix
from statdesk.domain.vocabulary import AccessLevel
from statdesk.reporting import chart_series
from statdesk.storage import models as m

if TYPE_CHECKING:
    from statdesk.workspace.core import Workspace


TABLES = ("roster", "inventory", "metrics", "actions")


def _city(session: Session) -> m.City:
    return session.scalars(select(m.City)).one()


def _logo(city: m.City) -> tuple[bytes, str] | None:
    """The city's logo and its media type, for documents."""
    return (city.logo, city.logo_media_type or "") if city.logo else None


class Exports:
    """The workspace's exports: `ws.exports.write(kind, target)` and one method per kind."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    def write(
        self,
        kind: str,
        target: Path,
        *,
        metric_id: int | None = None,
        meeting_id: int | None = None,
        department_id: int | None = None,
        meeting_ids: list[int] | None = None,
        today: date | None = None,
        chart_kind: str = "auto",
        include_non_public: bool = False,
        leave_out_invalid: bool = False,
    ) -> Any:
        """Any export of `EXPORT_KINDS` to `target`, the one way the CLI and the Export dialog
        write them. Returns the catalog's report for data.json, what a calendar or a mail
        holds (meeting_files.Written), else None."""
        from statdesk.workspace import meeting_files

        if kind == "chart":
            if metric_id is None:
                raise StatDeskError("No metric was chosen to chart.", "Choose one, or add one.")
            self.chart(metric_id, target, chart_kind, today)
        elif kind in ("memo", "followup"):
            if meeting_id is None:
                raise StatDeskError(
                    "No meeting was chosen.", "Choose one, or plan one on the Meetings page."
                )
            if target.suffix.lower() == ".eml":
                return meeting_files.mail(self.ws, kind, meeting_id, target, today)
            self.memo(kind, meeting_id, target, today)
        elif kind == "calendar":
            return meeting_files.calendar(
                self.ws, target, meeting_id=meeting_id, department_id=department_id, today=today
            )
        elif kind == "book":
            from statdesk.workspace import briefing_book

            briefing_book.write(self.ws, meeting_ids or [], target, today)
        elif kind == "scorecard":
            self.scorecard(target, today)
        elif kind == "inventory":
            return self.inventory(
                target, include_non_public=include_non_public, leave_out_invalid=leave_out_invalid
            )
        elif kind == "site":
            self.site(target, today)
        else:
            self.table(kind, target, today)
        return None

    def meeting_document(
        self, kind: str, meeting_id: int, *, for_word: bool = False, today: date | None = None
    ) -> Any:
        """The Stat memo (`kind="memo"`) or the follow-up memo (`"followup"`) of a meeting, as
        data for reporting.documents (PDF) or reporting.word (.docx, which needs PNG charts)."""
        from statdesk.reporting import charts, documents
        from statdesk.storage.views import meetings as meetings_view
        from statdesk.storage.views import metrics as metrics_view

        today = today or date.today()
        # Everything the memo says is read in one transaction: one state of the file, even if
        # a colleague saves meanwhile. The charts are drawn after, the file no longer held.
        with self.ws._reading() as session:
            city, fy = _city(session), self.ws._fy(session)
            if kind == "followup":
                memo = meetings_view.follow_up_memo(session, meeting_id, fy, today)
                return documents.follow_up(memo, _logo(city), today)
            detail = meetings_view.meeting_detail(session, meeting_id, fy, today)
            metrics = {
                metric_id: metrics_view.metric_detail(session, metric_id, fy, today, detail.as_of)
                for metric_id in dict.fromkeys(i.metric_id for i in detail.items if i.metric_id)
            }
        made: dict[int, documents.Chart] = {}
        for metric_id, metric in metrics.items():
            series, alt = charts.described(metric)
            # Headed by the item, so untitled, and short: two or three items with charts share
            # a page.
            figure = charts.figure(series, width=8.0, height=2.4, titled=False)
            made[metric_id] = documents.Chart(  # Word shows PNG, the PDF SVG
                b"" if for_word else charts.to_bytes(figure, "svg"),
                alt,
                charts.to_bytes(figure, "png") if for_word else None,
                chart_series.notes_of(series),
            )
        return documents.memo(detail, made, _logo(city), today)

    def memo(self, kind: str, meeting_id: int, target: Path, today: date | None = None) -> Path:
        """Write a meeting's memo or follow-up memo as PDF/UA or .docx, by the extension,
        dated `today` (default: today), the day its statuses are as of."""
        from statdesk.reporting import documents, word

        suffix = checked_suffix(target, (".pdf", ".docx"), "A memo")
        document = self.meeting_document(kind, meeting_id, for_word=suffix == ".docx", today=today)
        if suffix == ".docx":
            return word.write_docx(document, target)
        return documents.write_pdf(document, target)

    def scorecard(self, target: Path, today: date | None = None) -> Path:
        """Every KPI with status, latest value, target and trend, by goal, as PDF/UA."""
        from statdesk.reporting import documents

        checked_suffix(target, (".pdf",), "The scorecard")
        return documents.write_pdf(self.scorecard_document(today), target)

    def scorecard_document(self, today: date | None = None) -> Any:
        """The scorecard as data for reporting.documents (the scorecard, the briefing book)."""
        from statdesk.reporting import documents
        from statdesk.storage.views import goals as goals_view
        from statdesk.storage.views import metrics as metrics_view

        today = today or date.today()
        with self.ws._reading() as session:  # one state of the file
            city = _city(session)
            summaries = metrics_view.metric_summaries(
                session, city.fiscal_year_start_month, today, as_of=today
            )
            tree = goals_view.metric_tree(session, summaries)
        return documents.scorecard(city.name, city.program_name or "", tree, _logo(city), today)

    def chart(
        self, metric_id: int, target: Path, kind: str = "auto", today: date | None = None
    ) -> tuple[Path, str]:
        """A metric's chart as PNG, SVG or PDF (by the extension) with its alternative text
        in the file's metadata; returns the file and that text."""
        from statdesk.reporting import charts
        from statdesk.storage.views import metrics as metrics_view

        suffix = checked_suffix(target, tuple(charts.FORMATS), "A chart")
        with self.ws._reading() as session:  # one state of the file
            city = _city(session)
            detail = metrics_view.metric_detail(
                session, metric_id, city.fiscal_year_start_month, today or date.today()
            )
        series, description = charts.described(detail)
        figure = charts.figure(series, kind)  # type: ignore[arg-type]
        if suffix == ".pdf":  # tagged (PDF/UA-1) like the memos, not matplotlib's plain PDF
            from statdesk.reporting import documents

            chart = documents.Chart(charts.to_bytes(figure, "svg"), description)
            page = documents.chart_page(
                city.name, city.program_name or "", series.title, chart, _logo(city)
            )
            return documents.write_pdf(page, target), description
        return charts.save(figure, target, title=series.title, description=description), description

    def rows(self, kind: str, today: date | None = None) -> list[Any]:
        """The tables of a spreadsheet export (`TABLES`): the metrics have two, the metrics and
        their values by period."""
        from statdesk.storage.views import metrics as metrics_view
        from statdesk.storage.views import tables

        today = today or date.today()
        with self.ws._reading() as session:
            if kind == "roster":
                return [tables.roster_table(session)]
            if kind == "inventory":
                return [tables.inventory_table(session)]
            if kind == "metrics":
                details = metrics_view.metric_details(session, self.ws._fy(session), today)
                return [tables.metrics_table(details), tables.values_table(details)]
        if kind == "actions":
            return [tables.actions_table(self.ws.meetings.action_rows(today))]
        raise StatDeskError(f"There is no table '{kind}'.", f"Choose one of {', '.join(TABLES)}.")

    def table(self, kind: str, target: Path, today: date | None = None) -> Path:
        """A table as CSV (for the metrics: the values by period, with each metric's unit) or
        XLSX (a sheet per table), by the file's extension."""
        from statdesk.reporting import spreadsheets

        suffix = checked_suffix(target, (".csv", ".xlsx"), f"The {kind}")
        found = self.rows(kind, today)
        if suffix == ".csv":
            return spreadsheets.write_csv(found[-1], target)
        city = self.ws.city()
        return spreadsheets.write_xlsx(found, target, f"{city.name}: {found[0].name}")

    def catalog(
        self, *, include_non_public: bool = False, leave_out_invalid: bool = False
    ) -> tuple[dict[str, Any], Any]:
        """The inventory as a DCAT-US v1.1 catalog and the report of what was left out; raises
        `CatalogProblems` (nothing to write) when a dataset breaks the schema's rules."""
        from statdesk.reporting import dcat
        from statdesk.storage.views import inventory as inventory_view

        with self.ws._reading() as session:
            facts = inventory_view.dataset_facts(session, include_non_public)
        return dcat.catalog(facts, leave_out_invalid=leave_out_invalid)

    def inventory(
        self,
        target: Path,
        *,
        include_non_public: bool = False,
        leave_out_invalid: bool = False,
    ) -> Any:
        """The inventory as data.json (.json), or as a spreadsheet (.csv, .xlsx). Returns the
        catalog's report for data.json (what was written, what was left out), else None."""
        from statdesk.reporting import dcat

        if checked_suffix(target, (".json", ".csv", ".xlsx"), "The inventory") != ".json":
            self.table("inventory", target)
            return None
        document, report = self.catalog(
            include_non_public=include_non_public, leave_out_invalid=leave_out_invalid
        )
        dcat.write_catalog(document, target)
        return report

    def site(self, target: Path, today: date | None = None) -> Path:
        """The public performance page: one HTML file with everything inline."""
        from statdesk.reporting import charts, site
        from statdesk.storage.atomic import replacing
        from statdesk.storage.views import goals as goals_view
        from statdesk.storage.views import inventory as inventory_view
        from statdesk.storage.views import metrics as metrics_view

        checked_suffix(target, (".html", ".htm"), "The public page")
        today = today or date.today()
        with self.ws._reading() as session:  # one state of the file
            city = _city(session)
            fy = city.fiscal_year_start_month
            details = {
                d.summary.id: d
                for d in metrics_view.metric_details(session, fy, today)
                if d.summary.is_kpi and d.summary.active
            }
            tree = goals_view.metric_tree(session, [d.summary for d in details.values()])
            datasets = [
                d
                for d in inventory_view.dataset_facts(session)
                if d.published and d.access_level is AccessLevel.PUBLIC
            ]
        made = {}
        for metric_id, detail in details.items():
            series, alt = charts.described(detail)
            made[metric_id] = site.SiteChart(
                charts.to_bytes(charts.figure(series), "svg").decode("utf-8"),
                alt,
                chart_series.notes_of(series),
            )
        text = site.page(city.name, city.program_name or "", tree, details, made, datasets, today)
        with replacing(target) as temp:
            temp.write_text(text, "utf-8")
        return target
