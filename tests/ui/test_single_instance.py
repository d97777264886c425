"""One StatDesk per user: a second start hands its file to the running window and exits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from statdesk.ui import single_instance
from statdesk.ui.main_window import MainWindow
from statdesk.ui.single_instance import InstanceServer
from statdesk.workspace import Workspace


def start_statdesk(*args: str) -> subprocess.Popen[str]:
    """`statdesk gui …` in a process of its own, with this test's STATDESK_HOME."""
    return subprocess.Popen(
        [sys.executable, "-m", "statdesk", "gui", *args],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def server(qtbot: QtBot) -> InstanceServer:
    server = InstanceServer()
    assert server.listen()
    yield server
    server.close()


@pytest.mark.slow
def test_a_second_start_opens_its_file_in_the_running_window(
    qtbot: QtBot, server: InstanceServer, demo: Workspace, tmp_path: Path
) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    server.deliver_to(window.open_requested_file)
    other = tmp_path / "Other.statdesk"
    shutil.copyfile(demo.path, other)
    second = start_statdesk(str(other))
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=60_000)
    assert second.returncode == 0, second.stdout.read() if second.stdout else ""
    qtbot.waitUntil(lambda: window.workspace.path == other, timeout=10_000)
    assert not window.isMinimized()
    window.close()


def test_requests_wait_for_the_window_and_a_bare_start_only_brings_it_forward(
    qtbot: QtBot, server: InstanceServer, tmp_path: Path
) -> None:
    """A start that comes while the first is still opening its file is not lost."""
    sender = QLocalSocket()
    sender.connectToServer(single_instance.server_name())
    assert sender.waitForConnected(2000)
    sender.write(b'{"open": "%s"}\n{"open": null}\n' % str(tmp_path / "a.statdesk").encode())
    answers = []
    sender.readyRead.connect(lambda: answers.append(sender.readAll().data()))
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    assert answers[0].startswith(b"ok")
    received: list[Path | None] = []
    server.deliver_to(received.append)
    assert received == [tmp_path / "a.statdesk"]
    second = QLocalSocket()
    second.connectToServer(single_instance.server_name())
    assert second.waitForConnected(2000)
    second.write(b'{"open": null}\n')
    qtbot.waitUntil(lambda: len(received) == 2, timeout=5000)
    assert received[1] is None


def test_a_message_that_is_not_statdesks_is_refused(qtbot: QtBot, server: InstanceServer) -> None:
    received: list[Path | None] = []
    server.deliver_to(received.append)
    for junk in (b"GET / HTTP/1.1\r\n\r\n", b'{"run": "calc.exe"}\n', b"x" * 100_000):
        socket = QLocalSocket()
        socket.connectToServer(single_instance.server_name())
        assert socket.waitForConnected(2000)
        socket.write(junk)
        socket.flush()
        qtbot.waitUntil(
            lambda s=socket: s.state() == QLocalSocket.LocalSocketState.UnconnectedState,
            timeout=5000,
        )
    assert received == []


def test_no_running_statdesk_means_no_hand_over(qtbot: QtBot) -> None:
    assert single_instance.hand_over(None) is False


@pytest.mark.skipif(sys.platform == "win32", reason="a socket file is a Unix thing")
def test_a_socket_file_left_by_a_crashed_statdesk_is_replaced(qtbot: QtBot) -> None:
    import socket

    left = Path(QDir.tempPath()) / single_instance.server_name()
    crashed = socket.socket(socket.AF_UNIX)
    crashed.bind(str(left))  # bound, then gone without removing its file: as after a crash
    crashed.close()
    assert left.exists()
    assert single_instance.hand_over(None) is False
    server = InstanceServer()
    assert server.listen()
    client = QLocalSocket()
    client.connectToServer(single_instance.server_name())
    assert client.waitForConnected(2000)
    server.close()


def test_each_user_folder_has_its_own_name(monkeypatch: pytest.MonkeyPatch) -> None:
    first = single_instance.server_name()
    monkeypatch.setenv("STATDESK_HOME", "/elsewhere")
    assert single_instance.server_name() != first
    assert first.startswith("StatDesk-")
