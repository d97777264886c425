"""Alembic environment: always run on a connection StatDesk opened (schema.migrate)."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.types import TypeDecorator

from statdesk.storage.models import Base


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write StatDesk's column types as their plain SQL types: migrations must not import the
    app's current code, which changes after the migration is written."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("StatDesk migrations run through statdesk.storage.schema.migrate().")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move tables instead
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
