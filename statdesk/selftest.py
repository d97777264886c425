"""`statdesk --self-test`: prove that this installation of StatDesk can do its work.

It runs every part that a frozen (PyInstaller) build can lose — the bundled resources and
migrations, the spreadsheet readers, matplotlib's backends, Typst and its fonts, python-docx's
templates, Qt's platform and image plugins — on files it makes in a temporary folder, and
reports each check in one line. The exit code is 0 only if every check passed, so CI fails on
a missing hidden import or data file rather than a user.

Nothing outside the temporary folder is touched: `STATDESK_HOME` points into it while the checks
run, so the user's recent files, settings and demo city are left alone.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from statdesk import APP_NAME, __version__
from statdesk.domain.numbers import counted
from statdesk.workspace.file_ops import create_demo

if TYPE_CHECKING:
    from statdesk.workspace import Workspace

SELF_TEST_METRIC = "Self-test potholes filled"


@dataclass
class Check:
    name: str
    passed: bool
    seconds: float
    detail: str
    trace: str = ""

    def lines(self) -> list[str]:
        mark = "ok  " if self.passed else "FAIL"
        head = f"  {mark}  {self.name} ({self.seconds:.1f} s): {self.detail}"
        return [head, *(f"        {t}" for t in self.trace.rstrip().splitlines())]


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    @staticmethod
    def header() -> str:
        frozen = "frozen bundle" if getattr(sys, "frozen", False) else "Python environment"
        return (
            f"{APP_NAME} {__version__} self-test ({frozen}; Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}, {sys.executable})"
        )

    def summary(self) -> str:
        failed = sum(not c.passed for c in self.checks)
        if failed:
            return f"Self-test FAILED: {failed} of {len(self.checks)} checks."
        return f"Self-test passed: all {len(self.checks)} checks."

    def text(self) -> str:
        lines = [self.header(), *(line for c in self.checks for line in c.lines())]
        return "\n".join([*lines, self.summary()])


class SelfTest:
    """The checks, in order; each returns a short account of what it saw, or raises."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.workspace: Workspace | None = None
        self.meeting_id: int | None = None

    def checks(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("Create and open the demo city", self.demo_city),
            ("Upgrade a file of an older schema", self.upgrade),
            ("Import an Excel workbook (.xlsx)", self.import_xlsx),
            ("Import a CSV file", self.import_csv),
            ("Draw a chart as PNG, SVG and PDF", self.charts),
            ("Write a Stat memo as PDF", self.memo_pdf),
            ("Write a Stat memo as Word (.docx)", self.memo_docx),
            ("Export the inventory as data.json", self.data_json),
            ("Load the PostgreSQL driver and the keyring", self.server_driver),
            ("Show the main window", self.window),
        ]

    @property
    def open_workspace(self) -> Workspace:
        if self.workspace is None:
            raise RuntimeError("the demo city did not open, so this check cannot run")
        return self.workspace

    def demo_city(self) -> str:

        self.workspace = workspace = create_demo(self.folder / "Demo City.statdesk")
        counts = workspace.counts()
        charted = [
            row.id
            for row in workspace.meetings.rows()
            if any(i.metric_id for i in workspace.meetings.detail(row.id).items)
        ]
        if not charted or not counts["metrics"]:
            raise RuntimeError(f"the demo city has no meeting about a metric: {counts}")
        self.meeting_id = charted[0]
        return f"{counts['metrics']} metrics, {counts['meetings']} meetings"

    def upgrade(self) -> str:
        from sqlalchemy import text

        from statdesk.storage.connection import connect_raw, open_engine
        from statdesk.storage.schema import HEAD_REVISION, migrate
        from statdesk.workspace import Workspace

        path = self.folder / "Older.statdesk"
        connect_raw(path, "rwc").close()
        engine = open_engine(path, read_only=False)
        try:
            migrate(engine, "0001")
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO city (id, version, name, fiscal_year_start_month) "
                        "VALUES (1, 1, 'Older City', 7)"
                    )
                )
                conn.execute(
                    text(
                        "INSERT INTO file_state (id, revision, created_with, written_with, "
                        "written_at) VALUES (1, 1, '0.0.1', '0.0.1', CURRENT_TIMESTAMP)"
                    )
                )
        finally:
            engine.dispose()
        with Workspace.open(path) as workspace:
            info = workspace.info()
            if info.schema_revision != HEAD_REVISION or info.city != "Older City":
                raise RuntimeError(f"opened at revision {info.schema_revision} as {info.city}")
        backups = list(self.folder.rglob("Older.*.before-upgrade.statdesk"))
        if not backups:
            raise RuntimeError("no backup was made before the upgrade")
        return f"revision 0001 → {HEAD_REVISION}, backed up first"

    def import_xlsx(self) -> str:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["Measure", "Month", "Actual", "Target"])
        for month, actual in enumerate((412, 398, 455), start=7):
            sheet.append([SELF_TEST_METRIC, date(2025, month, 1), actual, 400])
        path = self.folder / "potholes.xlsx"
        book.save(path)
        return self._import(path, "values")

    def import_csv(self) -> str:
        path = self.folder / "inventory.csv"
        path.write_text(
            "Title,Department,Access level,Description\n"
            '"Street trees, 2025",Public Works,public,"Every tree the city ""owns"""\n'
            "Pothole requests,Public Works,public,311 requests about potholes\n",
            encoding="utf-8",
        )
        return self._import(path, "inventory")

    def _import(self, path: Path, kind: str) -> str:
        from statdesk.importing.plan import ImportOptions

        workspace = self.open_workspace
        plan = workspace.imports.plan(path, ImportOptions(kind=kind, accept_matches=True))
        if not plan.ready:
            raise RuntimeError(f"the import is not ready: {', '.join(plan.missing_fields)}")
        result, _ = workspace.imports.run(plan)
        if not sum(result.created.values()) + sum(result.updated.values()):
            raise RuntimeError(f"nothing was imported: {result.describe()}")
        return f"{plan.source.format}, {plan.rows_read} rows: {result.describe()}"

    def charts(self) -> str:
        workspace = self.open_workspace
        metric = workspace.metrics.find(SELF_TEST_METRIC)
        made = []
        for suffix, magic in ((".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")):
            target = self.folder / f"chart{suffix}"
            workspace.exports.chart(metric.id, target)
            _expect(target, magic)
            made.append(f"{suffix[1:].upper()} {target.stat().st_size // 1024} KB")
        return ", ".join(made)

    def memo_pdf(self) -> str:
        target = self._memo(".pdf")
        _expect(target, b"%PDF")
        return f"{target.stat().st_size // 1024} KB"

    def memo_docx(self) -> str:
        target = self._memo(".docx")
        with zipfile.ZipFile(target) as archive:
            body = archive.read("word/document.xml")
            pictures = [n for n in archive.namelist() if n.startswith("word/media/")]
        if b"<w:body>" not in body or not pictures:
            raise RuntimeError(f"the document has no body or no charts ({len(pictures)})")
        return f"{target.stat().st_size // 1024} KB, {counted(len(pictures), 'chart')}"

    def _memo(self, suffix: str) -> Path:
        target = self.folder / f"memo{suffix}"
        self.open_workspace.exports.write("memo", target, meeting_id=self.meeting_id)
        return target

    def data_json(self) -> str:
        target = self.folder / "data.json"
        report = self.open_workspace.exports.write("inventory", target, leave_out_invalid=True)
        catalog = json.loads(target.read_text(encoding="utf-8"))
        if catalog.get("conformsTo") != "https://project-open-data.cio.gov/v1.1/schema":
            raise RuntimeError("the catalog does not name DCAT-US v1.1")
        return f"{len(catalog['dataset'])} datasets ({report.written} written)"

    def server_driver(self) -> str:
        """What connecting to a server needs, loaded as a connection would load it (a missing
        hidden import in the frozen app fails here, not on the day a city moves)."""
        import keyring
        import psycopg
        from sqlalchemy import create_engine

        from statdesk.domain.locations import parse_server
        from statdesk.storage.server_connection import server_url

        address = parse_server("postgresql://statdesk@localhost/stat?sslmode=require")
        engine = create_engine(server_url(address))  # loads the dialect, connects to nothing
        engine.dispose()
        libpq = psycopg.pq.version()
        backend = type(keyring.get_keyring()).__name__
        return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, libpq {libpq}), {backend}"

    def window(self) -> str:
        if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        ):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from statdesk.ui.app import paint_once

        return paint_once(self.open_workspace)

    def close(self) -> None:
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None


