"""The files the user opened lately, newest first, kept in the user's config folder.

Missing files are pruned when the list is read, except paths on a network share (UNC paths
such as \\\\server\\share), which may only be out of reach for the moment.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from statdesk import paths
from statdesk.storage.atomic import replacing

LIMIT = 10
log = logging.getLogger(__name__)


def _store() -> Path:
    return paths.user_config_dir() / "recent.json"


def _is_network(path: str) -> bool:
    return path.startswith(("\\\\", "//"))


def recent_files() -> list[Path]:
    try:
        entries = json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(entries, list):
        return []
    return [Path(e) for e in entries if isinstance(e, str) and (_is_network(e) or Path(e).exists())]


def remember(path: Path) -> None:
    """Put `path` at the top of the list (best effort: a read-only profile is not an error)."""
    entry = str(Path(path).absolute())
    entries = [entry] + [str(p) for p in recent_files() if str(p) != entry]
    try:
        with replacing(_store()) as temp:
            temp.write_text(json.dumps(entries[:LIMIT], indent=1), encoding="utf-8")
    except OSError as error:
        log.warning("could not save the recent files list: %s", error)


def last_file() -> Path | None:
    files = recent_files()
    return files[0] if files else None
