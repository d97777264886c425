"""The one place a path the user gave becomes the file StatDesk works on.

A link (a symlink, or a Windows shortcut target given as a link) is followed to the real file,
so the lock, the journal and the backups sit beside the file itself: a lock made beside a
link's name would let a second StatDesk write through the real name. Anything that is not a
plain file (a pipe, a device, a socket) is refused before it is opened, for opening a pipe
waits forever and writing over a device replaces it.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path

from statdesk.domain.errors import FileProblem, NotAStatDeskFile, StatDeskError

_KINDS = {
    stat.S_IFIFO: "a pipe (FIFO)",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def real_file(path: Path | str, problem: type[StatDeskError] | None = None) -> Path:
    """`path` with its links followed; refused (a sentence, as `problem` when given) when it
    is there but is not a plain file or a folder. A path where nothing is yet comes back made
    absolute."""
    given = Path(path)
    try:
        # Only links are followed: resolving a plain path on Windows would turn a mapped
        # drive (Z:\\City.statdesk) into the server's name for it.
        linked = any(p.is_symlink() for p in (given, *given.absolute().parents))
        resolved = given.resolve(strict=False) if linked else given.absolute()
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            raise _too_long(given, problem) from error
        raise _loop(given, problem) from error
    except RuntimeError as error:  # a loop of links
        raise _loop(given, problem) from error
    refuse_special(resolved, given, problem)
    return resolved


def _loop(given: Path, problem: type[StatDeskError] | None) -> StatDeskError:
    return (problem or FileProblem)(
        f"{given} is a link that leads back to itself, so there is no file behind it.",
        "Give the path of the file itself.",
    )


def _too_long(given: Path, problem: type[StatDeskError] | None) -> StatDeskError:
    return (problem or FileProblem)(
        f"The path {str(given)[:80]}… is longer than this computer allows.",
        "Use a shorter file name or a folder nearer the top of the drive.",
    )


def refuse_special(
    path: Path, given: Path | None = None, problem: type[StatDeskError] | None = None
) -> None:
    """Refuse a path that is there but is neither a plain file nor a folder, without opening
    it."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            raise _too_long(given or path, problem) from error
        return  # no permission to look: the open that follows says so in its own words
    kind = _KINDS.get(stat.S_IFMT(mode))
    if kind is not None:
        raise (problem or NotAStatDeskFile)(
            f"{given or path} is {kind}, not a file, so StatDesk does not open it.",
            "Give the path of a .statdesk file or a spreadsheet.",
        )
