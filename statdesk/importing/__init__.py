"""Importing what departments send: read, shape, coerce, map, check, then write once. No Qt."""
