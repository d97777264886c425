"""Copy a whole city from one store to another, row for row: a file onto a server (statdesk
move), a server into a file (a snapshot, a backup), in the target's one transaction.

Every table of the models is copied with its ids and versions, the change log included, so a
round trip gives back the same records. What a server would refuse and a file holds (a text
longer than its column allows, a NUL character, which PostgreSQL's text cannot hold) is found
before anything is written and named row by row. References that point forward (a metric to
its KPI, a follow-up item to the agenda item it came from) are set after every row is in, for a
server checks each reference as it is written. A server's id sequences are set past the
highest id copied; the counts are read back and compared before the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    String,
    Table,
    bindparam,
    func,
    or_,
    select,
    text,
    update,
)

from statdesk.domain.errors import FileProblem
from statdesk.domain.numbers import counted
from statdesk.storage import models as m
from statdesk.storage.schema import HEAD_REVISION, revision_of

CHUNK = 5000
SHOWN_PROBLEMS = 10


@dataclass(frozen=True)
class CopyProblem:
    table: str
    row_id: object
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.table} #{self.row_id}, {self.column}: {self.reason}"


class CannotCopy(FileProblem):
    """The city cannot be copied as it is; nothing was written."""


def tables() -> list[Table]:
    """Every table of the models, parents before children."""
    return list(m.Base.metadata.sorted_tables)


def counts(conn: Connection) -> dict[str, int]:
    return {
        table.name: int(conn.scalar(select(func.count()).select_from(table)) or 0)
        for table in tables()
    }


def check_revisions(source: Connection, target: Connection) -> None:
    """Both sides at this StatDesk's schema: an older file is upgraded by opening it first."""
    if revision_of(source) is None:
        raise CannotCopy(
            "There is no StatDesk city to copy: the source holds none.",
            "Check the address or the file's name.",
        )
    for side, conn in (("source", source), ("target", target)):
        revision = revision_of(conn)
        if revision != HEAD_REVISION:
            raise CannotCopy(
                f"The {side} is at schema revision {revision or 'none'}, this StatDesk's is "
                f"{HEAD_REVISION}.",
                "Open it in this StatDesk once (which upgrades it), then copy it again.",
            )


def problems_for(source: Connection, target: Connection) -> list[CopyProblem]:
    """What in a file (`source`) the server (`target`) would refuse: only a server limits a
    text's length and refuses NUL characters. Empty when everything can be copied as it is."""
    if target.dialect.name == "sqlite" or source.dialect.name != "sqlite":
        return []
    found: list[CopyProblem] = []
    for table in tables():
        key = table.c.id if "id" in table.c else next(iter(table.primary_key))
        for column in table.columns:
            if isinstance(column.type, String):  # TEXT and VARCHAR(n); enums are decorators
                found += _long_or_nul(source, key, column, column.type.length)
    return found


def _long_or_nul(
    source: Connection, key: Column[Any], column: Column[Any], length: int | None
) -> list[CopyProblem]:
    nul = func.instr(column, "\x00")
    conditions = [nul > 0]
    if length:
        conditions.append(func.length(column) > length)
    rows = source.execute(select(key, func.length(column), nul).where(or_(*conditions)))
    found = []
    for row_id, size, has_nul in rows:
        reason = (
            "holds a NUL character, which a server cannot keep"
            if has_nul
            else f"is {size:,} characters long; the server keeps at most {length:,}"
        )
        found.append(CopyProblem(column.table.name, row_id, column.name, reason))
    return found


def copy_city(source: Connection, target: Connection) -> dict[str, int]:
    """Copy every row of `source` into `target`'s empty tables, inside the caller's
    transaction on `target`. Returns the rows copied per table; raises CannotCopy (and the
    caller rolls back) when a count read back differs."""
    check_revisions(source, target)
    problems = problems_for(source, target)
    if problems:
        shown = "; ".join(str(p) for p in problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        raise CannotCopy(
            f"{counted(len(problems), 'value')} cannot be kept on the server: {shown}"
            + (f"; and {more} more" if more > 0 else "")
            + ". Nothing was copied.",
            "Shorten or correct them in the file (or undo the import that brought them), "
            "then move it again.",
        )
    held = counts(target)
    if any(held.values()):
        what = "a city" if held["city"] else counted(sum(held.values()), "record")
        raise CannotCopy(
            f"The target already holds {what}; StatDesk copies a city only into an empty "
            "database, so nothing was copied.",
            "Give a new, empty database (or a new file).",
        )
    order = tables()
    later: dict[str, list[str]] = {}
    for position, table in enumerate(order):
        after = {t.name for t in order[position:]}
        later[table.name] = [
            fk.parent.name for fk in table.foreign_keys if fk.column.table.name in after
        ]
    for table in order:
        _insert_rows(source, target, table, later[table.name])
    for table in order:
        if later[table.name]:
            _set_forward_references(source, target, table, later[table.name])
    if target.dialect.name == "postgresql":
        _reset_sequences(target)
    copied = counts(target)
    expected = counts(source)
    if copied != expected:
        differ = ", ".join(
            f"{name} {copied[name]:,} of {expected[name]:,}"
            for name in expected
            if copied[name] != expected[name]
        )
        raise CannotCopy(
            f"The copy does not hold what the source holds ({differ}); nothing was kept.",
            "Try again; if it happens again, send the file to StatDesk support.",
        )
    return copied


def _chunks(source: Connection, table: Table) -> Iterator[list[dict[str, object]]]:
    order = [table.c.id] if "id" in table.c else list(table.primary_key)
    result = source.execution_options(yield_per=CHUNK).execute(select(table).order_by(*order))
    for partition in result.mappings().partitions(CHUNK):
        yield [dict(row) for row in partition]


def _insert_rows(source: Connection, target: Connection, table: Table, late: list[str]) -> None:
    for rows in _chunks(source, table):
        if late:
            rows = [{**row, **dict.fromkeys(late)} for row in rows]
        target.execute(table.insert(), rows)


def _set_forward_references(
    source: Connection, target: Connection, table: Table, late: list[str]
) -> None:
    wanted = [table.c[name] for name in late]
    rows = source.execute(
        select(table.c.id, *wanted).where(or_(*(column.is_not(None) for column in wanted)))
    ).all()
    if not rows:
        return
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({name: bindparam(f"new_{name}") for name in late})
    )
    params = [
        {"row_id": row[0], **{f"new_{name}": row[i + 1] for i, name in enumerate(late)}}
        for row in rows
    ]
    # A plain UPDATE: the ORM's version counter is not bumped, the rows stay as they were.
    target.execute(statement, params)


def _reset_sequences(target: Connection) -> None:
    """Each id sequence set past the highest id copied, so the next record gets a new id."""
    for table in tables():
        if table.autoincrement_column is None:
            continue
        target.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
            ),
            {"table": table.name},
        )
