"""The build's own code: what trimming leaves out, the icon file, and the installer script's
promises (per user, never admin; the uninstaller never touches the user's data)."""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

import pytest

from statdesk.ui import single_instance

INSTALLERS = Path(__file__).resolve().parents[2] / "installers"
sys.path.insert(0, str(INSTALLERS))

import icon  # noqa: E402
import trim  # noqa: E402

NSI = (INSTALLERS / "statdesk.nsi").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "destination",
    [
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/platforms/qoffscreen.dll",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/plugins/imageformats/qsvg.dll",
        "PySide6/plugins/imageformats/qjpeg.dll",
        "PySide6/plugins/iconengines/qsvgicon.dll",
        "PySide6/Qt6Network.dll",
        "PySide6/Qt6Svg.dll",
        "typst/_typst.pyd",
        "resources/fonts/NotoSans-Regular.ttf",
        "statdesk/storage/migrations/versions/0001_initial.py",
        "matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf",
        "docx/templates/default.docx",
    ],
)
def test_what_statdesk_loads_is_kept(destination: str) -> None:
    assert trim.reason_to_drop(destination) is None


@pytest.mark.parametrize(
    "destination",
    [
        "PySide6/translations/qtbase_de.qm",
        "PySide6/Qt/translations/qtbase_fr.qm",
        "PySide6/opengl32sw.dll",
        "PySide6\\plugins\\tls\\qschannelbackend.dll",
        "PySide6/plugins/imageformats/qpdf.dll",
        "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
        "matplotlib/mpl-data/sample_data/goog.npz",
    ],
)
def test_what_statdesk_never_loads_is_left_out_with_a_reason(destination: str) -> None:
    reason = trim.reason_to_drop(destination)
    assert reason is not None and ":" in reason


def test_the_icon_holds_every_size_as_png() -> None:
    pngs = {16: b"\x89PNG-16", 256: b"\x89PNG-256-longer"}
    data = icon.ico_bytes(pngs)
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 2)
    for index, (size, png) in enumerate(sorted(pngs.items())):
        entry = struct.unpack("<BBBBHHII", data[6 + 16 * index : 22 + 16 * index])
        assert entry[0] == (0 if size == 256 else size)
        assert data[entry[7] : entry[7] + entry[6]] == png


def test_the_icon_is_drawn_from_the_svg(qapp: object) -> None:
    """(With the test run's QApplication: the icon script would otherwise make a
    QGuiApplication, on which no window can be made later.)"""
    png = icon.png_of(icon.SVG, 32)
    assert png.startswith(b"\x89PNG")
    assert struct.unpack(">II", png[16:24]) == (32, 32)


def section(name: str) -> str:
    """The section's instructions, without comments."""
    match = re.search(rf'^Section "{name}".*?^SectionEnd', NSI, re.MULTILINE | re.DOTALL)
    assert match, name
    return re.sub(r"\s*;.*$", "", match.group(0), flags=re.MULTILINE)


def test_the_installer_asks_for_no_admin_rights_and_writes_only_for_this_user() -> None:
    assert re.search(r"^RequestExecutionLevel user$", NSI, re.MULTILINE)
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP}"' in NSI
    for machine_wide in ("HKLM", "HKCR", "$PROGRAMFILES", "SetShellVarContext all"):
        assert machine_wide not in NSI
    writes = re.findall(r"^\s*WriteReg\w+ (\w+) ", NSI, re.MULTILINE)
    assert writes and set(writes) == {"HKCU"}


def test_the_uninstaller_removes_only_what_the_installer_made() -> None:
    uninstall = section("Uninstall")
    removed = re.findall(r'^\s*(?:Delete|RMDir)(?: /r)? "([^"]+)"', uninstall, re.MULTILINE)
    assert removed
    for target in removed:
        assert target.startswith(("$INSTDIR", "$SMPROGRAMS\\${APP}")), target
    # The only recursive removal is the program folder's own _internal.
    assert re.findall(r'RMDir /r "([^"]+)"', uninstall) == ["$INSTDIR\\_internal"]
    for data in (
        "$LOCALAPPDATA\\StatDesk",
        "$APPDATA",
        "backups",
        "*.statdesk",
        "Software\\StatDesk",
    ):
        assert data not in uninstall


def test_the_installer_waits_for_the_mutex_the_app_holds() -> None:
    assert f'!define RUNNING_MUTEX "{single_instance.RUNNING_MUTEX}"' in NSI
    assert NSI.count("!insertmacro WaitUntilClosed") == 2  # before installing and uninstalling


def test_double_click_opens_the_file_with_statdesk() -> None:
    install = section("StatDesk")
    assert 'WriteRegStr HKCU "Software\\Classes\\.statdesk" "" "${PROGID}"' in install
    assert '\'"$INSTDIR\\${APP_EXE}" "%1"\'' in install
    assert '"Open with StatDesk"' in install
