"""A city's database on a PostgreSQL server as the store under a workspace.

On a server several analysts edit at once: there is no writer lock. Each write is one short
transaction (storage.transaction.one_write); its update of the one `file_state` row orders the
writes, and a record saved by someone else since it was read is caught by the record's version
and said with who and when. Whether this sign-in may write is the server's to say (its
privileges, see storage.server_roles); StatDesk asks it on opening and shows it.

A database from a newer StatDesk, or with code in it StatDesk did not make (a trigger, a
function, a view, a rule, a row-level policy; an extension's functions aside), is opened
read-only with sentences like a file's; an older one is upgraded in one transaction (the
server's DDL is transactional: a failed upgrade leaves it as it was).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from statdesk import paths
from statdesk.domain.errors import FileProblem, StatDeskError
from statdesk.domain.locations import ServerAddress
from statdesk.storage.health import newer_sentence
from statdesk.storage.lock import LockInfo, WriterLock
from statdesk.storage.schema import (
    HEAD_REVISION,
    SchemaObject,
    is_newer_revision,
    known_revisions,
    migrate,
    revision_of,
)
from statdesk.storage.server_connection import (
    explain_connect_failure,
    keyring_password,
    open_server_engine,
)
from statdesk.storage.server_errors import explain_server_error
from statdesk.storage.server_listen import Listener, RemoteChange, announce, new_sender
from statdesk.storage.server_roles import POLICIES, SignedIn, signed_in

log = logging.getLogger(__name__)

# What StatDesk itself makes in a server's schema: the row-level security policies of its
# roles (storage.server_roles). Any other trigger, function, view, rule or policy is code
# someone else put there: it could change what a save does, or hide rows from the figures.
OWN = {"policy": frozenset(POLICIES)}

FOREIGN_CODE_SQL = """
SELECT 'trigger', t.tgname, c.relname FROM pg_trigger t
  JOIN pg_class c ON c.oid = t.tgrelid
 WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
UNION ALL
SELECT 'view', viewname, viewname FROM pg_views WHERE schemaname = current_schema()
UNION ALL
SELECT 'function', p.proname, '' FROM pg_proc p
 WHERE p.pronamespace = current_schema()::regnamespace
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'rule', r.rulename, r.tablename FROM pg_rules r WHERE r.schemaname = current_schema()
UNION ALL
SELECT 'policy', p.policyname, p.tablename FROM pg_policies p
 WHERE p.schemaname = current_schema()
ORDER BY 1, 2
"""


def backups_folder() -> Path:
    """Where snapshots of a server's city are kept on this computer."""
    return paths.user_data_dir() / "backups"


def foreign_code(conn: Connection) -> list[SchemaObject]:
    """Triggers, views, functions, rules and policies in the city's schema that StatDesk did
    not make."""
    return [
        SchemaObject(str(kind), str(name), str(table))
        for kind, name, table in conn.execute(text(FOREIGN_CODE_SQL))
        if name not in OWN.get(str(kind), ())
    ]


def may_write(conn: Connection) -> bool:
    """Whether this sign-in may change anything at all (a viewer may not)."""
    return bool(
        conn.execute(
            text(
                "SELECT has_table_privilege('metric_value', 'INSERT') "
                "OR has_table_privilege('person', 'UPDATE')"
            )
        ).scalar()
    )


def _written_with(conn: Connection) -> str:
    """The version of the StatDesk that last wrote the city (read past the models: a newer
    StatDesk's table may have other columns)."""
    row = conn.execute(text("SELECT written_with FROM file_state")).first()
    return str(row[0]) if row and row[0] else ""


