"""The seam between the workspace and where a city's records are kept.

A `Store` is what the Workspace façade needs of that place: an engine to read and write
through, whether this StatDesk may write and why not, a way to ask "am I still the writer"
before each write, backups, the deferred health check, and closing. There are two: a .statdesk
file (storage.file_store.FileStore, one writer at a time under the writer lock) and a database
on a PostgreSQL server (storage.server_store.ServerStore, several writers at once);
`open_store` chooses from the location it is given (domain.locations).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from statdesk.domain.errors import StatDeskError
from statdesk.domain.locations import Location, ServerAddress, is_server, parse_server
from statdesk.storage.lock import LockInfo, WriterLock
from statdesk.storage.schema import SchemaObject
from statdesk.storage.server_listen import RemoteChange


class Store(Protocol):
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

    @property
    def path(self) -> Path | None:
        """The file, for a file store; None on a server."""

    @property
    def location(self) -> Location:
        """The file, or the server's address (shown with `domain.locations.shown`, which
        never shows a password)."""

    @property
    def signed_in_as(self) -> str:
        """Who is signed in and what they may do ("ana, analyst"); "" for a file."""

    def explain(self, error: DBAPIError, *, writing: bool) -> StatDeskError:
        """A database error of a read or a write, said as a sentence with what to do."""

    def announce(self, session: Session, revision: int, kinds: set[str], summary: str) -> None:
        """Tell other editors of this write, inside its transaction (a server's LISTEN/NOTIFY;
        nothing for a file, whose readers look at its revision)."""

    def watch(self, heard: Callable[[RemoteChange], None]) -> bool:
        """Call `heard` (on another thread) with each save someone else makes; False when this
        store cannot tell (a file: its readers look at the revision now and then)."""

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
    location: Path | str | ServerAddress,
    *,
    user: str,
    read_only: bool = False,
    lock: WriterLock | None = None,
    daily_backup: bool = True,
    take_over: bool = False,
) -> Store:
    """The store at `location`: a server's database for a postgresql:// address, else a
    .statdesk file."""
    if is_server(location):
        from statdesk.storage.server_store import ServerStore

        address = location if isinstance(location, ServerAddress) else parse_server(str(location))
        return ServerStore.open(address, user=user, read_only=read_only)
    from statdesk.storage.file_store import FileStore

    assert not isinstance(location, ServerAddress)
    return FileStore.open(
        location,
        user=user,
        read_only=read_only,
        lock=lock,
        daily_backup=daily_backup,
        take_over=take_over,
    )
