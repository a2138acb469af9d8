"""The cockpit page in headless Chromium: offline, no console error, every chart drawn, nothing off the page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.test_bad_input import invoke

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def _browser_or_skip():  # noqa: ANN202 - playwright's types are optional
    """Playwright and Chromium; in CI (CI=true) their absence fails, elsewhere the test is skipped."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: apt-get install -y chromium")
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    return sync_playwright


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cockpit-browser")
    assert invoke("synth", "--cockpit", folder / "demo", "--n", 500, "--quarters", 8, "--seed", 2).exit_code == 0
    target = folder / "cockpit.html"
    run = invoke("cockpit", folder / "demo" / "snapshots", folder / "demo" / "beslutninger.db", "--format", "html",
                 "--out", target)
    assert run.exit_code == 0, run.output
    return target


@pytest.mark.parametrize("width", [1280, 800])
def test_the_page_opens_offline_without_console_errors(page_file, width):
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
                                    headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            requests: list[str] = []
            problems: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(page_file.as_uri(), wait_until="load")
            assert [r for r in requests if r != page_file.as_uri()] == []
            assert problems == []
            assert page.title().startswith("Styringscockpit")
            charts = page.locator("svg[role=img]")
            assert charts.count() >= 8
            for i in range(charts.count()):
                box = charts.nth(i).bounding_box()
                assert box is not None and box["width"] > 100 and box["height"] > 60
            # Nothing runs out of the page sideways.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        finally:
            browser.close()
