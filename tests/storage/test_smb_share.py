"""The shared-drive promises on a real SMB share (tests/smb.py): Samba on the loopback
interface, two computers, each with its own smbnetfs mount and host name, and a third behind a
30 ms round trip.

One writer at a time across computers, even when both open at the same moment; the other
reads, follows each save, is told when the file frees and takes it; StatDesk killed at each
point of a save on one computer, or its computer dropped off the network mid-save, loses
nothing, and the next opener on the other is told what to do; backups and restores over the
share; the server restarted mid-session."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from statdesk.storage import crashpoints
from statdesk.storage.lock import STALE_AFTER, lock_path
from tests import smb
from tests.conftest import dump_tables, table_columns

pytestmark = pytest.mark.slow
DATA = Path(__file__).parents[1] / "data"
LEAVE_OUT = ("change_log", "file_state", "alembic_version")
SLOW = "127.0.0.3"  # a slow link's address (bench/share.py uses 127.0.0.2)

# A StatDesk window, as far as the file can tell: the file open (for editing, or read-only
# with the reason); "?" asks what a read-only window's watch asks every few seconds (has the
# file changed, is it free) and what its pages would show; "!" is "Open it for editing?"
# answered yes once the file is free; any other line saves a department of that name; at
# the end of its input it closes. A third argument is the moment to open the file at.
HOLDER = """
import json, sys, time
from statdesk.domain.errors import StatDeskError
from statdesk.storage import models as m
from statdesk.workspace import Workspace
if len(sys.argv) > 3:  # open at this moment (by the clock both computers share here)
    time.sleep(max(0.0, float(sys.argv[3]) - time.time()))
workspace = Workspace.open(sys.argv[1], user=sys.argv[2])
print(f"read-only: {workspace.read_only_reason}" if workspace.read_only else "editing", flush=True)
for line in sys.stdin:
    try:
        if line == "?\\n":
            changed = workspace.has_changed()
            names = [d.name for d in workspace.query(m.Department)]
            print(json.dumps({"changed": changed, "free": workspace.lock_is_free(),
                              "departments": names}), flush=True)
        elif line == "!\\n":
            print("editing" if workspace.start_editing() else "still read-only", flush=True)
        else:
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
    digest = hashlib.sha1(request.node.nodeid.encode("utf-8")).hexdigest()[:8]
    name = f"{request.node.originalname[:32]}-{digest}.statdesk"
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
        return self.tell(department)

    def tell(self, line: str) -> str:
        assert self.program.stdin is not None
        self.program.stdin.write(line + "\n")
        self.program.stdin.flush()
        return self.said()

    def watch(self) -> dict[str, Any]:
        """What a read-only window's watch sees now (see HOLDER)."""
        answer = self.tell("?")
        assert answer.startswith("{"), answer
        seen: dict[str, Any] = json.loads(answer)
        return seen

    def watch_until(self, wanted: Callable[[dict[str, Any]], bool], seconds: float = 15) -> None:
        """Watch as the window does (every half second here) until `wanted` holds."""
        deadline = time.monotonic() + seconds
        seen = self.watch()
        while not wanted(seen):
            assert time.monotonic() < deadline, f"still {seen} after {seconds} s"
            time.sleep(0.5)
            seen = self.watch()

    def close(self) -> None:
        if self.program.stdin is not None and not self.program.stdin.closed:
            self.program.stdin.close()
        self.program.wait(60)


@contextlib.contextmanager
def opened(computer: smb.Computer, path: Path, user: str, *at: str) -> Iterator[Window]:
    """The file open on `computer` (as a window holds it) until the block ends."""
    window = Window(computer.start(HOLDER, str(path), user, *at))
    try:
        yield window
    finally:
        window.close()


@contextlib.contextmanager
def window_on(computer: smb.Computer, path: Path, user: str) -> Iterator[Window]:
    """The file open for editing on `computer` until the block ends; then it is closed."""
    with opened(computer, path, user) as window:
        assert window.said() == "editing"
        yield window


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


def test_a_reader_on_the_other_computer_follows_each_save_and_is_told_when_free(
    share: smb.Share, city: str
) -> None:
    ana, bo = share.computers
    with (
        window_on(ana, ana.share / city, "ana") as writer,
        opened(bo, bo.share / city, "bo") as reader,
    ):
        assert reader.said().startswith("read-only: In use by ana on PC-ANA since ")
        assert reader.watch()["free"] is False
        assert writer.save("Libraries") == "saved"
        reader.watch_until(lambda seen: "Libraries" in seen["departments"])
        assert reader.save("Parks annex").startswith("refused: ")  # never two writers
        assert reader.tell("!") == "still read-only"
        writer.close()
        assert writer.said() == "closed"
        reader.watch_until(lambda seen: seen["free"])  # "notify me when it frees"
        assert reader.tell("!") == "editing"
        assert reader.save("Parks annex") == "saved"
        lock = json.loads(lock_path(share.folder / city).read_text(encoding="utf-8"))
        assert (lock["user"], lock["host"]) == ("bo", "PC-BO")
    names = departments(share.folder / city)
    assert names[-2:] == ["Libraries", "Parks annex"]
    assert not lock_path(share.folder / city).exists()
    healthy(share.folder / city)


