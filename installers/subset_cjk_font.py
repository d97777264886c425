"""Make the Chinese, Japanese and Korean font StatDesk ships (resources/fonts/NotoSansCJKsc-*).

    python installers/subset_cjk_font.py NotoSansCJK-Regular.ttc NotoSansCJK-Bold.ttc

The inputs are Debian's fonts-noto-cjk (1:20220127+repack1-1). The whole Noto Sans CJK is about
19 MB a weight; StatDesk ships the Simplified Chinese face cut to the characters in everyday
use, 5.7 MB a weight (11.5 MB for the two, about 9 MB more in the installer):

- every Hangul syllable and jamo (Korean), kana (Japanese), CJK punctuation, full-width forms;
- the ideographs of GB 2312 (Simplified Chinese), of Big5's level 1 (Traditional Chinese) and
  of JIS X 0208's level 1 (Japanese): 9,237 in all.

A rarer ideograph is set in a font of the computer's own where it has one (every Windows 10 and
11 has Microsoft YaHei, JhengHei, Malgun Gothic and Yu Gothic); see statdesk/reporting/fonts.py.
Noto fonts are under the SIL Open Font License 1.1 without a reserved name, so the cut keeps its
name. Needs fontTools (a StatDesk dependency).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

OUT = Path(__file__).resolve().parent.parent / "resources" / "fonts"
SIMPLIFIED_CHINESE = 2  # the face's index in Noto Sans CJK's collection (JP, KR, SC, TC, HK)


def _decodable(encoding: str, rows: range, cells: range | list[int]) -> set[int]:
    found = set()
    for first in rows:
        for second in cells:
            try:
                found.add(ord(bytes([first, second]).decode(encoding)))
            except (UnicodeDecodeError, TypeError):
                continue
    return found


def characters() -> set[int]:
    euc_cells = range(0xA1, 0xFF)
    ideographs = (
        _decodable("gb2312", range(0xB0, 0xF8), euc_cells)  # GB 2312 levels 1 and 2
        | _decodable("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
        | _decodable("euc_jp", range(0xB0, 0xD0), euc_cells)  # JIS X 0208 level 1
    )
    ranges = (
        (0x1100, 0x11FF),  # Hangul jamo
        (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
        (0x3130, 0x318F),  # Hangul compatibility jamo
        (0x31F0, 0x31FF),  # katakana extensions
        (0xAC00, 0xD7A3),  # Hangul syllables
        (0xFF00, 0xFFEF),  # full-width forms
    )
    wanted = {c for c in ideographs if 0x4E00 <= c <= 0x9FFF}
    for low, high in ranges:
        wanted.update(range(low, high + 1))
    return wanted


def main(sources: list[str]) -> None:
    wanted = characters()
    for source in sources:
        font = TTCollection(source).fonts[SIMPLIFIED_CHINESE]
        weight = font["name"].getDebugName(2)  # "Regular", "Bold"
        keep = sorted(c for c in wanted if c in font.getBestCmap())
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.hinting = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=keep)
        subsetter.subset(font)
        target = OUT / f"NotoSansCJKsc-{weight}.otf"
        font.save(target)
        print(f"{target.name}: {len(keep)} characters, {target.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
