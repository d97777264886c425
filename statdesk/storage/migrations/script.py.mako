"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}

revision: str = ${repr(up_revision)}
down_revision: str | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Bump with every revision: PRAGMA user_version tells a newer file from an older one fast
# (a file only: a server database is told by its alembic_version).
SCHEMA_VERSION = 0


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}
    if op.get_bind().dialect.name == "sqlite":  # a server database keeps alembic_version only
        op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
