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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from statdesk.domain.numbers import counted
from statdesk.domain.periods import label
from statdesk.importing.coerce import name as clean_name
from statdesk.importing.value_list import distinct

if TYPE_CHECKING:
    from statdesk.importing.plan import ImportPlan
    from statdesk.importing.shape import Table
    from statdesk.importing.value_list import ValueList

COMBINE = ("sum", "mean", "first", "last")
SAMPLE_GROUPS = 400  # groups looked at to tell which columns differ
LISTED_GROUPS = 20
MAX_NAMED = 10_000  # rows named one by one when no choice is made; the report counts all


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
            f"{self.rows:,} rows land on {counted(self.groups, 'metric-and-period pair')} "
            f"that several rows share{where}.{apart}"
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


class _Groups:
    """Groups of values that land on the same key, found with numpy: `order` holds their
    positions group after group (in row order within each), `starts`/`ends` bound each."""

    def __init__(self, values: ValueList) -> None:
        import numpy as np

        keys = [values.column(c) for c in ("metric", "department", "series", "period", "field")]
        order = np.lexsort(keys[::-1])  # stable: a group's values stay in row order
        ordered = np.stack([k[order] for k in keys])
        same = np.all(ordered[:, 1:] == ordered[:, :-1], axis=0)
        starts = np.flatnonzero(np.concatenate([[True], ~same]))
        ends = np.concatenate([starts[1:], [len(order)]])
        several = ends - starts > 1
        self.starts_all, self.ends_all = starts[several], ends[several]
        member = np.zeros(len(order), dtype=bool)
        for a, b in zip(self.starts_all.tolist(), self.ends_all.tolist(), strict=True):
            member[a:b] = True
        self.order = order[member]
        sizes = self.ends_all - self.starts_all
        self.ends = np.cumsum(sizes).astype(np.int64)
        self.starts = self.ends - sizes
        self.keys = ordered[:, self.starts_all] if len(self.starts_all) else ordered[:, :0]

    def __len__(self) -> int:
        return len(self.starts)

    def members(self, group: int) -> list[int]:
        return [int(i) for i in self.order[self.starts[group] : self.ends[group]]]

    def subset(self, chosen: Any) -> _Groups:
        """These groups only (a boolean array over the groups)."""
        import numpy as np

        out = object.__new__(_Groups)
        keep = np.flatnonzero(chosen)
        pieces = [self.order[self.starts[g] : self.ends[g]] for g in keep.tolist()]
        out.order = np.concatenate(pieces) if pieces else self.order[:0]
        sizes = (self.ends - self.starts)[keep]
        out.ends = np.cumsum(sizes).astype(np.int64)
        out.starts = out.ends - sizes
        out.keys = self.keys[:, keep]
        out.starts_all = self.starts_all[keep]
        out.ends_all = self.ends_all[keep]
        return out

    def each(self, limit: int | None = None) -> list[list[int]]:
        return [self.members(g) for g in range(min(len(self), limit or len(self)))]


def _all_apart(values: ValueList) -> bool:
    """Whether no two values share a key, told from one number per value where the key's
    parts fit in one (the usual file: a sort of one array, not of five)."""
    import numpy as np

    columns = [values.column(c) for c in ("metric", "department", "series", "period", "field")]
    sizes = [int(c.max()) + 1 for c in columns]
    if float(np.prod(sizes, dtype=np.float64)) >= 2.0**62:
        return False  # the long way, by _Groups
    key = np.zeros(len(values), dtype=np.int64)
    for column, size in zip(columns, sizes, strict=True):
        key *= size
        key += column
    key.sort()
    return not bool(np.any(key[1:] == key[:-1]))


