"""The `statdesk` command: a thin layer that parses arguments and calls the workspace.

Errors a user can fix are printed to stderr as one sentence and a hint, with the exit code of
their kind (see EXIT_CODES); anything else is a bug and says so.
"""

from __future__ import annotations

import argparse
import calendar
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from statdesk import APP_NAME, __version__, logs
from statdesk.domain import errors
from statdesk.domain.numbers import counted
from statdesk.workspace.exports import EXPORT_KINDS

if TYPE_CHECKING:
    from statdesk.workspace import Workspace

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
    "metrics",
    "meetings",
    "export",
    "import",
    "imports",
    "refresh",
    "self-test",
)


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

    gui = sub.add_parser(
        "gui",
        help="open the app (the default command)",
        description="Open the StatDesk window on PATH, or on the last file "
        "used, or on the demo city (created on first run).",
    )
    gui.add_argument("path", nargs="?", type=Path, metavar="PATH", help="a .statdesk file")
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

    new = sub.add_parser(
        "new",
        help="create an empty StatDesk file",
        description="Create a new, empty StatDesk file for a city.",
    )
    new.add_argument("path", type=Path, metavar="PATH", help="where to create the file")
    new.add_argument("--city", default="My City", help="the city's name (default: My City)")
    new.add_argument(
        "--fiscal-year-start",
        type=_month,
        default=7,
        metavar="MONTH",
        help="first month of the fiscal year, as 7 or July (default: July)",
    )

    demo = sub.add_parser(
        "demo",
        help="create the demo city, Harbor Bend",
        description="Create a StatDesk file holding the fictional demo city.",
    )
    demo.add_argument("path", type=Path, metavar="PATH", help="where to create the file")
    demo.add_argument(
        "--replace",
        action="store_true",
        help="replace the content of an existing StatDesk file (after a backup)",
    )
    demo.add_argument("--seed", type=int, default=None, help="random seed (default: 2026)")

    info = sub.add_parser(
        "info",
        help="describe a file: schema, counts, lock holder",
        description="Show a file's schema revision, the StatDesk version "
        "that wrote it, how many records of each kind it holds, and who "
        "holds its write lock.",
    )
    info.add_argument("path", type=Path, metavar="PATH", help="a .statdesk file")
    info.add_argument("--json", action="store_true", help="print JSON for scripts")

    check = sub.add_parser(
        "check",
        help="check a file's integrity and schema",
        description="Check that a file is a healthy StatDesk file: SQLite's "
        "full integrity check, references between records, and the schema. "
        "Exits 0 when healthy.",
    )
    check.add_argument("path", type=Path, metavar="PATH", help="a .statdesk file")
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

    backup = sub.add_parser(
        "backup",
        help="make a checked backup of a file now",
        description="Copy the file into the 'backups' folder beside it "
        "(or your user data folder when that folder is read-only), check "
        "the copy, and thin out old backups (the last 10, plus one a day "
        "for 14 days).",
    )
    backup.add_argument("path", type=Path, metavar="PATH", help="a .statdesk file")

    restore = sub.add_parser(
        "restore",
        help="put a backup in place of a file",
        description="Replace PATH with BACKUP. Needs the write lock; the "
        "current file is backed up first, so a restore can be undone.",
    )
    restore.add_argument("path", type=Path, metavar="PATH", help="the .statdesk file to replace")
    restore.add_argument(
        "--from",
        dest="backup",
        type=Path,
        required=True,
        metavar="BACKUP",
        help="the backup to restore",
    )

    metrics = sub.add_parser(
        "metrics",
        help="list the metrics with their latest status",
        description="Each metric with its latest period, value, target, "
        "status (on target, within tolerance, off target, no target, no "
        "data) and trend.",
    )
    metrics.add_argument("path", type=Path, metavar="PATH", help="a .statdesk file")
    metrics.add_argument("--json", action="store_true", help="print JSON for scripts")

    meetings = sub.add_parser(
        "meetings",
        help="list the Stat meetings",
        description="List the Stat meetings, newest first, with their agenda's length and "
        "the attendees' 'was this worth your time?' answers.",
    )
    meetings.add_argument("path", type=Path, metavar="PATH", help="a .statdesk file")
    meetings.add_argument("--json", action="store_true", help="print JSON for scripts")

    export = sub.add_parser(
        "export",
        help="write charts, memos, the scorecard, spreadsheets, data.json or the public page",
        description="Export from a file; the output's extension picks the format. "
        + "; ".join(
            f"'{name}': {kind.about} ({', '.join(kind.formats)})"
            for name, kind in EXPORT_KINDS.items()
        )
        + ". PDFs are tagged (PDF/UA-1); spreadsheets never carry a formula from the file's "
        "text; data.json is DCAT-US v1.1 and is checked against its rules before it is "
        "written.",
    )
    export.add_argument("path", type=Path, metavar="PATH", help="a .statdesk file")
    export.add_argument("what", choices=list(EXPORT_KINDS), help="what to export")
    export.add_argument(
        "--metric",
        metavar="ID_OR_NAME",
        help="for a chart: the metric, by its id or its name (or a part only it has)",
    )
    export.add_argument(
        "--meeting", metavar="ID", help="for a memo or follow-up memo: the meeting's number"
    )
    export.add_argument(
        "--include-non-public",
        action="store_true",
        help="for data.json: list the non-public datasets too",
    )
    export.add_argument(
        "--leave-out-invalid",
        action="store_true",
        help="for data.json: write it without the datasets that break its rules (listed), "
        "instead of writing nothing",
    )
    export.add_argument(
        "--date",
        type=_iso_day,
        metavar="YYYY-MM-DD",
        help="for memos and the scorecard: the date they carry and their statuses are as of "
        "(default: today)",
    )
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="FILE",
        help="where to write: .png/.svg/.pdf for a chart, .pdf/.docx for memos, .pdf for "
        "the scorecard",
    )
    export.add_argument(
        "--kind",
        choices=["auto", "line", "bar"],
        default="auto",
        help="line or bar chart (default: bars for counts that add up)",
    )

    imp = sub.add_parser(
        "import",
        help="import a roster, inventory, metrics, values, or raw data",
        description="Import a spreadsheet or CSV. The format, encoding, sheet, header row and "
        "column mapping are found by themselves and can be given; --dry-run --json shows what "
        "would happen without writing. The import is one transaction and can be undone "
        "('statdesk imports PATH --undo N').",
    )
    imp.add_argument("path", type=Path, metavar="PATH", help="the .statdesk file")
    imp.add_argument("source", type=Path, metavar="SOURCE", help="the file to import")
    imp.add_argument(
        "--kind",
        choices=["roster", "inventory", "metrics", "values", "raw"],
        help="what the file holds",
    )
    imp.add_argument("--sheet", help="the workbook sheet (default: the first visible one)")
    imp.add_argument(
        "--header-row",
        type=int,
        metavar="N",
        help="the row of column names, counted from 1 (default: found)",
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar='"COLUMN=field"',
        help="map a source column to a field (or 'ignore'); repeat as needed",
    )
    imp.add_argument("--encoding", help="the text encoding of a CSV (default: detected)")
    imp.add_argument(
        "--fiscal-year",
        type=int,
        metavar="YEAR",
        help="the fiscal year of month/quarter columns when no column gives it",
    )
    imp.add_argument("--metric", help="the metric to fill when the file has no metric column")
    imp.add_argument("--period", help="the period of every value (e.g. 2014 or FY2026)")
    imp.add_argument("--date-column", help="raw data: the column that dates each row")
    imp.add_argument(
        "--frequency",
        default="monthly",
        choices=["weekly", "monthly", "quarterly", "annual"],
        help="raw data: the periods to group by (default: monthly)",
    )
    imp.add_argument(
        "--measure",
        default="count",
        help="raw data: count, sum:COL, mean:COL, median:COL, p90:COL, "
        "median_days:START,END or share_within:START,END,DAYS",
    )
    imp.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar='"COLUMN=VALUE"',
        help="keep only rows where COLUMN is VALUE; repeat as needed (several values of one "
        "column: any of them)",
    )
    imp.add_argument(
        "--series",
        action="append",
        default=[],
        metavar="COLUMN",
        help="keep rows that differ by COLUMN (a district, a benchmark, the nation) apart, "
        "as series of their metric; repeat to join columns",
    )
    imp.add_argument(
        "--own-series",
        metavar="VALUE",
        help="the --series value that is the city's own figure (e.g. 'New Orleans'); the "
        "others are breakdowns or comparisons",
    )
    imp.add_argument(
        "--combine",
        choices=["sum", "mean", "first", "last"],
        help="what to do with rows that land on the same metric, series and period",
    )
    imp.add_argument(
        "--direction",
        action="append",
        default=[],
        metavar="[METRIC=]WAY",
        help="the direction of new metrics the file gives none: up, down, band, or proposed "
        "(the proposal from each name); METRIC=WAY for one metric; repeat as needed",
    )
    imp.add_argument(
        "--date-order",
        choices=["mdy", "dmy", "ymd"],
        help="how the file writes numeric dates, when a column does not say (05/01/2026: "
        "mdy is 1 May, dmy is 5 January)",
    )
    imp.add_argument(
        "--decimal",
        choices=[".", ","],
        help="the file's decimal mark, when not the one found (',' for 1.234,56)",
    )
    imp.add_argument(
        "--rescale",
        action="append",
        default=[],
        metavar="METRIC",
        help="multiply a percent metric's values between 0 and 1 by 100 (fractions written "
        "as 0.75); 'all' for every metric the dry run lists",
    )
    imp.add_argument(
        "--keep-totals",
        action="store_true",
        help="import rows labelled and placed as totals as data",
    )
    imp.add_argument(
        "--file-fiscal-start",
        type=_month,
        metavar="MONTH",
        help="date month columns by the file's own fiscal year starting in MONTH (e.g. 10 "
        "for OCT…SEP), not by the city's",
    )
    imp.add_argument(
        "--keep-existing",
        action="store_true",
        help="keep values already in the file instead of replacing them",
    )
    imp.add_argument(
        "--accept-matches",
        action="store_true",
        help="use existing departments, people and metrics whose names nearly "
        "match the file's (the dry run lists them)",
    )
    imp.add_argument("--recipe", metavar="NAME", help="use a saved recipe's choices")
    imp.add_argument(
        "--save-recipe",
        metavar="NAME",
        help="save this import's choices as a recipe for next month's file",
    )
    imp.add_argument("--dry-run", action="store_true", help="show what would happen, write nothing")
    imp.add_argument("--json", action="store_true", help="print JSON for scripts")

    refresh = sub.add_parser(
        "refresh",
        help="run a saved import recipe on a new file",
        description="Import next month's file in one step with a saved recipe (sheet, header "
        "row, mapping, aggregation). Columns that no longer match are reported.",
    )
    refresh.add_argument("path", type=Path, metavar="PATH", help="the .statdesk file")
    refresh.add_argument("--recipe", required=True, metavar="NAME", help="the recipe")
    refresh.add_argument(
        "source",
        type=Path,
        nargs="?",
        metavar="SOURCE",
        help="the new file (default: the newest file fitting the recipe's name pattern in "
        "the folder it last ran on)",
    )
    refresh.add_argument("--dry-run", action="store_true", help="show, write nothing")
    refresh.add_argument("--json", action="store_true", help="print JSON for scripts")

    imports = sub.add_parser(
        "imports",
        help="list imports, or undo one",
        description="List the file's imports (newest first); --undo N "
        "removes what import N added and restores what it replaced.",
    )
    imports.add_argument("path", type=Path, metavar="PATH", help="a .statdesk file")
    imports.add_argument("--undo", type=_import_number, metavar="N", help="undo import N")
    imports.add_argument(
        "--with-later",
        action="store_true",
        help="with --undo: first undo the later imports that changed or build on import N",
    )
    imports.add_argument("--json", action="store_true", help="print JSON for scripts")
    return parser


