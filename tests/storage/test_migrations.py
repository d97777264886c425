"""Migrations: a new file is built by them, older files are backed up then upgraded."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from statdesk.domain.periods import parse_period
from statdesk.storage import schema
from statdesk.storage.connection import open_engine
from statdesk.storage.models import Base, Metric
from statdesk.workspace import Workspace

DATA = Path(__file__).resolve().parent.parent / "data"


def script_directory(folder: Path = schema.MIGRATIONS) -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(folder))
    return ScriptDirectory.from_config(config)


def test_the_head_revision_constants_match_the_migrations() -> None:
    scripts = script_directory()
    assert scripts.get_current_head() == schema.HEAD_REVISION
    head = scripts.get_revision(schema.HEAD_REVISION)
    assert head.module.SCHEMA_VERSION == schema.SCHEMA_VERSION


def test_migrations_build_exactly_what_the_models_describe(tmp_path: Path) -> None:
    path = tmp_path / "fresh.statdesk"
    path.touch()
    engine = open_engine(path, read_only=False)
    schema.migrate(engine)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
        version = conn.exec_driver_sql("PRAGMA user_version").scalar()
    engine.dispose()
    assert differences == []
    assert app_id == schema.APPLICATION_ID
    assert version == schema.SCHEMA_VERSION


def test_a_file_of_the_initial_revision_opens_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.statdesk"
    shutil.copyfile(DATA / "schema-0001.statdesk", path)
    with Workspace.open(path) as workspace:
        assert workspace.info().schema_revision == schema.HEAD_REVISION
        assert workspace.city().name == "Fixture City"
        metric = workspace.query(Metric)[0]
        values = workspace.metrics.values(metric.id)
        assert [(v.period_start, v.value) for v in values] == [
            (parse_period("FY2026 Q1", 10).start, 120.0)
        ]


NEXT = f"{int(schema.HEAD_REVISION) + 1:04d}"
NEXT_VERSION = schema.SCHEMA_VERSION + 1
NEXT_REVISION = f'''"""Test revision: metrics get a short code."""
import sqlalchemy as sa
from alembic import op

revision = "{NEXT}"
down_revision = "{schema.HEAD_REVISION}"
branch_labels = None
depends_on = None
SCHEMA_VERSION = {NEXT_VERSION}


def upgrade() -> None:
    with op.batch_alter_table("metric") as batch:
        batch.add_column(sa.Column("short_code", sa.String(20), nullable=True))
    op.execute("UPDATE metric SET short_code = 'M' || id")
    op.execute(f"PRAGMA user_version = {{SCHEMA_VERSION}}")


def downgrade() -> None:
    with op.batch_alter_table("metric") as batch:
        batch.drop_column("short_code")
'''


def test_an_older_file_is_backed_up_then_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pretend this StatDesk is one schema further ahead: the fixture of the initial revision
    goes through the real migrations and a test one after them that rebuilds the metric table (batch
    mode); check backup, upgrade and data."""
    migrations = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / f"{NEXT}_code.py").write_text(NEXT_REVISION)
    monkeypatch.setattr(schema, "MIGRATIONS", migrations)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", NEXT_VERSION)
    monkeypatch.setattr("statdesk.storage.file_store.HEAD_REVISION", NEXT)
    path = tmp_path / "share" / "old.statdesk"
    path.parent.mkdir()
    shutil.copyfile(DATA / "schema-0001.statdesk", path)

    with Workspace.open(path) as workspace:
        assert workspace.info().schema_revision == NEXT
        assert workspace.info().schema_version == NEXT_VERSION
        assert workspace.counts()["metric_values"] == 1

    backups = list((path.parent / "backups").glob("old.*.before-upgrade.statdesk"))
    assert len(backups) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT short_code FROM metric").fetchall() == [("M1",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    old.close()


def test_an_older_file_is_not_upgraded_when_opened_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "SCHEMA_VERSION", NEXT_VERSION)
    path = tmp_path / "old.statdesk"
    shutil.copyfile(DATA / "schema-0001.statdesk", path)
    before = path.read_bytes()
    with pytest.raises(Exception, match="needs upgrading first"):
        Workspace.open(path, read_only=True)
    assert path.read_bytes() == before


def test_upgrading_to_series_keeps_directions_and_renames_the_old_series_field(
    tmp_path: Path,
) -> None:
    """0003: a metric's direction stays as it was (only new imports may leave it unset), and a
    recipe saved with the old "one metric per column" field 'series' keeps meaning that."""
    path = tmp_path / "old.statdesk"
    shutil.copyfile(DATA / "schema-0001.statdesk", path)
    conn = sqlite3.connect(path)
    directions = conn.execute("SELECT id, direction FROM metric").fetchall()
    settings = '{"options": {"kind": "values", "mapping": {"City": "metric", "Rate": "series"}}}'
    conn.execute(
        "INSERT INTO import_recipe (name, import_kind, settings_json, created_at, updated_at, "
        "version) VALUES ('rates', 'metric_values', ?, '2026-01-01', '2026-01-01', 1)",
        (settings,),
    )
    conn.commit()
    conn.close()
    with Workspace.open(path) as workspace:
        assert workspace.imports.recipe("rates").settings["options"]["mapping"] == {
            "City": "metric",
            "Rate": "column_metric",
        }
        assert [
            (x.id, x.direction.value if x.direction else None) for x in workspace.query(Metric)
        ] == (directions)
        assert workspace.counts()["metric_series"] == 0
