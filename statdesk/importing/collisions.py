"""Rows that would land on the same metric, series and period: found before anything is
written, never written over each other.

A file of districts, of budget line items, or of a city beside its benchmark has many rows
for one metric and period. Writing them one after the other would keep only the last (the
country's figure where the city's belonged; the last line item, not their sum). The planner
finds every such group, says how many, where, and which columns tell the rows apart, and
proposes a choice; the analyst picks one:

- keep them apart as series, by the column that differs (`--series COLUMN`);
- sum, mean, first or last (`--combine …`);
- keep only the rows where a column has a value (`--filter COLUMN=VALUE`).

Rows that are the same in every cell are one row written twice: imported once, and listed.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from statdesk.domain.periods import label
from statdesk.importing.coerce import name as clean_name

if TYPE_CHECKING:
    from statdesk.importing.plan import ImportPlan, ValueItem
    from statdesk.importing.shape import Table

COMBINE = ("sum", "mean", "first", "last")
SAMPLE_GROUPS = 400  # groups looked at to tell which columns differ
LISTED_GROUPS = 20

_KEY = itemgetter(0, 1, 2, 3, 4)  # metric, department, series, period, field

# Column names that tell apart parts of a city or things to compare it with.
_SERIES_WORDS = re.compile(
    r"geo|district|ward|precinct|borough|region|area|zone|neighbo|tract|zip|group|categor"
    r"|race|ethnic|gender|sex\b|\bage\b|segment|location|site|station|\bcity\b|county|state"
    r"|country|nation|benchmark|comparison|peer|place|jurisdiction|demographic|population"
    r"|community|council|beat|sector|service area|branch|facility|year of plan|plan year",
    re.IGNORECASE,
)
# Value columns whose rows are parts of one amount (line items of a budget).
_AMOUNT_WORDS = re.compile(
    r"amount|budget|expen|appropriat|spend|cost|revenue|dollar|\bfund|obligat|payment|\$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Group:
    metric: str
    series: str
    period: str
    field: str
    rows: tuple[int, ...]


@dataclass
class Collisions:
    """What the planner found: groups of rows that land on one metric, series and period."""

    groups: int
    rows: int
    listed: list[Group]
    differing: list[tuple[str, int]]  # columns that tell a group's rows apart, and in how many
    sampled: int  # of how many groups
    proposal: str = ""  # "series:COLUMN", "combine:sum", or "" when nothing stands out
    resolved_by: str = ""  # the choice applied ("combine:sum"); "" while unresolved
    duplicates: int = 0  # rows the same in every cell as an earlier one, imported once
    same_row: bool = False  # several columns of one row give the same period
    reasons: list[str] = field(default_factory=list)  # why the proposal

    def sentence(self) -> str:
        first = self.listed[0] if self.listed else None
        where = (
            f" (such as '{first.metric}'"
            + (f", {first.series}" if first.series else "")
            + f", {first.period}: rows {_rows(first.rows)})"
            if first
            else ""
        )
        apart = ""
        if self.differing:
            shown = ", ".join(f"'{c}' ({n} of {self.sampled})" for c, n in self.differing[:4])
            apart = f" The rows differ by {shown}."
        return (
            f"{self.rows:,} rows land on {self.groups:,} metric-and-period pair(s) that several "
            f"rows share{where}.{apart}"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "groups": self.groups,
            "rows": self.rows,
            "differing_columns": [{"column": c, "groups": n} for c, n in self.differing],
            "groups_sampled": self.sampled,
            "proposal": self.proposal,
            "proposal_reasons": self.reasons,
            "resolved_by": self.resolved_by,
            "duplicate_rows": self.duplicates,
            "examples": [
                {
                    "metric": g.metric,
                    "series": g.series,
                    "period": g.period,
                    "field": g.field,
                    "rows": list(g.rows),
                }
                for g in self.listed
            ],
        }


def settle(plan: ImportPlan, table: Table, fy_start: int) -> None:
    """Find the rows that land on the same metric, series, period and field, and apply the
    analyst's choice (plan.options.combine); without one, the plan needs a choice."""
    values = plan.values
    keys = list(map(_KEY, values))
    if len(set(keys)) == len(keys):
        return
    counts = Counter(keys)
    indices: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        if counts[key] > 1:
            indices[key].append(index)
    by_number = {number: i for i, number in enumerate(table.source_rows)}
    duplicates, real = _split_duplicates(values, indices, table, by_number)
    dropped: dict[int, int] = {}  # value index → the value index that is kept instead
    for group in duplicates.values():
        for index in group[1:]:
            dropped[index] = group[0]
    report = _report(plan, table, real, values, by_number, fy_start)
    report.duplicates = len({values[i].row for g in duplicates.values() for i in g[1:]})
    plan.collisions = report
    choice = plan.options.combine
    if real and not choice:
        plan.choices_needed.append(
            "what to do with rows that land on the same metric and period (--series COLUMN, "
            "--combine sum|mean|first|last, or --filter COLUMN=VALUE)"
        )
        _name_each_row(plan, real, values)
    elif real:
        report.resolved_by = f"combine:{choice}"
        dropped |= _combine(plan, real, values, choice)
    if dropped:
        _drop(plan, values, dropped, choice)
    if duplicates:
        rows = sorted({values[i].row for g in duplicates.values() for i in g[1:]})
        plan.notices.append(
            f"{len(rows):,} row(s) repeat an earlier row cell for cell (rows {_rows(rows)}): "
            "each is imported once."
        )


