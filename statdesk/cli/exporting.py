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

    missing = {
        "memo": (not args.meeting, "say which meeting's memo with --meeting ID"),
        "followup": (not args.meeting, "say which meeting's follow-up memo with --meeting ID"),
        "calendar": (
            not (args.meeting or args.department),
            "say which meeting with --meeting ID, or which department's series with "
            "--department ID_OR_NAME",
        ),
        "book": (not args.meetings, "say which meetings with --meetings ID,ID,…"),
    }.get(args.what)
    if missing is not None and missing[0]:
        print(
            f"statdesk: {missing[1]}.\n  List the meetings with: statdesk meetings PATH",
            file=sys.stderr,
        )
        return 2
    with open_file(args.path, read_only=True) as workspace:
        meeting = workspace.meetings.find(args.meeting) if args.meeting else None
        department = workspace.roster.find_department(args.department) if args.department else None
        meetings = [workspace.meetings.find(m) for m in (args.meetings or "").split(",") if m]
        report = workspace.exports.write(
            args.what,
            args.output,
            meeting_id=meeting,
            department_id=department,
            meeting_ids=meetings,
            today=args.date,
            include_non_public=args.include_non_public,
            leave_out_invalid=args.leave_out_invalid,
        )
    from statdesk.workspace.meeting_files import Written

    if isinstance(report, Written):  # a calendar or a mail: to whom, who has no email
        print(report.describe())
        return 0
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
        "--meeting",
        metavar="ID",
        help="for a memo, a follow-up memo or a calendar: the meeting's number",
    )
    export.add_argument(
        "--department",
        metavar="ID_OR_NAME",
        help="for a calendar: every meeting of this department, as one calendar file",
    )
    export.add_argument(
        "--meetings",
        metavar="ID,ID,…",
        help="for a briefing book: the meetings it holds, by number",
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
        help="where to write: .png/.svg/.pdf for a chart, .pdf/.docx for memos (.eml: a mail "
        "to send, the PDF attached), .ics for a calendar, .pdf/.docx for a briefing book, .pdf "
        "for the scorecard",
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
