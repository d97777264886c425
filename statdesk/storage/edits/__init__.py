"""Writes that touch several records at once, as functions over a session; the workspace runs
each in one transaction."""
