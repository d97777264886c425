"""The one way an edit saves a record: load it (or make it), check nobody saved it meanwhile,
set the fields, check the record's rules, and flush it so it has an id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.errors import EditConflict, NotFound, ValidationFailed
from statdesk.domain.validation import problems_with
from statdesk.storage import models as m

R = TypeVar("R", bound=m.Record)


def save_record(
    session: Session,
    model: type[R],
    record_id: int | None,
    fields: Mapping[str, Any],
    expected_version: int | None = None,
) -> R:
    if record_id is None:
        record = model(**fields)
    else:
        record = load_for_edit(session, model, record_id, expected_version)
        for name, value in fields.items():
            setattr(record, name, value)
    problems = problems_with(model.kind, record.fields())
    if problems:
        raise ValidationFailed(model.kind, problems)
    session.add(record)
    session.flush()
    return record


def load_for_edit(
    session: Session, model: type[R], record_id: int, expected_version: int | None
) -> R:
    """The record to change; with `expected_version` (the version the editor read), one saved
    by someone else meanwhile is reported with who and when, never overwritten."""
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(
            f"The {model.kind} #{record_id} no longer exists.",
            "Someone may have deleted it; refresh the list.",
        )
    if expected_version is not None and record.version != expected_version:
        raise EditConflict(
            f"The {record.describe()} was changed{last_change(session, record)} after you "
            "opened it.",
            "Reload it to see their change, then make yours again.",
        )
    return record


def last_change(session: Session, record: m.Record) -> str:
    """ " by ana at 2026-03-02 10:42 UTC": who changed the record last, from the change log."""
    last = session.scalars(
        select(m.ChangeLogEntry)
        .filter_by(record_kind=record.kind, record_id=record.id)
        .order_by(m.ChangeLogEntry.id.desc())
    ).first()
    return f" by {last.user} at {last.at:%Y-%m-%d %H:%M} UTC" if last else ""
