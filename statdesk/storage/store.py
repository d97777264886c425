"""The seam between the workspace and where a city's records are kept.

A `Store` is what the Workspace façade needs of that place: an engine to read and write
through, whether this StatDesk may write and why not, a way to ask "am I still the writer"
before each write, backups, the deferred health check, and closing. Today the one store is a
.statdesk file (storage.file_store.FileStore); `open_store` chooses the store from the
location it is given, so a server store can be added beside the file without touching the
façade.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine

from statdesk.storage.lock import LockInfo, WriterLock
from statdesk.storage.schema import SchemaObject


class Store(Protocol):
    path: Path
    engine: Engine
    user: str
    read_only: bool
    read_only_reason: str
    lock: WriterLock | None  # the writer lock while this StatDesk may write
    lock_holder: LockInfo | None  # who holds it, when that is why the store is read-only
    damaged: bool
    foreign_code: list[SchemaObject]  # code someone else put in it, shown read-only
    notice: str  # what happened to it since it was last open, to tell the user
    check_pending: bool  # its health check waits (a big file), and runs before any write
    takeover_event: str | None  # opening took it over: what the change log is to say

    def on_new_engine(self, rebind: Callable[[Engine], None]) -> None: ...

    def verify_writer(self) -> None:
        """Raise LockLost when this StatDesk is no longer the writer."""

    def stop_writing(self, reason: str) -> None: ...

    def backup(self, reason: str = "manual") -> Path: ...

    def check_now(self) -> list[str]: ...

    def lock_is_free(self) -> bool: ...

    def lock_is_stale(self) -> bool: ...

    def start_editing(self) -> bool: ...

    def take_over(self) -> str: ...

    def close(self) -> None: ...


def open_store(
    location: Path | str,
    *,
    user: str,
    read_only: bool = False,
    lock: WriterLock | None = None,
    daily_backup: bool = True,
    take_over: bool = False,
) -> Store:
    """The store at `location`: a .statdesk file (the only kind there is yet)."""
    from statdesk.storage.file_store import FileStore

    return FileStore.open(
        location,
        user=user,
        read_only=read_only,
        lock=lock,
        daily_backup=daily_backup,
        take_over=take_over,
    )
