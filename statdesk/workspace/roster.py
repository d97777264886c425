"""The team (`ws.roster`): people with their roles, departments, budget portfolios and who's
who, and the edits that keep a person's roles or a portfolio's departments whole."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from statdesk.domain.vocabulary import Role
from statdesk.storage import models as m
from statdesk.storage.changes import Changes, plain
from statdesk.storage.edits import roster as roster_edits
from statdesk.storage.views import roster as roster_view
from statdesk.workspace.recovery import edit_note

if TYPE_CHECKING:
    from statdesk.workspace.core import Workspace


class Roster:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    def people_rows(self) -> list[roster_view.PersonRow]:
        return self.ws._for_revision("people", roster_view.people_rows)

    def department_rows(self) -> list[roster_view.DepartmentRow]:
        return self.ws._for_revision("departments", roster_view.department_rows)

    def find_department(self, id_or_name: str) -> int:
        """A department's id from its id, name or short name, as a user gives it."""
        with self.ws._reading() as session:
            return roster_view.find_department(session, id_or_name)

    def whos_who(self) -> list[roster_view.WhosWho]:
        return self.ws._for_revision("whos_who", roster_view.whos_who)

    def roles_of(self, person_id: int) -> list[tuple[Role, int | None]]:
        with self.ws._reading() as session:
            return roster_edits.roles_of(session, person_id)

    def person_references(self, person_id: int) -> dict[str, int]:
        with self.ws._reading() as session:
            return roster_edits.person_references(session, person_id)

    def portfolio_rows(self) -> list[roster_view.PortfolioRow]:
        return self.ws._for_revision("portfolios", roster_view.portfolio_rows)

    def portfolio_departments(self, portfolio_id: int) -> list[int]:
        with self.ws._reading() as session:
            return roster_edits.portfolio_departments(session, portfolio_id)

    def save_person(
        self,
        person_id: int | None,
        fields: Mapping[str, Any],
        roles: Iterable[tuple[Role, int | None]],
        *,
        expected_version: int | None = None,
    ) -> Changes:
        """Create (`person_id` None) or change a person and set exactly these roles."""
        roles = list(roles)
        edit = {
            **edit_note("save person", m.Person, person_id, fields),
            "roles": [[plain(r), d] for r, d in roles],
        }
        return self.ws._write(
            lambda s: roster_edits.save_person(s, person_id, fields, roles, expected_version),
            recovery=edit,
        )[1]

    def merge_departments(self, source_id: int, into_id: int) -> Changes:
        """Move the people, roles, datasets, metrics, meetings, action items and portfolio
        links of one department to another, then delete the first."""
        names: list[str] = []

        def action(session: Session) -> None:
            names.extend(roster_edits.merge_departments(session, source_id, into_id))

        def summary() -> str:
            return f"Merged department '{names[0]}' into '{names[1]}'"

        return self.ws._write(
            action,
            event_summary=summary,
            recovery={"operation": "merge departments", "from": source_id, "into": into_id},
        )[1]

    def save_portfolio(
        self,
        portfolio_id: int | None,
        name: str,
        analyst_id: int | None,
        department_ids: Iterable[int],
    ) -> Changes:
        departments = list(department_ids)
        return self.ws._write(
            lambda s: roster_edits.save_portfolio(s, portfolio_id, name, analyst_id, departments),
            event_summary=f"Set the departments of the budget portfolio '{name}'",
            recovery={
                "operation": "save portfolio",
                "record_id": portfolio_id,
                "name": name,
                "analyst_id": analyst_id,
                "departments": departments,
            },
        )[1]