def _expect(path: Path, magic: bytes) -> None:
    with path.open("rb") as handle:
        head = handle.read(len(magic))
    if head != magic:
        raise RuntimeError(f"{path.name} does not start as it should: {head!r}")


@contextmanager
def _home(folder: Path) -> Iterator[None]:
    """Point StatDesk's user folders (and matplotlib's) into `folder` while the checks run."""
    saved = {k: os.environ.get(k) for k in ("STATDESK_HOME", "MPLCONFIGDIR")}
    os.environ["STATDESK_HOME"] = str(folder / "home")
    os.environ["MPLCONFIGDIR"] = str(folder / "home" / "matplotlib")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run(report_file: Path | None = None, out: TextIO | None = None) -> int:
    """Run every check; print the report as it goes (to `out`, default stdout) and write it
    to `report_file`, for a windowed build that has no console. Returns the exit code: 0 only
    when every check passed."""
    stream = out if out is not None else sys.stdout  # None in a windowed build

    def say(text: str) -> None:
        if stream is not None:
            print(text, file=stream, flush=True)

    report = Report()
    say(report.header())
    # On Windows a file another program (an antivirus scanner) still has open cannot be
    # removed; that is no failure of StatDesk's.
    folder = tempfile.TemporaryDirectory(prefix="statdesk-self-test-", ignore_cleanup_errors=True)
    with folder as name, _home(Path(name)):
        test = SelfTest(Path(name))
        try:
            for title, check in test.checks():
                started = time.perf_counter()
                try:
                    detail, passed, trace = check(), True, ""
                except Exception as error:
                    detail, passed = f"{type(error).__name__}: {error}", False
                    trace = "".join(traceback.format_exception(error, chain=False))
                report.checks.append(
                    Check(title, passed, time.perf_counter() - started, detail, trace)
                )
                say("\n".join(report.checks[-1].lines()))
        finally:
            test.close()
    say(report.summary())
    if report_file is not None:
        report_file.write_text(report.text() + "\n", encoding="utf-8")
    return 0 if report.passed else 1
