"""The shared-drive promises on a real SMB share (tests/smb.py): Samba on the loopback
interface, two computers, each with its own smbnetfs mount and host name.

One writer at a time, across computers; the other reads; a StatDesk killed mid-save on one
computer loses nothing and the next opener on the other is told what to do; backups and
restores over the share; the server restarted mid-session."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from statdesk.storage import crashpoints
from statdesk.storage.lock import STALE_AFTER, lock_path
from tests import smb

pytestmark = pytest.mark.slow

# A StatDesk window, as far as the file can tell: the file held open for editing; on "add"
# it saves a department, on EOF it closes.
HOLDER = """
import sys
from statdesk.domain.errors import StatDeskError
from statdesk.storage import models as m
from statdesk.workspace import Workspace
workspace = Workspace.open(sys.argv[1], user=sys.argv[2])
print("read-only" if workspace.read_only else "editing", flush=True)
for line in sys.stdin:
    try:
        workspace.create(m.Department, name=line.strip())
        print("saved", flush=True)
    except StatDeskError as error:  # what the window would show
        print(f"refused: {error.message}", flush=True)
workspace.close()
print("closed", flush=True)
"""


@pytest.fixture(scope="module")
def share(tmp_path_factory: pytest.TempPathFactory) -> Iterator[smb.Share]:
    reason = smb.missing()
    if reason is not None:
        smb.skip_or_fail(reason)
    with smb.running_share(tmp_path_factory.mktemp("smb")) as running:
        yield running


@pytest.fixture
def city(share: smb.Share, demo_template: Path, request: pytest.FixtureRequest) -> str:
    """The demo city's file name on the share, a fresh copy for each test."""
    name = f"{request.node.name[:40]}.statdesk".replace("[", "-").replace("]", "")
    shutil.copyfile(demo_template, share.folder / name)
    return name


class Window:
    """HOLDER on one computer: the file held open for editing, as a window holds it."""

    def __init__(self, program: subprocess.Popen[str]) -> None:
        self.program = program

    def said(self) -> str:
        """Its next line; when it has ended instead, what it wrote on stderr."""
        assert self.program.stdout is not None
        line = self.program.stdout.readline().strip()
        if not line and self.program.stderr is not None:
            self.program.wait(30)
            return f"(ended {self.program.returncode}) {self.program.stderr.read()}"
        return line

    def save(self, department: str) -> str:
        """Save a department; what it answers ("saved", or "refused: " and the sentence)."""
        assert self.program.stdin is not None
        self.program.stdin.write(department + "\n")
        self.program.stdin.flush()
        return self.said()


@contextlib.contextmanager
def window_on(computer: smb.Computer, path: Path, user: str) -> Iterator[Window]:
    """The file open for editing on `computer` until the block ends; then it is closed."""
    window = Window(computer.start(HOLDER, str(path), user))
    try:
        assert window.said() == "editing"
        yield window
    finally:
        if window.program.stdin is not None:
            window.program.stdin.close()
        window.program.wait(60)