def open_file(path: Path, **options: Any) -> Workspace:
    """Open a file for a command; what happened to it since it was last open (a StatDesk that
    stopped mid-save) is said on stderr, so scripts' output stays clean."""
    from statdesk.workspace import Workspace

    workspace = Workspace.open(path, **options)
    if workspace.notice:
        print(f"statdesk: {workspace.notice}", file=sys.stderr)
    return workspace


def _cmd_import(args: argparse.Namespace) -> int:
    from statdesk.importing.plan import ImportOptions

    mapping = {}
    for option in args.map:
        column, sep, field = option.rpartition("=")
        if not sep:
            print(
                f"statdesk: '{option}' is not COLUMN=field.\n  Write it like "
                '--map "MEASURE_NAME=metric".',
                file=sys.stderr,
            )
            return 2
        mapping[column.strip()] = field.strip()
    options = ImportOptions(
        kind=args.kind or "values",
        sheet=args.sheet,
        header_row=args.header_row,
        mapping=mapping,
        encoding=args.encoding,
        fiscal_year=args.fiscal_year,
        metric=args.metric,
        period=args.period,
        date_column=args.date_column,
        frequency=args.frequency,
        measure=args.measure,
        filters=args.filter,
        conflict="keep" if args.keep_existing else "replace",
        accept_matches=args.accept_matches,
        combine=args.combine,
        own_series=args.own_series,
        keep_totals=args.keep_totals,
        file_fiscal_start=args.file_fiscal_start,
        date_order=args.date_order,
        decimal=args.decimal,
    )
    for column in args.series:
        options.mapping[column] = "series"
    options.directions = _directions(args.direction)
    options.rescale = ["*" if r.casefold() == "all" else r for r in args.rescale]
    if not args.recipe and not args.kind:
        print(
            "statdesk: say what the file holds with --kind (or use --recipe NAME).", file=sys.stderr
        )
        return 2
    changed: list[str] = []
    with open_file(args.path, read_only=args.dry_run) as workspace:
        if args.recipe:
            options, changed = workspace.imports.recipe_options(args.recipe, args.source)
            options.mapping.update(mapping)  # what is given on the command line wins
            options.mapping.update(dict.fromkeys(args.series, "series"))
            for name in (
                "sheet",
                "header_row",
                "encoding",
                "fiscal_year",
                "metric",
                "period",
                "date_column",
                "combine",
                "own_series",
                "file_fiscal_start",
                "date_order",
                "decimal",
            ):
                if getattr(args, name) is not None:
                    setattr(options, name, getattr(args, name))
            options.filters += args.filter
            options.keep_totals = options.keep_totals or args.keep_totals
            options.directions.update(_directions(args.direction))
            options.rescale += ["*" if r.casefold() == "all" else r for r in args.rescale]
        plan = workspace.imports.plan(args.source, options)
        plan.notices[:0] = changed
        report = plan.as_json()
        if not args.dry_run:
            if not plan.ready:
                if not args.json:
                    _print_plan(args, plan, report)
                refused = errors.StatDeskError(
                    "Nothing was imported: the file needs "
                    + "; ".join(plan.missing_fields + plan.choices_needed)
                    + ".",
                    "The dry run (--dry-run) shows why; give the choices and import again.",
                )
                refused.report = report  # the JSON answer carries the plan with the error
                raise refused
            result, _changes = workspace.imports.run(plan)
            report["import"] = {"batch": result.batch_id, **result.as_json()}
            if args.save_recipe:
                workspace.imports.save_recipe(args.save_recipe, plan)
                report["recipe_saved"] = args.save_recipe
    _print_plan(args, plan, report)
    if not args.json:
        if args.dry_run:
            print("Dry run: nothing was written.")
        else:
            print(f"Imported as import #{result.batch_id}: {result.describe()}.")
    return 0


