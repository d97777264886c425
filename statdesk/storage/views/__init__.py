"""Read models: what each page shows, as plain rows built by one query each.

Widgets never query; they ask the workspace, which runs these inside a read transaction.
"""
