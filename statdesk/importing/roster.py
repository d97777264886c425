"""A roster sheet (one person per row, or a column of people per role, "Name - Title" in one
cell) read into people with their departments and roles."""

from __future__ import annotations

from typing import Any

from statdesk.domain.validation import is_email
from statdesk.domain.vocabulary import Role
from statdesk.importing import coerce
from statdesk.importing.cells import Cells, column_of, rows_of
from statdesk.importing.coerce import is_blank
from statdesk.importing.plan import ImportPlan
from statdesk.importing.progress import Progress
from statdesk.importing.shape import Table


def build(plan: ImportPlan, table: Table, fy_start: int, progress: Progress | None) -> None:
    cells = Cells(table, plan.mapping)
    m = plan.mapping
    if not any(f in ("name", "name_title") or f.startswith("role:") for f in m.values()):
        plan.missing_fields.append("Name (or a column of people per role)")
        return
    people: dict[str, dict[str, Any]] = {}
    role_columns = [(c, Role(f.split(":", 1)[1])) for c, f in m.items() if f.startswith("role:")]

    def person(raw_name: str, title: str, row: int) -> dict[str, Any]:
        key = raw_name.casefold()
        entry = people.setdefault(
            key,
            {
                "name": raw_name,
                "title": "",
                "email": None,
                "phone": None,
                "department": None,
                "roles": [],
                "row": row,
            },
        )
        if title and not entry["title"]:
            entry["title"] = title
        plan.landed.add(row)  # a person, new or seen on an earlier row
        return entry

    for row, number in rows_of(table, progress):
        department = coerce.name(cells(row, "department")) or None
        if department:
            plan.departments.add(department)
            plan.landed.add(number)
        name_cell = cells(row, "name_title") or cells(row, "name")
        if not is_blank(name_cell):
            name, title = coerce.split_name_title(name_cell)
            title = coerce.name(cells(row, "title")) or title
            entry = person(name, title, number)
            entry["department"] = entry["department"] or department
            email = coerce.name(cells(row, "email"))
            if email and not is_email(email):
                plan.problem(
                    number,
                    column_of(m, "email"),
                    f"'{email}' is not an email address.",
                    "the email is left out",
                )
            elif email:
                entry["email"] = email
            entry["phone"] = coerce.name(cells(row, "phone")) or entry["phone"]
            role_text = coerce.name(cells(row, "role"))
            if role_text:
                try:
                    entry["roles"].append((Role.from_text(role_text).value, department))
                except ValueError as error:
                    plan.problem(
                        number, column_of(m, "role"), str(error), "no role is given to this person"
                    )
        for column, role in role_columns:
            cell = row[table.columns.index(column)]
            if is_blank(cell):
                continue
            name, title = coerce.split_name_title(cell)
            entry = person(name, title, number)
            scope = (
                None if role in (Role.PRINCIPAL, Role.STAT_LEAD, Role.STAT_ANALYST) else department
            )
            entry["roles"].append((role.value, scope))
    for entry in people.values():
        entry["roles"] = list(dict.fromkeys(entry["roles"]))
    plan.people = list(people.values())
