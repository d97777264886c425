"""Dialogs: the editors of records and the file's settings."""