def departments(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM department ORDER BY id")]
    finally:
        conn.close()


def healthy(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


def backdate_lock(share: smb.Share, city: str) -> None:
    """Six minutes of silence from the lock's holder, as the server's clock sees it."""
    quiet = time.time() - STALE_AFTER.total_seconds() - 60
    os.utime(lock_path(share.folder / city), (quiet, quiet))


def test_one_writer_across_two_computers_and_the_other_reads(share: smb.Share, city: str) -> None:
    ana, bo = share.computers
    with window_on(ana, ana.share / city, "ana") as window:
        lock = json.loads(lock_path(share.folder / city).read_text(encoding="utf-8"))
        assert lock["host"] == "PC-ANA"  # written through the share, from the other computer

        values = bo.home / "values.csv"
        values.parent.mkdir(parents=True, exist_ok=True)
        values.write_text("Metric,Month,Actual\nNew measure,Jan 2026,5\n", encoding="utf-8")
        refused = bo.statdesk("import", str(bo.share / city), str(values), "--kind", "values")
        assert refused.returncode == 6, refused.stderr
        assert "In use by ana on PC-ANA" in refused.stderr

        assert window.save("Libraries") == "saved"
        info = bo.statdesk("info", str(bo.share / city), "--json")
        assert info.returncode == 0, info.stderr
        assert json.loads(info.stdout)["lock"]["host"] == "PC-ANA"
        assert "Libraries" in departments(share.folder / city)
    assert not lock_path(share.folder / city).exists()
    imported = bo.statdesk(
        "import", str(bo.share / city), str(values), "--kind", "values", "--direction", "up"
    )
    assert imported.returncode == 0, imported.stderr
    healthy(share.folder / city)


def test_a_computer_that_drops_off_mid_save_loses_nothing(share: smb.Share, city: str) -> None:
    """Killed while its import's rows are written and not committed: on the other computer the
    file is refused for editing while the lock is fresh, then taken over, the half-save undone,
    and every record saved before it kept."""
    ana, bo = share.computers
    before = departments(share.folder / city)
    values = ana.home / "values.csv"
    values.parent.mkdir(parents=True, exist_ok=True)
    lines = ["Metric,Period,Actual"] + [
        f"Measure {n},{2015 + i // 12}-{i % 12 + 1:02d},{i}" for n in range(40) for i in range(120)
    ]
    values.write_text("\n".join(lines) + "\n", encoding="utf-8")
    killed = ana.statdesk(
        *("import", str(ana.share / city), str(values), "--kind", "values", "--direction", "up"),
        env={crashpoints.VARIABLE: "import-written"},
    )
    assert killed.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), killed.stderr

    fresh = bo.statdesk("check", str(bo.share / city), "--take-over")
    assert fresh.returncode == 6, fresh.stderr  # its lock is fresh: maybe a laptop asleep
    assert "PC-ANA" in fresh.stderr

    backdate_lock(share, city)
    taken = bo.statdesk("check", str(bo.share / city), "--take-over")
    assert taken.returncode == 0, taken.stderr
    assert "Took the write lock over from" in taken.stdout and "healthy" in taken.stdout
    healthy(share.folder / city)
    conn = sqlite3.connect(share.folder / city)
    assert conn.execute("SELECT COUNT(*) FROM metric WHERE name LIKE 'Measure %'").fetchone() == (
        0,
    )
    conn.close()
    assert departments(share.folder / city) == before
    assert list((share.folder / "backups").glob(f"{Path(city).stem}.*.before-takeover.statdesk"))


def test_backups_and_restores_over_the_share(share: smb.Share, city: str) -> None:
    _ana, bo = share.computers
    made = bo.statdesk("backup", str(bo.share / city))
    assert made.returncode == 0, made.stderr
    [copy] = (share.folder / "backups").glob(f"{Path(city).stem}.*.manual.statdesk")
    healthy(copy)
    conn = sqlite3.connect(share.folder / city)
    conn.execute("DELETE FROM action_item")
    conn.commit()
    conn.close()
    restored = bo.statdesk(
        "restore", str(bo.share / city), "--from", str(bo.share / "backups" / copy.name)
    )
    assert restored.returncode == 0, restored.stderr
    healthy(share.folder / city)
    conn = sqlite3.connect(share.folder / city)
    assert conn.execute("SELECT COUNT(*) FROM action_item").fetchone()[0] > 0
    conn.close()
    safety = list((share.folder / "backups").glob(f"{Path(city).stem}.*.before-restore.statdesk"))
    assert len(safety) == 1


def test_the_server_restarted_mid_session_loses_nothing(share: smb.Share, city: str) -> None:
    ana, _bo = share.computers
    with window_on(ana, ana.share / city, "ana") as window:
        assert window.save("Before the restart") == "saved"
        share.restart_server()
        answer = window.save("After the restart")
    healthy(share.folder / city)
    names = departments(share.folder / city)
    assert "Before the restart" in names
    # The save after the restart went through (the client reconnects), or was refused with a
    # sentence and nothing of it written; never a crash.
    assert answer == "saved" or answer.startswith("refused: "), answer
    assert ("After the restart" in names) == (answer == "saved")
