"""The public page in a real browser: headless Chromium runs axe-core (from the npm registry,
installed in tests/a11y by .ci/run) against WCAG 2.1 A and AA at 1280 and 320 CSS pixels, and
the page must not scroll sideways at 320 px (WCAG 1.4.10, reflow). Skipped where Chromium or
axe-core is missing, unless STATDESK_REQUIRE_BROWSER is set (as CI sets it)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from statdesk.workspace import Workspace

AXE = Path(__file__).parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
BROWSER = next(
    (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
)

pytestmark = pytest.mark.slow
WINDOW_MIN = 500  # CSS pixels: headless Chromium's narrowest window


@pytest.fixture(scope="module")
def browser() -> str:
    missing = (
        "Chromium is not installed (apt-get install chromium)"
        if BROWSER is None
        else "axe-core is not installed (npm ci --prefix tests/a11y)"
        if not AXE.exists()
        else None
    )
    if missing:
        if os.environ.get("STATDESK_REQUIRE_BROWSER"):
            pytest.fail(f"The browser check is required here: {missing}")
        pytest.skip(missing)
    assert BROWSER is not None
    return BROWSER


def checked(browser: str, page: Path, width: int, folder: Path) -> dict[str, Any]:
    """axe-core's violations on `page` in a window `width` CSS pixels wide, and how wide the
    page's content is there."""
    probe = folder / f"{page.stem}-{width}.html"
    script = (
        "<script>" + AXE.read_text(encoding="utf-8") + "</script><script>"
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(function (r) {"
        "var found = JSON.stringify({"
        "violations: r.violations.map(function (v) { return {id: v.id, impact: v.impact, "
        "help: v.help, nodes: v.nodes.map(function (n) { return n.target.join(' '); })}; }),"
        "wide: document.documentElement.scrollWidth, window: window.innerWidth});"
        "document.documentElement.setAttribute('data-axe', found);"
        "if (window.parent !== window) { window.parent.postMessage(found, '*'); }});</script>"
    )
    text = page.read_text(encoding="utf-8")
    probe.write_text(text.replace("</body>", script + "</body>"), encoding="utf-8")
    opened = probe
    if width < WINDOW_MIN:  # a headless window is never narrower: a frame of that width is
        opened = folder / f"{page.stem}-{width}-frame.html"
        opened.write_text(
            '<!doctype html><html lang="en"><head><title>Frame</title></head><body '
            'style="margin:0"><iframe title="The page" src="' + probe.name + '" style="width:'
            f'{width}px;height:900px;border:0"></iframe><script>window.addEventListener('
            "'message', function (m) { document.documentElement.setAttribute('data-axe', "
            "m.data); });</script></body></html>",
            encoding="utf-8",
        )
    shown = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--window-size={width},900",
            "--virtual-time-budget=20000",
            "--dump-dom",
            opened.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r'data-axe="([^"]*)"', shown.stdout)
    assert found, shown.stderr[-2000:]
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


@pytest.mark.parametrize("width", [1280, 320])
def test_the_public_page_passes_axe_and_reflows(
    browser: str, demo: Workspace, tmp_path: Path, width: int
) -> None:
    page = demo.exports.site(tmp_path / "site.html", date(2026, 11, 20))
    result = checked(browser, page, width, tmp_path)
    assert result["violations"] == []
    assert result["window"] == width
    assert result["wide"] <= width  # no sideways scrolling of the page itself
