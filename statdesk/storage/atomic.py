"""Writing a file so that it either appears whole or not at all.

Everything StatDesk writes (new files, backups, exports, recovery files) is written under a
temporary name in the target folder and renamed into place: a crash, a full disk or a pulled
network cable leaves the old file, never half of a new one.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from statdesk.domain.errors import FileProblem
from statdesk.storage import crashpoints


def _new_temp(target: Path) -> Path:
    """An empty file of a name of its own beside `target`, made readable and writable for
    everyone the umask allows, as a normally created file is (colleagues on the share read
    it), in one call: over a share each call is a round trip."""
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            os.close(os.open(temp, flags, 0o666))
        except FileExistsError:
            continue
        return temp
    raise FileExistsError(errno.EEXIST, "No free temporary name", str(target.parent))


# A temporary file this old was left by a StatDesk that stopped mid-write (no write lasts an
# hour); the next write of the same file (or the next backup) removes it.
LEFTOVER_AGE_SECONDS = 3600


def remove_leftovers(folder: Path, names: str) -> None:
    """Remove the temporary files (and their journals) that writes of files matching the glob
    pattern `names` left in `folder` when a StatDesk stopped, once they are an hour old."""
    cutoff = time.time() - LEFTOVER_AGE_SECONDS
    for leftover in folder.glob(f".{names}.*.tmp*"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
# Windows refuses to rename over a file another program holds open (a colleague's StatDesk
# reading it over the share, an antivirus or backup scanner): ERROR_ACCESS_DENIED,
# ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION. Such holds are short (a reader lets go of the
# file after a second of quiet), so the rename is tried again for this long.
_IN_USE = {5, 32, 33}
IN_USE_RETRY_SECONDS = 5.0


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success rename it over `target`. A full
    drive, or a folder that cannot be written, is a `FileProblem` that says so; whatever was at
    `target` stays."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target.parent, glob.escape(target.name))
        temp = _new_temp(target)
    except OSError as error:
        raise _cannot_write(target, error) from error
    try:
        yield temp
        crashpoints.reached("file-written")
        _rename(temp, target)
    except OSError as error:
        if error.errno in _FULL or error.errno == errno.EROFS or _says_full(error):
            raise _cannot_write(target, error) from error
        raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _in_use(error: OSError) -> bool:
    """Another program holds the file for now (Windows' refusals; EBUSY from an SMB client
    whose own close of the file has not reached the server yet)."""
    return getattr(error, "winerror", None) in _IN_USE or error.errno == errno.EBUSY


def _rename(temp: Path, target: Path) -> None:
    """Rename `temp` over `target`, waiting out another program's short hold on `target`."""
    try:
        _waiting_out_holds(lambda: temp.replace(target))
    except OSError as error:
        if _in_use(error):
            raise FileProblem(
                f"{target.name} is held open by another program or computer, so StatDesk "
                "could not put the new one in its place; nothing was replaced (the one "
                "already there is kept).",
                "Close it where it is open (another StatDesk reading it, a viewer, a backup "
                "or antivirus scan), then try again.",
            ) from error
        raise


def remove(path: Path, *, folder: bool = False) -> None:
    """Delete the file (or empty `folder`) `path`, gone already being fine, waiting out
    another program's short hold on it: a lock file left because an antivirus scanner was
    reading it turns colleagues away."""
    with contextlib.suppress(FileNotFoundError):
        _waiting_out_holds(path.rmdir if folder else path.unlink)


def _waiting_out_holds(action: Callable[[], object]) -> None:
    """Do `action`, again while another program holds the file, for `IN_USE_RETRY_SECONDS`;
    then its last error is raised."""
    deadline = time.monotonic() + IN_USE_RETRY_SECONDS
    pause = 0.05
    while True:
        try:
            action()
            return
        except OSError as error:
            if not _in_use(error) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


def _says_full(error: BaseException) -> bool:
    return "no space left" in str(error).lower()


def _cannot_write(target: Path, error: OSError) -> FileProblem:
    kept = " (the one already there is kept)" if target.exists() else ""
    if error.errno in _FULL or _says_full(error):
        return FileProblem(
            f"There is no room left on the drive to write {target.name}; nothing was "
            f"written{kept}.",
            "Free some space on the drive, or choose another folder, then try again.",
        )
    return FileProblem(
        f"StatDesk cannot write in {target.parent} ({error.strerror or error}); nothing was "
        f"written{kept}.",
        "Choose a folder you can write to, or ask for write access.",
    )
