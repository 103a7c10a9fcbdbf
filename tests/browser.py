"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright.

Never downloads a browser. If Chromium is missing, the tests that need it FAIL with a message
saying how to install it (CI must not silently skip them).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

INSTALL_HINT = (
    "Chromium is needed for the browser tests: install it with "
    "`apt-get install -y chromium chromium-driver` (`make test` does this), "
    "or set GOVKG_CHROMIUM to the browser's path"
)


def chromium_path() -> str:
    """Path of the Chromium executable, or fail the test with how to install it."""
    path = os.environ.get("GOVKG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(INSTALL_HINT, pytrace=False)
    return path


@contextmanager
def browser_page(*, offline: bool = True, viewport: tuple[int, int] = (1400, 900)) -> Iterator:
    """A Playwright page in a fresh headless Chromium profile; ``offline`` cuts the network."""
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    profile = tempfile.mkdtemp(prefix="govkg-chromium-")
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                profile,
                executable_path=exe,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": viewport[0], "height": viewport[1]},
                offline=offline,
            )
            try:
                page = ctx.pages[0] if ctx.pages else ctx.new_page()
                yield page
            finally:
                ctx.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
