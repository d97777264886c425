"""Start the app: the QApplication, the error hook, and which file to open first."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from statdesk import APP_NAME, __version__, logs, paths, recent
from statdesk.ui.errors import install_excepthook, show_error
from statdesk.ui.main_window import MainWindow
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


def run(path: Path | None = None, smoke: bool = False) -> int:
    """Run the app. With `smoke`, exit 0 as soon as the window has painted the home page of
    the file (for tests, benchmarks and packaging checks), or 1 if it has not within 60 s."""
    logs.setup()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    icon = paths.resources_dir() / "icons" / "statdesk.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_excepthook()
    try:
        workspace = startup_workspace(path)
    except Exception as error:
        show_error(None, error, "Start StatDesk")
        return 1
    window = MainWindow(workspace)
    window.show()
    if smoke:
        return _smoke(app, window)  # type: ignore[arg-type]
    _quit_on_signals(app)  # type: ignore[arg-type]
    code = app.exec()  # type: ignore[union-attr]
    window.close_workspace()  # a signal ends the loop without closing the window
    return int(code)


def _quit_on_signals(app: QApplication) -> None:
    """End the event loop on SIGTERM/SIGINT (logoff, "end task", Ctrl+C), so the writer lock
    is released and nothing is left half done. Python handles signals only between bytecodes,
    so a timer lets it look while Qt's loop runs."""
    import signal

    from PySide6.QtCore import QTimer

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: app.quit())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(300)


def _smoke(app: QApplication, window: MainWindow) -> int:
    import time

    home = window.pages[0]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        app.processEvents()
        painted = not window.grab().isNull() and window.isVisible()
        if painted and getattr(home, "loaded_revision", None) == window.workspace.revision():
            print(f"smoke: {window.windowTitle()} painted; {home.headline.text()}")  # type: ignore[attr-defined]
            window.close()
            return 0
        time.sleep(0.02)
    print("smoke: the window did not finish opening within 60 seconds")
    window.close()
    return 1
