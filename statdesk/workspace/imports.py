"""The workspace's imports (`ws.imports`): what a source file is and how its rows read, the
plan (a dry run whose counts are exactly what the import writes), running it in one
transaction after a backup, undoing it, and the recipes that bring next month's file in the
same way. The reading and planning are `importing/`'s; the writing is `import_writer.py`'s."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from statdesk.domain.errors import NotFound, StatDeskError
from statdesk.domain.numbers import counted
from statdesk.domain.vocabulary import IMPORT_WORDS
from statdesk.importing.matching import propose
from statdesk.importing.progress import Progress
from statdesk.importing.result import ImportResult
from statdesk.storage import crashpoints
from statdesk.storage import models as m
from statdesk.storage.changes import Changes
from statdesk.storage.edits import import_undo
from statdesk.storage.views.history import ImportLine, import_lines
from statdesk.workspace import import_writer as import_edits

if TYPE_CHECKING:
    from statdesk.importing import plan as import_plan
    from statdesk.importing.shape import Table
    from statdesk.importing.sources import SourceInfo
    from statdesk.workspace.core import Workspace


@dataclass(frozen=True)
class Recipe:
    """A saved import's choices, and the file it would run on next: the newest file in the
    folder it last ran on whose name fits its pattern ("Potholes *.xlsx")."""

    name: str
    kind: str
    pattern: str
    folder: Path | None
    updated_at: datetime
    settings: dict[str, Any]

    @classmethod
    def of(cls, record: m.ImportRecipe) -> Recipe:
        settings = json.loads(record.settings_json or "{}")
        folder = settings.get("folder")
        return cls(
            record.name,
            settings.get("options", {}).get("kind", ""),
            settings.get("file_pattern", ""),
            Path(folder) if folder else None,
            record.updated_at,
            settings,
        )

    def next_file(self) -> Path | None:
        if self.folder is None or not self.pattern:
            return None
        from statdesk.importing.recipe_files import newest_matching

        return newest_matching(self.folder, self.pattern)


@dataclass
class Overrides:
    """What the user said on top of a saved recipe (the command line's options): what is given
    wins, lists and directions add to the recipe's."""

    mapping: dict[str, str] = field(default_factory=dict)  # column → field
    fields: dict[str, Any] = field(default_factory=dict)  # sheet, header_row…: the ones given
    filters: list[str] = field(default_factory=list)
    keep_totals: bool = False
    directions: dict[str, str] = field(default_factory=dict)
    rescale: list[str] = field(default_factory=list)

    def apply(self, options: import_plan.ImportOptions) -> None:
        options.mapping.update(self.mapping)
        for name, value in self.fields.items():
            setattr(options, name, value)
        options.filters += self.filters
        options.keep_totals = options.keep_totals or self.keep_totals
        options.directions.update(self.directions)
        options.rescale += self.rescale


class Imports:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    @staticmethod
    def inspect(path: Path) -> SourceInfo:
        """What a file to import is (format, encoding, sheets), without reading it all."""
        from statdesk.importing.sources import inspect_source

        return inspect_source(path)

    @staticmethod
    def preview(info: SourceInfo, sheet: str | None, header_row: int | None) -> Table:
        """A sheet's rows as the import would read them (header found unless given, totals
        marked): what the wizard previews. Slow on a big sheet: call it off the GUI thread."""
        from statdesk.importing.streaming import load_table

        return load_table(info, sheet, header_row)

    def plan(
        self,
        source: Path | str,
        options: import_plan.ImportOptions,
        progress: Progress | None = None,
        *,
        fy_start: int | None = None,
    ) -> import_plan.ImportPlan:
        """Everything an import would do, worked out without writing (the dry run); stopped
        with Cancelled when `progress` is cancelled. `fy_start` plans it as if the city's
        fiscal year started in that month (a new file about to be set to the file's)."""
        from statdesk.importing.planning import plan_import

        plan = plan_import(source, options, fy_start or self.ws.fiscal_year_start_month, progress)
        self._propose_matches(plan)
        self._check_against_history(plan)
        with self.ws._reading() as session:
            for earlier in import_edits.earlier_imports(session, plan.sha256):
                plan.notices.insert(
                    0,
                    (
                        f"This file was already imported on {earlier.imported_at:%Y-%m-%d %H:%M} "
                        f"UTC as import #{earlier.id}; importing it again replaces the same "
                        "values."
                    ),
                )
        self.forecast(plan)
        return plan

    def forecast(self, plan: import_plan.ImportPlan) -> ImportResult | None:
        """What the import would add, change, keep and leave as it is, decided by the writer
        itself against the file as it is now, with nothing written (`plan.forecast`); None
        while the plan still needs mapping or choices. Run it again after changing the
        plan's options (keep existing values, accept near matches)."""
        plan.forecast = None
        if not plan.ready:
            return None
        with self.ws._pretending() as session:
            plan.forecast = import_edits.apply_plan(session, plan, self.ws.user, dry=True)
        return plan.forecast

    def _check_against_history(self, plan: import_plan.ImportPlan) -> None:
        """The file's values beside what StatDesk already holds for the same metrics: a
        value a hundred times their median, a fraction for a metric kept in percents."""
        from statdesk.importing.checks import against_history, history_of

        names = plan.values.metric_names()
        if not names:
            return
        with self.ws._reading() as session:
            rows = session.execute(
                select(m.Metric.name, m.Department.name, m.Metric.unit, m.MetricValue.value)
                .join(m.MetricValue, m.MetricValue.metric_id == m.Metric.id)
                .outerjoin(m.Department, m.Metric.department_id == m.Department.id)
                .where(m.Metric.name.in_(names))
            )
            against_history(plan, history_of(rows))

    def _propose_matches(self, plan: import_plan.ImportPlan) -> None:
        """Names in the file that nearly match existing ones, for the analyst to accept."""
        metric_names = plan.values.metric_names() | {x["name"] for x in plan.metrics}
        found = {
            "department": propose(plan.departments, [d.name for d in self.ws.query(m.Department)]),
            "metric": propose(metric_names, [x.name for x in self.ws.query(m.Metric)]),
            "person": propose(
                [p["name"] for p in plan.people], [p.name for p in self.ws.query(m.Person)]
            ),
        }
        plan.matches = {kind: names for kind, names in found.items() if names}
        if plan.matches and not plan.options.accept_matches:
            first = next(iter(next(iter(plan.matches.values())).items()))
            count = sum(len(v) for v in plan.matches.values())
            plan.notices.append(
                f"{counted(count, 'name')} in the file "
                f"{'looks' if count == 1 else 'look'} like ones already here (such as "
                f"'{first[0]}' and '{first[1]}'). Accept the matches to use the existing "
                "ones; otherwise new records are made."
            )

    def run(
        self, plan: import_plan.ImportPlan, progress: Progress | None = None
    ) -> tuple[ImportResult, Changes]:
        """Write a plan in one transaction, after a backup; it can be undone as a whole. A Stop
        (`progress` cancelled) rolls the transaction back: nothing is written."""
        if not plan.ready:
            raise StatDeskError(
                "The import cannot run yet: it needs "
                + "; ".join(plan.missing_fields + plan.choices_needed)
                + ".",
                "Make the choices (the check before importing lists them), then import again.",
            )
        if not self.ws.read_only:
            self.ws.backup("before import")

        def apply(session: Session) -> ImportResult:
            result = import_edits.apply_plan(session, plan, self.ws.user, progress)
            session.flush()
            crashpoints.reached("import-written")
            return result

        written = self.ws._write(
            apply,
            log=False,
            event_summary=f"Imported {plan.source.path.name} ({plan.options.kind})"
            + (
                f"; told to change values of locked periods (reason: {plan.options.change_locked})"
                if plan.options.change_locked
                else ""
            ),
            recovery={
                "operation": "import",
                "source": str(plan.source.path),
                "options": plan.options.as_json(),
            },
        )
        crashpoints.reached("import-committed")
        return written

    def save_recipe(self, name: str, plan: import_plan.ImportPlan) -> Changes:
        """Keep an import's choices (sheet, header row, mapping, aggregation) under a name, to
        run again on next month's file in one step."""
        from statdesk.importing.recipe_files import file_pattern

        settings = {
            # changing locked periods is told for one import, never kept for the next file
            "options": {**plan.options.as_json(), "mapping": plan.mapping, "change_locked": None},
            "columns": plan.columns,
            "file_pattern": file_pattern(plan.source.path),
            "folder": str(plan.source.path.resolve().parent),
        }
        existing = self.ws.query(m.ImportRecipe, name=name)
        fields: dict[str, Any] = {
            "import_kind": IMPORT_WORDS[plan.options.kind],
            "settings_json": json.dumps(settings, default=str),
            "updated_at": datetime.now(UTC),
        }
        if existing:
            return self.ws.update(m.ImportRecipe, existing[0].id, **fields)
        return self.ws.create(m.ImportRecipe, name=name, **fields)

    def recipes(self) -> list[Recipe]:
        """The saved import recipes, each with the file it would run on next."""
        return [Recipe.of(r) for r in self.ws.query(m.ImportRecipe)]

    def recipe(self, name: str) -> Recipe:
        found = self.ws.query(m.ImportRecipe, name=name)
        if not found:
            names = ", ".join(r.name for r in self.ws.query(m.ImportRecipe)) or "none yet"
            raise NotFound(
                f"There is no import recipe called '{name}'.", f"Saved recipes: {names}."
            )
        return Recipe.of(found[0])

    def options_for(
        self, name: str, source: Path | str, overrides: Overrides | None = None
    ) -> tuple[import_plan.ImportOptions, list[str]]:
        """A saved recipe's options for a new file, with what the user said on top of it
        (`overrides` win), and what of the recipe no longer matches the file: only the file's
        header is read here; the plan reads the rest. The wizard and the CLI both ask here."""
        recipe = self.recipe(name)
        from statdesk.importing.plan import ImportOptions
        from statdesk.importing.planning import columns_of

        options = ImportOptions(**recipe.settings["options"])
        changed: list[str] = []
        if options.kind != "raw":
            columns = columns_of(source, options)
            missing = [c for c in options.mapping if c not in columns]
            changed += [
                f"The column '{c}' the recipe maps is no longer in the file." for c in missing
            ]
            new = [c for c in columns if c not in recipe.settings.get("columns", [])]
            if new:
                changed.append("New columns the recipe does not know: " + ", ".join(new[:8]))
            options.mapping = {c: f for c, f in options.mapping.items() if c not in missing}
        if overrides is not None:
            overrides.apply(options)
        return options, changed

    def batches(self) -> list[m.ImportBatch]:
        with self.ws._reading() as session:
            return list(session.scalars(select(m.ImportBatch).order_by(m.ImportBatch.id.desc())))

    def history(self) -> list[ImportLine]:
        """The imports, newest first, each with its state: undone, active, or active with
        later imports building on it (so it can be undone only with them)."""
        return self.ws._for_revision("imports", import_lines)

    def undo(self, batch_id: int, *, with_later: bool = False) -> Changes:
        """Remove exactly what an import added and restore what it replaced. An import that a
        later one changed or builds on is undone only `with_later`: those first."""
        undone: list[int] = []

        def action(session: Session) -> None:
            undone.extend(import_undo.undo_import(session, batch_id, with_later=with_later))

        return self.ws._write(
            action,
            log=False,
            event_summary=lambda: "Undid " + ", ".join(f"import #{n}" for n in undone),
            recovery={"operation": "undo import", "batch": batch_id, "with_later": with_later},
        )[1]