_WAYS = ("up", "down", "band", "proposed")


def _directions(given: list[str]) -> dict[str, str]:
    """`--direction down` (every new metric without one) and `--direction "NAME=up"`."""
    out = {}
    for text in given:
        name, sep, way = text.rpartition("=")
        way = way.strip().casefold()
        if way not in _WAYS:
            raise errors.StatDeskError(
                f"'{text}' is not a direction.",
                'Write --direction up, down, band or proposed, or --direction "NAME=down".',
            )
        out[name.strip() if sep else "*"] = way
    return out


def _print_plan(args: argparse.Namespace, plan: Any, report: dict[str, Any]) -> None:
    """The dry run's report: what the file is, how it is read, what it needs, what it does."""
    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return
    print(
        f"{args.source.name}: {plan.source.format}"
        + (f", {plan.source.encoding}" if plan.source.encoding else "")
        + (f", '{plan.source.delimiter}'-separated" if plan.source.delimiter else "")
        + (f", sheet '{plan.sheet}'" if plan.sheet else "")
        + f", header on row {plan.header_row}, {plan.rows_read:,} rows."
    )
    for column, field in plan.mapping.items():
        print(f"  {column} → {field}")
    if plan.wide:
        print(
            f"  {counted(len(plan.wide), 'column')} of periods: "
            + ", ".join(w.column for w in plan.wide[:8])
            + (" …" if len(plan.wide) > 8 else "")
        )
    for notice in plan.notices:
        print(f"  • {notice}")
    collisions = plan.collisions
    if collisions is not None and collisions.groups:
        print(f"  ⚠ {collisions.sentence()}")
        if collisions.resolved_by:
            print(f"    Chosen: {collisions.resolved_by.replace(':', ' ')}.")
        elif collisions.proposal:
            how, _, what = collisions.proposal.partition(":")
            option = f'--series "{what}"' if how == "series" else f"--combine {what}"
            print(f"    Proposed: {option} ({'; '.join(collisions.reasons)}).")
    for problem in plan.problems[:20]:
        where = f"row {problem.row}" if problem.row else "the file"
        column = f", {problem.column}" if problem.column else ""
        print(f"  ! {where}{column}: {problem.message} ({problem.action})")
    if len(plan.problems) > 20:
        print(f"  … and {counted(len(plan.problems) - 20, 'more problem')}; --json lists them.")
    print(f"  {plan.count_line()}")
    if plan.forecast is not None:
        print(f"  The import will write: {plan.forecast.describe()}.")
    if plan.missing_fields:
        print(f"  Not mapped yet: {', '.join(plan.missing_fields)}.")
    for choice in plan.choices_needed:
        print(f"  Choose: {choice}.")


