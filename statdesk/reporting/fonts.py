"""The fonts StatDesk's PDFs and charts are set in, and what to do with a character none has.

Text is set in the fonts StatDesk ships, so a memo looks the same on every computer: Noto Sans,
Noto Sans CJK SC cut to everyday Chinese, Japanese and Korean (`installers/subset_cjk_font.py`),
then DejaVu Sans (which comes with matplotlib) for Arabic, Hebrew, Cyrillic and symbols. A
character none of them has (a rare ideograph, Thai, an emoji) is set in a font of the computer's
own that has it, where there is one; only then is it written as its Unicode name in brackets,
"[construction sign]", so nothing goes missing in silence and a tagged PDF never holds a blank
box. The stored text always keeps the original.

Which characters each of the computer's fonts has is read once and kept in the user's data
folder (`fonts.json`), so the search costs nothing the next time.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
import os
import sys
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from statdesk import paths

log = logging.getLogger(__name__)

# The families the documents name, in order; the charts name the same.
FAMILIES = ("Noto Sans", "Noto Sans CJK SC", "DejaVu Sans")
_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}
_INDEX_VERSION = 1


@dataclass(frozen=True)
class SystemFont:
    """A font file of the computer's own, with its family name and the characters it has."""

    path: Path
    family: str
    covers: frozenset[int]


def shipped_folders() -> list[Path]:
    """The folders of the fonts StatDesk ships: its own, then matplotlib's DejaVu Sans (found
    without importing matplotlib)."""
    folders = [paths.resources_dir() / "fonts"]
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        dejavu = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
        if (dejavu / "DejaVuSans.ttf").exists():
            folders.append(dejavu)
    return folders


