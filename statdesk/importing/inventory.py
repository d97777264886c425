"""An inventory sheet (one dataset per row) read into datasets.

An identifier column (a portal's 4×4 id, an inventory number) is the key: rows with distinct
ids are distinct datasets whatever their titles. Without ids, rows that share a title are
still distinct when their description, department or link differ (and are named so); a row
that repeats another in every field is skipped, and one that repeats it under another
category only is the same dataset listed twice: its categories are joined. Descriptions keep
their line breaks. An access level StatDesk does not know, or a restrictive one, makes the
dataset non-public: nothing becomes publishable by guess.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from statdesk.domain.numbers import counted
from statdesk.domain.validation import is_link
from statdesk.domain.vocabulary import AccessLevel, DatasetStatus
from statdesk.importing import coerce, words
from statdesk.importing.cells import Cells, column_of, rows_of
from statdesk.importing.coerce import is_blank
from statdesk.importing.plan import ImportPlan
from statdesk.importing.progress import Progress
from statdesk.importing.register import hear_into
from statdesk.importing.shape import Table

_ONE_LINE = ("source_system", "format", "location", "license", "spatial")
_TEXTS = ("description",)
_PEOPLE = ("department", "owner", "contact")
_LINKS = ("landing_page", "download_url", "data_dictionary_url")
# What may differ between two rows of one dataset listed under two categories.
_CATEGORY = "keywords"
PORTAL_ID = re.compile(r"^[a-z0-9]{4}-[a-z0-9]{4}$")  # Socrata's "4×4" ids


def build(plan: ImportPlan, table: Table, fy_start: int, progress: Progress | None) -> None:
    cells = Cells(table, plan.mapping)
    m = plan.mapping
    by_id: dict[str, int] = {}
    by_title: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    restrictive: Counter[str] = Counter()
    shared_titles: list[tuple[int, int]] = []
    for row, number in rows_of(table, progress):
        title = coerce.text(cells(row, "title"))  # as written, inner spaces and all
        if not title:
            plan.skip(number, column_of(m, "title"), "The row has no dataset title.")
            continue
        record = _record(plan, cells, row, number, title, restrictive)
        identifier = record["identifier"]
        if identifier:
            if identifier.casefold() in by_id:
                plan.skip(
                    number,
                    column_of(m, "identifier"),
                    f"ID '{identifier}' is already on row {by_id[identifier.casefold()]}.",
                )
                continue
            by_id[identifier.casefold()] = number
        else:
            earlier = by_title.setdefault(title.casefold(), [])
            same = _same_dataset(record, earlier)
            if same is not None:
                first_row, first = same
                if _fields(record) == _fields(first):
                    plan.skip(
                        number,
                        column_of(m, "title"),
                        f"It repeats row {first_row} in every field.",
                    )
                    continue
                first[_CATEGORY] = "; ".join(
                    dict.fromkeys(k for k in (first.get(_CATEGORY), record.get(_CATEGORY)) if k)
                )
                plan.landed.add(number)
                plan.problem(
                    number,
                    column_of(m, _CATEGORY),
                    f"'{title}' is row {first_row} again, under another category "
                    f"('{record.get(_CATEGORY, '')}').",
                    f"imported once, with both categories (row {first_row})",
                )
                continue
            if earlier:
                shared_titles.append((number, earlier[0][0]))
            earlier.append((number, record))
        plan.landed.add(number)
        plan.datasets.append(record)
    if shared_titles:
        first_row, same_as = shared_titles[0]
        plan.notices.append(
            f"{counted(len(shared_titles), 'row')} sharing a title with an earlier row but "
            "differing in "
            f"description, department or link (such as row {first_row}, same title as row "
            f"{same_as}): each is a dataset of its own."
        )
    if restrictive:
        listed = ", ".join(f"'{w}' ×{n:,}" for w, n in restrictive.most_common(6))
        plan.notices.append(
            f"Datasets classified as {listed} are recorded as non-public: data.json leaves "
            "them out unless asked to include them."
        )


def _record(
    plan: ImportPlan,
    cells: Cells,
    row: list[Any],
    number: int,
    title: str,
    restrictive: Counter[str],
) -> dict[str, Any]:
    m = plan.mapping
    record: dict[str, Any] = {
        "title": title,
        "identifier": coerce.name(cells(row, "identifier")) or None,
        "row": number,
    }
    for name in _TEXTS:
        if text := coerce.text(cells(row, name)):
            record[name] = text
    for name in (*_ONE_LINE, _CATEGORY):
        if text := coerce.name(cells(row, name)):
            record[name] = text
    for name in _PEOPLE:
        if text := coerce.name(cells(row, name)):
            record[name] = text
            if name == "department":
                plan.departments.add(text)
    heard = hear_into(plan, number)
    cadence = cells(row, "update_frequency")
    if not is_blank(cadence):
        word = words.update_frequency(cadence)
        record["update_frequency"] = word.value
        if word.value is None:
            heard("update_frequency", cadence, word)
            record["notes"] = f"Update frequency: {coerce.name(cadence)}"
    updated = cells(row, "last_updated")
    if not is_blank(updated):
        day = coerce.to_date(updated)
        if day.problem:
            plan.problem(
                number, column_of(m, "last_updated"), day.problem, "the last update is left empty"
            )
        record["last_updated"] = day.value
    access = cells(row, "access_level")
    if not is_blank(access):
        word = words.access_level(access)
        record["access_level"] = word.value
        if not word.known:
            heard("access_level", access, word)
        elif word.value is AccessLevel.NON_PUBLIC:
            restrictive[coerce.name(access)[:40]] += 1
    pii = cells(row, "contains_pii")
    if not is_blank(pii):
        flag = coerce.truthy(pii)
        if flag is None:
            plan.problem(
                number,
                column_of(m, "contains_pii"),
                f"'{coerce.name(pii)[:60]}' does not say yes or no.",
                "kept in the privacy notes",
            )
            record["privacy_notes"] = coerce.text(pii)
        else:
            record["contains_pii"] = flag
    for name in _LINKS:
        link = coerce.name(cells(row, name))
        if link and is_link(link):
            record[name] = link
        elif link:
            plan.problem(
                number,
                column_of(m, name),
                f"'{link[:60]}' is not a web address.",
                "the link is left out",
            )
    record["status"] = DatasetStatus.DISCOVERED
    return record


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "row"}


def _same_dataset(
    record: dict[str, Any], earlier: list[tuple[int, dict[str, Any]]]
) -> tuple[int, dict[str, Any]] | None:
    """An earlier row with the same title that differs from this one in its category at most:
    the same dataset (listed again, or under another category)."""
    mine = {k: v for k, v in _fields(record).items() if k != _CATEGORY}
    for number, other in earlier:
        if {k: v for k, v in _fields(other).items() if k != _CATEGORY} == mine:
            return number, other
    return None


def portal_ids(table: Table, mapping: dict[str, str]) -> str | None:
    """An unmapped column of distinct portal ids ("jji9-e2m5"), when no column is mapped to
    the identifier: the key of each dataset."""
    if "identifier" in mapping.values():
        return None
    for position, column in enumerate(table.columns):
        if column in mapping:
            continue
        cells = table.cells(position)
        texts = [c.strip().casefold() for c in cells if isinstance(c, str) and c.strip()]
        every = len(texts) == len(cells) and all(PORTAL_ID.match(t) for t in texts)
        if every and len(set(texts)) == len(texts):
            return column
    return None
