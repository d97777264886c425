"""One StatDesk per user: a second start hands its file to the running window and exits.

Double-clicking a `.statdesk` file while StatDesk runs would otherwise start a second process
that competes with the first for the file's write lock. Instead the new process connects to
the running one through a local socket (a named pipe on Windows, a socket file elsewhere),
sends the file's absolute path as one line of JSON and exits once the running window has
answered; the running window comes to the front and opens the file there.

The socket's name is per user (and per STATDESK_HOME, so tests never meet a real StatDesk), and
it accepts connections from the same user only.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from statdesk import APP_NAME
from statdesk.domain.locations import BadAddress, Location, ServerAddress, location_of

log = logging.getLogger(__name__)

TIMEOUT_MS = 2000
MAX_MESSAGE = 64 * 1024  # a path, with room; anything longer is not from StatDesk
RUNNING_MUTEX = "Local\\StatDesk.Running"  # the installer asks StatDesk to close while it exists


def server_name() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        user = str(Path.home())
    home = os.environ.get("STATDESK_HOME", "")
    digest = hashlib.sha256(f"{user}\n{home}".encode()).hexdigest()[:16]
    return f"{APP_NAME}-{digest}"


def hand_over(path: Location | None) -> bool:
    """Give `path` (a file or a server's city; None: just come to the front) to a running
    StatDesk. True when one took it, so this process should exit; False when none is running.
    A server's address goes without its password: the running StatDesk finds it in the
    keyring or the pgpass file, as for a recent city."""
    socket = QLocalSocket()
    socket.connectToServer(server_name())
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    _allow_other_to_come_forward()
    if isinstance(path, ServerAddress):
        target: str | None = path.shown
    else:
        target = str(path.absolute()) if path is not None else None
    message = {"open": target}
    socket.write(json.dumps(message).encode("utf-8") + b"\n")
    socket.waitForBytesWritten(TIMEOUT_MS)
    answered = socket.waitForReadyRead(TIMEOUT_MS) and socket.readAll().data().startswith(b"ok")
    socket.disconnectFromServer()
    return bool(answered)


def _allow_other_to_come_forward() -> None:
    """Windows lets only the process the user just started take the foreground; this one
    passes that right on to the running StatDesk."""
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY


def mark_running() -> object | None:
    """A named mutex that lives as long as this process, so the Windows installer can tell
    that StatDesk is running and ask to close it before replacing its files."""
    if sys.platform != "win32":
        return None
    import ctypes

    return ctypes.windll.kernel32.CreateMutexW(None, False, RUNNING_MUTEX)


class InstanceServer(QObject):
    """Listens for later starts, from before the window exists (a start may be showing a
    dialog about the file it could not open); requests wait until `deliver_to` names where
    they go: a callable taking a Path, or None for "come to the front"."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._receiver: Callable[[Location | None], None] | None = None
        self._waiting: list[Location | None] = []
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        name = server_name()
        if self._server.listen(name):
            return True
        probe = QLocalSocket()
        probe.connectToServer(name)
        if probe.waitForConnected(TIMEOUT_MS // 4):  # a StatDesk too busy to answer: leave it be
            probe.abort()
            log.warning("single instance: another StatDesk holds %s but did not answer", name)
            return False
        # No one is listening, so the socket file is one a StatDesk that crashed left behind.
        QLocalServer.removeServer(name)
        if self._server.listen(name):
            return True
        log.warning("single instance: cannot listen on %s: %s", name, self._server.errorString())
        return False

    def close(self) -> None:
        for socket in self._buffers:
            socket.disconnected.disconnect()
            socket.abort()
        self._buffers.clear()
        self._server.close()

    def deliver_to(self, receiver: Callable[[Location | None], None]) -> None:
        self._receiver = receiver
        waiting, self._waiting = self._waiting, []
        for path in waiting:
            receiver(path)

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + socket.readAll().data()
        if b"\n" not in data:
            if len(data) > MAX_MESSAGE:
                socket.abort()
            else:
                self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        try:
            message = json.loads(line.decode("utf-8"))
            target = message["open"]
            path = location_of(target) if isinstance(target, str) and target else None
        except (ValueError, KeyError, TypeError, BadAddress):
            log.warning("single instance: ignored a message that is not StatDesk's")
            socket.abort()
            return
        socket.write(b"ok\n")
        socket.flush()
        if self._receiver is None:
            self._waiting.append(path)
        else:
            self._receiver(path)
