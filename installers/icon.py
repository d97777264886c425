"""Make the Windows icon (statdesk.ico) from resources/icons/statdesk.svg, the one drawing.

Each size is drawn from the SVG by Qt (so the small ones are sharp, not shrunk) and stored as
PNG inside the .ico, which Windows has read since Vista. Run by the PyInstaller spec and by
build.py for the installer:

    python installers/icon.py OUTPUT.ico
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "statdesk.svg"
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def png_of(svg: Path, size: int) -> bytes:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file: a header, one 16-byte entry per image, then the PNGs."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def write_icon(target: Path, svg: Path = SVG) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(ico_bytes({size: png_of(svg, size) for size in SIZES}))
    return target


if __name__ == "__main__":
    print(write_icon(Path(sys.argv[1] if len(sys.argv) > 1 else "build/statdesk.ico")))