def test_two_computers_opening_at_the_same_moment_get_one_writer(
    share: smb.Share, city: str
) -> None:
    ana, bo = share.computers
    for attempt in range(3):
        moment = str(time.time() + 4)  # both started, StatDesk loaded, then open together
        with (
            opened(ana, ana.share / city, "ana", moment) as first,
            opened(bo, bo.share / city, "bo", moment) as second,
        ):
            states = sorted([first.said().split(":")[0], second.said().split(":")[0]])
            assert states == ["editing", "read-only"], states
            answers = [first.save(f"Ana {attempt}"), second.save(f"Bo {attempt}")]
            assert sorted(a.split(":")[0] for a in answers) == ["refused", "saved"], answers
        assert not lock_path(share.folder / city).exists()
    names = departments(share.folder / city)
    for attempt in range(3):  # each time one of the two saved, never both
        assert (f"Ana {attempt}" in names) != (f"Bo {attempt}" in names)
    healthy(share.folder / city)


def values_csv(computer: smb.Computer) -> Path:
    """40 measures × 120 months on `computer`'s own disk: more than SQLite's page cache, so
    the import's pages reach the file before its commit."""
    path = computer.home / "values.csv"
    lines = ["Metric,Period,Actual"] + [
        f"Measure {n},{2015 + i // 12}-{i % 12 + 1:02d},{i}" for n in range(40) for i in range(120)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def importing_values(computer: smb.Computer, city: str) -> tuple[str, ...]:
    """`statdesk` arguments importing `values_csv` into `city` on `computer`."""
    source = values_csv(computer)
    return (
        "import",
        str(computer.share / city),
        str(source),
        "--kind",
        "values",
        "--direction",
        "up",
    )


def imported_values(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(
            conn.execute(
                "SELECT COUNT(*) FROM metric_value v JOIN metric m ON m.id = v.metric_id "
                "WHERE m.name LIKE 'Measure %'"
            ).fetchone()[0]
        )
    finally:
        conn.close()


def taken_over_on(computer: smb.Computer, share: smb.Share, city: str) -> None:
    """The next opener, on `computer`: refused while the lock is fresh (the other may be a
    laptop asleep mid-save), then taking over after its holder's silence, after a backup."""
    fresh = computer.statdesk("check", str(computer.share / city), "--take-over")
    assert fresh.returncode == 6, fresh.stdout + fresh.stderr
    assert "PC-ANA" in fresh.stderr
    backdate_lock(share, city)
    taken = computer.statdesk("check", str(computer.share / city), "--take-over")
    assert taken.returncode == 0, taken.stdout + taken.stderr
    assert "Took the write lock over from" in taken.stdout and "healthy" in taken.stdout
    assert list(share.folder.glob(f"backups/{Path(city).stem}.*.before-takeover.statdesk"))
    assert not lock_path(share.folder / city).exists()
    healthy(share.folder / city)


@pytest.mark.parametrize(
    ("point", "holds"),
    [
        ("import-written", "none of the import"),
        ("import-committed", "all of the import"),
        ("restore-replaced", "the backup"),
        ("migration-upgraded", "the old file's records, upgraded"),
    ],
)
def test_killed_mid_save_on_one_computer_the_other_loses_nothing(
    share: smb.Share, city: str, point: str, holds: str
) -> None:
    """SIGKILL at each point of a save that holds the lock, on PC-ANA; PC-BO opens next."""
    ana, bo = share.computers
    path = share.folder / city
    if point == "migration-upgraded":
        shutil.copyfile(DATA / "schema-0001.statdesk", path)
    old_columns = table_columns(path)
    before = dump_tables(path, LEAVE_OUT, old_columns)
    if point == "restore-replaced":
        made = ana.statdesk("backup", str(ana.share / city))
        assert made.returncode == 0, made.stderr
        [copy] = share.folder.glob(f"backups/{Path(city).stem}.*.manual.statdesk")
        conn = sqlite3.connect(path)
        conn.execute("DELETE FROM action_item")
        conn.commit()
        conn.close()
        command = (
            "restore",
            str(ana.share / city),
            "--from",
            str(ana.share / "backups" / copy.name),
        )
    else:
        command = importing_values(ana, city)
    killed = ana.statdesk(*command, env={crashpoints.VARIABLE: point})
    assert killed.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), killed.stderr

    taken_over_on(bo, share, city)
    after = dump_tables(path, LEAVE_OUT, old_columns)
    if holds == "all of the import":
        assert imported_values(path) == 40 * 120
    else:
        assert imported_values(path) == 0
        assert after == before  # to the last row, also for the upgraded file's old columns
    if point == "migration-upgraded":
        assert "schema revision" in bo.statdesk("check", str(bo.share / city)).stdout


def test_a_backup_or_an_export_killed_on_one_computer_leaves_what_was_there(
    share: smb.Share, city: str
) -> None:
    ana, bo = share.computers
    path = share.folder / city
    data = path.read_bytes()
    killed = ana.statdesk(
        "backup", str(ana.share / city), env={crashpoints.VARIABLE: "backup-copied"}
    )
    assert killed.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), killed.stderr
    backups = share.folder / "backups"
    assert list(backups.glob(f"{Path(city).stem}.*")) == []  # nothing that looks like one
    assert path.read_bytes() == data

    memo = share.folder / "exports" / f"{Path(city).stem} memo.pdf"
    memo.parent.mkdir()
    memo.write_bytes(b"%PDF- last week's memo")
    target = str(ana.share / "exports" / memo.name)
    command = ("export", str(ana.share / city), "memo", "--meeting", "3", "-o", target)
    killed = ana.statdesk(*command, env={crashpoints.VARIABLE: "file-written"})
    assert killed.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), killed.stderr
    assert memo.read_bytes() == b"%PDF- last week's memo"

    made = bo.statdesk("backup", str(bo.share / city))
    assert made.returncode == 0, made.stderr
    [copy] = share.folder.glob(f"backups/{Path(city).stem}.*.manual.statdesk")
    healthy(copy)
    exported = bo.statdesk(
        "export",
        str(bo.share / city),
        "memo",
        "--meeting",
        "3",
        "-o",
        str(bo.share / "exports" / memo.name),
    )
    assert exported.returncode == 0, exported.stderr
    assert memo.read_bytes().startswith(b"%PDF-") and memo.stat().st_size > 1000
    assert path.read_bytes() == data


