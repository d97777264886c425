"""Commands about the file itself: open the window on it, make one (empty, or the demo city),
say what it holds, check it, back it up, restore it; and the packaged app's self-test."""

from __future__ import annotations

import argparse
import calendar
import json
from pathlib import Path
from typing import Any, Protocol

from statdesk.cli.common import Handler, _month, file_command, file_only, location, open_file
from statdesk.domain import errors
from statdesk.domain.locations import ServerAddress


class Window(Protocol):
    """What only the program with its window can do (statdesk.launch hands it in): the
    command line itself never imports Qt."""

    def open(self, path: Path | ServerAddress | None, smoke: bool) -> int: ...

    def self_test(self, report: Path | None) -> int: ...


def _window(args: argparse.Namespace) -> Window:
    if args.window is None:
        raise errors.StatDeskError(
            "This command line cannot open the window.", "Run `statdesk` (or `statdesk gui`)."
        )
    return args.window  # type: ignore[no-any-return]


def _cmd_gui(args: argparse.Namespace) -> int:
    return _window(args).open(args.path, args.smoke)


def _cmd_self_test(args: argparse.Namespace) -> int:
    return _window(args).self_test(args.report)


def _cmd_new(args: argparse.Namespace) -> int:
    from statdesk.workspace import file_ops

    with file_ops.create_file(
        args.path, city_name=args.city, fiscal_year_start_month=args.fiscal_year_start
    ):
        pass
    month = calendar.month_name[args.fiscal_year_start]
    print(
        f"Created {args.path} for {args.city}; its fiscal year starts in {month} "
        "(--fiscal-year-start to choose another; City settings changes it later)."
    )
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from statdesk.workspace import file_ops

    with file_ops.create_demo(args.path, replace=args.replace, seed=args.seed) as workspace:
        counts = workspace.counts()
    print(
        f"Created the demo city in {args.path}: {counts['departments']} departments, "
        f"{counts['people']} people, {counts['datasets']} datasets, {counts['metrics']} "
        f"metrics, {counts['meetings']} meetings."
    )
    return 0


def _cmd_info(args: argparse.Namespace) -> int:

    with open_file(args.path, read_only=True) as workspace:
        info = workspace.info()
    if args.json:
        print(json.dumps(info.as_json(), indent=2))
        return 0
    print(f"{info.path}")
    print(f"  City:            {info.city}")
    print(f"  Schema:          revision {info.schema_revision} (version {info.schema_version})")
    print(f"  Written with:    StatDesk {info.written_with}, revision {info.revision}")
    lock = info.lock
    if isinstance(args.path, ServerAddress):
        print("  Editing:         on a server, several people at once")
    else:
        print(f"  Write lock:      {_describe_lock(lock) if lock else 'free'}")
    if info.read_only_reason and info.read_only_reason != "Opened read-only.":
        print(f"  Note:            {info.read_only_reason}")
    for name, count in info.counts.items():
        print(f"  {name.replace('_', ' ').capitalize() + ':':<22}{count:>8,}")
    return 0


def _describe_lock(lock: dict[str, object]) -> str:
    from statdesk.storage.lock import UNREADABLE

    if lock.get("session_id") == UNREADABLE:
        return (
            f"its lock file cannot be read (half-written or damaged; last changed "
            f"{lock.get('acquired')}), so the file counts as in use"
        )
    name = lock.get("display_name") or lock.get("user")
    return (
        f"held by {name} on {lock.get('host')} (process {lock.get('pid')}) since "
        f"{lock.get('acquired')}, last heartbeat {lock.get('heartbeat')}"
    )


def _cmd_check(args: argparse.Namespace) -> int:
    from statdesk.workspace import Workspace, check_file

    if isinstance(args.path, ServerAddress):
        if args.take_over or args.remove_foreign_code:
            raise errors.StatDeskError(
                "--take-over and --remove-foreign-code are for a file.",
                "A server has no write lock; its administrator removes code from it.",
            )
        from statdesk.storage.server_health import check_server

        print(f"{args.path}: healthy ({check_server(args.path)}).")
        return 0
    if args.take_over:
        holder = Workspace.stale_holder(args.path)
        with Workspace.open(args.path, take_over=True, daily_backup=False) as workspace:
            if workspace.read_only:
                raise errors.ReadOnly(
                    workspace.read_only_reason, "Nothing was taken over; ask them to close it."
                )
        took = f"Took the write lock over from {holder.holder} on {holder.host}" if holder else ""
        print(f"{took} (a backup was made first)." if took else "Nobody holds the write lock.")
    if args.remove_foreign_code:
        from statdesk.workspace import file_ops

        removed = file_ops.remove_foreign_code(args.path)
        print(f"Removed {', '.join(removed)}." if removed else "No foreign code to remove.")
    report = check_file(args.path)
    print(f"{args.path}: healthy ({report}).")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    if args.to is not None:
        if not isinstance(args.path, ServerAddress):
            raise errors.StatDeskError(
                "--to is for a server's city.", "A file's backups go into its backups folder."
            )
        from statdesk.workspace.moving import copy_to_file

        copy = Path(copy_to_file(args.path, args.to).target)
    else:
        with open_file(args.path, read_only=True) as workspace:
            copy = workspace.backup("manual")
    print(f"Backed up {args.path} to {copy}.")
    return 0


