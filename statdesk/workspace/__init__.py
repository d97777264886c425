"""The façade the window, the command line and the tests use: one `Workspace` per open file,
whose methods read and write the city's records in transactions and tell listeners what
changed. See docs/ARCHITECTURE.md for what lives where."""

from statdesk.workspace.core import (
    COUNTED,
    Changes,
    FileInfo,
    Workspace,
    check_file,
    default_user,
)

__all__ = ["COUNTED", "Changes", "FileInfo", "Workspace", "check_file", "default_user"]
