"""A real SMB share for the tests: Samba's `smbd` on the loopback interface with a throwaway
configuration, and one `smbnetfs` (FUSE) mount per "computer", each its own SMB session. A
StatDesk process acts as another computer through its own mount and its own host name (a UTS
namespace: `unshare --uts`).

Needs root (port 445, FUSE, namespaces), Debian's `samba` and `smbnetfs`, and /dev/fuse; the
tests skip with the reason where any is missing, unless STATDESK_REQUIRE_SMB is set (as CI
sets it), where a missing part is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
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

    def restart_server(self) -> None:
        self.server.terminate()
        self.server.wait(10)
        self.server = _smbd(self.config)


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
    subprocess.run(
        ["smbnetfs", str(computer.mount), "-o", f"config={smb / 'smbnetfs.conf'}"],
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
        for computer in computers:
            subprocess.run(
                ["fusermount", "-u", "-z", str(computer.mount)], capture_output=True, timeout=30
            )
        share.server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            share.server.wait(10)
        if share.server.poll() is None:
            share.server.kill()
        # smbd serves each client from a child of its own: none may outlive the share.
        subprocess.run(["pkill", "-f", str(config)], capture_output=True, timeout=30)
