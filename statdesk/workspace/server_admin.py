"""Setting up who may do what in a city on a server (statdesk server init / grant): the
statements of storage.server_roles run in one transaction by the database's owner, or printed
for an administrator to run."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from statdesk.domain.errors import ReadOnly
from statdesk.domain.locations import ServerAddress
from statdesk.storage.server_connection import connected
from statdesk.storage.server_errors import INSUFFICIENT_PRIVILEGE, explain_server_error, sqlstate
from statdesk.storage.server_roles import grant_statements, init_statements
from statdesk.storage.views.roster import find_department


def department_id(address: ServerAddress, department: str) -> int:
    """A department of the city by its id or its name."""
    try:
        with connected(address, read_only=True) as conn:
            return find_department(conn, department)
    except DBAPIError as error:
        raise explain_server_error(address.title, error, writing=False) from error


def run_statements(address: ServerAddress, statements: list[str]) -> None:
    """Run `statements` in one transaction; a refusal for want of rights says what to do."""
    try:
        with connected(address, read_only=False) as conn, conn.begin():
            for statement in statements:
                conn.execute(text(statement))
    except DBAPIError as error:
        if sqlstate(error) == INSUFFICIENT_PRIVILEGE:
            said = getattr(getattr(error.orig, "diag", None), "message_primary", "") or ""
            raise ReadOnly(
                f"{address.user or 'This sign-in'} may not set up roles on {address.title} "
                f"({said}).",
                "Sign in as the database's owner with the right to create roles, or give the "
                "server's administrator the SQL that --sql prints.",
            ) from error
        raise explain_server_error(address.title, error, writing=True) from error


def init_roles(address: ServerAddress) -> list[str]:
    statements = init_statements(address.database)
    run_statements(address, statements)
    return statements


def grant(address: ServerAddress, login: str, role: str, department: str | None) -> list[str]:
    chosen = department_id(address, department) if department is not None else None
    statements = grant_statements(address.database, login, role, chosen)
    run_statements(address, statements)
    return statements
