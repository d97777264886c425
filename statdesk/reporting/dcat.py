"""The inventory as a DCAT-US v1.1 catalog (`data.json`, the Project Open Data metadata schema
that Socrata, CKAN/DKAN and Data.gov harvest), and the schema's rules written as our own code.

Every dataset is checked before anything is written: required fields present and non-empty,
`accessLevel` from its vocabulary, `modified`, `temporal` and `accrualPeriodicity` in the ISO
8601 forms the schema allows, `contactPoint.hasEmail` as `mailto:`, web addresses where the
schema wants one, and `mediaType` on a distribution that has a `downloadURL`. A harvester
deletes the datasets missing from a new catalog, so a catalog with problems is not written at
all unless the analyst asks to leave the faulty datasets out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from statdesk.domain.errors import StatDeskError
from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import AccessLevel, UpdateFrequency
from statdesk.storage.atomic import replacing
from statdesk.storage.views.inventory import DatasetFacts

SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
ACCESS_LEVELS = {
    AccessLevel.PUBLIC: "public",
    AccessLevel.RESTRICTED_PUBLIC: "restricted public",
    AccessLevel.NON_PUBLIC: "non-public",
}
# Project Open Data's list of update frequencies as ISO 8601 repeating durations.
PERIODICITY = {
    UpdateFrequency.REAL_TIME: "R/PT1S",
    UpdateFrequency.DAILY: "R/P1D",
    UpdateFrequency.WEEKLY: "R/P1W",
    UpdateFrequency.MONTHLY: "R/P1M",
    UpdateFrequency.QUARTERLY: "R/P3M",
    UpdateFrequency.ANNUALLY: "R/P1Y",
    UpdateFrequency.IRREGULAR: "irregular",
}
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "geojson": "application/geo+json",
    "xml": "application/xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "shapefile": "application/zip",
    "txt": "text/plain",
    "html": "text/html",
}
LICENSES = {  # the names people write, and the address the schema wants
    "cc0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "cc0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "public domain": "https://creativecommons.org/publicdomain/mark/1.0/",
    "cc by 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "odbl": "https://opendatacommons.org/licenses/odbl/1-0/",
    "odc-by": "https://opendatacommons.org/licenses/by/1-0/",
    "pddl": "https://opendatacommons.org/licenses/pddl/1-0/",
}

_DATE = r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?"
_TIME = r"T([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d(\.\d+)?)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?"
_MOMENT = f"{_DATE}({_TIME})?"
_N = r"\d+(\.\d+)?"
_DURATION = rf"P(?=\d|T\d)({_N}Y)?({_N}M)?({_N}W)?({_N}D)?(T(?=\d)({_N}H)?({_N}M)?({_N}S)?)?"
MODIFIED = re.compile(f"^({_MOMENT}|R\\d*/({_MOMENT}/)?{_DURATION})$")
TEMPORAL = re.compile(f"^({_MOMENT}/{_MOMENT}|{_MOMENT}/{_DURATION}|{_DURATION}/{_MOMENT})$")
ACCRUAL = re.compile(f"^(irregular|R/{_DURATION})$")
MAILTO = re.compile(r"^mailto:[\w~!$&'()*+,;=:.-]+@[\w-]+(\.[\w-]+)+$")  # the schema's characters
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
MEDIA_TYPE = re.compile(r"^[-\w]+/[-\w.+]+$")


class CatalogProblems(StatDeskError):
    """Datasets that would make an invalid data.json; nothing was written."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        self.problems = problems
        lines = [f"{title}: {'; '.join(found)}" for title, found in problems.items()]
        super().__init__(
            f"{counted(len(problems), 'dataset')} cannot go into data.json as they are, so nothing "
            "was written:\n" + "\n".join(lines),
            "Fill these in on the Inventory page, or leave these datasets out of the export.",
        )


@dataclass(frozen=True)
class CatalogReport:
    written: int
    left_out: dict[str, list[str]]  # title → problems


def _license(text: str) -> str:
    return LICENSES.get(text.strip().casefold(), text.strip())


def _media_type(facts: DatasetFacts) -> str:
    if facts.media_type:
        return facts.media_type.strip()
    return MEDIA_TYPES.get(facts.format.strip().casefold().lstrip("."), "")


def dataset_entry(facts: DatasetFacts) -> dict[str, Any]:
    """One dataset as the schema lays it out; empty optional fields are left out."""
    publisher: dict[str, Any] = {"@type": "org:Organization", "name": facts.publisher or facts.city}
    if facts.publisher and facts.city:
        publisher["subOrganizationOf"] = {"@type": "org:Organization", "name": facts.city}
    entry: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "title": facts.title.strip(),
        "description": facts.description.strip(),
        "keyword": [k for k in facts.keywords if k],
        "modified": facts.last_updated.isoformat() if facts.last_updated else "",
        "publisher": publisher,
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": facts.contact_name.strip(),
            "hasEmail": f"mailto:{facts.contact_email.strip()}" if facts.contact_email else "",
        },
        "identifier": facts.identifier.strip(),
        "accessLevel": ACCESS_LEVELS[facts.access_level],
    }
    optional: dict[str, Any] = {
        "rights": facts.rights.strip(),
        "license": _license(facts.license) if facts.license.strip() else "",
        "spatial": facts.spatial.strip(),
        "landingPage": facts.landing_page.strip(),
        "describedBy": facts.data_dictionary.strip(),
    }
    if facts.temporal_start and facts.temporal_end:
        optional["temporal"] = (
            f"{facts.temporal_start.isoformat()}/{facts.temporal_end.isoformat()}"
        )
    if facts.update_frequency in PERIODICITY:
        optional["accrualPeriodicity"] = PERIODICITY[facts.update_frequency]
    if facts.download_url.strip():
        distribution: dict[str, Any] = {
            "@type": "dcat:Distribution",
            "downloadURL": facts.download_url.strip(),
            "mediaType": _media_type(facts),
        }
        if facts.format.strip():
            distribution["format"] = facts.format.strip()
        optional["distribution"] = [distribution]
    entry.update({k: v for k, v in optional.items() if v})
    return entry


