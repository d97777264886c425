"""Start the app: the QApplication, the error hook, and which file to open first."""

from __future__ import annotations

import sys
from typing import TextIO

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from statdesk import APP_NAME, __version__, logs, paths, recent
from statdesk.domain.locations import Location
from statdesk.ui import screen_fit, single_instance
from statdesk.ui.errors import install_excepthook, show_error
from statdesk.ui.main_window import MainWindow
from statdesk.ui.opening import open_workspace
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import open_demo_city


def startup_workspace(path: Location | None) -> Workspace:
    """Open `path`, else the last file used, else the demo city. A file that cannot be opened
    is explained to the user, and the next choice is tried."""
    candidate = path if path is not None else recent.last_file()
    if candidate is not None:
        workspace = open_workspace(None, candidate)
        if workspace is not None:
            return workspace
    return open_demo_city()


def application() -> QApplication:
    """The QApplication, named and with StatDesk's icon."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    icon = paths.resources_dir() / "icons" / "statdesk.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    screen_fit.install(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def run(path: Location | None = None, smoke: bool = False) -> int:
    """Run the app. With `smoke`, exit 0 as soon as the window has painted the home page of
    the file (for tests, benchmarks and packaging checks), or 1 if it has not within 60 s.

    Without `smoke`, it listens for later starts, which hand their file over to this window
    (see single_instance; the command line tries that hand-over before it imports all this)."""
    logs.setup()
    _log_native_crashes()
    app = application()
    server = None
    if not smoke:
        server = single_instance.InstanceServer(app)
        server.listen()
        _held.append(single_instance.mark_running())  # kept until the process ends
    install_excepthook()
    try:
        workspace = startup_workspace(path)
    except Exception as error:
        show_error(None, error, "Start StatDesk")
        return 1
    window = MainWindow(workspace)
    window.show()
    if smoke:
        return _smoke(app, window)
    assert server is not None
    server.deliver_to(window.open_requested_file)
    _quit_on_signals(app)
    code = app.exec()
    server.close()
    window.close_workspace()  # a signal ends the loop without closing the window
    return int(code)


def _log_native_crashes() -> None:
    """A crash inside Qt or SQLite kills the process without a Python traceback; faulthandler
    writes the stack of every thread to crash.log in the log folder (a windowed app has no
    console to write it to)."""
    global _crash_log
    import faulthandler

    if _crash_log is None:
        _crash_log = (paths.user_log_dir() / "crash.log").open("a", encoding="utf-8")
        faulthandler.enable(file=_crash_log, all_threads=True)


_crash_log: TextIO | None = None
_held: list[object] = []


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


def wait_until_painted(app: QApplication, window: MainWindow, seconds: float = 60) -> bool:
    """Process events until the window is visible and its home page shows the file's data."""
    import time

    home = window.pages[0]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        painted = not window.grab().isNull() and window.isVisible()
        if painted and getattr(home, "loaded_revision", None) == window.workspace.revision():
            return True
        time.sleep(0.02)
    return False


def _smoke(app: QApplication, window: MainWindow) -> int:
    painted = wait_until_painted(app, window)
    if painted:
        print(f"smoke: {window.windowTitle()} painted; {window.pages[0].headline.text()}")  # type: ignore[attr-defined]
    else:
        print("smoke: the window did not finish opening within 60 seconds")
    window.close()
    return 0 if painted else 1


def paint_once(workspace: Workspace) -> str:
    """Open a window on `workspace`, wait until it is painted and close it (closing the
    workspace too): the self-test's check of Qt, its plugins and the pages."""
    from PySide6.QtGui import QGuiApplication

    app = application()
    if app.windowIcon().pixmap(32, 32).isNull():
        raise RuntimeError("the SVG icon cannot be drawn: Qt's SVG image plugin is missing")
    window = MainWindow(workspace)
    window.show()
    try:
        if not wait_until_painted(app, window):
            raise RuntimeError("the window did not paint its home page within 60 seconds")
        size = window.grab().size()
        headline = window.pages[0].headline.text()  # type: ignore[attr-defined]
        return f"{QGuiApplication.platformName()}, {size.width()}×{size.height()}: {headline}"
    finally:
        window.close()