def _split_duplicates(
    values: list[ValueItem],
    groups: dict[tuple[Any, ...], list[int]],
    table: Table,
    by_number: dict[int, int],
) -> tuple[dict[tuple[Any, ...], list[int]], dict[tuple[Any, ...], list[int]]]:
    """Groups whose rows are copies of one row (or one row's columns giving the same value
    twice) apart from the groups that need a choice."""
    duplicates, real = {}, {}
    for key, group in groups.items():
        rows = {values[i].row for i in group}
        same_values = len({(values[i].value, values[i].note) for i in group}) == 1
        if len(rows) == 1:
            (duplicates if same_values else real)[key] = group
            continue
        cells = {tuple(table.rows[by_number[r]]) for r in rows if r in by_number}
        (duplicates if len(cells) == 1 else real)[key] = group
    return duplicates, real


def _report(
    plan: ImportPlan,
    table: Table,
    groups: dict[tuple[Any, ...], list[int]],
    values: list[ValueItem],
    by_number: dict[int, int],
    fy_start: int,
) -> Collisions:
    value_columns = {c for c, f in plan.mapping.items() if f in ("actual", "target", "forecast")}
    value_columns |= {w.column for w in plan.wide} | {
        c for c, f in plan.mapping.items() if f in ("note", "column_metric")
    }
    positions = [i for i, c in enumerate(table.columns) if c not in value_columns]
    sample = list(groups.values())[:SAMPLE_GROUPS]
    differing: Counter[str] = Counter()
    same_row = False
    for group in sample:
        rows = sorted({values[i].row for i in group})
        if len(rows) == 1:
            same_row = True
            continue
        cells = [table.rows[by_number[r]] for r in rows]
        for position in positions:
            if len({_cell(row[position]) for row in cells}) > 1:
                differing[table.columns[position]] += 1
    listed = [
        Group(
            values[g[0]].metric,
            values[g[0]].series,
            label(values[g[0]].period, fy_start),
            values[g[0]].field,
            tuple(sorted({values[i].row for i in g})),
        )
        for g in list(groups.values())[:LISTED_GROUPS]
    ]
    rows_in = {values[i].row for g in groups.values() for i in g}
    pairs = len({key[:4] for key in groups})  # a row's actual and target are one pair
    report = Collisions(
        pairs, len(rows_in), listed, differing.most_common(), len(sample), same_row=same_row
    )
    if groups:
        _propose(report, plan, table, groups, values, by_number)
    return report


def _cell(value: Any) -> Any:
    return clean_name(value).casefold() if isinstance(value, str) else value