def _cmd_move(args: argparse.Namespace) -> int:
    from statdesk.workspace import moving

    source, target = args.source, args.target
    if isinstance(source, Path) and isinstance(target, ServerAddress):
        moved = moving.move_to_server(source, target)
        print(
            f"Moved the city in {source} to {target}: {moved.total:,} rows copied and "
            f"counted. {source.name} is marked as moved: it opens read-only and says where the "
            "city is now."
        )
    elif isinstance(source, ServerAddress) and isinstance(target, Path):
        moved = moving.copy_to_file(source, target, replace=args.replace)
        print(
            f"Copied the city on {source} into {target}: {moved.total:,} rows copied and counted."
        )
    else:
        raise errors.StatDeskError(
            "move copies a city from a file to a server, or from a server to a file.",
            "Give a .statdesk file and a postgresql:// address, in the order the city goes.",
        )
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from statdesk.workspace import file_ops

    safety = file_ops.restore_backup(args.path, args.backup)
    kept = f" The file as it was is kept in {safety}." if safety else ""
    print(f"Restored {args.path} from {args.backup}.{kept}")
    return 0


def add_parsers(sub: Any) -> None:
    """Add these commands to the program's parser."""
    gui = sub.add_parser(
        "gui",
        help="open the app (the default command)",
        description="Open the StatDesk window on PATH, or on the last file "
        "used, or on the demo city (created on first run).",
    )
    gui.add_argument(
        "path",
        nargs="?",
        type=location,
        metavar="PATH",
        help="a .statdesk file, or a server's postgresql://user@host/database",
    )
    gui.add_argument(
        "--smoke",
        action="store_true",
        help="open the window, wait until the home page is painted, and exit 0 "
        "(for tests, benchmarks and packaging checks)",
    )
    selftest = sub.add_parser(
        "self-test",
        help="check that this installation works (also: statdesk --self-test)",
        description="Create the demo city, upgrade an older file, import an .xlsx and a CSV, "
        "draw charts, write a Stat memo as PDF and Word, export data.json and show the window, "
        "all in a temporary folder; print one line per check. Exits 0 only if every check "
        "passed.",
    )
    selftest.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="also write the report to FILE (the windowed StatDesk.exe has no console)",
    )
    new = file_command(
        sub,
        "new",
        help="create an empty StatDesk file",
        description="Create a new, empty StatDesk file for a city.",
        path_help="where to create the file",
        servers=False,
    )
    new.add_argument("--city", default="My City", help="the city's name (default: My City)")
    new.add_argument(
        "--fiscal-year-start",
        type=_month,
        default=7,
        metavar="MONTH",
        help="first month of the fiscal year, as 7 or July (default: July)",
    )
    demo = file_command(
        sub,
        "demo",
        help="create the demo city, Harbor Bend",
        description="Create a StatDesk file holding the fictional demo city.",
        path_help="where to create the file",
        servers=False,
    )
    demo.add_argument(
        "--replace",
        action="store_true",
        help="replace the content of an existing StatDesk file (after a backup)",
    )
    demo.add_argument("--seed", type=int, default=None, help="random seed (default: 2026)")
    file_command(
        sub,
        "info",
        json=True,
        help="describe a file: schema, counts, lock holder",
        description="Show a file's schema revision, the StatDesk version "
        "that wrote it, how many records of each kind it holds, and who "
        "holds its write lock.",
    )
    check = file_command(
        sub,
        "check",
        help="check a file's (or a server's city's) integrity and schema",
        description="Check that a file is a healthy StatDesk file: SQLite's "
        "full integrity check, references between records, and the schema. "
        "On a server: the schema revision, the tables as StatDesk makes them, every "
        "constraint enforced, and no code StatDesk did not make. Exits 0 when healthy.",
    )
    check.add_argument(
        "--remove-foreign-code",
        action="store_true",
        help="first remove triggers and views that StatDesk did not make (after a backup, "
        "under the write lock, recorded in the change log)",
    )
    check.add_argument(
        "--take-over",
        action="store_true",
        help="first take the write lock over from a StatDesk that stopped (after a backup, "
        "recorded in the change log); refused while its holder is still there",
    )
    backup = file_command(
        sub,
        "backup",
        help="make a checked backup of a file (or a snapshot of a server's city) now",
        description="Copy the file into the 'backups' folder beside it "
        "(or your user data folder when that folder is read-only), check "
        "the copy, and thin out old backups (the last 10, plus one a day "
        "for 14 days). For a server's city, write a .statdesk snapshot of it into the "
        "backups folder of your user data folder (or into --to FILE).",
    )
    restore = file_command(
        sub,
        "restore",
        help="put a backup in place of a file",
        description="Replace PATH with BACKUP. Needs the write lock; the "
        "current file is backed up first, so a restore can be undone.",
        path_help="the .statdesk file to replace",
        servers=False,
    )
    restore.add_argument(
        "--from",
        dest="backup",
        type=Path,
        required=True,
        metavar="BACKUP",
        help="the backup to restore",
    )

    backup.add_argument(
        "--to",
        type=file_only,
        metavar="FILE",
        help="for a server's city: write the snapshot to FILE",
    )
    move = sub.add_parser(
        "move",
        help="move a city from a file onto a server, or copy it back into a file",
        description="statdesk move FILE URL copies the city in FILE into the empty database "
        "at URL (postgresql://user@host/database) in one transaction, checks the counts, and "
        "marks FILE as moved (it then opens read-only, saying where the city is). statdesk "
        "move URL FILE copies the city on the server into a new file (a snapshot for a laptop "
        "or an archive). Every record and the change log come across with their ids.",
    )
    move.add_argument("source", type=location, metavar="FROM", help="a .statdesk file or a URL")
    move.add_argument("target", type=location, metavar="TO", help="a URL or a .statdesk file")
    move.add_argument(
        "--replace", action="store_true", help="overwrite FILE when copying into a file"
    )


HANDLERS: dict[str, Handler] = {
    "gui": _cmd_gui,
    "self-test": _cmd_self_test,
    "new": _cmd_new,
    "demo": _cmd_demo,
    "info": _cmd_info,
    "check": _cmd_check,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "move": _cmd_move,
}