def _cmd_refresh(args: argparse.Namespace) -> int:
    """`refresh` is `import` with a recipe and nothing else given."""
    defaults = argparse.Namespace(
        kind=None,
        sheet=None,
        header_row=None,
        map=[],
        encoding=None,
        fiscal_year=None,
        metric=None,
        period=None,
        date_column=None,
        frequency="monthly",
        measure="count",
        filter=[],
        keep_existing=False,
        save_recipe=None,
        accept_matches=False,
        series=[],
        direction=[],
        rescale=[],
        own_series=None,
        combine=None,
        keep_totals=False,
        file_fiscal_start=None,
        date_order=None,
        decimal=None,
    )
    if args.source is None:
        with open_file(args.path, read_only=True) as workspace:
            recipe = workspace.imports.recipe(args.recipe)
        args.source = recipe.next_file()
        if args.source is None:
            raise errors.NotFound(
                f"No file fitting '{recipe.pattern}' was found in "
                f"{recipe.folder or 'the folder the recipe last ran on'}.",
                "Give the new file: statdesk refresh PATH --recipe NAME SOURCE.",
            )
        if not args.json:
            print(f"Newest file for '{recipe.name}': {args.source}")
    return _cmd_import(argparse.Namespace(**{**vars(defaults), **vars(args)}))


