"""The rules of a Stat program as plain Python: no Qt, no SQL, no pandas."""
