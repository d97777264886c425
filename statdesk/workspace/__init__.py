"""The façade the window, the command line and the tests use: one `Workspace` per open file,
whose methods read and write the city's records in transactions and tell listeners what
changed. See docs/ARCHITECTURE.md for what lives where.

The names below are loaded when first asked for, so importing a light submodule (the list of
export kinds, for the command line's help) does not load SQLAlchemy and the models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from statdesk.workspace.core import (
        COUNTED,
        Changes,
        FileInfo,
        Workspace,
        check_file,
        default_user,
        field_names,
    )

__all__ = [
    "COUNTED",
    "Changes",
    "FileInfo",
    "Workspace",
    "check_file",
    "default_user",
    "field_names",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from statdesk.workspace import core

        return getattr(core, name)
    raise AttributeError(f"module 'statdesk.workspace' has no attribute {name!r}")
