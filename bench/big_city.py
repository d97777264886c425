"""A city far bigger than any real one, for benchmarks: 10,000 datasets and 5,000 people."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from statdesk.domain.vocabulary import AccessLevel, DatasetStatus, Role, UpdateFrequency
from statdesk.storage import models as m
from statdesk.workspace import Workspace

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


def build(path: Path) -> Path:
    if not path.exists():
        Workspace.new(path, city_name="Big City", content=fill).close()
    return path
