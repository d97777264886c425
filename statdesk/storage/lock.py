"""The writer lock: `NAME.statdesk.lock` beside the file names the one StatDesk that may write.

SQLite's own locks are unreliable on network filesystems, so StatDesk does what LibreOffice
(`.~lock.NAME#`) and Excel (`~$NAME`) do: an owner file that says who holds the file, from which
computer, since when, and that its holder refreshes (the heartbeat). Others open read-only and
can tell whether the holder is still alive.

Not every SMB client creates a file exclusively (O_EXCL) across computers: through smbnetfs two
computers opening at the same moment both "created" the lock file and both edited. Creating a
folder is exclusive on every file server, so the lock file is looked at and written only while
holding a claim, the folder `NAME.statdesk.lock-claim`, made and removed within milliseconds.

Whether a holder is alive is judged without trusting anyone's clock to agree with another's:
on this computer by its process; on another by how long ago the lock file was last written,
as the file server stamps it, against a file this StatDesk writes now beside it (same server,
same clock). A colleague whose clock runs ten minutes behind is not taken for gone, and a lock
whose heartbeat text lies in the future still goes stale when its writer stops.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import stat
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from statdesk.domain.errors import FileProblem, StatDeskError
from statdesk.storage.atomic import remove, replacing

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"
CLAIM_SUFFIX = ".lock-claim"
# A claim lasts milliseconds: a StatDesk waits this long for another's to end, and one this old
# by the file server's clock was left by a StatDesk that stopped while holding it.
CLAIM_WAIT_SECONDS = 5.0
CLAIM_LEFT_OVER_SECONDS = 60.0
HEARTBEAT_SECONDS = 60
# A lock whose heartbeat is older than this is stale, whatever computer holds it.
STALE_AFTER = timedelta(minutes=5)
UNREADABLE = "unreadable"  # the session id given to a lock file that cannot be parsed
_TEXTS = ("user", "display_name", "host", "session_id", "app_version", "acquired", "heartbeat")
_FIELDS = (*_TEXTS[:3], "pid", *_TEXTS[3:])  # what a lock file holds, in its order
MAX_PID = 2**32  # process ids on Linux, macOS and Windows are below this
MAX_TEXT = 1_000  # characters of one field: a name, a host, a version, a moment


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + LOCK_SUFFIX)


def claim_path(database: Path) -> Path:
    return database.with_name(database.name + CLAIM_SUFFIX)


def this_host() -> str:
    return socket.gethostname() or "this computer"


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class LockInfo:
    user: str
    display_name: str
    host: str
    pid: int
    session_id: str
    app_version: str
    acquired: str  # ISO 8601, UTC
    heartbeat: str
    # When the lock file was last written, by the file server's clock, and where: read from
    # the file's modification time, not written in it.
    written: float | None = field(default=None, compare=False, repr=False)
    folder: Path | None = field(default=None, compare=False, repr=False)

    @property
    def holder(self) -> str:
        return self.display_name or self.user

    def since(self) -> str:
        """When the lock was taken, in this computer's local time, for people to read."""
        try:
            moment = datetime.fromisoformat(self.acquired).astimezone()
        except ValueError:
            return self.acquired
        return moment.strftime("%Y-%m-%d %H:%M")

    def describe(self) -> str:
        if self.session_id == UNREADABLE:
            return (
                "In use, as far as StatDesk can tell: its lock file cannot be read (half-written "
                f"or damaged; last changed {self.since()})"
            )
        return f"In use by {self.holder} on {self.host} since {self.since()}"

    def heartbeat_age(self, now: float | None = None) -> timedelta:
        """How long ago the holder last wrote its lock file. For a lock read from a file, by
        the file server's clock (`now`: the server's time, found by writing a file beside it
        when not given); for one made here, by its heartbeat text against this clock."""
        if self.written is None:
            try:
                beat = datetime.fromisoformat(self.heartbeat)
                return max(timedelta(0), datetime.now(UTC) - beat)
            except (ValueError, TypeError):
                return timedelta.max
        server_now = now if now is not None else server_time(self.folder)
        return timedelta(seconds=max(0.0, server_now - self.written))

    def is_dead_here(self) -> bool:
        """The holder was a StatDesk on this computer whose process has ended: certainly gone,
        unlike a silent holder elsewhere (which may be a laptop asleep mid-save)."""
        return self.host == this_host() and self.pid != os.getpid() and not pid_alive(self.pid)

    def is_stale(self, now: float | None = None) -> bool:
        """The holder is gone: its process is dead on this computer, or it stopped beating."""
        return self.is_dead_here() or self.heartbeat_age(now) > STALE_AFTER

    def as_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}


