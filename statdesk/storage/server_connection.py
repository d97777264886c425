"""Connections to a city's database on a PostgreSQL server (psycopg 3).

The password is never part of what StatDesk keeps: it comes from the URL the user typed (for
that connection only), else from the system's keyring (Windows Credential Manager, the macOS
Keychain, the Secret Service), else libpq finds it itself in `~/.pgpass` (`%APPDATA%\\
postgresql\\pgpass.conf` on Windows) or a service file. libpq's options in the URL
(`sslmode=require`, `sslrootcert=…`, `service=…`, `connect_timeout=…`) are passed through.

Each connection works in UTC and says it is StatDesk (`application_name`, seen in the server's
list of sessions); a read-only store's connections start read-only transactions, so nothing
can be written through them even by mistake. Connections are checked before use (a server
restarted since is reconnected to, not reported as an error).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from statdesk import __version__
from statdesk.domain.errors import FileProblem, StatDeskError
from statdesk.domain.locations import ServerAddress

log = logging.getLogger(__name__)

KEYRING_SERVICE = "StatDesk"
CONNECT_TIMEOUT_SECONDS = 10


class ServerUnreachable(FileProblem):
    """The server cannot be reached or refused the sign-in."""

    exit_code = 3


class PasswordNeeded(ServerUnreachable):
    """The server wants a password StatDesk was not given, or did not accept the one given:
    the window asks for it (File ▸ Connect to a server…, filled in)."""


def keyring_password(address: ServerAddress) -> str | None:
    """The password the system's keyring keeps for this connection, if any (never raises: no
    keyring on this computer is the same as no password kept)."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, address.keyring_key)
    except Exception as error:  # no backend, a locked keyring, a D-Bus error
        log.info("no password from the keyring: %s", error)
        return None


def remember_password(address: ServerAddress, password: str) -> None:
    """Keep `password` in the system's keyring for this connection (File ▸ Connect's "remember"
    box); a sentence when this computer has no keyring."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, address.keyring_key, password)
    except Exception as error:
        raise StatDeskError(
            f"The password could not be kept in this computer's keyring ({error}).",
            "Put it in a pgpass file instead, or type it each time.",
        ) from error


def server_url(address: ServerAddress, password: str | None = None) -> URL:
    query: dict[str, str] = dict(address.options)
    query.setdefault("application_name", f"StatDesk {__version__}")
    query.setdefault("connect_timeout", str(CONNECT_TIMEOUT_SECONDS))
    return URL.create(
        "postgresql+psycopg",
        username=address.user or None,
        password=password or None,
        host=address.host or None,
        port=address.port if address.host else None,
        database=address.database or None,
        query=query,
    )


def open_server_engine(address: ServerAddress, *, read_only: bool) -> Engine:
    """An engine on the city's database: UTC, StatDesk's name, read-only when asked."""
    password = address.password or keyring_password(address)
    engine = create_engine(
        server_url(address, password),
        pool_pre_ping=True,  # a server restarted since, or a connection cut: reconnect
        pool_size=2,
        max_overflow=4,
        pool_recycle=1800,
        insertmanyvalues_page_size=5000,
    )

    @event.listens_for(engine, "connect")
    def _session(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
            if read_only:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        dbapi_connection.commit()

    return engine


@contextlib.contextmanager
def connected(address: ServerAddress, *, read_only: bool) -> Iterator[Connection]:
    """A connection of its own to the city's database for one piece of work (a move, a
    snapshot, a check, setting up roles), closed with its engine after the block; a sentence
    when the server cannot be reached or refuses the sign-in."""
    engine = open_server_engine(address, read_only=read_only)
    try:
        try:
            conn = engine.connect()
        except DBAPIError as error:
            raise explain_connect_failure(address, error) from error
        with conn:
            yield conn
    finally:
        engine.dispose()


def explain_connect_failure(address: ServerAddress, error: BaseException) -> ServerUnreachable:
    """What went wrong reaching the server, as a sentence with what to do."""
    text = str(getattr(error, "orig", None) or error).strip()
    lowered = text.lower()
    where = f"{address.host or 'the local server'}" + (
        f":{address.port}" if address.port != 5432 else ""
    )
    orig = getattr(error, "orig", error)
    answer = text.split("FATAL:", 1)[1].strip().splitlines()[0] if "FATAL:" in text else ""
    if getattr(getattr(orig, "pgconn", None), "needs_password", False):
        return PasswordNeeded(
            f"The server {where} asks for the password of '{address.user}'.",
            "Type it in File ▸ Connect to a server… (StatDesk can keep it in this computer's "
            "keyring), or put it in your pgpass file.",
        )
    if "password authentication failed" in lowered:
        return PasswordNeeded(
            f"The server {where} did not accept the password of '{address.user}'.",
            "Type it again in File ▸ Connect to a server…, or correct it in your pgpass file.",
        )
    if answer and "database" in answer and "does not exist" in answer:
        return ServerUnreachable(
            f"The server {where} has no database '{address.database}'.",
            "Check its name, or ask the server's administrator to create it.",
        )
    if answer and "ssl" not in answer.lower():  # the server answered, and refused the sign-in
        return ServerUnreachable(
            f"The server {where} did not let '{address.user}' in to '{address.database}' "
            f"({answer.rstrip('.')}).",
            "Check the user name and password (File ▸ Connect to a server…), or ask the "
            "server's administrator.",
        )
    if "ssl" in lowered:
        return ServerUnreachable(
            f"StatDesk could not make a secure connection to {where}: {_first_line(text)}",
            "Check the sslmode in the address with the server's administrator.",
        )
    return ServerUnreachable(
        f"StatDesk cannot reach the server {where}: {_first_line(text)}",
        "Check the network and the server's name, or ask its administrator whether it runs.",
    )


def _first_line(text: str) -> str:
    line = text.splitlines()[0] if text else "no answer"
    return line.removeprefix("connection failed: ").rstrip(".") + "."
