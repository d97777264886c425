"""A real SMB share for the tests: Samba's `smbd` on the loopback interface with a throwaway
configuration, and one `smbnetfs` (FUSE) mount per "computer", each its own SMB session. A
StatDesk process acts as another computer through its own mount and its own host name (a UTS
namespace: `unshare --uts`).

Needs root (port 445, FUSE, namespaces), Debian's `samba` and `smbnetfs`, and /dev/fuse; the
tests skip with the reason where any is missing, unless STATDESK_REQUIRE_SMB is set (as CI
sets it), where a missing part is a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARE = "city"


def missing() -> str | None:
    """Why a share cannot be made here, or None."""
    if sys.platform != "linux" or os.geteuid() != 0:
        return "an SMB share needs Linux and root (port 445, FUSE, namespaces)"
    for tool in ("smbd", "smbnetfs", "fusermount", "unshare"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            return f"'{tool}' is not installed (apt-get install samba smbnetfs fuse)"
    if not Path("/dev/fuse").exists():
        return "/dev/fuse is missing"
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 445)) == 0:
            return "something already listens on 127.0.0.1:445"
    return None


def skip_or_fail(reason: str) -> None:
    if os.environ.get("STATDESK_REQUIRE_SMB"):
        pytest.fail(f"The SMB share is required here but cannot be made: {reason}")
    pytest.skip(reason)


@dataclass
class Computer:
    """One client of the share: its own mount (SMB session) and host name."""

    name: str
    home: Path
    mount: Path
    host: str = "127.0.0.1"  # the server, as this computer reaches it

    @property
    def share(self) -> Path:
        return self.mount / self.host / SHARE

    def command(self, *argv: str) -> list[str]:
        """`argv` run as this computer: in a UTS namespace with its host name."""
        quoted = " ".join(_quote(a) for a in argv)
        return ["unshare", "--uts", "sh", "-c", f"hostname {self.name} && exec {quoted}"]

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {
            **os.environ,
            "STATDESK_HOME": str(self.home / "statdesk"),
            "PYTHONPATH": str(REPO),
            "PYTHONIOENCODING": "utf-8",
            **(extra or {}),
        }

    def statdesk(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """`statdesk ARGS` on this computer."""
        return subprocess.run(
            self.command(sys.executable, "-m", "statdesk", *args),
            capture_output=True,
            text=True,
            env=self.env(env),
            timeout=timeout,
        )

    def start(self, code: str, *args: str) -> subprocess.Popen[str]:
        """A Python program of this computer, talking line by line on stdin and stdout."""
        return subprocess.Popen(
            self.command(sys.executable, "-c", code, *args),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(),
        )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


@dataclass
class Share:
    folder: Path  # the server's own folder (what the share holds, seen on the server)
    computers: list[Computer]
    server: subprocess.Popen[bytes]
    config: Path
    others: list[Computer] = field(default_factory=list)  # connected later

    def connect(self, name: str, host: str) -> Computer:
        """Another computer, reaching the server at `host` (a slow link's address, say)."""
        computer = Computer(
            name, self.folder.parent / name / "home", self.folder.parent / name / "mount", host
        )
        self.others.append(computer)
        _mount(computer)
        return computer

    def disconnect(self, computer: Computer) -> None:
        """`computer`'s mount taken down (it leaves, with nothing open)."""
        _unmount(computer)
        self.others.remove(computer)

    def restart_server(self) -> None:
        self.server.terminate()
        self.server.wait(10)
        self.server = _smbd(self.config)

    def drop(self, computer: Computer) -> None:
        """`computer` drops off the network: its SMB client is killed (the server sees the
        connection go, the computer sees its mount fail)."""
        subprocess.run(["pkill", "-KILL", "-f", f"smbnetfs {computer.mount}"], timeout=30)
        deadline = time.monotonic() + 15
        while _client_running(computer) and time.monotonic() < deadline:
            time.sleep(0.1)

    def reconnect(self, computer: Computer) -> None:
        """`computer` back on the network, with a new SMB session."""
        _unmount(computer)
        shutil.rmtree(computer.home / ".smb")
        computer.mount.rmdir()
        _mount(computer)


def _unmount(computer: Computer) -> None:
    subprocess.run(["fusermount", "-u", "-z", str(computer.mount)], capture_output=True, timeout=30)


def _client_running(computer: Computer) -> bool:
    found = subprocess.run(
        ["pgrep", "-f", f"smbnetfs {computer.mount}"], capture_output=True, timeout=30
    )
    return found.returncode == 0


def _smbd(config: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        ["smbd", "--foreground", "--no-process-group", "-s", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # smbd signals its whole process group when it stops
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", 445)) == 0:
                return server
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("smbd did not start listening on 127.0.0.1:445")


def _mount(computer: Computer) -> None:
    smb = computer.home / ".smb"
    smb.mkdir(parents=True)
    (smb / "smb.conf").write_text(
        "[global]\n  client min protocol = SMB2\n  workgroup = WORKGROUP\n", encoding="utf-8"
    )
    (smb / "smbnetfs.auth").write_text('auth "guest" ""\n', encoding="utf-8")
    (smb / "smbnetfs.conf").write_text(
        f'include "{smb / "smbnetfs.auth"}"\n'
        "smb_query_browsers false\nshow_hidden_hosts true\nsmb_timeout 10000\n",
        encoding="utf-8",
    )
    for file in smb.iterdir():
        file.chmod(0o600)
    computer.mount.mkdir()
    # Single-threaded (-s): with threads, smbnetfs may send a file's delete before its close
    # (FUSE sends the close without waiting), which Samba refuses as a sharing violation; the
    # SQLite journal's delete at each commit then fails as "disk I/O error". Windows clients
    # close before they delete.
    subprocess.run(
        ["smbnetfs", str(computer.mount), "-s", "-o", f"big_writes,config={smb / 'smbnetfs.conf'}"],
        env={**os.environ, "HOME": str(computer.home)},
        check=True,
        timeout=30,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if computer.share.is_dir():
                return
        time.sleep(0.2)
    raise RuntimeError(f"the share did not appear in {computer.mount}")


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Forward what `reader` gives, each piece `delay` seconds later than it came, in order."""
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def later() -> None:
        while True:
            due, data = await queue.get()
            if not data:
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            writer.write(data)
            await writer.drain()

    sending = asyncio.create_task(later())
    try:
        while data := await reader.read(65536):
            queue.put_nowait((time.monotonic() + delay, data))
        queue.put_nowait((0.0, b""))
        await sending
    finally:
        sending.cancel()
        writer.close()


@contextlib.contextmanager
def slow_link(address: str, delay: float) -> Iterator[None]:
    """A proxy on `address`:445 to the share, holding every packet `delay` seconds each way (a
    laptop on Wi-Fi: this kernel has no netem). A computer made with `host=address` reaches
    the share through it. Its connections are cut when the block ends."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    stop: asyncio.Event | None = None

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", 445)
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            _pipe(reader, server_writer, delay),
            _pipe(server_reader, writer, delay),
            return_exceptions=True,
        )

    async def serve() -> None:
        nonlocal stop
        stop = asyncio.Event()
        server = await asyncio.start_server(client, address, 445)
        ready.set()
        await stop.wait()
        server.close()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    thread = threading.Thread(target=lambda: loop.run_until_complete(serve()), daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError(f"the slow link on {address}:445 did not start")
    try:
        yield
    finally:
        assert stop is not None
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()


@contextlib.contextmanager
def running_share(
    folder: Path, names: tuple[str, ...] = ("PC-ANA", "PC-BO"), host: str = "127.0.0.1"
) -> Iterator[Share]:
    """The share, mounted once per computer in `names`, each reaching the server at `host`
    (another address may be a proxy in between)."""
    state = folder / "samba"
    for part in ("run", "lock", "state", "cache", "private"):
        (state / part).mkdir(parents=True)
    shared = folder / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    config = state / "smb.conf"
    config.write_text(
        "[global]\n"
        "  workgroup = WORKGROUP\n  server role = standalone server\n"
        "  interfaces = lo\n  bind interfaces only = yes\n  smb ports = 445\n"
        f"  pid directory = {state / 'run'}\n  lock directory = {state / 'lock'}\n"
        f"  state directory = {state / 'state'}\n  cache directory = {state / 'cache'}\n"
        f"  private dir = {state / 'private'}\n  log file = {state / 'log.smbd'}\n"
        "  map to guest = Bad User\n  guest account = root\n  server min protocol = SMB2\n"
        "  load printers = no\n  printcap name = /dev/null\n  disable spoolss = yes\n"
        f"[{SHARE}]\n  path = {shared}\n  read only = no\n  guest ok = yes\n"
        "  guest only = yes\n  force user = root\n",
        encoding="utf-8",
    )
    server = _smbd(config)
    computers = [Computer(n, folder / n / "home", folder / n / "mount", host) for n in names]
    share = Share(shared, computers, server, config)
    try:
        for computer in computers:
            _mount(computer)
        yield share
    finally:
        for computer in [*computers, *share.others]:
            _unmount(computer)
        share.server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            share.server.wait(10)
        if share.server.poll() is None:
            share.server.kill()
        # smbd serves each client from a child of its own: none may outlive the share.
        subprocess.run(["pkill", "-f", str(config)], capture_output=True, timeout=30)