def server_time(folder: Path | None) -> float:
    """Now, by the clock that stamps the files in `folder` (on a share, the server's): the
    modification time of a file made there and removed. This computer's clock when the
    folder cannot be written."""
    if folder is not None:
        with (
            contextlib.suppress(OSError),
            tempfile.NamedTemporaryFile(dir=folder, prefix=".statdesk-clock-") as probe,
        ):
            return os.fstat(probe.fileno()).st_mtime
    return time.time()


def _parsed(raw: bytes) -> dict[str, Any] | None:
    """The fields of a lock file, if it is one StatDesk wrote: every field of its type, a
    process id a computer can have, both moments with their time zone. Anything else
    (edited by hand, half-written, another program's) is None."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    fields: dict[str, Any] = {name: data.get(name) for name in _FIELDS}
    pid = fields["pid"]
    if type(pid) is not int or not 0 < pid < MAX_PID:
        return None
    texts = [fields[n] for n in _TEXTS]
    if not all(isinstance(t, str) and len(t) <= MAX_TEXT for t in texts):
        return None
    for name in ("acquired", "heartbeat"):
        try:
            moment = datetime.fromisoformat(str(fields[name]))
        except ValueError:
            return None
        if moment.tzinfo is None:
            return None
    return fields


class LockHeld(StatDeskError):
    """Someone else holds the writer lock."""

    exit_code = 6

    def __init__(self, info: LockInfo) -> None:
        self.info = info
        super().__init__(
            f"{info.describe()} — opened read-only.",
            "You can read everything; StatDesk can tell you when it frees.",
        )


class LockLost(StatDeskError):
    """Our lock file was removed or taken over while we were editing."""

    exit_code = 6


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running on this computer."""
    if not 0 < pid < MAX_PID:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, but another user's
    except (OverflowError, OSError):
        return False
    return True


def read_lock(database: Path) -> LockInfo | None:
    """Who holds the lock on `database`, or None if nobody does.

    A lock file that cannot be parsed (half-written by a crash, edited by hand) still means
    "held"; it is reported with what can be known, and counts as stale once it is old.
    """
    path = lock_path(database)
    try:
        found = path.stat()
        if stat.S_ISDIR(found.st_mode):
            raise IsADirectoryError(path)
        raw = b""  # a pipe or a device in its place is never opened: unreadable
        if stat.S_ISREG(found.st_mode):
            with path.open("rb") as handle:
                raw = handle.read(64 * 1024)  # a lock is a few hundred bytes
        written = found.st_mtime
        stamp = datetime.fromtimestamp(written, UTC).isoformat()
    except FileNotFoundError:
        return None
    except IsADirectoryError as error:
        raise FileProblem(
            f"A folder is where the lock file {path.name} belongs, so StatDesk cannot tell "
            "whether someone is editing the file.",
            f"Move or rename the folder {path.name}, then open the file again.",
        ) from error
    except OSError as error:
        raise FileProblem(
            f"StatDesk cannot read the lock file {path.name}: {error.strerror}.",
            "Check that the shared drive is connected.",
        ) from error
    fields = _parsed(raw)
    if fields is not None:
        return LockInfo(**fields, written=written, folder=path.parent)
    return LockInfo(
        user="unknown",
        display_name="an unknown user",
        host="an unknown computer",
        pid=0,
        session_id=UNREADABLE,
        app_version="",
        acquired=stamp,
        heartbeat=stamp,
        written=written,
        folder=path.parent,
    )


