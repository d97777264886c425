"""The one way an edit saves a record: load it (or make it), check nobody saved it meanwhile,
set the fields, check the record's rules, and flush it so it has an id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

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
        found = session.get(model, record_id)
        if found is None:
            raise NotFound(
                f"The {model.kind} #{record_id} no longer exists.",
                "Someone may have deleted it; refresh the list.",
            )
        record = found
        if expected_version is not None and record.version != expected_version:
            raise EditConflict(
                f"The {record.describe()} was changed by someone else after you opened it.",
                "Reload to see the change, then make yours again.",
            )
        for name, value in fields.items():
            setattr(record, name, value)
    problems = problems_with(model.kind, record.fields())
    if problems:
        raise ValidationFailed(model.kind, problems)
    session.add(record)
    session.flush()
    return record
