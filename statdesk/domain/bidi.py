"""User text beside StatDesk's own words, whatever its direction.

A right-to-left name (Arabic, Hebrew), or a stray U+202E in one, reorders the words and
numbers around it when both sit in one line. Set apart with Unicode's isolates (FSI…PDI), it
cannot: the memos, the scorecard and the status lines wrap every user text this way. A file's
properties take the text `plain`.
"""

from __future__ import annotations

_ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def isolated(text: str) -> str:
    """`text` set apart from the words around it (a first-strong isolate)."""
    return f"\u2068{text}\u2069" if text else text


def plain(text: str) -> str:
    """`text` without the isolates `isolated` put in."""
    return text.translate(_ISOLATES)
