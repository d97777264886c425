"""`statdesk export`: charts, memos, the scorecard, spreadsheets, data.json and the public
page, from the one list of export kinds (statdesk.workspace.exports.EXPORT_KINDS)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from statdesk.cli.common import Handler, _iso_day, file_command, open_file
from statdesk.domain.numbers import counted
from statdesk.workspace.export_kinds import EXPORT_KINDS


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
        meeting = workspace.meetings.find(args.meeting) if args.meeting else None
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
        metric = workspace.metrics.find(args.metric)
        _, description = workspace.exports.chart(metric.id, args.output, args.kind)
    print(f"Wrote {args.output}.\nAlternative text: {description}")
    return 0


def add_parsers(sub: Any) -> None:
    """Add these commands to the program's parser."""
    export = file_command(
        sub,
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


HANDLERS: dict[str, Handler] = {
    "export": _cmd_export,
}
