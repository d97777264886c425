"""The files (and servers' cities) the user opened lately, newest first, kept in the user's
config folder.

Missing files are pruned when the list is read, except paths on a network share (UNC paths
such as \\\\server\\share), which may only be out of reach for the moment. A server's city is
kept as its address without any password (ServerAddress.shown): the password stays in the
system's keyring or the pgpass file.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from statdesk import paths
from statdesk.domain.locations import (
    BadAddress,
    Location,
    ServerAddress,
    is_server,
    parse_server,
)
from statdesk.storage.atomic import replacing

LIMIT = 10
log = logging.getLogger(__name__)


def _store() -> Path:
    return paths.user_config_dir() / "recent.json"


def _is_network(path: str) -> bool:
    return path.startswith(("\\\\", "//"))


def recent_files() -> list[Location]:
    try:
        entries = json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(entries, list):
        return []
    found: list[Location] = []
    for entry in entries:
        if not isinstance(entry, str):
            continue
        if is_server(entry):
            try:
                found.append(parse_server(entry))
            except BadAddress:
                continue
        elif _is_network(entry) or Path(entry).exists():
            found.append(Path(entry))
    return found


def _entry(location: Location) -> str:
    if isinstance(location, ServerAddress):
        return location.shown  # never a password
    return str(Path(location).absolute())


def remember(location: Location) -> None:
    """Put `location` at the top of the list (best effort: a read-only profile is not an
    error)."""
    entry = _entry(location)
    entries = [entry] + [_entry(p) for p in recent_files() if _entry(p) != entry]
    try:
        with replacing(_store()) as temp:
            temp.write_text(json.dumps(entries[:LIMIT], indent=1), encoding="utf-8")
    except OSError as error:
        log.warning("could not save the recent files list: %s", error)


def last_file() -> Location | None:
    files = recent_files()
    return files[0] if files else None