def _cmd_imports(args: argparse.Namespace) -> int:

    with open_file(args.path, read_only=args.undo is None) as workspace:
        if args.undo is not None:
            before = {b.id for b in workspace.imports.batches() if b.undone_at is None}
            workspace.imports.undo(args.undo, with_later=args.with_later)
            after = {b.id for b in workspace.imports.batches() if b.undone_at is None}
            undone = sorted(before - after, reverse=True)
            if args.json:
                print(json.dumps({"undone": undone}))
            else:
                print("Undid " + ", ".join(f"import #{n}" for n in undone) + ".")
            return 0
        history = workspace.imports.history()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": b.id,
                        "source": b.source_name,
                        "kind": b.import_kind.value,
                        "rows": b.rows,
                        "at": b.imported_at.isoformat(),
                        "user": b.user,
                        "summary": b.summary,
                        "undone": b.undone_at is not None,
                        "state": state,
                    }
                    for b, state in history
                ],
                indent=2,
            )
        )
        return 0
    if not history:
        print("No imports yet.")
    for b, state in history:
        shown = "" if state == "active" else f" ({state})"
        print(
            f"#{b.id}  {b.imported_at:%Y-%m-%d %H:%M}  {b.user}  {b.source_name}{shown}: "
            f"{b.summary}"
        )
    return 0


