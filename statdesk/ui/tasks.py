"""Long work off the GUI thread: one helper runs a function in the thread pool and hands its
result (or its exception) back on the GUI thread. Workers never touch widgets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_running: set[_Signals] = set()  # kept alive until their task reports back


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.work = work
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # reported on the GUI thread, shown there
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """Run `work()` in the pool; `on_done(result)` or `on_error(exception)` then run on the
    GUI thread (the signals are queued across threads)."""
    signals = _Signals()
    _running.add(signals)

    def finish(handler: Callable[[Any], None]) -> Callable[[Any], None]:
        def call(value: Any) -> None:
            _running.discard(signals)
            handler(value)

        return call

    signals.done.connect(finish(on_done))
    signals.failed.connect(finish(on_error))
    QThreadPool.globalInstance().start(_Task(work, signals))
