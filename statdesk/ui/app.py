"""Start the app: the QApplication, the error hook, and which file to open first."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from statdesk import APP_NAME, __version__, logs, paths, recent
from statdesk.ui.errors import install_excepthook, show_error
from statdesk.ui.opening import open_workspace
from statdesk.workspace import Workspace


def open_demo_workspace() -> Workspace:
    """The demo city in the user's data folder, created on first use."""
    path = paths.demo_city_path()
    if path.exists():
        return Workspace.open(path)
    return Workspace.new_demo(path)


def startup_workspace(path: Path | None) -> Workspace:
    """Open `path`, else the last file used, else the demo city. A file that cannot be opened
    is explained to the user, and the next choice is tried."""
    candidate = path if path is not None else recent.last_file()
    if candidate is not None:
        workspace = open_workspace(None, candidate)
        if workspace is not None:
            return workspace
    return open_demo_workspace()


def run(path: Path | None = None) -> int:
    logs.setup()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    icon = paths.resources_dir() / "icons" / "statdesk.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_excepthook()
    from statdesk.ui.main_window import MainWindow

    try:
        workspace = startup_workspace(path)
    except Exception as error:
        show_error(None, error, "Start StatDesk")
        return 1
    window = MainWindow(workspace)
    window.show()
    return app.exec()  # type: ignore[union-attr]
