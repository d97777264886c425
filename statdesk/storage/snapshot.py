"""A city on a server written into a .statdesk file: a backup (statdesk backup URL), or the
snapshot `statdesk move URL FILE` makes for a laptop or an archive. The file is the same
format as any other, openable anywhere; it is built under a temporary name and renamed into
place only once it is whole and its counts match the server's."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from statdesk.domain.filenames import safe_file_name
from statdesk.domain.locations import ServerAddress
from statdesk.storage import file_upkeep
from statdesk.storage.backup import free_backup_name, prune
from statdesk.storage.copying import copy_city


def snapshot(source: Connection, target: Path) -> dict[str, int]:
    """Copy the city `source` is connected to into a new file at `target` (whatever is there
    is replaced only once the copy is whole). Reads in one transaction, so the copy is the
    city at one moment while others go on writing. Returns the rows copied per table."""
    copied: dict[str, int] = {}

    def fill(session: Session) -> None:
        with source.begin():
            if source.dialect.name == "postgresql":
                source.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            copied.update(copy_city(source, session.connection()))

    file_upkeep.create(target, fill)
    return copied


def snapshot_to_folder(
    source: Connection, address: ServerAddress, folder: Path, reason: str
) -> Path:
    """A snapshot named `DATABASE.YYYYmmdd-HHMMSS.reason.statdesk` in `folder`, old ones
    thinned out as a file's backups are."""
    folder.mkdir(parents=True, exist_ok=True)
    named = Path(safe_file_name(address.title, ".statdesk", fallback="city"))
    target = free_backup_name(folder, named, reason)
    snapshot(source, target)
    prune(folder, named.stem, made=target)
    return target