def _cmd_metrics(args: argparse.Namespace) -> int:

    with open_file(args.path, read_only=True) as workspace:
        summaries = workspace.metric_summaries()
        lines = workspace.all_series() if args.json else {}
    if args.json:
        listed = [
            {**_metric_json(s), "series": [_series_json(line) for line in lines.get(s.id, [])]}
            for s in summaries
        ]
        print(json.dumps(listed, indent=2))
        return 0
    print(f"{'id':>4}  {'metric':<48} {'period':<10} {'value':>12} {'target':>12}  status")
    for s in summaries:
        latest = s.latest
        print(
            f"{s.id:>4}  {(s.name + (' (KPI)' if s.is_kpi else ''))[:48]:<48} "
            f"{latest.label if latest else '':<10} "
            f"{s.show(latest.actual if latest else None):>12} "
            f"{s.show(latest.target if latest else None):>12}  "
            f"{s.status.marker} {s.status.label}; {s.trend.describe(s.frequency)}"
        )
    return 0


def _metric_json(s: Any) -> dict[str, Any]:
    latest = s.latest

    def changed(c: Any) -> dict[str, Any] | None:
        if c is None:
            return None
        relative = None if c.relative is None else round(c.relative, 4)
        return {"absolute": round(c.absolute, 6), "relative": relative}

    return {
        "id": s.id,
        "name": s.name,
        "kpi": s.is_kpi,
        "department": s.department,
        "frequency": s.frequency.value,
        "unit": s.unit.value,
        "direction": s.direction.value if s.direction else None,
        "latest": None
        if latest is None
        else {
            "period": latest.label,
            "period_start": latest.period.start.isoformat(),
            "value": latest.actual,
            "target": latest.target,
            "status": latest.status.value,
        },
        "status": s.status.value,
        "trend": {"heading": s.trend.heading.value, "periods": s.trend.periods},
        "vs_previous": changed(s.vs_previous),
        "vs_last_year": changed(s.vs_last_year),
        "missing_worth_tracking": list(s.missing_worth),
    }


def _series_json(line: Any) -> dict[str, Any]:
    """A breakdown or comparison with its latest value."""
    known = [p for p in line.points if p.value is not None]
    last = known[-1] if known else None
    return {
        "name": line.name,
        "kind": line.kind.value,
        "dimension": line.dimension,
        "periods": len(line.points),
        "latest": None
        if last is None
        else {"period_start": last.period.start.isoformat(), "value": last.value},
    }


