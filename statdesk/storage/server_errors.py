"""What a PostgreSQL server's refusals mean, said as sentences (by SQLSTATE, not by the
message's words, which the server may give in another language)."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from statdesk.domain.errors import EditConflict, FileProblem, ReadOnly, StatDeskError

# https://www.postgresql.org/docs/current/errcodes-appendix.html
INSUFFICIENT_PRIVILEGE = "42501"
READ_ONLY_TRANSACTION = "25006"
SERIALIZATION_FAILURE = "40001"
DEADLOCK = "40P01"
LOCK_TIMEOUT = "55P03"
ADMIN_SHUTDOWN = "57P01"
CRASH_SHUTDOWN = "57P02"
CANNOT_CONNECT_NOW = "57P03"
CHECK_VIOLATION = "23514"


def sqlstate(error: BaseException) -> str:
    orig = getattr(error, "orig", error)
    return str(getattr(orig, "sqlstate", "") or "")


def explain_server_error(name: str, error: DBAPIError, *, writing: bool) -> StatDeskError:
    """`error` from the server holding `name` ("stat on db.city.gov") as a sentence."""
    code = sqlstate(error)
    diag = getattr(error.orig, "diag", None)
    detail = str(getattr(diag, "message_primary", "") or "")
    unsaved = " Nothing was saved." if writing else ""
    if code == INSUFFICIENT_PRIVILEGE or (code == CHECK_VIOLATION and "row-level" in detail):
        return ReadOnly(
            f"The server refused this change: your sign-in may not make it ({detail})." + unsaved,
            "Ask an analyst of the city to make it, or for the rights to make it yourself.",
        )
    if code == READ_ONLY_TRANSACTION:
        return ReadOnly(f"{name} is open read-only.{unsaved}", "Changes cannot be saved to it.")
    if code in (SERIALIZATION_FAILURE, DEADLOCK, LOCK_TIMEOUT):
        return EditConflict(
            f"Someone else was saving the same records at the same moment.{unsaved}",
            "Make your change again: it will see theirs.",
        )
    if error.connection_invalidated or code in (ADMIN_SHUTDOWN, CRASH_SHUTDOWN, CANNOT_CONNECT_NOW):
        return FileProblem(
            f"StatDesk lost its connection to {name}.{unsaved or ' The page was not read.'}"
            " Everything saved before is kept on the server.",
            "Check the network (or ask whether the server restarted), then try again.",
        )
    return FileProblem(
        f"The server holding {name} refused this: {detail or error.orig}.{unsaved}",
        "Try again; if it goes on, send this message to the server's administrator.",
    )
