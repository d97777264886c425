"""Which source column fills which StatDesk field: the fields of each kind of import, and a
first guess by name that the analyst always sees and may change."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from statdesk.domain.vocabulary import Role


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


def _f(name: str, label: str, *synonyms: str, required: bool = False) -> FieldSpec:
    return FieldSpec(name, label, required, synonyms)


ROLE_SYNONYMS: dict[Role, tuple[str, ...]] = {
    Role.PRINCIPAL: ("principal", "mayor", "city manager", "deputy mayor", "executive sponsor"),
    Role.DEPARTMENT_LEAD: ("department head", "director", "department lead", "agency head"),
    Role.STAT_LEAD: ("stat lead", "ca office", "city administrator", "performance director"),
    Role.STAT_ANALYST: ("stat analyst", "reviewer", "performance analyst", "opi analyst"),
    Role.BUDGET_ANALYST: ("budget analyst", "budget reviewer"),
    Role.DEPARTMENT_CONTACT: (
        "department contact",
        "submitter",
        "data steward",
        "data owner",
        "contact",
    ),
    Role.DATA_EXPERT: ("data expert", "gis", "dba"),
}

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "roster": (
        _f("name", "Name", "full name", "person", "employee", "staff", "staff name"),
        _f("name_title", "Name - Title (one cell)", "name and title"),
        _f("title", "Title", "job title", "position"),
        _f("department", "Department", "agency", "dept", "division", "public name", "entity"),
        _f("email", "Email", "e-mail", "email address"),
        _f("phone", "Phone", "telephone", "phone number"),
        _f("role", "Role", "stat role"),
        *(
            _f(f"role:{role.value}", f"{role.label} (a person per cell)", *syn)
            for role, syn in ROLE_SYNONYMS.items()
        ),
    ),
    "inventory": (
        _f(
            "title",
            "Title",
            "name",
            "dataset",
            "dataset name",
            "dataset title",
            "item name",
            "table",
            required=True,
        ),
        _f(
            "description",
            "Description",
            "contents",
            "summary",
            "abstract",
            "dataset description",
            "item description",
        ),
        _f(
            "department",
            "Department",
            "publisher",
            "agency",
            "owner department",
            "department or division",
            "owning department",
            "department name",
            "division",
        ),
        _f("owner", "Owner", "source owner", "maintainer", "data owner", "custodian"),
        _f(
            "contact",
            "Contact",
            "department contact",
            "steward",
            "data steward",
            "contact person",
            "point of contact",
        ),
        _f("source_system", "Source system", "system", "source", "source system name"),
        _f("format", "Format", "formats", "file format"),
        _f("location", "Location", "path", "server"),
        _f(
            "update_frequency",
            "Update frequency",
            "cadence",
            "frequency",
            "accrual periodicity",
            "refresh frequency",
            "refresh rate",
            "update cycle",
        ),
        _f("last_updated", "Last updated", "updated", "modified", "last modified", "last update"),
        _f(
            "access_level",
            "Access level",
            "access",
            "public",
            "access level",
            "data classification",
            "classification",
            "visibility",
        ),
        _f("contains_pii", "Contains personal information", "contains pii", "pii", "personal data"),
        _f("keywords", "Keywords", "theme", "tags", "category", "categories", "group", "topic"),
        _f("landing_page", "Landing page", "url", "link", "item page"),
        _f("download_url", "Download URL", "download", "download link"),
        _f("data_dictionary_url", "Data dictionary", "dictionary", "described by"),
        _f("license", "License", "licence", "terms"),
        _f(
            "identifier",
            "Identifier",
            "id",
            "dataset id",
            "socrata id",
            "u id",
            "uid",
            "item id",
            "inventory id",
            "asset id",
            "view id",
            "resource id",
        ),
        _f("spatial", "Place covered", "geography", "spatial"),
    ),
    "metrics": (
        _f(
            "name",
            "Metric name",
            "measure",
            "measure name",
            "measure title",
            "performance measure",
            "indicator",
            "indicator name",
            "kpi name",
            required=True,
        ),
        _f("code", "Metric ID", "measure id", "id", "indicator id", "metric id"),
        _f("description", "Description", "measure description", "definition"),
        _f(
            "department",
            "Department",
            "agency",
            "dept",
            "dept cd",
            "program name",
            "department name",
            "department or division",
            "agency name",
            "agency full name",
        ),
        _f("is_kpi", "KPI", "key performance", "kpi flag", "key measure", "critical"),
        _f("measure_type", "Measure type", "measure type name", "type", "indicator type"),
        _f("unit", "Unit", "units", "format", "measure data type", "data type", "unit of measure"),
        _f(
            "frequency",
            "Frequency",
            "frequency name",
            "update",
            "reporting frequency",
            "measure frequency",
        ),
        _f(
            "direction",
            "Direction",
            "trend",
            "desired direction",
            "polarity",
            "desired trend",
            "preferred direction",
        ),
        _f("roll_up", "Roll-up", "rollup", "roll up", "aggregation", "aggregation method"),
        _f("methodology", "Methodology", "calculation", "method", "formula", "measure methodology"),
        _f("data_source", "Data source", "source", "data source"),
        _f("target", "Target (of --period)", "goal", "target value"),
    ),
    "values": (
        _f(
            "metric",
            "Metric",
            "measure",
            "measure name",
            "measure title",
            "performance measure",
            "indicator",
            "indicator name",
            "name",
            "kpi",
            required=True,
        ),
        _f("period", "Period", "date", "month", "year", "fiscal year", "quarter", "fy"),
        _f(
            "actual",
            "Actual",
            "value",
            "actuals",
            "result",
            "results",
            "amount",
            "count",
            "completed",
            "achieved",
            "performance",
            "actual value",
            "full year result",
            "year end result",
            "annual result",
        ),
        _f("target", "Target", "goal", "approved", "budgeted", "target value"),
        _f("forecast", "Forecast", "estimate", "projected", "projection"),
        _f("note", "Note", "notes", "comment", "comments", "data notes", "footnote"),
        _f("code", "Metric ID", "measure id", "indicator id", "metric id", "kpi id", "id"),
        _f("series", "Series (a district, a benchmark…: kept apart)"),
        _f("column_metric", "A metric of its own (one per column)"),
        # For metrics the import creates:
        _f(
            "department",
            "Department",
            "agency",
            "dept",
            "dept cd",
            "department name",
            "department or division",
            "agency name",
            "agency full name",
        ),
        _f("frequency", "Frequency", "frequency name", "reporting frequency"),
        _f("unit", "Unit", "units", "measure data type", "data type", "unit of measure"),
        _f("direction", "Direction", "desired direction", "polarity", "desired trend"),
        _f("roll_up", "Roll-up", "rollup", "roll up", "aggregation"),
        _f("is_kpi", "KPI", "key performance", "kpi flag", "key measure", "critical"),
        _f("measure_type", "Measure type", "measure type name"),
        _f("description", "Description", "measure description", "definition"),
        _f("methodology", "Methodology", "calculation", "method", "measure methodology"),
        _f("data_source", "Data source", "source"),
    ),
}


def normalise(text: str) -> str:
    """Lower case, words only: "FREQUENCY_NAME" → "frequency name"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def _names(spec: FieldSpec) -> list[str]:
    return [
        normalise(spec.name.split(":")[-1].replace("_", " ")),
        normalise(spec.label),
        *(normalise(s) for s in spec.synonyms),
    ]


