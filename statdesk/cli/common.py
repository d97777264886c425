"""What the commands share: opening a file for a command, and reading arguments."""

from __future__ import annotations

import argparse
import calendar
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from statdesk.domain.locations import ServerAddress
    from statdesk.workspace import Workspace

Handler = Callable[[argparse.Namespace], int]


def _month(text: str) -> int:
    """A month as a number (7) or a name (July, Jul)."""
    names = {calendar.month_name[i].casefold(): i for i in range(1, 13)}
    names |= {calendar.month_abbr[i].casefold(): i for i in range(1, 13)}
    value = names.get(text.strip().casefold())
    if value is None and text.strip().isdigit():
        value = int(text)
    if value is None or not 1 <= value <= 12:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month (write 7 or July)")
    return value


def location(text: str) -> Path | ServerAddress:
    """A .statdesk file's path, or a server's postgresql:// address."""
    from statdesk.domain.locations import BadAddress, location_of

    try:
        return location_of(text)
    except BadAddress as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def file_only(text: str) -> Path:
    """A .statdesk file's path (a command that makes or restores a file)."""
    from statdesk.domain.locations import is_server

    if is_server(text):
        raise argparse.ArgumentTypeError(
            "this command works on a .statdesk file, not a server (to put a city on a server: "
            "statdesk move FILE URL)"
        )
    return Path(text)


def file_command(
    sub: Any,
    name: str,
    *,
    path_help: str = "a .statdesk file, or a server's postgresql://user@host/database",
    json: bool = False,
    servers: bool = True,
    **parser_options: Any,
) -> argparse.ArgumentParser:
    """A command on a city: its parser, with the PATH argument (a file, or with `servers` a
    server's address too; and, with `json`, the --json option scripts read)."""
    parser: argparse.ArgumentParser = sub.add_parser(name, **parser_options)
    kind = location if servers else file_only
    parser.add_argument("path", type=kind, metavar="PATH", help=path_help)
    if json:
        parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    return parser


def open_file(path: Path | ServerAddress, **options: Any) -> Workspace:
    """Open a file for a command; what happened to it since it was last open (a StatDesk that
    stopped mid-save) is said on stderr, so scripts' output stays clean."""
    from statdesk.workspace import Workspace

    workspace = Workspace.open(path, **options)
    if workspace.notice:
        print(f"statdesk: {workspace.notice}", file=sys.stderr)
    return workspace


def _iso_day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written as YYYY-MM-DD") from None
    if not date(1900, 1, 1) <= day <= date(2999, 12, 31):  # fiscal years run into the next
        raise argparse.ArgumentTypeError(f"'{text}' is not a date between 1900 and 2999")
    return day


def _import_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an import's number") from None
    if not 0 < number < 2**63:
        raise argparse.ArgumentTypeError(
            f"there is no import {text}: imports are numbered 1, 2, 3… (see 'statdesk imports')"
        )
    return number