def _cmd_meetings(args: argparse.Namespace) -> int:

    with open_file(args.path, read_only=True) as workspace:
        rows = workspace.meeting_rows()
    if args.json:
        listed = [
            {
                "id": r.id,
                "title": r.title,
                "department": r.department,
                "starts_at": r.starts_at.isoformat(timespec="minutes"),
                "location": r.location,
                "status": r.status.value,
                "leader": r.leader,
                "agenda_items": r.items,
                "agenda_minutes": r.minutes,
                "session_minutes": r.session_minutes,
                "worth_your_time": dict(zip(("yes", "somewhat", "no"), r.worth, strict=True)),
            }
            for r in rows
        ]
        print(json.dumps(listed, indent=2))
        return 0
    if not rows:
        print("No meetings yet.")
    for r in rows:
        yes, somewhat, no = r.worth
        answered = yes + somewhat + no
        worth = f"; worth it: {yes} yes, {somewhat} somewhat, {no} no" if answered else ""
        print(
            f"#{r.id}  {r.starts_at:%Y-%m-%d %H:%M}  {r.title} ({r.status.label.lower()}), "
            f"{r.items} items, {r.minutes} of {r.session_minutes} min{worth}"
        )
    return 0


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


def _cmd_export(args: argparse.Namespace) -> int:
    if args.what == "chart":
        return _export_chart(args)

    if args.what in ("memo", "followup") and not args.meeting:
        print(
            f"statdesk: say which meeting's {args.what} with --meeting ID.\n"
            "  List them with: statdesk meetings PATH",
            file=sys.stderr,
        )
        return 2
    with open_file(args.path, read_only=True) as workspace:
        meeting = workspace.find_meeting(args.meeting) if args.meeting else None
        report = workspace.exports.write(
            args.what,
            args.output,
            meeting_id=meeting,
            today=args.date,
            include_non_public=args.include_non_public,
            leave_out_invalid=args.leave_out_invalid,
        )
    print(f"Wrote {args.output}.")
    if report is not None:
        print(f"{counted(report.written, 'dataset')} in the catalog.")
        for title, problems in report.left_out.items():
            print(f"Left out {title}: {'; '.join(problems)}")
    return 0


def _export_chart(args: argparse.Namespace) -> int:
    from statdesk.reporting import charts

    if not args.metric:
        print("statdesk: say which metric's chart with --metric ID_OR_NAME.", file=sys.stderr)
        return 2
    if args.output.suffix.lower() not in charts.FORMATS:
        print(
            f"statdesk: a chart is written as PNG, SVG or PDF, not '{args.output.suffix}'.\n"
            "  End the output's name with .png, .svg or .pdf.",
            file=sys.stderr,
        )
        return 2
    with open_file(args.path, read_only=True) as workspace:
        metric = workspace.find_metric(args.metric)
        _, description = workspace.exports.chart(metric.id, args.output, args.kind)
    print(f"Wrote {args.output}.\nAlternative text: {description}")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:

    with open_file(args.path, read_only=True) as workspace:
        copy = workspace.backup("manual")
    print(f"Backed up {args.path} to {copy}.")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from statdesk.workspace import Workspace

    safety = Workspace.restore(args.path, args.backup)
    kept = f" The file as it was is kept in {safety}." if safety else ""
    print(f"Restored {args.path} from {args.backup}.{kept}")
    return 0


class Window(Protocol):
    """What only the program with its window can do (statdesk.launch hands it in): the
    command line itself never imports Qt."""

    def open(self, path: Path | None, smoke: bool) -> int: ...

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
    from statdesk.workspace import Workspace

    with Workspace.new(
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
    from statdesk.workspace import Workspace

    with Workspace.new_demo(args.path, replace=args.replace, seed=args.seed) as workspace:
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
        removed = Workspace.remove_foreign_code(args.path)
        print(f"Removed {', '.join(removed)}." if removed else "No foreign code to remove.")
    report = check_file(args.path)
    print(f"{args.path}: healthy ({report}).")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "gui": _cmd_gui,
    "new": _cmd_new,
    "demo": _cmd_demo,
    "info": _cmd_info,
    "check": _cmd_check,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "metrics": _cmd_metrics,
    "meetings": _cmd_meetings,
    "export": _cmd_export,
    "import": _cmd_import,
    "imports": _cmd_imports,
    "refresh": _cmd_refresh,
    "self-test": _cmd_self_test,
}


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
