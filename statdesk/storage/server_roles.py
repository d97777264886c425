"""Who may do what in a city on a server, kept in PostgreSQL's own roles (so the city's IT can
manage them with the tools it knows), made by `statdesk server init URL`:

- `<database>_analyst`: reads and changes everything;
- `<database>_contributor`: reads everything, and enters and changes the values (and their
  notes) of the metrics of their own department only; removing a value is an analyst's.
  Row-level security on `metric_value` enforces it: a contributor's department is the group
  role `<database>_dept_<department id>` they are a member of (`statdesk server grant`);
- `<database>_viewer`: reads everything, changes nothing.

A person signs in as a login role that is a member of one of these. The owner of the database
(who ran `statdesk move`) is an analyst. `init_statements` and `grant_statements` are plain SQL,
printed by `--sql` for an administrator who prefers to run it themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

ROLES = ("analyst", "contributor", "viewer")

# A value's metric never changes: a contributor's changed value is checked against the
# department of the metric it already belongs to (see the policies in `init_statements`).
VALUE_COLUMNS = "period_start, frequency, value, note, import_batch_id, version"

# What a contributor may write besides the values: the change log and the city's revision.
CONTRIBUTOR_WRITES = (
    # No DELETE: a policy would skip another department's rows in silence, where a missing
    # privilege is an error the contributor is told of.
    "REVOKE DELETE ON metric_value FROM {contributor}",
    "GRANT INSERT ON metric_value TO {contributor}",
    f"GRANT UPDATE ({VALUE_COLUMNS}) ON metric_value TO {{contributor}}",
    "GRANT INSERT ON change_log TO {contributor}",
    "GRANT UPDATE (revision, written_with, written_at) ON file_state TO {contributor}",
    "GRANT USAGE ON SEQUENCE metric_value_id_seq, change_log_id_seq TO {contributor}",
)

# Whose department a value's metric is in, as the contributor's group roles say.
IN_MY_DEPARTMENT = (
    "EXISTS (SELECT 1 FROM metric m JOIN pg_roles r "
    "ON r.rolname = current_database() || '_dept_' || m.department_id "
    "WHERE m.id = metric_value.metric_id AND pg_has_role(current_user, r.oid, 'MEMBER'))"
)


POLICIES = (
    "statdesk_read",
    "statdesk_analyst",
    "statdesk_contributor_add",
    "statdesk_contributor_change",
    "statdesk_contributor_remove",  # made by the first `init`; dropped by a later one
)


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def role_name(database: str, role: str) -> str:
    """The group role of `role` in the city's database (PostgreSQL names are 63 bytes)."""
    return f"{database}_{role}"[:63]


def department_role(database: str, department_id: int) -> str:
    return f"{database}_dept_{department_id}"[:63]


def init_statements(database: str) -> list[str]:
    """The SQL that makes the three roles of the city in `database` and what each may do."""
    analyst, contributor, viewer = (quoted(role_name(database, r)) for r in ROLES)
    statements = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{name}') "
        f"THEN CREATE ROLE {quoted(name)} NOLOGIN; END IF; END $$"
        for name in (role_name(database, r) for r in ROLES)
    ]
    statements += [
        f"GRANT CONNECT ON DATABASE {quoted(database)} TO {analyst}, {contributor}, {viewer}",
        f"GRANT USAGE ON SCHEMA public TO {analyst}, {contributor}, {viewer}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {analyst}, {contributor}, {viewer}",
        f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {analyst}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {analyst}",
        *(s.format(contributor=contributor) for s in CONTRIBUTOR_WRITES),
        # Tables a later StatDesk's migration makes get the same grants.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {analyst}, "
        f"{contributor}, {viewer}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT INSERT, UPDATE, DELETE ON TABLES "
        f"TO {analyst}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES "
        f"TO {analyst}",
        "ALTER TABLE metric_value ENABLE ROW LEVEL SECURITY",
        *(f"DROP POLICY IF EXISTS {name} ON metric_value" for name in POLICIES),
        "CREATE POLICY statdesk_read ON metric_value FOR SELECT USING (true)",
        f"CREATE POLICY statdesk_analyst ON metric_value FOR ALL TO {analyst} "
        "USING (true) WITH CHECK (true)",
        # A value of another department is refused with an error (the server's "new row
        # violates row-level security"), not skipped in silence: an update is checked on the
        # row it makes, whose metric cannot change.
        f"CREATE POLICY statdesk_contributor_add ON metric_value FOR INSERT TO {contributor} "
        f"WITH CHECK ({IN_MY_DEPARTMENT})",
        f"CREATE POLICY statdesk_contributor_change ON metric_value FOR UPDATE TO "
        f"{contributor} USING (true) WITH CHECK ({IN_MY_DEPARTMENT})",
    ]
    return statements


def grant_statements(
    database: str, login: str, role: str, department_id: int | None = None
) -> list[str]:
    """Make `login` (an existing login role) an analyst, contributor (of `department_id`) or
    viewer of the city."""
    if role not in ROLES:
        raise ValueError(role)
    statements = [f"GRANT {quoted(role_name(database, role))} TO {quoted(login)}"]
    if role == "contributor" and department_id is not None:
        group = department_role(database, department_id)
        statements = [
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') "
            f"THEN CREATE ROLE {quoted(group)} NOLOGIN; END IF; END $$",
            f"GRANT {quoted(group)} TO {quoted(login)}",
            *statements,
        ]
    return statements


@dataclass(frozen=True)
class SignedIn:
    """Who this connection is and what they may do in the city."""

    user: str
    role: str  # "owner", "analyst", "contributor" or "viewer"; "" when none of them
    departments: tuple[int, ...] = ()  # a contributor's

    def describe(self) -> str:
        if self.role == "contributor":
            return "contributor (enters the values of their department's metrics)"
        return {"owner": "analyst (owns the city's database)", "": "signed in"}.get(
            self.role, self.role
        )


def signed_in(conn: Connection) -> SignedIn:
    """What the signed-in user may do, from the server's roles and privileges."""
    row = conn.execute(
        text(
            "SELECT session_user, current_database(), "
            "pg_catalog.pg_get_userbyid(d.datdba) = session_user OR r.rolsuper "
            "FROM pg_database d, pg_roles r "
            "WHERE d.datname = current_database() AND r.rolname = session_user"
        )
    ).one()
    user, database, owner = str(row[0]), str(row[1]), bool(row[2])
    if owner:
        return SignedIn(user, "owner")
    member = {
        role
        for role in ROLES
        if conn.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :name "
                "AND pg_has_role(session_user, oid, 'MEMBER'))"
            ),
            {"name": role_name(database, role)},
        ).scalar()
    }
    role = next((r for r in ROLES if r in member), "")
    departments: tuple[int, ...] = ()
    if role == "contributor":
        prefix = f"{database}_dept_"
        names = conn.execute(
            text(
                "SELECT rolname FROM pg_roles WHERE starts_with(rolname, :prefix) "
                "AND pg_has_role(session_user, oid, 'MEMBER')"
            ),
            {"prefix": prefix},
        ).scalars()
        departments = tuple(
            sorted(int(n[len(prefix) :]) for n in names if n[len(prefix) :].isdigit())
        )
    return SignedIn(user, role, departments)
