"""The .statdesk file: SQLAlchemy models, connections, schema migrations and file checks."""
