"""Imports remember their sheet, their options and how to undo them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Bump with every revision: PRAGMA user_version tells a newer file from an older one fast
# (a file only: a server database is told by its alembic_version).
SCHEMA_VERSION = 2


def upgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sheet", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("options_json", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("undo_json", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":  # a server database keeps alembic_version only
        op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_column("undo_json")
        batch_op.drop_column("options_json")
        batch_op.drop_column("sheet")
