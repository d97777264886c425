"""What an import would do, worked out completely before anything is written.

`planning.plan_import` reads and shapes the file, maps its columns, coerces every cell, and
returns an `ImportPlan` (this module): the records to add or update, per-row problems (which
row, which column, what is wrong, what will happen), notices, and counts. The dry run prints
it; the commit writes exactly it, in one transaction (workspace.import_writer).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from statdesk.domain.vocabulary import IMPORT_WORDS, SeriesKind
from statdesk.importing.sources import SourceInfo
from statdesk.importing.value_list import ValueList
from statdesk.importing.wide import WideColumn

if TYPE_CHECKING:
    from statdesk.importing.collisions import Collisions
    from statdesk.importing.result import ImportResult

KINDS = tuple(IMPORT_WORDS)  # the kinds of import, by their words
MAX_LISTED_PROBLEMS = 500


@dataclass
class ImportOptions:
    kind: str
    sheet: str | None = None
    header_row: int | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # source column → field, given
    encoding: str | None = None
    fiscal_year: int | None = None  # for month/quarter/CFY columns when no column says it
    metric: str | None = None  # the metric to fill, when the file has no metric column
    period: str | None = None  # the period of every value, when the file has no period column
    # raw operational data → metric values
    date_column: str | None = None
    frequency: str = "monthly"
    measure: str = "count"  # count | sum:COL | mean:COL | median:COL | p90:COL |
    #                         median_days:START,END | share_within:START,END,DAYS
    filters: list[str] = field(default_factory=list)  # "COLUMN=VALUE": only those rows
    conflict: str = "replace"  # what to do with a value the file already holds: replace | keep
    accept_matches: bool = False  # use the proposed matches of near-identical names
    # Rows that land on the same metric, series and period: sum | mean | first | last.
    combine: str | None = None
    own_series: str | None = None  # the series column's value that is the city's own
    keep_totals: bool = False  # import rows labelled and placed as totals, as data
    file_fiscal_start: int | None = None  # date month columns by the file's own year (10)
    decimal: str | None = None  # a text file's decimal mark, when not the one found
    date_order: str | None = None  # mdy | dmy | ymd, when a date column does not say
    # Directions of the metrics the import creates: a metric's name, or "*" for every one
    # the file gives none → up | down | band | proposed (the proposal from its name).
    directions: dict[str, str] = field(default_factory=dict)
    rescale: list[str] = field(default_factory=list)  # percent metrics whose fractions ×100
    # Values of locked periods are left as they are, unless a reason is given here for
    # changing them (the change log keeps it).
    change_locked: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RowProblem:
    row: int  # the spreadsheet's row number, as the analyst sees it
    column: str
    message: str
    action: str  # what StatDesk will do about it


@dataclass
class ImportPlan:
    options: ImportOptions
    source: SourceInfo
    sha256: str
    sheet: str | None
    header_row: int
    columns: list[str]
    mapping: dict[str, str]
    rows_read: int
    wide: list[WideColumn] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped_rows: set[int] = field(default_factory=set)
    people: list[dict[str, Any]] = field(default_factory=list)
    datasets: list[dict[str, Any]] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    values: ValueList = field(default_factory=ValueList)
    departments: set[str] = field(default_factory=set)
    missing_fields: list[str] = field(default_factory=list)
    # Choices the file needs before it can be imported truthfully (rows landing on the same
    # metric and period, months in another fiscal order…): each a sentence with the options.
    choices_needed: list[str] = field(default_factory=list)
    # Names in the file that nearly match ones already in StatDesk, by kind: file → existing.
    matches: dict[str, dict[str, str]] = field(default_factory=dict)
    series_kinds: dict[str, SeriesKind] = field(default_factory=dict)  # by name, casefolded
    series_dimension: str = ""  # the columns that name the series
    fiscal_order: int | None = None  # the month the file's own months start a year in
    collisions: Collisions | None = None
    # Metrics the file gives no direction: name → (the proposal from the name, or None; why).
    direction_proposals: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    scale_mixes: list[str] = field(default_factory=list)  # percent metrics with fractions
    combined_rows: set[int] = field(default_factory=set)  # rows summed into another's value
    kept_instead: dict[int, int] = field(default_factory=dict)  # first/last: row → row kept
    filtered_rows: list[int] = field(default_factory=list)  # left out by --filter
    landed_rows: set[int] = field(default_factory=set)  # rows that gave a record
    # Values: the rows that gave one (or joined a sum), sorted, as a numpy array; a big file's
    # millions of rows kept compact.
    landed_array: Any = None
    # A raw import measures rows without keeping them: how many landed and were listed.
    tally: dict[str, int] | None = None
    # What the writer would add and change, decided against the file (Workspace.forecast).
    forecast: ImportResult | None = None

    def matched(self, kind: str, name: str) -> str:
        """The name to use: the existing one when matches are accepted, else the file's."""
        if not self.options.accept_matches:
            return name
        return self.matches.get(kind, {}).get(name, name)

    @property
    def landed(self) -> set[int]:
        """The rows that gave a record or a value (or joined another's sum)."""
        if self.landed_array is not None:
            return set(self.landed_array.tolist())
        return self.landed_rows

    def problem(self, row: int, column: str, message: str, action: str) -> None:
        self.problems.append(RowProblem(row, column, message, action))

    def skip(
        self, row: int, column: str, message: str, action: str = "the row is not imported"
    ) -> None:
        self.skipped_rows.add(row)
        self.problem(row, column, message, action)

    @property
    def ready(self) -> bool:
        return not self.missing_fields and not self.choices_needed

    def counts(self) -> dict[str, int]:
        return {
            "rows_read": self.rows_read,
            "rows_landed": self.tally["landed"]
            if self.tally
            else len(self.landed_array)
            if self.landed_array is not None
            else len(self.landed_rows),
            "rows_skipped": self.tally["listed"] if self.tally else len(self.skipped_rows),
            "people": len(self.people),
            "datasets": len(self.datasets),
            "metrics": len(self.metrics),
            "values": len(self.values),
            "departments": len(self.departments),
            "problems": len(self.problems),
        }

    def count_line(self) -> str:
        """The counts in words ("1,167 rows read, 1,167 rows landed, …"); before a choice the
        file needs, said as what would happen, for nothing is imported yet."""
        counts = ", ".join(f"{n:,} {k.replace('_', ' ')}" for k, n in self.counts().items() if n)
        if self.choices_needed:
            return f"As the file stands (nothing is imported until you choose): {counts}."
        return f"{counts}."

    def as_json(self) -> dict[str, Any]:
        return {
            "source": str(self.source.path),
            "format": self.source.format,
            "encoding": self.source.encoding,
            "delimiter": self.source.delimiter,
            "decimal": self.source.decimal,
            "sheets": [
                {"name": s.name, "visible": s.visible, "rows": s.rows} for s in self.source.sheets
            ],
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": self.columns,
            "kind": self.options.kind,
            "mapping": self.mapping,
            "wide_columns": [{"column": w.column, "role": w.role} for w in self.wide],
            "unmapped_required": self.missing_fields,
            "choices_needed": self.choices_needed,
            "ready": self.ready,
            "counts": self.counts(),
            "forecast": self.forecast.as_json() if self.forecast else None,
            "collisions": self.collisions.as_json() if self.collisions else None,
            "series": {
                "columns": self.series_dimension,
                "kinds": {k: v.value for k, v in sorted(self.series_kinds.items())},
            },
            "filtered_rows": self.filtered_rows[:MAX_LISTED_PROBLEMS],
            "scale_mixes": self.scale_mixes,
            "directions_not_set": [
                {"metric": name, "proposal": proposal, "because": why}
                for name, (proposal, why) in self.direction_proposals.items()
            ][:MAX_LISTED_PROBLEMS],
            "matches": self.matches,
            "matches_accepted": self.options.accept_matches,
            "notices": self.notices,
            "problems": [asdict(p) for p in self.problems[:MAX_LISTED_PROBLEMS]],
            "problems_not_listed": max(0, len(self.problems) - MAX_LISTED_PROBLEMS),
            "sha256": self.sha256,
        }