def _score(
    key: str, names: list[str], matchers: list[difflib.SequenceMatcher[str]], floor: float
) -> float:
    """How alike a normalised column name is to a field's names (1.0: one of them), or 0 when
    below `floor`. A name whose quick upper bounds are below the floor is not compared in full,
    so a sheet of 16,384 columns is mapped in a moment rather than a minute."""
    if key in names:
        return 1.0
    best = 0.0
    for matcher in matchers:
        matcher.set_seq1(key)
        bar = max(best, floor)
        if matcher.real_quick_ratio() >= bar and matcher.quick_ratio() >= bar:
            best = max(best, matcher.ratio())
    return best if best >= floor else 0.0


def auto_map(
    columns: Sequence[str],
    kind: str,
    threshold: float = 0.86,
    empty: Iterable[str] = (),
) -> dict[str, str]:
    """A first guess: source column → field, each field and column used once, best first;
    `empty` columns (no cell filled) are no one's guess."""
    specs = FIELDS[kind]
    names = {spec.name: _names(spec) for spec in specs}
    # The field's names are the matchers' second sequence, which SequenceMatcher analyses once.
    matchers = {
        spec.name: [difflib.SequenceMatcher(None, "", n) for n in names[spec.name]]
        for spec in specs
    }
    blank = set(empty)
    candidates = [c for c in columns if c not in blank]
    keys = {c: normalise(c) for c in candidates}
    pairs = sorted(
        (
            (_score(keys[c], names[s.name], matchers[s.name], threshold), c, s.name)
            for c in candidates
            for s in specs
        ),
        reverse=True,
    )
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for score, column, field in pairs:
        if score < threshold or column in chosen or field in taken:
            continue
        chosen[column] = field
        taken.add(field)
    return chosen


def parse_map_options(options: Iterable[str], columns: Sequence[str], kind: str) -> dict[str, str]:
    """`--map "SOURCE COLUMN=field"` options, checked against the file and the kind."""
    valid = {s.name for s in FIELDS.get(kind, ())} | {"ignore"}
    out: dict[str, str] = {}
    for option in options:
        column, sep, field = option.rpartition("=")
        column, field = column.strip(), field.strip()
        if not sep or not column:
            raise ValueError(f"'{option}' is not SOURCE COLUMN=field.")
        if column not in columns:
            near = difflib.get_close_matches(column, columns, n=1)
            hint = f" Did you mean '{near[0]}'?" if near else ""
            raise ValueError(f"The file has no column '{column}'.{hint}")
        if field not in valid and not field.startswith("period:"):
            raise ValueError(
                f"'{field}' is not a field of a {kind} import; use one of: "
                f"{', '.join(sorted(valid))}."
            )
        out[column] = field
    return out


def missing_required(mapping: Mapping[str, str], kind: str) -> list[str]:
    used = set(mapping.values())
    return [s.label for s in FIELDS.get(kind, ()) if s.required and s.name not in used]


def look_alikes(
    columns: Sequence[str], mapping: Mapping[str, str], kind: str, floor: float = 0.75
) -> list[tuple[str, str]]:
    """Unmapped columns whose names look like a field (most often one another column took):
    (column, field label), for the dry run to name ("'Data Steward' looks like the Contact")."""
    specs = {spec.name: spec for spec in FIELDS.get(kind, ())}
    found = []
    for column in columns:
        if column in mapping:
            continue
        best = auto_map([column], kind, threshold=floor)
        for field in best.values():
            if field in specs and field not in ("series", "column_metric", "name_title"):
                found.append((column, specs[field].label))
    return found
