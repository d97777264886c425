"""The rows an import keeps when told to: --filter "COLUMN=VALUE" (or the wizard's choice), by
column, checked against the file's columns."""

from __future__ import annotations

from statdesk.importing import coerce
from statdesk.importing.sources import SourceProblem


def parse_filters(filters: list[str], columns: list[str]) -> dict[str, set[str]]:
    """--filter "COLUMN=VALUE" options, by column (several values of one column: any of
    them), checked against the file's columns."""
    import difflib

    chosen: dict[str, set[str]] = {}
    for text in filters:
        column, sep, value = text.partition("=")
        column = column.strip()
        if not sep or not column:
            raise SourceProblem(
                f"'{text}' is not a filter COLUMN=VALUE.",
                'Write filters like --filter "Geography=Baltimore".',
            )
        if column not in columns:
            near = difflib.get_close_matches(column, columns, n=1, cutoff=0.5)
            hint = f"Did you mean '{near[0]}'?" if near else "Check the column's name."
            raise SourceProblem(f"The file has no column '{column}' to filter on.", hint)
        chosen.setdefault(column, set()).add(coerce.name(value).casefold())
    return chosen
