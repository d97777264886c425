"""The file's history as the History page shows it: the change log a screen at a time, newest
first, and the imports with what undoing each would take.

The change log grows by a line per record written (100,000 lines is a few years of a busy
office), so it is never read whole: `change_lines` reads one screen before a given line, and the
page asks for the next when the user scrolls.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.storage import models as m
from statdesk.storage.edits import import_undo

# Fields shown old → new are cut to this many characters each (a narrative can be pages long).
_SHORT = 80


@dataclass(frozen=True)
class HistoryFilter:
    """Which change-log lines to show; None shows all."""

    record_kind: str | None = None
    user: str | None = None
    since: datetime | None = None  # UTC
    text: str = ""  # found in the summary, any case


@dataclass(frozen=True)
class ChangeLine:
    id: int
    at: datetime  # UTC
    user: str
    action: str  # created, changed, deleted, event
    record_kind: str
    record_id: int | None
    summary: str
    details: str  # "status: Draft → Published; name: A → B"


@dataclass(frozen=True)
class ImportLine:
    id: int
    source: str
    sheet: str
    kind: str  # as the window says it ("Metric values")
    kind_code: str  # as the command line's JSON gives it ("values")
    user: str
    at: datetime  # UTC
    rows: int
    summary: str
    state: str  # "active", "undone", or "active; later imports build on it (#5)"

    @property
    def undone(self) -> bool:
        return self.state == "undone"


def _short(value: Any) -> str:
    text = "(empty)" if value is None or value == "" else str(value)
    text = " ".join(text.split())
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"


def details_text(action: str, details_json: str | None) -> str:
    """A change's fields as 'field: old → new', one after another."""
    if action != "changed" or not details_json:
        return ""
    try:
        diff = json.loads(details_json)
    except ValueError:
        return ""
    if not isinstance(diff, dict):
        return ""
    parts = []
    for field, pair in diff.items():
        if isinstance(pair, list) and len(pair) == 2:
            old, new = pair
            parts.append(f"{field.replace('_', ' ')}: {_short(old)} → {_short(new)}")
    return "; ".join(parts)


def change_lines(
    session: Session, where: HistoryFilter, before_id: int | None = None, limit: int = 200
) -> list[ChangeLine]:
    """Up to `limit` lines that `where` keeps, newest first, older than line `before_id`."""
    log = m.ChangeLogEntry
    query = select(log).order_by(log.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(log.id < before_id)
    if where.record_kind is not None:
        query = query.where(log.record_kind == where.record_kind)
    if where.user is not None:
        query = query.where(log.user == where.user)
    if where.since is not None:
        query = query.where(log.at >= where.since)
    if where.text.strip():
        words = where.text.strip()
        for special in ("\\", "%", "_"):
            words = words.replace(special, "\\" + special)
        query = query.where(log.summary.ilike(f"%{words}%", escape="\\"))
    return [
        ChangeLine(
            e.id,
            e.at,
            e.user,
            e.action,
            e.record_kind,
            e.record_id,
            e.summary,
            details_text(e.action, e.details_json),
        )
        for e in session.scalars(query)
    ]


def history_choices(session: Session) -> tuple[list[str], list[str]]:
    """The record kinds and the people the change log has lines for, for its filters."""
    log = m.ChangeLogEntry
    kinds = sorted(session.scalars(select(log.record_kind).distinct()), key=str.casefold)
    users = sorted(session.scalars(select(log.user).distinct()), key=str.casefold)
    return kinds, users


def import_lines(session: Session) -> list[ImportLine]:
    """Every import, newest first, with its state."""
    batches = session.scalars(select(m.ImportBatch).order_by(m.ImportBatch.id.desc()))
    return [
        ImportLine(
            b.id,
            b.source_name,
            b.sheet or "",
            b.import_kind.label,
            b.import_kind.value,
            b.user or "",
            b.imported_at,
            b.rows,
            b.summary or "",
            import_undo.state(session, b),
        )
        for b in batches
    ]
