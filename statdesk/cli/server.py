"""`statdesk server init URL` and `statdesk server grant URL LOGIN --as ROLE`: who may do
what in a city on a PostgreSQL server (see storage.server_roles)."""

from __future__ import annotations

import argparse
from typing import Any

from statdesk.cli.common import Handler, location
from statdesk.domain import errors
from statdesk.domain.locations import ServerAddress


def _address(args: argparse.Namespace) -> ServerAddress:
    if not isinstance(args.url, ServerAddress):
        raise errors.StatDeskError(
            f"{args.url} is a file; roles are for a city on a server.",
            "Give the server's postgresql:// address.",
        )
    return args.url


def _cmd_server(args: argparse.Namespace) -> int:
    from statdesk.storage.server_roles import ROLES, grant_statements, init_statements

    address = _address(args)
    if args.action == "init":
        if args.sql:
            print(";\n".join(init_statements(address.database)) + ";")
            return 0
        from statdesk.workspace.server_admin import init_roles

        init_roles(address)
        names = ", ".join(f"{address.database}_{role}" for role in ROLES)
        print(
            f"Set up the roles of {address.title}: {names}. Give each person's sign-in one of "
            "them with statdesk server grant."
        )
        return 0
    if args.role == "contributor" and args.department is None:
        raise errors.StatDeskError(
            "A contributor enters the values of one department's metrics.",
            "Say which with --department (its id or name).",
        )
    if args.sql:
        if args.department is not None and not args.department.isdigit():
            raise errors.StatDeskError(
                "--sql needs the department's id.", "statdesk server grant … without --sql."
            )
        department = int(args.department) if args.department else None
        statements = grant_statements(address.database, args.login, args.role, department)
        print(";\n".join(statements) + ";")
        return 0
    from statdesk.workspace.server_admin import grant

    grant(address, args.login, args.role, args.department)
    scope = f" of department {args.department}" if args.department else ""
    print(f"{args.login} is now a {args.role}{scope} of {address.title}.")
    return 0


def add_parsers(sub: Any) -> None:
    server = sub.add_parser(
        "server",
        help="set up who may do what in a city on a PostgreSQL server",
        description="init URL makes the city's roles (analyst: everything; contributor: the "
        "values of their department's metrics, enforced by row-level security; viewer: read "
        "only). grant URL LOGIN --as ROLE gives a sign-in one of them. --sql prints the SQL "
        "instead, for the server's administrator to run.",
    )
    actions = server.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="make the city's roles and their rights")
    init.add_argument("url", type=location, metavar="URL", help="the city's postgresql:// address")
    init.add_argument("--sql", action="store_true", help="print the SQL instead of running it")
    grant = actions.add_parser("grant", help="make a sign-in an analyst, contributor or viewer")
    grant.add_argument("url", type=location, metavar="URL", help="the city's postgresql:// address")
    grant.add_argument("login", metavar="LOGIN", help="the person's sign-in (a login role)")
    grant.add_argument(
        "--as",
        dest="role",
        required=True,
        choices=("analyst", "contributor", "viewer"),
        help="what they may do",
    )
    grant.add_argument("--department", metavar="ID_OR_NAME", help="a contributor's department")
    grant.add_argument("--sql", action="store_true", help="print the SQL instead of running it")


HANDLERS: dict[str, Handler] = {"server": _cmd_server}
