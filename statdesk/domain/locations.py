"""Where a city's records are kept: a .statdesk file, or a database on a PostgreSQL server.

Wherever StatDesk takes a file path (the command line, File ▸ Open, the recent files, the
hand-over to a running window) it also takes a server's address, written as a `postgresql://`
URL (libpq's form: `postgresql://ana@db.city.gov:5432/stat?sslmode=require`). A password in
the URL is used for that connection only: what StatDesk remembers or shows never holds one
(`ServerAddress.shown`); the password comes from the system's keyring, `~/.pgpass` or a
service file instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from statdesk.domain.errors import FileProblem

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
DEFAULT_PORT = 5432


class BadAddress(FileProblem):
    """A server address StatDesk cannot read."""


def is_server(location: object) -> bool:
    """Whether `location` names a server (a postgresql:// URL) rather than a file."""
    if isinstance(location, ServerAddress):
        return True
    if not isinstance(location, str):
        return False
    scheme = location.split("://", 1)[0].lower() if "://" in location else ""
    return scheme in SCHEMES


@dataclass(frozen=True)
class ServerAddress:
    """A database on a PostgreSQL server, and how to reach it (never the password, which is
    kept apart: see `password`)."""

    host: str
    database: str
    user: str = ""
    port: int = DEFAULT_PORT
    options: tuple[tuple[str, str], ...] = ()  # libpq's: sslmode, service, connect_timeout…
    password: str = field(default="", repr=False, compare=False)  # given in the URL, used once

    @property
    def shown(self) -> str:
        """The address as StatDesk shows and remembers it: a URL without any password."""
        who = f"{quote(self.user, safe='')}@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if self.port == DEFAULT_PORT else f":{self.port}"
        query = f"?{urlencode(self.options)}" if self.options else ""
        return f"postgresql://{who}{host}{port}/{quote(self.database, safe='')}{query}"

    @property
    def title(self) -> str:
        """A short name for a window's title: "stat on db.city.gov" ("citystat" for a
        service named in the pg_service file)."""
        service = self.option("service")
        if service and not (self.host and self.database):
            return service
        return f"{self.database} on {self.host or 'this computer'}"

    @property
    def keyring_key(self) -> str:
        """Under which name the system's keyring keeps this connection's password."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def option(self, name: str) -> str | None:
        return dict(self.options).get(name)

    def with_user(self, user: str) -> ServerAddress:
        return ServerAddress(self.host, self.database, user, self.port, self.options)

    def __str__(self) -> str:
        return self.shown


def parse_server(text: str) -> ServerAddress:
    """Read a `postgresql://[user[:password]@]host[:port]/database[?option=value…]` URL; a
    sentence that says what is wrong when it cannot be read."""
    if not is_server(text):
        raise BadAddress(
            f"'{text}' is not a server address.",
            "Write it as postgresql://user@host/database, or give a .statdesk file.",
        )
    try:
        parts = urlsplit(text.strip())
        port = parts.port or DEFAULT_PORT
    except ValueError as error:
        raise BadAddress(
            f"StatDesk cannot read the server address '{_without_password(text)}' ({error}).",
            "Write it as postgresql://user@host:5432/database.",
        ) from error
    database = unquote(parts.path.lstrip("/"))
    options = tuple(parse_qsl(parts.query, keep_blank_values=True))
    if not database and not dict(options).get("service"):
        raise BadAddress(
            f"The server address '{_without_password(text)}' names no database.",
            "Add the database after the server's name: postgresql://user@host/stat.",
        )
    return ServerAddress(
        host=parts.hostname or "",
        database=database,
        user=unquote(parts.username or ""),
        port=port,
        options=options,
        password=unquote(parts.password or ""),
    )


def _without_password(text: str) -> str:
    head, sep, rest = text.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return text
    credentials, at, tail = rest.partition("@")
    return f"{head}://{credentials.split(':', 1)[0]}{at}{tail}"


Location = Path | ServerAddress


def location_of(text: str | Path | ServerAddress) -> Location:
    """The file or the server `text` names."""
    if isinstance(text, (Path, ServerAddress)):
        return text
    return parse_server(text) if is_server(text) else Path(text)


def title_of(location: Location) -> str:
    """A short name for a window's title: the file's name, "stat on db.city.gov"."""
    return location.title if isinstance(location, ServerAddress) else location.name


def shown(location: str | Path | ServerAddress) -> str:
    """How a location is written to the user: a file's path, or a server's URL without any
    password."""
    if isinstance(location, ServerAddress):
        return location.shown
    if isinstance(location, str) and is_server(location):
        return _without_password(location)
    return str(location)
