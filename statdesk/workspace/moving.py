"""Moving a city between a file and a server (statdesk move).

A file's city goes onto a server in one transaction on the server: the schema made by the
same migrations, every row copied with its ids (the change log too), the id sequences set past
them, the counts compared; then the file is marked "moved to …" (its content untouched), so
whoever opens it is told where the city is kept now and cannot go on editing an old copy.
A server's city comes back into a new file the same way: a snapshot, for a laptop or an
archive, openable anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, insert, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from statdesk import __version__
from statdesk.domain.errors import FileProblem, ReadOnly
from statdesk.domain.files import real_file
from statdesk.domain.locations import ServerAddress, shown, title_of
from statdesk.storage import models as m
from statdesk.storage.copying import copy_city
from statdesk.storage.schema import revision_of, upgrade
from statdesk.storage.server_connection import connected
from statdesk.storage.server_errors import explain_server_error
from statdesk.storage.snapshot import snapshot
from statdesk.workspace.core import Workspace, default_user


@dataclass(frozen=True)
class Moved:
    source: str
    target: str
    rows: dict[str, int]  # rows copied, per table

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def move_to_server(path: Path | str, address: ServerAddress, *, user: str | None = None) -> Moved:
    """Copy the city in the file at `path` into the empty database at `address`, then mark
    the file as moved. The file is opened for editing first (under its writer lock: nobody may
    change it while it is copied; an older file is upgraded)."""
    user = user or default_user()
    with Workspace.open(real_file(path), user=user, daily_backup=False) as workspace:
        moved_to = workspace.info().moved_to
        if moved_to:
            raise FileProblem(
                f"The city in {title_of(workspace.location)} was already moved to {moved_to}.",
                "Open it there; to take a copy back into a file: statdesk move URL FILE.",
            )
        if workspace.read_only:
            raise ReadOnly(
                f"{title_of(workspace.location)} cannot be moved now: {workspace.read_only_reason}",
                "Move it once it can be opened for editing.",
            )
        try:
            with (
                connected(address, read_only=False) as target,
                target.begin(),
                workspace.store.engine.connect() as source,
                source.begin(),
            ):
                if revision_of(target) is None:
                    upgrade(target)  # the same migrations as a file's, in this transaction
                rows = copy_city(source, target)
                signed_in = str(target.execute(text("SELECT session_user")).scalar() or user)
                _log(target, signed_in, f"Moved here from {shown(workspace.location)}")
        except DBAPIError as error:
            raise explain_server_error(address.title, error, writing=True) from error
        mark_moved(workspace, address)
        return Moved(shown(workspace.location), address.shown, rows)


def mark_moved(workspace: Workspace, address: ServerAddress) -> None:
    """Mark the file as moved to `address` (in its change log too); it opens read-only from now
    on, saying where the city is kept."""

    def action(session: Session) -> None:
        session.execute(
            update(m.FileState).values(moved_to=address.shown, moved_at=m.base.utc_now())
        )

    workspace._write(action, event_summary=f"Moved the city to {address.shown}")


def copy_to_file(
    address: ServerAddress, path: Path | str, *, user: str | None = None, replace: bool = False
) -> Moved:
    """Write the city on the server at `address` into a new .statdesk file at `path` (a
    snapshot of one moment, while others may go on writing), noted in the copy's change log."""
    target = real_file(path)
    if target.exists() and not replace:
        raise FileProblem(
            f"{target} already exists.", "Choose another name, or give --replace to overwrite it."
        )
    try:
        with connected(address, read_only=True) as source:
            rows = snapshot(source, target)
    except DBAPIError as error:
        raise explain_server_error(address.title, error, writing=False) from error
    with Workspace.open(target, user=user, daily_backup=False) as workspace:
        workspace.note_event(f"Copied here from {address.shown}")
    return Moved(address.shown, str(target), rows)


def _log(target: Connection, user: str, summary: str) -> None:
    """An event in the target's change log, and its revision bumped, in its transaction."""
    target.execute(
        insert(m.ChangeLogEntry).values(
            at=m.base.utc_now(), user=user, action="event", record_kind="file", summary=summary
        )
    )
    target.execute(
        update(m.FileState).values(revision=m.FileState.revision + 1, written_with=__version__)
    )
