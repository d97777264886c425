"""What the PyInstaller bundle leaves out: the files hooks collect that StatDesk never loads.

Each rule is a pattern on the file's place in the bundle (forward slashes) and the reason it
can go. The spec applies them to Analysis' binaries and datas; build.py reports what they
saved; `--self-test` of the trimmed bundle proves nothing needed went with them.
"""

from __future__ import annotations

from fnmatch import fnmatch

# (pattern, reason). Patterns match the whole destination path, case-insensitively; `*` also
# matches '/'. Qt lives under PySide6/ on Windows and PySide6/Qt/ on Linux, hence "PySide6/*".
RULES: tuple[tuple[str, str], ...] = (
    # StatDesk's interface is English and installs no Qt translator.
    ("PySide6/*translations/*", "Qt translations: StatDesk's interface is English"),
    # Widgets are painted by the raster engine; nothing uses OpenGL, Direct3D or Qt Quick.
    ("PySide6/opengl32sw.dll", "software OpenGL: widgets are painted without OpenGL"),
    ("PySide6/d3dcompiler_47.dll", "Direct3D shader compiler: no Qt Quick or OpenGL"),
    ("PySide6/*plugins/xcbglintegrations/*", "OpenGL on X11: no OpenGL"),
    ("PySide6/*plugins/egldeviceintegrations/*", "EGL devices: no OpenGL"),
    ("PySide6/*plugins/wayland-*/*", "Wayland extras: the window uses the basic protocol"),
    ("PySide6/*plugins/platforms/libqeglfs.so", "full-screen EGL: not a desktop platform"),
    ("PySide6/*plugins/platforms/libqlinuxfb.so", "framebuffer: not a desktop platform"),
    ("PySide6/*plugins/platforms/libqvnc.so", "VNC server platform: not used"),
    ("PySide6/*plugins/platforms/libqvkkhrdisplay.so", "Vulkan display: not used"),
    ("PySide6/*plugins/platforms/qdirect2d.dll", "Direct2D platform: qwindows is used"),
    ("PySide6/*plugins/platforms/libqwayland-*.so", "Wayland EGL: no OpenGL"),
    # Nothing is fetched over the network (QtNetwork is here for the local socket only).
    ("PySide6/*plugins/tls/*", "TLS backends: StatDesk makes no network connections"),
    ("PySide6/*plugins/networkinformation/*", "network status: not used"),
    ("PySide6/*plugins/generic/*", "touch and tablet input drivers (TUIO, evdev): not used"),
    # Image formats a logo or an icon never comes in; qpdf would pull in all of Qt PDF.
    ("PySide6/*plugins/imageformats/*qpdf*", "PDF as an image: pulls in Qt PDF, not used"),
    ("PySide6/*plugins/imageformats/*qicns*", "macOS icons: not used"),
    ("PySide6/*plugins/imageformats/*qtga*", "TGA images: not used"),
    ("PySide6/*plugins/imageformats/*qwbmp*", "WAP bitmaps: not used"),
    ("PySide6/*plugins/imageformats/*qtiff*", "TIFF images: logos are PNG, JPEG, GIF or SVG"),
    ("PySide6/Qt/lib/libQt6Pdf.so*", "Qt PDF: not used"),
    ("PySide6/Qt6Pdf.dll", "Qt PDF: not used"),
    # matplotlib's example data.
    ("matplotlib/mpl-data/sample_data/*", "matplotlib's sample data: not used"),
)


def reason_to_drop(destination: str) -> str | None:
    """Why the file at `destination` in the bundle can be left out, or None to keep it."""
    name = destination.replace("\\", "/").lower()
    for pattern, reason in RULES:
        if fnmatch(name, pattern.lower()):
            return reason
    return None
