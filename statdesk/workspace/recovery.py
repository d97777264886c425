"""An edit that could not be saved (the file was taken over first) kept in a recovery file in
the user's data folder: readable by a person and by StatDesk."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from statdesk import paths
from statdesk.domain.filenames import safe_file_name
from statdesk.domain.locations import Location, shown, title_of
from statdesk.storage import models as m
from statdesk.storage.atomic import replacing
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


def keep_recovery(location: Location, user: str, edit: dict[str, Any]) -> Path:
    """Keep `edit` of the city kept at `location`; returns where it is kept."""
    moment = datetime.now(UTC)
    stem = safe_file_name(Path(title_of(location)).stem, fallback="city")
    target = paths.user_data_dir() / "recovery" / f"{stem}.{moment:%Y%m%d-%H%M%S-%f}.json"
    record = {"file": shown(location), "user": user, "at": moment.isoformat(), "edit": edit}
    with replacing(target) as temp:
        temp.write_text(json.dumps(record, indent=1, default=str), encoding="utf-8")
    return target
