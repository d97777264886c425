"""The `statdesk` program: its command line, whose `gui` command (and no command at all) opens
the window. The one module outside `statdesk.ui` that starts Qt: the command line itself stays
free of it (the import contracts check this), so `statdesk export …` on a server without a
display never loads a Qt library."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from statdesk.domain.locations import Location


def main(argv: Sequence[str] | None = None) -> int:
    from statdesk import cli

    return cli.main(argv, window=Window())


class Window:
    """The window's side of the program, for the command line's `gui` and `self-test`."""

    def open(self, path: Location | None, smoke: bool) -> int:
        """Open StatDesk's window on `path` (or the last file, or the demo city)."""
        if not smoke:
            # A StatDesk already running takes the file: this start ends in a quarter of a
            # second, before the window's modules are even imported.
            from statdesk.ui.single_instance import hand_over

            if hand_over(path):
                return 0
        # The file's side first: once PySide6 is imported, it inspects every later import
        # (its "feature" hook), which costs a tenth of a second over SQLAlchemy's imports.
        import statdesk.workspace  # noqa: F401
        from statdesk.ui.app import run

        return run(path, smoke=smoke)

    def self_test(self, report: Path | None) -> int:
        """The packaged program's check of itself, its window painted included."""
        from statdesk import selftest

        return selftest.run(report)


if __name__ == "__main__":
    sys.exit(main())
