"""The façade the window, the command line and the tests use: one `Workspace` per open file,
whose methods read and write the city's records in transactions and tell listeners what
changed. See docs/ARCHITECTURE.md for what lives where.

The names below are loaded when first asked for, so importing a light submodule (the list of
export kinds, for the command line's help) does not load SQLAlchemy and the models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from statdesk.storage.changes import Changes as Changes
    from statdesk.storage.health import check_file as check_file
    from statdesk.storage.models import field_names as field_names
    from statdesk.storage.server_listen import RemoteChange as RemoteChange
    from statdesk.workspace.core import Workspace as Workspace
    from statdesk.workspace.core import default_user as default_user
    from statdesk.workspace.file_info import COUNTED as COUNTED
    from statdesk.workspace.file_info import FileInfo as FileInfo

# Each name, and the module that defines it (loaded when the name is first asked for).
_HOMES = {
    "COUNTED": "statdesk.workspace.file_info",
    "Changes": "statdesk.storage.changes",
    "FileInfo": "statdesk.workspace.file_info",
    "RemoteChange": "statdesk.storage.server_listen",
    "Workspace": "statdesk.workspace.core",
    "check_file": "statdesk.storage.health",
    "default_user": "statdesk.workspace.core",
    "field_names": "statdesk.storage.models",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'statdesk.workspace' has no attribute {name!r}")
