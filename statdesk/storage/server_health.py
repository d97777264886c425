"""`statdesk check URL`: is the city's database on a server as StatDesk made it?

It checks what a file's check checks, in a server's terms: the schema revision is one this
StatDesk knows; the tables, columns, indexes and constraints are exactly those the migrations
make (Alembic compares them with the models); every reference between records is enforced
(a foreign key marked NOT VALID, or its triggers disabled, would let broken references in);
and no code someone else put in the schema (a trigger, a function, a view, a rule) runs
inside StatDesk's saves.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from statdesk.domain.errors import DamagedFile, FileProblem, ForeignCode, NewerSchema
from statdesk.domain.locations import ServerAddress
from statdesk.domain.numbers import counted
from statdesk.storage.models import Base
from statdesk.storage.schema import HEAD_REVISION, is_newer_revision, known_revisions, revision_of
from statdesk.storage.server_connection import connected
from statdesk.storage.server_store import foreign_code

UNENFORCED_SQL = """
SELECT c.conname FROM pg_constraint c
 WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('f', 'c', 'u', 'p')
   AND (NOT c.convalidated OR EXISTS (
        SELECT 1 FROM pg_trigger t WHERE t.tgconstraint = c.oid AND t.tgenabled = 'D'))
 ORDER BY 1
"""


def schema_differences(conn: Connection) -> list[str]:
    """How the database's tables differ from the models (empty when they are the same)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return [_describe(d) for d in compare_metadata(context, Base.metadata)]


def _describe(difference: object) -> str:
    if isinstance(difference, tuple) and difference:
        what = str(difference[0]).replace("_", " ")
        if len(difference) > 1:
            subject = difference[1]
            name = getattr(subject, "name", None) or (
                difference[3] if len(difference) > 3 else subject
            )
            return f"{what}: {name}"
        return what
    if isinstance(difference, list):  # a column's several changes
        return "; ".join(_describe(d) for d in difference)
    return str(difference)


def check_server(address: ServerAddress) -> str:
    """Check the city's database; a sentence of what was checked, or a FileProblem saying
    what is wrong and what to do."""
    with connected(address, read_only=True) as conn:
        return _check(conn, address)


def _check(conn: Connection, address: ServerAddress) -> str:
    name = address.title
    revision = revision_of(conn)
    if revision is None:
        raise FileProblem(
            f"The database {name} holds no StatDesk city.",
            f'Move a city into it: statdesk move FILE "{address.shown}".',
        )
    if revision not in known_revisions():
        if is_newer_revision(revision):
            raise NewerSchema(
                f"{name} was saved by a newer StatDesk (schema {revision}).",
                "Check it with that StatDesk.",
            )
        raise FileProblem(f"{name} is at schema revision {revision}, unknown to this StatDesk.")
    foreign = foreign_code(conn)
    if foreign:
        raise ForeignCode(
            f"{name} holds code StatDesk did not make: "
            + ", ".join(str(o) for o in foreign)
            + ". It would run inside every save.",
            "Ask the server's administrator who added it; remove it (DROP …) if nobody needs "
            "it. StatDesk opens the city read-only until then.",
        )
    if revision != HEAD_REVISION:
        return (
            f"schema {revision}, older than this StatDesk's {HEAD_REVISION}: opening it for "
            "editing upgrades it; no foreign code"
        )
    differences = schema_differences(conn)
    if differences:
        raise DamagedFile(
            f"The tables of {name} are not as StatDesk made them: "
            + "; ".join(differences[:8])
            + (f"; and {len(differences) - 8} more" if len(differences) > 8 else "")
            + ".",
            "Someone changed the schema by hand; restore the server's backup from before, or "
            "move a snapshot (statdesk backup) into a new database.",
        )
    unenforced = [str(r[0]) for r in conn.execute(text(UNENFORCED_SQL))]
    if unenforced:
        raise DamagedFile(
            f"{name} does not enforce {counted(len(unenforced), 'constraint')}: "
            + ", ".join(unenforced[:8])
            + ".",
            "Ask the server's administrator to validate them (ALTER TABLE … VALIDATE "
            "CONSTRAINT) or enable their triggers.",
        )
    tables = len(Base.metadata.tables)
    return (
        f"schema {revision}, {tables} tables as StatDesk makes them, every constraint "
        "enforced, no foreign code"
    )
