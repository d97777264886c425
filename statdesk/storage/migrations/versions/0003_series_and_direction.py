"""Series of a metric (breakdowns and comparisons), a metric's source id, and a direction that
may be not set yet.

A metric's own values stay in metric_value and target; its other series (a district's, the
nation's) get metric_series and series_value. An imported metric whose file said nothing of its
direction is no longer "up is better" by default: the column may be empty. Recipes saved
before this revision called the "one metric per column" field 'series'; it is now
'column_metric', and 'series' names the column that tells a metric's series apart.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_VERSION = 3


def upgrade() -> None:
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=100), nullable=True))
        batch_op.alter_column("direction", existing_type=sa.String(length=40), nullable=True)

    op.create_table(
        "metric_series",
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("series_kind", sa.String(length=40), nullable=False),
        sa.Column("dimension", sa.String(length=200), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metric.id"],
            name=op.f("fk_metric_series_metric_id_metric"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_series")),
        sa.UniqueConstraint("metric_id", "name", name=op.f("uq_metric_series_metric_id_name")),
    )
    op.create_table(
        "series_value",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("frequency", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("forecast", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_series_value_import_batch_id_import_batch"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["metric_series.id"],
            name=op.f("fk_series_value_series_id_metric_series"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series_value")),
        sa.UniqueConstraint(
            "series_id",
            "period_start",
            "frequency",
            name=op.f("uq_series_value_series_id_period_start_frequency"),
        ),
    )
    with op.batch_alter_table("series_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_series_value_import_batch_id"), ["import_batch_id"], unique=False
        )

    connection = op.get_bind()
    recipes = connection.execute(sa.text("SELECT id, settings_json FROM import_recipe")).all()
    for recipe_id, text in recipes:
        settings = json.loads(text or "{}")
        mapping = settings.get("options", {}).get("mapping", {})
        if "series" not in mapping.values():
            continue
        settings["options"]["mapping"] = {
            column: "column_metric" if field == "series" else field
            for column, field in mapping.items()
        }
        connection.execute(
            sa.text("UPDATE import_recipe SET settings_json = :s WHERE id = :i"),
            {"s": json.dumps(settings), "i": recipe_id},
        )
    if op.get_bind().dialect.name == "sqlite":  # a server database keeps alembic_version only
        op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    with op.batch_alter_table("series_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_series_value_import_batch_id"))
    op.drop_table("series_value")
    op.drop_table("metric_series")
    op.execute("UPDATE metric SET direction = 'up' WHERE direction IS NULL")
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.alter_column("direction", existing_type=sa.String(length=40), nullable=False)
        batch_op.drop_column("code")
