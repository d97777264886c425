"""Named points where the crash-safety tests kill StatDesk, and nothing else.

`STATDESK_TEST_CRASH_AT=NAME` (or `NAME:N`, the N-th time) makes the process kill itself with
SIGKILL when it reaches `reached(NAME)`: no cleanup, no `finally`, no flush, as when a laptop
loses power or Windows ends the process. Without that variable, set only by
`tests/faults/test_crash_safety.py` for a child process, `reached` returns at once.
"""

from __future__ import annotations

import os
import signal

VARIABLE = "STATDESK_TEST_CRASH_AT"

# Every point, with what has happened when it is reached. A test checks that each is used.
POINTS = {
    "import-written": "an import's rows are in the file's pages, not committed",
    "import-committed": "an import is committed; the lock and change log are still open",
    "backup-copied": "a backup's pages are copied into its temporary file, not renamed",
    "restore-replaced": "the backup is in the file's place; the change log is not written",
    "file-written": "an export (or any file written whole) is under its temporary name",
    "migration-upgraded": "the upgrade ran inside its transaction, not committed",
}

_passed: dict[str, int] = {}


def reached(point: str) -> None:
    """Die here if the tests asked for it (the N-th time `point` is reached)."""
    wanted = os.environ.get(VARIABLE)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point:
        return
    _passed[point] = _passed.get(point, 0) + 1
    if _passed[point] >= int(nth or 1):
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
