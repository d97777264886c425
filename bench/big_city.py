"""A city far bigger than any real one, for benchmarks: 10,000 datasets, 5,000 people, 500
metrics with 120 months of values and targets each, and a change log of 110,000 lines (years of
edits), about 50 MB in all."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from statdesk.domain.vocabulary import (
    AccessLevel,
    DatasetStatus,
    Frequency,
    Role,
    UpdateFrequency,
)
from statdesk.storage import models as m
from statdesk.workspace import Workspace
from statdesk.workspace.file_ops import create_file

DEPARTMENTS = 40


def fill(session: Session, datasets: int = 10_000, people: int = 5_000) -> None:
    rng = random.Random(7)
    session.execute(
        insert(m.Department),
        [
            {"id": i, "name": f"Department {i:02d}", "active": True, "version": 1}
            for i in range(1, DEPARTMENTS + 1)
        ],
    )
    session.execute(
        insert(m.Person),
        [
            {
                "id": i,
                "name": f"Person {i:05d}",
                "title": rng.choice(["Analyst", "Manager", "Clerk"]),
                "department_id": rng.randint(1, DEPARTMENTS),
                "email": f"p{i}@big.example",
                "active": rng.random() > 0.05,
                "version": 1,
            }
            for i in range(1, people + 1)
        ],
    )
    roles = list(Role)
    session.execute(
        insert(m.RoleAssignment),
        [
            {
                "person_id": i,
                "role": rng.choice(roles).value,
                "department_id": rng.randint(1, DEPARTMENTS),
                "version": 1,
            }
            for i in range(1, people + 1)
        ],
    )
    today = date.today()
    session.execute(
        insert(m.Dataset),
        [
            {
                "title": f"Dataset {i:05d} {rng.choice(['permits', 'calls', 'cases', 'crews'])}",
                "department_id": rng.randint(1, DEPARTMENTS),
                "contact_id": rng.randint(1, people) if rng.random() > 0.1 else None,
                "update_frequency": rng.choice(list(UpdateFrequency)).value,
                "last_updated": today - timedelta(days=rng.randint(0, 400)),
                "access_level": rng.choice(list(AccessLevel)).value,
                "status": rng.choice(list(DatasetStatus)).value,
                "score_value": rng.randint(1, 5),
                "score_risk": rng.randint(1, 5),
                "keywords": "big; bench",
                "version": 1,
            }
            for i in range(1, datasets + 1)
        ],
    )


def fill_metrics(session: Session, metrics: int = 500, months: int = 120) -> None:
    rng = random.Random(11)
    session.execute(
        insert(m.Metric),
        [
            {
                "id": i,
                "name": f"Measure {i:03d}",
                "department_id": i % DEPARTMENTS + 1,
                "is_kpi": i <= 40,
                "frequency": Frequency.MONTHLY.value,
                "version": 1,
            }
            for i in range(1, metrics + 1)
        ],
    )
    first = date.today().replace(day=1)
    periods = []
    for back in range(months, 0, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        periods.append(date(year, month + 1, 1))
    for table, column in ((m.MetricValue, "value"), (m.Target, "target")):
        session.execute(
            insert(table),
            [
                {
                    "metric_id": i,
                    "period_start": start,
                    "frequency": Frequency.MONTHLY.value,
                    column: round(rng.uniform(10, 500), 1),
                }
                for i in range(1, metrics + 1)
                for start in periods
            ],
        )


def fill_history(session: Session, lines: int = 110_000) -> None:
    """Years of edits: what a file's change log grows to."""
    rng = random.Random(13)
    moment = datetime(2020, 1, 1, tzinfo=UTC)
    batch = []
    for number in range(lines):
        moment += timedelta(minutes=rng.randint(1, 30))
        batch.append(
            {
                "at": moment,
                "user": "analyst",
                "action": "changed",
                "record_kind": "dataset",
                "record_id": rng.randint(1, 10_000),
                "summary": f"Changed dataset {number % 10_000:05d}: description, notes",
                "details_json": json.dumps(
                    {"description": ["x" * rng.randint(40, 120), "y" * rng.randint(40, 120)]}
                ),
            }
        )
        if len(batch) == 10_000:
            session.execute(insert(m.ChangeLogEntry), batch)
            batch = []
    if batch:
        session.execute(insert(m.ChangeLogEntry), batch)


def fill_all(session: Session) -> None:
    fill(session)
    fill_metrics(session)
    fill_history(session)


def build(path: Path) -> Path:
    """The big city at `path`: made once, and brought to this StatDesk's schema when an older
    one made it (opening it for editing upgrades it)."""
    if not path.exists():
        create_file(path, city_name="Big City", content=fill_all).close()
    else:
        Workspace.open(path, daily_backup=False).close()
    return path
