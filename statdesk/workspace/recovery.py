"""An edit as it goes into a recovery file when the file was taken over before it could be
saved: readable by a person and by StatDesk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from statdesk.storage import models as m
from statdesk.storage.changes import plain


def edit_note(
    operation: str, model: type[m.Record], record_id: int | None, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """An edit as it goes into a recovery file, readable by a person and by StatDesk."""
    return {
        "operation": operation,
        "kind": model.kind,
        "record_id": record_id,
        "fields": {k: plain(v) for k, v in fields.items()},
    }