def test_a_laptop_that_drops_off_the_network_mid_save_loses_nothing(
    share: smb.Share, city: str
) -> None:
    """PC-ANA's import is frozen with its rows in the file's pages, not committed; its SMB
    client is killed (the laptop leaves the building) and the import goes on against a share
    that is gone. It ends with a sentence; on PC-BO the file is refused while the lock is
    fresh, then taken over with the half-save undone and everything before it kept."""
    ana, bo = share.computers
    path = share.folder / city
    before = dump_tables(path, LEAVE_OUT)
    command = importing_values(ana, city)
    importing = subprocess.Popen(
        ana.command(sys.executable, "-m", "statdesk", *command),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ana.env({crashpoints.STOP_VARIABLE: "import-written"}),
    )
    try:
        frozen_when_stopped(importing)
        assert path.with_name(city + "-journal").exists()  # mid-save, as the server sees it
        share.drop(ana)
        os.kill(importing.pid, signal.SIGCONT)
        _out, err = importing.communicate(timeout=120)
    finally:
        if importing.poll() is None:
            importing.kill()
        share.reconnect(ana)
    assert importing.returncode == 3, err  # not done, and not "a bug"
    assert "Traceback" not in err
    assert f"StatDesk lost touch with {city}" in err  # never "damaged: restore a backup"
    assert "everything saved before it is kept" in err and "open the file again" in err

    taken_over_on(bo, share, city)
    assert imported_values(path) == 0
    assert dump_tables(path, LEAVE_OUT) == before


def frozen_when_stopped(program: subprocess.Popen[str], seconds: float = 120) -> None:
    """Wait until `program` has stopped itself at its crash point (state T in /proc)."""
    deadline = time.monotonic() + seconds
    stat = Path(f"/proc/{program.pid}/stat")
    while time.monotonic() < deadline:
        assert program.poll() is None, program.communicate()[1]
        if stat.read_text().rsplit(")", 1)[1].split()[0] == "T":
            return
        time.sleep(0.05)
    raise AssertionError(f"not stopped at its crash point within {seconds} s")


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


def test_a_laptop_on_wifi_races_a_colleague_and_nothing_is_lost(
    share: smb.Share, city: str
) -> None:
    """PC-WIFI reaches the server through a link holding each packet 15 ms each way (a 30 ms
    round trip). It and PC-BO open the file at the same moment: one edits, the other follows
    its saves; then they change places."""
    _ana, bo = share.computers
    with smb.slow_link(SLOW, 0.015):
        wifi = share.connect("PC-WIFI", SLOW)
        moment = str(time.time() + 6)  # the slow side takes longer to start
        with (
            opened(wifi, wifi.share / city, "wifi", moment) as laptop,
            opened(bo, bo.share / city, "bo", moment) as desk,
        ):
            first = {"laptop": laptop.said(), "desk": desk.said()}
            [writer] = [k for k, said in first.items() if said == "editing"]
            assert sum(said.startswith("read-only: In use by ") for said in first.values()) == 1
            editing, reading = (laptop, desk) if writer == "laptop" else (desk, laptop)
            for n in range(3):
                assert editing.save(f"Saved over Wi-Fi {n}") == "saved"
            reading.watch_until(lambda seen: "Saved over Wi-Fi 2" in seen["departments"])
            editing.close()
            reading.watch_until(lambda seen: seen["free"])
            assert reading.tell("!") == "editing"
            assert reading.save("Saved after the change") == "saved"
        share.disconnect(wifi)
        names = departments(share.folder / city)
        assert names[-4:] == [
            *(f"Saved over Wi-Fi {n}" for n in range(3)),
            "Saved after the change",
        ]
    assert not lock_path(share.folder / city).exists()
    healthy(share.folder / city)