def shipped_files() -> list[Path]:
    """The regular and bold faces of the shipped families, in the order of `FAMILIES`."""
    own = paths.resources_dir() / "fonts"
    found = sorted(own.glob("NotoSans-*.ttf")) + sorted(own.glob("NotoSansCJKsc-*.otf"))
    for folder in shipped_folders()[1:]:
        found += [folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"]
    return [f for f in found if f.exists()]


@functools.cache
def shipped_coverage() -> frozenset[int]:
    """The characters the shipped fonts can show."""
    covered: set[int] = set()
    for font in shipped_files():
        covered.update(_characters(font))
    return frozenset(covered)


def _characters(font: Path) -> set[int]:
    from fontTools.ttLib import TTCollection, TTFont

    if font.suffix.lower() in (".ttc", ".otc"):
        with TTCollection(font, lazy=True) as collection:
            return {c for face in collection.fonts for c in (face.getBestCmap() or {})}
    with TTFont(font, lazy=True) as face:
        return set(face.getBestCmap() or {})


def _family(font: Path) -> str:
    from fontTools.ttLib import TTCollection, TTFont

    if font.suffix.lower() in (".ttc", ".otc"):
        with TTCollection(font, lazy=True) as collection:
            return str(collection.fonts[0]["name"].getBestFamilyName())
    with TTFont(font, lazy=True) as face:
        return str(face["name"].getBestFamilyName())


def system_folders() -> list[Path]:
    """Where this computer keeps its fonts, including the ones a user installed without admin
    rights."""
    home = Path.home()
    if sys.platform == "win32":
        windows = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        folders = [windows / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    elif sys.platform == "darwin":
        folders = [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    else:
        data = Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share"))
        folders = [
            Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"),
            data / "fonts",
            home / ".fonts",
        ]
    return [f for f in folders if f.is_dir()]


def _ranges(characters: Iterable[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for c in sorted(characters):
        if out and c == out[-1][1] + 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


_lock = threading.Lock()


@functools.cache
def system_fonts() -> tuple[SystemFont, ...]:
    """The computer's fonts with what each has, read from the kept index where the file is
    unchanged (same size and time), from the file where not. Read once a run."""
    with _lock:
        index_path = paths.user_data_dir() / "fonts.json"
        try:
            index = json.loads(index_path.read_text(encoding="utf-8"))
            known = index["fonts"] if index.get("version") == _INDEX_VERSION else {}
        except (OSError, ValueError, KeyError, TypeError):
            known = {}
        fonts: list[SystemFont] = []
        kept: dict[str, dict[str, object]] = {}
        changed = False
        for folder in system_folders():
            for file in sorted(folder.rglob("*")):
                if file.suffix.lower() not in _SUFFIXES or not file.is_file():
                    continue
                stamp = [file.stat().st_size, file.stat().st_mtime_ns]
                entry = known.get(str(file))
                if not entry or entry.get("stamp") != stamp:
                    try:
                        entry = {
                            "stamp": stamp,
                            "family": _family(file),
                            "ranges": _ranges(_characters(file)),
                        }
                    except Exception as error:  # a broken or unreadable font is left out
                        log.info("font %s left out: %s", file, error)
                        continue
                    changed = True
                kept[str(file)] = entry
                spans: list[list[int]] = entry["ranges"]  # type: ignore[assignment]
                covers = frozenset(c for low, high in spans for c in range(low, high + 1))
                fonts.append(SystemFont(file, str(entry["family"]), covers))
        if changed or len(kept) != len(known):
            try:
                index_path.parent.mkdir(parents=True, exist_ok=True)
                index_path.write_text(
                    json.dumps({"version": _INDEX_VERSION, "fonts": kept}), encoding="utf-8"
                )
            except OSError as error:  # a read-only profile: read the fonts again next time
                log.info("font index not kept: %s", error)
        return tuple(fonts)


def _ignorable(character: str) -> bool:
    """Controls, joiners, marks and variation selectors: no glyph of their own is needed."""
    return unicodedata.category(character) in ("Cc", "Cf", "Mn", "Sk") or character in "\n\t"


@dataclass(frozen=True)
class Fonts:
    """The fonts a piece of text is set in: the shipped ones and the computer's fonts it
    needs beyond them."""

    extra: tuple[SystemFont, ...] = ()

    @functools.cached_property
    def covered(self) -> frozenset[int]:
        covered = shipped_coverage()
        for font in self.extra:
            covered = covered | font.covers
        return covered

    @property
    def folders(self) -> list[Path]:
        """Folders for Typst to read, shipped first."""
        extra = list(dict.fromkeys(font.path.parent for font in self.extra))
        return shipped_folders() + extra

    @property
    def families(self) -> list[str]:
        return [*FAMILIES, *dict.fromkeys(font.family for font in self.extra)]

    def printable(self, text: str) -> str:
        """The text as these fonts can show it: a character none has is written as its
        Unicode name in brackets."""
        covered = self.covered
        if all(ord(ch) in covered or _ignorable(ch) for ch in text):
            return text
        out = []
        for ch in text:
            if ord(ch) in covered or ch in "\n\t":
                out.append(ch)
            elif not _ignorable(ch):
                out.append(f"[{unicodedata.name(ch, f'character U+{ord(ch):04X}').lower()}]")
        return "".join(out)


def for_text(texts: Iterable[str]) -> Fonts:
    """The fonts that show these texts: the shipped ones, and where they lack a character, the
    fewest of the computer's fonts that have it (the computer's fonts are looked at only then)."""
    shipped = shipped_coverage()
    missing = {ord(ch) for text in texts for ch in text if ord(ch) not in shipped}
    missing = {c for c in missing if not _ignorable(chr(c))}
    if not missing:
        return Fonts()
    chosen: list[SystemFont] = []
    candidates = system_fonts()
    while missing:
        best = max(candidates, key=lambda font: len(font.covers & missing), default=None)
        if best is None or not best.covers & missing:
            break  # no font here has the rest: they are written as their names
        chosen.append(best)
        missing -= best.covers
    return Fonts(tuple(chosen))
