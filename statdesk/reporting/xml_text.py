"""Text that an XML-based file (XLSX, DOCX) can hold.

XML 1.0 has no place for most C0 control characters, and text pasted from other programs
carries them (Word's line break is a vertical tab). A page or line break becomes a newline and
the rest are dropped, so an export never fails over a character nobody can see.
"""

from __future__ import annotations

import re

_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_NOT_XML = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text.translate(_BREAKS))
