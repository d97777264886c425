"""Alembic migrations shipped with StatDesk; run through statdesk.storage.schema, never by hand."""
