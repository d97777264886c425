"""Writing an import plan's values, a column at a time: millions of values are matched to their
metrics, series and existing rows with numpy, and new rows go in by bulk insert in batches, so
a 300 MB file's import stays within a few hundred megabytes. The same code counts what a dry
run would write (the writer's `dry`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from statdesk.domain.errors import StatDeskError
from statdesk.domain.vocabulary import Frequency, SeriesKind
from statdesk.importing.value_list import distinct
from statdesk.storage import models as m

if TYPE_CHECKING:
    from statdesk.workspace.import_writer import _Metrics, _Writer

BATCH = 20_000  # new rows inserted at a time
_TABLES = ("metric_value", "target", "series_value")
_MODELS: dict[str, type[m.Record]] = {
    "metric_value": m.MetricValue,
    "target": m.Target,
    "series_value": m.SeriesValue,
}
_COLUMN = ("value", "target", "forecast")  # by field: actual, target, forecast
_ORDER = list(Frequency)


def write_values(w: _Writer, index: _Metrics, metric_fields: tuple[str, ...]) -> None:
    import numpy as np

    values = w.plan.values
    if not len(values):
        return
    mid = _metric_ids(w, index, metric_fields)
    series = values.column("series")
    own = values.series_names.index.get("", -1)
    kept_apart = series != own
    field = values.column("field")
    # Each value's table (0 metric_value, 1 target, 2 series_value) and owner (its metric, or
    # its series); its key: table, owner and period as one number. Arrays of millions: each
    # made once, in place where it can be.
    table = np.where(field == 0, 0, 1).astype(np.int8)
    owner = mid
    if kept_apart.any():
        owner = np.where(kept_apart, _series_ids(w, mid, series, kept_apart), mid)
        table[kept_apart] = 2
    del kept_apart
    owners, owner_rank = np.unique(owner, return_inverse=True)
    periods = len(values.periods.items)
    key = table.astype(np.int64)
    key *= len(owners)
    key += owner_rank.ravel()
    del owner_rank
    key *= periods
    key += values.column("period")
    _never_twice(values, key, field)
    existing = _existing(w, owners, values.periods.items)
    encoded = {
        (_TABLES.index(t) * len(owners) + int(np.searchsorted(owners, o))) * periods + p: row
        for (t, o, p), row in existing.items()
    }
    old = (
        np.isin(key, np.fromiter(encoded, dtype=np.int64)) if encoded else np.zeros(len(key), bool)
    )
    replace = w.plan.options.conflict != "keep"
    numbers = values.column("value")
    notes = values.column("note")
    locked = _locked(w, mid)
    if locked is not None:
        _leave_locked(w, locked, old, key, encoded, field)
        old &= ~locked
    for position in np.flatnonzero(old).tolist():
        number = float(numbers[position])
        _replace(
            w,
            _TABLES[table[position]],
            encoded[int(key[position])],
            _COLUMN[field[position]],
            None if number != number else number,
            values.notes.items[notes[position]],
            replace,
        )
    fresh = np.flatnonzero(~old if locked is None else ~(old | locked))
    del old
    if w.dry:
        for number, name in enumerate(_TABLES):
            rows = len(distinct(key[fresh[table[fresh] == number]]))
            if rows:
                w.counts[name] += rows
        return
    fresh = fresh[np.argsort(key[fresh], kind="stable")]  # a target and its forecast together
    _insert(w, values, fresh, key, table, owner, field)


def _locked(w: _Writer, mid: Any) -> Any:
    """Which values fall in a locked period of their metric (None when no lock applies, or
    the import was told to change them, with a reason)."""
    import numpy as np

    from statdesk.domain.locks import lock_of
    from statdesk.storage.locks import read_locks

    locks = read_locks(w.s)
    if not locks or w.plan.options.change_locked:
        return None
    values = w.plan.values
    periods = values.periods.items
    pair = mid * len(periods) + values.column("period")
    pairs, inverse = np.unique(pair, return_inverse=True)
    departments: dict[int, int | None] = {}
    hit = np.zeros(len(pairs), dtype=bool)
    for number, code in enumerate(pairs.tolist()):
        metric_id, period = divmod(code, len(periods))
        if metric_id not in departments:
            metric = w.get(m.Metric, metric_id)
            departments[metric_id] = metric.department_id if metric is not None else None
        hit[number] = lock_of(locks, metric_id, departments[metric_id], periods[period]) is not None
    if not hit.any():
        return None
    return hit[inverse.ravel()]


def _leave_locked(
    w: _Writer, locked: Any, old: Any, key: Any, encoded: dict[int, Any], field: Any
) -> None:
    """Values of locked periods are left as they are: one the file holds as it is counts as
    such; every other is named by its row."""
    import numpy as np

    from statdesk.domain.periods import label
    from statdesk.storage.locks import fiscal_start

    values = w.plan.values
    fy = fiscal_start(w.s)
    numbers = values.column("value")
    notes = values.column("note")
    rows = values.column("row")
    for position in np.flatnonzero(locked).tolist():
        if old[position]:
            row = encoded[int(key[position])]
            number = float(numbers[position])
            now = getattr(row, _COLUMN[field[position]])
            note = values.notes.items[notes[position]]
            if now == (None if number != number else number) and (not note or note == row.note):
                w.same += 1
                continue
        period = values.periods.items[values.column("period")[position]]
        w.locked.append(
            (
                int(rows[position]),
                values.metrics.items[values.column("metric")[position]],
                label(period, fy),
            )
        )


def _metric_ids(w: _Writer, index: _Metrics, metric_fields: tuple[str, ...]) -> Any:
    """Each value's metric id: the metrics found (by id, then name and department), or made
    with the plan's definitions and the finest frequency of their values."""
    import numpy as np

    values = w.plan.values
    width = len(values.departments.items) + 1
    pair = values.column("metric").astype(np.int64) * width + values.column("department")
    pairs, inverse = np.unique(pair, return_inverse=True)
    rank = np.array([_ORDER.index(p.frequency) for p in values.periods.items])
    finest = np.full(len(pairs), len(_ORDER))
    np.minimum.at(finest, inverse.ravel(), rank[values.column("period")])
    definitions = {
        (d["name"].casefold(), (d.get("department") or "").casefold()): d for d in w.plan.metrics
    }
    ids = np.zeros(len(pairs), dtype=np.int64)
    for number, code in enumerate(pairs.tolist()):
        name = values.metrics.items[code // width]
        department = values.departments.items[code % width]
        key = (name.casefold(), department.casefold())
        definition = dict(definitions.get(key, {"name": name, "department": department}))
        definition["name"] = w.plan.matched("metric", definition["name"])
        dept = w.department(definition.get("department") or None)
        found = index.find(definition["name"], dept, definition.get("code"))
        if found is None:
            fields = {k: definition[k] for k in metric_fields if k in definition}
            fields.setdefault("frequency", _ORDER[int(finest[number])])
            found = m.Metric(name=definition["name"], department_id=dept, **fields)
            w.new("metric", found)
            index.add(found)
        ids[number] = found.id
    return ids[inverse.ravel()]


def _series_ids(w: _Writer, mid: Any, series: Any, kept_apart: Any) -> Any:
    """Each value's series id (0 for the city's own): series found, or made as named and
    kinded by the plan."""
    import numpy as np

    values = w.plan.values
    width = len(values.series_names.items) + 1
    pair = mid * width + series
    wanted, inverse = np.unique(pair[kept_apart], return_inverse=True)
    metrics = sorted({int(p) // width for p in wanted.tolist() if p > 0})
    found = {
        (s.metric_id, s.name.casefold()): s.id
        for s in w.s.scalars(select(m.MetricSeries).where(m.MetricSeries.metric_id.in_(metrics)))
    }
    position: dict[int, int] = defaultdict(int)
    ids = np.zeros(len(wanted), dtype=np.int64)
    for number, code in enumerate(wanted.tolist()):
        metric_id, name = code // width, values.series_names.items[code % width]
        series_key = (metric_id, name.casefold())
        if series_key not in found:
            position[metric_id] += 1
            made = m.MetricSeries(
                metric_id=metric_id,
                name=name,
                series_kind=w.plan.series_kinds.get(name.casefold(), SeriesKind.BREAKDOWN),
                dimension=w.plan.series_dimension or None,
                position=position[metric_id],
            )
            found[series_key] = w.new("metric_series", made).id
        ids[number] = found[series_key]
    out = np.zeros(len(mid), dtype=np.int64)
    out[kept_apart] = ids[inverse.ravel()]
    return out


def _never_twice(values: Any, key: Any, field: Any) -> None:
    """The planner leaves one value per metric, series, period and field; accepting near
    matches may make two of the file's names one, which is refused, not written over."""
    import numpy as np

    both = key * 3
    both += field
    ordered = np.sort(both)  # sorted, a twice-used key sits beside itself (no hash table)
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return
    twice = both == ordered[int(np.flatnonzero(same)[0])]
    item = values[int(np.flatnonzero(twice)[1])]
    raise StatDeskError(
        f"Two values of the file land on '{item.metric}' for one period (row {item.row}).",
        "Accepting the near matches made two of the file's names one; leave them apart, or "
        "combine the rows.",
    )


def _existing(w: _Writer, owners: Any, periods: list[Any]) -> dict[tuple[str, int, int], Any]:
    """The rows the file holds already for these metrics and series, by (table, owner, the
    period's number in the plan)."""
    index = {(p.start, p.frequency): n for n, p in enumerate(periods)}
    ids = [int(o) for o in owners.tolist() if o > 0]
    found: dict[tuple[str, int, int], Any] = {}
    if not ids:
        return found
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        queries: list[tuple[str, Any]] = [
            ("metric_value", select(m.MetricValue).where(m.MetricValue.metric_id.in_(chunk))),
            ("target", select(m.Target).where(m.Target.metric_id.in_(chunk))),
            ("series_value", select(m.SeriesValue).where(m.SeriesValue.series_id.in_(chunk))),
        ]
        for name, query in queries:
            for row in w.s.scalars(query):
                period = index.get((row.period_start, row.frequency))
                if period is not None:
                    who = row.series_id if name == "series_value" else row.metric_id
                    found[(name, who, period)] = row
    return found


def _replace(
    w: _Writer, table: str, row: Any, column: str, value: Any, note: Any, replace: bool
) -> None:
    if not replace:
        w.kept += 1
        return
    after: dict[str, Any] = {column: value}
    if note:
        after["note"] = note
    if all(getattr(row, k) == val for k, val in after.items()):
        w.same += 1
        return
    w.replaced.append(
        {
            "table": table,
            "id": row.id,
            "fields": {
                column: getattr(row, column),
                "note": row.note,
                "import_batch_id": row.import_batch_id,
            },
        }
    )
    for name, new in {**after, "import_batch_id": w.batch.id}.items():
        setattr(row, name, new)
    w.changed[table] += 1


def _insert(
    w: _Writer, values: Any, fresh: Any, key: Any, table: Any, owner: Any, field: Any
) -> None:
    """The new rows, a batch at a time: one row per key, its value, target and forecast."""
    periods = values.periods.items
    numbers = values.column("value")
    notes = values.column("note")
    period = values.column("period")
    batches: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLES}
    current: dict[str, Any] | None = None
    current_key = None
    total = max(1, len(fresh))
    for done, position in enumerate(_positions(fresh)):
        if done % 10_000 == 0:
            w.step(done / total)
        this = int(key[position])
        if this != current_key:
            name = _TABLES[table[position]]
            if len(batches[name]) >= BATCH:
                w.insert(_MODELS[name], name, batches[name])
                batches[name] = []
            span = periods[period[position]]
            current = {
                "series_id" if name == "series_value" else "metric_id": int(owner[position]),
                "period_start": span.start,
                "frequency": span.frequency.value,
                "import_batch_id": w.batch.id,
                "version": 1,
                "note": None,
                **_NUMBERS[name],
            }
            batches[name].append(current)
            current_key = this
        assert current is not None
        number = float(numbers[position])
        current[_COLUMN[field[position]]] = None if number != number else number
        note = values.notes.items[notes[position]]
        if note:
            current["note"] = note
    for name, rows in batches.items():
        w.insert(_MODELS[name], name, rows)


def _positions(array: Any) -> Iterator[int]:
    """The array's numbers as Python ints, 10,000 at a time: millions at once take 30 bytes
    each."""
    for start in range(0, len(array), 10_000):
        yield from array[start : start + 10_000].tolist()


_NUMBERS: dict[str, dict[str, None]] = {
    "metric_value": {"value": None},
    "target": {"target": None, "forecast": None},
    "series_value": {"value": None, "target": None, "forecast": None},
}
