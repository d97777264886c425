"""Opening a file from the window, with the questions a person must answer on the way."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QWidget

from statdesk.domain.errors import FileProblem
from statdesk.domain.locations import Location, ServerAddress
from statdesk.storage.server_connection import PasswordNeeded, remember_password
from statdesk.ui.confirm import confirm
from statdesk.ui.errors import show_error
from statdesk.workspace import Workspace


def open_workspace(parent: QWidget | None, path: Location) -> Workspace | None:
    """Open `path` (a file or a server's city); if a stopped StatDesk left a file mid-save,
    offer to take it over. Problems are shown to the user; returns None when it could not be
    opened."""
    try:
        return Workspace.open(path)
    except PasswordNeeded as asked:  # a server's city: ask for the password, then try again
        assert isinstance(path, ServerAddress)
        return connect(parent, path, asked.message)
    except FileProblem as problem:
        holder = Workspace.stale_holder(path) if isinstance(path, Path) else None
        if holder is None:
            show_error(parent, problem, "Open file")
            return None
        if not confirm(
            parent,
            "Open file",
            f"{problem.message}\n\n{holder.describe()}, but their StatDesk has stopped. Take "
            "the file over? StatDesk undoes the unfinished save and backs the file up first.",
        ):
            return None
    except Exception as error:  # shown to the user, never a silent failure
        show_error(parent, error, "Open file")
        return None
    try:
        return Workspace.open(path, take_over=True)
    except Exception as error:
        show_error(parent, error, "Take over the file")
        return None


def connect(
    parent: QWidget | None, last: ServerAddress | None = None, said: str = ""
) -> Workspace | None:
    """File ▸ Connect to a server… (filled in with `last`, saying `said`: why it asks): open
    the city it names, asking again while the server wants another password. A password typed
    is used for this connection, and kept in the keyring only when the user asks."""
    from statdesk.ui.dialogs.connect_server import ConnectDialog

    while True:
        dialog = ConnectDialog(parent, last)
        dialog.problem.setText(said)
        if not dialog.exec():
            return None
        address = replace(dialog.address(), password=dialog.password())
        try:
            workspace = Workspace.open(address)
        except PasswordNeeded as asked:
            last, said = address, asked.message
            continue
        except Exception as error:
            show_error(parent, error, "Connect to a server")
            return None
        if dialog.keep_password():
            try:
                remember_password(address, dialog.password())
            except Exception as error:
                show_error(parent, error, "Keep the password")
        return workspace
