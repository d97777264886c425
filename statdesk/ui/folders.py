"""Where file dialogs start: the folder last used for each kind of file (files to import, memos,
charts, the scorecard, the Export dialog's folder, the city's logo), remembered between sessions,
so next month's memo goes where last month's went and the import starts where the departments'
files arrive."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from statdesk.ui import settings

Kind = Literal["import", "memo", "chart", "scorecard", "export", "logo"]


# Where an earlier StatDesk kept the Export dialog's folder.
_EARLIER = {"export": "export/folder"}


def start(kind: Kind, name: str = "") -> str:
    """The folder to start in for `kind` (the home folder until one is chosen, or when the one
    remembered is gone), with `name` when a file name is suggested."""
    remembered = Path(
        settings.load_text(f"folders/{kind}")
        or settings.load_text(_EARLIER.get(kind, ""))
        or Path.home()
    )
    folder = remembered if remembered.is_dir() else Path.home()
    return str(folder / name) if name else str(folder)


def remember(kind: Kind, chosen: Path | str, *, folder: bool = False) -> None:
    """Remember the folder of the file the user chose for `kind` (or the `folder` itself)."""
    path = Path(chosen)
    settings.save_text(f"folders/{kind}", str(path if folder else path.parent))
