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
    needs: Literal["metric", "meeting"] | None = None  # what must be chosen first


EXPORT_KINDS: dict[str, ExportKind] = {
    "chart": ExportKind(
        "Chart of a metric", "a metric's chart", (".pdf", ".svg", ".png"), "metric"
    ),
    "memo": ExportKind(
        "Stat memo (the agenda)", "a meeting's Stat memo", (".pdf", ".docx"), "meeting"
    ),
    "followup": ExportKind(
        "Follow-up memo", "a meeting's follow-up memo", (".pdf", ".docx"), "meeting"
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
