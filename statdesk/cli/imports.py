"""Commands that bring departments' files in: `import` (with its dry run), `refresh` (a saved
recipe on next month's file) and `imports` (the list, and undo)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statdesk.cli.common import Handler, _import_number, _month, file_command, open_file
from statdesk.domain import errors
from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import IMPORT_WORDS

if TYPE_CHECKING:
    from statdesk.workspace import Workspace


# The options given one value on the command line that replace a recipe's.
OVERRIDABLE = (
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
)


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
        if args.recipe:  # what is given on the command line wins over the recipe
            from statdesk.workspace.imports import Overrides

            given = Overrides(
                mapping={**mapping, **dict.fromkeys(args.series, "series")},
                fields={
                    name: getattr(args, name)
                    for name in OVERRIDABLE
                    if getattr(args, name) is not None
                },
                filters=list(args.filter),
                keep_totals=args.keep_totals,
                directions=_directions(args.direction),
                rescale=["*" if r.casefold() == "all" else r for r in args.rescale],
            )
            options, changed = workspace.imports.options_for(args.recipe, args.source, given)
        return _plan_and_write(args, workspace, options, changed)


def _plan_and_write(
    args: argparse.Namespace, workspace: Workspace, options: Any, changed: list[str]
) -> int:
    """Plan the import of `args.source` with `options` and, unless `args.dry_run`, write it
    (`args.save_recipe`: keep the choices); say what was, or would be, written."""
    if getattr(args, "change_locked", None):
        options.change_locked = args.change_locked
    plan = workspace.imports.plan(args.source, options)
    plan.notices[:0] = changed
    report = plan.as_json()
    result = None
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
        if getattr(args, "save_recipe", None):
            workspace.imports.save_recipe(args.save_recipe, plan)
            report["recipe_saved"] = args.save_recipe
    _print_plan(args, plan, report)
    if not args.json:
        if result is None:
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
        for line in plan.forecast.locked_lines():
            print(f"  ! {line}")
    if plan.missing_fields:
        print(f"  Not mapped yet: {', '.join(plan.missing_fields)}.")
    for choice in plan.choices_needed:
        print(f"  Choose: {choice}.")


def _cmd_refresh(args: argparse.Namespace) -> int:
    """A saved recipe on next month's file: the file given, or the newest one fitting the
    recipe's name pattern in the folder it last ran on."""
    with open_file(args.path, read_only=args.dry_run) as workspace:
        if args.source is None:
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
        options, changed = workspace.imports.options_for(args.recipe, args.source)
        return _plan_and_write(args, workspace, options, changed)


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
                        "id": line.id,
                        "source": line.source,
                        "kind": line.kind_code,
                        "rows": line.rows,
                        "at": line.at.isoformat(),
                        "user": line.user,
                        "summary": line.summary,
                        "undone": line.undone,
                        "state": line.state,
                    }
                    for line in history
                ],
                indent=2,
            )
        )
        return 0
    if not history:
        print("No imports yet.")
    for line in history:
        shown = "" if line.state == "active" else f" ({line.state})"
        print(
            f"#{line.id}  {line.at:%Y-%m-%d %H:%M}  {line.user}  {line.source}{shown}: "
            f"{line.summary}"
        )
    return 0


def add_parsers(sub: Any) -> None:
    """Add these commands to the program's parser."""
    imp = file_command(
        sub,
        "import",
        json=True,
        help="import a roster, inventory, metrics, values, or raw data",
        description="Import a spreadsheet or CSV. The format, encoding, sheet, header row and "
        "column mapping are found by themselves and can be given; --dry-run --json shows what "
        "would happen without writing. The import is one transaction and can be undone "
        "('statdesk imports PATH --undo N').",
        path_help="the .statdesk file",
    )
    imp.add_argument("source", type=Path, metavar="SOURCE", help="the file to import")
    imp.add_argument(
        "--kind",
        choices=list(IMPORT_WORDS),
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
        "--change-locked",
        metavar="REASON",
        help="change values of locked (final) periods too; the change log keeps REASON "
        "(without it, the import leaves them as they are and lists each row)",
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
    refresh = file_command(
        sub,
        "refresh",
        json=True,
        help="run a saved import recipe on a new file",
        description="Import next month's file in one step with a saved recipe (sheet, header "
        "row, mapping, aggregation). Columns that no longer match are reported.",
        path_help="the .statdesk file",
    )
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
    imports = file_command(
        sub,
        "imports",
        json=True,
        help="list imports, or undo one",
        description="List the file's imports (newest first); --undo N "
        "removes what import N added and restores what it replaced.",
    )
    imports.add_argument("--undo", type=_import_number, metavar="N", help="undo import N")
    imports.add_argument(
        "--with-later",
        action="store_true",
        help="with --undo: first undo the later imports that changed or build on import N",
    )


HANDLERS: dict[str, Handler] = {
    "import": _cmd_import,
    "refresh": _cmd_refresh,
    "imports": _cmd_imports,
}