class WriterLock:
    """The lock this StatDesk holds on one file."""

    def __init__(self, database: Path, info: LockInfo) -> None:
        self.database = database
        self.path = lock_path(database)
        self.info = info

    @classmethod
    def acquire(
        cls,
        database: Path,
        *,
        user: str,
        display_name: str = "",
        app_version: str = "",
        stale: LockInfo | None = None,
    ) -> WriterLock:
        """Take the lock, or raise LockHeld naming the holder. The lock file is looked at and
        written under the claim (see the module's note), so two StatDesks starting together,
        on one computer or two, cannot both succeed. With `stale`, a lock that still names
        that stale holder is replaced (a takeover); a lock someone else took meanwhile is
        never removed."""
        with _claim(database):
            current = read_lock(database)
            if current is not None:
                if stale is None or (current.session_id, current.acquired) != (
                    stale.session_id,
                    stale.acquired,
                ):
                    raise LockHeld(current)
                remove(lock_path(database))
            return cls._create(database, user, display_name, app_version)

    @classmethod
    def _create(cls, database: Path, user: str, display_name: str, app_version: str) -> WriterLock:
        moment = _now().isoformat()
        info = LockInfo(
            user=user,
            display_name=display_name or user,
            host=this_host(),
            pid=os.getpid(),
            session_id=uuid.uuid4().hex,
            app_version=app_version,
            acquired=moment,
            heartbeat=moment,
        )
        path = lock_path(database)
        payload = json.dumps(info.as_json(), indent=1).encode("utf-8")
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:  # a StatDesk that does not claim first (none should)
            holder = read_lock(database)
            if holder is None:
                raise FileProblem(
                    f"The lock file of {database.name} came and went while StatDesk took it.",
                    "Open the file again.",
                ) from None
            raise LockHeld(holder) from None
        try:
            try:
                if os.write(handle, payload) != len(payload):
                    raise OSError(28, "No space left on device")
                os.fsync(handle)
            finally:
                os.close(handle)
        except OSError as error:
            # An empty or half-written lock would turn everyone away for five minutes.
            with contextlib.suppress(OSError):
                path.unlink()
            raise FileProblem(
                f"StatDesk could not write its lock file beside {database.name} "
                f"({error.strerror or error}), so the file is not opened for editing.",
                "Free some space on the drive (or ask for write access), then open it again.",
            ) from error
        return cls(database, info)

    @classmethod
    def take_over(
        cls,
        database: Path,
        stale: LockInfo,
        *,
        user: str,
        display_name: str = "",
        app_version: str = "",
    ) -> WriterLock:
        """Replace a stale lock: only if the file still names the same stale holder, so a lock
        someone else took in the meantime is never removed."""
        return cls.acquire(
            database, user=user, display_name=display_name, app_version=app_version, stale=stale
        )

    def is_ours(self) -> bool:
        current = read_lock(self.database)
        return current is not None and current.session_id == self.info.session_id

    def verify(self) -> None:
        """Raise LockLost unless the lock file still carries our session id."""
        current = read_lock(self.database)
        if current is None:
            raise LockLost(
                f"The write lock on {self.database.name} was removed while you were editing.",
                "Reopen the file to edit it again.",
            )
        if current.session_id != self.info.session_id:
            raise LockLost(
                f"{current.holder} on {current.host} took over "
                f"{self.database.name} at {current.since()}.",
                "Reopen the file; it will open read-only while they edit.",
            )

    def beat(self) -> None:
        """Refresh the heartbeat (only while the lock is still ours)."""
        self.verify()
        info = replace(self.info, heartbeat=_now().isoformat())
        with replacing(self.path) as temp:
            temp.write_text(json.dumps(info.as_json(), indent=1), encoding="utf-8")
        self.info = info

    def release(self) -> None:
        """Remove the lock file if it is still ours; someone else's is left alone."""
        with contextlib.suppress(OSError, FileProblem):
            if self.is_ours():
                remove(self.path)


@contextlib.contextmanager
def _claim(database: Path) -> Iterator[None]:
    """Hold the claim on `database`'s lock file for the block (see the module's note). A
    folder that cannot be written raises its OSError, as creating the lock file would."""
    path = claim_path(database)
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    pause = 0.02
    while True:
        try:
            path.mkdir()
            break
        except FileExistsError:
            if _left_over(path):
                _remove_claim(path)
                continue
            if time.monotonic() >= deadline:
                raise FileProblem(
                    f"Another StatDesk has been taking the lock on {database.name} for "
                    f"{CLAIM_WAIT_SECONDS:.0f} seconds, so StatDesk cannot tell who edits it.",
                    f"Try again in a minute; if this goes on, remove the folder {path.name} "
                    "beside the file.",
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.25)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            remove(path, folder=True)


def _left_over(claim: Path) -> bool:
    """A claim folder left by a StatDesk that stopped while holding it (by the server's clock)."""
    try:
        found = claim.stat()
    except FileNotFoundError:
        return True  # gone meanwhile: try again at once
    except OSError:
        return False
    if not stat.S_ISDIR(found.st_mode):
        return False  # not a claim StatDesk made: wait, then say so
    return server_time(claim.parent) - found.st_mtime > CLAIM_LEFT_OVER_SECONDS


def _remove_claim(claim: Path) -> None:
    """Remove a left-over claim: renamed aside first, so of two StatDesks that found it, only
    one removes it (the other's rename finds nothing and it tries to claim again)."""
    aside = claim.with_name(f"{claim.name}.{uuid.uuid4().hex}")
    try:
        claim.rename(aside)
    except OSError:
        return
    with contextlib.suppress(OSError):
        aside.rmdir()


class Heartbeat:
    """Refreshes the lock file about once a minute, on a daemon thread, until stopped."""

    def __init__(self, lock: WriterLock, interval: float = HEARTBEAT_SECONDS) -> None:
        self.lock = lock
        self.interval = interval
        self.lost: StatDeskError | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="statdesk-heartbeat", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.lock.beat()
            except LockLost as lost:
                self.lost = lost
                log.warning("write lock lost: %s", lost.message)
                return
            except (OSError, FileProblem) as error:  # the share blinked; try again next minute
                log.warning("heartbeat failed: %s", error)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
