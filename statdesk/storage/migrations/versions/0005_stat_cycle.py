"""The Stat cycle: periods made final (period_lock), each department's Stat cadence, usual
day, time and room, and each meeting's calendar identity (a UID kept for good and a SEQUENCE
bumped on change), given to the meetings already in the file.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_VERSION = 5


def upgrade() -> None:
    op.create_table(
        "period_lock",
        sa.Column("metric_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("starts", sa.Date(), nullable=True),
        sa.Column("through", sa.Date(), nullable=False),
        sa.Column("locked_by", sa.String(length=120), nullable=True),
        sa.Column("locked_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_period_lock_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["metric.id"],
            name=op.f("fk_period_lock_metric_id_metric"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_lock")),
    )
    op.create_index(op.f("ix_period_lock_metric_id"), "period_lock", ["metric_id"])
    op.create_index(op.f("ix_period_lock_department_id"), "period_lock", ["department_id"])
    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stat_cadence", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("stat_weekday", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("stat_time", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("stat_room", sa.String(length=200), nullable=True))
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_uid", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("calendar_sequence", sa.Integer(), nullable=False, server_default="0")
        )
    meeting = sa.table("meeting", sa.column("id", sa.Integer), sa.column("calendar_uid"))
    bind = op.get_bind()
    for (meeting_id,) in bind.execute(sa.select(meeting.c.id)).all():
        bind.execute(
            meeting.update()
            .where(meeting.c.id == meeting_id)
            .values(calendar_uid=f"{uuid.uuid4()}@statdesk")
        )
    if bind.dialect.name == "sqlite":  # a server database keeps alembic_version only
        op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("calendar_sequence")
        batch_op.drop_column("calendar_uid")
    with op.batch_alter_table("department", schema=None) as batch_op:
        batch_op.drop_column("stat_room")
        batch_op.drop_column("stat_time")
        batch_op.drop_column("stat_weekday")
        batch_op.drop_column("stat_cadence")
    op.drop_index(op.f("ix_period_lock_department_id"), table_name="period_lock")
    op.drop_index(op.f("ix_period_lock_metric_id"), table_name="period_lock")
    op.drop_table("period_lock")