def settle(plan: ImportPlan, table: Table, fy_start: int) -> None:
    """Find the rows that land on the same metric, series, period and field, and apply the
    analyst's choice (plan.options.combine); without one, the plan needs a choice."""
    import numpy as np

    values = plan.values
    if len(values) < 2 or _all_apart(values):
        return
    groups = _Groups(values)
    if not len(groups):
        return
    duplicate = _duplicates(values, groups, table)
    real, copies = groups.subset(~duplicate), groups.subset(duplicate)
    dropped = np.zeros(len(values), dtype=bool)
    for a, b in zip(copies.starts.tolist(), copies.ends.tolist(), strict=True):
        dropped[copies.order[a + 1 : b]] = True  # each copy once: its first
    report = _report(plan, table, real, values, fy_start)
    rows = values.column("row")
    copied = sorted(set(rows[dropped].tolist()))
    report.duplicates = len(copied)
    plan.collisions = report
    choice = plan.options.combine
    if len(real) and not choice:
        plan.choices_needed.append(
            "what to do with rows that land on the same metric and period (--series COLUMN, "
            "--combine sum|mean|first|last, or --filter COLUMN=VALUE)"
        )
        _name_each_row(plan, real, values)
    elif len(real) and choice:
        report.resolved_by = f"combine:{choice}"
        dropped |= _combine(plan, real, values, choice)
    if dropped.any():
        _drop(plan, values, dropped, choice)
    if copied:
        plan.notices.append(
            f"{counted(len(copied), 'row')} repeating an earlier row cell for cell (rows "
            f"{_rows(copied)}): each is imported once."
        )


def _duplicates(values: ValueList, groups: _Groups, table: Table) -> Any:
    """Per group: whether its rows are copies of one row (the same in every cell), or one
    row's columns giving the same value twice; those need no choice."""
    import numpy as np

    rows = values.column("row")[groups.order]
    numbers = values.column("value")[groups.order]
    notes = values.column("note")[groups.order]
    source = np.asarray(table.source_rows)
    positions = np.searchsorted(source, rows)
    hashes = {p: hash(tuple(table.rows[p])) for p in set(positions.tolist())}
    cell_hash = np.fromiter(map(hashes.__getitem__, positions.tolist()), dtype=np.int64)
    first = np.repeat(groups.starts, groups.ends - groups.starts)
    same_cells = cell_hash == cell_hash[first]
    same_row = rows == rows[first]
    both_none = np.isnan(numbers) & np.isnan(numbers[first])
    same_value = ((numbers == numbers[first]) | both_none) & (notes == notes[first])
    # rows that are copies of each other; or one row whose columns repeat the same value
    alike = same_cells & (same_value | ~same_row)
    return np.minimum.reduceat(alike, groups.starts) if len(groups) else alike[:0]


def _report(
    plan: ImportPlan, table: Table, groups: _Groups, values: ValueList, fy_start: int
) -> Collisions:
    import numpy as np

    value_columns = {c for c, f in plan.mapping.items() if f in ("actual", "target", "forecast")}
    value_columns |= {w.column for w in plan.wide} | {
        c for c, f in plan.mapping.items() if f in ("note", "column_metric")
    }
    positions = [i for i, c in enumerate(table.columns) if c not in value_columns]
    rows_of = values.column("row")
    source = np.asarray(table.source_rows)
    sample = groups.each(SAMPLE_GROUPS)
    differing: Counter[str] = Counter()
    same_row = False
    for group in sample:
        rows = sorted({int(rows_of[i]) for i in group})
        if len(rows) == 1:
            same_row = True
            continue
        cells = [table.rows[int(np.searchsorted(source, r))] for r in rows]
        for position in positions:
            if len({_cell(row[position]) for row in cells}) > 1:
                differing[table.columns[position]] += 1
    listed = []
    for group in sample[:LISTED_GROUPS]:
        item = values[group[0]]
        listed.append(
            Group(
                item.metric,
                item.series,
                label(item.period, fy_start),
                item.field,
                tuple(sorted({int(rows_of[i]) for i in group})),
            )
        )
    rows_in = len(distinct(rows_of[groups.order]))
    pairs = len({tuple(k) for k in groups.keys[:4].T.tolist()})  # actual and target: one pair
    report = Collisions(
        pairs, rows_in, listed, differing.most_common(), len(sample), same_row=same_row
    )
    if len(groups):
        _propose(report, plan, table, sample, values)
    return report


def _cell(value: Any) -> Any:
    return clean_name(value).casefold() if isinstance(value, str) else value


