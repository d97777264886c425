"""The `statdesk` command: a thin layer that parses arguments and calls the workspace. Each
command's options sit beside its handler (files, reading, exporting, imports); this module
only builds the parser from them and dispatches.

Errors a user can fix are printed to stderr as one sentence and a hint, with the exit code of
their kind (see EXIT_CODES); anything else is a bug and says so.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from statdesk import APP_NAME, __version__, logs
from statdesk.cli import cycle, exporting, files, imports, reading, server
from statdesk.cli.common import Handler
from statdesk.cli.files import Window
from statdesk.domain import errors

__all__ = ["COMMANDS", "EXIT_CODES", "HANDLERS", "Window", "build_parser", "main"]

EXIT_CODES = {
    0: "success",
    1: "unexpected error (a bug: please report it with the log file)",
    2: "the command line was not understood",
    3: "the file is missing or cannot be read",
    4: "the file is not a StatDesk file, or it is damaged",
    5: "the file was saved by a newer StatDesk",
    6: "the file is open read-only",
    9: "refused: a value was not valid, or the action is not possible now",
    10: "the file to import cannot be read",
}

COMMANDS = (
    "gui",
    "new",
    "demo",
    "info",
    "check",
    "backup",
    "restore",
    "move",
    "server",
    "metrics",
    "meetings",
    "targets",
    "lock",
    "unlock",
    "export",
    "import",
    "imports",
    "refresh",
    "self-test",
)

HANDLERS: dict[str, Handler] = {
    **files.HANDLERS,
    **reading.HANDLERS,
    **cycle.HANDLERS,
    **exporting.HANDLERS,
    **imports.HANDLERS,
    **server.HANDLERS,
}


def build_parser() -> argparse.ArgumentParser:
    codes = "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items())
    parser = argparse.ArgumentParser(
        prog="statdesk",
        description=f"{APP_NAME}: a city's performance program in one file. With no command, "
        "opens the app on PATH, else the last file used, else the demo city.",
        epilog=f"exit codes:\n{codes}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for commands in (files, reading, cycle, exporting, imports, server):
        commands.add_parsers(sub)
    return parser


def _not_text(argv: Sequence[str]) -> str | None:
    """The first argument that is not text (undecodable bytes, as Python keeps them), shown
    with those bytes replaced; None when every one is text."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return None


def main(argv: Sequence[str] | None = None, window: Window | None = None) -> int:
    """Run one command; `window` (given by statdesk.launch, the program's entry point) opens
    the window for `gui` and runs the packaged app's `self-test`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    unreadable = _not_text(argv)
    if unreadable is not None:
        print(
            f"statdesk: '{unreadable}' holds bytes that are not UTF-8 text (a name written by "
            "an older system, or a mistyped character), so StatDesk cannot use it.\n"
            "  Rename the file, or retype the text, then try again.",
            file=sys.stderr,
        )
        return 2
    if argv[:1] == ["--self-test"]:
        argv[0] = "self-test"
    # `statdesk PATH` is `statdesk gui PATH`.
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        argv = ["gui", *argv]
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    # `refresh PATH --recipe NAME SOURCE`: argparse gives up on an optional positional that
    # follows an option, so the file arrives here.
    refresh_file = args.command == "refresh" and args.source is None and len(extra) == 1
    if refresh_file and not extra[0].startswith("-"):
        args.source, extra = Path(extra[0]), []
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.window = window
    try:
        return HANDLERS[args.command](args)
    except errors.StatDeskError as error:
        if getattr(args, "json", False):  # scripts read one JSON answer, errors included
            answer = {"message": error.message, "hint": error.hint, "exit_code": error.exit_code}
            print(json.dumps({"error": answer, **getattr(error, "report", {})}, indent=2))
        print(f"statdesk: {error.message}", file=sys.stderr)
        if error.hint:
            print(f"  {error.hint}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("statdesk: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `statdesk info x | head`: the reader has had enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception:
        log = logs.setup()
        logging.getLogger("statdesk.cli").exception("statdesk %s failed", " ".join(argv))
        print(
            f"statdesk: something went wrong inside StatDesk (a bug, not your doing).\n"
            f"  The details are in {log}; please send that file to support.",
            file=sys.stderr,
        )
        return 1