def _propose(
    report: Collisions,
    plan: ImportPlan,
    table: Table,
    groups: dict[tuple[Any, ...], list[int]],
    values: list[ValueItem],
    by_number: dict[int, int],
) -> None:
    """The choice a city analyst would make: series by a column that names places or groups
    and tells every group's rows apart; else the sum of line items when the values are
    amounts (a budget's lines per department and year)."""
    sampled = list(groups.values())[:SAMPLE_GROUPS]
    rows = [sorted({values[i].row for i in g}) for g in sampled]
    rows = [r for r in rows if len(r) > 1]

    def parts(column: str) -> float:
        """The share of groups whose rows this column tells apart, each row its own."""
        position = table.columns.index(column)
        apart = sum(
            len({_cell(table.rows[by_number[n]][position]) for n in group}) == len(group)
            for group in rows
        )
        return apart / max(1, len(rows))

    amounts = [c for c, f in plan.mapping.items() if f in ("actual", "target", "forecast")]
    amounts += [w.column for w in plan.wide]
    money = any(_AMOUNT_WORDS.search(c) for c in amounts) or any(
        str(d.get("unit", "")) == "currency" for d in plan.metrics
    )
    places = [
        c
        for c, _n in report.differing
        if _SERIES_WORDS.search(c) and not _unique(table, c) and parts(c) >= 0.95
    ]
    if places:
        report.proposal = f"series:{places[0]}"
        report.reasons.append(f"'{places[0]}' tells apart the rows of every group")
    elif money:
        sizes = [len(r) for r in rows] or [0]
        report.proposal = "combine:sum"
        report.reasons.append(
            f"{statistics.fmean(sizes):.1f} rows on average share a metric and period, and the "
            "values are amounts: line items that add up"
        )


def _unique(table: Table, column: str) -> bool:
    cells = table.cells(table.columns.index(column))
    return len(set(cells)) == len(cells)


def _name_each_row(
    plan: ImportPlan, groups: dict[tuple[Any, ...], list[int]], values: list[ValueItem]
) -> None:
    """One problem per row that shares its metric and period with an earlier row."""
    named: set[int] = set()
    for group in groups.values():
        first = values[group[0]]
        for index in group[1:]:
            item = values[index]
            if item.row in named or item.row == first.row:
                continue
            named.add(item.row)
            series = f", series '{item.series}'" if item.series else ""
            plan.problem(
                item.row,
                "",
                f"Lands on the same metric ('{item.metric}'{series}) and period as row "
                f"{first.row}.",
                "nothing is imported until you choose: series by a column, sum, mean, first, "
                "last, or a filter",
            )


def _combine(
    plan: ImportPlan,
    groups: dict[tuple[Any, ...], list[int]],
    values: list[ValueItem],
    how: str,
) -> dict[int, int]:
    """Apply sum, mean, first or last to each group: the kept item is replaced by the
    combined one; returns the items dropped, each with the item kept in its stead."""
    dropped: dict[int, int] = {}
    for group in groups.values():
        ordered = sorted(group, key=lambda i: values[i].row)
        if how in ("first", "last"):
            keep = ordered[0] if how == "first" else ordered[-1]
            for index in ordered:
                if index != keep:
                    dropped[index] = keep
            continue
        keep = ordered[0]
        numbers = [values[i].value for i in ordered if values[i].value is not None]
        total = None
        if numbers:
            total = sum(numbers) if how == "sum" else statistics.fmean(numbers)
            total = float(f"{total:.15g}")  # the sum of cents, without binary noise
        rows = [values[i].row for i in ordered]
        word = "Sum" if how == "sum" else "Mean"
        note = f"{word} of {len(rows)} rows of the file ({_rows(rows)})"
        if len(numbers) < len(rows):
            note += f"; {len(rows) - len(numbers)} of them give no number"
        values[keep] = values[keep]._replace(value=total, note=note)
        for index in ordered[1:]:
            dropped[index] = keep
            plan.combined_rows[values[index].row] = values[keep].row
    return dropped


def _drop(
    plan: ImportPlan, values: list[ValueItem], dropped: dict[int, int], how: str | None
) -> None:
    """Remove the dropped items; a row left with no item at all is listed as skipped, with
    the row whose values stand instead (combined rows are not: their numbers are in the sum)."""
    kept_rows = {v.row for i, v in enumerate(values) if i not in dropped}
    kept_rows |= set(plan.combined_rows)
    for index, instead in dropped.items():
        row = values[index].row
        if row in kept_rows or row in plan.skipped_rows:
            continue
        other = values[instead].row
        if how in ("first", "last"):
            why = f"Its values are those of row {other}, which is kept (--combine {how})."
        else:
            why = f"It repeats row {other} cell for cell: imported once."
        plan.skip(row, "", why)
    plan.values = [v for i, v in enumerate(values) if i not in dropped]


def _rows(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:6])
    return shown + (f" … ({len(numbers):,} rows)" if len(numbers) > 6 else "")
