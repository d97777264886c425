"""Whose each row of a values sheet is: the metric (and department) each row's values belong
to, read once per distinct cell, with the metrics the sheet defines; a metric's id, when the
sheet has one, names rows whose name cell is empty."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import eq
from typing import Any, NamedTuple

from statdesk.domain.numbers import counted
from statdesk.importing import coerce
from statdesk.importing.cells import Cells
from statdesk.importing.header import clean_label
from statdesk.importing.plan import ImportPlan
from statdesk.importing.register import (
    hear_into,
    metric_record,
)
from statdesk.importing.shape import Table


class RowMetrics(NamedTuple):
    """Whose each row's values are, read once per distinct metric (and department) cell."""

    keys: Sequence[Any]  # each row's key: its metric cell, department cell, or both
    names: dict[Any, str]  # by key: the metric's name ("" when the row names none)
    departments: dict[Any, str]  # by key
    column_names: dict[str, dict[Any, str]]  # by column metric, by key: "Calls — Library"
    definitions: dict[tuple[str, str], dict[str, Any]]  # the metrics, by name and department
    metric_of: list[str]  # each row's metric name
    department_of: list[str]  # each row's department


def metrics_by_row(
    plan: ImportPlan, table: Table, cells: Cells, column_metrics: list[str]
) -> RowMetrics:
    count = len(table.rows)

    def column(field_name: str) -> Sequence[Any]:
        position = cells.index.get(field_name)
        return table.cells(position) if position is not None else (None,) * count

    # A file of one department's metrics has one department: the metric's cell tells them
    # apart, and no pairs need making. A metric's id, when mapped, tells metrics apart too.
    metric_cells, department_cells = column("metric"), column("department")
    parts = [c for c in (metric_cells, department_cells, column("code")) if not one_value(c)]
    keys: Sequence[Any] = metric_cells
    first_row: dict[Any, int] = {}  # each distinct key's first row, in the file's order
    if len(parts) > 1:
        keys, firsts = _combined(parts)
        first_row = dict(enumerate(firsts))
    else:
        keys = parts[0] if parts else keys
        start = 0
        for key in dict.fromkeys(keys):
            start = first_row[key] = keys.index(key, start)
    fallback_metric = coerce.name(plan.options.metric)
    records = {
        key: metric_record(cells, table.rows[first], hear_into(plan, table.source_rows[first]))
        for key, first in first_row.items()
    }
    if table.footnotes:  # "Louisville Metro6, 7": the markers of the footnotes
        for record in records.values():
            record["name"] = clean_label(record["name"]) if record["name"] else ""
    for record in records.values():
        record["name"] = record["name"] or fallback_metric
    _name_by_code(plan, records)
    spelled: dict[str, str] = {}  # one spelling of each name and department, the first seen
    definitions: dict[tuple[str, str], dict[str, Any]] = {}
    names: dict[Any, str] = {}
    departments: dict[Any, str] = {}
    column_names: dict[str, dict[Any, str]] = {c: {} for c in column_metrics}
    for key, record in records.items():
        name = record["name"] = spelled.setdefault(record["name"].casefold(), record["name"])
        department = record["department"] = spelled.setdefault(
            "\0" + record["department"].casefold(), record["department"]
        )
        names[key], departments[key] = name, department
        if department:
            plan.departments.add(department)
        if name and not column_metrics:
            definitions.setdefault((name.casefold(), department.casefold()), record)
        for column_name in column_metrics:  # named after the column, and the row's metric
            own = f"{column_name} — {name}" if name else column_name
            column_names[column_name][key] = own
            definitions.setdefault(
                (own.casefold(), department.casefold()),
                {**record, "name": own, "code": None},
            )
    one_department = set(departments.values())
    department_of = (
        [*one_department] * count if len(one_department) == 1 else by_key(departments, keys)
    )
    metric_of = by_key(names, keys)
    return RowMetrics(keys, names, departments, column_names, definitions, metric_of, department_of)


def by_key(found: dict[Any, str], keys: Sequence[Any]) -> list[str]:
    """Each row's name, by its key (numbers 0, 1, 2… for combined keys)."""
    if isinstance(keys, list) or not hasattr(keys, "dtype"):
        return list(map(found.__getitem__, keys))
    import numpy as np

    table = np.array([found[k] for k in range(len(found))], dtype=object)
    named: list[str] = table[keys].tolist()
    return named


def _combined(parts: list[Sequence[Any]]) -> tuple[Any, list[int]]:
    """Each row's combination of cells (metric and department, say) as one number (a numpy
    array), counted in the order the combinations first appear, and each one's first row: a
    million rows' pairs would take a million tuples."""
    import numpy as np

    from statdesk.importing.value_list import _Names

    codes = [
        _Names()
        .codes(part if len(set(map(type, part))) == 1 else [(type(c), c) for c in part])
        .astype(np.int64)
        for part in parts
    ]
    combined = codes[0]
    for more in codes[1:]:
        combined = combined * (int(more.max()) + 1) + more
    _unique, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.int64)
    rank[order] = np.arange(len(first))
    return rank[inverse.ravel()], first[order].tolist()


def _name_by_code(plan: ImportPlan, records: dict[Any, dict[str, Any]]) -> None:
    """Metrics with their own ids but the same name (and department) stay apart: each such
    name is given its id, and the notices say so."""
    by_name: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in records.values():
        if record.get("code") and record["name"]:
            key = (record["name"].casefold(), record["department"].casefold())
            by_name.setdefault(key, []).append(record)
    shared = [group for group in by_name.values() if len({r["code"] for r in group}) > 1]
    for group in shared:
        for record in group:
            record["name"] = f"{record['name']} (ID {record['code']})"
    if shared:
        first = shared[0]
        ids = " and ".join(str(r["code"]) for r in first[:2])
        plan.notices.append(
            f"{counted(len(shared), 'metric name')} used by more than one ID (such as "
            f"'{first[0]['name'].rsplit(' (ID ', 1)[0]}': IDs {ids}): each is imported as a "
            "metric of its own, its ID added to its name."
        )


def one_value(cells: Sequence[Any]) -> bool:
    """Whether every cell is the same (in type and value)."""
    first = cells[0] if cells else None
    return all(map(eq, repeat(first), cells)) and (
        first.__class__ is str or len(set(map(type, cells))) == 1  # 1 == 1.0 == True
    )
