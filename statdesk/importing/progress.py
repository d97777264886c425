"""How far a long import has got, and the user's wish to stop it.

The worker thread calls `step()` as it goes; the window reads `fraction` and `stage` on a timer
and calls `cancel()` from its Stop button. `step()` raises `Cancelled` once a stop is asked, so
the work ends at the next step and the caller's transaction, if any, rolls back.
"""

from __future__ import annotations

import threading

from statdesk.domain.errors import Cancelled


class Progress:
    def __init__(self) -> None:
        self.fraction = 0.0  # 0 to 1; read from another thread, written only by the worker
        self.stage = ""
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def step(self, fraction: float, stage: str | None = None) -> None:
        """Record progress; stop here (raising Cancelled) when the user asked to."""
        if self._stop.is_set():
            raise Cancelled()
        self.fraction = max(0.0, min(1.0, fraction))
        if stage is not None:
            self.stage = stage


def step(progress: Progress | None, fraction: float, stage: str | None = None) -> None:
    """`progress.step(…)` when there is a progress to report to."""
    if progress is not None:
        progress.step(fraction, stage)