class ServerStore:
    """One open city on a server: its engine, and whether this sign-in may write and why not."""

    lock: WriterLock | None = None  # a server orders its writers itself
    lock_holder: LockInfo | None = None
    damaged = False
    check_pending = False
    takeover_event: str | None = None
    path: Path | None = None  # not a file

    def __init__(
        self,
        address: ServerAddress,
        engine: Engine,
        *,
        user: str,
        read_only: bool,
        reason: str = "",
        foreign: list[SchemaObject] | None = None,
    ) -> None:
        self.address = address
        self.engine = engine
        self.user = user
        self.read_only = read_only
        self.read_only_reason = reason
        self.foreign_code = foreign or []
        self.notice = ""
        self.sender = new_sender()
        self.signed_in = SignedIn(user, "")
        self._listeners: list[Listener] = []

    @property
    def location(self) -> ServerAddress:
        return self.address

    @property
    def signed_in_as(self) -> str:
        return f"{self.signed_in.user}, {self.signed_in.describe()}"

    @classmethod
    def open(cls, address: ServerAddress, *, user: str, read_only: bool = False) -> ServerStore:
        """Connect, check the schema and the code in it, upgrade an older one; read-only when
        asked, when the sign-in may only read, when the schema is newer or unknown, or when
        someone else's code is in it."""
        asked_read_only = read_only
        engine = open_server_engine(address, read_only=read_only)
        try:
            with engine.connect() as conn:
                revision = revision_of(conn)
                written_with = _written_with(conn) if revision is not None else ""
                foreign = foreign_code(conn)
                writer = revision is not None and may_write(conn)
                who = signed_in(conn)
        except DBAPIError as error:
            engine.dispose()
            raise explain_connect_failure(address, error) from error
        name = address.title
        user = who.user or user
        reason = "Opened read-only." if read_only else ""
        if revision is None:
            engine.dispose()
            raise FileProblem(
                f"The database {name} holds no StatDesk city.",
                f'Move a city into it: statdesk move FILE "{address.shown}".',
            )
        if revision not in known_revisions():
            newer = is_newer_revision(revision)
            read_only = True
            reason = (
                newer_sentence(name, written_with)
                if newer
                else f"{name} is at schema revision {revision}, which this StatDesk does not "
                "know; it is open read-only. Edit it with the StatDesk that saved it."
            )
        elif foreign:
            read_only = True
            listed = ", ".join(str(o) for o in foreign[:5])
            reason = (
                f"{name} holds code StatDesk did not make ({listed}), which would run on every "
                "save; it is open read-only, so nothing runs. Ask the server's administrator "
                f'to remove it (statdesk check "{address.shown}" lists it).'
            )
        elif not writer and not read_only:
            read_only = True
            reason = (
                f"You are signed in to {name} as {user}, who may read this city but not "
                "change it (a viewer). Ask an analyst for more rights."
            )
            who = SignedIn(who.user, "viewer")
        elif revision != HEAD_REVISION:
            if read_only:
                engine.dispose()
                raise FileProblem(
                    f"{name} was made by an older StatDesk and needs upgrading first.",
                    "Ask the analyst who owns its database to open it for editing once, "
                    "which upgrades it in one transaction.",
                )
            try:
                migrate(engine)
            except DBAPIError as error:
                engine.dispose()
                raise FileProblem(
                    f"{name} was made by an older StatDesk and could not be upgraded: "
                    f"{explain_server_error(name, error, writing=True).message}",
                    "Ask the analyst who owns its database to open it for editing once.",
                ) from error
        if read_only and not asked_read_only:  # it was opened to write: reopen it to read only
            engine.dispose()
            engine = open_server_engine(address, read_only=True)
        store = cls(
            address,
            engine,
            user=user,
            read_only=read_only,
            reason=reason,
            foreign=foreign,
        )
        store.signed_in = who
        return store

    # ----------------------------------------------------------------- what a file has

    def on_new_engine(self, rebind: Callable[[Engine], None]) -> None:
        """A server's engine is never swapped (no lock to take over)."""

    def verify_writer(self) -> None:
        """Nothing to check: the server orders its writers itself."""

    def stop_writing(self, reason: str) -> None:
        self.read_only, self.read_only_reason = True, reason

    def backup(self, reason: str = "manual") -> Path:
        """A snapshot of the city in a .statdesk file in this computer's backups folder."""
        from statdesk.storage.snapshot import snapshot_to_folder

        try:
            with self.engine.connect() as source:
                return snapshot_to_folder(source, self.address, backups_folder(), reason)
        except DBAPIError as error:
            raise self.explain(error, writing=False) from error

    def check_now(self) -> list[str]:
        return []

    def announce(self, session: Session, revision: int, kinds: set[str], summary: str) -> None:
        announce(session, self.sender, revision, self.user, kinds, summary)

    def watch(self, heard: Callable[[RemoteChange], None]) -> bool:
        """Listen for the other editors' saves (LISTEN/NOTIFY) until the store closes."""
        password = self.address.password or keyring_password(self.address)
        self._listeners.append(Listener(self.address, password, self.sender, heard))
        return True

    def explain(self, error: DBAPIError, *, writing: bool) -> StatDeskError:
        return explain_server_error(self.address.title, error, writing=writing)

    def lock_is_free(self) -> bool:
        return False

    def lock_is_stale(self) -> bool:
        return False

    def start_editing(self) -> bool:
        return False

    def take_over(self) -> str:
        raise StatDeskError(
            "A city on a server has no lock to take over.",
            "Several analysts may edit it at once.",
        )

    def close(self) -> None:
        for listener in self._listeners:
            listener.stop()
        self.engine.dispose()
