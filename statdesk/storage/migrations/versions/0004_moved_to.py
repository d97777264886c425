"""Where a city moved: a file whose city was copied onto a server (statdesk move) says so, so
whoever opens the file is told where the city is kept now, and no one goes on editing the old
copy.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Bump with every revision: PRAGMA user_version tells a newer file from an older one fast
# (a file only: a server database is told by its alembic_version).
SCHEMA_VERSION = 4


def upgrade() -> None:
    with op.batch_alter_table("file_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moved_to", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("moved_at", sa.DateTime(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":  # a server database keeps alembic_version only
        op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    with op.batch_alter_table("file_state", schema=None) as batch_op:
        batch_op.drop_column("moved_at")
        batch_op.drop_column("moved_to")
