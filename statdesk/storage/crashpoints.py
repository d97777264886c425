"""Named points where the crash-safety tests kill StatDesk, and nothing else.

`STATDESK_TEST_CRASH_AT=NAME` (or `NAME:N`, the N-th time) makes the process kill itself with
SIGKILL when it reaches `reached(NAME)`: no cleanup, no `finally`, no flush, as when a laptop
loses power or Windows ends the process. `STATDESK_TEST_STOP_AT=NAME` stops it there instead
(SIGSTOP), until the test continues it: a laptop frozen mid-save while the test takes its
network away. Without these variables, set only by the crash-safety and shared-drive tests
for a child process, `reached` returns at once.
"""

from __future__ import annotations

import os
import signal

VARIABLE = "STATDESK_TEST_CRASH_AT"
STOP_VARIABLE = "STATDESK_TEST_STOP_AT"

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
    """Die (or stop) here if the tests asked for it (the N-th time `point` is reached)."""
    kill, stop = os.environ.get(VARIABLE), os.environ.get(STOP_VARIABLE)
    if not kill and not stop:
        return
    _passed[point] = _passed.get(point, 0) + 1
    if _wanted(kill, point):
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
    if _wanted(stop, point) and hasattr(signal, "SIGSTOP"):
        os.kill(os.getpid(), signal.SIGSTOP)  # goes on here once continued


def _wanted(setting: str | None, point: str) -> bool:
    name, _, nth = (setting or "").partition(":")
    return name == point and _passed[point] == int(nth or 1)
