"""Writing a file so that it either appears whole or not at all.

Everything StatDesk writes (new files, backups, exports, recovery files) is written under a
temporary name in the target folder and renamed into place: a crash, a full disk or a pulled
network cable leaves the old file, never half of a new one.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from statdesk.storage import crashpoints


def _default_mode() -> int:
    """Read and write for everyone the umask allows, as a normally created file would be."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


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


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success rename it over `target`."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent, glob.escape(target.name))
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        # mkstemp makes files only their owner may read; colleagues on the share must read it.
        temp.chmod(_default_mode())
        crashpoints.reached("file-written")
        temp.replace(target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
