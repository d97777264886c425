"""The kinds of export StatDesk writes: the one list the command line's `export`, the Export
dialog and `ws.exports` follow. Light to import (the command line starts with it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class ExportKind:
    title: str  # as the Export dialog lists it
    about: str  # as the command line's help says it
    formats: tuple[str, ...]  # file extensions, the usual one first
    # What must be chosen first: a metric, a meeting, a meeting or a department (a calendar
    # of one meeting or of a department's series), or several meetings (a briefing book).
    needs: Literal["metric", "meeting", "meeting or department", "meetings"] | None = None


EXPORT_KINDS: dict[str, ExportKind] = {
    "chart": ExportKind(
        "Chart of a metric", "a metric's chart", (".pdf", ".svg", ".png"), "metric"
    ),
    "memo": ExportKind(
        "Stat memo (the agenda)",
        "a meeting's Stat memo (.eml: a mail ready to send, the PDF attached)",
        (".pdf", ".docx", ".eml"),
        "meeting",
    ),
    "followup": ExportKind(
        "Follow-up memo",
        "a meeting's follow-up memo (.eml: a mail ready to send, the PDF attached)",
        (".pdf", ".docx", ".eml"),
        "meeting",
    ),
    "calendar": ExportKind(
        "Calendar file",
        "a meeting, with its memo attached, or a department's series of meetings, for any "
        "calendar program",
        (".ics",),
        "meeting or department",
    ),
    "book": ExportKind(
        "Briefing book",
        "several meetings' memos in one document, with a cover, contents and the scorecard",
        (".pdf", ".docx"),
        "meetings",
    ),
    "scorecard": ExportKind("Scorecard", "every KPI by goal", (".pdf",)),
    "roster": ExportKind("Team", "the team: people, titles and roles", (".xlsx", ".csv")),
    "inventory": ExportKind(
        "Data inventory",
        "the data inventory, as data.json for open data portals, or a spreadsheet",
        (".json", ".xlsx", ".csv"),
    ),
    "metrics": ExportKind(
        "Metrics with values and targets",
        "metrics, with their values and targets",
        (".xlsx", ".csv"),
    ),
    "actions": ExportKind("Follow-up items", "the follow-up items", (".xlsx", ".csv")),
    "site": ExportKind("Public performance page", "the public performance page", (".html",)),
}