def _quoted(value: str, limit: int = 60) -> str:
    """A wrong value, quoted in a problem, cut short so a pasted page cannot flood the list."""
    return "'" + (value if len(value) <= limit else value[: limit - 1] + "…") + "'"


def problems_with(entry: dict[str, Any]) -> list[str]:
    """What breaks the v1.1 rules in one dataset entry, in the inventory's words."""
    found: list[str] = []

    def text(name: str) -> str:
        value = entry.get(name)
        return value.strip() if isinstance(value, str) else ""

    for name, field in (
        ("title", "a title"),
        ("description", "a description"),
        ("identifier", "an identifier"),
    ):
        if not text(name):
            found.append(f"needs {field}")
    keywords = entry.get("keyword")
    if not isinstance(keywords, list) or not any(
        isinstance(k, str) and k.strip() for k in keywords
    ):
        found.append("needs at least one keyword (separate keywords with semicolons)")
    modified = text("modified")
    if not modified:
        found.append("needs the date it was last updated")
    elif not MODIFIED.match(modified):
        found.append(f"last updated {_quoted(modified)} is not an ISO 8601 date")
    publisher = entry.get("publisher")
    if not isinstance(publisher, dict) or not str(publisher.get("name") or "").strip():
        found.append("needs a publisher (a department)")
    contact = entry.get("contactPoint")
    contact = contact if isinstance(contact, dict) else {}
    if not str(contact.get("fn") or "").strip():
        found.append("needs a contact person")
    email = str(contact.get("hasEmail") or "")
    if not email:
        found.append("needs the contact's email address")
    elif not MAILTO.match(email):
        found.append(
            f"the contact's email {_quoted(email.removeprefix('mailto:'))} is not an address"
        )
    level = entry.get("accessLevel")
    if level not in ACCESS_LEVELS.values():
        found.append(
            f"access level {_quoted(str(level))} is not public, restricted public or non-public"
        )
    elif level != "public" and not text("rights"):
        found.append("is not public, so it needs a rights statement saying why")
    if len(text("rights")) > 255:
        found.append("the rights statement is longer than 255 characters")
    for name, field in (
        ("license", "license"),
        ("landingPage", "landing page"),
        ("describedBy", "data dictionary"),
    ):
        if name in entry and not URL.match(text(name)):
            found.append(
                f"the {field} must be a web address (https://…), not {_quoted(text(name))}"
            )
    if "temporal" in entry and not TEMPORAL.match(text("temporal")):
        found.append(f"the time covered {_quoted(text('temporal'))} is not an ISO 8601 interval")
    if "accrualPeriodicity" in entry and not ACCRUAL.match(text("accrualPeriodicity")):
        found.append(
            f"update frequency {_quoted(text('accrualPeriodicity'))} is not an ISO 8601 one"
        )
    for distribution in entry.get("distribution") or []:
        download = str(distribution.get("downloadURL") or "")
        if download and not URL.match(download):
            found.append(f"the download URL must be a web address, not {_quoted(download)}")
        media = str(distribution.get("mediaType") or "")
        if download and not media:
            found.append("has a download URL, so it needs a media type (or a known format)")
        elif media and not MEDIA_TYPE.match(media):
            found.append(f"media type {_quoted(media)} is not like text/csv")
    return found


def catalog(
    datasets: Sequence[DatasetFacts], *, leave_out_invalid: bool = False
) -> tuple[dict[str, Any], CatalogReport]:
    """The catalog of these datasets; raises CatalogProblems unless asked to leave out the
    datasets with problems (which the report then lists)."""
    problems: dict[str, list[str]] = {}
    entries = []
    seen: dict[str, str] = {}
    for facts in datasets:
        entry = dataset_entry(facts)
        found = problems_with(entry)
        identifier = entry["identifier"]
        if identifier and identifier in seen:
            found.append(f"has the same identifier as '{seen[identifier]}'")
        seen.setdefault(identifier, facts.title)
        if found:
            name = facts.title.strip() or f"Dataset #{facts.id}"
            problems[name if name not in problems else f"{name} (#{facts.id})"] = found
        else:
            entries.append(entry)
    if problems and not leave_out_invalid:
        raise CatalogProblems(problems)
    document = {
        "@context": f"{SCHEMA}/catalog.jsonld",
        "@type": "dcat:Catalog",
        "conformsTo": SCHEMA,
        "describedBy": f"{SCHEMA}/catalog.json",
        "dataset": entries,
    }
    return document, CatalogReport(len(entries), problems)


def write_catalog(document: dict[str, Any], target: Path) -> Path:
    with replacing(target) as temp:
        temp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return target