def _propose(
    report: Collisions,
    plan: ImportPlan,
    table: Table,
    sampled: list[list[int]],
    values: ValueList,
) -> None:
    """The choice a city analyst would make: series by a column that names places or groups
    and tells every group's rows apart; else the sum of line items when the values are
    amounts (a budget's lines per department and year)."""
    import numpy as np

    rows_of = values.column("row")
    source = np.asarray(table.source_rows)
    rows = [sorted({int(rows_of[i]) for i in g}) for g in sampled]
    rows = [r for r in rows if len(r) > 1]

    def parts(column: str) -> float:
        """The share of groups whose rows this column tells apart, each row its own."""
        position = table.columns.index(column)
        apart = sum(
            len({_cell(table.rows[int(np.searchsorted(source, n))][position]) for n in group})
            == len(group)
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


def _name_each_row(plan: ImportPlan, groups: _Groups, values: ValueList) -> None:
    """One problem per row that shares its metric and period with an earlier row (the first
    MAX_NAMED rows; the report counts them all)."""
    named: set[int] = set()
    rows = values.column("row")
    for group in range(len(groups)):
        members = groups.members(group)
        first_row = int(rows[members[0]])
        for index in members[1:]:
            row = int(rows[index])
            if row in named or row == first_row:
                continue
            if len(named) >= MAX_NAMED:
                return
            named.add(row)
            item = values[index]
            series = f", series '{item.series}'" if item.series else ""
            plan.problem(
                row,
                "",
                f"Lands on the same metric ('{item.metric}'{series}) and period as row "
                f"{first_row}.",
                "nothing is imported until you choose: series by a column, sum, mean, first, "
                "last, or a filter",
            )


def _combine(plan: ImportPlan, groups: _Groups, values: ValueList, how: str) -> Any:
    """Apply sum, mean, first or last to each group: the first value of each group is
    replaced by the combined one (first: kept; last: the last takes its place); returns the
    values dropped."""
    import numpy as np

    dropped = np.zeros(len(values), dtype=bool)
    order, starts, ends = groups.order, groups.starts, groups.ends
    dropped[order] = True
    if how in ("first", "last"):
        kept = order[ends - 1] if how == "last" else order[starts]
        dropped[kept] = False
        rows = values.column("row")
        for a, b, keep in zip(starts.tolist(), ends.tolist(), kept.tolist(), strict=True):
            for index in order[a:b].tolist():
                if index != keep:
                    plan.kept_instead[int(rows[index])] = int(rows[keep])
        return dropped
    kept = order[starts]
    dropped[kept] = False
    numbers = values.column("value")[order]
    known = ~np.isnan(numbers)
    totals = np.add.reduceat(np.where(known, numbers, 0.0), starts)
    counts = np.add.reduceat(known.astype(np.int64), starts)
    sizes = ends - starts
    with np.errstate(invalid="ignore", divide="ignore"):
        result = totals if how == "sum" else totals / counts
    rows = values.column("row")[order]
    word = "Sum" if how == "sum" else "Mean"
    combined, notes = [], []
    for group, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        members = rows[a:b].tolist()
        note = f"{word} of {sizes[group]} rows of the file ({_rows(members)})"
        if counts[group] < sizes[group]:
            note += f"; {sizes[group] - counts[group]} of them give no number"
        notes.append(note)
        combined.append(
            None if counts[group] == 0 else float(f"{float(result[group]):.15g}")
        )  # the sum of cents, without binary noise
        plan.combined_rows.update(members[1:])
    values.set_values(kept, combined, notes)
    return dropped


def _drop(plan: ImportPlan, values: ValueList, dropped: Any, how: str | None) -> None:
    """Remove the dropped values; a row left with no value at all is listed as skipped (rows
    combined into a sum are not: their numbers are in it)."""
    import numpy as np

    rows = values.column("row")
    lost = distinct(rows[dropped])
    lost = lost[~np.isin(lost, rows[~dropped])].tolist()  # rows none of whose values is kept
    for row in sorted(set(lost) - plan.combined_rows - plan.skipped_rows):
        if how in ("first", "last"):
            other = plan.kept_instead.get(row)
            why = f"Its values are those of row {other}, which is kept (--combine {how})."
        else:
            why = "It repeats an earlier row cell for cell: imported once."
        plan.skip(row, "", why)
    values.keep(~dropped)


def _rows(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:6])
    return shown + (f" … ({len(numbers):,} rows)" if len(numbers) > 6 else "")
