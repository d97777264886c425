"""Rules of the team roster: which of the program's roles a department still lacks."""

from __future__ import annotations

from collections.abc import Iterable

from statdesk.domain.vocabulary import CORE_ROLES, Role

# Roles held for the whole city; the others are held for a department.
CITYWIDE_ROLES = frozenset({Role.PRINCIPAL, Role.STAT_LEAD, Role.STAT_ANALYST, Role.PUBLIC})


def unfilled_roles(
    department_id: int,
    assignments: Iterable[tuple[Role, int | None]],
    budget_covered: bool,
) -> list[Role]:
    """The core roles nobody fills for `department_id`, in the guide's order.

    `assignments` are every (role, department) pair in the roster (department None for
    citywide); `budget_covered` says whether a budget portfolio with an analyst covers the
    department. A citywide role counts for every department and a departmental role only for
    its own; a budget analyst counts through a portfolio (or a role scoped to the department).
    """
    held = set()
    for role, scope in assignments:
        if role is Role.BUDGET_ANALYST and scope is None:
            continue  # a budget analyst covers a department through a portfolio
        if scope is None or scope == department_id:
            held.add(role)
    if budget_covered:
        held.add(Role.BUDGET_ANALYST)
    return [
        role
        for role in CORE_ROLES
        if role not in held and not (role is Role.BUDGET_ANALYST and budget_covered)
    ]
